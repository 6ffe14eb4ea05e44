//! One search engine for every list in the console: staff, goals, the
//! scoreboard, bindings, vendors, departments, operators, the audit log,
//! the palette and choice fields. A query is matched within each field,
//! never across fields, and every item found is ranked (see [`Rank`]);
//! names are found by their characters and by pinyin syllable by
//! syllable, with every reading a character may have.

mod fold;
mod index;
mod query;
mod rank;
mod ranking;
mod scatter;
mod spoken;
mod tiers;

pub use fold::{fold_case, fold_case_into};
pub use index::{Index, Kind};
pub use query::Query;
pub use rank::{NONE, Rank};
pub use spoken::Spoken;
