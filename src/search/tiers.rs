//! The tiers found by looking at characters alone: the whole text, its
//! beginning, a later word's beginning, anywhere inside. Shared by names
//! (whose exact match is a name's) and codes (an employee number's).

use std::ops::Range;

use memchr::memmem;

use super::rank::Rank;

/// How `needle` (folded) stands in `value` (folded): the tier, with
/// `exact` for the whole value, and the bytes of `value` it covers.
pub(super) fn text_tier(value: &str, needle: &str, exact: Rank) -> Option<(Rank, Range<usize>)> {
    if needle.is_empty() || needle.len() > value.len() {
        return None;
    }
    if value == needle {
        return Some((exact, 0..value.len()));
    }
    if value.starts_with(needle) {
        return Some((Rank::Prefix, 0..needle.len()));
    }
    let mut inside = None;
    for at in memmem::find_iter(value.as_bytes(), needle.as_bytes()) {
        let span = at..at + needle.len();
        if begins_word(value, at) {
            return Some((Rank::WordPrefix, span));
        }
        inside.get_or_insert(span);
    }
    inside.map(|span| (Rank::Substring, span))
}

/// Whether a word begins at byte `at` of `value`: what comes before is
/// neither a letter nor a digit (Han characters count as letters, so a
/// run of them is one word).
pub(super) fn begins_word(value: &str, at: usize) -> bool {
    value[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// The characters that `bytes` covers in `value`, by place.
pub(super) fn char_places(value: &str, bytes: Range<usize>) -> Vec<usize> {
    value
        .char_indices()
        .enumerate()
        .filter(|(_, (at, _))| bytes.contains(at))
        .map(|(place, _)| place)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(value: &str, needle: &str) -> Option<Rank> {
        text_tier(value, needle, Rank::ExactCode).map(|(rank, _)| rank)
    }

    #[test]
    fn the_whole_then_the_start_then_a_word_then_inside() {
        assert_eq!(tier("e000276", "e000276"), Some(Rank::ExactCode));
        assert_eq!(tier("e000276", "e00027"), Some(Rank::Prefix));
        assert_eq!(tier("zhang.wei@xinghe.cn", "wei"), Some(Rank::WordPrefix));
        assert_eq!(tier("zhangwei@xinghe.cn", "wei"), Some(Rank::Substring));
        assert_eq!(tier("华东销售部", "销售"), Some(Rank::Substring));
        assert_eq!(tier("华东 销售部", "销售"), Some(Rank::WordPrefix));
        assert_eq!(tier("e000267", "e000276"), None);
        assert_eq!(tier("abc", ""), None);
    }

    #[test]
    fn a_word_later_wins_over_an_earlier_inside() {
        assert_eq!(
            text_tier("awei wei", "wei", Rank::ExactCode),
            Some((Rank::WordPrefix, 5..8))
        );
        assert_eq!(char_places("张伟ab", 3..7), vec![1, 2]);
    }
}
