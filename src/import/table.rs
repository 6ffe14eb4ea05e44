//! Reading a staff spreadsheet (CSV or tab-separated text) into raw rows: the
//! header names the columns, in English or Chinese and in any order; every
//! cell is cleaned with [`clean_text`] (a control character in a cell is
//! refused, and the `'` an export put before a formula-like text is
//! removed). Nothing here judges the values
//! themselves: that is row validation, built on top of [`Sheet`].

use std::fmt;

use super::records::{Cells, Records, delimiter, non_blank, skip_blank};
use super::rows::{self, SheetRow, laid_out};
use super::stream::TextFile;
use super::{ImportError, SourceEncoding};
use crate::domain::cleanup::clean_text;

/// The staff columns are the employee record's fields, in export order;
/// their English headers are the fields' codes.
pub use crate::domain::employee::Field as Column;

/// The columns of one kind of sheet: their English and Chinese headers and
/// which are required. Headers are file-format identifiers, matched whatever
/// the interface language, so they are not in the catalogue.
pub trait SheetColumn: Copy + PartialEq + Send + Sync + 'static {
    /// Every column, in export order.
    fn all() -> &'static [Self];
    /// The English header (the identifier exports write).
    fn code(self) -> &'static str;
    /// The Chinese header.
    fn chinese_header(self) -> &'static str;
    /// Whether a sheet must have this column.
    fn required(self) -> bool;

    /// Both headers, as import messages name a column: `hire_date (入职日期)`.
    fn both(self) -> String {
        format!("{} ({})", self.code(), self.chinese_header())
    }

    /// The column a header cell names: English or Chinese, ignoring case,
    /// full-width forms, spaces, underscores, dashes and the `*` that import
    /// templates put on required columns (`Hire Date`, `*工号`).
    fn from_header(text: &str) -> Option<Self> {
        let key = header_key(text);
        Self::all().iter().copied().find(|c| {
            [c.code(), c.chinese_header()]
                .iter()
                .any(|name| header_key(name) == key)
        })
    }
}

/// What a staff spreadsheet calls each column.
impl SheetColumn for Column {
    fn all() -> &'static [Column] {
        &Column::ALL
    }

    fn code(self) -> &'static str {
        Column::code(self)
    }

    /// Written as escapes because plain Chinese literals are reserved for
    /// the catalogue. In order: 工号, 姓名, 部门, 职位, 职级, 上级工号,
    /// 入职日期, 状态, 手机, 邮箱, 身份证号, 薪资.
    fn chinese_header(self) -> &'static str {
        match self {
            Column::EmpNo => "\u{5de5}\u{53f7}",
            Column::Name => "\u{59d3}\u{540d}",
            Column::Department => "\u{90e8}\u{95e8}",
            Column::Title => "\u{804c}\u{4f4d}",
            Column::Grade => "\u{804c}\u{7ea7}",
            Column::Manager => "\u{4e0a}\u{7ea7}\u{5de5}\u{53f7}",
            Column::HireDate => "\u{5165}\u{804c}\u{65e5}\u{671f}",
            Column::Status => "\u{72b6}\u{6001}",
            Column::Phone => "\u{624b}\u{673a}",
            Column::Email => "\u{90ae}\u{7bb1}",
            Column::NationalId => "\u{8eab}\u{4efd}\u{8bc1}\u{53f7}",
            Column::Salary => "\u{85aa}\u{8d44}",
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            Column::EmpNo | Column::Name | Column::Department | Column::HireDate
        )
    }
}

/// Both headers, as import messages name a column: `hire_date (入职日期)`.
impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.both())
    }
}

/// A header reduced to what matters for matching.
pub(super) fn header_key(text: &str) -> String {
    clean_text(text)
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '*'))
        .collect()
}

/// The known header closest to an unknown one, if any is close: within an
/// edit distance of half the longer name, or an abbreviation of the other
/// (`dept` of `department`, `工号` of `员工编号`).
fn closest_header<C: SheetColumn>(text: &str) -> Option<&'static str> {
    let key = header_key(text);
    C::all()
        .iter()
        .flat_map(|c| [c.code(), c.chinese_header()])
        .filter_map(|name| closeness(&key, &header_key(name)).map(|d| (d, name)))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name)
}

