//! The records of a CSV or tab-separated sheet, read from any source (text
//! in memory, or a file as it is read) with the line each starts on and
//! every cell checked and cleaned. Lines are counted from the line breaks
//! the reader passes (`\r\n`, `\n` or a lone `\r`), remembering only those
//! it has read ahead of the record it gives: a file is never held whole.

use std::collections::VecDeque;
use std::io::{BufRead, Read};

use csv::{Position, ReaderBuilder, StringRecord};

use super::ImportError;
use crate::domain::cleanup::{clean_text, control_character, unguard};

/// A record's line and cleaned cells.
pub(super) type Cells = (usize, Vec<String>);

/// The records of `text` with their starting lines, each cell cleaned.
pub(super) fn records(text: &str) -> Records<&[u8]> {
    Records::new(text.as_bytes(), delimiter(text.as_bytes()))
}

/// The records of `text` that are not blank.
pub(super) fn non_blank(text: &str) -> impl Iterator<Item = Result<Cells, ImportError>> + '_ {
    skip_blank(records(text))
}

/// The records of `records` that are not blank.
pub(super) fn skip_blank(
    records: impl Iterator<Item = Result<Cells, ImportError>>,
) -> impl Iterator<Item = Result<Cells, ImportError>> {
    records.filter(|r| !r.as_ref().is_ok_and(|(_, cells)| is_blank(cells)))
}

pub(super) fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(String::is_empty)
}

/// A tab when the first non-blank line of `source` has tabs and no commas;
/// else a comma. Only the first megabyte is looked at.
pub(super) fn delimiter(source: impl Read) -> u8 {
    let mut lines = std::io::BufReader::new(source.take(1 << 20)).lines();
    let header = lines.find(|line| !line.as_ref().is_ok_and(|l| l.trim().is_empty()));
    match header {
        Some(Ok(line)) if line.contains('\t') && !line.contains(',') => b'\t',
        _ => b',',
    }
}

/// The records read from a source, with their lines.
pub(super) struct Records<R: Read> {
    reader: csv::Reader<LineBreaks<R>>,
    record: StringRecord,
}

impl<R: Read> Records<R> {
    /// Records separated by `delimiter`, read from `source`.
    pub(super) fn new(source: R, delimiter: u8) -> Self {
        let reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(LineBreaks::new(source));
        Records {
            reader,
            record: StringRecord::new(),
        }
    }
}

impl<R: Read> Iterator for Records<R> {
    type Item = Result<Cells, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.reader.get_mut().line_of(self.record.position());
                let cells = self
                    .record
                    .iter()
                    .enumerate()
                    .map(|(index, raw)| cell(line, index + 1, raw))
                    .collect::<Result<_, _>>();
                Some(cells.map(|cells| (line, cells)))
            }
            Err(error) => Some(Err(match error.kind() {
                csv::ErrorKind::Io(io) => ImportError::Unreadable(io.to_string()),
                _ => ImportError::Malformed {
                    line: self.reader.get_mut().line_of(error.position()),
                },
            })),
        }
    }
}

/// One cell as read: refused if it holds a control character, else
/// cleaned, with the `'` an export's formula guard put before it removed.
fn cell(line: usize, column: usize, raw: &str) -> Result<String, ImportError> {
    if let Some((at, c)) = control_character(raw) {
        return Err(ImportError::ControlCharacter {
            line,
            column,
            at,
            character: c.escape_unicode().to_string(),
        });
    }
    Ok(unguard(clean_text(raw)))
}

/// A source that notes where each line-break byte it passes on is, so the
/// reader's byte positions can be turned into the line where a record's
/// first cell is. (The CSV reader's own line numbers count from where it
/// began reading, before the line ends and blank lines it skips.)
/// Positions come in increasing order: the breaks before one are counted
/// and forgotten.
struct LineBreaks<R> {
    source: R,
    /// Bytes passed on so far.
    passed: u64,
    /// The `\r` and `\n` bytes passed on and not yet counted: where, which.
    breaks: VecDeque<(u64, u8)>,
    /// A byte offset already counted up to, and the line it is on.
    byte: u64,
    line: usize,
}

impl<R> LineBreaks<R> {
    fn new(source: R) -> Self {
        LineBreaks {
            source,
            passed: 0,
            breaks: VecDeque::new(),
            byte: 0,
            line: 1,
        }
    }

    /// The line of the record read from `position` on (after the line ends
    /// it starts with).
    fn line_of(&mut self, position: Option<&Position>) -> usize {
        let from = position.map_or(self.byte, Position::byte);
        let mut start = from;
        for &(at, _) in self.breaks.iter().skip_while(|&&(at, _)| at < from) {
            if at != start {
                break;
            }
            start += 1;
        }
        while let Some(&(at, byte)) = self.breaks.front() {
            if at >= start {
                break;
            }
            self.breaks.pop_front();
            let crlf = byte == b'\r' && self.breaks.front() == Some(&(at + 1, b'\n'));
            if !crlf {
                self.line += 1;
            }
        }
        self.byte = start.max(self.byte);
        self.line
    }
}

impl<R: Read> Read for LineBreaks<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.source.read(buf)?;
        for at in memchr::memchr2_iter(b'\r', b'\n', &buf[..read]) {
            self.breaks.push_back((self.passed + at as u64, buf[at]));
        }
        self.passed += read as u64;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A source that gives at most `step` bytes a read, as a file read in
    /// pieces does at its buffer's edges.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// Each record's line as read in pieces of `step` bytes.
    fn lines(text: &str, step: usize) -> Vec<usize> {
        let trickle = Trickle {
            bytes: text.as_bytes(),
            step,
        };
        Records::new(trickle, b',')
            .map(|r| r.map(|(line, _)| line).unwrap_or(0))
            .collect()
    }

    /// Each record's line counted in the text itself: the line breaks
    /// before its first cell (after the line ends it starts with).
    fn lines_by_hand(text: &str) -> Vec<usize> {
        let breaks =
            |t: &str| t.matches('\n').count() + t.matches('\r').count() - t.matches("\r\n").count();
        ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .into_byte_records()
            .map(|record| {
                let from = record.map_or(0, |r| r.position().map_or(0, |p| p.byte() as usize));
                let rest = &text[from..];
                let start = from + rest.len() - rest.trim_start_matches(['\r', '\n']).len();
                1 + breaks(&text[..start])
            })
            .collect()
    }

    #[test]
    fn records_start_on_the_line_their_first_cell_is_on() {
        let text = "a,b\r\n\r\n1,2\n\n\"x\ny\",3\r4,5\n";
        assert_eq!(lines(text, 4096), [1, 3, 5, 7]);
        assert_eq!(lines(text, 1), [1, 3, 5, 7]);
    }

    proptest! {
        /// Read in pieces of any size, each record starts on the line its
        /// first cell is on in the text.
        #[test]
        fn a_sheet_read_in_pieces_has_the_same_lines(
            pieces in proptest::collection::vec(
                prop_oneof!["a", "\"q\r\nq\"", ",", "\r\n", "\n", "\r", " "],
                0..40,
            ),
            step in 1usize..7,
        ) {
            let text: String = pieces.concat();
            prop_assert_eq!(lines(&text, step), lines_by_hand(&text));
        }
    }
}
