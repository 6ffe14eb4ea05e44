//! The reads that cross-record rules consult (departments, people and
//! their secondary keys, goals), one trait over a write transaction, where
//! the rules are enforced against what the commit will see, and over the
//! store outside any transaction, where forms check as you type.

use super::Store;
use super::backend::ReadTxn;
use super::error::StoreError;
use super::keys::IndexKey;
use super::tables::{
    EMPLOYEE_BY_MANAGER, EMPLOYEE_BY_NAME_PHONE, EMPLOYEE_BY_NATIONAL_ID, EMPLOYEES, GOALS,
};
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

/// The lookups on any transaction.
fn reports(txn: &dyn ReadTxn, manager: EmployeeId) -> Result<Vec<EmployeeId>, StoreError> {
    ids_by(txn, EMPLOYEE_BY_MANAGER, IndexKey::new().num(manager.0))
}

fn national(txn: &dyn ReadTxn, national_id: &str) -> Result<Vec<EmployeeId>, StoreError> {
    ids_by(
        txn,
        EMPLOYEE_BY_NATIONAL_ID,
        IndexKey::new().text(national_id),
    )
}

fn name_phone(txn: &dyn ReadTxn, name: &str, phone: &str) -> Result<Vec<EmployeeId>, StoreError> {
    ids_by(
        txn,
        EMPLOYEE_BY_NAME_PHONE,
        IndexKey::new().text(name).text(phone),
    )
}

fn ids_by(txn: &dyn ReadTxn, index: usize, key: IndexKey) -> Result<Vec<EmployeeId>, StoreError> {
    Ok(EMPLOYEES
        .keys_by(txn, index, &key)?
        .into_iter()
        .map(EmployeeId)
        .collect())
}

impl RuleReads for Writer<'_> {
    fn departments(&self) -> Result<Vec<Department>, StoreError> {
        self.all_departments()
    }

    fn employee(&self, id: EmployeeId) -> Result<Option<Employee>, StoreError> {
        EMPLOYEES.get(self.txn, &id.0)
    }

    fn employee_id_by_emp_no(&self, emp_no: &str) -> Result<Option<EmployeeId>, StoreError> {
        self.employee_id_for(emp_no)
    }

    fn reports_of(&self, manager: EmployeeId) -> Result<Vec<EmployeeId>, StoreError> {
        reports(self.txn, manager)
    }

    fn holders_of_national_id(&self, national_id: &str) -> Result<Vec<EmployeeId>, StoreError> {
        national(self.txn, national_id)
    }

    fn holders_of_name_phone(
        &self,
        name: &str,
        phone: &str,
    ) -> Result<Vec<EmployeeId>, StoreError> {
        name_phone(self.txn, name, phone)
    }

    fn all_employees(&self) -> Result<Vec<Employee>, StoreError> {
        EMPLOYEES.all(self.txn)
    }

    fn goals(&self) -> Result<Vec<Goal>, StoreError> {
        GOALS.all(self.txn)
    }

    fn goal(&self, id: GoalId) -> Result<Option<Goal>, StoreError> {
        GOALS.get(self.txn, &id.0)
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
        self.read(|txn| reports(txn, manager))
    }

    fn holders_of_national_id(&self, national_id: &str) -> Result<Vec<EmployeeId>, StoreError> {
        self.read(|txn| national(txn, national_id))
    }

    fn holders_of_name_phone(
        &self,
        name: &str,
        phone: &str,
    ) -> Result<Vec<EmployeeId>, StoreError> {
        self.read(|txn| name_phone(txn, name, phone))
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
