//! How a row of a table with secondary keys is laid out: each secondary
//! key first (a u32 little-endian length, `u32::MAX` for none, then its
//! bytes), then the value. A table without secondary keys stores the value
//! alone.

use super::StoreError;
use crate::tr;

const NONE: u32 = u32::MAX;

/// The row for `value` with the secondary keys `index_keys`.
pub(super) fn compose(index_keys: &[Option<&[u8]>], value: &[u8]) -> Vec<u8> {
    let header: usize = index_keys.iter().flatten().map(|k| 4 + k.len()).sum();
    let mut row = Vec::with_capacity(header + 4 * index_keys.len() + value.len());
    for key in index_keys {
        match key {
            Some(key) => {
                row.extend_from_slice(&(key.len() as u32).to_le_bytes());
                row.extend_from_slice(key);
            }
            None => row.extend_from_slice(&NONE.to_le_bytes()),
        }
    }
    row.extend_from_slice(value);
    row
}

/// A row's secondary keys (`None` where it has none).
type IndexKeys<'r> = Vec<Option<&'r [u8]>>;

/// The secondary keys at the start of `row`, and where its value begins.
fn split(row: &[u8], indexes: usize) -> Result<(IndexKeys<'_>, usize), StoreError> {
    let mut keys = Vec::with_capacity(indexes);
    let mut at = 0;
    let damaged = || StoreError::Damaged {
        location: tr!("store.row"),
        detail: tr!("store.record.too_short", count = row.len()),
    };
    for _ in 0..indexes {
        let length: [u8; 4] = row
            .get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(damaged)?;
        at += 4;
        match u32::from_le_bytes(length) {
            NONE => keys.push(None),
            length => {
                let end = at + length as usize;
                keys.push(Some(row.get(at..end).ok_or_else(damaged)?));
                at = end;
            }
        }
    }
    Ok((keys, at))
}

/// The secondary keys stored with `row`.
pub(super) fn index_keys(row: &[u8], indexes: usize) -> Result<IndexKeys<'_>, StoreError> {
    split(row, indexes).map(|(keys, _)| keys)
}

/// The value stored in `row`.
pub(super) fn value(row: &[u8], indexes: usize) -> Result<&[u8], StoreError> {
    if indexes == 0 {
        return Ok(row);
    }
    split(row, indexes).map(|(_, at)| &row[at..])
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn a_row_gives_back_its_keys_and_value(
            keys in proptest::collection::vec(proptest::option::of(proptest::collection::vec(any::<u8>(), 0..6)), 0..4),
            value in proptest::collection::vec(any::<u8>(), 0..20),
        ) {
            let borrowed: Vec<Option<&[u8]>> = keys.iter().map(|k| k.as_deref()).collect();
            let row = compose(&borrowed, &value);
            prop_assert_eq!(index_keys(&row, keys.len()).expect("keys"), borrowed);
            prop_assert_eq!(super::value(&row, keys.len()).expect("value"), value.as_slice());
        }
    }

    #[test]
    fn a_cut_row_is_damage_not_a_panic() {
        let row = compose(&[Some(b"abc")], b"v");
        assert!(value(&row[..5], 1).is_err());
    }
}
