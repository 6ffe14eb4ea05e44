//! The audit log view (`g l`): its filter by operator, action, entity and
//! days (a bad day refused on its field), the entry in full, the actions
//! in words in both languages, the export of what is shown, and what the
//! log says of lifecycle events (effective dates, a departure's reason).

use crate::common;

use chrono::NaiveDate;
use chrono::TimeZone;
use chrono::Utc;
use common::*;
use hrdesk::app::{App, Input};
use hrdesk::domain::audit::AuditEntry;
use hrdesk::domain::department::DepartmentId;
use hrdesk::domain::employee::{DepartureReason, Employee, EmployeeId, EventKind, Status};
use hrdesk::domain::operator::Role;
use hrdesk::i18n::{Lang, set_lang};
use hrdesk::panes::log::LogView;
use hrdesk::service::Session;
use hrdesk::service::{Clock, DepartmentDraft};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn person(emp_no: &str, name: &str, department: DepartmentId) -> Employee {
    Employee {
        id: EmployeeId(0),
        emp_no: emp_no.into(),
        name: name.into(),
        department,
        title: "销售代表".into(),
        grade: "P3".into(),
        manager: None,
        hire_date: date(2024, 3, 5),
        status: Status::Active,
        phone: "13812345678".into(),
        email: String::new(),
        national_id: String::new(),
        salary: Some(1_200_000),
    }
}

/// The newest entry of the log with action `action`.
fn last_entry(session: &Session, action: &str) -> AuditEntry {
    session
        .audit_log()
        .unwrap()
        .into_iter()
        .rev()
        .find(|e| e.record.action == action)
        .unwrap_or_else(|| panic!("no {action} entry"))
}

// ----- what lifecycle entries say -----

#[test]
fn leave_and_return_entries_carry_their_effective_dates() {
    let session = demo_session();
    let sales = department_named(&session, "销售部");
    let hired = session.hire(person("L1", "陆离", sales)).unwrap();
    let away = session
        .record_event(
            hired.id,
            EventKind::Leave,
            date(2026, 11, 2),
            hired.clone(),
            None,
        )
        .unwrap()
        .into_record();
    let leave = last_entry(&session, "employee.leave");
    let after = leave.record.after.as_deref().unwrap();
    assert!(after.contains("effective=2026-11-02"), "{after}");
    session
        .record_event(hired.id, EventKind::Return, date(2026, 11, 20), away, None)
        .unwrap();
    let back = last_entry(&session, "employee.return");
    let after = back.record.after.as_deref().unwrap();
    assert!(after.contains("status=active"), "{after}");
    assert!(after.contains("effective=2026-11-20"), "{after}");
}

#[test]
fn a_departure_entry_names_its_reason_and_note() {
    let session = demo_session();
    let sales = department_named(&session, "销售部");
    let hired = session.hire(person("D1", "邓离", sales)).unwrap();
    let kind = EventKind::Departure {
        reason: DepartureReason::ContractEnded,
        note: "合同到期不续".into(),
    };
    session
        .record_event(hired.id, kind, date(2026, 11, 20), hired.clone(), None)
        .unwrap();
    let entry = last_entry(&session, "employee.departure");
    let after = entry.record.after.as_deref().unwrap();
    assert!(after.contains("status=departed"), "{after}");
    assert!(
        after.contains("effective=2026-11-20 backdated reason=contract_ended note=合同到期不续"),
        "{after}"
    );
}

#[test]
fn a_scheduled_departure_names_its_reason_and_when_it_takes_effect() {
    let session = demo_session();
    let sales = department_named(&session, "销售部");
    let hired = session.hire(person("D2", "杜远", sales)).unwrap();
    let kind = EventKind::Departure {
        reason: DepartureReason::Retired,
        note: String::new(),
    };
    session
        .record_event(hired.id, kind, date(2027, 1, 31), hired.clone(), None)
        .unwrap();
    let entry = last_entry(&session, "employee.schedule");
    let after = entry.record.after.as_deref().unwrap();
    assert!(after.contains("event=departure from=2027-01-31"), "{after}");
    assert!(after.ends_with(" reason=retired"), "{after}");
    assert!(!after.contains("note="), "no note, none written: {after}");
}

