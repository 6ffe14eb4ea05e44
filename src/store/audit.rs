//! The audit log on disk: entries by sequence number, appended in the same
//! transaction as the change they describe.

use super::Store;
use super::codec::Record;
use super::error::StoreError;
use super::tables::AUDIT_LOG;
use super::writer::Writer;
use crate::domain::audit::{AuditEntry, AuditRecord};

impl Record for AuditEntry {
    /// Version 2 added the SSH key and the chain link.
    const VERSION: u16 = 2;
}

impl Store {
    /// The whole audit log, oldest first.
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|txn| AUDIT_LOG.all(txn))
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
        let seq = match self.entries.last() {
            Some(previous) => previous.seq + 1,
            None => AUDIT_LOG.last(self.txn)?.map_or(0, |(seq, _)| seq) + 1,
        };
        self.actions
            .push(format!("{} {}", record.action, record.entity_id));
        self.entries.push(AuditEntry {
            seq,
            at: self.at,
            operator: self.operator.to_string(),
            key: self.key.map(str::to_string),
            record,
            link: Default::default(),
        });
        Ok(seq)
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
}
