//! Staff operations through a session: hiring, lifecycle events with their
//! history and audit entries, the departure rules and hook, and who may see
//! and change what.

use crate::common;

use std::cell::RefCell;
use std::rc::Rc;

use chrono::NaiveDate;
use common::*;
use hrdesk::domain::audit::AuditRecord;
use hrdesk::domain::department::DepartmentId;
use hrdesk::domain::employee::{
    DepartureReason, Employee, EmployeeId, EventKind, Field, LifecycleError, Status,
};
use hrdesk::service::{DepartureHook, OpError, Session};
use hrdesk::store::{StoreError, Writer};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn record(
    emp_no: &str,
    name: &str,
    department: DepartmentId,
    manager: Option<EmployeeId>,
) -> Employee {
    Employee {
        id: EmployeeId(0),
        emp_no: emp_no.into(),
        name: name.into(),
        department,
        title: "销售代表".into(),
        grade: "P3".into(),
        manager,
        hire_date: date(2024, 3, 5),
        status: Status::Active,
        phone: "13812345678".into(),
        email: String::new(),
        national_id: String::new(),
        salary: Some(1_200_000),
    }
}

fn departure() -> EventKind {
    EventKind::Departure {
        reason: DepartureReason::Resigned,
        note: "家庭原因".into(),
    }
}

#[test]
fn hiring_writes_the_record_its_history_and_the_audit_log() {
    let session = demo_session();
    let sales = department_named(&session, "销售部");
    let hired = session.hire(record("E1", "曾强", sales, None)).unwrap();
    assert_ne!(hired.id, EmployeeId(0));
    let history = session.history(hired.id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].kind, EventKind::Hire);
    assert!(
        history[0]
            .changes
            .iter()
            .any(|c| c.field == Field::Department && c.new == "星河零售 Xinghe Retail / 销售部")
    );
    let last = session.audit_log().unwrap().pop().unwrap();
    assert_eq!(last.record.action, "employee.hire");
    assert_eq!(last.record.entity_id, "E1");
}

#[test]
fn an_invalid_record_names_its_fields_and_writes_nothing() {
    let session = demo_session();
    let sales = department_named(&session, "销售部");
    session.hire(record("E1", "曾强", sales, None)).unwrap();
    let before = session.audit_log().unwrap().len();
    let err = session
        .hire(record("E1", " ", DepartmentId(999), Some(EmployeeId(77))))
        .unwrap_err();
    let OpError::Invalid(problems) = err else {
        panic!("expected field problems, got {err:?}");
    };
    let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        vec![Field::EmpNo, Field::Name, Field::Department, Field::Manager]
    );
    assert_eq!(session.audit_log().unwrap().len(), before);
    assert_eq!(session.employee_count().unwrap(), 1);
}

#[test]
fn a_transfer_is_a_diff_in_the_history() {
    let session = demo_session();
    let sales = department_named(&session, "销售部");
    let hr = department_named(&session, "人力资源部");
    let boss = session.hire(record("E1", "曾强", sales, None)).unwrap();
    let rep = session
        .hire(record("E2", "张伟", sales, Some(boss.id)))
        .unwrap();
    let moved = Employee {
        department: hr,
        manager: None,
        ..rep.clone()
    };
    session
        .record_event(rep.id, EventKind::Transfer, date(2025, 1, 1), moved, None)
        .unwrap();
    let history = session.history(rep.id).unwrap();
    let transfer = history.last().unwrap();
    assert_eq!(transfer.kind, EventKind::Transfer);
    assert_eq!(transfer.effective, date(2025, 1, 1));
    let changed: Vec<(Field, &str, &str)> = transfer
        .changes
        .iter()
        .map(|c| (c.field, c.old.as_str(), c.new.as_str()))
        .collect();
    assert_eq!(
        changed,
        vec![
            (
                Field::Department,
                "星河零售 Xinghe Retail / 销售部",
                "星河零售 Xinghe Retail / 人力资源部"
            ),
            (Field::Manager, "E1", ""),
        ]
    );
}

/// A change reads only the people it concerns, not the whole company: the
/// checks must still reach a loop three links away and a number held by
/// someone the change does not name.
#[test]
fn checks_reach_past_the_people_a_change_names() {
    let session = demo_session();
    let sales = department_named(&session, "销售部");
    let top = session.hire(record("E1", "曾强", sales, None)).unwrap();
    let mut above = top.clone();
    for (emp_no, name) in [("E2", "单文"), ("E3", "解明"), ("E4", "查海")] {
        above = session
            .hire(record(emp_no, name, sales, Some(above.id)))
            .unwrap();
    }
    let bystander = session.hire(record("E9", "区伟", sales, None)).unwrap();
    let looped = Employee {
        manager: Some(above.id),
        ..top.clone()
    };
    let err = session
        .record_event(top.id, EventKind::Transfer, date(2025, 1, 1), looped, None)
        .unwrap_err();
    assert!(
        matches!(&err, OpError::Invalid(p) if p[0].field == Field::Manager),
        "{err:?}"
    );
    let renumbered = Employee {
        emp_no: bystander.emp_no.clone(),
        ..above.clone()
    };
    let err = session
        .record_event(
            above.id,
            EventKind::Correction,
            date(2025, 1, 1),
            renumbered,
            None,
        )
        .unwrap_err();
    assert!(
        matches!(&err, OpError::Invalid(p) if p[0].field == Field::EmpNo),
        "{err:?}"
    );
    let hired_twice = session.hire(record("E9", "区伟", sales, Some(top.id)));
    assert!(matches!(hired_twice, Err(OpError::Invalid(_))));
    assert_eq!(session.history(top.id).unwrap().len(), 1, "nothing written");
}

