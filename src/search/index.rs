//! The search index of one list: each item's fields, stored by kind. Names
//! and texts that many items share (a department, a title, a name two
//! people have) are stored once and referred to by number, and a query is
//! tried once per distinct value; numbers, phones and e-mail addresses are
//! each item's own, kept end to end in one string and scanned with
//! `memchr`. A query ranks every item it is given: the best tier over its
//! fields, the scattered tier only when no item is found otherwise.

use foldhash::HashMap;

use super::fold::fold_case_into;
use super::query::Query;
use super::rank::Rank;
use super::spoken::Spoken;
use super::tiers::{char_places, text_tier};

/// What a field holds, which decides how it is stored and matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An identifier: an employee number, an account id, a login, a goal's
    /// number. Found whole, by its start, or any part of it.
    Code,
    /// A phone number, found by its digits.
    Phone,
    /// An e-mail address: whole, by its start or a later part's.
    Email,
    /// A person's name: by its characters and by pinyin, the surname by
    /// the surname tables.
    Name,
    /// A department, title, goal or any other short text: by its
    /// characters and by pinyin.
    Text,
    /// Longer text found by its characters only (a log entry's details).
    Words,
}

impl Kind {
    fn shared(self) -> bool {
        matches!(self, Kind::Name | Kind::Text)
    }
}

/// A value shared by many items, stored once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Shared {
    as_name: bool,
    pub(super) values: Vec<Spoken>,
    /// Each item's value, by number.
    pub(super) of_item: Vec<u32>,
    lookup: HashMap<Box<str>, u32>,
}

impl Shared {
    fn value_of(&mut self, text: &str) -> u32 {
        if let Some(&number) = self.lookup.get(text) {
            return number;
        }
        let number = self.values.len() as u32;
        self.values.push(Spoken::new(text, self.as_name));
        self.lookup.insert(text.into(), number);
        number
    }
}

/// Each item's own values, folded, end to end.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Own {
    pub(super) kind: Option<Kind>,
    pub(super) text: String,
    /// Where each item's value ends in `text`.
    pub(super) ends: Vec<u32>,
}

impl Own {
    pub(super) fn start(&self, item: usize) -> usize {
        match item {
            0 => 0,
            _ => self.ends[item - 1] as usize,
        }
    }

    pub(super) fn get(&self, item: usize) -> &str {
        &self.text[self.start(item)..self.ends[item] as usize]
    }

    /// Appends `value` in the stored form (phones as digits).
    fn push_value(text: &mut String, kind: Kind, value: &str) {
        match kind {
            Kind::Phone => text.extend(value.chars().filter(char::is_ascii_digit)),
            _ => fold_case_into(text, value),
        }
    }

