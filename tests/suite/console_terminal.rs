//! The console and the terminal it runs in: a paste goes into the focused
//! text field and nowhere else, `y` copies through an effect (logged when
//! it is an unmasked value), an empty database shows how to start, and
//! ascii mode draws without East Asian "ambiguous" characters.

use crate::common;

use common::*;
use hrdesk::app::{App, Effect, Input, Mode, Step};
use hrdesk::config::settings::Glyphs;
use hrdesk::i18n::{Lang, set_lang};
use hrdesk::service::Session;
use hrdesk::store::Store;
use insta::assert_snapshot;

const ROW: &str = "E000900\t张三\t销售部\t店员\tP1\n";

/// A console on a new, empty database: no departments, no staff.
fn empty_app() -> App {
    let store = Store::in_memory(ADMIN, clock().now()).unwrap();
    app_for(Session::login(store, ADMIN, clock()).unwrap())
}

#[test]
fn a_pasted_row_in_the_hire_form_is_refused_whole_and_saves_nothing() {
    let mut app = demo_app_with_staff(20);
    let staff = app.session().employee_count().unwrap();
    press(&mut app, "a");
    type_text(&mut app, "E0009");
    app.on_input(Input::Paste(ROW.into()));
    let form = app.form().expect("the form stays open");
    assert_eq!(form.focus, 0, "the paste moved no focus");
    assert_eq!(form.value("emp_no"), "E0009");
    let note = app.message().expect("a note");
    assert!(
        note.is_error && note.text.contains("5 tab-separated cells"),
        "{note:?}"
    );
    assert_eq!(
        app.session().employee_count().unwrap(),
        staff,
        "nothing saved"
    );
}

#[test]
fn one_pasted_value_goes_into_the_focused_field_as_text() {
    let mut app = demo_app_with_staff(20);
    press(&mut app, "a tab");
    app.handle(Step::Paste("张\u{1b}三\r\n".into()));
    let form = app.form().expect("the form stays open");
    assert_eq!((form.focus, form.value("name")), (1, "张三"));
    assert_eq!(app.mode(), Mode::Form, "nothing submitted");
}

#[test]
fn a_paste_types_into_the_search_line_and_the_palette() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "/");
    app.on_input(Input::Paste("zq\n".into()));
    assert_eq!(
        app.mode(),
        Mode::Filter,
        "still typing: the newline was no enter"
    );
    assert!(screen(&mut app, 80, 24).contains("/ zq"));
    press(&mut app, "esc :");
    app.on_input(Input::Paste("theme".into()));
    assert!(screen(&mut app, 80, 24).contains("theme"));
    assert_eq!(app.mode(), Mode::Palette);
}

#[test]
fn a_paste_outside_a_text_field_is_ignored_with_a_note() {
    let mut app = demo_app_with_staff(20);
    app.on_input(Input::Paste("q".into()));
    assert!(!app.should_quit());
    let note = app.message().expect("a note");
    assert!(note.text.contains("no text field"), "{note:?}");
    press(&mut app, "d");
    app.on_input(Input::Paste("y".into()));
    assert!(app.take_effects().is_empty());
}

#[test]
fn y_copies_the_selected_employee_number_as_an_effect() {
    let mut app = demo_app_with_staff(20);
    press(&mut app, "j y");
    assert_eq!(app.take_effects(), [Effect::Copy("E000002".into())]);
    assert!(app.message().unwrap().text.contains("E000002"));
    assert!(app.take_effects().is_empty(), "taken once");
}

#[test]
fn copying_an_unmasked_account_is_logged_without_the_account() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "4 y");
    let [Effect::Copy(id)] = <[Effect; 1]>::try_from(app.take_effects()).unwrap();
    assert!(id.starts_with('B'), "the binding id: {id}");
    let log = app.session().audit_log().unwrap();
    assert!(
        !log.iter().any(|e| e.record.action == "binding.copy"),
        "an id is no secret"
    );
    press(&mut app, "v y");
    let [Effect::Copy(account)] = <[Effect; 1]>::try_from(app.take_effects()).unwrap();
    let log = app.session().audit_log().unwrap();
    let entry = log.last().unwrap();
    assert_eq!(
        (
            entry.record.action.as_str(),
            entry.record.entity_id.as_str()
        ),
        ("binding.copy", id.as_str())
    );
    assert!(!format!("{entry:?}").contains(&account), "never the value");
}

