//! The Bindings pane driven through the real keymap: the listing with
//! masked accounts and departed employees' bindings marked critical, the
//! detail with the history, a search, the two-step unbinding by keys
//! (request, then the employee's code), the audit with its findings and the
//! one-confirmation unbinding of departed employees' accounts, the audit
//! warning, sliding through a long list, and the refusal for a viewer.

use crate::common;

use chrono::{Duration, NaiveDate};
use common::*;
use hrdesk::app::App;
use hrdesk::domain::binding::audit::FindingKind;
use hrdesk::domain::binding::{BindingState, Channel, Provider, UnbindHow, UnbindReason};
use hrdesk::domain::employee::{DepartureReason, Employee, EventKind};
use hrdesk::domain::operator::Role;
use hrdesk::domain::pinyin::romanize_name;
use hrdesk::panes::bindings;
use hrdesk::panes::bindings::Listing;
use hrdesk::service::{NewBinding, Session};

const ACCOUNT: &str = "o6_Wabcdefgh12Xk3";
const LEAVER_ACCOUNT: &str = "o-leaver-account-0001";

fn bind(session: &Session, employee: &Employee, account: &str) {
    session
        .bind(NewBinding {
            employee: employee.id,
            provider: Provider::WeChat,
            external_id: account.into(),
            bound_at: clock().now() - Duration::days(30),
            last_used: Some(clock().now() - Duration::days(2)),
            method: "qr".into(),
        })
        .unwrap();
}

/// A company of 40 with two fresh bindings: one of `people[0]`, who then
/// leaves, and one of `people[1]`; the app on the Bindings pane.
fn bindings_app() -> (App, Vec<Employee>) {
    let (demo, people) = bindings_company();
    let mut app = app_for(demo);
    press(&mut app, "4");
    (app, people)
}

/// The company of [`bindings_app`], with its admin's session.
fn bindings_company() -> (Demo, Vec<Employee>) {
    let session = demo_session_with_staff(40);
    let people = leaf_staff(&session, 2, &[Provider::WeChat]);
    bind(&session, &people[0], LEAVER_ACCOUNT);
    bind(&session, &people[1], ACCOUNT);
    let kind = EventKind::Departure {
        reason: DepartureReason::Resigned,
        note: String::new(),
    };
    session
        .record_event(
            people[0].id,
            kind,
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            people[0].clone(),
            None,
        )
        .unwrap();
    (session, people)
}

/// The app of `session` on the Bindings pane.
fn on_bindings(session: Session) -> App {
    let mut app = app_for(session);
    press(&mut app, "4");
    app
}

fn view(app: &App) -> &bindings::BindingsView {
    app.pane::<bindings::BindingsView>()
}

/// Searches for `text` and selects the first result.
fn search(app: &mut App, text: &str) {
    press(app, "/");
    type_text(app, text);
    press(app, "enter");
}

#[test]
fn the_listing_masks_accounts_and_marks_a_departed_employees_binding_critical() {
    let (mut app, people) = bindings_app();
    press(&mut app, "G");
    let text = screen(&mut app, 140, 34);
    assert!(text.contains("o6_W****Xk3"), "{text}");
    assert!(!text.contains(ACCOUNT), "the id is masked: {text}");
    assert!(text.contains(&people[1].emp_no), "{text}");
    press(&mut app, "k");
    let text = screen(&mut app, 140, 34);
    assert!(text.contains("critical: employee departed"), "{text}");
    assert!(text.contains("pending unbind: departure"), "{text}");
    assert!(text.contains("code in the outbox, not sent yet"), "{text}");
    let BindingState::PendingUnbind { code, .. } =
        &view(&app).selected_row().unwrap().binding.state
    else {
        panic!("the leaver's binding is pending");
    };
    assert!(
        !text.contains(code.as_str()),
        "nobody's screen shows the code: {text}"
    );
}

#[test]
fn a_search_lists_what_it_finds_as_it_is_typed_the_best_first() {
    let (mut app, people) = bindings_app();
    press(&mut app, "/");
    type_text(&mut app, &ACCOUNT[..6]);
    assert_eq!(
        view(&app).listing,
        Listing::Search(ACCOUNT[..6].to_string()),
        "no enter needed"
    );
    assert_eq!(
        view(&app)
            .rows
            .first()
            .map(|r| r.binding.external_id.as_str()),
        Some(ACCOUNT),
        "the account it begins comes first"
    );
    press(&mut app, "ctrl-u");
    type_text(&mut app, &people[1].name);
    assert!(
        view(&app).rows.iter().all(|r| r
            .employee
            .as_ref()
            .is_some_and(|e| e.name.contains(&people[1].name))),
        "by the name as typed"
    );
    press(&mut app, "esc");
    assert_eq!(view(&app).listing, Listing::All);
}

