//! A name or a text (a department, a title, a goal) prepared for search:
//! the text itself, folded, and its pieces with every reading each may
//! have. Typed pinyin is read piece by piece as an input method reads it:
//! whole syllables and the beginning of the next (`zhangw`), or initials
//! (`zw`, `zwei`), from the first piece or a later one, never skipping one.

use std::ops::Range;

use super::fold::fold_case;
use super::query::{Query, letter_bit};
use super::rank::Rank;
use super::tiers::{char_places, text_tier};
use crate::domain::sounds::each_piece;

/// One piece: where it stands in the text and where its readings end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    /// Its first character's place in the text.
    at: u16,
    /// How many characters it spans.
    chars: u16,
    /// The end of its readings in [`Spoken::ends`] (they begin where the
    /// previous piece's end).
    readings_end: u16,
}

/// A name or text, findable by its characters and by pinyin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spoken {
    /// The text folded to lower case.
    shown: Box<str>,
    /// Every reading of every piece, end to end.
    letters: Box<str>,
    /// Where each reading ends in `letters`.
    ends: Box<[u16]>,
    pieces: Box<[Piece]>,
    /// The letters that occur in any reading (see `query::mask`).
    mask: u32,
}

/// How a query was found in a [`Spoken`].
enum Found {
    /// These bytes of the folded text.
    Chars(Range<usize>),
    /// These pieces, read as pinyin.
    Pieces(Range<usize>),
}

impl Spoken {
    /// `text` prepared for search; `as_name` reads its first characters
    /// by the surname tables.
    pub fn new(text: &str, as_name: bool) -> Self {
        let mut letters = String::new();
        let mut ends = Vec::new();
        let mut pieces = Vec::new();
        each_piece(text, as_name, |chars, readings| {
            let fits = |n: usize| u16::try_from(n).is_ok();
            let total: usize = readings.iter().map(|r| r.len()).sum();
            if !fits(chars.end)
                || !fits(letters.len() + total)
                || !fits(ends.len() + readings.len())
            {
                return;
            }
            for reading in readings {
                letters.push_str(reading);
                ends.push(letters.len() as u16);
            }
            pieces.push(Piece {
                at: chars.start as u16,
                chars: (chars.end - chars.start) as u16,
                readings_end: ends.len() as u16,
            });
        });
        Spoken {
            shown: fold_case(text).into_boxed_str(),
            mask: letters.bytes().fold(0, |bits, b| bits | letter_bit(b)),
            letters: letters.into_boxed_str(),
            ends: ends.into_boxed_slice(),
            pieces: pieces.into_boxed_slice(),
        }
    }

    /// The text folded to lower case.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The best tier `query` finds this in, the scattered one aside.
    pub fn rank(&self, query: &Query) -> Option<Rank> {
        self.find(query).map(|(rank, _)| rank)
    }

    /// Whether the query's characters occur in order in the text as shown.
    pub fn scattered(&self, query: &Query) -> bool {
        query.scattered_in(&self.shown)
    }

    /// The tier and the characters (by place in the text) to light,
    /// scattered matches included.
    pub fn places(&self, query: &Query) -> Option<(Rank, Vec<usize>)> {
        match self.find(query) {
            Some((rank, Found::Chars(bytes))) => Some((rank, char_places(&self.shown, bytes))),
            Some((rank, Found::Pieces(pieces))) => {
                let places = self.pieces[pieces]
                    .iter()
                    .flat_map(|p| usize::from(p.at)..usize::from(p.at + p.chars))
                    .collect();
                Some((rank, places))
            }
            None => Some((Rank::Scattered, query.scatter.places(&self.shown)?)),
        }
    }

    /// The best way the query finds this; on a tie, by its characters.
    fn find(&self, query: &Query) -> Option<(Rank, Found)> {
        let by_chars = text_tier(&self.shown, &query.text, Rank::ExactName)
            .map(|(rank, bytes)| (rank, Found::Chars(bytes)));
        let by_sound = (query.spelled && query.mask & !self.mask == 0)
            .then(|| self.spelled(query.compact.as_bytes()))
            .flatten()
            .map(|(rank, pieces)| (rank, Found::Pieces(pieces)));
        match (by_chars, by_sound) {
            (Some(chars), Some(sound)) if sound.0 < chars.0 => Some(sound),
            (Some(chars), _) => Some(chars),
            (None, sound) => sound,
        }
    }

