//! Submitting a Staff form: every field read and cleaned (dates, phone,
//! e-mail, ID, money, the manager by number), all problems put on their
//! fields at once, then the session records the event. A refused form writes
//! nothing and stays open.

use super::StaffView;
use super::forms::{EFFECTIVE, NOTE, REASON, REASSIGN, StaffForm, columns};
use crate::app::desk::Desk;
use crate::app::form::{Done, FieldErrors, Form, FormReader, Submitted};
use crate::app::pane::Errand;
use crate::domain::change::Revision;
use crate::domain::cleanup::{
    parse_date, parse_email, parse_money, parse_national_id, parse_phone,
};
use crate::domain::department::DepartmentId;
use crate::domain::employee::{
    DepartureReason, Employee, EmployeeId, EventKind, Field as Column, LifecycleError,
};
use crate::service::{OpError, Recorded};
use crate::tr;

/// The event a form records (a departure's reason is read at submit).
pub fn event_kind(form: StaffForm) -> Option<EventKind> {
    Some(match form {
        StaffForm::Hire => EventKind::Hire,
        StaffForm::Correct(_) => EventKind::Correction,
        StaffForm::Transfer(_) => EventKind::Transfer,
        StaffForm::Promote(_) => EventKind::Promotion,
        StaffForm::Leave(_) => EventKind::Leave,
        StaffForm::Return(_) => EventKind::Return,
        StaffForm::Depart { .. } => EventKind::Departure {
            reason: DepartureReason::Resigned,
            note: String::new(),
        },
        StaffForm::Rehire(_) => EventKind::Rehire,
        StaffForm::DepartmentFilter => return None,
    })
}

impl StaffView {
    /// Submits a Staff form.
    pub(super) fn submit_staff(
        &mut self,
        desk: &mut Desk,
        form: &Form<Errand>,
        which: StaffForm,
    ) -> Submitted {
        let before = self.record_before(desk, which)?;
        let mut reader = FormReader::new(form);
        let after = self.read_record(desk, &mut reader, which, &before);
        let effective = match which {
            StaffForm::Hire => Some(after.hire_date),
            StaffForm::Correct(_) => Some(desk.today()),
            _ => reader.required(EFFECTIVE, parse_date),
        };
        let new_manager = self.read_manager(desk, &mut reader, REASSIGN);
        if !reader.problems.is_empty() {
            return Err(all_problems(desk, form, which, &after, reader.problems));
        }
        let (Some(effective), Some(kind)) = (effective, event_kind(which)) else {
            return Err(Vec::new());
        };
        let after = match which {
            StaffForm::Rehire(_) => Employee {
                hire_date: effective,
                ..after
            },
            _ => after,
        };
        let kind = match kind {
            EventKind::Departure { .. } => EventKind::Departure {
                reason: DepartureReason::ALL
                    .into_iter()
                    .find(|r| r.code() == form.value(REASON))
                    .unwrap_or(DepartureReason::Other),
                note: reader.text(NOTE),
            },
            kind => kind,
        };
        let label = kind.label();
        let opened = Some(form.revision);
        let result = match (which, new_manager) {
            (StaffForm::Hire, _) => desk.session.hire(after).map(Recorded::Effective),
            (StaffForm::Depart { id, .. }, Some(Some(manager))) => desk
                .session
                .depart_reassigning(id, kind, effective, manager, opened),
            _ => desk
                .session
                .record_event(before.id, kind, effective, after, opened),
        };
        if let Err(OpError::Conflict(conflict)) = &result {
            self.rebase_on_stored(desk, which, before.id, conflict.now);
        }
        let (message, id) = match result.map_err(|err| field_errors(which, &err))? {
            Recorded::Effective(done) => (
                tr!(
                    "staff.recorded",
                    event = label,
                    emp_no = done.emp_no,
                    name = done.name
                ),
                done.id,
            ),
            Recorded::Scheduled { item, record } => (
                tr!(
                    "staff.scheduled",
                    event = label,
                    emp_no = record.emp_no,
                    name = record.name,
                    date = item.effective,
                    id = item.id
                ),
                record.id,
            ),
        };
        Ok(Done {
            message,
            select: Some(crate::app::form::Select::Employee(id)),
            changed: crate::app::changes::Changes::staff(),
        })
    }

    /// After a refused save over someone else's change: the form is to
    /// stand on the record as stored now (see `Form::rebase`). The national
    /// ID and salary are left out: a form never shows them (blank keeps
    /// them), so neither does the comparison.
    fn rebase_on_stored(
        &mut self,
        desk: &mut Desk,
        which: StaffForm,
        id: EmployeeId,
        now: Revision,
    ) {
        let today = desk.today();
        let stored = desk
            .session
            .employee(id)
            .ok()
            .flatten()
            .and_then(|record| super::forms::fields(&desk.session, which, &record, today).ok());
        if let Some(mut stored) = stored {
            let hidden = [Column::NationalId.code(), Column::Salary.code()];
            stored.retain(|field| !hidden.contains(&field.id));
            desk.rebase = Some((now, stored));
        }
    }

