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
                AuditRecord::new("department.add", "department", dept.id).after(dept.summary()),
            )?;
            Ok(dept)
        })
        .expect("add department")
}