    /// The best reading of `typed` as pinyin, from any piece on.
    fn spelled(&self, typed: &[u8]) -> Option<(Rank, Range<usize>)> {
        let mut best: Option<(Rank, Range<usize>)> = None;
        for start in 0..self.pieces.len() {
            if let Some(found) = self.spelled_from(typed, start)
                && best.as_ref().is_none_or(|b| found.0 < b.0)
            {
                best = Some(found);
            }
            // A later piece finds a word's beginning at best.
            if best.as_ref().is_some_and(|b| b.0 <= Rank::WordPrefix) {
                break;
            }
        }
        best
    }

    /// `typed` read from piece `start` on: each step a reading whole, or
    /// its beginning (one letter at least), none skipped. Positions in
    /// `typed` reached so far are kept as bit sets, split by whether
    /// every piece so far was read whole.
    fn spelled_from(&self, typed: &[u8], start: usize) -> Option<(Rank, Range<usize>)> {
        let last = self.pieces.len() - 1;
        let first = start == 0;
        let (mut whole, mut begun) = (1u64, 0u64);
        let mut best: Option<(Rank, Range<usize>)> = None;
        for k in start..=last {
            let (mut next_whole, mut next_begun) = (0u64, 0u64);
            for reading in self.readings(k) {
                let reading = reading.as_bytes();
                for (set, all_whole) in [(whole, true), (begun, false)] {
                    let mut bits = set;
                    while bits != 0 {
                        let from = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        let common = typed[from..]
                            .iter()
                            .zip(reading)
                            .take_while(|(a, b)| a == b)
                            .count();
                        for to in from + 1..=from + common {
                            let read_whole = to - from == reading.len();
                            if to == typed.len() {
                                let rank = match (all_whole, first) {
                                    (true, true) if read_whole && k == last => Rank::ExactName,
                                    (true, true) if read_whole => Rank::Prefix,
                                    (true, true) => Rank::SyllableBegun,
                                    (true, false) => Rank::WordPrefix,
                                    (false, true) => Rank::Initials,
                                    (false, false) => Rank::LaterInitials,
                                };
                                if best.as_ref().is_none_or(|b| rank < b.0) {
                                    best = Some((rank, start..k + 1));
                                }
                            } else if read_whole && all_whole {
                                next_whole |= 1 << to;
                            } else {
                                next_begun |= 1 << to;
                            }
                        }
                    }
                }
            }
            (whole, begun) = (next_whole, next_begun);
            if whole | begun == 0 {
                break;
            }
        }
        best
    }

