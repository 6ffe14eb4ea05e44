//! Nothing cut off silently: table cells end with `…` where they are cut
//! (a CJK character never halved), status words whole in both languages,
//! every detail panel shown whole by `detail` (`enter`) in the scrolling
//! report, and the help's descriptions whole.

use crate::common;

use common::*;
use hrdesk::app::{App, Overlay};
use hrdesk::i18n::{Lang, set_lang};

/// The report open over the screen, as its title and lines.
fn report(app: &App) -> (String, Vec<String>) {
    match app.overlay() {
        Overlay::Report(report) => (report.title.clone(), report.lines.clone()),
        other => panic!("no report open: {other:?}"),
    }
}

/// The Staff table's row of E000001 (周建国) at `width` columns.
fn first_row(app: &mut App, width: u16) -> String {
    screen(app, width, 24)
        .lines()
        .find(|line| line.contains("E000001"))
        .expect("the first row")
        .to_string()
}

#[test]
fn status_words_are_whole_at_80_columns_in_both_languages() {
    for (lang, on_leave) in [(Lang::En, "on leave"), (Lang::Zh, "休假")] {
        set_lang(lang);
        let mut app = demo_app_with_staff(60);
        // 周建国, the first row, goes on leave today.
        press(&mut app, "1 L enter");
        let row = first_row(&mut app, 80);
        assert!(row.contains(on_leave), "{lang:?}: {row}");
    }
    set_lang(Lang::En);
}

#[test]
fn a_cjk_name_is_never_cut_without_a_mark() {
    let mut app = demo_app_with_staff(60);
    for width in 40..=80 {
        let row = first_row(&mut app, width);
        // Each character of the name is followed by the next or by the mark.
        for (at, c) in row.char_indices().filter(|(_, c)| "周建".contains(*c)) {
            let next = row[at + c.len_utf8()..].chars().next();
            let whole = if c == '周' { '建' } else { '国' };
            assert!(
                next == Some(whole) || next == Some('…'),
                "at {width} columns: {row}"
            );
        }
    }
}

#[test]
fn enter_shows_the_staff_record_and_history_whole_and_esc_closes_it() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "1 j j j j j j");
    let panel = screen(&mut app, 80, 24);
    assert!(panel.contains("enter all of it"), "{panel}");
    press(&mut app, "enter");
    let (title, lines) = report(&app);
    assert_eq!(title, "E000007 单文");
    assert!(lines.contains(&"History".to_string()), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("hire Department  → 星河零售 Xinghe Retail / 销售部 / 华东大区")),
        "{lines:?}"
    );
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("华东大区"), "wrapped, not cut: {shown}");
    press(&mut app, "esc");
    assert!(matches!(app.overlay(), Overlay::None));
}

#[test]
fn enter_shows_a_binding_with_its_finding_and_history() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "4 w");
    app.wait_for_job();
    press(&mut app, "j enter");
    let (title, lines) = report(&app);
    assert!(title.starts_with("B2 · E000027"), "{title}");
    assert!(
        lines.iter().any(|l| l.contains("departed employee")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("pending unbind · hr.zhang")),
        "{lines:?}"
    );
}

#[test]
fn enter_shows_a_vendor_breakdown_uncut() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "5 j");
    let panel = screen(&mut app, 80, 24);
    assert!(
        panel.contains("× 25.0% =…"),
        "cut with a mark in the panel: {panel}"
    );
    press(&mut app, "enter");
    let (_, lines) = report(&app);
    assert!(
        lines.iter().any(|l| l.ends_with("× 25.0% = 18.81")),
        "whole in the report: {lines:?}"
    );
}

#[test]
fn enter_shows_a_goal_with_all_its_history() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "2 j j enter");
    let (title, lines) = report(&app);
    assert!(title.starts_with("G"), "{title}");
    assert!(lines.iter().any(|l| l.contains("→")), "{lines:?}");
}

#[test]
fn a_view_without_a_detail_panel_says_so() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "g d enter");
    assert!(matches!(app.overlay(), Overlay::None));
    let message = app.message().expect("a message").text.clone();
    assert_eq!(message, "enter does nothing on Departments");
}

#[test]
fn the_scoring_breakdown_keeps_its_own_keys() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "3 j j enter");
    assert!(
        matches!(app.overlay(), Overlay::None),
        "enter is the breakdown here"
    );
    let full = screen(&mut app, 80, 24);
    assert!(full.contains("how it was computed"), "{full}");
}

#[test]
fn the_help_shows_whole_descriptions() {
    for lang in Lang::ALL {
        set_lang(lang);
        let mut app = demo_app();
        press(&mut app, "?");
        type_text(&mut app, "edit");
        let shown = screen(&mut app, 80, 24);
        let text: String = shown
            .lines()
            .map(|line| line.trim_matches(|c| c == '"' || c == '│' || c == ' '))
            .collect::<Vec<_>>()
            .join(" ");
        let whole = match lang {
            Lang::En => "correct the record)",
            Lang::Zh => "更正记录）",
        };
        assert!(text.contains(whole), "{lang:?}: {shown}");
    }
    set_lang(Lang::En);
}
