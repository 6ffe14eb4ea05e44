//! Noticing that the database file changed: another process committed,
//! or the file was replaced (a restore). The folder holding the file is
//! watched (inotify, through `notify`), so a file replaced by a rename is
//! noticed too; the console then compares the change feed. Nothing polls:
//! an idle console stays asleep until the kernel says the file moved.

use std::ffi::OsString;
use std::path::Path;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// A running watch; dropping it stops watching.
pub struct FileWatch {
    _watcher: RecommendedWatcher,
}

/// Calls `wake` (from the watcher's thread) whenever the file at
/// `database` is written, created, renamed or removed.
pub fn watch_database(
    database: &Path,
    wake: impl Fn() + Send + 'static,
) -> notify::Result<FileWatch> {
    let name: OsString = database.file_name().unwrap_or_default().to_os_string();
    let folder = match database.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let touches_file = event.is_ok_and(|event| {
            let kind = event.kind;
            (kind.is_modify() || kind.is_create() || kind.is_remove())
                && event
                    .paths
                    .iter()
                    .any(|p| p.file_name() == Some(name.as_os_str()))
        });
        if touches_file {
            wake();
        }
    })?;
    watcher.watch(&folder, RecursiveMode::NonRecursive)?;
    Ok(FileWatch { _watcher: watcher })
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_write_to_the_file_wakes_and_a_neighbour_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hr.redb");
        std::fs::write(&db, b"v1").unwrap();
        let (woke, wakes) = mpsc::channel();
        let _watch = watch_database(&db, move || {
            let _ = woke.send(());
        })
        .unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        assert!(wakes.recv_timeout(Duration::from_millis(300)).is_err());
        std::fs::write(&db, b"v2").unwrap();
        assert!(wakes.recv_timeout(Duration::from_secs(2)).is_ok());
    }

    #[test]
    fn a_file_replaced_by_a_rename_wakes() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hr.redb");
        std::fs::write(&db, b"v1").unwrap();
        let restored = dir.path().join("backup.redb");
        std::fs::write(&restored, b"v0").unwrap();
        let (woke, wakes) = mpsc::channel();
        let _watch = watch_database(&db, move || {
            let _ = woke.send(());
        })
        .unwrap();
        std::fs::rename(&restored, &db).unwrap();
        assert!(wakes.recv_timeout(Duration::from_secs(2)).is_ok());
    }
}
