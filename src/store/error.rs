//! Errors of the storage layer, worded for the person at the terminal.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::registry::SessionInfo;
use crate::tr;

/// One registered session in a sentence: who, doing what, since when.
pub fn describe_session(session: &SessionInfo) -> String {
    tr!(
        "store.session_line",
        operator = session.operator,
        what = session.what,
        pid = session.pid,
        since = session.since.format("%Y-%m-%d %H:%M:%S UTC")
    )
}

/// Why a storage operation failed. Every message names the file where one is involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A program that does not share the file (an hrdesk from before
    /// several processes could share one) has it open.
    #[error("{}", tr!("store.already_open", path = path.display()))]
    AlreadyOpen { path: PathBuf },
    /// A write could not start before the wait ran out: another process
    /// held the file's write lock. `holders` says who, from the registry.
    #[error("{}", busy(path, holders, *waited))]
    Busy {
        path: PathBuf,
        holders: Vec<SessionInfo>,
        waited: Duration,
    },
    /// The file's schema changed while this process had it open (a newer
    /// hrdesk upgraded it): this build may no longer write to it.
    #[error("{}", tr!("store.schema_moved", found = found, supported = supported))]
    SchemaMoved { found: u32, supported: u32 },
    /// The file needs a schema upgrade, which waits until nobody else has it open.
    #[error("{}", upgrade_while_open(path, *found, *supported, sessions))]
    UpgradeWhileOpen {
        path: PathBuf,
        found: u32,
        supported: u32,
        sessions: Vec<SessionInfo>,
    },
    /// `open` was asked for a file that does not exist.
    /// Someone besides its owner may read or write the file.
    #[error("{}", tr!("store.exposed", path = path.display(), mode = format!("{mode:04o}"), fix = fix))]
    Exposed {
        path: PathBuf,
        mode: u32,
        fix: String,
    },
    /// A folder the file lies in may be written to by others (or belongs
    /// to someone else), who could replace the file.
    #[error("{}", tr!("store.exposed_folder", path = path.display(), folder = folder.display(), mode = format!("{mode:04o}"), fix = fix))]
    ExposedFolder {
        path: PathBuf,
        folder: PathBuf,
        mode: u32,
        fix: String,
    },
    #[error("{}", tr!("store.missing", path = path.display()))]
    Missing { path: PathBuf },
    /// `create` was asked for a path that already exists.
    #[error("{}", tr!("store.already_exists", path = path.display()))]
    AlreadyExists { path: PathBuf },
    /// The file is not a redb database (or is damaged); it was left untouched.
    #[error("{}", tr!("store.not_a_database", path = path.display(), detail = detail))]
    NotADatabase { path: PathBuf, detail: String },
    /// A process writing to the file ended before it finished, and it
    /// cannot be recovered here: a read-only open does not write, and this
    /// account may not open it to write (which recovers it on its own).
    #[error("{}", tr!("store.needs_recovery", path = path.display()))]
    NeedsRecovery { path: PathBuf },
    /// The file has an older schema, which only a writing open upgrades,
    /// and this account may not open it to write.
    #[error("{}", tr!("store.needs_upgrade", path = path.display(), found = found, supported = supported))]
    NeedsUpgrade {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// A write through a handle opened only to read.
    #[error("{}", tr!("store.read_only", path = path.display()))]
    ReadOnly { path: PathBuf },
    /// The file is a redb database of some other program.
    #[error("{}", tr!("store.not_hrdesk", path = path.display()))]
    NotHrdesk { path: PathBuf },
    /// The file was written by a newer hrdesk.
    #[error("{}", tr!("store.newer_schema", path = path.display(), found = found, supported = supported))]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// The file has an older schema this build has no upgrade step for.
    #[error("{}", tr!("store.no_migration", path = path.display(), found = found, supported = supported))]
    NoMigration {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// The operating system refused access to the file.
    #[error("{}", tr!("store.io", path = path.display(), reason = source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A stored record could not be read back.
    #[error("{}", tr!("store.decode", table = table, key = key, detail = detail))]
    Decode {
        table: &'static str,
        key: String,
        detail: String,
    },
    /// One of this schema's tables is missing from a file stamped with it:
    /// the file is damaged.
    #[error("{}", tr!("store.table_missing", table = table))]
    MissingTable { table: String },
    /// One of this schema's tables is described in the file otherwise than
    /// hrdesk makes it: the file is damaged.
    #[error("{}", tr!("store.table_damaged", table = table, detail = detail))]
    DamagedTable { table: String, detail: String },
    /// A stored record does not match its seal: changed outside hrdesk.
    #[error("{}", tr!("store.tampered", table = table, key = key, detail = detail))]
    Tampered {
        table: &'static str,
        key: String,
        detail: String,
    },
    /// A record could not be encoded for storage.
    #[error("{}", tr!("store.encode", table = table, detail = detail))]
    Encode { table: &'static str, detail: String },
    /// A write appended nothing to the audit log, so it was discarded.
    #[error("{}", tr!("store.unaudited"))]
    Unaudited,
    /// The record to change does not exist.
    #[error("{}", not_found(entity, id))]
    NotFound { entity: &'static str, id: String },
    /// The department name index already holds this name under this parent.
    #[error("{}", tr!("store.duplicate", name = name, parent = parent))]
    Duplicate { name: String, parent: String },
    /// The employee-number index already holds this number.
    #[error("{}", tr!("store.duplicate_emp_no", emp_no = emp_no))]
    DuplicateEmpNo { emp_no: String },
    /// A provider's external account id is already bound (departed
    /// employees' bindings included), by binding `holder`.
    #[error("{}", tr!("store.duplicate_external_id", provider = provider, holder = holder))]
    DuplicateExternalId { provider: String, holder: String },
    /// A unique secondary key (`index` of `table`) is held by another
    /// record, whose key is `holder`: the put changed nothing.
    #[error("{}", tr!("store.taken", table = table, index = index, holder = holder_text(holder)))]
    Taken {
        table: &'static str,
        index: &'static str,
        holder: Vec<u8>,
    },
    /// A write's body gave up; its own error is what reaches the caller.
    #[error("{}", tr!("store.aborted"))]
    Aborted,
    /// The engine found damage inside the file while working on it.
    #[error("{}", tr!("store.damaged", location = location, detail = detail))]
    Damaged { location: String, detail: String },
    /// Any other failure reported by the database engine.
    #[error("{}", tr!("store.database", detail = .0))]
    Database(String),
}

/// Who holds the write a busy one waited `waited` for, in a sentence.
fn busy(path: &Path, holders: &[SessionInfo], waited: Duration) -> String {
    let writers: Vec<String> = holders
        .iter()
        .filter(|s| s.writing_since.is_some())
        .map(|s| {
            let since = s.writing_since.unwrap_or(s.since);
            tr!(
                "store.busy_writer",
                operator = s.operator,
                what = s.what,
                pid = s.pid,
                since = since.format("%Y-%m-%d %H:%M:%S UTC")
            )
        })
        .collect();
    let holders = if writers.is_empty() {
        tr!("store.busy_unknown")
    } else {
        writers.join("; ")
    };
    tr!(
        "store.busy",
        path = path.display(),
        holders = holders,
        seconds = waited.as_secs_f64().round()
    )
}

fn upgrade_while_open(path: &Path, found: u32, supported: u32, sessions: &[SessionInfo]) -> String {
    let sessions: Vec<String> = sessions.iter().map(describe_session).collect();
    tr!(
        "store.upgrade_while_open",
        path = path.display(),
        found = found,
        supported = supported,
        sessions = sessions.join("; ")
    )
}

fn not_found(entity: &str, id: &str) -> String {
    let what = match entity {
        "department" => department(id),
        other => format!("{other} {id}"),
    };
    tr!("store.not_found", what = what)
}

/// A record's key as a message shows it: an id, or the text it is.
fn holder_text(key: &[u8]) -> String {
    match <[u8; 8]>::try_from(key) {
        Ok(id) => u64::from_be_bytes(id).to_string(),
        Err(_) => String::from_utf8_lossy(key).into_owned(),
    }
}

/// "department 7" in the current language, as store messages name one.
pub(crate) fn department(id: impl fmt::Display) -> String {
    tr!("store.department", id = id)
}

impl StoreError {
    /// No `entity` with this id is stored.
    pub(crate) fn not_found(entity: &'static str, id: impl fmt::Display) -> StoreError {
        StoreError::NotFound {
            entity,
            id: id.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, set_lang};
    use crate::store::Location;

    #[test]
    fn messages_speak_chinese() {
        let open = StoreError::AlreadyOpen {
            path: PathBuf::from("/srv/hr.redb"),
        };
        let gone = StoreError::NotFound {
            entity: "department",
            id: "7".into(),
        };
        set_lang(Lang::Zh);
        let texts = [
            open.to_string(),
            gone.to_string(),
            Location::Memory.to_string(),
        ];
        set_lang(Lang::En);
        assert_eq!(
            texts,
            [
                "/srv/hr.redb 已被一个不共享文件的 hrdesk（旧版本）打开；请先关闭它",
                "不存在部门 7",
                "内存（演示）"
            ]
        );
        assert_eq!(
            open.to_string(),
            "/srv/hr.redb is open in an hrdesk that does not share its file (an older version); close that one first"
        );
        assert_eq!(gone.to_string(), "there is no department 7");
    }
}
