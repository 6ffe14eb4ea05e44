//! The Goals pane driven through the real keymap: the tree, expanding and
//! collapsing, the `/` filter reaching into collapsed goals, adding a goal
//! with inline errors, recording an actual (progress moves up the path),
//! cascading, archiving, the filters and the alignment report.

use crate::common;

use common::*;
use hrdesk::app::{App, Mode, Overlay};
use hrdesk::domain::goal::{GoalStatus, Measure, Owner};
use hrdesk::panes::{goals, staff};

/// The demo with staff, on the Goals tab.
fn goals_app() -> App {
    let mut app = demo_app_with_staff(120);
    press(&mut app, "2");
    app
}

fn titles(app: &App) -> Vec<String> {
    app.pane::<goals::GoalsView>()
        .list
        .visible()
        .map(|r| r.title.to_string())
        .collect()
}

/// Moves the selection to the first visible goal whose title starts with `start`.
fn select(app: &mut App, start: &str) {
    press(app, "g g");
    let position = titles(app)
        .iter()
        .position(|t| t.starts_with(start))
        .unwrap_or_else(|| panic!("no visible goal {start}: {:?}", titles(app)));
    for _ in 0..position {
        press(app, "j");
    }
}

/// The goal row selected in the tree.
fn selected_row(app: &hrdesk::app::App) -> goals::GoalRow {
    app.pane::<goals::GoalsView>()
        .list
        .selected()
        .expect("a goal is selected")
        .clone()
}

#[test]
fn the_tree_shows_the_cascade_and_collapses_and_expands() {
    let mut app = goals_app();
    let text = screen(&mut app, 120, 34);
    assert!(text.contains("▾ 年销售额增长 20%"), "{text}");
    assert!(text.contains("每月销售 10 万元"), "{text}");
    let all = app.pane::<goals::GoalsView>().list.visible_len();
    select(&mut app, "每月新增");
    press(&mut app, "left");
    assert!(
        app.pane::<goals::GoalsView>().list.visible_len() < all,
        "the reps are hidden"
    );
    assert!(screen(&mut app, 120, 34).contains("▸ 每月新增"));
    press(&mut app, "right");
    assert_eq!(app.pane::<goals::GoalsView>().list.visible_len(), all);
    press(&mut app, "j left");
    assert!(
        app.pane::<goals::GoalsView>()
            .list
            .selected()
            .unwrap()
            .title
            .starts_with("每月新增"),
        "collapsing a leaf goes to its parent"
    );
}

#[test]
fn the_filter_finds_goals_inside_collapsed_ones() {
    let mut app = goals_app();
    select(&mut app, "年销售额");
    press(&mut app, "left");
    assert!(!titles(&app).iter().any(|t| t.starts_with("每月销售")));
    press(&mut app, "/");
    type_text(&mut app, "E000006");
    let found = titles(&app);
    assert!(found.iter().any(|t| t.starts_with("每月销售")), "{found:?}");
    press(&mut app, "esc");
    assert!(!titles(&app).iter().any(|t| t.starts_with("每月销售")));
}

#[test]
fn recording_an_actual_moves_progress_up_the_path_and_keeps_history() {
    let mut app = goals_app();
    select(&mut app, "每月销售");
    let row = selected_row(&app);
    let parent = app
        .pane::<goals::GoalsView>()
        .tree
        .parent_slot(row.slot())
        .unwrap();
    let before = app.pane::<goals::GoalsView>().rollup.at(parent);
    let history_before = app.pane::<goals::GoalsView>().history.actuals.len();
    press(&mut app, "u");
    assert_eq!(app.mode(), Mode::Form);
    fill(&mut app, "value", "lots");
    press(&mut app, "enter");
    assert!(
        app.form().unwrap().fields[1].error.is_some(),
        "not a number"
    );
    fill(&mut app, "value", "1,000,000");
    fill(&mut app, "date", "2026-11-20");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    assert!(app.pane::<goals::GoalsView>().rollup.at(parent) > before);
    assert_eq!(
        app.pane::<goals::GoalsView>().history.actuals.len(),
        history_before + 1
    );
    let text = screen(&mut app, 120, 34);
    assert!(text.contains("actual 1000000 (console)"), "{text}");
}

