//! What the rules read of a goal, whether from a whole [`Goal`] or from
//! less of it: where it hangs (its links, owner, period, weight and
//! status: [`Placed`], kept in a [`GoalOutline`]), and what its progress
//! and a person's achievement read of its measure ([`Measured`], kept in
//! [`GoalFigures`]). A check of a million goals holds a few dozen bytes of
//! each, and a board's achievements a few more, not every KPI's months.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::aggregation::months_without;
use super::progress::kpi_progress;
use super::{Goal, GoalId, GoalStatus, Kpi, Measure, Owner, Period, Weight};
use crate::text::SharedTexts;

/// A goal as its place in the tree sees it.
pub trait Placed {
    fn id(&self) -> GoalId;
    fn parent(&self) -> Option<GoalId>;
    fn title(&self) -> &str;
    fn owner(&self) -> Owner;
    fn period(&self) -> Period;
    fn weight(&self) -> Weight;
    fn status(&self) -> GoalStatus;
}

/// A goal without its measure (its leading fields as stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalOutline {
    pub id: GoalId,
    /// Shared by the outlines with the same title.
    pub title: Arc<str>,
    pub owner: Owner,
    pub period: Period,
    pub parent: Option<GoalId>,
    pub weight: Weight,
    pub status: GoalStatus,
}

/// Implements [`Placed`] by the fields every kind of goal has; the title
/// of a kind that keeps none (`untitled`) reads as empty.
macro_rules! placed_by_fields {
    (@title $goal:ident titled) => { &$goal.title };
    (@title $goal:ident untitled) => { "" };
    ($($kind:ty: $titled:ident),*) => {$(
        impl Placed for $kind {
            fn id(&self) -> GoalId {
                self.id
            }
            fn parent(&self) -> Option<GoalId> {
                self.parent
            }
            fn title(&self) -> &str {
                placed_by_fields!(@title self $titled)
            }
            fn owner(&self) -> Owner {
                self.owner
            }
            fn period(&self) -> Period {
                self.period
            }
            fn weight(&self) -> Weight {
                self.weight
            }
            fn status(&self) -> GoalStatus {
                self.status
            }
        }
    )*};
}

placed_by_fields!(
    Goal: titled,
    GoalOutline: titled,
    GoalFigures: titled,
    GoalProgress: untitled
);

/// What the roll-up and a person's achievement read of a goal's measure.
pub trait Measured: Placed {
    /// The most progress counts for, in percent.
    fn cap_percent(&self) -> u16;
    /// Its progress from its own measure (what it counts for without
    /// sub-goals), between 0 and its cap.
    fn own_progress(&self) -> f64;
    /// What its own measure lacks by `through`: `None` when it has no
    /// actual at all, else the months begun without a value (none for a
    /// KPI that reads its latest value).
    fn unmeasured(&self, through: NaiveDate) -> Option<Vec<NaiveDate>>;
}

impl Measured for Goal {
    fn cap_percent(&self) -> u16 {
        self.cap_percent
    }

    fn own_progress(&self) -> f64 {
        match &self.measure {
            Measure::Kpi(kpi) => kpi_progress(kpi, f64::from(self.cap_percent) / 100.0),
            Measure::Objective => 0.0,
        }
    }

    fn unmeasured(&self, through: NaiveDate) -> Option<Vec<NaiveDate>> {
        match &self.measure {
            Measure::Kpi(kpi) if kpi.actual.is_some() => {
                Some(kpi.missing_months(self.period, through))
            }
            _ => None,
        }
    }
}

/// A goal's outline with what its measure says (its progress, a KPI's
/// target and actual, which months have values), the measure itself let
/// go: what a tree of a million goals shows and rolls up. It reads as its
/// outline (`figures.owner`).
#[derive(Clone, Debug, PartialEq)]
pub struct GoalFigures {
    pub outline: GoalOutline,
    pub cap_percent: u16,
    pub own_progress: f64,
    /// A KPI's figures; none for an objective.
    pub kpi: Option<KpiFigures>,
}

/// What a KPI's measure says, without its months.
#[derive(Clone, Debug, PartialEq)]
pub struct KpiFigures {
    pub target: f64,
    pub actual: Option<f64>,
    /// Shared with the goals of the same unit.
    pub unit: Arc<str>,
    /// For a KPI measured month by month, the months of its period with a
    /// value: bit `n` for the `n`th month from the period's first.
    pub months_with_values: Option<u16>,
}

/// For a KPI measured month by month, the months of `goal`'s period with
/// a value: bit `n` for the `n`th month from the period's first.
fn months_with_values(goal: &Goal, kpi: &Kpi) -> Option<u16> {
    kpi.aggregation.by_month().then(|| {
        kpi.months
            .iter()
            .filter_map(|m| month_number(goal.period, m.month))
            .fold(0u16, |bits, n| bits | 1 << n)
    })
}

impl GoalFigures {
    /// The figures of `goal`, its title and unit shared through `texts`.
    pub fn of(goal: &Goal, texts: &mut SharedTexts) -> GoalFigures {
        let kpi = match &goal.measure {
            Measure::Kpi(kpi) => Some(KpiFigures {
                target: kpi.target,
                actual: kpi.actual,
                unit: texts.share(&kpi.unit),
                months_with_values: months_with_values(goal, kpi),
            }),
            Measure::Objective => None,
        };
        GoalFigures {
            outline: GoalOutline {
                id: goal.id,
                title: texts.share(&goal.title),
                owner: goal.owner,
                period: goal.period,
                parent: goal.parent,
                weight: goal.weight,
                status: goal.status,
            },
            cap_percent: goal.cap_percent,
            own_progress: goal.own_progress(),
            kpi,
        }
    }
}

