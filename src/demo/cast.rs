//! The people the demo's scoring story is about, found by their place in
//! the org chart (the same people every time): one whose results stay
//! below 60 two years running without a D (an improvement plan for two low
//! cycles), one who slips from an S in 2025 to a B in 2026 (an early
//! warning), and one whose sales figures are deliberately not in (not
//! graded: a missing actual). Each is the first (or last) active member
//! of their store who manages nobody.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use super::department_named;
use super::sales::to_tenth;
use crate::domain::employee::{Employee, EmployeeId, Status};
use crate::service::{OpError, Session};

/// The stores the 2025 cycle covered.
pub const LAST_YEAR_STORES: [&str; 2] = ["门店01 上海南京西路", "门店02 上海徐家汇"]; // data: store names

/// The store whose one person's figures are not in.
const UNMEASURED_STORE: &str = "门店10 合肥淮河路"; // data: a store's name

/// Who plays which part (none when the company is too small for it).
#[derive(Default)]
pub struct Cast {
    /// Results below 60 in 2025 and 2026, yet a C in 2026.
    pub steady_low: Option<EmployeeId>,
    /// An S in 2025 and a B in 2026.
    pub slipping: Option<EmployeeId>,
    /// No sales figure recorded in 2026.
    pub unmeasured: Option<EmployeeId>,
}

impl Cast {
    pub fn find(session: &Session) -> Result<Cast, OpError> {
        let directory = session.directory()?;
        let tree = session.department_tree()?;
        let managers: HashSet<EmployeeId> = directory
            .employees()
            .iter()
            .filter_map(|e| e.manager)
            .collect();
        let staff_of = |name: &str| -> Vec<&Employee> {
            let store = department_named(&tree, name);
            directory
                .employees()
                .iter()
                .filter(|e| Some(e.department) == store)
                .filter(|e| e.status == Status::Active && !managers.contains(&e.id))
                .collect()
        };
        let [first, second] = LAST_YEAR_STORES.map(|name| staff_of(name).first().map(|e| e.id));
        Ok(Cast {
            steady_low: first,
            slipping: second,
            unmeasured: staff_of(UNMEASURED_STORE).last().map(|e| e.id),
        })
    }

    /// The sales growth `person` reports for the month of `date`, when
    /// their part sets it: 6.4 % in 2025 and 8.3–8.9 % a month in 2026 for
    /// the one below 60 (results 43, then 55–59 against 15 %), 15.6 % then
    /// 10.6–11.2 % for the one who slips (100, then 71–75).
    pub fn growth(&self, person: EmployeeId, date: NaiveDate) -> Option<f64> {
        let month = f64::from(date.month());
        let last_year = date.year() < 2026;
        if self.steady_low == Some(person) {
            Some(if last_year {
                6.4
            } else {
                to_tenth(8.3 + month % 4.0 * 0.2)
            })
        } else if self.slipping == Some(person) {
            Some(if last_year {
                15.6
            } else {
                to_tenth(10.6 + month % 3.0 * 0.3)
            })
        } else {
            None
        }
    }

    /// The marks (one per competency, in the cycle's order) `person`'s
    /// part gives them in `year`: a steady 3 then 4 for the one below 60
    /// (capability 50, then 75, so results of 55 still make a C), 5, 4, 5
    /// then 4s for the one who slips.
    pub fn marks(&self, person: EmployeeId, year: i32) -> Option<[u8; 3]> {
        let last_year = year < 2026;
        if self.steady_low == Some(person) {
            Some(if last_year { [3, 3, 3] } else { [4, 4, 4] })
        } else if self.slipping == Some(person) {
            Some(if last_year { [5, 4, 5] } else { [4, 4, 4] })
        } else {
            None
        }
    }
}
