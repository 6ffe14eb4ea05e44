//! Staff operations of a session: the organisation as the operator may see
//! it, hiring, and lifecycle events (transfer, promotion, leave, return,
//! departure, rehire, correction). Each is checked, then written in one
//! transaction with its history entry, its audit entry and, for a
//! departure, the work of every registered departure hook.

use chrono::NaiveDate;

use super::{OpError, Session};
use crate::app::access::Permission;
use crate::domain::audit::AuditRecord;
use crate::domain::department::DepartmentTree;
use crate::domain::directory::{Directory, FieldProblem};
use crate::domain::employee::{
    Employee, EmployeeId, EventKind, FieldChange, LifecycleError, LifecycleEvent, Status,
    check_transition,
};
use crate::domain::operator::Role;
use crate::store::{StoreError, Writer};

/// Work that other parts of hrdesk do, in the departure's own transaction,
/// when someone departs (bindings to unbind, goals to close …). A failing
/// hook cancels the whole departure.
pub trait DepartureHook {
    fn on_departure(
        &self,
        writer: &mut Writer<'_>,
        employee: &Employee,
        date: NaiveDate,
    ) -> Result<(), StoreError>;
}

/// `field=value` pairs of one side of a change, for the audit log.
fn side(changes: &[FieldChange], pick: impl Fn(&FieldChange) -> &str) -> String {
    changes
        .iter()
        .map(|c| format!("{}={}", c.field.code(), pick(c)))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Session {
    /// Registers work to run inside every departure's transaction.
    pub fn on_departure(&mut self, hook: Box<dyn DepartureHook>) {
        self.departure_hooks.push(hook);
    }

    /// The organisation as this operator may see it: everyone for admin, hr
    /// and viewers; a manager's own department subtree for a manager.
    pub fn directory(&self) -> Result<Directory, OpError> {
        self.require(Permission::ViewStaff)?;
        let tree = DepartmentTree::new(self.store().departments()?);
        let all = Directory::new(tree, self.store().employees()?);
        Ok(match self.operator().role {
            Role::Manager(scope) => all.within(scope),
            _ => all,
        })
    }

    /// The whole organisation, for checks that must see everyone.
    pub(super) fn full_directory(&self) -> Result<Directory, OpError> {
        let tree = DepartmentTree::new(self.store().departments()?);
        Ok(Directory::new(tree, self.store().employees()?))
    }

    /// An employee's history, oldest first; empty for someone outside the
    /// operator's view. Reads one record, not the whole organisation.
    pub fn history(&self, id: EmployeeId) -> Result<Vec<LifecycleEvent>, OpError> {
        self.require(Permission::ViewStaff)?;
        let Some(employee) = self.store().employee(id)? else {
            return Ok(Vec::new());
        };
        if let Role::Manager(scope) = self.operator().role {
            let tree = DepartmentTree::new(self.store().departments()?);
            if !tree.is_within(employee.department, scope) {
                return Ok(Vec::new());
            }
        }
        Ok(self.store().history(id)?)
    }

    /// Hires `record` (its id is assigned) effective on its hire date.
    pub fn hire(&self, record: Employee) -> Result<Employee, OpError> {
        self.require(Permission::EditStaff)?;
        let directory = self.full_directory()?;
        let record = Employee {
            id: EmployeeId(0),
            status: Status::Active,
            ..record
        };
        let problems = directory.check(&record);
        if !problems.is_empty() {
            return Err(OpError::Invalid(problems));
        }
        let operator = self.operator().user.clone();
        let recorded_at = self.now();
        self.write(|w| {
            let hired = w.add_employee(&record)?;
            let changes = hired.as_new(&directory);
            w.append_event(&LifecycleEvent {
                employee: hired.id,
                kind: EventKind::Hire,
                effective: hired.hire_date,
                operator,
                recorded_at,
                changes: changes.clone(),
            })?;
            w.audit(
                AuditRecord::new("employee.hire", "employee", &hired.emp_no)
                    .after(side(&changes, |c| &c.new)),
            )?;
            Ok(hired)
        })
    }

    /// Records `kind` for employee `id`, effective `effective`, leaving the
    /// record as `after` (status follows from the event).
    pub fn record_event(
        &self,
        id: EmployeeId,
        kind: EventKind,
        effective: NaiveDate,
        after: Employee,
    ) -> Result<Employee, OpError> {
        self.require(Permission::EditStaff)?;
        let directory = self.full_directory()?;
        let before = directory.get(id).cloned().ok_or(StoreError::NotFound {
            entity: "employee",
            id: id.to_string(),
        })?;
        check_transition(&kind, before.status)?;
        let after = Employee {
            id,
            status: kind.status_after(before.status),
            ..after
        };
        if let EventKind::Departure { .. } = kind {
            check_departure(&directory, &before, effective)?;
        }
        let problems = directory.check(&after);
        if !problems.is_empty() {
            return Err(OpError::Invalid(problems));
        }
        let changes = before.diff(&after, &directory);
        let operator = self.operator().user.clone();
        let recorded_at = self.now();
        let action = format!("employee.{}", kind.code());
        let departing = matches!(kind, EventKind::Departure { .. });
        self.write(|w| {
            w.update_employee(&after)?;
            w.append_event(&LifecycleEvent {
                employee: id,
                kind,
                effective,
                operator,
                recorded_at,
                changes: changes.clone(),
            })?;
            if departing {
                for hook in &self.departure_hooks {
                    hook.on_departure(w, &after, effective)?;
                }
            }
            w.audit(
                AuditRecord::new(&action, "employee", &after.emp_no)
                    .before(side(&changes, |c| &c.old))
                    .after(side(&changes, |c| &c.new)),
            )?;
            Ok(after.clone())
        })
    }
}

/// A departure is dated on or after the hire date, and nobody active still
/// reports to the person leaving.
fn check_departure(
    directory: &Directory,
    who: &Employee,
    date: NaiveDate,
) -> Result<(), LifecycleError> {
    if date < who.hire_date {
        return Err(LifecycleError::DepartureBeforeHire {
            departure: date,
            hire: who.hire_date,
        });
    }
    let reports = directory.active_reports(who.id).len();
    if reports > 0 {
        return Err(LifecycleError::ManagesActiveStaff {
            name: who.name.clone(),
            reports,
        });
    }
    Ok(())
}

/// The problems of an invalid record, for messages that need one line.
pub fn describe(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {}", p.field.label(), p.message))
        .collect::<Vec<_>>()
        .join("; ")
}