/// The edit distance of `a` and `b` when they are close enough to suggest.
fn closeness(a: &str, b: &str) -> Option<usize> {
    let (len_a, len_b) = (a.chars().count(), b.chars().count());
    let distance = edit_distance(a, b);
    let near = distance <= (len_a.max(len_b) / 2).max(1);
    let abbreviated = len_a.min(len_b) >= 2 && (in_order(a, b) || in_order(b, a));
    (near || abbreviated).then_some(distance)
}

/// Whether the characters of `short` appear in `long` in the same order.
fn in_order(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|l| l == c))
}

/// Levenshtein distance by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// One data row: its 1-based line number in the file (where the row starts)
/// and the cleaned value of each column present (empty cells absent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRow {
    pub line: usize,
    /// Indexed by `Column as usize`.
    pub values: [Option<String>; 12],
}

impl RawRow {
    /// The cleaned value of `column`; `None` when the cell is empty or the
    /// sheet has no such column.
    pub fn get(&self, column: Column) -> Option<&str> {
        self.values[column as usize].as_deref()
    }
}

/// A staff sheet as read: how it was encoded, its columns in file order and
/// its non-blank data rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub encoding: SourceEncoding,
    pub columns: Vec<Column>,
    pub rows: Vec<RawRow>,
}

/// Reads a staff sheet: headers matched by name (English or Chinese,
/// case-insensitive, surrounding spaces and full-width forms ignored, in any
/// order); every cell passed through `clean_text`. Blank rows are skipped; a
/// column with an empty header is allowed as long as all its cells are empty
/// (Excel exports trailing empty columns).
pub fn read_staff(bytes: &[u8]) -> Result<Sheet, ImportError> {
    let text = StaffText::read(bytes.to_vec())?;
    let rows = text.rows().collect::<Result<Vec<_>, _>>()?;
    Ok(Sheet {
        encoding: text.encoding,
        columns: text.columns(),
        rows,
    })
}

/// A sheet of `C` columns with its header read, its rows read one at a
/// time as they are asked for, as often as they are: an import of a
/// million rows holds neither the rows nor (from a text file) the file.
pub struct SheetText<C> {
    source: Source,
    pub encoding: SourceEncoding,
    /// The column of each header cell (`None` for an empty one).
    slots: Vec<Option<C>>,
}

/// A staff sheet, its rows read as [`RawRow`]s.
pub type StaffText = SheetText<Column>;

/// Where a sheet's text is.
enum Source {
    /// Decoded in memory (a workbook's sheet, UTF-16, standard input).
    Text(String),
    /// In a text file, read again for each pass.
    File(TextFile),
}

/// Rows as they are read.
type Rows<'a, R> = Box<dyn Iterator<Item = Result<R, ImportError>> + Send + 'a>;

/// A sheet's rows of `C` columns as they are read.
pub type SheetRows<'a, C> = Rows<'a, SheetRow<C>>;

/// `error` as a sheet of `C` columns tells it: an empty file names the
/// header line it expects.
pub(super) fn told_for<C: SheetColumn>(error: ImportError) -> ImportError {
    if error != ImportError::Empty {
        return error;
    }
    let required = || C::all().iter().copied().filter(|c| c.required());
    ImportError::EmptySheet {
        english: required().map(C::code).collect::<Vec<_>>().join(","),
        chinese: required()
            .map(C::chinese_header)
            .collect::<Vec<_>>()
            .join(","),
    }
}

impl<C: SheetColumn> SheetText<C> {
    /// Decodes `bytes` (without copying UTF-8) and reads the header.
    pub fn read(bytes: Vec<u8>) -> Result<Self, ImportError> {
        let read = super::decode::decode_owned(bytes)
            .and_then(|decoded| Self::with_header(Source::Text(decoded.text), decoded.encoding));
        read.map_err(told_for::<C>)
    }

    /// The sheet in the text file `file`, read as its rows are asked for;
    /// `None` for a workbook or UTF-16 text, which are read whole
    /// ([`read`](Self::read)). `sheet` names a workbook's sheet: for a
    /// text file it is refused.
    pub fn open(file: std::fs::File, sheet: Option<&str>) -> Result<Option<Self>, ImportError> {
        let Some(text) = TextFile::probe(file).map_err(told_for::<C>)? else {
            return Ok(None);
        };
        if let Some(name) = sheet {
            return Err(ImportError::SheetOfText(name.to_string()));
        }
        let encoding = text.encoding;
        Self::with_header(Source::File(text), encoding)
            .map(Some)
            .map_err(told_for::<C>)
    }

