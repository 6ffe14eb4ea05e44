//! The operators' lines in the service account's `authorized_keys` (the
//! gitolite model): one per operator key, between the lines `# hrdesk
//! begin` and `# hrdesk end`, each forcing
//! `hrdesk --db DB ssh-session NAME --key SHA256:…` (see [`super::ssh`]).
//! An operator's lines are those naming both them and their database, so
//! that several databases may share one account (and a test's database
//! never matches a real one's lines).
//!
//! Every byte outside the section is left as it was. A broken section (a
//! begin without its end, two begins, an end alone, a line hrdesk does not
//! write) is refused with the file and line, and so is a key that another
//! line already holds, in the section or outside it (sshd uses the first
//! line that matches a key). The file is replaced
//! atomically, under a lock on its folder: a private temporary file in the
//! same folder, written, synced and renamed over it. It is 0600, a folder
//! made for it 0700, and both belong to the account that owns the database.
//!
//! Which file: `authorized_keys` in config.toml, else
//! `.ssh/authorized_keys` in the home folder the system's user database gives the owner
//! of the database file (never `$HOME`, which says who runs hrdesk, not
//! whose the database is).

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write as _};
use std::ops::Range;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::identity;
use super::public_key::PublicKey;
use crate::tr;

/// The lines around hrdesk's section.
const BEGIN: &str = "# hrdesk begin"; // data: a marker in the file
const END: &str = "# hrdesk end"; // data: a marker in the file

/// The options of a key line after its forced command: no forwarding of
/// any kind, and a terminal for the console.
const OPTIONS: &str = ",restrict,pty";

/// An account's user and group ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Account {
    uid: u32,
    gid: u32,
}

/// Why the file cannot be read, or a change to it made.
#[derive(Debug)]
pub enum KeysError {
    /// The database's owner has no home folder to look in.
    NoHome(u32),
    Read {
        path: PathBuf,
        reason: String,
    },
    Write {
        path: PathBuf,
        reason: String,
    },
    Broken {
        path: PathBuf,
        line: usize,
        why: Broken,
    },
    /// The key is on another operator's line (of `db`, when that is
    /// another database).
    Held {
        user: String,
        db: Option<String>,
    },
    /// The key is on a line outside the section.
    Outside {
        path: PathBuf,
        line: usize,
    },
    /// A word that cannot go in a forced command.
    Unquotable(String),
    NoProgram(String),
}

/// What is wrong with a section.
#[derive(Debug)]
pub enum Broken {
    SecondBegin,
    BeginWithoutEnd,
    EndWithoutBegin,
    NotText,
    /// A line that is not a forced `ssh-session` with a key.
    Foreign,
    Key(super::public_key::KeyError),
    /// The fingerprint in the command is not the line's key's.
    Fingerprint {
        written: String,
        key: String,
    },
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Broken::SecondBegin => tr!("keys.broken.second_begin", marker = BEGIN),
            Broken::BeginWithoutEnd => tr!("keys.broken.no_end", marker = END),
            Broken::EndWithoutBegin => tr!("keys.broken.no_begin", marker = BEGIN),
            Broken::NotText => tr!("keys.broken.not_text"),
            Broken::Foreign => tr!("keys.broken.foreign"),
            Broken::Key(err) => err.to_string(),
            Broken::Fingerprint { written, key } => {
                tr!("keys.broken.fingerprint", written = written, key = key)
            }
        };
        f.write_str(&text)
    }
}

