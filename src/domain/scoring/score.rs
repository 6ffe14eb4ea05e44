//! A scorecard and every term that went into it. Results R (0–100) is the
//! weighted sum of the cycle's indicators: goal achievement and imported
//! figures, each an achievement in percent capped at 100. Capability C
//! (0–100) is the weighted mean of the rater groups' scores, each group's
//! score the weighted mean of its competency marks mapped onto 0–100. The
//! final F = α·R + (1 − α)·C, graded by the cycle's bands.
//!
//! Anonymity: a peer or subordinate group with fewer distinct raters than
//! the cycle's minimum is never shown. The small anonymous groups are
//! merged with the other anonymous group when together they reach the
//! minimum; otherwise they are hidden and the weights of the groups shown
//! are scaled up to make 100.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashMap;

use super::config::{CycleConfig, GOALS_INDICATOR};
use super::grade::Grade;
use super::lenient::Leniency;
use super::{RaterGroup, Rating};
use crate::domain::employee::EmployeeId;
use crate::domain::goal::progress::Rollup;
use crate::domain::goal::tree::GoalTree;
use crate::domain::goal::{GoalStatus, Owner, Period};

/// What a capability group shows as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Shown {
    Group(RaterGroup),
    /// Peers and subordinates merged, for anonymity.
    Others,
}

/// Where a term of a score comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The indicator at this place in the cycle's settings.
    Indicator(usize),
    Group(Shown),
    /// The results score, in the final score.
    Results,
    /// The capability score, in the final score.
    Capability,
}

/// One term of a weighted score: `contribution = weight / 100 × value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub source: Source,
    /// Percent of the score this term counts for (after any scaling).
    pub weight: f64,
    /// The term's own score, 0–100.
    pub value: f64,
    pub contribution: f64,
}

impl Term {
    fn new(source: Source, weight: f64, value: f64) -> Term {
        Term {
            source,
            weight,
            value,
            contribution: weight / 100.0 * value,
        }
    }
}

/// One rater group's marks, as the breakdown shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupMarks {
    pub shown: Shown,
    pub raters: usize,
    /// The group's score, 0–100.
    pub score: f64,
    /// The mean mark of each competency the group rated (on the scale), by
    /// the competency's place in the cycle's settings (no text is copied
    /// into 100,000 scorecards).
    pub competencies: Vec<(usize, f64)>,
}

/// What a scorecard still lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// The employee has no goal in the cycle's period.
    Goals,
    /// No value was entered for the indicator at this place in the settings.
    Indicator(usize),
    /// No rating from any group that counts.
    Ratings,
}

/// One employee's scores with their terms.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Scorecard {
    pub results: Option<f64>,
    pub results_terms: Vec<Term>,
    pub capability: Option<f64>,
    pub capability_terms: Vec<Term>,
    /// The groups that count, with their marks.
    pub groups: Vec<GroupMarks>,
    /// Self-ratings shown beside the others without counting.
    pub own_apart: Option<GroupMarks>,
    /// Anonymous groups too small to show, even merged.
    pub hidden: Vec<RaterGroup>,
    pub final_score: Option<f64>,
    pub final_terms: Vec<Term>,
    pub grade: Option<Grade>,
    pub missing: Vec<Missing>,
}

impl Scorecard {
    /// Each competency's mean mark over the groups that count and rated
    /// it (what training recommendations read), by code, in the groups' order.
    pub fn competency_means(&self, config: &CycleConfig) -> Vec<(String, f64)> {
        let mut sums: Vec<(usize, f64, usize)> = Vec::new();
        for group in &self.groups {
            for &(at, mean) in &group.competencies {
                match sums.iter_mut().find(|(c, _, _)| *c == at) {
                    Some(entry) => {
                        entry.1 += mean;
                        entry.2 += 1;
                    }
                    None => sums.push((at, mean, 1)),
                }
            }
        }
        sums.into_iter()
            .filter_map(|(at, total, n)| {
                let code = config.competencies.get(at)?.code.clone();
                Some((code, total / n as f64))
            })
            .collect()
    }
}

/// What one employee's scorecard is computed from.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// Goal achievement in percent (100 is on target), if they have goals.
    pub goal_achievement: Option<f64>,
    /// Imported indicator values (code, achievement in percent).
    pub indicators: &'a [(String, f64)],
    /// The ratings of this employee in this cycle.
    pub ratings: &'a [Rating],
    /// When the cycle normalises marks: every rater's spread.
    pub leniency: Option<&'a Leniency>,
}

