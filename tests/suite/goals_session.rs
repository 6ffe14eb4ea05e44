//! Goal operations through a session on the demo company: the demo cascade,
//! roll-up after an actual, placement and scope refusals that write nothing,
//! weight history, and the departure hook that flags a leaver's goals.

use crate::common;

use chrono::{Datelike, NaiveDate};
use common::*;
use hrdesk::domain::goal::edit::GoalError;
use hrdesk::domain::goal::progress::Rollup;
use hrdesk::domain::goal::rules::PlacementError;
use hrdesk::domain::goal::{Goal, GoalStatus, Measure, Owner, Weight};
use hrdesk::service::{OpError, Session};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn find<'a>(goals: &'a [Goal], title_start: &str) -> &'a Goal {
    goals
        .iter()
        .find(|g| g.title.starts_with(title_start))
        .unwrap_or_else(|| panic!("no goal {title_start}"))
}

#[test]
fn the_demo_cascades_sales_to_every_rep_with_weights_adding_up() {
    let session = demo_session_with_staff(120);
    let tree = session.goal_tree().unwrap();
    let clients = find(tree.goals(), "每月新增");
    let reps = tree.children(Some(clients.id));
    assert!(reps.len() > 3, "{}", reps.len());
    assert!(reps.iter().all(|g| matches!(g.owner, Owner::Employee(_))));
    let total: u32 = reps.iter().map(|g| g.weight.0).sum();
    assert_eq!(total, Weight::FULL.0);
    let rep = reps[0];
    assert_eq!(session.store().actuals(rep.id).unwrap().len(), 3);
    let rollup = Rollup::compute(&tree);
    let company = tree.slot(find(tree.goals(), "年销售额").id).unwrap();
    assert!(rollup.at(company) > 0.0, "progress rolls up to the company");
}

#[test]
fn an_actual_is_kept_and_moves_progress_up_the_path() {
    let session = demo_session_with_staff(120);
    let tree = session.goal_tree().unwrap();
    let clients = find(tree.goals(), "每月新增").clone();
    let rep = tree.children(Some(clients.id))[0].clone();
    let before = Rollup::compute(&tree);
    let slot = tree.slot(clients.id).unwrap();
    session
        .record_actual(rep.id, date(2026, 11, 20), 150_000.0, "console")
        .unwrap();
    let tree = session.goal_tree().unwrap();
    let after = Rollup::compute(&tree);
    assert!(after.at(slot) > before.at(slot));
    let history = session.store().actuals(rep.id).unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(history[3].source, "console");
    // A back-dated figure is kept but does not replace the later one.
    session
        .record_actual(rep.id, date(2026, 1, 1), 1.0, "console")
        .unwrap();
    let goal = session.store().goal(rep.id).unwrap().unwrap();
    let Measure::Kpi(kpi) = goal.measure else {
        panic!()
    };
    assert_eq!(kpi.actual, Some(150_000.0));
    let objective = find(tree.goals(), "数字化运营").id;
    assert!(matches!(
        session.record_actual(objective, date(2026, 12, 1), 1.0, "console"),
        Err(OpError::Goal(GoalError::NotKpi))
    ));
}

#[test]
fn misplaced_goals_are_refused_and_nothing_is_written() {
    let session = demo_session_with_staff(60);
    let tree = session.goal_tree().unwrap();
    let it = find(tree.goals(), "系统稳定").clone();
    let audit = session.audit_log().unwrap().len();
    let someone_in_sales = session
        .directory()
        .unwrap()
        .employees()
        .iter()
        .find(|e| {
            session
                .department_tree()
                .unwrap()
                .path(e.department)
                .contains("销售部")
        })
        .unwrap()
        .id;
    let misplaced = Goal {
        owner: Owner::Employee(someone_in_sales),
        parent: Some(it.id),
        ..it.clone()
    };
    assert!(matches!(
        session.add_goal(misplaced),
        Err(OpError::Goal(GoalError::Placement(
            PlacementError::OwnerOutsideParent { .. }
        )))
    ));
    let orphan = Goal {
        parent: None,
        ..it.clone()
    };
    assert!(matches!(
        session.add_goal(orphan),
        Err(OpError::Goal(GoalError::Placement(
            PlacementError::NeedsParent
        )))
    ));
    assert_eq!(session.audit_log().unwrap().len(), audit);
}

