//! The redb backend: hrdesk's tables in one redb file (or in memory, for
//! the demo), shared by any number of processes. The only module that
//! touches redb.
//!
//! Each table is a redb table of byte keys and byte values named
//! `rows/NAME`; each secondary key is a table `index/NAME/INDEX` from the
//! secondary key (followed, when not unique, by the primary key) to the
//! primary key. A put or remove that replaces a row derives the old row's
//! secondary keys from its value (the table's `keys_of`) to move them; a
//! write's new entries are put in key order, a batch at a time (see
//! `pending`).

mod errors;
mod file;
mod pending;
pub(crate) mod upgrade;

use std::cell::RefCell;
use std::ops::{Bound, ControlFlow};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use foldhash::HashMap;
use redb::{
    Database, ReadOnlyDatabase, ReadOnlyTable, ReadableDatabase, ReadableTable,
    ReadableTableMetadata, Table, TableDefinition, TableError, WriteTransaction,
};

use super::backend::{
    Backend, Flow, KeyRange, ReadBody, ReadTxn, RowVisitor, TableSpec, WriteBody, WriteTxn,
};
use super::error::StoreError;
use crate::tr;
pub(crate) use file::discard;
use pending::{Batch, Pending, Removed};

type Bytes = &'static [u8];

/// The file's own description, as `&str` → bytes so that every hrdesk
/// version (and the check that a file is hrdesk's at all) can read it.
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// Which of a table's redb tables: its rows, or one of its indexes.
const ROWS: usize = usize::MAX;

fn table_name(table: &TableSpec, slot: usize) -> String {
    match table.indexes.get(slot) {
        Some(index) => format!("index/{}/{}", table.name, index.name),
        None => format!("rows/{}", table.name),
    }
}

/// An hrdesk database kept by redb.
pub(crate) struct RedbBackend {
    db: Handle,
}

/// The engine's handle on the file: one that may write, one opened
/// read-only, whose writes are refused naming the file, or one opened
/// read-only until its first write (see [`OnFirstWrite`]).
enum Handle {
    Writable(Database),
    ReadOnly(ReadOnlyDatabase, PathBuf),
    OnFirstWrite(OnFirstWrite),
}

/// A file opened read-only that is opened to write only when a write
/// begins: the engine's open to write rewrites part of the file's header
/// at once, so a handle that is refused (a damaged record, say) before it
/// writes leaves the file exactly as it was. Once open to write, that
/// handle serves every read and write after; the read-only one stays open
/// (a process may hold both, as two processes may) and is no longer used.
struct OnFirstWrite {
    reader: ReadOnlyDatabase,
    writer: OnceLock<Database>,
    /// Held while the handle to write is being opened, so that it is opened once.
    opening: Mutex<()>,
    path: PathBuf,
    /// How long opening to write waits while another process writes (the
    /// handle's write wait).
    wait: Mutex<Duration>,
}

impl OnFirstWrite {
    /// The handle to write, opened now if it is not yet: waits up to the
    /// handle's wait while another process writes, then is busy naming it.
    fn writer(&self) -> Result<&Database, StoreError> {
        if let Some(db) = self.writer.get() {
            return Ok(db);
        }
        // A poisoned lock only means another open failed: this one tries anew.
        let _opening = self
            .opening
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(db) = self.writer.get() {
            return Ok(db);
        }
        let wait = *self
            .wait
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let db = file::open_existing(&self.path, wait)?;
        Ok(self.writer.get_or_init(|| db))
    }
}

impl RedbBackend {
    /// Creates a new file at `path` (mode 0600), which must not exist.
    pub(crate) fn create(path: &Path) -> Result<Self, StoreError> {
        file::create_new(path).map(RedbBackend::writable)
    }

    /// Opens the existing file at `path`, waiting up to `wait` while another process writes.
    pub(crate) fn open(path: &Path, wait: Duration) -> Result<Self, StoreError> {
        file::open_existing(path, wait).map(RedbBackend::writable)
    }

    /// Opens the existing file at `path` read-only, waiting up to `wait`,
    /// to be opened to write (waiting as long while another process
    /// writes, unless the handle's write wait is set) only when the first
    /// write begins: until then nothing is written to the file.
    pub(crate) fn open_on_first_write(path: &Path, wait: Duration) -> Result<Self, StoreError> {
        let reader = file::open_read_only(path, wait)?;
        Ok(RedbBackend {
            db: Handle::OnFirstWrite(OnFirstWrite {
                reader,
                writer: OnceLock::new(),
                opening: Mutex::new(()),
                path: path.to_path_buf(),
                wait: Mutex::new(wait),
            }),
        })
    }

