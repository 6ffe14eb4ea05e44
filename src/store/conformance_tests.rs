//! The store's conformance suite: what every [`Backend`](super::backend::Backend)
//! must give the layers above it, written once against a [`Store`] and run
//! against each backend (a redb file, redb in memory, and the plain model
//! in `model_backend`). A new backend (PostgreSQL) joins by adding one line
//! to the list at the end.

use std::ops::ControlFlow;
use std::time::Duration;

use tempfile::TempDir;

use super::backend::KeyRange;
use super::tables::DEPARTMENTS;
use super::test_support::{account, at, restamp};
use super::{Store, StoreError, meta};
use crate::domain::audit::AuditRecord;
use crate::domain::binding::{Binding, BindingId, UnbindReason};
use crate::domain::change::EntityKey;
use crate::domain::department::{Department, DepartmentId};
use crate::domain::employee::{Employee, EmployeeId, EventKind, LifecycleEvent};
use crate::domain::fixtures;
use crate::store::RuleReads;

/// A fresh database created by `alice`, and what keeps it alive.
pub(super) struct Fixture {
    pub(super) store: Store,
    _dir: Option<TempDir>,
}

fn redb_file() -> Fixture {
    let (dir, _path, store) = super::test_support::new_file_store();
    Fixture {
        store,
        _dir: Some(dir),
    }
}

fn redb_memory() -> Fixture {
    Fixture {
        store: Store::in_memory("alice", at(0)).expect("memory"),
        _dir: None,
    }
}

fn model() -> Fixture {
    Fixture {
        store: Store::over(
            super::model_backend::ModelBackend::default(),
            "alice",
            at(0),
        )
        .expect("model"),
        _dir: None,
    }
}

/// Runs `f` in one audited write as `alice`.
fn write<T>(
    store: &Store,
    f: impl FnOnce(&mut super::Writer<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    store.write("alice", at(5), |w| {
        let value = f(w)?;
        w.audit(AuditRecord::new("test.write", "test", "-"))?;
        Ok(value)
    })
}

fn hire(store: &Store, emp_no: &str, manager: Option<EmployeeId>) -> Result<Employee, StoreError> {
    let person = fixtures::person(0, emp_no, 1, manager.map(|m| m.0));
    write(store, |w| w.add_employee(&person))
}

fn department(store: &Store, name: &str) -> Result<Department, StoreError> {
    write(store, |w| w.add_department(name, None, None))
}

fn a_write_commits_all_or_nothing(make: fn() -> Fixture) {
    let Fixture { store, _dir } = make();
    let (audit, change) = (store.audit_count().unwrap(), store.last_change().unwrap());
    let failed: Result<(), StoreError> = store.write("alice", at(5), |w| {
        w.add_department("Sales", None, None)?;
        w.add_employee(&fixtures::person(0, "E1", 1, None))?;
        w.audit(AuditRecord::new("test.write", "test", "-"))?;
        Err(StoreError::Database("changed my mind".into()))
    });
    assert!(failed.is_err());
    assert_eq!(store.departments().unwrap(), vec![]);
    assert_eq!(store.employee_count().unwrap(), 0);
    assert_eq!(store.audit_count().unwrap(), audit);
    assert_eq!(store.last_change().unwrap(), change, "no change numbered");
    // The secondary keys went with the rows: both are free.
    department(&store, "Sales").expect("the name is free");
    assert_eq!(
        hire(&store, "E1", None).expect("the number is free").id,
        EmployeeId(1)
    );
}

fn an_unaudited_write_is_refused(make: fn() -> Fixture) {
    let Fixture { store, _dir } = make();
    let unaudited = store.write("alice", at(5), |w| w.add_department("Sales", None, None));
    assert!(matches!(unaudited, Err(StoreError::Unaudited)));
    assert_eq!(store.departments().unwrap(), vec![]);
}

fn records_come_back_in_key_order(make: fn() -> Fixture) {
    let Fixture { store, _dir } = make();
    let names = ["Sales", "Legal", "Ops", "IT", "HR"];
    for name in names {
        department(&store, name).unwrap();
    }
    let listed: Vec<u64> = store
        .departments()
        .unwrap()
        .iter()
        .map(|d| d.id.0)
        .collect();
    assert_eq!(listed, [1, 2, 3, 4, 5]);
    let bindings: Vec<Binding> = (1..=12).map(|i| account(i, &format!("o-{i:02}"))).collect();
    write(&store, |w| w.add_bindings(&bindings)).unwrap();
    let ids = |found: Vec<Binding>| found.iter().map(|b| b.id.0).collect::<Vec<_>>();
    assert_eq!(
        ids(store.binding_window(None, 3, false).unwrap()),
        [1, 2, 3]
    );
    assert_eq!(
        ids(store.binding_window(Some(BindingId(3)), 3, false).unwrap()),
        [4, 5, 6]
    );
    assert_eq!(
        ids(store.binding_window(None, 3, true).unwrap()),
        [10, 11, 12]
    );
    assert_eq!(
        ids(store.binding_window(Some(BindingId(10)), 2, true).unwrap()),
        [8, 9]
    );
    assert_eq!(
        ids(store.binding_window(Some(BindingId(12)), 5, false).unwrap()),
        Vec::<u64>::new()
    );
    // A scan stops when its visitor says so, and can run backwards.
    let seen = store
        .read(|txn| {
            let mut seen = Vec::new();
            let range = KeyRange {
                reverse: true,
                ..KeyRange::ALL
            };
            DEPARTMENTS.scan(txn, range, |key, bytes| {
                seen.push(DEPARTMENTS.decode(key, bytes)?.name);
                Ok(if seen.len() == 2 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                })
            })?;
            Ok(seen)
        })
        .unwrap();
    assert_eq!(seen, ["HR", "IT"]);
    let mut viewed = Vec::new();
    hire(&store, "E2", None).unwrap();
    hire(&store, "E1", None).unwrap();
    store
        .each_employee(|view| viewed.push(view.emp_no.to_string()))
        .unwrap();
    assert_eq!(viewed, ["E2", "E1"], "by id, viewed in place");
}

