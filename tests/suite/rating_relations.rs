//! 360° relations from the org chart through a session: a manager is one
//! the person had during the cycle (or above one, marked skip-level), a
//! subordinate reported to them, a peer shared their department or was
//! allowed by HR; anything else is refused naming both people, unless HR
//! overrides it with a reason; every rating is logged with the mark
//! before and after.

use crate::common;

use chrono::NaiveDate;
use common::*;
use hrdesk::domain::employee::{Employee, EmployeeId, EventKind};
use hrdesk::domain::operator::Role;
use hrdesk::domain::scoring::entry::ScoringError;
use hrdesk::domain::scoring::relation::Broken;
use hrdesk::domain::scoring::{Basis, Cycle, CycleState, EntrySource, RaterGroup, Rating};
use hrdesk::service::{OpError, RatingEntry, Session};

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// The demo's open cycle (December 2026) on a company of 60.
fn demo() -> (Demo, Cycle) {
    let session = demo_session_with_staff(60);
    let cycle = session.cycles().unwrap().pop().unwrap();
    assert_eq!(cycle.state, CycleState::Open);
    (session, cycle)
}

fn rating(cycle: &Cycle, ratee: EmployeeId, rater: EmployeeId, group: RaterGroup) -> Rating {
    Rating {
        cycle: cycle.id,
        ratee,
        rater,
        group,
        competency: "teamwork".into(),
        value: 3,
        comment: String::new(),
        recorded_by: ADMIN.into(),
        recorded_at: clock().now(),
        basis: Basis::Holds,
        source: EntrySource::Console,
    }
}

/// Someone active with a manager who has a manager, and a colleague of
/// their department who is neither's manager.
fn clerk(session: &Session) -> (Employee, EmployeeId, EmployeeId, Employee) {
    let directory = session.directory().unwrap();
    let people = directory.employees();
    for person in people {
        let Some(boss) = person.manager.and_then(|m| directory.get(m)) else {
            continue;
        };
        let Some(top) = boss.manager else { continue };
        let colleague = people.iter().find(|other| {
            other.id != person.id
                && other.department == person.department
                && other.manager == person.manager
                && other.status == hrdesk::domain::employee::Status::Active
        });
        if let (Some(colleague), true) =
            (colleague, session.active_reports(person.id).unwrap() == 0)
        {
            return (person.clone(), boss.id, top, colleague.clone());
        }
    }
    panic!("the demo has a clerk with a colleague");
}

fn relation_error(result: Result<usize, OpError>) -> (Broken, String) {
    match result {
        Err(OpError::Scoring(err @ ScoringError::Relation { why, .. })) => (why, err.to_string()),
        other => panic!("not refused for the relation: {other:?}"),
    }
}

#[test]
fn managers_subordinates_and_peers_come_from_the_org_chart() {
    let (session, cycle) = demo();
    let (clerk, boss, top, colleague) = clerk(&session);
    let recorded = |r: Rating| session.record_ratings(&[r]);
    recorded(rating(&cycle, clerk.id, boss, RaterGroup::Manager)).unwrap();
    recorded(rating(&cycle, clerk.id, top, RaterGroup::Manager)).unwrap();
    recorded(rating(&cycle, boss, clerk.id, RaterGroup::Subordinate)).unwrap();
    recorded(rating(&cycle, clerk.id, colleague.id, RaterGroup::Peer)).unwrap();
    let sheet = session.score_sheet(cycle.id, clerk.id).unwrap().unwrap();
    let basis_of = |rater: EmployeeId| {
        sheet
            .ratings
            .iter()
            .find(|r| r.rater == rater)
            .map(|r| r.basis.clone())
    };
    assert_eq!(basis_of(boss), Some(Basis::Holds));
    assert_eq!(basis_of(top), Some(Basis::SkipLevel), "marked as such");
    assert_eq!(basis_of(colleague.id), Some(Basis::Holds));

    let audit = session.audit_log().unwrap().len();
    let (why, message) = relation_error(recorded(rating(
        &cycle,
        clerk.id,
        colleague.id,
        RaterGroup::Manager,
    )));
    assert_eq!(why, Broken::NotManager);
    assert!(message.contains(&clerk.emp_no), "{message}");
    assert!(message.contains(&colleague.name), "{message}");
    assert!(message.contains("manager"), "{message}");
    assert!(message.contains("2026-12-01"), "{message}");
    let (why, _) = relation_error(recorded(rating(
        &cycle,
        clerk.id,
        top,
        RaterGroup::Subordinate,
    )));
    assert_eq!(
        why,
        Broken::NotReport,
        "the boss is not a clerk's subordinate"
    );
    let (why, _) = relation_error(recorded(rating(&cycle, clerk.id, boss, RaterGroup::Peer)));
    assert_eq!(why, Broken::ManagerNotPeer);
    assert_eq!(
        session.audit_log().unwrap().len(),
        audit,
        "a refusal writes nothing"
    );
}

