//! The Staff pane's lifecycle forms driven through the real keymap: hiring,
//! corrections, transfers, promotions, leave and return, departures (with
//! the offer to reassign reports), rehiring, revealing sensitive fields, the
//! department filter, and importing from the palette. Checked on the state,
//! the history, the audit log and the rendered screen.

use crate::common;

use common::*;
use hrdesk::app::{App, Mode, Overlay};
use hrdesk::domain::employee::{Employee, Field, Status};
use hrdesk::domain::operator::Role;
use hrdesk::panes::staff;

/// Replaces the text of field `id`.
fn fill(app: &mut App, id: &str, text: &str) {
    focus(app, id);
    press(app, "ctrl-u");
    type_text(app, text);
}

/// Presses enter and checks that the form stays open blaming field `id`.
fn submit_refused(app: &mut App, id: &str, why: &str) {
    press(app, "enter");
    assert!(field_error(app, id).is_some(), "{id}: {why}");
}

fn audit_actions(app: &App) -> Vec<String> {
    app.session()
        .audit_log()
        .unwrap()
        .into_iter()
        .map(|e| e.record.action)
        .collect()
}

/// Someone active who manages active staff and has a manager of their own.
fn middle_manager(app: &App) -> (Employee, usize, Employee) {
    let directory = app.session().directory().unwrap();
    directory
        .employees()
        .iter()
        .filter(|e| e.status == Status::Active)
        .find_map(|e| {
            let reports = directory.active_reports(e.id).len();
            let boss = e.manager.and_then(|m| directory.get(m))?;
            (reports > 0 && boss.status == Status::Active)
                .then(|| (e.clone(), reports, boss.clone()))
        })
        .expect("the demo has middle managers")
}

#[test]
fn hiring_through_the_form_records_the_hire_and_selects_the_new_row() {
    let mut app = demo_app_with_staff(40);
    press(&mut app, "a");
    assert_eq!(app.mode(), Mode::Form);
    assert!(screen(&mut app, 80, 30).contains("Hire"));
    fill(&mut app, "emp_no", "E900001");
    fill(&mut app, "name", "解小明");
    fill(&mut app, "title", "Analyst");
    fill(&mut app, "manager_emp_no", "E000001");
    fill(&mut app, "hire_date", "2026年11月2日");
    fill(&mut app, "phone", "138 0013 8000");
    fill(&mut app, "email", "Xie.XM@Example.com");
    fill(&mut app, "salary", "￥12,000");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let (record, history) = app.pane::<staff::StaffView>().selected.clone().unwrap();
    assert_eq!(record.emp_no, "E900001");
    assert_eq!(record.hire_date.to_string(), "2026-11-02");
    assert_eq!(record.phone, "13800138000");
    assert_eq!(record.salary, Some(1_200_000));
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].kind.code(), "hire");
    assert_eq!(app.pane::<staff::StaffView>().list.items().len(), 41);
    assert!(audit_actions(&app).contains(&"employee.hire".to_string()));
    assert!(app.message().unwrap().text.contains("E900001 解小明"));
}

#[test]
fn a_bad_hire_marks_every_field_at_fault_and_writes_nothing() {
    let mut app = demo_app_with_staff(40);
    let audit_before = audit_actions(&app).len();
    press(&mut app, "a");
    fill(&mut app, "emp_no", "E000001");
    fill(&mut app, "name", "Someone");
    fill(&mut app, "manager_emp_no", "E999999");
    fill(&mut app, "hire_date", "2026-13-01");
    fill(&mut app, "phone", "12");
    fill(&mut app, "email", "nope");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Form);
    for id in ["emp_no", "manager_emp_no", "hire_date", "phone", "email"] {
        assert!(field_error(&app, id).is_some(), "{id} is marked at once");
    }
    assert!(
        field_error(&app, "emp_no").unwrap().contains("E000001"),
        "the taken number shows on the first enter, with the format problems"
    );
    assert_eq!(
        app.form().unwrap().focused().unwrap().id,
        "emp_no",
        "the first field with a problem has the focus"
    );
    let text = screen(&mut app, 100, 40);
    assert!(text.contains("E999999"), "{text}");
    // Fix the format problems: the taken number is what remains.
    fill(&mut app, "manager_emp_no", "");
    fill(&mut app, "hire_date", "2026-11-01");
    fill(&mut app, "phone", "");
    fill(&mut app, "email", "");
    press(&mut app, "enter");
    assert!(
        field_error(&app, "emp_no").unwrap().contains("E000001"),
        "a taken number is named"
    );
    assert_eq!(audit_actions(&app).len(), audit_before, "nothing written");
    assert_eq!(app.pane::<staff::StaffView>().list.items().len(), 40);
}

