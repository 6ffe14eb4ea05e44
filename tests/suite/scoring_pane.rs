//! The Scoring pane driven through the real keymap: the demo cycle's
//! scoreboard with a scorecard's breakdown, entering a rating (refused
//! inline when wrong), overriding a grade, an appeal from filing to its
//! decision, the distribution view, and moving the cycle on.

use crate::common;

use common::*;
use hrdesk::app::{App, Mode};
use hrdesk::domain::scoring::CycleState;
use hrdesk::domain::scoring::appeal::AppealState;
use hrdesk::domain::scoring::board::upheld_appeal;
use hrdesk::domain::scoring::outcomes::ProfileTally;
use hrdesk::panes::scoring;

/// The demo with staff, on the Scoring tab, with a graded person selected.
/// How many appeals the demo cycle on screen already has (the demo's own:
/// one upheld, one rejected).
fn demo_appeals(app: &App) -> usize {
    let scoring = app.pane::<scoring::ScoringView>();
    let appeals = scoring.results.as_ref().unwrap().board.appeals().len();
    assert_eq!(appeals, 2, "the demo's two appeals");
    appeals
}

fn scoring_app() -> App {
    let mut app = demo_app_with_staff(120);
    press(&mut app, "3");
    let graded = {
        let scoring = app.pane::<scoring::ScoringView>();
        let results = scoring
            .results
            .as_ref()
            .expect("the demo cycle is computed");
        results
            .board
            .rows
            .iter()
            .position(|r| r.grade.is_some())
            .expect("someone with goals and ratings")
    };
    press(&mut app, "g g");
    for _ in 0..graded {
        press(&mut app, "j");
    }
    app
}

fn selected_grade(app: &App) -> Option<String> {
    app.pane::<scoring::ScoringView>()
        .selected()
        .and_then(|(_, row)| row.grade.map(|g| g.to_string()))
}

#[test]
fn the_scoreboard_shows_the_cycle_and_a_breakdown_term_by_term() {
    let mut app = scoring_app();
    let text = screen(&mut app, 120, 32);
    assert!(text.contains("2026 年度考评"), "{text}");
    assert!(text.contains("how it was computed"), "{text}");
    assert!(text.contains("Goal achievement 100% ×"), "{text}");
    assert!(
        text.contains("manager 100% ×"),
        "self is shown apart: {text}"
    );
    assert!(text.contains("self-rating, shown apart"), "{text}");
}

