//! `hrdesk export KIND [FILE]`: its arguments and their checks, and
//! departments and the audit log as CSV or JSON (staff, goals, cycles,
//! scores, bindings and vendors have modules of their own), on standard
//! output or into a new file. Column names are identifiers, not translated.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::{Access, ExportKind, Failure, Format};
use crate::domain::goal::Period;
use crate::export::CsvRows;
use crate::export::audit::AuditRow;
pub use crate::export::rfc3339;
use crate::service::Session;
use crate::team::exchange;
use crate::tr;

#[derive(Serialize)]
struct DepartmentOut {
    id: u64,
    name: String,
    path: String,
    parent_id: Option<u64>,
    /// The head as people read it: `E000001 周建国`, or a flagged note.
    head: String,
}

/// What `export` is asked for, as the command line (or the console's
/// palette) says it.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(help = tr!("cli.help.export_kind"))]
    pub kind: ExportKind,
    /// A new file to write (none: standard output).
    #[arg(value_name = "FILE", help = tr!("cli.help.export_file"))]
    pub file: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Csv, help = tr!("cli.help.format"))]
    pub format: Format,
    #[arg(long, value_name = "PERIOD", help = tr!("cli.help.period"))]
    pub period: Option<String>,
    #[arg(long, value_name = "NAME", help = tr!("cli.help.cycle"))]
    pub cycle: Option<String>,
    #[arg(long, help = tr!("cli.help.reveal"))]
    pub reveal: bool,
    #[arg(long, help = tr!("cli.help.resend"))]
    pub resend: bool,
    #[arg(long, value_name = "NAME", help = tr!("vendor_cli.help.project"))]
    pub project: Option<String>,
    #[arg(long, value_name = "DATE", help = tr!("cli.help.export_as_of"))]
    pub as_of: Option<String>,
}

impl ExportArgs {
    /// What the export is narrowed to, once every option was checked
    /// against the kind (a usage error names the one that does not fit).
    pub fn only(&self) -> Result<Only<'_>, Failure> {
        let kind = self.kind;
        let period = super::goals::parse_period(self.period.as_deref())?;
        let as_of = self
            .as_of
            .as_ref()
            .map(|text| {
                crate::domain::cleanup::parse_date(text)
                    .map_err(|err| Failure::new(Failure::USAGE, format!("--as-of: {err}")))
            })
            .transpose()?;
        let misplaced = [
            (
                as_of.is_some() && kind != ExportKind::Staff,
                "cli.as_of_for_staff",
            ),
            (
                period.is_some() && kind != ExportKind::Goals,
                "cli.period_for_goals",
            ),
            (
                self.cycle.is_some() != matches!(kind, ExportKind::Scores | ExportKind::Ratings),
                "cli.cycle_for_scores",
            ),
            (
                self.reveal && kind != ExportKind::Bindings,
                "cli.reveal_for_bindings",
            ),
            (
                self.resend && kind != ExportKind::UnbindNotices,
                "cli.resend_for_notices",
            ),
            (
                self.file.is_some() && kind == ExportKind::UnbindNotices,
                "cli.notices_to_stdout",
            ),
        ];
        if let Some((_, key)) = misplaced.iter().find(|(wrong, _)| *wrong) {
            return Err(Failure::new(Failure::USAGE, crate::i18n::text(key)));
        }
        super::vendors::check_export(kind, self.format, self.project.is_some())?;
        Ok(Only {
            period,
            cycle: self.cycle.as_deref(),
            reveal: self.reveal,
            resend: self.resend,
            project: self.project.as_deref(),
            as_of,
        })
    }
}

/// What an export is narrowed to, or asked to show.
pub struct Only<'a> {
    /// Goals of this period only.
    pub period: Option<Period>,
    /// The cycle whose scores to export.
    pub cycle: Option<&'a str>,
    /// Bindings' account ids unmasked (admin only; logged).
    pub reveal: bool,
    /// Unbinding notices sent already, sent again.
    pub resend: bool,
    /// The selection project whose vendors to export (all when None).
    pub project: Option<&'a str>,
    /// The day staff are exported as of (today when None).
    pub as_of: Option<chrono::NaiveDate>,
}

/// How an export of `kind` opens the database: staff (unmasked for
/// whoever may see national IDs and salaries), scores (with bonus amounts
/// for the same people) and bindings log themselves in the audit log;
/// every other export only reads.
pub fn access(kind: ExportKind) -> Access {
    match kind {
        ExportKind::Staff
        | ExportKind::Scores
        | ExportKind::Bindings
        | ExportKind::UnbindNotices => Access::Existing,
        ExportKind::Departments
        | ExportKind::Goals
        | ExportKind::Cycles
        | ExportKind::Ratings
        | ExportKind::Courses
        | ExportKind::AuditLog
        | ExportKind::Vendors => Access::ReadOnly,
    }
}