impl fmt::Display for KeysError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            KeysError::NoHome(uid) => tr!("keys.no_home", uid = uid),
            KeysError::Read { path, reason } => {
                tr!("keys.read_failed", path = path.display(), reason = reason)
            }
            KeysError::Write { path, reason } => {
                tr!("keys.write_failed", path = path.display(), reason = reason)
            }
            KeysError::Broken { path, line, why } => tr!(
                "keys.broken.at",
                path = path.display(),
                line = line,
                why = why,
                begin = BEGIN,
                end = END
            ),
            KeysError::Held { user, db: None } => tr!("keys.held", user = user),
            KeysError::Held { user, db: Some(db) } => {
                tr!("keys.held_elsewhere", user = user, db = db)
            }
            KeysError::Outside { path, line } => {
                tr!("keys.outside", path = path.display(), line = line)
            }
            KeysError::Unquotable(word) => tr!("keys.unquotable", word = word),
            KeysError::NoProgram(reason) => tr!("keys.no_program", reason = reason),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for KeysError {}

/// Whom a line lets in: an operator of a database (its path as the
/// line's `--db` gives it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    operator: String,
    db: String,
}

impl Holder {
    /// `operator` of the database `db` (its path made absolute, symbolic
    /// links resolved when it exists). Both must be able to go inside the
    /// double quotes of `command="…"`, which may hold no `"` or `\` (sshd
    /// would read them as its own escapes) nor control characters; the
    /// name may not start with a dash (it would read as an option).
    pub fn new(operator: &str, db: &Path) -> Result<Holder, KeysError> {
        let db = fs::canonicalize(db)
            .or_else(|_| std::path::absolute(db))
            .map_err(|e| KeysError::Read {
                path: db.to_path_buf(),
                reason: e.to_string(),
            })?;
        if operator.starts_with('-') {
            return Err(KeysError::Unquotable(operator.escape_debug().to_string()));
        }
        Ok(Holder {
            operator: quotable(operator)?.to_string(),
            db: path_word(&db)?.to_string(),
        })
    }
}

/// One line: whom it lets in, with which key, and the line as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyLine {
    holder: Holder,
    key: PublicKey,
    text: String,
}

impl KeyLine {
    /// The line that lets `key` in as `holder`: this program's
    /// `ssh-session`, every word shell-quoted, inside `command="…"`.
    pub fn new(holder: &Holder, key: &PublicKey) -> Result<KeyLine, KeysError> {
        let program = std::env::current_exe().map_err(|e| KeysError::NoProgram(e.to_string()))?;
        let words = [
            path_word(&program)?,
            "--db",
            &holder.db,
            "ssh-session",
            &holder.operator,
            "--key",
            key.fingerprint(),
        ];
        let command = words
            .iter()
            .map(|word| shell_words::quote(word))
            .collect::<Vec<_>>()
            .join(" ");
        Ok(KeyLine {
            holder: holder.clone(),
            key: key.clone(),
            text: format!("command=\"{command}\"{OPTIONS} {}", key.line()),
        })
    }

    /// Reads a line of the section back: whom it lets in, with which key.
    fn read(text: &str) -> Result<KeyLine, Broken> {
        let (options, key) = split_options(text).ok_or(Broken::Foreign)?;
        let command = options
            .strip_prefix("command=\"")
            .and_then(|rest| rest.split_once('"'))
            .map(|(command, _)| command)
            .ok_or(Broken::Foreign)?;
        let words = shell_words::split(command).map_err(|_| Broken::Foreign)?;
        let after = |flag: &str| {
            words
                .iter()
                .position(|word| word == flag)
                .and_then(|at| words.get(at + 1))
                .ok_or(Broken::Foreign)
        };
        let operator = after("ssh-session")?;
        let db = after("--db")?;
        let written = after("--key")?;
        let key = PublicKey::parse(key).map_err(Broken::Key)?;
        if written != key.fingerprint() {
            return Err(Broken::Fingerprint {
                written: written.escape_debug().to_string(),
                key: key.fingerprint().to_string(),
            });
        }
        Ok(KeyLine {
            holder: Holder {
                operator: operator.clone(),
                db: db.clone(),
            },
            key,
            text: text.to_string(),
        })
    }

    /// Whom the line lets in.
    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    /// The key as the audit log names it.
    pub fn describe(&self) -> String {
        self.key.describe()
    }
}

