//! The demo company's people: a deterministic generator (same seed, same
//! staff) of employees with Chinese and English names, the tricky surnames
//! search must get right, a manager chain that follows the department tree,
//! and valid phones, e-mails and national IDs. They go in through the same
//! import as a real spreadsheet; a few then transfer, get promoted, go on
//! leave or leave the company, through the same lifecycle operations as in
//! the console.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::dice::Dice;
use crate::domain::department::{DepartmentId, DepartmentTree};
use crate::domain::directory::FieldProblem;
use crate::domain::employee::{DepartureReason, EventKind, Field, Status};
use crate::import::{Column, RawRow, Sheet, SourceEncoding};
use crate::service::{ImportOptions, ImportOutcome, OpError, Session, describe};

/// Surnames, common ones first, then those with special readings.
const SURNAMES: [&str; 32] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "林", "何", "曾", "单", "解", "仇", "区", "查", "朴", "盖", "尉迟", "万俟", "欧阳", "上官",
    "翟", "覃",
];

const GIVEN_NAMES: [&str; 30] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "华", "慧", "建国", "晓东", "雪", "婷", "海燕", "子涵", "浩然", "一鸣", "思远",
    "欣怡",
];

const ENGLISH_NAMES: [&str; 8] = [
    "Emily Wang",
    "David Chen",
    "Lucas Li",
    "Sophia Zhang",
    "Michael Liu",
    "Grace Lin",
    "Kevin Zhou",
    "Anna Xu",
];

const TITLES: [&str; 6] = ["专员", "主管", "销售代表", "店员", "工程师", "分析师"];
const GRADES: [&str; 5] = ["P1", "P2", "P3", "P4", "P5"];
const AREAS: [&str; 5] = ["110105", "310104", "440305", "330106", "320102"];

/// The ISO 7064 MOD 11-2 check character of a resident ID's first 17 digits.
fn id_check_char(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// One generated person, before they become a sheet row.
struct Person {
    emp_no: String,
    name: String,
    department: DepartmentId,
    title: String,
    grade: String,
    manager: Option<String>,
    hire_date: NaiveDate,
    phone: String,
    email: String,
    national_id: String,
    salary: String,
}

fn person(dice: &mut Dice, number: usize, department: DepartmentId, head: Option<&str>) -> Person {
    let name = match head {
        Some(name) => name.to_string(),
        None if dice.below(20) == 0 => dice.pick(&ENGLISH_NAMES).to_string(),
        None => format!("{}{}", dice.pick(&SURNAMES), dice.pick(&GIVEN_NAMES)),
    };
    let start = NaiveDate::from_ymd_opt(2015, 1, 5).unwrap_or_default();
    let hire_date = start + Duration::days(dice.below(4000) as i64);
    // Birth day and sequence both follow from the number, so no two people
    // share an ID however many there are (53 and 12000 have no common factor).
    let birth = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
        + Duration::days((number / 1000 * 53 % 12000) as i64);
    let first17 = format!(
        "{}{}{:03}",
        dice.pick(&AREAS),
        birth.format("%Y%m%d"),
        number % 1000
    );
    let national_id = format!("{first17}{}", id_check_char(&first17));
    let emp_no = format!("E{number:06}");
    Person {
        email: format!("{}@xinghe.example", emp_no.to_lowercase()),
        phone: format!("13{:09}", number * 7919 % 1_000_000_000),
        emp_no,
        name,
        department,
        title: if head.is_some() {
            "经理".to_string()
        } else {
            dice.pick(&TITLES).to_string()
        },
        grade: if head.is_some() {
            "M1".to_string()
        } else {
            dice.pick(&GRADES).to_string()
        },
        manager: None,
        hire_date,
        national_id,
        salary: format!(
            "{}",
            6000 + dice.below(30) * 500 + if head.is_some() { 15000 } else { 0 }
        ),
    }
}

/// Generates `count` people: each department's head first (reporting to the
/// parent department's head), then staff spread over the departments, most
/// of them in the stores and sales regions (the leaves of the tree).
fn generate(
    tree: &DepartmentTree,
    heads: &HashMap<DepartmentId, &str>,
    count: usize,
) -> Vec<Person> {
    let mut dice = Dice(0x4852_4445_534B);
    let mut people: Vec<Person> = Vec::with_capacity(count);
    let mut head_of: HashMap<DepartmentId, String> = Default::default();
    for row in tree.rows() {
        if people.len() >= count {
            break;
        }
        let dept = row.department;
        let name = heads.get(&dept.id).copied();
        let mut head = person(&mut dice, people.len() + 1, dept.id, name);
        head.manager = dept.parent.and_then(|p| head_of.get(&p).cloned());
        head_of.insert(dept.id, head.emp_no.clone());
        people.push(head);
    }
    let leaves: Vec<DepartmentId> = tree
        .rows()
        .into_iter()
        .map(|r| r.department.id)
        .filter(|&id| tree.children(Some(id)).is_empty())
        .collect();
    while people.len() < count {
        let department = *dice.pick(&leaves);
        let mut staff = person(&mut dice, people.len() + 1, department, None);
        staff.manager = head_of.get(&department).cloned();
        people.push(staff);
    }
    people
}

/// The people as rows of a staff sheet, as a spreadsheet would give them.
fn as_sheet(people: &[Person], tree: &DepartmentTree) -> Sheet {
    let rows = people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut values: [Option<String>; 12] = Default::default();
            let mut set = |column: Column, value: String| {
                values[column as usize] = (!value.is_empty()).then_some(value);
            };
            set(Column::EmpNo, p.emp_no.clone());
            set(Column::Name, p.name.clone());
            set(Column::Department, tree.path(p.department));
            set(Column::Title, p.title.clone());
            set(Column::Grade, p.grade.clone());
            set(Column::Manager, p.manager.clone().unwrap_or_default());
            set(Column::HireDate, p.hire_date.format("%Y-%m-%d").to_string());
            set(Column::Phone, p.phone.clone());
            set(Column::Email, p.email.clone());
            set(Column::NationalId, p.national_id.clone());
            set(Column::Salary, p.salary.clone());
            RawRow {
                line: i + 2,
                values,
            }
        })
        .collect();
    Sheet {
        encoding: SourceEncoding::Utf8,
        columns: Column::ALL.to_vec(),
        rows,
    }
}

