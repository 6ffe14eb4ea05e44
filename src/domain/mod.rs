//! Pure HR data types and rules. Knows nothing of redb or ratatui: everything
//! here is plain data and functions, tested with unit and property tests.

pub mod audit;
pub mod department;
pub mod operator;
