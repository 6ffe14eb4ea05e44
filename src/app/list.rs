//! A list that can be filtered as you type: the items, their search index,
//! the query, what it finds (best first), and a cursor over that.

use std::borrow::Cow;

use crate::action::Action;
use crate::app::pane::QueryEdit;
use crate::app::text_input::TextInput;
use crate::search::{Index, Kind, NONE, Query, Rank};

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

/// What a query is matched against in an item: its fields, each of a kind.
pub trait Searchable {
    /// The kind of each field, in the order [`fields`](Self::fields) gives them.
    const KINDS: &'static [Kind];
    /// The item's fields as text.
    fn fields(&self) -> Vec<Cow<'_, str>>;
}

/// The search index of `items`, made from their fields.
pub fn index_of<T: Searchable>(items: &[T]) -> Index {
    let mut index = Index::new(T::KINDS);
    for item in items {
        let fields = item.fields();
        index.push(fields.iter().map(|f| f.as_ref()));
    }
    index
}

/// Items with a live filter. Each item's fields are indexed once, when the
/// items are set, not per key. The items stay where they were put; the
/// list's order (its sort) is a separate array of item numbers, so a sort
/// moves neither the items nor their index. What a query finds is shown
/// best first (by [`Rank`]), ties in the list's order, so the best match
/// is selected.
/// What each shorter query typed on the way found is kept, so typing on
/// searches only those again and a backspace goes back to them.
#[derive(Clone, Debug)]
pub struct FilteredList<T> {
    items: Vec<T>,
    index: Index,
    /// The item numbers in the list's order (its sort).
    order: Vec<u32>,
    /// Each item's place in `order`.
    place: Vec<u32>,
    /// Whether `order` is the items' own order (never sorted): what is
    /// found is then in the list's order already.
    unsorted: bool,
    /// Per item, whether a restriction other than the query (such as a
    /// department) lets it through; `None` lets everything through.
    allowed: Option<Vec<bool>>,
    pub query: TextInput,
    /// True while the query is being typed (filter mode).
    pub editing: bool,
    /// The query `visible` was computed for.
    current: Query,
    /// Each item's tier for the current query (empty while there is none).
    ranks: Vec<u8>,
    /// What is shown, in order: item numbers.
    visible: Vec<u32>,
    /// Every item the current query found, in item order; `None` while
    /// there is no query.
    found: Option<Vec<u32>>,
    /// Earlier queries that the current one extends, with what they
    /// found, shortest first.
    earlier: Vec<(Query, Option<Vec<u32>>)>,
    pub cursor: Cursor,
    /// Whether the items are shown last first (a log kept oldest first,
    /// shown newest first).
    last_first: bool,
}

impl<T: Searchable> FilteredList<T> {
    /// A list of items searched by their [`Searchable`] fields.
    pub fn new() -> Self {
        FilteredList::of_kinds(T::KINDS)
    }

    /// Replaces the items, keeping the query and, as far as possible, the
    /// selection; a restriction is lifted (it was about the old items).
    pub fn set_items(&mut self, items: Vec<T>, page: usize) {
        let index = index_of(&items);
        self.set_keyed_items(items, index, page);
    }

    /// Puts `item` in the place of item `index`, its fields indexed; like
    /// [`replace`](Self::replace).
    pub fn replace_item(&mut self, index: usize, item: T) -> T {
        let fields: Vec<String> = item.fields().into_iter().map(Cow::into_owned).collect();
        self.replace(index, item, fields.iter().map(String::as_str))
    }
}

impl<T: Searchable> Default for FilteredList<T> {
    fn default() -> Self {
        FilteredList::new()
    }
}

impl<T> FilteredList<T> {
    /// A list whose items' fields are of these kinds (the caller indexes them).
    pub fn of_kinds(kinds: &[Kind]) -> Self {
        FilteredList {
            items: Vec::new(),
            index: Index::new(kinds),
            order: Vec::new(),
            place: Vec::new(),
            unsorted: true,
            allowed: None,
            query: TextInput::default(),
            editing: false,
            current: Query::new(""),
            ranks: Vec::new(),
            visible: Vec::new(),
            found: None,
            earlier: Vec::new(),
            cursor: Cursor::default(),
            last_first: false,
        }
    }

