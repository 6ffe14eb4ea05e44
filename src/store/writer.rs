//! The write side: every change runs in one write transaction, which is
//! committed only when the change succeeded and appended to the audit log.

use chrono::{DateTime, Utc};

use super::backend::WriteTxn;
use super::chain;
use super::error::StoreError;
use super::meta::{self, SCHEMA_VERSION};
use super::seal::SealedWrite;
use crate::domain::audit::AuditRecord;
use crate::domain::change::EntityKey;

/// Access to one open write transaction. Its methods live next to the tables
/// they change (departments, operators, audit log).
pub struct Writer<'t> {
    pub(super) txn: &'t dyn WriteTxn,
    pub(super) operator: &'t str,
    /// The fingerprint of the SSH key the operator came in with.
    pub(super) key: Option<&'t str>,
    pub(super) at: DateTime<Utc>,
    /// The audit records of this write, made entries (its operator, time
    /// and numbers) and chained when it ends: a write of a million
    /// changes keeps each record only.
    pub(super) entries: Vec<AuditRecord>,
    /// The sequence number of this write's first entry, once it has one.
    pub(super) first_seq: u64,
    /// The records this write changed, for its change (see `changes`).
    pub(super) touched: Vec<EntityKey>,
    /// The writing handle's mark (see [`crate::domain::change::Change`]).
    pub(super) origin: u64,
}

impl<'t> Writer<'t> {
    pub(crate) fn new(txn: &'t dyn WriteTxn, operator: &'t str, at: DateTime<Utc>) -> Self {
        Writer {
            txn,
            operator,
            key: None,
            at,
            entries: Vec::new(),
            first_seq: 0,
            touched: Vec::new(),
            origin: 0,
        }
    }
}

impl Writer<'_> {
    /// Who is writing.
    pub fn operator(&self) -> &str {
        self.operator
    }

    /// When the transaction happens.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }
}

/// Who writes: the operator and the SSH key they came in with.
#[derive(Clone, Copy)]
pub(crate) struct Author<'a> {
    pub(crate) operator: &'a str,
    pub(crate) key: Option<&'a str>,
}

/// Runs `f` in the write transaction `txn` as `author` at time `at`:
/// what it stores is sealed, its audit entries chained. Succeeds (and the
/// caller commits) only when the file still has this build's schema, `f`
/// succeeds and it appended at least one audit record.
pub(crate) fn transact<T, E: From<StoreError>>(
    txn: &dyn WriteTxn,
    author: Author<'_>,
    (at, origin): (DateTime<Utc>, u64),
    f: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
) -> Result<T, E> {
    // A file without a stamp is one being created: its first write stamps it.
    if let Some(found) = meta::read_version(txn)?
        && found != SCHEMA_VERSION
    {
        return Err(StoreError::SchemaMoved {
            found,
            supported: SCHEMA_VERSION,
        }
        .into());
    }
    transact_stamped(txn, author, (at, origin), f)
}

/// [`transact`] without its check of the schema: for an upgrade step,
/// which writes through the current layout before the file is stamped
/// with it.
pub(crate) fn transact_stamped<T, E: From<StoreError>>(
    txn: &dyn WriteTxn,
    author: Author<'_>,
    (at, origin): (DateTime<Utc>, u64),
    f: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let (last, prev) = chain::head(txn)?;
    let sealed = SealedWrite::new(txn, last + 1);
    let mut writer = Writer::new(&sealed, author.operator, at);
    writer.key = author.key;
    writer.origin = origin;
    let value = f(&mut writer)?;
    if writer.entries.is_empty() {
        return Err(StoreError::Unaudited.into());
    }
    writer.record_change()?;
    chain::append(txn, writer.take_entries(), prev, sealed.take_ledger())?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use crate::domain::audit::AuditRecord;
    use crate::store::StoreError;
    use crate::store::test_support::{at, new_file_store};

    #[test]
    fn a_failing_closure_commits_nothing() {
        let (_dir, _path, store) = new_file_store();
        let result: Result<(), _> = store.write("alice", at(5), |w| {
            w.add_department("Sales", None, None)?;
            w.audit(AuditRecord::new("department.add", "department", 1))?;
            Err(StoreError::Database("changed my mind".into()))
        });
        assert!(matches!(result, Err(StoreError::Database(_))));
        assert_eq!(store.departments().expect("read"), vec![]);
        assert_eq!(store.audit_count().expect("count"), 1);
    }

    #[test]
    fn an_unaudited_write_is_refused_and_commits_nothing() {
        let (_dir, _path, store) = new_file_store();
        let result = store.write("alice", at(5), |w| w.add_department("Sales", None, None));
        assert!(matches!(result, Err(StoreError::Unaudited)));
        assert_eq!(store.departments().expect("read"), vec![]);
        assert_eq!(store.audit_count().expect("count"), 1);
        // The id handed out inside the aborted transaction was rolled back with it.
        let dept = store
            .write("alice", at(6), |w| {
                let dept = w.add_department("Sales", None, None)?;
                w.audit(AuditRecord::new("department.add", "department", dept.id))?;
                Ok(dept)
            })
            .expect("write");
        assert_eq!(dept.id.0, 1);
    }
}
