//! What a vendor costs year by year over the project's horizon, against the
//! yearly budget, and the chosen vendor's plan against the actual spend of
//! each quarter.
//!
//! Which recurring lines (software, training, maintenance) rise by the
//! vendor's yearly escalation is the project's setting; the implementation
//! is paid once, in year 1, and planned in the quarters the project names
//! (Q1 unless told), the rest of each year spread evenly over its quarters.
//! The plan starts in the quarter the vendor was chosen from; spend paid to
//! a vendor chosen before stays that vendor's.
//!
//! Percentages (growth, escalation) are taken to the hundredth of a percent
//! and applied in exact integer arithmetic: headcounts are rounded up to a
//! whole person, and every money line is rounded half up to the fen on its
//! own, so a year's total is exactly the sum of its printed lines. A figure
//! too large to count saturates at `i64::MAX`.

use std::fmt;

use super::{Pricing, Project, Quarter, QuarterSpend, Vendor, VendorId};
use crate::domain::employee::format_money;
use crate::tr;

/// One year of a vendor's costs, in fen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearCost {
    /// The project year, from 1.
    pub year: u8,
    /// The staff the software is priced for this year.
    pub headcount: u32,
    pub software: i64,
    /// The one-off implementation, in year 1 only.
    pub implementation: i64,
    pub training: i64,
    pub maintenance: i64,
    /// The sum of the four lines.
    pub total: i64,
    /// The project's budget for the year.
    pub budget: i64,
    pub over_budget: bool,
}

/// A vendor's costs over the project's horizon.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Projection {
    pub vendor: VendorId,
    pub years: Vec<YearCost>,
    /// The sum of the years' totals.
    pub total: i64,
    /// The yearly budget times the years.
    pub budget: i64,
    pub over_budget: bool,
}

/// How a scaled figure is brought back to a whole number.
#[derive(Clone, Copy)]
enum Rounding {
    /// Half up, for money.
    HalfUp,
    /// Up, for people.
    Up,
}

/// Basis points of a percentage, never below −100 % (a factor below 0).
fn basis_points(pct: f64) -> i128 {
    let bp = (pct * 100.0).round();
    if bp.is_finite() {
        (bp as i128).max(-10_000)
    } else {
        0
    }
}

/// `amount × (1 + pct/100)^years`, rounded as asked; saturates when too large.
fn compound(amount: i64, pct: f64, years: u32, rounding: Rounding) -> i64 {
    let exact = || -> Option<i128> {
        let num =
            i128::from(amount).checked_mul((10_000 + basis_points(pct)).checked_pow(years)?)?;
        let den = 10_000i128.checked_pow(years)?;
        Some(match rounding {
            Rounding::HalfUp => num.checked_mul(2)?.checked_add(den)?.div_euclid(2 * den),
            Rounding::Up => -((-num).div_euclid(den)),
        })
    };
    exact().map_or(i64::MAX, |v| i64::try_from(v).unwrap_or(i64::MAX))
}

/// The staff in `year` (from 1): the headcount grown by `growth_pct` a year,
/// rounded up.
pub fn headcount(project: &Project, year: u8) -> u32 {
    let grown = compound(
        i64::from(project.headcount),
        project.growth_pct,
        u32::from(year.saturating_sub(1)),
        Rounding::Up,
    );
    u32::try_from(grown.max(0)).unwrap_or(u32::MAX)
}

/// The needed modules the vendor has.
pub fn modules_offered(project: &Project, vendor: &Vendor) -> usize {
    project
        .modules
        .iter()
        .filter(|m| vendor.modules.contains(m))
        .count()
}

/// The software's price in `year` before escalation.
fn software_base(project: &Project, vendor: &Vendor, headcount: u32) -> i64 {
    match vendor.pricing {
        Pricing::PerHead { per_year } => per_year.saturating_mul(i64::from(headcount)),
        Pricing::PerModule { per_year } => {
            let modules = i64::try_from(modules_offered(project, vendor)).unwrap_or(i64::MAX);
            per_year.saturating_mul(modules)
        }
        Pricing::Flat { per_year } => per_year,
    }
}