#[test]
fn a_search_finds_an_employees_bindings_by_number_or_account() {
    let (mut app, people) = bindings_app();
    search(&mut app, &people[1].emp_no);
    assert_eq!(
        app.pane::<bindings::BindingsView>().listing,
        Listing::Search(people[1].emp_no.clone())
    );
    let held = app.session().bindings_of(people[1].id).unwrap().len();
    assert_eq!(app.pane::<bindings::BindingsView>().total, held as u64);
    assert!(
        app.pane::<bindings::BindingsView>()
            .rows
            .iter()
            .any(|r| r.binding.external_id == ACCOUNT)
    );
    press(&mut app, "esc");
    assert_eq!(app.pane::<bindings::BindingsView>().listing, Listing::All);
    for typed in [ACCOUNT, "Xk3", "o6_W****Xk3", "abcdefgh"] {
        press(&mut app, "esc");
        search(&mut app, typed);
        assert_eq!(
            view(&app)
                .rows
                .iter()
                .filter(|r| r.binding.external_id == ACCOUNT)
                .count(),
            1,
            "found by “{typed}”: any part of the account, or its visible ends"
        );
    }
    press(&mut app, "esc");
    let pinyin = romanize_name(&people[1].name).full.replace(' ', "");
    search(&mut app, &pinyin);
    assert!(
        view(&app)
            .rows
            .iter()
            .any(|r| r.binding.external_id == ACCOUNT),
        "found by the name in pinyin “{pinyin}”"
    );
    press(&mut app, "esc");
    search(&mut app, &people[1].emp_no[1..]);
    assert!(
        view(&app)
            .rows
            .iter()
            .any(|r| r.binding.external_id == ACCOUNT),
        "found by part of the number"
    );
}

#[test]
fn the_requester_never_sees_the_code_and_a_colleague_confirms_on_the_employees_behalf() {
    let (demo, _) = bindings_company();
    let colleague = demo.as_role("hr.li", Role::Hr);
    let mut app = on_bindings(demo.login(ADMIN));
    search(&mut app, ACCOUNT);
    press(&mut app, "U");
    assert!(app.form().is_some(), "the reason form opens");
    press(&mut app, "enter");
    let row = view(&app).selected_row().unwrap().clone();
    let BindingState::PendingUnbind { code, .. } = &row.binding.state else {
        panic!("pending: {:?}", row.binding.state);
    };
    let message = app.message().unwrap().text.clone();
    assert!(!message.contains(code.as_str()), "{message}");
    assert!(message.contains("outbox"), "{message}");
    let text = screen(&mut app, 140, 34);
    assert!(!text.contains(code.as_str()), "{text}");
    assert!(text.contains("code in the outbox, not sent yet"), "{text}");
    assert!(text.contains("deadline 2026-12-07"), "{text}");

    press(&mut app, "C");
    fill(&mut app, "code", code);
    press(&mut app, "enter");
    let error = field_error(&app, "code").expect("the requester is refused");
    assert!(error.contains("you asked for the unbinding"), "{error}");
    press(&mut app, "esc");

    let mut theirs = on_bindings(colleague);
    search(&mut theirs, ACCOUNT);
    press(&mut theirs, "C");
    type_text(&mut theirs, "NOTACODE");
    press(&mut theirs, "enter");
    let error = field_error(&theirs, "code").expect("a wrong code keeps the form open");
    assert!(error.contains("NOTACODE"), "{error}");
    fill(&mut theirs, "code", &code.to_lowercase());
    press(&mut theirs, "enter");
    assert!(theirs.form().is_none());
    let row = view(&theirs).selected_row().unwrap();
    assert!(
        matches!(
            row.binding.state,
            BindingState::Unbound {
                how: UnbindHow::OnBehalf(Channel::Phone),
                ref by,
                ..
            } if by == "hr.li"
        ),
        "{:?}",
        row.binding.state
    );
    let text = screen(&mut theirs, 140, 34);
    assert!(
        text.contains("confirmed on the employee's behalf, channel: phone"),
        "{text}"
    );
}

