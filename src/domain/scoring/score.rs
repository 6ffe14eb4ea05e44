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

use super::achievement::{GoalResult, MissingActual};
use super::config::{CycleConfig, GOALS_INDICATOR};
use super::figure::Figure;
use super::grade::Grade;
use super::lenient::Leniency;
use super::{RaterGroup, RatingView};
use crate::tr;

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
    /// Goals that count have no measurement: the first few, and how many.
    Actuals {
        first: Box<[MissingActual]>,
        total: u32,
    },
    /// No value was entered for the indicator at this place in the settings.
    Indicator(usize),
    /// No rating from any group that counts.
    Ratings,
}

impl Missing {
    /// The missing item as `export scores` names it: `goals`, `ratings`,
    /// an indicator's code, `actual:G12` per goal named (`actual:G12@2026-03`
    /// for a month of a goal measured month by month, and `actual:+N` for
    /// what is not named).
    pub fn codes(&self, config: &CycleConfig) -> Vec<String> {
        match self {
            Missing::Goals => vec!["goals".to_string()],
            Missing::Ratings => vec!["ratings".to_string()],
            Missing::Indicator(at) => config
                .indicators
                .get(*at)
                .map(|i| i.code.clone())
                .into_iter()
                .collect(),
            Missing::Actuals { first, total } => {
                let mut codes: Vec<String> = first
                    .iter()
                    .map(|m| match m.month {
                        Some(month) => format!("actual:{}@{}", m.goal, month.format("%Y-%m")),
                        None => format!("actual:{}", m.goal),
                    })
                    .collect();
                let unnamed = unnamed(first, *total);
                if unnamed > 0 {
                    codes.push(format!("actual:+{unnamed}"));
                }
                codes
            }
        }
    }

    /// The missing item in words.
    pub fn describe(&self, config: &CycleConfig) -> String {
        match self {
            Missing::Goals => tr!("scoring.missing.goals"),
            Missing::Ratings => tr!("scoring.missing.ratings"),
            Missing::Indicator(at) => config
                .indicators
                .get(*at)
                .map_or_else(String::new, |i| i.name.clone()),
            Missing::Actuals { first, total } => {
                let goals: Vec<String> = first
                    .iter()
                    .map(|m| match m.month {
                        Some(month) => tr!(
                            "scoring.missing.month",
                            goal = m.goal,
                            month = month.format("%Y-%m")
                        ),
                        None => m.goal.to_string(),
                    })
                    .collect();
                let goals = goals.join(", ");
                match unnamed(first, *total) {
                    0 => tr!("scoring.missing.actual", goals = goals),
                    more => tr!("scoring.missing.actual_more", goals = goals, more = more),
                }
            }
        }
    }
}

/// How many of `total` missing actuals `first` does not name.
fn unnamed(first: &[MissingActual], total: u32) -> usize {
    (total as usize).saturating_sub(first.len())
}

/// One employee's scores, with how they were made (boxed: a board of a
/// million rows keeps the figures only).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Scorecard {
    /// R, rounded once to the cycle's precision.
    pub results: Option<Figure>,
    /// C, rounded once to the cycle's precision.
    pub capability: Option<Figure>,
    /// F from the rounded R and C, rounded once: the figure shown,
    /// exported and graded.
    pub final_score: Option<Figure>,
    pub grade: Option<Grade>,
    /// (A slice, not a list that may grow: a board of a million rows
    /// keeps one each.)
    pub missing: Box<[Missing]>,
    /// The terms and marks; none once kept to its figures.
    workings: Option<Box<Workings>>,
}

/// The terms and marks a scorecard's figures were made of.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Workings {
    pub results_terms: Vec<Term>,
    pub capability_terms: Vec<Term>,
    /// The groups that count, with their marks.
    pub groups: Vec<GroupMarks>,
    /// Self-ratings shown beside the others without counting.
    pub own_apart: Option<GroupMarks>,
    /// Anonymous groups too small to show, even merged.
    pub hidden: Vec<RaterGroup>,
    pub final_terms: Vec<Term>,
}

