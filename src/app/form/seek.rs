//! Finding what is typed into a choice field or a field that names an
//! employee: by the text itself (Chinese or Latin, any case), by a number,
//! and by pinyin in full or as initials, read syllable by syllable as a
//! pinyin input method reads it (`xinyb` is `xin` + `y…` + `b…`). The
//! romanization is the staff search's (`domain::pinyin`), and the last
//! resort is the staff search's own fuzzy match (`app::search`), so what
//! finds someone in the Staff pane's filter finds them here too. Each
//! candidate found gets a [`Rank`]: the best comes first.

use crate::app::search::{Matching, Query, fold_case};
use crate::domain::pinyin::Syllables;

/// How well typed text finds a candidate, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// The whole name, number, pinyin or initials.
    Exact,
    /// Their beginning: the name's or the number's first characters, or
    /// the pinyin's first whole syllables (`xin` finds 鑫源百货 so, but
    /// 星河 `xing` only as [`Rank::Spelled`]).
    Start,
    /// Syllable by syllable from the first, the last one begun (`xiny`,
    /// the initials `xy`, `xin` for 星河 `xing`).
    Spelled,
    /// Further in: from a later syllable on, or anywhere in the name or number.
    Inside,
    /// Its characters in order, gaps allowed, in the text as shown (the
    /// name, the number, a whole path), not in pinyin.
    Scattered,
}

/// Typed text, prepared once per keystroke.
#[derive(Clone, Debug)]
pub struct Sought {
    /// Folded and trimmed.
    text: String,
    /// Folded, without spaces: what pinyin and numbers are compared with.
    compact: String,
    fuzzy: Query,
}

impl Sought {
    pub fn new(typed: &str) -> Self {
        let text = fold_case(typed.trim());
        let compact = text.chars().filter(|c| !c.is_whitespace()).collect();
        Sought {
            fuzzy: Query::new(&text, Matching::Fuzzy),
            text,
            compact,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.compact.is_empty()
    }

    /// The text as compared (folded, trimmed).
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// What a candidate is found by, folded once when it is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Findable {
    /// Its own name: a department's (not its path), a person's.
    name: String,
    /// The name's pinyin syllables and words, end to end without spaces.
    joined: String,
    /// Where each syllable ends in `joined`, rising.
    ends: Vec<usize>,
    initials: String,
    /// A number it is known by (an employee number), or empty.
    number: String,
    /// What else it is known by, only for a [`Rank::Scattered`] match (a
    /// department's whole path with its pinyin), or empty.
    extra: String,
}

impl Findable {
    /// `name` as romanized in `syllables` (see `domain::pinyin`).
    pub fn new(name: &str, syllables: &Syllables) -> Self {
        let mut joined = String::with_capacity(syllables.romanized.full.len());
        let mut ends = Vec::with_capacity(syllables.starts.len());
        for piece in syllables.iter() {
            joined.push_str(piece);
            ends.push(joined.len());
        }
        Findable {
            name: fold_case(name),
            joined,
            ends,
            initials: syllables.romanized.initials.clone(),
            number: String::new(),
            extra: String::new(),
        }
    }

    /// Also found by `number`.
    pub fn with_number(mut self, number: &str) -> Self {
        self.number = fold_case(number);
        self
    }

    /// Also found, scattered, by `extra`.
    pub fn with_extra(mut self, extra: &str) -> Self {
        self.extra = fold_case(extra);
        self
    }

    /// How well `sought` finds it; none when it does not.
    pub fn rank(&self, sought: &Sought) -> Option<Rank> {
        let (text, compact) = (sought.text.as_str(), sought.compact.as_str());
        if compact.is_empty() {
            return None;
        }
        let number = !self.number.is_empty();
        if self.name == text
            || self.joined == compact
            || self.initials == compact
            || (number && self.number == compact)
        {
            return Some(Rank::Exact);
        }
        let whole_syllables =
            self.joined.starts_with(compact) && self.ends.binary_search(&compact.len()).is_ok();
        if self.name.starts_with(text)
            || whole_syllables
            || (number && self.number.starts_with(compact))
        {
            return Some(Rank::Start);
        }
        let syllables: Vec<&str> = self.syllables().collect();
        if spells(compact, &syllables) {
            return Some(Rank::Spelled);
        }
        if (1..syllables.len()).any(|from| spells(compact, &syllables[from..]))
            || self.name.contains(text)
            || (number && self.number.contains(compact))
        {
            return Some(Rank::Inside);
        }
        // Scattered over the text as shown only: over long pinyin almost
        // any letters would be found in order.
        let fuzzy = &sought.fuzzy;
        [&self.name, &self.number, &self.extra]
            .into_iter()
            .any(|key| !key.is_empty() && fuzzy.matches(key))
            .then_some(Rank::Scattered)
    }

