//! Importing a staff sheet: every row is checked (values, duplicates
//! within the file and against the database, departments, managers and
//! their loops); any problem and nothing is written. A clean sheet goes in
//! as one transaction: new departments if asked, new employees with their
//! hire event, and with `update` changed employees with a correction event.
//! The rows stream: `check` reads and checks them on one thread while
//! `write` writes the clean ones on another, and `ledger` keeps what the
//! whole-file checks need in a few bytes per row.

mod check;
mod ledger;
mod write;

use std::sync::mpsc;

use foldhash::HashMap;

use check::{Against, Checked, check_rows};
use write::RowWriter;

use super::staff::whole_directory;
use super::{OpError, Progress, Session, Stop};
use crate::domain::audit::AuditRecord;
use crate::domain::cleanup::{self, ValueError};
use crate::domain::department::{
    DepartmentFinder, DepartmentId, DepartmentTree, FindError, normalize_name,
};
use crate::domain::directory::Directory;
use crate::domain::employee::{Employee, EmployeeId, Names, Status, text_problem};
use crate::import::{Column, ImportError, RawRow, Sheet};
use crate::service::access::Permission;
use crate::store::StoreError;
use crate::tr;

/// What the command line or the palette asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Check only; write nothing.
    pub dry_run: bool,
    /// Rows whose employee number exists change that employee.
    pub update: bool,
    /// Departments that do not exist are created (by their path).
    pub create_departments: bool,
}

/// One problem of the sheet: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub column: Option<Column>,
    pub message: String,
}

/// What a clean import did (or, for a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub created_departments: Vec<String>,
    pub written: bool,
}

impl ImportSummary {
    /// A line per department the import created (or, not written yet,
    /// would create), with its path.
    pub fn department_lines(&self) -> Vec<String> {
        self.created_departments
            .iter()
            .map(|path| {
                if self.written {
                    tr!("staff.import.department_created", path = path)
                } else {
                    tr!("staff.import.department_to_create", path = path)
                }
            })
            .collect()
    }

    /// What was written, or what a dry run would write, with the
    /// departments created, as one line.
    pub fn describe_all(&self) -> String {
        std::iter::once(self.describe())
            .chain(self.department_lines())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// One line: what was written, or what a dry run would write.
    pub fn describe(&self) -> String {
        if self.written {
            tr!(
                "staff.import.done",
                inserted = self.inserted,
                updated = self.updated,
                unchanged = self.unchanged
            )
        } else {
            tr!(
                "staff.import.dry_run",
                inserted = self.inserted,
                updated = self.updated,
                unchanged = self.unchanged
            )
        }
    }
}

/// The result of checking (and perhaps writing) a sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    Clean(ImportSummary),
    Problems(Vec<RowProblem>),
}

/// Where a row's department is: already there, or to be created.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Place {
    Existing(DepartmentId),
    New(Vec<String>),
}

/// A row whose values all parsed.
#[derive(Clone, Debug)]
struct Planned {
    line: usize,
    record: Employee,
    place: Place,
    manager_emp_no: Option<String>,
    existing: Option<EmployeeId>,
}

/// Collects problems while rows are checked, and how many of them are
/// rows of people already in the database (without `--update`).
struct Problems(Vec<RowProblem>, usize);

impl Problems {
    fn add(&mut self, line: usize, column: Column, message: String) {
        self.0.push(RowProblem {
            line,
            column: Some(column),
            message,
        });
    }

    /// The value of `column`, parsed; a problem is noted when it does not parse.
    fn parse<T>(
        &mut self,
        row: &RawRow,
        column: Column,
        parse: impl Fn(&str) -> Result<T, ValueError>,
    ) -> Option<T> {
        let text = row.get(column)?;
        match parse(text) {
            Ok(value) => Some(value),
            Err(err) => {
                self.add(row.line, column, err.to_string());
                None
            }
        }
    }

    /// The text of a required column; a problem is noted when it is missing.
    fn required<'r>(&mut self, row: &'r RawRow, column: Column) -> Option<&'r str> {
        let text = row.get(column);
        if text.is_none() {
            self.add(row.line, column, tr!("staff.check.required"));
        }
        text
    }
}

