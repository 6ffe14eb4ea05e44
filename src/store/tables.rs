//! The table layout of an hrdesk database, declared once for every backend:
//! each table's name, key type, record type and secondary keys, and typed
//! access to them over any [`Backend`](super::backend::Backend)'s
//! transactions.

use std::marker::PhantomData;
use std::ops::{Bound, ControlFlow, RangeInclusive};

use super::backend::{Flow, IndexSpec, KeyRange, ReadTxn, StoredKeys, TableSpec, WriteTxn};
use super::codec::{self, Record};
use super::error::StoreError;
use super::keys::{IndexKey, KeyCodec};
use super::seal;
use crate::domain::audit::AuditEntry;
use crate::domain::binding::audit::AuditRun;
use crate::domain::binding::notice::UnbindNotice;
use crate::domain::binding::{Binding, BindingState};
use crate::domain::change::Change;
use crate::domain::department::{Department, name_key};
use crate::domain::employee::{Employee, LifecycleEvent};
use crate::domain::goal::{ActualEntry, Goal, WeightChange};
use crate::domain::operator::Operator;
use crate::domain::schedule::Scheduled;
use crate::domain::scoring::appeal::Appeal;
use crate::domain::scoring::outcomes::CourseCatalogue;
use crate::domain::scoring::{Appraised, Cycle, GradeOverride, Sheet};
use crate::domain::vendor::{Project, QuarterSpend, Vendor};
use crate::tr;

/// The last id handed out, per counter name. Sealed: a counter set back
/// outside hrdesk would hand out an id in use.
pub(crate) const COUNTERS: NumberTable = NumberTable::sealed("counters");
/// Each record's revision: the number of the last change that touched it,
/// by the record's key in text (`employee:12`).
pub(crate) const REVISIONS: NumberTable = NumberTable::new("revisions");

/// Departments by id; unique by (parent id or 0, case-folded name).
pub(crate) const DEPARTMENTS: Table<u64, Department, DepartmentKeys> = Table::new("departments");
pub(crate) struct DepartmentKeys;
impl SecondaryKeys<Department> for DepartmentKeys {
    const INDEXES: &'static [IndexSpec] = &[IndexSpec {
        name: "parent_name",
        unique: true,
    }];

    fn of(dept: &Department) -> Vec<Option<IndexKey>> {
        vec![Some(department_name_key(
            dept.parent.map_or(0, |p| p.0),
            &dept.name,
        ))]
    }
}
/// [`DEPARTMENTS`]' secondary key: where it is and what it is called.
pub(crate) const DEPARTMENT_BY_NAME: usize = 0;

/// The key under which a department called `name` sits under `parent` (0: top level).
pub(crate) fn department_name_key(parent: u64, name: &str) -> IndexKey {
    IndexKey::new().num(parent).text(&name_key(name))
}

/// Operators by OS user name.
pub(crate) const OPERATORS: Table<str, Operator> = Table::new("operators");
/// Audit-log entries by sequence number.
/// Not sealed: each entry is bound to the ones before it by the hash chain.
pub(crate) const AUDIT_LOG: Table<u64, AuditEntry> = Table::unsealed("audit_log");

/// Employees by id, with the secondary keys the directory's rules look up:
/// the employee number (unique), the manager, the national ID and the
/// name with the phone (not unique on disk: files from before may hold
/// duplicates; the service refuses new ones).
pub(crate) const EMPLOYEES: Table<u64, Employee, EmployeeKeys> = Table::new("employees");
pub(crate) struct EmployeeKeys;
impl SecondaryKeys<Employee> for EmployeeKeys {
    const INDEXES: &'static [IndexSpec] = &[
        IndexSpec {
            name: "emp_no",
            unique: true,
        },
        IndexSpec {
            name: "manager",
            unique: false,
        },
        IndexSpec {
            name: "national_id",
            unique: false,
        },
        IndexSpec {
            name: "name_phone",
            unique: false,
        },
    ];

    fn of(employee: &Employee) -> Vec<Option<IndexKey>> {
        let filled = |text: &str| (!text.is_empty()).then(|| IndexKey::new().text(text));
        vec![
            Some(IndexKey::new().text(&employee.emp_no)),
            employee.manager.map(|m| IndexKey::new().num(m.0)),
            filled(&employee.national_id),
            (!employee.phone.is_empty())
                .then(|| IndexKey::new().text(&employee.name).text(&employee.phone)),
        ]
    }
}
pub(crate) const EMPLOYEE_BY_EMP_NO: usize = 0;
pub(crate) const EMPLOYEE_BY_MANAGER: usize = 1;
pub(crate) const EMPLOYEE_BY_NATIONAL_ID: usize = 2;
pub(crate) const EMPLOYEE_BY_NAME_PHONE: usize = 3;

