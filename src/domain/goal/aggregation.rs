//! How a KPI's actuals over its period make the one figure its progress
//! is measured by: the latest value (a level, such as NPS or uptime), the
//! sum of its months (sales to date against the period's target) or their
//! average (a monthly rate, such as "100k a month" in a yearly cycle). For
//! a sum or an average each month keeps its latest value, and a month of
//! the period that has begun by the day the result is read, without a
//! value, is missing: the result waits for it.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Kpi, Period};
use crate::tr;

/// How a KPI's actuals add up over its period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Aggregation {
    /// The value of the latest day recorded.
    #[default]
    Latest,
    /// The months' values added up.
    Sum,
    /// The mean of the months' values.
    Average,
}

/// One month's value of a KPI that adds its months up.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthActual {
    /// The first day of the month.
    pub month: NaiveDate,
    /// The day of the value that counts for the month (its latest).
    pub date: NaiveDate,
    pub value: f64,
}

impl Aggregation {
    pub const ALL: [Aggregation; 3] = [Aggregation::Latest, Aggregation::Sum, Aggregation::Average];

    pub fn code(self) -> &'static str {
        match self {
            Aggregation::Latest => "latest",
            Aggregation::Sum => "sum",
            Aggregation::Average => "average",
        }
    }

    pub fn label(self) -> String {
        match self {
            Aggregation::Latest => tr!("goal.aggregation.latest"),
            Aggregation::Sum => tr!("goal.aggregation.sum"),
            Aggregation::Average => tr!("goal.aggregation.average"),
        }
    }

    /// Reads a code, either case.
    pub fn parse(text: &str) -> Option<Aggregation> {
        let text = text.trim();
        Aggregation::ALL
            .into_iter()
            .find(|a| a.code().eq_ignore_ascii_case(text))
    }

    /// Whether the KPI is measured month by month.
    pub fn by_month(self) -> bool {
        self != Aggregation::Latest
    }
}

impl fmt::Display for Aggregation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The first day of `date`'s month.
fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

impl Kpi {
    /// Takes in the value `value` of day `date`; `latest` is the latest day
    /// recorded before it. The actual becomes the latest value, or the
    /// months' sum or average.
    pub fn take_actual(&mut self, date: NaiveDate, value: f64, latest: Option<NaiveDate>) {
        if !self.aggregation.by_month() {
            if latest.is_none_or(|latest| date >= latest) {
                self.actual = Some(value);
            }
            return;
        }
        let month = month_of(date);
        match self.months.iter_mut().find(|m| m.month == month) {
            Some(known) if date >= known.date => {
                known.date = date;
                known.value = value;
            }
            Some(_) => {}
            None => {
                self.months.push(MonthActual { month, date, value });
                self.months.sort_by_key(|m| m.month);
            }
        }
        self.actual = self.aggregate();
    }

    /// Measures the KPI again from all its recorded values (oldest first),
    /// as after a change of its aggregation.
    pub fn remeasure(&mut self, values: impl IntoIterator<Item = (NaiveDate, f64)>) {
        self.actual = None;
        self.months.clear();
        let mut latest = None;
        for (date, value) in values {
            self.take_actual(date, value, latest);
            latest = latest.max(Some(date));
        }
    }

    /// The months' sum or average (none before the first month's value).
    fn aggregate(&self) -> Option<f64> {
        if self.months.is_empty() {
            return None;
        }
        let sum: f64 = self.months.iter().map(|m| m.value).sum();
        Some(match self.aggregation {
            Aggregation::Average => sum / self.months.len() as f64,
            _ => sum,
        })
    }

    /// The months of `period` begun by `through` that have no value, for a
    /// KPI measured month by month (none for one that reads its latest).
    pub fn missing_months(&self, period: Period, through: NaiveDate) -> Vec<NaiveDate> {
        if !self.aggregation.by_month() {
            return Vec::new();
        }
        months_without(period, through, |month| {
            self.months.iter().any(|m| m.month == month)
        })
    }
}

