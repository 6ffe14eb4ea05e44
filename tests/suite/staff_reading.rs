//! The staff table of a large company (issue 21, part 3): the first
//! screenful, read by employee number, is shown at once while a job reads
//! everyone; keys work on it meanwhile; what changes while the job reads
//! is applied after it; a cancelled read leaves the screenful and is
//! done again when the pane is shown again. A small company stands for a
//! large one (`jobs_from`), and jobs are held until `wait_for_job`.

use std::sync::{Arc, mpsc};
use std::time::Duration;

use hrdesk::app::{App, Input};
use hrdesk::panes::staff::StaffView;
use hrdesk::service::{DepartmentDraft, Session};

use crate::common::{
    ADMIN, app_with_panes, demo_session_with_staff, file_demo, file_session, message, press, screen,
};

/// A console whose Staff tab comes last (`5`), every load a held job:
/// the console opens on Goals, and Staff is first shown by `5`, as a large
/// company's would be on opening.
fn console(session: impl Into<hrdesk::service::Session>) -> App {
    let mut app = running_console(session);
    app.hold_jobs(Duration::ZERO);
    app
}

/// The same, its jobs run as they start.
fn running_console(session: impl Into<hrdesk::service::Session>) -> App {
    let mut panes = hrdesk::panes::all();
    let staff = panes.remove(0);
    panes.insert(4, staff);
    let mut app = app_with_panes(session, panes);
    app.on_input(Input::Resize(100, 24));
    app.jobs_from(0);
    app
}

fn staff(app: &App) -> &StaffView {
    app.pane::<StaffView>()
}

#[test]
fn the_first_screenful_is_shown_while_a_job_reads_everyone() {
    let mut app = console(demo_session_with_staff(300));
    press(&mut app, "5");
    assert!(app.job_running(), "everyone is read by a job");
    let rows = staff(&app).list.items().len();
    assert!((20..300).contains(&rows), "a screenful: {rows}");
    let text = screen(&mut app, 100, 24);
    assert!(text.contains("reading all 3"), "{text}");
    let first = text.lines().find(|l| l.contains("E0")).unwrap_or_default();
    assert!(first.contains("E000001"), "by number: {first}");
    press(&mut app, "j j");
    let chosen = staff(&app).list.selected().unwrap().emp_no.to_string();
    assert!(app.wait_for_job());
    assert!(!app.job_running());
    assert!(staff(&app).list.items().len() >= 300, "everyone");
    assert_eq!(
        staff(&app).list.selected().unwrap().emp_no,
        chosen,
        "the person chosen meanwhile stays selected"
    );
    let text = screen(&mut app, 100, 24);
    assert!(!text.contains("reading all"), "{text}");
}

#[test]
fn a_query_typed_meanwhile_searches_everyone_when_they_are_read() {
    let mut app = console(demo_session_with_staff(300));
    press(&mut app, "5 / E 0 0 0 2 9 9");
    assert!(app.job_running());
    assert_eq!(staff(&app).list.visible_len(), 0, "not in the screenful");
    app.wait_for_job();
    assert_eq!(staff(&app).list.selected().unwrap().emp_no, "E000299");
    assert!(staff(&app).list.editing, "still typing");
}

/// The console on a demo file with everyone read, a colleague's session
/// on the same file, and the folder they are in.
fn shared_file() -> (App, Session, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hr.redb");
    let admin = file_demo(&path, 300);
    let colleague = file_session(&path, ADMIN);
    let mut app = console(admin);
    press(&mut app, "5");
    app.wait_for_job();
    (app, colleague, dir)
}

/// A new top-level department named `name`.
fn draft(name: &str) -> DepartmentDraft {
    DepartmentDraft {
        name: name.into(),
        parent: None,
        head: None,
    }
}

#[test]
fn changes_while_the_staff_is_read_are_applied_after_it() {
    let (mut app, colleague, _dir) = shared_file();
    // A department changes: everyone is read again, the screenful shown.
    colleague.add_department(draft("审计部")).unwrap();
    app.on_input(Input::StoreChanged);
    assert!(app.job_running(), "read again");
    // Another while it reads: noted, not a second job refused.
    colleague.add_department(draft("法务部")).unwrap();
    app.on_input(Input::StoreChanged);
    assert!(!message(&app).contains("wait"), "{}", message(&app));
    assert!(app.wait_for_job());
    assert!(app.job_running(), "read once more for what came meanwhile");
    assert!(app.wait_for_job());
    assert!(!app.job_running());
    assert!(staff(&app).list.items().len() >= 300);
}