#[test]
fn a_transfer_changes_title_and_manager_and_shows_in_the_history() {
    let mut app = demo_app_with_staff(40);
    let (manager, _, boss) = middle_manager(&app);
    let someone = app
        .session()
        .directory()
        .unwrap()
        .active_reports(manager.id)[0]
        .clone();
    select_employee(&mut app, &someone.emp_no);
    press(&mut app, "t");
    assert_eq!(app.mode(), Mode::Form);
    fill(&mut app, "title", "Regional Lead");
    fill(&mut app, "manager_emp_no", &boss.emp_no);
    fill(&mut app, "effective", "2026-11-20");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let (record, history) = app.pane::<staff::StaffView>().selected.clone().unwrap();
    assert_eq!(record.title, "Regional Lead");
    assert_eq!(record.manager, Some(boss.id));
    let last = history.last().unwrap();
    assert_eq!(last.kind.code(), "transfer");
    assert_eq!(last.effective.to_string(), "2026-11-20");
    let fields: Vec<Field> = last.changes.iter().map(|c| c.field).collect();
    assert_eq!(fields, vec![Field::Title, Field::Manager]);
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("2026-11-20 transfer"), "{text}");
    assert!(text.contains("→ Regional Lead"), "{text}");
}

#[test]
fn a_manager_departs_only_with_reports_reassigned_in_the_same_step() {
    let mut app = demo_app_with_staff(40);
    let (manager, reports, boss) = middle_manager(&app);
    select_employee(&mut app, &manager.emp_no);
    press(&mut app, "D");
    let text = screen(&mut app, 100, 40);
    assert!(
        text.contains(&format!("Still manages {reports} active")),
        "{text}"
    );
    assert_eq!(
        app.form().unwrap().value("reassign_to"),
        boss.emp_no,
        "reports go to the leaver's own manager by default"
    );
    assert!(
        text.contains(&format!("{}  {} · ", boss.emp_no, boss.name)),
        "the number is named:\n{text}"
    );
    fill(&mut app, "reassign_to", &manager.emp_no);
    submit_refused(&mut app, "reassign_to", "not to the leaver");
    fill(&mut app, "reassign_to", "");
    submit_refused(&mut app, "reassign_to", "someone must take them");
    fill(&mut app, "effective", "1990-01-01");
    fill(&mut app, "reassign_to", &boss.emp_no);
    submit_refused(&mut app, "effective", "not before the hire");
    fill(&mut app, "effective", "2026-11-20");
    focus(&mut app, "reason");
    press(&mut app, "ctrl-n");
    fill(&mut app, "note", "moved abroad");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let directory = app.session().directory().unwrap();
    let gone = directory.get(manager.id).unwrap();
    assert_eq!(gone.status, Status::Departed);
    assert!(directory.active_reports(manager.id).is_empty());
    let (_, history) = app.pane::<staff::StaffView>().selected.clone().unwrap();
    match &history.last().unwrap().kind {
        hrdesk::domain::employee::EventKind::Departure { reason, note } => {
            assert_eq!(reason.code(), "dismissed");
            assert_eq!(note, "moved abroad");
        }
        other => panic!("{other:?}"),
    }
    let text = screen(&mut app, 120, 40);
    let reason = hrdesk::domain::employee::DepartureReason::Dismissed.label();
    assert!(
        text.contains(&format!("departure {reason}: moved abroad")),
        "{text}"
    );
    let actions = audit_actions(&app);
    let transfers = actions.iter().filter(|a| *a == "employee.transfer").count();
    assert!(transfers >= reports, "{actions:?}");
}

