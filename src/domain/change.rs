//! What a committed write changed, for the people who have the same file
//! open: the change feed (one [`Change`] per commit, numbered in commit
//! order, naming the records it touched) and revisions (the number of the
//! last change that touched a record, which a form remembers when it
//! opens, so that saving over someone else's change is refused, never lost).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::binding::BindingId;
use super::department::DepartmentId;
use super::employee::EmployeeId;
use super::goal::GoalId;
use super::scoring::CycleId;

/// A kind of record, for changes that touched too many of one kind to
/// name them (an import, a bulk load).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    Employee,
    Department,
    Goal,
    Cycle,
    Sheet,
    Binding,
    Operator,
    Vendor,
}

/// The records a change touched, at the level a form edits them.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityKey {
    /// An employee with their history.
    Employee(EmployeeId),
    Department(DepartmentId),
    /// A goal with its actuals and weight changes.
    Goal(GoalId),
    /// A cycle's settings and state.
    Cycle(CycleId),
    /// One person's marks and indicator values in one cycle.
    Sheet(CycleId, EmployeeId),
    Binding(BindingId),
    Operator(String),
    /// Selection projects, their vendors and spend.
    Vendors,
    /// Any number of records of one kind.
    All(Kind),
}

impl EntityKey {
    /// The key's kind.
    pub fn kind(&self) -> Kind {
        match self {
            EntityKey::Employee(_) => Kind::Employee,
            EntityKey::Department(_) => Kind::Department,
            EntityKey::Goal(_) => Kind::Goal,
            EntityKey::Cycle(_) => Kind::Cycle,
            EntityKey::Sheet(..) => Kind::Sheet,
            EntityKey::Binding(_) => Kind::Binding,
            EntityKey::Operator(_) => Kind::Operator,
            EntityKey::Vendors => Kind::Vendor,
            EntityKey::All(kind) => *kind,
        }
    }
}

/// The stable text form a store indexes revisions by (`employee:12`).
impl fmt::Display for EntityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntityKey::Employee(id) => write!(f, "employee:{}", id.0),
            EntityKey::Department(id) => write!(f, "department:{}", id.0),
            EntityKey::Goal(id) => write!(f, "goal:{}", id.0),
            EntityKey::Cycle(id) => write!(f, "cycle:{}", id.0),
            EntityKey::Sheet(cycle, employee) => write!(f, "sheet:{}:{}", cycle.0, employee.0),
            EntityKey::Binding(id) => write!(f, "binding:{}", id.0),
            EntityKey::Operator(user) => write!(f, "operator:{user}"),
            EntityKey::Vendors => f.write_str("vendors"),
            EntityKey::All(kind) => write!(f, "all:{kind:?}"),
        }
    }
}

/// The number of the last change that touched a record; [`Revision::NONE`]
/// for one untouched since it was created (or since the file was upgraded
/// to a schema with revisions).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Revision(pub u64);

impl Revision {
    pub const NONE: Revision = Revision(0);
}

/// One committed write, as the change feed keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Its number: changes are numbered from 1 in commit order.
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub operator: String,
    /// The store handle that wrote it (random per handle), so a console
    /// can tell its own changes from other sessions'.
    pub origin: u64,
    /// The records it touched (each once).
    pub keys: Vec<EntityKey>,
    /// What its audit entries say it did (`employee.transfer E000123`).
    pub actions: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_a_stable_text_form() {
        let keys = [
            EntityKey::Employee(EmployeeId(12)),
            EntityKey::Sheet(CycleId(2), EmployeeId(7)),
            EntityKey::Operator("hr.li".into()),
            EntityKey::All(Kind::Employee),
        ];
        let text: Vec<String> = keys.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            ["employee:12", "sheet:2:7", "operator:hr.li", "all:Employee"]
        );
        assert_eq!(keys[1].kind(), Kind::Sheet);
    }
}
