//! Whole-screen snapshots of the console on `TestBackend`, reached by typing
//! keys through the real keymap: each scenario in English and in Chinese, at
//! 80×24 and at a small size.

use crate::common;

use common::*;
use hrdesk::app::App;
use hrdesk::i18n::{Lang, set_lang};
use insta::assert_snapshot;

/// Runs `scenario` on a fresh demo app in each language and snapshots the
/// screen as `<name>@en` and `<name>@zh`.
fn in_both_languages(name: &str, width: u16, height: u16, scenario: impl Fn(&mut App)) {
    in_both_languages_with_staff(name, 0, width, height, scenario);
}

/// [`in_both_languages`] on a demo company with `staff` employees.
fn in_both_languages_with_staff(
    name: &str,
    staff: usize,
    width: u16,
    height: u16,
    scenario: impl Fn(&mut App),
) {
    in_both_languages_from(name, width, height, || demo_app_with_staff(staff), scenario);
}

/// [`in_both_languages`] on the app `build` makes afresh for each language.
fn in_both_languages_from(
    name: &str,
    width: u16,
    height: u16,
    build: impl Fn() -> App,
    scenario: impl Fn(&mut App),
) {
    for lang in Lang::ALL {
        set_lang(lang);
        let mut app = build();
        scenario(&mut app);
        assert_snapshot!(
            format!("{name}@{}", lang.code()),
            render(&mut app, width, height)
        );
    }
    set_lang(Lang::En);
}

#[test]
fn home_screen() {
    in_both_languages("home_screen", 80, 24, |_| {});
}

#[test]
fn departments_tree() {
    in_both_languages_with_staff("departments_tree", 40, 80, 24, |app| press(app, "g d j j"));
}

#[test]
fn department_form_with_an_inline_error() {
    in_both_languages("department_form_with_an_inline_error", 80, 24, |app| {
        press(app, "g d a");
        type_text(app, "销售部");
        press(app, "tab");
        type_text(app, "xinghe");
        press(app, "enter");
    });
}

#[test]
fn removal_confirmation() {
    in_both_languages("removal_confirmation", 80, 24, |app| press(app, "g d G d"));
}

#[test]
fn operators_list() {
    in_both_languages("operators_list", 80, 24, |app| press(app, "g o"));
}

#[test]
fn help_overlay_filtered() {
    in_both_languages("help_overlay_filtered", 80, 24, |app| {
        press(app, "?");
        type_text(app, "form");
    });
}

#[test]
fn command_palette() {
    in_both_languages("command_palette", 80, 24, |app| {
        press(app, ":");
        type_text(app, "th");
    });
}

#[test]
fn departments_in_a_small_terminal() {
    in_both_languages("departments_in_a_small_terminal", 50, 14, |app| {
        press(app, "g d /");
        type_text(app, "门店");
    });
}

#[test]
fn terminal_too_small() {
    in_both_languages("terminal_too_small", 39, 9, |_| {});
}

#[test]
fn staff_table_with_detail() {
    in_both_languages_with_staff("staff_table_with_detail", 60, 80, 24, |app| {
        press(app, "j j j j j j");
    });
}

#[test]
fn staff_departure_form_offering_to_reassign() {
    in_both_languages_with_staff("staff_departure_form", 60, 80, 24, |app| press(app, "D"));
}

#[test]
fn staff_transfer_form_with_an_inline_error() {
    in_both_languages_with_staff("staff_transfer_form_with_an_error", 60, 80, 24, |app| {
        press(app, "j t tab ctrl-u");
        type_text(app, "E404");
        press(app, "enter");
    });
}

/// The hire form with a number, a name and the department chosen by its
/// pinyin (华南大区), which suggests its head as manager, named beside the
/// field.
fn hire_form_filled_in(app: &mut App) {
    press(app, "a");
    type_text(app, "E000100");
    press(app, "tab");
    type_text(app, "王小明");
    press(app, "tab");
    type_text(app, "huanan");
}

