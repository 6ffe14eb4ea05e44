//! Calibration: how many people of a pool each grade should hold, which
//! pools are calibrated together, how far a pool's grades stray from its
//! quotas, and how lenient each rater is. Quotas are shared out by the
//! largest-remainder method so they sum to the headcount; departments with
//! fewer people than a minimum are merged upward into their parent (the top
//! ones into the whole company). Ratings are normalised by z-score so a
//! lenient rater's scores read on the company's scale.

use std::cmp::Reverse;
use std::collections::HashMap;

use super::grade::{Distribution, Grade, GradeCounts, PerGrade};
use crate::domain::department::{DepartmentId, DepartmentTree};
use crate::domain::employee::EmployeeId;

/// The number of people each grade should get out of `headcount`, by the
/// largest-remainder (Hamilton) method: each grade gets the whole part of
/// its exact share, and the seats left go one each to the largest
/// fractional parts (ties: the larger target share, then the better grade).
/// Exact in integers; the quotas sum to `headcount` and a 0 % grade gets
/// none. Shares are read relative to their sum, which is 100 for a checked
/// distribution; a distribution whose shares are all 0 gets no quotas.
pub fn quotas(headcount: usize, distribution: &Distribution) -> GradeCounts {
    let shares = distribution.percent;
    let total: usize = shares.0.iter().map(|&p| usize::from(p)).sum();
    let mut quota = GradeCounts::default();
    if total == 0 {
        return quota;
    }
    let mut remainder = PerGrade::<usize>::default();
    for (grade, percent) in shares.iter() {
        let exact = headcount * usize::from(percent);
        quota.set(grade, exact / total);
        remainder.set(grade, exact % total);
    }
    let seats_left = headcount.saturating_sub(quota.total());
    let mut order = Grade::ALL;
    order.sort_by_key(|&g| (Reverse(remainder.get(g)), Reverse(shares.get(g)), g));
    for grade in order.into_iter().take(seats_left) {
        quota.set(grade, quota.get(grade) + 1);
    }
    quota
}

/// People calibrated together: a department with whatever merged into it,
/// or the whole company (`department` None).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pool<M = EmployeeId> {
    pub department: Option<DepartmentId>,
    /// In order (by id when members are ids).
    pub members: Vec<M>,
}

/// The calibration pools of `members` (one row per person, with their
/// department). Each department starts with the people directly in it;
/// children before parents, a pool under `min_size` people merges into its
/// parent's, and a top-level one into the company pool. People of a
/// department the tree does not know (or cannot reach from the top) go to
/// the company pool too. Empty pools are left out, so the company pool
/// appears only when someone landed in it. Pools come in the tree's display
/// order, the company last; every member is in exactly one pool.
pub fn pools<M: Copy + Ord>(
    tree: &DepartmentTree,
    members: &[(M, DepartmentId)],
    min_size: usize,
) -> Vec<Pool<M>> {
    let order: Vec<DepartmentId> = tree.rows().iter().map(|row| row.department.id).collect();
    let slot_of: HashMap<DepartmentId, usize> = order
        .iter()
        .enumerate()
        .map(|(slot, &id)| (id, slot))
        .collect();
    let mut by_slot = vec![Vec::new(); order.len()];
    let mut company = Vec::new();
    for &(person, department) in members {
        match slot_of.get(&department) {
            Some(&slot) => by_slot[slot].push(person),
            None => company.push(person),
        }
    }
    let parent_slots: Vec<Option<usize>> = order
        .iter()
        .map(|&id| parent_slot(tree, &slot_of, id))
        .collect();
    merge_small_upward(&mut by_slot, &mut company, &parent_slots, min_size);
    let departments = order.into_iter().map(Some).zip(by_slot);
    departments
        .chain([(None, company)])
        .filter(|(_, members)| !members.is_empty())
        .map(|(department, mut members)| {
            members.sort_unstable();
            Pool {
                department,
                members,
            }
        })
        .collect()
}

/// The display slot of `id`'s parent; None for a top-level department.
fn parent_slot(
    tree: &DepartmentTree,
    slot_of: &HashMap<DepartmentId, usize>,
    id: DepartmentId,
) -> Option<usize> {
    let parent = tree.get(id)?.parent?;
    slot_of.get(&parent).copied()
}

