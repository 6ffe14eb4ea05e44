//! Reading a sheet of lifecycle events, as a reorganisation is planned in
//! a spreadsheet: one row per event (`emp_no, event, effective_date` and
//! the event's fields: department, manager, title, grade, salary; a
//! departure's reason and note; a hire's name, phone and e-mail). Headers
//! in English or Chinese; event and reason words in either. Whether each
//! event fits the person and the organisation is decided on top of these
//! rows, by the same checks as the console's forms.

use super::ImportError;
use super::rows::{SheetRow, read_sheet};
use super::table::SheetColumn;
use crate::domain::employee::DepartureReason;

/// The columns of an events sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventsColumn {
    EmpNo,
    Event,
    Effective,
    Name,
    Department,
    Manager,
    Title,
    Grade,
    Salary,
    Phone,
    Email,
    Reason,
    Note,
}

impl SheetColumn for EventsColumn {
    fn all() -> &'static [EventsColumn] {
        &[
            EventsColumn::EmpNo,
            EventsColumn::Event,
            EventsColumn::Effective,
            EventsColumn::Name,
            EventsColumn::Department,
            EventsColumn::Manager,
            EventsColumn::Title,
            EventsColumn::Grade,
            EventsColumn::Salary,
            EventsColumn::Phone,
            EventsColumn::Email,
            EventsColumn::Reason,
            EventsColumn::Note,
        ]
    }

    fn code(self) -> &'static str {
        match self {
            EventsColumn::EmpNo => "emp_no",
            EventsColumn::Event => "event",
            EventsColumn::Effective => "effective_date",
            EventsColumn::Name => "name",
            EventsColumn::Department => "department",
            EventsColumn::Manager => "manager_emp_no",
            EventsColumn::Title => "title",
            EventsColumn::Grade => "grade",
            EventsColumn::Salary => "salary",
            EventsColumn::Phone => "phone",
            EventsColumn::Email => "email",
            EventsColumn::Reason => "reason",
            EventsColumn::Note => "note",
        }
    }

    /// 工号, 事件, 生效日期, 姓名, 部门, 上级工号, 职位, 职级, 月薪, 手机,
    /// 邮箱, 离职原因, 备注 (the staff sheet's words where they overlap).
    fn chinese_header(self) -> &'static str {
        match self {
            EventsColumn::EmpNo => "\u{5de5}\u{53f7}",
            EventsColumn::Event => "\u{4e8b}\u{4ef6}",
            EventsColumn::Effective => "\u{751f}\u{6548}\u{65e5}\u{671f}",
            EventsColumn::Name => "\u{59d3}\u{540d}",
            EventsColumn::Department => "\u{90e8}\u{95e8}",
            EventsColumn::Manager => "\u{4e0a}\u{7ea7}\u{5de5}\u{53f7}",
            EventsColumn::Title => "\u{804c}\u{4f4d}",
            EventsColumn::Grade => "\u{804c}\u{7ea7}",
            EventsColumn::Salary => "\u{6708}\u{85aa}",
            EventsColumn::Phone => "\u{624b}\u{673a}",
            EventsColumn::Email => "\u{90ae}\u{7bb1}",
            EventsColumn::Reason => "\u{79bb}\u{804c}\u{539f}\u{56e0}",
            EventsColumn::Note => "\u{5907}\u{6ce8}",
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            EventsColumn::EmpNo | EventsColumn::Event | EventsColumn::Effective
        )
    }
}

/// Which event a row records (its fields are read beside it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventWord {
    Hire,
    Transfer,
    Promotion,
    Leave,
    Return,
    Departure,
    Rehire,
}