/// Computes a scorecard.
pub fn score(config: &CycleConfig, inputs: &Inputs<'_>) -> Scorecard {
    let mut card = Scorecard::default();
    results(config, inputs, &mut card);
    capability(config, inputs, &mut card);
    if let (Some(r), Some(c)) = (card.results, card.capability) {
        let alpha = f64::from(config.results_weight);
        card.final_terms = vec![
            Term::new(Source::Results, alpha, r),
            Term::new(Source::Capability, 100.0 - alpha, c),
        ];
        let f: f64 = card.final_terms.iter().map(|t| t.contribution).sum();
        let f = f.clamp(0.0, 100.0);
        card.final_score = Some(f);
        card.grade = Some(config.bands.grade(f));
    }
    card
}

fn results(config: &CycleConfig, inputs: &Inputs<'_>, card: &mut Scorecard) {
    for (at, item) in config.indicators.iter().enumerate() {
        let value = if item.code == GOALS_INDICATOR {
            inputs.goal_achievement
        } else {
            inputs
                .indicators
                .iter()
                .find(|(code, _)| *code == item.code)
                .map(|(_, v)| *v)
        };
        match value {
            Some(v) => card.results_terms.push(Term::new(
                Source::Indicator(at),
                f64::from(item.weight),
                achievement_points(v),
            )),
            None if item.code == GOALS_INDICATOR => card.missing.push(Missing::Goals),
            None => card.missing.push(Missing::Indicator(at)),
        }
    }
    if card.missing.is_empty() {
        card.results = Some(sum(&card.results_terms));
    }
}

/// An achievement in percent as points of a score: over-achievement counts
/// as 100, and nonsense as 0.
fn achievement_points(percent: f64) -> f64 {
    if percent.is_nan() {
        0.0
    } else {
        percent.clamp(0.0, 100.0)
    }
}

fn sum(terms: &[Term]) -> f64 {
    terms
        .iter()
        .map(|t| t.contribution)
        .sum::<f64>()
        .clamp(0.0, 100.0)
}

