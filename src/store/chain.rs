//! The audit log's hash chain. Each entry's hash covers the previous
//! entry's hash and the entry's own encoding (its hash left at zero), so an
//! entry changed, removed or slipped in breaks every hash after it. The
//! first entry of each write also carries the tallies of what that write
//! sealed and released (see `seal`), binding the records to the chain.

use sha2::{Digest as _, Sha256};

use super::backend::{ReadTxn, WriteTxn};
use super::codec;
use super::error::StoreError;
use super::seal::Ledger;
use super::tables::AUDIT_LOG;
use crate::domain::audit::{AuditEntry, Digest};

/// What comes before the first entry.
pub(crate) const GENESIS: Digest = [0; 32];

/// The newest entry's sequence number and hash (0 and [`GENESIS`] for none).
pub(crate) fn head(txn: &dyn ReadTxn) -> Result<(u64, Digest), StoreError> {
    Ok(AUDIT_LOG
        .last(txn)?
        .map_or((0, GENESIS), |(seq, entry)| (seq, entry.link.hash)))
}

/// The hash of `entry` after the entry hashed `prev`; `entry`'s own hash
/// is not part of it.
pub(crate) fn entry_hash(prev: &Digest, entry: &AuditEntry) -> Result<Digest, StoreError> {
    let mut unhashed;
    let entry = if entry.link.hash == GENESIS {
        entry
    } else {
        unhashed = entry.clone();
        unhashed.link.hash = GENESIS;
        &unhashed
    };
    let bytes = codec::encode(entry).map_err(|detail| StoreError::Encode {
        table: "audit_log",
        detail,
    })?;
    let mut hasher = Sha256::new();
    hasher.update(b"hrdesk-audit-chain");
    hasher.update(prev);
    hasher.update(&bytes);
    Ok(hasher.finalize().into())
}

/// Appends a write's `entries` after the entry hashed `prev`, the first
/// carrying the write's `ledger`; returns the new head's hash.
pub(crate) fn append(
    txn: &dyn WriteTxn,
    entries: impl IntoIterator<Item = AuditEntry>,
    mut prev: Digest,
    ledger: Ledger,
) -> Result<Digest, StoreError> {
    let mut tallies = Some(ledger.into_tallies());
    for mut entry in entries {
        if let Some((sealed, released)) = tallies.take() {
            entry.link.sealed = sealed;
            entry.link.released = released;
        }
        entry.link.hash = GENESIS;
        entry.link.hash = entry_hash(&prev, &entry)?;
        prev = entry.link.hash;
        AUDIT_LOG.put(txn, &entry.seq, &entry)?;
    }
    Ok(prev)
}

/// A hash as people copy it: lowercase hex.
pub fn hex(hash: &Digest) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::audit::AuditRecord;
    use crate::store::test_support::at;

    fn entry(seq: u64, after: &str) -> AuditEntry {
        AuditEntry {
            seq,
            at: at(1),
            operator: "alice".into(),
            key: None,
            record: AuditRecord::new("employee.update", "employee", 7).after(after),
            link: Default::default(),
        }
    }

    #[test]
    fn a_hash_covers_the_previous_hash_and_every_field_but_itself() {
        let first = entry_hash(&GENESIS, &entry(1, "salary=100")).expect("hash");
        assert_ne!(
            first,
            entry_hash(&GENESIS, &entry(1, "salary=900")).expect("hash")
        );
        assert_ne!(
            first,
            entry_hash(&[1; 32], &entry(1, "salary=100")).expect("hash")
        );
        let mut keyed = entry(1, "salary=100");
        keyed.key = Some("SHA256:abc".into());
        assert_ne!(first, entry_hash(&GENESIS, &keyed).expect("hash"));
        let mut hashed = entry(1, "salary=100");
        hashed.link.hash = first;
        assert_eq!(entry_hash(&GENESIS, &hashed).expect("hash"), first);
        assert_eq!(hex(&[0xab; 32]).len(), 64);
    }
}