/// Words sheets use for each event, as read from input (the Chinese ones
/// are data, marked so the interface-text check passes them).
const EVENT_WORDS: [(&str, EventWord); 19] = [
    ("hire", EventWord::Hire),
    ("入职", EventWord::Hire), // data: spreadsheet word
    ("transfer", EventWord::Transfer),
    ("调岗", EventWord::Transfer), // data: spreadsheet word
    ("调动", EventWord::Transfer), // data: spreadsheet word
    ("promotion", EventWord::Promotion),
    ("promote", EventWord::Promotion),
    ("晋升", EventWord::Promotion), // data: spreadsheet word
    ("leave", EventWord::Leave),
    ("休假", EventWord::Leave), // data: spreadsheet word
    ("return", EventWord::Return),
    ("复职", EventWord::Return), // data: spreadsheet word
    ("复岗", EventWord::Return), // data: spreadsheet word
    ("departure", EventWord::Departure),
    ("depart", EventWord::Departure),
    ("离职", EventWord::Departure), // data: spreadsheet word
    ("rehire", EventWord::Rehire),
    ("再入职", EventWord::Rehire), // data: spreadsheet word
    ("返聘", EventWord::Rehire),   // data: spreadsheet word
];

/// Words sheets use for departure reasons besides their codes.
const REASON_WORDS: [(&str, DepartureReason); 7] = [
    ("主动辞职", DepartureReason::Resigned), // data: spreadsheet word
    ("辞职", DepartureReason::Resigned),     // data: spreadsheet word
    ("辞退", DepartureReason::Dismissed),    // data: spreadsheet word
    ("合同到期", DepartureReason::ContractEnded), // data: spreadsheet word
    ("退休", DepartureReason::Retired),      // data: spreadsheet word
    ("其他", DepartureReason::Other),        // data: spreadsheet word
    ("其它", DepartureReason::Other),        // data: spreadsheet word
];

/// A word as sheets vary it: case, spaces and dashes aside.
fn word_key(text: &str) -> String {
    text.trim().to_lowercase().replace([' ', '-'], "_")
}

impl EventWord {
    /// Reads an event word in English or Chinese.
    pub fn parse(text: &str) -> Option<EventWord> {
        let key = word_key(text);
        EVENT_WORDS
            .iter()
            .find(|(word, _)| *word == key)
            .map(|(_, event)| *event)
    }

    /// The English words, for a message that lists them.
    pub fn known() -> String {
        EVENT_WORDS
            .iter()
            .map(|(word, _)| *word)
            .filter(|word| word.is_ascii())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Reads a departure reason by its code (`contract_ended`) or a Chinese word.
pub fn parse_reason(text: &str) -> Option<DepartureReason> {
    let key = word_key(text);
    DepartureReason::ALL
        .into_iter()
        .find(|reason| reason.code() == key)
        .or_else(|| {
            REASON_WORDS
                .iter()
                .find(|(word, _)| *word == key)
                .map(|(_, reason)| *reason)
        })
}

/// Reads an events sheet (UTF-8 with or without BOM, GBK, UTF-16).
pub fn read_events(bytes: &[u8]) -> Result<Vec<SheetRow<EventsColumn>>, ImportError> {
    read_sheet::<EventsColumn>(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_by_english_or_chinese_headers_and_words() {
        let text = "工号,事件,生效日期,部门\nE1,调动,2026-12-01,销售部\n";
        let rows = read_events(text.as_bytes()).unwrap();
        assert_eq!(rows[0].get(EventsColumn::Department), Some("销售部"));
        assert_eq!(
            EventWord::parse(rows[0].get(EventsColumn::Event).unwrap()),
            Some(EventWord::Transfer)
        );
        assert_eq!(EventWord::parse(" Departure "), Some(EventWord::Departure));
        assert_eq!(EventWord::parse("fired"), None);
        assert_eq!(
            parse_reason("合同到期"),
            Some(DepartureReason::ContractEnded)
        );
        assert_eq!(
            parse_reason("Contract-Ended"),
            Some(DepartureReason::ContractEnded)
        );
        assert!(EventWord::known().starts_with("hire, transfer"));
    }

    #[test]
    fn a_sheet_without_its_three_columns_is_refused() {
        assert!(matches!(
            read_events(b"emp_no,event\nE1,leave\n"),
            Err(ImportError::MissingColumns { line: 1, .. })
        ));
    }
}