#[test]
fn weight_changes_are_kept_with_their_date() {
    let session = demo_session_with_staff(0);
    let tree = session.goal_tree().unwrap();
    let goal = find(tree.goals(), "客户满意度").clone();
    let revised = Goal {
        weight: Weight(3000),
        ..goal.clone()
    };
    session
        .update_goal(revised, date(2026, 7, 1), None)
        .unwrap();
    let changes = session.store().weight_changes(goal.id).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].old, changes[0].new),
        (Weight(2500), Weight(3000))
    );
    assert_eq!(changes[0].effective, date(2026, 7, 1));
}

#[test]
fn a_manager_may_change_goals_of_their_subtree_only() {
    let session = demo_session_with_staff(60);
    let store = session.store_handle();
    let manager = Session::login(store, "mgr.zeng", clock()).unwrap();
    let tree = manager.goal_tree().unwrap();
    assert!(
        tree.goals().iter().all(|g| match g.owner {
            Owner::Company => true,
            Owner::Department(d) => manager
                .department_tree()
                .unwrap()
                .path(d)
                .contains("销售部"),
            Owner::Employee(_) => true,
        }),
        "no goals of other departments"
    );
    let company = find(tree.goals(), "年销售额").clone();
    let edited = Goal {
        title: "changed".into(),
        ..company
    };
    assert!(matches!(
        manager.update_goal(edited, date(2026, 7, 1), None),
        Err(OpError::Denied(_))
    ));
    let clients = find(tree.goals(), "每月新增").clone();
    manager
        .update_goal(
            Goal {
                title: "每月新增 12 家客户".into(),
                ..clients
            },
            date(2026, 7, 1),
            None,
        )
        .unwrap();
}

#[test]
fn a_departure_flags_the_leavers_open_goals_in_the_audit_log() {
    let session = demo_session_with_staff(120);
    let tree = session.goal_tree().unwrap();
    let clients = find(tree.goals(), "每月新增").clone();
    let owner = |g: &Goal| match g.owner {
        Owner::Employee(e) => e,
        _ => panic!("a personal goal"),
    };
    let rep_goal = tree
        .children(Some(clients.id))
        .into_iter()
        .find(|g| session.active_reports(owner(g)).unwrap() == 0)
        .expect("a rep who manages nobody")
        .clone();
    let rep = owner(&rep_goal);
    let record = session.employee(rep).unwrap().unwrap();
    let departure = hrdesk::domain::employee::EventKind::Departure {
        reason: hrdesk::domain::employee::DepartureReason::Resigned,
        note: String::new(),
    };
    session
        .record_event(rep, departure, date(2026, 11, 20), record, None)
        .unwrap();
    let log = session.audit_log().unwrap();
    let flag = log
        .iter()
        .find(|e| e.record.action == "goal.owner_departed")
        .expect("the hook wrote its entry");
    assert!(
        flag.record
            .after
            .as_deref()
            .unwrap()
            .contains(&rep_goal.id.to_string())
    );
    assert_eq!(
        session.store().goal(rep_goal.id).unwrap().unwrap().status,
        GoalStatus::Active,
        "flagged, not closed: someone decides"
    );
}

#[test]
fn an_actual_outside_its_goals_period_or_after_today_is_refused() {
    let session = demo_session_with_staff(60);
    let tree = session.goal_tree().unwrap();
    let clients = find(tree.goals(), "每月新增").clone();
    let rep = tree.children(Some(clients.id))[0].clone();
    let audit = session.audit_log().unwrap().len();
    // The clock of the tests stands at 2026-11-23.
    assert!(matches!(
        session.record_actual(rep.id, date(2026, 11, 24), 1.0, "console"),
        Err(OpError::Goal(GoalError::ActualInFuture(_)))
    ));
    let before_period = date(rep.period.dates().0.year() - 1, 12, 31);
    assert!(matches!(
        session.record_actual(rep.id, before_period, 1.0, "console"),
        Err(OpError::Goal(GoalError::ActualOutsidePeriod { .. }))
    ));
    assert!(matches!(
        session.record_actuals(&[(rep.id, date(2026, 11, 24), 1.0)], "sheet.csv"),
        Err(OpError::Goal(GoalError::ActualInFuture(_)))
    ));
    assert_eq!(session.audit_log().unwrap().len(), audit, "nothing written");
}

#[test]
fn a_goal_whose_siblings_weights_do_not_add_up_is_added_as_a_draft() {
    let session = demo_session_with_staff(60);
    let tree = session.goal_tree().unwrap();
    let sales = find(tree.goals(), "年销售额增长").clone();
    let extra = session
        .add_goal(Goal {
            title: "新增一项公司目标".into(),
            parent: None,
            weight: Weight(1000),
            status: GoalStatus::Active,
            ..sales.clone()
        })
        .unwrap();
    assert_eq!(
        extra.status,
        GoalStatus::Draft,
        "the company goals already add up to 100: a 10 % more is not published"
    );
    assert!(matches!(
        session.update_goal(
            Goal {
                status: GoalStatus::Active,
                ..extra
            },
            date(2026, 11, 23),
            None
        ),
        Err(OpError::Goal(GoalError::WeightsOff(_)))
    ));
}