#[test]
fn a_rating_is_checked_inline_then_recorded() {
    let mut app = scoring_app();
    let (person, _) = app
        .pane::<scoring::ScoringView>()
        .selected()
        .map(|(p, r)| (p.clone(), r.clone()))
        .unwrap();
    let boss = app
        .session()
        .employee(person.id)
        .unwrap()
        .and_then(|e| e.manager)
        .unwrap();
    let boss_no = app.session().employee(boss).unwrap().unwrap().emp_no;
    press(&mut app, "i");
    assert_eq!(app.mode(), Mode::Form);
    fill(&mut app, "rater", &boss_no);
    fill(&mut app, "mark", "9");
    press(&mut app, "enter");
    let error = field_error(&app, "mark");
    assert!(
        error.is_some_and(|e| e.contains("not on the scale")),
        "the mark is blamed"
    );
    fill(&mut app, "mark", "2");
    fill(&mut app, "comment", "继续保持");
    press(&mut app, "enter");
    // The manager as a peer: refused, and HR gets a field for a reason.
    assert_eq!(app.mode(), Mode::Form);
    let form = app.form().unwrap();
    assert_eq!(form.focused().unwrap().id, "override_reason");
    let error = field_error(&app, "override_reason").unwrap();
    assert!(
        error.contains(&format!("{boss_no} ")) && error.contains("cannot rate"),
        "{error}"
    );
    fill(&mut app, "group", "manager");
    press(&mut app, "enter");
    // The demo's manager already marked this competency: asked first.
    assert_eq!(app.mode(), Mode::Confirm);
    let text = screen(&mut app, 120, 32);
    assert!(text.contains("already gave"), "{text}");
    assert!(text.contains("loaded in bulk"), "{text}");
    press(&mut app, "n");
    assert_eq!(app.mode(), Mode::Form, "no: the form stays as typed");
    assert_eq!(app.form().unwrap().value("mark"), "2");
    press(&mut app, "enter y");
    assert_eq!(
        app.mode(),
        Mode::Browse,
        "{:?}",
        app.form().map(|f| &f.fields)
    );
    assert_eq!(app.message().unwrap().text, "Rating recorded");
    let cycle = app.pane::<scoring::ScoringView>().cycle().unwrap().id;
    let sheet = app
        .session()
        .score_sheet(cycle, person.id)
        .unwrap()
        .unwrap();
    let given = sheet.rating_by(boss, "expertise").unwrap();
    assert_eq!((given.value, given.comment.as_str()), (2, "继续保持"));
    // The profile counted before the new mark is counted again when opened.
    let before = app.pane::<scoring::ScoringView>().profile.clone();
    let cycle = app.pane::<scoring::ScoringView>().cycle().cloned().unwrap();
    let mut tally = ProfileTally::default();
    let board = app.session().board(&cycle).unwrap();
    for (person, row) in board.people.iter().zip(&board.rows) {
        if let Some(grade) = row.grade {
            let means = row.card.competency_means(&cycle.config);
            tally.add(&person.title, grade, &means);
        }
    }
    let now = tally.rows();
    assert_ne!(before, now, "the mark moved the profile");
    press(&mut app, "P");
    assert_eq!(app.pane::<scoring::ScoringView>().profile, now);
}

/// The number of someone active in another department than the selected
/// appraisee's, who is not their manager.
fn stranger_to_selected(app: &App) -> String {
    let ratee = app
        .pane::<scoring::ScoringView>()
        .selected()
        .unwrap()
        .0
        .clone();
    let manager = app.session().employee(ratee.id).unwrap().unwrap().manager;
    app.session()
        .directory()
        .unwrap()
        .employees()
        .iter()
        .find(|e| {
            e.department != ratee.department
                && Some(e.id) != manager
                && e.status == hrdesk::domain::employee::Status::Active
        })
        .unwrap()
        .emp_no
        .clone()
}

#[test]
fn a_manager_gets_no_override_field_and_hr_overrides_with_a_reason() {
    let demo = demo_session_with_staff(120);
    let department = department_named(&demo, "销售部");
    let manager = demo.as_role(
        "mgr.sales",
        hrdesk::domain::operator::Role::Manager(department),
    );
    let mut app = app_for(manager);
    press(&mut app, "3 g g j i");
    assert_eq!(app.mode(), Mode::Form);
    let stranger = stranger_to_selected(&app);
    fill(&mut app, "rater", &stranger);
    fill(&mut app, "mark", "3");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Form);
    assert!(
        field_error(&app, "group").is_some_and(|e| e.contains("cannot rate")),
        "{:?}",
        app.form()
    );
    assert!(
        app.form()
            .unwrap()
            .fields
            .iter()
            .all(|f| f.id != "override_reason"),
        "only HR may override"
    );
    press(&mut app, "esc y");

    let mut app = app_for(demo.login(ADMIN));
    press(&mut app, "3 g g j i");
    let ratee = app
        .pane::<scoring::ScoringView>()
        .selected()
        .unwrap()
        .0
        .clone();
    let stranger = stranger_to_selected(&app);
    fill(&mut app, "rater", &stranger);
    fill(&mut app, "mark", "3");
    press(&mut app, "enter");
    fill(&mut app, "override_reason", "跨部门项目");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse, "{:?}", app.form());
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("accepted by HR: 跨部门项目"),
        "{:?}",
        app.message()
    );
    let last = app.session().audit_log().unwrap().pop().unwrap();
    assert_eq!(last.record.action, "rating.record");
    assert_eq!(last.record.entity_id, ratee.id.to_string());
    assert!(
        last.record
            .after
            .unwrap()
            .contains("relation=override reason=跨部门项目")
    );
}

