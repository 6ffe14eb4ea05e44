//! Database files: creating them private to their owner, opening existing ones
//! without ever initialising or rewriting a file that is not already a redb
//! database, and the in-memory stand-in used by the demo.

use std::fs::{self, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use redb::backends::{FileBackend, InMemoryBackend};
use redb::{Builder, ConcurrencyMode, Database, ReadOnlyDatabase};

use crate::store::error::StoreError;
use crate::store::shield::shielded;
use crate::store::{Location, registry};
use crate::tr;

/// The most memory redb may keep pages of the file in. Its default (1 GiB)
/// lets one pass over every record of a large company stay resident; the
/// tables' inner pages, which lookups revisit, fit in this several times
/// over (a million employees' take about a megabyte and a half).
const CACHE_BYTES: usize = 8 << 20;

/// redb's settings for hrdesk files: shared by any number of processes
/// (consoles, commands, cron), each reading the latest commit and writing
/// one at a time.
fn builder() -> Builder {
    let mut builder = Builder::new();
    builder.set_cache_size(CACHE_BYTES);
    builder.set_concurrency_mode(ConcurrencyMode::MultiWriter);
    builder
}

/// Creates a new, empty database at `path`, which must not exist; the file gets mode 0600.
pub(crate) fn create_new(path: &Path) -> Result<Database, StoreError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::AlreadyExists {
                path: path.to_path_buf(),
            },
            _ => StoreError::Io {
                path: path.to_path_buf(),
                source,
            },
        })?;
    let created = FileBackend::new(file).and_then(|backend| builder().create_with_backend(backend));
    created.map_err(|err| {
        discard(path);
        super::errors::opening(path, err)
    })
}

/// Opens the existing database at `path` for writing. redb refuses files
/// without its magic number (including empty ones) before writing
/// anything; a file a killed process left unclean is recovered on the way.
///
/// Opening for writing takes the file's write lock for a moment, so it
/// waits while another process writes: up to `wait`, then
/// [`StoreError::Busy`] names the writer.
pub(crate) fn open_existing(path: &Path, wait: Duration) -> Result<Database, StoreError> {
    opened_within(path, wait, |builder, path| builder.open(path))
}

/// Opens the existing database at `path` only to read: the file is opened
/// read-only and nothing is ever written to it (a file left unclean is
/// refused as needing recovery, which a writing open does).
pub(crate) fn open_read_only(path: &Path, wait: Duration) -> Result<ReadOnlyDatabase, StoreError> {
    opened_within(path, wait, |builder, path| builder.open_read_only(path))
}

/// Runs `open` on hrdesk's builder in a thread of its own so the wait can
/// end; one that gives up is left to finish (and close the file) on its own.
fn opened_within<D: Send + 'static>(
    path: &Path,
    wait: Duration,
    open: fn(&Builder, &Path) -> Result<D, redb::DatabaseError>,
) -> Result<D, StoreError> {
    let (opened, outcome) = mpsc::channel();
    let target = path.to_path_buf();
    std::thread::Builder::new()
        .name("open".into())
        .spawn(move || {
            // Damage can make the engine panic while it opens: the shield
            // turns that into an error on this thread too.
            let location = Location::File(target.clone());
            let result = shielded(&location, || {
                open(&builder(), &target).map_err(|err| super::errors::opening(&target, err))
            });
            // The receiver is gone only when the wait ran out: then the handle just closes.
            let _ = opened.send(result);
        })
        .map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    match outcome.recv_timeout(wait) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(StoreError::Busy {
            path: path.to_path_buf(),
            holders: registry::list(path)?,
            waited: wait,
        }),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(StoreError::Damaged {
            location: path.display().to_string(),
            detail: tr!("store.unknown_failure"),
        }),
    }
}

/// A database that lives only in memory.
pub(crate) fn in_memory() -> Result<Database, StoreError> {
    Ok(Builder::new().create_with_backend(InMemoryBackend::new())?)
}

/// Removes a file this process just created and failed to initialise.
pub(crate) fn discard(path: &Path) {
    // Best effort: the error that made us give up is the one worth reporting.
    let _ = fs::remove_file(path);
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    use redb::{ReadableDatabase, TableDefinition};

    use crate::store::test_support::{add, at, new_file_store, private, scratch_path};
    use crate::store::{DEFAULT_WAIT, Store, StoreError};

    #[test]
    fn a_new_file_is_private_to_its_owner() {
        let (_dir, path, _store) = new_file_store();
        let mode = fs::metadata(&path).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_second_handle_shares_the_file_and_reads_the_latest_commit() {
        let (_dir, path, first) = new_file_store();
        let second = Store::open(&path).expect("a second handle");
        let third =
            Store::open_or_create(&path, "bob", at(1), DEFAULT_WAIT).expect("opened, not created");
        let sales = add(&first, "Sales", None);
        assert_eq!(second.departments().expect("read"), vec![sales.clone()]);
        let hr = add(&second, "HR", None);
        assert_eq!(third.departments().expect("read"), vec![sales, hr]);
        assert_eq!(
            third.operators().expect("operators").len(),
            1,
            "not created again"
        );
    }

    #[test]
    fn missing_and_existing_paths_are_refused() {
        let (_dir, path) = scratch_path();
        let missing = Store::open(&path).err().expect("refused");
        assert!(matches!(missing, StoreError::Missing { .. }));
        assert!(!path.exists());
        fs::write(&path, b"notes").expect("write");
        let exists = Store::create(&path, "alice", at(0)).err().expect("refused");
        assert!(matches!(exists, StoreError::AlreadyExists { .. }));
        assert_eq!(fs::read(&path).expect("read"), b"notes");
    }

    #[test]
    fn files_that_are_not_databases_are_refused_and_left_untouched() {
        let garbage: Vec<u8> = (0..10_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let samples = [
            garbage,
            Vec::new(),
            b"name,department\nAda,Sales\n".to_vec(),
        ];
        for bytes in samples {
            let (_dir, path) = scratch_path();
            fs::write(&path, &bytes).expect("write");
            private(&path);
            for attempt in [
                Store::open(&path),
                Store::open_or_create(&path, "bob", at(1), DEFAULT_WAIT),
            ] {
                let err = attempt.err().expect("refused");
                assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
                assert!(err.to_string().contains(&path.display().to_string()));
            }
            assert_eq!(fs::read(&path).expect("read"), bytes);
        }
    }

    #[test]
    fn a_redb_file_of_another_program_is_not_hrdesk() {
        let foreign_tables = [
            TableDefinition::<&str, u64>::new("settings"),
            TableDefinition::<&str, u64>::new("meta"),
        ];
        for table in foreign_tables {
            let (_dir, path) = scratch_path();
            {
                let db = redb::Database::create(&path).expect("create");
                let txn = db.begin_write().expect("write");
                txn.open_table(table)
                    .expect("table")
                    .insert("answer", 42)
                    .expect("insert");
                txn.commit().expect("commit");
            }
            private(&path);
            let err = Store::open(&path).err().expect("refused");
            assert!(matches!(err, StoreError::NotHrdesk { .. }), "{err:?}");
            let db = redb::Database::open(&path).expect("still redb");
            let txn = db.begin_read().expect("read");
            let value = txn
                .open_table(table)
                .expect("table")
                .get("answer")
                .expect("get");
            assert_eq!(value.map(|v| v.value()), Some(42));
        }
    }
}
