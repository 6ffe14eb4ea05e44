//! Storage: hrdesk's tables ([`tables`]: records as versioned bincode
//! envelopes, their declared secondary keys, id counters, the audit log,
//! the change feed and revisions) over any engine behind the [`Backend`]
//! seam; `redb_engine` keeps them in one file, the only module that
//! touches redb.
//!
//! Every change is one write transaction that also appends to the audit
//! log and the change feed; the rules that span records are checked by the
//! service inside that transaction (see [`RuleReads`]).
//!
//! Several processes share one file (redb's multi-writer mode): each reads
//! the latest commit, one writes at a time, and a write that cannot start
//! waits up to the handle's wait, then fails as busy naming who is writing
//! (from the session registry, see [`registry`]).

mod audit;
pub mod backend;
mod bindings;
mod chain;
mod changes;
mod clock;
mod codec;
mod departments;
mod draft;
mod employees;
mod error;
mod goals;
mod keys;
mod meta;
mod operators;
mod private_file;
mod reads;
mod redb_engine;
pub mod registry;
mod scheduled;
mod scoring;
mod scoring_older;
mod seal;
mod sealing;
mod shield;
mod tables;
mod vendors;
mod vendors_older;
pub mod verify;
mod writer;

#[cfg(test)]
mod conformance_tests;
#[cfg(test)]
mod model_backend;
#[cfg(test)]
mod sharing_tests;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod verify_tests;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::domain::audit::AuditRecord;
use crate::domain::operator::{Operator, Role};
use crate::tr;
use backend::{Backend, ReadTxn};
pub use chain::hex;
pub use clock::Clock;
pub use draft::Draft;
pub use error::{StoreError, describe_session};
pub use private_file::create_private_dir;
pub use reads::RuleReads;
use redb_engine::RedbBackend;
use redb_engine::upgrade::{MIGRATIONS, Migration};
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

/// Waits up to `wait` while a process in the file's session registry is
/// writing, then is busy naming it.
fn wait_for_writers(path: &Path, wait: Duration) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    loop {
        let sessions = registry::list(path)?;
        if sessions.iter().all(|s| s.writing_since.is_none()) {
            return Ok(());
        }
        let waited = started.elapsed();
        if waited >= wait {
            return Err(StoreError::Busy {
                path: path.to_path_buf(),
                holders: sessions,
                waited,
            });
        }
        std::thread::sleep(Duration::from_millis(20).min(wait - waited));
    }
}

/// How long a write waits for another process's write to end, unless set.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(30);

/// An open hrdesk database. Clones share one handle on the file and this
/// process's place in its session registry.
#[derive(Clone)]
pub struct Store {
    backend: Arc<dyn Backend>,
    location: Location,
    membership: Arc<Mutex<Option<Membership>>>,
    wait: Duration,
    /// The mark this handle's changes carry (see [`Store::origin`]).
    origin: u64,
    /// The fingerprint of the SSH key this handle's operator came in with.
    key: Option<Arc<str>>,
}

impl Store {
    /// Creates a new database file (mode 0600) at `path`, which must not exist.
    /// `creator` becomes its admin; that and `database.create` are written atomically.
    pub fn create(path: &Path, creator: &str, at: DateTime<Utc>) -> Result<Store, StoreError> {
        Store::create_named(path, path, creator, at)
    }