#[test]
fn a_cancelled_read_keeps_the_screenful_and_reads_when_shown_again() {
    let mut app = console(demo_session_with_staff(300));
    press(&mut app, "5 esc");
    assert!(app.wait_for_job());
    assert!(
        message(&app).starts_with("Staff not read: the table shows the first "),
        "{}",
        message(&app)
    );
    assert!(staff(&app).list.items().len() < 300);
    press(&mut app, "1 5");
    assert!(app.job_running(), "shown again: read again");
    app.wait_for_job();
    assert!(staff(&app).list.items().len() >= 300);
}

/// The console's first pane starts its read before the runtime says how
/// to wake it (found by trying it at a million: the table said "reading"
/// until a key was pressed): the job still wakes it when it ends.
#[test]
fn a_read_started_before_the_runtime_could_be_woken_still_wakes_it() {
    let mut app = running_console(demo_session_with_staff(300));
    press(&mut app, "5");
    assert!(app.job_running());
    let (woke, woken) = mpsc::channel();
    app.wake_jobs_with(Arc::new(move || {
        let _ = woke.send(());
    }));
    while app.job_running() {
        woken
            .recv_timeout(Duration::from_secs(20))
            .expect("woken while it runs and when it ends");
        app.on_input(Input::Job);
    }
    assert!(staff(&app).list.items().len() >= 300, "everyone read");
}

/// A re-read's first screenful is shown in the table's sort, as the
/// title says, not in the order of numbers it is read in.
#[test]
fn the_screenful_of_a_re_read_is_shown_in_the_tables_sort() {
    let (mut app, colleague, _dir) = shared_file();
    press(&mut app, "s S");
    colleague.add_department(draft("审计部")).unwrap();
    app.on_input(Input::StoreChanged);
    assert!(app.job_running(), "read again, a screenful shown meanwhile");
    let view = staff(&app);
    let keys: Vec<String> = view
        .list
        .visible()
        .map(|row| view.labels.of(row).sort_key.to_string())
        .collect();
    assert!(keys.len() < 300, "a screenful");
    assert!(
        keys.windows(2).all(|pair| pair[0] >= pair[1]),
        "by name, descending: {keys:?}"
    );
}

/// A read that must wait for another job (the scores being computed)
/// says so instead of the empty table's guide, and starts when it ends.
#[test]
fn a_read_that_must_wait_for_another_job_starts_when_it_ends() {
    let mut app = console(demo_session_with_staff(300));
    press(&mut app, "2");
    assert!(app.job_running(), "the scores are computed by a job");
    press(&mut app, "5");
    let text = screen(&mut app, 100, 24);
    assert!(text.contains("Read once the job that runs ends"), "{text}");
    assert!(app.wait_for_job());
    assert!(app.job_running(), "the staff is read now");
    assert!(app.wait_for_job());
    assert!(staff(&app).list.items().len() >= 300);
}

/// A manager reading their subtree is not told how many people the whole
/// company has: not in the title, nor in the job's progress.
#[test]
fn a_manager_is_not_told_the_companys_headcount() {
    use hrdesk::domain::operator::Role;
    let demo = demo_session_with_staff(300);
    let tree = demo.department_tree().unwrap();
    let rows = tree.rows();
    let sales = rows
        .iter()
        .find(|r| r.department.name == "销售部")
        .unwrap()
        .department
        .id;
    demo.add_operator("lee", Role::Manager(sales)).unwrap();
    let mut app = console(demo.login("lee"));
    press(&mut app, "5");
    assert!(app.job_running());
    let text = screen(&mut app, 100, 24);
    assert!(text.contains("reading everyone you may see"), "{text}");
    assert!(!text.contains("reading all"), "{text}");
    assert!(app.wait_for_job());
    let rows = staff(&app).list.items().len();
    assert!((1..300).contains(&rows), "their subtree: {rows}");
}