#[test]
fn an_override_needs_a_reason_and_marks_the_grade() {
    let mut app = scoring_app();
    press(&mut app, "o");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Form, "no reason, no override");
    assert_eq!(
        app.form().unwrap().focused().unwrap().id,
        "reason",
        "the reason is blamed"
    );
    press(&mut app, "shift-tab");
    for _ in 0..5 {
        if app.form().unwrap().value("grade") == "S" {
            break;
        }
        press(&mut app, "ctrl-n");
    }
    fill(&mut app, "reason", "年度特别贡献");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(selected_grade(&app).as_deref(), Some("S"));
    let text = screen(&mut app, 120, 32);
    assert!(text.contains("S*"), "{text}");
    assert!(text.contains("年度特别贡献"), "{text}");
}

#[test]
fn an_appeal_is_filed_investigated_and_upheld() {
    let mut app = scoring_app();
    let id = format!("AP{}", demo_appeals(&app) + 1);
    press(&mut app, "!");
    fill(&mut app, "reason", "目标口径有误");
    press(&mut app, "enter");
    let filed = format!("Appeal {id} filed");
    assert!(app.message().unwrap().text.starts_with(&filed));
    press(&mut app, "! enter");
    assert_eq!(
        app.message().unwrap().text,
        format!("Appeal {id}: investigating")
    );
    press(&mut app, "!");
    fill(&mut app, "reason", "核实后调整");
    fill(&mut app, "score", "95");
    press(&mut app, "enter");
    assert_eq!(
        app.mode(),
        Mode::Browse,
        "{:?}",
        app.form().map(|f| &f.fields)
    );
    let (_, row) = app.pane::<scoring::ScoringView>().selected().unwrap();
    assert_eq!(row.appeal, Some(AppealState::Upheld));
    assert_eq!(row.final_score.map(|f| f.value()), Some(95.0));
    let computed = row.card.final_score.unwrap().to_string();
    assert_eq!(selected_grade(&app).as_deref(), Some("S"));
    let text = screen(&mut app, 140, 40);
    assert!(
        text.contains(&format!(
            "F 95.0 replaced by appeal {id} (was {computed}) → S"
        )),
        "the breakdown says where F comes from: {text}"
    );
    assert!(
        !text.contains("F 95.0 = "),
        "no sum of terms that does not add up: {text}"
    );
}

#[test]
fn a_rejected_appeal_takes_no_score() {
    let mut app = scoring_app();
    let before = app
        .pane::<scoring::ScoringView>()
        .selected()
        .unwrap()
        .1
        .final_score;
    press(&mut app, "!");
    fill(&mut app, "reason", "目标口径有误");
    press(&mut app, "enter ! enter !");
    fill(&mut app, "step", "rejected");
    fill(&mut app, "reason", "依据充分，维持原结果");
    fill(&mut app, "score", "150");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Form, "refused on its field");
    let error = field_error(&app, "score").expect("the score field says why");
    assert!(error.contains("takes no score"), "{error}");
    fill(&mut app, "score", "");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse);
    let view = app.pane::<scoring::ScoringView>();
    let (_, row) = view.selected().unwrap();
    assert_eq!(row.appeal, Some(AppealState::Rejected));
    assert_eq!(row.final_score, before, "the score stays");
    let board = &view.results.as_ref().unwrap().board;
    let cycle = view.cycle().unwrap();
    assert_eq!(upheld_appeal(board.appeals(), cycle, row.employee), None);
    press(&mut app, "b");
    let text = screen(&mut app, 140, 40);
    assert!(text.contains("admin rejected: 依据充分"), "{text}");
}

#[test]
fn the_distribution_shows_grades_against_quotas() {
    let mut app = scoring_app();
    press(&mut app, "x");
    let text = screen(&mut app, 100, 30);
    assert!(
        text.contains("grade distribution against the quotas"),
        "{text}"
    );
    assert!(text.contains("the whole company"), "{text}");
    assert!(text.contains("(quota "), "{text}");
    press(&mut app, "x");
    assert!(screen(&mut app, 100, 30).contains("how it was computed"));
}