/// The vendor's costs in `year` (from 1).
pub fn year_cost(project: &Project, vendor: &Vendor, year: u8) -> YearCost {
    let headcount = headcount(project, year);
    let escalated = |amount, rises: bool| {
        let pct = if rises { vendor.escalation_pct } else { 0.0 };
        compound(
            amount,
            pct,
            u32::from(year.saturating_sub(1)),
            Rounding::HalfUp,
        )
    };
    let rises = project.escalation;
    let software = escalated(software_base(project, vendor, headcount), rises.software);
    let implementation = if year == 1 { vendor.implementation } else { 0 };
    let training = escalated(vendor.training_per_year, rises.training);
    let maintenance = escalated(vendor.maintenance_per_year, rises.maintenance);
    let total = [software, implementation, training, maintenance]
        .into_iter()
        .fold(0i64, i64::saturating_add);
    YearCost {
        year,
        headcount,
        software,
        implementation,
        training,
        maintenance,
        total,
        budget: project.annual_budget,
        over_budget: total > project.annual_budget,
    }
}

/// The vendor's costs over every year of the project's horizon.
pub fn projection(project: &Project, vendor: &Vendor) -> Projection {
    let years: Vec<YearCost> = (1..=project.horizon_years)
        .map(|year| year_cost(project, vendor, year))
        .collect();
    let total = years.iter().map(|y| y.total).fold(0, i64::saturating_add);
    let budget = project
        .annual_budget
        .saturating_mul(i64::from(project.horizon_years));
    Projection {
        vendor: vendor.id,
        years,
        total,
        budget,
        over_budget: total > budget,
    }
}

/// The chosen vendor's projection, once a vendor is chosen (and among `vendors`).
pub fn chosen_plan(project: &Project, vendors: &[Vendor]) -> Option<Projection> {
    let chosen = project.chosen?;
    vendors
        .iter()
        .find(|v| v.id == chosen)
        .map(|v| projection(project, v))
}

/// `amount` shared among `parts` parts that add up to it exactly: the fen
/// left over by the division go one each to the first parts.
fn shares(amount: i64, parts: usize) -> Vec<i64> {
    let count = i64::try_from(parts.max(1)).unwrap_or(i64::MAX);
    let (share, rest) = (amount.div_euclid(count), amount.rem_euclid(count));
    (0..count).map(|i| share + i64::from(i < rest)).collect()
}

/// A year's total split into four quarters that add up to it exactly: the
/// fen left over by the division go one each to the first quarters.
pub fn quarters(year_total: i64) -> [i64; 4] {
    let all = shares(year_total, 4);
    [0, 1, 2, 3].map(|q| all[q])
}

/// A year's plan by quarter: what recurs spread evenly, and the
/// implementation (year 1) in the quarters it falls due, shared evenly.
pub fn year_quarters(year: &YearCost, due: &[u8]) -> [i64; 4] {
    let mut plan = quarters(year.total.saturating_sub(year.implementation));
    let due: Vec<usize> = (1u8..=4)
        .filter(|q| due.contains(q))
        .map(|q| usize::from(q - 1))
        .collect();
    let due = if due.is_empty() { vec![0] } else { due };
    for (at, share) in due.iter().zip(shares(year.implementation, due.len())) {
        plan[*at] = plan[*at].saturating_add(share);
    }
    plan
}

/// Whether the implementation quarters hold: at least one, each 1 to 4, none twice.
pub fn check_implementation_quarters(due: &[u8]) -> bool {
    !due.is_empty()
        && due.iter().all(|q| (1..=4).contains(q))
        && due.iter().enumerate().all(|(i, q)| !due[..i].contains(q))
}

/// One quarter of the chosen vendor's plan against what was spent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuarterLine {
    pub year: u8,
    pub quarter: u8,
    pub plan: i64,
    /// None until the quarter's spend is entered.
    pub actual: Option<i64>,
    /// Actual − plan, once entered.
    pub variance: Option<i64>,
    /// The plan up to and including this quarter.
    pub cumulative_plan: i64,
    /// What was entered up to and including this quarter.
    pub cumulative_actual: i64,
    /// Entered, and the spend so far is over the plan so far.
    pub over_plan: bool,
}

impl QuarterLine {
    /// The warning to show when the spend so far is over the plan so far.
    pub fn warning(&self) -> Option<String> {
        self.over_plan.then(|| {
            tr!(
                "vendor.spend.over_plan",
                year = self.year,
                quarter = self.quarter,
                amount = format_money(self.cumulative_actual - self.cumulative_plan)
            )
        })
    }
}