/// `path` as a word of a forced command.
fn path_word(path: &Path) -> Result<&str, KeysError> {
    let text = path.to_str().ok_or_else(|| {
        KeysError::Unquotable(path.display().to_string().escape_debug().to_string())
    })?;
    quotable(text)
}

/// `word`, if it can go inside sshd's double quotes.
fn quotable(word: &str) -> Result<&str, KeysError> {
    if word.contains(['"', '\\']) || word.chars().any(char::is_control) {
        return Err(KeysError::Unquotable(word.escape_debug().to_string()));
    }
    Ok(word)
}

/// A key line's options and its key, split at the first space outside
/// double quotes; `None` when there is no such space.
fn split_options(line: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    let mut escaped = false;
    for (at, c) in line.char_indices() {
        match c {
            '\\' if quoted && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => quoted = !quoted,
            ' ' | '\t' if !quoted => return Some((&line[..at], line[at..].trim_start())),
            _ => {}
        }
        escaped = false;
    }
    None
}

/// The fingerprint of the key on a line outside the section, if it holds one.
fn key_outside(line: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(line);
    let text = text.trim();
    if text.is_empty() || text.starts_with('#') {
        return None;
    }
    let key = match PublicKey::parse(text) {
        Ok(key) => key,
        Err(_) => PublicKey::parse(split_options(text)?.1).ok()?,
    };
    Some(key.fingerprint().to_string())
}

/// The file's bytes, with hrdesk's section found in them.
#[derive(Debug)]
pub struct Contents {
    bytes: Vec<u8>,
    /// Where the section's lines are (after the begin line, before the
    /// end line); `None` when the file has no section.
    section: Option<Range<usize>>,
    lines: Vec<KeyLine>,
    /// The keys on lines outside the section: line number, fingerprint.
    outside: Vec<(usize, String)>,
    path: PathBuf,
}

