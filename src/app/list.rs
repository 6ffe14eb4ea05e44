//! A list that can be filtered as you type: the items, the query, which items
//! pass it, and a cursor over those that do.

use crate::app::action::Action;
use crate::app::text_input::TextInput;

/// Selection and scroll position over `len` rows shown `page` at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Moves for a navigation action; false when `action` is not one.
    pub fn apply(&mut self, action: Action, len: usize, page: usize) -> bool {
        let page = page.max(1);
        let last = len.saturating_sub(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => (self.selected + page).min(last),
            Action::First => 0,
            Action::Last => last,
            _ => return false,
        };
        self.scroll_into_view(len, page);
        true
    }

    /// Keeps the selection inside `len` rows and visible in a `page`-row window.
    pub fn scroll_into_view(&mut self, len: usize, page: usize) {
        let page = page.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(len.saturating_sub(page));
    }
}

/// What a query is matched against in an item.
pub trait Searchable {
    /// The item's searchable text (names, paths, codes…).
    fn search_text(&self) -> String;
}

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
fn fold_case(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `letters` occur in `text` in order, gaps allowed: the fuzzy
/// match that decides what a filter keeps (scoring is not needed to filter).
fn is_subsequence(text: &str, letters: &[char]) -> bool {
    let mut wanted = letters.iter().peekable();
    for c in text.chars() {
        if wanted.peek() == Some(&&c) {
            wanted.next();
        }
    }
    wanted.peek().is_none()
}

/// Items with a live filter; `visible` lists the indices that pass it. Each
/// item's search text is computed once, when the items are set, not per key.
#[derive(Clone, Debug)]
pub struct FilteredList<T> {
    items: Vec<T>,
    keys: Vec<String>,
    /// Per item, whether a restriction other than the query (such as a
    /// department) lets it through; `None` lets everything through.
    allowed: Option<Vec<bool>>,
    pub query: TextInput,
    /// True while the query is being typed (filter mode).
    pub editing: bool,
    visible: Vec<usize>,
    pub cursor: Cursor,
    matching: Matching,
}

impl<T: Searchable> FilteredList<T> {
    pub fn new(matching: Matching) -> Self {
        FilteredList {
            items: Vec::new(),
            keys: Vec::new(),
            allowed: None,
            query: TextInput::default(),
            editing: false,
            visible: Vec::new(),
            cursor: Cursor::default(),
            matching,
        }
    }

    /// Replaces the items, keeping the query and, as far as possible, the
    /// selection; a restriction is lifted (it was about the old items).
    pub fn set_items(&mut self, items: Vec<T>, page: usize) {
        self.allowed = None;
        self.keys = items
            .iter()
            .map(|item| fold_case(&item.search_text()))
            .collect();
        self.items = items;
        self.refilter(page);
    }

    /// Recomputes which items pass the restriction and the query.
    pub fn refilter(&mut self, page: usize) {
        self.visible = match &self.allowed {
            Some(allowed) => self.matching_among((0..self.items.len()).filter(|&i| allowed[i])),
            None => self.matching_among(0..self.items.len()),
        };
        self.cursor.scroll_into_view(self.visible.len(), page);
    }

    /// Shows only the items `keep` accepts (`None`: all of them), whatever the query.
    pub fn restrict(&mut self, keep: Option<impl Fn(&T) -> bool>, page: usize) {
        self.allowed = keep.map(|keep| self.items.iter().map(keep).collect());
        self.cursor = Cursor::default();
        self.refilter(page);
    }

    /// The indices among `candidates` whose search text matches the query.
    fn matching_among(&self, candidates: impl Iterator<Item = usize>) -> Vec<usize> {
        let query = fold_case(self.query.text().trim());
        if query.is_empty() {
            return candidates.collect();
        }
        match self.matching {
            Matching::Fuzzy => {
                let letters: Vec<char> = query.chars().filter(|c| !c.is_whitespace()).collect();
                candidates
                    .filter(|&i| is_subsequence(&self.keys[i], &letters))
                    .collect()
            }
            Matching::AllWords => candidates
                .filter(|&i| query.split_whitespace().all(|w| self.keys[i].contains(w)))
                .collect(),
        }
    }

    /// Edits the query (typing or an editing action) and refilters. A query
    /// that only grew can only match fewer items, so only the items still
    /// visible are checked again: typing stays fast on long lists.
    pub fn edit_query(&mut self, edit: impl FnOnce(&mut TextInput), page: usize) {
        let before = self.query.text().trim().to_lowercase();
        edit(&mut self.query);
        self.cursor = Cursor::default();
        let after = self.query.text().trim().to_lowercase();
        if !before.is_empty() && after.starts_with(&before) {
            let still = std::mem::take(&mut self.visible);
            self.visible = self.matching_among(still.into_iter());
            self.cursor.scroll_into_view(self.visible.len(), page);
        } else {
            self.refilter(page);
        }
    }

    /// Puts the items in the order `compare` gives, keeping the filter.
    pub fn sort_by(&mut self, compare: impl Fn(&T, &T) -> std::cmp::Ordering, page: usize) {
        let mut order: Vec<usize> = (0..self.items.len()).collect();
        order.sort_by(|&a, &b| compare(&self.items[a], &self.items[b]));
        let mut items: Vec<Option<T>> = std::mem::take(&mut self.items)
            .into_iter()
            .map(Some)
            .collect();
        let keys = std::mem::take(&mut self.keys);
        self.items = order.iter().filter_map(|&i| items[i].take()).collect();
        self.keys = order.iter().map(|&i| keys[i].clone()).collect();
        if let Some(allowed) = self.allowed.take() {
            self.allowed = Some(order.iter().map(|&i| allowed[i]).collect());
        }
        self.refilter(page);
    }
}

impl<T> FilteredList<T> {
    /// Keeps the selection on screen after the page size changed.
    pub fn fit(&mut self, page: usize) {
        self.cursor.scroll_into_view(self.visible.len(), page);
    }

    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The items that pass the filter, in order.
    pub fn visible(&self) -> impl ExactSizeIterator<Item = &T> {
        self.visible.iter().map(|&i| &self.items[i])
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    pub fn selected(&self) -> Option<&T> {
        self.visible
            .get(self.cursor.selected)
            .map(|&i| &self.items[i])
    }

    /// Moves the selection to the first visible item satisfying `pred`.
    pub fn select_where(&mut self, page: usize, pred: impl Fn(&T) -> bool) {
        if let Some(pos) = self.visible.iter().position(|&i| pred(&self.items[i])) {
            self.cursor.selected = pos;
            self.cursor.scroll_into_view(self.visible.len(), page);
        }
    }

    pub fn navigate(&mut self, action: Action, page: usize) -> bool {
        self.cursor.apply(action, self.visible.len(), page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    impl Searchable for &str {
        fn search_text(&self) -> String {
            self.to_string()
        }
    }

    #[test]
    fn filtering_keeps_only_matches_and_resets_the_cursor() {
        let mut list = FilteredList::new(Matching::Fuzzy);
        list.set_items(vec!["Sales", "HR", "Sales East"], 10);
        list.navigate(Action::Last, 10);
        list.edit_query(|q| q.insert_str("sls"), 10);
        assert_eq!(list.visible_len(), 2, "fuzzy and case-insensitive");
        assert_eq!(list.selected(), Some(&"Sales"));
    }

    #[test]
    fn typing_on_narrows_and_deleting_widens_again() {
        let mut list = FilteredList::new(Matching::Fuzzy);
        list.set_items(vec!["zhang wei", "zhao lei", "wang fang"], 10);
        list.edit_query(|q| q.insert_str("zh"), 10);
        assert_eq!(list.visible_len(), 2);
        list.edit_query(|q| q.insert_str("w"), 10);
        assert_eq!(
            list.visible().copied().collect::<Vec<_>>(),
            vec!["zhang wei"]
        );
        list.edit_query(|q| q.clear(), 10);
        assert_eq!(list.visible_len(), 3);
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

    #[test]
    fn subsequences_allow_gaps_but_keep_order() {
        let letters = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(is_subsequence("zhang wei zw", &letters("zw")));
        assert!(is_subsequence("zhang wei", &letters("zhangwei")));
        assert!(!is_subsequence("wang zhe", &letters("zw")));
        assert!(is_subsequence("anything", &letters("")));
    }

    #[test]
    fn sorting_reorders_and_keeps_the_filter() {
        let mut list = FilteredList::new(Matching::Fuzzy);
        list.set_items(vec!["b2", "a1", "c3", "a9"], 10);
        list.edit_query(|q| q.insert_str("a"), 10);
        list.sort_by(|x, y| y.cmp(x), 10);
        assert_eq!(
            list.visible().copied().collect::<Vec<_>>(),
            vec!["a9", "a1"]
        );
        assert_eq!(list.items(), &["c3", "b2", "a9", "a1"]);
    }

    #[test]
    fn a_restriction_holds_under_any_query_and_sort() {
        let mut list = FilteredList::new(Matching::Fuzzy);
        list.set_items(vec!["sales a", "hr b", "sales c"], 10);
        list.restrict(Some(|x: &&str| x.starts_with("sales")), 10);
        assert_eq!(list.visible_len(), 2);
        list.edit_query(|q| q.insert_str("c"), 10);
        assert_eq!(list.visible().copied().collect::<Vec<_>>(), vec!["sales c"]);
        list.edit_query(|q| q.clear(), 10);
        list.sort_by(|x, y| y.cmp(x), 10);
        assert_eq!(
            list.visible().copied().collect::<Vec<_>>(),
            vec!["sales c", "sales a"]
        );
        list.restrict(None::<fn(&&str) -> bool>, 10);
        assert_eq!(list.visible_len(), 3);
    }

    #[test]
    fn all_words_needs_every_word_in_any_order() {
        let mut list = FilteredList::new(Matching::AllWords);
        list.set_items(vec!["alice department.add 销售部", "bob operator.add"], 10);
        list.edit_query(|q| q.insert_str("销售 ALICE"), 10);
        assert_eq!(list.visible_len(), 1);
        list.edit_query(|q| q.insert_str(" bob"), 10);
        assert_eq!(list.visible_len(), 0);
    }

    proptest! {
        /// Whatever the moves, the selection stays in range and on screen.
        #[test]
        fn cursor_stays_in_range_and_visible(
            len in 0usize..50,
            page in 1usize..12,
            moves in proptest::collection::vec(0usize..6, 0..40),
        ) {
            let actions = [Action::Up, Action::Down, Action::PageUp, Action::PageDown, Action::First, Action::Last];
            let mut cursor = Cursor::default();
            for m in moves {
                cursor.apply(actions[m], len, page);
                prop_assert!(len == 0 || cursor.selected < len);
                prop_assert!(cursor.selected >= cursor.offset);
                prop_assert!(cursor.selected < cursor.offset + page);
            }
        }
    }
}
