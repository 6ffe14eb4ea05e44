//! The Vendors pane's actions: switching projects and views, choosing the
//! selected vendor (asks first), recording a quarter's actual spend on the
//! chosen vendor, and opening the entry forms of `entry.rs` (a vendor's
//! demo and pilot, a new project).

use super::Showing;
use crate::action::Action;
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::form::{Done, Refresh, Submitted};
use crate::app::form_reader::FormReader;
use crate::app::{App, Confirm, FormKind, Pending};
use crate::domain::cleanup::parse_money;
use crate::domain::employee::format_money;
use crate::domain::vendor::{ProjectId, QuarterSpend, VendorId};
use crate::tr;

/// Which Vendors form is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VendorForm {
    Spend(ProjectId),
    /// The demo, pilot and marks of a vendor.
    Results(VendorId),
    /// A new selection project.
    AddProject,
    /// The profile, criteria and bands of a project.
    EditProject(ProjectId),
}

/// Field ids of the spend form.
mod ids {
    pub const YEAR: &str = "year";
    pub const QUARTER: &str = "quarter";
    pub const AMOUNT: &str = "amount";
}

/// Numbered choices `1..=count`, labelled by `label`.
pub(super) fn numbered(count: u8, label: impl Fn(u8) -> String) -> Vec<ChoiceOption> {
    (1..=count)
        .map(|n| ChoiceOption::new(n.to_string(), label(n)))
        .collect()
}

impl App {
    /// Reads the Vendors pane again.
    pub(in crate::app) fn reload_vendors(&mut self) {
        if let Err(err) = self.vendors.reload(&self.session) {
            self.error(err.to_string());
        }
    }

