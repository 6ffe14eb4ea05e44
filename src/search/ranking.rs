//! Ranking every item of an index for a query, on every core: the items are
//! cut into one share per core (a run of them, or some of them when a
//! query narrows what the last one found), each share ranked on its own
//! thread into its own part of the table of tiers. Within a share, a value
//! many items hold is tried once, and each item's own values are scanned
//! end to end with `memchr`.

use std::ops::Range;
use std::sync::OnceLock;

use memchr::memmem;

use super::index::{Column, Index, Kind, Own};
use super::query::Query;
use super::rank::{NONE, Rank, better};
use super::spoken::Spoken;
use super::tiers::{begins_word, text_tier};

/// Fewer items than this are ranked on one thread (starting threads costs
/// more than it saves).
const SHARED_WORK_FROM: usize = 50_000;

/// Items narrowed to fewer than this share of a run are looked at one by
/// one; more, and their values are scanned end to end.
const ONE_BY_ONE_BELOW: usize = 8;

/// A memo slot not yet filled (distinct from every tier and [`NONE`]).
const UNSEEN: u8 = NONE - 1;

/// The items one thread ranks: a run of them, or some of them, rising.
#[derive(Clone, Copy, Debug)]
enum Share<'a> {
    Run(usize, usize),
    Some(&'a [u32]),
}

impl Share<'_> {
    fn each(self, mut visit: impl FnMut(usize)) {
        match self {
            Share::Run(start, end) => (start..end).for_each(visit),
            Share::Some(items) => items.iter().for_each(|&i| visit(i as usize)),
        }
    }

    fn any(self, mut test: impl FnMut(usize) -> bool) -> bool {
        match self {
            Share::Run(start, end) => (start..end).any(test),
            Share::Some(items) => items.iter().any(|&i| test(i as usize)),
        }
    }

    /// The run of items from the first to the last.
    fn span(self) -> Range<usize> {
        match self {
            Share::Run(start, end) => start..end,
            Share::Some([]) => 0..0,
            Share::Some(items) => items[0] as usize..items[items.len() - 1] as usize + 1,
        }
    }

    fn len(self) -> usize {
        match self {
            Share::Run(start, end) => end - start,
            Share::Some(items) => items.len(),
        }
    }
}

/// How many threads the machine runs at once.
fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The tiers of one share's items, `base` being the item its first slot is for.
struct Ranks<'r> {
    slots: &'r mut [u8],
    base: usize,
}

impl Ranks<'_> {
    fn get(&self, item: usize) -> u8 {
        self.slots[item - self.base]
    }

    fn improve(&mut self, item: usize, rank: u8) {
        let slot = &mut self.slots[item - self.base];
        *slot = better(*slot, rank);
    }

    fn set(&mut self, item: usize, rank: u8) {
        self.slots[item - self.base] = rank;
    }
}

impl Index {
    /// Ranks the items `among` (every item when `None`; else rising) for
    /// `query`: `ranks[item]` becomes the best tier's code, or [`NONE`]
    /// (items outside `among` may be ranked too, or not). Letters
    /// scattered through a field count only when no item is found
    /// otherwise. Returns whether any item was found otherwise.
    pub fn rank(&self, query: &Query, among: Option<&[u32]>, ranks: &mut Vec<u8>) -> bool {
        ranks.clear();
        ranks.resize(self.len, NONE);
        let found = self.on_every_core(among, ranks, |share, ranks| {
            self.rank_whole(query, share, ranks);
            if !query.words.is_empty() {
                self.rank_words(query, share, ranks);
            }
            share.any(|i| ranks.get(i) != NONE)
        });
        if !found {
            self.on_every_core(among, ranks, |share, ranks| {
                self.rank_scattered(query, share, ranks);
                false
            });
        }
        found
    }

