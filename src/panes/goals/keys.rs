//! The Goals pane's keys: moving through the tree, expanding and
//! collapsing it, and the actions that open its forms (add, edit, move,
//! archive, record an actual, cascade, the filter) or the alignment report.

use super::GoalsView;
use super::forms::GoalForm;
use crate::action::Action;
use crate::app::desk::Desk;
use crate::app::pane::Handled;

impl GoalsView {
    /// A browse action on the Goals pane.
    pub(super) fn act(&mut self, action: Action, desk: &mut Desk) -> Handled {
        let page = desk.page();
        let session = &desk.session;
        let result = match action {
            _ if action.is_move() => {
                self.list.navigate(action, page);
                self.read_history(desk);
                Ok(())
            }
            Action::Expand => self.expand(Some(true), session, page),
            Action::Collapse => self.expand(Some(false), session, page),
            Action::Toggle => self.expand(None, session, page),
            Action::DepartmentFilter => {
                self.open_goal_form(desk, GoalForm::Filter);
                Ok(())
            }
            Action::Alignment => {
                self.open_alignment_report(desk);
                Ok(())
            }
            Action::Add
            | Action::AddTop
            | Action::Edit
            | Action::Move
            | Action::Remove
            | Action::RecordActual
            | Action::NotAchieved
            | Action::Cascade => {
                self.goal_edit_action(desk, action);
                Ok(())
            }
            _ => return Handled::NotHere,
        };
        if let Err(err) = result {
            desk.error(err.to_string());
        }
        Handled::Done
    }
}