    fn with_header(source: Source, encoding: SourceEncoding) -> Result<Self, ImportError> {
        let (header_line, header) = records_of(&source)?.next().ok_or(ImportError::Empty)??;
        let slots = header_slots::<C>(header_line, &header)?;
        Ok(SheetText {
            source,
            encoding,
            slots,
        })
    }

    /// The sheet's columns, in file order.
    pub fn columns(&self) -> Vec<C> {
        self.slots.iter().flatten().copied().collect()
    }

    /// The data rows as `row` lays each out by the header's columns, read
    /// as they are asked for. A file that can no longer be read (or
    /// changed since it was first read) gives that error as its first row.
    fn rows_as<'a, R: Send + 'a>(
        &'a self,
        row: impl Fn(usize, Vec<String>, &[Option<C>]) -> Result<R, ImportError> + Send + Sync + 'static,
    ) -> Rows<'a, R> {
        match records_of(&self.source) {
            Ok(records) => {
                Box::new(records.skip(1).map(move |record| {
                    record.and_then(|(line, cells)| row(line, cells, &self.slots))
                }))
            }
            Err(error) => Box::new(std::iter::once(Err(error))),
        }
    }

    /// The data rows, each a row of cleaned cells by column (a value under
    /// no header refused with its line and column).
    pub fn sheet_rows(&self) -> SheetRows<'_, C> {
        self.rows_as(|line, cells, slots| laid_out(line, cells, slots, rows::Cells::Named))
    }
}

impl SheetText<Column> {
    /// The data rows of a staff sheet.
    pub fn rows(&self) -> Rows<'_, RawRow> {
        self.rows_as(raw_row)
    }
}

/// The non-blank records of `source`.
fn records_of(
    source: &Source,
) -> Result<Box<dyn Iterator<Item = Result<Cells, ImportError>> + Send + '_>, ImportError> {
    Ok(match source {
        Source::Text(text) => Box::new(non_blank(text)),
        Source::File(file) => {
            let delimiter = delimiter(file.text()?);
            Box::new(skip_blank(Records::new(file.text()?, delimiter)))
        }
    })
}

/// The column of each header cell; `None` for an empty header cell.
pub(super) fn header_slots<C: SheetColumn>(
    line: usize,
    header: &[String],
) -> Result<Vec<Option<C>>, ImportError> {
    let mut slots: Vec<Option<C>> = Vec::with_capacity(header.len());
    for (index, text) in header.iter().enumerate() {
        let slot = header_slot(line, index + 1, text, &slots)?;
        slots.push(slot);
    }
    let missing: Vec<String> = C::all()
        .iter()
        .filter(|c| c.required() && !slots.contains(&Some(**c)))
        .map(|c| c.both())
        .collect();
    if missing.is_empty() {
        Ok(slots)
    } else {
        Err(ImportError::MissingColumns {
            line,
            columns: missing,
        })
    }
}

/// The column named by the header cell at `column`, checked against those
/// already seen.
fn header_slot<C: SheetColumn>(
    line: usize,
    column: usize,
    text: &str,
    seen: &[Option<C>],
) -> Result<Option<C>, ImportError> {
    if text.is_empty() {
        return Ok(None);
    }
    let Some(found) = C::from_header(text) else {
        return Err(ImportError::UnknownColumn {
            line,
            column,
            text: text.to_string(),
            suggestion: closest_header::<C>(text),
            known: C::all()
                .iter()
                .map(|c| c.code())
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    match seen.iter().position(|slot| *slot == Some(found)) {
        Some(first) => Err(ImportError::DuplicateColumn {
            line,
            column,
            text: text.to_string(),
            first: first + 1,
            existing: found.both(),
        }),
        None => Ok(Some(found)),
    }
}

/// A data row laid out by the header's slots.
fn raw_row(
    line: usize,
    cells: Vec<String>,
    slots: &[Option<Column>],
) -> Result<RawRow, ImportError> {
    if cells.len() != slots.len() {
        return Err(ImportError::RaggedRow {
            line,
            expected: slots.len(),
            found: cells.len(),
        });
    }
    let mut values: [Option<String>; 12] = Default::default();
    for (index, (cell, slot)) in cells.into_iter().zip(slots).enumerate() {
        match slot {
            _ if cell.is_empty() => {}
            Some(column) => values[*column as usize] = Some(cell),
            None => {
                return Err(ImportError::UnnamedValue {
                    line,
                    column: index + 1,
                });
            }
        }
    }
    Ok(RawRow { line, values })
}