    /// Runs `work` on one share of the items per core (or on all of them
    /// at once when they are few); whether any share's work said yes.
    fn on_every_core(
        &self,
        among: Option<&[u32]>,
        ranks: &mut [u8],
        work: impl Fn(Share, &mut Ranks) -> bool + Sync,
    ) -> bool {
        let all = match among {
            Some(items) => Share::Some(items),
            None => Share::Run(0, self.len),
        };
        if all.len() < SHARED_WORK_FROM || cores() < 2 {
            return work(
                all,
                &mut Ranks {
                    slots: ranks,
                    base: 0,
                },
            );
        }
        let (first, second, cut) = match all {
            Share::Run(start, end) => {
                let cut = start + (end - start) / 2;
                (Share::Run(start, cut), Share::Run(cut, end), cut)
            }
            Share::Some(items) => {
                let (a, b) = items.split_at(items.len() / 2);
                (Share::Some(a), Share::Some(b), b[0] as usize)
            }
        };
        let (low, high) = ranks.split_at_mut(cut);
        let (later, sooner) = crate::cores::both(
            || {
                work(
                    second,
                    &mut Ranks {
                        slots: high,
                        base: cut,
                    },
                )
            },
            || {
                work(
                    first,
                    &mut Ranks {
                        slots: low,
                        base: 0,
                    },
                )
            },
        );
        sooner | later
    }

    /// The whole query in each field.
    fn rank_whole(&self, query: &Query, share: Share, ranks: &mut Ranks) {
        for column in &self.columns {
            match column {
                Column::Shared(shared) => {
                    let rank_of = |value: &Spoken| value.rank(query).map_or(NONE, Rank::code);
                    if share.len() < shared.values.len() {
                        // Fewer items than values: each value tried when met.
                        let mut memo = vec![UNSEEN; shared.values.len()];
                        share.each(|i| {
                            let number = shared.of_item[i] as usize;
                            if memo[number] == UNSEEN {
                                memo[number] = rank_of(&shared.values[number]);
                            }
                            ranks.improve(i, memo[number]);
                        });
                        continue;
                    }
                    let tiers: Vec<u8> = shared.values.iter().map(rank_of).collect();
                    if tiers.iter().all(|&tier| tier == NONE) {
                        continue;
                    }
                    match share {
                        Share::Run(start, end) => {
                            let slots = &mut ranks.slots[start - ranks.base..end - ranks.base];
                            for (slot, &number) in slots.iter_mut().zip(&shared.of_item[start..end])
                            {
                                *slot = better(*slot, tiers[number as usize]);
                            }
                        }
                        Share::Some(_) => {
                            share.each(|i| ranks.improve(i, tiers[shared.of_item[i] as usize]))
                        }
                    }
                }
                Column::Own(own) => {
                    let Some(needle) = own.needle(query) else {
                        continue;
                    };
                    let span = share.span();
                    match share {
                        Share::Some(items) if items.len() * ONE_BY_ONE_BELOW < span.len() => {
                            for &i in items {
                                let i = i as usize;
                                if let Some((rank, _)) =
                                    text_tier(own.get(i), needle, Rank::ExactCode)
                                {
                                    ranks.improve(i, rank.code());
                                }
                            }
                        }
                        _ => scan_own(own, needle, span, ranks),
                    }
                }
            }
        }
    }

    /// Each word of the query in a field of its own, for the items the
    /// whole query did not find: found at the tier of the worst word.
    fn rank_words(&self, query: &Query, share: Share, ranks: &mut Ranks) {
        let mut worst: Vec<u8> = vec![0; ranks.slots.len()];
        let mut word_slots = vec![NONE; ranks.slots.len()];
        for word in &query.words {
            word_slots.fill(NONE);
            let mut word_ranks = Ranks {
                slots: &mut word_slots,
                base: ranks.base,
            };
            self.rank_whole(word, share, &mut word_ranks);
            share.each(|i| {
                let slot = &mut worst[i - ranks.base];
                *slot = (*slot).max(word_ranks.get(i));
            });
        }
        share.each(|i| {
            if ranks.get(i) == NONE {
                ranks.set(i, worst[i - ranks.base]);
            }
        });
    }

