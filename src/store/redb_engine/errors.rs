//! redb's errors in hrdesk's words: failures to open a file become the
//! [`StoreError`] that says what is wrong with it; any other engine error
//! keeps its text (no redb type reaches above the store seam).

use std::path::Path;

use redb::{DatabaseError, StorageError};

use crate::store::error::StoreError;
use crate::tr;

/// Translates a failure to open or create the file at `path`.
pub(super) fn opening(path: &Path, err: DatabaseError) -> StoreError {
    let path = path.to_path_buf();
    match err {
        DatabaseError::DatabaseAlreadyOpen | DatabaseError::LockProtocolMismatch => {
            StoreError::AlreadyOpen { path }
        }
        DatabaseError::UpgradeRequired(format) => StoreError::NotADatabase {
            path,
            detail: tr!("store.old_redb_format", format = format),
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