#[test]
fn moving_the_cycle_on_asks_first() {
    let mut app = scoring_app();
    press(&mut app, "n");
    assert_eq!(app.mode(), Mode::Confirm);
    press(&mut app, "esc");
    assert_eq!(
        app.pane::<scoring::ScoringView>().cycle().unwrap().state,
        CycleState::Open
    );
    press(&mut app, "n y");
    assert_eq!(
        app.pane::<scoring::ScoringView>().cycle().unwrap().state,
        CycleState::Calibrating
    );
    press(&mut app, "i");
    fill(&mut app, "rater", "E000001");
    fill(&mut app, "mark", "3");
    press(&mut app, "enter");
    let form_error = app.form().and_then(|f| f.error.clone()).unwrap_or_default();
    assert!(
        form_error.contains("calibrating"),
        "ratings are entered while open: {form_error}"
    );
}

#[test]
fn a_new_cycle_is_checked_setting_by_setting_then_shown() {
    let mut app = scoring_app();
    press(&mut app, "a");
    assert_eq!(app.mode(), Mode::Form);
    fill(&mut app, "name", "2027 上半年");
    fill(&mut app, "period", "2027-H1");
    fill(&mut app, "starts", "2027-06-01");
    fill(&mut app, "ends", "2027-06-30");
    fill(&mut app, "indicators", "goals:80;quality:30");
    fill(&mut app, "distribution", "S:20;A:70;B:10");
    let error = |app: &App, id: &str| {
        let form = app.form().expect("refused");
        form.fields
            .iter()
            .find(|f| f.id == id)
            .and_then(|f| f.error.clone())
    };
    // What does not read is named first, then what does not add up.
    press(&mut app, "enter");
    let missing = error(&app, "distribution");
    assert!(
        missing.as_ref().is_some_and(|e| e.contains("grade C")),
        "{missing:?}"
    );
    fill(&mut app, "distribution", "20/70/10");
    press(&mut app, "enter");
    let three = error(&app, "distribution");
    assert!(
        three.as_ref().is_some_and(|e| e.contains("3 shares")),
        "a curve of three grades for five bands: {three:?}"
    );
    fill(&mut app, "distribution", "S:0;A:20;B:70;C:10;D:0");
    press(&mut app, "enter");
    let no_share = error(&app, "distribution");
    assert!(
        no_share
            .as_ref()
            .is_some_and(|e| e.contains("grade S no share")),
        "{no_share:?}"
    );
    fill(&mut app, "distribution", "5/20/60/10/5");
    press(&mut app, "enter");
    let sum = error(&app, "indicators");
    assert!(sum.as_ref().is_some_and(|e| e.contains("110")), "{sum:?}");
    fill(&mut app, "indicators", "goals:80;quality:20");
    press(&mut app, "enter");
    assert_eq!(
        app.mode(),
        Mode::Browse,
        "{:?}",
        app.form().map(|f| &f.fields)
    );
    let cycle = app.pane::<scoring::ScoringView>().cycle().unwrap();
    assert_eq!(cycle.name, "2027 上半年");
    assert_eq!(cycle.state, CycleState::Draft);
    assert_eq!(cycle.config.indicators[1].code, "quality");
    assert_eq!(cycle.config.distribution.percent.0, [5, 20, 60, 10, 5]);
    // The previous cycle is one key away.
    press(&mut app, "[");
    assert_eq!(
        app.pane::<scoring::ScoringView>().cycle().unwrap().name,
        "2026 年度考评"
    );
    press(&mut app, "] e");
    fill(&mut app, "name", "2026 年度考评");
    press(&mut app, "enter");
    let taken = error(&app, "name");
    assert!(taken.is_some_and(|e| e.contains("already a cycle")));
}

