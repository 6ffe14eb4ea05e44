//! `hrdesk import staff FILE` and `hrdesk export staff`: staff records in and
//! out as spreadsheets, with the same columns both ways so that an export
//! imports again unchanged.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;

use serde::Serialize;

use super::export::{print_lines, write_rows, written_out};
use super::sheet::{sheet_failure, sheet_text};
use super::{
    Access, Failure, Format, SheetArgs, draft_session, in_memory_session, open_session, read_file,
    require_db,
};
use crate::config::settings::Paths;
use crate::domain::department::DepartmentId;
use crate::domain::employee::{Employee, EmployeeId, EmployeeView, Field, MASKED, Names};
use crate::export::CsvRows;
use crate::import::{Column, read_staff};
use crate::service::access::Permission;
use crate::service::{ImportOptions, ImportOutcome, ImportSummary, Progress, RowProblem, Session};
use crate::store::Draft;
use crate::tr;
use foldhash::HashMap;

/// `import staff FILE`: checks every row, then writes in one transaction.
pub fn run_import(
    sheet: &SheetArgs,
    options: ImportOptions,
    db: Option<PathBuf>,
    paths: &Paths,
) -> Result<ExitCode, Failure> {
    let dry_run = options.dry_run;
    let file = sheet.file.as_path();
    let text = sheet_text::<Column>(sheet)?;
    let db = require_db(db, paths)?;
    let import = |session: Session, options| {
        session
            .import_staff_rows(&text.columns(), text.rows(), options, &Progress::new())
            .map_err(|err| sheet_failure(file, err))
    };
    // A database that does not exist yet is only made by a clean import: a
    // dry run is checked against an empty one in memory, an import written
    // to a draft that takes the database's name once it is clean.
    let outcome = if db.exists() {
        import(open_session(&db, Access::Existing)?, options)?
    } else if dry_run {
        import(in_memory_session()?, options)?
    } else {
        let draft = Draft::beside(&db);
        let outcome = import(draft_session(&draft, &db)?, options)?;
        if let ImportOutcome::Clean(_) = outcome {
            draft.publish()?;
        }
        outcome
    };
    report(file, outcome)
}

/// `import staff FILE` into the database of the console's `session`.
pub fn import_on(
    session: &Session,
    sheet: &SheetArgs,
    options: ImportOptions,
) -> Result<ExitCode, Failure> {
    let records = read_sheet(sheet)?;
    report(&sheet.file, session.import_staff(&records, options)?)
}

/// The staff sheet `args` names, read.
fn read_sheet(args: &SheetArgs) -> Result<crate::import::Sheet, Failure> {
    let bytes = read_file(args)?;
    read_staff(&bytes)
        .map_err(|e| Failure::new(Failure::INVALID, format!("{}: {e}", args.file.display())))
}

