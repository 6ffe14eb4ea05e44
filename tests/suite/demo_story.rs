//! The demo company tells a plausible appraisal story: the 2026 cycle's
//! grades near the target distribution, the stores' sales growth month by
//! month, and every scoring feature shown at least once (appeals upheld
//! and rejected, an override, a two-cycle improvement plan against the
//! closed 2025 cycle, an early warning, training), on the tests' day in
//! November and in December alike.

use crate::common;

use chrono::{Datelike, TimeZone, Utc};
use common::*;
use hrdesk::demo;
use hrdesk::domain::goal::{GoalId, Owner, Period};
use hrdesk::domain::scoring::appeal::AppealState;
use hrdesk::domain::scoring::outcomes::{PlanReason, recommended_courses};
use hrdesk::domain::scoring::score::Missing;
use hrdesk::domain::scoring::{CycleState, Grade};
use hrdesk::service::{Clock, Session};
use hrdesk::store::Store;

/// The demo company as of `clock`, logged in as its admin.
fn demo_on(clock: Clock) -> Session {
    let store = Store::in_memory(ADMIN, clock.now()).unwrap();
    let session = Session::login(store, ADMIN, clock).unwrap();
    demo::populate(&session, demo::DEFAULT_EMPLOYEES).unwrap();
    session
}

fn december() -> Clock {
    Clock::Fixed(Utc.with_ymd_and_hms(2026, 12, 6, 10, 0, 0).unwrap())
}

/// Every grade given, D within twice its quota, in the whole company.
fn assert_plausible_distribution(session: &Session) {
    let cycle = session.cycle_named("2026 年度考评").unwrap();
    let results = session.cycle_results(&cycle).unwrap();
    let (actual, quota) = (&results.company.actual, &results.company.quota);
    let counts: Vec<_> = Grade::ALL
        .iter()
        .map(|&g| (g.code(), actual.get(g), quota.get(g)))
        .collect();
    for &(grade, given, _) in &counts {
        assert!(given > 0, "no {grade} given: {counts:?}");
    }
    assert!(
        actual.get(Grade::D) <= 2 * quota.get(Grade::D),
        "too many Ds: {counts:?}"
    );
    // Near the target: no grade more than half again its quota.
    for &(grade, given, wanted) in &counts {
        assert!(given * 2 <= wanted * 3, "too many {grade}: {counts:?}");
    }
}

#[test]
fn the_demo_cycle_grades_near_its_target_in_november_and_december() {
    assert_plausible_distribution(&demo_on(clock()));
    assert_plausible_distribution(&demo_on(december()));
}

#[test]
fn the_demo_shows_every_scoring_feature() {
    let demo = demo_session_with_staff(demo::DEFAULT_EMPLOYEES);
    let closed = demo.cycle_named("2025 年度考评").unwrap();
    assert_eq!(closed.state, CycleState::Closed);
    let cycle = demo.cycle_named("2026 年度考评").unwrap();
    assert_eq!(demo.cycles().unwrap().last(), Some(&cycle), "the newest");
    let results = demo.cycle_results(&cycle).unwrap();
    let board = &results.board;

    let decided = |state: AppealState| {
        board
            .appeals()
            .iter()
            .find(|a| a.state() == state)
            .unwrap_or_else(|| panic!("no {state:?} appeal"))
    };
    let upheld = decided(AppealState::Upheld);
    let states: Vec<_> = upheld.steps.iter().map(|s| s.state).collect();
    assert_eq!(
        states,
        [
            AppealState::Open,
            AppealState::Investigating,
            AppealState::Upheld
        ]
    );
    assert!(upheld.new_score().is_some());
    let rejected = decided(AppealState::Rejected);
    for appeal in [upheld, rejected] {
        assert!(!appeal.steps.last().unwrap().comment.is_empty());
    }
    let row_of = |id| board.rows.iter().find(|r| r.employee == id).unwrap();
    assert_eq!(
        row_of(upheld.employee).final_score.map(|f| f.value()),
        upheld.new_score()
    );

    let overridden = board.rows.iter().find_map(|r| r.overridden.as_deref());
    let overridden = overridden.expect("an override");
    assert!(!overridden.reason.is_empty());
    assert_ne!(overridden.before, overridden.after);

    let history = demo.score_history(&cycle, board).unwrap();
    let config = &cycle.config;
    let two_low_cycles = board.rows.iter().find(|r| {
        matches!(
            history.plan(r, config),
            Some(PlanReason::ResultsBelow { cycles: 2, .. })
        )
    });
    let two_low_cycles = two_low_cycles.expect("a plan for two low cycles");
    assert_ne!(two_low_cycles.grade, Some(Grade::D));
    assert!(
        board
            .rows
            .iter()
            .any(|r| !history.warnings(&cycle, r).is_empty()),
        "an early warning"
    );

    let catalogue = demo.course_catalogue().unwrap();
    let trained = board.rows.iter().filter(|r| {
        let means = r.card.competency_means(config);
        !recommended_courses(&means, config.training_threshold, &catalogue).is_empty()
    });
    assert!(trained.count() > 0, "training recommended");
}

#[test]
fn the_stores_report_their_growth_monthly_up_to_today_and_one_deliberately_not() {
    let demo = demo_session_with_staff(demo::DEFAULT_EMPLOYEES);
    let cycle = demo.cycle_named("2026 年度考评").unwrap();
    let board = demo.board(&cycle).unwrap();
    // Everyone with goals is graded but the one whose figures are not in.
    let missing: Vec<_> = board
        .rows
        .iter()
        .filter(|r| r.grade.is_none())
        .flat_map(|r| r.card.missing.iter())
        .filter(|m| matches!(m, Missing::Actuals { .. }))
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");

    let tree = demo.goal_tree().unwrap();
    let store_goals: Vec<GoalId> = tree
        .goals()
        .iter()
        .filter(|g| g.title.starts_with("门店销售额同比") && matches!(g.owner, Owner::Employee(_)))
        .filter(|g| g.period == Period::Year(2026))
        .map(|g| g.id)
        .collect();
    assert!(store_goals.len() > 100);
    let today = demo.today();
    let mut monthly = 0;
    for id in store_goals {
        let (actuals, _) = demo.goal_history(id).unwrap();
        if actuals.is_empty() {
            continue;
        }
        let days: Vec<_> = actuals.iter().map(|a| a.date).collect();
        assert_eq!(days.len(), 11, "January to November, one each");
        assert!(days.iter().all(|d| d.day() == 1 && *d <= today));
        assert!(actuals.iter().all(|a| (3.0..=20.0).contains(&a.value)));
        monthly += 1;
    }
    assert!(monthly > 100);
}