/// The ratings of each group, the anonymous ones merged or hidden.
fn shown_groups<'a>(
    config: &CycleConfig,
    ratings: &'a [Rating],
) -> (Vec<(Shown, Vec<&'a Rating>)>, Vec<RaterGroup>) {
    let of = |group: RaterGroup| -> Vec<&Rating> {
        ratings.iter().filter(|r| r.group == group).collect()
    };
    let raters =
        |list: &[&Rating]| -> usize { list.iter().map(|r| r.rater).collect::<BTreeSet<_>>().len() };
    let min = usize::from(config.min_raters);
    let mut shown = Vec::new();
    for group in [RaterGroup::Own, RaterGroup::Manager] {
        let list = of(group);
        if !list.is_empty() {
            shown.push((Shown::Group(group), list));
        }
    }
    let anonymous: Vec<(RaterGroup, Vec<&Rating>)> = [RaterGroup::Peer, RaterGroup::Subordinate]
        .into_iter()
        .map(|g| (g, of(g)))
        .filter(|(_, list)| !list.is_empty())
        .collect();
    let small = anonymous.iter().any(|(_, list)| raters(list) < min);
    if !small {
        shown.extend(
            anonymous
                .into_iter()
                .map(|(g, list)| (Shown::Group(g), list)),
        );
        return (shown, Vec::new());
    }
    let merged: Vec<&Rating> = anonymous
        .iter()
        .flat_map(|(_, l)| l.iter().copied())
        .collect();
    if raters(&merged) >= min {
        shown.push((Shown::Others, merged));
        return (shown, Vec::new());
    }
    let mut hidden = Vec::new();
    for (group, list) in anonymous {
        if raters(&list) >= min {
            shown.push((Shown::Group(group), list));
        } else {
            hidden.push(group);
        }
    }
    (shown, hidden)
}

/// A group's marks: each competency's mean mark, and the weighted score
/// over the competencies it rated.
fn group_marks(
    config: &CycleConfig,
    shown: Shown,
    ratings: &[&Rating],
    leniency: Option<&Leniency>,
) -> Option<GroupMarks> {
    let mut by_competency: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for rating in ratings {
        if config.competency(&rating.competency).is_some() {
            let entry = by_competency.entry(&rating.competency).or_default();
            entry.0 += leniency.map_or(f64::from(rating.value), |l| l.mark(rating));
            entry.1 += 1;
        }
    }
    let mut weighted = 0.0;
    let mut weights = 0.0;
    let mut competencies = Vec::new();
    for (at, item) in config.competencies.iter().enumerate() {
        if let Some((total, count)) = by_competency.get(item.code.as_str()) {
            let mean = total / *count as f64;
            competencies.push((at, mean));
            weighted += f64::from(item.weight) * config.scale_to_percent(mean);
            weights += f64::from(item.weight);
        }
    }
    if competencies.is_empty() {
        return None;
    }
    let score = if weights > 0.0 {
        weighted / weights
    } else {
        let n = competencies.len() as f64;
        competencies
            .iter()
            .map(|(_, mean)| config.scale_to_percent(*mean))
            .sum::<f64>()
            / n
    };
    Some(GroupMarks {
        shown,
        raters: ratings
            .iter()
            .map(|r| r.rater)
            .collect::<BTreeSet<_>>()
            .len(),
        score,
        competencies,
    })
}

/// The configured weight of a group as shown (merged groups add theirs up).
fn shown_weight(config: &CycleConfig, shown: Shown) -> f64 {
    let weight = |g| f64::from(config.group_weights.get(g));
    match shown {
        Shown::Group(g) => weight(g),
        Shown::Others => weight(RaterGroup::Peer) + weight(RaterGroup::Subordinate),
    }
}

fn capability(config: &CycleConfig, inputs: &Inputs<'_>, card: &mut Scorecard) {
    let (shown, hidden) = shown_groups(config, inputs.ratings);
    card.hidden = hidden;
    for (group, list) in shown {
        let Some(marks) = group_marks(config, group, &list, inputs.leniency) else {
            continue;
        };
        if config.self_apart && group == Shown::Group(RaterGroup::Own) {
            card.own_apart = Some(marks);
        } else if shown_weight(config, group) > 0.0 {
            card.groups.push(marks);
        }
    }
    let total: f64 = card
        .groups
        .iter()
        .map(|g| shown_weight(config, g.shown))
        .sum();
    if total <= 0.0 {
        card.missing.push(Missing::Ratings);
        return;
    }
    card.capability_terms = card
        .groups
        .iter()
        .map(|g| {
            let weight = shown_weight(config, g.shown) / total * 100.0;
            Term::new(Source::Group(g.shown), weight, g.score)
        })
        .collect();
    card.capability = Some(sum(&card.capability_terms));
}

/// Everyone's goal achievement in one period, in percent, read from the
/// goal tree in one pass: the weighted mean progress of a person's own top
/// goals (those not under another goal of theirs) that lie within the
/// period and are not archived. Someone with no such goal has none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GoalAchievements {
    by_employee: HashMap<EmployeeId, f64>,
}

/// Achievements recorded earlier (when a cycle closed).
impl FromIterator<(EmployeeId, f64)> for GoalAchievements {
    fn from_iter<I: IntoIterator<Item = (EmployeeId, f64)>>(iter: I) -> Self {
        GoalAchievements {
            by_employee: iter.into_iter().collect(),
        }
    }
}

impl GoalAchievements {
    pub fn new(tree: &GoalTree, rollup: &Rollup, period: Period) -> GoalAchievements {
        // (weighted sum, weights, plain sum, count) per person.
        let mut sums: HashMap<EmployeeId, (f64, f64, f64, usize)> = HashMap::default();
        for slot in 0..tree.len() {
            let goal = tree.at(slot);
            let Owner::Employee(person) = goal.owner else {
                continue;
            };
            let under_own = tree
                .parent_slot(slot)
                .is_some_and(|p| tree.at(p).owner == goal.owner);
            if goal.status == GoalStatus::Archived || !period.contains(goal.period) || under_own {
                continue;
            }
            let progress = rollup.at(slot) * 100.0;
            let weight = f64::from(goal.weight.0);
            let entry = sums.entry(person).or_default();
            entry.0 += weight * progress;
            entry.1 += weight;
            entry.2 += progress;
            entry.3 += 1;
        }
        let by_employee = sums
            .into_iter()
            .map(|(person, (weighted, weights, plain, count))| {
                let mean = if weights > 0.0 {
                    weighted / weights
                } else {
                    plain / count as f64
                };
                (person, mean)
            })
            .collect();
        GoalAchievements { by_employee }
    }