    /// The query's characters in order with gaps, in a name, a text, an
    /// identifier or an address.
    fn rank_scattered(&self, query: &Query, share: Share, ranks: &mut Ranks) {
        let scattered = Rank::Scattered.code();
        for column in &self.columns {
            match column {
                Column::Shared(shared) => {
                    let mut memo = vec![UNSEEN; shared.values.len()];
                    share.each(|i| {
                        let number = shared.of_item[i] as usize;
                        if memo[number] == UNSEEN {
                            memo[number] = u8::from(shared.values[number].scattered(query));
                        }
                        if memo[number] == 1 {
                            ranks.improve(i, scattered);
                        }
                    });
                }
                Column::Own(own) if matches!(own.kind, Some(Kind::Code | Kind::Email)) => {
                    share.each(|i| {
                        if query.scattered_in(own.get(i)) {
                            ranks.improve(i, scattered);
                        }
                    });
                }
                Column::Own(_) => {}
            }
        }
    }
}

/// Ranks every item of `items` whose value holds `needle`, in one pass
/// over their values end to end: each place found is put to the item it
/// falls in, and once an item is found at its start (the best place) the
/// search goes on from the next item.
fn scan_own(own: &Own, needle: &str, items: Range<usize>, ranks: &mut Ranks) {
    if needle.is_empty() || items.is_empty() {
        return;
    }
    let finder = memmem::Finder::new(needle.as_bytes());
    let text = own.text.as_bytes();
    let to = own.ends[items.end - 1] as usize;
    let (mut at, mut item) = (own.start(items.start), items.start);
    while let Some(found) = finder.find(&text[at..to]) {
        let place = at + found;
        while own.ends[item] as usize <= place {
            item += 1;
        }
        let (start, end) = (own.start(item), own.ends[item] as usize);
        at = place + 1;
        if place + needle.len() > end {
            continue;
        }
        let rank = if place == start {
            at = end;
            match end - start == needle.len() {
                true => Rank::ExactCode,
                false => Rank::Prefix,
            }
        } else if begins_word(&own.text[start..end], place - start) {
            at = end;
            Rank::WordPrefix
        } else {
            Rank::Substring
        };
        ranks.improve(item, rank.code());
        if at >= to {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const FIELDS: &[Kind] = &[Kind::Code, Kind::Name, Kind::Phone];

    /// One index large enough to be cut in shares, made once.
    fn large() -> &'static Index {
        static LARGE: OnceLock<Index> = OnceLock::new();
        LARGE.get_or_init(|| index(SHARED_WORK_FROM * 2 + 7))
    }

    fn index(rows: usize) -> Index {
        let names = ["张伟", "王小明", "曾强", "Emily Wang", "李长江"];
        let mut index = Index::new(FIELDS);
        for i in 0..rows {
            let number = format!("E{i:06}");
            let phone = format!("138{:08}", i * 7919 % 100_000_000);
            index.push([number.as_str(), names[i % names.len()], &phone]);
        }
        index
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// On every core or on one, the same tiers.
        #[test]
        fn shares_rank_as_one_pass_does(typed in "[zwxmE0-9 ]{1,5}", narrowed in any::<bool>()) {
            let index = large();
            let query = Query::new(&typed);
            let among: Option<Vec<u32>> =
                narrowed.then(|| (0..index.len() as u32).filter(|i| i % 3 != 0).collect());
            let mut together = Vec::new();
            index.rank(&query, among.as_deref(), &mut together);
            let mut alone = vec![NONE; index.len()];
            let share = match &among {
                Some(items) => Share::Some(items),
                None => Share::Run(0, index.len()),
            };
            let mut ranks = Ranks { slots: &mut alone, base: 0 };
            index.rank_whole(&query, share, &mut ranks);
            if !query.words.is_empty() {
                index.rank_words(&query, share, &mut ranks);
            }
            if !share.any(|i| ranks.get(i) != NONE) {
                index.rank_scattered(&query, share, &mut ranks);
            }
            let wanted = |ranks: &[u8]| -> Vec<u8> {
                match &among {
                    Some(items) => items.iter().map(|&i| ranks[i as usize]).collect(),
                    None => ranks.to_vec(),
                }
            };
            prop_assert_eq!(wanted(&together), wanted(&alone));
        }
    }
}