// ----- the view -----

fn log(app: &App) -> &LogView {
    app.pane::<LogView>()
}

/// The actions of the entries shown, newest first.
fn shown_actions(app: &App) -> Vec<String> {
    log(app)
        .list
        .visible()
        .map(|e| e.record.action.clone())
        .collect()
}

fn draft(name: &str) -> DepartmentDraft {
    DepartmentDraft {
        name: name.into(),
        parent: None,
        head: None,
    }
}

/// The demo company with an entry by `hr.li` (a department added) and one
/// written three days before the others (an operator added).
fn demo_with_others() -> Demo {
    let demo = demo_session();
    let hr = demo.as_role("hr.li", Role::Hr);
    hr.add_department(draft("质量部")).unwrap();
    let earlier = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap());
    let admin = Session::login(demo.store_handle(), ADMIN, earlier).unwrap();
    admin.add_operator("hr.wang", Role::Hr).unwrap();
    demo
}

#[test]
fn the_filter_narrows_by_operator_and_shows_in_the_title() {
    let mut app = app_for(demo_with_others());
    press(&mut app, "g l");
    let all = log(&app).list.visible_len();
    press(&mut app, "F");
    assert_eq!(app.form().unwrap().title, "Filter the audit log");
    fill(&mut app, "operator", "hr.li");
    press(&mut app, "enter");
    assert!(app.form().is_none(), "{:?}", app.form());
    assert_eq!(shown_actions(&app), vec!["department.add"]);
    assert!(log(&app).list.visible().all(|e| e.operator == "hr.li"));
    assert_eq!(app.message().unwrap().text, "Showing 1 entries");
    let top = screen(&mut app, 80, 24);
    assert!(top.contains("Audit log · by hr.li (1)"), "{top}");
    // esc lifts the filter first, then leaves the view.
    press(&mut app, "esc");
    assert_eq!(log(&app).list.visible_len(), all);
    assert_eq!(app.shown().id(), "log");
    press(&mut app, "esc");
    assert_ne!(app.shown().id(), "log");
}

#[test]
fn the_filter_narrows_by_an_action_or_a_family_of_them() {
    let mut app = demo_app();
    press(&mut app, "g l F");
    fill(&mut app, "action", "vendor.spend");
    assert_eq!(app.form().unwrap().value("action"), "vendor.spend");
    press(&mut app, "enter");
    let actions = shown_actions(&app);
    assert!(!actions.is_empty());
    assert!(actions.iter().all(|a| a == "vendor.spend"), "{actions:?}");
    assert!(screen(&mut app, 100, 24).contains("Audit log · vendor spend recorded"));
    // A family: every vendor_project action, and only those.
    press(&mut app, "F");
    fill(&mut app, "action", "vendor_project.*");
    assert_eq!(app.form().unwrap().value("action"), "vendor_project.");
    press(&mut app, "enter");
    let actions = shown_actions(&app);
    assert!(
        actions.contains(&"vendor_project.add".to_string()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"vendor_project.choose".to_string()),
        "{actions:?}"
    );
    assert!(
        actions.iter().all(|a| a.starts_with("vendor_project.")),
        "{actions:?}"
    );
    assert!(screen(&mut app, 100, 24).contains("vendor_project.*"));
    // With an entity and the search words beside it.
    press(&mut app, "F");
    fill(&mut app, "action", "department.add");
    fill(&mut app, "entity", "department");
    fill(&mut app, "words", "门店");
    press(&mut app, "enter");
    let shown = log(&app);
    assert!(shown.list.visible_len() > 0);
    assert!(shown.list.visible().all(|e| e.record.entity == "department"
        && e.record.after.as_deref().unwrap_or("").contains("门店")));
    assert_eq!(shown.list.query.text(), "门店");
}