/// Moves every non-empty pool under `min_size` into its parent's, or into
/// `company` at the top. Slots are in depth-first order, so walking them
/// backwards settles every child before its parent.
fn merge_small_upward<M>(
    by_slot: &mut [Vec<M>],
    company: &mut Vec<M>,
    parent_slots: &[Option<usize>],
    min_size: usize,
) {
    for slot in (0..by_slot.len()).rev() {
        let size = by_slot[slot].len();
        if size == 0 || size >= min_size {
            continue;
        }
        let moved = std::mem::take(&mut by_slot[slot]);
        match parent_slots[slot] {
            Some(parent) => by_slot[parent].extend(moved),
            None => company.extend(moved),
        }
    }
}

/// A pool's grades set against its quotas. `headcount` counts the members
/// that have a grade: people not graded yet neither fill nor earn a seat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolReport {
    pub department: Option<DepartmentId>,
    pub headcount: usize,
    pub actual: GradeCounts,
    pub quota: GradeCounts,
}

/// One report per pool, in the pools' order.
pub fn pool_reports<M: Copy>(
    pools: &[Pool<M>],
    grade_of: impl Fn(M) -> Option<Grade>,
    distribution: &Distribution,
) -> Vec<PoolReport> {
    pools
        .iter()
        .map(|pool| {
            report(
                pool.department,
                pool.members.iter().copied(),
                &grade_of,
                distribution,
            )
        })
        .collect()
}

/// The report for everyone in `pools` taken together, as one company-wide
/// pool (`department` None).
pub fn company_report<M: Copy>(
    pools: &[Pool<M>],
    grade_of: impl Fn(M) -> Option<Grade>,
    distribution: &Distribution,
) -> PoolReport {
    let everyone = pools.iter().flat_map(|pool| pool.members.iter().copied());
    report(None, everyone, &grade_of, distribution)
}

/// Tallies the grades of `members` and shares the quotas among the graded.
fn report<M>(
    department: Option<DepartmentId>,
    members: impl IntoIterator<Item = M>,
    grade_of: &impl Fn(M) -> Option<Grade>,
    distribution: &Distribution,
) -> PoolReport {
    let actual = GradeCounts::tally(members.into_iter().filter_map(grade_of));
    let headcount = actual.total();
    PoolReport {
        department,
        headcount,
        actual,
        quota: quotas(headcount, distribution),
    }
}

/// The grades given more often than their quota, with how many too many,
/// best first.
pub fn over_quota(report: &PoolReport) -> Vec<(Grade, usize)> {
    report
        .actual
        .iter()
        .filter_map(|(grade, actual)| {
            let excess = actual.saturating_sub(report.quota.get(grade));
            (excess > 0).then_some((grade, excess))
        })
        .collect()
}

/// How many values, their mean and their population standard deviation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub count: usize,
    pub mean: f64,
    pub sd: f64,
}

impl Spread {
    /// The spread of `values` in one pass (Welford's method); None when
    /// there are none. Values are expected to be finite.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
        let mut sums = SpreadSums::default();
        values.into_iter().for_each(|value| sums.add(value));
        sums.spread()
    }
}

/// A [`Spread`] kept as values come, one at a time (Welford's method).
#[derive(Clone, Copy, Debug, Default)]
pub struct SpreadSums {
    count: usize,
    mean: f64,
    squares: f64,
}

impl SpreadSums {
    pub fn add(&mut self, value: f64) {
        self.count += 1;
        let delta = value - self.mean;
        self.mean += delta / self.count as f64;
        self.squares += delta * (value - self.mean);
    }

    /// The spread of the values added; None when there were none.
    pub fn spread(&self) -> Option<Spread> {
        if self.count == 0 {
            return None;
        }
        let variance = (self.squares / self.count as f64).max(0.0);
        Some(Spread {
            count: self.count,
            mean: self.mean,
            sd: variance.sqrt(),
        })
    }
}