    /// The Vendors pane's browse actions.
    pub(in crate::app) fn vendors_action(&mut self, action: Action) {
        if let Some(refused) = &self.vendors.refused {
            let refused = refused.clone();
            self.error(refused);
            return;
        }
        let changes = matches!(
            action,
            Action::Add
                | Action::Edit
                | Action::Remove
                | Action::EditProject
                | Action::ChooseVendor
                | Action::RecordActual
        );
        if changes
            && let Err(denied) = crate::service::access::require(
                self.session.operator(),
                crate::service::access::Permission::EditVendors,
            )
        {
            // Said before a form is filled in, not after.
            self.error(denied.to_string());
            return;
        }
        let result = match action {
            Action::NextCycle | Action::PrevCycle => self
                .vendors
                .step_project(action == Action::NextCycle, &self.session),
            Action::NextListing => {
                self.vendors.showing = self.vendors.showing.next();
                Ok(())
            }
            Action::Up | Action::Down => {
                self.vendors.move_selection(action == Action::Down);
                Ok(())
            }
            Action::First => {
                self.vendors.selected = 0;
                Ok(())
            }
            Action::Last => {
                self.vendors.selected = self.vendors.lines().len().saturating_sub(1);
                Ok(())
            }
            Action::ChooseVendor => {
                self.ask_choose();
                Ok(())
            }
            Action::RecordActual => {
                self.open_spend_form();
                Ok(())
            }
            Action::Edit => {
                self.vendors.showing = Showing::Ranking;
                self.open_results_form();
                Ok(())
            }
            Action::Add => {
                self.open_project_form(false);
                Ok(())
            }
            Action::EditProject => {
                self.open_project_form(true);
                Ok(())
            }
            Action::Remove => {
                self.ask_remove_vendor();
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(err) = result {
            self.error(err.to_string());
        }
    }

    /// The name of the selected vendor, if one is selected.
    fn selected_vendor_name(&self) -> Option<(VendorId, String)> {
        let vendor = self.vendors.selected_vendor()?;
        let report = self.vendors.report.as_ref()?;
        let found = report.vendors.iter().find(|v| v.id == vendor)?;
        Some((vendor, found.name.clone()))
    }

    fn ask_remove_vendor(&mut self) {
        let Some((vendor, name)) = self.selected_vendor_name() else {
            self.info(tr!("vendor.pane.none"));
            return;
        };
        self.confirm = Some(Confirm {
            title: tr!("vendor.pane.remove_title"),
            message: tr!("vendor.pane.remove", vendor = name),
            on_yes: Pending::RemoveVendor(vendor),
        });
    }

    /// Removes the vendor confirmed.
    pub(in crate::app) fn remove_vendor(&mut self, vendor: VendorId) {
        match self.session.remove_vendor(vendor) {
            Ok(removed) => {
                self.vendors.selected = 0;
                self.reload_vendors();
                self.info(tr!("vendor.pane.removed", vendor = removed.name));
            }
            Err(err) => self.error(err.to_string()),
        }
    }

    fn ask_choose(&mut self) {
        let (Some(project), Some((vendor, name))) =
            (self.vendors.project(), self.selected_vendor_name())
        else {
            self.info(tr!("vendor.pane.none"));
            return;
        };
        self.confirm = Some(Confirm {
            title: tr!("vendor.pane.choose_title"),
            message: tr!("vendor.pane.choose", vendor = name, project = project.name),
            on_yes: Pending::ChooseVendor(project.id, vendor),
        });
    }

    /// Chooses the vendor confirmed.
    pub(in crate::app) fn choose_vendor(&mut self, pending: Pending) {
        let Pending::ChooseVendor(project, vendor) = pending else {
            return;
        };
        match self.session.choose_vendor(project, vendor) {
            Ok(_) => {
                self.reload_vendors();
                self.info(tr!("vendor.pane.chosen"));
            }
            Err(err) => self.error(err.to_string()),
        }
    }

    fn open_spend_form(&mut self) {
        let Some(project) = self.vendors.project() else {
            self.info(tr!("vendor.pane.none"));
            return;
        };
        if project.chosen.is_none() {
            self.error(tr!("vendor.rule.none_chosen"));
            return;
        }
        let years = numbered(project.horizon_years, |y| tr!("vendor.pane.year", year = y));
        let quarters = numbered(4, |q| format!("Q{q}"));
        let fields = vec![
            Field::choice(ids::YEAR, tr!("vendor.pane.field_year"), years, "1"),
            Field::choice(
                ids::QUARTER,
                tr!("vendor.pane.field_quarter"),
                quarters,
                "1",
            ),
            Field::text(ids::AMOUNT, tr!("vendor.pane.field_amount"), ""),
        ];
        let kind = FormKind::Vendor(VendorForm::Spend(project.id));
        let title = tr!("vendor.pane.spend_title", project = project.name);
        self.form = Some(Form::new(kind, title, fields));
    }

    /// Submits a Vendors form.
    pub(in crate::app) fn submit_vendor(
        &mut self,
        form: &Form<FormKind>,
        which: VendorForm,
    ) -> Submitted {
        let project = match which {
            VendorForm::Spend(project) => project,
            VendorForm::Results(vendor) => return self.submit_results(form, vendor),
            VendorForm::AddProject => return self.submit_project(form, None),
            VendorForm::EditProject(id) => return self.submit_project(form, Some(id)),
        };
        let mut reader = FormReader::new(form);
        let year = form.value(ids::YEAR).parse().unwrap_or(1);
        let quarter = form.value(ids::QUARTER).parse().unwrap_or(1);
        let Some(amount) = reader.required(ids::AMOUNT, parse_money) else {
            return Err(reader.problems);
        };
        let spend = QuarterSpend {
            year,
            quarter,
            amount,
        };
        self.session
            .record_spend(project, spend)
            .map_err(|err| vec![(Some(ids::AMOUNT), err.to_string())])?;
        self.vendors.showing = Showing::Plan;
        Ok(Done {
            message: tr!(
                "vendor.pane.spent",
                year = year,
                quarter = quarter,
                amount = format_money(amount)
            ),
            select: None,
            refresh: Refresh::Vendors,
        })
    }
}