#[test]
fn a_new_goal_is_checked_field_by_field_then_added_under_the_selection() {
    let mut app = goals_app();
    select(&mut app, "数字化运营");
    press(&mut app, "a");
    assert_eq!(app.form().unwrap().value("parent"), "G4");
    fill(&mut app, "weight", "150");
    fill(&mut app, "period", "2026-Q9");
    fill(&mut app, "target", "abc");
    press(&mut app, "enter");
    let form = app.form().unwrap();
    for id in ["title", "weight", "period", "target"] {
        let field = form.fields.iter().find(|f| f.id == id).unwrap();
        let blamed = field.error.is_some() || id == "title";
        assert!(blamed, "{id} is marked");
    }
    fill(&mut app, "title", "上线新的 HR 系统 · New HR system");
    fill(&mut app, "weight", "0");
    fill(&mut app, "period", "2026-H2");
    fill(&mut app, "target", "1");
    press(&mut app, "enter");
    assert!(
        app.form().is_some(),
        "a company-owned goal may not hang under another goal"
    );
    assert!(
        app.form()
            .unwrap()
            .fields
            .iter()
            .find(|f| f.id == "parent")
            .unwrap()
            .error
            .is_some()
    );
    // Owned by IT Support: allowed under the company objective.
    for _ in 0..20 {
        if app.form().unwrap().focused().unwrap().id == "department" {
            break;
        }
        press(&mut app, "tab");
    }
    type_text(&mut app, "IT Support");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let selected = app.pane::<goals::GoalsView>().list.selected().unwrap();
    assert!(selected.title.starts_with("上线新的 HR 系统"));
    assert!(app.message().unwrap().text.contains("Goal added"));
}

#[test]
fn cascading_creates_a_goal_for_each_member_once() {
    let mut app = goals_app();
    select(&mut app, "关键岗位流失率");
    let before = app.pane::<goals::GoalsView>().tree.len();
    press(&mut app, "c");
    fill(&mut app, "title", "个人保留率 · Personal retention");
    fill(&mut app, "target", "95");
    fill(&mut app, "baseline", "80");
    press(&mut app, "enter");
    // It says what it will create, and asks first.
    assert_eq!(app.mode(), Mode::Confirm, "{:?}", app.form());
    let question = screen(&mut app, 160, 40);
    assert!(
        question.contains("target 95 each, baseline 80 each"),
        "{question}"
    );
    assert_eq!(
        app.pane::<goals::GoalsView>().tree.len(),
        before,
        "nothing yet"
    );
    press(&mut app, "y");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    let created = app.pane::<goals::GoalsView>().tree.len() - before;
    assert!(created > 0);
    let row = selected_row(&app);
    let children = app.pane::<goals::GoalsView>().tree.children(Some(row.id));
    assert_eq!(children.len(), created);
    assert!(
        children
            .iter()
            .all(|g| matches!(g.owner, Owner::Employee(_)))
    );
    // The tree keeps each goal's figures; the goal whole is read for its baseline.
    let whole = |id| app.session().visible_goal(id).unwrap().expect("the goal");
    assert!(children.iter().all(|g| match &whole(g.id).measure {
        Measure::Kpi(k) => k.target == 95.0 && k.baseline == 80.0,
        Measure::Objective => false,
    }));
    press(&mut app, "c");
    fill(&mut app, "target", "95");
    press(&mut app, "enter");
    assert!(
        field_error(&app, "title").is_none() && app.form().is_some_and(|form| form.error.is_some()),
        "nobody left: the form says so"
    );
    assert_eq!(
        app.pane::<goals::GoalsView>().tree.len(),
        before + created,
        "nobody twice"
    );
}

#[test]
fn archiving_asks_first_and_the_goal_stops_counting() {
    let mut app = goals_app();
    select(&mut app, "工单一天内解决");
    press(&mut app, "d");
    assert_eq!(app.mode(), Mode::Confirm);
    press(&mut app, "y");
    let row = selected_row(&app);
    assert_eq!(
        app.pane::<goals::GoalsView>().tree.at(row.slot()).status,
        GoalStatus::Archived
    );
    assert!(screen(&mut app, 120, 34).contains("2026 · archived"));
}

#[test]
fn the_period_filter_and_the_alignment_report() {
    let mut app = goals_app();
    press(&mut app, "f");
    type_text(&mut app, "2027");
    press(&mut app, "enter");
    assert_eq!(app.pane::<goals::GoalsView>().list.visible_len(), 0);
    assert!(screen(&mut app, 120, 34).contains("Goals · 2027"));
    press(&mut app, "r");
    let Overlay::Report(report) = app.overlay() else {
        panic!("the report opens")
    };
    assert!(report.title.contains("(2027)"));
    assert!(
        report
            .lines
            .iter()
            .any(|l| l.contains("has no goal in the period"))
    );
    press(&mut app, "esc f ctrl-u");
    type_text(&mut app, "2026-H3");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Form, "a bad period stays in the form");
    press(&mut app, "ctrl-u enter");
    assert!(app.pane::<goals::GoalsView>().list.visible_len() > 10);
}