/// Hires `count` demo employees through the staff import, then gives a few
/// of them a history: transfers, promotions, leave and departures.
/// Hires `count` people (each department's head, named in `heads`, first)
/// and gives some of them a history; then each department gets its head.
pub fn hire_staff(
    session: &Session,
    heads: &HashMap<DepartmentId, &str>,
    count: usize,
) -> Result<(), OpError> {
    if count == 0 {
        return Ok(());
    }
    let tree = session.department_tree()?;
    let people = generate(&tree, heads, count);
    match session.import_staff(&as_sheet(&people, &tree), ImportOptions::default())? {
        ImportOutcome::Clean(_) => {}
        ImportOutcome::Problems(problems) => {
            // The generator makes valid rows; a problem here is a bug in it.
            let problems: Vec<FieldProblem> = problems
                .into_iter()
                .map(|p| FieldProblem::new(Field::EmpNo, format!("{}: {}", p.line, p.message)))
                .collect();
            return Err(OpError::Invalid(problems));
        }
    }
    // The heads come first, one per department in the tree's order.
    for (row, head) in tree.rows().into_iter().zip(&people) {
        let dept = row.department;
        session.edit_department(dept.id, &dept.name, Some(head.emp_no.clone()))?;
    }
    make_history(session)
}

/// Some staff (not heads) move, rise, rest or leave, a year after joining.
fn make_history(session: &Session) -> Result<(), OpError> {
    let directory = session.directory()?;
    let managers: std::collections::HashSet<_> = directory
        .employees()
        .iter()
        .filter_map(|e| e.manager)
        .collect();
    let staff: Vec<_> = directory
        .employees()
        .iter()
        .filter(|e| !managers.contains(&e.id))
        .cloned()
        .collect();
    let leaves: Vec<DepartmentId> = staff.iter().map(|e| e.department).collect();
    for (i, employee) in staff.iter().take(40).enumerate() {
        let when = employee.hire_date.with_year(employee.hire_date.year() + 1);
        let when = when.unwrap_or(employee.hire_date + Duration::days(365));
        let (kind, after) = match i % 4 {
            0 => {
                let to = leaves[(i * 7 + 3) % leaves.len()];
                let moved = crate::domain::employee::Employee {
                    department: to,
                    manager: directory
                        .employees()
                        .iter()
                        .find(|e| e.department == to && managers.contains(&e.id))
                        .map(|e| e.id),
                    ..employee.clone()
                };
                (EventKind::Transfer, moved)
            }
            1 => {
                let promoted = crate::domain::employee::Employee {
                    grade: "P5".to_string(),
                    title: "高级专员".to_string(),
                    salary: employee.salary.map(|s| s + 200_000),
                    ..employee.clone()
                };
                (EventKind::Promotion, promoted)
            }
            2 if employee.status == Status::Active => (EventKind::Leave, employee.clone()),
            _ => (
                EventKind::Departure {
                    reason: DepartureReason::ALL[i % DepartureReason::ALL.len()],
                    note: String::new(),
                },
                employee.clone(),
            ),
        };
        session
            .record_event(employee.id, kind, when, after, None)
            .map_err(|e| {
                OpError::Invalid(vec![FieldProblem::new(Field::EmpNo, describe_error(&e))])
            })?;
    }
    Ok(())
}

fn describe_error(err: &OpError) -> String {
    match err {
        OpError::Invalid(problems) => describe(problems),
        other => other.to_string(),
    }
}
