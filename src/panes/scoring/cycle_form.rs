//! The cycle form: a new draft, or the cycle on screen, with every setting
//! a cycle is scored by. A new cycle starts from the newest cycle's
//! settings, except the normalisation of marks, which starts off: copying
//! it is a choice the form shows beside the previous cycle's setting.

use chrono::Datelike;

use super::ID;
use super::ScoringView;
use super::forms::ScoringForm;
use crate::app::desk::Desk;
use crate::app::form::FormReader;
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::pane::Errand;
use crate::domain::cleanup::{parse_date, parse_number};
use crate::domain::department::{DepartmentFinder, DepartmentId};
use crate::domain::employee::format_money;
use crate::domain::goal::Period;
use crate::domain::scoring::config::Setting;
use crate::domain::scoring::outcomes::BonusRule;
use crate::domain::scoring::settings_text::{
    groups_text, items_text, parse_distribution, parse_groups, parse_items, parse_per_grade,
    parse_scale, per_grade_text,
};
use crate::domain::scoring::{Cycle, CycleConfig, CycleId, CycleState, GradeBands, Precision};
use crate::service::OpError;
use crate::tr;

/// Field ids of the cycle form.
pub(super) mod ids {
    pub const NAME: &str = "name";
    pub const PERIOD: &str = "period";
    pub const STARTS: &str = "starts";
    pub const ENDS: &str = "ends";
    pub const SCOPE: &str = "scope";
    pub const ALPHA: &str = "results_weight";
    pub const INDICATORS: &str = "indicators";
    pub const COMPETENCIES: &str = "competencies";
    pub const GROUPS: &str = "rater_groups";
    pub const SELF_APART: &str = "self_apart";
    pub const SCALE: &str = "scale";
    pub const MIN_RATERS: &str = "min_raters";
    pub const BANDS: &str = "bands";
    pub const DISTRIBUTION: &str = "distribution";
    pub const PRECISION: &str = "precision";
    pub const PLAN_THRESHOLD: &str = "plan_threshold";
    pub const PLAN_CYCLES: &str = "plan_cycles";
    pub const TRAINING: &str = "training_threshold";
    pub const NORMALISE: &str = "normalise";
    pub const BONUS: &str = "bonus_multipliers";
    pub const POOL: &str = "bonus_pool";
}

/// The cycle form's field for a setting.
pub(super) fn setting_field(setting: &Setting) -> &'static str {
    use ids::*;
    match setting {
        Setting::ResultsWeight => ALPHA,
        Setting::Indicators => INDICATORS,
        Setting::Competencies => COMPETENCIES,
        Setting::GroupWeights => GROUPS,
        Setting::Scale => SCALE,
        Setting::MinRaters => MIN_RATERS,
        Setting::Bands => BANDS,
        Setting::Distribution => DISTRIBUTION,
        Setting::PlanRule => PLAN_THRESHOLD,
        Setting::TrainingThreshold => TRAINING,
        Setting::Bonus => BONUS,
    }
}

fn yes_no() -> Vec<ChoiceOption> {
    vec![
        ChoiceOption::new("yes", tr!("hint.yes")),
        ChoiceOption::new("no", tr!("hint.no")),
    ]
}

fn yes_or_no(on: bool) -> &'static str {
    if on { "yes" } else { "no" }
}

impl ScoringView {
    /// What a new cycle starts from: the newest cycle's settings with the
    /// normalisation of marks off, or the shipped defaults.
    fn new_cycle_template(&self, desk: &Desk) -> Cycle {
        let mut config = self
            .cycles
            .last()
            .map_or_else(CycleConfig::default, |c| c.config.clone());
        config.normalise = false;
        let today = desk.today();
        Cycle {
            id: CycleId(0),
            name: String::new(),
            period: Period::Year(today.year()),
            starts: today,
            ends: today,
            scope: Vec::new(),
            state: CycleState::Draft,
            config,
        }
    }

