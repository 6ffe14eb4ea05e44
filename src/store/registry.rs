//! The session registry: which processes have a database file open, who
//! for, doing what, since when, and whether one is writing now. Each process
//! keeps one small file in a folder beside the database (`NAME.sessions/`,
//! mode 0700), holding an exclusive lock on it for as long as it runs. The
//! kernel drops the lock when a process ends however it ends, so a file
//! whose lock can be taken belongs to a process that is gone: listing
//! removes it. Nothing here is needed for correctness of the data (redb
//! coordinates the writers); it is what tells people who else is in.

use std::fs::{self, DirBuilder, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::StoreError;

/// One process with the database open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The process id.
    pub pid: u32,
    /// The operator it is logged in as.
    pub operator: String,
    /// What it is: `console`, or the command (`import staff`, `audit bindings`).
    pub what: String,
    /// When it joined.
    pub since: DateTime<Utc>,
    /// When its current write transaction began, while it holds one.
    pub writing_since: Option<DateTime<Utc>>,
}

/// The registry folder of the database at `database`.
pub(crate) fn folder_of(database: &Path) -> PathBuf {
    let mut name = database.file_name().unwrap_or_default().to_os_string();
    name.push(".sessions");
    database.with_file_name(name)
}

/// The sessions registered for the database at `database`, oldest first;
/// files left by processes that are gone are removed on the way.
pub(crate) fn list(database: &Path) -> Result<Vec<SessionInfo>, StoreError> {
    let folder = folder_of(database);
    let entries = match fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::Io {
                path: folder,
                source,
            });
        }
    };
    let mut sessions = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "session")
            && let Some(info) = read_live(&path)
        {
            sessions.push(info);
        }
    }
    sessions.sort_by_key(|s| (s.since, s.pid));
    Ok(sessions)
}

/// The session in the file at `path` if its process still holds the lock;
/// a file nobody holds is removed.
fn read_live(path: &Path) -> Option<SessionInfo> {
    let mut file = File::open(path).ok()?;
    match file.try_lock_shared() {
        Ok(()) => {
            // Its process is gone (the kernel released its lock).
            let _ = fs::remove_file(path);
            None
        }
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            file.read_to_string(&mut text).ok()?;
            serde_json::from_str(text.trim_end_matches('\0').trim()).ok()
        }
        Err(TryLockError::Error(_)) => None,
    }
}

/// The registry files this process holds, so that a signal handler can
/// remove them before the process exits.
static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes this process's registry files (for an exit that skips destructors).
pub fn leave_all() {
    if let Ok(mut held) = HELD.lock() {
        for path in held.drain(..) {
            let _ = fs::remove_file(path);
        }
    }
}

/// This process's place in a registry: the locked file, removed on drop.
pub(crate) struct Membership {
    file: File,
    path: PathBuf,
    info: SessionInfo,
}

impl Membership {
    /// Registers this process for the database at `database`.
    pub(crate) fn join(database: &Path, info: SessionInfo) -> Result<Membership, StoreError> {
        let folder = folder_of(database);
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&folder)
            .map_err(|source| StoreError::Io {
                path: folder.clone(),
                source,
            })?;
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        // Locked before it is given its listed name, so a listing never
        // mistakes a file being born for one whose process is gone.
        let unique = format!(
            "{}-{}",
            info.pid,
            info.since.timestamp_nanos_opt().unwrap_or(0)
        );
        let draft = folder.join(format!("{unique}.joining"));
        let path = folder.join(format!("{unique}.session"));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&draft)
            .map_err(io(&draft))?;
        file.lock().map_err(io(&draft))?;
        let mut membership = Membership {
            file,
            path: draft.clone(),
            info,
        };
        membership.save()?;
        fs::rename(&draft, &path).map_err(io(&path))?;
        membership.path = path.clone();
        if let Ok(mut held) = HELD.lock() {
            held.push(path);
        }
        Ok(membership)
    }

    /// Marks this process as writing since `at`, or as no longer writing.
    pub(crate) fn set_writing(&mut self, at: Option<DateTime<Utc>>) {
        self.info.writing_since = at;
        // The registry informs; a failure to update it must not fail the write.
        let _ = self.save();
    }

    fn save(&mut self) -> Result<(), StoreError> {
        let text = serde_json::to_string(&self.info)
            .map_err(|err| StoreError::Database(err.to_string()))?;
        let file = &mut self.file;
        let written = file
            .set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(text.as_bytes()));
        written.map_err(|source| StoreError::Io {
            path: self.path.clone(),
            source,
        })
    }
}

impl Drop for Membership {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
        if let Ok(mut held) = HELD.lock() {
            held.retain(|p| p != &self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::at;

    fn info(pid: u32, what: &str, minute: i64) -> SessionInfo {
        SessionInfo {
            pid,
            operator: "hr.zhang".into(),
            what: what.into(),
            since: at(minute),
            writing_since: None,
        }
    }

    #[test]
    fn members_are_listed_until_they_leave() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hr.redb");
        assert_eq!(list(&db).unwrap(), vec![]);
        let console = Membership::join(&db, info(10, "console", 1)).unwrap();
        let mut import = Membership::join(&db, info(11, "import staff", 2)).unwrap();
        import.set_writing(Some(at(3)));
        let listed = list(&db).unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0], info(10, "console", 1));
        assert_eq!(listed[1].writing_since, Some(at(3)));
        drop(import);
        assert_eq!(list(&db).unwrap(), vec![info(10, "console", 1)]);
        drop(console);
        assert_eq!(list(&db).unwrap(), vec![]);
    }

    #[test]
    fn the_folder_is_private_and_named_after_the_database() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hr.redb");
        let _member = Membership::join(&db, info(10, "console", 1)).unwrap();
        let folder = dir.path().join("hr.redb.sessions");
        let mode = fs::metadata(&folder).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn a_file_whose_process_is_gone_is_removed_by_a_listing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hr.redb");
        let live = Membership::join(&db, info(10, "console", 1)).unwrap();
        // What a killed process leaves: its file, with nobody holding the lock.
        let stale = folder_of(&db).join("99-0.session");
        fs::write(
            &stale,
            serde_json::to_string(&info(99, "import staff", 0)).unwrap(),
        )
        .unwrap();
        assert_eq!(list(&db).unwrap(), vec![info(10, "console", 1)]);
        assert!(!stale.exists());
        drop(live);
    }
}
