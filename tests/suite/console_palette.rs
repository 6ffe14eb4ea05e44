//! The palette as the map of the console (issue #20, part 3): every action
//! of the pane on screen with its keys, the other panes' once typed, the
//! headless commands (imports checked first, exports to a file, audits,
//! checks, verify), and what a role may not do listed disabled and
//! refused before anything opens.

use crate::common;

use common::*;
use hrdesk::app::{App, Mode, Overlay};
use hrdesk::domain::operator::Role;

/// Runs `line` from the palette, waiting for the job it starts.
fn run(app: &mut App, line: &str) {
    press(app, ":");
    type_text(app, line);
    press(app, "enter");
    app.wait_for_job();
}

/// The palette's screen after typing `query`, closed again.
fn palette_with(app: &mut App, query: &str) -> String {
    press(app, ":");
    type_text(app, query);
    let text = screen(app, 120, 30);
    press(app, "esc");
    text
}

/// The lines of the report on screen (empty when none is).
fn report(app: &App) -> Vec<String> {
    match app.overlay() {
        Overlay::Report(report) => report.lines.clone(),
        _ => Vec::new(),
    }
}

#[test]
fn opened_empty_it_lists_the_panes_actions_with_their_keys() {
    let mut app = demo_app_with_staff(20);
    let text = palette_with(&mut app, "");
    for row in [
        "add                   a          Hire someone",
        "transfer              t          Transfer to another department",
        "depart                D          Record a departure",
        "copy                  y          Copy the selected employee number",
    ] {
        assert!(text.contains(row), "{row}:\n{text}");
    }
    assert!(
        !text.contains("Add a company goal"),
        "other panes wait for typing"
    );
    let found = palette_with(&mut app, "company goal");
    assert!(
        found.contains("add_top") && found.contains("· on Goals"),
        "{found}"
    );
    run(&mut app, "company goal");
    assert_eq!(app.tab(), "goals", "enter runs what was found, on its pane");
    assert_eq!(app.mode(), Mode::Form, "{:?}", app.message());
}

#[test]
fn a_managers_company_goal_is_refused_before_any_form_opens() {
    let mut app = demo_app_as(
        "mgr.test",
        Role::Manager(hrdesk::domain::department::DepartmentId(2)),
    );
    press(&mut app, "2 A");
    assert_eq!(
        app.mode(),
        Mode::Browse,
        "no form opened only to be refused"
    );
    let said = app.message().unwrap();
    assert!(said.is_error && said.text.contains("admin, hr"), "{said:?}");
    let text = palette_with(&mut app, "add_top");
    assert!(
        text.contains("Add a company goal · for admin, hr"),
        "{text}"
    );
    run(&mut app, "add_top");
    assert_eq!(app.mode(), Mode::Browse);
    press(&mut app, "e");
    assert_eq!(
        app.mode(),
        Mode::Browse,
        "the company goal selected is not theirs to edit"
    );
    assert!(
        app.message().unwrap().text.contains("company"),
        "{:?}",
        app.message()
    );
    press(&mut app, "a");
    assert_eq!(
        app.mode(),
        Mode::Form,
        "a goal of their own department they may add"
    );
}

#[test]
fn a_viewer_sees_what_they_may_not_do_disabled_with_who_may() {
    let mut app = demo_app_as("audit.liu", Role::Viewer);
    let text = palette_with(&mut app, "");
    assert!(text.contains("Hire someone · for admin, hr"), "{text}");
    assert!(text.contains("Filter by name"), "{text}");
    assert!(
        !text.contains("Filter by name, number or pinyin as you type ·"),
        "{text}"
    );
    press(&mut app, "a");
    assert_eq!(app.mode(), Mode::Browse);
    assert!(app.message().unwrap().text.contains("admin, hr"));
    let imports = palette_with(&mut app, "import ratings");
    assert!(imports.contains("for admin, hr, manager"), "{imports}");
}