/// Why quarterly spend entries cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpendError {
    /// The year is not within the project's horizon.
    Year { year: u8, horizon: u8 },
    /// The quarter is not 1 to 4.
    Quarter { quarter: u8 },
    /// The amount is below 0.
    Negative { year: u8, quarter: u8 },
    /// The quarter is entered twice.
    Twice { year: u8, quarter: u8 },
}

impl fmt::Display for SpendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match *self {
            SpendError::Year { year, horizon } => {
                tr!("vendor.spend.year", year = year, horizon = horizon)
            }
            SpendError::Quarter { quarter } => tr!("vendor.spend.quarter", quarter = quarter),
            SpendError::Negative { year, quarter } => {
                tr!("vendor.spend.negative", year = year, quarter = quarter)
            }
            SpendError::Twice { year, quarter } => {
                tr!("vendor.spend.twice", year = year, quarter = quarter)
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for SpendError {}

/// Checks spend entries against a horizon of `horizon` years.
pub fn check_spends(spends: &[QuarterSpend], horizon: u8) -> Result<(), SpendError> {
    for (i, s) in spends.iter().enumerate() {
        let (year, quarter) = (s.year, s.quarter);
        if year == 0 || year > horizon {
            return Err(SpendError::Year { year, horizon });
        }
        if !(1..=4).contains(&quarter) {
            return Err(SpendError::Quarter { quarter });
        }
        if s.amount < 0 {
            return Err(SpendError::Negative { year, quarter });
        }
        if spends[..i]
            .iter()
            .any(|e| (e.year, e.quarter) == (year, quarter))
        {
            return Err(SpendError::Twice { year, quarter });
        }
    }
    Ok(())
}

/// Every quarter of the horizon from the one the vendor was chosen from:
/// the plan (see [`year_quarters`]) against the spend paid to the vendor
/// planned, with running totals and the over-plan warning. Spend paid to
/// other vendors is theirs and not counted.
pub fn plan_vs_actual(
    project: &Project,
    plan: &Projection,
    spends: &[QuarterSpend],
) -> Result<Vec<QuarterLine>, SpendError> {
    let horizon = u8::try_from(plan.years.len()).unwrap_or(u8::MAX);
    check_spends(spends, horizon)?;
    let mut lines = Vec::with_capacity(plan.years.len() * 4);
    let (mut cumulative_plan, mut cumulative_actual) = (0i64, 0i64);
    let due = &project.implementation_quarters;
    for year in &plan.years {
        for (quarter, planned) in (1u8..).zip(year_quarters(year, due)) {
            let at = Quarter {
                year: year.year,
                quarter,
            };
            if at < project.chosen_from {
                continue;
            }
            let actual = spends
                .iter()
                .find(|s| s.vendor == plan.vendor && (s.year, s.quarter) == (year.year, quarter))
                .map(|s| s.amount);
            cumulative_plan = cumulative_plan.saturating_add(planned);
            cumulative_actual = cumulative_actual.saturating_add(actual.unwrap_or(0));
            lines.push(QuarterLine {
                year: year.year,
                quarter,
                plan: planned,
                actual,
                variance: actual.map(|a| a.saturating_sub(planned)),
                cumulative_plan,
                cumulative_actual,
                over_plan: actual.is_some() && cumulative_actual > cumulative_plan,
            });
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vendor::case::retail_case;
    use proptest::prelude::*;

    fn spend(year: u8, quarter: u8, amount: i64) -> QuarterSpend {
        QuarterSpend {
            vendor: crate::domain::vendor::case::YUNCAI,
            year,
            quarter,
            amount,
        }
    }

    #[test]
    fn money_rounds_half_up_and_people_round_up() {
        // 1000 fen × 1.05² = 1102.5 fen → 1103; 300 staff × 1.05 = 315 exactly.
        assert_eq!(compound(1_000, 5.0, 2, Rounding::HalfUp), 1_103);
        assert_eq!(compound(1_000, 5.0, 0, Rounding::HalfUp), 1_000);
        assert_eq!(compound(300, 5.0, 1, Rounding::Up), 315);
        assert_eq!(compound(300, 5.0, 2, Rounding::Up), 331, "330.75 → 331");
        assert_eq!(compound(i64::MAX, 50.0, 3, Rounding::HalfUp), i64::MAX);
    }

    #[test]
    fn quarters_spread_the_leftover_fen() {
        assert_eq!(quarters(10), [3, 3, 2, 2]);
        assert_eq!(quarters(6_900_000), [1_725_000; 4]);
        assert_eq!(quarters(0), [0; 4]);
    }

    #[test]
    fn per_module_pricing_counts_the_needed_modules_offered() {
        let (project, vendors) = retail_case();
        let big = &vendors[3];
        assert_eq!(modules_offered(&project, big), 3);
        assert_eq!(year_cost(&project, big, 1).software, 7_500_000);
    }

    #[test]
    fn spend_entries_are_checked() {
        let cases = [
            (
                spend(0, 1, 1),
                SpendError::Year {
                    year: 0,
                    horizon: 3,
                },
            ),
            (
                spend(4, 1, 1),
                SpendError::Year {
                    year: 4,
                    horizon: 3,
                },
            ),
            (spend(1, 5, 1), SpendError::Quarter { quarter: 5 }),
            (
                spend(1, 2, -1),
                SpendError::Negative {
                    year: 1,
                    quarter: 2,
                },
            ),
        ];
        for (entry, error) in cases {
            assert_eq!(check_spends(&[entry], 3), Err(error));
        }
        assert_eq!(
            check_spends(&[spend(1, 1, 5), spend(1, 1, 6)], 3),
            Err(SpendError::Twice {
                year: 1,
                quarter: 1
            })
        );
        crate::i18n::set_lang(crate::i18n::Lang::En);
        assert!(SpendError::Quarter { quarter: 5 }.to_string().contains('5'));
    }

    #[test]
    fn spending_over_the_plan_so_far_warns() {
        let (project, vendors) = retail_case();
        let plan = chosen_plan(&project, &vendors).unwrap();
        assert_eq!(plan.vendor, vendors[0].id);
        // Year 1 of the winner: 6,900,000 fen, of which the implementation
        // 1,000,000 falls due in Q1 and the rest is 1,475,000 a quarter.
        let spends = [spend(1, 1, 2_450_000), spend(1, 2, 1_510_000)];
        let lines = plan_vs_actual(&project, &plan, &spends).unwrap();
        assert_eq!(lines.len(), 12);
        assert_eq!(lines[0].plan, 2_475_000);
        assert_eq!(lines[0].variance, Some(-25_000));
        assert!(!lines[0].over_plan, "the implementation is planned in Q1");
        // Q2: 3,960,000 spent against 3,950,000 planned.
        assert_eq!(lines[1].variance, Some(35_000));
        assert_eq!(
            (lines[1].cumulative_plan, lines[1].cumulative_actual),
            (3_950_000, 3_960_000)
        );
        assert!(lines[1].over_plan);
        crate::i18n::set_lang(crate::i18n::Lang::En);
        assert!(lines[1].warning().unwrap().contains("100.00"));
        assert_eq!((lines[2].actual, lines[2].over_plan), (None, false));
        assert_eq!(lines[11].cumulative_plan, plan.total);
    }

    #[test]
    fn a_q1_spend_of_the_implementation_is_not_over_plan() {
        // Before, the fee was spread evenly over year 1: paying it in Q1
        // (as it falls due) was always "over plan".
        let (project, vendors) = retail_case();
        let plan = chosen_plan(&project, &vendors).unwrap();
        let lines = plan_vs_actual(&project, &plan, &[spend(1, 1, 2_475_000)]).unwrap();
        assert!(!lines[0].over_plan);
        let spread = Project {
            implementation_quarters: vec![1, 2, 3, 4],
            ..project
        };
        let lines = plan_vs_actual(&spread, &plan, &[spend(1, 1, 2_475_000)]).unwrap();
        assert_eq!(lines[0].plan, 1_725_000);
        assert!(lines[0].over_plan);
        let year = &plan.years[0];
        assert_eq!(
            year_quarters(year, &[2, 3]),
            [1_475_000, 1_975_000, 1_975_000, 1_475_000]
        );
        assert!(check_implementation_quarters(&[1, 3]));
        assert!(!check_implementation_quarters(&[]));
        assert!(!check_implementation_quarters(&[5]));
        assert!(!check_implementation_quarters(&[2, 2]));
    }

    #[test]
    fn each_cost_line_rises_only_when_the_project_says() {
        let (project, vendors) = retail_case();
        // 云才's training 200,000 a year stays; with training rising by 3 %
        // it is 206,000 in year 2 and 212,180 in year 3.
        let flat: Vec<i64> = projection(&project, &vendors[0])
            .years
            .iter()
            .map(|y| y.training)
            .collect();
        assert_eq!(flat, [200_000, 200_000, 200_000]);
        let rising = Project {
            escalation: crate::domain::vendor::Escalation::ALL,
            ..project.clone()
        };
        let years = projection(&rising, &vendors[0]).years;
        let training: Vec<i64> = years.iter().map(|y| y.training).collect();
        assert_eq!(training, [200_000, 206_000, 212_180]);
        let frozen = Project {
            escalation: crate::domain::vendor::Escalation::NONE,
            ..project
        };
        let years = projection(&frozen, &vendors[0]).years;
        assert_eq!(years[2].maintenance, 300_000);
        assert_eq!(years[2].software, 331 * 18_000);
    }

    #[test]
    fn a_switched_plan_starts_at_the_switch_and_counts_only_its_own_spend() {
        let (project, vendors) = retail_case();
        let switched = Project {
            chosen: Some(vendors[1].id),
            chosen_from: Quarter {
                year: 1,
                quarter: 3,
            },
            ..project
        };
        let plan = chosen_plan(&switched, &vendors).unwrap();
        let earlier = [spend(1, 1, 2_475_000), spend(1, 2, 1_475_000)];
        let own = QuarterSpend {
            vendor: vendors[1].id,
            ..spend(1, 3, 100)
        };
        let mut spends = earlier.to_vec();
        spends.push(own);
        let lines = plan_vs_actual(&switched, &plan, &spends).unwrap();
        assert_eq!((lines[0].year, lines[0].quarter), (1, 3));
        assert_eq!(lines.len(), 10);
        assert_eq!(lines[0].actual, Some(100));
        assert_eq!(lines[0].cumulative_actual, 100, "云才's spend stays 云才's");
    }

    fn vendor_with(pricing: Pricing, escalation_pct: f64) -> Vendor {
        let (_, vendors) = retail_case();
        Vendor {
            pricing,
            escalation_pct,
            ..vendors[0].clone()
        }
    }

    proptest! {
        /// Lines add up to each year, years to the horizon, quarters to the
        /// year; growth and escalation never lower a cost from year to year.
        #[test]
        fn costs_add_up_and_never_fall(
            headcount in 1u32..5_000,
            growth_pct in 0.0f64..30.0,
            escalation_pct in 0.0f64..20.0,
            per_year in 0i64..10_000_000,
            kind in 0u8..3,
            horizon in 1u8..=5,
        ) {
            let (mut project, _) = retail_case();
            project.headcount = headcount;
            project.growth_pct = growth_pct;
            project.horizon_years = horizon;
            let pricing = match kind {
                0 => Pricing::PerHead { per_year },
                1 => Pricing::PerModule { per_year },
                _ => Pricing::Flat { per_year },
            };
            let vendor = vendor_with(pricing, escalation_pct);
            let plan = projection(&project, &vendor);
            prop_assert_eq!(plan.years.len(), usize::from(horizon));
            prop_assert_eq!(plan.total, plan.years.iter().map(|y| y.total).sum::<i64>());
            for y in &plan.years {
                prop_assert_eq!(y.total, y.software + y.implementation + y.training + y.maintenance);
                prop_assert_eq!(quarters(y.total).iter().sum::<i64>(), y.total);
                prop_assert_eq!(y.over_budget, y.total > project.annual_budget);
            }
            for pair in plan.years.windows(2) {
                prop_assert!(pair[1].headcount >= pair[0].headcount);
                prop_assert!(pair[1].software >= pair[0].software);
                prop_assert!(pair[1].maintenance >= pair[0].maintenance);
            }
        }

        /// The four quarters of any total add up to it and differ by at most a fen.
        #[test]
        fn quarters_add_up(total in -1_000_000_000i64..1_000_000_000) {
            let q = quarters(total);
            prop_assert_eq!(q.iter().sum::<i64>(), total);
            prop_assert!(q[0] - q[3] <= 1 && q[0] >= q[3]);
        }
    }
}
