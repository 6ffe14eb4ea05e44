//! The table layout of an hrdesk database and typed access to record tables.

use std::borrow::Borrow;
use std::fmt::Display;
use std::marker::PhantomData;

use redb::{
    Key, ReadOnlyTable, ReadTransaction, ReadableTable, Table, TableDefinition, WriteTransaction,
};

use super::codec::{self, Record};
use super::error::StoreError;
use crate::domain::audit::AuditEntry;
use crate::domain::binding::Binding;
use crate::domain::binding::audit::AuditRun;
use crate::domain::change::Change;
use crate::domain::department::Department;
use crate::domain::employee::{Employee, LifecycleEvent};
use crate::domain::goal::{ActualEntry, Goal, WeightChange};
use crate::domain::operator::Operator;
use crate::domain::scoring::appeal::Appeal;
use crate::domain::scoring::outcomes::CourseCatalogue;
use crate::domain::scoring::{Appraised, Cycle, GradeOverride, Sheet};
use crate::domain::vendor::{Project, QuarterSpend, Vendor};
use crate::tr;

/// Application marker and schema version, as raw bytes so every version can read them.
pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// The last id handed out, per counter name.
pub(crate) const COUNTERS: TableDefinition<&str, u64> = TableDefinition::new("counters");
/// Department name index: (parent id or 0, case-folded name) → department id.
pub(crate) const DEPARTMENT_NAMES: TableDefinition<(u64, &str), u64> =
    TableDefinition::new("department_names");
/// Departments by id.
pub(crate) const DEPARTMENTS: RecordTable<u64, Department> = RecordTable::new("departments");
/// Operators by OS user name.
pub(crate) const OPERATORS: RecordTable<&str, Operator> = RecordTable::new("operators");
/// Audit-log entries by sequence number.
pub(crate) const AUDIT_LOG: RecordTable<u64, AuditEntry> = RecordTable::new("audit_log");
/// Employees by id.
pub(crate) const EMPLOYEES: RecordTable<u64, Employee> = RecordTable::new("employees");
/// Employee number index: emp_no → employee id.
pub(crate) const EMP_NOS: TableDefinition<&str, u64> = TableDefinition::new("emp_nos");
/// Lifecycle events by (employee id << 32 | sequence within that employee).
pub(crate) const HISTORY: RecordTable<u128, LifecycleEvent> = RecordTable::new("history");
/// Goals by id (schema 2).
pub(crate) const GOALS: RecordTable<u64, Goal> = RecordTable::new("goals");
/// Each goal's recorded actuals, by (goal id << 32 | sequence).
pub(crate) const ACTUALS: RecordTable<u128, ActualEntry> = RecordTable::new("goal_actuals");
/// Each goal's weight changes, by (goal id << 32 | sequence).
pub(crate) const WEIGHTS: RecordTable<u128, WeightChange> = RecordTable::new("goal_weights");

/// Cycles by id (schema 3).
pub(crate) const CYCLES: RecordTable<u64, Cycle> = RecordTable::new("cycles");
/// Each employee's ratings and indicator values in a cycle, by (cycle id
/// << 64 | employee id).
pub(crate) const SHEETS: RecordTable<u128, Sheet> = RecordTable::new("score_sheets");
/// Each cycle's grade overrides, by (cycle id << 32 | sequence).
pub(crate) const OVERRIDES: RecordTable<u128, GradeOverride> = RecordTable::new("grade_overrides");
/// Appeals by id.
pub(crate) const APPEALS: RecordTable<u64, Appeal> = RecordTable::new("appeals");
/// Scores frozen at a cycle's close, keyed like `SHEETS`.
pub(crate) const APPRAISED: RecordTable<u128, Appraised> = RecordTable::new("appraised");

/// The training course catalogue, one record under [`COURSES_KEY`].
pub(crate) const COURSES: RecordTable<&str, CourseCatalogue> = RecordTable::new("course_catalogue");
/// The key of the one course catalogue.
pub(crate) const COURSES_KEY: &str = "courses";

/// Employees' third-party account bindings by id (schema 3).
pub(crate) const BINDINGS: RecordTable<u64, Binding> = RecordTable::new("bindings");
/// External account index: (provider code, external id) → binding id,
/// kept for unbound bindings too: an id is bound once, ever.
pub(crate) const EXTERNAL_IDS: TableDefinition<(&str, &str), u64> =
    TableDefinition::new("binding_external_ids");
/// Each employee's bindings: (employee id, binding id), schema 4.
pub(crate) const BINDINGS_BY_EMPLOYEE: TableDefinition<(u64, u64), ()> =
    TableDefinition::new("bindings_by_employee");
