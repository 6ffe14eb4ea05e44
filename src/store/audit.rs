//! The audit log on disk: entries by sequence number, appended in the same
//! transaction as the change they describe.

use std::ops::{Bound, ControlFlow};

use super::Store;
use super::backend::KeyRange;
use super::codec::{self, Record};
use super::error::StoreError;
use super::keys::KeyCodec;
use super::tables::AUDIT_LOG;
use super::writer::Writer;
use crate::domain::audit::{AuditEntry, AuditEntryView, AuditRecord};

impl Record for AuditEntry {
    /// Version 2 added the SSH key and the chain link.
    const VERSION: u16 = 2;
}

impl Store {
    /// The whole audit log, oldest first.
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|txn| AUDIT_LOG.all(txn))
    }

    /// Hands `visit` every entry whole, oldest first, until it breaks.
    pub fn each_audit_entry(
        &self,
        mut visit: impl FnMut(AuditEntry) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        self.read(|txn| AUDIT_LOG.each(txn, &mut visit))
    }

    /// Hands `visit` the entries after sequence number `after` (every
    /// entry when 0), oldest first, each as a view read in place (nothing
    /// copied: the reader copies what it keeps, [`AuditEntryView::to_entry`]);
    /// returns the newest entry's number (`after` when there is none after
    /// it). What `visit` finds unreadable (its detail) stops the read as
    /// that entry's damage.
    pub fn audit_entries_after(
        &self,
        after: u64,
        visit: &mut dyn FnMut(AuditEntryView<'_>) -> Result<(), String>,
    ) -> Result<u64, StoreError> {
        self.read(|txn| {
            let first = after.saturating_add(1).to_bytes();
            let range = KeyRange {
                start: Bound::Included(&first),
                end: Bound::Unbounded,
                reverse: false,
            };
            let mut newest = after;
            AUDIT_LOG.scan(txn, range, |key, bytes| {
                let view: AuditEntryView = codec::decode_leading(bytes, AuditEntry::VERSION)
                    .map_err(|detail| AUDIT_LOG.undecodable(key, detail))?;
                newest = newest.max(view.seq);
                visit(view).map_err(|detail| AUDIT_LOG.undecodable(key, detail))?;
                Ok(ControlFlow::Continue(()))
            })?;
            Ok(newest)
        })
    }

    /// How many entries the audit log holds.
    pub fn audit_count(&self) -> Result<u64, StoreError> {
        self.read(|txn| AUDIT_LOG.count(txn))
    }
}

impl Writer<'_> {
    /// Appends `record` as this write's operator and time; returns its
    /// sequence number. The entries are chained when the write ends.
    pub fn audit(&mut self, record: AuditRecord) -> Result<u64, StoreError> {
        if self.entries.is_empty() {
            self.first_seq = AUDIT_LOG.last(self.txn)?.map_or(0, |(seq, _)| seq) + 1;
        }
        self.entries.push(record);
        Ok(self.first_seq + self.entries.len() as u64 - 1)
    }

    /// This write's audit entries, as its records are taken.
    pub(super) fn take_entries(&mut self) -> impl Iterator<Item = AuditEntry> + '_ {
        let (first, at) = (self.first_seq, self.at);
        let (operator, key) = (self.operator, self.key);
        std::mem::take(&mut self.entries)
            .into_iter()
            .zip(first..)
            .map(move |(record, seq)| AuditEntry {
                seq,
                at,
                operator: operator.to_string(),
                key: key.map(str::to_string),
                record,
                link: Default::default(),
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::audit::AuditRecord;
    use crate::store::Store;
    use crate::store::test_support::{at, new_file_store};

    #[test]
    fn sequence_numbers_count_up_across_reopen() {
        let (_dir, path, store) = new_file_store();
        let seqs = store
            .write("alice", at(1), |w| {
                let a = w.audit(AuditRecord::new("note.add", "note", 1))?;
                let b = w.audit(AuditRecord::new("note.add", "note", 2))?;
                Ok((a, b))
            })
            .expect("write");
        assert_eq!(seqs, (2, 3));
        drop(store);
        let store = Store::open(&path).expect("reopen");
        let seq = store
            .write("bob", at(2), |w| {
                w.audit(AuditRecord::new("note.add", "note", 3))
            })
            .expect("write");
        assert_eq!(seq, 4);
        let entries = store.audit_entries().expect("read");
        let seqs: Vec<_> = entries.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [1, 2, 3, 4]);
        assert_eq!(entries[3].operator, "bob");
        assert_eq!(entries[3].at, at(2));
        assert_eq!(store.audit_count().expect("count"), 4);
    }

    #[test]
    fn entries_read_in_place_are_the_stored_ones() {
        let (_dir, _path, store) = new_file_store();
        store
            .write("alice", at(1), |w| {
                w.audit(
                    AuditRecord::new("note.add", "note", 1)
                        .before("text=旧的 note")
                        .after("text=新的"),
                )?;
                w.audit(AuditRecord::new("note.remove", "note", 2).before("text=x"))
            })
            .expect("write");
        store
            .write("bob", at(2), |w| {
                w.audit(AuditRecord::new("note.add", "note", 3))
            })
            .expect("write");
        let stored = store.audit_entries().expect("read");
        let mut read = Vec::new();
        let newest = store
            .audit_entries_after(0, &mut |view| {
                read.push(view.to_entry()?);
                Ok(())
            })
            .expect("read in place");
        assert_eq!(newest, stored.last().unwrap().seq);
        let expected: Vec<_> = stored
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.link.sealed.clear();
                e.link.released.clear();
                e
            })
            .collect();
        assert_eq!(read, expected, "everything but the tallies");
        assert!(
            stored.iter().any(|e| !e.link.sealed.is_empty()),
            "tallies were there"
        );
        let mut later = Vec::new();
        let again = store
            .audit_entries_after(newest - 1, &mut |view| {
                later.push(view.seq);
                Ok(())
            })
            .expect("read on");
        assert_eq!((again, later), (newest, vec![newest]));
        let mut none = Vec::new();
        let same = store
            .audit_entries_after(newest, &mut |view| {
                none.push(view.seq);
                Ok(())
            })
            .expect("nothing new");
        assert_eq!((same, none.len()), (newest, 0));
    }
}
