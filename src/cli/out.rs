//! Where the headless commands write: standard output and standard error,
//! or, while a command runs inside the console (`:import ratings …`),
//! buffers of that thread the console shows as a report or writes to a
//! file. Every command writes through [`stdout`] and [`note`], never to
//! the process's streams directly, so that one in the console never
//! writes over its screen.

use std::cell::RefCell;
use std::io::{self, Write};

/// What a command run by [`capture`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Captured {
    /// What it wrote to its standard output.
    pub out: Vec<u8>,
    /// Its notes for standard error, one line each.
    pub notes: Vec<String>,
}

thread_local! {
    static CAPTURE: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// Runs `command`, keeping what it writes instead of printing it.
pub fn capture<R>(command: impl FnOnce() -> R) -> (R, Captured) {
    let outer = CAPTURE.replace(Some(Captured::default()));
    let result = command();
    let captured = CAPTURE.replace(outer).unwrap_or_default();
    (result, captured)
}

/// The command's standard output: the process's, or the capture's.
pub fn stdout() -> Out {
    Out
}

/// A note for standard error (with its control characters escaped).
pub fn note(line: &str) {
    let line = crate::text::escape_controls(line).into_owned();
    let kept = CAPTURE.with_borrow_mut(|capture| match capture {
        Some(captured) => {
            captured.notes.push(line.clone());
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
        let kept = CAPTURE.with_borrow_mut(|capture| match capture {
            Some(captured) => {
                captured.out.extend_from_slice(bytes);
                true
            }
            None => false,
        });
        if kept {
            Ok(bytes.len())
        } else {
            io::stdout().lock().write(bytes)
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().lock().flush()
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
}
