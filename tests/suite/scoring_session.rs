//! Appraisal cycles through a session: the cycle's states (closed means
//! frozen), ratings and indicators all or nothing, the scoreboard, grade
//! overrides, appeals, and who may do what.

use crate::common;

use chrono::NaiveDate;
use common::*;
use hrdesk::domain::employee::EmployeeId;
use hrdesk::domain::goal::Period;
use hrdesk::domain::operator::Role;
use hrdesk::domain::scoring::appeal::AppealState;
use hrdesk::domain::scoring::board::BoardRow;
use hrdesk::domain::scoring::entry::ScoringError;
use hrdesk::domain::scoring::lenient::Leniency;
use hrdesk::domain::scoring::{
    Cycle, CycleConfig, CycleError, CycleId, CycleState, Grade, RaterGroup, Rating,
};
use hrdesk::service::{Appraisee, BONUS_EXPORT, LeniencyReport, OpError, Pay, RowTally, Session};

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn new_cycle(name: &str) -> Cycle {
    Cycle {
        id: CycleId(0),
        name: name.into(),
        period: Period::Year(2026),
        starts: date(2026, 12, 1),
        ends: date(2026, 12, 31),
        scope: Vec::new(),
        state: CycleState::Draft,
        config: CycleConfig::default(),
    }
}

/// An open cycle on a demo company with 40 staff.
pub(crate) fn open_cycle() -> (Demo, Cycle) {
    let session = demo_session_with_staff(40);
    let cycle = session.add_cycle(new_cycle("2026 年度")).unwrap();
    let cycle = session.advance_cycle(cycle.id, CycleState::Open).unwrap();
    (session, cycle)
}

/// The manager's marks for every competency of `ratee`.
pub(crate) fn manager_marks(
    session: &Session,
    cycle: &Cycle,
    ratee: EmployeeId,
    mark: u8,
) -> Vec<Rating> {
    let rater = session
        .employee(ratee)
        .unwrap()
        .and_then(|e| e.manager)
        .unwrap_or(EmployeeId(1));
    cycle
        .config
        .competencies
        .iter()
        .map(|c| Rating {
            cycle: cycle.id,
            ratee,
            rater,
            group: RaterGroup::Manager,
            competency: c.code.clone(),
            value: mark,
            comment: String::new(),
            recorded_by: ADMIN.into(),
            recorded_at: clock().now(),
            basis: Default::default(),
            source: Default::default(),
        })
        .collect()
}

/// Someone appraised who has goals in the period (a sales rep of the demo).
pub(crate) fn someone_with_goals(session: &Session, cycle: &Cycle) -> EmployeeId {
    let board = session.board(cycle).unwrap();
    board
        .rows
        .iter()
        .find(|r| {
            r.card
                .missing
                .iter()
                .all(|m| *m == hrdesk::domain::scoring::score::Missing::Ratings)
        })
        .map(|r| r.employee)
        .expect("a demo employee with goals")
}

#[test]
fn a_cycle_moves_step_by_step_and_names_are_unique() {
    let session = demo_session_with_staff(10);
    let cycle = session.add_cycle(new_cycle("2026 年度")).unwrap();
    assert_eq!(cycle.state, CycleState::Draft);
    let clash = session.add_cycle(new_cycle(" 2026 年度 "));
    assert!(matches!(
        clash,
        Err(OpError::Scoring(ScoringError::NameTaken(_)))
    ));
    let skip = session.advance_cycle(cycle.id, CycleState::Closed);
    assert!(matches!(
        skip,
        Err(OpError::Scoring(ScoringError::Cycle(
            CycleError::NoSuchStep { .. }
        )))
    ));
    let mut bad = new_cycle("bad");
    bad.config.results_weight = 130;
    assert!(matches!(
        session.add_cycle(bad),
        Err(OpError::Scoring(ScoringError::Settings(_)))
    ));
    let last = session.audit_log().unwrap().pop().unwrap();
    assert_eq!(last.record.action, "cycle.add", "refusals write nothing");
}