#[test]
fn a_closed_cycle_is_reopened_with_a_reason() {
    let mut app = scoring_app();
    press(&mut app, "n y n y");
    assert_eq!(
        app.pane::<scoring::ScoringView>().cycle().unwrap().state,
        CycleState::Closed
    );
    let text = screen(&mut app, 120, 32);
    assert!(text.contains("closed"), "{text}");
    press(&mut app, "n");
    assert_eq!(app.mode(), Mode::Form);
    press(&mut app, "enter");
    let blamed = app.form().and_then(|f| f.fields[0].error.clone());
    assert!(blamed.is_some(), "a reason is needed");
    fill(&mut app, "reason", "申诉需要重新校准");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(
        app.pane::<scoring::ScoringView>().cycle().unwrap().state,
        CycleState::Calibrating
    );
}

#[test]
fn leniency_is_listed_and_normalisation_asks_first() {
    let mut app = scoring_app();
    press(&mut app, "z");
    let text = screen(&mut app, 120, 32);
    assert!(text.contains("rater leniency"), "{text}");
    assert!(text.contains("not normalised"), "{text}");
    assert!(text.contains("everyone:"), "{text}");
    press(&mut app, "Z");
    assert_eq!(app.mode(), Mode::Confirm);
    press(&mut app, "y");
    assert!(
        app.pane::<scoring::ScoringView>()
            .cycle()
            .unwrap()
            .config
            .normalise
    );
    assert!(screen(&mut app, 120, 32).contains("· normalised"));
    press(&mut app, "z");
    assert!(screen(&mut app, 120, 32).contains("how it was computed"));
}

#[test]
fn a_mark_recorded_with_the_leniency_view_open_is_tallied_again() {
    let mut app = scoring_app();
    let person = app.pane::<scoring::ScoringView>().selected().unwrap().0.id;
    let boss = app
        .session()
        .employee(person)
        .unwrap()
        .unwrap()
        .manager
        .unwrap();
    let boss_no = app.session().employee(boss).unwrap().unwrap().emp_no;
    let everyone = |app: &mut App| {
        let text = screen(app, 120, 32);
        let line = text
            .lines()
            .find(|l| l.contains("everyone:"))
            .map(str::to_string);
        line.unwrap_or_else(|| panic!("no leniency report: {text}"))
    };
    press(&mut app, "z");
    let before = everyone(&mut app);
    press(&mut app, "i");
    fill(&mut app, "rater", &boss_no);
    fill(&mut app, "group", "manager");
    fill(&mut app, "mark", "1");
    press(&mut app, "enter y");
    assert_eq!(app.message().unwrap().text, "Rating recorded");
    let after = everyone(&mut app);
    assert_ne!(before, after, "the report follows the marks");
}

#[test]
fn the_high_performer_profile_sets_s_and_a_against_the_rest() {
    let mut app = scoring_app();
    press(&mut app, "P");
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("high-performer profile"), "{text}");
    assert!(text.contains("S/A "), "{text}");
    let profile = &app.pane::<scoring::ScoringView>().profile;
    assert!(!profile.is_empty());
    assert!(profile.iter().all(|row| row.top_count + row.rest_count > 0));
    press(&mut app, "P");
    assert!(screen(&mut app, 120, 32).contains("how it was computed"));
}

#[test]
fn appeals_are_listed_with_their_steps() {
    let mut app = scoring_app();
    let id = format!("AP{}", demo_appeals(&app) + 1);
    press(&mut app, "b");
    let text = screen(&mut app, 120, 32);
    assert!(
        text.contains("upheld") && text.contains("rejected"),
        "{text}"
    );
    press(&mut app, "b !");
    fill(&mut app, "reason", "目标口径有误");
    press(&mut app, "enter ! enter b");
    let text = screen(&mut app, 120, 32);
    assert!(text.contains(&id), "{text}");
    assert!(text.contains("investigating"), "{text}");
    assert!(text.contains("目标口径有误"), "{text}");
}