    /// Opens the existing file at `path` only to read: nothing is ever
    /// written to it, and every write is refused.
    pub(crate) fn open_read_only(path: &Path, wait: Duration) -> Result<Self, StoreError> {
        let db = file::open_read_only(path, wait)?;
        Ok(RedbBackend {
            db: Handle::ReadOnly(db, path.to_path_buf()),
        })
    }

    /// A database in memory only.
    pub(crate) fn in_memory() -> Result<Self, StoreError> {
        file::in_memory().map(RedbBackend::writable)
    }

    fn writable(db: Database) -> Self {
        RedbBackend {
            db: Handle::Writable(db),
        }
    }

    /// A read transaction on whichever handle this is.
    fn begin_read(&self) -> Result<redb::ReadTransaction, StoreError> {
        Ok(match &self.db {
            Handle::Writable(db) => db.begin_read()?,
            Handle::ReadOnly(db, _) => db.begin_read()?,
            Handle::OnFirstWrite(lazy) => match lazy.writer.get() {
                Some(db) => db.begin_read()?,
                None => lazy.reader.begin_read()?,
            },
        })
    }
}

impl Backend for RedbBackend {
    fn read(&self, body: &mut ReadBody<'_>) -> Result<(), StoreError> {
        body(&ReadView::new(self.begin_read()?))
    }

    fn try_write(&self, body: &mut WriteBody<'_>) -> Result<bool, StoreError> {
        let db = match &self.db {
            Handle::Writable(db) => db,
            Handle::ReadOnly(_, path) => {
                return Err(StoreError::ReadOnly { path: path.clone() });
            }
            Handle::OnFirstWrite(lazy) => lazy.writer()?,
        };
        let txn = match db.try_begin_write() {
            Ok(txn) => txn,
            Err(redb::TransactionError::WouldBlock) => return Ok(false),
            Err(err) => return Err(err.into()),
        };
        // Returning early drops `txn`, which aborts it.
        let view = WriteView::new(&txn);
        body(&view)?;
        view.finish()?;
        txn.commit()?;
        Ok(true)
    }

    fn set_write_wait(&self, wait: Duration) {
        if let Handle::OnFirstWrite(lazy) = &self.db
            && let Ok(mut waits) = lazy.wait.lock()
        {
            *waits = wait;
        }
    }
}

/// Which redb table of which of our tables: a table's name and its slot
/// (an index's number, or [`ROWS`]).
type Slot = (&'static str, usize);

/// A read transaction with the tables it has opened.
struct ReadView {
    txn: redb::ReadTransaction,
    open: RefCell<HashMap<Slot, Rc<ReadOnlyTable<Bytes, Bytes>>>>,
}

impl ReadView {
    fn new(txn: redb::ReadTransaction) -> Self {
        ReadView {
            txn,
            open: RefCell::default(),
        }
    }

    fn table(
        &self,
        table: &TableSpec,
        slot: usize,
    ) -> Result<Rc<ReadOnlyTable<Bytes, Bytes>>, StoreError> {
        if let Some(open) = self.open.borrow().get(&(table.name, slot)) {
            return Ok(Rc::clone(open));
        }
        let name = table_name(table, slot);
        let opened = match self
            .txn
            .open_table(TableDefinition::<Bytes, Bytes>::new(&name))
        {
            Ok(opened) => Rc::new(opened),
            Err(err) => return Err(errors::opening_table(name, err)),
        };
        self.open
            .borrow_mut()
            .insert((table.name, slot), Rc::clone(&opened));
        Ok(opened)
    }
}

impl ReadTxn for ReadView {
    fn get(
        &self,
        table: &TableSpec,
        key: &[u8],
        visit: &mut dyn FnMut(&[u8]) -> Result<(), StoreError>,
    ) -> Result<bool, StoreError> {
        get_in(&*self.table(table, ROWS)?, key, visit)
    }

    fn scan(
        &self,
        table: &TableSpec,
        range: KeyRange<'_>,
        visit: &mut RowVisitor<'_>,
    ) -> Result<(), StoreError> {
        scan_in(&*self.table(table, ROWS)?, range, visit)
    }

    fn scan_index(
        &self,
        table: &TableSpec,
        index: usize,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8]) -> Result<Flow, StoreError>,
    ) -> Result<(), StoreError> {
        scan_prefix(&*self.table(table, index)?, prefix, visit)
    }

    fn index_entries(
        &self,
        table: &TableSpec,
        index: usize,
        visit: &mut RowVisitor<'_>,
    ) -> Result<(), StoreError> {
        scan_entries(&*self.table(table, index)?, table, index, visit)
    }

    fn count(&self, table: &TableSpec) -> Result<u64, StoreError> {
        Ok(self.table(table, ROWS)?.len()?)
    }

    fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match self.txn.open_table(META) {
            Ok(meta) => Ok(meta.get(key)?.map(|value| value.value().to_vec())),
            // Not an hrdesk file (or none yet): it has no description.
            Err(
                TableError::TableDoesNotExist(_)
                | TableError::TableTypeMismatch { .. }
                | TableError::TableIsMultimap(_)
                | TableError::TypeDefinitionChanged { .. },
            ) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }
}

