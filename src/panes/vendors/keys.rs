//! The Vendors pane's keys: switching projects and views, moving the
//! selection, and the actions that open its forms or ask first (choosing
//! or removing a vendor, recording spend, a vendor's results, a project).

use super::{Showing, VendorsView};
use crate::action::{Action, Section};
use crate::app::desk::Desk;
use crate::app::pane::Handled;

impl VendorsView {
    /// A browse action on the Vendors pane.
    pub(super) fn act(&mut self, action: Action, desk: &mut Desk) -> Handled {
        if !(action.allowed_in(Section::Vendors)
            || action.is_move()
            || matches!(action, Action::Add | Action::Edit | Action::Remove))
        {
            return Handled::NotHere;
        }
        if let Some(refused) = &self.refused {
            desk.error(refused.clone());
            return Handled::Done;
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
                desk.session.operator(),
                crate::service::access::Permission::EditVendors,
            )
        {
            // Said before a form is filled in, not after.
            desk.error(denied.to_string());
            return Handled::Done;
        }
        let result = match action {
            Action::NextCycle | Action::PrevCycle => {
                self.step_project(action == Action::NextCycle, &desk.session)
            }
            Action::NextListing => {
                self.showing = self.showing.next();
                Ok(())
            }
            Action::Up | Action::Down => {
                self.move_selection(action == Action::Down);
                Ok(())
            }
            Action::First => {
                self.selected = 0;
                Ok(())
            }
            Action::Last => {
                self.selected = self.lines().len().saturating_sub(1);
                Ok(())
            }
            Action::ChooseVendor => {
                self.ask_choose(desk);
                Ok(())
            }
            Action::RecordActual => {
                self.open_spend_form(desk);
                Ok(())
            }
            Action::Edit => {
                self.showing = Showing::Ranking;
                self.open_results_form(desk);
                Ok(())
            }
            Action::Add => {
                self.open_project_form(desk, false);
                Ok(())
            }
            Action::EditProject => {
                self.open_project_form(desk, true);
                Ok(())
            }
            Action::Remove => {
                self.ask_remove_vendor(desk);
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(err) = result {
            desk.error(err.to_string());
        }
        Handled::Done
    }
}