    /// Takes the items out (with their index and order), leaving the list
    /// empty with the same query, fitted to `page`: what is taken is the
    /// caller's to free (a large list, off the console's thread).
    pub fn take_items(&mut self, page: usize) -> FilteredList<T> {
        let mut empty = FilteredList::of_kinds(self.index.kinds());
        empty.query = self.query.clone();
        empty.editing = self.editing;
        empty.last_first = self.last_first;
        empty.fit(page);
        std::mem::replace(self, empty)
    }

    /// A list whose items are shown last first: what is appended comes
    /// on top ([`append_keyed`](Self::append_keyed)).
    pub fn last_first(kinds: &[Kind]) -> Self {
        FilteredList {
            last_first: true,
            ..FilteredList::of_kinds(kinds)
        }
    }

    /// Replaces the items, with their index made by the caller (one entry
    /// per item, in order), like `set_items`.
    pub fn set_keyed_items(&mut self, items: Vec<T>, index: Index, page: usize) {
        debug_assert_eq!(items.len(), index.len());
        self.allowed = None;
        self.index = index;
        self.items = items;
        self.order = (0..self.items.len() as u32).collect();
        self.place = self.order.clone();
        self.unsorted = true;
        self.refilter(page);
    }

    /// Puts `items` (with their index made by the caller) after the items
    /// there are, keeping the query and the selected item selected: a list
    /// shown last first (a log, newest on top) takes in what is new
    /// without searching everything again. A restriction is lifted, as
    /// [`set_keyed_items`](Self::set_keyed_items) lifts it.
    pub fn append_keyed(&mut self, items: Vec<T>, index: Index, page: usize) {
        debug_assert_eq!(items.len(), index.len());
        if items.is_empty() {
            return;
        }
        let start = self.items.len();
        self.items.extend(items);
        self.index.append(index);
        // New items come last in the list's order.
        let (first_place, added) = (self.order.len() as u32, self.items.len() - start);
        self.order.extend(start as u32..self.items.len() as u32);
        self.place.extend(first_place..first_place + added as u32);
        if self.allowed.take().is_some() {
            return self.refilter(page);
        }
        // What was kept for a backspace lacks the new items.
        self.earlier.clear();
        let mut found_new: Vec<u32> = (start as u32..self.items.len() as u32).collect();
        if !self.current.is_empty() {
            let mut ranks = Vec::new();
            let better = self.index.rank(&self.current, Some(&found_new), &mut ranks);
            let shown_better = self
                .visible
                .first()
                .is_some_and(|&i| self.rank_of(i as usize) < Rank::Scattered.code());
            if better && !shown_better {
                // Letters scattered are shown only while nothing is found otherwise.
                return self.refilter(page);
            }
            found_new.retain(|&i| {
                let rank = ranks[i as usize];
                rank != NONE && (!shown_better || rank < Rank::Scattered.code())
            });
            self.ranks.resize(self.items.len(), NONE);
            for &i in &found_new {
                self.ranks[i as usize] = ranks[i as usize];
            }
        }
        let selected = self.visible.get(self.cursor.selected).copied();
        if self.current.is_empty() && self.last_first {
            self.visible.splice(0..0, found_new.iter().rev().copied());
        } else {
            // Each into its tier: on top of it in a list shown last first.
            for &i in &found_new {
                let rank = self.rank_of(i as usize);
                let at = match self.last_first {
                    true => self
                        .visible
                        .partition_point(|&v| self.rank_of(v as usize) < rank),
                    false => self
                        .visible
                        .partition_point(|&v| self.rank_of(v as usize) <= rank),
                };
                self.visible.insert(at, i);
            }
        }
        if let Some(found) = &mut self.found {
            found.extend(found_new);
        }
        if let Some(item) = selected
            && let Some(now) = self.visible.iter().position(|&v| v == item)
        {
            // The same item stays selected; a list scrolled down stays
            // where it was, one at the top shows what came in.
            let moved = now - self.cursor.selected;
            self.cursor.selected = now;
            if self.cursor.offset > 0 {
                self.cursor.offset += moved;
            }
        }
        self.cursor.scroll_into_view(self.visible.len(), page);
    }

    /// Shows only the items `keep` accepts (`None`: all of them), whatever the query.
    pub fn restrict(&mut self, keep: Option<impl Fn(&T) -> bool>, page: usize) {
        self.allowed = keep.map(|keep| self.items.iter().map(keep).collect());
        self.cursor = Cursor::default();
        self.refilter(page);
    }

