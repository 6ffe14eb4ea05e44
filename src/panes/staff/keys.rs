//! The Staff pane's keys: moving and sorting, and the actions that open
//! its forms (hire, correct, transfer, promote, leave, return, depart,
//! rehire, the department filter) or reveal a person's masked fields.

use super::StaffView;
use super::forms::StaffForm;
use crate::action::{Action, Section};
use crate::app::desk::Desk;
use crate::app::pane::Handled;
use crate::service::access::Permission;
use crate::tr;

impl StaffView {
    /// A browse action on the Staff pane.
    pub(super) fn act(&mut self, action: Action, desk: &mut Desk) -> Handled {
        let page = desk.page();
        match action {
            _ if action.is_move() => {
                self.list.navigate(action, page);
                self.read_selected(desk);
            }
            Action::Sort | Action::SortReverse => {
                self.cycle_sort(action == Action::SortReverse, page);
                self.read_selected(desk);
            }
            Action::Add
            | Action::Edit
            | Action::Move
            | Action::Remove
            | Action::Transfer
            | Action::Promote
            | Action::Leave
            | Action::ReturnFromLeave
            | Action::Depart
            | Action::Rehire
            | Action::Reveal
            | Action::DepartmentFilter => self.staff_action(desk, action),
            _ => return Handled::NotHere,
        }
        Handled::Done
    }

    /// Opens the hire form, or, with no department to hire into, says to
    /// create one first and with which keys.
    fn hire(&mut self, desk: &mut Desk) {
        match desk.session.department_tree() {
            Ok(tree) if tree.is_empty() => {
                let key = desk.key_for(&[Section::Global], Action::Departments);
                desk.error(tr!("staff.start.no_department", key = key));
            }
            Ok(_) => self.open_staff_form(desk, StaffForm::Hire, None),
            Err(err) => desk.error(err.to_string()),
        }
    }

    /// A browse action in the Staff pane: opens the form it asks for.
    fn staff_action(&mut self, desk: &mut Desk, action: Action) {
        if action == Action::DepartmentFilter {
            self.open_staff_form(desk, StaffForm::DepartmentFilter, None);
            return;
        }
        if action == Action::Reveal {
            self.toggle_reveal(desk);
            return;
        }
        if let Err(denied) =
            crate::service::access::require(desk.session.operator(), Permission::EditStaff)
        {
            desk.error(denied.to_string());
            return;
        }
        if action == Action::Add {
            self.hire(desk);
            return;
        }
        if action == Action::Remove {
            desk.info(tr!("staff.never_removed"));
            return;
        }
        let Some((record, _)) = self.selected.clone() else {
            desk.info(tr!("status.nothing_selected"));
            return;
        };
        let id = record.id;
        let form = match action {
            Action::Edit => StaffForm::Correct(id),
            Action::Transfer | Action::Move => StaffForm::Transfer(id),
            Action::Promote => StaffForm::Promote(id),
            Action::Leave => StaffForm::Leave(id),
            Action::ReturnFromLeave => StaffForm::Return(id),
            Action::Depart => match desk.session.active_reports(id) {
                Ok(reports) => StaffForm::Depart { id, reports },
                Err(err) => {
                    desk.error(err.to_string());
                    return;
                }
            },
            Action::Rehire => StaffForm::Rehire(id),
            _ => return,
        };
        // Say at once when the event does not apply, rather than after typing.
        if let Some(kind) = super::submit::event_kind(form)
            && let Err(err) = crate::domain::employee::check_transition(&kind, record.status)
        {
            desk.error(err.to_string());
            return;
        }
        self.open_staff_form(desk, form, Some(record));
    }
}
