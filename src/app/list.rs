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

/// Items with a live filter; `visible` lists the indices that pass it.
#[derive(Clone, Debug)]
pub struct FilteredList<T> {
    items: Vec<T>,
    pub query: TextInput,
    /// True while the query is being typed (filter mode).
    pub editing: bool,
    visible: Vec<usize>,
    pub cursor: Cursor,
    matches: fn(&T, &str) -> bool,
}

impl<T> FilteredList<T> {
    pub fn new(matches: fn(&T, &str) -> bool) -> Self {
        FilteredList {
            items: Vec::new(),
            query: TextInput::default(),
            editing: false,
            visible: Vec::new(),
            cursor: Cursor::default(),
            matches,
        }
    }

    /// Replaces the items, keeping the query and, as far as possible, the selection.
    pub fn set_items(&mut self, items: Vec<T>, page: usize) {
        self.items = items;
        self.refilter(page);
    }

    /// Recomputes which items pass the query.
    pub fn refilter(&mut self, page: usize) {
        let query = self.query.text().trim();
        self.visible = if query.is_empty() {
            (0..self.items.len()).collect()
        } else {
            let matches = self.matches;
            (0..self.items.len())
                .filter(|&i| matches(&self.items[i], query))
                .collect()
        };
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

    /// Edits the query (typing or an editing action) and refilters.
    pub fn edit_query(&mut self, edit: impl FnOnce(&mut TextInput), page: usize) {
        edit(&mut self.query);
        self.cursor = Cursor::default();
        self.refilter(page);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn contains(item: &&str, query: &str) -> bool {
        item.contains(query)
    }

    #[test]
    fn filtering_keeps_only_matches_and_resets_the_cursor() {
        let mut list = FilteredList::new(contains);
        list.set_items(vec!["sales", "hr", "sales east"], 10);
        list.navigate(Action::Last, 10);
        list.edit_query(|q| q.insert_str("sales"), 10);
        assert_eq!(list.visible_len(), 2);
        assert_eq!(list.selected(), Some(&"sales"));
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