#[test]
fn departure_rules_hold() {
    let session = demo_session();
    let sales = department_named(&session, "销售部");
    let boss = session.hire(record("E1", "曾强", sales, None)).unwrap();
    let rep = session
        .hire(record("E2", "张伟", sales, Some(boss.id)))
        .unwrap();
    let err = session
        .record_event(boss.id, departure(), date(2025, 6, 30), boss.clone(), None)
        .unwrap_err();
    assert!(matches!(
        err,
        OpError::Lifecycle(LifecycleError::ManagesActiveStaff { reports: 1, .. })
    ));
    let err = session
        .record_event(rep.id, departure(), date(2020, 1, 1), rep.clone(), None)
        .unwrap_err();
    assert!(matches!(
        err,
        OpError::Lifecycle(LifecycleError::BeforeHire { .. })
    ));
    let gone = session
        .record_event(rep.id, departure(), date(2025, 6, 30), rep.clone(), None)
        .unwrap()
        .into_record();
    assert_eq!(gone.status, Status::Departed);
    let err = session
        .record_event(
            rep.id,
            EventKind::Leave,
            date(2025, 7, 1),
            gone.clone(),
            None,
        )
        .unwrap_err();
    assert!(matches!(
        err,
        OpError::Lifecycle(LifecycleError::NotAllowed { .. })
    ));
    let back = session
        .record_event(rep.id, EventKind::Rehire, date(2026, 1, 1), gone, None)
        .unwrap()
        .into_record();
    assert_eq!(back.status, Status::Active);
    let kinds: Vec<&str> = session
        .history(rep.id)
        .unwrap()
        .iter()
        .map(|e| e.kind.code())
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    assert_eq!(kinds, vec!["hire", "departure", "rehire"]);
}

/// A departure hook that records whom it saw and writes an audit entry of its own.
struct Recorder(Rc<RefCell<Vec<String>>>, bool);

impl DepartureHook for Recorder {
    fn on_departure(
        &self,
        w: &mut Writer<'_>,
        employee: &Employee,
        _: NaiveDate,
    ) -> Result<(), StoreError> {
        self.0.borrow_mut().push(employee.emp_no.clone());
        if self.1 {
            return Err(StoreError::Database("hook refused".into()));
        }
        w.audit(AuditRecord::new(
            "hook.departure",
            "employee",
            &employee.emp_no,
        ))?;
        Ok(())
    }
}

#[test]
fn departure_hooks_run_inside_the_departure_transaction() {
    let mut session = demo_session();
    let sales = department_named(&session, "销售部");
    let rep = session.hire(record("E2", "张伟", sales, None)).unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    session.on_departure(Box::new(Recorder(seen.clone(), true)));
    let refused = session.record_event(rep.id, departure(), date(2025, 6, 30), rep.clone(), None);
    assert!(refused.is_err());
    assert_eq!(
        session.employee(rep.id).unwrap().unwrap().status,
        Status::Active,
        "a failing hook cancels the departure"
    );
    let mut session = demo_session();
    let sales = department_named(&session, "销售部");
    let rep = session.hire(record("E2", "张伟", sales, None)).unwrap();
    session.on_departure(Box::new(Recorder(seen.clone(), false)));
    session
        .record_event(rep.id, departure(), date(2025, 6, 30), rep.clone(), None)
        .unwrap()
        .into_record();
    assert_eq!(*seen.borrow(), vec!["E2".to_string(), "E2".to_string()]);
    let actions: Vec<String> = session
        .store()
        .audit_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.record.action)
        .collect();
    assert!(actions.ends_with(&[
        "hook.departure".to_string(),
        "employee.departure".to_string()
    ]));
}

#[test]
fn managers_see_their_subtree_and_viewers_cannot_hire() {
    let session = demo_session();
    let sales = department_named(&session, "销售部");
    let east = department_named(&session, "华东大区");
    let hr = department_named(&session, "人力资源部");
    session.hire(record("E1", "曾强", sales, None)).unwrap();
    session.hire(record("E2", "单文", east, None)).unwrap();
    session.hire(record("E3", "张丽", hr, None)).unwrap();
    let manager = Session::login(session.store_handle(), "mgr.zeng", clock()).unwrap();
    let seen: Vec<String> = manager
        .directory()
        .unwrap()
        .employees()
        .iter()
        .map(|e| e.emp_no.clone())
        .collect();
    assert_eq!(seen, vec!["E1", "E2"]);
    assert!(matches!(
        manager.hire(record("E4", "x", sales, None)),
        Err(OpError::Denied(_))
    ));
    let viewer = Session::login(session.store_handle(), "audit.liu", clock()).unwrap();
    assert_eq!(viewer.directory().unwrap().employees().len(), 3);
    assert!(matches!(
        viewer.hire(record("E5", "y", hr, None)),
        Err(OpError::Denied(_))
    ));
}