type OpenTable<'t> = Rc<RefCell<Table<'t, Bytes, Bytes>>>;

/// A write transaction with the tables it has opened (each once: redb
/// allows one open handle per table in a write).
pub(crate) struct WriteView<'t> {
    txn: &'t WriteTransaction,
    open: RefCell<HashMap<Slot, OpenTable<'t>>>,
    /// Secondary-key entries made but not yet in their tables.
    waiting: RefCell<Pending>,
}

impl<'t> WriteView<'t> {
    pub(crate) fn new(txn: &'t WriteTransaction) -> Self {
        WriteView {
            txn,
            open: RefCell::default(),
            waiting: RefCell::default(),
        }
    }

    fn table(&self, table: &TableSpec, slot: usize) -> Result<OpenTable<'t>, StoreError> {
        if let Some(open) = self.open.borrow().get(&(table.name, slot)) {
            return Ok(Rc::clone(open));
        }
        let name = table_name(table, slot);
        let opened = self
            .txn
            .open_table(TableDefinition::<Bytes, Bytes>::new(&name))
            .map_err(|err| errors::opening_table(name.clone(), err))?;
        let opened = Rc::new(RefCell::new(opened));
        self.open
            .borrow_mut()
            .insert((table.name, slot), Rc::clone(&opened));
        Ok(opened)
    }

    /// Runs `work` on an open table that nothing else in this write is
    /// using (a put from inside a scan of the same table is a mistake).
    fn with_table<T>(
        &self,
        table: &TableSpec,
        slot: usize,
        work: impl FnOnce(&mut Table<'t, Bytes, Bytes>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let open = self.table(table, slot)?;
        let mut open = open
            .try_borrow_mut()
            .map_err(|_| in_use(&table_name(table, slot)))?;
        work(&mut open)
    }

    /// Reads through an open table.
    fn reading<T>(
        &self,
        table: &TableSpec,
        slot: usize,
        work: impl FnOnce(&Table<'t, Bytes, Bytes>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let open = self.table(table, slot)?;
        let open = open
            .try_borrow()
            .map_err(|_| in_use(&table_name(table, slot)))?;
        work(&open)
    }

    /// The index entry of `index_key` for the row `key`.
    fn entry_key(table: &TableSpec, index: usize, index_key: &[u8], key: &[u8]) -> Vec<u8> {
        let mut entry = index_key.to_vec();
        if !table.indexes[index].unique {
            entry.extend_from_slice(key);
        }
        entry
    }

    /// Refuses a unique secondary key another row holds.
    fn check_unique(
        &self,
        table: &TableSpec,
        index: usize,
        index_key: &[u8],
        key: &[u8],
    ) -> Result<(), StoreError> {
        let waiting = self
            .waiting
            .borrow()
            .holder((table.name, index), index_key)
            .map(<[u8]>::to_vec);
        let holder = match waiting {
            Some(holder) => Some(holder),
            None => self.reading(table, index, |entries| {
                Ok(entries
                    .get(index_key)?
                    .map(|holder| holder.value().to_vec()))
            })?,
        };
        match holder {
            Some(holder) if holder != key => Err(StoreError::Taken {
                table: table.name,
                index: table.indexes[index].name,
                holder,
            }),
            _ => Ok(()),
        }
    }
}

impl WriteView<'_> {
    /// Moves the index entries of the row `key` from `old` to `new` keys.
    fn move_index_entries(
        &self,
        table: &TableSpec,
        key: &[u8],
        old: &[Option<&[u8]>],
        new: &[Option<&[u8]>],
    ) -> Result<(), StoreError> {
        for (index, (old, new)) in old.iter().zip(new).enumerate() {
            if old == new {
                continue;
            }
            let slot = (table.name, index);
            if let Some(old) = old {
                let entry = Self::entry_key(table, index, old, key);
                let removed = self.waiting.borrow_mut().remove(slot, &entry);
                if let Removed::Written = removed {
                    self.with_table(table, index, |entries| {
                        entries.remove(entry.as_slice())?;
                        Ok(())
                    })?;
                }
            }
            if let Some(new) = new {
                // Opened now, so that the batch finds it open when put.
                self.table(table, index)?;
                let entry = Self::entry_key(table, index, new, key);
                let full = self.waiting.borrow_mut().add(table, index, &entry, key);
                if full {
                    self.put_waiting(slot)?;
                }
            }
        }
        Ok(())
    }

    /// Puts the waiting entries of the index at `slot` in its table.
    fn put_waiting(&self, slot: Slot) -> Result<(), StoreError> {
        let batch = self.waiting.borrow_mut().take(slot);
        match batch {
            Some(batch) => self.put_batch(slot, batch),
            None => Ok(()),
        }
    }

    /// Puts every waiting entry in its index's table and lets the tables
    /// go: what a write does last before it commits.
    pub(crate) fn finish(self) -> Result<(), StoreError> {
        let batches = self.waiting.borrow_mut().take_all();
        batches
            .into_iter()
            .try_for_each(|(slot, batch)| self.put_batch(slot, batch))
    }

    /// Puts `batch` in its index's table, in key order. A unique key
    /// found held by another row (which the check before each put rules
    /// out) refuses the write.
    fn put_batch(&self, slot: Slot, batch: Batch) -> Result<(), StoreError> {
        let open = self.open.borrow().get(&slot).map(Rc::clone);
        let open = open.ok_or_else(|| in_use(batch.table))?;
        let mut entries = open.try_borrow_mut().map_err(|_| in_use(batch.table))?;
        for (entry, key) in batch.in_order() {
            let held = entries.insert(entry, key)?;
            let other = held
                .map(|held| held.value().to_vec())
                .filter(|holder| batch.index.unique && holder != key);
            if let Some(holder) = other {
                return Err(StoreError::Taken {
                    table: batch.table,
                    index: batch.index.name,
                    holder,
                });
            }
        }
        Ok(())
    }
}

