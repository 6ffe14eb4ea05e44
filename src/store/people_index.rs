//! The secondary keys of employees that cross-record rules look up inside
//! a write transaction (schema 6): who reports to whom, who holds a
//! national ID, who has a name with a phone. Not unique on disk (files
//! from before may hold duplicates); the service refuses new ones.

use redb::{Table, TableDefinition, WriteTransaction};

use super::error::StoreError;
use super::tables::EMPLOYEES;
use crate::domain::employee::Employee;

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