#[test]
fn a_manager_the_person_had_on_any_day_of_the_period_counts() {
    let (session, cycle) = demo();
    let (clerk, boss, top, _) = clerk(&session);
    // From 15 December (scheduled: today is 23 November) the clerk reports
    // to the boss's own manager.
    let after = Employee {
        manager: Some(top),
        ..clerk.clone()
    };
    session
        .record_event(clerk.id, EventKind::Transfer, date(12, 15), after, None)
        .unwrap();
    let old = rating(&cycle, clerk.id, boss, RaterGroup::Manager);
    let new = rating(&cycle, clerk.id, top, RaterGroup::Manager);
    session.record_ratings(&[old, new]).unwrap();
    let sheet = session.score_sheet(cycle.id, clerk.id).unwrap().unwrap();
    assert!(
        sheet.ratings.iter().all(|r| r.basis == Basis::Holds),
        "both were their manager during December: {:?}",
        sheet.ratings
    );
    // A cycle that ends before the transfer knows only the first manager.
    let mut early = cycle.clone();
    early.id = hrdesk::domain::scoring::CycleId(0);
    early.name = "early".into();
    early.ends = date(12, 10);
    let early = session.add_cycle(early).unwrap();
    let early = session.advance_cycle(early.id, CycleState::Open).unwrap();
    let later = rating(&early, clerk.id, top, RaterGroup::Manager);
    session.record_ratings(&[later]).unwrap();
    let sheet = session.score_sheet(early.id, clerk.id).unwrap().unwrap();
    assert_eq!(sheet.ratings[0].basis, Basis::SkipLevel, "only above, then");
}

#[test]
fn hr_overrides_with_a_reason_and_others_cannot() {
    let (session, cycle) = demo();
    let (clerk, _, top, colleague) = clerk(&session);
    let wrong = rating(&cycle, clerk.id, colleague.id, RaterGroup::Manager);
    let entry = RatingEntry {
        rating: wrong.clone(),
        override_reason: Some("acting team lead in Q4".into()),
    };
    let department = session.employee(clerk.id).unwrap().unwrap().department;
    let manager = session.as_role("mgr.test", Role::Manager(department));
    assert!(matches!(
        manager.record_rating_entries(std::slice::from_ref(&entry)),
        Err(OpError::Denied(_))
    ));
    let hr = session.as_role("hr.test", Role::Hr);
    let recorded = hr.record_rating(&entry).unwrap();
    assert_eq!(
        recorded.basis,
        Basis::Override("acting team lead in Q4".into())
    );
    let last = session.audit_log().unwrap().pop().unwrap();
    assert_eq!(last.operator, "hr.test");
    assert_eq!(last.record.action, "rating.record");
    let after = last.record.after.unwrap();
    assert!(
        after.contains("relation=override reason=acting team lead in Q4"),
        "{after}"
    );
    assert!(
        after.contains(&format!("ratee={} {}", clerk.emp_no, clerk.name)),
        "{after}"
    );
    assert!(after.contains(&colleague.name), "{after}");
    // A reason given where the relation holds changes nothing.
    let fine = RatingEntry {
        rating: rating(&cycle, clerk.id, top, RaterGroup::Manager),
        override_reason: Some("not needed".into()),
    };
    assert_eq!(hr.record_rating(&fine).unwrap().basis, Basis::SkipLevel);
}

