//! Rows written out as CSV, the same for the command line (`hrdesk export
//! …` on standard output) and the console (a file written from a view):
//! flat records whose text cells pass the formula guard ([`cells`]), and
//! the audit log's row ([`audit`]).

pub mod audit;
pub mod cells;

use std::io::Write;

use serde::Serialize;

use cells::Row;

/// Writes `rows` as CSV under a header of their field names, each text
/// cell through the formula guard (a spreadsheet shows `=HYPERLINK(…)` as
/// text instead of running it; the importers take the guard off again).
pub fn write_csv<T: Serialize>(out: &mut impl Write, rows: &[T]) -> std::io::Result<()> {
    let mut csv = CsvRows::new(out);
    rows.iter().try_for_each(|record| csv.write(record))?;
    csv.finish()
}

/// [`write_csv`] a row at a time, for rows made as they are written (an
/// export of a million people never holds them all).
pub struct CsvRows<W: Write> {
    writer: csv::Writer<W>,
    row: Row,
    started: bool,
}

impl<W: Write> CsvRows<W> {
    pub fn new(out: W) -> Self {
        CsvRows {
            writer: csv::Writer::from_writer(out),
            row: Row::default(),
            started: false,
        }
    }

    /// Rows that continue ones written before: no header.
    pub fn continuing(out: W) -> Self {
        CsvRows {
            started: true,
            ..CsvRows::new(out)
        }
    }

    /// Writes `record` (the header first, before the first record).
    pub fn write<T: Serialize>(&mut self, record: &T) -> std::io::Result<()> {
        self.row.read(record).map_err(std::io::Error::other)?;
        if !self.started {
            self.writer.write_record(&self.row.names)?;
            self.started = true;
        }
        self.writer.write_record(self.row.cells())?;
        Ok(())
    }

    /// Flushes what is written.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// A moment as exports write it: RFC 3339 in the configured zone, with its
/// offset (`2026-11-23T17:30:00+08:00`).
pub fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::zone::current().local(at).to_rfc3339()
}