/// Lifecycle events by (employee id << 32 | sequence within that employee).
pub(crate) const HISTORY: Table<u128, LifecycleEvent> = Table::new("history");
/// Goals by id.
pub(crate) const GOALS: Table<u64, Goal> = Table::new("goals");
/// Each goal's recorded actuals, by (goal id << 32 | sequence).
pub(crate) const ACTUALS: Table<u128, ActualEntry> = Table::new("goal_actuals");
/// Each goal's weight changes, by (goal id << 32 | sequence).
pub(crate) const WEIGHTS: Table<u128, WeightChange> = Table::new("goal_weights");

/// Cycles by id.
pub(crate) const CYCLES: Table<u64, Cycle> = Table::new("cycles");
/// Each employee's ratings and indicator values in a cycle, by (cycle id
/// << 64 | employee id).
pub(crate) const SHEETS: Table<u128, Sheet> = Table::new("score_sheets");
/// Each cycle's grade overrides, by (cycle id << 32 | sequence).
pub(crate) const OVERRIDES: Table<u128, GradeOverride> = Table::new("grade_overrides");
/// Appeals by id.
pub(crate) const APPEALS: Table<u64, Appeal> = Table::new("appeals");
/// Scores frozen at a cycle's close, keyed like `SHEETS`.
pub(crate) const APPRAISED: Table<u128, Appraised> = Table::new("appraised");

/// The training course catalogue, one record under [`COURSES_KEY`].
pub(crate) const COURSES: Table<str, CourseCatalogue> = Table::new("course_catalogue");
/// The key of the one course catalogue.
pub(crate) const COURSES_KEY: &str = "courses";

/// Employees' third-party account bindings by id, with three secondary
/// keys: the provider's account (unique, and kept for unbound bindings too:
/// an account is bound once, ever), the employee, and the confirmation
/// code of a pending unbind request (unique; gone when the request ends).
pub(crate) const BINDINGS: Table<u64, Binding, BindingKeys> = Table::new("bindings");
pub(crate) struct BindingKeys;
impl SecondaryKeys<Binding> for BindingKeys {
    const INDEXES: &'static [IndexSpec] = &[
        IndexSpec {
            name: "account",
            unique: true,
        },
        IndexSpec {
            name: "employee",
            unique: false,
        },
        IndexSpec {
            name: "pending_code",
            unique: true,
        },
    ];

    fn of(binding: &Binding) -> Vec<Option<IndexKey>> {
        let pending = match &binding.state {
            BindingState::PendingUnbind { code, .. } => Some(IndexKey::new().text(code)),
            _ => None,
        };
        vec![
            Some(account_key(binding.provider.code(), &binding.external_id)),
            Some(IndexKey::new().num(binding.employee.0)),
            pending,
        ]
    }
}
pub(crate) const BINDING_BY_ACCOUNT: usize = 0;
pub(crate) const BINDING_BY_EMPLOYEE: usize = 1;
pub(crate) const BINDING_BY_PENDING_CODE: usize = 2;

/// The secondary key of a provider's account.
pub(crate) fn account_key(provider: &str, external_id: &str) -> IndexKey {
    IndexKey::new().text(provider).text(external_id)
}

/// Binding audit runs by sequence.
pub(crate) const AUDIT_RUNS: Table<u64, AuditRun> = Table::new("binding_audit_runs");
/// The notices of unbind requests' codes as sent, by the binding in the
/// high half and its history length at the request in the low (see
/// `domain::binding::notice`).
pub(crate) const UNBIND_NOTICES: Table<u128, UnbindNotice> = Table::new("unbind_notices");