    /// The cycle form: a new draft (the newest cycle's settings as a
    /// start), or the cycle on screen.
    pub(super) fn open_cycle_form(
        &mut self,
        desk: &mut Desk,
        cycle: Option<Cycle>,
    ) -> Result<(), OpError> {
        use ids::*;
        let tree = desk.session.department_tree()?;
        let editing = cycle.as_ref().map(|c| c.id);
        let cycle = cycle.unwrap_or_else(|| self.new_cycle_template(desk));
        let config = &cycle.config;
        let scope: Vec<String> = cycle.scope.iter().map(|&d| tree.path(d)).collect();
        let (name, period) = match editing {
            Some(_) => (cycle.name.clone(), cycle.period.to_string()),
            None => (String::new(), desk.today().format("%Y").to_string()),
        };
        let normalise_label = match (editing, self.cycles.last()) {
            (None, Some(previous)) => tr!(
                "scoring.field.normalise_new",
                previous = if previous.config.normalise {
                    tr!("hint.yes")
                } else {
                    tr!("hint.no")
                }
            ),
            _ => tr!("scoring.field.normalise"),
        };
        let text = |id: &'static str, label: String, value: &str| Field::text(id, label, value);
        let fields = vec![
            text(NAME, tr!("scoring.field.name"), &name),
            text(PERIOD, tr!("scoring.field.period"), &period),
            text(
                STARTS,
                tr!("scoring.field.starts"),
                &cycle.starts.to_string(),
            ),
            text(ENDS, tr!("scoring.field.ends"), &cycle.ends.to_string()),
            text(SCOPE, tr!("scoring.field.scope"), &scope.join("; ")),
            text(
                ALPHA,
                tr!("scoring.field.alpha"),
                &config.results_weight.to_string(),
            ),
            text(
                INDICATORS,
                tr!("scoring.field.indicators"),
                &items_text(&config.indicators),
            ),
            text(
                COMPETENCIES,
                tr!("scoring.field.competencies"),
                &items_text(&config.competencies),
            ),
            text(
                GROUPS,
                tr!("scoring.field.groups"),
                &groups_text(&config.group_weights),
            ),
            Field::choice(
                SELF_APART,
                tr!("scoring.field.self_apart"),
                yes_no(),
                yes_or_no(config.self_apart),
            ),
            text(
                SCALE,
                tr!("scoring.field.scale"),
                &format!("{}-{}", config.scale.0, config.scale.1),
            ),
            text(
                MIN_RATERS,
                tr!("scoring.field.min_raters"),
                &config.min_raters.to_string(),
            ),
            text(
                BANDS,
                tr!("scoring.field.bands"),
                &per_grade_text(&config.bands.floors),
            ),
            text(
                DISTRIBUTION,
                tr!("scoring.field.distribution"),
                &per_grade_text(&config.distribution.percent),
            ),
            text(
                PRECISION,
                tr!("scoring.field.precision"),
                &config.precision.decimals().to_string(),
            ),
            text(
                PLAN_THRESHOLD,
                tr!("scoring.field.plan_threshold"),
                &config.plan_threshold.to_string(),
            ),
            text(
                PLAN_CYCLES,
                tr!("scoring.field.plan_cycles"),
                &config.plan_cycles.to_string(),
            ),
            text(
                TRAINING,
                tr!("scoring.field.training_threshold"),
                &config.training_threshold.to_string(),
            ),
            Field::choice(
                NORMALISE,
                normalise_label,
                yes_no(),
                yes_or_no(config.normalise),
            ),
            text(
                BONUS,
                tr!("scoring.field.bonus"),
                &per_grade_text(&config.bonus.multipliers),
            ),
            text(
                POOL,
                tr!("scoring.field.pool"),
                &config.bonus_pool.map(format_money).unwrap_or_default(),
            ),
        ];
        let (kind, title) = match editing {
            Some(id) => (
                ScoringForm::EditCycle(id),
                tr!("scoring.form.edit_cycle", name = name),
            ),
            None => (ScoringForm::AddCycle, tr!("scoring.form.add_cycle")),
        };
        desk.form = Some(Form::new(Errand::new(ID, kind), title, fields));
        Ok(())
    }

