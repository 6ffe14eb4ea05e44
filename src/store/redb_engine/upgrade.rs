//! Schema upgrades of redb files: a database stamped with an older
//! version is brought up to [`SCHEMA_VERSION`] by running every step in
//! order inside ONE write transaction, so a failing step leaves the file
//! exactly as it was.
//!
//! Up to schema 6 each table was a redb table of its own key type, with
//! its secondary keys kept by hand in tables of their own. Schema 7 keeps
//! every table behind the [`Backend`](crate::store::backend::Backend)
//! seam: the step to it copies each record into the byte tables, deriving
//! the secondary keys the table declares, and drops the old tables.
//! Earlier steps only added tables, which that copy covers too. Schema 8
//! seals every record and chains the audit log (see `store::sealing`).

use std::path::Path;

use redb::{Key, ReadableTable, TableDefinition, TableHandle, Value, WriteTransaction};

use super::{Handle, RedbBackend, WriteView};
use crate::domain::audit::AuditRecord;
use crate::domain::department::Head;
use crate::store::backend::WriteTxn;
use crate::store::error::StoreError;
use crate::store::keys::KeyCodec;
use crate::store::meta::{self, SCHEMA_VERSION};
use crate::store::reads::RuleReads;
use crate::store::tables::{self, AnyTable};
use crate::store::{sealing, writer};

/// One upgrade step, from schema version `from` to `from + 1`.
#[derive(Clone, Copy)]
pub(crate) struct Migration {
    /// The version this step upgrades from.
    pub(crate) from: u32,
    /// Rewrites the data (through the file's transaction itself, or the
    /// tables of the current layout); must not commit.
    pub(crate) apply: fn(&WriteTransaction, &dyn WriteTxn) -> Result<(), StoreError>,
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
        apply: adds_tables_only,
    },
    Migration {
        from: 4,
        apply: adds_tables_only,
    },
    Migration {
        from: 5,
        apply: adds_tables_only,
    },
    Migration {
        from: 6,
        apply: into_byte_tables,
    },
    Migration {
        from: 7,
        apply: under_seals,
    },
    Migration {
        from: 8,
        apply: adds_tables_only,
    },
    Migration {
        from: 9,
        apply: linking_department_heads,
    },
    Migration {
        from: 10,
        apply: renewing_seen_codes,
    },
];

/// The upgrade to schema 11. The outbox of unbinding notices: until now
/// the requester's screen showed each pending request's confirmation
/// code, so every pending request gets a fresh one, which only the
/// employee's notice carries (they are all in the outbox), each renewal
/// logged. Spend that did not name its vendor goes to the vendor chosen
/// when it was recorded. Then the upgrade is logged.
fn renewing_seen_codes(_: &WriteTransaction, to: &dyn WriteTxn) -> Result<(), StoreError> {
    let author = writer::Author {
        operator: sealing::UPGRADER,
        key: None,
    };
    writer::transact_stamped(to, author, (chrono::Utc::now(), 0), |w| {
        let renewed = w.renew_pending_codes()?;
        let attributed = w.attribute_old_spend()?;
        w.audit(
            AuditRecord::new("database.upgrade", "database", "schema")
                .before("schema=10")
                .after(format!(
                    "schema=11 codes_renewed={renewed} spend_attributed={attributed}"
                )),
        )?;
        Ok(())
    })
}