impl Contents {
    /// Finds the section in `bytes`, the text of `path`.
    fn parse(path: &Path, bytes: Vec<u8>) -> Result<Contents, KeysError> {
        let broken = |line, why| KeysError::Broken {
            path: path.to_path_buf(),
            line,
            why,
        };
        let mut begin: Option<(usize, usize)> = None;
        let mut section = None;
        let mut lines = Vec::new();
        let mut outside = Vec::new();
        let mut offset = 0;
        for (index, raw) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
            let number = index + 1;
            let start = offset;
            offset += raw.len();
            let line = raw.strip_suffix(b"\n").unwrap_or(raw);
            let trimmed = line.trim_ascii();
            if trimmed == BEGIN.as_bytes() {
                if begin.is_some() || section.is_some() {
                    return Err(broken(number, Broken::SecondBegin));
                }
                begin = Some((number, offset));
            } else if trimmed == END.as_bytes() {
                let (_, after_begin) = begin
                    .take()
                    .ok_or_else(|| broken(number, Broken::EndWithoutBegin))?;
                section = Some(after_begin..start);
            } else if begin.is_some() {
                if trimmed.is_empty() {
                    continue;
                }
                let text =
                    std::str::from_utf8(trimmed).map_err(|_| broken(number, Broken::NotText))?;
                lines.push(KeyLine::read(text).map_err(|why| broken(number, why))?);
            } else if let Some(fingerprint) = key_outside(line) {
                outside.push((number, fingerprint));
            }
        }
        if let Some((number, _)) = begin {
            return Err(broken(number, Broken::BeginWithoutEnd));
        }
        Ok(Contents {
            bytes,
            section,
            lines,
            outside,
            path: path.to_path_buf(),
        })
    }

    /// The lines that let `holder` in, in the file's order.
    pub fn keys_of(&self, holder: &Holder) -> Vec<&KeyLine> {
        self.lines
            .iter()
            .filter(|line| line.holder == *holder)
            .collect()
    }

    /// The fingerprints of `holder`'s keys, in the file's order.
    pub fn fingerprints_of(&self, holder: &Holder) -> Vec<&str> {
        self.keys_of(holder)
            .into_iter()
            .map(|line| line.key.fingerprint())
            .collect()
    }

    /// The file with `holder`'s lines replaced by `new` (none: removed),
    /// where their first line was (else at the end of the section, made at
    /// the end of the file if there is none); `None` when that changes
    /// nothing. Refuses a key another line holds.
    pub fn replaced(
        &self,
        holder: &Holder,
        new: Option<&KeyLine>,
    ) -> Result<Option<Vec<u8>>, KeysError> {
        if let Some(new) = new {
            let fingerprint = new.key.fingerprint();
            if let Some(held) = self
                .lines
                .iter()
                .find(|line| line.holder != *holder && line.key.fingerprint() == fingerprint)
            {
                return Err(KeysError::Held {
                    user: held.holder.operator.clone(),
                    db: (held.holder.db != holder.db).then(|| held.holder.db.clone()),
                });
            }
            if let Some((line, _)) = self.outside.iter().find(|(_, f)| f == fingerprint) {
                return Err(KeysError::Outside {
                    path: self.path.clone(),
                    line: *line,
                });
            }
        }
        let mut body = String::new();
        let mut placed = false;
        for line in &self.lines {
            let text = if line.holder != *holder {
                Some(&line.text)
            } else if !placed {
                placed = true;
                new.map(|new| &new.text)
            } else {
                None
            };
            if let Some(text) = text {
                body.push_str(text);
                body.push('\n');
            }
        }
        if let (false, Some(new)) = (placed, new) {
            body.push_str(&new.text);
            body.push('\n');
        }
        let bytes = match (&self.section, new) {
            (Some(range), _) => [
                &self.bytes[..range.start],
                body.as_bytes(),
                &self.bytes[range.end..],
            ]
            .concat(),
            (None, None) => return Ok(None),
            (None, Some(_)) => {
                let mut bytes = self.bytes.clone();
                if !bytes.is_empty() && !bytes.ends_with(b"\n") {
                    bytes.push(b'\n');
                }
                bytes.extend_from_slice(format!("{BEGIN}\n{body}{END}\n").as_bytes());
                bytes
            }
        };
        Ok((bytes != self.bytes).then_some(bytes))
    }
}

/// The `authorized_keys` file of a database's account.
#[derive(Debug)]
pub struct KeysFile {
    path: PathBuf,
    /// Who a new file or folder is given to: the database's owner.
    account: Account,
}