/// The secondary keys of the stored value `old` of the row `key` (none
/// for no row).
fn stored_keys(
    table: &TableSpec,
    key: &[u8],
    old: Option<&[u8]>,
) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
    match old {
        Some(old) => (table.keys_of)(old).map_err(|detail| StoreError::Decode {
            table: table.name,
            key: format!("{key:02x?}"),
            detail,
        }),
        None => Ok(vec![None; table.indexes.len()]),
    }
}

fn in_use(name: &str) -> StoreError {
    StoreError::Database(tr!("store.table_in_use", name = name))
}

impl ReadTxn for WriteView<'_> {
    fn get(
        &self,
        table: &TableSpec,
        key: &[u8],
        visit: &mut dyn FnMut(&[u8]) -> Result<(), StoreError>,
    ) -> Result<bool, StoreError> {
        self.reading(table, ROWS, |rows| get_in(rows, key, visit))
    }

    fn scan(
        &self,
        table: &TableSpec,
        range: KeyRange<'_>,
        visit: &mut RowVisitor<'_>,
    ) -> Result<(), StoreError> {
        self.reading(table, ROWS, |rows| scan_in(rows, range, visit))
    }

    fn scan_index(
        &self,
        table: &TableSpec,
        index: usize,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8]) -> Result<Flow, StoreError>,
    ) -> Result<(), StoreError> {
        self.put_waiting((table.name, index))?;
        self.reading(table, index, |entries| scan_prefix(entries, prefix, visit))
    }

    fn index_entries(
        &self,
        table: &TableSpec,
        index: usize,
        visit: &mut RowVisitor<'_>,
    ) -> Result<(), StoreError> {
        self.put_waiting((table.name, index))?;
        self.reading(table, index, |entries| {
            scan_entries(entries, table, index, visit)
        })
    }

    fn count(&self, table: &TableSpec) -> Result<u64, StoreError> {
        self.reading(table, ROWS, |rows| Ok(rows.len()?))
    }

    fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let meta = self.txn.open_table(META)?;
        Ok(meta.get(key)?.map(|value| value.value().to_vec()))
    }
}