#[test]
fn only_an_admin_who_did_not_ask_sees_a_pending_code_and_the_look_is_logged() {
    let (demo, people) = bindings_company();
    let colleague = demo.as_role("hr.li", Role::Hr);
    let theirs = colleague
        .bindings_of(people[1].id)
        .unwrap()
        .into_iter()
        .find(|b| b.external_id == ACCOUNT)
        .unwrap();
    let asked = colleague
        .request_unbind(theirs.id, UnbindReason::PrivacyRequest)
        .unwrap();
    let BindingState::PendingUnbind { code, .. } = &asked.state else {
        panic!("pending");
    };
    let mut hr = on_bindings(demo.login("hr.li"));
    search(&mut hr, ACCOUNT);
    press(&mut hr, "v");
    assert!(
        hr.message().unwrap().is_error,
        "hr sees no account id, nor code"
    );
    assert!(!screen(&mut hr, 140, 34).contains(code.as_str()));

    let mut admin = on_bindings(demo.login(ADMIN));
    search(&mut admin, ACCOUNT);
    press(&mut admin, "v");
    let text = screen(&mut admin, 140, 34);
    assert!(
        text.contains(&format!("code {code} (shown to you, logged)")),
        "{text}"
    );
    assert!(text.contains(ACCOUNT), "{text}");
    press(&mut admin, "v");
    assert!(
        !screen(&mut admin, 140, 34).contains(code.as_str()),
        "v hides it again"
    );
    let log = demo.audit_log().unwrap();
    let look = log
        .iter()
        .find(|e| e.record.action == "binding.reveal_code")
        .expect("the look is logged");
    assert_eq!(look.operator, ADMIN);
    assert!(
        !format!("{look:?}").contains(code.as_str()),
        "not the code itself"
    );
}

#[test]
fn the_pending_view_shows_when_each_request_was_made_and_how_late_it_is() {
    let (mut app, _) = bindings_app();
    press(&mut app, "V");
    assert_eq!(view(&app).listing, Listing::Pending);
    let text = screen(&mut app, 160, 40);
    assert!(
        text.contains("asked 2026-") && text.contains(" · due 2026-"),
        "each line: {text}"
    );
    assert!(text.contains("d late"), "each late line: {text}");
    assert!(text.contains("requested 20"), "the detail: {text}");
    assert!(text.contains("deadline 20"), "{text}");
    assert!(
        text.contains("days overdue"),
        "the demo has overdue requests: {text}"
    );
}

#[test]
fn the_cursor_stays_on_the_row_acted_on() {
    let (demo, _) = bindings_company();
    let mut app = on_bindings(demo.login(ADMIN));
    press(&mut app, "j j j j j");
    while view(&app).selected_row().unwrap().binding.state != BindingState::Active {
        press(&mut app, "j");
    }
    let at = view(&app).position();
    let id = view(&app).selected_row().unwrap().binding.id;
    press(&mut app, "U enter");
    assert!(app.form().is_none(), "asked");
    assert_eq!(view(&app).position(), at, "after asking to unbind");
    assert_eq!(view(&app).selected_row().unwrap().binding.id, id);
    press(&mut app, "X y");
    assert!(view(&app).selected_row().unwrap().binding.state == BindingState::Active);
    assert_eq!(
        view(&app).selected_row().unwrap().binding.id,
        id,
        "after withdrawing"
    );
    press(&mut app, "V j j");
    let at = view(&app).position();
    let id = view(&app).selected_row().unwrap().binding.id;
    press(&mut app, "v");
    assert_eq!(
        view(&app).selected_row().unwrap().binding.id,
        id,
        "after a reveal"
    );
    assert_eq!(view(&app).position(), at);
    // A request withdrawn leaves the pending list: the next one takes its line.
    let at = view(&app).position();
    let pending = view(&app).total;
    let next = view(&app)
        .rows
        .get(view(&app).selected + 1)
        .map(|r| r.binding.id);
    press(&mut app, "X");
    press(&mut app, "y");
    assert!(
        !app.message().unwrap().is_error,
        "{}",
        app.message().unwrap().text
    );
    assert_eq!(view(&app).total, pending - 1, "it left the list");
    assert_eq!(view(&app).position(), at, "the cursor stays on its line");
    if let Some(next) = next {
        assert_eq!(view(&app).selected_row().unwrap().binding.id, next);
    }
}

#[test]
fn forcing_is_for_departed_employees_only() {
    let (mut app, _) = bindings_app();
    search(&mut app, ACCOUNT);
    press(&mut app, "F enter");
    let form = app.form().expect("refused in the form");
    let error = form.error.as_deref().unwrap_or_default();
    assert!(error.contains("has not left"), "{error}");
    press(&mut app, "esc esc");
    search(&mut app, LEAVER_ACCOUNT);
    press(&mut app, "F enter");
    assert!(app.form().is_none());
    assert!(matches!(
        app.pane::<bindings::BindingsView>()
            .selected_row()
            .unwrap()
            .binding
            .state,
        BindingState::Unbound {
            how: UnbindHow::Forced,
            ..
        }
    ));
}

