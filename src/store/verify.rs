//! The check of a whole database, in one read transaction beside whoever
//! else has it open: the audit log's hash chain from the first entry, every
//! sealed record against its seal and against the tallies of the entry
//! that sealed it, and every secondary key rebuilt from the records and
//! compared with what the backend keeps.

use std::collections::{BTreeSet, HashMap};
use std::hash::BuildHasher;
use std::ops::ControlFlow;

use foldhash::HashSet;
use foldhash::quality::FixedState;

use super::backend::{KeyRange, ReadTxn};
use super::chain::{self, GENESIS};
use super::error::StoreError;
use super::seal::{self, Sum};
use super::tables::{self, AUDIT_LOG, AnyTable};
use crate::domain::audit::Digest;

/// How many records of one entry's group a finding names at most.
const MAX_SUSPECTS: usize = 20;

/// What a check found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Entries in the audit log.
    pub entries: u64,
    /// Sealed records checked.
    pub records: u64,
    /// The newest entry: its number and hash.
    pub head: Option<(u64, Digest)>,
    /// The first entry whose hash does not follow from the ones before it.
    pub broken: Option<BrokenEntry>,
    /// Records changed, added or removed outside hrdesk, and secondary
    /// keys that do not match the records.
    pub findings: Vec<Finding>,
    /// Where the head the caller expected stands in the chain (`None`:
    /// nothing was expected).
    pub expected: Option<ExpectedHead>,
}

impl Verdict {
    /// Nothing is wrong.
    pub fn intact(&self) -> bool {
        self.broken.is_none()
            && self.findings.is_empty()
            && self.expected.as_ref().is_none_or(|e| e.found.is_some())
    }
}

/// The first entry of the chain that is not what was written.
#[derive(Debug, PartialEq, Eq)]
pub struct BrokenEntry {
    pub seq: u64,
    pub fault: EntryFault,
}

#[derive(Debug, PartialEq, Eq)]
pub enum EntryFault {
    /// Its hash does not follow from its contents and the entry before it.
    Hash,
    /// Entries are missing before it (it is numbered `seq`, the one
    /// before it `previous`).
    Gap { previous: u64 },
    /// It cannot be read at all.
    Unreadable(String),
}

/// A head hash the caller kept, and the entry that has it, if any.
#[derive(Debug, PartialEq, Eq)]
pub struct ExpectedHead {
    pub hash: String,
    pub found: Option<u64>,
}