/// HR-software selection projects by id.
pub(crate) const VENDOR_PROJECTS: Table<u64, Project> = Table::new("vendor_projects");
/// Vendors by id; each names its project.
pub(crate) const VENDORS: Table<u64, Vendor> = Table::new("vendors");
/// Actual spend on a project's chosen vendor, keyed like a log: the
/// project in the high half, year × 4 + quarter in the low.
pub(crate) const VENDOR_SPEND: Table<u128, QuarterSpend> = Table::new("vendor_spend");

/// Changes dated after today, by (day number << 64 | their number);
/// blocked ones under the top bit (see `scheduled`).
pub(crate) const SCHEDULED: Table<u128, Scheduled> = Table::new("scheduled");

/// The change feed: one record per commit that touched records, by its number.
/// Not sealed: notices for open consoles, not records.
pub(crate) const CHANGES: Table<u64, Change> = Table::unsealed("changes");

/// Every table, in the order a copy of the whole database writes them.
pub(crate) const ALL: [&dyn AnyTable; 24] = [
    &COUNTERS,
    &REVISIONS,
    &DEPARTMENTS,
    &OPERATORS,
    &AUDIT_LOG,
    &EMPLOYEES,
    &HISTORY,
    &GOALS,
    &ACTUALS,
    &WEIGHTS,
    &CYCLES,
    &SHEETS,
    &OVERRIDES,
    &APPEALS,
    &APPRAISED,
    &COURSES,
    &BINDINGS,
    &AUDIT_RUNS,
    &UNBIND_NOTICES,
    &VENDOR_PROJECTS,
    &VENDORS,
    &VENDOR_SPEND,
    &SCHEDULED,
    &CHANGES,
];

/// Creates every table of the current schema that does not exist yet.
pub(crate) fn create_all(txn: &dyn WriteTxn) -> Result<(), StoreError> {
    ALL.iter().try_for_each(|table| txn.create(table.spec()))
}

/// A table whatever its key and record types: what a copy of the whole
/// database (an upgrade from an older layout, a move to another backend)
/// needs to write a row read from elsewhere.
pub(crate) trait AnyTable: Sync {
    fn spec(&self) -> &TableSpec;

    /// Stores the row `key` → `value` (in this layout's encodings),
    /// deriving its secondary keys from the record.
    fn restore(&self, txn: &dyn WriteTxn, key: &[u8], value: &[u8]) -> Result<(), StoreError>;

    /// A stored key as people read it (`12`, `E000007`), its control
    /// characters shown escaped: a key written outside hrdesk is printed
    /// by `verify` and in errors, and must not reach a terminal raw.
    fn key_text(&self, key: &[u8]) -> String;

    /// The table as files from before seals keep it (schema 7 and older).
    fn unsealed_spec(&self) -> TableSpec;

    /// The secondary keys of the record `envelope` (what its index entries
    /// should be).
    fn index_keys(&self, envelope: &[u8]) -> Result<StoredKeys, String>;
}

/// The key of entry `seq` of `owner`'s log: the owner's id in the high half,
/// the sequence in the low half, so one owner's entries are one key range.
pub(crate) fn log_key(owner: u64, seq: u32) -> u128 {
    (u128::from(owner) << 32) | u128::from(seq)
}

/// Advances the counter `name` and returns its new value; values are never handed out twice.
pub(crate) fn next_id(txn: &dyn WriteTxn, name: &str) -> Result<u64, StoreError> {
    reserve_ids(txn, name, 1)
}

/// Takes `count` consecutive values from the counter `name` and returns the
/// first; none of them is ever handed out again.
pub(crate) fn reserve_ids(txn: &dyn WriteTxn, name: &str, count: u64) -> Result<u64, StoreError> {
    let last = COUNTERS.get(txn, name)?.unwrap_or(0);
    let exhausted = || StoreError::Database(tr!("store.counter_exhausted", name = name));
    let end = last.checked_add(count).ok_or_else(exhausted)?;
    COUNTERS.set(txn, name, end)?;
    last.checked_add(1).ok_or_else(exhausted)
}

