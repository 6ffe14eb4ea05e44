//! Reading spreadsheets exported from Excel: [`decode`] turns the bytes
//! (UTF-8, UTF-8 with a BOM, or GBK/GB18030) into text, [`read_staff`] turns
//! the text into a [`Sheet`] of raw, cleaned staff rows, [`read_actuals`]
//! into rows of goal actuals, [`read_bindings`] into rows of bindings (a
//! provider console's member export included) and [`read_sheet`] into rows
//! of any other kind of sheet (ratings, indicators, logins, confirmations,
//! vendors).
//! Whether the rows make sense (duplicates, departments, managers, goals)
//! is decided on top of them.

mod actuals;
mod bindings;
mod decode;
mod events;
mod pairwise;
mod provider_exports;
mod records;
mod rows;
mod scores;
mod stream;
mod table;
mod vendors;
mod workbook;

use std::fmt;

use crate::tr;

pub use actuals::{ActualsColumn, ActualsRow, read_actuals};
pub use bindings::{BindingsColumn, ConfirmationsColumn, LoginsColumn};
pub use decode::{Decoded, SourceEncoding, decode};
pub use events::{EventWord, EventsColumn, parse_reason, read_events};
pub use pairwise::{Pairwise, PairwiseError, read_pairwise};
pub use provider_exports::read_bindings;
pub use rows::{SheetRow, read_sheet};
pub use scores::{CoursesColumn, IndicatorsColumn, RatingsColumn};
pub use table::{Column, RawRow, Sheet, SheetColumn, SheetRows, SheetText, StaffText, read_staff};
pub use vendors::VendorsColumn;
pub use workbook::choose_sheet;

/// Why a file cannot be read as a staff sheet. Lines and columns are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// No bytes, or no header line.
    Empty,
    /// No bytes, or no header line, in a sheet whose required columns are
    /// known: their English and their Chinese headers, comma-separated.
    EmptySheet { english: String, chinese: String },
    /// A workbook that cannot be read (damaged, or protected), and why.
    UnreadableWorkbook(String),
    /// `--sheet NAME` names no sheet of the workbook (its sheets listed).
    NoSuchSheet { name: String, sheets: String },
    /// `--sheet NAME` given for a file that is not a workbook.
    SheetOfText(String),
    /// A workbook cell holding a formula's error (`#N/A`), where it is.
    CellError {
        line: usize,
        column: usize,
        error: String,
    },
    /// Neither UTF-8 nor GB18030: the first bad byte's 0-based offset.
    Undecodable { offset: usize },
    /// A header cell naming no known column, with the closest known header.
    UnknownColumn {
        line: usize,
        column: usize,
        text: String,
        suggestion: Option<&'static str>,
        /// The English headers of every known column.
        known: String,
    },
    /// A header cell naming a column already named at `first`.
    DuplicateColumn {
        line: usize,
        column: usize,
        text: String,
        first: usize,
        /// The column already named, by both its headers.
        existing: String,
    },
    /// Required columns the header lacks, by both their headers.
    MissingColumns { line: usize, columns: Vec<String> },
    /// A row with a different number of cells than the header.
    RaggedRow {
        line: usize,
        expected: usize,
        found: usize,
    },
    /// A value in a column whose header cell is empty.
    UnnamedValue { line: usize, column: usize },
    /// A record the CSV reader could not read.
    Malformed { line: usize },
    /// The file could not be read (again), and why.
    Unreadable(String),
    /// The file changed after it was first read (an import reads it twice:
    /// to check it, then to write it).
    Changed,
    /// A cell holding a control character (an escape sequence, a bell…):
    /// its line, its column, the character's place in the cell and the
    /// character written as its escape.
    ControlCharacter {
        line: usize,
        column: usize,
        at: usize,
        character: String,
    },
}

impl ImportError {
    /// The line the problem is on, when it is on one.
    pub fn line(&self) -> Option<usize> {
        match self {
            ImportError::Empty
            | ImportError::EmptySheet { .. }
            | ImportError::UnreadableWorkbook(_)
            | ImportError::NoSuchSheet { .. }
            | ImportError::SheetOfText(_)
            | ImportError::Unreadable(_)
            | ImportError::Changed
            | ImportError::Undecodable { .. } => None,
            ImportError::UnknownColumn { line, .. }
            | ImportError::DuplicateColumn { line, .. }
            | ImportError::MissingColumns { line, .. }
            | ImportError::RaggedRow { line, .. }
            | ImportError::UnnamedValue { line, .. }
            | ImportError::ControlCharacter { line, .. }
            | ImportError::CellError { line, .. }
            | ImportError::Malformed { line } => Some(*line),
        }
    }

    /// The column (cell position) the problem is in, when it is in one.
    pub fn column(&self) -> Option<usize> {
        match self {
            ImportError::UnknownColumn { column, .. }
            | ImportError::DuplicateColumn { column, .. }
            | ImportError::UnnamedValue { column, .. }
            | ImportError::ControlCharacter { column, .. }
            | ImportError::CellError { column, .. } => Some(*column),
            _ => None,
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ImportError::Empty => tr!("import.empty"),
            ImportError::EmptySheet { english, chinese } => {
                tr!("import.empty_sheet", english = english, chinese = chinese)
            }
            ImportError::UnreadableWorkbook(reason) => {
                tr!("import.unreadable_workbook", reason = reason)
            }
            ImportError::NoSuchSheet { name, sheets } => {
                tr!("import.no_such_sheet", name = name, sheets = sheets)
            }
            ImportError::SheetOfText(name) => tr!("import.sheet_of_text", name = name),
            ImportError::CellError {
                line,
                column,
                error,
            } => tr!(
                "import.cell_error",
                line = line,
                column = column,
                error = error
            ),
            ImportError::Undecodable { offset } => tr!("import.undecodable", offset = offset),
            ImportError::UnknownColumn {
                line,
                column,
                text,
                suggestion,
                known,
            } => unknown_column(*line, *column, text, *suggestion, known),
            ImportError::DuplicateColumn {
                line,
                column,
                text,
                first,
                existing,
            } => tr!(
                "import.duplicate_column",
                line = line,
                column = column,
                text = text,
                first = first,
                name = existing
            ),
            ImportError::MissingColumns { line, columns } => tr!(
                "import.missing_columns",
                line = line,
                columns = listed(columns.iter())
            ),
            ImportError::RaggedRow {
                line,
                expected,
                found,
            } => tr!(
                "import.ragged_row",
                line = line,
                expected = expected,
                found = found
            ),
            ImportError::UnnamedValue { line, column } => {
                tr!("import.unnamed_value", line = line, column = column)
            }
            ImportError::Malformed { line } => tr!("import.malformed", line = line),
            ImportError::Unreadable(reason) => tr!("import.unreadable", reason = reason),
            ImportError::Changed => tr!("import.changed"),
            ImportError::ControlCharacter {
                line,
                column,
                at,
                character,
            } => tr!(
                "import.control_character",
                line = line,
                column = column,
                at = at,
                character = character
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for ImportError {}

fn unknown_column(
    line: usize,
    column: usize,
    text: &str,
    suggestion: Option<&str>,
    known: &str,
) -> String {
    match suggestion {
        Some(suggestion) => tr!(
            "import.unknown_column",
            line = line,
            column = column,
            text = text,
            suggestion = suggestion
        ),
        None => tr!(
            "import.unknown_column_no_match",
            line = line,
            column = column,
            text = text,
            known = known
        ),
    }
}

/// Items separated by commas: identifiers, the same in both languages.
fn listed<T: fmt::Display>(items: impl Iterator<Item = T>) -> String {
    items
        .map(|item| item.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
