//! Record seals. Every row of a sealed table is stored as
//! `seq (8 bytes, big endian) ‖ hash (32 bytes) ‖ record envelope`: `hash`
//! is the SHA-256 of the table's name, the row's key and the envelope, and
//! `seq` the audit entry whose write left it. Reads go through
//! [`SealedRead`], which checks the hash of every row it hands out, so a
//! record changed outside hrdesk is refused, never shown. Writes go
//! through [`SealedWrite`], which seals what it stores and keeps the
//! [`Ledger`] of the versions it sealed and released, which the write's
//! first audit entry then carries (see `chain`).

use std::cell::RefCell;
use std::collections::BTreeMap;

use sha2::{Digest as _, Sha256};

use super::backend::{Flow, KeyRange, ReadTxn, RowVisitor, TableSpec, WriteTxn};
use super::error::StoreError;
use super::tables;
use crate::domain::audit::{Digest, Release, Tally};
use crate::tr;

/// How many bytes a seal takes before the record.
pub(crate) const SEAL_LEN: usize = 8 + 32;

/// The hash of the record `envelope` stored under `key` in `table`.
pub(crate) fn record_hash(table: &str, key: &[u8], envelope: &[u8]) -> Digest {
    let mut hasher = of_row(b"", table, key);
    hasher.update(envelope);
    hasher.finalize().into()
}

/// A hasher that has taken `purpose`, then `table` and `key`, each with
/// its length (so no two rows hash alike by shifting bytes between them).
fn of_row(purpose: &[u8], table: &str, key: &[u8]) -> Sha256 {
    let mut hasher = Sha256::new();
    hasher.update(purpose);
    hasher.update((table.len() as u32).to_be_bytes());
    hasher.update(table.as_bytes());
    hasher.update((key.len() as u32).to_be_bytes());
    hasher.update(key);
    hasher
}

/// The stored form of `envelope` under `key` in `table`, sealed by entry `seq`.
pub(crate) fn seal(table: &str, key: &[u8], seq: u64, envelope: &[u8]) -> (Vec<u8>, Digest) {
    let hash = record_hash(table, key, envelope);
    let mut stored = Vec::with_capacity(SEAL_LEN + envelope.len());
    stored.extend_from_slice(&seq.to_be_bytes());
    stored.extend_from_slice(&hash);
    stored.extend_from_slice(envelope);
    (stored, hash)
}

/// A stored row taken apart, before any check: the sealing entry, the
/// hash it was sealed with, and the envelope.
pub(crate) struct Sealed<'a> {
    pub(crate) seq: u64,
    pub(crate) hash: Digest,
    pub(crate) envelope: &'a [u8],
}

/// Takes a stored row apart; `None` when it is too short to hold a seal.
pub(crate) fn split(stored: &[u8]) -> Option<Sealed<'_>> {
    let (seq, rest) = stored.split_first_chunk::<8>()?;
    let (hash, envelope) = rest.split_first_chunk::<32>()?;
    Some(Sealed {
        seq: u64::from_be_bytes(*seq),
        hash: *hash,
        envelope,
    })
}

/// The envelope of the row `key` of `table`, once its seal matches it.
pub(crate) fn open<'a>(
    table: &TableSpec,
    key: &[u8],
    stored: &'a [u8],
) -> Result<Sealed<'a>, StoreError> {
    let sealed = split(stored).ok_or_else(|| tampered(table, key, None))?;
    if record_hash(table.name, key, sealed.envelope) != sealed.hash {
        return Err(tampered(table, key, Some(sealed.seq)));
    }
    Ok(sealed)
}

/// The envelope of a stored row of `table`, unchecked (to derive the
/// secondary keys of a row being replaced).
pub(crate) fn envelope(table_sealed: bool, stored: &[u8]) -> &[u8] {
    if table_sealed {
        stored.get(SEAL_LEN..).unwrap_or_default()
    } else {
        stored
    }
}

fn tampered(table: &TableSpec, key: &[u8], seq: Option<u64>) -> StoreError {
    let key = tables::ALL
        .iter()
        .find(|known| known.spec().name == table.name)
        .map_or_else(|| format!("{key:02x?}"), |known| known.key_text(key));
    StoreError::Tampered {
        table: table.name,
        key,
        detail: match seq {
            Some(seq) => tr!("store.seal.mismatch", seq = seq),
            None => tr!("store.seal.missing"),
        },
    }
}