    fn syllables(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| &self.joined[start..end])
    }
}

/// Whether `typed` reads as the syllables from the first on, each piece
/// a beginning (one letter at least) of the next syllable, none skipped:
/// `xinyb` and `xy` against `xin` `yuan` `bai` `huo`. Every way of
/// cutting `typed` is tried, a position at a time.
fn spells(typed: &str, syllables: &[&str]) -> bool {
    let typed = typed.as_bytes();
    if typed.is_empty() || !typed.is_ascii() {
        return false;
    }
    // Which lengths of `typed` the syllables so far can spell.
    let mut reached = vec![false; typed.len() + 1];
    reached[0] = true;
    for syllable in syllables {
        let syllable = syllable.as_bytes();
        let mut next = vec![false; typed.len() + 1];
        for from in (0..typed.len()).filter(|&at| reached[at]) {
            let common = typed[from..]
                .iter()
                .zip(syllable)
                .take_while(|(a, b)| a == b)
                .count();
            next[from + 1..=from + common].fill(true);
        }
        if next[typed.len()] {
            return true;
        }
        if !next.contains(&true) {
            return false;
        }
        reached = next;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pinyin::{name_syllables, text_syllables};

    fn department(name: &str) -> Findable {
        Findable::new(name, &text_syllables(name))
    }

    fn rank(typed: &str, name: &str) -> Option<Rank> {
        department(name).rank(&Sought::new(typed))
    }

    #[test]
    fn whole_syllables_rank_above_a_syllable_begun() {
        assert_eq!(rank("xin", "鑫源百货"), Some(Rank::Start));
        assert_eq!(rank("xin", "星河零售 Xinghe Retail"), Some(Rank::Spelled));
        assert!(rank("xin", "鑫源百货") < rank("xin", "星河零售 Xinghe Retail"));
        assert_eq!(rank("xinyuan", "鑫源百货"), Some(Rank::Start));
    }

    #[test]
    fn full_pinyin_initials_and_chinese_find_a_name() {
        assert_eq!(rank("xinyuanbaihuo", "鑫源百货"), Some(Rank::Exact));
        assert_eq!(rank("XYBH", "鑫源百货"), Some(Rank::Exact));
        assert_eq!(rank("xy", "鑫源百货"), Some(Rank::Spelled));
        assert_eq!(rank("xinyb", "鑫源百货"), Some(Rank::Spelled));
        assert_eq!(rank("xin yuan", "鑫源百货"), Some(Rank::Start));
        assert_eq!(rank("鑫源", "鑫源百货"), Some(Rank::Start));
        assert_eq!(rank("百货", "鑫源百货"), Some(Rank::Inside));
        assert_eq!(rank("baihuo", "鑫源百货"), Some(Rank::Inside));
        assert_eq!(rank("md01", "门店01 上海南京西路"), Some(Rank::Spelled));
        assert_eq!(rank("support", "IT Support"), Some(Rank::Inside));
        assert_eq!(rank("xq", "鑫源百货"), None);
        assert_eq!(
            rank("xinyuan", "人力资源部"),
            None,
            "no letters scattered over pinyin"
        );
        assert_eq!(rank("zzz", "鑫源百货"), None);
    }

    #[test]
    fn a_scattered_match_is_the_last_resort() {
        let path = department("销售部").with_extra("星河零售 Xinghe Retail / 销售部");
        assert_eq!(path.rank(&Sought::new("xr销")), Some(Rank::Scattered));
        assert_eq!(path.rank(&Sought::new("xiaoshou")), Some(Rank::Start));
    }

    #[test]
    fn people_are_found_by_number_in_any_case_and_by_surname_reading() {
        let person = Findable::new("解明", &name_syllables("解明")).with_number("E000008");
        assert_eq!(person.rank(&Sought::new("e000008")), Some(Rank::Exact));
        assert_eq!(person.rank(&Sought::new("e0000")), Some(Rank::Start));
        assert_eq!(person.rank(&Sought::new("xieming")), Some(Rank::Exact));
        assert_eq!(person.rank(&Sought::new("xiem")), Some(Rank::Spelled));
        assert_eq!(person.rank(&Sought::new("jie")), None);
    }

    #[test]
    fn spelling_tries_every_cut() {
        let syllables = ["xi", "an"];
        assert!(spells("xia", &syllables), "x i | a");
        assert!(spells("xian", &syllables));
        assert!(!spells("xin", &syllables));
        assert!(!spells("", &syllables));
    }
}