#[test]
fn ratings_are_all_or_nothing_and_make_the_score() {
    let (session, cycle) = open_cycle();
    let person = someone_with_goals(&session, &cycle);
    let mut marks = manager_marks(&session, &cycle, person, 4);
    let mut wrong = marks[0].clone();
    wrong.value = 9;
    marks.push(wrong);
    let audit_before = session.audit_log().unwrap().len();
    let refused = session.record_ratings(&marks);
    assert!(matches!(
        refused,
        Err(OpError::Scoring(ScoringError::MarkOutOfScale {
            mark: 9,
            ..
        }))
    ));
    assert_eq!(session.audit_log().unwrap().len(), audit_before);
    assert!(session.store().sheet(cycle.id, person).unwrap().is_none());

    marks.pop();
    let mut stranger = marks[0].clone();
    stranger.rater = EmployeeId(99_999);
    assert!(matches!(
        session.record_ratings(&[stranger]),
        Err(OpError::Scoring(ScoringError::UnknownRater(_)))
    ));
    assert_eq!(session.record_ratings(&marks).unwrap(), 3);
    let board = session.board(&cycle).unwrap();
    let row = board.rows.iter().find(|r| r.employee == person).unwrap();
    assert_eq!(
        row.card.capability.map(|f| f.value()),
        Some(75.0),
        "4 of 5 is 75 points"
    );
    assert!(row.final_score.is_some() && row.grade.is_some());
}

#[test]
fn rescoring_one_person_matches_a_full_recompute() {
    let (session, cycle) = open_cycle();
    let mut results = session.cycle_results(&cycle).unwrap();
    for (mark, person) in [
        (1, someone_with_goals(&session, &cycle)),
        (5, EmployeeId(2)),
    ] {
        session
            .record_ratings(&manager_marks(&session, &cycle, person, mark))
            .unwrap();
        session.rescore(&mut results, person).unwrap();
        let fresh = session.cycle_results(&cycle).unwrap();
        assert_eq!(results.board.rows, fresh.board.rows);
        assert_eq!(results.company, fresh.company);
        assert_eq!(results.pools, fresh.pools);
        assert_eq!(results.bonuses, fresh.bonuses);
    }
}

/// A board's rows are computed in two shares of its people, one on each
/// core: every row, in either share, is the one computed for that person
/// alone, and the rows follow the people.
#[test]
fn each_row_of_a_board_made_in_two_shares_is_the_persons_own() {
    let session = demo_session_with_staff(300);
    let cycle = session.cycles().unwrap().pop().expect("the demo's cycle");
    let results = session.cycle_results(&cycle).unwrap();
    let board = &results.board;
    assert!(board.people.len() > 100, "{}", board.people.len());
    for (person, row) in board.people.iter().zip(&board.rows) {
        assert_eq!(row.employee, person.id);
        let alone = session.scorecard(&results, person.id).unwrap();
        assert_eq!(alone.as_ref(), Some(row), "{}", person.emp_no);
    }
}

#[test]
fn a_closed_cycle_is_frozen_until_an_admin_reopens_it() {
    let (session, cycle) = open_cycle();
    let person = someone_with_goals(&session, &cycle);
    session
        .record_ratings(&manager_marks(&session, &cycle, person, 5))
        .unwrap();
    session
        .advance_cycle(cycle.id, CycleState::Calibrating)
        .unwrap();
    let closed = session.advance_cycle(cycle.id, CycleState::Closed).unwrap();
    let before = session.board(&closed).unwrap();
    let final_before = before
        .rows
        .iter()
        .find(|r| r.employee == person)
        .unwrap()
        .final_score;

    // Goals move on after the close; the closed cycle does not.
    let goal = session
        .goal_tree()
        .unwrap()
        .goals()
        .iter()
        .find(|g| g.owner == hrdesk::domain::goal::Owner::Employee(person))
        .map(|g| g.id)
        .unwrap();
    session
        .record_actual(goal, date(2026, 11, 20), 9_999_999.0, "console")
        .unwrap();
    let after = session.board(&closed).unwrap();
    let final_after = after
        .rows
        .iter()
        .find(|r| r.employee == person)
        .unwrap()
        .final_score;
    assert_eq!(final_before, final_after);

    let frozen = |r: Result<_, OpError>| {
        matches!(
            r,
            Err(OpError::Scoring(ScoringError::Cycle(CycleError::Frozen)))
        )
    };
    assert!(frozen(
        session
            .record_ratings(&manager_marks(&session, &closed, person, 1))
            .map(|_| ())
    ));
    assert!(frozen(
        session
            .override_grade(closed.id, person, Grade::D, "x")
            .map(|_| ())
    ));
    assert!(frozen(
        session
            .file_appeal(closed.id, person, "x", date(2026, 12, 30))
            .map(|_| ())
    ));

    assert!(matches!(
        session.reopen_cycle(closed.id, " "),
        Err(OpError::Scoring(ScoringError::Cycle(
            CycleError::ReasonRequired
        )))
    ));
    let hr = Session::login(session.store_handle(), "hr.zhang", clock()).unwrap();
    assert!(matches!(
        hr.reopen_cycle(closed.id, "申诉"),
        Err(OpError::Denied(_))
    ));
}