    /// What this column's values are searched for, if anything.
    pub(super) fn needle<'q>(&self, query: &'q Query) -> Option<&'q str> {
        match self.kind {
            Some(Kind::Phone) => query.digits.as_deref(),
            _ => Some(query.text.as_str()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Column {
    Shared(Shared),
    Own(Own),
}

/// The fields of every item of a list, in the list's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Index {
    kinds: Vec<Kind>,
    pub(super) columns: Vec<Column>,
    pub(super) len: usize,
}

impl Index {
    /// An empty index of items with these fields.
    pub fn new(kinds: &[Kind]) -> Self {
        let columns = kinds
            .iter()
            .map(|&kind| match kind.shared() {
                true => Column::Shared(Shared {
                    as_name: kind == Kind::Name,
                    ..Shared::default()
                }),
                false => Column::Own(Own {
                    kind: Some(kind),
                    ..Own::default()
                }),
            })
            .collect();
        Index {
            kinds: kinds.to_vec(),
            columns,
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The kind of each field.
    pub fn kinds(&self) -> &[Kind] {
        &self.kinds
    }

    /// Adds an item after the others: its fields in order (missing ones
    /// are empty).
    pub fn push<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) {
        let mut fields = fields.into_iter();
        for column in &mut self.columns {
            let value = fields.next().unwrap_or("");
            match column {
                Column::Shared(shared) => {
                    let number = shared.value_of(value);
                    shared.of_item.push(number);
                }
                Column::Own(own) => {
                    let kind = own.kind.unwrap_or(Kind::Code);
                    Own::push_value(&mut own.text, kind, value);
                    own.ends.push(own.text.len() as u32);
                }
            }
        }
        self.len += 1;
    }

    /// Gives back the room reserved for more items (once a large list is
    /// built: growing by doubling leaves up to half of it unused).
    pub fn shrink_to_fit(&mut self) {
        for column in &mut self.columns {
            match column {
                Column::Shared(shared) => {
                    shared.of_item.shrink_to_fit();
                    shared.values.shrink_to_fit();
                }
                Column::Own(own) => {
                    own.text.shrink_to_fit();
                    own.ends.shrink_to_fit();
                }
            }
        }
    }

    /// Takes out item `item` (later items move up one).
    pub fn remove(&mut self, item: usize) {
        for column in &mut self.columns {
            match column {
                Column::Shared(shared) => {
                    shared.of_item.remove(item);
                }
                Column::Own(own) => {
                    let (start, end) = (own.start(item), own.ends[item] as usize);
                    own.text.replace_range(start..end, "");
                    own.ends.remove(item);
                    let cut = (end - start) as u32;
                    own.ends[item..].iter_mut().for_each(|e| *e -= cut);
                }
            }
        }
        self.len -= 1;
    }

    /// Puts an item in at `item` (later items move down one).
    pub fn insert<'a>(&mut self, item: usize, fields: impl IntoIterator<Item = &'a str>) {
        let mut fields = fields.into_iter();
        for column in &mut self.columns {
            let value = fields.next().unwrap_or("");
            match column {
                Column::Shared(shared) => {
                    let number = shared.value_of(value);
                    shared.of_item.insert(item, number);
                }
                Column::Own(own) => {
                    let mut stored = String::new();
                    Own::push_value(&mut stored, own.kind.unwrap_or(Kind::Code), value);
                    let start = own.start(item);
                    own.text.insert_str(start, &stored);
                    let grow = stored.len() as u32;
                    own.ends[item..].iter_mut().for_each(|e| *e += grow);
                    own.ends.insert(item, start as u32 + grow);
                }
            }
        }
        self.len += 1;
    }

    /// Gives item `item` these fields instead of its own.
    pub fn replace<'a>(&mut self, item: usize, fields: impl IntoIterator<Item = &'a str>) {
        let mut fields = fields.into_iter();
        for column in &mut self.columns {
            let value = fields.next().unwrap_or("");
            match column {
                Column::Shared(shared) => {
                    let number = shared.value_of(value);
                    shared.of_item[item] = number;
                }
                Column::Own(own) => {
                    let mut stored = String::new();
                    Own::push_value(&mut stored, own.kind.unwrap_or(Kind::Code), value);
                    let (start, end) = (own.start(item), own.ends[item] as usize);
                    own.text.replace_range(start..end, &stored);
                    let (old, new) = ((end - start) as u32, stored.len() as u32);
                    if old != new {
                        own.ends[item..]
                            .iter_mut()
                            .for_each(|e| *e = *e - old + new);
                    }
                }
            }
        }
    }

    /// Puts the items of `more` after these.
    pub fn append(&mut self, more: Index) {
        for (column, theirs) in self.columns.iter_mut().zip(more.columns) {
            match (column, theirs) {
                (Column::Shared(shared), Column::Shared(theirs)) => {
                    let mut map = vec![0; theirs.values.len()];
                    for (text, &number) in &theirs.lookup {
                        map[number as usize] = shared.value_of(text);
                    }
                    shared
                        .of_item
                        .extend(theirs.of_item.iter().map(|&n| map[n as usize]));
                }
                (Column::Own(own), Column::Own(theirs)) => {
                    let shift = own.text.len() as u32;
                    own.text.push_str(&theirs.text);
                    own.ends.extend(theirs.ends.iter().map(|e| e + shift));
                }
                _ => {}
            }
        }
        self.len += more.len;
    }

    /// The characters of field `field` of item `item` that `query`
    /// matched (by place), with the tier; `None` when it did not match
    /// there. A query of several words lights each word where it is.
    pub fn places(&self, item: usize, field: usize, query: &Query) -> Option<(Rank, Vec<usize>)> {
        let whole = self.places_of(item, field, query);
        if whole.is_some() || query.words.is_empty() {
            return whole;
        }
        let mut found: Option<(Rank, Vec<usize>)> = None;
        for word in &query.words {
            if let Some((rank, places)) = self.places_of(item, field, word) {
                let all = found.get_or_insert((rank, Vec::new()));
                all.0 = all.0.max(rank);
                all.1.extend(places);
            }
        }
        found.map(|(rank, mut places)| {
            places.sort_unstable();
            places.dedup();
            (rank, places)
        })
    }

    fn places_of(&self, item: usize, field: usize, query: &Query) -> Option<(Rank, Vec<usize>)> {
        match self.columns.get(field)? {
            Column::Shared(shared) => {
                let value = &shared.values[*shared.of_item.get(item)? as usize];
                value.places(query)
            }
            Column::Own(own) => {
                let value = own.get(item);
                let needle = own.needle(query)?;
                match text_tier(value, needle, Rank::ExactCode) {
                    Some((rank, bytes)) => Some((rank, char_places(value, bytes))),
                    None if matches!(own.kind, Some(Kind::Code | Kind::Email)) => {
                        Some((Rank::Scattered, query.scatter.places(value)?))
                    }
                    None => None,
                }
            }
        }
    }

    /// The field of item `item` the query found best, with its tier.
    pub fn best_field(&self, item: usize, query: &Query) -> Option<(usize, Rank)> {
        (0..self.columns.len())
            .filter_map(|field| Some((field, self.places(item, field, query)?.0)))
            .min_by_key(|&(field, rank)| (rank, field))
    }

    /// The items whose field `field`, as stored, `keep` accepts.
    pub fn items_where(&self, field: usize, keep: impl Fn(&str) -> bool) -> Vec<usize> {
        (0..self.len)
            .filter(|&item| match self.columns.get(field) {
                Some(Column::Own(own)) => keep(own.get(item)),
                Some(Column::Shared(shared)) => {
                    keep(shared.values[shared.of_item[item] as usize].shown())
                }
                None => false,
            })
            .collect()
    }

    /// Every field of item `item` as stored (see [`value`](Self::value)),
    /// to put it into another index.
    pub fn fields(&self, item: usize) -> Vec<String> {
        (0..self.columns.len())
            .map(|field| self.value(item, field))
            .collect()
    }

    /// Field `field` of item `item` as stored (folded; a phone's digits).
    pub fn value(&self, item: usize, field: usize) -> String {
        match self.columns.get(field) {
            Some(Column::Shared(shared)) => shared
                .of_item
                .get(item)
                .map(|&n| shared.values[n as usize].shown().to_string())
                .unwrap_or_default(),
            Some(Column::Own(own)) if item < own.ends.len() => own.get(item).to_string(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERSON: &[Kind] = &[Kind::Code, Kind::Name, Kind::Text, Kind::Phone, Kind::Email];

    fn people() -> Index {
        let mut index = Index::new(PERSON);
        for row in [
            [
                "E000001",
                "周建国",
                "总经办",
                "13800000001",
                "zhou.jianguo@xinghe.cn",
            ],
            [
                "E000267",
                "张伟",
                "财务部",
                "13800000267",
                "zhang.wei@xinghe.cn",
            ],
            [
                "E000276",
                "王子涵",
                "财务部",
                "13900000276",
                "wang.zihan@xinghe.cn",
            ],
            [
                "E000300",
                "Emily Wang",
                "IT Support",
                "138-0000-0300",
                "emily@xinghe.cn",
            ],
        ] {
            index.push(row);
        }
        index
    }

    fn ranked(index: &Index, typed: &str) -> Vec<(usize, Rank)> {
        let mut ranks = Vec::new();
        index.rank(&Query::new(typed), None, &mut ranks);
        let mut found: Vec<(usize, Rank)> = ranks
            .iter()
            .enumerate()
            .filter_map(|(i, &r)| Some((i, Rank::from_code(r)?)))
            .collect();
        found.sort_by_key(|&(i, rank)| (rank, i));
        found
    }

    #[test]
    fn numbers_names_phones_and_addresses_rank_by_tier() {
        let index = people();
        assert_eq!(ranked(&index, "E000276")[0], (2, Rank::ExactCode));
        assert_eq!(ranked(&index, "e000276").len(), 1);
        assert_eq!(ranked(&index, "zhangwei")[0], (1, Rank::ExactName));
        assert_eq!(ranked(&index, "zw"), vec![(1, Rank::Initials)]);
        assert_eq!(ranked(&index, "1380000030")[0], (3, Rank::Prefix));
        assert_eq!(
            ranked(&index, "wang")[0],
            (2, Rank::Prefix),
            "王 by pinyin, then Emily Wang"
        );
        assert_eq!(ranked(&index, "wang")[1], (3, Rank::WordPrefix));
        assert_eq!(
            ranked(&index, "财务"),
            vec![(1, Rank::Prefix), (2, Rank::Prefix)]
        );
    }

    #[test]
    fn scattered_letters_only_when_nothing_else_is_found() {
        let index = people();
        assert_eq!(ranked(&index, "emsp"), vec![]);
        assert_eq!(
            ranked(&index, "itsup"),
            vec![(3, Rank::SyllableBegun)],
            "it + sup…"
        );
        assert_eq!(ranked(&index, "itpt"), vec![(3, Rank::Scattered)]);
        assert!(
            ranked(&index, "e27")
                .iter()
                .all(|&(_, r)| r == Rank::Scattered)
        );
    }

    #[test]
    fn words_may_be_found_in_different_fields() {
        let index = people();
        assert_eq!(ranked(&index, "财务 zhang"), vec![(1, Rank::Prefix)]);
        let found = index.places(1, 2, &Query::new("财务 zhang"));
        assert_eq!(found, Some((Rank::Prefix, vec![0, 1])));
    }

    #[test]
    fn changes_keep_the_index_in_step_with_the_items() {
        let mut index = people();
        index.remove(1);
        index.insert(0, ["E000999", "曾强", "销售部", "", ""]);
        assert_eq!(ranked(&index, "zengqiang"), vec![(0, Rank::ExactName)]);
        assert_eq!(ranked(&index, "E000276")[0], (2, Rank::ExactCode));
        assert_eq!(index.value(0, 1), "曾强");
        index.replace(1, ["E000500", "Anna Xu", "", "13812345678", "anna@x.cn"]);
        assert_eq!(ranked(&index, "anna")[0].0, 1);
        assert_eq!(ranked(&index, "E000276")[0], (2, Rank::ExactCode));
        assert_eq!(
            index.value(3, 4),
            "emily@xinghe.cn",
            "the later items keep their values"
        );
        let mut more = Index::new(PERSON);
        more.push(["E001000", "曾强", "", "", ""]);
        index.append(more);
        assert_eq!(
            ranked(&index, "zengqiang"),
            vec![(0, Rank::ExactName), (4, Rank::ExactName)]
        );
    }

    #[test]
    fn the_best_field_is_named() {
        let index = people();
        assert_eq!(
            index.best_field(3, &Query::new("138-0000-0300")),
            Some((3, Rank::ExactCode))
        );
        assert_eq!(index.value(3, 3), "13800000300");
    }
}
