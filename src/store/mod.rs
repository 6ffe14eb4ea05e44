//! Storage: the only module that touches redb. One database file holds a
//! `meta` table (hrdesk marker, schema version), records as versioned bincode
//! envelopes, the department name index, id counters and the audit log.
//!
//! Every change is one write transaction that also appends to the audit log;
//! HR rules are checked by callers with `crate::domain` before writing.
//!
//! Several processes share one file (redb's multi-writer mode): each reads
//! the latest commit, one writes at a time, and a write that cannot start
//! waits up to the handle's wait, then fails as busy naming who is writing
//! (from the session registry, see [`registry`]).

mod audit;
mod bindings;
mod changes;
mod clock;
mod codec;
mod departments;
mod employees;
mod error;
mod file;
mod goals;
mod meta;
mod migrate;
mod operators;
mod people_index;
mod reads;
pub mod registry;
mod scoring;
mod shield;
mod tables;
mod vendors;
mod writer;

#[cfg(test)]
mod sharing_tests;
#[cfg(test)]
mod test_support;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use redb::{Database, ReadTransaction, ReadableDatabase};

use crate::domain::audit::AuditRecord;
use crate::domain::operator::{Operator, Role};
use crate::tr;
pub use clock::Clock;
pub use error::{StoreError, describe_session};
use migrate::Migration;
pub use reads::RuleReads;
use registry::{Membership, SessionInfo};
pub use shield::install_panic_filter;
use shield::shielded;
pub use writer::Writer;

/// Where a store keeps its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A database file.
    File(PathBuf),
    /// Memory only, for `hrdesk --demo`: nothing reaches the disk.
    Memory,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Memory => f.write_str(&tr!("store.memory")),
        }
    }
}

/// A mark for a new handle: the process and the moment, mixed, so that two
/// handles (in one process or on two machines) practically never share one.
fn new_origin() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_i64(Utc::now().timestamp_nanos_opt().unwrap_or(0));
    hasher.finish()
}

/// How long a write waits for another process's write to end, unless set.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(30);

/// An open hrdesk database. Clones share one handle on the file and this
/// process's place in its session registry.
#[derive(Clone)]
pub struct Store {
    db: Arc<Database>,
    location: Location,
    membership: Arc<Mutex<Option<Membership>>>,
    wait: Duration,
    /// The mark this handle's changes carry (see [`Store::origin`]).
    origin: u64,
}

impl Store {
    /// Creates a new database file (mode 0600) at `path`, which must not exist.
    /// `creator` becomes its admin; that and `database.create` are written atomically.
    pub fn create(path: &Path, creator: &str, at: DateTime<Utc>) -> Result<Store, StoreError> {
        let store = Store::new(file::create_new(path)?, Location::File(path.to_path_buf()));
        match store.initialize(creator, at) {
            Ok(()) => Ok(store),
            Err(err) => {
                drop(store);
                file::discard(path);
                Err(err)
            }
        }
    }

