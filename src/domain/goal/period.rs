//! Goal periods: a year (`2026`), a half (`2026-H1`) or a quarter
//! (`2026-Q3`). A child goal's period must lie within its parent's.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::tr;

/// Earliest and latest year a period may have.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// A stretch of one year that goals are set for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Period {
    Year(i32),
    /// A half year: 1 or 2.
    Half(i32, u8),
    /// A quarter: 1 to 4.
    Quarter(i32, u8),
}

/// Why text is not a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodError(pub String);

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&tr!("goal.error.period", value = self.0))
    }
}

impl std::error::Error for PeriodError {}

impl Period {
    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Half(y, _) | Period::Quarter(y, _) => y,
        }
    }

    /// The months the period covers, first and last (1–12).
    fn months(self) -> (u32, u32) {
        match self {
            Period::Year(_) => (1, 12),
            Period::Half(_, h) => {
                let first = (u32::from(h) - 1) * 6 + 1;
                (first, first + 5)
            }
            Period::Quarter(_, q) => {
                let first = (u32::from(q) - 1) * 3 + 1;
                (first, first + 2)
            }
        }
    }

    /// Whether `other` lies within this period (a period contains itself).
    pub fn contains(self, other: Period) -> bool {
        let (first, last) = self.months();
        let (other_first, other_last) = other.months();
        self.year() == other.year() && first <= other_first && other_last <= last
    }

    /// Whether one of the two periods lies within the other: a goal of 2026
    /// counts in 2026-Q3, and one of 2026-Q3 counts in 2026.
    pub fn overlaps(self, other: Period) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// Whether `date` falls in the period.
    pub fn contains_date(self, date: NaiveDate) -> bool {
        let (first, last) = self.months();
        date.year() == self.year() && (first..=last).contains(&date.month())
    }

    /// The first and last day of the period.
    pub fn dates(self) -> (NaiveDate, NaiveDate) {
        let (first, last) = self.months();
        let start = NaiveDate::from_ymd_opt(self.year(), first, 1).unwrap_or_default();
        let next = if last == 12 {
            NaiveDate::from_ymd_opt(self.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year(), last + 1, 1)
        };
        let end = next.and_then(|d| d.pred_opt()).unwrap_or_default();
        (start, end)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}-H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// Reads `2026`, `2026-H1`, `2026-Q3` (case and spaces do not matter;
    /// `2026H1` and `2026 q3` are read too).
    fn from_str(text: &str) -> Result<Period, PeriodError> {
        let bad = || PeriodError(text.trim().to_string());
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        let (year, rest) = compact.split_at(compact.len().min(4));
        let year: i32 = year.parse().map_err(|_| bad())?;
        if year.to_string().len() != 4 || !YEARS.contains(&year) {
            return Err(bad());
        }
        let part = |prefix: char, max: u8| -> Option<u8> {
            let n: u8 = rest.strip_prefix(prefix)?.parse().ok()?;
            (1..=max).contains(&n).then_some(n)
        };
        if rest.is_empty() {
            Ok(Period::Year(year))
        } else if let Some(h) = part('H', 2) {
            Ok(Period::Half(year, h))
        } else if let Some(q) = part('Q', 4) {
            Ok(Period::Quarter(year, q))
        } else {
            Err(bad())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(text: &str) -> Period {
        text.parse().unwrap()
    }

    #[test]
    fn periods_read_in_their_written_forms() {
        assert_eq!(p("2026"), Period::Year(2026));
        assert_eq!(p("2026-H1"), Period::Half(2026, 1));
        assert_eq!(p(" 2026 q3 "), Period::Quarter(2026, 3));
        assert_eq!(p("2026h2"), Period::Half(2026, 2));
        for bad in [
            "", "26", "2026-H3", "2026-Q0", "2026-Q5", "2026-M1", "20266", "abcd",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn nesting_follows_the_calendar() {
        assert!(p("2026").contains(p("2026-H2")));
        assert!(p("2026-H1").contains(p("2026-Q2")));
        assert!(!p("2026-H1").contains(p("2026-Q3")));
        assert!(!p("2026-Q3").contains(p("2026-H2")));
        assert!(!p("2026").contains(p("2027-Q1")));
        assert_eq!(
            p("2026-Q1").dates(),
            (
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
            )
        );
        assert!(p("2026-H2").contains_date(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()));
    }

    fn any_period() -> impl Strategy<Value = Period> {
        (2000i32..2030, 0u8..3, 1u8..5).prop_map(|(y, kind, n)| match kind {
            0 => Period::Year(y),
            1 => Period::Half(y, (n - 1) % 2 + 1),
            _ => Period::Quarter(y, n),
        })
    }

    proptest! {
        #[test]
        fn display_reads_back(period in any_period()) {
            prop_assert_eq!(period.to_string().parse::<Period>(), Ok(period));
        }

        /// Containment agrees with the dates: a period contains another
        /// exactly when its days cover the other's.
        #[test]
        fn containment_matches_the_dates(a in any_period(), b in any_period()) {
            let (a0, a1) = a.dates();
            let (b0, b1) = b.dates();
            prop_assert_eq!(a.contains(b), a0 <= b0 && b1 <= a1);
        }
    }
}
