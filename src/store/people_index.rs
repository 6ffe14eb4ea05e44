//! The secondary keys of employees that cross-record rules look up inside
//! a write transaction (schema 6): who reports to whom, who holds a
//! national ID, who has a name with a phone. Not unique on disk (files
//! from before may hold duplicates); the service refuses new ones.

use redb::{ReadableTable, Table, TableDefinition, WriteTransaction};

use super::Store;
use super::error::StoreError;
use super::tables::EMPLOYEES;
use super::writer::Writer;
use crate::domain::department::Department;
use crate::domain::employee::{Employee, EmployeeId};

/// (manager id, employee id): each employee under their manager.
pub(crate) const REPORTS: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("employees_by_manager");
/// (national ID, employee id).
pub(crate) const NATIONAL_IDS: TableDefinition<(&str, u64), ()> =
    TableDefinition::new("employees_by_national_id");
/// (name, phone, employee id).
pub(crate) const NAME_PHONES: TableDefinition<(&str, &str, u64), ()> =
    TableDefinition::new("employees_by_name_phone");

/// Creates the three tables.
pub(crate) fn create(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(REPORTS)?;
    txn.open_table(NATIONAL_IDS)?;
    txn.open_table(NAME_PHONES)?;
    Ok(())
}

/// The three index tables, open for writing (open them once per batch).
pub(crate) struct PeopleIndex<'t> {
    reports: Table<'t, (u64, u64), ()>,
    national: Table<'t, (&'static str, u64), ()>,
    name_phones: Table<'t, (&'static str, &'static str, u64), ()>,
}

impl<'t> PeopleIndex<'t> {
    pub(crate) fn open(txn: &'t WriteTransaction) -> Result<Self, StoreError> {
        Ok(PeopleIndex {
            reports: txn.open_table(REPORTS)?,
            national: txn.open_table(NATIONAL_IDS)?,
            name_phones: txn.open_table(NAME_PHONES)?,
        })
    }

    /// Moves `after`'s entries from where `before` (none: a new record) had them.
    pub(crate) fn reindex(
        &mut self,
        before: Option<&Employee>,
        after: &Employee,
    ) -> Result<(), StoreError> {
        if let Some(old) = before {
            if let Some(manager) = old.manager {
                self.reports.remove((manager.0, old.id.0))?;
            }
            if !old.national_id.is_empty() {
                self.national.remove((old.national_id.as_str(), old.id.0))?;
            }
            if !old.phone.is_empty() {
                self.name_phones
                    .remove((old.name.as_str(), old.phone.as_str(), old.id.0))?;
            }
        }
        let id = after.id.0;
        if let Some(manager) = after.manager {
            self.reports.insert((manager.0, id), ())?;
        }
        if !after.national_id.is_empty() {
            self.national.insert((after.national_id.as_str(), id), ())?;
        }
        if !after.phone.is_empty() {
            self.name_phones
                .insert((after.name.as_str(), after.phone.as_str(), id), ())?;
        }
        Ok(())
    }
}

/// The upgrade to schema 6: the three indexes built from the employees.
pub(crate) fn build(txn: &WriteTransaction) -> Result<(), StoreError> {
    let employees = EMPLOYEES.all(&EMPLOYEES.open_write(txn)?)?;
    let mut index = PeopleIndex::open(txn)?;
    for employee in &employees {
        index.reindex(None, employee)?;
    }
    Ok(())
}

/// The reads of people that cross-record rules consult, the same inside a
/// write transaction (a [`Writer`], where the rules are enforced) and
/// outside one (a [`Store`], where forms check as you type).
pub trait PeopleReads {
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

impl PeopleReads for Writer<'_> {
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
}

impl PeopleReads for Store {
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
}

impl Writer<'_> {
    /// Every employee as this transaction sees them (for checks of a
    /// whole sheet against the whole company).
    pub fn all_employees(&self) -> Result<Vec<Employee>, StoreError> {
        EMPLOYEES.all(&EMPLOYEES.open_write(self.txn)?)
    }
}