/// How one rater's ratings sit against everyone's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RaterLeniency {
    pub rater: EmployeeId,
    pub spread: Spread,
    /// The rater's mean less the company mean: above 0 is lenient.
    pub offset: f64,
    /// The offset in company standard deviations; 0 when every rating is
    /// the same.
    pub z: f64,
}

/// The spread of all `ratings` (rater, value) and each rater's leniency,
/// by rater id; None when there are no ratings.
pub fn leniency(ratings: &[(EmployeeId, f64)]) -> Option<(Spread, Vec<RaterLeniency>)> {
    let mut sums = LeniencySums::default();
    for &(rater, value) in ratings {
        sums.add(rater, value);
    }
    sums.leniency()
}

/// What [`leniency`] is computed from, gathered a rating at a time: a
/// cycle's marks are never held.
#[derive(Debug, Default)]
pub struct LeniencySums {
    company: SpreadSums,
    by_rater: foldhash::HashMap<EmployeeId, SpreadSums>,
}

impl LeniencySums {
    pub fn add(&mut self, rater: EmployeeId, value: f64) {
        self.company.add(value);
        self.by_rater.entry(rater).or_default().add(value);
    }

    /// The spread of all the ratings and each rater's leniency, by rater
    /// id; None when there were no ratings.
    pub fn leniency(self) -> Option<(Spread, Vec<RaterLeniency>)> {
        let company = self.company.spread()?;
        let mut raters: Vec<RaterLeniency> = self
            .by_rater
            .into_iter()
            .filter_map(|(rater, sums)| {
                let spread = sums.spread()?;
                let offset = spread.mean - company.mean;
                let z = if company.sd > 0.0 {
                    offset / company.sd
                } else {
                    0.0
                };
                Some(RaterLeniency {
                    rater,
                    spread,
                    offset,
                    z,
                })
            })
            .collect();
        raters.sort_unstable_by_key(|r| r.rater);
        Some((company, raters))
    }
}

