//! Whole-screen snapshots of the console on `TestBackend`, at 80×24 and at
//! a small size, reached by typing keys through the real keymap.

mod common;

use common::*;
use insta::assert_snapshot;

#[test]
fn home_screen() {
    let mut app = demo_app();
    assert_snapshot!(render(&mut app, 80, 24));
}

#[test]
fn departments_tree() {
    let mut app = demo_app();
    press(&mut app, "g d j j");
    assert_snapshot!(render(&mut app, 80, 24));
}

#[test]
fn department_form_with_an_inline_error() {
    let mut app = demo_app();
    press(&mut app, "g d a");
    type_text(&mut app, "销售部");
    press(&mut app, "tab");
    type_text(&mut app, "xinghe");
    press(&mut app, "enter");
    assert_snapshot!(render(&mut app, 80, 24));
}

#[test]
fn removal_confirmation() {
    let mut app = demo_app();
    press(&mut app, "g d G d");
    assert_snapshot!(render(&mut app, 80, 24));
}

#[test]
fn operators_list() {
    let mut app = demo_app();
    press(&mut app, "g o");
    assert_snapshot!(render(&mut app, 80, 24));
}

#[test]
fn help_overlay_filtered() {
    let mut app = demo_app();
    press(&mut app, "?");
    type_text(&mut app, "form");
    assert_snapshot!(render(&mut app, 80, 24));
}

#[test]
fn command_palette() {
    let mut app = demo_app();
    press(&mut app, ":");
    type_text(&mut app, "th");
    assert_snapshot!(render(&mut app, 80, 24));
}

#[test]
fn departments_in_a_small_terminal() {
    let mut app = demo_app();
    press(&mut app, "g d /");
    type_text(&mut app, "门店");
    assert_snapshot!(render(&mut app, 50, 14));
}

#[test]
fn terminal_too_small() {
    let mut app = demo_app();
    assert_snapshot!(render(&mut app, 39, 9));
}