    /// The readings of piece `k`.
    fn readings(&self, k: usize) -> impl Iterator<Item = &str> {
        let first = match k {
            0 => 0,
            _ => usize::from(self.pieces[k - 1].readings_end),
        };
        let last = usize::from(self.pieces[k].readings_end);
        (first..last).map(move |i| {
            let start = match i {
                0 => 0,
                _ => usize::from(self.ends[i - 1]),
            };
            &self.letters[start..usize::from(self.ends[i])]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rank(typed: &str, name: &str) -> Option<Rank> {
        Spoken::new(name, true).rank(&Query::new(typed))
    }

    fn lit(typed: &str, name: &str) -> Option<(Rank, Vec<usize>)> {
        Spoken::new(name, true).places(&Query::new(typed))
    }

    #[test]
    fn pinyin_by_syllables_from_the_first() {
        assert_eq!(rank("zhangwei", "张伟"), Some(Rank::ExactName));
        assert_eq!(rank("zhang wei", "张伟"), Some(Rank::ExactName));
        assert_eq!(rank("张伟", "张伟"), Some(Rank::ExactName));
        assert_eq!(rank("zhang", "张伟"), Some(Rank::Prefix));
        assert_eq!(rank("zhangw", "张伟"), Some(Rank::SyllableBegun));
        assert_eq!(rank("zha", "张伟"), Some(Rank::SyllableBegun));
        assert_eq!(rank("张", "张伟"), Some(Rank::Prefix));
        assert_eq!(rank("wei", "张伟"), Some(Rank::WordPrefix));
        assert_eq!(rank("伟", "张伟"), Some(Rank::Substring));
        assert_eq!(rank("zw", "张伟"), Some(Rank::Initials));
        assert_eq!(rank("zwei", "张伟"), Some(Rank::Initials));
        assert_eq!(rank("xm", "王小明"), Some(Rank::LaterInitials));
        assert_eq!(rank("zw", "王子涵"), None, "never skipping a piece");
        assert_eq!(rank("wzh", "王子涵"), Some(Rank::Initials));
    }

    #[test]
    fn surnames_and_polyphones() {
        assert_eq!(rank("zengqiang", "曾强"), Some(Rank::ExactName));
        assert_eq!(rank("cengqiang", "曾强"), None, "a surname reads one way");
        assert_eq!(rank("lichangjiang", "李长江"), Some(Rank::ExactName));
        assert_eq!(rank("lizhangjiang", "李长江"), Some(Rank::ExactName));
        assert_eq!(rank("yuchi", "尉迟恭"), Some(Rank::Prefix));
        assert_eq!(rank("moqi", "万俟雪"), Some(Rank::Prefix));
        assert_eq!(rank("xie", "解明"), Some(Rank::Prefix));
        assert_eq!(rank("xin", "鑫源"), Some(Rank::Prefix));
        assert_eq!(rank("xin", "星河"), Some(Rank::SyllableBegun));
    }

    #[test]
    fn latin_names_by_word() {
        assert_eq!(rank("emily wang", "Emily Wang"), Some(Rank::ExactName));
        assert_eq!(rank("emilywang", "Emily Wang"), Some(Rank::ExactName));
        assert_eq!(rank("wan", "Emily Wang"), Some(Rank::WordPrefix));
        assert_eq!(rank("ew", "Emily Wang"), Some(Rank::Initials));
        assert_eq!(rank("ily", "Emily Wang"), Some(Rank::Substring));
        assert_eq!(rank("emg", "Emily Wang"), None);
        assert!(Spoken::new("Emily Wang", true).scattered(&Query::new("emg")));
    }

    #[test]
    fn what_matched_is_lit() {
        assert_eq!(lit("wei", "张伟"), Some((Rank::WordPrefix, vec![1])));
        assert_eq!(lit("zw", "张伟"), Some((Rank::Initials, vec![0, 1])));
        assert_eq!(
            lit("wan", "Emily Wang"),
            Some((Rank::WordPrefix, vec![6, 7, 8]))
        );
        assert_eq!(
            lit("emg", "Emily Wang"),
            Some((Rank::Scattered, vec![0, 1, 9]))
        );
        assert_eq!(lit("q", "张伟"), None);
    }

    #[test]
    fn texts_have_no_surname_rule() {
        let text = |typed: &str, t: &str| Spoken::new(t, false).rank(&Query::new(typed));
        assert_eq!(text("cengjing", "曾经"), Some(Rank::ExactName));
        assert_eq!(text("xinyb", "鑫源百货"), Some(Rank::Initials));
        assert_eq!(text("baihuo", "鑫源百货"), Some(Rank::WordPrefix));
        assert_eq!(text("md01", "门店01"), Some(Rank::Initials));
        assert_eq!(text("gai", "门店运营部"), None);
        assert_eq!(
            text("retail", "星河零售 Xinghe Retail"),
            Some(Rank::WordPrefix)
        );
    }

    proptest! {
        /// A longer query is only ever found where a shorter one it
        /// extends was found (what lets typing narrow the last matches).
        #[test]
        fn a_longer_query_finds_no_more(
            name in "[张王伟小明长曾单 Emily]{1,6}",
            typed in "[zhangweixmlcqsd张伟 ]{1,8}",
            cut in 0usize..8,
        ) {
            let spoken = Spoken::new(&name, true);
            let shorter: String = typed.chars().take(cut).collect();
            let long = Query::new(&typed);
            if !shorter.trim().is_empty() && long.narrows(&Query::new(&shorter))
                && (spoken.rank(&long).is_some() || spoken.scattered(&long))
            {
                let short = Query::new(&shorter);
                prop_assert!(spoken.rank(&short).is_some() || spoken.scattered(&short));
            }
        }
    }
}
