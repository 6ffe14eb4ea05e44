//! Employees on disk: records by id with their declared secondary keys
//! (the employee number, unique; the manager, the national ID, the name
//! with the phone), and each employee's append-only history of lifecycle
//! events.

use std::ops::ControlFlow;

use super::Store;
use super::backend::KeyRange;
use super::codec::{self, Record};
use super::error::StoreError;
use super::keys::IndexKey;
use super::tables::{self, EMPLOYEE_BY_EMP_NO, EMPLOYEES, HISTORY};
use super::writer::Writer;
use crate::domain::change::{EntityKey, Kind};
use crate::domain::employee::{Employee, EmployeeId, EmployeeView, LifecycleEvent};

impl Record for Employee {
    const VERSION: u16 = 1;
}

impl Record for LifecycleEvent {
    const VERSION: u16 = 1;
}

/// The counter employee ids are drawn from.
const COUNTER: &str = "employee";

fn not_found(id: EmployeeId) -> StoreError {
    StoreError::not_found("employee", id)
}

/// The secondary key of an employee number.
fn emp_no_key(emp_no: &str) -> IndexKey {
    IndexKey::new().text(emp_no)
}

impl Store {
    /// All employees, by id.
    pub fn employees(&self) -> Result<Vec<Employee>, StoreError> {
        self.read(|txn| EMPLOYEES.all(txn))
    }

    /// Hands every employee to `visit`, in id order, decoded in place: no
    /// record is copied, which is what makes reading 100,000 of them fast.
    pub fn each_employee(&self, mut visit: impl FnMut(EmployeeView<'_>)) -> Result<(), StoreError> {
        self.employees_until(|view| {
            visit(view);
            ControlFlow::Continue(())
        })
    }

    /// Like [`each_employee`](Self::each_employee), until `visit` breaks.
    pub fn employees_until(
        &self,
        mut visit: impl FnMut(EmployeeView<'_>) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        self.read(|txn| {
            EMPLOYEES.scan(txn, KeyRange::ALL, |key, bytes| {
                let view = codec::decode_as(bytes, Employee::VERSION)
                    .map_err(|detail| EMPLOYEES.undecodable(key, detail))?;
                Ok(visit(view))
            })
        })
    }

    /// Hands employees to `visit` in the order of their numbers, decoded
    /// in place, until it breaks: a table's first screenful by number is
    /// read without reading everyone.
    pub fn each_employee_by_emp_no(
        &self,
        mut visit: impl FnMut(EmployeeView<'_>) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        self.read(|txn| {
            EMPLOYEES.scan_by(txn, EMPLOYEE_BY_EMP_NO, |key, bytes| {
                let view = codec::decode_as(bytes, Employee::VERSION)
                    .map_err(|detail| EMPLOYEES.undecodable(key, detail))?;
                Ok(visit(view))
            })
        })
    }

    /// The employee with `id`, if any.
    pub fn employee(&self, id: EmployeeId) -> Result<Option<Employee>, StoreError> {
        self.read(|txn| EMPLOYEES.get(txn, &id.0))
    }

    /// The employee with number `emp_no`, if any (one index lookup).
    pub fn employee_by_emp_no(&self, emp_no: &str) -> Result<Option<Employee>, StoreError> {
        self.read(
            |txn| match EMPLOYEES.holder(txn, EMPLOYEE_BY_EMP_NO, &emp_no_key(emp_no))? {
                Some(id) => EMPLOYEES.get(txn, &id),
                None => Ok(None),
            },
        )
    }

    /// How many employee records there are (departed ones included).
    pub fn employee_count(&self) -> Result<u64, StoreError> {
        self.read(|txn| EMPLOYEES.count(txn))
    }

    /// An employee's history, oldest first.
    pub fn history(&self, id: EmployeeId) -> Result<Vec<LifecycleEvent>, StoreError> {
        self.read(|txn| HISTORY.log(txn, id.0))
    }

    /// Every employee's history in one pass: `visit` gets each employee's
    /// events (oldest entry first), one employee at a time in id order,
    /// so only one history is held at once.
    pub fn each_history(
        &self,
        mut visit: impl FnMut(EmployeeId, Vec<LifecycleEvent>),
    ) -> Result<(), StoreError> {
        let mut current: Option<(EmployeeId, Vec<LifecycleEvent>)> = None;
        self.read(|txn| {
            HISTORY.scan(txn, KeyRange::ALL, |key, bytes| {
                let event = HISTORY.decode(key, bytes)?;
                match &mut current {
                    Some((id, events)) if *id == event.employee => events.push(event),
                    _ => {
                        if let Some((id, events)) = current.take() {
                            visit(id, events);
                        }
                        current = Some((event.employee, vec![event]));
                    }
                }
                Ok(ControlFlow::Continue(()))
            })
        })?;
        if let Some((id, events)) = current {
            visit(id, events);
        }
        Ok(())
    }
}

