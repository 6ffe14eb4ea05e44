//! A staff import that streams: rows checked on one thread while another
//! writes them, all in one transaction. A problem late in a large sheet
//! still writes nothing; managers named further down the sheet than their
//! reports are set once the sheet is read, loops through them are found;
//! the import is one audit entry and leaves the file verifying.

use crate::common;

use hrdesk::domain::employee::EmployeeId;
use hrdesk::import::read_staff;
use hrdesk::service::{ImportOptions, ImportOutcome, Session};

const HEADER: &str = "emp_no,name,department,title,grade,manager_emp_no,hire_date,status,phone,email,national_id,salary";

/// Row `i` of a generated sheet: `S{i}` in 销售部, reporting to `manager`.
fn row(i: usize, manager: &str) -> String {
    format!("S{i:06},员工{i},销售部,Clerk,P1,{manager},2024-03-01,active,139{i:08},,,8000")
}

/// A sheet of `count` new people, each reporting to the one before,
/// with `last` in place of the last row when given.
fn sheet(count: usize, last: Option<String>) -> String {
    let mut lines = vec![HEADER.to_string()];
    for i in 1..=count {
        let manager = if i == 1 {
            String::new()
        } else {
            format!("S{:06}", i - 1)
        };
        lines.push(row(i, &manager));
    }
    if let Some(last) = last {
        lines.pop();
        lines.push(last);
    }
    lines.join("\n")
}

fn import(session: &Session, text: &str) -> ImportOutcome {
    let sheet = read_staff(text.as_bytes()).expect("readable sheet");
    session
        .import_staff(&sheet, ImportOptions::default())
        .expect("import runs")
}

/// How many people and audit entries the file holds.
fn counts(demo: &common::Demo) -> (u64, u64) {
    (
        demo.store().employee_count().expect("count"),
        demo.store().audit_count().expect("count"),
    )
}

#[test]
fn a_problem_in_the_last_row_of_a_large_sheet_writes_nothing() {
    let demo = common::demo_session();
    let (people, entries) = counts(&demo);
    // The last row repeats the first one's phone with its name: found
    // after thousands of rows were already written in the transaction.
    let text = sheet(
        5_000,
        Some(row(1, "S004999").replacen("S000001", "S005000", 1)),
    );
    let ImportOutcome::Problems(problems) = import(&demo, &text) else {
        panic!("the repeated name and phone is refused");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, 5_001);
    assert!(problems[0].message.contains('2'), "{}", problems[0].message);
    assert_eq!(counts(&demo), (people, entries));
}

#[test]
fn a_large_sheet_is_one_audit_entry_and_the_file_still_verifies() {
    let demo = common::demo_session();
    let (people, entries) = counts(&demo);
    let ImportOutcome::Clean(summary) = import(&demo, &sheet(3_000, None)) else {
        panic!("a clean sheet");
    };
    assert_eq!((summary.inserted, summary.written), (3_000, true));
    assert_eq!(
        demo.store().employee_count().expect("count"),
        people + 3_000
    );
    let log = demo.store().audit_entries().expect("log");
    assert_eq!(log.len() as u64, entries + 1);
    assert_eq!(
        log.last().map(|e| e.record.action.as_str()),
        Some("staff.import")
    );
    let last = demo
        .find_employee("S003000")
        .expect("read")
        .expect("imported");
    let boss = demo
        .find_employee("S002999")
        .expect("read")
        .expect("imported");
    assert_eq!(last.manager, Some(boss.id));
    assert!(demo.verify(None).expect("verify").intact());
}

#[test]
fn managers_named_further_down_are_set_once_the_sheet_is_read() {
    let demo = common::demo_session();
    let text = [
        HEADER.to_string(),
        row(3, "S000002"),
        row(2, "S000001"),
        row(1, ""),
    ]
    .join("\n");
    let ImportOutcome::Clean(summary) = import(&demo, &text) else {
        panic!("a clean sheet");
    };
    assert_eq!(summary.inserted, 3);
    let id =
        |no: &str| -> EmployeeId { demo.find_employee(no).expect("read").expect("imported").id };
    let third = demo
        .find_employee("S000003")
        .expect("read")
        .expect("imported");
    assert_eq!(third.manager, Some(id("S000002")));
    let history = demo.history(third.id).expect("history");
    assert!(
        history[0].changes.iter().any(|c| c.new == "S000002"),
        "the hire names the manager: {history:?}"
    );
    assert!(demo.verify(None).expect("verify").intact());
}

#[test]
fn a_loop_through_managers_named_further_down_is_refused() {
    let demo = common::demo_session();
    let text = [HEADER.to_string(), row(1, "S000002"), row(2, "S000001")].join("\n");
    let ImportOutcome::Problems(problems) = import(&demo, &text) else {
        panic!("a loop is refused");
    };
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 3], "{problems:?}");
    assert!(problems[0].message.contains("S000001"), "{problems:?}");
    assert!(demo.find_employee("S000001").expect("read").is_none());
}