#[test]
fn every_import_is_offered_and_checked_before_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app_with_staff(20);
    let text = palette_with(&mut app, "import");
    for kind in [
        "staff",
        "events",
        "ratings",
        "logins",
        "confirmations",
        "weights",
    ] {
        assert!(text.contains(&format!("import {kind}")), "{kind}:\n{text}");
    }
    let sheet = dir.path().join("courses.csv");
    std::fs::write(
        &sheet,
        "code,title,competency\nNEW-1,新课程 A new course,expertise\n",
    )
    .unwrap();
    let before = app.session().audit_log().unwrap().len();
    run(&mut app, &format!("import courses {}", sheet.display()));
    assert_eq!(
        app.mode(),
        Mode::Confirm,
        "checked, then asked: {:?}",
        app.message()
    );
    assert_eq!(
        app.session().audit_log().unwrap().len(),
        before,
        "nothing yet"
    );
    press(&mut app, "y");
    assert!(app.wait_for_job(), "the write is a job too");
    let said = app.message().unwrap();
    assert!(!said.is_error, "{said:?}");
    let catalogue = app.session().course_catalogue().unwrap();
    assert_eq!(catalogue.courses.len(), 1, "{catalogue:?}");
    assert!(app.session().audit_log().unwrap().len() > before);
}

#[test]
fn a_refused_sheet_opens_its_problems_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app_with_staff(20);
    let sheet = dir.path().join("ratings.csv");
    let bad = "cycle,emp_no,rater_emp_no,relation,competency,mark,comment\nno such cycle,E000001,E000002,peer,teamwork,9,\n";
    std::fs::write(&sheet, bad).unwrap();
    let before = app.session().audit_log().unwrap().len();
    run(&mut app, &format!("import ratings {}", sheet.display()));
    assert_eq!(app.mode(), Mode::Help, "a report: {:?}", app.message());
    assert!(app.message().unwrap().is_error);
    assert!(
        report(&app).iter().any(|line| line.contains("ratings.csv")),
        "{:?}",
        report(&app)
    );
    press(&mut app, "esc");
    assert_eq!(app.session().audit_log().unwrap().len(), before);
    assert_eq!(
        std::fs::read_to_string(&sheet).unwrap(),
        bad,
        "the file is left alone"
    );
}