#[test]
fn the_filter_narrows_by_days_and_refuses_a_bad_day_on_its_field() {
    let mut app = app_for(demo_with_others());
    press(&mut app, "g l F");
    fill(&mut app, "from", "2026-13-01");
    fill(&mut app, "to", "2026-11-20");
    press(&mut app, "enter");
    let error = field_error(&app, "from").expect("the day is refused on its field");
    assert!(error.contains("2026-13-01"), "{error}");
    assert_eq!(app.form().unwrap().focused().unwrap().id, "from");
    assert!(log(&app).filter.is_empty(), "nothing changes");
    // The last day before the first is refused on the last.
    fill(&mut app, "from", "2026/11/21");
    press(&mut app, "enter");
    let error = field_error(&app, "to").expect("refused");
    assert!(error.contains("2026-11-21"), "{error}");
    // Only the entry written on the 20th.
    fill(&mut app, "from", "2026年11月20日");
    press(&mut app, "enter");
    assert!(app.form().is_none());
    assert_eq!(shown_actions(&app), vec!["operator.add"]);
    assert!(screen(&mut app, 80, 24).contains("2026-11-20 (1)"));
    // From a day on: everything written that day or after.
    press(&mut app, "F");
    fill(&mut app, "from", "2026-11-21");
    fill(&mut app, "to", "");
    press(&mut app, "enter");
    let total = app.session().audit_log().unwrap().len();
    assert_eq!(log(&app).list.visible_len(), total - 1);
    assert!(
        log(&app)
            .list
            .visible()
            .all(|e| e.record.entity_id != "hr.wang")
    );
    assert!(screen(&mut app, 80, 24).contains("from 2026-11-21"));
}

/// Every word of `words` found on the detail's screens, scrolling down a
/// line at a time from the top until the last shows.
fn read_whole(app: &mut App, words: &[String], width: u16, height: u16) -> String {
    let mut seen = String::new();
    for _ in 0..200 {
        let shown = screen(app, width, height);
        assert!(!shown.contains('…'), "nothing is cut:\n{shown}");
        seen.push_str(&shown);
        if words.iter().all(|w| seen.contains(w.as_str())) {
            break;
        }
        press(app, "j");
    }
    seen
}

#[test]
fn enter_opens_the_entry_in_full_with_its_long_text_whole() {
    let demo = demo_session();
    let sales = department_named(&demo, "销售部");
    let hired = demo.hire(person("E900001", "欧阳明", sales)).unwrap();
    let words: Vec<String> = (1..=300).map(|n| format!("w{n:03}")).collect();
    let kind = EventKind::Departure {
        reason: DepartureReason::Resigned,
        note: words.join(" "),
    };
    demo.record_event(hired.id, kind, date(2026, 11, 23), hired.clone(), None)
        .unwrap();
    let mut app = app_for(demo);
    press(&mut app, "g l");
    assert_eq!(shown_actions(&app)[0], "employee.departure");
    let list = screen(&mut app, 80, 24);
    assert!(
        list.contains('…'),
        "the list cuts the long change with a mark:\n{list}"
    );
    press(&mut app, "enter");
    assert!(log(&app).detail.is_some());
    let first = screen(&mut app, 80, 24);
    assert!(first.contains("Entry #"), "{first}");
    assert!(first.contains("departure (employee.departure)"), "{first}");
    assert!(first.contains("employee E900001 · 欧阳明"), "{first}");
    assert!(first.contains("status"), "{first}");
    assert!(first.contains("active → departed"), "{first}");
    assert!(first.contains("effective 2026-11-23"), "{first}");
    assert!(first.contains("reason    resigned"), "{first}");
    assert!(!first.contains("w300"), "the end is further down:\n{first}");
    let seen = read_whole(&mut app, &words, 80, 24);
    assert!(words.iter().all(|w| seen.contains(w.as_str())));
    // The usual keys scroll it back; esc goes back to the list.
    press(&mut app, "g g");
    assert_eq!(log(&app).detail.as_ref().unwrap().top, 0);
    press(&mut app, "esc");
    assert!(log(&app).detail.is_none());
    assert_eq!(
        app.shown().id(),
        "log",
        "esc closes the entry, not the view"
    );
}