/// Runs `export` as `args` ask, narrowed to `only` (see
/// [`ExportArgs::only`]): to standard output, or, with a file named, all
/// of it into that new file (never over one that exists; where the
/// operator may write, see [`exchange`]), saying on standard error how
/// many lines went there.
pub fn run(session: &Session, args: &ExportArgs, only: Only<'_>) -> Result<ExitCode, Failure> {
    let Some(file) = &args.file else {
        return write_kind(session, args.kind, args.format, only);
    };
    let (exported, captured) =
        super::out::capture(|| write_kind(session, args.kind, args.format, only));
    captured
        .notes
        .iter()
        .for_each(|line| super::out::note(line));
    let code = exported?;
    let path =
        exchange::write_new(file, |out| out.write_all(&captured.out)).map_err(write_failed)?;
    let lines = captured.out.iter().filter(|&&b| b == b'\n').count();
    super::out::note(&tr!(
        "cli.exported_to",
        lines = lines,
        path = path.display()
    ));
    Ok(code)
}

/// Writes the records of `kind` in `format` to the command's standard output.
fn write_kind(
    session: &Session,
    kind: ExportKind,
    format: Format,
    only: Only<'_>,
) -> Result<ExitCode, Failure> {
    let Only {
        period,
        cycle,
        reveal,
        resend,
        project,
        as_of,
    } = only;
    let mut out = super::out::stdout();
    match kind {
        ExportKind::Staff => super::staff::export_staff(session, format, as_of)?,
        ExportKind::Goals => super::goals::export_goals(session, period, format)?,
        ExportKind::Cycles => super::scoring::export_cycles(session, format)?,
        ExportKind::Courses => super::scoring::export_courses(session, format)?,
        ExportKind::Bindings => super::bindings::export_bindings(session, format, reveal)?,
        ExportKind::UnbindNotices => {
            return super::notices::export_unbind_notices(session, format, resend);
        }
        ExportKind::Vendors => super::vendors::export_vendors(session, format, project)?,
        ExportKind::Scores => {
            let cycle =
                cycle.ok_or_else(|| Failure::new(Failure::USAGE, tr!("cli.cycle_for_scores")))?;
            super::scoring::export_scores(session, cycle, format)?
        }
        ExportKind::Ratings => {
            let cycle =
                cycle.ok_or_else(|| Failure::new(Failure::USAGE, tr!("cli.cycle_for_scores")))?;
            super::scoring::export_ratings(session, cycle, format)?
        }
        ExportKind::Departments => {
            let tree = session.department_tree()?;
            let rows = tree
                .rows()
                .into_iter()
                .map(|row| {
                    let d = row.department;
                    Ok(DepartmentOut {
                        id: d.id.0,
                        name: d.name.clone(),
                        path: tree.path(d.id),
                        parent_id: d.parent.map(|p| p.0),
                        head: session.head_text(&d.head)?,
                    })
                })
                .collect::<Result<Vec<DepartmentOut>, crate::service::OpError>>()?;
            write_rows(&mut out, &rows, format)?;
        }
        ExportKind::AuditLog => {
            let entries = session.audit_log()?;
            let rows: Vec<AuditRow> = entries.iter().map(AuditRow::of).collect();
            write_rows(&mut out, &rows, format)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn write_failed(err: impl std::fmt::Display) -> Failure {
    Failure::new(Failure::USAGE, tr!("cli.write_failed", reason = err))
}

pub fn write_rows<T: Serialize>(
    out: &mut impl Write,
    rows: &[T],
    format: Format,
) -> Result<(), Failure> {
    write_each(out, rows.iter(), format)
}

/// Writes `rows` as [`write_rows`] does, each as it is made: an export of
/// a million people never holds them all (the JSON array is written an
/// element at a time, the same bytes as the whole array at once).
pub fn write_each<T: Serialize>(
    out: &mut impl Write,
    mut rows: impl Iterator<Item = T>,
    format: Format,
) -> Result<(), Failure> {
    let written = match format {
        Format::Csv => {
            let mut csv = CsvRows::new(&mut *out);
            rows.try_for_each(|row| csv.write(&row))
                .and_then(|()| csv.finish())
        }
        Format::Json => {
            // The serializer writes a few bytes at a time: gathered into
            // blocks, not a system call per line of standard output.
            let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
            let rows = Streamed(std::cell::Cell::new(Some(rows)));
            serde_json::to_writer_pretty(&mut out, &rows)
                .map_err(std::io::Error::other)
                .and_then(|()| writeln!(out))
                .and_then(|()| out.flush())
        }
        Format::Md => return Err(super::vendors::md_for_vendors_only()),
    };
    written_out(written)
}

/// Writes the rows `row` makes of `items` (told each item's place), the
/// same bytes as [`write_each`], their text made two batches at a time,
/// one on each core: an export of a million people in half the time.
pub fn write_batched<T: Sync, R: Serialize>(
    items: &[T],
    row: impl Fn(usize, &T) -> R + Sync,
    format: Format,
) -> Result<(), Failure> {
    const ROWS_PER_BATCH: usize = 4096;
    if format == Format::Md {
        return Err(super::vendors::md_for_vendors_only());
    }
    let piece = |number: usize, batch: &[T]| {
        let first = number * ROWS_PER_BATCH;
        let rows = batch
            .iter()
            .enumerate()
            .map(|(i, item)| row(first + i, item));
        batch_text(rows, format, number == 0)
    };
    let mut out = super::out::stdout();
    let written = made_in_pairs(items, ROWS_PER_BATCH, piece, |text| {
        out.write_all(text.as_bytes())
    })
    .and_then(|()| match format {
        Format::Json if items.is_empty() => writeln!(out, "[]"),
        Format::Json => writeln!(out, "\n]"),
        _ => Ok(()),
    })
    .and_then(|()| out.flush());
    written_out(written)
}

/// The text of one batch of rows as [`write_each`] writes it: in CSV with
/// the header when `first`; in JSON the array's elements, opened by `[`
/// when `first` and by `,` after it, so the batches joined are the array
/// but for its closing `\n]`.
fn batch_text<R: Serialize>(
    rows: impl Iterator<Item = R>,
    format: Format,
    first: bool,
) -> std::io::Result<String> {
    let bytes = match format {
        Format::Json => {
            let array = serde_json::to_string_pretty(&Streamed(std::cell::Cell::new(Some(rows))))
                .map_err(std::io::Error::other)?;
            let elements = array
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix("\n]"))
                .unwrap_or_default();
            return Ok(format!("{}{elements}", if first { '[' } else { ',' }));
        }
        _ => {
            let mut bytes = Vec::new();
            let mut csv = if first {
                CsvRows::new(&mut bytes)
            } else {
                CsvRows::continuing(&mut bytes)
            };
            for row in rows {
                csv.write(&row)?;
            }
            csv.finish()?;
            bytes
        }
    };
    String::from_utf8(bytes).map_err(std::io::Error::other)
}

/// Rows serialized as a sequence as they are made (once: serde hands
/// `serialize` a shared reference, so they are taken out of a cell).
struct Streamed<I>(std::cell::Cell<Option<I>>);

impl<T: Serialize, I: Iterator<Item = T>> Serialize for Streamed<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.take() {
            Some(rows) => serializer.collect_seq(rows),
            None => serializer.collect_seq(std::iter::empty::<T>()),
        }
    }
}

