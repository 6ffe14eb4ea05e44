//! Importing lifecycle events from a sheet (`hrdesk import events`), for
//! reorganisations that move hundreds of people at once. Each row's cells
//! are read first; then every event is recorded, in effective-date order
//! (a day's departures after its other events, so that reports can be
//! moved away from a leaver on the same day), inside one transaction, by
//! the same code as the console's forms: the timeline, the record checks,
//! the departure hooks, scheduling for dates after today. Any problem, and
//! the transaction is dropped: all or nothing. A dry run is the whole run,
//! dropped at the end.

use chrono::{DateTime, NaiveDate, Utc};

use super::access::Permission;
use super::staff::{Plan, Recorded};
use super::{OpError, Session, SheetProblem, Stop};
use crate::domain::audit::AuditRecord;
use crate::domain::cleanup::{parse_date, parse_email, parse_money, parse_phone};
use crate::domain::department::{DepartmentFinder, DepartmentId};
use crate::domain::employee::{
    Employee, EmployeeId, EventKind, Field, LifecycleError, Status, text_problem,
};
use crate::import::{EventWord, EventsColumn, ImportError, SheetColumn, SheetRow, parse_reason};
use crate::store::{RuleReads, Writer};
use crate::tr;

/// What an events sheet did (or, in a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventsTally {
    /// Events that took effect (dated today or before).
    pub recorded: usize,
    /// Events dated after today, scheduled.
    pub scheduled: usize,
    /// New people hired.
    pub hired: usize,
    /// Departures among the recorded events (their hooks ran).
    pub departures: usize,
}

/// The result of checking (and perhaps recording) an events sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum EventsOutcome {
    Clean(EventsTally),
    Problems(Vec<SheetProblem<EventsColumn>>),
}

/// One row, its cells read.
struct EventRow {
    line: usize,
    emp_no: String,
    word: EventWord,
    effective: NaiveDate,
    reason: Option<crate::domain::employee::DepartureReason>,
    note: String,
    name: Option<String>,
    department: Option<DepartmentId>,
    manager: Option<String>,
    title: Option<String>,
    grade: Option<String>,
    salary: Option<i64>,
    phone: Option<String>,
    email: Option<String>,
}

/// Problems found so far.
#[derive(Default)]
struct Problems(Vec<SheetProblem<EventsColumn>>);

impl Problems {
    fn add(&mut self, line: usize, column: Option<EventsColumn>, message: String) {
        self.0.push(SheetProblem {
            line,
            column,
            message,
        });
    }
}

/// The columns each event takes beyond `emp_no, event, effective_date`.
fn takes(word: EventWord, column: EventsColumn) -> bool {
    use EventsColumn as C;
    let changes = [C::Department, C::Manager, C::Title, C::Grade, C::Salary];
    match word {
        EventWord::Hire => {
            changes.contains(&column) || [C::Name, C::Phone, C::Email].contains(&column)
        }
        EventWord::Transfer | EventWord::Promotion | EventWord::Rehire => changes.contains(&column),
        EventWord::Departure => matches!(column, C::Reason | C::Note),
        EventWord::Leave | EventWord::Return => column == C::Note,
    }
}