impl Writer<'_> {
    /// Stores a new employee under a fresh id (the `id` given is ignored)
    /// and claims its employee number. The caller validated the record.
    pub fn add_employee(&mut self, employee: &Employee) -> Result<Employee, StoreError> {
        let stored = Employee {
            id: EmployeeId(tables::next_id(self.txn, COUNTER)?),
            ..employee.clone()
        };
        self.store_employee(&stored)?;
        self.touch(EntityKey::Employee(stored.id));
        Ok(stored)
    }

    /// Reserves ids for `count` new employees; returns the first of the
    /// consecutive ids (for batches whose members refer to each other).
    pub fn reserve_employee_ids(&mut self, count: usize) -> Result<EmployeeId, StoreError> {
        Ok(EmployeeId(tables::reserve_ids(
            self.txn,
            COUNTER,
            count as u64,
        )?))
    }

    /// Stores new employees whose ids were reserved, each with its first
    /// history event (a large import is one batch).
    pub fn add_reserved_employees(
        &mut self,
        batch: &[(Employee, LifecycleEvent)],
    ) -> Result<(), StoreError> {
        self.announce(Kind::Employee);
        for (employee, event) in batch {
            self.store_employee(employee)?;
            HISTORY.put(self.txn, &tables::log_key(employee.id.0, 1), event)?;
        }
        Ok(())
    }

    /// Replaces the stored employee with `employee.id`; returns it as it was.
    pub fn update_employee(&mut self, employee: &Employee) -> Result<Employee, StoreError> {
        let before = self
            .store_employee(employee)?
            .ok_or_else(|| not_found(employee.id))?;
        self.touch(EntityKey::Employee(employee.id));
        Ok(before)
    }

    /// The id of the employee with number `emp_no`, if any.
    pub fn employee_id_for(&self, emp_no: &str) -> Result<Option<EmployeeId>, StoreError> {
        Ok(EMPLOYEES
            .holder(self.txn, EMPLOYEE_BY_EMP_NO, &emp_no_key(emp_no))?
            .map(EmployeeId))
    }

    /// An employee's history as this transaction sees it, oldest entry first.
    pub fn history(&self, id: EmployeeId) -> Result<Vec<LifecycleEvent>, StoreError> {
        HISTORY.log(self.txn, id.0)
    }

    /// Appends `event` to its employee's history; returns its sequence number.
    pub fn append_event(&mut self, event: &LifecycleEvent) -> Result<u32, StoreError> {
        self.touch(EntityKey::Employee(event.employee));
        HISTORY.append(self.txn, event.employee.0, event)
    }

    /// Stores `employee`, unless someone else holds its employee number;
    /// returns what it replaced.
    fn store_employee(&self, employee: &Employee) -> Result<Option<Employee>, StoreError> {
        EMPLOYEES
            .put(self.txn, &employee.id.0, employee)
            .map_err(|err| match err {
                StoreError::Taken { .. } => StoreError::DuplicateEmpNo {
                    emp_no: employee.emp_no.clone(),
                },
                other => other,
            })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};

    use super::*;
    use crate::domain::audit::AuditRecord;
    use crate::domain::employee::EventKind;
    use crate::domain::fixtures;

    fn person(emp_no: &str) -> Employee {
        fixtures::person(0, emp_no, 1, None)
    }

    fn event(employee: EmployeeId, kind: EventKind) -> LifecycleEvent {
        LifecycleEvent {
            employee,
            kind,
            effective: NaiveDate::from_ymd_opt(2024, 3, 5).unwrap(),
            operator: "admin".into(),
            recorded_at: Utc::now(),
            changes: Vec::new(),
        }
    }

    fn write<T>(
        store: &Store,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        store.write("admin", Utc::now(), |w| {
            let value = f(w)?;
            w.audit(AuditRecord::new("test", "employee", 0))?;
            Ok(value)
        })
    }

    #[test]
    fn views_read_in_place_show_every_field_as_stored() {
        let store = Store::in_memory("admin", Utc::now()).unwrap();
        let full = Employee {
            title: "经理".into(),
            grade: "P7".into(),
            manager: Some(EmployeeId(9)),
            phone: "13800000000".into(),
            email: "zeng@example.com".into(),
            national_id: "110101199003070011".into(),
            salary: Some(1_234_567),
            ..person("E1")
        };
        let stored = write(&store, |w| w.add_employee(&full)).unwrap();
        let mut seen = Vec::new();
        store
            .each_employee(|v| {
                seen.push(Employee {
                    id: v.id,
                    emp_no: v.emp_no.into(),
                    name: v.name.into(),
                    department: v.department,
                    title: v.title.into(),
                    grade: v.grade.into(),
                    manager: v.manager,
                    hire_date: v.hire_date,
                    status: v.status,
                    phone: v.phone.into(),
                    email: v.email.into(),
                    national_id: v.national_id.into(),
                    salary: v.salary,
                })
            })
            .unwrap();
        assert_eq!(seen, vec![stored]);
    }

    #[test]
    fn employees_get_ids_and_unique_numbers() {
        let store = Store::in_memory("admin", Utc::now()).unwrap();
        let a = write(&store, |w| w.add_employee(&person("E1"))).unwrap();
        let b = write(&store, |w| w.add_employee(&person("E2"))).unwrap();
        assert_ne!(a.id, b.id);
        let clash = write(&store, |w| w.add_employee(&person("E1")));
        assert!(matches!(clash, Err(StoreError::DuplicateEmpNo { .. })));
        let renumbered = Employee {
            emp_no: "E9".into(),
            ..b.clone()
        };
        write(&store, |w| w.update_employee(&renumbered)).unwrap();
        let reuse = write(&store, |w| w.add_employee(&person("E2")));
        assert!(reuse.is_ok(), "the old number is free again");
        assert_eq!(store.employee_count().unwrap(), 3);
        assert_eq!(store.employee(b.id).unwrap().unwrap().emp_no, "E9");
    }

    #[test]
    fn a_reserved_batch_goes_in_with_its_first_events() {
        let store = Store::in_memory("admin", Utc::now()).unwrap();
        write(&store, |w| w.add_employee(&person("E1"))).unwrap();
        let batch = write(&store, |w| {
            let first = w.reserve_employee_ids(2)?;
            let batch: Vec<(Employee, LifecycleEvent)> = ["E2", "E3"]
                .iter()
                .enumerate()
                .map(|(i, no)| {
                    let id = EmployeeId(first.0 + i as u64);
                    let employee = Employee { id, ..person(no) };
                    (employee, event(id, EventKind::Hire))
                })
                .collect();
            w.add_reserved_employees(&batch)?;
            Ok(batch)
        })
        .unwrap();
        assert_eq!(batch[0].0.id, EmployeeId(2));
        assert_eq!(store.employee(EmployeeId(3)).unwrap().unwrap().emp_no, "E3");
        assert_eq!(store.history(EmployeeId(3)).unwrap().len(), 1);
        let next = write(&store, |w| w.add_employee(&person("E4"))).unwrap();
        assert_eq!(
            next.id,
            EmployeeId(4),
            "reserved ids are not handed out again"
        );
        let clash = write(&store, |w| {
            let id = w.reserve_employee_ids(1)?;
            let employee = Employee { id, ..person("E1") };
            w.add_reserved_employees(&[(employee, event(id, EventKind::Hire))])
        });
        assert!(matches!(clash, Err(StoreError::DuplicateEmpNo { .. })));
    }

    #[test]
    fn history_is_kept_per_employee_in_order() {
        let store = Store::in_memory("admin", Utc::now()).unwrap();
        let a = write(&store, |w| w.add_employee(&person("E1"))).unwrap();
        let b = write(&store, |w| w.add_employee(&person("E2"))).unwrap();
        let seqs: Vec<u32> = [
            (a.id, EventKind::Hire),
            (b.id, EventKind::Hire),
            (a.id, EventKind::Leave),
            (a.id, EventKind::Return),
        ]
        .into_iter()
        .map(|(id, kind)| write(&store, |w| w.append_event(&event(id, kind))).unwrap())
        .collect();
        assert_eq!(seqs, vec![1, 1, 2, 3]);
        let kinds: Vec<String> = store
            .history(a.id)
            .unwrap()
            .iter()
            .map(|e| e.kind.code().to_string())
            .collect();
        assert_eq!(kinds, vec!["hire", "leave", "return"]);
        assert_eq!(store.history(b.id).unwrap().len(), 1);
    }
}
