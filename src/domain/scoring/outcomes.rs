//! What a grade leads to: the bonus (a multiplier per grade, scaled down
//! to fit a pool), an improvement plan, training for weak competencies, the
//! competency profile of high performers, and early warnings when someone's
//! grade or score slips between cycles. Pure rules, no storage and no text:
//! reasons and warnings are enums for the interface to put into words.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::figure::Figure;
use super::grade::{Grade, PerGrade};
use crate::domain::employee::EmployeeId;

// ---------------------------------------------------------------- bonus

/// The bonus multiplier of each grade, applied to a person's base bonus.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BonusRule {
    /// Multiplier per grade, best first (1.0 pays the base).
    pub multipliers: PerGrade<f64>,
}

impl Default for BonusRule {
    /// S 1.5, A 1.2, B 1.0, C 0.5, D 0.
    fn default() -> Self {
        BonusRule {
            multipliers: PerGrade([1.5, 1.2, 1.0, 0.5, 0.0]),
        }
    }
}

/// Why a bonus rule is refused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BonusRuleError {
    /// A grade's multiplier is infinite or not a number.
    NotFinite(Grade, f64),
    /// A grade's multiplier is below zero: a grade would take money back.
    Negative(Grade, f64),
}

impl BonusRule {
    /// Every multiplier is a finite number, zero or more.
    pub fn check(&self) -> Result<(), BonusRuleError> {
        for (grade, multiplier) in self.multipliers.iter() {
            if !multiplier.is_finite() {
                return Err(BonusRuleError::NotFinite(grade, multiplier));
            }
            if multiplier < 0.0 {
                return Err(BonusRuleError::Negative(grade, multiplier));
            }
        }
        Ok(())
    }

    /// The multiplier of `grade` as bonuses use it: one that
    /// [`BonusRule::check`] would refuse counts as 0.
    pub fn usable_multiplier(&self, grade: Grade) -> f64 {
        let multiplier = self.multipliers.get(grade);
        if multiplier.is_finite() && multiplier > 0.0 {
            multiplier
        } else {
            0.0
        }
    }
}

/// One person's bonus. Money is in fen (1/100 yuan).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BonusLine {
    /// Whose bonus.
    pub employee: EmployeeId,
    /// The base bonus as given (a negative base counts as 0).
    pub base: i64,
    /// The grade that chose the multiplier.
    pub grade: Grade,
    /// Base × multiplier, rounded to the fen (halves away from zero).
    pub raw: i64,
    /// What is paid: `raw`, or `raw` scaled to the pool and rounded down.
    pub paid: i64,
}

/// The bonuses of a pool of people: the totals, and how each line is
/// paid ([`BonusPlan::line`]). A line follows from its person's base and
/// grade and the totals, so a plan of a million people keeps no line.
#[derive(Clone, Debug, PartialEq)]
pub struct BonusPlan {
    rule: BonusRule,
    /// The pool and the raw total, when the raw total exceeded the pool
    /// and every bonus is scaled down to it.
    scaled: Option<(i128, i128)>,
    /// The sum of the raw bonuses.
    pub raw_total: i64,
    /// The sum of the paid bonuses; never more than the pool.
    pub paid_total: i64,
    /// Pool ÷ raw total when the bonuses were scaled down, else 1.0.
    pub scale: f64,
}

impl BonusPlan {
    /// The bonus line of `employee`, whose base bonus is `base` (fen) and
    /// grade `grade`, as the plan pays it.
    pub fn line(&self, employee: EmployeeId, base: i64, grade: Grade) -> BonusLine {
        let raw = raw_bonus(base, self.rule.usable_multiplier(grade));
        let paid = match self.scaled {
            Some((pool, total)) => scaled_down(raw, pool, total),
            None => raw,
        };
        BonusLine {
            employee,
            base,
            grade,
            raw,
            paid,
        }
    }
}

