//! Long work off the console's thread (issue 20, part 7): the staff import
//! from the palette and the Bindings audit run as jobs with a progress
//! line, `esc` cancels them and nothing is written, and the console stays
//! usable meanwhile. Jobs are held until `wait_for_job` here, so that a key
//! pressed "while it runs" is deterministic.

use std::path::PathBuf;
use std::time::Duration;

use hrdesk::app::{App, Mode, Overlay};
use hrdesk::import::read_staff;
use hrdesk::service::{ImportOptions, OpError, Progress, Session};

use crate::common::{ADMIN, app_for, demo_session_with_staff, message, press, screen, type_text};

/// A clean sheet of `rows` new people in 销售部, in a folder of its own.
fn sheet(rows: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new staff.csv");
    let mut text = String::from("emp_no,name,department,hire_date\n");
    for n in 0..rows {
        text.push_str(&format!("N{n:05},Person {n},销售部,2026-03-05\n"));
    }
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// The demo company with 10 staff, its jobs held and shown at once.
fn held_app() -> App {
    let mut app = app_for(demo_session_with_staff(10));
    app.hold_jobs(Duration::ZERO);
    app
}

/// Employees and audit entries: what a write would change.
fn written(session: &Session) -> (usize, usize) {
    (
        session.directory().unwrap().employees().len(),
        session.audit_log().unwrap().len(),
    )
}

fn import_from_palette(app: &mut App, path: &std::path::Path) {
    press(app, ":");
    type_text(app, &format!("import staff {}", path.display()));
    press(app, "enter");
}

#[test]
fn an_import_checks_as_a_job_and_esc_during_the_write_writes_nothing() {
    let (_dir, path) = sheet(3);
    let mut app = held_app();
    import_from_palette(&mut app, &path);
    assert!(app.job_running(), "the check runs as a job");
    let text = screen(&mut app, 100, 24);
    assert!(
        text.contains("Checking new staff.csv: running for 0 s · esc cancels"),
        "{text}"
    );
    assert!(app.wait_for_job());
    assert_eq!(app.mode(), Mode::Confirm, "{:?}", app.message());
    let before = written(app.session());
    press(&mut app, "y");
    assert!(app.job_running(), "the write runs as a job");
    assert!(screen(&mut app, 100, 24).contains("Importing new staff.csv"));
    press(&mut app, "esc");
    assert_eq!(message(&app), "Cancelling…");
    assert!(app.wait_for_job());
    assert_eq!(
        message(&app),
        "Importing new staff.csv: cancelled, nothing written"
    );
    assert_eq!(written(app.session()), before, "nothing written");
    assert!(!app.job_running());
    assert!(!screen(&mut app, 100, 24).contains("esc cancels"));
}

#[test]
fn an_import_not_cancelled_writes_and_the_staff_list_shows_it() {
    let (_dir, path) = sheet(3);
    let mut app = held_app();
    import_from_palette(&mut app, &path);
    app.wait_for_job();
    press(&mut app, "y");
    app.wait_for_job();
    assert!(message(&app).contains("3 new"), "{}", message(&app));
    let text = screen(&mut app, 100, 24);
    assert!(text.contains("Staff · sorted by Emp. no. ↑ (13)"), "{text}");
}

#[test]
fn the_console_stays_usable_while_a_job_runs_and_refuses_a_second_or_a_save() {
    let (_dir, path) = sheet(3);
    let mut app = held_app();
    import_from_palette(&mut app, &path);
    press(&mut app, "2");
    assert_eq!(app.tab(), "goals", "tabs switch");
    press(&mut app, "?");
    assert!(matches!(app.overlay(), Overlay::Help(_)), "help opens");
    press(&mut app, "esc");
    assert!(app.job_running(), "esc closes the help, the job goes on");
    press(&mut app, "1 j");
    import_from_palette(&mut app, &path);
    assert_eq!(
        message(&app),
        "Wait for “Checking new staff.csv” to finish, or cancel it"
    );
    press(&mut app, "a");
    assert_eq!(app.mode(), Mode::Form);
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Form, "the form stays open");
    assert!(message(&app).starts_with("Wait for"), "{}", message(&app));
    type_text(&mut app, "x");
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::Confirm, "discard the typed text?");
    press(&mut app, "y");
    assert_eq!(
        app.mode(),
        Mode::Browse,
        "a discard writes nothing: not refused"
    );
    assert!(app.job_running());
    press(&mut app, "esc");
    app.wait_for_job();
    assert_eq!(
        message(&app),
        "Checking new staff.csv: cancelled, nothing written"
    );
    assert_eq!(app.mode(), Mode::Browse, "no question after a cancel");
}

#[test]
fn the_progress_line_waits_for_its_quiet_spell() {
    let (_dir, path) = sheet(3);
    let mut app = app_for(demo_session_with_staff(10));
    app.hold_jobs(Duration::from_secs(3600));
    import_from_palette(&mut app, &path);
    assert!(app.job_running());
    assert_eq!(app.job_line(), None);
    assert!(!screen(&mut app, 100, 24).contains("Checking"));
}

#[test]
fn the_binding_audit_runs_as_a_job_and_a_cancelled_one_records_no_run() {
    let mut app = held_app();
    press(&mut app, "4");
    let before = written(app.session());
    press(&mut app, "w");
    assert!(screen(&mut app, 100, 24).contains("Auditing bindings: running for 0 s"));
    press(&mut app, "esc");
    app.wait_for_job();
    assert_eq!(
        message(&app),
        "Auditing bindings: cancelled, nothing written"
    );
    assert_eq!(written(app.session()), before);
    press(&mut app, "w");
    app.wait_for_job();
    assert!(message(&app).starts_with("Audit done"), "{}", message(&app));
    assert_eq!(written(app.session()).1, before.1 + 1, "the run is logged");
}

#[test]
fn jobs_not_held_run_on_their_own_thread() {
    let (_dir, path) = sheet(3);
    let mut app = app_for(demo_session_with_staff(10));
    import_from_palette(&mut app, &path);
    assert!(app.wait_for_job());
    assert_eq!(app.mode(), Mode::Confirm);
}

#[test]
fn the_service_stops_a_cancelled_import_and_writes_nothing() {
    let demo = demo_session_with_staff(10);
    let session = demo.login(ADMIN);
    let (_dir, path) = sheet(50);
    let sheet = read_staff(&std::fs::read(&path).unwrap()).unwrap();
    let before = written(&session);
    let progress = Progress::new();
    progress.cancel();
    for dry_run in [true, false] {
        let options = ImportOptions {
            dry_run,
            ..ImportOptions::default()
        };
        let outcome = session.import_staff_with(&sheet, options, &progress);
        assert!(matches!(outcome, Err(OpError::Cancelled)), "{outcome:?}");
        assert_eq!(progress.done(), 0, "no row looked at once cancelled");
    }
    assert_eq!(written(&session), before);
    for dry_run in [true, false] {
        let counted = Progress::new();
        let options = ImportOptions {
            dry_run,
            ..ImportOptions::default()
        };
        session
            .import_staff_with(&sheet, options, &counted)
            .unwrap();
        assert_eq!(
            (counted.done(), counted.total()),
            (50, Some(50)),
            "every row counted, checked then written"
        );
    }
    assert_eq!(written(&session).0, before.0 + 50);
}