/// What writing an export came to: a reader that stopped early (`hrdesk
/// export staff | head`) is not an error.
pub fn written_out(written: std::io::Result<()>) -> Result<(), Failure> {
    match written {
        Err(err) if is_closed_pipe(&err) => Ok(()),
        other => other.map_err(write_failed),
    }
}

/// Writes `lines` to standard output; a reader that stopped early
/// (`hrdesk check goals | head`) is not an error.
pub fn print_lines(lines: impl IntoIterator<Item = String>) -> Result<(), Failure> {
    print_pieces(lines.into_iter().map(|mut line| {
        line.push('\n');
        line
    }))
}

/// Writes `pieces` to standard output as they are, control characters
/// escaped but line breaks kept (a document written a part at a time);
/// a closed pipe ends it quietly.
pub fn print_pieces(pieces: impl IntoIterator<Item = String>) -> Result<(), Failure> {
    let mut out = super::out::stdout();
    let written = pieces
        .into_iter()
        .try_for_each(|piece| write!(out, "{}", crate::text::escape_controls(&piece)))
        .and_then(|()| out.flush());
    match written {
        Err(err) if is_closed_pipe(&err) => Ok(()),
        other => other.map_err(write_failed),
    }
}

/// `lines` as one text, each line ended.
pub fn joined_lines(lines: impl IntoIterator<Item = String>) -> String {
    lines.into_iter().fold(String::new(), |mut text, line| {
        text.push_str(&line);
        text.push('\n');
        text
    })
}

/// Prints the text `piece` makes of each batch of `items` (told the
/// batch's number), in order; two batches are made at a time, one on each
/// core.
pub fn print_batches<T: Sync>(
    items: &[T],
    per_batch: usize,
    piece: impl Fn(usize, &[T]) -> Result<String, Failure> + Sync,
) -> Result<(), Failure> {
    made_in_pairs(items, per_batch, piece, |text| print_pieces([text]))
}

