//! `hrdesk export KIND [FILE]`: its arguments and their checks, and
//! departments and the audit log as CSV or JSON (staff, goals, cycles,
//! scores, bindings and vendors have modules of their own), on standard
//! output or into a new file. Column names are identifiers, not translated.

use std::io::Write;
use std::ops::ControlFlow;
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
/// [`ExportArgs::only`]): to standard output, or, with a file named, into
/// that new file as the rows are made (never over one that exists; where
/// the operator may write, see [`exchange`]; removed again when the export
/// fails), saying on standard error how many lines went there.
pub fn run(session: &Session, args: &ExportArgs, only: Only<'_>) -> Result<ExitCode, Failure> {
    let Some(file) = &args.file else {
        return write_kind(session, args.kind, args.format, only);
    };
    let mut exported = None;
    let mut lines = 0;
    let placed = exchange::fill_new(file, |into| {
        let (result, filled) =
            super::out::into_file(into, || write_kind(session, args.kind, args.format, only));
        filled.notes.iter().for_each(|line| super::out::note(line));
        lines = filled.lines;
        let failed = result.is_err();
        exported = Some(result);
        match failed {
            // Removes the file; the export's own failure is told below.
            true => Err(std::io::ErrorKind::Other.into()),
            false => filled.file,
        }
    });
    // The export's own failure is the one to tell (its file is gone).
    let exported = exported.transpose()?;
    let path = placed.map_err(write_failed)?;
    super::out::note(&tr!(
        "cli.exported_to",
        lines = lines,
        path = path.display()
    ));
    Ok(exported.unwrap_or(ExitCode::SUCCESS))
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
        ExportKind::AuditLog => stream_rows(format, |rows| {
            Ok(session.each_audit_entry(|entry| rows.push(&AuditRow::of(&entry)))?)
        })?,
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

/// Rows written to the command's standard output as they are handed
/// over, the same bytes as [`write_each`]: for exports that visit their
/// records in the store's order instead of iterating a list, so that a
/// million of them are never held (each row is written as it comes, and
/// may borrow from the record it was made of).
pub struct RowStream {
    form: Form,
    /// The first write that failed: nothing more is written.
    failed: Option<std::io::Error>,
}

enum Form {
    Csv(Box<CsvRows<super::out::Out>>),
    Json {
        out: std::io::BufWriter<super::out::Out>,
        first: bool,
    },
}

impl RowStream {
    /// Rows in `format` (CSV or JSON).
    fn new(format: Format) -> Result<Self, Failure> {
        let out = super::out::stdout();
        let form = match format {
            Format::Csv => Form::Csv(Box::new(CsvRows::new(out))),
            Format::Json => Form::Json {
                out: std::io::BufWriter::with_capacity(1 << 16, out),
                first: true,
            },
            Format::Md => return Err(super::vendors::md_for_vendors_only()),
        };
        Ok(RowStream { form, failed: None })
    }

    /// Writes `row`; breaks once a write failed (the reader went away, the
    /// disk is full), and writes nothing more.
    pub fn push(&mut self, row: &impl Serialize) -> ControlFlow<()> {
        if self.failed.is_some() {
            return ControlFlow::Break(());
        }
        let written = match &mut self.form {
            Form::Csv(csv) => csv.write(row),
            Form::Json { out, first } => batch_text(std::iter::once(row), Format::Json, *first)
                .and_then(|text| {
                    *first = false;
                    out.write_all(text.as_bytes())
                }),
        };
        match written {
            Ok(()) => ControlFlow::Continue(()),
            Err(err) => {
                self.failed = Some(err);
                ControlFlow::Break(())
            }
        }
    }

    /// Closes the document; how the writing went.
    fn finish(self) -> std::io::Result<()> {
        if let Some(err) = self.failed {
            return Err(err);
        }
        match self.form {
            Form::Csv(csv) => csv.finish(),
            Form::Json { mut out, first } => {
                writeln!(out, "{}", if first { "[]" } else { "\n]" })?;
                out.flush()
            }
        }
    }
}

/// Streams the rows `visit` pushes in `format` (see [`RowStream`]).
pub fn stream_rows(
    format: Format,
    visit: impl FnOnce(&mut RowStream) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut rows = RowStream::new(format)?;
    visit(&mut rows)?;
    written_out(rows.finish())
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

    /// Rows pushed one at a time are the bytes of the rows written at
    /// once, in CSV and JSON, none, one or several.
    #[test]
    fn rows_pushed_as_records_are_visited_are_the_rows_written_at_once() {
        let lines = [
            ("张伟", Some(88.5)),
            ("=1+1", None),
            ("O'Brien, Pat", Some(1.0)),
        ]
        .map(|(name, score)| Line { name, score });
        for count in 0..=lines.len() {
            for format in [Format::Csv, Format::Json] {
                let mut whole = Vec::new();
                assert!(write_each(&mut whole, lines[..count].iter(), format).is_ok());
                let (pushed, captured) = super::super::out::capture(|| {
                    stream_rows(format, |rows| {
                        lines[..count].iter().for_each(|line| {
                            assert!(rows.push(line).is_continue());
                        });
                        Ok(())
                    })
                });
                assert!(pushed.is_ok());
                assert_eq!(
                    String::from_utf8(captured.out).unwrap(),
                    String::from_utf8(whole).unwrap(),
                    "{count} rows in {format:?}"
                );
            }
        }
    }

    /// The rows reach the file while the records are still being visited
    /// (an export never holds them all); once a write fails, every push
    /// breaks and the export says why.
    #[test]
    fn pushed_rows_leave_as_they_come_and_a_failed_write_stops_the_visit() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("rows.csv");
        let line = Line {
            name: "张伟",
            score: Some(1.5),
        };
        let file = std::fs::File::create(&path).unwrap();
        let (streamed, filled) = super::super::out::into_file(file, || {
            stream_rows(Format::Csv, |rows| {
                for _ in 0..20_000 {
                    assert!(rows.push(&line).is_continue());
                }
                let on_disk = std::fs::metadata(&path).unwrap().len();
                assert!(on_disk > 100_000, "only {on_disk} bytes written so far");
                Ok(())
            })
        });
        assert!(streamed.is_ok());
        assert_eq!(filled.lines, 20_001);

        let read_only = std::fs::File::open(&path).unwrap();
        let mut pushed = 0;
        let (streamed, _) = super::super::out::into_file(read_only, || {
            stream_rows(Format::Csv, |rows| {
                while rows.push(&line).is_continue() {
                    pushed += 1;
                }
                assert!(rows.push(&line).is_break(), "nothing after a failure");
                Ok(())
            })
        });
        assert!(
            pushed < 20_000,
            "stopped at the first failed write: {pushed}"
        );
        assert!(streamed.is_err());
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