impl std::ops::Deref for GoalFigures {
    type Target = GoalOutline;

    fn deref(&self) -> &GoalOutline {
        &self.outline
    }
}

/// Which month of `period` `month` is, counting from 0, if it lies in it.
fn month_number(period: Period, month: NaiveDate) -> Option<u32> {
    let (first, last) = period.dates();
    let count = |date: NaiveDate| date.year() * 12 + date.month0() as i32;
    let number = count(month) - count(first);
    (month >= first && month <= last && number < 16).then_some(number as u32)
}

impl Measured for GoalFigures {
    fn cap_percent(&self) -> u16 {
        self.cap_percent
    }

    fn own_progress(&self) -> f64 {
        self.own_progress
    }

    fn unmeasured(&self, through: NaiveDate) -> Option<Vec<NaiveDate>> {
        let kpi = self.kpi.as_ref().filter(|kpi| kpi.actual.is_some())?;
        Some(unmeasured_months(
            kpi.months_with_values,
            self.outline.period,
            through,
        ))
    }
}

/// The months begun by `through` without a value of a KPI that has an
/// actual, from its `months_with_values` (none for one that reads its
/// latest value).
fn unmeasured_months(
    months_with_values: Option<u16>,
    period: Period,
    through: NaiveDate,
) -> Vec<NaiveDate> {
    let Some(bits) = months_with_values else {
        return Vec::new();
    };
    months_without(period, through, |month| {
        month_number(period, month).is_some_and(|n| bits & (1 << n) != 0)
    })
}

/// What a goal's roll-up and a person's achievement read of it, in half
/// the room of its [`GoalFigures`]: where it hangs, its progress, and
/// whether (and in which months) its measure has values; not its title,
/// which reads as empty, nor a KPI's target and unit. An export of a
/// million goals orders and rolls them up so.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalProgress {
    pub id: GoalId,
    pub parent: Option<GoalId>,
    pub owner: Owner,
    pub period: Period,
    pub weight: Weight,
    pub status: GoalStatus,
    pub cap_percent: u16,
    /// A KPI with an actual: the months with a value when it is measured
    /// month by month (see [`KpiFigures::months_with_values`]); none for
    /// an objective or a KPI without an actual.
    measured: Option<Option<u16>>,
    pub own_progress: f64,
}

impl GoalProgress {
    /// What the roll-up and achievement read of `goal`.
    pub fn of(goal: &Goal) -> GoalProgress {
        let measured = match &goal.measure {
            Measure::Kpi(kpi) if kpi.actual.is_some() => Some(months_with_values(goal, kpi)),
            _ => None,
        };
        GoalProgress {
            id: goal.id,
            parent: goal.parent,
            owner: goal.owner,
            period: goal.period,
            weight: goal.weight,
            status: goal.status,
            cap_percent: goal.cap_percent,
            measured,
            own_progress: goal.own_progress(),
        }
    }
}

impl Measured for GoalProgress {
    fn cap_percent(&self) -> u16 {
        self.cap_percent
    }

    fn own_progress(&self) -> f64 {
        self.own_progress
    }

    fn unmeasured(&self, through: NaiveDate) -> Option<Vec<NaiveDate>> {
        let months = self.measured?;
        Some(unmeasured_months(months, self.period, through))
    }
}

#[cfg(test)]
mod tests {
    use super::super::aggregation::{Aggregation, MonthActual};
    use super::super::{Direction, Kpi};
    use super::*;
    use crate::domain::fixtures;
    use proptest::prelude::*;

    fn day(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("a day")
    }

    prop_compose! {
        /// A KPI goal of some period of 2026, with values in some months
        /// (some outside its period), or an objective.
        fn any_goal()(
            period in prop_oneof![
                Just(Period::Year(2026)),
                (1u8..=2).prop_map(|h| Period::Half(2026, h)),
                (1u8..=4).prop_map(|q| Period::Quarter(2026, q)),
            ],
            kpi in proptest::option::of((
                prop_oneof![Just(Aggregation::Latest), Just(Aggregation::Sum), Just(Aggregation::Average)],
                proptest::option::of(-50.0f64..150.0),
                proptest::collection::vec(0u32..15, 0..8),
                any::<bool>(),
            )),
            cap in prop_oneof![Just(100u16), Just(120u16)],
        ) -> Goal {
            let measure = match kpi {
                None => Measure::Objective,
                Some((aggregation, actual, months, lower)) => Measure::Kpi(Kpi {
                    metric: "销售额".into(),
                    unit: "万元".into(),
                    baseline: 0.0,
                    target: 100.0,
                    actual,
                    direction: if lower { Direction::LowerIsBetter } else { Direction::HigherIsBetter },
                    aggregation,
                    // Months from December 2025 to February 2027.
                    months: months.into_iter().map(|m| {
                        let month = day(2025, 12, 1).checked_add_months(chrono::Months::new(m)).expect("month");
                        MonthActual { month, date: month, value: 1.0 }
                    }).collect(),
                }),
            };
            Goal { period, measure, cap_percent: cap, ..fixtures::goal(1, Owner::Company, None) }
        }
    }

    proptest! {
        #[test]
        fn figures_say_what_the_whole_goal_says(goal in any_goal(), through in 0u32..430) {
            let through = day(2025, 12, 1) + chrono::Days::new(u64::from(through));
            let figures = GoalFigures::of(&goal, &mut SharedTexts::default());
            prop_assert_eq!(figures.own_progress(), goal.own_progress());
            prop_assert_eq!(figures.unmeasured(through), goal.unmeasured(through));
            prop_assert_eq!(figures.cap_percent(), goal.cap_percent());
            prop_assert_eq!((figures.id(), figures.parent(), figures.period()), (goal.id, goal.parent, goal.period));
        }
    }
}
