//! The demo stores' sales growth year on year, in percent, as each person
//! reports it for their counter: the store's base for the year, the
//! counter's offset (a person's own, the same every year) and the month's
//! noise. Each part is drawn from the ids and the date (not from a running
//! sequence), so a figure stays the same whoever else is in the company.

use chrono::{Datelike, NaiveDate};

use super::dice::scramble;
use crate::domain::department::DepartmentId;
use crate::domain::employee::EmployeeId;

/// Where the draws start.
const SEED: u64 = 0x5341_4C45_5347_524F;

/// A draw below `below` (in tenths) for `key`, `part` of the figure.
fn tenths(key: u64, part: u64, below: u64) -> f64 {
    (scramble(SEED ^ scramble(key ^ scramble(part))) % below) as f64 / 10.0
}

/// `person`'s reported growth in `store` for the month of `date`: the
/// store's base for the year, 10.5–13.4 %, the counter's offset and the
/// month's ±1, to a tenth.
pub fn growth(store: DepartmentId, person: EmployeeId, date: NaiveDate) -> f64 {
    let year = u64::from(date.year().unsigned_abs());
    let base = 10.5 + tenths(store.0, year, 30);
    let month = tenths(person.0, (year << 8) | u64::from(date.month()), 20) - 1.0;
    to_tenth(base + counter(person) + month)
}

/// A counter's offset, the same every year: within ±1 for most, but one
/// in ten well ahead (+3 to +5) and one in ten well behind (−5 to −6), as
/// a shop floor has its stars and its strugglers.
fn counter(person: EmployeeId) -> f64 {
    match tenths(person.0, 0, 1000) {
        rank if rank < 10.0 => -5.0 - rank / 10.0,
        rank if rank >= 90.0 => 3.0 + (rank - 90.0) / 5.0,
        rank => (rank - 50.0) / 40.0,
    }
}

/// `value` rounded to a tenth, as a figure is reported.
pub fn to_tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}
