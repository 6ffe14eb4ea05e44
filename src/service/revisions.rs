//! No lost update: a form remembers the revision of the record it opened
//! on, and saving is refused inside the write transaction when someone
//! else's change has moved it since, naming who and when.

use std::fmt;

use chrono::{DateTime, Utc};

use super::{OpError, Session};
use crate::domain::change::{EntityKey, Revision};
use crate::domain::employee::{Employee, EmployeeId};
use crate::domain::goal::{Goal, GoalId};
use crate::service::access::Permission;
use crate::store::Writer;
use crate::tr;

/// A save refused because the record changed after the form opened.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub key: EntityKey,
    /// The record's revision now.
    pub now: Revision,
    /// Who changed it last, when, and what their change said it did.
    pub by: String,
    pub at: DateTime<Utc>,
    pub actions: Vec<String>,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&tr!(
            "revision.conflict",
            by = self.by,
            at = self.at.format("%Y-%m-%d %H:%M:%S UTC"),
            what = self.actions.join(", ")
        ))
    }
}

impl std::error::Error for Conflict {}

/// Refuses, with who and when, if `key` moved past `opened`.
pub(super) fn unchanged_since(
    w: &Writer<'_>,
    key: &EntityKey,
    opened: Revision,
) -> Result<(), OpError> {
    if w.revision(key)? == opened {
        return Ok(());
    }
    Err(changed_since_read(w, key)?)
}

/// The refusal of a change to `key`, which someone changed after it was
/// read: who, when and what, from its last change.
pub(super) fn changed_since_read(w: &Writer<'_>, key: &EntityKey) -> Result<OpError, OpError> {
    let now = w.revision(key)?;
    let change = w.change(now.0)?;
    Ok(OpError::Conflict(Conflict {
        key: key.clone(),
        now,
        by: change
            .as_ref()
            .map(|c| c.operator.clone())
            .unwrap_or_default(),
        at: change.as_ref().map_or(DateTime::UNIX_EPOCH, |c| c.at),
        actions: change.map(|c| c.actions).unwrap_or_default(),
    }))
}

impl Session {
    /// The employee with `id` as a form opens on them, with the revision
    /// the form remembers (read first: a change between the two reads then
    /// shows as a conflict at save, never as a lost update).
    pub fn employee_for_edit(
        &self,
        id: EmployeeId,
    ) -> Result<Option<(Employee, Revision)>, OpError> {
        let revision = self.store().revision(&EntityKey::Employee(id))?;
        Ok(self.employee(id)?.map(|record| (record, revision)))
    }

    /// The goal with `id` as a form opens on it, with its revision (read
    /// first, as for [`Session::employee_for_edit`]).
    pub fn goal_for_edit(&self, id: GoalId) -> Result<Option<(Goal, Revision)>, OpError> {
        self.require(Permission::ViewGoals)?;
        let revision = self.store().revision(&EntityKey::Goal(id))?;
        if !self.goal_visible(id)? {
            return Ok(None);
        }
        Ok(self.store().goal(id)?.map(|goal| (goal, revision)))
    }
}
