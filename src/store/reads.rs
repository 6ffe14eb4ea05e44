//! The reads that cross-record rules consult (departments, people and
//! their secondary keys, goals), one trait over a write transaction, where
//! the rules are enforced against what the commit will see, and over the
//! store outside any transaction, where forms check as you type.

use redb::ReadableTable;

use super::Store;
use super::error::StoreError;
use super::people_index::{NAME_PHONES, NATIONAL_IDS, REPORTS};
use super::tables::{EMPLOYEES, GOALS};
use super::writer::Writer;
use crate::domain::department::Department;
use crate::domain::employee::{Employee, EmployeeId};
use crate::domain::goal::{Goal, GoalId};

/// The reads that cross-record rules consult, the same inside a
/// write transaction (a [`Writer`], where the rules are enforced) and
/// outside one (a [`Store`], where forms check as you type).
pub trait RuleReads {
    fn departments(&self) -> Result<Vec<Department>, StoreError>;
    fn employee(&self, id: EmployeeId) -> Result<Option<Employee>, StoreError>;
    fn employee_id_by_emp_no(&self, emp_no: &str) -> Result<Option<EmployeeId>, StoreError>;
    /// Who reports to `manager` (departed people included).
    fn reports_of(&self, manager: EmployeeId) -> Result<Vec<EmployeeId>, StoreError>;
    /// Who holds the national ID `national_id`.
    fn holders_of_national_id(&self, national_id: &str) -> Result<Vec<EmployeeId>, StoreError>;
    /// Who has the name `name` with the phone `phone`.
    fn holders_of_name_phone(&self, name: &str, phone: &str)
    -> Result<Vec<EmployeeId>, StoreError>;
    /// Every employee (for checks of a whole sheet or a whole department).
    fn all_employees(&self) -> Result<Vec<Employee>, StoreError>;
    fn goals(&self) -> Result<Vec<Goal>, StoreError>;
    fn goal(&self, id: GoalId) -> Result<Option<Goal>, StoreError>;
}

/// The second parts of the keys in `range` of an index whose keys end
/// with an employee id.
fn ids_in<K: redb::Key + 'static>(
    table: &impl ReadableTable<K, ()>,
    range: std::ops::RangeInclusive<K::SelfType<'_>>,
    id_of: impl Fn(K::SelfType<'_>) -> u64,
) -> Result<Vec<EmployeeId>, StoreError> {
    let mut ids = Vec::new();
    for entry in table.range(range)? {
        ids.push(EmployeeId(id_of(entry?.0.value())));
    }
    Ok(ids)
}

/// The lookups on any transaction's tables.
fn reports(
    table: &impl ReadableTable<(u64, u64), ()>,
    manager: EmployeeId,
) -> Result<Vec<EmployeeId>, StoreError> {
    ids_in(table, (manager.0, 0)..=(manager.0, u64::MAX), |k| k.1)
}

fn national(
    table: &impl ReadableTable<(&'static str, u64), ()>,
    national_id: &str,
) -> Result<Vec<EmployeeId>, StoreError> {
    ids_in(table, (national_id, 0)..=(national_id, u64::MAX), |k| k.1)
}

fn name_phone(
    table: &impl ReadableTable<(&'static str, &'static str, u64), ()>,
    name: &str,
    phone: &str,
) -> Result<Vec<EmployeeId>, StoreError> {
    ids_in(table, (name, phone, 0)..=(name, phone, u64::MAX), |k| k.2)
}

impl RuleReads for Writer<'_> {
    fn departments(&self) -> Result<Vec<Department>, StoreError> {
        self.all_departments()
    }

    fn employee(&self, id: EmployeeId) -> Result<Option<Employee>, StoreError> {
        EMPLOYEES.get(&EMPLOYEES.open_write(self.txn)?, id.0)
    }

    fn employee_id_by_emp_no(&self, emp_no: &str) -> Result<Option<EmployeeId>, StoreError> {
        self.employee_id_for(emp_no)
    }

    fn reports_of(&self, manager: EmployeeId) -> Result<Vec<EmployeeId>, StoreError> {
        reports(&self.txn.open_table(REPORTS)?, manager)
    }

    fn holders_of_national_id(&self, national_id: &str) -> Result<Vec<EmployeeId>, StoreError> {
        national(&self.txn.open_table(NATIONAL_IDS)?, national_id)
    }

    fn holders_of_name_phone(
        &self,
        name: &str,
        phone: &str,
    ) -> Result<Vec<EmployeeId>, StoreError> {
        name_phone(&self.txn.open_table(NAME_PHONES)?, name, phone)
    }

    fn all_employees(&self) -> Result<Vec<Employee>, StoreError> {
        EMPLOYEES.all(&EMPLOYEES.open_write(self.txn)?)
    }

    fn goals(&self) -> Result<Vec<Goal>, StoreError> {
        GOALS.all(&GOALS.open_write(self.txn)?)
    }

    fn goal(&self, id: GoalId) -> Result<Option<Goal>, StoreError> {
        GOALS.get(&GOALS.open_write(self.txn)?, id.0)
    }
}

impl RuleReads for Store {
    fn departments(&self) -> Result<Vec<Department>, StoreError> {
        Store::departments(self)
    }

    fn employee(&self, id: EmployeeId) -> Result<Option<Employee>, StoreError> {
        Store::employee(self, id)
    }

    fn employee_id_by_emp_no(&self, emp_no: &str) -> Result<Option<EmployeeId>, StoreError> {
        Ok(self.employee_by_emp_no(emp_no)?.map(|e| e.id))
    }

    fn reports_of(&self, manager: EmployeeId) -> Result<Vec<EmployeeId>, StoreError> {
        self.read(|txn| reports(&txn.open_table(REPORTS)?, manager))
    }

    fn holders_of_national_id(&self, national_id: &str) -> Result<Vec<EmployeeId>, StoreError> {
        self.read(|txn| national(&txn.open_table(NATIONAL_IDS)?, national_id))
    }

    fn holders_of_name_phone(
        &self,
        name: &str,
        phone: &str,
    ) -> Result<Vec<EmployeeId>, StoreError> {
        self.read(|txn| name_phone(&txn.open_table(NAME_PHONES)?, name, phone))
    }

    fn all_employees(&self) -> Result<Vec<Employee>, StoreError> {
        self.employees()
    }

    fn goals(&self) -> Result<Vec<Goal>, StoreError> {
        Store::goals(self)
    }

    fn goal(&self, id: GoalId) -> Result<Option<Goal>, StoreError> {
        Store::goal(self, id)
    }
}
