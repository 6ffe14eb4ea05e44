//! Staff operations of a session: the organisation as the operator may see
//! it, hiring, and lifecycle events (transfer, promotion, leave, return,
//! departure, rehire, correction). Each is checked, then written in one
//! transaction with its history entry, its audit entry and, for a
//! departure, the work of every registered departure hook.

use std::collections::HashMap;
use std::ops::ControlFlow;

/// How many records a long read counts at a time (and looks between for
/// a cancel).
const PROGRESS_STEP: usize = 4096;

use chrono::{DateTime, NaiveDate, Utc};

use super::revisions::unchanged_since;
use super::{OpError, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::change::{EntityKey, Revision};

use crate::domain::department::{DepartmentId, DepartmentTree};
use crate::domain::directory::{Directory, FieldProblem};
use crate::domain::employee::{
    Employee, EmployeeId, EmployeeView, EventKind, Field, FieldChange, LifecycleError,
    LifecycleEvent, MASKED, Status,
};
use crate::domain::operator::Role;
use crate::domain::roster::Roster;
use crate::domain::schedule::{Pending, Scheduled, ScheduledId};
use crate::domain::timeline::{self, Step};
use crate::service::access::Permission;
use crate::store::{RuleReads, StoreError, Writer};
use crate::tr;

/// Whom a change concerns, for [`directory_around`]: these people and
/// everyone up their management chains, whoever holds these employee
/// numbers or the national ID, name and phone of `claims`, and the people
/// who report to `reports_of`. That is all the record checks consult (a
/// unique number, national ID and name + phone, an existing manager who is
/// not departed and closes no loop, the reports a leaver must hand over).
#[derive(Debug, Default)]
pub(super) struct Around<'r> {
    pub people: Vec<Option<EmployeeId>>,
    pub emp_nos: Vec<String>,
    pub claims: Option<&'r Employee>,
    pub reports_of: Option<EmployeeId>,
}

/// The whole organisation as `reads` sees it, for checks that must see
/// everyone (a sheet, a department's members, a manager's reach).
pub(super) fn whole_directory(reads: &impl RuleReads) -> Result<Directory, OpError> {
    let tree = DepartmentTree::new(reads.departments()?);
    Ok(Directory::new(tree, reads.all_employees()?))
}

/// The part of the organisation a change to a few people is checked
/// against (see [`Around`]), read record by record through `reads` (inside
/// the write transaction that makes the change, where the rules hold): a
/// single change stays fast and small however large the company.
pub(super) fn directory_around(
    reads: &impl RuleReads,
    around: Around<'_>,
) -> Result<Directory, OpError> {
    let tree = DepartmentTree::new(reads.departments()?);
    let mut wanted: Vec<EmployeeId> = around.people.into_iter().flatten().collect();
    for emp_no in &around.emp_nos {
        wanted.extend(reads.employee_id_by_emp_no(emp_no)?);
    }
    if let Some(record) = around.claims {
        if !record.national_id.is_empty() {
            wanted.extend(reads.holders_of_national_id(&record.national_id)?);
        }
        if !record.phone.is_empty() {
            wanted.extend(reads.holders_of_name_phone(&record.name, &record.phone)?);
        }
    }
    if let Some(boss) = around.reports_of {
        wanted.extend(reads.reports_of(boss)?);
    }
    let mut found: HashMap<EmployeeId, Employee> = HashMap::new();
    while let Some(id) = wanted.pop() {
        if found.contains_key(&id) {
            continue;
        }
        if let Some(person) = reads.employee(id)? {
            wanted.extend(person.manager);
            found.insert(id, person);
        }
    }
    let mut people: Vec<Employee> = found.into_values().collect();
    people.sort_by_key(|person| person.id);
    Ok(Directory::new(tree, people))
}

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

/// What recording an event did.
#[derive(Clone, Debug)]
pub enum Recorded {
    /// It took effect: the record as it left it.
    Effective(Employee),
    /// It is dated after today and waits for its day; the record as it
    /// is now.
    Scheduled {
        item: Box<Scheduled>,
        record: Employee,
    },
}