fn unique_keys_refuse_a_second_holder(make: fn() -> Fixture) {
    let Fixture { store, _dir } = make();
    let first = hire(&store, "E1", None).unwrap();
    let taken = hire(&store, "E1", None).expect_err("taken");
    assert!(
        matches!(taken, StoreError::DuplicateEmpNo { .. }),
        "{taken:?}"
    );
    // Renumbered, the old number is free again and the new one is taken.
    let renumbered = Employee {
        emp_no: "E9".into(),
        ..first.clone()
    };
    write(&store, |w| w.update_employee(&renumbered)).unwrap();
    assert_eq!(
        hire(&store, "E1", None).unwrap().id,
        EmployeeId(2),
        "the refused hire took no id"
    );
    assert!(hire(&store, "E9", None).is_err());
    assert_eq!(
        store.employee_by_emp_no("E9").unwrap().map(|e| e.id),
        Some(first.id)
    );
    department(&store, "Sales").unwrap();
    let folded = department(&store, "SALES").expect_err("same name, other case");
    assert!(matches!(folded, StoreError::Duplicate { .. }), "{folded:?}");
    // An account is bound once, ever; a code names one pending request.
    write(&store, |w| w.add_bindings(&[account(1, "o-a")])).unwrap();
    let twice = write(&store, |w| w.add_bindings(&[account(2, "o-a")])).expect_err("bound");
    assert!(
        matches!(twice, StoreError::DuplicateExternalId { .. }),
        "{twice:?}"
    );
}