/// Reads one row's cells; problems go to `problems`.
fn read_row(
    row: &SheetRow<EventsColumn>,
    finder: &DepartmentFinder<'_>,
    problems: &mut Problems,
) -> Option<EventRow> {
    use EventsColumn as C;
    let line = row.line;
    let before = problems.0.len();
    let parsed = |column: C, problems: &mut Problems| -> Option<String> {
        let text = row.get(column)?;
        let field = match column {
            C::EmpNo => Some(Field::EmpNo),
            C::Name => Some(Field::Name),
            C::Title => Some(Field::Title),
            C::Grade => Some(Field::Grade),
            _ => None,
        };
        if let Some(problem) = field.and_then(|field| text_problem(field, text)) {
            problems.add(line, Some(column), problem);
            return None;
        }
        Some(text.to_string())
    };
    let emp_no = parsed(C::EmpNo, problems);
    let word = match row.get(C::Event) {
        Some(text) => EventWord::parse(text).or_else(|| {
            problems.add(
                line,
                Some(C::Event),
                tr!(
                    "staff.events.unknown_event",
                    value = text,
                    known = EventWord::known()
                ),
            );
            None
        }),
        None => None,
    };
    let effective = row.get(C::Effective).and_then(|text| {
        parse_date(text)
            .map_err(|err| problems.add(line, Some(C::Effective), err.to_string()))
            .ok()
    });
    for (column, present) in [
        (C::EmpNo, emp_no.is_some()),
        (C::Event, row.get(C::Event).is_some()),
        (C::Effective, row.get(C::Effective).is_some()),
    ] {
        if !present {
            problems.add(line, Some(column), tr!("staff.check.required"));
        }
    }
    let word = word?;
    for column in C::all().iter().copied().skip(3) {
        if row.get(column).is_some() && !takes(word, column) {
            problems.add(
                line,
                Some(column),
                tr!(
                    "staff.events.not_for_event",
                    column = column.code(),
                    event = event_kind(word, None, String::new()).label()
                ),
            );
        }
    }
    let department = row.get(C::Department).and_then(|text| {
        finder
            .find(text)
            .map_err(|err| problems.add(line, Some(C::Department), err.to_string()))
            .ok()
    });
    let salary = row.get(C::Salary).and_then(|text| {
        parse_money(text)
            .map_err(|err| problems.add(line, Some(C::Salary), err.to_string()))
            .ok()
    });
    let phone = row.get(C::Phone).and_then(|text| {
        parse_phone(text)
            .map_err(|err| problems.add(line, Some(C::Phone), err.to_string()))
            .ok()
    });
    let email = row.get(C::Email).and_then(|text| {
        parse_email(text)
            .map_err(|err| problems.add(line, Some(C::Email), err.to_string()))
            .ok()
    });
    let reason = match (word, row.get(C::Reason)) {
        (EventWord::Departure, None) => {
            problems.add(line, Some(C::Reason), tr!("staff.events.reason_required"));
            None
        }
        (_, Some(text)) => parse_reason(text).or_else(|| {
            problems.add(
                line,
                Some(C::Reason),
                tr!("staff.events.unknown_reason", value = text),
            );
            None
        }),
        (_, None) => None,
    };
    if word == EventWord::Hire {
        for column in [C::Name, C::Department] {
            if row.get(column).is_none() {
                problems.add(line, Some(column), tr!("staff.events.hire_needs"));
            }
        }
    }
    let name = parsed(C::Name, problems);
    let title = parsed(C::Title, problems);
    let grade = parsed(C::Grade, problems);
    let note = row.get(C::Note).unwrap_or_default().to_string();
    if let Some(problem) = text_problem(Field::Title, &note) {
        problems.add(line, Some(C::Note), problem);
    }
    if problems.0.len() > before {
        return None;
    }
    Some(EventRow {
        line,
        emp_no: emp_no?,
        word,
        effective: effective?,
        reason,
        note,
        name,
        department,
        manager: row.get(C::Manager).map(str::to_string),
        title,
        grade,
        salary,
        phone,
        email,
    })
}

/// The lifecycle event a row records.
fn event_kind(
    word: EventWord,
    reason: Option<crate::domain::employee::DepartureReason>,
    note: String,
) -> EventKind {
    match word {
        EventWord::Hire => EventKind::Hire,
        EventWord::Transfer => EventKind::Transfer,
        EventWord::Promotion => EventKind::Promotion,
        EventWord::Leave => EventKind::Leave,
        EventWord::Return => EventKind::Return,
        EventWord::Departure => EventKind::Departure {
            reason: reason.unwrap_or(crate::domain::employee::DepartureReason::Other),
            note,
        },
        EventWord::Rehire => EventKind::Rehire,
    }
}

/// The sheet column a record field is read from.
fn column_of(field: Field) -> Option<EventsColumn> {
    Some(match field {
        Field::EmpNo => EventsColumn::EmpNo,
        Field::Name => EventsColumn::Name,
        Field::Department => EventsColumn::Department,
        Field::Title => EventsColumn::Title,
        Field::Grade => EventsColumn::Grade,
        Field::Manager => EventsColumn::Manager,
        Field::HireDate => EventsColumn::Effective,
        Field::Phone => EventsColumn::Phone,
        Field::Email => EventsColumn::Email,
        Field::Salary => EventsColumn::Salary,
        Field::Status | Field::NationalId => return None,
    })
}

/// Where a refusal of a row's event belongs.
fn row_problems(line: usize, err: OpError, problems: &mut Problems) {
    match err {
        OpError::Invalid(fields) => {
            for problem in fields {
                problems.add(line, column_of(problem.field), problem.message);
            }
        }
        OpError::Lifecycle(LifecycleError::ManagesActiveStaff { name, reports }) => problems.add(
            line,
            None,
            tr!("staff.events.manages", name = name, reports = reports),
        ),
        OpError::Lifecycle(err) => {
            problems.add(line, Some(EventsColumn::Effective), err.to_string())
        }
        other => problems.add(line, None, other.to_string()),
    }
}

