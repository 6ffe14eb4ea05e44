//! Where the letters of the last tier are: the characters of a query in
//! order, gaps allowed, within one field as shown, placed by
//! `nucleo-matcher` (the matcher of the helix editor) where they fit best,
//! to be lit. Whether they occur at all is decided by `Query::scattered_in`
//! (the same rule: in order, case folded, nothing normalized), fast enough
//! for a million items. This module is the only place that knows the crate.

use std::cell::RefCell;

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// A query prepared for scattered matching.
#[derive(Clone, Debug)]
pub struct Pattern {
    atom: Option<Atom>,
}

thread_local! {
    /// The matcher's scratch space, kept per thread between items.
    static SCRATCH: RefCell<(Matcher, Vec<char>)> =
        RefCell::new((Matcher::new(Config::DEFAULT), Vec::new()));
}

impl Pattern {
    /// The pattern of `compact` (the query without spaces).
    pub fn new(compact: &str) -> Self {
        let atom = (!compact.is_empty()).then(|| {
            Atom::new(
                compact,
                CaseMatching::Ignore,
                Normalization::Never,
                AtomKind::Fuzzy,
                false,
            )
        });
        Pattern { atom }
    }

    /// The places (in characters) of the characters matched in `text`,
    /// rising; `None` when they do not all occur in order.
    pub fn places(&self, text: &str) -> Option<Vec<usize>> {
        let atom = self.atom.as_ref()?;
        SCRATCH.with_borrow_mut(|(matcher, buffer)| {
            let mut places = Vec::new();
            atom.indices(Utf32Str::new(text, buffer), matcher, &mut places)?;
            places.sort_unstable();
            places.dedup();
            Some(places.into_iter().map(|i| i as usize).collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_in_order_with_gaps() {
        assert_eq!(Pattern::new("xr").places("xinghe retail"), Some(vec![0, 7]));
        assert_eq!(
            Pattern::new("sls").places("Sales East").map(|p| p.len()),
            Some(3)
        );
        assert_eq!(Pattern::new("伟张").places("张伟"), None);
        assert_eq!(Pattern::new("").places("anything"), None);
    }
}
