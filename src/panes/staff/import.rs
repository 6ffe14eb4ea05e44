//! `import staff FILE [--dry-run] [--update] [--create-departments]` from
//! the command palette: the sheet is checked first; problems open a report,
//! a clean sheet asks for confirmation, and only then is it written (checked
//! again, in one transaction). Reading, checking and writing run as a job
//! off the console's thread (see [`crate::app::job`]), with progress and
//! `esc` to cancel; a cancelled import writes nothing.

use std::path::PathBuf;

use super::{ID, StaffView};
use crate::app::Confirm;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::report::Report;
use crate::import::{Sheet, read_staff};
use crate::service::{ImportOptions, ImportOutcome, RowProblem};
use crate::tr;

/// What the palette line asked to import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRequest {
    pub path: PathBuf,
    pub options: ImportOptions,
}

impl ImportRequest {
    /// Parses the words after `import`: `staff`, options, then the file
    /// (which may contain spaces; `~/` is the home directory).
    pub fn parse(argument: &str) -> Result<ImportRequest, String> {
        let mut words = argument.split_whitespace();
        if words.next() != Some("staff") {
            return Err(tr!("staff.import.palette_usage"));
        }
        let mut options = ImportOptions::default();
        let mut path = Vec::new();
        for word in words {
            match word {
                "--dry-run" => options.dry_run = true,
                "--update" => options.update = true,
                "--create-departments" => options.create_departments = true,
                flag if flag.starts_with("--") => {
                    return Err(tr!("staff.import.unknown_option", option = flag));
                }
                part => path.push(part),
            }
        }
        if path.is_empty() {
            return Err(tr!("staff.import.palette_usage"));
        }
        let path = path.join(" ");
        let path = match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
            (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
            _ => PathBuf::from(path),
        };
        Ok(ImportRequest { path, options })
    }
}

/// One report line per problem: `line 12 · phone: not a phone number`.
fn problem_lines(problems: &[RowProblem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| match p.column {
            Some(column) => tr!(
                "staff.import.problem_at",
                line = p.line,
                column = column.code(),
                message = p.message
            ),
            None => tr!(
                "staff.import.problem_line",
                line = p.line,
                message = p.message
            ),
        })
        .collect()
}

/// What an import job hands back: what was asked, whether it wrote, and
/// what came of it (or why the file could not be read).
pub(super) struct Imported {
    request: ImportRequest,
    write: bool,
    outcome: Result<ImportOutcome, String>,
}

/// The sheet in the file at `path`, or why it cannot be read.
fn read_sheet(path: &std::path::Path) -> Result<Sheet, String> {
    let shown = path.display();
    crate::team::exchange::read(path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| read_staff(&bytes).map_err(|e| format!("{shown}: {e}")))
}

impl StaffView {
    /// Runs `import …` typed in the palette.
    pub(super) fn import_from_palette(&mut self, desk: &mut Desk, argument: &str) {
        match ImportRequest::parse(argument) {
            Ok(request) => self.import_staff(desk, request, false),
            Err(message) => desk.error(message),
        }
    }

    /// Checks the sheet (and, once `confirmed`, writes it) as a job.
    pub(super) fn import_staff(
        &mut self,
        desk: &mut Desk,
        request: ImportRequest,
        confirmed: bool,
    ) {
        let write = confirmed && !request.options.dry_run;
        let options = ImportOptions {
            dry_run: !write,
            ..request.options
        };
        let file = request.path.file_name().map_or_else(
            || request.path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        let label = if write {
            tr!("job.importing", file = file)
        } else {
            tr!("job.checking", file = file)
        };
        desk.run_job(ID, label, move |session, progress| {
            let outcome = match read_sheet(&request.path) {
                Ok(sheet) => Ok(session.import_staff_with(&sheet, options, progress)?),
                Err(message) => Err(message),
            };
            Ok(Imported {
                request,
                write,
                outcome,
            })
        });
    }

    /// Shows what an import job found or wrote; a clean check asks before writing.
    pub(super) fn imported(&mut self, desk: &mut Desk, imported: Imported) {
        let Imported {
            request,
            write,
            outcome,
        } = imported;
        let shown = request.path.display().to_string();
        match outcome {
            Ok(ImportOutcome::Problems(problems)) => {
                let title = tr!("staff.import.report_title", path = shown);
                let mut lines = vec![tr!("staff.import.refused", count = problems.len())];
                lines.extend(problem_lines(&problems));
                desk.report(Report::new(title, lines));
            }
            Ok(ImportOutcome::Clean(summary)) if write => {
                desk.info(summary.describe_all());
                desk.wrote(Changes::staff());
            }
            Ok(ImportOutcome::Clean(summary)) if request.options.dry_run => {
                desk.info(summary.describe_all());
            }
            Ok(ImportOutcome::Clean(summary)) => {
                desk.ask(Confirm::of(
                    ID,
                    tr!("staff.import.confirm_title"),
                    format!(
                        "{shown}: {} {}",
                        summary.describe_all(),
                        tr!("staff.import.confirm_question")
                    ),
                    request,
                ));
            }
            Err(message) => desk.error(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_lines_parse_into_a_file_and_options() {
        let request = ImportRequest::parse("staff --update /tmp/my staff.csv --dry-run").unwrap();
        assert_eq!(request.path, PathBuf::from("/tmp/my staff.csv"));
        assert!(request.options.update && request.options.dry_run);
        assert!(!request.options.create_departments);
        assert!(ImportRequest::parse("staff").is_err());
        assert!(ImportRequest::parse("goals x.csv").is_err());
        assert!(ImportRequest::parse("staff x.csv --force").is_err());
    }
}
