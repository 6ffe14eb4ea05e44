//! Secondary-key entries a write has made but not yet put in their redb
//! tables. redb inserts keys that come in order several times faster than
//! scattered ones (a million national IDs: 1.3 s against 3.7 s), so a
//! write gathers its new entries per index and puts them in key order, a
//! batch at a time: when an index's batch reaches [`BATCH_BYTES`], when
//! the index is read, and before the write commits. Until then they count
//! as written: a unique key is looked for among them before the table,
//! and removing an entry still waiting takes it out of the batch.
//!
//! A batch keeps its bytes end to end in one buffer, found by a hash
//! table of their places: a map of two vectors per entry spent more time
//! in the allocator than redb saved.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::HashTable;

use super::Slot;
use crate::store::backend::{IndexSpec, TableSpec};

/// What one index's gathered entries may hold (their bytes and what the
/// batch keeps of each besides) before they are put. Only the batch being
/// added to is put then: another index may be being read. (Small in
/// tests, so that their writes put batches too.)
const BATCH_BYTES: usize = if cfg!(test) { 16 << 10 } else { 8 << 20 };

/// What a batch keeps of an entry besides its bytes: its place, and its
/// slot in the hash table.
const ENTRY_OVERHEAD: usize = size_of::<Place>() + size_of::<u32>();

/// Where an entry lies in its batch's buffer: the entry key, then the
/// primary key it leads to.
#[derive(Clone, Copy)]
struct Place {
    start: u32,
    entry: u32,
    key: u32,
}

/// One index's waiting entries.
pub(super) struct Batch {
    pub table: &'static str,
    pub index: &'static IndexSpec,
    bytes: Vec<u8>,
    places: Vec<Place>,
    /// The places of the entries still waiting (a replaced or removed
    /// one leaves its bytes behind), by their entry key's hash.
    waiting: HashTable<u32>,
}

impl Batch {
    fn new(table: &'static str, index: &'static IndexSpec) -> Self {
        Batch {
            table,
            index,
            bytes: Vec::new(),
            places: Vec::new(),
            waiting: HashTable::new(),
        }
    }

    fn entry_at(&self, at: u32) -> &[u8] {
        entry_in(&self.bytes, &self.places, at)
    }

    fn key_at(&self, at: u32) -> &[u8] {
        let place = self.places[at as usize];
        let start = (place.start + place.entry) as usize;
        &self.bytes[start..start + place.key as usize]
    }

    fn hash(entry: &[u8]) -> u64 {
        FixedState::with_seed(0x7065_6e64).hash_one(entry)
    }

    /// How much the batch holds.
    fn size(&self) -> usize {
        self.bytes.len() + self.places.len() * ENTRY_OVERHEAD
    }

    fn add(&mut self, entry: &[u8], key: &[u8]) {
        let start = u32::try_from(self.bytes.len()).unwrap_or(u32::MAX);
        let at = u32::try_from(self.places.len()).unwrap_or(u32::MAX);
        self.bytes.extend_from_slice(entry);
        self.bytes.extend_from_slice(key);
        self.places.push(Place {
            start,
            entry: u32::try_from(entry.len()).unwrap_or(u32::MAX),
            key: u32::try_from(key.len()).unwrap_or(u32::MAX),
        });
        let hash = Self::hash(entry);
        let (bytes, places) = (&self.bytes, &self.places);
        let entry_of = |at: u32| entry_in(bytes, places, at);
        match self
            .waiting
            .find_mut(hash, |&other| entry_of(other) == entry)
        {
            Some(replaced) => *replaced = at,
            None => {
                self.waiting
                    .insert_unique(hash, at, |&other| Self::hash(entry_of(other)));
            }
        }
    }

    fn find(&self, entry: &[u8]) -> Option<u32> {
        self.waiting
            .find(Self::hash(entry), |&at| self.entry_at(at) == entry)
            .copied()
    }

    fn remove(&mut self, entry: &[u8]) -> bool {
        let hash = Self::hash(entry);
        let (bytes, places) = (&self.bytes, &self.places);
        let found = self
            .waiting
            .find_entry(hash, |&at| entry_in(bytes, places, at) == entry);
        match found {
            Ok(waiting) => {
                waiting.remove();
                true
            }
            Err(_) => false,
        }
    }

    /// The waiting entries, each with the primary key it leads to, in the
    /// order of their entry keys.
    pub fn in_order(&self) -> Vec<(&[u8], &[u8])> {
        let mut entries: Vec<(&[u8], &[u8])> = self
            .waiting
            .iter()
            .map(|&at| (self.entry_at(at), self.key_at(at)))
            .collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries
    }
}

