//! Changes dated after today: kept aside, changing nothing, until their
//! day comes; then each takes effect as if entered that day (a lifecycle
//! event with its hooks, a goal's new weight). One that can no longer take
//! effect (its person changed meanwhile) is kept, blocked, with the reason.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::employee::{Employee, EmployeeId, EventKind};
use super::goal::{GoalId, Weight};

/// The number of a scheduled change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ScheduledId(pub u64);

impl fmt::Display for ScheduledId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S{}", self.0)
    }
}

impl ScheduledId {
    /// Reads `S12` or `12`.
    pub fn parse(text: &str) -> Option<ScheduledId> {
        let digits = text.trim();
        let digits = digits
            .strip_prefix('S')
            .or_else(|| digits.strip_prefix('s'))
            .unwrap_or(digits);
        digits.parse().ok().map(ScheduledId)
    }
}

/// A change waiting for its date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scheduled {
    pub id: ScheduledId,
    /// The day it takes effect.
    pub effective: NaiveDate,
    /// Who scheduled it, and when.
    pub operator: String,
    pub recorded_at: DateTime<Utc>,
    pub change: Pending,
    /// Why it could not take effect on its date, if it could not.
    pub blocked: Option<String>,
}

/// What a scheduled change will do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Pending {
    /// A lifecycle event: the fields that differ between `base` (the
    /// record when it was scheduled) and `target` (as the event leaves it)
    /// are carried onto the record as it is on the day.
    Event {
        kind: EventKind,
        base: Box<Employee>,
        target: Box<Employee>,
        /// Whom a leaver's reports move to.
        new_manager: Option<EmployeeId>,
    },
    /// A goal's new weight among its siblings.
    Weight {
        goal: GoalId,
        old: Weight,
        new: Weight,
    },
}

impl Pending {
    /// The employee a scheduled event is for.
    pub fn employee(&self) -> Option<EmployeeId> {
        match self {
            Pending::Event { base, .. } => Some(base.id),
            Pending::Weight { .. } => None,
        }
    }
}

/// `current` with the changes from `base` to `target` carried onto it:
/// what a scheduled event does on its day to a record that may have been
/// corrected meanwhile (a new phone number stays; the transfer's new
/// department is taken).
pub fn carried(current: &Employee, base: &Employee, target: &Employee) -> Employee {
    let mut record = current.clone();
    macro_rules! carry {
        ($($field:ident),*) => {
            $(if base.$field != target.$field {
                record.$field = target.$field.clone();
            })*
        };
    }
    carry!(
        emp_no,
        name,
        department,
        title,
        grade,
        manager,
        hire_date,
        phone,
        email,
        national_id,
        salary
    );
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::department::DepartmentId;
    use crate::domain::fixtures;

    #[test]
    fn only_the_fields_the_event_changes_are_carried() {
        let base = fixtures::person(1, "E1", 1, None);
        let target = Employee {
            department: DepartmentId(2),
            title: "店长".into(),
            ..base.clone()
        };
        let corrected = Employee {
            phone: "13900000000".into(),
            ..base.clone()
        };
        let on_the_day = carried(&corrected, &base, &target);
        assert_eq!(on_the_day.department, DepartmentId(2));
        assert_eq!(on_the_day.title, "店长");
        assert_eq!(on_the_day.phone, "13900000000", "the correction stays");
    }

    #[test]
    fn ids_read_with_or_without_their_letter() {
        assert_eq!(ScheduledId::parse("S12"), Some(ScheduledId(12)));
        assert_eq!(ScheduledId::parse(" 7 "), Some(ScheduledId(7)));
        assert_eq!(ScheduledId::parse("x"), None);
        assert_eq!(ScheduledId(3).to_string(), "S3");
    }
}
