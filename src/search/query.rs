//! What was typed, prepared once per keystroke for matching many items:
//! folded to lower case, without spaces for pinyin and numbers, as digits
//! for phones, word by word for text spread over several fields, and as a
//! fuzzy pattern for the last tier.

use super::fold::fold_case;
use super::scatter::Pattern;

/// Longest query read as pinyin (positions are kept in a 64-bit set).
pub(super) const LONGEST_SPELLED: usize = 63;

/// A query prepared for matching.
#[derive(Clone, Debug)]
pub struct Query {
    /// Folded, trimmed, runs of whitespace as one space.
    pub(super) text: String,
    /// Folded, without whitespace.
    pub(super) compact: String,
    /// Whether `compact` is ASCII letters and digits short enough to be
    /// read as pinyin syllables.
    pub(super) spelled: bool,
    /// The letters (and, as one more bit, any digit) in `compact`.
    pub(super) mask: u32,
    /// The digits, when the query is a phone number or part of one
    /// (digits with spaces, dashes, dots, a leading plus).
    pub(super) digits: Option<String>,
    /// Each word as a query of its own, when there are several.
    pub(super) words: Vec<Query>,
    pub(super) scatter: Pattern,
}

impl Query {
    pub fn new(typed: &str) -> Self {
        let mut query = Query::word(typed);
        let words: Vec<&str> = query.text.split(' ').collect();
        if words.len() > 1 {
            query.words = words.into_iter().map(Query::word).collect();
        }
        query
    }

    fn word(typed: &str) -> Query {
        let folded = fold_case(typed);
        let text = folded.split_whitespace().collect::<Vec<_>>().join(" ");
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let spelled = compact.len() <= LONGEST_SPELLED
            && !compact.is_empty()
            && compact.bytes().all(|b| b.is_ascii_alphanumeric());
        let digits = phone_digits(&text);
        Query {
            mask: mask(&compact),
            scatter: Pattern::new(&compact),
            text,
            compact,
            spelled,
            digits,
            words: Vec::new(),
        }
    }

    /// True when the query lets everything through.
    pub fn is_empty(&self) -> bool {
        self.compact.is_empty()
    }

    /// The folded text the query was made from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the query's characters (spaces aside) occur in `text`
    /// (folded) in order, gaps allowed: a byte search for each character's
    /// encoding finds whole characters, since UTF-8 never has one start
    /// inside another.
    pub(super) fn scattered_in(&self, text: &str) -> bool {
        let mut rest = text.as_bytes();
        let mut buffer = [0u8; 4];
        for c in self.compact.chars() {
            let wanted = c.encode_utf8(&mut buffer).as_bytes();
            let found = match wanted {
                [byte] => memchr::memchr(*byte, rest),
                bytes => memchr::memmem::find(rest, bytes),
            };
            match found {
                Some(at) => rest = &rest[at + wanted.len()..],
                None => return false,
            }
        }
        !self.compact.is_empty()
    }

    /// Whether everything this query matches was matched by `shorter`
    /// too, so that searching `shorter`'s matches again is enough: the
    /// query only grew at its end (and did not become a phone number:
    /// `+` finds a plus sign, `+86` the digits 86).
    pub fn narrows(&self, shorter: &Query) -> bool {
        self.text.starts_with(&shorter.text) && (self.digits.is_none() || shorter.digits.is_some())
    }
}

/// The digits of text that reads as a phone number or part of one.
fn phone_digits(text: &str) -> Option<String> {
    let rest = text.strip_prefix('+').unwrap_or(text);
    let readable = rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.'));
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    (readable && !digits.is_empty()).then_some(digits)
}

/// One bit per letter `a`..`z` in `text`, and bit 26 for any digit.
pub(super) fn mask(text: &str) -> u32 {
    text.bytes().fold(0, |bits, b| bits | letter_bit(b))
}

/// The bit [`mask`] gives one byte (none for anything but letters and digits).
pub(super) fn letter_bit(b: u8) -> u32 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'0'..=b'9' => 1 << 26,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_folded_compacted_and_cut_into_words() {
        let query = Query::new("  Zhang   WEI ");
        assert_eq!(query.text(), "zhang wei");
        assert_eq!(query.compact, "zhangwei");
        assert!(query.spelled);
        assert_eq!(query.words.len(), 2);
        assert_eq!(query.words[1].text(), "wei");
        assert!(Query::new("张伟").words.is_empty());
        assert!(!Query::new("张伟").spelled);
    }

    #[test]
    fn phone_numbers_are_read_as_digits() {
        assert_eq!(
            Query::new("138-0013 8000").digits.as_deref(),
            Some("13800138000")
        );
        assert_eq!(Query::new("+86 138").digits.as_deref(), Some("86138"));
        assert_eq!(Query::new("e0001").digits, None);
        assert_eq!(Query::new("-").digits, None);
    }

    #[test]
    fn a_longer_query_narrows_a_shorter_one_only_when_it_extends_it() {
        let z = Query::new("z");
        assert!(Query::new("zw").narrows(&z));
        assert!(!Query::new("w").narrows(&z));
        assert!(Query::new("z").narrows(&Query::new("")));
        assert!(!Query::new("+86").narrows(&Query::new("+")));
    }

    #[test]
    fn scattered_letters_keep_their_order() {
        assert!(Query::new("sls").scattered_in("sales east"));
        assert!(Query::new("张伟").scattered_in("张三 伟"));
        assert!(!Query::new("伟张").scattered_in("张伟"));
        assert!(!Query::new("zw").scattered_in("wang zhe"));
        assert!(!Query::new(" ").scattered_in("anything"));
    }

    #[test]
    fn the_mask_holds_letters_and_digits() {
        assert_eq!(mask("ab1"), 0b11 | 1 << 26);
        assert_eq!(mask("张"), 0);
    }
}