/// The path parts of a department reference, each a valid name; a path
/// that does not begin at a top-level department begins under the company
/// when the tree has one top (a new `物流部` goes under it, not beside it).
fn path_parts(reference: &str, tree: &DepartmentTree) -> Result<Vec<String>, String> {
    let parts = reference
        .split('/')
        .map(|part| normalize_name(part).map_err(|e| e.to_string()))
        .collect::<Result<Vec<String>, String>>()?;
    let tops: Vec<&str> = tree
        .children(None)
        .iter()
        .filter_map(|&id| tree.get(id).map(|d| d.name.as_str()))
        .collect();
    let at_top = |name: &str| {
        tops.iter()
            .any(|top| top.to_lowercase() == name.to_lowercase())
    };
    match tops[..] {
        [company] if !parts.first().is_some_and(|first| at_top(first)) => {
            Ok(std::iter::once(company.to_string()).chain(parts).collect())
        }
        _ => Ok(parts),
    }
}

impl Session {
    /// Checks `sheet` and, when clean and not a dry run, writes it in one
    /// transaction (see [`Session::import_staff_rows`]).
    pub fn import_staff(
        &self,
        sheet: &Sheet,
        options: ImportOptions,
    ) -> Result<ImportOutcome, OpError> {
        self.import_staff_with(sheet, options, &Progress::new())
    }

    /// [`Session::import_staff`] counting rows checked on `progress`, and stopping with [`OpError::Cancelled`] once it is
    /// cancelled, so a cancelled import writes nothing.
    pub fn import_staff_with(
        &self,
        sheet: &Sheet,
        options: ImportOptions,
        progress: &Progress,
    ) -> Result<ImportOutcome, OpError> {
        progress.start(sheet.rows.len());
        let rows = managers_first(&sheet.rows).into_iter().cloned().map(Ok);
        self.import_staff_rows(&sheet.columns, rows, options, progress)
    }

    /// Checks the staff rows `rows` (of a sheet with `columns`) as they are
    /// read and, when clean and not a dry run, writes them in one
    /// transaction: one thread checks while this one writes what was found
    /// clean, and a problem anywhere (or a row that cannot be read, or a
    /// cancel) rolls everything back. The rows are checked inside that
    /// transaction, against the company as it is when the import commits;
    /// a dry run checks against a snapshot and writes nothing. Whatever
    /// the number of rows, only compact marks of each are kept (see
    /// `ledger`), never the rows. Each row read counts on `progress`.
    pub fn import_staff_rows(
        &self,
        columns: &[Column],
        rows: impl Iterator<Item = Result<RawRow, ImportError>> + Send,
        options: ImportOptions,
        progress: &Progress,
    ) -> Result<ImportOutcome, OpError> {
        self.require(Permission::EditStaff)?;
        if options.dry_run {
            let directory = self.full_directory()?;
            let after = directory.employees().iter().map(|e| e.id.0).max();
            let against = Against {
                directory: &directory,
                options,
                columns,
                first: EmployeeId(after.unwrap_or(0) + 1),
            };
            let checked = pipeline(rows, &against, progress, |_| Ok(()))?;
            progress.check()?;
            return Ok(outcome(checked));
        }
        let today = crate::zone::current().today(self.now());
        self.write_or_stop(|w| {
            let directory = whole_directory(w)?;
            let against = Against {
                directory: &directory,
                options,
                columns,
                first: w.reserve_employee_ids(0)?,
            };
            let mut writer = RowWriter::new(w, &directory, today);
            let checked = pipeline(rows, &against, progress, |batch| writer.write(batch))?;
            progress.check()?;
            let Checked {
                problems,
                mut summary,
                held,
                managers,
            } = checked;
            if !problems.is_empty() {
                return Err(Stop::Answer(ImportOutcome::Problems(problems)));
            }
            writer.write(held)?;
            writer.set_managers(&managers)?;
            let created = std::mem::take(&mut writer.created);
            w.audit(
                AuditRecord::new(
                    "staff.import",
                    "staff",
                    summary.inserted + summary.updated + summary.unchanged,
                )
                .after(format!(
                    "inserted={} updated={} unchanged={} departments_created={}",
                    summary.inserted,
                    summary.updated,
                    summary.unchanged,
                    created.len()
                )),
            )?;
            summary.created_departments = created.into_iter().map(|(_, path)| path).collect();
            summary.written = true;
            // The last look before the commit: cancelled now, nothing is written.
            progress.check()?;
            Ok(ImportOutcome::Clean(summary))
        })
    }
}