fn secondary_keys_follow_every_change(make: fn() -> Fixture) {
    let Fixture { store, _dir } = make();
    let boss = hire(&store, "E1", None).unwrap();
    let other = hire(&store, "E2", None).unwrap();
    let rep = hire(&store, "E3", Some(boss.id)).unwrap();
    assert_eq!(store.reports_of(boss.id).unwrap(), [rep.id]);
    let moved = Employee {
        manager: Some(other.id),
        national_id: "11010519491231002X".into(),
        ..rep.clone()
    };
    write(&store, |w| w.update_employee(&moved)).unwrap();
    assert_eq!(store.reports_of(boss.id).unwrap(), []);
    assert_eq!(store.reports_of(other.id).unwrap(), [rep.id]);
    assert_eq!(
        store.holders_of_national_id("11010519491231002X").unwrap(),
        [rep.id]
    );
    assert_eq!(
        store.holders_of_national_id("11010519491231002").unwrap(),
        [],
        "whole keys only"
    );
    let added = write(&store, |w| {
        w.add_bindings(&[account(3, "o-a"), account(3, "o-b")])
    })
    .unwrap();
    let mut pending = added[1].clone();
    pending
        .request_unbind(UnbindReason::PrivacyRequest, "CODE2345", "hr", at(3))
        .unwrap();
    write(&store, |w| {
        w.update_bindings(std::slice::from_ref(&pending))
    })
    .unwrap();
    assert_eq!(store.pending_binding_ids().unwrap(), [pending.id]);
    assert_eq!(
        store
            .binding_pending_with("CODE2345")
            .unwrap()
            .map(|b| b.id),
        Some(pending.id)
    );
    pending.cancel("hr", at(4)).unwrap();
    write(&store, |w| {
        w.update_bindings(std::slice::from_ref(&pending))
    })
    .unwrap();
    assert_eq!(store.pending_binding_ids().unwrap(), []);
    assert_eq!(store.binding_pending_with("CODE2345").unwrap(), None);
    let of_rep: Vec<BindingId> = store
        .bindings_of(rep.id)
        .unwrap()
        .iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(of_rep, [added[0].id, added[1].id]);
    let sales = department(&store, "Sales").unwrap();
    write(&store, |w| w.remove_department(sales.id)).unwrap();
    department(&store, "Sales").expect("a removed department's name is free");
    // The secondary keys the backend kept are those the records give.
    let verdict = store.verify(None).unwrap();
    assert!(verdict.intact(), "{verdict:?}");
}

/// A write of many rows, some changed again before it commits: every
/// secondary key it made is found within it and after it (a backend may
/// gather them and put them later, as redb's does, a batch at a time).
fn secondary_keys_follow_changes_within_one_write(make: fn() -> Fixture) {
    let Fixture { store, _dir } = make();
    let boss = hire(&store, "E0", None).unwrap();
    let people = write(&store, |w| {
        let mut hired = Vec::new();
        for n in 1..=2_000u64 {
            let manager = (n % 2 == 0).then_some(boss.id.0);
            let person = Employee {
                national_id: format!("ID{n:06}"),
                ..fixtures::person(0, &format!("E{n}"), 1, manager)
            };
            hired.push(w.add_employee(&person)?);
        }
        let again = fixtures::person(0, "E1999", 1, None);
        let taken = w.add_employee(&again).expect_err("taken in this write");
        assert!(
            matches!(taken, StoreError::DuplicateEmpNo { .. }),
            "{taken:?}"
        );
        assert_eq!(w.employee_id_for("E2000")?, Some(hired[1999].id));
        // Renumbered twice and moved: only what it ends as leads to them.
        let mut moved = Employee {
            emp_no: "X1".into(),
            manager: None,
            ..hired[9].clone()
        };
        w.update_employee(&moved)?;
        moved.emp_no = "X2".into();
        moved.national_id = "ID999999".into();
        w.update_employee(&moved)?;
        Ok(hired)
    })
    .unwrap();
    for gone in ["E10", "X1"] {
        assert_eq!(store.employee_by_emp_no(gone).unwrap(), None, "{gone}");
    }
    let id_of = |emp_no| store.employee_by_emp_no(emp_no).unwrap().map(|e| e.id);
    assert_eq!(id_of("X2"), Some(people[9].id));
    assert_eq!(id_of("E2000"), Some(people[1999].id));
    assert_eq!(store.holders_of_national_id("ID000010").unwrap(), []);
    assert_eq!(
        store.holders_of_national_id("ID999999").unwrap(),
        [people[9].id]
    );
    assert_eq!(store.reports_of(boss.id).unwrap().len(), 999);
    let verdict = store.verify(None).unwrap();
    assert!(verdict.intact(), "{verdict:?}");
}