/// The entry key at `at` of a batch's `bytes` laid out as `places` say.
fn entry_in<'b>(bytes: &'b [u8], places: &[Place], at: u32) -> &'b [u8] {
    let place = places[at as usize];
    let start = place.start as usize;
    &bytes[start..start + place.entry as usize]
}

/// Every index's waiting entries in one write.
#[derive(Default)]
pub(super) struct Pending {
    batches: Vec<(Slot, Batch)>,
}

/// Where an entry to remove was.
pub(super) enum Removed {
    /// It was waiting, and is no more.
    Waiting,
    /// It is in the index's table (if anywhere).
    Written,
}

impl Pending {
    fn batch(&self, slot: Slot) -> Option<&Batch> {
        self.batches
            .iter()
            .find(|(at, _)| *at == slot)
            .map(|(_, batch)| batch)
    }

    /// Gathers the entry `entry` → `key` of index `index` of `table`;
    /// true when its batch has grown enough to be put now.
    pub fn add(&mut self, table: &TableSpec, index: usize, entry: &[u8], key: &[u8]) -> bool {
        let (name, indexes) = (table.name, table.indexes);
        let slot = (name, index);
        let at = match self.batches.iter().position(|(at, _)| *at == slot) {
            Some(at) => at,
            None => {
                self.batches.push((slot, Batch::new(name, &indexes[index])));
                self.batches.len() - 1
            }
        };
        let batch = &mut self.batches[at].1;
        batch.add(entry, key);
        batch.size() >= BATCH_BYTES
    }

    /// Takes `entry` of the index at `slot` out of its batch when it waits there.
    pub fn remove(&mut self, slot: Slot, entry: &[u8]) -> Removed {
        let waited = self
            .batches
            .iter_mut()
            .find(|(at, _)| *at == slot)
            .is_some_and(|(_, batch)| batch.remove(entry));
        match waited {
            true => Removed::Waiting,
            false => Removed::Written,
        }
    }

    /// The primary key a waiting `entry` of the index at `slot` leads to.
    pub fn holder(&self, slot: Slot, entry: &[u8]) -> Option<&[u8]> {
        let batch = self.batch(slot)?;
        batch.find(entry).map(|at| batch.key_at(at))
    }

    /// The batch of the index at `slot`, taken to be put.
    pub fn take(&mut self, slot: Slot) -> Option<Batch> {
        let at = self.batches.iter().position(|(at, _)| *at == slot)?;
        Some(self.batches.swap_remove(at).1)
    }

    /// Every batch, taken to be put.
    pub fn take_all(&mut self) -> Vec<(Slot, Batch)> {
        std::mem::take(&mut self.batches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static INDEXES: [IndexSpec; 1] = [IndexSpec {
        name: "number",
        unique: true,
    }];
    static SPEC: TableSpec = TableSpec {
        name: "people",
        indexes: &INDEXES,
        keys_of: |_| Ok(vec![None]),
        sealed: false,
    };

    #[test]
    fn waiting_entries_are_found_replaced_removed_and_taken_in_key_order() {
        let mut pending = Pending::default();
        for (entry, key) in [("c", "3"), ("a", "1"), ("b", "2"), ("d", "4"), ("c", "5")] {
            assert!(!pending.add(&SPEC, 0, entry.as_bytes(), key.as_bytes()));
        }
        let slot = ("people", 0);
        assert_eq!(pending.holder(slot, b"a"), Some(&b"1"[..]));
        assert_eq!(pending.holder(slot, b"c"), Some(&b"5"[..]), "replaced");
        assert_eq!(pending.holder(slot, b"e"), None);
        assert_eq!(pending.holder(("people", 1), b"a"), None);
        assert!(matches!(pending.remove(slot, b"b"), Removed::Waiting));
        assert!(matches!(pending.remove(slot, b"b"), Removed::Written));
        assert!(matches!(
            pending.remove(("people", 1), b"a"),
            Removed::Written
        ));
        let batch = pending.take(slot).expect("a batch waits");
        let entries: Vec<(&[u8], &[u8])> = batch.in_order();
        assert_eq!(
            entries,
            [
                (&b"a"[..], &b"1"[..]),
                (&b"c"[..], &b"5"[..]),
                (&b"d"[..], &b"4"[..])
            ]
        );
        assert!(pending.take(slot).is_none());
    }

    #[test]
    fn a_batch_asks_to_be_put_once_it_holds_enough() {
        let mut pending = Pending::default();
        let key = [7u8; 8];
        let full = (0u32..)
            .take(1_000_000)
            .position(|n| pending.add(&SPEC, 0, &n.to_be_bytes(), &key))
            .expect("asks before a million entries");
        let each = 4 + 8 + ENTRY_OVERHEAD;
        assert_eq!(full, BATCH_BYTES.div_ceil(each) - 1);
        assert_eq!(pending.take_all().len(), 1);
        assert!(pending.take_all().is_empty());
    }
}
