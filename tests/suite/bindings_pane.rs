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
use hrdesk::domain::binding::{BindingState, Provider, UnbindHow};
use hrdesk::domain::employee::{DepartureReason, Employee, EventKind};
use hrdesk::domain::operator::Role;
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
    let mut app = app_for(session);
    press(&mut app, "4");
    (app, people)
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
    assert!(text.contains("confirmation code"), "{text}");
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
    search(&mut app, ACCOUNT);
    assert_eq!(
        app.pane::<bindings::BindingsView>().total,
        1,
        "found by the account id too"
    );
}

#[test]
fn an_unbinding_is_requested_then_confirmed_with_the_employees_code() {
    let (mut app, _) = bindings_app();
    search(&mut app, ACCOUNT);
    press(&mut app, "U");
    assert!(app.form().is_some(), "the reason form opens");
    press(&mut app, "enter");
    let row = app
        .pane::<bindings::BindingsView>()
        .selected_row()
        .unwrap()
        .clone();
    let BindingState::PendingUnbind { code, .. } = &row.binding.state else {
        panic!("pending: {:?}", row.binding.state);
    };
    let message = app.message().unwrap().text.clone();
    assert!(message.contains(code.as_str()), "{message}");

    press(&mut app, "C");
    type_text(&mut app, "NOTACODE");
    press(&mut app, "enter");
    let form = app.form().expect("a wrong code keeps the form open");
    assert!(
        form.fields[0]
            .error
            .as_deref()
            .unwrap()
            .contains("NOTACODE")
    );
    fill(&mut app, "code", &code.to_lowercase());
    press(&mut app, "enter");
    assert!(app.form().is_none());
    let row = app.pane::<bindings::BindingsView>().selected_row().unwrap();
    assert!(
        matches!(
            row.binding.state,
            BindingState::Unbound {
                how: UnbindHow::Confirmed,
                ..
            }
        ),
        "{:?}",
        row.binding.state
    );
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
    let (mut app, people) = bindings_app();
    press(&mut app, "w");
    assert_eq!(
        app.pane::<bindings::BindingsView>().listing,
        Listing::Findings
    );
    let text = screen(&mut app, 140, 34);
    assert!(text.contains("departed employee"), "{text}");
    assert!(
        !text.contains("press w to run"),
        "a fresh audit clears the warning: {text}"
    );
    press(&mut app, "K");
    assert!(app.confirm().is_some(), "asks first");
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
    assert!(app.message().unwrap().is_error);
    let log = demo.audit_log().unwrap();
    assert!(
        log.iter()
            .any(|e| e.record.action == "access.denied" && e.operator == "wang"),
        "the attempt is logged"
    );
}
