//! Goals: company → department → personal goals, each a KPI (a metric with
//! baseline, target and actual) or an OKR objective whose children are its
//! key results; weights among siblings; a period; a status. Progress and
//! its roll-up are in `progress.rs`, the tree in `tree.rs`.

pub mod aggregation;
pub mod check;
pub mod edit;
pub mod outline;
pub mod period;
pub mod progress;
pub mod rules;
pub mod tree;

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::department::DepartmentId;
use super::employee::EmployeeId;
use crate::text::ShortText;
use crate::tr;
pub use aggregation::{Aggregation, MonthActual};
pub use period::{Period, PeriodError};

/// Identifies a goal; ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GoalId(pub u64);

impl GoalId {
    /// Reads `G12` or `12`.
    pub fn parse(text: &str) -> Option<GoalId> {
        let text = text.trim();
        let digits = text.strip_prefix(['G', 'g']).unwrap_or(text);
        digits.parse().ok().map(GoalId)
    }
}

impl fmt::Display for GoalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "G{}", self.0)
    }
}

/// Whose goal it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Owner {
    Company,
    Department(DepartmentId),
    Employee(EmployeeId),
}

/// Where a goal is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GoalStatus {
    Draft,
    Active,
    Completed,
    Closed,
    Archived,
}

impl GoalStatus {
    pub const ALL: [GoalStatus; 5] = [
        GoalStatus::Draft,
        GoalStatus::Active,
        GoalStatus::Completed,
        GoalStatus::Closed,
        GoalStatus::Archived,
    ];

    pub fn code(self) -> &'static str {
        match self {
            GoalStatus::Draft => "draft",
            GoalStatus::Active => "active",
            GoalStatus::Completed => "completed",
            GoalStatus::Closed => "closed",
            GoalStatus::Archived => "archived",
        }
    }

    pub fn label(self) -> String {
        match self {
            GoalStatus::Draft => tr!("goal.status.draft"),
            GoalStatus::Active => tr!("goal.status.active"),
            GoalStatus::Completed => tr!("goal.status.completed"),
            GoalStatus::Closed => tr!("goal.status.closed"),
            GoalStatus::Archived => tr!("goal.status.archived"),
        }
    }

    /// Still being worked on (draft or active).
    pub fn is_open(self) -> bool {
        matches!(self, GoalStatus::Draft | GoalStatus::Active)
    }
}

/// Which way a metric improves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

/// A measurable goal: reaching `target` from `baseline`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    /// What is measured and its unit: short, kept inline.
    pub metric: ShortText,
    pub unit: ShortText,
    pub baseline: f64,
    pub target: f64,
    /// The figure progress is measured by: the latest value recorded, or
    /// the months' sum or average (see [`Aggregation`]); none before any.
    pub actual: Option<f64>,
    pub direction: Direction,
    /// How the actuals over the period add up.
    pub aggregation: Aggregation,
    /// Each month's latest value, for a KPI measured month by month.
    pub months: Vec<MonthActual>,
}

/// What a goal measures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Measure {
    Kpi(Kpi),
    /// An OKR objective: its children are its key results.
    Objective,
}

/// A weight among siblings in hundredths of a percent (`100.00` is 10000),
/// so that sums compare exactly at two decimals.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Weight(pub u32);

impl Weight {
    /// The whole: siblings' weights must add up to this.
    pub const FULL: Weight = Weight(10_000);

    /// Reads `40`, `33.33`, `12.5%`; at most two decimals, 0 to 100.
    pub fn parse(text: &str) -> Option<Weight> {
        let text = text.trim().trim_end_matches('%').trim();
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() || fraction.len() > 2 {
            return None;
        }
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !digits(fraction) {
            return None;
        }
        let whole: u32 = whole.parse().ok()?;
        let fraction: u32 = format!("{fraction:0<2}").parse().ok()?;
        let weight = whole.checked_mul(100)?.checked_add(fraction)?;
        (weight <= Weight::FULL.0).then_some(Weight(weight))
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 % 100 {
            0 => write!(f, "{}", self.0 / 100),
            rest => write!(f, "{}.{rest:02}", self.0 / 100),
        }
    }
}

/// A goal as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: GoalId,
    /// Shared by the goals with the same title once read into a tree (a
    /// cascade gives a whole team one title).
    pub title: Arc<str>,
    pub owner: Owner,
    pub period: Period,
    /// None for a company goal at the top.
    pub parent: Option<GoalId>,
    pub weight: Weight,
    pub status: GoalStatus,
    pub measure: Measure,
    /// The most progress counts for, in percent (100; 120 for stretch goals).
    pub cap_percent: u16,
}

/// One recorded actual value of a KPI goal (every update is kept).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActualEntry {
    pub goal: GoalId,
    /// The day the value is for.
    pub date: NaiveDate,
    pub value: f64,
    pub operator: String,
    /// Where it came from: `console`, or the file an import read.
    pub source: String,
    pub recorded_at: DateTime<Utc>,
}

/// A change of a goal's weight among its siblings (weights are revised
/// each half year; the history is kept).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightChange {
    pub goal: GoalId,
    pub effective: NaiveDate,
    pub old: Weight,
    pub new: Weight,
    pub operator: String,
    pub recorded_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn weights_read_with_up_to_two_decimals() {
        assert_eq!(Weight::parse("40"), Some(Weight(4000)));
        assert_eq!(Weight::parse("33.33"), Some(Weight(3333)));
        assert_eq!(Weight::parse(" 12.5% "), Some(Weight(1250)));
        assert_eq!(Weight::parse("100"), Some(Weight::FULL));
        for bad in ["", "100.01", "1.234", "-5", "abc", ".5", "1e2"] {
            assert_eq!(Weight::parse(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn weights_display_and_read_back(w in 0u32..=10_000) {
            prop_assert_eq!(Weight::parse(&Weight(w).to_string()), Some(Weight(w)));
        }
    }
}