impl KeysFile {
    /// The file for the database `db`: `configured` (config.toml's
    /// `authorized_keys`), else the one in the home folder of the owner of
    /// `db` (of this process, for a database not made yet).
    pub fn locate(configured: Option<&Path>, db: &Path) -> Result<KeysFile, KeysError> {
        let process = process_account();
        let uid = fs::metadata(db).map_or(process.uid, |meta| meta.uid());
        let entry = identity::home_of(uid);
        let account = Account {
            uid,
            gid: entry.as_ref().map_or(process.gid, |(gid, _)| *gid),
        };
        let path = match (configured, entry) {
            (Some(path), _) => path.to_path_buf(),
            (None, Some((_, home))) => home.join(".ssh").join("authorized_keys"),
            (None, None) => return Err(KeysError::NoHome(uid)),
        };
        // Through a symbolic link, the file it names is the one replaced.
        let path = fs::canonicalize(&path).unwrap_or(path);
        Ok(KeysFile { path, account })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file as it is now; a missing file is an empty one.
    pub fn read(&self) -> Result<Contents, KeysError> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == ErrorKind::NotFound => Vec::new(),
            Err(err) => {
                return Err(KeysError::Read {
                    path: self.path.clone(),
                    reason: err.to_string(),
                });
            }
        };
        Contents::parse(&self.path, bytes)
    }

    /// Replaces `holder`'s lines by `new` (none: removes them), reading
    /// the file again under the folder's lock so that a change another
    /// process made since is kept. Writes nothing when nothing changes.
    pub fn apply(&self, holder: &Holder, new: Option<&KeyLine>) -> Result<(), KeysError> {
        if self.read()?.replaced(holder, new)?.is_none() {
            return Ok(());
        }
        let folder = self.folder();
        let write_failed = |err: std::io::Error| KeysError::Write {
            path: self.path.clone(),
            reason: err.to_string(),
        };
        if !folder.exists() {
            crate::store::create_private_dir(&folder).map_err(write_failed)?;
            self.give(&File::open(&folder).map_err(write_failed)?, self.account)
                .map_err(write_failed)?;
        }
        let lock = File::open(&folder).map_err(write_failed)?;
        lock.lock().map_err(write_failed)?;
        match self.read()?.replaced(holder, new)? {
            Some(bytes) => self.replace_with(&bytes, &lock).map_err(write_failed),
            None => Ok(()),
        }
    }

    /// The folder the file is in.
    fn folder(&self) -> PathBuf {
        match self.path.parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// Writes `bytes` to a private temporary file beside the file, syncs it
    /// and renames it over the file (whose owner it keeps); `folder` is the
    /// open folder, synced after the rename.
    fn replace_with(&self, bytes: &[u8], folder: &File) -> std::io::Result<()> {
        let owner = fs::metadata(&self.path).map_or(self.account, |meta| Account {
            uid: meta.uid(),
            gid: meta.gid(),
        });
        let name = self
            .path
            .file_name()
            .map_or_else(|| "authorized_keys".into(), |n| n.to_string_lossy());
        let temporary = self
            .folder()
            .join(format!(".{name}.hrdesk-{}", std::process::id()));
        // Under the lock, a file of that name is one a killed process left.
        let _ = fs::remove_file(&temporary);
        let written = (|| {
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&temporary)?;
            file.set_permissions(fs::Permissions::from_mode(0o600))?;
            self.give(&file, owner)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            fs::rename(&temporary, &self.path)
        })();
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        written?;
        folder.sync_all()
    }

    /// Gives `file` to `owner` when this process is someone else (root
    /// adding a key for the service account).
    fn give(&self, file: &File, owner: Account) -> std::io::Result<()> {
        if process_account() == owner {
            return Ok(());
        }
        std::os::unix::fs::fchown(file, Some(owner.uid), Some(owner.gid))
    }
}

