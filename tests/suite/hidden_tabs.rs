//! A tab left holding more rows than the console keeps hidden lets them
//! go and reads them again when it comes back (issue 21: a console at a
//! million employees holds one table, not three), keeping its query, its
//! sort, what is expanded and who or what was selected; a company within
//! the limit keeps every tab read.

use hrdesk::app::pane::Pane;
use hrdesk::app::{App, Input};
use hrdesk::panes::goals::GoalsView;
use hrdesk::panes::scoring::ScoringView;
use hrdesk::panes::staff::StaffView;

use crate::common::{
    ADMIN, app_for, demo_app_with_staff, file_demo, file_session, newcomer_like, press,
    select_employee, type_text,
};

/// Rows each of the three large tabs holds: Staff, Goals, Scoring.
fn held(app: &App) -> [usize; 3] {
    [
        app.pane::<StaffView>().held_rows(),
        app.pane::<GoalsView>().held_rows(),
        app.pane::<ScoringView>().held_rows(),
    ]
}

/// The demo console keeping no more than 100 rows in a hidden tab (the
/// demo's 300 people and their goals are more).
fn keeping_100() -> App {
    let mut app = demo_app_with_staff(300);
    app.keep_hidden(100);
    app
}

#[test]
fn a_company_within_the_limit_keeps_every_tab_read() {
    let mut app = demo_app_with_staff(300);
    press(&mut app, "2 3 1");
    let [staff, goals, scoring] = held(&app);
    assert!(
        staff > 100 && goals > 100 && scoring > 100,
        "{:?}",
        held(&app)
    );
}

#[test]
fn each_tab_left_lets_its_rows_go_and_only_the_one_shown_holds_any() {
    let mut app = keeping_100();
    press(&mut app, "2");
    let [staff, goals, scoring] = held(&app);
    assert_eq!(
        (staff, scoring),
        (0, 0),
        "Staff was let go, Scoring never read"
    );
    assert!(goals > 100);
    press(&mut app, "3");
    let [staff, goals, scoring] = held(&app);
    assert_eq!((staff, goals), (0, 0));
    assert!(scoring > 100);
    press(&mut app, "1");
    let [staff, goals, scoring] = held(&app);
    assert_eq!((goals, scoring), (0, 0));
    assert!(staff > 100, "Staff is read again");
}

#[test]
fn staff_comes_back_with_its_filter_and_the_same_person_selected() {
    let mut app = keeping_100();
    press(&mut app, "1 /");
    type_text(&mut app, "E00004");
    press(&mut app, "enter down down down");
    let chosen = app.pane::<StaffView>().list.selected().expect("a row").id;
    let first = app
        .pane::<StaffView>()
        .list
        .visible()
        .next()
        .expect("rows")
        .id;
    assert_ne!(chosen, first, "someone other than the first row");
    press(&mut app, "2 1");
    let staff = app.pane::<StaffView>();
    assert_eq!(staff.list.query.text(), "E00004", "the filter is kept");
    assert_eq!(staff.list.selected().map(|r| r.id), Some(chosen));
    let (selected, _) = staff.selected.as_ref().expect("their record is read");
    assert_eq!(selected.id, chosen);
}

#[test]
fn goals_come_back_with_the_same_goal_selected_and_what_was_collapsed_still_collapsed() {
    let mut app = keeping_100();
    // The company goal collapsed: not expanded again when read again.
    press(&mut app, "2 h j");
    let goals = app.pane::<GoalsView>();
    let chosen = goals.list.selected().expect("a goal is selected").id;
    let expanded = goals.expanded.clone();
    assert!(
        !expanded.is_empty(),
        "departments' goals are still expanded"
    );
    press(&mut app, "1 2");
    let goals = app.pane::<GoalsView>();
    assert!(goals.held_rows() > 100, "read again");
    assert_eq!(goals.list.selected().map(|r| r.id), Some(chosen));
    assert_eq!(
        goals.expanded, expanded,
        "not expanded again as when first read"
    );
}

#[test]
fn scoring_comes_back_on_the_same_cycle_with_the_same_person_selected() {
    let mut app = keeping_100();
    press(&mut app, "3 j j j");
    let scoring = app.pane::<ScoringView>();
    let cycle = scoring.cycle().expect("a cycle").id;
    let (person, _) = scoring.selected().expect("someone is selected");
    let chosen = person.id;
    press(&mut app, "1");
    assert!(
        app.pane::<ScoringView>().results.is_none(),
        "the board was let go"
    );
    press(&mut app, "3");
    let scoring = app.pane::<ScoringView>();
    assert_eq!(scoring.cycle().map(|c| c.id), Some(cycle));
    let (person, _) = scoring.selected().expect("someone is selected");
    assert_eq!(person.id, chosen);
}

#[test]
fn a_hire_by_another_console_while_staff_is_let_go_is_there_when_it_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hr.redb");
    let mut app = app_for(file_demo(&path, 300));
    app.keep_hidden(100);
    let worker = select_employee(&mut app, "E000042");
    press(&mut app, "esc ctrl-u esc 2");
    assert_eq!(held(&app)[0], 0, "Staff was let go");
    let colleague = file_session(&path, ADMIN);
    let newcomer = newcomer_like(&worker, "E900001", "钟新来", "13900000001");
    colleague.hire(newcomer).unwrap();
    app.on_input(Input::StoreChanged);
    assert_eq!(held(&app)[0], 0, "a hidden tab let go reads nothing");
    press(&mut app, "1");
    let staff = app.pane::<StaffView>();
    assert!(staff.list.items().iter().any(|r| r.emp_no == "E900001"));
    assert_eq!(staff.held_rows(), 301);
}
