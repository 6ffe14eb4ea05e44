//! Employees: the record, its status, and the lifecycle events that change
//! it. Every change is an event with an effective date, an operator and a
//! field-by-field diff; the history is appended to, never rewritten.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::chain::reaches;
use super::department::DepartmentId;
use crate::tr;

/// Identifies an employee record; ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EmployeeId(pub u64);

impl fmt::Display for EmployeeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where an employee stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Active,
    OnLeave,
    Departed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Active, Status::OnLeave, Status::Departed];

    /// The identifier used in exports and imports.
    pub fn code(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::OnLeave => "on_leave",
            Status::Departed => "departed",
        }
    }

    /// Reads a status as spreadsheets write it: the code, or the common
    /// English and Chinese words (see [`STATUS_WORDS`]).
    pub fn parse(text: &str) -> Option<Status> {
        let word = text.trim().to_lowercase().replace([' ', '-'], "_");
        STATUS_WORDS
            .iter()
            .find(|(known, _)| *known == word)
            .map(|(_, status)| *status)
    }

    /// The status as people read it, in the current language.
    pub fn label(self) -> String {
        match self {
            Status::Active => tr!("staff.status.active"),
            Status::OnLeave => tr!("staff.status.on_leave"),
            Status::Departed => tr!("staff.status.departed"),
        }
    }
}

/// Words spreadsheets use for each status, as read from input (the
/// Chinese ones are data, marked so the interface-text check passes them).
pub const STATUS_WORDS: [(&str, Status); 12] = [
    ("active", Status::Active),
    ("employed", Status::Active),
    ("在职", Status::Active), // data: spreadsheet word
    ("在岗", Status::Active), // data: spreadsheet word
    ("试用", Status::Active), // data: spreadsheet word
    ("on_leave", Status::OnLeave),
    ("leave", Status::OnLeave),
    ("休假", Status::OnLeave), // data: spreadsheet word
    ("请假", Status::OnLeave), // data: spreadsheet word
    ("departed", Status::Departed),
    ("离职", Status::Departed),   // data: spreadsheet word
    ("已离职", Status::Departed), // data: spreadsheet word
];

/// Why someone left, from a fixed list (a free note goes with it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DepartureReason {
    Resigned,
    Dismissed,
    ContractEnded,
    Retired,
    Other,
}

impl DepartureReason {
    pub const ALL: [DepartureReason; 5] = [
        DepartureReason::Resigned,
        DepartureReason::Dismissed,
        DepartureReason::ContractEnded,
        DepartureReason::Retired,
        DepartureReason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DepartureReason::Resigned => "resigned",
            DepartureReason::Dismissed => "dismissed",
            DepartureReason::ContractEnded => "contract_ended",
            DepartureReason::Retired => "retired",
            DepartureReason::Other => "other",
        }
    }

    pub fn label(self) -> String {
        match self {
            DepartureReason::Resigned => tr!("staff.reason.resigned"),
            DepartureReason::Dismissed => tr!("staff.reason.dismissed"),
            DepartureReason::ContractEnded => tr!("staff.reason.contract_ended"),
            DepartureReason::Retired => tr!("staff.reason.retired"),
            DepartureReason::Other => tr!("staff.reason.other"),
        }
    }
}

/// An employee record as stored. Optional text fields are empty when unknown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employee {
    pub id: EmployeeId,
    pub emp_no: String,
    pub name: String,
    pub department: DepartmentId,
    pub title: String,
    pub grade: String,
    pub manager: Option<EmployeeId>,
    #[serde(with = "day_number")]
    pub hire_date: NaiveDate,
    pub status: Status,
    pub phone: String,
    pub email: String,
    pub national_id: String,
    /// Monthly salary in fen (1/100 yuan).
    pub salary: Option<i64>,
}

/// An employee record decoded in place from the store, its text borrowed
/// rather than copied: what whole-company lists are built from. The fields
/// are those of [`Employee`], in the same order (the stored layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct EmployeeView<'a> {
    pub id: EmployeeId,
    pub emp_no: &'a str,
    pub name: &'a str,
    pub department: DepartmentId,
    pub title: &'a str,
    pub grade: &'a str,
    pub manager: Option<EmployeeId>,
    #[serde(deserialize_with = "day_number::deserialize")]
    pub hire_date: NaiveDate,
    pub status: Status,
    pub phone: &'a str,
    pub email: &'a str,
    pub national_id: &'a str,
    pub salary: Option<i64>,
}

