//! A second [`Backend`], for tests only: ordered maps in memory, written
//! copy-on-write. It is the plainest reading of the trait's contract, so
//! the conformance suite passing on it and on redb shows that nothing above
//! the seam leans on redb.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::{Bound, ControlFlow};
use std::sync::{Arc, Mutex};

use super::backend::{
    Backend, Flow, KeyRange, ReadBody, ReadTxn, RowVisitor, TableSpec, WriteBody, WriteTxn,
};
use super::error::StoreError;

type Map = BTreeMap<Vec<u8>, Vec<u8>>;

/// A row's secondary keys, one per declared index.
type RowKeys = Vec<Option<Vec<u8>>>;

/// One committed state: rows per table, index entries per (table, index)
/// (secondary key, then the primary key unless unique → primary key), the
/// secondary keys of each row, and the file's description.
#[derive(Clone, Default)]
struct State {
    rows: BTreeMap<&'static str, Map>,
    indexes: BTreeMap<(&'static str, usize), Map>,
    row_keys: BTreeMap<(&'static str, Vec<u8>), RowKeys>,
    meta: BTreeMap<String, Vec<u8>>,
}

#[derive(Default)]
pub(crate) struct ModelBackend {
    committed: Mutex<Arc<State>>,
    writer: Mutex<()>,
}

impl Backend for ModelBackend {
    fn read(&self, body: &mut ReadBody<'_>) -> Result<(), StoreError> {
        let snapshot = Arc::clone(&*self.committed.lock().expect("state"));
        body(&Snapshot(RefCell::new(snapshot.as_ref().clone())))
    }

    fn try_write(&self, body: &mut WriteBody<'_>) -> Result<bool, StoreError> {
        let Ok(_writing) = self.writer.try_lock() else {
            return Ok(false);
        };
        let draft = self.committed.lock().expect("state").as_ref().clone();
        let draft = Snapshot(RefCell::new(draft));
        body(&draft)?;
        *self.committed.lock().expect("state") = Arc::new(draft.0.into_inner());
        Ok(true)
    }
}

/// A state being read, or drafted by a write.
struct Snapshot(RefCell<State>);

fn bounds(range: &KeyRange<'_>) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
    let own = |b: Bound<&[u8]>| b.map(<[u8]>::to_vec);
    (own(range.start), own(range.end))
}

impl ReadTxn for Snapshot {
    fn get(
        &self,
        table: &TableSpec,
        key: &[u8],
        visit: &mut dyn FnMut(&[u8]) -> Result<(), StoreError>,
    ) -> Result<bool, StoreError> {
        let value = self
            .0
            .borrow()
            .rows
            .get(table.name)
            .and_then(|rows| rows.get(key).cloned());
        match value {
            Some(value) => visit(&value).map(|()| true),
            None => Ok(false),
        }
    }

    fn scan(
        &self,
        table: &TableSpec,
        range: KeyRange<'_>,
        visit: &mut RowVisitor<'_>,
    ) -> Result<(), StoreError> {
        let rows: Vec<(Vec<u8>, Vec<u8>)> = self
            .0
            .borrow()
            .rows
            .get(table.name)
            .map(|rows| {
                rows.range(bounds(&range))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let mut ordered: Box<dyn Iterator<Item = _>> = if range.reverse {
            Box::new(rows.into_iter().rev())
        } else {
            Box::new(rows.into_iter())
        };
        ordered
            .try_for_each(|(key, value)| match visit(&key, &value)? {
                ControlFlow::Continue(()) => Ok(()),
                ControlFlow::Break(()) => Err(None),
            })
            .or_else(|stop: Option<StoreError>| stop.map_or(Ok(()), Err))
    }

    fn scan_index(
        &self,
        table: &TableSpec,
        index: usize,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8]) -> Result<Flow, StoreError>,
    ) -> Result<(), StoreError> {
        let holders: Vec<Vec<u8>> = self
            .0
            .borrow()
            .indexes
            .get(&(table.name, index))
            .map(|entries| {
                entries
                    .iter()
                    .filter(|(entry, _)| entry.starts_with(prefix))
                    .map(|(_, key)| key.clone())
                    .collect()
            })
            .unwrap_or_default();
        for key in holders {
            if visit(&key)?.is_break() {
                break;
            }
        }
        Ok(())
    }

    fn index_entries(
        &self,
        table: &TableSpec,
        index: usize,
        visit: &mut RowVisitor<'_>,
    ) -> Result<(), StoreError> {
        let unique = table.indexes[index].unique;
        let entries: Vec<(Vec<u8>, Vec<u8>)> = self
            .0
            .borrow()
            .indexes
            .get(&(table.name, index))
            .map(|entries| {
                entries
                    .iter()
                    .map(|(entry, key)| {
                        let index_key = match entry.strip_suffix(key.as_slice()) {
                            Some(index_key) if !unique => index_key,
                            _ => entry,
                        };
                        (index_key.to_vec(), key.clone())
                    })
                    .collect()
            })
            .unwrap_or_default();
        for (index_key, key) in entries {
            if visit(&index_key, &key)?.is_break() {
                break;
            }
        }
        Ok(())
    }

    fn count(&self, table: &TableSpec) -> Result<u64, StoreError> {
        Ok(self.0.borrow().rows.get(table.name).map_or(0, |r| r.len()) as u64)
    }

    fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.0.borrow().meta.get(key).cloned())
    }
}