#[test]
fn hire_form_at_80_columns() {
    in_both_languages_with_staff("hire_form_80x24", 60, 80, 24, hire_form_filled_in);
}

#[test]
fn hire_form_at_160_columns() {
    in_both_languages_with_staff("hire_form_160x48", 60, 160, 48, hire_form_filled_in);
}

#[test]
fn manager_typed_as_pinyin_with_its_pick_list() {
    in_both_languages_with_staff("manager_pick_list", 60, 80, 24, |app| {
        press(app, "a tab tab tab tab tab");
        type_text(app, "xie");
        press(app, "down");
    });
}

#[test]
fn staff_filtered_by_pinyin_initials() {
    let mut app = demo_app_with_staff(60);
    press(&mut app, "/");
    type_text(&mut app, "zq");
    assert_snapshot!(render(&mut app, 80, 24));
}

#[test]
fn goals_tree_with_detail() {
    in_both_languages_with_staff("goals_tree_with_detail", 60, 80, 24, |app| {
        press(app, "2 j");
    });
}

#[test]
fn goal_actual_form() {
    in_both_languages_with_staff("goal_actual_form", 60, 80, 24, |app| {
        press(app, "2 j j u");
    });
}

#[test]
fn scoreboard_with_breakdown() {
    in_both_languages_with_staff("scoreboard_with_breakdown", 60, 100, 28, |app| {
        press(app, "3 j j");
    });
}

#[test]
fn scoring_breakdown_full_screen() {
    let build = || crate::scoring_breakdown::after_a_fall().0;
    in_both_languages_from("scoring_breakdown_full_screen", 80, 24, build, |app| {
        press(app, "enter");
    });
}

#[test]
fn grade_distribution() {
    in_both_languages_with_staff("grade_distribution", 60, 80, 24, |app| {
        press(app, "3 x");
    });
}

#[test]
fn cycle_settings_form() {
    in_both_languages_with_staff("cycle_settings_form", 60, 100, 30, |app| {
        press(app, "3 e");
    });
}

#[test]
fn bindings_with_a_pending_unbind() {
    in_both_languages_with_staff("bindings_with_a_pending_unbind", 120, 100, 30, |app| {
        press(app, "4 j j j j");
    });
}

#[test]
fn binding_audit_findings() {
    in_both_languages_with_staff("binding_audit_findings", 120, 100, 30, |app| {
        press(app, "4 w");
        app.wait_for_job();
    });
}

#[test]
fn vendor_ranking_with_breakdown() {
    in_both_languages("vendor_ranking_with_breakdown", 100, 28, |app| {
        press(app, "5")
    });
}

#[test]
fn vendor_comparison() {
    in_both_languages("vendor_comparison", 100, 24, |app| press(app, "5 V"));
}

/// Every tab and the Log and Departments views on the demo company, at
/// 80×24 and 160×48, in both languages: nothing important cut without
/// `…`, nothing overlapping.
fn view_at_both_sizes(name: &str, keys: &str) {
    for (width, height) in [(80, 24), (160, 48)] {
        in_both_languages_with_staff(
            &format!("view_{name}_{width}x{height}"),
            60,
            width,
            height,
            |app| {
                press(app, keys);
                app.wait_for_job();
            },
        );
    }
}

#[test]
fn staff_view_at_both_sizes() {
    view_at_both_sizes("staff", "1 j j j j j j");
}

#[test]
fn goals_view_at_both_sizes() {
    view_at_both_sizes("goals", "2 j");
}

#[test]
fn scoring_view_at_both_sizes() {
    view_at_both_sizes("scoring", "3 j j");
}

#[test]
fn bindings_view_at_both_sizes() {
    view_at_both_sizes("bindings", "4 w");
}

#[test]
fn vendors_view_at_both_sizes() {
    view_at_both_sizes("vendors", "5 j");
}

#[test]
fn log_view_at_both_sizes() {
    view_at_both_sizes("log", "g l");
}

#[test]
fn departments_view_at_both_sizes() {
    view_at_both_sizes("departments", "g d j j");
}
