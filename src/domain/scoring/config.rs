//! A cycle's settings and their checks: the results weight α, the results
//! indicators and capability items with their weights, the rater groups'
//! weights, the rating scale, the anonymity minimum, grade bands and the
//! target distribution. Every problem names the setting it is about.

use serde::{Deserialize, Serialize};

use super::RaterGroup;
use super::figure::Precision;
use super::grade::{BandsError, Distribution, DistributionError, Grade, GradeBands};
use super::outcomes::BonusRule;
use crate::tr;

/// The results indicator computed from the employee's goals.
pub const GOALS_INDICATOR: &str = "goals";

/// The most cycles the improvement-plan rule may look back over.
pub const MAX_PLAN_CYCLES: u8 = 6;

/// A weighted part of a score: a results indicator or a competency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightedItem {
    /// Short and stable: what spreadsheets and ratings refer to.
    pub code: String,
    pub name: String,
    /// Percent of its part of the score; the items of a part add up to 100.
    pub weight: u8,
}

impl WeightedItem {
    pub fn new(code: &str, name: &str, weight: u8) -> Self {
        WeightedItem {
            code: code.into(),
            name: name.into(),
            weight,
        }
    }
}

/// One weight per rater group (self, manager, peers, subordinates).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupWeights(pub [u8; 4]);

impl GroupWeights {
    pub fn get(&self, group: RaterGroup) -> u8 {
        self.0[group.index()]
    }
}

/// How a cycle scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CycleConfig {
    /// α, the results share of the final score, in percent (0–100).
    pub results_weight: u8,
    /// Results indicators; [`GOALS_INDICATOR`] is goal achievement.
    pub indicators: Vec<WeightedItem>,
    /// Capability items rated in the 360° review.
    pub competencies: Vec<WeightedItem>,
    pub group_weights: GroupWeights,
    /// Self-ratings are shown beside the others but not counted (their
    /// weight must then be 0).
    pub self_apart: bool,
    /// The lowest and highest mark of the rating scale.
    pub scale: (u8, u8),
    /// The fewest raters an anonymous group (peers, subordinates) may have
    /// and still be shown; a smaller one is merged with the other or hidden.
    pub min_raters: u8,
    pub bands: GradeBands,
    pub distribution: Distribution,
    /// A results score below this, [`CycleConfig::plan_cycles`] cycles
    /// running, calls for an improvement plan.
    pub plan_threshold: f64,
    /// A competency rated below this (on the scale) calls for training.
    pub training_threshold: f64,
    /// Bonus multipliers per grade; the base is the monthly salary.
    pub bonus: BonusRule,
    /// The most the cycle's bonuses may add up to, in fen; none: no cap.
    pub bonus_pool: Option<i64>,
    /// Whether raters' marks are moved onto the company's spread by
    /// z-score before they count (the calibrator's choice).
    pub normalise: bool,
    /// How many decimals R, C and F carry (rounded once, half-up).
    pub precision: Precision,
    /// How many cycles running (this one included) a results score below
    /// the plan threshold calls for an improvement plan.
    pub plan_cycles: u8,
}

impl Default for CycleConfig {
    /// 70:30 results to capability; goals 100% of results; three shipped
    /// competencies; manager 40, peers 30, subordinates 30, self shown apart.
    fn default() -> Self {
        CycleConfig {
            results_weight: 70,
            // The shipped items' names are data, kept with each cycle.
            indicators: vec![WeightedItem::new(
                GOALS_INDICATOR,
                "目标达成 Goal achievement", // data: a shipped default
                100,
            )],
            competencies: vec![
                WeightedItem::new("expertise", "专业能力 Expertise", 40), // data: shipped
                WeightedItem::new("teamwork", "团队协作 Teamwork", 30),   // data: shipped
                WeightedItem::new("communication", "沟通 Communication", 30), // data: shipped
            ],
            group_weights: GroupWeights([0, 40, 30, 30]),
            self_apart: true,
            scale: (1, 5),
            min_raters: 3,
            bands: GradeBands::default(),
            distribution: Distribution::BELL,
            plan_threshold: 60.0,
            training_threshold: 3.0,
            bonus: BonusRule::default(),
            bonus_pool: None,
            normalise: false,
            precision: Precision::ONE,
            plan_cycles: 2,
        }
    }
}

