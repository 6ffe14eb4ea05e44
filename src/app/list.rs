//! A list that can be filtered as you type: the items, the query, which items
//! pass it, and a cursor over those that do.

pub use super::search::Matching;
use super::search::{Query, SearchKeys};
use crate::action::Action;
use crate::app::pane::QueryEdit;
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

/// Puts `items` in the order `order` gives (item `order[i]` moves to `i`),
/// in place: a list of 100,000 rows is never held twice.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        // Follow the cycle through `start`, marking each place done.
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

/// Items with a live filter; `visible` lists the indices that pass it. Each
/// item's search key is folded once, when the items are set, not per key;
/// the matches of each shorter query typed on the way are kept, so a
/// backspace goes back to them instead of searching everything again.
#[derive(Clone, Debug)]
pub struct FilteredList<T> {
    items: Vec<T>,
    keys: SearchKeys,
    /// Per item, whether a restriction other than the query (such as a
    /// department) lets it through; `None` lets everything through.
    allowed: Option<Vec<bool>>,
    pub query: TextInput,
    /// True while the query is being typed (filter mode).
    pub editing: bool,
    /// The query `visible` was computed for.
    current: Query,
    visible: Vec<usize>,
    /// Earlier queries that the current one extends, with their matches,
    /// shortest first.
    earlier: Vec<(Query, Vec<usize>)>,
    pub cursor: Cursor,
    matching: Matching,
    /// Whether the items are shown last first (a log kept oldest first,
    /// shown newest first).
    last_first: bool,
}

impl<T: Searchable> FilteredList<T> {
    /// Replaces the items, keeping the query and, as far as possible, the
    /// selection; a restriction is lifted (it was about the old items).
    pub fn set_items(&mut self, items: Vec<T>, page: usize) {
        let texts: Vec<String> = items.iter().map(Searchable::search_text).collect();
        let keys = SearchKeys::new(texts.iter().map(String::as_str));
        self.set_keyed_items(items, keys, page);
    }
}

impl<T> FilteredList<T> {
    pub fn new(matching: Matching) -> Self {
        FilteredList {
            items: Vec::new(),
            keys: SearchKeys::default(),
            allowed: None,
            query: TextInput::default(),
            editing: false,
            current: Query::new("", matching),
            visible: Vec::new(),
            earlier: Vec::new(),
            cursor: Cursor::default(),
            matching,
            last_first: false,
        }
    }

    /// A list whose items are shown last first: what is appended comes
    /// on top ([`append_keyed`](Self::append_keyed)).
    pub fn last_first(matching: Matching) -> Self {
        FilteredList {
            last_first: true,
            ..FilteredList::new(matching)
        }
    }

    /// Replaces the items, with their search keys made by the caller (one
    /// per item, in order), like `set_items`.
    pub fn set_keyed_items(&mut self, items: Vec<T>, keys: SearchKeys, page: usize) {
        debug_assert_eq!(items.len(), keys.len());
        self.allowed = None;
        self.keys = keys;
        self.items = items;
        self.refilter(page);
    }

    /// Puts `items` (with their search keys made by the caller, one per
    /// item) after the items there are, keeping the query and the selected
    /// item selected: a list shown last first (a log, newest on top) takes
    /// in what is new without matching everything again. A restriction is
    /// lifted, as [`set_keyed_items`](Self::set_keyed_items) lifts it.
    pub fn append_keyed(&mut self, items: Vec<T>, keys: SearchKeys, page: usize) {
        debug_assert_eq!(items.len(), keys.len());
        if items.is_empty() {
            return;
        }
        let start = self.items.len();
        self.items.extend(items);
        self.keys.append(keys);
        if self.allowed.take().is_some() {
            return self.refilter(page);
        }
        // The matches kept for a backspace lack the new items.
        self.earlier.clear();
        let new = self.matching_among(start..self.items.len());
        let (added, had) = (new.len(), self.visible.len());
        if self.last_first {
            self.visible.splice(0..0, new.into_iter().rev());
            if had > 0 {
                // The same item stays selected; a list scrolled down
                // stays where it was, one at the top shows what came in.
                self.cursor.selected += added;
                if self.cursor.offset > 0 {
                    self.cursor.offset += added;
                }
            }
        } else {
            self.visible.extend(new);
        }
        self.cursor.scroll_into_view(self.visible.len(), page);
    }