fn entry(table: &TableSpec, index: usize, index_key: &[u8], key: &[u8]) -> Vec<u8> {
    let mut entry = index_key.to_vec();
    if !table.indexes[index].unique {
        entry.extend_from_slice(key);
    }
    entry
}

impl WriteTxn for Snapshot {
    fn put(
        &self,
        table: &TableSpec,
        key: &[u8],
        value: &[u8],
        index_keys: &[Option<&[u8]>],
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let mut state = self.0.borrow_mut();
        let old_keys = state
            .row_keys
            .get(&(table.name, key.to_vec()))
            .cloned()
            .unwrap_or_else(|| vec![None; index_keys.len()]);
        for (index, new) in index_keys.iter().enumerate() {
            let Some(new) = new else { continue };
            let holder = state
                .indexes
                .get(&(table.name, index))
                .and_then(|entries| entries.get(*new));
            if table.indexes[index].unique
                && let Some(holder) = holder
                && holder != key
            {
                return Err(StoreError::Taken {
                    table: table.name,
                    index: table.indexes[index].name,
                    holder: holder.clone(),
                });
            }
        }
        for (index, (old, new)) in old_keys.iter().zip(index_keys).enumerate() {
            let entries = state.indexes.entry((table.name, index)).or_default();
            if let Some(old) = old {
                entries.remove(&entry(table, index, old, key));
            }
            if let Some(new) = new {
                entries.insert(entry(table, index, new, key), key.to_vec());
            }
        }
        let owned: Vec<Option<Vec<u8>>> =
            index_keys.iter().map(|k| k.map(<[u8]>::to_vec)).collect();
        state.row_keys.insert((table.name, key.to_vec()), owned);
        Ok(state
            .rows
            .entry(table.name)
            .or_default()
            .insert(key.to_vec(), value.to_vec()))
    }

    fn remove(&self, table: &TableSpec, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let mut state = self.0.borrow_mut();
        let old_keys = state
            .row_keys
            .remove(&(table.name, key.to_vec()))
            .unwrap_or_default();
        for (index, old) in old_keys.iter().enumerate() {
            if let Some(old) = old
                && let Some(entries) = state.indexes.get_mut(&(table.name, index))
            {
                entries.remove(&entry(table, index, old, key));
            }
        }
        Ok(state
            .rows
            .get_mut(table.name)
            .and_then(|rows| rows.remove(key)))
    }

    fn set_meta(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.0
            .borrow_mut()
            .meta
            .insert(key.to_string(), value.to_vec());
        Ok(())
    }

    fn create(&self, table: &TableSpec) -> Result<(), StoreError> {
        self.0.borrow_mut().rows.entry(table.name).or_default();
        Ok(())
    }
}
