//! Reading any kind of sheet whose columns are a [`SheetColumn`] into rows
//! of cleaned cells by column: the header is matched in English or
//! Chinese, blank lines are skipped, a row with a value under no header is
//! refused with its line and column.

use super::records::non_blank;
use super::table::{SheetColumn, header_slots, told_for};
use super::{ImportError, decode};

/// One data row: its line and its non-empty cells by column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetRow<C> {
    pub line: usize,
    cells: Vec<(C, String)>,
}

impl<C: SheetColumn> SheetRow<C> {
    /// The cleaned cell under `column`, if the row has one.
    pub fn get(&self, column: C) -> Option<&str> {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, text)| text.as_str())
    }
}

/// Reads a sheet of `C` columns (UTF-8 with or without BOM, or GBK).
pub fn read_sheet<C: SheetColumn>(bytes: &[u8]) -> Result<Vec<SheetRow<C>>, ImportError> {
    let decoded = decode(bytes).map_err(told_for::<C>)?;
    let mut rows = non_blank(&decoded.text);
    let (header_line, header) = rows
        .next()
        .ok_or_else(|| told_for::<C>(ImportError::Empty))??;
    let slots = header_slots::<C>(header_line, &header)?;
    rows.map(|record| {
        let (line, cells) = record?;
        laid_out(line, cells, &slots, Cells::Named)
    })
    .collect()
}

/// What a row may hold beyond its header's columns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Cells {
    /// Exactly one cell per header cell, and none under an empty header.
    Named,
    /// Anything: cells under no known column are left out (an export's
    /// extra columns).
    Any,
}

/// The row at `line` laid out by the header's `slots`.
pub(super) fn laid_out<C: SheetColumn>(
    line: usize,
    cells: Vec<String>,
    slots: &[Option<C>],
    allowed: Cells,
) -> Result<SheetRow<C>, ImportError> {
    if allowed == Cells::Named && cells.len() != slots.len() {
        return Err(ImportError::RaggedRow {
            line,
            expected: slots.len(),
            found: cells.len(),
        });
    }
    let mut row = SheetRow {
        line,
        cells: Vec::new(),
    };
    for (index, cell) in cells.into_iter().enumerate() {
        if cell.is_empty() {
            continue;
        }
        match slots.get(index).copied().flatten() {
            Some(column) => row.cells.push((column, cell)),
            None if allowed == Cells::Any => {}
            None => {
                return Err(ImportError::UnnamedValue {
                    line,
                    column: index + 1,
                });
            }
        }
    }
    Ok(row)
}