/// The fields of a record, in export order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Field {
    EmpNo,
    Name,
    Department,
    Title,
    Grade,
    Manager,
    HireDate,
    Status,
    Phone,
    Email,
    NationalId,
    Salary,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::EmpNo,
        Field::Name,
        Field::Department,
        Field::Title,
        Field::Grade,
        Field::Manager,
        Field::HireDate,
        Field::Status,
        Field::Phone,
        Field::Email,
        Field::NationalId,
        Field::Salary,
    ];

    /// The identifier used in exports and history (the CSV column name).
    pub const fn code(self) -> &'static str {
        match self {
            Field::EmpNo => "emp_no",
            Field::Name => "name",
            Field::Department => "department",
            Field::Title => "title",
            Field::Grade => "grade",
            Field::Manager => "manager_emp_no",
            Field::HireDate => "hire_date",
            Field::Status => "status",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::NationalId => "national_id",
            Field::Salary => "salary",
        }
    }

    /// The field's name as people read it, in the current language.
    pub fn label(self) -> String {
        match self {
            Field::EmpNo => tr!("staff.field.emp_no"),
            Field::Name => tr!("staff.field.name"),
            Field::Department => tr!("staff.field.department"),
            Field::Title => tr!("staff.field.title"),
            Field::Grade => tr!("staff.field.grade"),
            Field::Manager => tr!("staff.field.manager"),
            Field::HireDate => tr!("staff.field.hire_date"),
            Field::Status => tr!("staff.field.status"),
            Field::Phone => tr!("staff.field.phone"),
            Field::Email => tr!("staff.field.email"),
            Field::NationalId => tr!("staff.field.national_id"),
            Field::Salary => tr!("staff.field.salary"),
        }
    }

    /// Fields masked for roles that may not see them; revealing them is logged.
    pub fn is_sensitive(self) -> bool {
        matches!(self, Field::NationalId | Field::Salary)
    }

    /// The most characters the field's text may hold as typed (the fields
    /// held as text; the others are dates, numbers, choices and
    /// references). A phone or national ID may be typed with spaces and
    /// dashes: what is kept is shorter.
    pub fn max_chars(self) -> Option<usize> {
        match self {
            Field::EmpNo | Field::Grade | Field::Phone | Field::NationalId => Some(32),
            Field::Name | Field::Title => Some(100),
            Field::Email => Some(254),
            Field::Department
            | Field::Manager
            | Field::HireDate
            | Field::Status
            | Field::Salary => None,
        }
    }
}

/// The fields of a record held as text, with their values.
pub fn text_fields(record: &Employee) -> [(Field, &str); 7] {
    [
        (Field::EmpNo, &record.emp_no),
        (Field::Name, &record.name),
        (Field::Title, &record.title),
        (Field::Grade, &record.grade),
        (Field::Phone, &record.phone),
        (Field::Email, &record.email),
        (Field::NationalId, &record.national_id),
    ]
}

/// What is wrong with `text` as the value of `field` whatever its form:
/// a control character in it, or more characters than the field holds.
pub fn text_problem(field: Field, text: &str) -> Option<String> {
    if let Some((at, c)) = super::cleanup::control_character(text) {
        return Some(tr!(
            "staff.check.control_character",
            at = at,
            character = c.escape_unicode()
        ));
    }
    let max = field.max_chars()?;
    let count = text.chars().count();
    (count > max).then(|| tr!("staff.check.too_long", max = max, count = count))
}

/// What a sensitive value shows as to whoever may not see it, on screen,
/// in exports and in the log alike: one width whatever the value, so that
/// the mask does not tell a salary of 9,000 from one of 90,000.
pub const MASKED: &str = "******";

/// How department and manager ids read in history and exports.
pub trait Names {
    /// A department's path, e.g. `Acme / Sales`.
    fn department(&self, id: DepartmentId) -> String;
    /// An employee's number, e.g. `E0012`.
    fn emp_no(&self, id: EmployeeId) -> String;
}

/// Stores a date as its day number (days since 1 January of year 1): four
/// bytes, read back without parsing text.
mod day_number {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(date.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let days = i32::deserialize(deserializer)?;
        NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| {
            serde::de::Error::custom(crate::tr!("store.record.day_number", days = days))
        })
    }
}