    /// Takes out item `index` and its fields; the restriction and the
    /// filter are recomputed by the [`restrict`](Self::restrict) that follows.
    pub fn remove(&mut self, index: usize) -> T {
        self.index.remove(index);
        self.allowed = None;
        let gone = index as u32;
        self.order.remove(self.place[index] as usize);
        for item in &mut self.order {
            *item -= u32::from(*item > gone);
        }
        self.place_from(0);
        self.items.remove(index)
    }

    /// Puts `item` in at `index` with its fields, last in the list's order
    /// (see [`reposition`](Self::reposition)); like [`remove`](Self::remove).
    pub fn insert<'a>(&mut self, index: usize, item: T, fields: impl IntoIterator<Item = &'a str>) {
        self.index.insert(index, fields);
        self.allowed = None;
        self.items.insert(index, item);
        let new = index as u32;
        for item in &mut self.order {
            *item += u32::from(*item >= new);
        }
        self.order.push(new);
        self.unsorted &= index + 1 == self.items.len();
        self.place_from(0);
    }

    /// Puts `item` with its fields in the place of item `index`, which it
    /// returns; like [`remove`](Self::remove) and [`insert`](Self::insert)
    /// at the same place, without moving any other item.
    pub fn replace<'a>(
        &mut self,
        index: usize,
        item: T,
        fields: impl IntoIterator<Item = &'a str>,
    ) -> T {
        self.index.replace(index, fields);
        self.allowed = None;
        std::mem::replace(&mut self.items[index], item)
    }

    /// Moves item `index` in the list's order to where `before` (the
    /// sort's "comes first") puts it among the others, which are in that
    /// order already; like [`remove`](Self::remove).
    pub fn reposition(&mut self, index: usize, before: impl Fn(&T, &T) -> bool) {
        let was = self.place[index] as usize;
        self.order.remove(was);
        let item = &self.items[index];
        let now = self
            .order
            .partition_point(|&other| before(&self.items[other as usize], item));
        self.order.insert(now, index as u32);
        self.unsorted = false;
        self.allowed = None;
        self.place_from(was.min(now));
    }

    /// Changes items in place, leaving what their fields were made of.
    pub fn update_items(&mut self, mut change: impl FnMut(&mut T)) {
        self.items.iter_mut().for_each(&mut change);
    }

    /// Puts the list in the order `compare` gives, items that compare
    /// equal in the order they had; the filter is kept.
    pub fn sort_by(&mut self, compare: impl Fn(&T, &T) -> std::cmp::Ordering, page: usize) {
        let items = &self.items;
        self.order
            .sort_by(|&a, &b| compare(&items[a as usize], &items[b as usize]));
        self.sorted(page);
    }

    /// Puts the list in the order of each item's `key` (made once per
    /// item: a rank, then a number), `compare` deciding between items of equal keys only,
    /// reversed when `descending`; the filter is kept. Comparing numbers
    /// instead of names keeps a sort of a million rows quick. `compare`
    /// must order items as their keys do: items already in its order (a
    /// table read by number, sorted by number) are not sorted again, and
    /// take no room for keys.
    pub fn sort_by_keys(
        &mut self,
        key: impl Fn(&T) -> (u32, u64),
        compare: impl Fn(&T, &T) -> std::cmp::Ordering,
        descending: bool,
        page: usize,
    ) {
        // What follows from the order is made again after it: its room is
        // given back first, so that a large list is never held with it
        // and the keys at once.
        self.place = Vec::new();
        self.visible = Vec::new();
        self.order = Vec::new();
        if self.items.is_sorted_by(|a, b| compare(a, b).is_le()) {
            self.order.extend(0..self.items.len() as u32);
        } else {
            // Each key beside its item's number, so the sort reads them in
            // a row: 16 bytes an item.
            let mut keyed: Vec<Keyed> = (self.items.iter().map(key).zip(0..))
                .map(|((first, then), item)| Keyed { then, first, item })
                .collect();
            let items = &self.items;
            keyed.sort_unstable_by(|a, b| {
                (a.first, a.then)
                    .cmp(&(b.first, b.then))
                    .then_with(|| compare(&items[a.item as usize], &items[b.item as usize]))
            });
            self.order.extend(keyed.into_iter().map(|k| k.item));
        }
        if descending {
            self.order.reverse();
        }
        self.sorted(page);
    }

    /// After a sort: the places follow the order (which may be the items'
    /// own) and the filter is shown in it.
    fn sorted(&mut self, page: usize) {
        self.unsorted = self.order.iter().zip(0..).all(|(&item, at)| item == at);
        self.place_from(0);
        self.refilter(page);
    }

    /// Writes each item's place in the order, from place `from` on.
    fn place_from(&mut self, from: usize) {
        self.place.resize(self.order.len(), 0);
        for (at, &item) in self.order.iter().enumerate().skip(from) {
            self.place[item as usize] = at as u32;
        }
    }

    /// Recomputes what passes the restriction and the query, from scratch.
    fn refilter(&mut self, page: usize) {
        self.earlier.clear();
        self.current = Query::new(self.query.text());
        let allowed = self.allowed_items();
        self.search(allowed);
        self.cursor.scroll_into_view(self.visible.len(), page);
    }

    /// The items the restriction lets through, in item order; `None`: all.
    fn allowed_items(&self) -> Option<Vec<u32>> {
        let allowed = self.allowed.as_ref()?;
        Some(
            (0..self.items.len() as u32)
                .filter(|&i| allowed[i as usize])
                .collect(),
        )
    }

    /// Searches `among` (all items when `None`) for the current query and
    /// shows what it finds, best first. Letters scattered through a field
    /// count only when nothing is found otherwise: when a narrowed search
    /// finds nothing better, every item the restriction allows is tried.
    fn search(&mut self, among: Option<Vec<u32>>) {
        if self.current.is_empty() {
            self.ranks.clear();
            self.visible = self.in_order(among.as_deref());
            if self.last_first {
                self.visible.reverse();
            }
            self.found = among;
            return;
        }
        let better = self
            .index
            .rank(&self.current, among.as_deref(), &mut self.ranks);
        let candidates = match among {
            Some(_) if !better => {
                let allowed = self.allowed_items();
                self.index
                    .rank(&self.current, allowed.as_deref(), &mut self.ranks);
                allowed
            }
            other => other,
        };
        // What was found, in item order, counted by tier; then shown by
        // tier, each in the list's order (newest first in a log).
        let ranks = &self.ranks;
        let mut counts = [0usize; Rank::ALL.len()];
        let mut found: Vec<u32> = Vec::new();
        let mut take = |i: u32| {
            let rank = ranks[i as usize];
            if rank != NONE {
                counts[usize::from(rank)] += 1;
                found.push(i);
            }
        };
        match candidates {
            Some(items) => items.into_iter().for_each(&mut take),
            None => (0..self.items.len() as u32).for_each(&mut take),
        }
        let mut next = [0usize; Rank::ALL.len()];
        for tier in 1..next.len() {
            next[tier] = next[tier - 1] + counts[tier - 1];
        }
        let mut visible = vec![0u32; found.len()];
        let in_order = match self.unsorted {
            true => Cow::Borrowed(found.as_slice()),
            false => Cow::Owned(self.in_order(Some(&found))),
        };
        let mut show = |&i: &u32| {
            let tier = usize::from(self.ranks[i as usize]);
            visible[next[tier]] = i;
            next[tier] += 1;
        };
        match self.last_first {
            true => in_order.iter().rev().for_each(&mut show),
            false => in_order.iter().for_each(&mut show),
        }
        self.visible = visible;
        self.found = Some(found);
    }

    /// `items` (rising item numbers; `None`: all of them) in the list's
    /// order: picked from the order when they are many, sorted by their
    /// places when they are few.
    fn in_order(&self, items: Option<&[u32]>) -> Vec<u32> {
        let Some(items) = items else {
            return self.order.clone();
        };
        if self.unsorted {
            return items.to_vec();
        }
        if items.len() < self.order.len() / 16 {
            let mut few = items.to_vec();
            few.sort_unstable_by_key(|&i| self.place[i as usize]);
            return few;
        }
        let mut wanted = vec![false; self.items.len()];
        for &i in items {
            wanted[i as usize] = true;
        }
        self.order
            .iter()
            .copied()
            .filter(|&i| wanted[i as usize])
            .collect()
    }

    /// Item `item`'s tier for the current query (0 while there is none).
    fn rank_of(&self, item: usize) -> u8 {
        self.ranks.get(item).copied().unwrap_or(0)
    }

    /// Edits the query (typing or an editing action) and searches again.
    /// A query that only grew can only find fewer items, so only the items
    /// found before are searched again; a query cut back to one typed
    /// earlier searches what that one found: typing stays fast on long lists.
    pub fn edit_query(&mut self, edit: impl FnOnce(&mut TextInput), page: usize) {
        edit(&mut self.query);
        self.cursor = Cursor::default();
        let query = Query::new(self.query.text());
        let before = std::mem::replace(&mut self.current, query);
        self.earlier.push((before, self.found.take()));
        while let Some((earlier, _)) = self.earlier.last() {
            if self.current.narrows(earlier) {
                break;
            }
            self.earlier.pop();
        }
        let among = match self.earlier.last() {
            Some((earlier, _)) if earlier.text() == self.current.text() => {
                self.earlier.pop().and_then(|(_, found)| found)
            }
            Some((_, found)) => found.clone(),
            None => self.allowed_items(),
        };
        let among = among.or_else(|| self.allowed_items());
        self.search(among);
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
        self.visible.iter().map(|&i| &self.items[i as usize])
    }

    /// The same, each with its number among the items (for [`lit`](Self::lit)).
    pub fn visible_numbered(&self) -> impl ExactSizeIterator<Item = (usize, &T)> {
        self.visible
            .iter()
            .map(|&i| (i as usize, &self.items[i as usize]))
    }

    /// The characters (by place) of field `field` of item `item` the
    /// query found, to be lit; empty when none.
    pub fn lit(&self, item: usize, field: usize) -> Vec<usize> {
        if self.current.is_empty() {
            return Vec::new();
        }
        self.index
            .places(item, field, &self.current)
            .map(|(_, places)| places)
            .unwrap_or_default()
    }

    /// The field of item `item` the query found best, with what it holds
    /// (for naming a field the table does not show).
    pub fn found_in(&self, item: usize) -> Option<(usize, String)> {
        if self.current.is_empty() {
            return None;
        }
        let (field, _) = self.index.best_field(item, &self.current)?;
        Some((field, self.index.value(item, field)))
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }
    pub fn selected(&self) -> Option<&T> {
        self.visible
            .get(self.cursor.selected)
            .map(|&i| &self.items[i as usize])
    }

    /// Moves the selection to the first visible item satisfying `pred`.
    pub fn select_where(&mut self, page: usize, pred: impl Fn(&T) -> bool) {
        if let Some(pos) = self
            .visible
            .iter()
            .position(|&i| pred(&self.items[i as usize]))
        {
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

/// An item's sort key beside its number, laid out in 16 bytes.
struct Keyed {
    then: u64,
    first: u32,
    item: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    impl Searchable for &str {
        const KINDS: &'static [Kind] = &[Kind::Text];
        fn fields(&self) -> Vec<Cow<'_, str>> {
            vec![Cow::Borrowed(self)]
        }
    }

    #[test]
    fn filtering_keeps_only_matches_and_resets_the_cursor() {
        let mut list = FilteredList::new();
        list.set_items(vec!["Sales", "HR", "Sales East"], 10);
        list.navigate(Action::Last, 10);
        list.edit_query(|q| q.insert_str("sls"), 10);
        assert_eq!(list.visible_len(), 2, "scattered and case-insensitive");
        assert_eq!(list.selected(), Some(&"Sales"));
    }

    #[test]
    fn taking_the_items_leaves_the_query_and_an_empty_list_that_filters_what_comes_next() {
        let mut list = FilteredList::new();
        list.set_items(vec!["Sales", "HR", "Sales East"], 10);
        list.edit_query(|q| q.insert_str("sls"), 10);
        let taken = list.take_items(10);
        assert_eq!(taken.items().len(), 3);
        assert_eq!((list.items().len(), list.query.text()), (0, "sls"));
        list.set_items(vec!["HR", "Sales"], 10);
        assert_eq!(list.visible_len(), 1, "the query still filters");
        assert_eq!(list.selected(), Some(&"Sales"));
    }

    #[test]
    fn typing_on_narrows_and_deleting_widens_again() {
        let mut list = FilteredList::new();
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
        let mut list = FilteredList::new();
        list.set_items(vec!["b2", "a1", "c3", "a9"], 10);
        list.edit_query(|q| q.insert_str("a"), 10);
        list.sort_by(|x, y| y.cmp(x), 10);
        assert_eq!(
            list.visible().copied().collect::<Vec<_>>(),
            vec!["a9", "a1"]
        );
        assert_eq!(list.items(), &["b2", "a1", "c3", "a9"], "nothing moved");
        list.edit_query(|q| q.clear(), 10);
        assert_eq!(shown(&list), ["c3", "b2", "a9", "a1"]);
    }

    /// What the list shows, in order.
    fn shown<'a>(list: &FilteredList<&'a str>) -> Vec<&'a str> {
        list.visible().copied().collect()
    }

    #[test]
    fn an_item_put_in_or_changed_takes_its_place_in_the_sort() {
        let mut list = FilteredList::new();
        list.set_items(vec!["b", "d", "f"], 10);
        list.sort_by(|x, y| y.cmp(x), 10);
        list.insert(1, "c", ["c"]);
        list.reposition(1, |x, y| x > y);
        list.restrict(None::<fn(&&str) -> bool>, 10);
        assert_eq!(shown(&list), ["f", "d", "c", "b"]);
        assert_eq!(list.items(), &["b", "c", "d", "f"]);
        list.replace(0, "g", ["g"]);
        list.reposition(0, |x, y| x > y);
        list.remove(2);
        list.restrict(None::<fn(&&str) -> bool>, 10);
        assert_eq!(shown(&list), ["g", "f", "c"]);
        list.edit_query(|q| q.insert('c'), 10);
        assert_eq!(shown(&list), ["c"], "the index followed the items");
    }

    #[test]
    fn sorting_by_keys_breaks_ties_by_comparing() {
        let mut list = FilteredList::new();
        list.set_items(vec!["b2", "a9", "c3", "a1"], 10);
        let first = |s: &&str| (u32::from(s.as_bytes()[0]), 0);
        list.sort_by_keys(first, |x, y| x.cmp(y), false, 10);
        assert_eq!(shown(&list), ["a1", "a9", "b2", "c3"]);
        list.sort_by_keys(first, |x, y| x.cmp(y), true, 10);
        assert_eq!(shown(&list), ["c3", "b2", "a9", "a1"]);
        list.edit_query(|q| q.insert('a'), 10);
        assert_eq!(shown(&list), ["a9", "a1"], "ties between tiers in the sort");
    }

    #[test]
    fn a_restriction_holds_under_any_query_and_sort() {
        let mut list = FilteredList::new();
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
        let mut list = FilteredList::last_first(<&str>::KINDS);
        list.set_items(vec!["a hr", "z other", "b hr"], 10);
        assert_eq!(
            list.visible().copied().collect::<Vec<_>>(),
            vec!["b hr", "z other", "a hr"]
        );
        list.edit_query(|q| q.insert_str("hr"), 10);
        list.navigate(Action::Down, 10);
        assert_eq!(list.selected(), Some(&"a hr"));
        let new = vec!["c other", "d hr"];
        let index = index_of(&new);
        list.append_keyed(new, index, 10);
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
        let mut empty = FilteredList::last_first(<&str>::KINDS);
        empty.set_items(Vec::<&str>::new(), 10);
        empty.append_keyed(vec!["x"], index_of(&["x"]), 10);
        assert_eq!(empty.selected(), Some(&"x"));
    }

    #[test]
    fn all_words_needs_every_word_in_any_order() {
        let mut list = FilteredList::new();
        list.set_items(vec!["alice department.add 销售部", "bob operator.add"], 10);
        list.edit_query(|q| q.insert_str("销售 ALICE"), 10);
        assert_eq!(list.visible_len(), 1);
        list.edit_query(|q| q.insert_str(" bob"), 10);
        assert_eq!(list.visible_len(), 0);
    }

    proptest! {
        /// Sorted, then searched for any letter, the list shows what a
        /// list made in the sorted order shows: by tier, ties in the sort.
        #[test]
        fn a_sorted_search_shows_ties_in_the_sort(
            words in proptest::collection::vec("[abc]{1,3}", 1..40),
            letter in "[abc]",
        ) {
            let mut list = FilteredList::new();
            list.set_items(words.iter().map(String::as_str).collect(), 10);
            list.sort_by(|x, y| y.cmp(x), 10);
            list.edit_query(|q| q.insert_str(&letter), 10);
            let mut sorted: Vec<&str> = words.iter().map(String::as_str).collect();
            sorted.sort_by(|x, y| y.cmp(x));
            let mut fresh = FilteredList::new();
            fresh.set_items(sorted, 10);
            fresh.edit_query(|q| q.insert_str(&letter), 10);
            prop_assert_eq!(shown(&list), shown(&fresh));
        }

        /// However the query is typed, cut back and retyped, what is visible
        /// is what a search of everything from scratch finds.
        #[test]
        fn remembered_matches_equal_a_fresh_search(
            edits in proptest::collection::vec(0usize..6, 0..30),
        ) {
            let names = vec!["zhang wei", "zhao lei", "wang fang", "张伟 zw", "li na", "zz top"];
            let mut list = FilteredList::new();
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
                let mut fresh = FilteredList::new();
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