fn no_stored_keys(_: &[u8]) -> Result<StoredKeys, String> {
    Ok(Vec::new())
}

/// A table of numbers by name (counters, revisions).
pub(crate) struct NumberTable {
    spec: TableSpec,
}

impl NumberTable {
    const fn new(name: &'static str) -> Self {
        NumberTable {
            spec: TableSpec {
                name,
                indexes: &[],
                keys_of: no_stored_keys,
                sealed: false,
            },
        }
    }

    /// A table of numbers whose rows are sealed (see `seal`).
    const fn sealed(name: &'static str) -> Self {
        let mut table = NumberTable::new(name);
        table.spec.sealed = true;
        table
    }

    /// The number under `name`, if any.
    pub(crate) fn get(&self, txn: &dyn ReadTxn, name: &str) -> Result<Option<u64>, StoreError> {
        let mut found = None;
        txn.get(&self.spec, name.as_bytes(), &mut |bytes| {
            found = Some(self.number(name, bytes)?);
            Ok(())
        })?;
        Ok(found)
    }

    /// Sets the number under `name`.
    pub(crate) fn set(&self, txn: &dyn WriteTxn, name: &str, value: u64) -> Result<(), StoreError> {
        txn.put(&self.spec, name.as_bytes(), &value.to_be_bytes(), &[])
            .map(drop)
    }

    fn number(&self, name: &str, bytes: &[u8]) -> Result<u64, StoreError> {
        u64::decode(bytes).ok_or_else(|| StoreError::Decode {
            table: self.spec.name,
            key: name.to_string(),
            detail: tr!("store.record.too_short", count = bytes.len()),
        })
    }
}

impl AnyTable for NumberTable {
    fn spec(&self) -> &TableSpec {
        &self.spec
    }

    fn restore(&self, txn: &dyn WriteTxn, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        let name = String::from_utf8_lossy(key);
        self.set(txn, &name, self.number(&name, value)?)
    }

    fn key_text(&self, key: &[u8]) -> String {
        String::from_utf8_lossy(key).escape_debug().to_string()
    }

    fn unsealed_spec(&self) -> TableSpec {
        NumberTable::new(self.spec.name).spec
    }

    fn index_keys(&self, _: &[u8]) -> Result<StoredKeys, String> {
        Ok(Vec::new())
    }
}

/// The secondary keys of a table of `V` records: their declaration, and
/// how a record gives them.
pub(crate) trait SecondaryKeys<V> {
    const INDEXES: &'static [IndexSpec];

    /// The record's key for each index (`None` where it has none).
    fn of(record: &V) -> Vec<Option<IndexKey>>;
}

/// A table without secondary keys.
pub(crate) struct NoKeys;

impl<V> SecondaryKeys<V> for NoKeys {
    const INDEXES: &'static [IndexSpec] = &[];

    fn of(_: &V) -> Vec<Option<IndexKey>> {
        Vec::new()
    }
}

/// The secondary keys of a stored `V` record (sealed or not).
fn stored_keys<V: Record, S: SecondaryKeys<V>, const SEALED: bool>(
    bytes: &[u8],
) -> Result<StoredKeys, String> {
    let record: V = codec::decode(seal::envelope(SEALED, bytes))?;
    Ok(S::of(&record)
        .into_iter()
        .map(|key| key.map(|key| key.as_bytes().to_vec()))
        .collect())
}

/// A table of enveloped records of type `V` under keys of type `K`, with
/// the secondary keys `S` declares.
pub(crate) struct Table<K: ?Sized, V, S = NoKeys> {
    spec: TableSpec,
    types: PhantomData<Types<K, V, S>>,
}

/// What a [`Table`] is made of, as a type (it holds none of them).
type Types<K, V, S> = fn(&K) -> (V, S);

