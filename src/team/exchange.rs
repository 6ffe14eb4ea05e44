//! Files an operator names (a sheet to import, an export to take away).
//! Locally, any file the operator's account may read or make. In an SSH
//! session, where every operator works as the one service account, only
//! files inside the exchange folder (config.toml's `exchange`, else
//! `exchange` beside the database): a relative name is taken from that
//! folder, and whatever a name resolves to (through `..` or symbolic
//! links) must lie inside it, so that `import staff
//! ~/.ssh/authorized_keys` cannot echo another file's lines, nor an export
//! land in another's files. A file made here is new: none is written over.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::tr;

/// The folder file names are confined to, once an SSH session set it.
static FOLDER: OnceLock<PathBuf> = OnceLock::new();

/// The largest file read, in megabytes, unless config.toml says otherwise.
pub const DEFAULT_LIMIT_MB: u64 = 200;

/// The largest file read, in bytes, once config.toml set it.
static LIMIT: OnceLock<u64> = OnceLock::new();

/// Reads no file larger than `megabytes` for the rest of this process.
pub fn limit_size(megabytes: u64) {
    let _ = LIMIT.set(megabytes.saturating_mul(MEGABYTE));
}

const MEGABYTE: u64 = 1024 * 1024;

/// The largest file read, in bytes.
fn limit() -> u64 {
    LIMIT.get().copied().unwrap_or(DEFAULT_LIMIT_MB * MEGABYTE)
}

/// Confines the file names of the rest of this process to `folder`,
/// making it (private to the account) when it does not exist yet.
pub fn confine_to(folder: PathBuf) -> std::io::Result<()> {
    if !folder.exists() {
        crate::store::create_private_dir(&folder)?;
    }
    let _ = FOLDER.set(folder);
    Ok(())
}

/// The folder file names are confined to, if any.
pub fn folder() -> Option<&'static Path> {
    FOLDER.get().map(PathBuf::as_path)
}

/// The folder an SSH session's files are taken from when config.toml names
/// none: `exchange` beside the database `db`.
pub fn default_folder(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("exchange")
}

/// Why a named file was not read; each says which file, in a sentence.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The name leads out of the exchange folder: not the operator's to read.
    #[error("{0}")]
    Outside(String),
    /// The file (or the folder) is missing or unreadable.
    #[error("{0}")]
    Unreadable(String),
    /// The file is larger than an import reads (refused before it is read).
    #[error("{0}")]
    TooLarge(String),
    /// The file cannot be made (it exists already, or the folder refuses).
    #[error("{0}")]
    Unwritable(String),
}

/// The contents of the file the operator named `name`.
pub fn read(name: &Path) -> Result<Vec<u8>, FileError> {
    let file = open_named(name)?;
    let stated = file.metadata().map_or(0, |meta| meta.len());
    read_within_limit(file, name, stated)
}

/// The file the operator named `name` (found as [`read`] finds it), open
/// to be read as it is used, when it is a regular file no larger than the
/// limit; `None` for anything else (a device, a pipe), which [`read`]
/// takes whole.
pub fn open(name: &Path) -> Result<Option<std::fs::File>, FileError> {
    let file = open_named(name)?;
    let meta = file.metadata().map_err(|e| unreadable(name, e))?;
    if !meta.is_file() {
        return Ok(None);
    }
    if meta.len() > limit() {
        return Err(too_large(name));
    }
    Ok(Some(file))
}

/// The file named `name`, where the operator may read, opened.
fn open_named(name: &Path) -> Result<std::fs::File, FileError> {
    let path = resolve(name, folder())?;
    std::fs::File::open(&path).map_err(|e| unreadable(name, e))
}

fn unreadable(name: &Path, error: std::io::Error) -> FileError {
    FileError::Unreadable(tr!(
        "cli.read_failed",
        path = name.display(),
        reason = error
    ))
}

/// The refusal of the file `name` for being larger than the limit.
fn too_large(name: &Path) -> FileError {
    FileError::TooLarge(tr!(
        "exchange.too_large",
        name = name.display().to_string().escape_debug(),
        limit = limit() / MEGABYTE
    ))
}