impl WriteTxn for WriteView<'_> {
    fn put(
        &self,
        table: &TableSpec,
        key: &[u8],
        value: &[u8],
        index_keys: &[Option<&[u8]>],
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let indexes = table.indexes.len();
        if index_keys.len() != indexes {
            return Err(StoreError::Database(tr!(
                "store.index_count",
                table = table.name,
                expected = indexes,
                found = index_keys.len()
            )));
        }
        // Every unique key is checked before anything changes (a key
        // this row holds already is its own).
        for (index, new) in index_keys.iter().enumerate() {
            if let Some(new) = new
                && table.indexes[index].unique
            {
                self.check_unique(table, index, new, key)?;
            }
        }
        let old = self.with_table(table, ROWS, |rows| {
            let old = rows.insert(key, value)?;
            Ok(old.map(|old| old.value().to_vec()))
        })?;
        if indexes > 0 {
            let old_keys = stored_keys(table, key, old.as_deref())?;
            let old_keys: Vec<Option<&[u8]>> = old_keys.iter().map(Option::as_deref).collect();
            self.move_index_entries(table, key, &old_keys, index_keys)?;
        }
        Ok(old)
    }

    fn remove(&self, table: &TableSpec, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let old = self.with_table(table, ROWS, |rows| {
            Ok(rows.remove(key)?.map(|row| row.value().to_vec()))
        })?;
        if !table.indexes.is_empty() && old.is_some() {
            let old_keys = stored_keys(table, key, old.as_deref())?;
            let old_keys: Vec<Option<&[u8]>> = old_keys.iter().map(Option::as_deref).collect();
            self.move_index_entries(table, key, &old_keys, &vec![None; table.indexes.len()])?;
        }
        Ok(old)
    }

    fn set_meta(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.txn.open_table(META)?.insert(key, value)?;
        Ok(())
    }

    fn create(&self, table: &TableSpec) -> Result<(), StoreError> {
        self.table(table, ROWS)?;
        (0..table.indexes.len()).try_for_each(|index| self.table(table, index).map(drop))
    }
}

fn get_in(
    rows: &impl ReadableTable<Bytes, Bytes>,
    key: &[u8],
    visit: &mut dyn FnMut(&[u8]) -> Result<(), StoreError>,
) -> Result<bool, StoreError> {
    match rows.get(key)? {
        Some(row) => {
            visit(row.value())?;
            Ok(true)
        }
        None => Ok(false),
    }
}

fn scan_in(
    rows: &impl ReadableTable<Bytes, Bytes>,
    range: KeyRange<'_>,
    visit: &mut RowVisitor<'_>,
) -> Result<(), StoreError> {
    let entries = rows.range::<&[u8]>((range.start, range.end))?;
    let mut each = |entry: Result<(redb::AccessGuard<Bytes>, redb::AccessGuard<Bytes>), _>| {
        let (key, row) = entry.map_err(StoreError::from)?;
        visit(key.value(), row.value())
    };
    if range.reverse {
        for entry in entries.rev() {
            if each(entry)?.is_break() {
                break;
            }
        }
    } else {
        for entry in entries {
            if each(entry)?.is_break() {
                break;
            }
        }
    }
    Ok(())
}

fn scan_prefix(
    entries: &impl ReadableTable<Bytes, Bytes>,
    prefix: &[u8],
    visit: &mut dyn FnMut(&[u8]) -> Result<Flow, StoreError>,
) -> Result<(), StoreError> {
    let end = prefix_end(prefix);
    let end = end.as_deref().map_or(Bound::Unbounded, Bound::Excluded);
    for entry in entries.range::<&[u8]>((Bound::Included(prefix), end))? {
        let (_, key) = entry?;
        if let ControlFlow::Break(()) = visit(key.value())? {
            break;
        }
    }
    Ok(())
}

/// Visits every entry of an index table: its secondary key (the entry's
/// key less the primary key a non-unique index appends) and primary key.
fn scan_entries(
    entries: &impl ReadableTable<Bytes, Bytes>,
    table: &TableSpec,
    index: usize,
    visit: &mut RowVisitor<'_>,
) -> Result<(), StoreError> {
    let unique = table.indexes[index].unique;
    for entry in entries.iter()? {
        let (entry, key) = entry?;
        let (entry, key) = (entry.value(), key.value());
        let index_key = match entry.strip_suffix(key) {
            Some(index_key) if !unique => index_key,
            _ => entry,
        };
        if visit(index_key, key)?.is_break() {
            break;
        }
    }
    Ok(())
}

/// The first key after every key that starts with `prefix` (none: no end).
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::prefix_end;

    #[test]
    fn a_prefix_ends_at_its_next_value() {
        assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(&[1, 0xFF]), Some(vec![2]));
        assert_eq!(prefix_end(&[0xFF, 0xFF]), None);
        assert_eq!(prefix_end(&[]), None);
    }
}