#[test]
fn a_departure_reassigns_reports_in_one_transaction_or_not_at_all() {
    let session = demo_session();
    let sales = department_named(&session, "销售部");
    let top = session.hire(record("E0", "周建国", sales, None)).unwrap();
    let boss = session
        .hire(record("E1", "曾强", sales, Some(top.id)))
        .unwrap();
    let rep = session
        .hire(record("E2", "张伟", sales, Some(boss.id)))
        .unwrap();
    let under_rep = session
        .hire(record("E3", "单文", sales, Some(rep.id)))
        .unwrap();
    let audit_before = session.audit_log().unwrap().len();
    // Moving E2 under E3 would make a loop (E3 reports to E2): all refused.
    let err = session
        .depart_reassigning(boss.id, departure(), date(2025, 6, 30), under_rep.id, None)
        .unwrap_err();
    assert!(
        matches!(&err, OpError::Invalid(problems) if problems[0].field == Field::Manager),
        "{err:?}"
    );
    assert_eq!(session.audit_log().unwrap().len(), audit_before);
    assert_eq!(
        session.employee(boss.id).unwrap().unwrap().status,
        Status::Active
    );
    let gone = session
        .depart_reassigning(boss.id, departure(), date(2025, 6, 30), top.id, None)
        .unwrap()
        .into_record();
    assert_eq!(gone.status, Status::Departed);
    let moved = session.employee(rep.id).unwrap().unwrap();
    assert_eq!(moved.manager, Some(top.id));
    let history = session.history(rep.id).unwrap();
    assert_eq!(history.last().unwrap().kind, EventKind::Transfer);
    assert_eq!(history.last().unwrap().effective, date(2025, 6, 30));
    let actions: Vec<String> = session
        .audit_log()
        .unwrap()
        .into_iter()
        .skip(audit_before)
        .map(|e| e.record.action)
        .collect();
    assert_eq!(actions, vec!["employee.transfer", "employee.departure"]);
}

#[test]
fn revealing_needs_the_permission_and_is_logged_without_the_values() {
    let session = demo_session();
    let sales = department_named(&session, "销售部");
    let mut hired = record("E1", "曾强", sales, None);
    hired.national_id = "11010519491231002X".into();
    let hired = session.hire(hired).unwrap();
    let shown = session.reveal(hired.id).unwrap();
    assert_eq!(shown.national_id, "11010519491231002X");
    let entry = session.audit_log().unwrap().pop().unwrap();
    assert_eq!(entry.record.action, "employee.reveal");
    let logged = entry.record.after.unwrap();
    assert!(
        !logged.contains("1101") && !logged.contains("12000"),
        "{logged}"
    );
    session
        .add_operator("vera", hrdesk::domain::operator::Role::Viewer)
        .unwrap();
    let viewer = Session::login(session.store_handle(), "vera", clock()).unwrap();
    assert!(matches!(viewer.reveal(hired.id), Err(OpError::Denied(_))));
}

#[test]
fn each_event_is_checked_against_the_timeline_and_history_reads_in_date_order() {
    let session = demo_session_with_staff(0);
    let sales = department_named(&session, "销售部");
    let mut hired = record("T1", "时间线", sales, None);
    hired.hire_date = date(2024, 3, 1);
    let person = session.hire(hired).unwrap();
    let leave =
        |on: NaiveDate, who| session.record_event(person.id, EventKind::Leave, on, who, None);
    // Nothing before the hire.
    assert!(matches!(
        leave(date(2024, 2, 1), person.clone()),
        Err(OpError::Lifecycle(LifecycleError::BeforeHire { .. }))
    ));
    let away = leave(date(2025, 5, 1), person.clone())
        .unwrap()
        .into_record();
    // A return before its leave does not fit.
    assert!(matches!(
        session.record_event(
            person.id,
            EventKind::Return,
            date(2025, 4, 1),
            away.clone(),
            None
        ),
        Err(OpError::Lifecycle(
            LifecycleError::BeforeStatusChange { .. }
        ))
    ));
    let back = session
        .record_event(person.id, EventKind::Return, date(2025, 6, 1), away, None)
        .unwrap()
        .into_record();
    // A transfer may be back-dated within the employment, and the history
    // shows it where it happened.
    let moved = Employee {
        title: "Senior".into(),
        ..back
    };
    session
        .record_event(
            person.id,
            EventKind::Transfer,
            date(2024, 9, 1),
            moved,
            None,
        )
        .unwrap();
    let kinds: Vec<&str> = session
        .history(person.id)
        .unwrap()
        .iter()
        .map(|e| e.kind.code())
        .collect();
    assert_eq!(kinds, ["hire", "transfer", "leave", "return"]);
}