/// `value`, given by a rater with spread `rater`, moved onto the company's
/// spread by z-score: `company.mean + (value − rater.mean) / rater.sd ×
/// company.sd`. A rater with fewer than 2 ratings or no spread is only
/// shifted by the difference of means. The result is clamped to `scale`
/// (lowest, highest), e.g. (1.0, 5.0). A rater's order of values is kept.
pub fn normalise(value: f64, rater: &Spread, company: &Spread, scale: (f64, f64)) -> f64 {
    let centred = value - rater.mean;
    let moved = if rater.count < 2 || rater.sd <= 0.0 {
        company.mean + centred
    } else {
        company.mean + centred / rater.sd * company.sd
    };
    let (low, high) = if scale.0 <= scale.1 {
        scale
    } else {
        (scale.1, scale.0)
    };
    moved.max(low).min(high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::dept;
    use proptest::prelude::*;

    fn counts(numbers: [usize; 5]) -> GradeCounts {
        PerGrade(numbers)
    }

    fn ids(numbers: impl IntoIterator<Item = u64>) -> Vec<EmployeeId> {
        numbers.into_iter().map(EmployeeId).collect()
    }

    #[test]
    fn seven_people_at_the_bell() {
        // Exact shares 0.7, 1.4, 2.8, 1.4, 0.7: whole parts 0 1 2 1 0, and
        // the three seats left go to B (.8), then S and D (.7; S is better).
        assert_eq!(quotas(7, &Distribution::BELL), counts([1, 1, 3, 1, 1]));
        // 0.5, 1, 2, 1, 0.5: one seat left, S and D tie, the better grade wins.
        assert_eq!(quotas(5, &Distribution::BELL), counts([1, 1, 2, 1, 0]));
        assert_eq!(quotas(1, &Distribution::BELL), counts([0, 0, 1, 0, 0]));
        assert_eq!(quotas(0, &Distribution::BELL), counts([0; 5]));
        assert_eq!(
            quotas(100, &Distribution::BELL),
            counts([10, 20, 40, 20, 10])
        );
    }

    #[test]
    fn a_grade_without_a_share_gets_no_seat() {
        let vitality = Distribution {
            percent: PerGrade([0, 20, 70, 10, 0]),
        };
        // 1.4, 4.9, 0.7: two seats left, to B (.9) and C (.7).
        assert_eq!(quotas(7, &vitality), counts([0, 1, 5, 1, 0]));
        // 2.4, 8.4, 1.2: A and B tie at .4, the larger share (B) wins.
        assert_eq!(quotas(12, &vitality), counts([0, 2, 9, 1, 0]));
    }

    #[test]
    fn shares_that_do_not_add_to_100_are_read_relative_to_their_sum() {
        let halves = Distribution {
            percent: PerGrade([0, 0, 1, 1, 0]),
        };
        assert_eq!(quotas(3, &halves), counts([0, 0, 2, 1, 0]));
        let none = Distribution {
            percent: PerGrade([0; 5]),
        };
        assert_eq!(quotas(3, &none), counts([0; 5]));
    }

    /// Acme (1) with Sales (2) and its East team (3), HR (4); Labs (5) at
    /// the top too.
    fn company_tree() -> DepartmentTree {
        DepartmentTree::new([
            dept(1, "Acme", None),
            dept(2, "Sales", Some(1)),
            dept(3, "East", Some(2)),
            dept(4, "HR", Some(1)),
            dept(5, "Labs", None),
        ])
    }

    /// `count` people in `department`, ids from `first`.
    fn staff(first: u64, count: u64, department: u64) -> Vec<(EmployeeId, DepartmentId)> {
        (first..first + count)
            .map(|id| (EmployeeId(id), DepartmentId(department)))
            .collect()
    }

    #[test]
    fn small_teams_merge_into_their_parent_and_small_tops_into_the_company() {
        let members = [
            staff(1, 2, 1),   // Acme itself: 2, too few, to the company
            staff(10, 8, 2),  // Sales: 8, plus East's 3 makes 11
            staff(20, 3, 3),  // East: 3, into Sales
            staff(30, 10, 4), // HR: 10, stays
            staff(40, 4, 5),  // Labs: 4, top level, to the company
        ]
        .concat();
        let found = pools(&company_tree(), &members, 10);
        let expected = vec![
            Pool {
                department: Some(DepartmentId(4)),
                members: ids(30..40),
            },
            Pool {
                department: Some(DepartmentId(2)),
                members: ids((10..18).chain(20..23)),
            },
            Pool {
                department: None,
                members: ids((1..3).chain(40..44)),
            },
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn the_company_pool_only_appears_when_someone_lands_in_it() {
        let members = [staff(1, 3, 3), staff(10, 2, 2)].concat();
        let found = pools(&company_tree(), &members, 5);
        assert_eq!(
            found,
            vec![Pool {
                department: Some(DepartmentId(2)),
                members: ids([1, 2, 3, 10, 11]),
            }]
        );
        let stray = [(EmployeeId(7), DepartmentId(99))];
        let found = pools(&company_tree(), &stray, 0);
        assert_eq!(
            found,
            vec![Pool {
                department: None,
                members: ids([7]),
            }]
        );
        assert!(pools::<EmployeeId>(&company_tree(), &[], 10).is_empty());
    }

    #[test]
    fn reports_count_the_graded_and_name_the_grades_over_quota() {
        let pool = Pool {
            department: Some(DepartmentId(2)),
            members: ids(1..=8),
        };
        // Seven graded (S S A B B B C), person 8 not yet.
        let grade_of = |id: EmployeeId| match id.0 {
            1 | 2 => Some(Grade::S),
            3 => Some(Grade::A),
            4..=6 => Some(Grade::B),
            7 => Some(Grade::C),
            _ => None,
        };
        let reports = pool_reports(std::slice::from_ref(&pool), grade_of, &Distribution::BELL);
        let report = &reports[0];
        assert_eq!(report.headcount, 7);
        assert_eq!(report.actual, counts([2, 1, 3, 1, 0]));
        assert_eq!(report.quota, counts([1, 1, 3, 1, 1]));
        assert_eq!(over_quota(report), vec![(Grade::S, 1)]);
        let everyone = company_report(&[pool], grade_of, &Distribution::BELL);
        assert_eq!(everyone.department, None);
        assert_eq!(everyone.actual, report.actual);
    }

    #[test]
    fn leniency_is_each_raters_mean_against_the_company() {
        let ratings = [
            (EmployeeId(2), 2.0),
            (EmployeeId(1), 4.0),
            (EmployeeId(2), 3.0),
            (EmployeeId(1), 5.0),
        ];
        let Some((company, raters)) = leniency(&ratings) else {
            panic!("ratings given");
        };
        // 4 5 2 3: mean 3.5, squared deviations sum to 5, variance 1.25.
        assert_eq!(company.count, 4);
        assert!((company.mean - 3.5).abs() < 1e-12);
        assert!((company.sd - 1.25f64.sqrt()).abs() < 1e-12);
        let by_rater: Vec<_> = raters.iter().map(|r| (r.rater.0, r.offset)).collect();
        assert_eq!(by_rater, vec![(1, 1.0), (2, -1.0)]);
        assert!((raters[0].z - 1.0 / 1.25f64.sqrt()).abs() < 1e-12);
        assert!((raters[0].spread.sd - 0.5).abs() < 1e-12);
        assert_eq!(leniency(&[]), None);
        assert_eq!(Spread::of([]), None);
    }

    #[test]
    fn everyone_rating_alike_has_no_z() {
        let ratings = [(EmployeeId(1), 3.0), (EmployeeId(2), 3.0)];
        let Some((company, raters)) = leniency(&ratings) else {
            panic!("ratings given");
        };
        assert_eq!(company.sd, 0.0);
        assert!(raters.iter().all(|r| r.offset == 0.0 && r.z == 0.0));
    }

    #[test]
    fn normalising_rescales_spread_raters_and_shifts_the_rest() {
        let company = Spread {
            count: 4,
            mean: 3.5,
            sd: 1.0,
        };
        let lenient = Spread {
            count: 2,
            mean: 4.5,
            sd: 0.5,
        };
        assert!((normalise(5.0, &lenient, &company, (1.0, 5.0)) - 4.5).abs() < 1e-12);
        assert!((normalise(4.0, &lenient, &company, (1.0, 5.0)) - 2.5).abs() < 1e-12);
        let single = Spread {
            count: 1,
            mean: 5.0,
            sd: 0.0,
        };
        assert!((normalise(5.0, &single, &company, (1.0, 5.0)) - 3.5).abs() < 1e-12);
        let harsh = Spread {
            count: 3,
            mean: 1.5,
            sd: 0.1,
        };
        assert_eq!(normalise(2.0, &harsh, &company, (1.0, 5.0)), 5.0);
        assert_eq!(normalise(1.0, &harsh, &company, (5.0, 1.0)), 1.0);
    }

    /// A distribution whose five shares add up to 100.
    fn distribution() -> impl Strategy<Value = Distribution> {
        proptest::collection::vec(0u8..=100, 4).prop_map(|mut cuts| {
            cuts.sort_unstable();
            let mut percent = [0u8; 5];
            let mut previous = 0;
            for (slot, &cut) in cuts.iter().chain([100u8].iter()).enumerate() {
                percent[slot] = cut - previous;
                previous = cut;
            }
            Distribution {
                percent: PerGrade(percent),
            }
        })
    }

    /// Up to 12 departments, each under an earlier one or at the top.
    fn tree() -> impl Strategy<Value = DepartmentTree> {
        proptest::collection::vec(proptest::option::of(0u64..100), 0..12).prop_map(|parents| {
            let departments = parents.into_iter().enumerate().map(|(i, parent)| {
                let id = i as u64 + 1;
                let parent = parent.filter(|_| i > 0).map(|p| p % i as u64 + 1);
                dept(id, &format!("d{id}"), parent)
            });
            DepartmentTree::new(departments)
        })
    }

    proptest! {
        /// Quotas add up to the headcount, and each is its exact share
        /// rounded down or up.
        #[test]
        fn quotas_sum_to_headcount_and_round_the_exact_share(
            headcount in 0usize..5000,
            distribution in distribution(),
        ) {
            let quota = quotas(headcount, &distribution);
            prop_assert_eq!(quota.total(), headcount);
            for (grade, percent) in distribution.percent.iter() {
                let exact = headcount * usize::from(percent);
                let (down, up) = (exact / 100, exact.div_ceil(100));
                prop_assert!((down..=up).contains(&quota.get(grade)), "{grade}");
            }
        }

        /// Every member is in exactly one pool, in their own department or
        /// one above it (or the company); only the company pool may be small.
        #[test]
        fn pools_partition_the_members(
            tree in tree(),
            departments in proptest::collection::vec(1u64..15, 0..80),
            min_size in 0usize..15,
        ) {
            let members: Vec<(EmployeeId, DepartmentId)> = departments
                .iter()
                .enumerate()
                .map(|(i, &d)| (EmployeeId(i as u64), DepartmentId(d)))
                .collect();
            let found = pools(&tree, &members, min_size);
            let mut placed: Vec<EmployeeId> =
                found.iter().flat_map(|p| p.members.clone()).collect();
            placed.sort_unstable();
            let everyone: Vec<EmployeeId> = members.iter().map(|&(id, _)| id).collect();
            prop_assert_eq!(placed, everyone);
            let home: HashMap<EmployeeId, DepartmentId> = members.iter().copied().collect();
            for (n, pool) in found.iter().enumerate() {
                prop_assert!(!pool.members.is_empty());
                let Some(department) = pool.department else {
                    prop_assert_eq!(n, found.len() - 1, "the company pool comes last");
                    continue;
                };
                prop_assert!(pool.members.len() >= min_size);
                for member in &pool.members {
                    prop_assert!(tree.is_within(home[member], department));
                }
            }
        }

        /// Quotas of every report add up to its graded headcount.
        #[test]
        fn report_quotas_cover_the_graded(
            grades in proptest::collection::vec(proptest::option::of(0usize..5), 0..60),
            distribution in distribution(),
        ) {
            let pool = Pool { department: None, members: ids(0..grades.len() as u64) };
            let grade_of = |id: EmployeeId| grades[id.0 as usize].map(|g| Grade::ALL[g]);
            let report = company_report(&[pool], grade_of, &distribution);
            prop_assert_eq!(report.headcount, grades.iter().flatten().count());
            prop_assert_eq!(report.quota.total(), report.headcount);
            let excess: usize = over_quota(&report).iter().map(|&(_, e)| e).sum();
            prop_assert!(excess <= report.headcount);
        }

        /// Normalised values stay on the scale and keep the rater's order.
        #[test]
        fn normalisation_stays_on_the_scale_and_keeps_order(
            own in proptest::collection::vec(1.0f64..=5.0, 1..20),
            others in proptest::collection::vec(1.0f64..=5.0, 0..40),
        ) {
            let Some(rater) = Spread::of(own.iter().copied()) else {
                return Err(TestCaseError::fail("values given"));
            };
            let Some(company) = Spread::of(own.iter().chain(&others).copied()) else {
                return Err(TestCaseError::fail("values given"));
            };
            let mut sorted = own.clone();
            sorted.sort_by(f64::total_cmp);
            let normalised: Vec<f64> = sorted
                .iter()
                .map(|&v| normalise(v, &rater, &company, (1.0, 5.0)))
                .collect();
            for value in &normalised {
                prop_assert!((1.0..=5.0).contains(value));
            }
            for pair in normalised.windows(2) {
                prop_assert!(pair[0] <= pair[1]);
            }
        }

        /// A rater whose ratings are the company's (here: two raters giving
        /// the same values) is neither lenient nor harsh.
        #[test]
        fn a_rater_who_rates_like_the_company_has_no_offset(
            values in proptest::collection::vec(1.0f64..=5.0, 1..30),
        ) {
            let ratings: Vec<(EmployeeId, f64)> = values
                .iter()
                .map(|&v| (EmployeeId(1), v))
                .chain(values.iter().rev().map(|&v| (EmployeeId(2), v)))
                .collect();
            let Some((company, raters)) = leniency(&ratings) else {
                return Err(TestCaseError::fail("ratings given"));
            };
            prop_assert_eq!(raters.len(), 2);
            for rater in &raters {
                prop_assert!(rater.offset.abs() < 1e-9);
                if company.sd > 1e-6 {
                    prop_assert!(rater.z.abs() < 1e-6);
                }
            }
        }
    }
}