#[test]
fn viewers_see_goals_but_cannot_change_them() {
    let session = demo_session_with_staff(40);
    session
        .add_operator("vera", hrdesk::domain::operator::Role::Viewer)
        .unwrap();
    let store = session.store_handle();
    let mut app = app_for(hrdesk::service::Session::login(store, "vera", clock()).unwrap());
    press(&mut app, "2");
    assert!(app.pane::<goals::GoalsView>().list.visible_len() > 0);
    for keys in ["a", "e", "u", "c", "d"] {
        press(&mut app, keys);
        assert_eq!(app.mode(), Mode::Browse, "{keys}");
        assert!(app.message().unwrap().is_error, "{keys}");
    }
}

#[test]
fn weights_that_do_not_add_up_are_marked_and_block_publishing() {
    let mut app = goals_app();
    assert!(
        app.pane::<goals::GoalsView>().weights_off.is_empty(),
        "the demo adds up"
    );
    select(&mut app, "客户满意度");
    press(&mut app, "e");
    fill(&mut app, "weight", "20");
    fill(&mut app, "status", "");
    type_text(&mut app, "draft");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    assert!(!app.pane::<goals::GoalsView>().weights_off.is_empty());
    let row = selected_row(&app);
    assert!(
        app.pane::<goals::GoalsView>()
            .weights_off
            .contains(&row.slot())
    );
    press(&mut app, "e");
    fill(&mut app, "status", "");
    type_text(&mut app, "active");
    press(&mut app, "enter");
    let form = app.form().expect("publishing is refused");
    let weight = form.fields.iter().find(|f| f.id == "weight").unwrap();
    assert!(
        weight.error.as_deref().unwrap().contains("95"),
        "{weight:?}"
    );
}

#[test]
fn a_departure_in_the_staff_pane_marks_the_leavers_goals() {
    let mut app = demo_app_with_staff(120);
    press(&mut app, "2");
    select(&mut app, "每月销售");
    let owner = app
        .pane::<goals::GoalsView>()
        .list
        .selected()
        .unwrap()
        .owner
        .clone();
    let emp_no = owner.number().to_string();
    press(&mut app, "1 /");
    type_text(&mut app, &emp_no);
    press(&mut app, "enter");
    let position = app
        .pane::<staff::StaffView>()
        .list
        .visible()
        .position(|r| r.emp_no == emp_no)
        .unwrap();
    for _ in 0..position {
        press(&mut app, "j");
    }
    press(&mut app, "D");
    if app
        .form()
        .unwrap()
        .fields
        .iter()
        .any(|f| f.id == "reassign_to")
    {
        // A manager: their reports go to their own manager.
        assert!(!app.form().unwrap().value("reassign_to").is_empty());
    }
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    press(&mut app, "2");
    let marked = app
        .pane::<goals::GoalsView>()
        .list
        .items()
        .iter()
        .any(|r| r.owner.text.starts_with(&emp_no) && r.owner.text.ends_with("(departed)"));
    assert!(marked, "the leaver's goals are marked");
}

#[test]
fn x_closes_a_kpi_as_not_achieved_with_a_reason_for_hr_only() {
    let mut app = goals_app();
    select(&mut app, "每月销售 10 万元");
    let id = selected_row(&app).id;
    press(&mut app, "X");
    assert_eq!(app.mode(), hrdesk::app::Mode::Form);
    press(&mut app, "enter");
    assert!(
        field_error(&app, "reason").is_some_and(|e| e.contains("needs a reason")),
        "{:?}",
        field_error(&app, "reason")
    );
    fill(&mut app, "reason", "客户流失，目标取消");
    press(&mut app, "enter");
    assert_eq!(app.mode(), hrdesk::app::Mode::Browse);
    let goal = app.session().goal_tree().unwrap().get(id).cloned().unwrap();
    assert_eq!(goal.status, hrdesk::domain::goal::GoalStatus::Closed);
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("Closed as not achieved")
    );

    let mut manager = demo_app_as(
        "zhao",
        hrdesk::domain::operator::Role::Manager(hrdesk::domain::department::DepartmentId(2)),
    );
    press(&mut manager, "2");
    press(&mut manager, "X");
    assert_ne!(manager.mode(), hrdesk::app::Mode::Form, "a manager may not");
    let said = manager
        .message()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains("not achieved"), "{said}");
}