/// Plans the bonuses of `entries` (person, base bonus in fen, grade),
/// read twice: for the raw total, then for what is paid.
///
/// Each raw bonus is base × the grade's multiplier, rounded to the fen. A
/// negative base is a data error and counts as 0 (its line keeps the base
/// as given, with nothing raw or paid); so does a multiplier the rule's
/// [`BonusRule::check`] refuses. When the raw total exceeds `pool` (a
/// negative pool counts as empty), every bonus is scaled by pool ÷ raw
/// total and rounded down to the fen, so the paid total never exceeds the
/// pool; the few fen left over stay in the pool. Sums are taken in `i128`
/// and saturate at the ends of `i64`.
pub fn plan_bonuses<I>(entries: I, rule: &BonusRule, pool: Option<i64>) -> BonusPlan
where
    I: IntoIterator<Item = (EmployeeId, i64, Grade)>,
    I::IntoIter: Clone,
{
    let entries = entries.into_iter();
    let mut plan = BonusPlan {
        rule: *rule,
        scaled: None,
        raw_total: 0,
        paid_total: 0,
        scale: 1.0,
    };
    let total = |plan: &BonusPlan, paid: fn(&BonusLine) -> i64| -> i128 {
        entries
            .clone()
            .map(|(employee, base, grade)| i128::from(paid(&plan.line(employee, base, grade))))
            .sum()
    };
    let raw_total = total(&plan, |line| line.raw);
    let pool = pool.map(|p| i128::from(p.max(0)));
    plan.scaled = pool.filter(|&p| raw_total > p).map(|p| (p, raw_total));
    let paid_total = total(&plan, |line| line.paid);
    plan.raw_total = saturate(raw_total);
    plan.paid_total = saturate(paid_total);
    plan.scale = plan
        .scaled
        .map_or(1.0, |(pool, total)| pool as f64 / total as f64);
    plan
}

/// Base × multiplier rounded to the fen; a negative base counts as 0.
fn raw_bonus(base: i64, multiplier: f64) -> i64 {
    // `as` saturates at the ends of i64, which is what a bonus should do.
    (base.max(0) as f64 * multiplier).round() as i64
}

/// `raw × pool ÷ total`, rounded down; `raw` ≤ `total` and `total` > 0.
fn scaled_down(raw: i64, pool: i128, total: i128) -> i64 {
    // raw and pool are each below 2⁶³, so their product fits in i128.
    saturate(i128::from(raw) * pool / total)
}

/// `value` within the range of `i64`.
fn saturate(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

// ------------------------------------------------------ improvement plan

/// Why someone is put on an improvement plan.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PlanReason {
    /// This cycle's grade is D.
    GradeD,
    /// The results score was below `threshold` in each of the last
    /// `cycles` cycles.
    ResultsBelow {
        /// The threshold every one of those scores fell below.
        threshold: f64,
        /// How many cycles running.
        cycles: u8,
    },
}

/// Whether someone needs an improvement plan, and why: a D grade this
/// cycle, or otherwise results scores (oldest first, this cycle last) below
/// `threshold` in each of the last `cycles` cycles (the figures compared as
/// shown: 60.0 is not below 60). A D wins when both hold.
pub fn improvement_plan(
    grade: Option<Grade>,
    results_history: &[Figure],
    threshold: f64,
    cycles: u8,
) -> Option<PlanReason> {
    if grade == Some(Grade::D) {
        return Some(PlanReason::GradeD);
    }
    let cycles_running = usize::from(cycles.max(1));
    let start = results_history.len().checked_sub(cycles_running)?;
    results_history[start..]
        .iter()
        .all(|r| !r.at_least(threshold))
        .then_some(PlanReason::ResultsBelow { threshold, cycles })
}

// ------------------------------------------------------------- training

/// A training course and the competency it builds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    /// The course's code, unique in its catalogue.
    pub code: String,
    /// The course's name as the catalogue gives it.
    pub title: String,
    /// The code of the competency it builds.
    pub competency: String,
}

/// The courses on offer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseCatalogue {
    /// Every course, in catalogue order.
    pub courses: Vec<Course>,
}

impl CourseCatalogue {
    /// The courses that build `competency`, in catalogue order.
    pub fn courses_for(&self, competency: &str) -> impl Iterator<Item = &Course> {
        self.courses
            .iter()
            .filter(move |course| course.competency == competency)
    }
}

/// The courses for every competency rated below `threshold` (competency
/// code, mean rating), weakest competency first (ties by code), each
/// course once. A rating that is not a number recommends nothing.
pub fn recommended_courses<'a>(
    competency_scores: &[(&str, f64)],
    threshold: f64,
    catalogue: &'a CourseCatalogue,
) -> Vec<&'a Course> {
    let mut weak: Vec<&(&str, f64)> = competency_scores
        .iter()
        .filter(|(_, rating)| *rating < threshold)
        .collect();
    weak.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    let mut seen: HashSet<&str> = HashSet::new();
    weak.iter()
        .flat_map(|(code, _)| catalogue.courses_for(code))
        .filter(|course| seen.insert(course.code.as_str()))
        .collect()
}