#[test]
fn overrides_and_appeals_are_kept_with_who_and_why() {
    let (session, cycle) = open_cycle();
    let person = someone_with_goals(&session, &cycle);
    session
        .record_ratings(&manager_marks(&session, &cycle, person, 3))
        .unwrap();
    let cycle = session
        .advance_cycle(cycle.id, CycleState::Calibrating)
        .unwrap();
    let change = session
        .override_grade(cycle.id, person, Grade::S, "年度特别贡献")
        .unwrap();
    assert_eq!(change.after, Grade::S);
    assert!(matches!(
        session.override_grade(cycle.id, person, Grade::A, "  "),
        Err(OpError::Scoring(ScoringError::ReasonRequired))
    ));
    let appeal = session
        .file_appeal(cycle.id, person, "目标口径有误", date(2026, 12, 28))
        .unwrap();
    session
        .step_appeal(appeal.id, AppealState::Investigating, "", None)
        .unwrap();
    let upheld = session
        .step_appeal(appeal.id, AppealState::Upheld, "核实后调整", Some(88.0))
        .unwrap();
    assert_eq!(upheld.steps.len(), 3);
    let board = session.board(&cycle).unwrap();
    let row = board.rows.iter().find(|r| r.employee == person).unwrap();
    assert_eq!(row.final_score.map(|f| f.value()), Some(88.0));
    assert_eq!(
        row.grade,
        Some(Grade::S),
        "the override has the last word on the grade"
    );
    assert_eq!(row.appeal, Some(AppealState::Upheld));
    let actions: Vec<String> = session
        .audit_log()
        .unwrap()
        .into_iter()
        .map(|e| e.record.action)
        .collect();
    for action in ["grade.override", "appeal.file", "appeal.step"] {
        assert!(actions.iter().any(|a| a == action), "{action} is audited");
    }
    let decided = session.audit_log().unwrap().pop().unwrap().record;
    let named = session.employee(person).unwrap().unwrap();
    let before = decided.before.unwrap();
    assert!(
        before.starts_with(&format!(
            "investigating employee={} ({}) F=",
            named.name, named.emp_no
        )),
        "the log names the person and the F replaced: {before}"
    );
    assert_eq!(
        decided.after.as_deref(),
        Some("upheld F=88.0 comment=核实后调整")
    );
}

#[test]
fn managers_rate_their_own_people_and_viewers_see_no_scores() {
    let (session, cycle) = open_cycle();
    let store = session.store_handle();
    let manager = Session::login(store, "mgr.zeng", clock()).unwrap();
    let Role::Manager(_) = manager.operator().role else {
        panic!("the demo's sales manager");
    };
    let board = manager.board(&cycle).unwrap();
    assert!(!board.rows.is_empty());
    // Someone outside sales, rated by a peer so that only reach is wrong.
    let outsider = (2..=40)
        .map(EmployeeId)
        .find(|id| board.rows.iter().all(|r| r.employee != *id))
        .unwrap();
    let mut marks = manager_marks(&manager, &cycle, outsider, 4);
    for mark in &mut marks {
        mark.group = RaterGroup::Peer;
        mark.rater = EmployeeId(1);
    }
    let refused = manager.record_ratings(&marks);
    assert!(
        matches!(
            refused,
            Err(OpError::Scoring(ScoringError::NotAppraised(_)))
        ),
        "{refused:?}"
    );
    assert!(matches!(
        manager.override_grade(cycle.id, board.rows[0].employee, Grade::A, "x"),
        Err(OpError::Denied(_))
    ));
    let viewer = Session::login(session.store_handle(), "audit.liu", clock()).unwrap();
    assert!(matches!(viewer.cycles(), Err(OpError::Denied(_))));
}