#[test]
fn indicators_are_entered_only_where_the_cycle_has_them() {
    let mut app = scoring_app();
    press(&mut app, "I");
    assert_eq!(app.mode(), Mode::Browse);
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("no imported indicators")
    );
    // Give the cycle a quality indicator, then enter a value for someone.
    press(&mut app, "e");
    fill(&mut app, "indicators", "goals:80;quality:20");
    press(&mut app, "enter");
    assert_eq!(
        app.mode(),
        Mode::Browse,
        "{:?}",
        app.form().map(|f| &f.fields)
    );
    press(&mut app, "I");
    fill(&mut app, "value", "1200");
    press(&mut app, "enter");
    let error = field_error(&app, "value");
    assert!(
        error.is_some_and(|e| e.contains("1000")),
        "an achievement is at most 1000%"
    );
    fill(&mut app, "value", "95");
    press(&mut app, "enter");
    assert_eq!(app.message().unwrap().text, "Indicator value recorded");
    let (_, row) = app.pane::<scoring::ScoringView>().selected().unwrap();
    assert!(
        row.card
            .workings()
            .results_terms
            .iter()
            .any(|t| t.value == 95.0),
        "{:?}",
        row.card
    );
}

#[test]
fn n_shows_only_the_people_not_graded_for_missing_data() {
    let mut app = scoring_app();
    let (all, missing) = {
        let view = app.pane::<scoring::ScoringView>();
        let rows = &view.results.as_ref().unwrap().board.rows;
        let missing = rows.iter().filter(|r| !r.card.missing.is_empty()).count();
        (view.list.visible_len(), missing)
    };
    assert!(0 < missing && missing < all, "{missing} of {all}");
    press(&mut app, "N");
    let view = app.pane::<scoring::ScoringView>();
    assert_eq!(view.list.visible_len(), missing);
    let (_, row) = view.selected().expect("the first of them is selected");
    assert!(!row.card.missing.is_empty());
    let text = screen(&mut app, 120, 32);
    assert!(text.contains("only those missing data"), "{text}");
    assert!(text.contains("not graded yet: missing"), "{text}");
    press(&mut app, "N");
    assert_eq!(app.pane::<scoring::ScoringView>().list.visible_len(), all);
}

#[test]
fn closing_over_quota_asks_first_naming_the_grades_and_pools() {
    let mut app = scoring_app();
    press(&mut app, "n y");
    let over = app
        .pane::<scoring::ScoringView>()
        .results
        .as_ref()
        .unwrap()
        .over_quota();
    assert!(!over.is_empty(), "the demo cycle is over its quotas");
    press(&mut app, "n");
    let question = app.confirm().expect("asks first").message.clone();
    assert!(question.contains("over its quotas"), "{question}");
    assert!(question.contains("the whole company: "), "{question}");
    press(&mut app, "esc");
    assert_eq!(
        app.pane::<scoring::ScoringView>().cycle().unwrap().state,
        CycleState::Calibrating,
        "nothing closed"
    );
    press(&mut app, "x");
    let text = screen(&mut app, 120, 60);
    assert_eq!(
        text.matches("the whole company (").count(),
        1,
        "the whole company is shown once: {text}"
    );
}

#[test]
fn the_company_pool_has_its_own_row() {
    let mut app = demo_app_with_staff(8);
    press(&mut app, "3");
    let has_company_pool = app
        .pane::<scoring::ScoringView>()
        .results
        .as_ref()
        .unwrap()
        .pools
        .iter()
        .any(|p| p.department.is_none() && p.headcount > 0);
    assert!(
        has_company_pool,
        "a top department of fewer than ten merges into the company pool"
    );
    press(&mut app, "x");
    let text = screen(&mut app, 120, 80);
    assert!(
        text.contains("the company pool (the top department"),
        "{text}"
    );
    assert_eq!(text.matches("the whole company (").count(), 1, "{text}");
}