#[test]
fn leave_return_and_rehire_follow_the_status() {
    let mut app = demo_app_with_staff(40);
    let directory = app.session().directory().unwrap();
    let worker = directory
        .employees()
        .iter()
        .find(|e| e.status == Status::Active && directory.active_reports(e.id).is_empty())
        .unwrap()
        .clone();
    select_employee(&mut app, &worker.emp_no);
    press(&mut app, "R");
    assert_eq!(app.mode(), Mode::Browse, "no return for someone at work");
    assert!(app.message().unwrap().is_error);
    press(&mut app, "L enter");
    assert_eq!(
        app.pane::<staff::StaffView>()
            .selected
            .as_ref()
            .unwrap()
            .0
            .status,
        Status::OnLeave
    );
    press(&mut app, "R enter");
    assert_eq!(
        app.pane::<staff::StaffView>()
            .selected
            .as_ref()
            .unwrap()
            .0
            .status,
        Status::Active
    );
    press(&mut app, "H");
    assert!(
        app.message().unwrap().is_error,
        "no rehire of someone at work"
    );
    press(&mut app, "D enter");
    assert_eq!(
        app.pane::<staff::StaffView>()
            .selected
            .as_ref()
            .unwrap()
            .0
            .status,
        Status::Departed
    );
    press(&mut app, "H");
    fill(&mut app, "effective", "2026-11-01");
    submit_refused(&mut app, "effective", "a rehire before the departure");
    assert!(
        field_error(&app, "effective")
            .unwrap()
            .contains("departure of 2026-11-23"),
        "{:?}",
        field_error(&app, "effective")
    );
    // A rehire dated after today is scheduled: nothing changes yet.
    fill(&mut app, "effective", "2027-03-01");
    press(&mut app, "enter");
    assert!(app.form().is_none(), "scheduled, the form closes");
    let shown = screen(&mut app, 160, 40);
    assert!(shown.contains("from 2027-03-01"), "{shown}");
    let (record, _) = app.pane::<staff::StaffView>().selected.clone().unwrap();
    assert_eq!(record.status, Status::Departed);
    let scheduled = app.session().scheduled_changes().unwrap();
    assert_eq!(scheduled.len(), 1);
    // An earlier rehire would come before it: refused, naming it; once
    // it is cancelled, the rehire is recorded today.
    press(&mut app, "H");
    fill(&mut app, "effective", "2026-11-23");
    submit_refused(&mut app, "effective", "the scheduled rehire follows");
    assert!(
        field_error(&app, "effective")
            .unwrap()
            .contains("2027-03-01"),
        "{:?}",
        field_error(&app, "effective")
    );
    app.session()
        .cancel_scheduled(scheduled[0].item.id)
        .unwrap();
    // The cancellation changed the person's record under the open form:
    // it says so, and the second `enter` saves.
    press(&mut app, "enter");
    assert!(screen(&mut app, 160, 40).contains("schedule.cancel S1"));
    press(&mut app, "enter");
    let (record, history) = app.pane::<staff::StaffView>().selected.clone().unwrap();
    assert_eq!(record.status, Status::Active);
    assert_eq!(record.hire_date.to_string(), "2026-11-23");
    let kinds: Vec<&str> = history
        .iter()
        .rev()
        .take(4)
        .map(|e| e.kind.code())
        .collect();
    assert_eq!(kinds, vec!["rehire", "departure", "return", "leave"]);
}

#[test]
fn a_correction_and_a_promotion_keep_blank_sensitive_fields() {
    let mut app = demo_app_with_staff(40);
    let before = select_employee(&mut app, "E000005");
    press(&mut app, "e");
    assert_eq!(app.form().unwrap().value("salary"), "", "nothing revealed");
    fill(&mut app, "name", "曾 强强");
    press(&mut app, "enter");
    let (record, history) = app.pane::<staff::StaffView>().selected.clone().unwrap();
    assert_eq!(record.name, "曾 强强");
    assert_eq!(record.salary, before.salary, "blank kept the salary");
    assert_eq!(history.last().unwrap().kind.code(), "correction");
    press(&mut app, "p");
    fill(&mut app, "grade", "M9");
    fill(&mut app, "salary", "45000");
    press(&mut app, "enter");
    let (record, history) = app.pane::<staff::StaffView>().selected.clone().unwrap();
    assert_eq!(
        (record.grade.as_str(), record.salary),
        ("M9", Some(4_500_000))
    );
    assert_eq!(history.last().unwrap().kind.code(), "promotion");
}