#[test]
fn an_export_writes_a_new_file_and_never_over_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app_with_staff(20);
    let file = dir.path().join("staff.csv");
    run(&mut app, &format!("export staff {}", file.display()));
    let said = app.message().unwrap().clone();
    assert!(!said.is_error && said.text.contains("21 lines"), "{said:?}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.starts_with("emp_no,"), "{written}");
    run(&mut app, &format!("export goals {}", file.display()));
    let said = app.message().unwrap();
    assert!(said.is_error && said.text.contains("exists"), "{said:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
    run(&mut app, "export staff");
    let said = app.message().unwrap();
    assert!(said.is_error && said.text.contains("FILE"), "{said:?}");
}

#[test]
fn audits_checks_and_verify_open_their_reports() {
    let mut app = demo_app_with_staff(20);
    run(&mut app, "verify");
    assert_eq!(app.mode(), Mode::Help);
    assert!(
        report(&app).iter().any(|l| l.contains("Intact")),
        "{:?}",
        report(&app)
    );
    press(&mut app, "esc");
    run(&mut app, "audit bindings");
    assert!(!report(&app).is_empty(), "{:?}", app.message());
    press(&mut app, "esc");
    run(&mut app, "check goals");
    assert!(!report(&app).is_empty(), "{:?}", app.message());
    press(&mut app, "esc");
    run(&mut app, "import --help");
    assert!(report(&app).iter().any(|l| l.contains("confirmations")));
    press(&mut app, "esc");
    run(&mut app, "operator list");
    let said = app.message().unwrap();
    assert!(
        said.is_error && said.text.contains("not run from the console"),
        "{said:?}"
    );
}

/// Whether `action` does something on the pane on screen (anything but
/// "does nothing on …"), leaving whatever it opened closed again.
fn answers(app: &mut App, action: hrdesk::action::Action) -> bool {
    app.handle(action);
    let nothing = app.message().is_some_and(|m| {
        ["does nothing", "Nothing to filter", "Nothing to copy"]
            .iter()
            .any(|said| m.text.contains(said))
    });
    while app.mode() != Mode::Browse {
        press(app, "esc");
        if app.mode() == Mode::Confirm {
            press(app, "n");
        }
    }
    !nothing
}

#[test]
fn every_action_a_pane_answers_is_on_its_map() {
    use hrdesk::action::{Action, Section};
    let mut app = demo_app_with_staff(20);
    let mut missing = Vec::new();
    for opening in ["1", "2", "3", "4", "5", "g d", "g o", "g l", "g s"] {
        press(&mut app, &format!("esc {opening}"));
        let pane = app.shown().id();
        let offered: Vec<Action> = app.shown().offers().iter().map(|o| o.action).collect();
        let own = app.shown().section().unwrap_or(Section::Browse);
        for &action in Action::ALL {
            let taken_here = action.allowed_in(Section::Browse) || action.allowed_in(own);
            if !taken_here
                || action.is_move()
                || action == Action::Back
                || action.allowed_in(Section::Global)
            {
                continue;
            }
            // Another key for an offered action, and a refusal that explains itself.
            let aside = [
                ("staff", Action::Move),
                ("staff", Action::Remove),
                ("scheduled", Action::Edit),
                ("operators", Action::Move),
            ];
            if answers(&mut app, action)
                && !offered.contains(&action)
                && !aside.contains(&(pane, action))
            {
                missing.push(format!("{pane}: {}", action.name()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "answered but not on the map: {missing:?}"
    );
}

#[test]
fn a_headless_command_runs_as_a_job_and_a_cancelled_write_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app_with_staff(20);
    app.hold_jobs(std::time::Duration::ZERO);
    let sheet = dir.path().join("courses.csv");
    std::fs::write(
        &sheet,
        "code,title,competency\nNEW-1,新课程 A new course,expertise\n",
    )
    .unwrap();
    let before = app.session().course_catalogue().unwrap();
    let log = app.session().audit_log().unwrap().len();
    press(&mut app, ":");
    type_text(&mut app, &format!("import courses {}", sheet.display()));
    press(&mut app, "enter");
    assert!(app.job_running());
    let line = app.job_line().unwrap_or_default();
    assert!(
        line.contains("import courses")
            && line.contains("running for")
            && line.contains("esc cancels"),
        "{line}"
    );
    press(&mut app, "2");
    assert_eq!(app.tab(), "goals", "the console is free meanwhile");
    assert!(app.wait_for_job());
    assert_eq!(app.mode(), Mode::Confirm);
    press(&mut app, "y");
    assert!(app.job_running(), "the write is a job");
    press(&mut app, "esc");
    assert!(app.wait_for_job());
    let said = app.message().unwrap();
    assert!(said.is_error && said.text.contains("Cancelled"), "{said:?}");
    assert_eq!(app.session().course_catalogue().unwrap(), before);
    assert_eq!(
        app.session().audit_log().unwrap().len(),
        log,
        "nothing written"
    );
}

#[test]
fn an_import_asked_about_while_a_job_runs_waits_with_its_question_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hr.redb");
    let admin = file_demo(&path, 30);
    let colleague = file_session(&path, ADMIN);
    let mut app = app_for(admin);
    app.hold_jobs(std::time::Duration::ZERO);
    let sheet = dir.path().join("courses.csv");
    std::fs::write(
        &sheet,
        "code,title,competency\nNEW-1,新课程 A new course,expertise\n",
    )
    .unwrap();
    press(&mut app, "3");
    run(&mut app, &format!("import courses {}", sheet.display()));
    assert_eq!(app.mode(), Mode::Confirm, "{:?}", app.message());
    // A colleague's change makes the Scoring tab recompute, as a job.
    app.jobs_from(0);
    let cycle = app
        .session()
        .cycles()
        .unwrap()
        .into_iter()
        .max_by_key(|c| c.ends)
        .unwrap();
    colleague.set_normalisation(cycle.id, true).unwrap();
    app.on_input(hrdesk::app::Input::StoreChanged);
    assert!(app.job_running());
    press(&mut app, "y");
    assert_eq!(
        app.mode(),
        Mode::Confirm,
        "the question stays, to be answered later"
    );
    assert!(app.message().unwrap().text.contains("Wait for"));
    app.wait_for_job();
    press(&mut app, "y");
    assert!(app.wait_for_job());
    assert_eq!(app.session().course_catalogue().unwrap().courses.len(), 1);
}