#[test]
fn the_entry_in_full_names_the_key_and_the_people_its_numbers_stand_for() {
    let demo = demo_session();
    let sales = department_named(&demo, "销售部");
    let boss = demo.hire(person("B1", "包大人", sales)).unwrap();
    let clerk = demo.hire(person("C1", "陈小二", sales)).unwrap();
    let mut keyed = demo.store_handle();
    keyed.set_key(Some("SHA256:k3yPr1nt"));
    let session = Session::login(keyed, ADMIN, clock()).unwrap();
    let moved = Employee {
        manager: Some(boss.id),
        ..clerk.clone()
    };
    session
        .record_event(
            clerk.id,
            EventKind::Transfer,
            date(2026, 11, 23),
            moved,
            None,
        )
        .unwrap();
    let mut app = app_for(demo);
    press(&mut app, "g l enter");
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("transfer (employee.transfer)"), "{shown}");
    assert!(shown.contains("admin · SSH key SHA256:k3yPr1nt"), "{shown}");
    assert!(shown.contains("employee C1 · 陈小二"), "{shown}");
    assert!(shown.contains("manager_emp_no ∅ → B1 · 包大人"), "{shown}");
}

#[test]
fn the_actions_show_in_words_in_chinese() {
    set_lang(Lang::Zh);
    let mut app = demo_app();
    set_lang(Lang::En);
    press(&mut app, "g l");
    let list = screen(&mut app, 100, 24);
    assert!(list.contains("录入供应商支出"), "{list}");
    assert!(
        !list.contains("vendor.spend"),
        "the code stays out of the list:\n{list}"
    );
    // The search finds an entry by its action's name as shown.
    press(&mut app, "/");
    type_text(&mut app, "创建数据库");
    press(&mut app, "enter");
    assert_eq!(shown_actions(&app), vec!["database.create"]);
    press(&mut app, "enter");
    let detail = screen(&mut app, 100, 24);
    assert!(detail.contains("创建数据库 (database.create)"), "{detail}");
    assert!(detail.contains("操作员"), "{detail}");
    // The filter form offers the actions by their names too.
    press(&mut app, "esc F");
    fill(&mut app, "action", "选定供应商");
    assert_eq!(app.form().unwrap().value("action"), "vendor_project.choose");
}