/// The setting a problem is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setting {
    ResultsWeight,
    Indicators,
    Competencies,
    GroupWeights,
    Scale,
    MinRaters,
    Bands,
    Distribution,
    /// The improvement-plan threshold and how many cycles running.
    PlanRule,
    TrainingThreshold,
    Bonus,
}

/// A problem with one setting, in words for the person who set it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    pub setting: Setting,
    pub message: String,
}

impl ConfigProblem {
    fn new(setting: Setting, message: String) -> Self {
        ConfigProblem { setting, message }
    }
}

/// Problems of a list of weighted items: none, duplicate or blank codes,
/// weights not adding up to 100.
fn check_items(items: &[WeightedItem], setting: Setting) -> Option<ConfigProblem> {
    if items.is_empty() {
        return Some(ConfigProblem::new(setting, tr!("scoring.config.no_items")));
    }
    for (i, item) in items.iter().enumerate() {
        if item.code.trim().is_empty() || item.code.contains(char::is_whitespace) {
            return Some(ConfigProblem::new(
                setting,
                tr!("scoring.config.bad_code", code = item.code),
            ));
        }
        if items[..i].iter().any(|other| other.code == item.code) {
            return Some(ConfigProblem::new(
                setting,
                tr!("scoring.config.duplicate_code", code = item.code),
            ));
        }
    }
    let sum: u32 = items.iter().map(|i| u32::from(i.weight)).sum();
    (sum != 100).then(|| ConfigProblem::new(setting, tr!("scoring.config.weights", sum = sum)))
}

impl CycleConfig {
    /// Everything wrong with the settings; empty when they can be used.
    pub fn check(&self) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        if self.results_weight > 100 {
            problems.push(ConfigProblem::new(
                Setting::ResultsWeight,
                tr!("scoring.config.alpha", value = self.results_weight),
            ));
        }
        problems.extend(check_items(&self.indicators, Setting::Indicators));
        problems.extend(check_items(&self.competencies, Setting::Competencies));
        problems.extend(self.check_groups());
        let (low, high) = self.scale;
        if low >= high || high > 10 {
            problems.push(ConfigProblem::new(
                Setting::Scale,
                tr!("scoring.config.scale", low = low, high = high),
            ));
        }
        if self.min_raters == 0 {
            problems.push(ConfigProblem::new(
                Setting::MinRaters,
                tr!("scoring.config.min_raters"),
            ));
        }
        if let Err(err) = self.bands.check() {
            problems.push(ConfigProblem::new(Setting::Bands, bands_message(err)));
        }
        if let Err(err) = self.distribution.check() {
            let message = match err {
                DistributionError::Sum(sum) => tr!("scoring.config.distribution", sum = sum),
                DistributionError::NoShare(grade) => {
                    tr!("scoring.config.distribution_share", grade = grade)
                }
            };
            problems.push(ConfigProblem::new(Setting::Distribution, message));
        }
        if !(0.0..=100.0).contains(&self.plan_threshold)
            || !(1..=MAX_PLAN_CYCLES).contains(&self.plan_cycles)
        {
            problems.push(ConfigProblem::new(
                Setting::PlanRule,
                tr!("scoring.config.plan_rule", most = MAX_PLAN_CYCLES),
            ));
        }
        if !(f64::from(low)..=f64::from(high)).contains(&self.training_threshold) {
            problems.push(ConfigProblem::new(
                Setting::TrainingThreshold,
                tr!("scoring.config.training_threshold", low = low, high = high),
            ));
        }
        if self.bonus.check().is_err() || self.bonus_pool.is_some_and(|pool| pool < 0) {
            problems.push(ConfigProblem::new(
                Setting::Bonus,
                tr!("scoring.config.bonus"),
            ));
        }
        problems
    }

    fn check_groups(&self) -> Option<ConfigProblem> {
        let own = self.group_weights.get(RaterGroup::Own);
        if self.self_apart && own != 0 {
            return Some(ConfigProblem::new(
                Setting::GroupWeights,
                tr!("scoring.config.self_apart", weight = own),
            ));
        }
        let sum: u32 = self.group_weights.0.iter().map(|&w| u32::from(w)).sum();
        (sum != 100).then(|| {
            ConfigProblem::new(
                Setting::GroupWeights,
                tr!("scoring.config.weights", sum = sum),
            )
        })
    }

    /// A mark on the rating scale as 0–100 (the lowest mark is 0).
    pub fn scale_to_percent(&self, mark: f64) -> f64 {
        let (low, high) = (f64::from(self.scale.0), f64::from(self.scale.1));
        ((mark - low) / (high - low) * 100.0).clamp(0.0, 100.0)
    }

    /// The competency with `code`, if the cycle rates it.
    pub fn competency(&self, code: &str) -> Option<&WeightedItem> {
        self.competencies.iter().find(|c| c.code == code)
    }

    /// The results indicator with `code`, if the cycle has it.
    pub fn indicator(&self, code: &str) -> Option<&WeightedItem> {
        self.indicators.iter().find(|i| i.code == code)
    }
}