/// Writes fen as yuan with two decimals: 1234567 → `12345.67`.
pub fn format_money(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

impl Employee {
    /// The record as a view, as the store's whole-company reads hand it out.
    pub fn view(&self) -> EmployeeView<'_> {
        EmployeeView {
            id: self.id,
            emp_no: &self.emp_no,
            name: &self.name,
            department: self.department,
            title: &self.title,
            grade: &self.grade,
            manager: self.manager,
            hire_date: self.hire_date,
            status: self.status,
            phone: &self.phone,
            email: &self.email,
            national_id: &self.national_id,
            salary: self.salary,
        }
    }

    /// The text of `field`, as exports write it and history records it.
    pub fn value(&self, field: Field, names: &impl Names) -> String {
        match field {
            Field::EmpNo => self.emp_no.clone(),
            Field::Name => self.name.clone(),
            Field::Department => names.department(self.department),
            Field::Title => self.title.clone(),
            Field::Grade => self.grade.clone(),
            Field::Manager => self.manager.map(|m| names.emp_no(m)).unwrap_or_default(),
            Field::HireDate => self.hire_date.format("%Y-%m-%d").to_string(),
            Field::Status => self.status.code().to_string(),
            Field::Phone => self.phone.clone(),
            Field::Email => self.email.clone(),
            Field::NationalId => self.national_id.clone(),
            Field::Salary => self.salary.map(format_money).unwrap_or_default(),
        }
    }

    /// Every field that has a value, as changes from nothing (a hire).
    pub fn as_new(&self, names: &impl Names) -> Vec<FieldChange> {
        Field::ALL
            .into_iter()
            .map(|field| FieldChange {
                field,
                old: String::new(),
                new: self.value(field, names),
            })
            .filter(|change| !change.new.is_empty())
            .collect()
    }

    /// The fields that differ from `after`, old value to new.
    pub fn diff(&self, after: &Employee, names: &impl Names) -> Vec<FieldChange> {
        Field::ALL
            .into_iter()
            .filter_map(|field| {
                let old = self.value(field, names);
                let new = after.value(field, names);
                (old != new).then_some(FieldChange { field, old, new })
            })
            .collect()
    }
}

/// One field's change in an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: Field,
    pub old: String,
    pub new: String,
}

/// What happened to an employee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    Hire,
    Transfer,
    Promotion,
    Leave,
    Return,
    Departure {
        reason: DepartureReason,
        note: String,
    },
    Rehire,
    /// A correction of recorded data (an edit, or an import with `--update`).
    Correction,
}

impl EventKind {
    pub fn code(&self) -> &'static str {
        match self {
            EventKind::Hire => "hire",
            EventKind::Transfer => "transfer",
            EventKind::Promotion => "promotion",
            EventKind::Leave => "leave",
            EventKind::Return => "return",
            EventKind::Departure { .. } => "departure",
            EventKind::Rehire => "rehire",
            EventKind::Correction => "correction",
        }
    }

    /// One event of every kind (a departure's reason and note left
    /// open), in the order histories explain them.
    pub fn every_kind() -> [EventKind; 8] {
        [
            EventKind::Hire,
            EventKind::Transfer,
            EventKind::Promotion,
            EventKind::Leave,
            EventKind::Return,
            EventKind::Departure {
                reason: DepartureReason::Other,
                note: String::new(),
            },
            EventKind::Rehire,
            EventKind::Correction,
        ]
    }

    /// The label of the event whose code is `code` (as audit actions name
    /// events: `employee.transfer`), if it is one.
    pub fn label_of_code(code: &str) -> Option<String> {
        let kinds = EventKind::every_kind();
        kinds
            .iter()
            .find(|k| k.code() == code)
            .map(EventKind::label)
    }

    pub fn label(&self) -> String {
        match self {
            EventKind::Hire => tr!("staff.event.hire"),
            EventKind::Transfer => tr!("staff.event.transfer"),
            EventKind::Promotion => tr!("staff.event.promotion"),
            EventKind::Leave => tr!("staff.event.leave"),
            EventKind::Return => tr!("staff.event.return"),
            EventKind::Departure { .. } => tr!("staff.event.departure"),
            EventKind::Rehire => tr!("staff.event.rehire"),
            EventKind::Correction => tr!("staff.event.correction"),
        }
    }

    /// The status the employee has after this event.
    pub fn status_after(&self, before: Status) -> Status {
        match self {
            EventKind::Hire | EventKind::Return | EventKind::Rehire => Status::Active,
            EventKind::Leave => Status::OnLeave,
            EventKind::Departure { .. } => Status::Departed,
            EventKind::Transfer | EventKind::Promotion | EventKind::Correction => before,
        }
    }
}