    /// Shows only the items `keep` accepts (`None`: all of them), whatever the query.
    pub fn restrict(&mut self, keep: Option<impl Fn(&T) -> bool>, page: usize) {
        self.allowed = keep.map(|keep| self.items.iter().map(keep).collect());
        self.cursor = Cursor::default();
        self.refilter(page);
    }

    /// Takes out item `index` and its key; the restriction and the filter
    /// are recomputed by the [`restrict`](Self::restrict) that follows.
    pub fn remove(&mut self, index: usize) -> T {
        self.keys.remove(index);
        self.allowed = None;
        self.items.remove(index)
    }

    /// Puts `item` in at `index` with its search key `key`; like [`remove`](Self::remove).
    pub fn insert(&mut self, index: usize, item: T, key: &str) {
        self.keys.insert(index, key);
        self.allowed = None;
        self.items.insert(index, item);
    }

    /// Changes items in place, leaving what their search keys were made of.
    pub fn update_items(&mut self, mut change: impl FnMut(&mut T)) {
        self.items.iter_mut().for_each(&mut change);
    }

    /// Puts the items in the order `compare` gives, keeping the filter.
    pub fn sort_by(&mut self, compare: impl Fn(&T, &T) -> std::cmp::Ordering, page: usize) {
        let mut order: Vec<usize> = (0..self.items.len()).collect();
        order.sort_by(|&a, &b| compare(&self.items[a], &self.items[b]));
        self.keys = self.keys.reordered(&order);
        if let Some(allowed) = self.allowed.take() {
            self.allowed = Some(order.iter().map(|&i| allowed[i]).collect());
        }
        permute(&mut self.items, order);
        self.refilter(page);
    }

    /// Recomputes which items pass the restriction and the query, from scratch.
    fn refilter(&mut self, page: usize) {
        self.earlier.clear();
        self.current = Query::new(self.query.text(), self.matching);
        let all = 0..self.items.len();
        self.visible = match (&self.allowed, self.last_first) {
            (Some(allowed), false) => self.matching_among(all.filter(|&i| allowed[i])),
            (Some(allowed), true) => self.matching_among(all.rev().filter(|&i| allowed[i])),
            (None, false) => self.matching_among(all),
            (None, true) => self.matching_among(all.rev()),
        };
        self.cursor.scroll_into_view(self.visible.len(), page);
    }

    /// The indices among `candidates` whose search key matches the current query.
    fn matching_among(&self, candidates: impl Iterator<Item = usize>) -> Vec<usize> {
        if self.current.is_empty() {
            return candidates.collect();
        }
        candidates
            .filter(|&i| self.current.matches(self.keys.get(i)))
            .collect()
    }

    /// Edits the query (typing or an editing action) and refilters. A query
    /// that only grew can only match fewer items, so only the items that
    /// matched before are checked again; a query cut back to one typed
    /// earlier gets that one's matches back: typing stays fast on long lists.
    pub fn edit_query(&mut self, edit: impl FnOnce(&mut TextInput), page: usize) {
        edit(&mut self.query);
        self.cursor = Cursor::default();
        let query = Query::new(self.query.text(), self.matching);
        let before = std::mem::replace(&mut self.current, query);
        self.earlier
            .push((before, std::mem::take(&mut self.visible)));
        while let Some((earlier, _)) = self.earlier.last() {
            if self.current.narrows(earlier) {
                break;
            }
            self.earlier.pop();
        }
        match self.earlier.last() {
            Some((earlier, _)) if earlier.text() == self.current.text() => {
                if let Some((_, visible)) = self.earlier.pop() {
                    self.visible = visible;
                }
            }
            Some((_, narrower)) => {
                self.visible = self.matching_among(narrower.iter().copied());
            }
            None => {
                self.refilter(page);
                return;
            }
        }
        self.cursor.scroll_into_view(self.visible.len(), page);
    }

    /// Keeps the selection on screen after the page size changed.
    pub fn fit(&mut self, page: usize) {
        self.cursor.scroll_into_view(self.visible.len(), page);
    }

    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The items that pass the filter, in the order shown.
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

