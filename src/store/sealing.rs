//! The upgrade that brings a database written before seals existed
//! (schema 7 and older) under them, inside the upgrade's one transaction:
//! the audit entries so far are chained in their order (they gain a hash,
//! no tallies: what they wrote was never sealed), every record is sealed
//! as written by one new entry, `database.upgrade`, whose tallies cover
//! them all. From there on, `verify` accounts for every record.

use std::ops::{Bound, ControlFlow};

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::backend::{KeyRange, WriteTxn};
use super::chain::{self, GENESIS};
use super::codec;
use super::error::StoreError;
use super::keys::KeyCodec;
use super::seal::SealedWrite;
use super::tables::{self, AUDIT_LOG, AnyTable};
use crate::domain::audit::{AuditEntry, AuditRecord};

/// Who the upgrade entry names: the program itself.
pub(crate) const UPGRADER: &str = "hrdesk";

/// How many rows are taken from a table at a time (a million employees
/// need not all be in memory at once).
const BATCH: usize = 10_000;

/// An audit entry as schema 7 and before stored it (record version 1).
#[derive(Deserialize)]
struct EntryV1 {
    seq: u64,
    at: DateTime<Utc>,
    operator: String,
    record: AuditRecord,
}

/// Chains the entries, seals every record and logs it, as of `at`;
/// `from` is the schema the file had.
pub(crate) fn seal_everything(
    txn: &dyn WriteTxn,
    from: u32,
    to: u32,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (last, prev) = chain_old_entries(txn)?;
    let sealed = SealedWrite::new(txn, last + 1);
    for table in tables::ALL.iter().filter(|t| t.spec().sealed) {
        let spec = &table.unsealed_spec();
        let mut after: Option<Vec<u8>> = None;
        loop {
            let start = after.as_deref().map_or(Bound::Unbounded, Bound::Excluded);
            let mut rows = Vec::new();
            txn.scan(
                spec,
                KeyRange {
                    start,
                    end: Bound::Unbounded,
                    reverse: false,
                },
                &mut |key, value| {
                    rows.push((key.to_vec(), value.to_vec()));
                    Ok(if rows.len() < BATCH {
                        ControlFlow::Continue(())
                    } else {
                        ControlFlow::Break(())
                    })
                },
            )?;
            let Some((key, _)) = rows.last() else {
                break;
            };
            after = Some(key.clone());
            for (key, value) in &rows {
                txn.remove(spec, key)?;
                table.restore(&sealed, key, value)?;
            }
        }
    }
    let entry = AuditEntry {
        seq: last + 1,
        at,
        operator: UPGRADER.to_string(),
        key: None,
        record: AuditRecord::new("database.upgrade", "database", "schema")
            .before(format!("schema={from}"))
            .after(format!("schema={to}")),
        link: Default::default(),
    };
    chain::append(txn, vec![entry], prev, sealed.take_ledger())?;
    Ok(())
}

/// Rewrites the entries of record version 1 with their hashes, in order;
/// returns the last one's sequence number and hash.
fn chain_old_entries(txn: &dyn WriteTxn) -> Result<(u64, [u8; 32]), StoreError> {
    let mut old = Vec::new();
    AUDIT_LOG.scan(txn, KeyRange::ALL, |key, bytes| {
        let entry: EntryV1 =
            codec::decode_as(bytes, 1).map_err(|detail| AUDIT_LOG.undecodable(key, detail))?;
        old.push(entry);
        Ok(ControlFlow::Continue(()))
    })?;
    let mut entries: Vec<AuditEntry> = old
        .into_iter()
        .map(|entry| AuditEntry {
            seq: entry.seq,
            at: entry.at,
            operator: entry.operator,
            key: None,
            record: entry.record,
            link: Default::default(),
        })
        .collect();
    let last = entries.last().map_or(0, |e| e.seq);
    let mut prev = GENESIS;
    for entry in &mut entries {
        entry.link.hash = chain::entry_hash(&prev, entry)?;
        prev = entry.link.hash;
        // The old bytes go first: a put would read them as the new layout.
        txn.remove(AUDIT_LOG.spec(), &entry.seq.to_bytes())?;
        AUDIT_LOG.put(txn, &entry.seq, entry)?;
    }
    Ok((last, prev))
}