#[test]
fn hiring_with_no_departments_says_to_create_one_first() {
    let mut app = empty_app();
    press(&mut app, "a");
    assert!(app.form().is_none());
    let note = app.message().unwrap();
    assert_eq!(
        note.text,
        "There is no department to hire into yet: create one first (g d)"
    );
}

#[test]
fn an_empty_database_shows_three_ways_to_start_with_the_live_keys() {
    let mut app = empty_app();
    let text = screen(&mut app, 80, 24);
    for way in [
        "g d  create the departments",
        "a    hire one person",
        ":    import staff FILE",
    ] {
        assert!(text.contains(way), "{way}:\n{text}");
    }
    let mut rebound = app_for_with_keys("[browse]\nn = \"add\"\na = \"none\"\n");
    assert!(screen(&mut rebound, 80, 24).contains("n    hire one person"));
}

/// [`empty_app`] with `keys` over the built-in keymap.
fn app_for_with_keys(keys: &str) -> App {
    let store = Store::in_memory(ADMIN, clock().now()).unwrap();
    let keymap = hrdesk::config::keymap::Keymap::with_user_file("test", keys).unwrap();
    let theme = hrdesk::config::theme::load_theme("default", None).unwrap();
    let session = Session::login(store, ADMIN, clock()).unwrap();
    let mut app = App::new(session, hrdesk::panes::all(), keymap, theme, None);
    app.on_input(Input::Resize(80, 24));
    app
}

/// Snapshots `build`'s screen after `scenario` at 80×24 in both languages.
fn in_both_languages(name: &str, build: impl Fn() -> App, scenario: impl Fn(&mut App)) {
    for lang in Lang::ALL {
        set_lang(lang);
        let mut app = build();
        scenario(&mut app);
        assert_snapshot!(format!("{name}@{}", lang.code()), render(&mut app, 80, 24));
    }
    set_lang(Lang::En);
}

#[test]
fn the_start_on_an_empty_database() {
    in_both_languages("empty_database_start", empty_app, |_| {});
}

#[test]
fn ascii_mode_draws_without_ambiguous_characters() {
    let ascii = || {
        let mut app = demo_app_with_staff(60);
        app.draw_with(Glyphs::Ascii);
        app
    };
    in_both_languages("ascii_staff_table", ascii, |app| press(app, "j j"));
    let mut app = ascii();
    press(&mut app, "2 j");
    let text = screen(&mut app, 80, 24);
    assert!(
        !text.chars().any(|c| "─│┌┐└┘├┤·—…↑↓█▸“”".contains(c)),
        "{text}"
    );
}

/// The real console in tmux: a spreadsheet row pasted with bracketed paste
/// (`paste-buffer -p`) into the hire form types no tab and no enter.
#[test]
fn a_row_pasted_into_the_real_hire_form_saves_nothing() {
    use crate::e2e::Sandbox;
    use crate::e2e::tmux::{SESSION, Tmux, shell_quote};

    let sandbox = Sandbox::with_demo();
    let staff = || {
        sandbox
            .on_db(&["export", "staff"])
            .success()
            .stdout
            .lines()
            .count()
    };
    let before = staff();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.keys(&["a"]);
    tmux.wait_for("┌ Hire");
    tmux.ok(&["set-buffer", ROW]);
    tmux.ok(&["paste-buffer", "-p", "-t", SESSION]);
    let screen = tmux.wait_for("5 tab-separated cells");
    assert!(screen.contains("┌ Hire"), "the form stays open:\n{screen}");
    tmux.keys(&["Escape"]);
    tmux.wait_for_gone("┌ Hire");
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
    assert_eq!(staff(), before, "nothing saved");
}