/// Prints what the import of `file` did or found; refused sheets fail.
fn report(file: &Path, outcome: ImportOutcome) -> Result<ExitCode, Failure> {
    match outcome {
        ImportOutcome::Problems(problems) => {
            print_problems(file, &problems)?;
            Err(Failure::new(
                Failure::INVALID,
                tr!("staff.import.refused", count = problems.len()),
            ))
        }
        ImportOutcome::Clean(summary) => {
            print_summary(&summary);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_problems(file: &Path, problems: &[RowProblem]) -> Result<(), Failure> {
    print_lines(problems.iter().map(|problem| {
        let column = problem
            .column
            .map_or_else(String::new, |c| format!(" {}:", c.code()));
        format!(
            "{}:{}:{column} {}",
            file.display(),
            problem.line,
            problem.message
        )
    }))
}

fn print_summary(summary: &ImportSummary) {
    say!("{}", summary.describe());
    for line in summary.department_lines() {
        say!("{line}");
    }
}

/// One employee in the import columns, in their order.
#[derive(Serialize)]
struct StaffRow {
    emp_no: String,
    name: String,
    department: String,
    title: String,
    grade: String,
    manager_emp_no: String,
    hire_date: String,
    status: String,
    phone: String,
    email: String,
    national_id: String,
    salary: String,
}

/// Writes every employee the operator may see, one row each, in the import
/// columns; with `as_of`, as they stood on that day (from the timeline).
/// National IDs and salaries are masked for roles that may not see them;
/// for those who may, the export is written to the audit log first. Today's
/// staff as CSV stream (see [`stream_staff_csv`]).
pub fn export_staff(
    session: &Session,
    format: Format,
    as_of: Option<NaiveDate>,
) -> Result<(), Failure> {
    let reveal = session.may(Permission::ViewSensitive);
    let people: Vec<Vec<String>> = match as_of {
        Some(date) => session.staff_as_of(date)?,
        None if format == Format::Csv => return stream_staff_csv(session, reveal),
        None => {
            let directory = session.directory()?;
            directory
                .employees()
                .iter()
                .map(|e| Field::ALL.iter().map(|f| e.value(*f, &directory)).collect())
                .collect()
        }
    };
    let rows: Vec<StaffRow> = people
        .into_iter()
        .map(|values| staff_row(values, reveal))
        .collect();
    if reveal {
        session.log_sensitive_export(rows.len())?;
    }
    write_rows(&mut super::out::stdout(), &rows, format)
}

/// One employee's `values` (in [`Field::ALL`] order) as an export row,
/// sensitive ones masked unless `reveal`.
fn staff_row(values: Vec<String>, reveal: bool) -> StaffRow {
    let mut cells = Field::ALL.into_iter().zip(values).map(|(field, text)| {
        if field.is_sensitive() && !reveal && !text.is_empty() {
            MASKED.to_string()
        } else {
            text
        }
    });
    let mut next = || cells.next().unwrap_or_default();
    StaffRow {
        emp_no: next(),
        name: next(),
        department: next(),
        title: next(),
        grade: next(),
        manager_emp_no: next(),
        hire_date: next(),
        status: next(),
        phone: next(),
        email: next(),
        national_id: next(),
        salary: next(),
    }
}

/// Today's staff as CSV, each row written as it is read from the store:
/// a first pass keeps every visible person's number (one string for all,
/// for the managers' column) and counts them for the audit log, the
/// second writes.
fn stream_staff_csv(session: &Session, reveal: bool) -> Result<(), Failure> {
    let mut numbers = Numbers::default();
    let tree = session.each_visible_employee(|_, e| numbers.add(e.id, e.emp_no))?;
    if reveal {
        session.log_sensitive_export(numbers.ids.len())?;
    }
    let names = ExportNames {
        paths: tree
            .rows()
            .iter()
            .map(|r| (r.department.id, tree.path(r.department.id)))
            .collect(),
        numbers,
    };
    let mut csv = CsvRows::new(super::out::stdout());
    let mut written = Ok(());
    session.each_visible_employee(|_, view| {
        if written.is_ok() {
            let employee = owned(view);
            let values = Field::ALL
                .iter()
                .map(|f| employee.value(*f, &names))
                .collect();
            written = csv.write(&staff_row(values, reveal));
        }
    })?;
    written_out(written.and_then(|()| csv.finish()))
}

/// The record a view reads in place, copied out.
fn owned(view: EmployeeView<'_>) -> Employee {
    Employee {
        id: view.id,
        emp_no: view.emp_no.to_string(),
        name: view.name.to_string(),
        department: view.department,
        title: view.title.to_string(),
        grade: view.grade.to_string(),
        manager: view.manager,
        hire_date: view.hire_date,
        status: view.status,
        phone: view.phone.to_string(),
        email: view.email.to_string(),
        national_id: view.national_id.to_string(),
        salary: view.salary,
    }
}

/// Every visible person's number by id, in id order (as the store hands
/// them out), in one string.
#[derive(Default)]
struct Numbers {
    ids: Vec<EmployeeId>,
    ends: Vec<usize>,
    text: String,
}

impl Numbers {
    fn add(&mut self, id: EmployeeId, emp_no: &str) {
        self.text.push_str(emp_no);
        self.ids.push(id);
        self.ends.push(self.text.len());
    }
}

/// Names for an export row: departments by path, managers by number
/// (none for a manager the operator may not see).
struct ExportNames {
    paths: HashMap<DepartmentId, String>,
    numbers: Numbers,
}

impl Names for ExportNames {
    fn department(&self, id: DepartmentId) -> String {
        self.paths.get(&id).cloned().unwrap_or_default()
    }

    fn emp_no(&self, id: EmployeeId) -> String {
        let numbers = &self.numbers;
        let Ok(at) = numbers.ids.binary_search(&id) else {
            return String::new();
        };
        let start = at.checked_sub(1).map_or(0, |before| numbers.ends[before]);
        numbers.text[start..numbers.ends[at]].to_string()
    }
}