#[test]
fn a_second_cycle_sees_the_first_warnings_and_plans_follow() {
    let (session, first) = open_cycle();
    let person = someone_with_goals(&session, &first);
    session
        .record_ratings(&manager_marks(&session, &first, person, 5))
        .unwrap();
    session
        .advance_cycle(first.id, CycleState::Calibrating)
        .unwrap();
    session.advance_cycle(first.id, CycleState::Closed).unwrap();

    let mut later = new_cycle("2027 复评");
    later.starts = date(2027, 1, 5);
    later.ends = date(2027, 1, 31);
    let later = session.add_cycle(later).unwrap();
    let later = session.advance_cycle(later.id, CycleState::Open).unwrap();
    session
        .record_ratings(&manager_marks(&session, &later, person, 1))
        .unwrap();
    let board = session.board(&later).unwrap();
    let row = board.rows.iter().find(|r| r.employee == person).unwrap();
    let history = session.score_history(&later, &board).unwrap();
    let trend = history.trend(&later, row);
    assert_eq!(trend.len(), 2, "{trend:?}");
    assert_eq!(trend[0].cycle, "2026 年度");
    let fell = trend[1].final_score.fall_from(trend[0].final_score);
    assert!(
        fell >= 15.0,
        "capability 100 → 0 at 30% is a fall of 30: {fell}"
    );
    let warnings = history.warnings(&later, row);
    assert!(
        warnings.iter().any(|w| matches!(
            w,
            hrdesk::domain::scoring::outcomes::Warning::ScoreFall { .. }
        )),
        "{warnings:?}"
    );
}

#[test]
fn normalisation_moves_a_lenient_raters_marks_and_is_a_calibrators_call() {
    let (session, cycle) = open_cycle();
    let person = someone_with_goals(&session, &cycle);
    // The manager gives top marks; the person, as a peer HR allowed, gives
    // 1s and 2s.
    let mut marks = manager_marks(&session, &cycle, person, 5);
    for (other, value) in [(EmployeeId(2), 1), (EmployeeId(3), 2)] {
        session.allow_peer(cycle.id, other, person).unwrap();
        for mut mark in manager_marks(&session, &cycle, other, value) {
            mark.rater = person;
            mark.group = RaterGroup::Peer;
            marks.push(mark);
        }
    }
    session.record_ratings(&marks).unwrap();
    let score_of = |session: &Session, cycle: &Cycle| {
        let board = session.board(cycle).unwrap();
        board
            .rows
            .iter()
            .find(|r| r.employee == person)
            .unwrap()
            .card
            .capability
            .map(|c| c.value())
    };
    let before = score_of(&session, &cycle);
    assert_eq!(before, Some(100.0));
    let board = session.board(&cycle).unwrap();
    assert_eq!(board.leniency, None, "not kept unless marks are normalised");
    let leniency = session.leniency(&cycle).unwrap();
    let leniency = leniency.as_ref().expect("ratings were entered");
    let lenient = leniency
        .raters
        .iter()
        .find(|r| r.rater == marks[0].rater)
        .unwrap();
    assert!(lenient.z > 0.0, "{lenient:?}");
    // Everyone's marks, as the board tallies them (beside its rows, or
    // before them once normalised).
    let tallied = |cycle: &Cycle| {
        let mut ratings = Vec::new();
        session
            .store()
            .sheets(cycle.id)
            .unwrap()
            .into_iter()
            .for_each(|sheet| ratings.extend(sheet.ratings));
        Leniency::of(ratings.iter().map(Rating::view), cycle.config.scale)
    };
    assert_eq!(session.leniency(&cycle).unwrap(), tallied(&cycle));
    let on = session.set_normalisation(cycle.id, true).unwrap();
    assert!(on.config.normalise);
    assert_eq!(session.board(&on).unwrap().leniency, tallied(&on));
    let after = score_of(&session, &on).unwrap();
    assert!(
        after < 100.0,
        "the lenient manager's 5s count for less: {after}"
    );
    let last = session.audit_log().unwrap().pop().unwrap();
    assert_eq!(last.record.action, "cycle.normalise");
    let manager = Session::login(session.store_handle(), "mgr.zeng", clock()).unwrap();
    assert!(matches!(
        manager.set_normalisation(cycle.id, false),
        Err(OpError::Denied(_))
    ));
}