/// The upgrade to schema 10: department heads kept as names become the
/// employees they name (by number, or the one person of that name who has
/// not departed); a name that matches no one, or several, stays as a
/// flagged note. Every department is rewritten in its new layout, each
/// link logged with the names before and after, then the upgrade.
fn linking_department_heads(_: &WriteTransaction, to: &dyn WriteTxn) -> Result<(), StoreError> {
    let author = writer::Author {
        operator: sealing::UPGRADER,
        key: None,
    };
    writer::transact_stamped(to, author, (chrono::Utc::now(), 0), |w| {
        let linked = w.link_department_heads()?;
        for department in w.all_departments()? {
            if !linked.iter().any(|(_, after)| after.id == department.id) {
                w.update_department(&department)?;
            }
        }
        for (before, after) in &linked {
            let note = match &before.head {
                Some(Head::Note(name)) => name.clone(),
                _ => String::new(),
            };
            let head = match after.head {
                Some(Head::Employee(id)) => w
                    .employee(id)?
                    .map(|e| format!("{} {}", e.emp_no, e.name))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            w.audit(
                AuditRecord::new("department.head_linked", "department", after.id)
                    .before(before.summary(&note))
                    .after(after.summary(&head)),
            )?;
        }
        let unmatched = w
            .all_departments()?
            .iter()
            .filter(|d| matches!(d.head, Some(Head::Note(_))))
            .count();
        w.audit(
            AuditRecord::new("database.upgrade", "database", "schema")
                .before("schema=9")
                .after(format!(
                    "schema=10 heads_linked={} heads_unmatched={unmatched}",
                    linked.len()
                )),
        )?;
        Ok(())
    })
}

/// The upgrade to schema 8: the audit log chained, every record sealed,
/// and the upgrade logged.
fn under_seals(_: &WriteTransaction, to: &dyn WriteTxn) -> Result<(), StoreError> {
    sealing::seal_everything(to, 7, 8, chrono::Utc::now())
}

/// A step whose new schema only added tables (version 2: goals, their
/// actuals and weight changes; version 3: appraisal cycles, their sheets,
/// overrides, appeals and frozen scores; version 4: the bindings'
/// secondary keys; version 5: vendor selection projects, vendors and
/// spend; version 6: the change feed, revisions and the employees'
/// secondary keys; version 9: scheduled changes). The step to schema 7
/// copies whichever of them the file has.
fn adds_tables_only(_: &WriteTransaction, _: &dyn WriteTxn) -> Result<(), StoreError> {
    Ok(())
}

/// How a table of schema 6 or before was keyed.
enum OldLayout {
    Number,
    Wide,
    Text,
    /// Text keys to numbers (counters, revisions).
    TextToNumber,
}

fn old_layout(table: &str) -> OldLayout {
    match table {
        "counters" | "revisions" => OldLayout::TextToNumber,
        "operators" | "course_catalogue" => OldLayout::Text,
        "history" | "goal_actuals" | "goal_weights" | "score_sheets" | "grade_overrides"
        | "appraised" | "vendor_spend" => OldLayout::Wide,
        _ => OldLayout::Number,
    }
}

/// The upgrade to schema 7: every record of the old typed tables into the
/// byte tables, with its secondary keys; then the old tables (records and
/// hand-kept indexes) are dropped.
fn into_byte_tables(txn: &WriteTransaction, to: &dyn WriteTxn) -> Result<(), StoreError> {
    let old: Vec<String> = txn
        .list_tables()?
        .map(|table| table.name().to_string())
        .filter(|name| name != "meta" && !name.starts_with("rows/") && !name.starts_with("index/"))
        .collect();
    for table in tables::ALL {
        let name = table.spec().name;
        if !old.iter().any(|t| t == name) {
            continue;
        }
        match old_layout(name) {
            OldLayout::Number => {
                copy::<u64, &[u8]>(txn, table, to, |k| k.to_bytes(), <[u8]>::to_vec)
            }
            OldLayout::Wide => {
                copy::<u128, &[u8]>(txn, table, to, |k| k.to_bytes(), <[u8]>::to_vec)
            }
            OldLayout::Text => {
                copy::<&str, &[u8]>(txn, table, to, |k| k.to_bytes(), <[u8]>::to_vec)
            }
            OldLayout::TextToNumber => copy::<&str, u64>(
                txn,
                table,
                to,
                |k| k.to_bytes(),
                |v| v.to_be_bytes().to_vec(),
            ),
        }?;
    }
    for name in &old {
        let handle = txn.list_tables()?.find(|t| t.name() == name);
        if let Some(handle) = handle {
            txn.delete_table(handle)?;
        }
    }
    Ok(())
}

/// Copies the old table of `to`'s name, row by row.
fn copy<K: Key + 'static, V: Value + 'static>(
    txn: &WriteTransaction,
    table: &dyn AnyTable,
    to: &dyn WriteTxn,
    key: impl Fn(K::SelfType<'_>) -> Vec<u8>,
    value: impl Fn(V::SelfType<'_>) -> Vec<u8>,
) -> Result<(), StoreError> {
    let old = txn.open_table(TableDefinition::<K, V>::new(table.spec().name))?;
    for entry in old.iter()? {
        let (k, v) = entry?;
        table.restore(to, &key(k.value()), &value(v.value()))?;
    }
    Ok(())
}

impl RedbBackend {
    /// Checks the marker and version of the database at `path`, upgrading
    /// it with `steps` when it is older than this build (a read-only
    /// handle refuses such a file instead: an upgrade writes).
    pub(crate) fn bring_up_to_date(
        &self,
        path: &Path,
        steps: &[Migration],
    ) -> Result<(), StoreError> {
        let found =
            meta::read_version(&super::ReadView::new(self.begin_read()?))?.ok_or_else(|| {
                StoreError::NotHrdesk {
                    path: path.to_path_buf(),
                }
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
        let Handle::Writable(db) = &self.db else {
            return Err(StoreError::NeedsUpgrade {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            });
        };
        // An upgrade rewrites what other processes are reading: only alone.
        let sessions = crate::store::registry::list(path)?;
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
        {
            let view = WriteView::new(&txn);
            for version in found..SCHEMA_VERSION {
                let step = steps
                    .iter()
                    .find(|step| step.from == version)
                    .ok_or_else(|| StoreError::NoMigration {
                        path: path.to_path_buf(),
                        found,
                        supported: SCHEMA_VERSION,
                    })?;
                (step.apply)(&txn, &view)?;
            }
            tables::create_all(&view)?;
            meta::stamp(&view, SCHEMA_VERSION)?;
            view.finish()?;
        }
        txn.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
    use tempfile::TempDir;

    use super::*;
    use crate::domain::employee::EmployeeId;
    use crate::domain::fixtures;
    use crate::store::test_support::{at, old_layout_file, put_old};
    use crate::store::writer::Writer;
    use crate::store::{DEFAULT_WAIT, Store, StoreError};

    /// How the imaginary schema 0 kept departments: bare names by number.
    const LEGACY: TableDefinition<u64, &str> = TableDefinition::new("legacy_departments");

    /// A file as schema 0 left it.
    fn version_zero_file() -> (TempDir, PathBuf) {
        old_layout_file(0, |txn| {
            let mut legacy = txn.open_table(LEGACY).expect("table");
            legacy.insert(1, "Sales").expect("insert");
            legacy.insert(2, "Legal").expect("insert");
        })
    }

    fn from_legacy(txn: &WriteTransaction, to: &dyn WriteTxn) -> Result<(), StoreError> {
        let names = {
            let legacy = txn.open_table(LEGACY)?;
            let mut names = Vec::new();
            for entry in legacy.iter()? {
                names.push(entry?.1.value().to_string());
            }
            names
        };
        let mut writer = Writer::new(to, "migration", at(0));
        for name in names {
            writer.add_department(&name, None, None)?;
        }
        txn.delete_table(LEGACY)?;
        Ok(())
    }

    fn half_way_then_fail(txn: &WriteTransaction, to: &dyn WriteTxn) -> Result<(), StoreError> {
        from_legacy(txn, to)?;
        Err(StoreError::Database("the step gave up".into()))
    }

    /// The stamped version and legacy row count, read with redb directly.
    fn raw_state(path: &Path) -> (Option<u32>, u64) {
        let db = Database::open(path).expect("open");
        let txn = db.begin_read().expect("read");
        let legacy = txn
            .open_table(LEGACY)
            .map_or(0, |t| t.iter().expect("iter").count());
        let version = meta::read_version(&super::super::ReadView::new(txn)).expect("meta");
        (version, legacy as u64)
    }

    /// The names of the file's redb tables, read with redb directly.
    fn table_names(path: &Path) -> Vec<String> {
        let db = Database::open(path).expect("open");
        let txn = db.begin_read().expect("read");
        txn.list_tables()
            .expect("tables")
            .map(|t| t.name().to_string())
            .collect()
    }

    #[test]
    fn a_version_zero_file_is_upgraded() {
        let (_dir, path) = version_zero_file();
        let mut steps = vec![Migration {
            from: 0,
            apply: from_legacy,
        }];
        steps.extend_from_slice(MIGRATIONS);
        let store = Store::open_with_migrations(&path, &steps, DEFAULT_WAIT).expect("upgrade");
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
        let (_dir, path) = old_layout_file(1, |txn| {
            put_old(txn, "departments", 1, &fixtures::dept(1, "Sales", None));
        });
        let store = Store::open(&path).expect("upgrade");
        assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
        assert_eq!(store.departments().expect("departments").len(), 1);
        assert_eq!(store.goals().expect("goals").len(), 0);
        assert_eq!(store.cycles().expect("cycles").len(), 0);
    }

    #[test]
    fn a_schema_6_file_keeps_its_records_and_gains_declared_keys() {
        let (_dir, path) = old_layout_file(6, |txn| {
            put_old(txn, "departments", 3, &fixtures::dept(3, "Sales", None));
            let boss = fixtures::person(1, "E001", 3, None);
            let clerk = fixtures::person(2, "E002", 3, Some(1));
            put_old(txn, "employees", 1, &boss);
            put_old(txn, "employees", 2, &clerk);
            // A hand-kept index of schema 6, dropped by the upgrade.
            let emp_nos = TableDefinition::<&str, u64>::new("emp_nos");
            let mut index = txn.open_table(emp_nos).expect("index");
            index.insert("E001", 1).expect("insert");
            let counters = TableDefinition::<&str, u64>::new("counters");
            let mut counters = txn.open_table(counters).expect("counters");
            counters.insert("employee", 2).expect("insert");
            counters.insert("department", 3).expect("insert");
        });
        let store = Store::open(&path).expect("upgrade");
        let found = store.employee_by_emp_no("E002").expect("lookup");
        assert_eq!(found.map(|e| e.id), Some(EmployeeId(2)));
        use crate::store::RuleReads;
        assert_eq!(
            store.reports_of(EmployeeId(1)).expect("reports"),
            vec![EmployeeId(2)]
        );
        let taken = store.write("alice", at(1), |w| {
            w.add_employee(&fixtures::person(0, "E001", 3, None))
        });
        assert!(matches!(taken, Err(StoreError::DuplicateEmpNo { .. })));
        let next = store
            .write("alice", at(1), |w| {
                let added = w.add_employee(&fixtures::person(0, "E003", 3, None))?;
                w.audit(crate::domain::audit::AuditRecord::new(
                    "employee.add",
                    "employee",
                    added.id,
                ))?;
                Ok(added)
            })
            .expect("the counter came along");
        assert_eq!(next.id, EmployeeId(3));
        drop(store);
        let names = table_names(&path);
        assert!(
            !names.iter().any(|n| n == "emp_nos" || n == "employees"),
            "{names:?}"
        );
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
        let err = Store::open_with_migrations(&path, &steps, DEFAULT_WAIT)
            .err()
            .expect("fails");
        assert!(matches!(err, StoreError::Database(_)));
        assert_eq!(raw_state(&path), (Some(0), 2));
        let names = table_names(&path);
        assert!(!names.iter().any(|n| n.starts_with("rows/")), "{names:?}");
        let missing = Store::open(&path).err().expect("no production step");
        assert!(matches!(missing, StoreError::NoMigration { found: 0, .. }));
        assert_eq!(raw_state(&path), (Some(0), 2));
    }
}
