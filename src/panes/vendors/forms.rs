//! The Vendors pane's actions: switching projects and views, choosing the
//! selected vendor (a knocked-out one refused by name before anything is
//! asked; one below the acceptance band asked about with the reason; any
//! other asked to confirm), recording a quarter's actual spend on the
//! chosen vendor, and opening the entry forms of `entry.rs` (a vendor's
//! demo and pilot, a new project).

use super::{ID, Showing, VendorsView};
use crate::app::Confirm;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::form::{Done, FormReader, Submitted};
use crate::app::pane::Errand;
use crate::domain::cleanup::parse_money;
use crate::domain::employee::format_money;
use crate::domain::vendor::scorecard::below_acceptance;
use crate::domain::vendor::{ProjectId, Quarter, VendorId};
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

/// What the Vendors pane asks before doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    Choose(ProjectId, VendorId),
    Remove(VendorId),
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

impl VendorsView {
    /// The name of the selected vendor, if one is selected.
    fn selected_vendor_name(&self) -> Option<(VendorId, String)> {
        let vendor = self.selected_vendor()?;
        let report = self.report.as_ref()?;
        let found = report.vendors.iter().find(|v| v.id == vendor)?;
        Some((vendor, found.name.clone()))
    }

    pub(super) fn ask_remove_vendor(&mut self, desk: &mut Desk) {
        let Some((vendor, name)) = self.selected_vendor_name() else {
            desk.info(tr!("vendor.pane.none"));
            return;
        };
        desk.ask(Confirm::of(
            ID,
            tr!("vendor.pane.remove_title"),
            tr!("vendor.pane.remove", vendor = name),
            Ask::Remove(vendor),
        ));
    }

    /// Removes the vendor confirmed.
    pub(super) fn remove_vendor(&mut self, desk: &mut Desk, vendor: VendorId) {
        match desk.session.remove_vendor(vendor) {
            Ok(removed) => {
                self.selected = 0;
                desk.wrote(Changes::vendors());
                desk.info(tr!("vendor.pane.removed", vendor = removed.name));
            }
            Err(err) => desk.error(err.to_string()),
        }
    }

    pub(super) fn ask_choose(&mut self, desk: &mut Desk) {
        let (Some(project), Some((vendor, name))) = (self.project(), self.selected_vendor_name())
        else {
            desk.info(tr!("vendor.pane.none"));
            return;
        };
        let Some(report) = self.report.as_ref() else {
            return;
        };
        if let Some(out) = report
            .scorecard
            .disqualified
            .iter()
            .find(|d| d.vendor == vendor)
        {
            desk.error(out.explain());
            return;
        }
        let question = report
            .scorecard
            .row(vendor)
            .and_then(|row| {
                let acceptable = below_acceptance(&project.bands, row.total)?;
                Some(tr!(
                    "vendor.pane.choose_below",
                    vendor = name,
                    total = format!("{:.1}", row.total),
                    band = row.band,
                    acceptable = acceptable.name,
                    from = acceptable.from
                ))
            })
            .unwrap_or_else(|| tr!("vendor.pane.choose", vendor = name, project = project.name));
        desk.ask(Confirm::of(
            ID,
            tr!("vendor.pane.choose_title"),
            question,
            Ask::Choose(project.id, vendor),
        ));
    }

    /// Chooses the vendor confirmed.
    pub(super) fn choose_vendor(&mut self, desk: &mut Desk, project: ProjectId, vendor: VendorId) {
        match desk.session.choose_vendor(project, vendor) {
            Ok(_) => {
                desk.wrote(Changes::vendors());
                desk.info(tr!("vendor.pane.chosen"));
            }
            Err(err) => desk.error(err.to_string()),
        }
    }

    pub(super) fn open_spend_form(&mut self, desk: &mut Desk) {
        let Some(project) = self.project() else {
            desk.info(tr!("vendor.pane.none"));
            return;
        };
        if project.chosen.is_none() {
            desk.error(tr!("vendor.rule.none_chosen"));
            return;
        }
        // The form opens on the first quarter of the chosen vendor's plan.
        let from = project.chosen_from;
        let years = numbered(project.horizon_years, |y| tr!("vendor.pane.year", year = y));
        let quarters = numbered(4, |q| format!("Q{q}"));
        let fields = vec![
            Field::choice(
                ids::YEAR,
                tr!("vendor.pane.field_year"),
                years,
                &from.year.to_string(),
            ),
            Field::choice(
                ids::QUARTER,
                tr!("vendor.pane.field_quarter"),
                quarters,
                &from.quarter.to_string(),
            ),
            Field::text(ids::AMOUNT, tr!("vendor.pane.field_amount"), ""),
        ];
        let kind = Errand::new(ID, VendorForm::Spend(project.id));
        let title = tr!("vendor.pane.spend_title", project = project.name);
        desk.form = Some(Form::new(kind, title, fields));
    }

    /// Submits a Vendors form.
    pub(super) fn submit_vendor(
        &mut self,
        desk: &mut Desk,
        form: &Form<Errand>,
        which: VendorForm,
    ) -> Submitted {
        let project = match which {
            VendorForm::Spend(project) => project,
            VendorForm::Results(vendor) => return self.submit_results(desk, form, vendor),
            VendorForm::AddProject => return self.submit_project(desk, form, None),
            VendorForm::EditProject(id) => return self.submit_project(desk, form, Some(id)),
        };
        let mut reader = FormReader::new(form);
        let year = form.value(ids::YEAR).parse().unwrap_or(1);
        let quarter = form.value(ids::QUARTER).parse().unwrap_or(1);
        let Some(amount) = reader.required(ids::AMOUNT, parse_money) else {
            return Err(reader.problems);
        };
        desk.session
            .record_spend(project, Quarter { year, quarter }, amount)
            .map_err(|err| vec![(Some(ids::AMOUNT), err.to_string())])?;
        self.showing = Showing::Plan;
        Ok(Done {
            message: tr!(
                "vendor.pane.spent",
                year = year,
                quarter = quarter,
                amount = format_money(amount)
            ),
            select: None,
            changed: Changes::vendors(),
        })
    }
}