impl<K: ?Sized + KeyCodec, V: Record, S: SecondaryKeys<V>> Table<K, V, S> {
    /// A table whose rows are sealed (see `seal`).
    const fn new(name: &'static str) -> Self {
        Table {
            spec: TableSpec {
                name,
                indexes: S::INDEXES,
                keys_of: stored_keys::<V, S, true>,
                sealed: true,
            },
            types: PhantomData,
        }
    }

    /// A table whose rows carry no seal.
    const fn unsealed(name: &'static str) -> Self {
        Table {
            spec: TableSpec {
                name,
                indexes: S::INDEXES,
                keys_of: stored_keys::<V, S, false>,
                sealed: false,
            },
            types: PhantomData,
        }
    }

    /// The record under `key`, if any.
    pub(crate) fn get(&self, txn: &dyn ReadTxn, key: &K) -> Result<Option<V>, StoreError> {
        let mut found = None;
        txn.get(&self.spec, &key.to_bytes(), &mut |bytes| {
            found = Some(self.decode(&key.to_bytes(), bytes)?);
            Ok(())
        })?;
        Ok(found)
    }

    /// Visits the rows whose keys lie in `range` (raw keys and borrowed
    /// record bytes, for views read without copying), until `visit` breaks.
    pub(crate) fn scan(
        &self,
        txn: &dyn ReadTxn,
        range: KeyRange<'_>,
        mut visit: impl FnMut(&[u8], &[u8]) -> Result<Flow, StoreError>,
    ) -> Result<(), StoreError> {
        txn.scan(&self.spec, range, &mut visit)
    }

    /// Visits the rows in the order of their secondary key number `index`
    /// (raw keys and borrowed record bytes), until `visit` breaks: the
    /// first rows by that key without reading the others.
    pub(crate) fn scan_by(
        &self,
        txn: &dyn ReadTxn,
        index: usize,
        mut visit: impl FnMut(&[u8], &[u8]) -> Result<Flow, StoreError>,
    ) -> Result<(), StoreError> {
        txn.scan_index(&self.spec, index, &[], &mut |key| {
            let mut flow = ControlFlow::Continue(());
            txn.get(&self.spec, key, &mut |bytes| {
                flow = visit(key, bytes)?;
                Ok(())
            })?;
            Ok(flow)
        })
    }

    /// The records whose keys lie in `range`, in its order, at most `limit`.
    pub(crate) fn collect(
        &self,
        txn: &dyn ReadTxn,
        range: KeyRange<'_>,
        limit: usize,
    ) -> Result<Vec<V>, StoreError> {
        let mut records = Vec::new();
        if limit == 0 {
            return Ok(records);
        }
        self.scan(txn, range, |key, bytes| {
            records.push(self.decode(key, bytes)?);
            Ok(if records.len() < limit {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            })
        })?;
        Ok(records)
    }

    /// Every record, in key order (room for them all taken at once: a
    /// list grown by doubling may hold twice the room it needs).
    pub(crate) fn all(&self, txn: &dyn ReadTxn) -> Result<Vec<V>, StoreError> {
        let count = usize::try_from(self.count(txn)?).unwrap_or(0);
        let mut records = Vec::with_capacity(count);
        self.each(txn, |record| {
            records.push(record);
            ControlFlow::Continue(())
        })?;
        Ok(records)
    }

    /// Hands `visit` every record whole, in key order, until it breaks.
    pub(crate) fn each(
        &self,
        txn: &dyn ReadTxn,
        mut visit: impl FnMut(V) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        self.scan(txn, KeyRange::ALL, |key, bytes| {
            Ok(visit(self.decode(key, bytes)?))
        })
    }

    /// The records with keys from `first` up to (not including) `end`, in key order.
    pub(crate) fn range(
        &self,
        txn: &dyn ReadTxn,
        first: &K,
        end: &K,
    ) -> Result<Vec<V>, StoreError> {
        let (first, end) = (first.to_bytes(), end.to_bytes());
        self.collect(txn, between(&first, &end, false), usize::MAX)
    }

    /// The record with the highest key, with that key.
    pub(crate) fn last(&self, txn: &dyn ReadTxn) -> Result<Option<(K::Owned, V)>, StoreError> {
        let mut found = None;
        let range = KeyRange {
            reverse: true,
            ..KeyRange::ALL
        };
        self.scan(txn, range, |key, bytes| {
            found = Some((self.key(key)?, self.decode(key, bytes)?));
            Ok(ControlFlow::Break(()))
        })?;
        Ok(found)
    }

