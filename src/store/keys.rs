//! Keys as bytes that sort as the values they stand for, so that any
//! backend that orders keys byte by byte (redb's byte tables, PostgreSQL's
//! `bytea`) keeps records in id order and finds an index's entries by prefix.
//!
//! Numbers are big-endian and fixed-width. A text alone is its UTF-8. In a
//! secondary key made of several parts ([`IndexKey`]), each text ends with
//! `00 00` and its own zero bytes become `00 FF`, so no part's encoding is a
//! prefix of another's and the parts still sort one after the other.

use std::fmt::Display;

/// A type that primary keys of a table are made of.
pub(crate) trait KeyCodec {
    /// The key as read back (for errors and for ids found through an index).
    type Owned: Display;

    /// Appends the key's bytes to `out`.
    fn encode(&self, out: &mut Vec<u8>);

    /// The key `bytes` encode; `None` when they are not one.
    fn decode(bytes: &[u8]) -> Option<Self::Owned>;

    /// The key's bytes.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16);
        self.encode(&mut out);
        out
    }
}

impl KeyCodec for u64 {
    type Owned = u64;

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_be_bytes());
    }

    fn decode(bytes: &[u8]) -> Option<u64> {
        bytes.try_into().ok().map(u64::from_be_bytes)
    }
}

impl KeyCodec for u128 {
    type Owned = u128;

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_be_bytes());
    }

    fn decode(bytes: &[u8]) -> Option<u128> {
        bytes.try_into().ok().map(u128::from_be_bytes)
    }
}

impl KeyCodec for str {
    type Owned = String;

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }

    fn decode(bytes: &[u8]) -> Option<String> {
        std::str::from_utf8(bytes).ok().map(str::to_string)
    }
}

/// A secondary key of one or more parts, built part by part.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct IndexKey(Vec<u8>);

impl IndexKey {
    pub(crate) fn new() -> Self {
        IndexKey(Vec::with_capacity(24))
    }

    /// Appends a number.
    pub(crate) fn num(mut self, value: u64) -> Self {
        self.0.extend_from_slice(&value.to_be_bytes());
        self
    }

    /// Appends a text, closed so that it is never a prefix of another.
    pub(crate) fn text(mut self, value: &str) -> Self {
        for &byte in value.as_bytes() {
            self.0.push(byte);
            if byte == 0 {
                self.0.push(0xFF);
            }
        }
        self.0.extend_from_slice(&[0, 0]);
        self
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn numbers_sort_as_their_bytes(a: u64, b: u64) {
            prop_assert_eq!(a.cmp(&b), a.to_bytes().cmp(&b.to_bytes()));
            prop_assert_eq!(u64::decode(&a.to_bytes()), Some(a));
        }

        #[test]
        fn wide_numbers_sort_as_their_bytes(a: u128, b: u128) {
            prop_assert_eq!(a.cmp(&b), a.to_bytes().cmp(&b.to_bytes()));
            prop_assert_eq!(u128::decode(&b.to_bytes()), Some(b));
        }

        #[test]
        fn keys_of_text_and_number_sort_part_by_part(
            a in "[a\\x00\\x01 z]{0,4}", b in "[a\\x00\\x01 z]{0,4}", x: u64, y: u64,
        ) {
            let left = IndexKey::new().text(&a).num(x);
            let right = IndexKey::new().text(&b).num(y);
            prop_assert_eq!((a.as_str(), x).cmp(&(b.as_str(), y)), left.cmp(&right));
        }

        #[test]
        fn a_closed_text_is_no_other_texts_prefix(a in "[a\\x00]{0,4}", b in "[a\\x00]{0,4}") {
            let (left, right) = (IndexKey::new().text(&a), IndexKey::new().text(&b));
            if a != b {
                prop_assert!(!right.as_bytes().starts_with(left.as_bytes()));
            }
        }
    }

    #[test]
    fn a_text_key_is_its_utf8() {
        assert_eq!("王芳".to_bytes(), "王芳".as_bytes());
        assert_eq!(str::decode("王芳".as_bytes()).as_deref(), Some("王芳"));
        assert_eq!(u64::decode(&[1, 2]), None);
    }
}
