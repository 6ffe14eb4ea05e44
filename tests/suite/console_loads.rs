//! Long reads off the console's thread (issue 20, part 7): the Scoring
//! pane's recomputation of a large company runs as a job with a progress
//! line, keeps the previous board while it runs and when cancelled, and is
//! run again rather than applied when something changed meanwhile; the
//! audit log view's whole read likewise, left unread when cancelled. A small
//! company stands for a large one (`jobs_from`), and jobs are held until
//! `wait_for_job`, so that a key pressed "while it runs" is deterministic.

use std::time::Duration;

use hrdesk::app::{App, Input};
use hrdesk::domain::audit::filter::AuditFilter;
use hrdesk::panes::bindings::{BindingsView, Listing};
use hrdesk::panes::log::LogView;
use hrdesk::panes::scoring::ScoringView;
use hrdesk::service::{OpError, Progress};

use crate::common::{
    ADMIN, app_for, demo_session_with_staff, file_demo, file_session, message, press, screen,
    type_text,
};

/// `app` with every load run as a job, held and shown at once.
fn loads_as_jobs(mut app: App) -> App {
    app.hold_jobs(Duration::ZERO);
    app.jobs_from(0);
    app
}

/// A "large" company's app, on which `keys` start a job: the screen says
/// `waiting` meanwhile, with the progress line of the job `label`.
fn opened_as_job(keys: &str, waiting: &str, label: &str) -> App {
    let mut app = loads_as_jobs(app_for(demo_session_with_staff(30)));
    press(&mut app, keys);
    assert!(app.job_running(), "{keys} runs a job");
    let text = screen(&mut app, 100, 24);
    assert!(text.contains(waiting), "{text}");
    assert!(text.contains(label), "{text}");
    assert!(text.contains("esc cancels"), "{text}");
    app
}

fn scoring(app: &App) -> &ScoringView {
    app.pane::<ScoringView>()
}

#[test]
fn opening_scoring_on_a_large_company_computes_as_a_job_then_shows_the_board() {
    let mut app = opened_as_job("3", "Computing the scores…", "Computing the scores of ");
    press(&mut app, "]");
    assert_eq!(
        message(&app),
        "Still computing the scores: wait for them, or cancel"
    );
    press(&mut app, "j");
    assert!(app.wait_for_job());
    assert!(!app.job_running());
    let text = screen(&mut app, 100, 24);
    assert!(text.contains("sorted by"), "{text}");
    assert!(!text.contains("Computing the scores"), "{text}");
    assert!(scoring(&app).results.is_some());
}

/// A "large" company's board, made, with its leniency view opened: the
/// raters' marks are being tallied by a job (held).
fn tallying_leniency() -> App {
    let mut app = opened_as_job("3", "Computing the scores…", "Computing the scores of ");
    assert!(app.wait_for_job());
    press(&mut app, "z");
    assert!(app.job_running(), "the raters' marks are tallied as a job");
    app
}

#[test]
fn the_leniency_view_of_a_large_company_is_tallied_as_a_job_once_per_board() {
    let mut app = tallying_leniency();
    let text = screen(&mut app, 120, 32);
    assert!(text.contains("Tallying the raters' marks…"), "{text}");
    assert!(app.wait_for_job());
    let text = screen(&mut app, 120, 32);
    assert!(text.contains("everyone:"), "{text}");
    assert!(
        text.contains(", z +") || text.contains(", z -"),
        "a rater listed: {text}"
    );
    press(&mut app, "z z");
    assert!(!app.job_running(), "read once for the board shown");
    assert!(screen(&mut app, 120, 32).contains("everyone:"));
}

/// A "large" company's Scoring tab opened on a file a colleague's session
/// writes to (their changes come through the file's change feed).
fn scoring_beside_a_colleague() -> (tempfile::TempDir, App, hrdesk::service::Session) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hr.redb");
    let admin = file_demo(&path, 30);
    let colleague = file_session(&path, ADMIN);
    let mut app = loads_as_jobs(app_for(admin));
    press(&mut app, "3");
    (dir, app, colleague)
}

#[test]
fn the_leniency_view_opened_while_the_board_is_computed_again_is_tallied_once_it_is_made() {
    let (_dir, mut app, colleague) = scoring_beside_a_colleague();
    assert!(app.wait_for_job(), "the board is made");
    let mut cycle = scoring(&app).cycle().cloned().expect("a cycle");
    cycle.name.push_str(" (A)");
    colleague.update_cycle(cycle).expect("renamed");
    app.on_input(Input::StoreChanged);
    assert!(app.job_running(), "the board is made again");
    press(&mut app, "z");
    assert!(!message(&app).contains("to finish"), "{}", message(&app));
    let text = screen(&mut app, 120, 32);
    assert!(text.contains("Tallying the raters' marks…"), "{text}");
    assert!(app.wait_for_job(), "the board is made again");
    assert!(app.job_running(), "then the raters' marks are tallied");
    assert!(app.wait_for_job());
    assert!(screen(&mut app, 120, 32).contains("everyone:"));
}

#[test]
fn esc_stops_the_leniency_tally_and_goes_back_to_the_board() {
    let mut app = tallying_leniency();
    press(&mut app, "esc");
    assert!(app.wait_for_job());
    assert!(!app.job_running(), "not asked again: {}", message(&app));
    assert_eq!(
        message(&app),
        "The raters' marks are not tallied: back to the board (z tallies them)"
    );
    assert!(screen(&mut app, 100, 24).contains("sorted by"));
    press(&mut app, "z");
    assert!(app.job_running(), "z tallies them again");
}