#[test]
fn a_manager_sees_the_company_goal_at_the_same_progress_as_hr() {
    let session = demo_session_with_staff(60);
    let hr_tree = session.goal_tree().unwrap();
    let hr = session.goal_rollup(&hr_tree).unwrap();
    let manager = Session::login(session.store_handle(), "mgr.zeng", clock()).unwrap();
    let tree = manager.goal_tree().unwrap();
    assert!(
        tree.len() < hr_tree.len(),
        "the manager sees part of the tree"
    );
    let seen = manager.goal_rollup(&tree).unwrap();
    let company = find(tree.goals(), "年销售额").id;
    let (hr_slot, slot) = (hr_tree.slot(company).unwrap(), tree.slot(company).unwrap());
    assert!(hr.at(hr_slot) > 0.0);
    assert!(
        (seen.at(slot) - hr.at(hr_slot)).abs() < 1e-9,
        "manager {} vs hr {}",
        seen.at(slot),
        hr.at(hr_slot)
    );
    assert!(
        seen.hidden(slot).count > 0,
        "sub-goals outside the scope are counted"
    );
    assert!(
        (Rollup::compute(&tree).at(slot) - hr.at(hr_slot)).abs() > 1e-6,
        "computed over the visible part only, it would differ"
    );
}

#[test]
fn an_edit_that_puts_the_weights_off_leaves_a_draft_published_only_once_they_add_up() {
    let session = demo_session_with_staff(60);
    let tree = session.goal_tree().unwrap();
    let top: Vec<Goal> = tree
        .children(None)
        .into_iter()
        .filter(|g| g.status == GoalStatus::Active && g.period == tree.goals()[0].period)
        .cloned()
        .collect();
    assert!(top.len() >= 2, "two company goals to trade weight between");
    let (a, b) = (top[0].clone(), top[1].clone());
    let heavier = session
        .update_goal(
            Goal {
                weight: Weight(a.weight.0 + 500),
                ..a.clone()
            },
            date(2026, 11, 23),
            None,
        )
        .unwrap();
    assert_eq!(
        heavier.status,
        GoalStatus::Draft,
        "weights now add up to 105"
    );
    assert!(matches!(
        session.publish_goal(a.id),
        Err(OpError::Goal(GoalError::WeightsOff(Weight(10_500))))
    ));
    let lighter = session
        .update_goal(
            Goal {
                weight: Weight(b.weight.0 - 500),
                ..b.clone()
            },
            date(2026, 11, 23),
            None,
        )
        .unwrap();
    assert_eq!(lighter.status, GoalStatus::Active, "back to 100");
    let published = session.publish_goal(a.id).unwrap();
    assert_eq!(published.status, GoalStatus::Active);
    assert!(matches!(
        session.publish_goal(a.id),
        Err(OpError::Goal(GoalError::NotDraft(GoalStatus::Active)))
    ));
}

#[test]
fn the_alignment_report_from_outlines_and_a_roster_says_what_the_whole_records_say() {
    use hrdesk::domain::goal::check::alignment_gaps;
    use hrdesk::domain::goal::period::Period;
    let demo = demo_session_with_staff(60);
    let hr = Session::login(demo.store_handle(), ADMIN, clock()).unwrap();
    let manager = Session::login(demo.store_handle(), "mgr.zeng", clock()).unwrap();
    for session in [&hr, &manager] {
        let (tree, directory) = (session.goal_tree().unwrap(), session.directory().unwrap());
        let (outlines, roster) = session.goal_outlines().unwrap();
        assert_eq!(outlines.len(), tree.len());
        for period in [None, Some(Period::Year(2026)), Some(Period::Year(2027))] {
            let whole: Vec<String> = alignment_gaps(&tree, &directory, period)
                .iter()
                .map(|gap| gap.describe(&tree, &directory))
                .collect();
            let outlined: Vec<String> = alignment_gaps(&outlines, &roster, period)
                .iter()
                .map(|gap| gap.describe(&outlines, &roster))
                .collect();
            assert_eq!(outlined, whole, "{period:?}");
        }
    }
    // Somebody is without a goal somewhere: the comparison compared something.
    let (outlines, roster) = hr.goal_outlines().unwrap();
    assert!(!alignment_gaps(&outlines, &roster, None).is_empty());
}
