//! The change feed and revisions on disk (schema 6). Every commit that
//! touched records appends one [`Change`] naming them, and sets each
//! record's revision to that change's number; both are written by the
//! commit itself, so they can never disagree with the data.

use super::Store;
use super::backend::KeyRange;
use super::codec::Record;
use super::error::StoreError;
use super::tables::{CHANGES, REVISIONS};
use super::writer::Writer;
use crate::domain::audit::AuditRecord;
use crate::domain::change::{Change, EntityKey, Kind, Revision};

impl Record for Change {
    const VERSION: u16 = 1;
}

/// A change naming more records of one kind than this names the kind
/// instead (an import of thousands): a console reads that kind again.
/// Each record still gets its own revision.
const MAX_KEYS_OF_A_KIND: usize = 256;

impl Store {
    /// The number of the last change committed (0 before the first).
    pub fn last_change(&self) -> Result<u64, StoreError> {
        self.read(|txn| Ok(CHANGES.last(txn)?.map_or(0, |(seq, _)| seq)))
    }

    /// The changes after number `seq`, oldest first, at most `limit` of them.
    pub fn changes_since(&self, seq: u64, limit: usize) -> Result<Vec<Change>, StoreError> {
        let after = seq.saturating_add(1).to_be_bytes();
        let range = KeyRange {
            start: std::ops::Bound::Included(&after),
            ..KeyRange::ALL
        };
        self.read(|txn| CHANGES.collect(txn, range, limit))
    }

    /// The change numbered `seq`, if there is one.
    pub fn change(&self, seq: u64) -> Result<Option<Change>, StoreError> {
        self.read(|txn| CHANGES.get(txn, &seq))
    }

    /// The mark this handle puts on the changes it writes.
    pub fn origin(&self) -> u64 {
        self.origin
    }

    /// How many changes the feed holds.
    pub fn change_count(&self) -> Result<u64, StoreError> {
        self.read(|txn| CHANGES.count(txn))
    }

    /// The revision of the record `key`.
    pub fn revision(&self, key: &EntityKey) -> Result<Revision, StoreError> {
        self.read(|txn| Ok(Revision(REVISIONS.get(txn, &key.to_string())?.unwrap_or(0))))
    }
}

impl Writer<'_> {
    /// Notes that this write changes the record `key`: the commit lists it
    /// in its change and gives it a new revision.
    pub fn touch(&mut self, key: EntityKey) {
        self.touched.push(key);
    }

    /// Notes that this write adds records of `kind` (new records have no
    /// revision to protect; consoles read the kind again).
    pub fn announce(&mut self, kind: Kind) {
        self.touched.push(EntityKey::All(kind));
    }

    /// The revision of `key` as this transaction sees it.
    pub fn revision(&self, key: &EntityKey) -> Result<Revision, StoreError> {
        Ok(Revision(
            REVISIONS.get(self.txn, &key.to_string())?.unwrap_or(0),
        ))
    }

    /// The change numbered `seq` as this transaction sees it (who made a
    /// revision, and when).
    pub fn change(&self, seq: u64) -> Result<Option<Change>, StoreError> {
        CHANGES.get(self.txn, &seq)
    }

    /// Appends this write's change and moves the revisions of the records
    /// it touched; called once, just before the commit.
    pub(super) fn record_change(&mut self) -> Result<(), StoreError> {
        // Each record once, in the order first touched (a batch may touch
        // a million: a set, not a search of the list).
        let mut seen = std::collections::HashSet::new();
        let keys: Vec<EntityKey> = std::mem::take(&mut self.touched)
            .into_iter()
            .filter(|key| seen.insert(key.clone()))
            .collect();
        let seq = CHANGES.last(self.txn)?.map_or(0, |(seq, _)| seq) + 1;
        for key in keys.iter().filter(|k| !matches!(k, EntityKey::All(_))) {
            REVISIONS.set(self.txn, &key.to_string(), seq)?;
        }
        let keys = summarised(keys);
        let change = Change {
            seq,
            at: self.at,
            operator: self.operator.to_string(),
            origin: self.origin,
            keys,
            actions: summarised_actions(&self.entries),
        };
        CHANGES.put(self.txn, &seq, &change)?;
        Ok(())
    }
}

/// What a write's audit `records` say, `action entity` each; an action
/// of more than [`MAX_KEYS_OF_A_KIND`] entries is told once with their
/// number (`binding.used ×1665345`), where its first was: a console is
/// not handed a million phrases, nor is a phrase made for each.
fn summarised_actions(records: &[AuditRecord]) -> Vec<String> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for record in records {
        *counts.entry(record.action.as_str()).or_default() += 1;
    }
    let mut told = std::collections::HashSet::new();
    records
        .iter()
        .filter_map(|record| {
            let action = record.action.as_str();
            match counts[action] {
                many if many > MAX_KEYS_OF_A_KIND => {
                    told.insert(action).then(|| format!("{action} ×{many}"))
                }
                _ => Some(format!("{action} {}", record.entity_id)),
            }
        })
        .collect()
}

/// `keys` with the kinds that have too many named replaced by the kind.
fn summarised(keys: Vec<EntityKey>) -> Vec<EntityKey> {
    let mut counts: std::collections::HashMap<Kind, usize> = std::collections::HashMap::new();
    for key in &keys {
        *counts.entry(key.kind()).or_default() += 1;
    }
    let mut out: Vec<EntityKey> = Vec::new();
    for key in keys {
        let kind = key.kind();
        if counts[&kind] > MAX_KEYS_OF_A_KIND {
            if !out.contains(&EntityKey::All(kind)) {
                out.push(EntityKey::All(kind));
            }
        } else {
            out.push(key);
        }
    }
    out
}