#[test]
fn esc_keeps_the_previous_board_and_says_so() {
    let mut app = loads_as_jobs(app_for(demo_session_with_staff(30)));
    press(&mut app, "3");
    app.wait_for_job();
    let before = screen(&mut app, 100, 24);
    press(&mut app, "Z y");
    assert!(app.job_running(), "a change recomputes as a job");
    assert_eq!(
        screen(&mut app, 100, 24).lines().nth(3),
        before.lines().nth(3),
        "the previous board stays meanwhile"
    );
    press(&mut app, "esc");
    assert!(app.wait_for_job());
    assert_eq!(
        message(&app),
        "Scores not recomputed: the board shown is the previous one (show the pane again to retry)"
    );
    let text = screen(&mut app, 100, 24);
    assert!(text.contains("sorted by"), "{text}");
    assert!(scoring(&app).results.is_some(), "the previous board");
    press(&mut app, "1 3");
    assert!(app.job_running(), "shown again: computed again");
    app.wait_for_job();
    assert!(!app.job_running());
}

#[test]
fn a_change_while_computing_drops_the_result_and_computes_again() {
    let (_dir, mut app, colleague) = scoring_beside_a_colleague();
    let cycle = scoring(&app).cycle().cloned().expect("a cycle");
    assert!(!cycle.config.normalise);
    colleague
        .set_normalisation(cycle.id, true)
        .expect("normalised");
    app.on_input(Input::StoreChanged);
    assert!(app.wait_for_job());
    assert!(
        app.job_running(),
        "stale: computed again: {}",
        message(&app)
    );
    assert!(app.wait_for_job());
    let results = scoring(&app).results.as_ref().expect("a board");
    assert!(results.board.cycle.config.normalise, "the newer state");
}

#[test]
fn a_bindings_search_typed_while_another_job_runs_is_indexed_once_it_ends() {
    let mut app = loads_as_jobs(app_for(demo_session_with_staff(30)));
    press(&mut app, "3");
    assert!(app.job_running(), "the scores are computed by a job");
    press(&mut app, "4 /");
    type_text(&mut app, "o6_W");
    while app.wait_for_job() {}
    let view = app.pane::<BindingsView>();
    assert_eq!(view.listing, Listing::Search("o6_W".into()));
    assert!(
        view.total > 0,
        "every WeChat account starts so: {}",
        view.total
    );
}

#[test]
fn a_job_counts_the_people_scored_and_stops_when_cancelled() {
    let admin = demo_session_with_staff(30).login(ADMIN);
    let cycle = admin.cycles().unwrap().pop().expect("a cycle");
    let progress = Progress::new();
    let session = admin.sibling().open(&progress);
    let results = session.cycle_results(&cycle).unwrap();
    let people = results.board.people.len();
    assert!(people > 0);
    assert_eq!((progress.done(), progress.total()), (people, Some(people)));
    progress.cancel();
    assert!(matches!(
        session.cycle_results(&cycle),
        Err(OpError::Cancelled)
    ));
}

fn log(app: &App) -> &LogView {
    app.pane::<LogView>()
}

#[test]
fn the_audit_log_of_a_large_company_is_read_as_a_job() {
    let mut app = opened_as_job("g l", "Reading the audit log…", "Reading the audit log: ");
    assert!(app.wait_for_job());
    assert!(log(&app).list.visible_len() > 0);
    assert!(!screen(&mut app, 100, 24).contains("Reading the audit log"));
}

#[test]
fn esc_leaves_the_audit_log_unread_and_g_l_reads_it_again() {
    let mut app = loads_as_jobs(app_for(demo_session_with_staff(30)));
    press(&mut app, "g l esc");
    assert!(app.wait_for_job());
    assert_eq!(message(&app), "The audit log is not read: g l reads it");
    let text = screen(&mut app, 100, 24);
    assert!(text.contains("The audit log is not read."), "{text}");
    assert_eq!(log(&app).list.visible_len(), 0);
    press(&mut app, "g l");
    assert!(app.job_running(), "read again");
    assert!(app.wait_for_job());
    assert!(log(&app).list.visible_len() > 0);
}

#[test]
fn a_small_company_is_scored_and_its_audit_log_read_at_once() {
    let mut app = app_for(demo_session_with_staff(30));
    app.hold_jobs(Duration::ZERO);
    press(&mut app, "3");
    assert!(!app.job_running());
    assert!(scoring(&app).results.is_some());
    press(&mut app, "g l");
    assert!(!app.job_running());
    assert!(log(&app).list.visible_len() > 0);
}

#[test]
fn a_read_of_the_log_counts_the_entries_and_stops_when_cancelled() {
    let admin = demo_session_with_staff(30).login(ADMIN);
    let entries = admin.audit_count().unwrap();
    let progress = Progress::new();
    let session = admin.sibling().open(&progress);
    let mut read = 0;
    session
        .read_audit_log(&AuditFilter::default(), 0, |_| read += 1)
        .unwrap();
    assert_eq!(u64::try_from(progress.done()).unwrap(), entries);
    assert_eq!(progress.total(), Some(read));
    progress.cancel();
    let result = session.read_audit_log(&AuditFilter::default(), 0, |_| panic!("read on"));
    assert!(matches!(result, Err(OpError::Cancelled)));
}