/// The months of `period` begun by `through` (their first days) for which
/// `has_value` says no.
pub fn months_without(
    period: Period,
    through: NaiveDate,
    has_value: impl Fn(NaiveDate) -> bool,
) -> Vec<NaiveDate> {
    let (first, last) = period.dates();
    let mut missing = Vec::new();
    let mut month = month_of(first);
    while month <= last && month <= through {
        if !has_value(month) {
            missing.push(month);
        }
        match month.checked_add_months(Months::new(1)) {
            Some(next) => month = next,
            None => break,
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::goal::Direction;
    use proptest::prelude::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn kpi(aggregation: Aggregation) -> Kpi {
        Kpi {
            metric: "sales".into(),
            unit: "CNY".into(),
            baseline: 0.0,
            target: 100_000.0,
            actual: None,
            direction: Direction::HigherIsBetter,
            aggregation,
            months: Vec::new(),
        }
    }

    #[test]
    fn latest_reads_the_latest_day_whatever_the_order_entered() {
        let mut k = kpi(Aggregation::Latest);
        k.take_actual(day(3, 1), 80.0, None);
        k.take_actual(day(1, 1), 20.0, Some(day(3, 1)));
        assert_eq!(
            k.actual,
            Some(80.0),
            "an older day does not replace a later one"
        );
        assert!(k.missing_months(Period::Year(2026), day(12, 31)).is_empty());
    }

    #[test]
    fn a_monthly_rate_averages_its_months_and_a_correction_replaces_its_month() {
        let mut k = kpi(Aggregation::Average);
        k.take_actual(day(1, 1), 90_000.0, None);
        k.take_actual(day(2, 1), 110_000.0, Some(day(1, 1)));
        assert_eq!(k.actual, Some(100_000.0));
        k.take_actual(day(2, 20), 130_000.0, Some(day(2, 1)));
        assert_eq!(k.actual, Some(110_000.0), "February's later value counts");
        k.take_actual(day(2, 5), 1.0, Some(day(2, 20)));
        assert_eq!(
            k.actual,
            Some(110_000.0),
            "an earlier day of February does not"
        );
        let mut sum = kpi(Aggregation::Sum);
        sum.remeasure([(day(1, 1), 90_000.0), (day(2, 1), 110_000.0)]);
        assert_eq!(sum.actual, Some(200_000.0));
    }

    #[test]
    fn months_begun_without_a_value_are_missing() {
        let mut k = kpi(Aggregation::Sum);
        k.remeasure([(day(1, 10), 1.0), (day(3, 1), 1.0)]);
        assert_eq!(
            k.missing_months(Period::Year(2026), day(4, 1)),
            vec![day(2, 1), day(4, 1)],
            "April has begun on its first day"
        );
        assert_eq!(
            k.missing_months(Period::Year(2026), day(3, 31)),
            vec![day(2, 1)]
        );
    }

    #[test]
    fn codes_read_back() {
        for a in Aggregation::ALL {
            assert_eq!(Aggregation::parse(&a.to_string().to_uppercase()), Some(a));
        }
        assert_eq!(Aggregation::parse("mean"), None);
    }

    proptest! {
        /// Remeasuring from the values in any order gives the months'
        /// latest values, and an average lies between their least and most.
        #[test]
        fn an_average_lies_within_its_months(values in proptest::collection::vec((1u32..=12, 1u32..=28, 0.0f64..1e6), 1..30)) {
            let mut k = kpi(Aggregation::Average);
            let mut latest = None;
            for &(m, d, v) in &values {
                k.take_actual(day(m, d), v, latest);
                latest = latest.max(Some(day(m, d)));
            }
            let least = k.months.iter().map(|m| m.value).fold(f64::INFINITY, f64::min);
            let most = k.months.iter().map(|m| m.value).fold(f64::NEG_INFINITY, f64::max);
            let actual = k.actual.unwrap();
            prop_assert!(least - 1e-6 <= actual && actual <= most + 1e-6);
            let months: std::collections::BTreeSet<u32> = values.iter().map(|v| v.0).collect();
            prop_assert_eq!(k.months.len(), months.len());
        }
    }
}
