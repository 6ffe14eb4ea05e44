//! Matching what is typed in a filter against the items' search keys, fast
//! enough to run over 100,000 keys per keystroke: the keys are folded to
//! lower case once and kept end to end in one string, and a query is
//! prepared once per keystroke, then searched for with `memchr`.

use memchr::memmem;

/// How a query selects items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matching {
    /// Characters of the query in order, gaps allowed (`xhr` finds `Xinghe Retail`).
    Fuzzy,
    /// Every word of the query somewhere in the text (for long log lines).
    AllWords,
}

/// Lower case for matching, fast on the ASCII and CJK text search keys are
/// made of (only characters that have an upper case are converted).
pub fn fold_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_case_into(&mut out, text);
    out
}

/// Appends `text` folded to lower case to `out`: runs of ASCII are copied
/// and lowered in bulk, other characters one by one.
fn fold_case_into(out: &mut String, text: &str) {
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        let mut tail = rest[ascii..].chars();
        if let Some(c) = tail.next() {
            if !CASELESS.contains(&c) && c.is_uppercase() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
        }
        rest = tail.as_str();
    }
}

/// Kana, CJK ideographs and Yi: no character here has a case, so most of
/// a Chinese key is copied without looking anything up.
const CASELESS: std::ops::Range<char> = '\u{3000}'..'\u{A640}';

/// Every item's folded search key, end to end in one string.
#[derive(Clone, Debug, Default)]
pub struct SearchKeys {
    text: String,
    /// Where each key ends in `text`; key `i` starts where `i - 1` ended.
    ends: Vec<usize>,
}

impl SearchKeys {
    /// Folds and stores the keys, in item order.
    pub fn new<'a>(keys: impl Iterator<Item = &'a str>) -> Self {
        let mut all = SearchKeys::default();
        for key in keys {
            all.push(key);
        }
        all.text.shrink_to_fit();
        all
    }

    /// Room for `count` keys of a typical length (a name, its pinyin, a
    /// number, an e-mail address and a department path).
    pub fn with_capacity(count: usize) -> Self {
        SearchKeys {
            text: String::with_capacity(count * 96),
            ends: Vec::with_capacity(count),
        }
    }

    /// Folds and stores the key of the next item.
    pub fn push(&mut self, key: &str) {
        fold_case_into(&mut self.text, key);
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The folded key of item `index`.
    pub fn get(&self, index: usize) -> &str {
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1],
        };
        &self.text[start..self.ends[index]]
    }

    /// Removes the key of item `index` (later items move up one).
    pub fn remove(&mut self, index: usize) {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        let length = self.ends[index] - start;
        self.text.replace_range(start..self.ends[index], "");
        self.ends.remove(index);
        for end in &mut self.ends[index..] {
            *end -= length;
        }
    }

    /// Folds `key` and puts it in as the key of item `index` (later items
    /// move down one).
    pub fn insert(&mut self, index: usize, key: &str) {
        let mut folded = String::new();
        fold_case_into(&mut folded, key);
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.text.insert_str(start, &folded);
        for end in &mut self.ends[index..] {
            *end += folded.len();
        }
        self.ends.insert(index, start + folded.len());
    }

    /// Puts the keys of `more` after these (for items put after the others).
    pub fn append(&mut self, more: SearchKeys) {
        let shift = self.text.len();
        self.text.push_str(&more.text);
        self.ends.extend(more.ends.iter().map(|end| end + shift));
    }

    /// The keys in the order `order` gives (a permutation of the indices).
    pub fn reordered(&self, order: &[usize]) -> SearchKeys {
        let mut sorted = SearchKeys {
            text: String::with_capacity(self.text.len()),
            ends: Vec::with_capacity(self.ends.len()),
        };
        for &i in order {
            sorted.text.push_str(self.get(i));
            sorted.ends.push(sorted.text.len());
        }
        sorted
    }
}

/// A query prepared for matching many keys.
#[derive(Clone, Debug)]
pub struct Query {
    /// The folded, trimmed text, to compare one query with the next.
    text: String,
    /// Fuzzy: each character to find in order, UTF-8 encoded. All words:
    /// each word to find anywhere.
    needles: Vec<String>,
    matching: Matching,
}

impl Query {
    pub fn new(typed: &str, matching: Matching) -> Self {
        let text = fold_case(typed.trim());
        let needles = match matching {
            Matching::Fuzzy => text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(String::from)
                .collect(),
            Matching::AllWords => text.split_whitespace().map(String::from).collect(),
        };
        Query {
            text,
            needles,
            matching,
        }
    }

    /// True when the query lets everything through.
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// The folded text the query was made from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether everything this query matches is also matched by `shorter`,
    /// so that filtering `shorter`'s matches again is enough.
    pub fn narrows(&self, shorter: &Query) -> bool {
        self.matching == shorter.matching && self.text.starts_with(&shorter.text)
    }