/// The rows of a sheet held whole, a manager new in it before their
/// reports (the file's order among rows of the same depth): new people get
/// their ids top down, as the demo company and the console always gave
/// them. A streamed sheet is taken in its own order.
fn managers_first(rows: &[RawRow]) -> Vec<&RawRow> {
    let index: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, row)| Some((row.get(Column::EmpNo)?, i)))
        .collect();
    let depth = |start: usize| {
        let mut depth = 0;
        let mut cursor = rows[start].get(Column::Manager);
        while let Some(&boss) = cursor.and_then(|no| index.get(no)) {
            depth += 1;
            if depth > rows.len() {
                break;
            }
            cursor = rows[boss].get(Column::Manager);
        }
        depth
    };
    let mut ordered: Vec<(usize, &RawRow)> = (0..rows.len()).map(depth).zip(rows).collect();
    // A stable sort keeps the file's order among rows of the same depth.
    ordered.sort_by_key(|(depth, _)| *depth);
    ordered.into_iter().map(|(_, row)| row).collect()
}

/// The outcome of a check: its problems, or what it does.
fn outcome(checked: Checked) -> ImportOutcome {
    if checked.problems.is_empty() {
        ImportOutcome::Clean(checked.summary)
    } else {
        ImportOutcome::Problems(checked.problems)
    }
}

/// Runs the check of `rows` on a thread of its own, handing each batch of
/// clean rows to `write` on this one as it comes (at most a few batches
/// wait between the two). A failed write stops the check from handing on.
fn pipeline(
    rows: impl Iterator<Item = Result<RawRow, ImportError>> + Send,
    against: &Against<'_>,
    progress: &Progress,
    mut write: impl FnMut(Vec<Planned>) -> Result<(), StoreError>,
) -> Result<Checked, OpError> {
    let (send, receive) = mpsc::sync_channel::<Vec<Planned>>(QUEUED_BATCHES);
    let (checked, written) = crate::cores::both(
        move || check_rows(rows, against, progress, |batch| send.send(batch).is_ok()),
        // The receiver goes with this side's end: a check still handing
        // on stops.
        move || receive.iter().try_for_each(&mut write),
    );
    written?;
    Ok(checked?)
}

/// Batches of checked rows waiting to be written, at most.
const QUEUED_BATCHES: usize = 4;

/// Department lookups by the text a sheet gives, each distinct text found
/// once (a sheet names few departments many times).
struct PlaceCache<'f> {
    finder: &'f DepartmentFinder<'f>,
    found: HashMap<String, Result<DepartmentId, FindError>>,
}

impl PlaceCache<'_> {
    fn find(&mut self, reference: &str) -> Result<DepartmentId, FindError> {
        if let Some(found) = self.found.get(reference) {
            return found.clone();
        }
        let found = self.finder.find(reference);
        self.found.insert(reference.to_string(), found.clone());
        found
    }
}