/// The workings of a scorecard kept to its figures: none.
static NO_WORKINGS: Workings = Workings {
    results_terms: Vec::new(),
    capability_terms: Vec::new(),
    groups: Vec::new(),
    own_apart: None,
    hidden: Vec::new(),
    final_terms: Vec::new(),
};

impl Scorecard {
    /// The terms and marks the figures were made of (all empty once the
    /// scorecard is kept to its figures).
    pub fn workings(&self) -> &Workings {
        self.workings.as_deref().unwrap_or(&NO_WORKINGS)
    }

    /// Lets go of the terms and marks the figures were made of, keeping
    /// R, C, F, the grade and what is missing: what a scoreboard row
    /// shows (the breakdown is computed again for whoever is selected).
    pub fn keep_figures(&mut self) {
        self.workings = None;
    }

    /// Each competency's mean mark over the groups that count and rated
    /// it (what training recommendations read), by code, in the groups' order.
    pub fn competency_means<'c>(&self, config: &'c CycleConfig) -> Vec<(&'c str, f64)> {
        let mut sums: Vec<(usize, f64, usize)> = Vec::new();
        for group in &self.workings().groups {
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
                let code = config.competencies.get(at)?.code.as_str();
                Some((code, total / n as f64))
            })
            .collect()
    }
}

/// What one employee's scorecard is computed from.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// What the employee's goals say: an achievement in percent (100 is
    /// on target), no goals, or the measurements missing.
    pub goals: &'a GoalResult,
    /// Imported indicator values (code, achievement in percent).
    pub indicators: &'a [(&'a str, f64)],
    /// The ratings of this employee in this cycle.
    pub ratings: &'a [RatingView<'a>],
    /// When the cycle normalises marks: every rater's spread.
    pub leniency: Option<&'a Leniency>,
}

/// Computes a scorecard.
pub fn score(config: &CycleConfig, inputs: &Inputs<'_>) -> Scorecard {
    let mut card = Scorecard::default();
    let mut how = Workings::default();
    let mut missing = Vec::new();
    results(config, inputs, &mut card, &mut how, &mut missing);
    capability(config, inputs, &mut card, &mut how, &mut missing);
    card.missing = missing.into_boxed_slice();
    if let (Some(r), Some(c)) = (card.results, card.capability) {
        let alpha = config.results_weight;
        how.final_terms = vec![
            Term::new(Source::Results, f64::from(alpha), r.value()),
            Term::new(
                Source::Capability,
                f64::from(100 - alpha.min(100)),
                c.value(),
            ),
        ];
        let f = Figure::weighted(alpha, r, c, config.precision).clamped();
        card.final_score = Some(f);
        card.grade = Some(config.bands.grade(f));
    }
    card.workings = Some(Box::new(how));
    card
}

