//! Employees on disk: records by id, the employee-number index kept in step
//! with them, and each employee's append-only history of lifecycle events.

use redb::{ReadableTable, ReadableTableMetadata};

use super::Store;
use super::codec::{self, Record};
use super::error::StoreError;
use super::people_index::PeopleIndex;
use super::tables::{self, EMP_NOS, EMPLOYEES, HISTORY};
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

impl Store {
    /// All employees, by id.
    pub fn employees(&self) -> Result<Vec<Employee>, StoreError> {
        self.read(|txn| EMPLOYEES.all(&EMPLOYEES.open_read(txn)?))
    }

    /// Hands every employee to `visit`, in id order, decoded in place: no
    /// record is copied, which is what makes reading 100,000 of them fast.
    pub fn each_employee(&self, mut visit: impl FnMut(EmployeeView<'_>)) -> Result<(), StoreError> {
        self.read(|txn| {
            for entry in EMPLOYEES.open_read(txn)?.iter()? {
                let (key, value) = entry?;
                let view =
                    codec::decode_as(value.value(), Employee::VERSION).map_err(|detail| {
                        StoreError::Decode {
                            table: "employees",
                            key: key.value().to_string(),
                            detail,
                        }
                    })?;
                visit(view);
            }
            Ok(())
        })
    }

    /// The employee with `id`, if any.
    pub fn employee(&self, id: EmployeeId) -> Result<Option<Employee>, StoreError> {
        self.read(|txn| EMPLOYEES.get(&EMPLOYEES.open_read(txn)?, id.0))
    }

    /// The employee with number `emp_no`, if any (one index lookup).
    pub fn employee_by_emp_no(&self, emp_no: &str) -> Result<Option<Employee>, StoreError> {
        self.read(|txn| {
            let index = txn.open_table(EMP_NOS)?;
            match index.get(emp_no)? {
                Some(id) => EMPLOYEES.get(&EMPLOYEES.open_read(txn)?, id.value()),
                None => Ok(None),
            }
        })
    }

    /// How many employee records there are (departed ones included).
    pub fn employee_count(&self) -> Result<u64, StoreError> {
        self.read(|txn| Ok(EMPLOYEES.open_read(txn)?.len()?))
    }

    /// An employee's history, oldest first.
    pub fn history(&self, id: EmployeeId) -> Result<Vec<LifecycleEvent>, StoreError> {
        self.read(|txn| HISTORY.log(txn, id.0))
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
        self.claim_emp_no(&stored)?;
        EMPLOYEES.put(&mut EMPLOYEES.open_write(self.txn)?, stored.id.0, &stored)?;
        PeopleIndex::open(self.txn)?.reindex(None, &stored)?;
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
    /// history event, opening every table once (a large import is one batch).
    pub fn add_reserved_employees(
        &mut self,
        batch: &[(Employee, LifecycleEvent)],
    ) -> Result<(), StoreError> {
        self.announce(Kind::Employee);
        let mut employees = EMPLOYEES.open_write(self.txn)?;
        let mut history = HISTORY.open_write(self.txn)?;
        let mut index = self.txn.open_table(EMP_NOS)?;
        let mut people = PeopleIndex::open(self.txn)?;
        for (employee, event) in batch {
            if index.get(employee.emp_no.as_str())?.is_some() {
                return Err(StoreError::DuplicateEmpNo {
                    emp_no: employee.emp_no.clone(),
                });
            }
            index.insert(employee.emp_no.as_str(), employee.id.0)?;
            EMPLOYEES.put(&mut employees, employee.id.0, employee)?;
            people.reindex(None, employee)?;
            HISTORY.put(&mut history, tables::log_key(employee.id.0, 1), event)?;
        }
        Ok(())
    }

    /// Replaces the stored employee with `employee.id`; returns it as it was.
    pub fn update_employee(&mut self, employee: &Employee) -> Result<Employee, StoreError> {
        let before = self.stored_employee(employee.id)?;
        if before.emp_no != employee.emp_no {
            self.claim_emp_no(employee)?;
            self.txn
                .open_table(EMP_NOS)?
                .remove(before.emp_no.as_str())?;
        }
        EMPLOYEES.put(
            &mut EMPLOYEES.open_write(self.txn)?,
            employee.id.0,
            employee,
        )?;
        PeopleIndex::open(self.txn)?.reindex(Some(&before), employee)?;
        self.touch(EntityKey::Employee(employee.id));
        Ok(before)
    }

    /// The id of the employee with number `emp_no`, if any.
    pub fn employee_id_for(&self, emp_no: &str) -> Result<Option<EmployeeId>, StoreError> {
        let index = self.txn.open_table(EMP_NOS)?;
        let found = index.get(emp_no)?;
        Ok(found.map(|guard| EmployeeId(guard.value())))
    }

    /// Appends `event` to its employee's history; returns its sequence number.
    pub fn append_event(&mut self, event: &LifecycleEvent) -> Result<u32, StoreError> {
        self.touch(EntityKey::Employee(event.employee));
        HISTORY.append(self.txn, event.employee.0, event)
    }

    fn stored_employee(&self, id: EmployeeId) -> Result<Employee, StoreError> {
        EMPLOYEES
            .get(&EMPLOYEES.open_write(self.txn)?, id.0)?
            .ok_or_else(|| not_found(id))
    }

    /// Points the index entry for the employee number at `employee`, unless
    /// someone else holds it.
    fn claim_emp_no(&self, employee: &Employee) -> Result<(), StoreError> {
        if let Some(holder) = self.employee_id_for(&employee.emp_no)?
            && holder != employee.id
        {
            return Err(StoreError::DuplicateEmpNo {
                emp_no: employee.emp_no.clone(),
            });
        }
        let mut index = self.txn.open_table(EMP_NOS)?;
        index.insert(employee.emp_no.as_str(), employee.id.0)?;
        Ok(())
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
