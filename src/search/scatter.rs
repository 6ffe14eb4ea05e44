//! The last tier: the characters of a query in order, gaps allowed, within
//! one field as shown. Matched and lit by `nucleo-matcher` (the matcher of
//! the helix editor); this module is the only place that knows it.

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
                Normalization::Smart,
                AtomKind::Fuzzy,
                false,
            )
        });
        Pattern { atom }
    }

    /// Whether the characters occur in `text` in order.
    pub fn matches(&self, text: &str) -> bool {
        let Some(atom) = &self.atom else {
            return false;
        };
        SCRATCH.with_borrow_mut(|(matcher, buffer)| {
            atom.score(Utf32Str::new(text, buffer), matcher).is_some()
        })
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
        let sls = Pattern::new("sls");
        assert!(sls.matches("Sales East"));
        assert!(!sls.matches("HR"));
        assert_eq!(Pattern::new("xr").places("xinghe retail"), Some(vec![0, 7]));
        assert!(!Pattern::new("伟张").matches("张伟"));
        assert!(!Pattern::new("").matches("anything"));
    }
}
