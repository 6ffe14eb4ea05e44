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
        // Only a read-only open refuses to recover a file left unclean.
        DatabaseError::RepairAborted => StoreError::NeedsRecovery { path },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_cannot_be_read_is_an_error_naming_it() {
        let path = Path::new("/srv/hr.redb");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let err = opening(path, DatabaseError::Storage(StorageError::Io(denied)));
        assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
        assert!(err.to_string().contains("/srv/hr.redb"), "{err}");
        let unclean = opening(path, DatabaseError::RepairAborted);
        assert!(matches!(unclean, StoreError::NeedsRecovery { .. }));
        assert!(unclean.to_string().contains("/srv/hr.redb"), "{unclean}");
    }
}
