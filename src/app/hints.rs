//! Hints beside form fields that refer to something by its number: the
//! person an employee number names, the goal a goal id names. Looked up as
//! the number is typed (one index lookup each), so a typo shows at once.

use super::goals::forms::ids as goal_ids;
use super::staff::forms::REASSIGN;
use super::{App, FormKind};
use crate::domain::employee::Field as Column;
use crate::domain::goal::GoalId;
use crate::tr;

/// Fields that hold an employee number.
const PERSON_FIELDS: [&str; 3] = [Column::Manager.code(), REASSIGN, goal_ids::EMPLOYEE];

impl App {
    /// Refreshes the hints of the open form's number fields.
    pub(in crate::app) fn refresh_person_hints(&mut self) {
        let Some(form) = &self.form else { return };
        let goal_form = matches!(form.kind, FormKind::Goal(_));
        let hints: Vec<Option<String>> = form
            .fields
            .iter()
            .map(|field| {
                let text = field.value().trim();
                if text.is_empty() {
                    None
                } else if PERSON_FIELDS.contains(&field.id) {
                    Some(self.person_hint(text))
                } else if goal_form && field.id == goal_ids::PARENT {
                    Some(self.goal_hint(text))
                } else {
                    None
                }
            })
            .collect();
        if let Some(form) = &mut self.form {
            for (field, hint) in form.fields.iter_mut().zip(hints) {
                field.hint = hint;
            }
        }
    }

    fn person_hint(&self, emp_no: &str) -> String {
        match self.session.find_employee(emp_no) {
            Ok(Some(person)) => format!("{} · {}", person.name, person.title),
            Ok(None) => tr!("staff.form.nobody"),
            Err(err) => err.to_string(),
        }
    }

    fn goal_hint(&self, text: &str) -> String {
        match GoalId::parse(text).and_then(|id| self.goals.tree.get(id)) {
            Some(goal) => goal.title.clone(),
            None => tr!("goal.form.no_goal"),
        }
    }
}
