//! The `meta` table: the marker that makes a redb file an hrdesk database, and
//! its schema version. Both are raw bytes, outside the record envelope, so any
//! hrdesk version can read them before deciding whether it understands the rest.

use redb::{ReadTransaction, ReadableTable, TableError, WriteTransaction};

use super::error::StoreError;
use super::tables::META;
use crate::tr;

/// The schema this build writes.
pub(crate) const SCHEMA_VERSION: u32 = 6;

const MARKER_KEY: &str = "application";
const MARKER: &[u8] = b"hrdesk";
const VERSION_KEY: &str = "schema_version";

/// Writes the hrdesk marker and `version`.
pub(crate) fn stamp(txn: &WriteTransaction, version: u32) -> Result<(), StoreError> {
    let mut meta = txn.open_table(META)?;
    meta.insert(MARKER_KEY, MARKER)?;
    meta.insert(VERSION_KEY, version.to_le_bytes().as_slice())?;
    Ok(())
}

/// The schema version, or `None` when the database carries no hrdesk marker.
pub(crate) fn read_version(txn: &ReadTransaction) -> Result<Option<u32>, StoreError> {
    match txn.open_table(META) {
        Ok(meta) => version_in(&meta),
        Err(
            TableError::TableDoesNotExist(_)
            | TableError::TableTypeMismatch { .. }
            | TableError::TableIsMultimap(_)
            | TableError::TypeDefinitionChanged { .. },
        ) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// The schema version as a write transaction sees it: what every write
/// checks first, so that a build cannot write into a file that a newer one
/// upgraded while it had the file open.
pub(crate) fn read_version_for_write(txn: &WriteTransaction) -> Result<Option<u32>, StoreError> {
    version_in(&txn.open_table(META)?)
}

fn version_in(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
) -> Result<Option<u32>, StoreError> {
    let marked = meta
        .get(MARKER_KEY)?
        .is_some_and(|guard| guard.value() == MARKER);
    if !marked {
        return Ok(None);
    }
    let bad_version = |detail: String| StoreError::Decode {
        table: "meta",
        key: VERSION_KEY.to_string(),
        detail,
    };
    let guard = meta
        .get(VERSION_KEY)?
        .ok_or_else(|| bad_version(tr!("store.version_missing")))?;
    let bytes: [u8; 4] = guard
        .value()
        .try_into()
        .map_err(|_| bad_version(tr!("store.version_length")))?;
    Ok(Some(u32::from_le_bytes(bytes)))
}