    /// Saves the cycle form as a new cycle or over the one edited; none
    /// when a field does not read (its problem is noted).
    pub(super) fn save_cycle(
        &mut self,
        desk: &Desk,
        reader: &mut FormReader<'_>,
        which: ScoringForm,
    ) -> Option<Result<String, OpError>> {
        let base = match which {
            ScoringForm::EditCycle(id) => self.cycles.iter().find(|c| c.id == id).cloned(),
            _ => None,
        }
        .unwrap_or_else(|| self.new_cycle_template(desk));
        let cycle = self.read_cycle_form(desk, reader, &base)?;
        let saved = if which == ScoringForm::AddCycle {
            desk.session.add_cycle(cycle)
        } else {
            desk.session.update_cycle(cycle)
        };
        Some(saved.map(|c| {
            self.show_cycle(c.id);
            tr!("scoring.cycle_saved", name = c.name)
        }))
    }

    /// Reads the cycle form into a cycle (`base` gives the id, state and
    /// item names); every bad field is noted.
    fn read_cycle_form(
        &self,
        desk: &Desk,
        reader: &mut FormReader<'_>,
        base: &Cycle,
    ) -> Option<Cycle> {
        use ids::*;
        let tree = match desk.session.department_tree() {
            Ok(tree) => tree,
            Err(err) => {
                reader.problems.push((None, err.to_string()));
                return None;
            }
        };
        let finder = DepartmentFinder::new(&tree);
        let scope: Option<Vec<DepartmentId>> = reader
            .text(SCOPE)
            .split([';', '；'])
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| finder.find(part).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()
            .map_err(|e| reader.problem(SCOPE, e))
            .ok();
        let small = |key: &'static str| {
            move |t: &str| {
                t.parse::<u8>()
                    .map_err(|_| tr!("scoring.text.number", key = key, value = t))
            }
        };
        let name = reader.required(NAME, |t| Ok::<_, String>(t.to_string()));
        let period: Option<Period> = reader.required(PERIOD, str::parse);
        let starts = reader.required(STARTS, parse_date);
        let ends = reader.required(ENDS, parse_date);
        let alpha = reader.required(ALPHA, small(ALPHA));
        let indicators = reader.required(INDICATORS, |t| parse_items(t, &base.config.indicators));
        let competencies =
            reader.required(COMPETENCIES, |t| parse_items(t, &base.config.competencies));
        let groups = reader.required(GROUPS, parse_groups);
        let scale = reader.required(SCALE, parse_scale);
        let min_raters = reader.required(MIN_RATERS, small(MIN_RATERS));
        let bands = reader.required(BANDS, parse_per_grade::<f64>);
        let distribution = reader.required(DISTRIBUTION, parse_distribution);
        let precision = reader.required(PRECISION, |t| {
            t.parse::<u8>()
                .ok()
                .and_then(Precision::new)
                .ok_or_else(|| tr!("scoring.text.precision", value = t))
        });
        let plan_threshold = reader.required(PLAN_THRESHOLD, parse_number);
        let plan_cycles = reader.required(PLAN_CYCLES, small(PLAN_CYCLES));
        let training_threshold = reader.required(TRAINING, parse_number);
        let bonus = reader.required(BONUS, parse_per_grade::<f64>);
        let pool = reader.optional(POOL, |t| {
            parse_number(t).map(|yuan| (yuan * 100.0).round() as i64)
        });
        if !reader.problems.is_empty() {
            return None;
        }
        Some(Cycle {
            id: base.id,
            name: name?,
            period: period?,
            starts: starts?,
            ends: ends?,
            scope: scope?,
            state: base.state,
            config: CycleConfig {
                results_weight: alpha?,
                indicators: indicators?,
                competencies: competencies?,
                group_weights: groups?,
                self_apart: reader.form.value(SELF_APART) == "yes",
                scale: scale?,
                min_raters: min_raters?,
                bands: GradeBands { floors: bands? },
                distribution: distribution?,
                precision: precision?,
                plan_threshold: plan_threshold?,
                plan_cycles: plan_cycles?,
                training_threshold: training_threshold?,
                normalise: reader.form.value(NORMALISE) == "yes",
                bonus: BonusRule {
                    multipliers: bonus?,
                },
                bonus_pool: pool,
            },
        })
    }
}