#[test]
fn a_new_cycle_starts_with_normalisation_off_and_copying_it_is_a_choice() {
    let mut app = scoring_app();
    press(&mut app, "Z y");
    assert!(
        app.pane::<scoring::ScoringView>()
            .cycle()
            .unwrap()
            .config
            .normalise
    );
    press(&mut app, "a");
    let form = app.form().expect("the cycle form");
    assert_eq!(form.value("normalise"), "no", "not silently inherited");
    let label = &form
        .fields
        .iter()
        .find(|f| f.id == "normalise")
        .unwrap()
        .label;
    assert!(label.contains("previous cycle: yes"), "{label}");
    fill(&mut app, "name", "2027 上半年");
    fill(&mut app, "period", "2027-H1");
    fill(&mut app, "starts", "2027-06-01");
    fill(&mut app, "ends", "2027-06-30");
    fill(&mut app, "plan_threshold", "55");
    fill(&mut app, "plan_cycles", "7");
    fill(&mut app, "training_threshold", "2.5");
    fill(&mut app, "precision", "3");
    press(&mut app, "enter");
    assert!(
        field_error(&app, "precision").is_some_and(|e| e.contains("0, 1 or 2")),
        "{:?}",
        field_error(&app, "precision")
    );
    fill(&mut app, "precision", "2");
    press(&mut app, "enter");
    assert!(
        field_error(&app, "plan_threshold").is_some_and(|e| e.contains("1 to 6 cycles")),
        "{:?}",
        field_error(&app, "plan_threshold")
    );
    fill(&mut app, "plan_cycles", "3");
    press(&mut app, "enter");
    assert_eq!(
        app.mode(),
        Mode::Browse,
        "{:?}",
        app.form().map(|f| &f.fields)
    );
    let config = &app.pane::<scoring::ScoringView>().cycle().unwrap().config;
    assert!(!config.normalise);
    assert_eq!(
        (
            config.plan_threshold,
            config.plan_cycles,
            config.training_threshold
        ),
        (55.0, 3, 2.5)
    );
    assert_eq!(config.precision.decimals(), 2);
    let logged = app.session().audit_log().unwrap().pop().unwrap().record;
    assert_eq!(logged.action, "cycle.add");
    let after = logged.after.unwrap();
    assert!(after.contains("normalise=off"), "{after}");
    assert!(after.contains("plan_cycles=3"), "{after}");
}

#[test]
fn the_distribution_scrolls_to_every_pool_and_leaves_out_pools_without_grades() {
    let mut app = scoring_app();
    press(&mut app, "x");
    let text = screen(&mut app, 100, 16);
    assert!(text.contains("the whole company ("), "{text}");
    assert!(!text.contains("(0 graded)"), "{text}");
    let last = {
        let view = app.pane::<scoring::ScoringView>();
        let results = view.results.as_ref().unwrap();
        let pool = results.pools.iter().rfind(|p| p.headcount > 0).unwrap();
        pool.department
            .map(|d| results.board.departments.path(d))
            .unwrap_or_else(|| "the company pool".into())
    };
    assert!(!text.contains(&format!("{last} (")), "{text}");
    press(&mut app, "G");
    let text = screen(&mut app, 100, 16);
    assert!(
        text.contains(&format!("{last} (")),
        "scrolled to the last pool: {text}"
    );
    assert!(!text.contains("the whole company ("), "{text}");
    press(&mut app, "g g");
    assert!(screen(&mut app, 100, 16).contains("the whole company ("));
}

/// The board keeps each scorecard's figures; whoever is selected, by
/// moving, searching or sorting, has their whole scorecard beside it.
#[test]
fn the_selected_person_has_their_whole_scorecard_the_board_its_figures() {
    let mut app = scoring_app();
    for keys in ["", "j", "j j j", "/ l i esc", "s", "G"] {
        press(&mut app, keys);
        let view = app.pane::<scoring::ScoringView>();
        let (person, row) = view.selected().expect("someone selected");
        let results = view.results.as_ref().expect("a board");
        let at = results.board.people.iter().position(|p| p.id == person.id);
        let kept = &results.board.rows[at.expect("on the board")];
        assert!(
            kept.card.workings().groups.is_empty() && kept.card.workings().results_terms.is_empty()
        );
        let whole = row.card.results.is_none() || !row.card.workings().results_terms.is_empty();
        assert!(whole, "{keys}: {} has only figures", person.emp_no);
        assert_eq!(row.card.results, kept.card.results);
    }
}