impl Session {
    /// Checks an events sheet and, when every row fits and this is not a
    /// dry run, records it (see the module docs); `source` names the file
    /// in the log.
    pub fn import_events(
        &self,
        rows: impl Iterator<Item = Result<SheetRow<EventsColumn>, ImportError>>,
        source: &str,
        dry_run: bool,
    ) -> Result<EventsOutcome, OpError> {
        self.require(Permission::EditStaff)?;
        let tree = self.department_tree()?;
        let finder = DepartmentFinder::new(&tree);
        let mut unread = Problems::default();
        let mut events: Vec<EventRow> = Vec::new();
        for row in rows {
            events.extend(read_row(&row?, &finder, &mut unread));
        }
        events.sort_by_key(|row| (row.effective, row.word == EventWord::Departure, row.line));
        let today = self.today();
        let recorded_at = self.now();
        // Rows that could not be read are left out, and what the others
        // would meet is still found: every problem is told at once.
        self.write_or_stop(|w| {
            let mut tally = EventsTally::default();
            let mut problems = Problems(unread.0);
            for row in &events {
                match self.record_row(w, row, today, recorded_at) {
                    Ok(Recorded::Scheduled { .. }) => tally.scheduled += 1,
                    Ok(Recorded::Effective(_)) if row.word == EventWord::Hire => tally.hired += 1,
                    Ok(Recorded::Effective(_)) => {
                        tally.recorded += 1;
                        tally.departures += usize::from(row.word == EventWord::Departure);
                    }
                    Err(OpError::Store(err)) => return Err(Stop::Failed(err.into())),
                    Err(err) => row_problems(row.line, err, &mut problems),
                }
            }
            if !problems.0.is_empty() {
                problems.0.sort_by_key(|problem| problem.line);
                return Err(Stop::Answer(EventsOutcome::Problems(problems.0)));
            }
            if dry_run {
                return Err(Stop::Answer(EventsOutcome::Clean(tally)));
            }
            w.audit(
                AuditRecord::new("staff.import_events", "employee", "*").after(format!(
                    "file={source} rows={} recorded={} scheduled={} hired={}",
                    events.len(),
                    tally.recorded,
                    tally.scheduled,
                    tally.hired
                )),
            )?;
            Ok(EventsOutcome::Clean(tally))
        })
    }

    /// Records one row's event inside `w`.
    fn record_row(
        &self,
        w: &mut Writer<'_>,
        row: &EventRow,
        today: NaiveDate,
        recorded_at: DateTime<Utc>,
    ) -> Result<Recorded, OpError> {
        let missing = |emp_no: &str, column| {
            OpError::Invalid(vec![crate::domain::directory::FieldProblem::new(
                column,
                tr!("staff.check.no_employee", emp_no = emp_no),
            )])
        };
        let manager = match &row.manager {
            Some(emp_no) => Some(
                w.employee_id_for(emp_no)?
                    .ok_or_else(|| missing(emp_no, Field::Manager))?,
            ),
            None => None,
        };
        if row.word == EventWord::Hire {
            let record = Employee {
                id: EmployeeId(0),
                emp_no: row.emp_no.clone(),
                name: row.name.clone().unwrap_or_default(),
                department: row.department.unwrap_or(DepartmentId(0)),
                title: row.title.clone().unwrap_or_default(),
                grade: row.grade.clone().unwrap_or_default(),
                manager,
                hire_date: row.effective,
                status: Status::Active,
                phone: row.phone.clone().unwrap_or_default(),
                email: row.email.clone().unwrap_or_default(),
                national_id: String::new(),
                salary: row.salary,
            };
            return self
                .hire_in(w, &record, recorded_at)
                .map(Recorded::Effective);
        }
        let id = w
            .employee_id_for(&row.emp_no)?
            .ok_or_else(|| missing(&row.emp_no, Field::EmpNo))?;
        let current = w
            .employee(id)?
            .ok_or_else(|| missing(&row.emp_no, Field::EmpNo))?;
        let after = Employee {
            department: row.department.unwrap_or(current.department),
            manager: manager.or(current.manager),
            title: row.title.clone().unwrap_or_else(|| current.title.clone()),
            grade: row.grade.clone().unwrap_or_else(|| current.grade.clone()),
            salary: row.salary.or(current.salary),
            hire_date: if row.word == EventWord::Rehire {
                row.effective
            } else {
                current.hire_date
            },
            ..current
        };
        let plan = Plan {
            kind: event_kind(row.word, row.reason, row.note.clone()),
            effective: row.effective,
            after,
            new_manager: None,
        };
        self.record_in(w, &plan, today, recorded_at)
    }
}