#[test]
fn the_export_writes_the_entries_shown_and_is_logged() {
    let mut app = app_for(demo_with_others());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("audit.csv");
    press(&mut app, "g l F");
    fill(&mut app, "action", "operator.*");
    press(&mut app, "enter");
    let shown: Vec<u64> = log(&app).list.visible().map(|e| e.seq).collect();
    assert!(shown.len() >= 2, "{shown:?}");
    press(&mut app, "x");
    let form = app.form().expect("the export form");
    assert!(
        form.title.contains(&format!("{} entries", shown.len())),
        "{}",
        form.title
    );
    assert!(
        form.value("file").starts_with("audit-log-20261123-"),
        "{}",
        form.value("file")
    );
    fill(&mut app, "file", &file.display().to_string());
    press(&mut app, "enter");
    assert!(app.form().is_none(), "{:?}", app.form());
    let said = &app.message().unwrap().text;
    assert_eq!(
        said,
        &format!("Wrote {} entries to {}", shown.len(), file.display())
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("seq,at,operator,action,entity,entity_id,before,after,key,hash")
    );
    let seqs: Vec<u64> = lines
        .map(|line| line.split(',').next().unwrap().parse().unwrap())
        .collect();
    let mut oldest_first = shown.clone();
    oldest_first.reverse();
    assert_eq!(seqs, oldest_first, "the entries shown, oldest first");
    assert!(
        text.lines().skip(1).all(|l| l.contains(",operator.")),
        "{text}"
    );
    // The export is itself logged, with what chose the entries and where they went.
    let entry = app.session().audit_log().unwrap().pop().unwrap();
    assert_eq!(entry.record.action, "audit_log.export");
    let after = entry.record.after.unwrap();
    assert_eq!(
        after,
        format!(
            "rows={} action=operator. file={}",
            shown.len(),
            file.display()
        )
    );
    // A file that is there already is not written over.
    press(&mut app, "x");
    fill(&mut app, "file", &file.display().to_string());
    press(&mut app, "enter");
    let refused = field_error(&app, "file").expect("refused on the field");
    assert!(refused.contains("exists already"), "{refused}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn entries_written_while_the_log_is_shown_come_in_at_the_top_through_the_filter() {
    // Another console's writes are seen through the file's change feed.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hr.redb");
    let open = |user: &str| file_session(&path, user);
    let admin = file_demo(&path, 0);
    admin.add_operator("hr.li", Role::Hr).unwrap();
    let hr = open("hr.li");
    hr.add_department(draft("质量部")).unwrap();
    let mut app = app_for(open(ADMIN));
    press(&mut app, "g l F");
    fill(&mut app, "operator", "hr.li");
    press(&mut app, "enter");
    assert_eq!(log(&app).list.visible_len(), 1);
    hr.add_department(draft("法务部")).unwrap();
    admin.add_department(draft("采购部")).unwrap();
    app.on_input(Input::StoreChanged);
    let shown: Vec<String> = log(&app)
        .list
        .visible()
        .map(|e| e.record.after.clone().unwrap_or_default())
        .collect();
    assert_eq!(shown.len(), 2, "only hr.li's new entry: {shown:?}");
    assert!(shown[0].contains("法务部"), "newest first: {shown:?}");
    assert!(
        log(&app)
            .list
            .selected()
            .unwrap()
            .record
            .after
            .as_deref()
            .unwrap()
            .contains("质量部"),
        "the selected entry stays selected"
    );
    // Lifting the filter reads the whole log again, new entries and all.
    press(&mut app, "esc");
    let all = app.session().audit_log().unwrap().len();
    assert_eq!(log(&app).list.visible_len(), all);
}

// ----- snapshots -----

/// The demo company with a departure (its reason and a long note) last.
fn demo_with_a_departure() -> App {
    let demo = demo_session();
    let sales = department_named(&demo, "销售部");
    let hired = demo.hire(person("E900001", "欧阳明", sales)).unwrap();
    let kind = EventKind::Departure {
        reason: DepartureReason::Resigned,
        note: "家庭原因，搬迁至成都；交接已于 11 月 20 日完成，客户名单转交 E000002，门店钥匙交回行政部"
            .into(),
    };
    demo.record_event(hired.id, kind, date(2026, 11, 20), hired.clone(), None)
        .unwrap();
    app_for(demo)
}

/// Snapshots `keys` pressed on the demo with a departure, as `name@en`
/// and `name@zh`, at `width`×`height`.
fn snapshot_both(name: &str, keys: &str, width: u16, height: u16) {
    for lang in Lang::ALL {
        set_lang(lang);
        let mut app = demo_with_a_departure();
        press(&mut app, keys);
        insta::assert_snapshot!(
            format!("{name}@{}", lang.code()),
            render(&mut app, width, height)
        );
    }
    set_lang(Lang::En);
}

#[test]
fn log_view_snapshots() {
    snapshot_both("log_view", "g l", 80, 24);
    snapshot_both("log_view_wide", "g l", 160, 48);
}

#[test]
fn log_detail_snapshots() {
    snapshot_both("log_detail", "g l enter", 80, 24);
    snapshot_both("log_detail_wide", "g l enter", 160, 48);
}

#[test]
fn log_filter_snapshots() {
    snapshot_both("log_filter_form", "g l F", 80, 24);
}
