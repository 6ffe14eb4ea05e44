//! The file's own description: the marker that makes a database hrdesk's,
//! and its schema version. Both are raw bytes outside the record envelope,
//! so any hrdesk version can read them before deciding whether it
//! understands the rest.

use super::backend::{ReadTxn, WriteTxn};
use super::error::StoreError;
use crate::tr;

/// The schema this build writes.
pub(crate) const SCHEMA_VERSION: u32 = 11;

const MARKER_KEY: &str = "application";
const MARKER: &[u8] = b"hrdesk";
const VERSION_KEY: &str = "schema_version";

/// Writes the hrdesk marker and `version`.
pub(crate) fn stamp(txn: &dyn WriteTxn, version: u32) -> Result<(), StoreError> {
    txn.set_meta(MARKER_KEY, MARKER)?;
    txn.set_meta(VERSION_KEY, &version.to_le_bytes())
}

/// The schema version, or `None` when the database carries no hrdesk
/// marker. Every write checks it first, so that a build cannot write into
/// a file that a newer one upgraded while it had the file open.
pub(crate) fn read_version(txn: &dyn ReadTxn) -> Result<Option<u32>, StoreError> {
    if txn.meta(MARKER_KEY)?.as_deref() != Some(MARKER) {
        return Ok(None);
    }
    let bad_version = |detail: String| StoreError::Decode {
        table: "meta",
        key: VERSION_KEY.to_string(),
        detail,
    };
    let bytes = txn
        .meta(VERSION_KEY)?
        .ok_or_else(|| bad_version(tr!("store.version_missing")))?;
    let bytes: [u8; 4] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| bad_version(tr!("store.version_length")))?;
    Ok(Some(u32::from_le_bytes(bytes)))
}