impl Recorded {
    /// The record as it is now (unchanged by a scheduled event).
    pub fn into_record(self) -> Employee {
        match self {
            Recorded::Effective(record) | Recorded::Scheduled { record, .. } => record,
        }
    }
}

/// Why an event happened, for its audit entry: a departure's
/// ` reason=resigned note=…` (the note last, as it may hold anything);
/// nothing for other events.
fn why(kind: &EventKind) -> String {
    match kind {
        EventKind::Departure { reason, note } if note.is_empty() => {
            format!(" reason={}", reason.code())
        }
        EventKind::Departure { reason, note } => format!(" reason={} note={note}", reason.code()),
        _ => String::new(),
    }
}

/// `field=value` pairs of one side of a change, for the audit log.
pub(super) fn side(changes: &[FieldChange], pick: impl Fn(&FieldChange) -> &str) -> String {
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

    /// The people this operator may see, each kept as their number, name,
    /// status and department only: what an export names people by (a
    /// million of them in tens of megabytes, not a million records).
    pub fn visible_roster(&self) -> Result<Roster, OpError> {
        let mut roster = None;
        let tree = self.each_visible_employee(|tree, person| {
            roster
                .get_or_insert_with(|| Roster::new(tree.clone()))
                .add(person);
        })?;
        Ok(roster.unwrap_or_else(|| Roster::new(tree)))
    }

    /// The departments, and every employee this operator may see handed to
    /// `visit` as read in place from the store (nothing copied): how the
    /// staff table of a whole company is built without holding it twice.
    /// For a job, the records read are counted in its progress, and a
    /// cancel stops the read (`Cancelled`).
    pub fn each_visible_employee(
        &self,
        mut visit: impl FnMut(&DepartmentTree, EmployeeView<'_>),
    ) -> Result<DepartmentTree, OpError> {
        let (tree, scope) = self.staff_view()?;
        // Only the people handed over are counted (a manager is not told
        // how many others there are); a cancel is looked for as often
        // whoever is counted.
        let (mut read, mut counted) = (0usize, 0usize);
        self.store().employees_until(|employee| {
            read += 1;
            if scope.is_none_or(|scope| tree.is_within(employee.department, scope)) {
                visit(&tree, employee);
                counted += 1;
            }
            if read.is_multiple_of(PROGRESS_STEP)
                && self.read_on(std::mem::take(&mut counted)).is_break()
            {
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        })?;
        let _ = self.read_on(counted);
        self.check_cancelled()?;
        Ok(tree)
    }

    /// Counts `rows` more read for the job this session works for (if
    /// any); breaks when it was cancelled.
    fn read_on(&self, rows: usize) -> ControlFlow<()> {
        let Some(progress) = &self.cancel else {
            return ControlFlow::Continue(());
        };
        progress.advance_by(rows);
        match progress.is_cancelled() {
            true => ControlFlow::Break(()),
            false => ControlFlow::Continue(()),
        }
    }

    /// Hands the first `count` employees the operator may see, in the
    /// order of their numbers, to `visit`; the departments as
    /// [`each_visible_employee`](Self::each_visible_employee) gives them.
    /// Reads about as many records as it hands over (for a manager, those
    /// outside their subtree that come before too).
    pub fn first_visible_employees(
        &self,
        count: usize,
        mut visit: impl FnMut(&DepartmentTree, EmployeeView<'_>),
    ) -> Result<DepartmentTree, OpError> {
        let (tree, scope) = self.staff_view()?;
        let mut left = count;
        self.store().each_employee_by_emp_no(|employee| {
            if left == 0 {
                return ControlFlow::Break(());
            }
            if scope.is_none_or(|scope| tree.is_within(employee.department, scope)) {
                visit(&tree, employee);
                left -= 1;
            }
            ControlFlow::Continue(())
        })?;
        Ok(tree)
    }

    /// The departments, and the subtree the operator's role limits the
    /// staff they see to (`None`: everyone).
    fn staff_view(&self) -> Result<(DepartmentTree, Option<DepartmentId>), OpError> {
        self.require(Permission::ViewStaff)?;
        let tree = DepartmentTree::new(self.store().departments()?);
        let scope = match self.operator().role {
            Role::Manager(scope) => Some(scope),
            _ => None,
        };
        Ok((tree, scope))
    }

    /// The whole organisation, for checks that must see everyone.
    pub(super) fn full_directory(&self) -> Result<Directory, OpError> {
        whole_directory(self.store())
    }

    /// An employee's history, oldest first; empty for someone outside the
    /// operator's view. Reads one record, not the whole organisation.
    /// An employee's history in the order things happened: by effective
    /// date, and by when they were recorded on the same day.
    pub fn history(&self, id: EmployeeId) -> Result<Vec<LifecycleEvent>, OpError> {
        if self.employee(id)?.is_none() {
            return Ok(Vec::new());
        }
        let mut events = self.store().history(id)?;
        events.sort_by_key(|e| (e.effective, e.recorded_at));
        Ok(events)
    }

    /// The employee with `id`, if the operator may see them (national ID
    /// and salary are masked by the screens, not here).
    pub fn employee(&self, id: EmployeeId) -> Result<Option<Employee>, OpError> {
        self.require(Permission::ViewStaff)?;
        let employee = self.store().employee(id)?;
        self.if_visible(employee)
    }

    /// How many employee records there are (departed ones included), to
    /// size a table before it is read (not to be shown: see
    /// [`employee_total_shown`](Self::employee_total_shown)).
    pub fn employee_count(&self) -> Result<u64, OpError> {
        self.require(Permission::ViewStaff)?;
        Ok(self.store().employee_count()?)
    }

    /// How many employee records the operator may be told there are: all
    /// of them for who sees everyone, none for a manager (whose subtree's
    /// count is known only once it is read; the company's is not theirs).
    pub fn employee_total_shown(&self) -> Result<Option<u64>, OpError> {
        let (_, scope) = self.staff_view()?;
        match scope {
            Some(_) => Ok(None),
            None => self.employee_count().map(Some),
        }
    }

    /// `employee` when it lies within the operator's view (a manager's
    /// department subtree), else nothing.
    fn if_visible(&self, employee: Option<Employee>) -> Result<Option<Employee>, OpError> {
        Ok(match (employee, &self.operator().role) {
            (Some(e), Role::Manager(scope)) => {
                let tree = DepartmentTree::new(self.store().departments()?);
                tree.is_within(e.department, *scope).then_some(e)
            }
            (employee, _) => employee,
        })
    }

    /// Hires `record` (its id is assigned) effective on its hire date.
    pub fn hire(&self, record: Employee) -> Result<Employee, OpError> {
        self.require(Permission::EditStaff)?;
        let record = Employee {
            id: EmployeeId(0),
            status: Status::Active,
            ..record
        };
        let recorded_at = self.now();
        self.write_checked(|w| self.hire_in(w, &record, recorded_at))
    }

    /// Hires `record` inside `w`: checked against the organisation as `w`
    /// sees it, stored with its first history event and its audit entry.
    pub(super) fn hire_in(
        &self,
        w: &mut Writer<'_>,
        record: &Employee,
        recorded_at: DateTime<Utc>,
    ) -> Result<Employee, OpError> {
        let directory = directory_around(
            w,
            Around {
                people: vec![record.manager],
                emp_nos: vec![record.emp_no.clone()],
                claims: Some(record),
                reports_of: None,
            },
        )?;
        let problems = directory.check(record);
        if !problems.is_empty() {
            return Err(OpError::Invalid(problems));
        }
        let hired = w.add_employee(record)?;
        let changes = hired.as_new(&directory);
        w.append_event(&LifecycleEvent {
            employee: hired.id,
            kind: EventKind::Hire,
            effective: hired.hire_date,
            operator: self.operator().user.clone(),
            recorded_at,
            changes: changes.clone(),
        })?;
        w.audit(
            AuditRecord::new("employee.hire", "employee", &hired.emp_no)
                .after(side(&changes, |c| &c.new)),
        )?;
        Ok(hired)
    }

    /// Records `kind` for employee `id`, effective `effective`, leaving the
    /// record as `after` (status follows from the timeline). The event must
    /// fit the person's timeline at its date without making a later event
    /// impossible; one dated after today is scheduled and changes nothing
    /// until its day. A departure is refused while the person still
    /// manages active staff. With `opened` (the revision a form opened
    /// on), it is refused if the person changed since.
    pub fn record_event(
        &self,
        id: EmployeeId,
        kind: EventKind,
        effective: NaiveDate,
        after: Employee,
        opened: Option<Revision>,
    ) -> Result<Recorded, OpError> {
        let plan = Plan {
            kind,
            effective,
            after: Employee { id, ..after },
            new_manager: None,
        };
        self.record(plan, opened)
    }

    /// Records a departure (`kind` is [`EventKind::Departure`]); the people
    /// who still report to the leaver are first transferred to `new_manager`,
    /// all in one transaction (on its date, when it is scheduled).
    pub fn depart_reassigning(
        &self,
        id: EmployeeId,
        kind: EventKind,
        effective: NaiveDate,
        new_manager: EmployeeId,
        opened: Option<Revision>,
    ) -> Result<Recorded, OpError> {
        let before = self.store().employee(id)?.ok_or(StoreError::NotFound {
            entity: "employee",
            id: id.to_string(),
        })?;
        let plan = Plan {
            kind,
            effective,
            after: before,
            new_manager: Some(new_manager),
        };
        self.record(plan, opened)
    }

    fn record(&self, plan: Plan, opened: Option<Revision>) -> Result<Recorded, OpError> {
        self.require(Permission::EditStaff)?;
        let recorded_at = self.now();
        let today = self.today();
        self.write_checked(|w| {
            if let Some(opened) = opened {
                unchanged_since(w, &EntityKey::Employee(plan.after.id), opened)?;
            }
            self.record_in(w, &plan, today, recorded_at)
        })
    }

    /// Records `plan` inside `w`: written now, or scheduled when it is
    /// dated after `today`.
    pub(super) fn record_in(
        &self,
        w: &mut Writer<'_>,
        plan: &Plan,
        today: NaiveDate,
        recorded_at: DateTime<Utc>,
    ) -> Result<Recorded, OpError> {
        let operator = self.operator().user.as_str();
        let (person, mut events) = prepare(w, plan, today, None)?;
        if plan.effective > today {
            let last = events.pop().ok_or_else(|| not_found(person.id))?;
            let item = w.schedule(&Scheduled {
                id: ScheduledId(0),
                effective: plan.effective,
                operator: operator.to_string(),
                recorded_at,
                change: Pending::Event {
                    kind: plan.kind.clone(),
                    base: Box::new(person.clone()),
                    target: Box::new(last.after),
                    new_manager: plan.new_manager,
                },
                blocked: None,
            })?;
            w.audit(
                AuditRecord::new("employee.schedule", "employee", &person.emp_no)
                    .before(side(&last.changes, |c| &c.old))
                    .after(
                        format!(
                            "{} event={} from={} id={}{}",
                            side(&last.changes, |c| &c.new),
                            plan.kind.code(),
                            plan.effective,
                            item.id,
                            why(&plan.kind)
                        )
                        .trim_start(),
                    ),
            )?;
            return Ok(Recorded::Scheduled {
                item: Box::new(item),
                record: person,
            });
        }
        let stamp = Stamp {
            operator,
            recorded_at,
            effective: plan.effective,
            note: if plan.effective < today {
                "backdated".to_string()
            } else {
                String::new()
            },
        };
        for event in &events {
            self.write_event(w, event, &stamp)?;
        }
        let last = events.pop().ok_or_else(|| not_found(person.id))?;
        Ok(Recorded::Effective(last.after))
    }

    /// Writes one checked event: the record as it leaves it, the event in
    /// the person's history, a departure's hooks, and the audit entry.
    pub(super) fn write_event(
        &self,
        w: &mut Writer<'_>,
        event: &CheckedEvent,
        stamp: &Stamp<'_>,
    ) -> Result<(), OpError> {
        w.update_employee(&event.after)?;
        w.append_event(&LifecycleEvent {
            employee: event.after.id,
            kind: event.kind.clone(),
            effective: stamp.effective,
            operator: stamp.operator.to_string(),
            recorded_at: stamp.recorded_at,
            changes: event.changes.clone(),
        })?;
        if let EventKind::Departure { .. } = event.kind {
            for hook in &self.departure_hooks {
                hook.on_departure(w, &event.after, stamp.effective)?;
            }
        }
        let mut after = side(&event.changes, |c| &c.new);
        after.push_str(&format!(" effective={}", stamp.effective));
        if !stamp.note.is_empty() {
            after.push(' ');
            after.push_str(&stamp.note);
        }
        after.push_str(&why(&event.kind));
        w.audit(
            AuditRecord::new(
                &format!("employee.{}", event.kind.code()),
                "employee",
                &event.after.emp_no,
            )
            .before(side(&event.changes, |c| &c.old))
            .after(after.trim_start()),
        )?;
        Ok(())
    }

    /// Shows an employee's national ID and salary to an operator who may see
    /// them, writing who looked, and at whom, to the audit log.
    pub fn reveal(&self, id: EmployeeId) -> Result<Employee, OpError> {
        self.require(Permission::ViewSensitive)?;
        let employee = self.store().employee(id)?.ok_or(StoreError::NotFound {
            entity: "employee",
            id: id.to_string(),
        })?;
        self.write(|w| {
            w.audit(
                AuditRecord::new("employee.reveal", "employee", &employee.emp_no).after(format!(
                    "{}={} {}={}",
                    Field::NationalId.code(),
                    MASKED,
                    Field::Salary.code(),
                    employee.salary.map(|_| MASKED).unwrap_or_default()
                )),
            )
        })?;
        Ok(employee)
    }

    /// Writes to the audit log that `rows` employees were exported with
    /// their national IDs and salaries unmasked (a reveal in bulk).
    pub fn log_sensitive_export(&self, rows: usize) -> Result<(), OpError> {
        self.require(Permission::ViewSensitive)?;
        self.write(|w| {
            w.audit(
                AuditRecord::new("employee.export", "employee", "*")
                    .after(format!("rows={rows} unmasked=national_id,salary")),
            )
        })?;
        Ok(())
    }

    /// How many people who have not departed report to `id`.
    pub fn active_reports(&self, id: EmployeeId) -> Result<usize, OpError> {
        self.require(Permission::ViewStaff)?;
        let mut count = 0;
        self.store().each_employee(|person| {
            if person.manager == Some(id) && person.status != Status::Departed {
                count += 1;
            }
        })?;
        Ok(count)
    }

    /// The employee with number `emp_no`, if the operator may see them.
    pub fn find_employee(&self, emp_no: &str) -> Result<Option<Employee>, OpError> {
        self.require(Permission::ViewStaff)?;
        let employee = self.store().employee_by_emp_no(emp_no)?;
        self.if_visible(employee)
    }

    /// Everything the write would find wrong with `record` against the
    /// organisation as stored now (a number or ID someone holds, a manager
    /// who left…), without writing: so a form can show every problem at
    /// once, its own format problems and these, on the first `enter`. The
    /// write checks again inside its transaction.
    pub fn check_employee(&self, record: &Employee) -> Result<Vec<FieldProblem>, OpError> {
        self.require(Permission::EditStaff)?;
        let directory = directory_around(
            self.store(),
            Around {
                people: vec![Some(record.id), record.manager],
                emp_nos: vec![record.emp_no.clone()],
                claims: Some(record),
                reports_of: None,
            },
        )?;
        Ok(directory.check(record))
    }
}

/// A lifecycle event checked against the organisation, ready to write.
pub(super) struct CheckedEvent {
    pub after: Employee,
    pub kind: EventKind,
    pub changes: Vec<FieldChange>,
}

/// Who wrote an event, when, from when it counts, and what the log says
/// of its timing (`backdated`, `took_effect …`).
pub(super) struct Stamp<'a> {
    pub operator: &'a str,
    pub recorded_at: DateTime<Utc>,
    pub effective: NaiveDate,
    pub note: String,
}

/// A lifecycle event to record: the record as it should leave it.
pub(super) struct Plan {
    pub kind: EventKind,
    pub effective: NaiveDate,
    pub after: Employee,
    /// Whom a leaver's reports move to.
    pub new_manager: Option<EmployeeId>,
}

/// Checks `plan` against the organisation and the person's timeline (their
/// history and scheduled events, but for `skip`) as `w` sees it; returns
/// the person as they are and the events to write: a leaver's reports'
/// transfers, then the event itself.
pub(super) fn prepare(
    w: &Writer<'_>,
    plan: &Plan,
    today: NaiveDate,
    skip: Option<ScheduledId>,
) -> Result<(Employee, Vec<CheckedEvent>), OpError> {
    let id = plan.after.id;
    let departure = matches!(plan.kind, EventKind::Departure { .. });
    let directory = directory_around(
        w,
        Around {
            people: vec![Some(id), plan.after.manager, plan.new_manager],
            emp_nos: vec![plan.after.emp_no.clone()],
            claims: Some(&plan.after),
            reports_of: departure.then_some(id),
        },
    )?;
    let person = known(&directory, id)?.clone();
    let history = w.history(id)?;
    let scheduled: Vec<Scheduled> = w
        .all_scheduled()?
        .into_iter()
        .filter(|item| item.blocked.is_none() && Some(item.id) != skip)
        .collect();
    let steps: Vec<Step<'_>> = history
        .iter()
        .map(|event| Step {
            kind: &event.kind,
            effective: event.effective,
        })
        .chain(scheduled.iter().filter_map(|item| match &item.change {
            Pending::Event { kind, base, .. } if base.id == id => Some(Step {
                kind,
                effective: item.effective,
            }),
            _ => None,
        }))
        .collect();
    let status = timeline::fit(&plan.kind, plan.effective, person.hire_date, &steps, today)?;
    let mut events = Vec::new();
    if departure {
        events = reassignments(&directory, &person, plan.new_manager)?;
    }
    events.push(checked_event(
        &directory,
        plan.kind.clone(),
        plan.after.clone(),
        status,
    )?);
    Ok((person, events))
}

fn not_found(id: EmployeeId) -> OpError {
    OpError::Store(StoreError::NotFound {
        entity: "employee",
        id: id.to_string(),
    })
}

fn known(directory: &Directory, id: EmployeeId) -> Result<&Employee, StoreError> {
    directory.get(id).ok_or(StoreError::NotFound {
        entity: "employee",
        id: id.to_string(),
    })
}

/// Checks the record `after` leaves with `status` (its id names the person).
fn checked_event(
    directory: &Directory,
    kind: EventKind,
    after: Employee,
    status: Status,
) -> Result<CheckedEvent, OpError> {
    let before = known(directory, after.id)?;
    let after = Employee { status, ..after };
    let problems = directory.check(&after);
    if !problems.is_empty() {
        return Err(OpError::Invalid(problems));
    }
    let changes = before.diff(&after, directory);
    Ok(CheckedEvent {
        after,
        kind,
        changes,
    })
}

/// The transfers that move the leaver's active reports to `new_manager`;
/// refused when there are reports and nobody to move them to.
fn reassignments(
    directory: &Directory,
    leaver: &Employee,
    new_manager: Option<EmployeeId>,
) -> Result<Vec<CheckedEvent>, OpError> {
    let reports = directory.active_reports(leaver.id);
    if reports.is_empty() {
        return Ok(Vec::new());
    }
    let Some(new_manager) = new_manager else {
        return Err(LifecycleError::ManagesActiveStaff {
            name: leaver.name.clone(),
            reports: reports.len(),
        }
        .into());
    };
    if new_manager == leaver.id {
        return Err(OpError::Invalid(vec![FieldProblem::new(
            Field::Manager,
            tr!("staff.check.manager_is_leaving", name = leaver.name),
        )]));
    }
    reports
        .into_iter()
        .map(|report| {
            let moved = Employee {
                manager: Some(new_manager),
                ..report.clone()
            };
            checked_event(directory, EventKind::Transfer, moved, report.status)
        })
        .collect()
}

/// The problems of an invalid record, for messages that need one line.
pub fn describe(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {}", p.field.label(), p.message))
        .collect::<Vec<_>>()
        .join("; ")
}
