//! End-to-end tests of effective dating on the real binary: `hrdesk import
//! events` (all or nothing, every problem as `FILE:LINE: column: reason`,
//! departures with their hooks, later dates scheduled), `hrdesk scheduled`
//! (list, move, cancel) and `hrdesk apply-due` for cron. Dates are taken
//! from today (the harness runs in UTC), as a user's sheet would be.

use crate::e2e;

use chrono::{Days, NaiveDate, TimeZone, Utc};
use e2e::{Sandbox, admin};
use hrdesk::domain::employee::EventKind;
use hrdesk::service::{Clock, Session};
use hrdesk::store::Store;

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn days_from_today(days: i64) -> String {
    let day = if days >= 0 {
        today() + Days::new(days.unsigned_abs())
    } else {
        today() - Days::new(days.unsigned_abs())
    };
    day.to_string()
}

/// The staff export's row of `emp_no`, by column name.
fn staff_row(sandbox: &Sandbox, emp_no: &str) -> std::collections::HashMap<String, String> {
    staff_row_with(sandbox, emp_no, &[])
}

/// The row of `emp_no` in `export staff` with `more` arguments.
fn staff_row_with(
    sandbox: &Sandbox,
    emp_no: &str,
    more: &[&str],
) -> std::collections::HashMap<String, String> {
    let mut args = vec!["export", "staff"];
    args.extend_from_slice(more);
    let (header, rows) = sandbox.on_db(&args).success().csv();
    let row = rows
        .into_iter()
        .find(|row| row[0] == emp_no)
        .unwrap_or_else(|| panic!("{emp_no} exported"));
    header.into_iter().zip(row).collect()
}

#[test]
fn a_sheet_with_problems_names_every_one_and_writes_nothing() {
    let sandbox = Sandbox::with_demo();
    let sheet = format!(
        "工号,事件,生效日期,部门,离职原因\n\
         E000010,调动,{past},财务部,\n\
         E999999,transfer,{past},销售部,\n\
         E000014,return,{past},,\n\
         E000015,departure,2027-02-30,,\n\
         E000016,transfer,{past},没有这个部门,\n\
         E000017,fired,{past},,\n",
        past = days_from_today(-2)
    );
    let file = sandbox.write_file("reorg.csv", sheet.as_bytes());
    let before = sandbox.audit_json().len();
    let out = sandbox.on_db(&["import", "events", &file]);
    out.code(1).stdout_has(&[
        "reorg.csv:3: emp_no: there is no employee E999999",
        "reorg.csv:4: effective_date: a return is not possible",
        "reorg.csv:5: effective_date: “2027-02-30” is not a real date",
        "reorg.csv:5: reason: a departure needs its reason",
        "reorg.csv:6: department: no department matches",
        "reorg.csv:7: event: \"fired\" is not an event",
    ]);
    out.stderr_has(&["6 problem(s)", "nothing was imported"]);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        sheet.as_bytes(),
        "the sheet is left as it was"
    );
    assert_eq!(sandbox.audit_json().len(), before, "nothing written");
    assert_ne!(
        staff_row(&sandbox, "E000010")["department"],
        "星河零售 Xinghe Retail / 财务部"
    );
}

/// Someone active, managing nobody active, with an active account binding.
fn leaver_with_bindings(sandbox: &Sandbox) -> String {
    let (header, staff) = sandbox.on_db(&["export", "staff"]).success().csv();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (status, manager) = (column("status"), column("manager_emp_no"));
    let active: Vec<&Vec<String>> = staff.iter().filter(|row| row[status] == "active").collect();
    let (_, bindings) = sandbox.on_db(&["export", "bindings"]).success().csv();
    bindings
        .iter()
        .filter(|binding| binding[5] == "active")
        .map(|binding| binding[1].clone())
        .find(|emp_no| {
            active.iter().any(|row| &row[0] == emp_no)
                && !active.iter().any(|row| &row[manager] == emp_no)
        })
        .expect("someone to depart")
}

