//! A new database file that takes its name only once it is whole. An
//! import into a database that does not exist yet is written to a draft
//! beside it (`.NAME.draft-PID`, private like any database file), checked
//! as it is written; a clean draft is linked into place, and whatever
//! else happens (problems in the sheet, an error, a cancel) the draft and
//! its session folder are removed: no file is left under the name, and no
//! half-made one under any other. The draft's first audit entry names the
//! database it becomes, and nothing else in the file knows the draft's
//! name.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::registry::folder_of;
use super::{Store, StoreError};

/// A database being made for `target` (see the module's doc).
#[derive(Debug)]
pub struct Draft {
    target: PathBuf,
    path: PathBuf,
}

impl Draft {
    /// A draft of the database `target`, in the same folder.
    pub fn beside(target: &Path) -> Draft {
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let path = target.with_file_name(format!(".{name}.draft-{}", std::process::id()));
        Draft {
            target: target.to_path_buf(),
            path,
        }
    }

    /// Where the draft is written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Creates the draft's database, `creator` its admin, its first audit
    /// entry naming the target.
    pub fn create(&self, creator: &str, at: DateTime<Utc>) -> Result<Store, StoreError> {
        Store::create_named(&self.path, &self.target, creator, at)
    }

    /// Gives the draft (its store closed) the target's name. Refused, the
    /// draft removed, when a file of that name appeared meanwhile: nothing
    /// is ever written over.
    pub fn publish(self) -> Result<(), StoreError> {
        // A second name for the same file: made only if the name is free.
        fs::hard_link(&self.path, &self.target).map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::AlreadyExists {
                path: self.target.clone(),
            },
            _ => StoreError::Io {
                path: self.target.clone(),
                source,
            },
        })
    }
}

impl Drop for Draft {
    /// The draft's own name and session folder go; a published draft lives
    /// on under the target's.
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
        let _ = fs::remove_dir_all(folder_of(&self.path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{add, at, scratch_path};

    /// The files in `dir`, by name.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_published_draft_is_the_database_and_names_it_in_its_log() {
        let (dir, target) = scratch_path();
        let draft = Draft::beside(&target);
        let store = draft.create("alice", at(0)).expect("create");
        add(&store, "Acme", None);
        drop(store);
        assert!(
            !target.exists(),
            "no file under the name before it is whole"
        );
        draft.publish().expect("publish");
        let file = target.file_name().expect("name").to_string_lossy();
        assert_eq!(names(dir.path()), [file.to_string()]);
        let store = Store::open(&target).expect("open");
        let created = &store.audit_entries().expect("log")[0];
        assert_eq!(created.record.action, "database.create");
        assert_eq!(created.record.entity_id, target.display().to_string());
    }

    #[test]
    fn a_draft_let_go_leaves_nothing_and_one_never_writes_over_a_file() {
        let (dir, target) = scratch_path();
        let draft = Draft::beside(&target);
        drop(draft.create("alice", at(0)).expect("create"));
        drop(draft);
        assert!(names(dir.path()).is_empty());

        let draft = Draft::beside(&target);
        drop(draft.create("alice", at(0)).expect("create"));
        fs::write(&target, b"someone else's").expect("write");
        let refused = draft.publish();
        assert!(matches!(refused, Err(StoreError::AlreadyExists { .. })));
        assert_eq!(fs::read(&target).expect("read"), b"someone else's");
        let file = target.file_name().expect("name").to_string_lossy();
        assert_eq!(names(dir.path()), [file.to_string()]);
    }
}