    /// How many records there are.
    pub(crate) fn count(&self, txn: &dyn ReadTxn) -> Result<u64, StoreError> {
        txn.count(&self.spec)
    }

    /// The keys of the records whose secondary key `index` starts with `prefix`.
    pub(crate) fn keys_by(
        &self,
        txn: &dyn ReadTxn,
        index: usize,
        prefix: &IndexKey,
    ) -> Result<Vec<K::Owned>, StoreError> {
        let mut keys = Vec::new();
        txn.scan_index(&self.spec, index, prefix.as_bytes(), &mut |key| {
            keys.push(self.key(key)?);
            Ok(ControlFlow::Continue(()))
        })?;
        Ok(keys)
    }

    /// The key of the record holding the unique secondary key `key` of `index`.
    pub(crate) fn holder(
        &self,
        txn: &dyn ReadTxn,
        index: usize,
        key: &IndexKey,
    ) -> Result<Option<K::Owned>, StoreError> {
        let mut found = None;
        txn.scan_index(&self.spec, index, key.as_bytes(), &mut |key| {
            found = Some(self.key(key)?);
            Ok(ControlFlow::Break(()))
        })?;
        Ok(found)
    }

    /// Stores `value` under `key`; returns the record it replaced. A unique
    /// secondary key held by another record refuses it with [`StoreError::Taken`].
    pub(crate) fn put(
        &self,
        txn: &dyn WriteTxn,
        key: &K,
        value: &V,
    ) -> Result<Option<V>, StoreError> {
        let bytes = codec::encode(value).map_err(|detail| StoreError::Encode {
            table: self.spec.name,
            detail,
        })?;
        let key = key.to_bytes();
        self.put_encoded(txn, &key, &bytes, value)?
            .map(|previous| self.decode(&key, &previous))
            .transpose()
    }

    fn put_encoded(
        &self,
        txn: &dyn WriteTxn,
        key: &[u8],
        bytes: &[u8],
        value: &V,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let index_keys = S::of(value);
        let index_keys: Vec<Option<&[u8]>> = index_keys
            .iter()
            .map(|k| k.as_ref().map(IndexKey::as_bytes))
            .collect();
        txn.put(&self.spec, key, bytes, &index_keys)
    }

    /// Removes and returns the record under `key`.
    pub(crate) fn take(&self, txn: &dyn WriteTxn, key: &K) -> Result<Option<V>, StoreError> {
        let key = key.to_bytes();
        txn.remove(&self.spec, &key)?
            .map(|bytes| self.decode(&key, &bytes))
            .transpose()
    }

    /// Removes the records with keys from `first` up to (not including) `end`.
    pub(crate) fn clear(&self, txn: &dyn WriteTxn, first: &K, end: &K) -> Result<(), StoreError> {
        let (first, end) = (first.to_bytes(), end.to_bytes());
        let mut keys = Vec::new();
        txn.scan(&self.spec, between(&first, &end, false), &mut |key, _| {
            keys.push(key.to_vec());
            Ok(ControlFlow::Continue(()))
        })?;
        keys.iter()
            .try_for_each(|key| txn.remove(&self.spec, key).map(drop))
    }

    /// Reads a stored record.
    pub(crate) fn decode(&self, key: &[u8], bytes: &[u8]) -> Result<V, StoreError> {
        codec::decode(bytes).map_err(|detail| self.undecodable(key, detail))
    }

    /// The error for the record under `key` that cannot be read.
    pub(crate) fn undecodable(&self, key: &[u8], detail: String) -> StoreError {
        StoreError::Decode {
            table: self.spec.name,
            key: self.key_text(key),
            detail,
        }
    }

    fn key(&self, bytes: &[u8]) -> Result<K::Owned, StoreError> {
        K::decode(bytes).ok_or_else(|| StoreError::Decode {
            table: self.spec.name,
            key: format!("{bytes:02x?}"),
            detail: tr!("store.record.bad_key"),
        })
    }
}