/// The term a record version adds to its sealing entry's tally.
pub(crate) fn term(table: &str, key: &[u8], seq: u64, hash: &Digest) -> [u64; 4] {
    let mut hasher = of_row(b"term", table, key);
    hasher.update(seq.to_be_bytes());
    hasher.update(hash);
    let digest: Digest = hasher.finalize().into();
    let mut words = [0u64; 4];
    for (word, bytes) in words.iter_mut().zip(digest.chunks_exact(8)) {
        let mut chunk = [0u8; 8];
        chunk.copy_from_slice(bytes);
        *word = u64::from_be_bytes(chunk);
    }
    words
}

/// A running count and sum of terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sum {
    pub(crate) count: u64,
    pub(crate) sum: [u64; 4],
}

impl Sum {
    pub(crate) fn add(&mut self, term: [u64; 4]) {
        self.absorb(Sum {
            count: 1,
            sum: term,
        });
    }

    /// Counts `other`'s versions in too.
    pub(crate) fn absorb(&mut self, other: Sum) {
        self.count = self.count.wrapping_add(other.count);
        for (total, word) in self.sum.iter_mut().zip(other.sum) {
            *total = total.wrapping_add(word);
        }
    }

    /// Takes `other`'s versions off (what is left once releases are counted).
    pub(crate) fn take(&mut self, other: Sum) {
        self.count = self.count.wrapping_sub(other.count);
        for (total, word) in self.sum.iter_mut().zip(other.sum) {
            *total = total.wrapping_sub(word);
        }
    }

    fn tally(self, table: &str) -> Tally {
        Tally {
            table: table.to_string(),
            count: self.count,
            sum: self.sum,
        }
    }
}

impl From<&Tally> for Sum {
    fn from(tally: &Tally) -> Self {
        Sum {
            count: tally.count,
            sum: tally.sum,
        }
    }
}

/// What one write sealed and released, per table (and per releasing entry).
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    sealed: BTreeMap<&'static str, Sum>,
    released: BTreeMap<(u64, &'static str), Sum>,
}

impl Ledger {
    fn sealed(&mut self, table: &'static str, key: &[u8], seq: u64, hash: &Digest) {
        self.sealed
            .entry(table)
            .or_default()
            .add(term(table, key, seq, hash));
    }

    fn released(&mut self, table: &'static str, key: &[u8], old: &Sealed<'_>) {
        self.released
            .entry((old.seq, table))
            .or_default()
            .add(term(table, key, old.seq, &old.hash));
    }

    /// The tallies the write's first entry carries.
    pub(crate) fn into_tallies(self) -> (Vec<Tally>, Vec<Release>) {
        let sealed = self
            .sealed
            .into_iter()
            .map(|(table, sum)| sum.tally(table))
            .collect();
        let released = self
            .released
            .into_iter()
            .map(|((seq, table), sum)| Release {
                seq,
                tally: sum.tally(table),
            })
            .collect();
        (sealed, released)
    }
}

/// A read transaction whose sealed rows are checked before they are seen.
pub(crate) struct SealedRead<'t> {
    inner: &'t dyn ReadTxn,
}

impl<'t> SealedRead<'t> {
    pub(crate) fn new(inner: &'t dyn ReadTxn) -> Self {
        SealedRead { inner }
    }
}

/// A write transaction that seals what it stores as entry `seq`'s, and
/// checks what it reads.
pub(crate) struct SealedWrite<'t> {
    inner: &'t dyn WriteTxn,
    seq: u64,
    ledger: RefCell<Ledger>,
}

impl<'t> SealedWrite<'t> {
    pub(crate) fn new(inner: &'t dyn WriteTxn, seq: u64) -> Self {
        SealedWrite {
            inner,
            seq,
            ledger: RefCell::default(),
        }
    }

    /// What the write sealed and released so far.
    pub(crate) fn take_ledger(&self) -> Ledger {
        self.ledger.take()
    }

    /// Notes the version `old` of `key` as released; hands back its envelope.
    fn release(
        &self,
        table: &TableSpec,
        key: &[u8],
        old: Option<Vec<u8>>,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(old) = old else {
            return Ok(None);
        };
        if !table.sealed {
            return Ok(Some(old));
        }
        let opened = open(table, key, &old)?;
        self.ledger.borrow_mut().released(table.name, key, &opened);
        Ok(Some(opened.envelope.to_vec()))
    }
}

/// `visit` given the checked envelope of each sealed row.
fn checked_get(
    inner: &dyn ReadTxn,
    table: &TableSpec,
    key: &[u8],
    visit: &mut dyn FnMut(&[u8]) -> Result<(), StoreError>,
) -> Result<bool, StoreError> {
    if !table.sealed {
        return inner.get(table, key, visit);
    }
    inner.get(table, key, &mut |stored| {
        visit(open(table, key, stored)?.envelope)
    })
}