    /// Opens an existing hrdesk database, upgrading an older schema; waits
    /// up to [`DEFAULT_WAIT`] while another process writes.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::open_within(path, DEFAULT_WAIT)
    }

    /// [`Store::open`] waiting up to `wait` (which the handle's writes then
    /// wait too) while another process writes.
    pub fn open_within(path: &Path, wait: Duration) -> Result<Store, StoreError> {
        Self::open_with_migrations(path, migrate::MIGRATIONS, wait)
    }

    /// `open` with the given upgrade steps instead of the production ones.
    pub(crate) fn open_with_migrations(
        path: &Path,
        steps: &[Migration],
        wait: Duration,
    ) -> Result<Store, StoreError> {
        let location = Location::File(path.to_path_buf());
        shielded(&location, || {
            let db = file::open_existing(path, wait)?;
            migrate::bring_up_to_date(&db, path, steps)?;
            let mut store = Store::new(db, location.clone());
            store.set_write_wait(wait);
            Ok(store)
        })
    }

    /// Opens the database at `path`, creating it first when nothing is there.
    /// An existing file is only ever opened, never initialised.
    pub fn open_or_create(
        path: &Path,
        creator: &str,
        at: DateTime<Utc>,
        wait: Duration,
    ) -> Result<Store, StoreError> {
        match Self::create(path, creator, at) {
            Err(StoreError::AlreadyExists { .. }) => Self::open_within(path, wait),
            Ok(mut created) => {
                created.set_write_wait(wait);
                Ok(created)
            }
            failed => failed,
        }
    }

    /// A fresh database in memory (for the demo), with `creator` as its admin.
    pub fn in_memory(creator: &str, at: DateTime<Utc>) -> Result<Store, StoreError> {
        let store = Store::new(file::in_memory()?, Location::Memory);
        store.initialize(creator, at)?;
        Ok(store)
    }

    fn new(db: Database, location: Location) -> Store {
        Store {
            db: Arc::new(db),
            location,
            membership: Arc::new(Mutex::new(None)),
            wait: DEFAULT_WAIT,
            origin: new_origin(),
        }
    }

    /// Where this store keeps its data.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// How long this handle's writes wait for another process's write.
    pub fn set_write_wait(&mut self, wait: Duration) {
        self.wait = wait;
    }

    /// Registers this process as `operator` doing `what` in the file's
    /// session registry, until the last clone of this handle is dropped
    /// (or the process ends). Nothing to do for a store in memory.
    pub fn join(&self, operator: &str, what: &str, clock: Clock) -> Result<(), StoreError> {
        let Location::File(path) = &self.location else {
            return Ok(());
        };
        let info = SessionInfo {
            pid: std::process::id(),
            operator: operator.to_string(),
            what: what.to_string(),
            since: clock.now(),
            writing_since: None,
        };
        let joined = Membership::join(path, info)?;
        if let Ok(mut membership) = self.membership.lock() {
            *membership = Some(joined);
        }
        Ok(())
    }

    /// Every process registered on this file, this one included, oldest first.
    pub fn sessions(&self) -> Result<Vec<SessionInfo>, StoreError> {
        match &self.location {
            Location::File(path) => registry::list(path),
            Location::Memory => Ok(Vec::new()),
        }
    }

    /// The schema version stamped in the database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.read(meta::read_version)?
            .ok_or_else(|| StoreError::Decode {
                table: "meta",
                key: "application".into(),
                detail: tr!("store.marker_missing"),
            })
    }

    /// One write transaction; commits only if `f` succeeds and appended at
    /// least one audit record. Waits up to the handle's wait for another
    /// process's write to end; the time of the entries is read from `clock`
    /// once the write has begun.
    pub fn write<T>(
        &self,
        operator: &str,
        clock: impl Into<Clock>,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.write_with(operator, clock.into(), f)
    }

    /// [`Store::write`] whose closure returns the caller's own error type,
    /// so that rules checked inside the transaction (against what it sees,
    /// not what was read before it began) refuse in their own words.
    pub fn write_with<T, E: From<StoreError>>(
        &self,
        operator: &str,
        clock: Clock,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        shielded(&self.location, || {
            let txn = self.begin_write()?;
            let at = clock.now();
            self.mark_writing(Some(at));
            let outcome = writer::transact(txn, operator, (at, self.origin), f);
            self.mark_writing(None);
            outcome
        })
    }

    /// A write transaction, once no other process holds the write lock;
    /// after the handle's wait, [`StoreError::Busy`] naming who does.
    fn begin_write(&self) -> Result<redb::WriteTransaction, StoreError> {
        let started = std::time::Instant::now();
        let mut pause = Duration::from_millis(2);
        loop {
            match self.db.try_begin_write() {
                Ok(txn) => return Ok(txn),
                Err(redb::TransactionError::WouldBlock) => {}
                Err(err) => return Err(err.into()),
            }
            let waited = started.elapsed();
            if waited >= self.wait {
                let Location::File(path) = &self.location else {
                    return Err(StoreError::Database(tr!("store.busy_unknown")));
                };
                // Only the holder is marked as writing; the message names it.
                return Err(StoreError::Busy {
                    path: path.clone(),
                    holders: self.sessions()?,
                    waited,
                });
            }
            std::thread::sleep(pause.min(self.wait - waited));
            pause = (pause * 2).min(Duration::from_millis(100));
        }
    }

    /// Tells the registry this process is (or no longer is) writing.
    fn mark_writing(&self, since: Option<DateTime<Utc>>) {
        if let Ok(mut membership) = self.membership.lock()
            && let Some(membership) = membership.as_mut()
        {
            membership.set_writing(since);
        }
    }

    /// Runs `f` in a read transaction (a consistent snapshot).
    fn read<R>(
        &self,
        f: impl FnOnce(&ReadTransaction) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        shielded(&self.location, || f(&self.db.begin_read()?))
    }

    /// Writes the schema, the creator as admin and `database.create`, in one transaction.
    fn initialize(&self, creator: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.write(creator, at, |w| {
            tables::create_all(w.txn)?;
            meta::stamp(w.txn, meta::SCHEMA_VERSION)?;
            w.put_operator(&Operator {
                user: creator.to_string(),
                role: Role::Admin,
            })?;
            let record = AuditRecord::new("database.create", "database", &self.location)
                .after(format!("schema={} admin={creator}", meta::SCHEMA_VERSION));
            w.audit(record).map(drop)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::AuditEntry;
    use crate::domain::department::{Department, DepartmentId};
    use crate::store::test_support::{add, at, new_file_store, scratch_path};

    fn admin(user: &str) -> Operator {
        Operator {
            user: user.into(),
            role: Role::Admin,
        }
    }

    #[test]
    fn the_creator_is_admin_and_the_creation_is_logged() {
        let (_dir, path, store) = new_file_store();
        assert_eq!(store.location(), &Location::File(path.clone()));
        assert_eq!(
            store.schema_version().expect("version"),
            meta::SCHEMA_VERSION
        );
        assert_eq!(store.operators().expect("operators"), vec![admin("alice")]);
        let entries = store.audit_entries().expect("audit");
        assert_eq!(entries.len(), 1);
        let entry = &entries[0];
        assert_eq!(
            (entry.seq, entry.at, entry.operator.as_str()),
            (1, at(0), "alice")
        );
        assert_eq!(entry.record.action, "database.create");
        assert_eq!(entry.record.entity_id, path.display().to_string());
    }

    #[test]
    fn every_record_type_survives_a_reopen() {
        let (_dir, path, store) = new_file_store();
        let acme = add(&store, "Acme", None);
        let (sales, operators) = store
            .write("alice", at(7), |w| {
                let sales = w.add_department("销售", Some(acme.id), Some("Ada".into()))?;
                let operators = [Role::Hr, Role::Manager(sales.id), Role::Viewer]
                    .into_iter()
                    .zip(["hana", "mo", "vic"])
                    .map(|(role, user)| Operator {
                        user: user.into(),
                        role,
                    })
                    .collect::<Vec<_>>();
                for op in &operators {
                    w.put_operator(op)?;
                }
                w.audit(
                    AuditRecord::new("department.add", "department", sales.id)
                        .before("none")
                        .after(sales.summary()),
                )?;
                Ok((sales, operators))
            })
            .expect("write");
        let entries_before = store.audit_entries().expect("audit");
        drop(store);

        let store = Store::open(&path).expect("reopen");
        assert_eq!(
            store.departments().expect("departments"),
            vec![acme, sales.clone()]
        );
        assert_eq!(store.department(sales.id).expect("department"), Some(sales));
        assert_eq!(
            store.department(DepartmentId(42)).expect("department"),
            None
        );
        let mut expected = vec![admin("alice")];
        expected.extend(operators);
        assert_eq!(store.operators().expect("operators"), expected);
        assert_eq!(
            store.operator("mo").expect("operator"),
            Some(expected[2].clone())
        );
        let entries: Vec<AuditEntry> = store.audit_entries().expect("audit");
        assert_eq!(entries, entries_before);
        assert_eq!(entries[2].record.before.as_deref(), Some("none"));
        assert_eq!(entries[2].at, at(7));
    }

    #[test]
    fn open_or_create_creates_once_then_opens() {
        let (_dir, path) = scratch_path();
        let store = Store::open_or_create(&path, "alice", at(0), DEFAULT_WAIT).expect("create");
        add(&store, "Acme", None);
        drop(store);
        let store = Store::open_or_create(&path, "bob", at(1), DEFAULT_WAIT).expect("open");
        assert_eq!(store.operators().expect("operators"), vec![admin("alice")]);
        assert_eq!(store.audit_count().expect("count"), 2);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let (_dir, path, store) = new_file_store();
        let txn = store.db.begin_write().expect("write");
        meta::stamp(&txn, meta::SCHEMA_VERSION + 1).expect("stamp");
        txn.commit().expect("commit");
        drop(store);
        let err = Store::open(&path).err().expect("refused");
        assert!(matches!(
            err,
            StoreError::NewerSchema {
                found: 7,
                supported: 6,
                ..
            }
        ));
        let message = err.to_string();
        assert!(message.contains("schema version 7") && message.contains("up to version 6"));
    }

    #[test]
    fn the_in_memory_store_works_like_a_file() {
        let store = Store::in_memory("demo", at(0)).expect("memory");
        assert_eq!(store.location().to_string(), "memory (demo)");
        assert_eq!(store.operators().expect("operators"), vec![admin("demo")]);
        let dept: Department = add(&store, "Acme", None);
        assert_eq!(store.departments().expect("departments"), vec![dept]);
        assert_eq!(store.audit_count().expect("count"), 2);
        assert_eq!(
            store.schema_version().expect("version"),
            meta::SCHEMA_VERSION
        );
    }
}
