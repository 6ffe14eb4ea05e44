//! The Vendors pane driven through the real keymap on the demo's retail
//! case: the ranking with a total's breakdown, a knocked-out vendor's
//! reason, the side-by-side comparison, the budget, choosing a vendor
//! (asks first), a quarter's spend recorded (refused inline when wrong),
//! and the refusal for a manager.

mod common;

use common::*;
use hrdesk::app::vendors::Showing;
use hrdesk::domain::department::DepartmentId;
use hrdesk::domain::operator::Role;

#[test]
fn the_ranking_breaks_a_total_down_and_explains_a_knock_out() {
    let mut app = demo_app();
    press(&mut app, "5");
    let text = screen(&mut app, 110, 30);
    let first = text
        .find("1  云才科技")
        .expect("the retail specialist first");
    let second = text.find("2  智享人力").expect("then the cheapest");
    assert!(first < second, "{text}");
    assert!(text.contains("84.6 = the sum of"), "{text}");
    assert!(
        text.contains("零售经验 (25%): 5 → 100.0 × 25% = 25.00"),
        "{text}"
    );
    press(&mut app, "G");
    let text = screen(&mut app, 110, 30);
    assert!(
        text.contains("大成信息 is disqualified: it lacks attendance, saas"),
        "{text}"
    );
}

#[test]
fn the_views_compare_side_by_side_and_project_the_budget() {
    let mut app = demo_app();
    press(&mut app, "5 V");
    assert_eq!(app.vendors().showing, Showing::Comparison);
    let text = screen(&mut app, 110, 30);
    assert!(text.contains("Criterion (weight)"), "{text}");
    assert!(
        text.contains("194235.00 (100)"),
        "the cheapest scores 100 on cost: {text}"
    );
    press(&mut app, "V");
    let text = screen(&mut app, 110, 30);
    assert!(text.contains("306657.50"), "{text}");
    assert!(text.contains("over budget"), "{text}");
    press(&mut app, "V");
    let text = screen(&mut app, 110, 30);
    assert!(text.contains("Over plan by 3500.00 yuan"), "{text}");
}

#[test]
fn choosing_asks_first_and_spend_is_checked_then_recorded() {
    let mut app = demo_app();
    press(&mut app, "5 j O");
    assert!(app.confirm().is_some(), "asks first");
    press(&mut app, "y");
    let project = app.vendors().project().unwrap().clone();
    let second = app.vendors().selected_vendor();
    assert_eq!(project.chosen, second);
    press(&mut app, "u");
    assert!(app.form().is_some());
    fill(&mut app, "amount", "abc");
    press(&mut app, "enter");
    assert!(
        app.form().unwrap().fields[2].error.is_some(),
        "a bad amount is refused on its field"
    );
    fill(&mut app, "amount", "１２,０００");
    press(&mut app, "enter");
    assert!(app.form().is_none());
    assert_eq!(app.vendors().showing, Showing::Plan);
    let plan = &app.vendors().report.as_ref().unwrap().plan;
    assert_eq!(plan[0].actual, Some(1_200_000));
}

#[test]
fn a_manager_is_told_no() {
    let mut app = demo_app_as("zhao", Role::Manager(DepartmentId(2)));
    press(&mut app, "5");
    let text = screen(&mut app, 100, 24);
    assert!(text.contains("admin, hr and viewer operators"), "{text}");
}