// ------------------------------------------------ high-performer profile

/// One job title and competency: high performers against everyone else.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileRow {
    /// The job title.
    pub title: String,
    /// The competency code.
    pub competency: String,
    /// The mean rating of S and A people; none when there are none.
    pub top_mean: Option<f64>,
    /// The mean rating of everyone else; none when there is no one.
    pub rest_mean: Option<f64>,
    /// How many S/A ratings `top_mean` averages.
    pub top_count: usize,
    /// How many other ratings `rest_mean` averages.
    pub rest_count: usize,
}

/// Running sums of one side of a profile row.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    sum: f64,
    count: usize,
}

impl Tally {
    fn add(&mut self, rating: f64) {
        self.sum += rating;
        self.count += 1;
    }

    fn mean(self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / self.count as f64)
    }

    fn merge(&mut self, other: Tally) {
        self.sum += other.sum;
        self.count += other.count;
    }
}

/// Whether a grade counts as high performance (S or A).
fn is_top(grade: Grade) -> bool {
    grade <= Grade::A
}

/// The high-performer profile: per job title and competency, the mean
/// rating of S/A people against the mean of everyone else. People are
/// counted one at a time, so that a board of a million scorecards need not
/// keep their marks to make it.
#[derive(Clone, Debug, Default)]
pub struct ProfileTally {
    /// By title, then competency: S/A people's ratings, then the others'.
    tallies: BTreeMap<String, BTreeMap<String, (Tally, Tally)>>,
}

impl ProfileTally {
    /// Counts a person of job `title` graded `grade` with these mean
    /// ratings per competency (code, rating).
    /// (Titles and codes are copied only the first time they are met: a
    /// million people share a few hundred.)
    pub fn add(&mut self, title: &str, grade: Grade, competencies: &[(&str, f64)]) {
        let counted = competencies.iter().filter(|(_, rating)| rating.is_finite());
        let mut counted = counted.peekable();
        if counted.peek().is_none() {
            return;
        }
        if !self.tallies.contains_key(title) {
            self.tallies.insert(title.to_owned(), BTreeMap::new());
        }
        let Some(by_competency) = self.tallies.get_mut(title) else {
            return;
        };
        for &(competency, rating) in counted {
            if !by_competency.contains_key(competency) {
                by_competency.insert(competency.to_owned(), Default::default());
            }
            if let Some((top, rest)) = by_competency.get_mut(competency) {
                if is_top(grade) { top } else { rest }.add(rating);
            }
        }
    }

    /// Adds what `other` counted.
    pub fn merge(&mut self, other: ProfileTally) {
        for (title, by_competency) in other.tallies {
            let into = self.tallies.entry(title).or_default();
            for (competency, (top, rest)) in by_competency {
                let (into_top, into_rest) = into.entry(competency).or_default();
                into_top.merge(top);
                into_rest.merge(rest);
            }
        }
    }

    /// The profile of everyone counted, sorted by title then competency;
    /// ratings that are not finite numbers left out. The same people give
    /// the same rows.
    pub fn rows(self) -> Vec<ProfileRow> {
        self.tallies
            .into_iter()
            .flat_map(|(title, by_competency)| {
                by_competency
                    .into_iter()
                    .map(move |(competency, (top, rest))| ProfileRow {
                        title: title.clone(),
                        competency,
                        top_mean: top.mean(),
                        rest_mean: rest.mean(),
                        top_count: top.count,
                        rest_count: rest.count,
                    })
            })
            .collect()
    }
}

// ---------------------------------------------- trends and early warning

/// How far a final score must fall from one cycle to the next (in points)
/// to raise a warning.
pub const SCORE_FALL: f64 = 15.0;

/// One person's result in one cycle.
#[derive(Clone, Debug, PartialEq)]
pub struct CyclePoint {
    /// The cycle's name.
    pub cycle: String,
    /// The final score F, 0–100, as shown.
    pub final_score: Figure,
    /// The grade given.
    pub grade: Grade,
}

