//! `hrdesk import staff FILE` and `hrdesk export staff`: staff records in and
//! out as spreadsheets, with the same columns both ways so that an export
//! imports again unchanged.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;

use serde::Serialize;

use super::export::{print_lines, write_rows};
use super::{
    Access, Failure, Format, SheetArgs, in_memory_session, open_session, read_file, require_db,
};
use crate::config::settings::Paths;
use crate::domain::employee::{Field, MASKED};
use crate::import::{StaffText, read_staff};
use crate::service::access::Permission;
use crate::service::{
    ImportOptions, ImportOutcome, ImportSummary, OpError, Progress, RowProblem, Session,
};
use crate::tr;

/// `import staff FILE`: checks every row, then writes in one transaction.
pub fn run_import(
    sheet: &SheetArgs,
    options: ImportOptions,
    db: Option<PathBuf>,
    paths: &Paths,
) -> Result<ExitCode, Failure> {
    let dry_run = options.dry_run;
    let file = sheet.file.as_path();
    let text = read_text(sheet)?;
    let db = require_db(db, paths)?;
    let import = |session: Session, options| {
        session
            .import_staff_rows(&text.columns(), text.rows(), options, &Progress::new())
            .map_err(|err| sheet_failure(file, err))
    };
    // A database that does not exist yet is only created for a clean import:
    // a dry run or a refused sheet is checked against an empty one in memory.
    let outcome = if db.exists() {
        import(open_session(&db, Access::Existing)?, options)?
    } else {
        let check = ImportOptions {
            dry_run: true,
            ..options
        };
        match import(in_memory_session()?, check)? {
            ImportOutcome::Clean(_) if !dry_run => {
                import(open_session(&db, Access::CreateIfMissing)?, options)?
            }
            checked => checked,
        }
    };
    report(file, outcome)
}

/// The staff sheet `args` names, its header read, its rows to be read as
/// they are imported.
fn read_text(args: &SheetArgs) -> Result<StaffText, Failure> {
    let bytes = read_file(args)?;
    StaffText::read(bytes).map_err(|e| sheet_failure(&args.file, e.into()))
}

/// A failed import of `file`; a row that cannot be read is told with the
/// file's name, as a sheet that cannot be read at all.
fn sheet_failure(file: &Path, err: OpError) -> Failure {
    match err {
        OpError::Sheet(e) => Failure::new(Failure::INVALID, format!("{}: {e}", file.display())),
        other => other.into(),
    }
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
/// for those who may, the export is written to the audit log first.
pub fn export_staff(
    session: &Session,
    format: Format,
    as_of: Option<NaiveDate>,
) -> Result<(), Failure> {
    let reveal = session.may(Permission::ViewSensitive);
    let people: Vec<Vec<String>> = match as_of {
        Some(date) => session.staff_as_of(date)?,
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
        .map(|values| {
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
        })
        .collect();
    if reveal {
        session.log_sensitive_export(rows.len())?;
    }
    write_rows(&mut super::out::stdout(), &rows, format)
}