/// Parses one row into a planned record; notes its problems.
fn plan_row(
    row: &RawRow,
    finder: &mut PlaceCache<'_>,
    directory: &Directory,
    options: ImportOptions,
    problems: &mut Problems,
) -> Option<Planned> {
    let before = problems.0.len();
    for column in Column::ALL {
        if let Some(message) = row.get(column).and_then(|text| text_problem(column, text)) {
            problems.add(row.line, column, message);
        }
    }
    let emp_no = problems.required(row, Column::EmpNo);
    let name = problems.required(row, Column::Name);
    let place = problems
        .required(row, Column::Department)
        .and_then(|reference| match finder.find(reference) {
            Ok(id) => Some(Place::Existing(id)),
            Err(FindError::NotFound(_)) if options.create_departments => {
                match path_parts(reference, &directory.tree) {
                    Ok(parts) => Some(Place::New(parts)),
                    Err(message) => {
                        problems.add(row.line, Column::Department, message);
                        None
                    }
                }
            }
            Err(err) => {
                let hint = if matches!(err, FindError::NotFound(_)) {
                    format!(" {}", tr!("staff.import.create_hint"))
                } else {
                    String::new()
                };
                problems.add(row.line, Column::Department, format!("{err}{hint}"));
                None
            }
        });
    let hire_date = problems
        .required(row, Column::HireDate)
        .and_then(|_| problems.parse(row, Column::HireDate, cleanup::parse_date));
    let status = match row.get(Column::Status) {
        None => Some(Status::Active),
        Some(text) => Status::parse(text).or_else(|| {
            problems.add(
                row.line,
                Column::Status,
                tr!("staff.import.bad_status", value = text),
            );
            None
        }),
    };
    let phone = problems.parse(row, Column::Phone, cleanup::parse_phone);
    let email = problems.parse(row, Column::Email, cleanup::parse_email);
    let national_id = problems.parse(row, Column::NationalId, cleanup::parse_national_id);
    let salary = problems.parse(row, Column::Salary, cleanup::parse_money);
    if problems.0.len() > before {
        return None;
    }
    let (emp_no, name, place, hire_date, status) = (emp_no?, name?, place?, hire_date?, status?);
    let existing = directory.by_emp_no(emp_no).map(|e| e.id);
    if existing.is_some() && !options.update {
        problems.add(
            row.line,
            Column::EmpNo,
            tr!("staff.import.exists", emp_no = emp_no),
        );
        problems.1 += 1;
        return None;
    }
    let department = match &place {
        Place::Existing(id) => *id,
        Place::New(_) => DepartmentId(0),
    };
    Some(Planned {
        line: row.line,
        record: Employee {
            id: existing.unwrap_or(EmployeeId(0)),
            emp_no: emp_no.to_string(),
            name: name.to_string(),
            department,
            title: row.get(Column::Title).unwrap_or_default().to_string(),
            grade: row.get(Column::Grade).unwrap_or_default().to_string(),
            manager: None,
            hire_date,
            status,
            phone: phone.unwrap_or_default(),
            email: email.unwrap_or_default(),
            national_id: national_id.unwrap_or_default(),
            salary,
        },
        place,
        manager_emp_no: row.get(Column::Manager).map(str::to_string),
        existing,
    })
}

/// For an existing employee, the columns the sheet does not have keep their
/// current values (a sheet of numbers and salaries changes only salaries).
fn keep_absent_columns(mut row: Planned, columns: &[Column], directory: &Directory) -> Planned {
    let Some(current) = row.existing.and_then(|id| directory.get(id)) else {
        return row;
    };
    let r = &mut row.record;
    for column in Column::ALL.iter().filter(|c| !columns.contains(c)) {
        match column {
            Column::Title => r.title = current.title.clone(),
            Column::Grade => r.grade = current.grade.clone(),
            Column::Status => r.status = current.status,
            Column::Phone => r.phone = current.phone.clone(),
            Column::Email => r.email = current.email.clone(),
            Column::NationalId => r.national_id = current.national_id.clone(),
            Column::Salary => r.salary = current.salary,
            Column::Manager => {
                row.manager_emp_no = current.manager.map(|m| directory.emp_no(m));
            }
            // Required columns are always present.
            Column::EmpNo | Column::Name | Column::Department | Column::HireDate => {}
        }
    }
    row
}

/// A change of an existing person's status is a lifecycle event (a leave,
/// a return, a departure with its date, reason and consequences, a
/// rehire), never a correction made by `--update`: refused with where to
/// record it instead.
fn status_change(row: &Planned, directory: &Directory) -> Option<String> {
    let current = row.existing.and_then(|id| directory.get(id))?;
    (current.status != row.record.status).then(|| {
        tr!(
            "staff.import.status_change",
            from = current.status.label(),
            to = row.record.status.label()
        )
    })
}

/// Whether a row leaves an existing record as it is.
fn same_record(
    current: &Employee,
    incoming: &Employee,
    row: &Planned,
    directory: &Directory,
) -> bool {
    let manager_no = current
        .manager
        .and_then(|m| directory.get(m))
        .map(|m| m.emp_no.clone());
    let place_same = row.place == Place::Existing(current.department);
    Employee {
        manager: current.manager,
        department: current.department,
        ..incoming.clone()
    } == *current
        && manager_no == row.manager_emp_no
        && place_same
}
