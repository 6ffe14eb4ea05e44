//! The database file must be its owner's alone: it holds salaries,
//! national IDs and account ids, and the roles inside it protect nothing
//! from someone who can read or replace the file. Before a file is opened
//! (or created), hrdesk refuses one that anyone but its owner may read or
//! write, and one in a folder (or under one) that others may write to and
//! so could replace it, unless the folder is sticky (such as /tmp: there
//! only a file's owner may rename or remove it), or that belongs to someone
//! other than the file's owner or root. This is what OpenSSH checks of its
//! keys and PostgreSQL of its data folder; the message says which `chmod`
//! (or `chown`) fixes it. Nothing is changed: a refused file is left as it
//! was.

use std::fs::{self, DirBuilder};
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};

use super::error::StoreError;

/// Permission bits that let the group or others in.
const SHARED: u32 = 0o077;
/// Permission bits that let the group or others write.
const WRITABLE_BY_OTHERS: u32 = 0o022;
/// Only a file's owner may rename or remove it in a sticky folder.
const STICKY: u32 = 0o1000;

/// Refuses the existing database file at `path` when others could read,
/// write or replace it.
pub(crate) fn check_existing(path: &Path) -> Result<(), StoreError> {
    let Ok(file) = fs::metadata(path) else {
        // A missing or unreadable file is reported by the open itself.
        return Ok(());
    };
    if !file.is_file() {
        // So is a folder or a device where the file should be.
        return Ok(());
    }
    let mode = file.mode() & 0o7777;
    if mode & SHARED != 0 {
        return Err(StoreError::Exposed {
            path: path.to_path_buf(),
            mode,
            fix: format!("chmod 600 {}", path.display()),
        });
    }
    // Through a symbolic link, both the link's folders and the file's.
    check_folders(path, file.uid())?;
    match fs::canonicalize(path) {
        Ok(real) if real != path => check_folders(&real, file.uid()),
        _ => Ok(()),
    }
}

/// Refuses to create a database at `path` in a folder others could write to.
pub(crate) fn check_new(path: &Path) -> Result<(), StoreError> {
    check_folders(path, process_owner())
}

/// Creates `dir` and the folders above it that are missing, each private
/// to this account (0700); folders already there are left as they are.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// The user id this process runs as (the owner of its `/proc` entry).
fn process_owner() -> u32 {
    fs::metadata("/proc/self").map_or(0, |m| m.uid())
}

/// Walks the folders from `path`'s own up to `/` (symbolic links
/// resolved), refusing one that others may write to (unless sticky) or
/// that belongs to neither `owner` nor root.
fn check_folders(path: &Path, owner: u32) -> Result<(), StoreError> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(start) = fs::canonicalize(&parent) else {
        return Ok(());
    };
    for folder in start.ancestors() {
        let Ok(meta) = fs::metadata(folder) else {
            continue;
        };
        let mode = meta.mode() & 0o7777;
        let reason = if mode & WRITABLE_BY_OTHERS != 0 && mode & STICKY == 0 {
            Some(format!("chmod go-w {}", folder.display()))
        } else if meta.uid() != owner && meta.uid() != 0 {
            Some(format!("chown {owner} {}", folder.display()))
        } else {
            None
        };
        if let Some(fix) = reason {
            return Err(StoreError::ExposedFolder {
                path: path.to_path_buf(),
                folder: folder.to_path_buf(),
                mode,
                fix,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn chmod(path: &Path, mode: u32) {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
    }

    #[test]
    fn a_file_others_may_read_is_refused_with_the_chmod_that_fixes_it() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("hr.redb");
        fs::write(&file, b"x").expect("write");
        for mode in [0o640, 0o604, 0o660, 0o644] {
            chmod(&file, mode);
            let err = check_existing(&file).expect_err("refused");
            let text = err.to_string();
            assert!(
                text.contains(&format!("chmod 600 {}", file.display())),
                "{text}"
            );
            assert!(text.contains(&format!("{mode:04o}")), "{text}");
        }
        chmod(&file, 0o600);
        check_existing(&file).expect("private");
    }

    #[test]
    fn a_folder_others_may_write_to_is_refused_unless_sticky() {
        let dir = tempfile::tempdir().expect("dir");
        let shared = dir.path().join("shared");
        create_private_dir(&shared).expect("mkdir");
        let file = shared.join("hr.redb");
        fs::write(&file, b"x").expect("write");
        chmod(&file, 0o600);
        chmod(&shared, 0o775);
        let err = check_existing(&file).expect_err("refused");
        assert!(
            err.to_string()
                .contains(&format!("chmod go-w {}", shared.display())),
            "{err}"
        );
        assert!(check_new(&shared.join("new.redb")).is_err());
        chmod(&shared, 0o1777);
        check_existing(&file).expect("sticky, like /tmp");
        chmod(&shared, 0o700);
        check_existing(&file).expect("private");
    }

    #[test]
    fn a_link_to_a_file_in_a_folder_others_may_write_to_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let shared = dir.path().join("shared");
        let private = dir.path().join("private");
        create_private_dir(&shared).expect("mkdir");
        create_private_dir(&private).expect("mkdir");
        let file = shared.join("hr.redb");
        fs::write(&file, b"x").expect("write");
        chmod(&file, 0o600);
        chmod(&shared, 0o777);
        let link = private.join("hr.redb");
        std::os::unix::fs::symlink(&file, &link).expect("link");
        let err = check_existing(&link).expect_err("refused");
        assert!(err.to_string().contains("chmod go-w"), "{err}");
        chmod(&shared, 0o700);
        check_existing(&link).expect("both private");
    }

    #[test]
    fn folders_made_for_a_database_are_private() {
        let dir = tempfile::tempdir().expect("dir");
        let deep = dir.path().join("a/b");
        create_private_dir(&deep).expect("mkdir");
        for folder in [dir.path().join("a"), deep] {
            let mode = fs::metadata(&folder).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o700, "{}", folder.display());
        }
    }
}
