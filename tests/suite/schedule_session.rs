//! Effective dating through a session: events dated after today are
//! scheduled and change nothing until their day; the first write of that
//! day (or `apply_due`) makes them take effect, with their hooks; they can
//! be listed, moved and cancelled; an event that would make a later one
//! impossible is refused naming it; back-dated events are marked so.

use crate::common;

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{NaiveDate, TimeZone, Utc};
use common::*;
use hrdesk::domain::department::DepartmentId;
use hrdesk::domain::employee::{
    DepartureReason, Employee, EmployeeId, EventKind, LifecycleError, Status,
};
use hrdesk::domain::goal::Weight;
use hrdesk::domain::operator::Role;
use hrdesk::service::{Clock, DepartureHook, OpError, Recorded, Session};
use hrdesk::store::{StoreError, Writer};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A session of the demo's admin whose clock reads 09:00 UTC on `day`.
fn on(demo: &Demo, day: NaiveDate) -> Session {
    let at = Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).unwrap());
    Session::login(demo.store_handle(), ADMIN, Clock::Fixed(at)).unwrap()
}

fn hire(session: &Session, emp_no: &str, department: DepartmentId) -> Employee {
    session
        .hire(Employee {
            id: EmployeeId(0),
            emp_no: emp_no.into(),
            name: format!("员工{emp_no}"),
            department,
            title: "销售代表".into(),
            grade: "P3".into(),
            manager: None,
            hire_date: date(2024, 3, 5),
            status: Status::Active,
            phone: String::new(),
            email: String::new(),
            national_id: String::new(),
            salary: Some(1_200_000),
        })
        .unwrap()
}

/// `person` transferred to `to` from `on` (scheduled when that is later).
fn transfer(demo: &Demo, person: &Employee, to: DepartmentId, on: NaiveDate) -> Recorded {
    let moved = Employee {
        department: to,
        ..person.clone()
    };
    demo.record_event(person.id, EventKind::Transfer, on, moved, None)
        .unwrap()
}

fn departure() -> EventKind {
    EventKind::Departure {
        reason: DepartureReason::Resigned,
        note: String::new(),
    }
}