/// The leniency view's report on the demo's scored cycle: every rater
/// counted, the furthest from everyone listed first, each named as on the
/// board.
#[test]
fn a_leniency_report_lists_the_raters_furthest_from_everyone_by_name() {
    let session = demo_session_with_staff(300);
    let cycle = session.cycles().unwrap().pop().expect("the demo's cycle");
    let board = session.board(&cycle).unwrap();
    let leniency = session
        .leniency(&cycle)
        .unwrap()
        .expect("the demo is rated");
    let report = LeniencyReport::of(&leniency, &board, 5);
    assert_eq!(report.raters, leniency.raters.len());
    assert!(report.raters > 5, "{}", report.raters);
    assert_eq!(report.furthest.len(), 5);
    let distances: Vec<f64> = report.furthest.iter().map(|(r, _)| r.z.abs()).collect();
    assert!(distances.is_sorted_by(|a, b| a >= b), "{distances:?}");
    let nearest_listed = distances[4];
    assert!(
        leniency
            .raters
            .iter()
            .filter(|r| r.z.abs() > nearest_listed)
            .count()
            < 5,
        "no one left out is further than those listed"
    );
    for (rater, name) in &report.furthest {
        let person = &board.people[board.place(rater.rater).expect("a rater on the board")];
        assert_eq!(name, &format!("{} {}", person.emp_no, person.name));
    }
}

#[test]
fn a_goal_without_an_actual_leaves_the_person_ungraded_until_measured() {
    use hrdesk::domain::goal::{Direction, Goal, GoalId, GoalStatus, Kpi, Measure, Owner, Weight};
    use hrdesk::domain::scoring::score::Missing;
    let (session, cycle) = open_cycle();
    let person = someone_with_goals(&session, &cycle);
    session
        .record_ratings(&manager_marks(&session, &cycle, person, 4))
        .unwrap();
    let graded = |session: &Session| {
        let board = session.board(&cycle).unwrap();
        board
            .rows
            .into_iter()
            .find(|r| r.employee == person)
            .unwrap()
    };
    assert!(graded(&session).grade.is_some());
    let tree = session.goal_tree().unwrap();
    let own = tree
        .goals()
        .iter()
        .find(|g| g.owner == Owner::Employee(person))
        .map(|g| g.id);
    let goal = session
        .add_goal(Goal {
            id: GoalId(0),
            title: "客户回访 · Follow-up calls".into(),
            owner: Owner::Employee(person),
            period: Period::Year(2026),
            parent: own,
            weight: Weight(0),
            status: GoalStatus::Draft,
            measure: Measure::Kpi(Kpi {
                metric: "calls".into(),
                unit: Default::default(),
                baseline: 0.0,
                target: 50.0,
                actual: None,
                direction: Direction::HigherIsBetter,
                aggregation: hrdesk::domain::goal::Aggregation::Latest,
                months: Vec::new(),
            }),
            cap_percent: 100,
        })
        .unwrap();
    let row = graded(&session);
    assert_eq!(row.grade, None, "a missing actual is not 0 %");
    assert_eq!(row.final_score, None);
    assert_eq!(
        *row.card.missing,
        [Missing::Actuals {
            first: Box::new([hrdesk::domain::scoring::achievement::MissingActual {
                goal: goal.id,
                month: None
            }]),
            total: 1
        }]
    );
    assert!(
        row.card.capability.is_some(),
        "what is known is still shown"
    );

    session
        .record_actuals(&[(goal.id, date(2026, 11, 20), 0.0)], "console")
        .unwrap();
    let row = graded(&session);
    assert!(row.grade.is_some(), "an actual of 0 is an actual");
    assert!(row.card.missing.is_empty());
}

#[test]
fn a_closed_cycle_keeps_what_was_missing() {
    use hrdesk::domain::scoring::score::Missing;
    let (session, cycle) = open_cycle();
    let before = session.board(&cycle).unwrap();
    session
        .advance_cycle(cycle.id, CycleState::Calibrating)
        .unwrap();
    let closed = session.advance_cycle(cycle.id, CycleState::Closed).unwrap();
    let after = session.board(&closed).unwrap();
    let missing = |board: &hrdesk::service::CycleBoard| -> Vec<(EmployeeId, Vec<Missing>)> {
        let mut rows: Vec<_> = board
            .rows
            .iter()
            .map(|r| (r.employee, r.card.missing.to_vec()))
            .collect();
        rows.sort_by_key(|(id, _)| *id);
        rows
    };
    assert_eq!(missing(&after), missing(&before));
}