    /// `employee`'s achievement, if they have goals in the period.
    pub fn of(&self, employee: EmployeeId) -> Option<f64> {
        self.by_employee.get(&employee).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::CycleId;
    use crate::domain::scoring::config::{GroupWeights, WeightedItem};
    use chrono::Utc;
    use proptest::prelude::*;

    fn rating(rater: u64, group: RaterGroup, competency: &str, value: u8) -> Rating {
        Rating {
            cycle: CycleId(1),
            ratee: EmployeeId(100),
            rater: EmployeeId(rater),
            group,
            competency: competency.into(),
            value,
            comment: String::new(),
            recorded_by: "hr".into(),
            recorded_at: Utc::now(),
            basis: Default::default(),
            source: Default::default(),
        }
    }

    /// Every competency marked `value` by each rater.
    fn marks(raters: &[u64], group: RaterGroup, value: u8) -> Vec<Rating> {
        let config = CycleConfig::default();
        raters
            .iter()
            .flat_map(|&r| {
                config
                    .competencies
                    .iter()
                    .map(move |c| rating(r, group, &c.code, value))
            })
            .collect()
    }

    fn card(goals: Option<f64>, ratings: &[Rating]) -> Scorecard {
        score(
            &CycleConfig::default(),
            &Inputs {
                goal_achievement: goals,
                indicators: &[],
                ratings,
                leniency: None,
            },
        )
    }

    #[test]
    fn a_worked_example_adds_up_term_by_term() {
        // Manager 4s (75 points), three peers 5s (100), three subordinates 3s (50).
        let mut ratings = marks(&[1], RaterGroup::Manager, 4);
        ratings.extend(marks(&[2, 3, 4], RaterGroup::Peer, 5));
        ratings.extend(marks(&[5, 6, 7], RaterGroup::Subordinate, 3));
        let card = card(Some(90.0), &ratings);
        assert_eq!(card.results, Some(90.0));
        // C = 0.4·75 + 0.3·100 + 0.3·50 = 75
        assert_eq!(card.capability, Some(75.0));
        // F = 0.7·90 + 0.3·75 = 85.5 → A
        let f = card.final_score.unwrap();
        assert!((f - 85.5).abs() < 1e-9, "{f}");
        assert_eq!(card.grade, Some(Grade::A));
        let parts: f64 = card.final_terms.iter().map(|t| t.contribution).sum();
        assert!((parts - f).abs() < 1e-9, "the terms are the score");
    }

    #[test]
    fn over_achievement_counts_as_a_hundred() {
        let ratings = marks(&[1], RaterGroup::Manager, 5);
        assert_eq!(card(Some(140.0), &ratings).results, Some(100.0));
    }

    #[test]
    fn small_anonymous_groups_merge_or_hide() {
        let mut ratings = marks(&[1], RaterGroup::Manager, 4);
        ratings.extend(marks(&[2, 3], RaterGroup::Peer, 5));
        ratings.extend(marks(&[4], RaterGroup::Subordinate, 1));
        let merged = card(Some(80.0), &ratings);
        let shown: Vec<Shown> = merged.groups.iter().map(|g| g.shown).collect();
        assert_eq!(
            shown,
            vec![Shown::Group(RaterGroup::Manager), Shown::Others]
        );
        assert_eq!(merged.groups[1].raters, 3);

        let mut ratings = marks(&[1], RaterGroup::Manager, 4);
        ratings.extend(marks(&[2, 3], RaterGroup::Peer, 5));
        let hidden = card(Some(80.0), &ratings);
        assert_eq!(hidden.hidden, vec![RaterGroup::Peer]);
        assert_eq!(
            hidden.capability,
            Some(75.0),
            "the manager's weight fills the whole"
        );
        assert_eq!(hidden.capability_terms[0].weight, 100.0);
    }

    #[test]
    fn self_apart_is_shown_but_not_counted() {
        let mut ratings = marks(&[1], RaterGroup::Manager, 3);
        ratings.extend(marks(&[100], RaterGroup::Own, 5));
        let card = card(Some(80.0), &ratings);
        assert_eq!(card.capability, Some(50.0));
        assert_eq!(card.own_apart.as_ref().map(|g| g.score), Some(100.0));
    }

    #[test]
    fn what_is_missing_is_listed_and_nothing_is_graded() {
        let config = CycleConfig {
            indicators: vec![
                WeightedItem::new(GOALS_INDICATOR, "goals", 60),
                WeightedItem::new("quality", "quality", 40),
            ],
            ..CycleConfig::default()
        };
        let card = score(
            &config,
            &Inputs {
                goal_achievement: None,
                indicators: &[],
                ratings: &[],
                leniency: None,
            },
        );
        assert_eq!(
            card.missing,
            vec![Missing::Goals, Missing::Indicator(1), Missing::Ratings]
        );
        assert_eq!((card.final_score, card.grade), (None, None));
    }

    #[test]
    fn imported_indicators_weigh_in() {
        let config = CycleConfig {
            indicators: vec![
                WeightedItem::new(GOALS_INDICATOR, "goals", 60),
                WeightedItem::new("quality", "quality", 40),
            ],
            ..CycleConfig::default()
        };
        let indicators = vec![("quality".to_string(), 50.0)];
        let ratings = marks(&[1], RaterGroup::Manager, 5);
        let card = score(
            &config,
            &Inputs {
                goal_achievement: Some(100.0),
                indicators: &indicators,
                ratings: &ratings,
                leniency: None,
            },
        );
        assert_eq!(card.results, Some(80.0));
    }

    #[test]
    fn achievement_is_the_weighted_progress_of_a_persons_top_goals_in_the_period() {
        use crate::domain::fixtures;
        use crate::domain::goal::{Direction, Kpi, Measure, Weight};
        let me = EmployeeId(7);
        let kpi = |id: u64, owner: EmployeeId, parent: Option<u64>, actual: f64| {
            let mut goal = fixtures::goal(id, Owner::Employee(owner), parent);
            goal.measure = Measure::Kpi(Kpi {
                metric: "m".into(),
                unit: String::new(),
                baseline: 0.0,
                target: 100.0,
                actual: Some(actual),
                direction: Direction::HigherIsBetter,
            });
            goal
        };
        let mut goals = vec![
            fixtures::goal(1, Owner::Employee(me), None),
            kpi(2, me, None, 100.0),
            // Under my own goal 1: already inside its progress.
            kpi(3, me, Some(1), 50.0),
            // Someone else's, and one of mine in another year.
            kpi(4, EmployeeId(8), None, 10.0),
            kpi(5, me, None, 0.0),
        ];
        goals[0].weight = Weight(6000);
        goals[4].period = Period::Year(2025);
        goals[1].weight = Weight(4000);
        let tree = GoalTree::new(goals);
        let rollup = Rollup::compute(&tree);
        let achieved = GoalAchievements::new(&tree, &rollup, Period::Year(2026));
        // Goal 1 is 50% (its child), goal 2 is 100%: 0.6·50 + 0.4·100 = 70.
        let mine = achieved.of(me).unwrap();
        assert!((mine - 70.0).abs() < 1e-9, "{mine}");
        assert_eq!(achieved.of(EmployeeId(9)), None);
    }

    proptest! {
        /// Whatever the marks and raters: scores stay within 0–100, the
        /// final lies between R and C, and no group shown to anyone has
        /// fewer anonymous raters than the minimum.
        #[test]
        fn scores_are_bounded_and_anonymity_holds(
            goals in 0.0f64..200.0,
            alpha in 0u8..=100,
            min in 1u8..5,
            raw in proptest::collection::vec((1u64..12, 0usize..4, 0usize..3, 1u8..=5), 0..40),
        ) {
            let config = CycleConfig {
                results_weight: alpha,
                min_raters: min,
                self_apart: false,
                group_weights: GroupWeights([10, 30, 30, 30]),
                ..CycleConfig::default()
            };
            let ratings: Vec<Rating> = raw
                .iter()
                .map(|&(rater, g, c, v)| {
                    rating(rater, RaterGroup::ALL[g], &config.competencies[c].code, v)
                })
                .collect();
            let card = score(&config, &Inputs { goal_achievement: Some(goals), indicators: &[], ratings: &ratings, leniency: None });
            for value in [card.results, card.capability, card.final_score].into_iter().flatten() {
                prop_assert!((0.0..=100.0).contains(&value));
            }
            if let (Some(r), Some(c), Some(f)) = (card.results, card.capability, card.final_score) {
                prop_assert!(f >= r.min(c) - 1e-9 && f <= r.max(c) + 1e-9);
            }
            for group in &card.groups {
                let anonymous = match group.shown {
                    Shown::Others => true,
                    Shown::Group(g) => g.is_anonymous(),
                };
                prop_assert!(!anonymous || group.raters >= usize::from(min));
            }
        }
    }
}
