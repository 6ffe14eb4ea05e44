//! The seam between hrdesk's tables and an engine that keeps them: the
//! [`Backend`] trait. Everything above it (typed tables, records, the audit
//! log, the change feed, the rules run inside a write) is the same for
//! every engine; below it, `redb` keeps a file, and a SQL engine could keep
//! a server's tables.
//!
//! A backend keeps tables of byte keys and byte values, ordered by key byte
//! by byte, each with the secondary keys its [`TableSpec`] declares
//! (unique or not), which the backend keeps in step with the rows: a SQL
//! backend makes them real indexes and unique constraints. Reads see one
//! consistent snapshot; one write runs at a time and commits all or
//! nothing. Scans hand out borrowed views of the stored bytes: nothing is
//! copied unless the caller keeps it. No engine type crosses this trait.

use std::ops::{Bound, ControlFlow};
use std::time::Duration;

use super::error::StoreError;

/// A row's secondary keys, one per declared index (`None` where it has none).
pub type StoredKeys = Vec<Option<Vec<u8>>>;

/// A table: its name, its secondary keys, and how a stored value gives
/// them (what a backend that keeps its own indexes needs to move a
/// replaced or removed row's entries; the error is a plain-words detail).
#[derive(Debug)]
pub struct TableSpec {
    pub name: &'static str,
    pub indexes: &'static [IndexSpec],
    pub keys_of: fn(&[u8]) -> Result<StoredKeys, String>,
    /// Whether each value starts with a seal (see `store::seal`), written
    /// and checked above the seam: to a backend, part of the value.
    pub sealed: bool,
}

/// A secondary key of a table's rows.
#[derive(Debug)]
pub struct IndexSpec {
    pub name: &'static str,
    /// At most one row may hold each key: a second is refused with
    /// [`StoreError::Taken`].
    pub unique: bool,
}

/// Which keys a scan visits, in which order.
#[derive(Clone, Debug)]
pub struct KeyRange<'k> {
    pub start: Bound<&'k [u8]>,
    pub end: Bound<&'k [u8]>,
    /// Highest key first.
    pub reverse: bool,
}

impl KeyRange<'_> {
    /// Every key, lowest first.
    pub const ALL: KeyRange<'static> = KeyRange {
        start: Bound::Unbounded,
        end: Bound::Unbounded,
        reverse: false,
    };
}

/// What a scan's visitor says after each row.
pub type Flow = ControlFlow<()>;

/// Visits one row: its key and its value, borrowed from the engine.
pub type RowVisitor<'v> = dyn FnMut(&[u8], &[u8]) -> Result<Flow, StoreError> + 'v;

/// A body run inside a read transaction.
pub type ReadBody<'b> = dyn FnMut(&dyn ReadTxn) -> Result<(), StoreError> + 'b;

/// A body run inside a write transaction: commits only when it succeeds.
pub type WriteBody<'b> = dyn FnMut(&dyn WriteTxn) -> Result<(), StoreError> + 'b;

/// An engine that keeps hrdesk's tables.
pub trait Backend: Send + Sync {
    /// Runs `body` in a read transaction: one consistent snapshot.
    fn read(&self, body: &mut ReadBody<'_>) -> Result<(), StoreError>;

    /// Runs `body` in a write transaction when no other write is under way,
    /// committing only if `body` succeeds; `Ok(false)` without running it
    /// when another writer (in any process) holds the write.
    fn try_write(&self, body: &mut WriteBody<'_>) -> Result<bool, StoreError>;

    /// How long the handle's writes wait for another process's write, for
    /// an engine that opens the file to write only at the first write and
    /// waits then (nothing to do for the others).
    fn set_write_wait(&self, _wait: Duration) {}
}

/// What a transaction can read.
pub trait ReadTxn {
    /// The value under `key` in `table`, handed to `visit`; `false` when there is none.
    fn get(
        &self,
        table: &TableSpec,
        key: &[u8],
        visit: &mut dyn FnMut(&[u8]) -> Result<(), StoreError>,
    ) -> Result<bool, StoreError>;

    /// Visits the rows of `table` whose keys lie in `range`, in its order,
    /// until `visit` breaks.
    fn scan(
        &self,
        table: &TableSpec,
        range: KeyRange<'_>,
        visit: &mut RowVisitor<'_>,
    ) -> Result<(), StoreError>;

    /// Visits the primary keys of the rows whose secondary key number
    /// `index` (in the table's declaration) starts with `prefix`, in the
    /// order of their secondary keys, then of their primary keys.
    fn scan_index(
        &self,
        table: &TableSpec,
        index: usize,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8]) -> Result<Flow, StoreError>,
    ) -> Result<(), StoreError>;

    /// Visits every entry of secondary key number `index` as the backend
    /// keeps it: the secondary key and the primary key it leads to (what a
    /// check of the whole database compares with the rows).
    fn index_entries(
        &self,
        table: &TableSpec,
        index: usize,
        visit: &mut RowVisitor<'_>,
    ) -> Result<(), StoreError>;

    /// How many rows `table` has.
    fn count(&self, table: &TableSpec) -> Result<u64, StoreError>;

    /// A value of the file's own description (its marker, its schema
    /// version), readable whatever else the file holds.
    fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
}

/// What a write transaction can do besides reading (what it wrote included).
pub trait WriteTxn: ReadTxn {
    /// Stores `value` under `key` with the secondary keys `index_keys` (one
    /// per declared index, `None` where the row has none), replacing the
    /// row and its secondary keys; returns the value it replaced. A unique
    /// key another row holds refuses the whole put with
    /// [`StoreError::Taken`], changing nothing.
    fn put(
        &self,
        table: &TableSpec,
        key: &[u8],
        value: &[u8],
        index_keys: &[Option<&[u8]>],
    ) -> Result<Option<Vec<u8>>, StoreError>;

    /// Removes the row under `key` and its secondary keys; returns its value.
    fn remove(&self, table: &TableSpec, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;

    /// Sets a value of the file's own description.
    fn set_meta(&self, key: &str, value: &[u8]) -> Result<(), StoreError>;

    /// Creates `table` (and its indexes) if it does not exist yet.
    fn create(&self, table: &TableSpec) -> Result<(), StoreError>;
}