#[test]
fn salaries_bonus_amounts_and_the_pool_are_withheld_from_who_may_not_see_pay() {
    let (session, cycle) = open_cycle();
    let mut pooled = cycle.clone();
    pooled.config.bonus_pool = Some(5_000_000);
    let cycle = session.update_cycle(pooled).unwrap();
    let manager = Session::login(session.store_handle(), "mgr.zeng", clock()).unwrap();
    assert_eq!(manager.pay(), Pay::Withheld);
    assert_eq!(session.pay(), Pay::Shown);
    // Someone of the manager's with goals, graded once the manager rates them.
    let person = someone_with_goals(&manager, &cycle);
    manager
        .record_ratings(&manager_marks(&manager, &cycle, person, 4))
        .unwrap();

    let hr = session.cycle_results(&cycle).unwrap();
    let paid = hr.bonus_of(person).expect("HR sees the bonus");
    assert!(paid > 0);
    assert_eq!(hr.board.cycle.config.bonus_pool, Some(5_000_000));
    assert!(hr.board.people.iter().any(|p| p.salary().is_some()));

    let theirs = manager.cycle_results(&cycle).unwrap();
    let row = theirs
        .board
        .rows
        .iter()
        .find(|r| r.employee == person)
        .unwrap();
    assert!(row.grade.is_some(), "the grade is not pay");
    assert_eq!(theirs.bonuses, None, "no bonus plan is handed over");
    assert_eq!(theirs.bonus_of(person), None);
    assert!(theirs.board.people.iter().all(|p| p.salary().is_none()));
    assert_eq!(theirs.board.cycle.config.bonus_pool, None);
    assert!(
        manager
            .cycles()
            .unwrap()
            .iter()
            .all(|c| c.config.bonus_pool.is_none())
    );
    assert_eq!(
        theirs.board.cycle.config.bonus.multipliers, cycle.config.bonus.multipliers,
        "the multipliers are the rule, not pay"
    );
    // Scoring someone again after a rating hands over no bonuses either.
    let mut again = theirs;
    manager
        .record_ratings(&manager_marks(&manager, &cycle, person, 1))
        .unwrap();
    manager.rescore(&mut again, person).unwrap();
    assert_eq!(again.bonuses, None);
    assert!(matches!(
        manager.log_bonus_export(&cycle, 1),
        Err(OpError::Denied(_))
    ));
    let before = session.audit_log().unwrap().len();
    session.log_bonus_export(&cycle, 3).unwrap();
    let log = session.audit_log().unwrap();
    assert_eq!(log.len(), before + 1);
    let entry = &log[before].record;
    assert_eq!(entry.action, BONUS_EXPORT);
    assert_eq!(entry.entity_id, cycle.name);
    assert_eq!(entry.after.as_deref(), Some("rows=3 unmasked=bonus"));
}