/// Pending unbind requests by confirmation code → binding id, schema 4;
/// a code leaves when its request ends.
pub(crate) const PENDING_CODES: TableDefinition<&str, u64> =
    TableDefinition::new("binding_pending_codes");
/// Binding audit runs by sequence.
pub(crate) const AUDIT_RUNS: RecordTable<u64, AuditRun> = RecordTable::new("binding_audit_runs");

/// HR-software selection projects by id (schema 5).
pub(crate) const VENDOR_PROJECTS: RecordTable<u64, Project> = RecordTable::new("vendor_projects");
/// Vendors by id; each names its project (schema 5).
pub(crate) const VENDORS: RecordTable<u64, Vendor> = RecordTable::new("vendors");
/// Actual spend on a project's chosen vendor, keyed like a log: the
/// project in the high half, year × 4 + quarter in the low (schema 5).
pub(crate) const VENDOR_SPEND: RecordTable<u128, QuarterSpend> = RecordTable::new("vendor_spend");

/// The change feed: one record per commit that touched records, by its
/// number (schema 6).
pub(crate) const CHANGES: RecordTable<u64, Change> = RecordTable::new("changes");
/// Each record's revision: the number of the last change that touched it,
/// by the record's key in text (`employee:12`; schema 6).
pub(crate) const REVISIONS: TableDefinition<&str, u64> = TableDefinition::new("revisions");

/// Creates every table of the current schema that does not exist yet.
pub(crate) fn create_all(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(META)?;
    txn.open_table(COUNTERS)?;
    txn.open_table(DEPARTMENT_NAMES)?;
    DEPARTMENTS.open_write(txn)?;
    OPERATORS.open_write(txn)?;
    AUDIT_LOG.open_write(txn)?;
    EMPLOYEES.open_write(txn)?;
    txn.open_table(EMP_NOS)?;
    HISTORY.open_write(txn)?;
    GOALS.open_write(txn)?;
    ACTUALS.open_write(txn)?;
    WEIGHTS.open_write(txn)?;
    CYCLES.open_write(txn)?;
    SHEETS.open_write(txn)?;
    OVERRIDES.open_write(txn)?;
    APPEALS.open_write(txn)?;
    APPRAISED.open_write(txn)?;
    COURSES.open_write(txn)?;
    BINDINGS.open_write(txn)?;
    txn.open_table(EXTERNAL_IDS)?;
    txn.open_table(BINDINGS_BY_EMPLOYEE)?;
    txn.open_table(PENDING_CODES)?;
    AUDIT_RUNS.open_write(txn)?;
    VENDOR_PROJECTS.open_write(txn)?;
    VENDORS.open_write(txn)?;
    VENDOR_SPEND.open_write(txn)?;
    CHANGES.open_write(txn)?;
    txn.open_table(REVISIONS)?;
    super::people_index::create(txn)?;
    Ok(())
}

/// The key of entry `seq` of `owner`'s log: the owner's id in the high half,
/// the sequence in the low half, so one owner's entries are one key range.
pub(crate) fn log_key(owner: u64, seq: u32) -> u128 {
    (u128::from(owner) << 32) | u128::from(seq)
}

/// All keys of `owner`'s log.
fn log_range(owner: u64) -> std::ops::Range<u128> {
    log_key(owner, 0)..log_key(owner + 1, 0)
}

/// Advances the counter `name` and returns its new value; values are never handed out twice.
pub(crate) fn next_id(txn: &WriteTransaction, name: &str) -> Result<u64, StoreError> {
    reserve_ids(txn, name, 1)
}

/// Takes `count` consecutive values from the counter `name` and returns the
/// first; none of them is ever handed out again.
pub(crate) fn reserve_ids(
    txn: &WriteTransaction,
    name: &str,
    count: u64,
) -> Result<u64, StoreError> {
    let mut counters = txn.open_table(COUNTERS)?;
    let last = counters.get(name)?.map_or(0, |guard| guard.value());
    let exhausted = || StoreError::Database(tr!("store.counter_exhausted", name = name));
    let end = last.checked_add(count).ok_or_else(exhausted)?;
    counters.insert(name, end)?;
    last.checked_add(1).ok_or_else(exhausted)
}

/// A table of enveloped records of type `T` under keys of type `K`.
pub(crate) struct RecordTable<K: Key + 'static, T> {
    name: &'static str,
    types: PhantomData<fn() -> (K, T)>,
}

