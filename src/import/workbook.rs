//! Workbooks (.xlsx, .xls, .xlsb, .ods, through calamine) read as the CSV
//! Excel would save from them, so that every import reads them with the
//! same header matching, cleaning and checks as a CSV file: the first
//! sheet (or the one named), one CSV line per spreadsheet row so that
//! problems name the rows as the spreadsheet numbers them, dates and
//! numbers taken from the cells' types (a date cell is `2024-03-05`, an
//! employee number typed as a number is `1001`, not `1001.0`).

use std::io::Cursor;

use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};

use super::ImportError;
use super::decode::is_workbook;

/// The bytes of a file with sheet `sheet` chosen: a workbook as the CSV of
/// that sheet; anything else unchanged when no sheet is named, and refused
/// when one is (only a workbook has sheets).
pub fn choose_sheet(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<u8>, ImportError> {
    match sheet {
        None => Ok(bytes),
        Some(name) if !is_workbook(&bytes) => Err(ImportError::SheetOfText(name.to_string())),
        Some(name) => sheet_as_csv(&bytes, Some(name)).map(String::into_bytes),
    }
}

/// Sheet `sheet` (else the first) of the workbook `bytes`, as CSV text.
pub fn sheet_as_csv(bytes: &[u8], sheet: Option<&str>) -> Result<String, ImportError> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ImportError::UnreadableWorkbook(e.to_string()))?;
    let names = workbook.sheet_names();
    let chosen = match sheet {
        Some(name) => names
            .iter()
            .find(|n| n.as_str() == name)
            .cloned()
            .ok_or_else(|| ImportError::NoSuchSheet {
                name: name.to_string(),
                sheets: names.join(", "),
            })?,
        None => names.first().cloned().ok_or(ImportError::Empty)?,
    };
    let range = workbook
        .worksheet_range(&chosen)
        .map_err(|e| ImportError::UnreadableWorkbook(e.to_string()))?;
    to_csv(&range)
}

/// The cells of `range` as CSV lines, each on the line of its row.
fn to_csv(range: &Range<Data>) -> Result<String, ImportError> {
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut out = vec![b'\n'; first_row as usize];
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(&mut out);
    for (index, row) in range.rows().enumerate() {
        let line = first_row as usize + index + 1;
        let cells = row
            .iter()
            .enumerate()
            .map(|(column, cell)| text_of(cell, line, first_column as usize + column + 1))
            .collect::<Result<Vec<String>, ImportError>>()?;
        writer
            .write_record(&cells)
            .map_err(|e| ImportError::UnreadableWorkbook(e.to_string()))?;
    }
    writer
        .flush()
        .map_err(|e| ImportError::UnreadableWorkbook(e.to_string()))?;
    drop(writer);
    String::from_utf8(out).map_err(|e| ImportError::UnreadableWorkbook(e.to_string()))
}

/// A cell as Excel's CSV would write it; a formula's error (`#N/A`) is
/// refused where it is, never imported as text.
fn text_of(cell: &Data, line: usize, column: usize) -> Result<String, ImportError> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.replace(['\r', '\n'], " "),
        Data::Int(number) => number.to_string(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{number:.0}")
        }
        Data::Float(number) => number.to_string(),
        Data::Bool(flag) => flag.to_string(),
        Data::DateTime(moment) => match moment.as_datetime() {
            Some(at) if at.time() == chrono::NaiveTime::MIN => at.date().to_string(),
            Some(at) => at.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => moment.to_string(),
        },
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(error) => {
            return Err(ImportError::CellError {
                line,
                column,
                error: error.to_string(),
            });
        }
    })
}