/// An entry of an employee's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleEvent {
    pub employee: EmployeeId,
    pub kind: EventKind,
    /// When the change takes effect (may differ from when it was recorded).
    pub effective: NaiveDate,
    pub operator: String,
    pub recorded_at: DateTime<Utc>,
    pub changes: Vec<FieldChange>,
}

/// Why a lifecycle action is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LifecycleError {
    /// The action does not apply to someone with this status.
    NotAllowed { event: String, status: Status },
    /// An event dated before the hire date.
    BeforeHire {
        event: String,
        date: NaiveDate,
        hire: NaiveDate,
    },
    /// A change of status dated before the one it follows (a return before
    /// its leave, a rehire before the departure).
    BeforeStatusChange {
        event: String,
        date: NaiveDate,
        earlier: String,
        earlier_date: NaiveDate,
    },
    /// An event that would make a later one (recorded or scheduled)
    /// impossible: a departure before a recorded transfer, a return
    /// between a leave and its recorded return.
    BreaksLater {
        event: String,
        date: NaiveDate,
        later: String,
        later_date: NaiveDate,
    },
    /// The person still manages active staff, who must be reassigned first.
    ManagesActiveStaff { name: String, reports: usize },
    /// The manager chosen would make a loop of managers.
    ManagerCycle { name: String, manager: String },
}

