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
    let mut writer = csv::Writer::from_writer(out);
    let mut row = Row::default();
    for (index, record) in rows.iter().enumerate() {
        row.read(record).map_err(std::io::Error::other)?;
        if index == 0 {
            writer.write_record(&row.names)?;
        }
        writer.write_record(row.cells())?;
    }
    writer.flush()
}

/// A moment as exports write it: RFC 3339 in the configured zone, with its
/// offset (`2026-11-23T17:30:00+08:00`).
pub fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::zone::current().local(at).to_rfc3339()
}
