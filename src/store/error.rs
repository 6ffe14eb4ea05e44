//! Errors of the storage layer, worded for the person at the terminal.

use std::path::{Path, PathBuf};

use redb::{DatabaseError, StorageError};

/// Why a storage operation failed. Every message names the file where one is involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process (or another handle in this one) has the file open.
    #[error("{path} is already open by another hrdesk")]
    AlreadyOpen { path: PathBuf },
    /// `open` was asked for a file that does not exist.
    #[error("there is no database at {path}")]
    Missing { path: PathBuf },
    /// `create` was asked for a path that already exists.
    #[error("{path} already exists; hrdesk will not overwrite it")]
    AlreadyExists { path: PathBuf },
    /// The file is not a redb database (or is damaged); it was left untouched.
    #[error("{path} is not a database hrdesk can read ({detail}); the file was left untouched")]
    NotADatabase { path: PathBuf, detail: String },
    /// The file is a redb database of some other program.
    #[error("{path} is not an hrdesk database")]
    NotHrdesk { path: PathBuf },
    /// The file was written by a newer hrdesk.
    #[error(
        "{path} has schema version {found}, but this hrdesk supports only up to version \
         {supported}; use a newer hrdesk"
    )]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// The file has an older schema this build has no upgrade step for.
    #[error("{path} has schema version {found}, which this hrdesk cannot upgrade to {supported}")]
    NoMigration {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// The operating system refused access to the file.
    #[error("cannot use {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A stored record could not be read back.
    #[error("record {key} of table {table} cannot be read: {detail}")]
    Decode {
        table: &'static str,
        key: String,
        detail: String,
    },
    /// A record could not be encoded for storage.
    #[error("a record for table {table} cannot be encoded: {detail}")]
    Encode { table: &'static str, detail: String },
    /// A write appended nothing to the audit log, so it was discarded.
    #[error("the change was not saved because it left no entry in the audit log")]
    Unaudited,
    /// The record to change does not exist.
    #[error("there is no {entity} {id}")]
    NotFound { entity: &'static str, id: String },
    /// The department name index already holds this name under this parent.
    #[error("{parent} already has a department named {name:?}")]
    Duplicate { name: String, parent: String },
    /// The engine found damage inside the file while working on it.
    #[error(
        "{location} is damaged ({detail}); nothing was written to it. Restore it from a backup"
    )]
    Damaged { location: String, detail: String },
    /// Any other failure reported by the database engine.
    #[error("database error: {0}")]
    Database(String),
}

impl StoreError {
    /// Translates a failure to open or create the file at `path`.
    pub(crate) fn opening(path: &Path, err: DatabaseError) -> StoreError {
        let path = path.to_path_buf();
        match err {
            DatabaseError::DatabaseAlreadyOpen | DatabaseError::LockProtocolMismatch => {
                StoreError::AlreadyOpen { path }
            }
            DatabaseError::UpgradeRequired(format) => StoreError::NotADatabase {
                path,
                detail: format!("it uses the old redb file format {format}"),
            },
            DatabaseError::Storage(StorageError::Corrupted(detail)) => {
                StoreError::NotADatabase { path, detail }
            }
            DatabaseError::Storage(StorageError::Io(source)) => match source.kind() {
                std::io::ErrorKind::NotFound => StoreError::Missing { path },
                std::io::ErrorKind::InvalidData => StoreError::NotADatabase {
                    path,
                    detail: source.to_string(),
                },
                _ => StoreError::Io { path, source },
            },
            other => StoreError::Database(other.to_string()),
        }
    }
}

/// Engine errors outside opening carry no file-specific meaning: keep their text.
macro_rules! engine_errors {
    ($($error:ty),*) => {$(
        impl From<$error> for StoreError {
            fn from(err: $error) -> Self {
                StoreError::Database(err.to_string())
            }
        }
    )*};
}

engine_errors!(
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);