#[test]
fn the_audit_lists_findings_and_one_confirmation_unbinds_departed_accounts() {
    let (demo, people) = bindings_company();
    let mut app = on_bindings(demo.login(ADMIN));
    press(&mut app, "w");
    app.wait_for_job();
    assert_eq!(
        app.pane::<bindings::BindingsView>().listing,
        Listing::Findings
    );
    let text = screen(&mut app, 140, 34);
    assert!(text.contains("departed employee"), "{text}");
    press(&mut app, "G");
    let text = screen(&mut app, 140, 34);
    assert!(
        text.contains("never used · ") || text.contains("unused too long · "),
        "a finding says how long: {text}"
    );
    assert!(text.contains(" days"), "{text}");
    press(&mut app, "g g");
    let text = screen(&mut app, 140, 34);
    assert!(
        !text.contains("press w to run"),
        "a fresh audit clears the warning: {text}"
    );
    let departed = view(&app)
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::DepartedEmployee)
        .count();
    assert!(
        departed > 1,
        "the demo has departed people's live accounts too"
    );
    // A colleague unbinds one of them after the audit: K counts what is left.
    let colleague = demo.as_role("hr.li", Role::Hr);
    let gone = view(&app)
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::DepartedEmployee && f.employee != people[0].id)
        .unwrap()
        .binding;
    colleague
        .force_unbind(gone, UnbindReason::Departure)
        .unwrap();
    press(&mut app, "K");
    let question = app.confirm().expect("asks first").message.clone();
    assert!(
        question.contains(&format!("{} account(s)", departed - 1)),
        "{question}"
    );
    press(&mut app, "n");
    let leaver = app.session().bindings_of(people[0].id).unwrap();
    assert!(leaver[0].state.is_live(), "no is no");
    press(&mut app, "K y");
    let leaver = app.session().bindings_of(people[0].id).unwrap();
    assert!(
        matches!(
            leaver[0].state,
            BindingState::Unbound {
                how: UnbindHow::Forced,
                ..
            }
        ),
        "{:?}",
        leaver[0].state
    );
    assert!(
        app.pane::<bindings::BindingsView>()
            .findings
            .iter()
            .all(|f| app.session().binding_rows(&[f.binding]).unwrap()[0]
                .binding
                .state
                .is_live()),
        "the findings of unbound accounts are settled"
    );
    press(&mut app, "K");
    assert!(app.confirm().is_none(), "nothing critical is left");
}

#[test]
fn the_window_slides_through_a_long_list() {
    let session = demo_session_with_staff(150);
    for (n, person) in leaf_staff(&session, 60, &[Provider::WeChat])
        .iter()
        .enumerate()
    {
        bind(&session, person, &format!("acct-{n:04}"));
    }
    let mut app = app_for(session);
    press(&mut app, "4");
    render(&mut app, 120, 30);
    let total = app.pane::<bindings::BindingsView>().total;
    assert!(total >= 60);
    press(&mut app, "G");
    assert_eq!(app.pane::<bindings::BindingsView>().position(), total - 1);
    let last = app
        .pane::<bindings::BindingsView>()
        .selected_row()
        .unwrap()
        .binding
        .id;
    press(&mut app, "g g");
    assert_eq!(app.pane::<bindings::BindingsView>().position(), 0);
    for _ in 0..30 {
        press(&mut app, "j");
    }
    assert_eq!(app.pane::<bindings::BindingsView>().position(), 30);
    press(&mut app, "pagedown");
    let page = app.page() as u64;
    assert_eq!(
        app.pane::<bindings::BindingsView>().position(),
        (30 + page).min(total - 1)
    );
    press(&mut app, "pageup k");
    assert_eq!(app.pane::<bindings::BindingsView>().position(), 29);
    let ids: Vec<u64> = app
        .pane::<bindings::BindingsView>()
        .rows
        .iter()
        .map(|r| r.binding.id.0)
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "rows stay in id order: {ids:?}"
    );
    press(&mut app, "G");
    assert_eq!(
        app.pane::<bindings::BindingsView>()
            .selected_row()
            .unwrap()
            .binding
            .id,
        last
    );
}

#[test]
fn a_viewer_is_told_no_and_the_attempt_is_logged() {
    let demo = demo_session();
    let mut app = app_for(demo.as_role("wang", Role::Viewer));
    press(&mut app, "4");
    let text = screen(&mut app, 100, 24);
    assert!(text.contains("hr and admin operators only"), "{text}");
    press(&mut app, "w");
    app.wait_for_job();
    assert!(app.message().unwrap().is_error);
    let log = demo.audit_log().unwrap();
    assert!(
        log.iter()
            .any(|e| e.record.action == "access.denied" && e.operator == "wang"),
        "the attempt is logged"
    );
}