    /// [`Store::create`] writing the file at `path`, which its first audit
    /// entry records as `named` (a [`Draft`] is created under another name
    /// than the one it is published with).
    fn create_named(
        path: &Path,
        named: &Path,
        creator: &str,
        at: DateTime<Utc>,
    ) -> Result<Store, StoreError> {
        private_file::check_new(path)?;
        let store = Store::new(
            RedbBackend::create(path)?,
            Location::File(path.to_path_buf()),
        );
        match store.initialize(creator, at, &Location::File(named.to_path_buf())) {
            Ok(()) => Ok(store),
            Err(err) => {
                drop(store);
                redb_engine::discard(path);
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
        Self::open_with_migrations(path, MIGRATIONS, wait)
    }

    /// Opens an existing hrdesk database only to read, waiting up to `wait`
    /// to open it: the file is opened read-only, so nothing is written to
    /// it, and every write through the handle fails with
    /// [`StoreError::ReadOnly`]. Only a file a killed writer left unclean,
    /// or one of an older schema, is first made current as any open to
    /// write makes it (recovered, upgraded), then read.
    pub fn open_read_only(path: &Path, wait: Duration) -> Result<Store, StoreError> {
        let location = Location::File(path.to_path_buf());
        shielded(&location, || {
            private_file::check_existing(path)?;
            let backend = match Self::read_only_backend(path, wait) {
                Err(
                    refused @ (StoreError::NeedsRecovery { .. } | StoreError::NeedsUpgrade { .. }),
                ) => {
                    // One this account may not write keeps the refusal, which says so.
                    drop(Self::open_within(path, wait).map_err(|err| match err {
                        StoreError::Io { .. } => refused,
                        other => other,
                    })?);
                    Self::read_only_backend(path, wait)?
                }
                opened => opened?,
            };
            Ok(Store::new(backend, location.clone()))
        })
    }

    /// The file at `path` opened read-only, once its version is checked.
    fn read_only_backend(path: &Path, wait: Duration) -> Result<RedbBackend, StoreError> {
        let backend = RedbBackend::open_read_only(path, wait)?;
        backend.bring_up_to_date(path, MIGRATIONS)?;
        Ok(backend)
    }

    /// `open` with the given upgrade steps instead of the production ones.
    pub(crate) fn open_with_migrations(
        path: &Path,
        steps: &[Migration],
        wait: Duration,
    ) -> Result<Store, StoreError> {
        let location = Location::File(path.to_path_buf());
        shielded(&location, || {
            private_file::check_existing(path)?;
            // The file is opened read-only and opened to write only when
            // the first write begins (the engine's open to write rewrites
            // part of its header): a handle refused before it writes, at a
            // damaged record say, leaves the file as it was. A file left
            // unclean by a killed process, or of an older schema, is opened
            // to write at once, which recovers or upgrades it; a file the
            // engine refuses even to read is refused before any of that.
            let lazy = RedbBackend::open_on_first_write(path, wait)
                .and_then(|backend| backend.bring_up_to_date(path, steps).map(|()| backend));
            let backend = match lazy {
                Err(StoreError::NeedsRecovery { .. } | StoreError::NeedsUpgrade { .. }) => {
                    let backend = RedbBackend::open(path, wait)?;
                    backend.bring_up_to_date(path, steps)?;
                    backend
                }
                opened => {
                    let backend = opened?;
                    // As the engine's open to write would, wait for a write
                    // under way (as the registry tells) to end first.
                    wait_for_writers(path, wait)?;
                    backend
                }
            };
            let mut store = Store::new(backend, location.clone());
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
        let store = Store::new(RedbBackend::in_memory()?, Location::Memory);
        store.initialize(creator, at, &Location::Memory)?;
        Ok(store)
    }

    /// A fresh database kept by `backend` (for the conformance suite, which
    /// runs against every backend), with `creator` as its admin.
    #[cfg(test)]
    pub(crate) fn over(
        backend: impl Backend + 'static,
        creator: &str,
        at: DateTime<Utc>,
    ) -> Result<Store, StoreError> {
        let store = Store::new(backend, Location::Memory);
        store.initialize(creator, at, &Location::Memory)?;
        Ok(store)
    }

    fn new(backend: impl Backend + 'static, location: Location) -> Store {
        Store {
            backend: Arc::new(backend),
            location,
            membership: Arc::new(Mutex::new(None)),
            wait: DEFAULT_WAIT,
            origin: new_origin(),
            key: None,
        }
    }

    /// Where this store keeps its data.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// How long this handle's writes wait for another process's write
    /// (opening the file to write at the first write included); clones
    /// made before keep their wait but share the opening's.
    pub fn set_write_wait(&mut self, wait: Duration) {
        self.wait = wait;
        self.backend.set_write_wait(wait);
    }

    /// Records `fingerprint` (the SSH key its operator came in with) in
    /// the audit entries of this handle's writes.
    pub fn set_key(&mut self, fingerprint: Option<&str>) {
        self.key = fingerprint.map(Arc::from);
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
        self.read(|txn| meta::read_version(txn))?
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
            let started = std::time::Instant::now();
            let mut pause = Duration::from_millis(2);
            let mut f = Some(f);
            let mut outcome = None;
            loop {
                let attempt = self.backend.try_write(&mut |txn| {
                    let Some(f) = f.take() else {
                        return Err(StoreError::Aborted);
                    };
                    let at = clock.now();
                    self.mark_writing(Some(at));
                    let author = writer::Author {
                        operator,
                        key: self.key.as_deref(),
                    };
                    let result = writer::transact(txn, author, (at, self.origin), f);
                    self.mark_writing(None);
                    let failed = result.is_err();
                    outcome = Some(result);
                    if failed {
                        Err(StoreError::Aborted)
                    } else {
                        Ok(())
                    }
                });
                match (attempt, outcome.take()) {
                    (Ok(true), Some(committed)) => return committed,
                    (Err(_), Some(Err(refused))) => return Err(refused),
                    (Ok(false), None) => {}
                    (Err(err), _) => return Err(err.into()),
                    (Ok(_), _) => return Err(StoreError::Aborted.into()),
                }
                let waited = started.elapsed();
                if waited >= self.wait {
                    return Err(self.busy(waited)?.into());
                }
                std::thread::sleep(pause.min(self.wait - waited));
                pause = (pause * 2).min(Duration::from_millis(100));
            }
        })
    }

    /// The error for a write that waited `waited` in vain, naming who
    /// holds the write (only the holder is marked as writing).
    fn busy(&self, waited: Duration) -> Result<StoreError, StoreError> {
        let Location::File(path) = &self.location else {
            return Ok(StoreError::Database(tr!("store.busy_unknown")));
        };
        Ok(StoreError::Busy {
            path: path.clone(),
            holders: self.sessions()?,
            waited,
        })
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
        f: impl FnOnce(&dyn ReadTxn) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        shielded(&self.location, || {
            let mut f = Some(f);
            let mut outcome = None;
            self.backend.read(&mut |txn| {
                let f = f.take().ok_or(StoreError::Aborted)?;
                outcome = Some(f(&seal::SealedRead::new(txn))?);
                Ok(())
            })?;
            outcome.ok_or(StoreError::Aborted)
        })
    }

    /// Checks the whole database (see [`verify`]) in one read, beside
    /// whoever else has it open; `expected_head` is a head hash kept earlier.
    pub fn verify(&self, expected_head: Option<&str>) -> Result<verify::Verdict, StoreError> {
        shielded(&self.location, || {
            let mut verdict = None;
            self.backend.read(&mut |txn| {
                verdict = Some(verify::verify(txn, expected_head)?);
                Ok(())
            })?;
            verdict.ok_or(StoreError::Aborted)
        })
    }

    /// Writes the schema, the creator as admin and `database.create`, in one transaction.
    /// Makes the tables and the admin, the first audit entry naming the
    /// database `named`.
    fn initialize(
        &self,
        creator: &str,
        at: DateTime<Utc>,
        named: &Location,
    ) -> Result<(), StoreError> {
        self.write(creator, at, |w| {
            tables::create_all(w.txn)?;
            meta::stamp(w.txn, meta::SCHEMA_VERSION)?;
            w.put_operator(&Operator {
                user: creator.to_string(),
                role: Role::Admin,
            })?;
            let record = AuditRecord::new("database.create", "database", named)
                .after(format!("schema={} admin={creator}", meta::SCHEMA_VERSION));
            w.audit(record).map(drop)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::AuditEntry;
    use crate::domain::department::{Department, DepartmentId, Head};
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
                let sales =
                    w.add_department("销售", Some(acme.id), Some(Head::Note("Ada".into())))?;
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
                        .after(sales.summary("Ada")),
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
    fn a_read_only_handle_reads_and_refuses_writes_leaving_the_file_as_it_was() {
        let (_dir, path, store) = new_file_store();
        let sales = add(&store, "Sales", None);
        drop(store);
        let before = std::fs::read(&path).expect("read");
        let reader = Store::open_read_only(&path, DEFAULT_WAIT).expect("read-only");
        assert_eq!(reader.departments().expect("read"), vec![sales]);
        let err = reader
            .write("alice", at(2), |w| {
                w.add_department("HR", None, None).map(drop)
            })
            .expect_err("refused");
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
        assert!(err.to_string().contains(&path.display().to_string()));
        drop(reader);
        assert_eq!(std::fs::read(&path).expect("read"), before);
    }

    #[test]
    fn a_handle_to_write_leaves_the_file_as_it_was_until_its_first_write() {
        let (_dir, path, store) = new_file_store();
        let sales = add(&store, "Sales", None);
        drop(store);
        let before = std::fs::read(&path).expect("read");
        let store = Store::open(&path).expect("open");
        let clone = store.clone();
        assert_eq!(clone.departments().expect("read"), vec![sales.clone()]);
        assert_eq!(std::fs::read(&path).expect("read"), before, "read only");
        let hr = add(&store, "HR", None);
        assert_eq!(clone.departments().expect("read"), vec![sales, hr]);
        assert_eq!(clone.audit_count().expect("count"), 3);
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
        crate::store::test_support::restamp(&store, meta::SCHEMA_VERSION + 1);
        drop(store);
        let err = Store::open(&path).err().expect("refused");
        assert!(matches!(
            err,
            StoreError::NewerSchema { found, supported, .. }
                if found == meta::SCHEMA_VERSION + 1 && supported == meta::SCHEMA_VERSION
        ));
        let message = err.to_string();
        let (found, supported) = (meta::SCHEMA_VERSION + 1, meta::SCHEMA_VERSION);
        assert!(
            message.contains(&format!("schema version {found}"))
                && message.contains(&format!("up to version {supported}")),
            "{message}"
        );
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