impl fmt::Display for LifecycleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            LifecycleError::NotAllowed { event, status } => {
                tr!(
                    "staff.error.not_allowed",
                    event = event,
                    status = status.label()
                )
            }
            LifecycleError::BeforeHire { event, date, hire } => tr!(
                "staff.error.before_hire",
                event = event,
                date = date,
                hire = hire
            ),
            LifecycleError::BeforeStatusChange {
                event,
                date,
                earlier,
                earlier_date,
            } => tr!(
                "staff.error.before_status_change",
                event = event,
                date = date,
                earlier = earlier,
                earlier_date = earlier_date
            ),
            LifecycleError::BreaksLater {
                event,
                date,
                later,
                later_date,
            } => tr!(
                "staff.error.breaks_later",
                event = event,
                date = date,
                later = later,
                later_date = later_date
            ),
            LifecycleError::ManagesActiveStaff { name, reports } => {
                tr!(
                    "staff.error.manages_active_staff",
                    name = name,
                    reports = reports
                )
            }
            LifecycleError::ManagerCycle { name, manager } => {
                tr!("staff.error.manager_cycle", name = name, manager = manager)
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for LifecycleError {}

/// Whether `kind` may happen to someone whose status is `status`.
pub fn check_transition(kind: &EventKind, status: Status) -> Result<(), LifecycleError> {
    let allowed = match kind {
        EventKind::Hire => false,
        EventKind::Leave => status == Status::Active,
        EventKind::Return => status == Status::OnLeave,
        EventKind::Departure { .. } => status != Status::Departed,
        EventKind::Rehire => status == Status::Departed,
        EventKind::Transfer | EventKind::Promotion => status != Status::Departed,
        EventKind::Correction => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(LifecycleError::NotAllowed {
            event: kind.label(),
            status,
        })
    }
}

/// True when making `manager` the manager of `employee` would close a loop:
/// `manager` is `employee` or reports (directly or not) to `employee`.
/// `manager_of` gives each employee's current manager.
pub fn creates_cycle(
    employee: EmployeeId,
    manager: EmployeeId,
    manager_of: impl Fn(EmployeeId) -> Option<EmployeeId>,
) -> bool {
    reaches(manager, employee, manager_of)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    struct Plain;

    impl Names for Plain {
        fn department(&self, id: DepartmentId) -> String {
            format!("D{id}")
        }
        fn emp_no(&self, id: EmployeeId) -> String {
            format!("E{id}")
        }
    }

    fn zhang() -> Employee {
        Employee {
            id: EmployeeId(1),
            emp_no: "E0001".into(),
            name: "张伟".into(),
            department: DepartmentId(3),
            title: "销售代表".into(),
            grade: "P3".into(),
            manager: Some(EmployeeId(9)),
            hire_date: NaiveDate::from_ymd_opt(2024, 3, 5).unwrap(),
            status: Status::Active,
            phone: "13812345678".into(),
            email: "zhang.wei@example.cn".into(),
            national_id: String::new(),
            salary: Some(1_250_050),
        }
    }

    #[test]
    fn statuses_read_codes_english_and_chinese() {
        assert_eq!(Status::parse("在职"), Some(Status::Active));
        assert_eq!(Status::parse(" On Leave "), Some(Status::OnLeave));
        assert_eq!(Status::parse("已离职"), Some(Status::Departed));
        assert_eq!(Status::parse("maybe"), None);
        for status in Status::ALL {
            assert_eq!(Status::parse(status.code()), Some(status));
        }
    }

    #[test]
    fn a_transfer_diff_names_each_changed_field() {
        let before = zhang();
        let after = Employee {
            department: DepartmentId(4),
            manager: Some(EmployeeId(7)),
            ..before.clone()
        };
        let diff = before.diff(&after, &Plain);
        assert_eq!(
            diff,
            vec![
                FieldChange {
                    field: Field::Department,
                    old: "D3".into(),
                    new: "D4".into()
                },
                FieldChange {
                    field: Field::Manager,
                    old: "E9".into(),
                    new: "E7".into()
                },
            ]
        );
        assert!(before.diff(&before, &Plain).is_empty());
        let hired = before.as_new(&Plain);
        assert_eq!(hired.len(), 11, "all but the empty national ID");
        assert!(hired.iter().all(|c| c.old.is_empty()));
    }

    #[test]
    fn money_reads_as_yuan_with_two_decimals() {
        assert_eq!(format_money(1_250_050), "12500.50");
        assert_eq!(format_money(5), "0.05");
        assert_eq!(zhang().value(Field::Salary, &Plain), "12500.50");
    }

    #[test]
    fn transitions_follow_the_status() {
        let departure = EventKind::Departure {
            reason: DepartureReason::Resigned,
            note: String::new(),
        };
        assert!(check_transition(&EventKind::Leave, Status::Active).is_ok());
        assert!(check_transition(&EventKind::Leave, Status::OnLeave).is_err());
        assert!(check_transition(&EventKind::Return, Status::OnLeave).is_ok());
        assert!(check_transition(&EventKind::Return, Status::Active).is_err());
        assert!(check_transition(&departure, Status::OnLeave).is_ok());
        assert!(check_transition(&departure, Status::Departed).is_err());
        assert!(check_transition(&EventKind::Rehire, Status::Departed).is_ok());
        assert!(check_transition(&EventKind::Rehire, Status::Active).is_err());
        assert!(check_transition(&EventKind::Transfer, Status::Departed).is_err());
        assert_eq!(departure.status_after(Status::Active), Status::Departed);
        assert_eq!(
            EventKind::Promotion.status_after(Status::OnLeave),
            Status::OnLeave
        );
    }

    #[test]
    fn cycles_are_found_through_the_chain() {
        // 3 reports to 2, 2 reports to 1.
        let managers: HashMap<u64, u64> = [(3, 2), (2, 1)].into();
        let of = |id: EmployeeId| managers.get(&id.0).map(|&m| EmployeeId(m));
        assert!(creates_cycle(EmployeeId(1), EmployeeId(3), of));
        assert!(creates_cycle(EmployeeId(1), EmployeeId(1), of));
        assert!(!creates_cycle(EmployeeId(3), EmployeeId(1), of));
        assert!(!creates_cycle(EmployeeId(4), EmployeeId(3), of));
    }

    proptest! {
        /// Assigning managers only when no cycle is reported keeps every
        /// chain of managers finite.
        #[test]
        fn refusing_cycles_keeps_chains_finite(
            assignments in proptest::collection::vec((0u64..20, 0u64..20), 0..80)
        ) {
            let mut managers: HashMap<u64, u64> = HashMap::new();
            for (employee, manager) in assignments {
                let of = |id: EmployeeId| managers.get(&id.0).map(|&m| EmployeeId(m));
                if !creates_cycle(EmployeeId(employee), EmployeeId(manager), of) {
                    managers.insert(employee, manager);
                }
            }
            for &start in managers.keys() {
                let mut cursor = Some(start);
                let mut steps = 0;
                while let Some(current) = cursor {
                    steps += 1;
                    prop_assert!(steps <= managers.len() + 1, "loop from {start}");
                    cursor = managers.get(&current).copied();
                }
            }
        }
    }
}