fn results(
    config: &CycleConfig,
    inputs: &Inputs<'_>,
    card: &mut Scorecard,
    how: &mut Workings,
    missing: &mut Vec<Missing>,
) {
    for (at, item) in config.indicators.iter().enumerate() {
        let value = if item.code == GOALS_INDICATOR {
            match inputs.goals {
                GoalResult::Achieved(percent) => Some(*percent),
                GoalResult::NoGoals => None,
                GoalResult::Missing { first, total } => {
                    missing.push(Missing::Actuals {
                        first: first.clone(),
                        total: *total,
                    });
                    continue;
                }
            }
        } else {
            inputs
                .indicators
                .iter()
                .find(|(code, _)| *code == item.code)
                .map(|(_, v)| *v)
        };
        match value {
            Some(v) => how.results_terms.push(Term::new(
                Source::Indicator(at),
                f64::from(item.weight),
                achievement_points(v),
            )),
            None if item.code == GOALS_INDICATOR => missing.push(Missing::Goals),
            None => missing.push(Missing::Indicator(at)),
        }
    }
    if missing.is_empty() {
        card.results = Some(Figure::round(sum(&how.results_terms), config.precision));
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
    ratings: &'a [RatingView<'a>],
) -> (Vec<(Shown, Vec<&'a RatingView<'a>>)>, Vec<RaterGroup>) {
    let of = |group: RaterGroup| -> Vec<&RatingView> {
        ratings.iter().filter(|r| r.group == group).collect()
    };
    let raters = |list: &[&RatingView]| -> usize {
        list.iter().map(|r| r.rater).collect::<BTreeSet<_>>().len()
    };
    let min = usize::from(config.min_raters);
    let mut shown = Vec::new();
    for group in [RaterGroup::Own, RaterGroup::Manager] {
        let list = of(group);
        if !list.is_empty() {
            shown.push((Shown::Group(group), list));
        }
    }
    let anonymous: Vec<(RaterGroup, Vec<&RatingView>)> =
        [RaterGroup::Peer, RaterGroup::Subordinate]
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
    let merged: Vec<&RatingView> = anonymous
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
    ratings: &[&RatingView],
    leniency: Option<&Leniency>,
) -> Option<GroupMarks> {
    let mut by_competency: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for rating in ratings {
        if config.competency(rating.competency).is_some() {
            let entry = by_competency.entry(rating.competency).or_default();
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

fn capability(
    config: &CycleConfig,
    inputs: &Inputs<'_>,
    card: &mut Scorecard,
    how: &mut Workings,
    missing: &mut Vec<Missing>,
) {
    let (shown, hidden) = shown_groups(config, inputs.ratings);
    how.hidden = hidden;
    for (group, list) in shown {
        let Some(marks) = group_marks(config, group, &list, inputs.leniency) else {
            continue;
        };
        if config.self_apart && group == Shown::Group(RaterGroup::Own) {
            how.own_apart = Some(marks);
        } else if shown_weight(config, group) > 0.0 {
            how.groups.push(marks);
        }
    }
    let total: f64 = how
        .groups
        .iter()
        .map(|g| shown_weight(config, g.shown))
        .sum();
    if total <= 0.0 {
        missing.push(Missing::Ratings);
        return;
    }
    how.capability_terms = how
        .groups
        .iter()
        .map(|g| {
            let weight = shown_weight(config, g.shown) / total * 100.0;
            Term::new(Source::Group(g.shown), weight, g.score)
        })
        .collect();
    card.capability = Some(Figure::round(sum(&how.capability_terms), config.precision));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::employee::EmployeeId;
    use crate::domain::scoring::config::{GroupWeights, WeightedItem};
    use crate::domain::scoring::{CycleId, Rating};
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

    /// The ratings as a score reads them.
    fn views(ratings: &[Rating]) -> Vec<RatingView<'_>> {
        ratings.iter().map(Rating::view).collect()
    }

    fn goal_result(goals: Option<f64>) -> GoalResult {
        goals.map_or(GoalResult::NoGoals, GoalResult::Achieved)
    }

    fn card(goals: Option<f64>, ratings: &[Rating]) -> Scorecard {
        score(
            &CycleConfig::default(),
            &Inputs {
                goals: &goal_result(goals),
                indicators: &[],
                ratings: &views(ratings),
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
        assert_eq!(card.results.map(Figure::value), Some(90.0));
        // C = 0.4·75 + 0.3·100 + 0.3·50 = 75
        assert_eq!(card.capability.map(Figure::value), Some(75.0));
        // F = 0.7·90 + 0.3·75 = 85.5 → A
        let f = card.final_score.unwrap().value();
        assert!((f - 85.5).abs() < 1e-9, "{f}");
        assert_eq!(card.grade, Some(Grade::A));
        let parts: f64 = card
            .workings()
            .final_terms
            .iter()
            .map(|t| t.contribution)
            .sum();
        assert!((parts - f).abs() < 1e-9, "the terms are the score");
    }

    #[test]
    fn over_achievement_counts_as_a_hundred() {
        let ratings = marks(&[1], RaterGroup::Manager, 5);
        assert_eq!(
            card(Some(140.0), &ratings).results.map(Figure::value),
            Some(100.0)
        );
    }

    #[test]
    fn small_anonymous_groups_merge_or_hide() {
        let mut ratings = marks(&[1], RaterGroup::Manager, 4);
        ratings.extend(marks(&[2, 3], RaterGroup::Peer, 5));
        ratings.extend(marks(&[4], RaterGroup::Subordinate, 1));
        let merged = card(Some(80.0), &ratings);
        let shown: Vec<Shown> = merged.workings().groups.iter().map(|g| g.shown).collect();
        assert_eq!(
            shown,
            vec![Shown::Group(RaterGroup::Manager), Shown::Others]
        );
        assert_eq!(merged.workings().groups[1].raters, 3);

        let mut ratings = marks(&[1], RaterGroup::Manager, 4);
        ratings.extend(marks(&[2, 3], RaterGroup::Peer, 5));
        let hidden = card(Some(80.0), &ratings);
        assert_eq!(hidden.workings().hidden, vec![RaterGroup::Peer]);
        assert_eq!(
            hidden.capability.map(Figure::value),
            Some(75.0),
            "the manager's weight fills the whole"
        );
        assert_eq!(hidden.workings().capability_terms[0].weight, 100.0);
    }

    #[test]
    fn self_apart_is_shown_but_not_counted() {
        let mut ratings = marks(&[1], RaterGroup::Manager, 3);
        ratings.extend(marks(&[100], RaterGroup::Own, 5));
        let card = card(Some(80.0), &ratings);
        assert_eq!(card.capability.map(Figure::value), Some(50.0));
        assert_eq!(
            card.workings().own_apart.as_ref().map(|g| g.score),
            Some(100.0)
        );
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
                goals: &GoalResult::NoGoals,
                indicators: &[],
                ratings: &[],
                leniency: None,
            },
        );
        assert_eq!(
            *card.missing,
            [Missing::Goals, Missing::Indicator(1), Missing::Ratings]
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
        let indicators = vec![("quality", 50.0)];
        let ratings = marks(&[1], RaterGroup::Manager, 5);
        let card = score(
            &config,
            &Inputs {
                goals: &GoalResult::Achieved(100.0),
                indicators: &indicators,
                ratings: &views(&ratings),
                leniency: None,
            },
        );
        assert_eq!(card.results.map(Figure::value), Some(80.0));
    }

    proptest! {
        /// A missing actual never yields a grade, whatever else is known.
        #[test]
        fn a_missing_actual_never_yields_a_grade(
            missing in 1usize..20,
            marks in proptest::collection::vec(1u8..=5, 1..4),
        ) {
            let goals = GoalResult::Missing {
                first: (1..=missing.min(5) as u64)
                    .map(|g| MissingActual { goal: crate::domain::goal::GoalId(g), month: None })
                    .collect(),
                total: missing as u32,
            };
            let mut ratings = Vec::new();
            for (i, &mark) in marks.iter().enumerate() {
                ratings.extend(super::tests::marks(&[i as u64 + 1], RaterGroup::Manager, mark));
            }
            let card = score(
                &CycleConfig::default(),
                &Inputs { goals: &goals, indicators: &[], ratings: &views(&ratings), leniency: None },
            );
            prop_assert_eq!(card.grade, None);
            prop_assert_eq!(card.final_score, None);
            prop_assert_eq!(card.results, None);
            prop_assert!(card.capability.is_some(), "capability is still shown");
            let named = card.missing.iter().any(|m| matches!(m, Missing::Actuals { total, .. } if *total as usize == missing));
            prop_assert!(named, "{:?}", card.missing);
        }

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
            let card = score(&config, &Inputs { goals: &GoalResult::Achieved(goals), indicators: &[], ratings: &views(&ratings), leniency: None });
            for value in [card.results, card.capability, card.final_score].into_iter().flatten() {
                prop_assert!((0.0..=100.0).contains(&value.value()));
            }
            if let (Some(r), Some(c), Some(f)) = (card.results, card.capability, card.final_score) {
                prop_assert!(f >= r.min(c) && f <= r.max(c), "F of the shown R and C lies between them");
                prop_assert_eq!(card.grade, Some(config.bands.grade(f)));
            }
            for group in &card.workings().groups {
                let anonymous = match group.shown {
                    Shown::Others => true,
                    Shown::Group(g) => g.is_anonymous(),
                };
                prop_assert!(!anonymous || group.raters >= usize::from(min));
            }
        }
    }
}
