//! Whom an entry of a cycle may be about, looked up person by person and
//! remembered: one rating is checked by reading two records, not the whole
//! company, and a sheet of 600,000 reads each person once.

use foldhash::HashMap;

use super::{OpError, Session};
use crate::domain::department::{DepartmentId, DepartmentTree};
use crate::domain::employee::{EmployeeId, Status};
use crate::domain::operator::Role;
use crate::domain::scoring::Cycle;

/// Whether someone of `department` with `status` is appraised in `cycle`:
/// not departed, and in its scope (everyone when it names none).
pub(super) fn in_cycle(
    cycle: &Cycle,
    tree: &DepartmentTree,
    department: DepartmentId,
    status: Status,
) -> bool {
    status != Status::Departed
        && (cycle.scope.is_empty() || cycle.scope.iter().any(|&d| tree.is_within(department, d)))
}

/// The people looked up so far, and the operator's reach.
pub(super) struct Reach {
    tree: DepartmentTree,
    /// A manager's department subtree; none for the other roles.
    manager_scope: Option<DepartmentId>,
    people: HashMap<EmployeeId, Option<(DepartmentId, Status)>>,
}

impl Reach {
    pub(super) fn new(session: &Session) -> Result<Reach, OpError> {
        Ok(Reach {
            tree: DepartmentTree::new(session.store().departments()?),
            manager_scope: match session.operator().role {
                Role::Manager(scope) => Some(scope),
                _ => None,
            },
            people: HashMap::default(),
        })
    }

    fn person(
        &mut self,
        session: &Session,
        id: EmployeeId,
    ) -> Result<Option<(DepartmentId, Status)>, OpError> {
        if let Some(known) = self.people.get(&id) {
            return Ok(*known);
        }
        let found = session
            .store()
            .employee(id)?
            .map(|e| (e.department, e.status));
        self.people.insert(id, found);
        Ok(found)
    }

    /// Whether employee `id` exists.
    pub(super) fn exists(&mut self, session: &Session, id: EmployeeId) -> Result<bool, OpError> {
        Ok(self.person(session, id)?.is_some())
    }

    /// Whether employee `id` is appraised in `cycle` and within reach.
    pub(super) fn appraised(
        &mut self,
        session: &Session,
        cycle: &Cycle,
        id: EmployeeId,
    ) -> Result<bool, OpError> {
        let Some((department, status)) = self.person(session, id)? else {
            return Ok(false);
        };
        let reachable = self
            .manager_scope
            .is_none_or(|scope| self.tree.is_within(department, scope));
        Ok(reachable && in_cycle(cycle, &self.tree, department, status))
    }
}
