//! Reading a sheet of goal actuals, as sales or production systems export
//! them: each row names a goal (by its id, or by the owner's employee number
//! and the goal's title), a date and a value. Headers in English or Chinese;
//! cells cleaned like every sheet. Whether the goals exist and the values
//! make sense is decided on top of these rows.

use super::ImportError;
use super::rows::read_sheet;
use super::table::SheetColumn;

/// The columns of an actuals sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActualsColumn {
    GoalId,
    EmpNo,
    GoalTitle,
    Date,
    Value,
}

impl SheetColumn for ActualsColumn {
    fn all() -> &'static [ActualsColumn] {
        &[
            ActualsColumn::GoalId,
            ActualsColumn::EmpNo,
            ActualsColumn::GoalTitle,
            ActualsColumn::Date,
            ActualsColumn::Value,
        ]
    }

    fn code(self) -> &'static str {
        match self {
            ActualsColumn::GoalId => "goal_id",
            ActualsColumn::EmpNo => "emp_no",
            ActualsColumn::GoalTitle => "goal_title",
            ActualsColumn::Date => "date",
            ActualsColumn::Value => "value",
        }
    }

    /// Escaped like the staff headers: 目标编号, 工号, 目标, 日期, 数值.
    fn chinese_header(self) -> &'static str {
        match self {
            ActualsColumn::GoalId => "\u{76ee}\u{6807}\u{7f16}\u{53f7}",
            ActualsColumn::EmpNo => "\u{5de5}\u{53f7}",
            ActualsColumn::GoalTitle => "\u{76ee}\u{6807}",
            ActualsColumn::Date => "\u{65e5}\u{671f}",
            ActualsColumn::Value => "\u{6570}\u{503c}",
        }
    }

    /// A goal is named by id or by number and title, so only the date and
    /// the value are required of every sheet.
    fn required(self) -> bool {
        matches!(self, ActualsColumn::Date | ActualsColumn::Value)
    }
}

/// One data row: its line and its cleaned cells (empty cells are `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActualsRow {
    pub line: usize,
    pub goal_id: Option<String>,
    pub emp_no: Option<String>,
    pub goal_title: Option<String>,
    pub date: Option<String>,
    pub value: Option<String>,
}

/// Reads an actuals sheet (UTF-8 with or without BOM, or GBK).
pub fn read_actuals(bytes: &[u8]) -> Result<Vec<ActualsRow>, ImportError> {
    let rows = read_sheet::<ActualsColumn>(bytes)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let cell = |column| row.get(column).map(str::to_string);
            ActualsRow {
                line: row.line,
                goal_id: cell(ActualsColumn::GoalId),
                emp_no: cell(ActualsColumn::EmpNo),
                goal_title: cell(ActualsColumn::GoalTitle),
                date: cell(ActualsColumn::Date),
                value: cell(ActualsColumn::Value),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_by_english_or_chinese_headers() {
        let text = "\u{FEFF}目标编号,日期,数值\nG12,2026/3/1,\"1,200\"\n\n13,2026-03-02,5\n";
        let rows = read_actuals(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].goal_id.as_deref(), Some("G12"));
        assert_eq!(rows[0].value.as_deref(), Some("1,200"));
        assert_eq!(rows[1].line, 4);
        let by_person = "emp_no,goal_title,date,value\nE1, 每月销售 ,2026-3-1,10\n";
        let rows = read_actuals(by_person.as_bytes()).unwrap();
        assert_eq!(rows[0].goal_title.as_deref(), Some("每月销售"));
    }

    #[test]
    fn a_sheet_without_dates_or_values_is_refused() {
        assert!(matches!(
            read_actuals(b"goal_id,value\nG1,3\n"),
            Err(ImportError::MissingColumns { line: 1, .. })
        ));
        assert!(matches!(
            read_actuals(b"goal_id,date,value,amount\n"),
            Err(ImportError::UnknownColumn { column: 4, .. })
        ));
    }
}