impl<K: Key + 'static, T: Record> RecordTable<K, T> {
    const fn new(name: &'static str) -> Self {
        RecordTable {
            name,
            types: PhantomData,
        }
    }

    fn definition(&self) -> TableDefinition<'static, K, &'static [u8]> {
        TableDefinition::new(self.name)
    }

    /// Opens the table for reading.
    pub(crate) fn open_read(
        &self,
        txn: &ReadTransaction,
    ) -> Result<ReadOnlyTable<K, &'static [u8]>, StoreError> {
        Ok(txn.open_table(self.definition())?)
    }

    /// Opens (creating if needed) the table for writing.
    pub(crate) fn open_write<'t>(
        &self,
        txn: &'t WriteTransaction,
    ) -> Result<Table<'t, K, &'static [u8]>, StoreError> {
        Ok(txn.open_table(self.definition())?)
    }

    /// The record under `key`, if any.
    pub(crate) fn get<'k>(
        &self,
        table: &impl ReadableTable<K, &'static [u8]>,
        key: impl Borrow<K::SelfType<'k>> + Display,
    ) -> Result<Option<T>, StoreError> {
        let found = table.get(key.borrow())?;
        found
            .map(|guard| self.decode(&key, guard.value()))
            .transpose()
    }

    /// Stores `value` under `key`; returns the record it replaced.
    pub(crate) fn put<'k>(
        &self,
        table: &mut Table<'_, K, &'static [u8]>,
        key: impl Borrow<K::SelfType<'k>> + Display,
        value: &T,
    ) -> Result<Option<T>, StoreError> {
        let bytes = codec::encode(value).map_err(|detail| StoreError::Encode {
            table: self.name,
            detail,
        })?;
        let previous = table.insert(key.borrow(), bytes.as_slice())?;
        previous
            .map(|guard| self.decode(&key, guard.value()))
            .transpose()
    }

    /// Removes and returns the record under `key`.
    pub(crate) fn take<'k>(
        &self,
        table: &mut Table<'_, K, &'static [u8]>,
        key: impl Borrow<K::SelfType<'k>> + Display,
    ) -> Result<Option<T>, StoreError> {
        let removed = table.remove(key.borrow())?;
        removed
            .map(|guard| self.decode(&key, guard.value()))
            .transpose()
    }

    /// The records whose keys lie in `keys`, in key order.
    pub(crate) fn range(
        &self,
        table: &impl ReadableTable<K, &'static [u8]>,
        keys: std::ops::Range<K::SelfType<'_>>,
    ) -> Result<Vec<T>, StoreError>
    where
        for<'a> K::SelfType<'a>: Display,
    {
        let mut records = Vec::new();
        for entry in table.range(keys)? {
            let (key, value) = entry?;
            records.push(self.decode(&key.value(), value.value())?);
        }
        Ok(records)
    }

    /// Every record, in key order.
    pub(crate) fn all(
        &self,
        table: &impl ReadableTable<K, &'static [u8]>,
    ) -> Result<Vec<T>, StoreError>
    where
        for<'a> K::SelfType<'a>: Display,
    {
        let mut records = Vec::with_capacity(usize::try_from(table.len()?).unwrap_or(0));
        for entry in table.iter()? {
            let (key, value) = entry?;
            records.push(self.decode(&key.value(), value.value())?);
        }
        Ok(records)
    }

    pub(crate) fn decode(&self, key: &dyn Display, bytes: &[u8]) -> Result<T, StoreError> {
        codec::decode(bytes).map_err(|detail| StoreError::Decode {
            table: self.name,
            key: key.to_string(),
            detail,
        })
    }
}

/// Per-owner append-only logs (employee history, goal actuals, weights).
impl<T: Record> RecordTable<u128, T> {
    /// Appends `value` to `owner`'s log; returns its sequence number (from 1).
    pub(crate) fn append(
        &self,
        txn: &WriteTransaction,
        owner: u64,
        value: &T,
    ) -> Result<u32, StoreError> {
        let mut table = self.open_write(txn)?;
        let last = table
            .range(log_range(owner))?
            .next_back()
            .transpose()?
            .map(|(key, _)| key.value());
        let seq = last.map_or(1, |key| (key & u128::from(u32::MAX)) as u32 + 1);
        self.put(&mut table, log_key(owner, seq), value)?;
        Ok(seq)
    }

    /// `owner`'s log, oldest first.
    pub(crate) fn log(&self, txn: &ReadTransaction, owner: u64) -> Result<Vec<T>, StoreError> {
        self.log_of(&self.open_read(txn)?, owner)
    }

    /// `owner`'s log as a write transaction sees it.
    pub(crate) fn log_in(&self, txn: &WriteTransaction, owner: u64) -> Result<Vec<T>, StoreError> {
        self.log_of(&self.open_write(txn)?, owner)
    }

    fn log_of(
        &self,
        table: &impl ReadableTable<u128, &'static [u8]>,
        owner: u64,
    ) -> Result<Vec<T>, StoreError> {
        let mut entries = Vec::new();
        for entry in table.range(log_range(owner))? {
            let (key, value) = entry?;
            entries.push(self.decode(&key.value(), value.value())?);
        }
        Ok(entries)
    }
}
