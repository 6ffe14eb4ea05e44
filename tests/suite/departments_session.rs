//! Removing a department through a session: refused, with how many of each,
//! while people, goals, sub-departments or managers' scopes point at it;
//! with a department to move to, its people are transferred (each an event
//! of their history) and its goals change owner in the same transaction.

use crate::common;

use common::*;
use hrdesk::domain::department::{DepartmentError, DepartmentId};
use hrdesk::domain::employee::{EventKind, Status};
use hrdesk::domain::goal::{Goal, Owner};
use hrdesk::domain::operator::Role;
use hrdesk::service::{OpError, Session};

fn people_in(session: &Session, id: DepartmentId) -> Vec<String> {
    let directory = session.directory().unwrap();
    let mut found: Vec<String> = directory
        .employees()
        .iter()
        .filter(|e| e.department == id)
        .map(|e| e.emp_no.clone())
        .collect();
    found.sort();
    found
}

fn goals_of(session: &Session, id: DepartmentId) -> usize {
    let tree = session.goal_tree().unwrap();
    tree.goals()
        .iter()
        .filter(|g| g.owner == Owner::Department(id))
        .count()
}

#[test]
fn a_department_people_point_at_is_refused_with_how_many_and_kept() {
    let session = demo_session_with_staff(120);
    let store = department_named(&session, "门店01 上海南京西路");
    let uses = session.department_uses(store).unwrap();
    assert!(uses.people > 0, "{uses:?}");
    let before = people_in(&session, store);
    let log = session.audit_log().unwrap().len();
    let err = session.remove_department(store, None).unwrap_err();
    let OpError::Department(DepartmentError::InUse { uses: said, .. }) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(said, &uses);
    let text = err.to_string();
    assert!(
        text.contains(&format!("{} people", uses.all_people())) && text.contains("--move-to"),
        "{text}"
    );
    assert_eq!(people_in(&session, store), before, "nobody moved");
    assert_eq!(session.audit_log().unwrap().len(), log, "nothing written");
    assert!(session.department_tree().unwrap().get(store).is_some());
}

#[test]
fn moving_people_and_goals_then_removing_is_one_step_in_their_histories() {
    let session = demo_session_with_staff(120);
    let sales = department_named(&session, "销售部");
    let south = department_named(&session, "华南大区");
    let uses = session.department_uses(south).unwrap();
    assert!(uses.movable() && uses.people > 0, "{uses:?}");
    // One of them has left: their record still points at the department.
    let directory = session.directory().unwrap();
    let leaver = directory
        .employees()
        .iter()
        .find(|e| {
            e.department == south
                && e.status == Status::Active
                && directory.active_reports(e.id).is_empty()
        })
        .cloned()
        .unwrap();
    let mut gone = leaver.clone();
    gone.status = Status::Departed;
    session
        .record_event(
            leaver.id,
            EventKind::Departure {
                reason: hrdesk::domain::employee::DepartureReason::Resigned,
                note: String::new(),
            },
            chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            gone,
            None,
        )
        .unwrap();
    let tree = session.goal_tree().unwrap();
    let sales_goal = tree
        .goals()
        .iter()
        .find(|g| g.owner == Owner::Department(sales))
        .cloned()
        .unwrap();
    session
        .add_goal(Goal {
            title: "华南大区销售额".into(),
            owner: Owner::Department(south),
            parent: Some(sales_goal.id),
            ..sales_goal
        })
        .unwrap();
    let moving = people_in(&session, south);
    let goals = goals_of(&session, south);
    assert!(goals > 0, "the region owns goals");
    let sales_goals = goals_of(&session, sales);

    let removal = session.remove_department(south, Some(sales)).unwrap();
    assert_eq!(removal.uses.all_people(), moving.len());
    assert!(session.department_tree().unwrap().get(south).is_none());
    let now_in_sales = people_in(&session, sales);
    assert!(
        moving.iter().all(|p| now_in_sales.contains(p)),
        "everyone moved"
    );
    assert_eq!(goals_of(&session, sales), sales_goals + goals);
    let directory = session.directory().unwrap();
    for emp_no in &moving {
        let person = directory.by_emp_no(emp_no).unwrap();
        let last = session.history(person.id).unwrap().pop().unwrap();
        let expected = if person.status == Status::Departed {
            EventKind::Correction
        } else {
            EventKind::Transfer
        };
        assert_eq!(last.kind, expected, "{emp_no}");
    }
    let log = session.audit_log().unwrap();
    let last = &log.last().unwrap().record;
    assert_eq!(last.action, "department.remove");
    assert!(
        last.after
            .as_deref()
            .unwrap_or("")
            .contains("to=星河零售 Xinghe Retail / 销售部"),
        "{last:?}"
    );
}

#[test]
fn sub_departments_and_managers_scopes_are_never_moved_along() {
    let session = demo_session_with_staff(120);
    let sales = department_named(&session, "销售部");
    let east = department_named(&session, "华东大区");
    let hr = department_named(&session, "人力资源部");
    let err = session.remove_department(sales, Some(hr)).unwrap_err();
    assert!(err.to_string().contains("sub-department"), "{err}");
    session.add_operator("li.mgr", Role::Manager(east)).unwrap();
    let err = session.remove_department(east, Some(hr)).unwrap_err();
    assert!(err.to_string().contains("the scope of li.mgr"), "{err}");
    assert!(session.department_tree().unwrap().get(east).is_some());
    let err = session.remove_department(hr, Some(hr)).unwrap_err();
    assert!(matches!(
        err,
        OpError::Department(DepartmentError::MoveToItself(_))
    ));
}

#[test]
fn only_who_may_remove_departments_learns_what_points_at_one() {
    let demo = demo_session_with_staff(60);
    let east = department_named(&demo, "华东大区");
    let sales = department_named(&demo, "销售部");
    let manager = demo.as_role("mgr.east", Role::Manager(east));
    assert!(
        matches!(manager.department_uses(sales), Err(OpError::Denied(_))),
        "company-wide counts, beyond the manager's scope"
    );
    assert!(demo.department_uses(sales).is_ok());
}