#[test]
fn a_reorganisation_sheet_moves_schedules_and_departs_in_one_go() {
    let sandbox = Sandbox::with_demo();
    let leaver = leaver_with_bindings(&sandbox);
    let sheet = format!(
        "emp_no,event,effective_date,department,manager_emp_no,title,reason,note\n\
         E000010,transfer,{past},财务部,,Lead,,\n\
         E000011,promotion,{later},,,高级经理,,\n\
         {leaver},departure,{past},,,,contract_ended,合同到期不续签\n",
        past = days_from_today(-1),
        later = days_from_today(40),
    );
    let file = sandbox.write_file("reorg.csv", sheet.as_bytes());
    let before = sandbox.audit_json().len();
    sandbox
        .on_db(&["import", "events", &file, "--dry-run"])
        .success()
        .stdout_has(&[
            "Dry run: 2 event(s) would take effect (1 departure(s)), 1 would be scheduled",
        ]);
    assert_eq!(
        sandbox.audit_json().len(),
        before,
        "a dry run writes nothing"
    );
    sandbox
        .on_db(&["import", "events", &file])
        .success()
        .stdout_has(&["Recorded 2 event(s) (1 departure(s)), scheduled 1"]);
    let moved = staff_row(&sandbox, "E000010");
    assert_eq!(moved["department"], "星河零售 Xinghe Retail / 财务部");
    assert_eq!(moved["title"], "Lead");
    assert_eq!(staff_row(&sandbox, &leaver)["status"], "departed");
    assert_ne!(
        staff_row(&sandbox, "E000011")["title"],
        "高级经理",
        "a promotion dated later waits"
    );
    // State as of any day comes from the timeline.
    let before = days_from_today(-3);
    let then = staff_row_with(&sandbox, "E000010", &["--as-of", &before]);
    assert_ne!(then["department"], moved["department"]);
    assert_eq!(
        staff_row_with(&sandbox, &leaver, &["--as-of", &before])["status"],
        "active"
    );
    let later = days_from_today(45);
    let promoted = staff_row_with(&sandbox, "E000011", &["--as-of", &later]);
    assert_eq!(promoted["title"], "高级经理");
    sandbox
        .on_db(&["export", "goals", "--as-of", &later])
        .code(2)
        .stderr_has(&["--as-of goes only with export staff"]);
    // The departure's hooks ran: the leaver's accounts are unbound.
    let (header, bindings) = sandbox.on_db(&["export", "bindings"]).success().csv();
    let state = header.iter().position(|h| h == "state").unwrap();
    let leavers: Vec<&Vec<String>> = bindings.iter().filter(|b| b[1] == leaver).collect();
    assert!(!leavers.is_empty());
    assert!(leavers.iter().all(|b| b[state] != "active"), "{leavers:?}");
    // The log marks the back-dated events and names the file.
    let log = sandbox.audit_json();
    let actions: Vec<String> = log
        .iter()
        .map(|e| format!("{} {}", e["action"], e["after"]))
        .collect();
    assert!(
        actions
            .iter()
            .any(|a| a.contains("employee.transfer") && a.contains("backdated"))
    );
    assert!(actions.iter().any(|a| a.contains("file=reorg.csv")));
    // The scheduled promotion is listed, moved, and cancelled.
    sandbox
        .on_db(&["scheduled"])
        .success()
        .stdout_has(&["S1", "E000011", "promotion", "高级经理"]);
    sandbox
        .on_db(&["scheduled", "move", "S1", "--to", &days_from_today(60)])
        .success()
        .stdout_has(&["Moved: S1"]);
    let json = sandbox
        .on_db(&["scheduled", "list", "--format", "json"])
        .success()
        .json_rows();
    assert_eq!(json[0]["effective"], days_from_today(60));
    sandbox
        .on_db(&["scheduled", "cancel", "S1"])
        .success()
        .stdout_has(&["Cancelled: S1"]);
    sandbox
        .on_db(&["scheduled"])
        .success()
        .stdout_has(&["Nothing is scheduled."]);
    sandbox
        .on_db(&["scheduled", "cancel", "banana"])
        .code(2)
        .stderr_has(&["\"banana\" is not the number of a scheduled change"]);
}

#[test]
fn apply_due_makes_what_came_due_take_effect_once() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["apply-due"])
        .success()
        .stdout_has(&["Nothing has come due."]);
    // Scheduled a week ago for yesterday, as a console would have.
    {
        let store = Store::open(&sandbox.db()).expect("open");
        let week_ago = today() - Days::new(7);
        let at = Utc.from_utc_datetime(&week_ago.and_hms_opt(9, 0, 0).unwrap());
        let session = Session::login(store, admin(), Clock::Fixed(at)).expect("login");
        let person = session.find_employee("E000010").unwrap().unwrap();
        let renamed = hrdesk::domain::employee::Employee {
            title: "Area Lead".into(),
            ..person.clone()
        };
        let yesterday = today() - Days::new(1);
        session
            .record_event(person.id, EventKind::Promotion, yesterday, renamed, None)
            .unwrap();
    }
    // Listing reads only: it changes nothing.
    sandbox
        .on_db(&["scheduled"])
        .success()
        .stdout_has(&["S1", "Area Lead"]);
    sandbox.on_db(&["apply-due"]).success().stdout_has(&[
        "Took effect: S1",
        "E000010",
        "promotion",
    ]);
    assert_eq!(staff_row(&sandbox, "E000010")["title"], "Area Lead");
    sandbox
        .on_db(&["apply-due"])
        .success()
        .stdout_has(&["Nothing has come due."]);
    let log = sandbox.audit_json();
    assert!(log.iter().any(|e| {
        e["action"] == "employee.promotion"
            && e["after"]
                .as_str()
                .unwrap_or_default()
                .contains("took_effect id=S1")
    }));
}

#[test]
fn only_hr_and_admins_import_events_or_apply_what_is_due() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["operator", "add", "vera", "--role", "viewer"])
        .success();
    let file = sandbox.write_file(
        "e.csv",
        format!(
            "emp_no,event,effective_date\nE000013,leave,{}\n",
            days_from_today(0)
        )
        .as_bytes(),
    );
    sandbox
        .on_db_as("vera", &["import", "events", &file])
        .code(3)
        .stderr_has(&["vera"]);
    sandbox.on_db_as("vera", &["apply-due"]).code(3);
}