    /// Whether `key` (already folded) passes the query.
    pub fn matches(&self, key: &str) -> bool {
        match self.matching {
            Matching::Fuzzy => is_subsequence(key.as_bytes(), &self.needles),
            Matching::AllWords => self
                .needles
                .iter()
                .all(|word| memmem::find(key.as_bytes(), word.as_bytes()).is_some()),
        }
    }
}

/// Whether the characters occur in `text` in order, gaps allowed. UTF-8
/// never has one character's bytes start inside another's, so a byte search
/// for each character's encoding finds whole characters.
fn is_subsequence(text: &[u8], characters: &[String]) -> bool {
    let mut rest = text;
    for wanted in characters {
        let found = match wanted.as_bytes() {
            [byte] => memchr::memchr(*byte, rest),
            bytes => memmem::find(rest, bytes),
        };
        match found {
            Some(at) => rest = &rest[at + wanted.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fuzzy(query: &str, key: &str) -> bool {
        Query::new(query, Matching::Fuzzy).matches(&fold_case(key))
    }

    #[test]
    fn case_folds_like_to_lowercase() {
        for text in [
            "Zhang WEI 张伟",
            "ÉLAN Ωmega",
            "plain",
            "星河零售 Xinghe Retail",
        ] {
            assert_eq!(fold_case(text), text.to_lowercase());
        }
    }

    proptest! {
        #[test]
        fn keys_put_in_and_taken_out_are_the_keys_built_afresh(
            keys in proptest::collection::vec("[a-zA-Z张伟 ]{0,6}", 1..8),
            at in any::<proptest::sample::Index>(),
            extra in "[a-zA-Z王 ]{0,6}",
        ) {
            let at = at.index(keys.len());
            let mut changed = SearchKeys::new(keys.iter().map(String::as_str));
            changed.remove(at);
            changed.insert(at, &extra);
            let mut expected = keys.clone();
            expected[at] = extra;
            let afresh = SearchKeys::new(expected.iter().map(String::as_str));
            prop_assert_eq!(changed.len(), afresh.len());
            for i in 0..afresh.len() {
                prop_assert_eq!(changed.get(i), afresh.get(i));
            }
        }
    }

    #[test]
    fn the_caseless_range_has_no_upper_case() {
        assert!(CASELESS.clone().all(|c| !c.is_uppercase()));
    }

    #[test]
    fn subsequences_allow_gaps_but_keep_order() {
        assert!(fuzzy("zw", "zhang wei zw"));
        assert!(fuzzy("ZhangWei", "zhang wei"));
        assert!(!fuzzy("zw", "wang zhe"));
        assert!(fuzzy("", "anything"));
        assert!(fuzzy("张伟", "张三 伟"));
        assert!(!fuzzy("伟张", "张伟"));
    }

    #[test]
    fn all_words_need_every_word_in_any_order() {
        let query = Query::new("销售 ALICE", Matching::AllWords);
        assert!(query.matches("alice department.add 销售部"));
        assert!(!query.matches("bob department.add 销售部"));
    }

    #[test]
    fn a_longer_query_narrows_a_shorter_one_only_when_it_extends_it() {
        let z = Query::new("z", Matching::Fuzzy);
        assert!(Query::new("zw", Matching::Fuzzy).narrows(&z));
        assert!(!Query::new("w", Matching::Fuzzy).narrows(&z));
        assert!(!Query::new("zw", Matching::AllWords).narrows(&z));
    }

    #[test]
    fn keys_are_kept_in_order_and_can_be_reordered() {
        let keys = SearchKeys::new(["Alpha", "", "张伟 ZW"].into_iter());
        assert_eq!(keys.get(0), "alpha");
        assert_eq!(keys.get(1), "");
        assert_eq!(keys.get(2), "张伟 zw");
        let sorted = keys.reordered(&[2, 0, 1]);
        assert_eq!(
            (0..3).map(|i| sorted.get(i)).collect::<Vec<_>>(),
            vec!["张伟 zw", "alpha", ""]
        );
    }

    /// The plain definition of a fuzzy match, character by character.
    fn subsequence_by_chars(text: &str, query: &str) -> bool {
        let mut wanted = query.chars().filter(|c| !c.is_whitespace()).peekable();
        for c in text.chars() {
            if wanted.peek() == Some(&c) {
                wanted.next();
            }
        }
        wanted.peek().is_none()
    }

    proptest! {
        /// Folding agrees with the standard lower case on mixed text (the
        /// Greek final sigma aside, which only whole-word lowering knows).
        #[test]
        fn folding_agrees_with_to_lowercase(text in "[A-Za-z0-9张伟ÉéΩωＡａ @._-]{0,24}") {
            prop_assert_eq!(fold_case(&text), text.to_lowercase());
        }

        /// The byte search agrees with the character-by-character definition,
        /// on text mixing ASCII, Han characters and other scripts.
        #[test]
        fn byte_search_agrees_with_chars(
            text in "[a-z张伟王芳é ]{0,12}",
            query in "[a-z张伟王芳é ]{0,4}",
        ) {
            prop_assert_eq!(fuzzy(&query, &text), subsequence_by_chars(&text, &query));
        }
    }
}