    /// Takes a step of typing the `/` query (the same for every list).
    pub fn query_step(&mut self, edit: QueryEdit, page: usize) {
        match edit {
            QueryEdit::Start => self.editing = true,
            QueryEdit::Type(c) => self.edit_query(|q| q.insert(c), page),
            QueryEdit::Apply(action) => self.edit_query(
                |q| {
                    q.apply(action);
                },
                page,
            ),
            QueryEdit::Move(action) => {
                self.navigate(action, page);
            }
            QueryEdit::Keep => self.editing = false,
            QueryEdit::Clear => {
                self.edit_query(TextInput::clear, page);
                self.editing = false;
            }
        }
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
    fn a_list_shown_last_first_takes_in_new_items_on_top() {
        let mut list = FilteredList::last_first(Matching::AllWords);
        list.set_items(vec!["a hr", "z other", "b hr"], 10);
        assert_eq!(
            list.visible().copied().collect::<Vec<_>>(),
            vec!["b hr", "z other", "a hr"]
        );
        list.edit_query(|q| q.insert_str("hr"), 10);
        list.navigate(Action::Down, 10);
        assert_eq!(list.selected(), Some(&"a hr"));
        let new = vec!["c other", "d hr"];
        let keys = SearchKeys::new(new.iter().copied());
        list.append_keyed(new, keys, 10);
        assert_eq!(
            list.items(),
            &["a hr", "z other", "b hr", "c other", "d hr"]
        );
        assert_eq!(
            list.visible().copied().collect::<Vec<_>>(),
            vec!["d hr", "b hr", "a hr"]
        );
        assert_eq!(
            list.selected(),
            Some(&"a hr"),
            "the same item stays selected"
        );
        list.edit_query(|q| q.clear(), 10);
        list.edit_query(|q| q.insert_str("other"), 10);
        assert_eq!(
            list.visible().copied().collect::<Vec<_>>(),
            vec!["c other", "z other"],
            "the new items' keys are in step with them"
        );
        // Into an empty view: the first item is selected.
        let mut empty = FilteredList::last_first(Matching::AllWords);
        empty.set_items(Vec::<&str>::new(), 10);
        empty.append_keyed(vec!["x"], SearchKeys::new(["x"].into_iter()), 10);
        assert_eq!(empty.selected(), Some(&"x"));
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
        /// Permuting in place gives what picking the items in order gives.
        #[test]
        fn permuting_in_place_matches_picking(order in Just((0..20usize).collect::<Vec<_>>()).prop_shuffle()) {
            let items: Vec<usize> = (100..120).collect();
            let mut permuted = items.clone();
            permute(&mut permuted, order.clone());
            let picked: Vec<usize> = order.iter().map(|&i| items[i]).collect();
            prop_assert_eq!(permuted, picked);
        }

        /// However the query is typed, cut back and retyped, what is visible
        /// is what a search of everything from scratch finds.
        #[test]
        fn remembered_matches_equal_a_fresh_search(
            edits in proptest::collection::vec(0usize..6, 0..30),
        ) {
            let names = vec!["zhang wei", "zhao lei", "wang fang", "张伟 zw", "li na", "zz top"];
            let mut list = FilteredList::new(Matching::Fuzzy);
            list.set_items(names.clone(), 10);
            for edit in edits {
                match edit {
                    0 => list.edit_query(|q| q.insert('z'), 10),
                    1 => list.edit_query(|q| q.insert('w'), 10),
                    2 => list.edit_query(|q| q.insert('a'), 10),
                    3 => list.edit_query(|q| q.insert('张'), 10),
                    4 => list.edit_query(|q| { q.apply(Action::DeleteBack); }, 10),
                    _ => list.edit_query(|q| q.clear(), 10),
                }
                let mut fresh = FilteredList::new(Matching::Fuzzy);
                fresh.query = list.query.clone();
                fresh.set_items(names.clone(), 10);
                prop_assert_eq!(
                    list.visible().collect::<Vec<_>>(),
                    fresh.visible().collect::<Vec<_>>()
                );
            }
        }

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