/// Hands `done` the text `piece` makes of each batch of `items`, in
/// order, making two batches at a time, one on each core.
fn made_in_pairs<T: Sync, E: Send>(
    items: &[T],
    per_batch: usize,
    piece: impl Fn(usize, &[T]) -> Result<String, E> + Sync,
    mut done: impl FnMut(String) -> Result<(), E>,
) -> Result<(), E> {
    let batches: Vec<&[T]> = items.chunks(per_batch.max(1)).collect();
    for (pair, two) in batches.chunks(2).enumerate() {
        let at = 2 * pair;
        let (second, first) = crate::cores::both(
            || two.get(1).map(|batch| piece(at + 1, batch)).transpose(),
            || piece(at, two[0]),
        );
        done(first?)?;
        if let Some(second) = second? {
            done(second)?;
        }
    }
    Ok(())
}

/// Whether `err` is (or wraps) the error a closed pipe gives.
fn is_closed_pipe(err: &std::io::Error) -> bool {
    let inner = err.get_ref().and_then(|e| {
        e.downcast_ref::<csv::Error>()
            .and_then(|c| match c.kind() {
                csv::ErrorKind::Io(io) => Some(io.kind()),
                _ => None,
            })
            .or_else(|| {
                e.downcast_ref::<serde_json::Error>()
                    .and_then(|j| j.io_error_kind())
            })
    });
    err.kind() == std::io::ErrorKind::BrokenPipe || inner == Some(std::io::ErrorKind::BrokenPipe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_made_two_at_a_time_come_out_in_order_numbered() {
        let items: Vec<u32> = (0..10).collect();
        for per_batch in [1, 3, 4, 10, 20] {
            let mut out = Vec::new();
            made_in_pairs(
                &items,
                per_batch,
                |at, batch| Ok::<_, Failure>(format!("{at}:{batch:?} ")),
                |text| {
                    out.push(text);
                    Ok(())
                },
            )
            .unwrap();
            let expected: Vec<String> = items
                .chunks(per_batch)
                .enumerate()
                .map(|(at, batch)| format!("{at}:{batch:?} "))
                .collect();
            assert_eq!(out, expected, "{per_batch} a batch");
        }
        let failed = made_in_pairs(
            &items,
            3,
            |at, _| match at {
                1 => Err(Failure::new(Failure::USAGE, "batch 1".to_string())),
                _ => Ok(at.to_string()),
            },
            |_| Ok(()),
        );
        assert!(failed.is_err(), "a batch that fails stops the rest");
    }

    #[derive(Serialize)]
    struct Line {
        name: &'static str,
        score: Option<f64>,
    }

    /// Rows written as they are made are the bytes of the rows written
    /// at once, in CSV and JSON, none, one or several.
    #[test]
    fn rows_written_one_at_a_time_are_the_whole_rows_written_at_once() {
        let lines = [
            Line {
                name: "张伟",
                score: Some(88.5),
            },
            Line {
                name: "=1+1",
                score: None,
            },
        ];
        for count in 0..=lines.len() {
            let rows = &lines[..count];
            let mut json = Vec::new();
            serde_json::to_writer_pretty(&mut json, rows).unwrap();
            json.push(b'\n');
            let mut csv = Vec::new();
            crate::export::write_csv(&mut csv, rows).unwrap();
            for (format, whole) in [(Format::Json, json), (Format::Csv, csv)] {
                let mut each = Vec::new();
                assert!(write_each(&mut each, rows.iter(), format).is_ok());
                assert_eq!(
                    String::from_utf8(each).unwrap(),
                    String::from_utf8(whole).unwrap(),
                    "{count} rows"
                );
            }
        }
    }

    /// Rows made in batches on both cores are the bytes of the rows
    /// written one at a time, whatever their number against a batch's.
    #[test]
    fn rows_made_in_batches_are_the_rows_written_one_at_a_time() {
        let names = ["张伟", "=1+1", "O'Brien, Pat", "\u{1b}]0;x\u{7}"];
        let line = |at: usize, _: &u8| Line {
            name: names[at % names.len()],
            score: (!at.is_multiple_of(3)).then_some(at as f64 / 4.0),
        };
        for count in [0, 1, 4096, 4097, 10_000] {
            let items = vec![0u8; count];
            for format in [Format::Csv, Format::Json] {
                let mut each = Vec::new();
                let rows = items.iter().enumerate().map(|(at, item)| line(at, item));
                assert!(write_each(&mut each, rows, format).is_ok());
                let (written, captured) =
                    super::super::out::capture(|| write_batched(&items, line, format));
                assert!(written.is_ok());
                assert!(
                    captured.out == each,
                    "{count} rows in {format:?} differ: {}",
                    String::from_utf8_lossy(&captured.out[..captured.out.len().min(200)])
                );
            }
        }
    }
}