impl<K: ?Sized + KeyCodec, V: Record, S: SecondaryKeys<V>> AnyTable for Table<K, V, S> {
    fn spec(&self) -> &TableSpec {
        &self.spec
    }

    fn restore(&self, txn: &dyn WriteTxn, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        if self.spec.indexes.is_empty() {
            // Nothing to derive: the bytes go as they are (an older
            // layout of the record included, for a later step to convert).
            return txn.put(&self.spec, key, value, &[]).map(drop);
        }
        let record = self.decode(key, value)?;
        self.put_encoded(txn, key, value, &record).map(drop)
    }

    fn key_text(&self, key: &[u8]) -> String {
        K::decode(key).map_or_else(
            || format!("{key:02x?}"),
            |k| k.to_string().escape_debug().to_string(),
        )
    }

    fn unsealed_spec(&self) -> TableSpec {
        Self::unsealed(self.spec.name).spec
    }

    fn index_keys(&self, envelope: &[u8]) -> Result<StoredKeys, String> {
        stored_keys::<V, S, false>(envelope)
    }
}

/// The keys from `first` up to `end` (not included).
fn between<'k>(first: &'k [u8], end: &'k [u8], reverse: bool) -> KeyRange<'k> {
    KeyRange {
        start: Bound::Included(first),
        end: Bound::Excluded(end),
        reverse,
    }
}

/// Records keyed by number (employees, goals, bindings…), read a range of
/// numbers at a time: a share of a scan for one core.
impl<V: Record, S: SecondaryKeys<V>> Table<u64, V, S> {
    /// Visits the rows whose numbers lie in `ids`, lowest first, until
    /// `visit` breaks.
    pub(crate) fn scan_ids(
        &self,
        txn: &dyn ReadTxn,
        ids: &RangeInclusive<u64>,
        visit: impl FnMut(&[u8], &[u8]) -> Result<Flow, StoreError>,
    ) -> Result<(), StoreError> {
        let (first, last) = (ids.start().to_bytes(), ids.end().to_bytes());
        let range = KeyRange {
            start: Bound::Included(&first),
            end: Bound::Included(&last),
            reverse: false,
        };
        self.scan(txn, range, visit)
    }

    /// The lowest and the highest number in use, none when the table is empty.
    pub(crate) fn id_bounds(
        &self,
        txn: &dyn ReadTxn,
    ) -> Result<Option<RangeInclusive<u64>>, StoreError> {
        let end = |reverse| {
            let mut id = None;
            self.scan(
                txn,
                KeyRange {
                    reverse,
                    ..KeyRange::ALL
                },
                |key, _| {
                    id = u64::decode(key);
                    Ok(ControlFlow::Break(()))
                },
            )?;
            Ok::<_, StoreError>(id)
        };
        Ok(end(false)?
            .zip(end(true)?)
            .map(|(first, last)| first..=last))
    }
}

/// Per-owner append-only logs (employee history, goal actuals, weights).
impl<V: Record> Table<u128, V> {
    /// Appends `value` to `owner`'s log; returns its sequence number (from 1).
    pub(crate) fn append(
        &self,
        txn: &dyn WriteTxn,
        owner: u64,
        value: &V,
    ) -> Result<u32, StoreError> {
        let (first, end) = (
            log_key(owner, 0).to_bytes(),
            log_key(owner + 1, 0).to_bytes(),
        );
        let mut last = None;
        txn.scan(&self.spec, between(&first, &end, true), &mut |key, _| {
            last = u128::decode(key);
            Ok(ControlFlow::Break(()))
        })?;
        let seq = last.map_or(1, |key| (key & u128::from(u32::MAX)) as u32 + 1);
        self.put(txn, &log_key(owner, seq), value)?;
        Ok(seq)
    }

    /// `owner`'s log, oldest first.
    pub(crate) fn log(&self, txn: &dyn ReadTxn, owner: u64) -> Result<Vec<V>, StoreError> {
        self.range(txn, &log_key(owner, 0), &log_key(owner + 1, 0))
    }
}
