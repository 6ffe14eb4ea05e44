//! The Vendors pane driven through the real keymap on the demo's retail
//! case: the ranking with a total's breakdown, a knocked-out vendor's
//! reason, the side-by-side comparison, the budget, choosing a vendor
//! (asks first), a quarter's spend recorded (refused inline when wrong),
//! a vendor's demo and pilot entered, a new project started (each refused
//! inline when wrong), and the refusal for a manager.

use crate::common;

use common::*;
use hrdesk::domain::department::DepartmentId;
use hrdesk::domain::operator::Role;
use hrdesk::domain::vendor::VendorId;
use hrdesk::domain::vendor::case::YUNCAI;
use hrdesk::panes::vendors;
use hrdesk::panes::vendors::Showing;

/// The total of `vendor` in the ranking on screen.
fn total_of(app: &hrdesk::app::App, vendor: VendorId) -> f64 {
    let report = app
        .pane::<vendors::VendorsView>()
        .report
        .as_ref()
        .expect("a report");
    let row = report.scorecard.rows.iter().find(|r| r.vendor == vendor);
    row.expect("ranked").total
}

/// The demo app with the new project form open, its name, headcount and
/// budget filled in.
fn new_project_form() -> hrdesk::app::App {
    let mut app = demo_app();
    press(&mut app, "5 a");
    fill(&mut app, "name", "总部人事系统");
    fill(&mut app, "headcount", "1200");
    fill(&mut app, "annual_budget", "20万");
    app
}

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
    assert!(text.contains("91.8 = the sum of"), "{text}");
    assert!(
        text.contains("零售经验 (25.0%, 0..5): 5 → 100.0 × 25.0% = 25.00"),
        "{text}"
    );
    press(&mut app, "G");
    let text = screen(&mut app, 110, 30);
    assert!(
        text.contains("大成信息 is disqualified: it lacks attendance, SaaS"),
        "{text}"
    );
}

#[test]
fn the_views_compare_side_by_side_and_project_the_budget() {
    let mut app = demo_app();
    press(&mut app, "5 V");
    assert_eq!(
        app.pane::<vendors::VendorsView>().showing,
        Showing::Comparison
    );
    let text = screen(&mut app, 110, 30);
    assert!(text.contains("Criterion (weight)"), "{text}");
    assert!(
        text.contains("194235.00 (75)"),
        "the cheapest scores 75 on the cost scale: {text}"
    );
    press(&mut app, "V");
    let text = screen(&mut app, 110, 30);
    assert!(text.contains("306657.50"), "{text}");
    assert!(text.contains("over budget"), "{text}");
    assert!(
        text.contains("flat: training; implementation in year 1 Q1"),
        "how the costs are planned, whole: {text}"
    );
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
    let project = app
        .pane::<vendors::VendorsView>()
        .project()
        .unwrap()
        .clone();
    let second = app.pane::<vendors::VendorsView>().selected_vendor();
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
    assert_eq!(app.pane::<vendors::VendorsView>().showing, Showing::Plan);
    let plan = &app
        .pane::<vendors::VendorsView>()
        .report
        .as_ref()
        .unwrap()
        .plan;
    assert_eq!(plan[0].actual, Some(1_200_000));
}

#[test]
fn a_manager_is_told_no() {
    let mut app = demo_app_as("zhao", Role::Manager(DepartmentId(2)));
    press(&mut app, "5");
    let text = screen(&mut app, 100, 24);
    assert!(text.contains("admin, hr and viewer operators"), "{text}");
}

#[test]
fn a_demo_and_pilot_are_refused_inline_then_saved_and_the_total_follows() {
    let mut app = demo_app();
    press(&mut app, "5");
    let before = total_of(&app, YUNCAI);
    press(&mut app, "e");
    assert_eq!(app.form().unwrap().fields[1].value(), "4.5", "prefilled");
    fill(&mut app, "usability", "7");
    fill(&mut app, "satisfaction_pct", "120");
    fill(&mut app, "ratings", "功能:3");
    press(&mut app, "enter");
    let usability = field_error(&app, "usability").expect("usability refused");
    assert!(usability.contains("0–5"), "{usability}");
    assert!(field_error(&app, "satisfaction_pct").is_some());
    let ratings = field_error(&app, "ratings").expect("unknown rubric refused");
    assert!(ratings.contains("功能"), "{ratings}");
    fill(&mut app, "usability", "2");
    fill(&mut app, "satisfaction_pct", "90");
    fill(&mut app, "ratings", "易用性:4");
    press(&mut app, "enter");
    assert!(app.form().is_none(), "saved");
    let after = total_of(&app, YUNCAI);
    assert!(after < before, "{before} → {after}");
    let report = app.pane::<vendors::VendorsView>().report.as_ref().unwrap();
    let yuncai = report.vendors.iter().find(|v| v.id == YUNCAI).unwrap();
    assert_eq!(yuncai.ratings, vec![("易用性".to_string(), 4.0)]);
    assert_eq!(yuncai.pilot.as_ref().unwrap().satisfaction_pct, 90.0);
}

