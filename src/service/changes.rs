//! Following other sessions: the changes committed since a console last
//! looked, each with the records it touched (what to read again) and, when
//! the operator may see every one of them, a line for the status bar.

use super::access::Permission;
use super::{OpError, Session};
use crate::domain::change::{EntityKey, Kind};
use crate::domain::employee::EventKind;
use crate::tr;

/// How many changes one look reads at most; a console that fell further
/// behind reads what those keys name and looks again.
const BATCH: usize = 1000;

/// Another session's change, as this operator may learn of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    pub seq: u64,
    /// The records it touched (to refresh what shows them).
    pub keys: Vec<EntityKey>,
    /// Who did what, for the status bar; none when the change touched
    /// something this operator may not see.
    pub note: Option<String>,
}

/// A change in a sentence for the status line: "hr.zhang recorded the
/// transfer of E000123" for a lifecycle event, else who and the actions.
fn describe(operator: &str, actions: &[String]) -> String {
    let phrases: Vec<String> = actions
        .iter()
        .map(|action| {
            let (code, entity) = action.split_once(' ').unwrap_or((action.as_str(), ""));
            // A many-times action is told as it is (`binding.used ×1200`).
            let one = !entity.starts_with('×');
            code.strip_prefix("employee.")
                .filter(|_| one)
                .and_then(EventKind::label_of_code)
                .map_or_else(
                    || tr!("changes.note", operator = operator, what = action),
                    |event| {
                        tr!(
                            "changes.event",
                            operator = operator,
                            event = event,
                            who = entity
                        )
                    },
                )
        })
        .collect();
    phrases.join("; ")
}

impl Session {
    /// The number of the last change committed to the file.
    pub fn last_change(&self) -> Result<u64, OpError> {
        Ok(self.store().last_change()?)
    }

    /// Other sessions' changes after number `seen`, oldest first (this
    /// session's own are left out: it refreshed when it made them), and the
    /// number to look after next time.
    pub fn changes_since(&self, seen: u64) -> Result<(Vec<Seen>, u64), OpError> {
        let changes = self.store().changes_since(seen, BATCH)?;
        let last = changes.last().map_or(seen, |c| c.seq);
        let own = self.store().origin();
        let mut out = Vec::new();
        for change in changes.into_iter().filter(|c| c.origin != own) {
            if change.keys.is_empty() {
                continue;
            }
            let mut visible = true;
            for key in &change.keys {
                visible = visible && self.may_see(key)?;
            }
            let note = visible.then(|| describe(&change.operator, &change.actions));
            out.push(Seen {
                seq: change.seq,
                keys: change.keys,
                note,
            });
        }
        Ok((out, last))
    }

    /// Whether this operator may see the record `key` (asked without
    /// logging a refusal: nobody asked to see it).
    fn may_see(&self, key: &EntityKey) -> Result<bool, OpError> {
        let of_kind = match key.kind() {
            Kind::Employee | Kind::Department => Permission::ViewStaff,
            Kind::Goal => Permission::ViewGoals,
            Kind::Cycle | Kind::Sheet => Permission::ViewScores,
            Kind::Binding => Permission::ViewBindings,
            Kind::Operator => Permission::ViewOperators,
            Kind::Vendor => Permission::ViewVendors,
        };
        if !self.may(of_kind) {
            return Ok(false);
        }
        Ok(match key {
            EntityKey::Employee(id) | EntityKey::Sheet(_, id) => self.employee(*id)?.is_some(),
            EntityKey::Goal(id) => self.goal_visible(*id)?,
            _ => true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn an_action_told_with_its_number_is_said_as_it_is() {
        let actions = ["employee.transfer E000012", "employee.hire ×300"].map(String::from);
        let said = describe("hr.zhang", &actions);
        assert!(said.ends_with("; hr.zhang: employee.hire ×300"), "{said}");
        assert!(!said.starts_with("hr.zhang: employee.transfer"), "{said}");
    }
}
