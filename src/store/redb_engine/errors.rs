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

/// Translates a failure to open table `table` of an hrdesk file: every
/// table of the schema is made with the file or its upgrade, with the one
/// layout hrdesk uses, so one that is missing or described otherwise means
/// the file is damaged.
pub(super) fn opening_table(table: String, err: redb::TableError) -> StoreError {
    match err {
        redb::TableError::TableDoesNotExist(_) => StoreError::MissingTable { table },
        redb::TableError::TableTypeMismatch { .. }
        | redb::TableError::TypeDefinitionChanged { .. }
        | redb::TableError::TableIsMultimap(_)
        | redb::TableError::TableIsNotMultimap(_) => StoreError::DamagedTable {
            table,
            detail: err.to_string(),
        },
        other => other.into(),
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

    #[test]
    fn a_table_described_otherwise_is_a_damaged_table() {
        let mismatch = redb::TableError::TableIsMultimap("employees".into());
        let err = opening_table("employees".into(), mismatch);
        assert!(matches!(err, StoreError::DamagedTable { .. }), "{err:?}");
        assert!(err.to_string().contains("hrdesk verify"), "{err}");
        let gone = redb::TableError::TableDoesNotExist("goals".into());
        let err = opening_table("goals".into(), gone);
        assert!(matches!(err, StoreError::MissingTable { .. }), "{err:?}");
    }
}
