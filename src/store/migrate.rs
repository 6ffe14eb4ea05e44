//! Schema upgrades: a database stamped with an older version is brought up to
//! [`SCHEMA_VERSION`] by running every step in order inside ONE write
//! transaction, so a failing step leaves the file exactly as it was.

use std::path::Path;

use redb::{Database, ReadableDatabase, WriteTransaction};

use super::error::StoreError;
use super::meta::{self, SCHEMA_VERSION};
use super::tables;

/// One upgrade step, from schema version `from` to `from + 1`.
#[derive(Clone, Copy)]
pub(crate) struct Migration {
    /// The version this step upgrades from.
    pub(crate) from: u32,
    /// Rewrites the data; must not commit.
    pub(crate) apply: fn(&WriteTransaction) -> Result<(), StoreError>,
}

/// The production steps.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        from: 1,
        apply: adds_tables_only,
    },
    Migration {
        from: 2,
        apply: adds_tables_only,
    },
    Migration {
        from: 3,
        apply: super::bindings::index_bindings,
    },
    Migration {
        from: 4,
        apply: adds_tables_only,
    },
    Migration {
        from: 5,
        apply: super::people_index::build,
    },
];

/// A step whose new schema only adds tables (version 2: goals, their
/// actuals and weight changes; version 3: appraisal cycles, their sheets,
/// overrides, appeals and frozen scores; version 5: vendor selection
/// projects, vendors and spend), which [`tables::create_all`] creates.
/// Version 6 adds the change feed and revisions, which start empty (every
/// record is at revision 0 until it next changes), and the employees'
/// secondary keys, built from the employees (see `people_index`).
fn adds_tables_only(_: &WriteTransaction) -> Result<(), StoreError> {
    Ok(())
}

/// Checks the marker and version of the database at `path`, upgrading it with
/// `steps` when it is older than this build.
pub(crate) fn bring_up_to_date(
    db: &Database,
    path: &Path,
    steps: &[Migration],
) -> Result<(), StoreError> {
    let found = meta::read_version(&db.begin_read()?)?.ok_or_else(|| StoreError::NotHrdesk {
        path: path.to_path_buf(),
    })?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    // An upgrade rewrites what other processes are reading: only alone.
    let sessions = super::registry::list(path)?;
    if !sessions.is_empty() {
        return Err(StoreError::UpgradeWhileOpen {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
            sessions,
        });
    }
    // Dropping `txn` on any error below aborts it: nothing reaches the file.
    let txn = db.begin_write()?;
    for version in found..SCHEMA_VERSION {
        let step = steps
            .iter()
            .find(|step| step.from == version)
            .ok_or_else(|| StoreError::NoMigration {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            })?;
        (step.apply)(&txn)?;
    }
    tables::create_all(&txn)?;
    meta::stamp(&txn, SCHEMA_VERSION)?;
    txn.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use redb::{ReadableTable, TableDefinition};
    use tempfile::TempDir;

    use super::*;
    use crate::store::test_support::{at, scratch_path};
    use crate::store::writer::Writer;
    use crate::store::{Store, StoreError};

    /// How the imaginary schema 0 kept departments: bare names by number.
    const LEGACY: TableDefinition<u64, &str> = TableDefinition::new("legacy_departments");

    /// A file as schema 0 left it.
    fn version_zero_file() -> (TempDir, PathBuf) {
        let (dir, path) = scratch_path();
        let db = Database::create(&path).expect("create");
        let txn = db.begin_write().expect("write");
        meta::stamp(&txn, 0).expect("stamp");
        {
            let mut legacy = txn.open_table(LEGACY).expect("table");
            legacy.insert(1, "Sales").expect("insert");
            legacy.insert(2, "Legal").expect("insert");
        }
        txn.commit().expect("commit");
        (dir, path)
    }

    fn from_legacy(txn: &WriteTransaction) -> Result<(), StoreError> {
        let names = {
            let legacy = txn.open_table(LEGACY)?;
            let mut names = Vec::new();
            for entry in legacy.iter()? {
                names.push(entry?.1.value().to_string());
            }
            names
        };
        let mut writer = Writer::new(txn, "migration", at(0));
        for name in names {
            writer.add_department(&name, None, None)?;
        }
        txn.delete_table(LEGACY)?;
        Ok(())
    }

    fn half_way_then_fail(txn: &WriteTransaction) -> Result<(), StoreError> {
        from_legacy(txn)?;
        Err(StoreError::Database("the step gave up".into()))
    }

    /// The stamped version and legacy row count, read with redb directly.
    fn raw_state(path: &Path) -> (Option<u32>, u64) {
        let db = Database::open(path).expect("open");
        let txn = db.begin_read().expect("read");
        let legacy = txn
            .open_table(LEGACY)
            .map_or(0, |t| t.iter().expect("iter").count());
        (meta::read_version(&txn).expect("meta"), legacy as u64)
    }

    #[test]
    fn a_version_zero_file_is_upgraded() {
        let (_dir, path) = version_zero_file();
        let steps = [
            Migration {
                from: 0,
                apply: from_legacy,
            },
            MIGRATIONS[0],
            MIGRATIONS[1],
            MIGRATIONS[2],
            MIGRATIONS[3],
            MIGRATIONS[4],
        ];
        let store = Store::open_with_migrations(&path, &steps, super::super::DEFAULT_WAIT)
            .expect("upgrade");
        assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
        let names: Vec<_> = store
            .departments()
            .expect("departments")
            .into_iter()
            .map(|d| (d.id.0, d.name))
            .collect();
        assert_eq!(names, [(1, "Sales".to_string()), (2, "Legal".to_string())]);
        assert_eq!(store.operators().expect("operators"), vec![]);
        drop(store);
        assert_eq!(raw_state(&path), (Some(SCHEMA_VERSION), 0));
        Store::open(&path).expect("now current");
    }

    #[test]
    fn a_version_one_file_gains_the_goal_and_cycle_tables() {
        let (_dir, path) = scratch_path();
        {
            let db = Database::create(&path).expect("create");
            let txn = db.begin_write().expect("write");
            meta::stamp(&txn, 1).expect("stamp");
            tables::DEPARTMENTS.open_write(&txn).expect("departments");
            tables::EMPLOYEES.open_write(&txn).expect("employees");
            txn.commit().expect("commit");
        }
        let store = Store::open(&path).expect("upgrade");
        assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
        assert_eq!(store.goals().expect("goals").len(), 0);
        assert_eq!(store.cycles().expect("cycles").len(), 0);
    }

    #[test]
    fn a_failing_step_leaves_the_file_at_its_old_version() {
        let (_dir, path) = version_zero_file();
        let steps = [
            Migration {
                from: 0,
                apply: half_way_then_fail,
            },
            MIGRATIONS[0],
        ];
        let err = Store::open_with_migrations(&path, &steps, super::super::DEFAULT_WAIT)
            .err()
            .expect("fails");
        assert!(matches!(err, StoreError::Database(_)));
        assert_eq!(raw_state(&path), (Some(0), 2));
        {
            let db = Database::open(&path).expect("open");
            let txn = db.begin_read().expect("read");
            assert!(txn.open_table(tables::COUNTERS).is_err());
        }
        let missing = Store::open(&path).err().expect("no production step");
        assert!(matches!(missing, StoreError::NoMigration { found: 0, .. }));
        assert_eq!(raw_state(&path), (Some(0), 2));
    }
}