#[test]
fn revealing_is_logged_and_masked_again_on_a_second_press_or_a_move() {
    let mut app = demo_app_with_staff(40);
    // Among others (E000001 … E000009), so that there is somewhere to move.
    press(&mut app, "1 / ctrl-u");
    type_text(&mut app, "E00000");
    press(&mut app, "enter down down down down");
    let record = app.pane::<staff::StaffView>().selected.clone().unwrap().0;
    assert_eq!(record.emp_no, "E000005");
    let salary = hrdesk::domain::employee::format_money(record.salary.unwrap());
    assert!(
        !screen(&mut app, 100, 30).contains(&salary),
        "masked at first"
    );
    press(&mut app, "v");
    assert!(screen(&mut app, 100, 30).contains(&salary));
    assert_eq!(audit_actions(&app).last().unwrap(), "employee.reveal");
    press(&mut app, "v");
    assert!(!screen(&mut app, 100, 30).contains(&salary));
    press(&mut app, "v down up");
    assert!(
        !screen(&mut app, 100, 30).contains(&salary),
        "moving away hides"
    );
}

#[test]
fn viewers_may_neither_reveal_nor_edit_staff() {
    let session = demo_session_with_staff(40);
    session.add_operator("vera", Role::Viewer).unwrap();
    let store = session.store_handle();
    let mut app = app_for(hrdesk::service::Session::login(store, "vera", clock()).unwrap());
    for keys in ["v", "a", "t", "D", "e"] {
        press(&mut app, keys);
        assert_eq!(app.mode(), Mode::Browse, "{keys}");
        assert!(app.message().unwrap().is_error, "{keys}");
    }
}

#[test]
fn the_department_filter_narrows_to_a_subtree_and_survives_a_search() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "f");
    type_text(&mut app, "销售部");
    press(&mut app, "enter");
    let view = app.pane::<staff::StaffView>();
    let paths: Vec<String> = view
        .list
        .visible()
        .map(|r| view.labels.of(r).department.path.clone())
        .collect();
    assert!(!paths.is_empty() && paths.len() < 60);
    assert!(paths.iter().all(|p| p.contains("销售部")), "{paths:?}");
    assert!(screen(&mut app, 100, 30).contains("Staff · 星河零售 Xinghe Retail / 销售部"));
    press(&mut app, "/");
    type_text(&mut app, "e0");
    let view = app.pane::<staff::StaffView>();
    assert!(
        view.list
            .visible()
            .all(|r| view.labels.of(r).department.path.contains("销售部"))
    );
    press(&mut app, "esc f ctrl-u enter");
    assert_eq!(
        app.pane::<staff::StaffView>().list.visible_len(),
        60,
        "all departments again"
    );
}

#[test]
fn d_explains_that_employees_are_never_removed() {
    let mut app = demo_app_with_staff(10);
    press(&mut app, "d");
    assert_eq!(app.mode(), Mode::Browse);
    assert!(app.message().unwrap().text.contains("never removed"));
}

#[test]
fn escape_on_a_changed_staff_form_asks_first() {
    let mut app = demo_app_with_staff(10);
    press(&mut app, "t");
    fill(&mut app, "title", "Boss");
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::Confirm);
    press(&mut app, "y");
    assert_eq!(app.mode(), Mode::Browse);
}