    /// The record the form starts from (for a hire, an empty one).
    fn record_before(&self, desk: &Desk, which: StaffForm) -> Result<Employee, FieldErrors> {
        let id = match which {
            StaffForm::Correct(id)
            | StaffForm::Transfer(id)
            | StaffForm::Promote(id)
            | StaffForm::Leave(id)
            | StaffForm::Return(id)
            | StaffForm::Depart { id, .. }
            | StaffForm::Rehire(id) => id,
            StaffForm::Hire | StaffForm::DepartmentFilter => EmployeeId(0),
        };
        if id == EmployeeId(0) {
            return Ok(Employee {
                id,
                ..super::forms::blank_record(desk.today())
            });
        }
        match desk.session.employee(id) {
            Ok(Some(record)) => Ok(record),
            Ok(None) => Err(vec![(None, tr!("staff.gone"))]),
            Err(err) => Err(vec![(None, err.to_string())]),
        }
    }

    /// `before` with the form's columns applied; blank sensitive fields keep
    /// their value.
    fn read_record(
        &self,
        desk: &Desk,
        reader: &mut FormReader<'_>,
        which: StaffForm,
        before: &Employee,
    ) -> Employee {
        let mut after = before.clone();
        for &column in columns(which) {
            let id = column.code();
            if !reader.has(id) {
                continue;
            }
            match column {
                Column::EmpNo => after.emp_no = reader.text(id),
                Column::Name => after.name = reader.text(id),
                Column::Title => after.title = reader.text(id),
                Column::Grade => after.grade = reader.text(id),
                Column::Department => {
                    after.department = reader
                        .form
                        .value(id)
                        .parse()
                        .map_or(before.department, DepartmentId);
                }
                Column::Manager => {
                    if let Some(manager) = self.read_manager(desk, reader, id) {
                        after.manager = manager;
                    }
                }
                Column::HireDate => {
                    if let Some(date) = reader.required(id, parse_date) {
                        after.hire_date = date;
                    }
                }
                Column::Phone => {
                    after.phone = reader.optional(id, parse_phone).unwrap_or_default();
                }
                Column::Email => {
                    after.email = reader.optional(id, parse_email).unwrap_or_default();
                }
                Column::NationalId => {
                    if let Some(value) = reader.optional(id, parse_national_id) {
                        after.national_id = value;
                    }
                }
                Column::Salary => {
                    if let Some(value) = reader.optional(id, parse_money) {
                        after.salary = Some(value);
                    }
                }
                Column::Status => {}
            }
        }
        after
    }

    /// The manager typed as an employee number: `Some(None)` for blank,
    /// `None` when the field is absent or names nobody (a problem is noted).
    fn read_manager(
        &self,
        desk: &Desk,
        reader: &mut FormReader<'_>,
        id: &'static str,
    ) -> Option<Option<EmployeeId>> {
        if !reader.has(id) {
            return None;
        }
        let emp_no = reader.text(id);
        if emp_no.is_empty() {
            return Some(None);
        }
        match desk.session.find_employee(&emp_no) {
            Ok(Some(manager)) => Some(Some(manager.id)),
            Ok(None) => {
                reader.problem(id, tr!("staff.check.no_employee", emp_no = emp_no));
                None
            }
            Err(err) => {
                reader.problem(id, err.to_string());
                None
            }
        }
    }
}

/// Where a refused operation's problems belong on the form.
/// The form's own problems and, on the fields without one, what the write
/// would refuse (a number someone holds…), in the order of the fields: every
/// problem on the first `enter`, the first field's focused.
fn all_problems(
    desk: &Desk,
    form: &Form<Errand>,
    which: StaffForm,
    after: &Employee,
    mut problems: FieldErrors,
) -> FieldErrors {
    if let Ok(found) = desk.session.check_employee(after) {
        for (field, message) in field_errors(which, &OpError::Invalid(found)) {
            if !problems.iter().any(|(f, _)| *f == field) {
                problems.push((field, message));
            }
        }
    }
    let place = |field: &Option<&str>| {
        form.fields
            .iter()
            .position(|f| Some(f.id) == *field)
            .unwrap_or(usize::MAX)
    };
    problems.sort_by_key(|(field, _)| place(field));
    problems
}

fn field_errors(which: StaffForm, err: &OpError) -> FieldErrors {
    let manager_field = match which {
        StaffForm::Depart { .. } => REASSIGN,
        _ => Column::Manager.code(),
    };
    match err {
        OpError::Invalid(problems) => problems
            .iter()
            .map(|p| {
                let id = if p.field == Column::Manager {
                    manager_field
                } else {
                    p.field.code()
                };
                (Some(id), p.message.clone())
            })
            .collect(),
        OpError::Lifecycle(
            LifecycleError::BeforeHire { .. }
            | LifecycleError::BeforeStatusChange { .. }
            | LifecycleError::BreaksLater { .. }
            | LifecycleError::NotAllowed { .. },
        ) => {
            vec![(Some(EFFECTIVE), err.to_string())]
        }
        OpError::Lifecycle(LifecycleError::ManagesActiveStaff { .. }) => {
            vec![(Some(REASSIGN), err.to_string())]
        }
        OpError::Lifecycle(LifecycleError::ManagerCycle { .. }) => {
            vec![(Some(manager_field), err.to_string())]
        }
        _ => vec![(None, err.to_string())],
    }
}