/// The user and group this process creates files as.
fn process_account() -> Account {
    Account {
        uid: identity::real_uid(),
        gid: identity::real_gid(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::public_key::known::{
        ED25519, ED25519_FINGERPRINT, OTHER_ED25519, OTHER_ED25519_FINGERPRINT,
    };
    use super::*;

    /// A file of another tool's lines around where the section goes.
    const OTHERS: &str = "# my own keys\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMMw2dEd7H31D08xL3NsgDiZDgETCGUjg+Cef9EUKEJ/ me@home\n\n";

    /// A third key (made with ssh-keygen too).
    const NEW_ED25519: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDFYhlFIrdpzp4wSDBgWh+g+5w0thsKmR6ZYWkBiVEUz new";

    fn key(line: &str) -> PublicKey {
        PublicKey::parse(line).expect("key")
    }

    /// `operator` of the database /srv/hr/hr.redb.
    fn holder(operator: &str) -> Holder {
        Holder::new(operator, Path::new("/srv/hr/hr.redb")).expect("holder")
    }

    fn line(operator: &str, text: &str) -> KeyLine {
        KeyLine::new(&holder(operator), &key(text)).expect("line")
    }

    /// A sandbox folder with the file holding `text` (none: no file).
    fn file_with(text: Option<&[u8]>) -> (tempfile::TempDir, KeysFile) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ssh").join("authorized_keys");
        if let Some(text) = text {
            fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
            fs::write(&path, text).expect("write");
        }
        let file = KeysFile {
            path,
            account: process_account(),
        };
        (dir, file)
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).expect("meta").permissions().mode() & 0o777
    }

    #[test]
    fn a_line_forces_this_programs_session_for_the_operator_and_key() {
        let written = line("hr.zhang", ED25519);
        let program = std::env::current_exe().expect("exe");
        assert_eq!(
            written.text,
            format!(
                "command=\"{} --db /srv/hr/hr.redb ssh-session hr.zhang --key {ED25519_FINGERPRINT}\",restrict,pty {ED25519}",
                shell_words::quote(program.to_str().expect("utf-8"))
            )
        );
        assert_eq!(KeyLine::read(&written.text).expect("read back"), written);
        // A name the shell would read otherwise is quoted.
        let odd = line("o'neil;$(id)", ED25519);
        assert!(
            odd.text.contains("ssh-session 'o'\\''neil;$(id)' --key"),
            "{}",
            odd.text
        );
        assert_eq!(
            KeyLine::read(&odd.text).expect("read back").holder.operator,
            "o'neil;$(id)"
        );
    }

    #[test]
    fn words_sshd_would_misread_are_refused() {
        for (name, db) in [
            ("a\"b", "/srv/hr.redb"),
            ("a\\b", "/srv/hr.redb"),
            ("bob", "/srv/\"x\"/hr.redb"),
            ("bob", "/srv/x\\/hr.redb"),
            ("bob", "/srv/x\n/hr.redb"),
            ("--db", "/srv/hr.redb"),
        ] {
            let err = Holder::new(name, Path::new(db)).expect_err(name);
            assert!(matches!(err, KeysError::Unquotable(_)), "{err}");
            assert!(!err.to_string().contains('\n'), "{err}");
        }
    }

    #[test]
    fn a_section_is_made_at_the_end_leaving_every_other_byte() {
        let zhang = line("hr.zhang", ED25519);
        for before in [OTHERS, "no newline at the end", ""] {
            let contents = Contents::parse(Path::new("k"), before.into()).expect("parse");
            let after = contents
                .replaced(&holder("hr.zhang"), Some(&zhang))
                .expect("ok")
                .expect("changed");
            let after = String::from_utf8(after).expect("text");
            let expected_start = if before.is_empty() || before.ends_with('\n') {
                before.to_string()
            } else {
                format!("{before}\n")
            };
            assert_eq!(
                after,
                format!("{expected_start}{BEGIN}\n{}\n{END}\n", zhang.text)
            );
        }
    }

    #[test]
    fn replacing_keeps_the_other_lines_and_is_idempotent() {
        let zhang = line("hr.zhang", ED25519);
        let li = line("hr.li", OTHER_ED25519);
        let start = format!(
            "{OTHERS}{BEGIN}\n{}\n{}\n{END}\n# after\n",
            zhang.text, li.text
        );
        let contents = Contents::parse(Path::new("k"), start.clone().into()).expect("parse");
        assert_eq!(
            contents.fingerprints_of(&holder("hr.li")),
            [OTHER_ED25519_FINGERPRINT]
        );
        // The same key again changes nothing.
        assert_eq!(
            contents
                .replaced(&holder("hr.zhang"), Some(&zhang))
                .expect("ok"),
            None
        );
        // A new key for hr.zhang takes the place of the old one.
        let new = line("hr.zhang", &OTHER_ED25519.replace("li@desk", "x"));
        let err = contents
            .replaced(&holder("hr.zhang"), Some(&new))
            .expect_err("held");
        assert!(
            matches!(err, KeysError::Held { ref user, db: None } if user == "hr.li"),
            "{err}"
        );
        let new = line("hr.zhang", NEW_ED25519);
        let after = contents
            .replaced(&holder("hr.zhang"), Some(&new))
            .expect("ok")
            .expect("changed");
        let expected = format!(
            "{OTHERS}{BEGIN}\n{}\n{}\n{END}\n# after\n",
            new.text, li.text
        );
        assert_eq!(String::from_utf8(after.clone()).expect("text"), expected);
        let again = Contents::parse(Path::new("k"), after).expect("parse");
        assert_eq!(
            again.replaced(&holder("hr.zhang"), Some(&new)).expect("ok"),
            None
        );
        // Removal takes hr.zhang's line and nothing else.
        let removed = again
            .replaced(&holder("hr.zhang"), None)
            .expect("ok")
            .expect("changed");
        assert_eq!(
            String::from_utf8(removed).expect("text"),
            format!("{OTHERS}{BEGIN}\n{}\n{END}\n# after\n", li.text)
        );
        assert_eq!(again.replaced(&holder("nobody"), None).expect("ok"), None);
    }

    #[test]
    fn the_lines_of_another_database_are_not_its_operators() {
        let elsewhere = Holder::new("hr.zhang", Path::new("/srv/other.redb")).expect("holder");
        let theirs = KeyLine::new(&elsewhere, &key(ED25519)).expect("line");
        let start = format!("{BEGIN}\n{}\n{END}\n", theirs.text);
        let contents = Contents::parse(Path::new("k"), start.into()).expect("parse");
        assert_eq!(
            contents.fingerprints_of(&holder("hr.zhang")),
            Vec::<&str>::new()
        );
        assert_eq!(contents.fingerprints_of(&elsewhere), [ED25519_FINGERPRINT]);
        assert_eq!(
            contents.replaced(&holder("hr.zhang"), None).expect("ok"),
            None
        );
        let mine = line("hr.zhang", OTHER_ED25519);
        let after = contents
            .replaced(&holder("hr.zhang"), Some(&mine))
            .expect("ok")
            .expect("changed");
        assert_eq!(
            String::from_utf8(after).expect("text"),
            format!("{BEGIN}\n{}\n{}\n{END}\n", theirs.text, mine.text)
        );
        let err = contents
            .replaced(&holder("hr.zhang"), Some(&line("hr.zhang", ED25519)))
            .expect_err("held");
        assert!(err.to_string().contains("/srv/other.redb"), "{err}");
    }

    #[test]
    fn a_key_outside_the_section_is_refused_naming_its_line() {
        let mine = format!("# mine\nrestrict,command=\"ls\" {ED25519}\n");
        let contents = Contents::parse(Path::new("keys"), mine.into()).expect("parse");
        let err = contents
            .replaced(&holder("hr.zhang"), Some(&line("hr.zhang", ED25519)))
            .expect_err("outside");
        assert!(matches!(err, KeysError::Outside { line: 2, .. }), "{err}");
        assert!(err.to_string().contains("keys:2"), "{err}");
    }

    #[test]
    fn a_broken_section_is_refused_with_its_line() {
        let zhang = line("hr.zhang", ED25519);
        let cases = [
            (
                format!("{OTHERS}{BEGIN}\n{}\n", zhang.text),
                4,
                "no “# hrdesk end”",
            ),
            (
                format!("{BEGIN}\n{BEGIN}\n{END}\n"),
                2,
                "second “# hrdesk begin”",
            ),
            (format!("{BEGIN}\n{END}\n{BEGIN}\n{END}\n"), 3, "second"),
            (format!("x\n{END}\n"), 2, "without a “# hrdesk begin”"),
            (
                format!("{BEGIN}\n{ED25519}\n{END}\n"),
                2,
                "not one hrdesk writes",
            ),
            (
                format!(
                    "{BEGIN}\n{}\n{END}\n",
                    zhang
                        .text
                        .replace(ED25519_FINGERPRINT, OTHER_ED25519_FINGERPRINT)
                ),
                2,
                OTHER_ED25519_FINGERPRINT,
            ),
            (
                format!(
                    "{BEGIN}\n{}\n{END}\n",
                    zhang.text.replace("AAAAC3", "AAAA!3")
                ),
                2,
                "not valid base64",
            ),
        ];
        for (text, number, says) in cases {
            let err = Contents::parse(Path::new("/x/keys"), text.clone().into()).expect_err(&text);
            assert!(
                matches!(err, KeysError::Broken { line, .. } if line == number),
                "{text}: {err}"
            );
            let message = err.to_string();
            assert!(message.contains(&format!("/x/keys:{number}")), "{message}");
            assert!(message.contains(says), "{message}");
        }
        let bytes = [BEGIN.as_bytes(), b"\n\xff\xfe\n", END.as_bytes()].concat();
        let err = Contents::parse(Path::new("k"), bytes).expect_err("not text");
        assert!(matches!(
            err,
            KeysError::Broken {
                line: 2,
                why: Broken::NotText,
                ..
            }
        ));
    }

    #[test]
    fn the_file_and_its_folder_are_made_private() {
        let (_dir, file) = file_with(None);
        let zhang = line("hr.zhang", ED25519);
        file.apply(&holder("hr.zhang"), Some(&zhang))
            .expect("apply");
        assert_eq!(mode(&file.folder()), 0o700);
        assert_eq!(mode(&file.path), 0o600);
        assert_eq!(
            fs::read_to_string(&file.path).expect("read"),
            format!("{BEGIN}\n{}\n{END}\n", zhang.text)
        );
        let leftovers: Vec<_> = fs::read_dir(file.folder())
            .expect("list")
            .flatten()
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left");
    }

    #[test]
    fn an_existing_file_is_replaced_whole_and_private_keeping_the_rest() {
        let (_dir, file) = file_with(Some(OTHERS.as_bytes()));
        fs::set_permissions(&file.path, fs::Permissions::from_mode(0o644)).expect("chmod");
        let zhang = line("hr.zhang", ED25519);
        file.apply(&holder("hr.zhang"), Some(&zhang))
            .expect("apply");
        assert_eq!(mode(&file.path), 0o600);
        let text = fs::read_to_string(&file.path).expect("read");
        assert!(text.starts_with(OTHERS), "{text}");
        file.apply(&holder("hr.zhang"), None).expect("remove");
        assert_eq!(
            fs::read_to_string(&file.path).expect("read"),
            format!("{OTHERS}{BEGIN}\n{END}\n")
        );
    }

    #[test]
    fn nothing_is_written_when_nothing_changes_or_the_section_is_broken() {
        let (_dir, file) = file_with(None);
        file.apply(&holder("hr.zhang"), None)
            .expect("nothing to remove");
        assert!(!file.folder().exists(), "no folder made for nothing");
        let broken = format!("{OTHERS}{BEGIN}\n");
        let (_dir, file) = file_with(Some(broken.as_bytes()));
        let err = file
            .apply(&holder("hr.zhang"), Some(&line("hr.zhang", ED25519)))
            .expect_err("broken");
        assert!(matches!(err, KeysError::Broken { line: 4, .. }), "{err}");
        assert_eq!(fs::read(&file.path).expect("read"), broken.as_bytes());
    }

    #[test]
    fn the_file_is_found_from_the_database_owner_not_home() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("hr.redb");
        fs::write(&db, b"x").expect("write");
        let configured = dir.path().join("keys");
        let file = KeysFile::locate(Some(&configured), &db).expect("configured");
        assert_eq!(file.path(), configured);
        let owner = fs::metadata(&db).expect("meta").uid();
        match identity::home_of(owner) {
            Some((_, home)) => {
                let file = KeysFile::locate(None, &db).expect("from passwd");
                assert_eq!(file.path(), home.join(".ssh/authorized_keys"));
                assert_eq!(file.account.uid, owner);
            }
            None => assert!(matches!(
                KeysFile::locate(None, &db),
                Err(KeysError::NoHome(uid)) if uid == owner
            )),
        }
    }
}
