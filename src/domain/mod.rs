//! Pure HR data types and rules. Knows nothing of redb or ratatui: everything
//! here is plain data and functions, tested with unit and property tests.

pub mod audit;
pub mod binding;
pub mod chain;
pub mod change;
pub mod cleanup;
pub mod department;
pub mod directory;
pub mod employee;
#[cfg(test)]
pub mod fixtures;
pub mod goal;
pub mod operator;
pub mod pinyin;
pub mod references;
pub mod roster;
pub mod schedule;
pub mod scoring;
pub mod sounds;
pub mod timeline;
pub mod vendor;
