//! The goal tree of a large company (issue 21) is read by a job: the
//! console answers meanwhile, the tab says it is reading, and a change
//! that comes while it reads has the tree read again after it. A small
//! company stands for a large one (`jobs_from`), and jobs are held until
//! `wait_for_job`.

use std::time::Duration;

use chrono::NaiveDate;
use hrdesk::app::{App, Input};
use hrdesk::domain::goal::Measure;
use hrdesk::panes::goals::{self, GoalsView};
use hrdesk::service::Session;

use crate::common::{
    ADMIN, app_for, demo_session_with_staff, file_demo, file_session, message, press, screen,
};

/// The console on `session`, Staff read at once, every later load a held job.
fn console(session: impl Into<hrdesk::service::Session>) -> App {
    let mut app = app_for(session);
    app.on_input(Input::Resize(120, 30));
    app.hold_jobs(Duration::ZERO);
    app.jobs_from(0);
    app
}

fn goals(app: &App) -> &GoalsView {
    app.pane::<GoalsView>()
}

#[test]
fn the_goals_are_read_by_a_job_while_the_console_answers() {
    let mut app = console(demo_session_with_staff(120));
    press(&mut app, "2");
    assert!(app.job_running(), "the tree is read by a job");
    assert!(goals(&app).reading);
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("Reading the goals…"), "{text}");
    // Keys on the empty tab do nothing harmful; another tab answers.
    press(&mut app, "j l h enter 1 2");
    assert!(app.job_running());
    assert!(app.wait_for_job());
    assert!(!goals(&app).reading);
    let text = screen(&mut app, 120, 30);
    assert!(!text.contains("Reading the goals"), "{text}");
    assert!(text.contains("Annual sales +20%"), "{text}");
    assert!(goals(&app).list.visible_len() > 3);
}

/// The goals being read by a job when a colleague on the same file makes
/// `change`: the tree is read once more after it. The console, with the
/// tree read, and the folder the file is in.
fn changed_while_reading(change: impl FnOnce(&Session)) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hr.redb");
    let admin = file_demo(&path, 120);
    let colleague = file_session(&path, ADMIN);
    let mut app = console(admin);
    press(&mut app, "2");
    assert!(app.job_running());
    change(&colleague);
    app.on_input(Input::StoreChanged);
    assert!(!message(&app).contains("wait"), "{}", message(&app));
    assert!(app.wait_for_job());
    assert!(app.job_running(), "read once more for what came meanwhile");
    assert!(app.wait_for_job());
    assert!(!app.job_running());
    (app, dir)
}

#[test]
fn a_change_while_the_goals_are_read_has_them_read_again() {
    let mut leaf = None;
    // An actual recorded by a colleague while the tree is read.
    let (app, _dir) = changed_while_reading(|colleague| {
        let tree = colleague.goal_tree().unwrap();
        let id = tree
            .goals()
            .iter()
            .find(|g| {
                let slot = tree.slot(g.id).unwrap();
                matches!(g.measure, Measure::Kpi(_)) && !tree.has_children(slot)
            })
            .unwrap()
            .id;
        let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        colleague
            .record_actuals(&[(id, day, 12_345.0)], "test")
            .unwrap();
        leaf = Some(id);
    });
    let leaf = leaf.unwrap();
    let Some(kpi) = &goals(&app).tree.get(leaf).unwrap().kpi else {
        panic!("a KPI");
    };
    assert_eq!(kpi.actual, Some(12_345.0), "the actual recorded meanwhile");
}

#[test]
fn a_cancelled_read_is_done_again_when_the_tab_is_shown_again() {
    let mut app = console(demo_session_with_staff(120));
    press(&mut app, "2 esc");
    assert!(app.wait_for_job());
    assert_eq!(
        message(&app),
        "Goals not read: show the pane again to read them"
    );
    assert_eq!(goals(&app).list.items().len(), 0);
    press(&mut app, "1 2");
    assert!(app.job_running(), "shown again: read again");
    assert!(app.wait_for_job());
    assert!(goals(&app).list.items().len() > 3);
}

/// Found by trying it at a million: the tab opened while the staff was
/// still being read said "No goals yet", and stayed empty until shown
/// again. It says it waits, and reads once the other job ends.
#[test]
fn a_read_that_must_wait_for_another_job_starts_when_it_ends() {
    let mut app = console(demo_session_with_staff(120));
    press(&mut app, "3");
    assert!(app.job_running(), "the scores are computed by a job");
    press(&mut app, "2");
    assert!(app.desk().waits_for_job(goals::ID));
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("Read once the job that runs ends"), "{text}");
    assert!(!text.contains("No goals yet"), "{text}");
    assert!(app.wait_for_job());
    assert!(app.job_running(), "the goals are read now");
    assert!(app.wait_for_job());
    assert!(!app.desk().waits_for_job(goals::ID));
    assert!(goals(&app).list.items().len() > 3);
}

/// A person renamed while the tree is read (their goals' owner label may
/// have been read as it was) has it read again.
#[test]
fn a_person_changed_while_the_goals_are_read_has_them_read_again() {
    use hrdesk::domain::employee::EventKind;
    let (app, _dir) = changed_while_reading(|colleague| {
        let owner = colleague.find_employee("E000006").unwrap().unwrap();
        let mut renamed = owner.clone();
        renamed.name = "曾强强".into();
        let date = renamed.hire_date;
        colleague
            .record_event(owner.id, EventKind::Correction, date, renamed, None)
            .unwrap();
    });
    let labels: Vec<String> = goals(&app)
        .list
        .items()
        .iter()
        .map(|row| row.owner.text.to_string())
        .filter(|label| label.starts_with("E000006 "))
        .collect();
    assert!(!labels.is_empty());
    assert!(labels.iter().all(|l| l == "E000006 曾强强"), "{labels:?}");
}