/// One thing wrong with a record or a secondary key.
#[derive(Debug, PartialEq, Eq)]
pub struct Finding {
    pub table: &'static str,
    /// The record's key as people read it (none: the records are gone).
    pub key: Option<String>,
    /// The entry whose write last sealed the record(s).
    pub entry: Option<u64>,
    pub fault: Fault,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Fault {
    /// Its contents are not what its seal says.
    Changed,
    /// It carries no seal.
    Unsealed,
    /// Its seal names an entry the chain does not have.
    UnknownEntry,
    /// It is among the records of an entry that do not add up to what the
    /// entry's write sealed: changed and resealed, or added.
    Unaccounted,
    /// `count` records the entry's write sealed are gone.
    Missing { count: u64 },
    /// The secondary key `index` lacks the record's entry.
    IndexMissing { index: &'static str },
    /// The secondary key `index` has an entry no record gives it.
    IndexStale { index: &'static str },
}

/// Checks everything `txn` sees (the raw rows, seals included);
/// `expected_head` is a hash the caller kept from an earlier head.
pub(crate) fn verify(
    txn: &dyn ReadTxn,
    expected_head: Option<&str>,
) -> Result<Verdict, StoreError> {
    let mut verdict = Verdict::default();
    let chain = walk_chain(txn, &mut verdict)?;
    verdict.expected = expected_head.map(|hash| ExpectedHead {
        hash: hash.to_string(),
        found: chain.hashes.get(&hash.to_ascii_lowercase()).copied(),
    });
    for table in tables::ALL.iter().filter(|t| t.spec().sealed) {
        check_records(txn, *table, &chain, &mut verdict)?;
        check_indexes(txn, *table, &mut verdict)?;
    }
    Ok(verdict)
}

/// What the chain says the records should add up to.
struct Chain {
    /// Every entry's number, by its hash in hex.
    hashes: HashMap<String, u64>,
    /// What is left of each write's tally per table, by (entry, table).
    expected: HashMap<(u64, String), Sum>,
}

fn walk_chain(txn: &dyn ReadTxn, verdict: &mut Verdict) -> Result<Chain, StoreError> {
    let mut chain = Chain {
        hashes: HashMap::new(),
        expected: HashMap::new(),
    };
    let mut prev = GENESIS;
    let mut previous_seq = 0;
    AUDIT_LOG.scan(txn, KeyRange::ALL, |key, bytes| {
        verdict.entries += 1;
        let entry = match AUDIT_LOG.decode(key, bytes) {
            Ok(entry) => entry,
            Err(err) => {
                let seq = u64::from_be_bytes(key.try_into().unwrap_or_default());
                note_break(verdict, seq, EntryFault::Unreadable(err.to_string()));
                return Ok(ControlFlow::Continue(()));
            }
        };
        if entry.seq != previous_seq + 1 {
            let gap = EntryFault::Gap {
                previous: previous_seq,
            };
            note_break(verdict, entry.seq, gap);
        } else if chain::entry_hash(&prev, &entry)? != entry.link.hash {
            note_break(verdict, entry.seq, EntryFault::Hash);
        }
        prev = entry.link.hash;
        previous_seq = entry.seq;
        chain.hashes.insert(chain::hex(&entry.link.hash), entry.seq);
        for tally in &entry.link.sealed {
            chain
                .expected
                .entry((entry.seq, tally.table.clone()))
                .or_default()
                .absorb(Sum::from(tally));
        }
        for release in &entry.link.released {
            chain
                .expected
                .entry((release.seq, release.tally.table.clone()))
                .or_default()
                .take(Sum::from(&release.tally));
        }
        verdict.head = Some((entry.seq, entry.link.hash));
        Ok(ControlFlow::Continue(()))
    })?;
    Ok(chain)
}

fn note_break(verdict: &mut Verdict, seq: u64, fault: EntryFault) {
    if verdict.broken.is_none() {
        verdict.broken = Some(BrokenEntry { seq, fault });
    }
}

fn check_records(
    txn: &dyn ReadTxn,
    table: &dyn AnyTable,
    chain: &Chain,
    verdict: &mut Verdict,
) -> Result<(), StoreError> {
    let spec = table.spec();
    let known: HashSet<u64> = chain.hashes.values().copied().collect();
    let mut found: HashMap<u64, Sum> = HashMap::new();
    txn.scan(spec, KeyRange::ALL, &mut |key, stored| {
        verdict.records += 1;
        let finding = |entry, fault| Finding {
            table: spec.name,
            key: Some(table.key_text(key)),
            entry,
            fault,
        };
        let Some(sealed) = seal::split(stored) else {
            verdict.findings.push(finding(None, Fault::Unsealed));
            return Ok(ControlFlow::Continue(()));
        };
        if seal::record_hash(spec.name, key, sealed.envelope) != sealed.hash {
            verdict
                .findings
                .push(finding(Some(sealed.seq), Fault::Changed));
        }
        if !known.contains(&sealed.seq) {
            verdict
                .findings
                .push(finding(Some(sealed.seq), Fault::UnknownEntry));
        }
        found.entry(sealed.seq).or_default().add(seal::term(
            spec.name,
            key,
            sealed.seq,
            &sealed.hash,
        ));
        Ok(ControlFlow::Continue(()))
    })?;
    let expected: HashMap<u64, Sum> = chain
        .expected
        .iter()
        .filter(|((_, name), _)| name == spec.name)
        .map(|((seq, _), sum)| (*seq, *sum))
        .collect();
    let groups: BTreeSet<u64> = expected.keys().chain(found.keys()).copied().collect();
    let mut off: BTreeSet<u64> = BTreeSet::new();
    for seq in groups.into_iter().filter(|seq| known.contains(seq)) {
        let wanted = expected.get(&seq).copied().unwrap_or_default();
        let actual = found.get(&seq).copied().unwrap_or_default();
        if actual == wanted {
            continue;
        }
        if actual.count < wanted.count {
            verdict.findings.push(Finding {
                table: spec.name,
                key: None,
                entry: Some(seq),
                fault: Fault::Missing {
                    count: wanted.count - actual.count,
                },
            });
        } else {
            // As many or more than were sealed, and not the same: changed
            // and resealed, or slipped in.
            off.insert(seq);
        }
    }
    name_suspects(txn, table, &off, verdict)
}

/// Names the records sealed by the entries in `off`, whose group does not
/// add up (a resealed change cannot be told from its neighbours).
fn name_suspects(
    txn: &dyn ReadTxn,
    table: &dyn AnyTable,
    off: &BTreeSet<u64>,
    verdict: &mut Verdict,
) -> Result<(), StoreError> {
    if off.is_empty() {
        return Ok(());
    }
    let spec = table.spec();
    let mut named: HashMap<u64, usize> = HashMap::new();
    txn.scan(spec, KeyRange::ALL, &mut |key, stored| {
        if let Some(sealed) = seal::split(stored)
            && off.contains(&sealed.seq)
        {
            let count = named.entry(sealed.seq).or_default();
            if *count < MAX_SUSPECTS {
                *count += 1;
                verdict.findings.push(Finding {
                    table: spec.name,
                    key: Some(table.key_text(key)),
                    entry: Some(sealed.seq),
                    fault: Fault::Unaccounted,
                });
            }
        }
        Ok(ControlFlow::Continue(()))
    })
}

/// Rebuilds the secondary keys of `table` from its records and compares
/// them with the backend's. Only a 64-bit fingerprint of each entry is
/// held (a million staff's keys in full would take gigabytes); the records
/// behind a difference are named by a second look.
fn check_indexes(
    txn: &dyn ReadTxn,
    table: &dyn AnyTable,
    verdict: &mut Verdict,
) -> Result<(), StoreError> {
    let spec = table.spec();
    if spec.indexes.is_empty() {
        return Ok(());
    }
    let wanted = fingerprints_of_records(txn, table)?;
    for (index, declared) in spec.indexes.iter().enumerate() {
        let mut kept = HashSet::default();
        txn.index_entries(spec, index, &mut |index_key, key| {
            kept.insert(fingerprint(index_key, key));
            Ok(ControlFlow::Continue(()))
        })?;
        let missing: HashSet<u64> = wanted[index].difference(&kept).copied().collect();
        let stale: HashSet<u64> = kept.difference(&wanted[index]).copied().collect();
        let mut note = |key: &[u8], fault| {
            verdict.findings.push(Finding {
                table: spec.name,
                key: Some(table.key_text(key)),
                entry: None,
                fault,
            });
        };
        if !missing.is_empty() {
            txn.scan(spec, KeyRange::ALL, &mut |key, stored| {
                let keys = table.index_keys(seal::envelope(true, stored));
                let lacking = keys.ok().and_then(|mut keys| keys.get_mut(index)?.take());
                if lacking.is_some_and(|index_key| missing.contains(&fingerprint(&index_key, key)))
                {
                    note(
                        key,
                        Fault::IndexMissing {
                            index: declared.name,
                        },
                    );
                }
                Ok(ControlFlow::Continue(()))
            })?;
        }
        if !stale.is_empty() {
            txn.index_entries(spec, index, &mut |index_key, key| {
                if stale.contains(&fingerprint(index_key, key)) {
                    note(
                        key,
                        Fault::IndexStale {
                            index: declared.name,
                        },
                    );
                }
                Ok(ControlFlow::Continue(()))
            })?;
        }
    }
    Ok(())
}

/// The fingerprints of the secondary keys the records of `table` give,
/// one set per index.
fn fingerprints_of_records(
    txn: &dyn ReadTxn,
    table: &dyn AnyTable,
) -> Result<Vec<HashSet<u64>>, StoreError> {
    let spec = table.spec();
    let mut sets = vec![HashSet::default(); spec.indexes.len()];
    txn.scan(spec, KeyRange::ALL, &mut |key, stored| {
        // A record that cannot be read is already a finding of its own.
        if let Ok(keys) = table.index_keys(seal::envelope(true, stored)) {
            for (set, index_key) in sets.iter_mut().zip(keys) {
                if let Some(index_key) = index_key {
                    set.insert(fingerprint(&index_key, key));
                }
            }
        }
        Ok(ControlFlow::Continue(()))
    })?;
    Ok(sets)
}

/// A 64-bit fingerprint of the index entry `index_key` → `key`.
fn fingerprint(index_key: &[u8], key: &[u8]) -> u64 {
    FixedState::with_seed(0x6872_6465_736b).hash_one((index_key, key))
}