fn bands_message(err: BandsError) -> String {
    match err {
        BandsError::BottomNotZero(floor) => tr!("scoring.config.bands_bottom", floor = floor),
        BandsError::OutOfRange(grade, floor) => {
            tr!("scoring.config.bands_range", grade = grade, floor = floor)
        }
        BandsError::NotDescending(grade) => {
            let next = Grade::ALL.get(grade.index() + 1).copied().unwrap_or(grade);
            tr!("scoring.config.bands_order", grade = grade, next = next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(problems: Vec<ConfigProblem>) -> Vec<Setting> {
        problems.into_iter().map(|p| p.setting).collect()
    }

    #[test]
    fn the_defaults_are_sound() {
        assert_eq!(CycleConfig::default().check(), vec![]);
    }

    #[test]
    fn each_broken_setting_is_named() {
        let mut config = CycleConfig {
            results_weight: 101,
            scale: (5, 5),
            min_raters: 0,
            group_weights: GroupWeights([10, 40, 30, 30]),
            ..CycleConfig::default()
        };
        config.indicators[0].weight = 90;
        config
            .competencies
            .push(WeightedItem::new("teamwork", "again", 0));
        config.bands.floors.set(Grade::D, 5.0);
        config.distribution.percent.set(Grade::S, 0);
        config.bonus_pool = Some(-1);
        assert_eq!(
            settings(config.check()),
            vec![
                Setting::ResultsWeight,
                Setting::Indicators,
                Setting::Competencies,
                Setting::GroupWeights,
                Setting::Scale,
                Setting::MinRaters,
                Setting::Bands,
                Setting::Distribution,
                Setting::TrainingThreshold,
                Setting::Bonus,
            ]
        );
    }

    #[test]
    fn counting_self_needs_self_apart_off() {
        let mut config = CycleConfig {
            group_weights: GroupWeights([10, 40, 25, 25]),
            ..CycleConfig::default()
        };
        assert_eq!(settings(config.check()), vec![Setting::GroupWeights]);
        config.self_apart = false;
        assert_eq!(config.check(), vec![]);
    }

    #[test]
    fn marks_map_onto_zero_to_a_hundred() {
        let config = CycleConfig::default();
        assert_eq!(config.scale_to_percent(1.0), 0.0);
        assert_eq!(config.scale_to_percent(3.0), 50.0);
        assert_eq!(config.scale_to_percent(5.0), 100.0);
    }
}