fn the_change_sequence_numbers_each_commit(make: fn() -> Fixture) {
    let Fixture { store, _dir } = make();
    let before = store.last_change().unwrap();
    let hired = hire(&store, "E1", None).unwrap();
    let after = store.last_change().unwrap();
    assert_eq!(after, before + 1);
    let key = EntityKey::Employee(hired.id);
    assert_eq!(store.revision(&key).unwrap().0, after);
    let change = store.change(after).unwrap().expect("numbered");
    assert!(change.keys.contains(&key));
    assert_eq!(change.operator, "alice");
    assert_eq!(change.origin, store.origin());
    let event = LifecycleEvent {
        employee: hired.id,
        kind: EventKind::Hire,
        effective: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).expect("date"),
        operator: "alice".into(),
        recorded_at: at(5),
        changes: Vec::new(),
    };
    let seqs = write(&store, |w| {
        Ok((w.append_event(&event)?, w.append_event(&event)?))
    })
    .unwrap();
    assert_eq!(seqs, (1, 2), "each owner's log counts from one");
    assert_eq!(store.history(hired.id).unwrap().len(), 2);
    assert_eq!(store.changes_since(before, 10).unwrap().len(), 2);
    assert_eq!(store.changes_since(before, 1).unwrap()[0].seq, after);
}

fn a_read_sees_one_snapshot(make: fn() -> Fixture) {
    let Fixture { store, _dir } = make();
    department(&store, "Sales").unwrap();
    let other = store.clone();
    let (first, second) = store
        .read(|txn| {
            let first = DEPARTMENTS.count(txn)?;
            department(&other, "Legal")?;
            Ok((first, DEPARTMENTS.count(txn)?))
        })
        .unwrap();
    assert_eq!((first, second), (1, 1));
    assert_eq!(
        store.departments().unwrap().len(),
        2,
        "a new read sees the commit"
    );
}

fn one_write_at_a_time(make: fn() -> Fixture) {
    let Fixture { store, _dir } = make();
    let mut other = store.clone();
    other.set_write_wait(Duration::from_millis(30));
    let inner = write(&store, |w| {
        w.add_department("Sales", None, None)?;
        Ok(department(&other, "Legal"))
    })
    .unwrap();
    assert!(inner.is_err(), "the second write could not start");
    let names: Vec<String> = store
        .departments()
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, ["Sales"]);
}

fn every_write_checks_the_schema_stamp(make: fn() -> Fixture) {
    let Fixture { store, _dir } = make();
    assert_eq!(store.schema_version().unwrap(), meta::SCHEMA_VERSION);
    restamp(&store, meta::SCHEMA_VERSION + 1);
    let moved = department(&store, "Sales").expect_err("refused");
    assert!(matches!(moved, StoreError::SchemaMoved { .. }), "{moved:?}");
    assert_eq!(store.departments().unwrap(), vec![]);
}

fn ids_are_never_handed_out_twice(make: fn() -> Fixture) {
    let Fixture { store, _dir } = make();
    let first = department(&store, "Sales").unwrap();
    write(&store, |w| w.remove_department(first.id)).unwrap();
    assert_eq!(department(&store, "Legal").unwrap().id, DepartmentId(2));
    assert_eq!(store.department(first.id).unwrap(), None);
}

/// Every check above, as tests of the backend `make` builds stores on.
macro_rules! conformance {
    ($($backend:ident),*) => {$(
        mod $backend {

            #[test]
            fn a_write_commits_all_or_nothing() {
                super::a_write_commits_all_or_nothing(super::$backend)
            }
            #[test]
            fn an_unaudited_write_is_refused() {
                super::an_unaudited_write_is_refused(super::$backend)
            }
            #[test]
            fn records_come_back_in_key_order() {
                super::records_come_back_in_key_order(super::$backend)
            }
            #[test]
            fn unique_keys_refuse_a_second_holder() {
                super::unique_keys_refuse_a_second_holder(super::$backend)
            }
            #[test]
            fn secondary_keys_follow_every_change() {
                super::secondary_keys_follow_every_change(super::$backend)
            }
            #[test]
            fn secondary_keys_follow_changes_within_one_write() {
                super::secondary_keys_follow_changes_within_one_write(super::$backend)
            }
            #[test]
            fn the_change_sequence_numbers_each_commit() {
                super::the_change_sequence_numbers_each_commit(super::$backend)
            }
            #[test]
            fn a_read_sees_one_snapshot() {
                super::a_read_sees_one_snapshot(super::$backend)
            }
            #[test]
            fn one_write_at_a_time() {
                super::one_write_at_a_time(super::$backend)
            }
            #[test]
            fn every_write_checks_the_schema_stamp() {
                super::every_write_checks_the_schema_stamp(super::$backend)
            }
            #[test]
            fn ids_are_never_handed_out_twice() {
                super::ids_are_never_handed_out_twice(super::$backend)
            }
        }
    )*};
}

conformance!(redb_file, redb_memory, model);
