//! The sheets of an appraisal cycle: 360° ratings (who rated whom, in
//! which relation, for which competency, with what mark), imported
//! results indicators (output, quality, attendance … as achievement in
//! percent), and the training course catalogue. Headers in English or Chinese; what the values mean is
//! decided on top of the rows.

use super::table::SheetColumn;

/// The columns of a ratings sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RatingsColumn {
    Cycle,
    EmpNo,
    Rater,
    Group,
    Competency,
    Mark,
    Comment,
    /// HR's reason to accept a relation that does not hold (optional).
    OverrideReason,
}

impl SheetColumn for RatingsColumn {
    fn all() -> &'static [RatingsColumn] {
        &[
            RatingsColumn::Cycle,
            RatingsColumn::EmpNo,
            RatingsColumn::Rater,
            RatingsColumn::Group,
            RatingsColumn::Competency,
            RatingsColumn::Mark,
            RatingsColumn::Comment,
            RatingsColumn::OverrideReason,
        ]
    }

    fn code(self) -> &'static str {
        match self {
            RatingsColumn::Cycle => "cycle",
            RatingsColumn::EmpNo => "emp_no",
            RatingsColumn::Rater => "rater_emp_no",
            RatingsColumn::Group => "relation",
            RatingsColumn::Competency => "competency",
            RatingsColumn::Mark => "mark",
            RatingsColumn::Comment => "comment",
            RatingsColumn::OverrideReason => "override_reason",
        }
    }

    /// 周期, 工号, 评价人工号, 评价关系, 能力项, 分值, 评语, 特批理由.
    fn chinese_header(self) -> &'static str {
        match self {
            RatingsColumn::Cycle => "\u{5468}\u{671f}",
            RatingsColumn::EmpNo => "\u{5de5}\u{53f7}",
            RatingsColumn::Rater => "\u{8bc4}\u{4ef7}\u{4eba}\u{5de5}\u{53f7}",
            RatingsColumn::Group => "\u{8bc4}\u{4ef7}\u{5173}\u{7cfb}",
            RatingsColumn::Competency => "\u{80fd}\u{529b}\u{9879}",
            RatingsColumn::Mark => "\u{5206}\u{503c}",
            RatingsColumn::Comment => "\u{8bc4}\u{8bed}",
            RatingsColumn::OverrideReason => "\u{7279}\u{6279}\u{7406}\u{7531}",
        }
    }

    fn required(self) -> bool {
        !matches!(self, RatingsColumn::Comment | RatingsColumn::OverrideReason)
    }
}

/// The columns of an indicators sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndicatorsColumn {
    Cycle,
    EmpNo,
    Indicator,
    Value,
}

impl SheetColumn for IndicatorsColumn {
    fn all() -> &'static [IndicatorsColumn] {
        &[
            IndicatorsColumn::Cycle,
            IndicatorsColumn::EmpNo,
            IndicatorsColumn::Indicator,
            IndicatorsColumn::Value,
        ]
    }

    fn code(self) -> &'static str {
        match self {
            IndicatorsColumn::Cycle => "cycle",
            IndicatorsColumn::EmpNo => "emp_no",
            IndicatorsColumn::Indicator => "indicator",
            IndicatorsColumn::Value => "value",
        }
    }

    /// 周期, 工号, 指标, 数值.
    fn chinese_header(self) -> &'static str {
        match self {
            IndicatorsColumn::Cycle => "\u{5468}\u{671f}",
            IndicatorsColumn::EmpNo => "\u{5de5}\u{53f7}",
            IndicatorsColumn::Indicator => "\u{6307}\u{6807}",
            IndicatorsColumn::Value => "\u{6570}\u{503c}",
        }
    }

    fn required(self) -> bool {
        true
    }
}

/// The columns of a course catalogue sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoursesColumn {
    Code,
    Title,
    Competency,
}

impl SheetColumn for CoursesColumn {
    fn all() -> &'static [CoursesColumn] {
        &[
            CoursesColumn::Code,
            CoursesColumn::Title,
            CoursesColumn::Competency,
        ]
    }

    fn code(self) -> &'static str {
        match self {
            CoursesColumn::Code => "code",
            CoursesColumn::Title => "title",
            CoursesColumn::Competency => "competency",
        }
    }

    /// 课程编号, 课程, 能力项.
    fn chinese_header(self) -> &'static str {
        match self {
            CoursesColumn::Code => "\u{8bfe}\u{7a0b}\u{7f16}\u{53f7}",
            CoursesColumn::Title => "\u{8bfe}\u{7a0b}",
            CoursesColumn::Competency => "\u{80fd}\u{529b}\u{9879}",
        }
    }

    fn required(self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read_sheet;

    #[test]
    fn ratings_read_by_chinese_headers_in_any_order() {
        let text = "\u{FEFF}工号,评价人工号,周期,评价关系,能力项,分值\nE1,E2,2026 年度,同事,teamwork,４\n\n";
        let rows = read_sheet::<RatingsColumn>(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(
            rows[0].get(RatingsColumn::Mark),
            Some("4"),
            "full-width digits"
        );
        assert_eq!(rows[0].get(RatingsColumn::Group), Some("同事"));
        assert_eq!(rows[0].get(RatingsColumn::Comment), None);
    }

    #[test]
    fn an_indicators_sheet_needs_every_column() {
        let err = read_sheet::<IndicatorsColumn>(b"cycle,emp_no,value\nx,E1,3\n").unwrap_err();
        assert!(err.to_string().contains("indicator"), "{err}");
    }
}
