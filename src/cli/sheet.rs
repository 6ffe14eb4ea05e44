//! What every sheet import on the command line shares: opening a sheet
//! file to be read as its rows are asked for, and printing its outcome
//! (the problems as `FILE:LINE: column: reason` and exit 1, or the
//! summary line).

use std::path::Path;
use std::process::ExitCode;

use super::export::print_lines;
use super::{Failure, SheetArgs, file_failure, read_file};
use crate::import::{ImportError, SheetColumn, SheetText};
use crate::service::{OpError, SheetOutcome, SheetProblem};
use crate::team::exchange;
use crate::tr;

/// Prints a sheet's outcome: its problems as `FILE:LINE: column: reason`
/// (exit 1, nothing written), or the summary line.
pub fn report<C: SheetColumn>(
    file: &Path,
    outcome: SheetOutcome<C>,
    summary: impl Fn(usize, usize) -> String,
) -> Result<ExitCode, Failure> {
    match outcome {
        SheetOutcome::Problems(problems) => refuse(file, &problems),
        SheetOutcome::Clean { rows, people } => {
            print_lines([summary(rows, people)])?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints a sheet's problems as `FILE:LINE: column: reason` and refuses
/// it: exit 1, nothing written.
pub fn refuse<C: SheetColumn>(
    file: &Path,
    problems: &[SheetProblem<C>],
) -> Result<ExitCode, Failure> {
    print_problems(
        file,
        problems
            .iter()
            .map(|p| (p.line, p.column.map(C::code), p.message.as_str())),
    )?;
    Err(Failure::new(
        Failure::INVALID,
        tr!("scoring.import.refused", count = problems.len()),
    ))
}

/// Prints a sheet's problems, each `(line, column, reason)`, as
/// `FILE:LINE: column: reason`.
pub fn print_problems<'p>(
    file: &Path,
    problems: impl IntoIterator<Item = (usize, Option<&'static str>, &'p str)>,
) -> Result<(), Failure> {
    print_lines(problems.into_iter().map(|(line, column, message)| {
        let column = column.map_or_else(String::new, |c| format!(" {c}:"));
        format!("{}:{line}:{column} {message}", file.display())
    }))
}

/// How the log names an imported file: its name, without the folders.
pub fn source_name(file: &Path) -> String {
    file.file_name().map_or_else(
        || file.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// The sheet `args` names, its header read, its rows to be read as they
/// are imported: from the file itself when it is a text file (so a file
/// of a million rows is not held), else from its bytes read whole.
pub fn sheet_text<C: SheetColumn>(args: &SheetArgs) -> Result<SheetText<C>, Failure> {
    let refused = |e: ImportError| sheet_failure(&args.file, e.into());
    if args.file != Path::new("-")
        && let Some(file) = exchange::open(&args.file).map_err(file_failure)?
        && let Some(text) = SheetText::open(file, args.sheet.as_deref()).map_err(refused)?
    {
        return Ok(text);
    }
    let bytes = read_file(args)?;
    SheetText::read(bytes).map_err(refused)
}

/// A failed import of `file`; a row that cannot be read is told with the
/// file's name, as a sheet that cannot be read at all.
pub fn sheet_failure(file: &Path, err: OpError) -> Failure {
    match err {
        OpError::Sheet(e) => Failure::new(Failure::INVALID, format!("{}: {e}", file.display())),
        other => other.into(),
    }
}