/// A new file named `name` for the operator to take away, made private to
/// the account, and where it is (in full): locally where the name leads
/// (from the current directory); in an SSH session inside the exchange
/// folder, as [`read`] takes names. An existing file is never written over
/// (nor a link at its place followed).
pub fn create(name: &Path) -> Result<(std::fs::File, PathBuf), FileError> {
    let path = writable(name, folder())?;
    let path = if path.is_absolute() {
        path
    } else {
        std::env::current_dir()
            .map(|dir| dir.join(&path))
            .unwrap_or(path)
    };
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
    };
    let file = file.map_err(|e| {
        FileError::Unwritable(match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                tr!("exchange.exists", path = path.display())
            }
            _ => tr!("exchange.write_failed", path = path.display(), reason = e),
        })
    })?;
    Ok((file, path))
}

/// Makes the new file `name` (see [`create`]) and has `fill` write it,
/// then flushes it to disk; where it is. A file that could not be written
/// whole is removed again: a failed export leaves nothing behind.
pub fn write_new(
    name: &Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<PathBuf, FileError> {
    fill_new(name, |file| {
        let mut out = std::io::BufWriter::new(file);
        fill(&mut out).and_then(|()| out.into_inner().map_err(|e| e.into_error()))
    })
}

/// Makes the new file `name` (see [`create`]) and hands it to `fill`,
/// which writes it and gives it back, then flushes it to disk; where it
/// is. A file that could not be written whole is removed again.
pub fn fill_new(
    name: &Path,
    fill: impl FnOnce(std::fs::File) -> std::io::Result<std::fs::File>,
) -> Result<PathBuf, FileError> {
    let (file, path) = create(name)?;
    let written = fill(file).and_then(|file| file.sync_all());
    match written {
        Ok(()) => Ok(path),
        Err(err) => {
            let _ = std::fs::remove_file(&path);
            Err(FileError::Unwritable(tr!(
                "exchange.write_failed",
                path = path.display(),
                reason = err
            )))
        }
    }
}

/// Where a new file named `name` goes: itself, or inside `folder` when
/// file names are confined to one (the folder it lands in must be there,
/// inside it).
fn writable(name: &Path, folder: Option<&Path>) -> Result<PathBuf, FileError> {
    let Some(folder) = folder else {
        return Ok(name.to_path_buf());
    };
    let root = root_of(folder, FileError::Unwritable)?;
    let outside = || {
        FileError::Outside(tr!(
            "exchange.outside_write",
            name = name.display().to_string().escape_debug(),
            folder = folder.display()
        ))
    };
    let target = root.join(name);
    let (Some(parent), Some(file)) = (target.parent(), target.file_name()) else {
        return Err(outside());
    };
    let parent = parent.canonicalize().map_err(|_| outside())?;
    if parent.starts_with(&root) {
        Ok(parent.join(file))
    } else {
        Err(outside())
    }
}

/// Standard input, for a file named `-`, no larger than a file may be.
pub fn read_stdin() -> Result<Vec<u8>, FileError> {
    read_within_limit(std::io::stdin().lock(), Path::new("-"), 0)
}

/// Everything `source` (the file `name`, of `stated` bytes) holds, refused
/// as soon as it passes the limit (a file's stated size is not trusted: it
/// may grow, or be a device; it is only room made in advance).
fn read_within_limit(
    source: impl std::io::Read,
    name: &Path,
    stated: u64,
) -> Result<Vec<u8>, FileError> {
    use std::io::Read;
    let limit = limit();
    let room = usize::try_from(stated.min(limit)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(room.saturating_add(1));
    source
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(name, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(name));
    }
    Ok(bytes)
}

/// The exchange folder's real path; a folder that is not there is the
/// error `kind` (reading or writing) says.
fn root_of(folder: &Path, kind: fn(String) -> FileError) -> Result<PathBuf, FileError> {
    folder.canonicalize().map_err(|e| {
        kind(tr!(
            "exchange.no_folder",
            folder = folder.display(),
            reason = e
        ))
    })
}

/// Where `name` leads: itself, or inside `folder` when file names are
/// confined to one.
fn resolve(name: &Path, folder: Option<&Path>) -> Result<PathBuf, FileError> {
    let Some(folder) = folder else {
        return Ok(name.to_path_buf());
    };
    let root = root_of(folder, FileError::Unreadable)?;
    let outside = || {
        FileError::Outside(tr!(
            "exchange.outside",
            name = name.display().to_string().escape_debug(),
            folder = folder.display()
        ))
    };
    let target = root.join(name).canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound if !name.is_absolute() => FileError::Unreadable(tr!(
            "exchange.missing",
            name = name.display().to_string().escape_debug(),
            folder = folder.display()
        )),
        _ => outside(),
    })?;
    if target.starts_with(&root) {
        Ok(target)
    } else {
        Err(outside())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_with_sheet() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path().join("exchange");
        std::fs::create_dir(&folder).expect("folder");
        std::fs::write(folder.join("staff.csv"), "emp_no\n").expect("sheet");
        std::fs::write(dir.path().join("secret"), "key\n").expect("secret");
        (dir, folder)
    }

    #[test]
    fn unconfined_names_are_taken_as_they_are() {
        let name = Path::new("/etc/hostname");
        assert_eq!(resolve(name, None), Ok(name.to_path_buf()));
    }

    #[test]
    fn a_confined_name_is_read_from_the_folder_and_may_be_given_in_full() {
        let (_dir, folder) = folder_with_sheet();
        let inside = folder.canonicalize().expect("canon").join("staff.csv");
        assert_eq!(
            resolve(Path::new("staff.csv"), Some(&folder)),
            Ok(inside.clone())
        );
        assert_eq!(
            resolve(&folder.join("staff.csv"), Some(&folder)),
            Ok(inside)
        );
    }

    #[test]
    fn names_that_lead_out_of_the_folder_are_refused() {
        let (dir, folder) = folder_with_sheet();
        std::os::unix::fs::symlink(dir.path().join("secret"), folder.join("link.csv"))
            .expect("symlink");
        for name in [
            PathBuf::from("../secret"),
            dir.path().join("secret"),
            PathBuf::from("link.csv"),
            PathBuf::from("/etc/passwd"),
        ] {
            let refused = resolve(&name, Some(&folder)).expect_err("outside");
            assert!(matches!(refused, FileError::Outside(_)), "{refused}");
            assert!(refused.to_string().contains("exchange folder"), "{refused}");
        }
    }

    #[test]
    fn a_refused_name_is_echoed_without_its_control_characters() {
        let (_dir, folder) = folder_with_sheet();
        let refused = resolve(Path::new("/etc/\u{1b}[2Jx"), Some(&folder)).expect_err("outside");
        let message = refused.to_string();
        assert!(!message.contains('\u{1b}'), "{message}");
        assert!(message.contains("\\u{1b}[2Jx"), "{message}");
    }

    #[test]
    fn a_new_file_that_could_not_be_written_whole_is_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let name = dir.path().join("half.csv");
        let failed = write_new(&name, |out| {
            out.write_all(b"emp_no,name\nE000001,")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(matches!(failed, Err(FileError::Unwritable(ref why)) if why.contains("disk full")));
        assert!(!name.exists(), "nothing left behind");
        let made = write_new(&name, |out| out.write_all(b"whole\n")).expect("written");
        assert_eq!(std::fs::read(made).expect("read"), b"whole\n");
    }

    #[test]
    fn a_new_file_goes_inside_the_folder_and_never_over_another() {
        let (dir, folder) = folder_with_sheet();
        let root = folder.canonicalize().expect("canon");
        assert_eq!(
            writable(Path::new("out.csv"), Some(&folder)),
            Ok(root.join("out.csv"))
        );
        for name in [
            PathBuf::from("../out.csv"),
            dir.path().join("out.csv"),
            PathBuf::from("/tmp/out.csv"),
            PathBuf::from("nowhere/out.csv"),
            PathBuf::from(".."),
        ] {
            let refused = writable(&name, Some(&folder)).expect_err("outside");
            assert!(
                matches!(refused, FileError::Outside(_)),
                "{name:?}: {refused}"
            );
        }
        let (_, made) = create(&dir.path().join("new.csv")).expect("made");
        assert_eq!(made, dir.path().join("new.csv"));
        let again = create(&made).expect_err("exists");
        assert!(again.to_string().contains("new.csv"), "{again}");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&made).expect("meta").permissions().mode();
        assert_eq!(mode & 0o077, 0, "private to the account");
    }

    #[test]
    fn a_missing_file_or_folder_is_named() {
        let (dir, folder) = folder_with_sheet();
        let missing = resolve(Path::new("nope.csv"), Some(&folder)).expect_err("missing");
        assert!(missing.to_string().contains("nope.csv"), "{missing}");
        let gone =
            resolve(Path::new("staff.csv"), Some(&dir.path().join("none"))).expect_err("no folder");
        assert!(gone.to_string().contains("none"), "{gone}");
    }
}