#[test]
fn blank_pilot_fields_mean_no_pilot() {
    let mut app = demo_app();
    press(&mut app, "5 e");
    for id in [
        "department",
        "weeks",
        "crashes",
        "task",
        "days_before",
        "days_after",
        "satisfaction_pct",
    ] {
        fill(&mut app, id, "");
    }
    press(&mut app, "enter");
    assert!(app.form().is_none());
    let report = app.pane::<vendors::VendorsView>().report.as_ref().unwrap();
    let yuncai = report.vendors.iter().find(|v| v.id == YUNCAI).unwrap();
    assert_eq!(yuncai.pilot, None);
    assert!(yuncai.demo.is_some());
}

#[test]
fn a_new_project_is_started_from_the_one_on_screen_and_shown() {
    let mut app = new_project_form();
    press(&mut app, "enter");
    assert!(app.form().is_none(), "{:?}", app.form());
    let project = app.pane::<vendors::VendorsView>().project().unwrap();
    assert_eq!(project.name, "总部人事系统");
    assert_eq!(project.annual_budget, 20_000_000);
    assert_eq!(project.criteria.len(), 8, "the criteria of the case");
    assert_eq!(app.pane::<vendors::VendorsView>().projects.len(), 2);
    let text = screen(&mut app, 110, 30);
    assert!(text.contains("总部人事系统 · 1200"), "{text}");
}

#[test]
fn a_bad_criteria_line_is_refused_with_its_problem() {
    let mut app = new_project_form();
    fill(&mut app, "criteria", "经验:bonus:industry_years:100");
    press(&mut app, "enter");
    let problem = field_error(&app, "criteria").expect("refused");
    assert!(problem.contains("bonus"), "{problem}");
    fill(&mut app, "criteria", "经验:benefit:industry_years:60");
    press(&mut app, "enter");
    let problem = field_error(&app, "criteria").expect("a scale is needed");
    assert!(problem.contains("scale"), "{problem}");
    fill(&mut app, "criteria", "经验:benefit:industry_years:60:0..5");
    press(&mut app, "enter");
    let problem = field_error(&app, "criteria").expect("weights refused");
    assert!(problem.contains("60"), "{problem}");
    assert_eq!(
        app.pane::<vendors::VendorsView>().projects.len(),
        1,
        "nothing kept"
    );
}

#[test]
fn a_viewer_reads_but_is_refused_before_any_form_opens() {
    let mut app = demo_app_as("wang", Role::Viewer);
    press(&mut app, "5");
    let text = screen(&mut app, 110, 30);
    assert!(text.contains("91.8 = the sum of"), "{text}");
    for key in ["a", "e", "O", "u"] {
        press(&mut app, key);
        assert!(app.form().is_none() && app.confirm().is_none(), "{key}");
        assert!(app.message().unwrap().is_error, "{key}");
    }
}

#[test]
fn the_project_on_screen_is_changed_and_its_budget_follows() {
    let mut app = demo_app();
    press(&mut app, "5 M");
    let form = app.form().expect("the project form, filled in");
    assert_eq!(form.value("annual_budget"), "80000.00");
    let chosen = app.pane::<vendors::VendorsView>().project().unwrap().chosen;
    fill(&mut app, "annual_budget", "50,000");
    press(&mut app, "enter");
    assert!(app.form().is_none(), "{:?}", app.form().map(|f| &f.error));
    let project = app.pane::<vendors::VendorsView>().project().unwrap();
    assert_eq!(project.annual_budget, 5_000_000);
    assert_eq!(project.chosen, chosen, "the chosen vendor stays");
    press(&mut app, "V V");
    let text = screen(&mut app, 110, 30);
    assert!(!text.contains("within budget"), "{text}");
}

#[test]
fn a_vendor_is_removed_after_a_yes_but_never_the_chosen_one() {
    let mut app = demo_app();
    press(&mut app, "5 d");
    assert!(app.confirm().is_some(), "asks first");
    press(&mut app, "y");
    assert!(app.message().unwrap().is_error, "the chosen vendor stays");
    assert_eq!(app.pane::<vendors::VendorsView>().lines().len(), 4);
    press(&mut app, "G d y");
    assert!(!app.message().unwrap().is_error);
    assert_eq!(app.pane::<vendors::VendorsView>().lines().len(), 3);
    let text = screen(&mut app, 110, 30);
    assert!(!text.contains("—  大成信息"), "{text}");
    assert!(text.contains("大成信息 removed from the project"), "{text}");
}

#[test]
fn a_knocked_out_vendor_is_refused_by_name_before_anything_is_asked() {
    let mut app = demo_app();
    press(&mut app, "5 G O");
    assert!(app.confirm().is_none(), "refused before asking");
    let message = app.message().unwrap();
    assert!(message.is_error);
    assert!(message.text.contains("大成信息"), "{}", message.text);
    assert!(!message.text.contains("V4"), "{}", message.text);
}

#[test]
fn choosing_below_the_acceptance_band_asks_with_the_reason() {
    let mut app = demo_app();
    press(&mut app, "5 M");
    fill(&mut app, "bands", "淘汰:0;可接受:65;优选:80");
    press(&mut app, "enter");
    assert!(app.form().is_none(), "{:?}", app.form().map(|f| &f.error));
    press(&mut app, "j j O");
    let question = &app.confirm().expect("asks").message;
    assert!(question.contains("汇通软件"), "{question}");
    assert!(question.contains("below 可接受 (from 65)"), "{question}");
    press(&mut app, "n k O");
    let question = &app.confirm().expect("asks").message;
    assert!(!question.contains("below"), "{question}");
}