/// A sign that someone is slipping, raised for the later of two cycles.
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// A former S or A fell one grade or more.
    GradeDrop {
        /// The grade the cycle before.
        from: Grade,
        /// The grade in `cycle`.
        to: Grade,
        /// The cycle of the drop.
        cycle: String,
    },
    /// The final score fell by [`SCORE_FALL`] points or more.
    ScoreFall {
        /// The score the cycle before.
        from: Figure,
        /// The score in `cycle`.
        to: Figure,
        /// The cycle of the fall.
        cycle: String,
    },
}

/// Every warning of a history (oldest first), each cycle compared with the
/// one before: a grade drop first, then a score fall, when both hold.
pub fn early_warnings(history: &[CyclePoint]) -> Vec<Warning> {
    history
        .windows(2)
        .flat_map(|pair| warnings_between(&pair[0], &pair[1]))
        .collect()
}

/// The warnings of the latest cycle only (what the pane flags now).
pub fn latest_warnings(history: &[CyclePoint]) -> Vec<Warning> {
    match history {
        [.., before, last] => warnings_between(before, last),
        _ => Vec::new(),
    }
}

/// The warnings `current` raises against the cycle `before` it.
fn warnings_between(before: &CyclePoint, current: &CyclePoint) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if is_top(before.grade) && current.grade.steps_below(before.grade) >= 1 {
        warnings.push(Warning::GradeDrop {
            from: before.grade,
            to: current.grade,
            cycle: current.cycle.clone(),
        });
    }
    if current.final_score.fall_from(before.final_score) >= SCORE_FALL {
        warnings.push(Warning::ScoreFall {
            from: before.final_score,
            to: current.final_score,
            cycle: current.cycle.clone(),
        });
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::figure::Precision;
    use proptest::prelude::*;

    fn id(n: u64) -> EmployeeId {
        EmployeeId(n)
    }

    fn course(code: &str, competency: &str) -> Course {
        Course {
            code: code.into(),
            title: format!("Course {code}"),
            competency: competency.into(),
        }
    }

    /// A person as the profile counts them: title, grade, ratings.
    type Rated<'a> = (&'a str, Grade, &'a [(&'a str, f64)]);

    /// The profile of these people.
    fn profile(people: &[Rated<'_>]) -> Vec<ProfileRow> {
        let mut tally = ProfileTally::default();
        for &(title, grade, ratings) in people {
            tally.add(title, grade, ratings);
        }
        tally.rows()
    }

    #[test]
    fn a_profile_counted_in_two_parts_and_merged_is_the_profile_counted_whole() {
        let people: [Rated<'_>; 5] = [
            ("经理", Grade::S, &[("teamwork", 4.5), ("expertise", 5.0)]),
            ("经理", Grade::C, &[("teamwork", 3.0), ("expertise", 2.5)]),
            ("专员", Grade::A, &[("teamwork", 4.0)]),
            (
                "专员",
                Grade::B,
                &[("teamwork", 3.5), ("expertise", f64::NAN)],
            ),
            ("经理", Grade::A, &[("expertise", 4.0)]),
        ];
        let whole = profile(&people);
        for cut in 0..=people.len() {
            let (mut early, mut late) = (ProfileTally::default(), ProfileTally::default());
            for &(title, grade, ratings) in &people[..cut] {
                early.add(title, grade, ratings);
            }
            for &(title, grade, ratings) in &people[cut..] {
                late.add(title, grade, ratings);
            }
            early.merge(late);
            assert_eq!(early.rows(), whole, "cut at {cut}");
        }
    }

    fn fig(score: f64) -> Figure {
        Figure::round(score, Precision::ONE)
    }

    fn point(cycle: &str, final_score: f64, grade: Grade) -> CyclePoint {
        CyclePoint {
            cycle: cycle.into(),
            final_score: fig(final_score),
            grade,
        }
    }

    /// The plan for a results history in the default two cycles running.
    fn plan(grade: Option<Grade>, history: &[f64], threshold: f64) -> Option<PlanReason> {
        let history: Vec<Figure> = history.iter().map(|&r| fig(r)).collect();
        improvement_plan(grade, &history, threshold, 2)
    }

    // ------------------------------------------------------------ bonus

    #[test]
    fn default_rule_is_sound_and_bad_multipliers_are_refused() {
        assert_eq!(BonusRule::default().check(), Ok(()));
        let mut rule = BonusRule::default();
        rule.multipliers.set(Grade::C, -0.5);
        assert_eq!(rule.check(), Err(BonusRuleError::Negative(Grade::C, -0.5)));
        let mut rule = BonusRule::default();
        rule.multipliers.set(Grade::S, f64::INFINITY);
        assert_eq!(
            rule.check(),
            Err(BonusRuleError::NotFinite(Grade::S, f64::INFINITY))
        );
        let mut rule = BonusRule::default();
        rule.multipliers.set(Grade::A, f64::NAN);
        assert!(matches!(
            rule.check(),
            Err(BonusRuleError::NotFinite(Grade::A, m)) if m.is_nan()
        ));
    }

    /// The plan's line of each of `entries`.
    fn lines_of(plan: &BonusPlan, entries: &[(EmployeeId, i64, Grade)]) -> Vec<BonusLine> {
        entries
            .iter()
            .map(|&(employee, base, grade)| plan.line(employee, base, grade))
            .collect()
    }

    #[test]
    fn raw_bonus_is_base_times_multiplier_rounded_to_the_fen() {
        let entries = [
            (id(1), 1_000_000, Grade::S),
            (id(2), 1_000_000, Grade::A),
            (id(3), 333, Grade::C),
            (id(4), 1_000_000, Grade::D),
        ];
        let plan = plan_bonuses(entries.iter().copied(), &BonusRule::default(), None);
        let lines = lines_of(&plan, &entries);
        let raws: Vec<i64> = lines.iter().map(|l| l.raw).collect();
        assert_eq!(raws, [1_500_000, 1_200_000, 167, 0], "166.5 rounds up");
        assert_eq!(plan.raw_total, 2_700_167);
        assert_eq!(plan.paid_total, plan.raw_total);
        assert_eq!(plan.scale, 1.0);
        assert!(lines.iter().all(|l| l.paid == l.raw));
        assert_eq!(lines[2].employee, id(3));
    }

    #[test]
    fn three_bonuses_over_the_pool_are_scaled_down_to_the_fen() {
        // Raw 15 000 + 9 600 + 5 000 = 29 600 yuan against a 20 000 pool.
        let entries = [
            (id(1), 1_000_000, Grade::S),
            (id(2), 800_000, Grade::A),
            (id(3), 500_000, Grade::B),
        ];
        let plan = plan_bonuses(
            entries.iter().copied(),
            &BonusRule::default(),
            Some(2_000_000),
        );
        assert_eq!(plan.raw_total, 2_960_000);
        let paid: Vec<i64> = lines_of(&plan, &entries).iter().map(|l| l.paid).collect();
        assert_eq!(paid, [1_013_513, 648_648, 337_837]);
        assert_eq!(plan.paid_total, 1_999_998, "2 fen stay in the pool");
        assert!((plan.scale - 2_000_000.0 / 2_960_000.0).abs() < 1e-12);
    }

    #[test]
    fn a_pool_at_or_above_the_total_scales_nothing() {
        let entries = [(id(1), 100_000, Grade::S), (id(2), 100_000, Grade::B)];
        for pool in [250_000, 1_000_000] {
            let plan = plan_bonuses(entries.iter().copied(), &BonusRule::default(), Some(pool));
            assert_eq!(plan.paid_total, 250_000);
            assert_eq!(plan.scale, 1.0);
        }
    }

    #[test]
    fn negative_bases_and_pools_count_as_zero() {
        let entries = [(id(1), -50_000, Grade::S), (id(2), 10_000, Grade::B)];
        let plan = plan_bonuses(entries.iter().copied(), &BonusRule::default(), None);
        let first = lines_of(&plan, &entries)[0];
        assert_eq!(first.base, -50_000, "the base is kept as given");
        assert_eq!((first.raw, first.paid), (0, 0));
        assert_eq!(plan.raw_total, 10_000);
        let plan = plan_bonuses(entries.iter().copied(), &BonusRule::default(), Some(-1));
        assert_eq!(plan.paid_total, 0);
        assert_eq!(plan.scale, 0.0);
    }

    #[test]
    fn refused_multipliers_pay_nothing_and_huge_bonuses_saturate() {
        let mut rule = BonusRule::default();
        rule.multipliers.set(Grade::A, f64::NAN);
        rule.multipliers.set(Grade::B, -1.0);
        let entries = [(id(1), 10_000, Grade::A), (id(2), 10_000, Grade::B)];
        assert_eq!(
            plan_bonuses(entries.iter().copied(), &rule, None).raw_total,
            0
        );
        let entries = [(id(1), i64::MAX, Grade::S), (id(2), i64::MAX, Grade::S)];
        let plan = plan_bonuses(
            entries.iter().copied(),
            &BonusRule::default(),
            Some(i64::MAX),
        );
        let first = lines_of(&plan, &entries)[0];
        assert_eq!(first.raw, i64::MAX);
        assert_eq!(plan.raw_total, i64::MAX, "the total saturates");
        assert_eq!(first.paid, i64::MAX / 2, "half the pool each");
        assert_eq!(plan.paid_total, i64::MAX - 1);
    }

    #[test]
    fn no_one_to_pay_is_an_empty_plan() {
        let plan = plan_bonuses([], &BonusRule::default(), Some(0));
        assert_eq!((plan.raw_total, plan.paid_total, plan.scale), (0, 0, 1.0));
    }

    // ------------------------------------------------- improvement plan

    #[test]
    fn a_d_grade_or_two_low_results_call_for_a_plan() {
        assert_eq!(plan(Some(Grade::D), &[], 60.0), Some(PlanReason::GradeD));
        assert_eq!(
            plan(Some(Grade::D), &[50.0, 40.0], 60.0),
            Some(PlanReason::GradeD),
            "a D wins over low results"
        );
        assert_eq!(
            plan(Some(Grade::C), &[90.0, 55.0, 59.9], 60.0),
            Some(PlanReason::ResultsBelow {
                threshold: 60.0,
                cycles: 2
            })
        );
        assert_eq!(
            plan(None, &[55.0, 50.0], 60.0),
            Some(PlanReason::ResultsBelow {
                threshold: 60.0,
                cycles: 2
            })
        );
    }

    #[test]
    fn the_plan_rule_counts_the_cycles_it_is_set_to() {
        let history = [fig(50.0), fig(55.0), fig(59.9)];
        assert_eq!(
            improvement_plan(None, &history, 60.0, 3),
            Some(PlanReason::ResultsBelow {
                threshold: 60.0,
                cycles: 3
            })
        );
        assert_eq!(improvement_plan(None, &history[1..], 60.0, 3), None);
        assert!(improvement_plan(None, &[fig(59.9)], 60.0, 1).is_some());
        assert_eq!(
            improvement_plan(None, &[fig(50.0), fig(59.96)], 60.0, 2),
            None,
            "59.96 shows as 60.0, which is not below 60"
        );
    }

    #[test]
    fn one_low_cycle_or_a_score_at_the_threshold_is_no_plan() {
        assert_eq!(plan(Some(Grade::C), &[50.0], 60.0), None);
        assert_eq!(plan(Some(Grade::C), &[50.0, 70.0], 60.0), None);
        assert_eq!(plan(Some(Grade::C), &[70.0, 50.0], 60.0), None);
        assert_eq!(plan(Some(Grade::B), &[50.0, 60.0], 60.0), None);
        assert_eq!(plan(None, &[], 60.0), None);
    }

    // --------------------------------------------------------- training

    #[test]
    fn weak_competencies_map_to_courses_weakest_first_once_each() {
        let catalogue = CourseCatalogue {
            courses: vec![
                course("T1", "teamwork"),
                course("C1", "communication"),
                course("T2", "teamwork"),
                course("L1", "leadership"),
                course("C1", "communication"),
            ],
        };
        let ratings = [
            ("teamwork", 2.5),
            ("leadership", 4.5),
            ("communication", 2.0),
            ("teamwork", 2.8),
        ];
        let codes: Vec<&str> = recommended_courses(&ratings, 3.0, &catalogue)
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(codes, ["C1", "T1", "T2"]);
    }

    #[test]
    fn ratings_at_the_threshold_or_without_courses_recommend_nothing() {
        let catalogue = CourseCatalogue {
            courses: vec![course("T1", "teamwork")],
        };
        let ratings = [("teamwork", 3.0), ("ethics", 1.0), ("teamwork", f64::NAN)];
        assert!(recommended_courses(&ratings, 3.0, &catalogue).is_empty());
        assert_eq!(catalogue.courses_for("teamwork").count(), 1);
        assert_eq!(catalogue.courses_for("ethics").count(), 0);
    }

    #[test]
    fn equally_weak_competencies_go_by_code() {
        let catalogue = CourseCatalogue {
            courses: vec![course("Z", "zeal"), course("A", "accuracy")],
        };
        let ratings = [("zeal", 2.0), ("accuracy", 2.0)];
        let codes: Vec<&str> = recommended_courses(&ratings, 3.0, &catalogue)
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(codes, ["A", "Z"]);
    }

    // ------------------------------------------- high-performer profile

    #[test]
    fn high_performers_are_set_against_everyone_else_per_title() {
        let rows = profile(&[
            ("engineer", Grade::S, &[("design", 5.0), ("teamwork", 4.0)]),
            ("engineer", Grade::A, &[("design", 4.0)]),
            ("engineer", Grade::B, &[("design", 3.0), ("teamwork", 4.0)]),
            ("engineer", Grade::D, &[("design", 2.0)]),
            (
                "analyst",
                Grade::C,
                &[("design", 3.5), ("rigour", f64::NAN)],
            ),
        ]);
        let keys: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.title.as_str(), r.competency.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("analyst", "design"),
                ("engineer", "design"),
                ("engineer", "teamwork")
            ]
        );
        assert_eq!(rows[0].top_mean, None);
        assert_eq!((rows[0].rest_mean, rows[0].rest_count), (Some(3.5), 1));
        let design = &rows[1];
        assert_eq!((design.top_mean, design.top_count), (Some(4.5), 2));
        assert_eq!((design.rest_mean, design.rest_count), (Some(2.5), 2));
        let teamwork = &rows[2];
        assert_eq!(
            (teamwork.top_mean, teamwork.rest_mean),
            (Some(4.0), Some(4.0))
        );
    }

    #[test]
    fn no_people_no_profile() {
        assert!(profile(&[]).is_empty());
    }

    // ------------------------------------------ trends and early warning

    #[test]
    fn a_former_top_performer_dropping_a_grade_is_flagged() {
        let history = [
            point("2022", 85.0, Grade::A),
            point("2023", 92.0, Grade::S),
            point("2024", 82.0, Grade::A),
            point("2025", 75.0, Grade::B),
        ];
        assert_eq!(
            early_warnings(&history),
            [
                Warning::GradeDrop {
                    from: Grade::S,
                    to: Grade::A,
                    cycle: "2024".into()
                },
                Warning::GradeDrop {
                    from: Grade::A,
                    to: Grade::B,
                    cycle: "2025".into()
                },
            ]
        );
    }

    #[test]
    fn a_drop_from_b_down_is_not_a_grade_warning() {
        let history = [point("2024", 75.0, Grade::B), point("2025", 65.0, Grade::C)];
        assert!(early_warnings(&history).is_empty());
    }

    #[test]
    fn a_fall_of_fifteen_points_is_flagged_with_a_drop_on_the_same_cycle() {
        let history = [
            point("2023", 80.0, Grade::B),
            point("2024", 65.0, Grade::C),
            point("2025", 92.0, Grade::S),
            point("2026", 70.0, Grade::B),
        ];
        assert_eq!(
            early_warnings(&history),
            [
                Warning::ScoreFall {
                    from: fig(80.0),
                    to: fig(65.0),
                    cycle: "2024".into()
                },
                Warning::GradeDrop {
                    from: Grade::S,
                    to: Grade::B,
                    cycle: "2026".into()
                },
                Warning::ScoreFall {
                    from: fig(92.0),
                    to: fig(70.0),
                    cycle: "2026".into()
                },
            ]
        );
        let small = [point("2024", 80.0, Grade::B), point("2025", 65.1, Grade::B)];
        assert!(early_warnings(&small).is_empty(), "14.9 points is no fall");
    }

    #[test]
    fn latest_warnings_look_at_the_last_step_only() {
        let history = [
            point("2023", 92.0, Grade::S),
            point("2024", 70.0, Grade::B),
            point("2025", 72.0, Grade::B),
        ];
        assert_eq!(early_warnings(&history).len(), 2);
        assert!(latest_warnings(&history).is_empty());
        assert_eq!(
            latest_warnings(&history[..2]),
            early_warnings(&history[..2])
        );
        assert!(latest_warnings(&history[..1]).is_empty());
        assert!(latest_warnings(&[]).is_empty());
    }

    // ------------------------------------------------------- properties

    fn any_grade() -> impl Strategy<Value = Grade> {
        (0usize..5).prop_map(|i| Grade::ALL[i])
    }

    fn any_rule() -> impl Strategy<Value = BonusRule> {
        prop_oneof![
            Just(BonusRule::default()),
            proptest::array::uniform5(0.0f64..5.0).prop_map(|m| BonusRule {
                multipliers: PerGrade(m)
            }),
        ]
    }

    fn any_entries() -> impl Strategy<Value = Vec<(EmployeeId, i64, Grade)>> {
        proptest::collection::vec(
            (any::<u64>(), -1_000_000i64..100_000_000_000, any_grade()),
            0..30,
        )
        .prop_map(|rows| {
            rows.into_iter()
                .map(|(n, base, grade)| (EmployeeId(n), base, grade))
                .collect()
        })
    }

    /// A history whose scores never fall and whose grades never worsen.
    fn rising_history() -> impl Strategy<Value = Vec<CyclePoint>> {
        proptest::collection::vec((0.0f64..10.0, 0usize..3), 0..12).prop_map(|steps| {
            let (mut score, mut grade) = (0.0, Grade::ALL.len() - 1);
            steps
                .into_iter()
                .enumerate()
                .map(|(i, (gain, up))| {
                    score = f64::min(score + gain, 100.0);
                    grade = grade.saturating_sub(up);
                    point(&i.to_string(), score, Grade::ALL[grade])
                })
                .collect()
        })
    }

    proptest! {
        /// Paid bonuses never exceed the pool, the raw total or their raw.
        #[test]
        fn paid_never_exceeds_pool_or_raw(
            entries in any_entries(),
            rule in any_rule(),
            pool in 0i64..2_000_000_000_000,
        ) {
            let plan = plan_bonuses(entries.iter().copied(), &rule, Some(pool));
            prop_assert!(plan.paid_total <= pool);
            prop_assert!(plan.paid_total <= plan.raw_total);
            let lines = lines_of(&plan, &entries);
            prop_assert!(lines.iter().all(|l| 0 <= l.paid && l.paid <= l.raw));
            let sum: i64 = lines.iter().map(|l| l.paid).sum();
            prop_assert_eq!(sum, plan.paid_total);
            prop_assert!((0.0..=1.0).contains(&plan.scale));
        }

        /// Scaling leaves less than one fen per person in the pool.
        #[test]
        fn scaling_leaves_less_than_a_fen_each(
            entries in any_entries(),
            pool in 0i64..2_000_000_000_000,
        ) {
            let plan = plan_bonuses(entries.iter().copied(), &BonusRule::default(), Some(pool));
            if plan.raw_total > pool {
                prop_assert!(pool - plan.paid_total < entries.len().max(1) as i64);
            }
        }

        /// With no pool, or a pool at or above the raw total, nothing is scaled.
        #[test]
        fn nothing_is_scaled_without_need(
            entries in any_entries(),
            rule in any_rule(),
            extra in 0i64..1_000_000,
            with_pool in any::<bool>(),
        ) {
            let raw_total = plan_bonuses(entries.iter().copied(), &rule, None).raw_total;
            let pool = with_pool.then_some(raw_total + extra);
            let plan = plan_bonuses(entries.iter().copied(), &rule, pool);
            prop_assert_eq!(plan.scale, 1.0);
            prop_assert_eq!(plan.paid_total, plan.raw_total);
            prop_assert!(lines_of(&plan, &entries).iter().all(|l| l.paid == l.raw));
        }

        /// A D grade always calls for a plan, whatever the results.
        #[test]
        fn a_d_grade_always_calls_for_a_plan(
            history in proptest::collection::vec(0.0f64..100.0, 0..6),
            threshold in 0.0f64..100.0,
        ) {
            prop_assert_eq!(
                plan(Some(Grade::D), &history, threshold),
                Some(PlanReason::GradeD)
            );
        }

        /// Scores that never fall and grades that never worsen raise nothing.
        #[test]
        fn a_rising_history_raises_no_warning(history in rising_history()) {
            prop_assert!(early_warnings(&history).is_empty());
            prop_assert!(latest_warnings(&history).is_empty());
        }
    }
}