#[test]
fn every_rating_is_logged_with_the_mark_before_and_after() {
    let (session, cycle) = demo();
    let (clerk, boss, _, _) = clerk(&session);
    let mut first = rating(&cycle, clerk.id, boss, RaterGroup::Manager);
    first.comment = "稳定\u{3000}可靠\n".into();
    session
        .record_ratings(std::slice::from_ref(&first))
        .unwrap();
    let mut second = first.clone();
    second.value = 5;
    second.comment = "进步明显".into();
    session.record_ratings(&[second]).unwrap();
    let log = session.audit_log().unwrap();
    let entries: Vec<_> = log
        .iter()
        .filter(|e| e.record.action == "rating.record")
        .collect();
    assert_eq!(entries.len(), 2, "one entry per rating");
    let created = &entries[0].record;
    let demo = created.before.as_deref().unwrap();
    assert!(demo.contains("source=bulk"), "the demo's mark: {demo}");
    assert!(
        created
            .after
            .as_deref()
            .unwrap()
            .ends_with("comment=稳定 可靠"),
        "cleaned: {:?}",
        created.after
    );
    let replaced = &entries[1].record;
    let change = replaced.change();
    assert!(change.contains("mark: 3 → 5"), "{change}");
    assert!(change.contains("comment: 稳定 可靠 → 进步明显"), "{change}");
    let before = replaced.before.as_deref().unwrap();
    assert!(before.contains(&format!("ratee={} {}", clerk.emp_no, clerk.name)));
    assert!(
        before.contains("group=manager competency=teamwork"),
        "{before}"
    );
    let sheet = session.score_sheet(cycle.id, clerk.id).unwrap().unwrap();
    let kept = sheet.rating_by(boss, "teamwork").unwrap();
    assert_eq!((kept.value, kept.comment.as_str()), (5, "进步明显"));

    let mut escape = first;
    escape.comment = "ok\u{1b}[2J".into();
    assert!(matches!(
        session.record_ratings(&[escape]),
        Err(OpError::Scoring(ScoringError::Comment(_)))
    ));
}

#[test]
fn peers_hr_allows_are_kept_listed_audited_and_taken_back() {
    let (session, cycle) = demo();
    let (clerk, _, _, _) = clerk(&session);
    let directory = session.directory().unwrap();
    let stranger = directory
        .employees()
        .iter()
        .find(|e| {
            e.department != clerk.department
                && e.manager.is_some()
                && e.status == hrdesk::domain::employee::Status::Active
        })
        .unwrap()
        .clone();
    let peer = rating(&cycle, clerk.id, stranger.id, RaterGroup::Peer);
    let (why, _) = relation_error(session.record_ratings(std::slice::from_ref(&peer)));
    assert_eq!(why, Broken::NotColleague);

    let allowed = session.allow_peer(cycle.id, clerk.id, stranger.id).unwrap();
    assert!(allowed.rater_name.contains(&stranger.name));
    assert!(matches!(
        session.allow_peer(cycle.id, clerk.id, stranger.id),
        Err(OpError::Scoring(ScoringError::PeerAllowed { .. }))
    ));
    assert_eq!(session.allowed_peers(cycle.id).unwrap(), vec![allowed]);
    session.record_ratings(std::slice::from_ref(&peer)).unwrap();
    let sheet = session.score_sheet(cycle.id, clerk.id).unwrap().unwrap();
    let given = sheet.rating_by(stranger.id, "teamwork").unwrap();
    assert_eq!(given.basis, Basis::AllowedPeer);
    let viewer = session.as_role("viewer.test", Role::Viewer);
    assert!(matches!(
        viewer.allowed_peers(cycle.id),
        Err(OpError::Denied(_))
    ));

    session
        .remove_peer(cycle.id, clerk.id, stranger.id)
        .unwrap();
    assert!(session.allowed_peers(cycle.id).unwrap().is_empty());
    relation_error(session.record_ratings(&[peer]));
    let log = session.audit_log().unwrap();
    let allow = log
        .iter()
        .find(|e| e.record.action == "peer.allow")
        .unwrap();
    let text = allow.record.after.as_deref().unwrap();
    assert!(
        text.contains(&clerk.name) && text.contains(&stranger.emp_no),
        "{text}"
    );
    assert_eq!(log.last().unwrap().record.action, "peer.remove");
    let sheet = session.score_sheet(cycle.id, clerk.id).unwrap().unwrap();
    assert!(
        sheet.rating_by(stranger.id, "teamwork").is_some(),
        "the mark given stays"
    );
}