#[test]
fn the_palette_imports_a_sheet_after_a_report_or_a_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "emp_no,name,department,hire_date,phone\nN1,新人,销售部,2026-02-30,12\n",
    )
    .unwrap();
    let good = dir.path().join("good staff.csv");
    std::fs::write(
        &good,
        "工号,姓名,部门,入职日期\nN1,单田芳,销售部,2026/3/5\nN2,Ada Lee,销售部,2026年3月6日\n",
    )
    .unwrap();
    let mut app = demo_app_with_staff(10);
    press(&mut app, ":");
    type_text(&mut app, &format!("import staff {}", bad.display()));
    press(&mut app, "enter");
    app.wait_for_job();
    let Overlay::Report(report) = app.overlay() else {
        panic!("a report opens: {:?}", app.message());
    };
    assert!(
        report
            .lines
            .iter()
            .any(|l| l.starts_with("line 2 · hire_date"))
    );
    assert!(report.lines.iter().any(|l| l.starts_with("line 2 · phone")));
    press(&mut app, "down esc");
    assert_eq!(app.mode(), Mode::Browse);
    press(&mut app, ":");
    type_text(
        &mut app,
        &format!("import staff --dry-run {}", good.display()),
    );
    press(&mut app, "enter");
    app.wait_for_job();
    assert!(app.message().unwrap().text.contains("2 would be new"));
    assert_eq!(app.pane::<staff::StaffView>().list.items().len(), 10);
    press(&mut app, ":");
    type_text(&mut app, &format!("import staff {}", good.display()));
    press(&mut app, "enter");
    app.wait_for_job();
    assert_eq!(app.mode(), Mode::Confirm);
    press(&mut app, "y");
    app.wait_for_job();
    assert_eq!(app.pane::<staff::StaffView>().list.items().len(), 12);
    assert!(app.message().unwrap().text.contains("2 new"));
    press(&mut app, ":");
    type_text(&mut app, "import staff");
    press(&mut app, "enter");
    app.wait_for_job();
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("usage: import staff FILE")
    );
}

#[test]
fn a_hire_with_someone_elses_national_id_or_name_and_phone_is_refused() {
    let mut app = demo_app_with_staff(40);
    let directory = app.session().directory().unwrap();
    let holder = directory
        .employees()
        .iter()
        .find(|e| !e.national_id.is_empty() && !e.phone.is_empty())
        .unwrap()
        .clone();
    press(&mut app, "a");
    fill(&mut app, "emp_no", "N0001");
    fill(&mut app, "name", &holder.name);
    fill(&mut app, "hire_date", "2026-11-01");
    fill(&mut app, "phone", &holder.phone);
    fill(&mut app, "national_id", &holder.national_id);
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Form);
    for id in ["national_id", "phone"] {
        let said = field_error(&app, id).unwrap_or_else(|| panic!("{id} is marked"));
        assert!(said.contains(&holder.emp_no), "{id}: {said}");
    }
}

#[test]
fn a_transfer_dated_later_is_scheduled_then_moved_and_cancelled_from_g_s() {
    let mut app = demo_app_with_staff(20);
    let person = select_employee(&mut app, "E000010");
    press(&mut app, "t");
    fill(&mut app, "title", "Regional Lead");
    fill(&mut app, "effective", "2027-03-01");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let (record, _) = app.pane::<staff::StaffView>().selected.clone().unwrap();
    assert_eq!(record.title, person.title, "nothing changes today");
    let text = screen(&mut app, 160, 40);
    assert!(text.contains("Scheduled the transfer"), "{text}");
    assert!(
        text.contains("from 2027-03-01 transfer Title"),
        "the detail shows it ahead of the history: {text}"
    );
    press(&mut app, "g s");
    let text = screen(&mut app, 160, 40);
    assert!(text.contains("Scheduled changes"), "{text}");
    assert!(text.contains("E000010"), "{text}");
    assert!(text.contains("Regional Lead"), "{text}");
    // Moved to a day before the hire: refused under the date field.
    press(&mut app, "m");
    assert_eq!(app.mode(), Mode::Form);
    fill(&mut app, "date", "1990-01-01");
    press(&mut app, "enter");
    assert!(field_error(&app, "date").is_some());
    fill(&mut app, "date", "2027-04-01");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    assert!(screen(&mut app, 160, 40).contains("2027-04-01"));
    press(&mut app, "d");
    assert_eq!(app.mode(), Mode::Confirm);
    press(&mut app, "y");
    let text = screen(&mut app, 160, 40);
    assert!(text.contains("Cancelled"), "{text}");
    assert!(app.session().scheduled_changes().unwrap().is_empty());
    assert!(
        audit_actions(&app).ends_with(&[
            "employee.schedule".to_string(),
            "schedule.move".to_string(),
            "schedule.cancel".to_string()
        ]),
        "{:?}",
        audit_actions(&app)
    );
}