fn checked_scan(
    inner: &dyn ReadTxn,
    table: &TableSpec,
    range: KeyRange<'_>,
    visit: &mut RowVisitor<'_>,
) -> Result<(), StoreError> {
    if !table.sealed {
        return inner.scan(table, range, visit);
    }
    inner.scan(table, range, &mut |key, stored| {
        visit(key, open(table, key, stored)?.envelope)
    })
}

/// The reads both wrappers share: sealed rows checked, the rest passed through.
macro_rules! checked_reads {
    ($wrapper:ty) => {
        impl ReadTxn for $wrapper {
            fn get(
                &self,
                table: &TableSpec,
                key: &[u8],
                visit: &mut dyn FnMut(&[u8]) -> Result<(), StoreError>,
            ) -> Result<bool, StoreError> {
                checked_get(self.inner, table, key, visit)
            }

            fn scan(
                &self,
                table: &TableSpec,
                range: KeyRange<'_>,
                visit: &mut RowVisitor<'_>,
            ) -> Result<(), StoreError> {
                checked_scan(self.inner, table, range, visit)
            }

            fn scan_index(
                &self,
                table: &TableSpec,
                index: usize,
                prefix: &[u8],
                visit: &mut dyn FnMut(&[u8]) -> Result<Flow, StoreError>,
            ) -> Result<(), StoreError> {
                self.inner.scan_index(table, index, prefix, visit)
            }

            fn index_entries(
                &self,
                table: &TableSpec,
                index: usize,
                visit: &mut RowVisitor<'_>,
            ) -> Result<(), StoreError> {
                self.inner.index_entries(table, index, visit)
            }

            fn count(&self, table: &TableSpec) -> Result<u64, StoreError> {
                self.inner.count(table)
            }

            fn meta(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
                self.inner.meta(key)
            }
        }
    };
}

checked_reads!(SealedRead<'_>);
checked_reads!(SealedWrite<'_>);

impl WriteTxn for SealedWrite<'_> {
    fn put(
        &self,
        table: &TableSpec,
        key: &[u8],
        value: &[u8],
        index_keys: &[Option<&[u8]>],
    ) -> Result<Option<Vec<u8>>, StoreError> {
        if !table.sealed {
            return self.inner.put(table, key, value, index_keys);
        }
        let (stored, hash) = seal(table.name, key, self.seq, value);
        // A replaced version that fails its check fails the write, which
        // then commits nothing.
        let old = self.inner.put(table, key, &stored, index_keys)?;
        self.ledger
            .borrow_mut()
            .sealed(table.name, key, self.seq, &hash);
        self.release(table, key, old)
    }

    fn remove(&self, table: &TableSpec, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        let old = self.inner.remove(table, key)?;
        self.release(table, key, old)
    }

    fn set_meta(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.inner.set_meta(key, value)
    }

    fn create(&self, table: &TableSpec) -> Result<(), StoreError> {
        self.inner.create(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_row_opens_only_with_its_own_table_key_and_bytes() {
        let spec = |name| TableSpec {
            name,
            indexes: &[],
            keys_of: |_| Ok(Vec::new()),
            sealed: true,
        };
        let (stored, hash) = seal("employees", b"k1", 7, b"\x01\x01\x00salary=100");
        let opened = open(&spec("employees"), b"k1", &stored).expect("intact");
        assert_eq!((opened.seq, opened.hash), (7, hash));
        assert_eq!(opened.envelope, b"\x01\x01\x00salary=100");

        let mut changed = stored.clone();
        *changed.last_mut().expect("bytes") = b'9';
        for (name, key, bytes) in [
            ("employees", &b"k1"[..], &changed[..]),
            ("employees", b"k2", &stored[..]),
            ("departments", b"k1", &stored[..]),
            ("employees", b"k1", &stored[..20]),
        ] {
            let err = open(&spec(name), key, bytes).err().expect("refused");
            assert!(matches!(err, StoreError::Tampered { .. }), "{err}");
        }
    }

    #[test]
    fn tallies_add_and_take_away_in_any_order() {
        let a = term("t", b"a", 1, &[1; 32]);
        let b = term("t", b"b", 1, &[2; 32]);
        let mut both = Sum::default();
        both.add(a);
        both.add(b);
        let mut only_b = Sum::default();
        only_b.add(b);
        let mut left = both;
        let mut gone = Sum::default();
        gone.add(a);
        left.take(gone);
        assert_eq!(left, only_b);
        assert_ne!(term("t", b"a", 2, &[1; 32]), a, "the sealing entry counts");
    }
}
