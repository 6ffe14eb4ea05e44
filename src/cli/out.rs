//! Where the headless commands write: standard output and standard error;
//! while a command runs inside the console (`:import ratings …`), buffers
//! of that thread the console shows as a report; or, for an export into a
//! file, that file as the rows come (an export of a million rows is never
//! held). Every command writes through [`stdout`] and [`note`], never to
//! the process's streams directly, so that one in the console never
//! writes over its screen.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufWriter, Write};

/// What a command run by [`capture`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Captured {
    /// What it wrote to its standard output.
    pub out: Vec<u8>,
    /// Its notes for standard error, one line each.
    pub notes: Vec<String>,
}

/// What a command run by [`into_file`] wrote: its standard output went
/// to the file.
#[derive(Debug)]
pub struct Filled {
    /// The file, its buffer flushed; or why it could not be.
    pub file: io::Result<File>,
    /// How many lines went into it.
    pub lines: usize,
    /// Its notes for standard error, one line each.
    pub notes: Vec<String>,
}

/// Where this thread's command writes instead of the process's streams.
enum Sink {
    Kept(Captured),
    Filling {
        file: BufWriter<File>,
        lines: usize,
        notes: Vec<String>,
    },
}

impl Sink {
    fn notes(&mut self) -> &mut Vec<String> {
        match self {
            Sink::Kept(captured) => &mut captured.notes,
            Sink::Filling { notes, .. } => notes,
        }
    }
}

thread_local! {
    static CAPTURE: RefCell<Option<Sink>> = const { RefCell::new(None) };
}

/// Runs `command` with `sink` taking what it writes; the sink as it left it.
fn redirected<R>(sink: Sink, command: impl FnOnce() -> R) -> (R, Option<Sink>) {
    let outer = CAPTURE.replace(Some(sink));
    let result = command();
    (result, CAPTURE.replace(outer))
}

/// Runs `command`, keeping what it writes instead of printing it.
pub fn capture<R>(command: impl FnOnce() -> R) -> (R, Captured) {
    match redirected(Sink::Kept(Captured::default()), command) {
        (result, Some(Sink::Kept(captured))) => (result, captured),
        (result, _) => (result, Captured::default()),
    }
}

/// Runs `command`, its standard output written into `file` as it comes
/// (its notes kept).
pub fn into_file<R>(file: File, command: impl FnOnce() -> R) -> (R, Filled) {
    let sink = Sink::Filling {
        file: BufWriter::with_capacity(1 << 16, file),
        lines: 0,
        notes: Vec::new(),
    };
    match redirected(sink, command) {
        (result, Some(Sink::Filling { file, lines, notes })) => {
            let file = file.into_inner().map_err(io::IntoInnerError::into_error);
            (result, Filled { file, lines, notes })
        }
        // The command's sink is put back as it was given: never reached.
        (result, _) => {
            let file = Err(io::ErrorKind::NotFound.into());
            let notes = Vec::new();
            (
                result,
                Filled {
                    file,
                    lines: 0,
                    notes,
                },
            )
        }
    }
}

/// The command's standard output: the process's, or the capture's.
pub fn stdout() -> Out {
    Out
}

/// A note for standard error (with its control characters escaped).
pub fn note(line: &str) {
    let line = crate::text::escape_controls(line).into_owned();
    let kept = CAPTURE.with_borrow_mut(|sink| match sink {
        Some(sink) => {
            sink.notes().push(line.clone());
            true
        }
        None => false,
    });
    if !kept {
        eprintln!("{line}");
    }
}

/// A writer to the command's standard output (see [`stdout`]).
pub struct Out;

impl Write for Out {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        CAPTURE.with_borrow_mut(|sink| match sink {
            Some(Sink::Kept(captured)) => {
                captured.out.extend_from_slice(bytes);
                Ok(bytes.len())
            }
            Some(Sink::Filling { file, lines, .. }) => {
                let written = file.write(bytes)?;
                *lines += memchr::memchr_iter(b'\n', &bytes[..written]).count();
                Ok(written)
            }
            None => io::stdout().lock().write(bytes),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        CAPTURE.with_borrow_mut(|sink| match sink {
            Some(Sink::Kept(_)) => Ok(()),
            Some(Sink::Filling { file, .. }) => file.flush(),
            None => io::stdout().lock().flush(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_captured_command_writes_nothing_to_the_process() {
        let (answer, captured) = capture(|| {
            writeln!(stdout(), "row one").unwrap();
            note("skipped \x1b[2J row");
            42
        });
        assert_eq!(answer, 42);
        assert_eq!(captured.out, b"row one\n");
        assert_eq!(captured.notes, vec!["skipped \\u{1b}[2J row".to_string()]);
    }

    #[test]
    fn captures_nest_and_end() {
        let (_, outer) = capture(|| {
            write!(stdout(), "a").unwrap();
            let (_, inner) = capture(|| write!(stdout(), "b").unwrap());
            assert_eq!(inner.out, b"b");
            write!(stdout(), "c").unwrap();
        });
        assert_eq!(outer.out, b"ac");
    }

    #[test]
    fn a_command_into_a_file_writes_there_as_it_goes_inside_a_capture_too() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.csv");
        let (_, outer) = capture(|| {
            write!(stdout(), "before ").unwrap();
            let file = File::create(&path).unwrap();
            let (answer, filled) = into_file(file, || {
                write!(stdout(), "a,b\n1,").unwrap();
                note("a note");
                writeln!(stdout(), "2").unwrap();
                7
            });
            assert_eq!(answer, 7);
            assert_eq!(filled.lines, 2);
            assert_eq!(filled.notes, vec!["a note".to_string()]);
            assert!(filled.file.is_ok(), "flushed");
            write!(stdout(), "after").unwrap();
        });
        assert_eq!(std::fs::read(&path).unwrap(), b"a,b\n1,2\n");
        assert_eq!(outer.out, b"before after", "nothing of the file's");
        assert!(outer.notes.is_empty());
    }
}
