//! Shared helpers for the store's tests.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use tempfile::TempDir;

use super::Store;
use crate::domain::audit::AuditRecord;
use crate::domain::department::{Department, DepartmentId};

/// A fixed instant `second`s into the test epoch, with sub-second precision.
pub(crate) fn at(second: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + second, 123_456_789).expect("valid time")
}

/// A fresh directory and a database path inside it that does not exist yet.
pub(crate) fn scratch_path() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("hr.hrdesk");
    (dir, path)
}

/// A new file store created by `alice`.
pub(crate) fn new_file_store() -> (TempDir, PathBuf, Store) {
    let (dir, path) = scratch_path();
    let store = Store::create(&path, "alice", at(0)).expect("create");
    (dir, path, store)
}

/// Adds a department as `alice`, audited.
pub(crate) fn add(store: &Store, name: &str, parent: Option<DepartmentId>) -> Department {
    store
        .write("alice", at(1), |w| {
            let dept = w.add_department(name, parent, None)?;
            w.audit(
                AuditRecord::new("department.add", "department", dept.id).after(dept.summary("")),
            )?;
            Ok(dept)
        })
        .expect("add department")
}

/// A file as hrdesk schema `version` (6 or before) laid it out: the
/// marker, and each table a redb table of its own key type, which `fill`
/// writes.
pub(crate) fn old_layout_file(
    version: u32,
    fill: impl FnOnce(&redb::WriteTransaction),
) -> (TempDir, PathBuf) {
    let (dir, path) = scratch_path();
    let db = redb::Database::create(&path).expect("create");
    let txn = db.begin_write().expect("write");
    {
        let mut meta = txn
            .open_table(redb::TableDefinition::<&str, &[u8]>::new("meta"))
            .expect("meta");
        meta.insert("application", b"hrdesk".as_slice())
            .expect("marker");
        meta.insert("schema_version", version.to_le_bytes().as_slice())
            .expect("version");
    }
    fill(&txn);
    txn.commit().expect("commit");
    private(&path);
    (dir, path)
}

/// Makes the file at `path` its owner's alone, as hrdesk requires.
pub(crate) fn private(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}

/// Puts `record` under `key` in the old-layout table `table` (numeric keys).
pub(crate) fn put_old<T: super::codec::Record>(
    txn: &redb::WriteTransaction,
    table: &str,
    key: u64,
    record: &T,
) {
    let bytes = super::codec::encode(record).expect("encode");
    txn.open_table(redb::TableDefinition::<u64, &[u8]>::new(table))
        .expect("table")
        .insert(key, bytes.as_slice())
        .expect("insert");
}

/// Stamps `store`'s file with schema `version`, as another build would.
pub(crate) fn restamp(store: &Store, version: u32) {
    let stamped = store
        .backend
        .try_write(&mut |txn| super::meta::stamp(txn, version))
        .expect("stamp");
    assert!(stamped);
}

/// An active WeChat binding of `employee`'s account `external`, not stored yet.
pub(crate) fn account(employee: u64, external: &str) -> crate::domain::binding::Binding {
    use crate::domain::binding::{Binding, BindingId, BindingState, Provider};
    Binding {
        id: BindingId(0),
        employee: crate::domain::employee::EmployeeId(employee),
        provider: Provider::WeChat,
        external_id: external.into(),
        bound_at: at(1),
        last_used: None,
        method: "qr".into(),
        state: BindingState::Active,
        history: Vec::new(),
    }
}
