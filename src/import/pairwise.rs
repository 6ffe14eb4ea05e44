//! Reading a pairwise comparison sheet for AHP weights: the first row
//! names the criteria compared (its first cell is a corner label, any or
//! none), then one row per criterion, its name first, then how much more
//! important it is than each criterion of the header, on Saaty's scale
//! (`3`, `1/3`, `0.2`; full-width digits work). Rows may come in any
//! order; they are put in the header's. Whether the numbers are on the
//! scale and consistent is decided on top of the sheet.

use std::fmt;

use super::ImportError;
use super::decode::decode;
use super::records::non_blank;
use crate::tr;

/// The criteria compared and the matrix, rows and columns in the header's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Pairwise {
    pub names: Vec<String>,
    pub matrix: Vec<Vec<f64>>,
}

/// Why a sheet gives no matrix; lines and columns from 1.
#[derive(Clone, Debug, PartialEq)]
pub enum PairwiseError {
    Read(ImportError),
    /// A header cell is empty or names a criterion twice.
    Header {
        column: usize,
    },
    /// A row's name is not among the header's, or comes twice.
    Row {
        line: usize,
        name: String,
    },
    /// A cell is not a number or fraction.
    Value {
        line: usize,
        column: usize,
        text: String,
    },
    /// A criterion of the header has no row.
    Missing {
        name: String,
    },
}

impl fmt::Display for PairwiseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            PairwiseError::Read(e) => e.to_string(),
            PairwiseError::Header { column } => tr!("pairwise.header", column = column),
            PairwiseError::Row { line, name } => tr!("pairwise.row", line = line, name = name),
            PairwiseError::Value { line, column, text } => {
                tr!("pairwise.value", line = line, column = column, text = text)
            }
            PairwiseError::Missing { name } => tr!("pairwise.missing", name = name),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for PairwiseError {}

impl From<ImportError> for PairwiseError {
    fn from(e: ImportError) -> Self {
        PairwiseError::Read(e)
    }
}

/// `3`, `0.5` or `1/3`.
fn ratio(text: &str) -> Option<f64> {
    let value = match text.split_once('/') {
        Some((top, bottom)) => {
            top.trim().parse::<f64>().ok()? / bottom.trim().parse::<f64>().ok()?
        }
        None => text.parse().ok()?,
    };
    value.is_finite().then_some(value)
}

/// Reads a pairwise sheet (UTF-8 with or without BOM, or GBK).
pub fn read_pairwise(bytes: &[u8]) -> Result<Pairwise, PairwiseError> {
    let decoded = decode(bytes)?;
    let mut rows = non_blank(&decoded.text);
    let (_, header) = rows.next().ok_or(ImportError::Empty)??;
    let names: Vec<String> = header.into_iter().skip(1).collect();
    for (at, name) in names.iter().enumerate() {
        if name.is_empty() || names[..at].contains(name) {
            return Err(PairwiseError::Header { column: at + 2 });
        }
    }
    let mut matrix: Vec<Option<Vec<f64>>> = vec![None; names.len()];
    for record in rows {
        let (line, cells) = record?;
        let name = cells.first().cloned().unwrap_or_default();
        let at = names.iter().position(|n| *n == name);
        let Some(at) = at.filter(|&at| matrix[at].is_none()) else {
            return Err(PairwiseError::Row { line, name });
        };
        let values = (0..names.len())
            .map(|column| {
                let text = cells.get(column + 1).cloned().unwrap_or_default();
                ratio(&text).ok_or(PairwiseError::Value {
                    line,
                    column: column + 2,
                    text,
                })
            })
            .collect::<Result<Vec<f64>, _>>()?;
        matrix[at] = Some(values);
    }
    let matrix = matrix
        .into_iter()
        .zip(&names)
        .map(|(row, name)| row.ok_or_else(|| PairwiseError::Missing { name: name.clone() }))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Pairwise { names, matrix })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_in_any_order_come_back_in_the_headers() {
        let sheet = "评分项,cost,usability\nusability,1/3,1\ncost,３,1\n";
        let found = read_pairwise(sheet.as_bytes()).unwrap();
        assert_eq!(found.names, vec!["cost", "usability"]);
        assert_eq!(found.matrix[0], vec![3.0, 1.0]);
        assert!((found.matrix[1][0] - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn problems_name_their_place() {
        let bad = |text: &str| read_pairwise(text.as_bytes()).unwrap_err();
        assert_eq!(bad(",a,a\n"), PairwiseError::Header { column: 3 });
        assert_eq!(
            bad(",a,b\nc,1,1\n"),
            PairwiseError::Row {
                line: 2,
                name: "c".into()
            }
        );
        assert_eq!(
            bad(",a,b\na,1,x\n"),
            PairwiseError::Value {
                line: 2,
                column: 3,
                text: "x".into()
            }
        );
        assert_eq!(
            bad(",a,b\na,1,2\n"),
            PairwiseError::Missing { name: "b".into() }
        );
        assert!(bad(",a\na,1/0\n").to_string().contains("1/0"));
    }
}