fn actions(session: &Session) -> Vec<String> {
    session
        .audit_log()
        .unwrap()
        .into_iter()
        .map(|entry| {
            format!(
                "{} {}",
                entry.record.action,
                entry.record.after.unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn a_transfer_dated_next_march_changes_nothing_until_then() {
    let demo = demo_session();
    let sales = department_named(&demo, "销售部");
    let finance = department_named(&demo, "财务部");
    let person = hire(&demo, "T1", sales);
    let recorded = transfer(&demo, &person, finance, date(2027, 3, 1));
    let Recorded::Scheduled { item, record } = recorded else {
        panic!("a future transfer is scheduled");
    };
    assert_eq!(record.department, sales);
    assert_eq!(demo.employee(person.id).unwrap().unwrap().department, sales);
    assert_eq!(demo.history(person.id).unwrap().len(), 1, "only the hire");
    let rows = demo.scheduled_changes().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].item.id, item.id);
    assert!(rows[0].changes.contains("财务部"), "{}", rows[0].changes);
    assert!(
        actions(&demo)
            .last()
            .unwrap()
            .starts_with("employee.schedule "),
        "{:?}",
        actions(&demo).last()
    );

    // The day before, a write applies nothing.
    let eve = on(&demo, date(2027, 2, 28));
    hire(&eve, "T2", sales);
    assert_eq!(eve.employee(person.id).unwrap().unwrap().department, sales);

    // On the day, the first write makes it take effect, dated that day.
    let day = on(&demo, date(2027, 3, 1));
    hire(&day, "T3", sales);
    let now = day.employee(person.id).unwrap().unwrap();
    assert_eq!(now.department, finance);
    let last = day.history(person.id).unwrap().pop().unwrap();
    assert_eq!(last.kind, EventKind::Transfer);
    assert_eq!(last.effective, date(2027, 3, 1));
    assert!(day.scheduled_changes().unwrap().is_empty());
    let logged = actions(&day);
    assert!(
        logged
            .iter()
            .any(|a| a.starts_with("employee.transfer") && a.contains("took_effect")),
        "{logged:?}"
    );
}

struct Recorder(Rc<RefCell<Vec<(String, NaiveDate)>>>);

impl DepartureHook for Recorder {
    fn on_departure(
        &self,
        _: &mut Writer<'_>,
        employee: &Employee,
        date: NaiveDate,
    ) -> Result<(), StoreError> {
        self.0.borrow_mut().push((employee.emp_no.clone(), date));
        Ok(())
    }
}

#[test]
fn a_scheduled_departure_runs_its_hooks_on_its_date_through_apply_due() {
    let demo = demo_session();
    let sales = department_named(&demo, "销售部");
    let person = hire(&demo, "T1", sales);
    demo.record_event(
        person.id,
        departure(),
        date(2026, 12, 31),
        person.clone(),
        None,
    )
    .unwrap();
    let mut later = on(&demo, date(2027, 1, 2));
    let seen = Rc::new(RefCell::new(Vec::new()));
    later.on_departure(Box::new(Recorder(seen.clone())));
    let applied = later.apply_due().unwrap();
    assert_eq!(applied.len(), 1);
    assert!(applied[0].blocked.is_none());
    assert_eq!(
        later.employee(person.id).unwrap().unwrap().status,
        Status::Departed
    );
    assert_eq!(*seen.borrow(), vec![("T1".to_string(), date(2026, 12, 31))]);
    assert!(later.apply_due().unwrap().is_empty(), "applied once");
}

#[test]
fn an_event_that_breaks_a_scheduled_one_is_refused_naming_it_until_that_is_cancelled() {
    let demo = demo_session();
    let sales = department_named(&demo, "销售部");
    let finance = department_named(&demo, "财务部");
    let person = hire(&demo, "T1", sales);
    let Recorded::Scheduled { item, .. } = transfer(&demo, &person, finance, date(2027, 3, 1))
    else {
        panic!("scheduled");
    };
    let refused = demo.record_event(
        person.id,
        departure(),
        date(2026, 11, 20),
        person.clone(),
        None,
    );
    assert!(
        matches!(
            &refused,
            Err(OpError::Lifecycle(LifecycleError::BreaksLater { later_date, .. }))
                if *later_date == date(2027, 3, 1)
        ),
        "{refused:?}"
    );
    assert!(refused.unwrap_err().to_string().contains("2027-03-01"));
    demo.cancel_scheduled(item.id).unwrap();
    assert!(demo.scheduled_changes().unwrap().is_empty());
    let gone = demo
        .record_event(
            person.id,
            departure(),
            date(2026, 11, 20),
            person.clone(),
            None,
        )
        .unwrap()
        .into_record();
    assert_eq!(gone.status, Status::Departed);
    let logged = actions(&demo);
    assert!(logged.iter().any(|a| a.starts_with("schedule.cancel")));
    assert!(
        logged
            .last()
            .unwrap()
            .contains("effective=2026-11-20 backdated"),
        "{logged:?}"
    );
}

#[test]
fn a_correction_made_meanwhile_is_kept_when_the_event_takes_effect() {
    let demo = demo_session();
    let sales = department_named(&demo, "销售部");
    let finance = department_named(&demo, "财务部");
    let person = hire(&demo, "T1", sales);
    transfer(&demo, &person, finance, date(2027, 3, 1));
    let corrected = Employee {
        phone: "13900000000".into(),
        ..person.clone()
    };
    demo.record_event(
        person.id,
        EventKind::Correction,
        date(2026, 11, 23),
        corrected,
        None,
    )
    .unwrap();
    let day = on(&demo, date(2027, 3, 2));
    day.apply_due().unwrap();
    let now = day.employee(person.id).unwrap().unwrap();
    assert_eq!(now.department, finance);
    assert_eq!(now.phone, "13900000000");
}

#[test]
fn one_that_no_longer_fits_on_its_day_is_kept_blocked_with_the_reason() {
    let demo = demo_session();
    let sales = department_named(&demo, "销售部");
    let boss = hire(&demo, "B1", sales);
    let person = hire(&demo, "T1", sales);
    let under_boss = Employee {
        manager: Some(boss.id),
        ..person.clone()
    };
    demo.record_event(
        person.id,
        EventKind::Transfer,
        date(2027, 3, 1),
        under_boss,
        None,
    )
    .unwrap();
    // The new manager leaves before the day.
    demo.record_event(boss.id, departure(), date(2026, 11, 23), boss.clone(), None)
        .unwrap();
    let day = on(&demo, date(2027, 3, 1));
    let applied = day.apply_due().unwrap();
    assert_eq!(applied.len(), 1);
    let reason = applied[0].blocked.clone().expect("blocked");
    assert!(!reason.is_empty());
    assert_eq!(day.employee(person.id).unwrap().unwrap().manager, None);
    let rows = day.scheduled_changes().unwrap();
    assert_eq!(rows[0].item.blocked.as_deref(), Some(reason.as_str()));
    assert!(
        actions(&day)
            .iter()
            .any(|a| a.starts_with("schedule.blocked"))
    );
    assert!(day.apply_due().unwrap().is_empty(), "not retried by itself");
    // Moving it to a day the person fits again is refused the same way…
    assert!(
        day.move_scheduled(rows[0].item.id, date(2027, 4, 1))
            .is_err()
    );
    // … and cancelling it clears it.
    day.cancel_scheduled(rows[0].item.id).unwrap();
    assert!(day.scheduled_changes().unwrap().is_empty());
}

#[test]
fn a_scheduled_change_can_be_moved_and_moved_to_today_takes_effect_now() {
    let demo = demo_session();
    let sales = department_named(&demo, "销售部");
    let person = hire(&demo, "T1", sales);
    let Recorded::Scheduled { item, .. } = demo
        .record_event(
            person.id,
            EventKind::Leave,
            date(2027, 1, 10),
            person.clone(),
            None,
        )
        .unwrap()
    else {
        panic!("scheduled");
    };
    demo.move_scheduled(item.id, date(2027, 2, 1)).unwrap();
    let rows = demo.scheduled_changes().unwrap();
    assert_eq!(rows[0].item.effective, date(2027, 2, 1));
    // Before the hire: refused, and the change stays where it was.
    assert!(demo.move_scheduled(item.id, date(2020, 1, 1)).is_err());
    assert_eq!(
        demo.scheduled_changes().unwrap()[0].item.effective,
        date(2027, 2, 1)
    );
    demo.move_scheduled(item.id, date(2026, 11, 23)).unwrap();
    assert_eq!(
        demo.employee(person.id).unwrap().unwrap().status,
        Status::OnLeave
    );
    assert!(demo.scheduled_changes().unwrap().is_empty());
}

#[test]
fn a_return_scheduled_after_a_scheduled_leave_fits_and_both_take_effect_in_order() {
    let demo = demo_session();
    let sales = department_named(&demo, "销售部");
    let person = hire(&demo, "T1", sales);
    demo.record_event(
        person.id,
        EventKind::Leave,
        date(2027, 1, 10),
        person.clone(),
        None,
    )
    .unwrap();
    let early = demo.record_event(
        person.id,
        EventKind::Return,
        date(2027, 1, 5),
        person.clone(),
        None,
    );
    assert!(matches!(
        early,
        Err(OpError::Lifecycle(
            LifecycleError::BeforeStatusChange { .. }
        ))
    ));
    demo.record_event(
        person.id,
        EventKind::Return,
        date(2027, 2, 10),
        person.clone(),
        None,
    )
    .unwrap();
    let day = on(&demo, date(2027, 3, 1));
    assert_eq!(day.apply_due().unwrap().len(), 2);
    let kinds: Vec<&str> = day
        .history(person.id)
        .unwrap()
        .iter()
        .map(|e| e.kind.code())
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    assert_eq!(kinds, ["hire", "leave", "return"]);
    assert_eq!(
        day.employee(person.id).unwrap().unwrap().status,
        Status::Active
    );
}

#[test]
fn a_goal_weight_from_a_later_date_is_not_used_before_it() {
    let demo = demo_session();
    let tree = demo.goal_tree().unwrap();
    let goal = tree
        .goals()
        .iter()
        .find(|g| g.parent.is_none())
        .cloned()
        .expect("a company goal");
    let before = goal.weight;
    let heavier = hrdesk::domain::goal::Goal {
        weight: Weight(before.0 / 2),
        ..goal.clone()
    };
    demo.update_goal(heavier, date(2027, 7, 1), None).unwrap();
    let now = demo.goal_tree().unwrap();
    assert_eq!(now.get(goal.id).unwrap().weight, before, "not used today");
    let rows = demo.scheduled_changes().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].changes,
        format!("{before} → {}", Weight(before.0 / 2))
    );
    let day = on(&demo, date(2027, 7, 1));
    day.apply_due().unwrap();
    let then = day.goal_tree().unwrap();
    assert_eq!(then.get(goal.id).unwrap().weight, Weight(before.0 / 2));
}

#[test]
fn managers_see_the_scheduled_changes_of_their_people_and_change_none() {
    let demo = demo_session();
    let sales = department_named(&demo, "销售部");
    let finance = department_named(&demo, "财务部");
    let seller = hire(&demo, "T1", sales);
    let accountant = hire(&demo, "T2", finance);
    for person in [&seller, &accountant] {
        demo.record_event(
            person.id,
            EventKind::Leave,
            date(2027, 1, 10),
            person.clone(),
            None,
        )
        .unwrap();
    }
    let manager = demo.as_role("mgr", Role::Manager(sales));
    let rows = manager.scheduled_changes().unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].subject.starts_with("T1"));
    assert!(matches!(
        manager.cancel_scheduled(rows[0].item.id),
        Err(OpError::Denied(_))
    ));
    assert!(matches!(manager.apply_due(), Err(OpError::Denied(_))));
}