#[test]
fn a_monthly_goal_averages_its_months_and_waits_for_each_month_begun() {
    use hrdesk::domain::goal::{Aggregation, GoalId, Measure, Owner};
    use hrdesk::domain::scoring::score::Missing;
    let (session, cycle) = open_cycle();
    let person = someone_with_goals(&session, &cycle);
    session
        .record_ratings(&manager_marks(&session, &cycle, person, 4))
        .unwrap();
    let tree = session.goal_tree().unwrap();
    let mut goal = tree
        .goals()
        .iter()
        .find(|g| g.owner == Owner::Employee(person) && matches!(g.measure, Measure::Kpi(_)))
        .cloned()
        .expect("a KPI of theirs");
    let target = match &mut goal.measure {
        Measure::Kpi(kpi) => {
            kpi.aggregation = Aggregation::Average;
            kpi.target
        }
        Measure::Objective => unreachable!(),
    };
    let id: GoalId = goal.id;
    let months_recorded =
        |session: &Session| match &session.goal_tree().unwrap().get(id).unwrap().measure {
            Measure::Kpi(kpi) => (kpi.months.len(), kpi.actual),
            Measure::Objective => (0, None),
        };
    let before = months_recorded(&session);
    session.update_goal(goal, date(2026, 11, 23), None).unwrap();
    let (months, actual) = months_recorded(&session);
    assert!(
        months > 0 && months >= before.0,
        "measured again from its log: {months}"
    );
    assert!(actual.is_some());
    let missing = |session: &Session| {
        let board = session.board(&cycle).unwrap();
        let row = board
            .rows
            .into_iter()
            .find(|r| r.employee == person)
            .unwrap();
        (row.grade, row.card.missing)
    };
    let (grade, what) = missing(&session);
    assert_eq!(grade, None, "months without a value wait: {what:?}");
    let Some(Missing::Actuals { first, .. }) = what.first() else {
        panic!("{what:?}");
    };
    assert!(
        first.iter().all(|m| m.goal == id && m.month.is_some()),
        "{first:?}"
    );
    // Every month of 2026 begun by the test clock (23 November) gets its value.
    let entries: Vec<_> = (1..=11).map(|m| (id, date(2026, m, 1), target)).collect();
    session.record_actuals(&entries, "console").unwrap();
    let (grade, what) = missing(&session);
    assert!(grade.is_some(), "{what:?}");
    let board = session.board(&cycle).unwrap();
    let row = board.rows.iter().find(|r| r.employee == person).unwrap();
    assert_eq!(
        row.card.results.map(|r| r.value()),
        Some(100.0),
        "every month on its monthly target averages to 100 %"
    );
    // Closed as not achieved, its result is no progress, explicitly.
    let closed = session.close_not_achieved(id, "客户流失").unwrap();
    let Measure::Kpi(kpi) = &closed.measure else {
        unreachable!()
    };
    assert_eq!(kpi.actual, Some(kpi.baseline));
    assert_eq!(kpi.aggregation, Aggregation::Latest);
    let board = session.board(&cycle).unwrap();
    let row = board.rows.iter().find(|r| r.employee == person).unwrap();
    assert!(row.grade.is_some(), "graded on an explicit 0 %");
}

/// The board a pane keeps holds each scorecard's figures only; the whole
/// scorecard of anyone on it, computed again, is the one the full board
/// computes, in live and closed cycles, normalised or not.
#[test]
fn a_board_of_figures_gives_back_each_whole_scorecard_on_demand() {
    let session = demo_session_with_staff(60);
    let mut cycles = session.cycles().unwrap();
    let live = cycles
        .iter()
        .find(|c| c.state != CycleState::Closed)
        .cloned()
        .expect("a live cycle");
    cycles.push(session.set_normalisation(live.id, true).unwrap());
    assert!(cycles.iter().any(|c| c.state == CycleState::Closed));
    for cycle in &cycles {
        let full = session.cycle_results(cycle).unwrap();
        let mut handed = WholeRows(0);
        let figures = session.cycle_figures(cycle, &mut handed).unwrap();
        assert_eq!(handed.0, full.board.rows.len(), "{}", cycle.name);
        assert!(
            full.board
                .rows
                .iter()
                .any(|r| !r.card.workings().groups.is_empty())
        );
        for (whole, kept) in full.board.rows.iter().zip(&figures.board.rows) {
            assert!(
                kept.card.workings().groups.is_empty()
                    && kept.card.workings().results_terms.is_empty()
            );
            assert_eq!(
                (
                    kept.card.results,
                    kept.card.capability,
                    kept.final_score,
                    kept.grade
                ),
                (
                    whole.card.results,
                    whole.card.capability,
                    whole.final_score,
                    whole.grade
                ),
            );
            assert_eq!(kept.card.missing, whole.card.missing);
            let again = session.scorecard(&figures, whole.employee).unwrap();
            assert_eq!(again.as_ref(), Some(whole), "{}", cycle.name);
        }
    }
}

/// Counts the rows a board hands over, each a whole scorecard.
struct WholeRows(usize);

impl RowTally for WholeRows {
    fn add(&mut self, _: &Appraisee, row: &BoardRow) {
        self.0 += 1;
        assert!(row.card.results.is_none() || !row.card.workings().results_terms.is_empty());
    }

    fn split(&self) -> Self {
        WholeRows(0)
    }

    fn merge(&mut self, later: Self) {
        self.0 += later.0;
    }
}
