//! Appraisal records as earlier layouts kept them, read into today's
//! shapes with the behaviour they had as explicit settings.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::department::DepartmentId;
use crate::domain::goal::Period;
use crate::domain::scoring::config::{GroupWeights, WeightedItem};
use crate::domain::scoring::outcomes::BonusRule;
use crate::domain::scoring::{
    Cycle, CycleConfig, CycleId, CycleState, Distribution, GradeBands, Precision,
};

/// A cycle as layout version 1 kept it.
#[derive(Deserialize)]
pub(super) struct CycleV1 {
    id: CycleId,
    name: String,
    period: Period,
    starts: NaiveDate,
    ends: NaiveDate,
    scope: Vec<DepartmentId>,
    state: CycleState,
    config: ConfigV1,
}

/// A cycle's settings as layout version 1 kept them.
#[derive(Deserialize)]
struct ConfigV1 {
    results_weight: u8,
    indicators: Vec<WeightedItem>,
    competencies: Vec<WeightedItem>,
    group_weights: GroupWeights,
    self_apart: bool,
    scale: (u8, u8),
    min_raters: u8,
    bands: GradeBands,
    distribution: Distribution,
    plan_threshold: f64,
    training_threshold: f64,
    bonus: BonusRule,
    bonus_pool: Option<i64>,
    normalise: bool,
}

impl From<CycleV1> for Cycle {
    fn from(old: CycleV1) -> Cycle {
        let c = old.config;
        Cycle {
            id: old.id,
            name: old.name,
            period: old.period,
            starts: old.starts,
            ends: old.ends,
            scope: old.scope,
            state: old.state,
            config: CycleConfig {
                results_weight: c.results_weight,
                indicators: c.indicators,
                competencies: c.competencies,
                group_weights: c.group_weights,
                self_apart: c.self_apart,
                scale: c.scale,
                min_raters: c.min_raters,
                bands: c.bands,
                distribution: c.distribution,
                plan_threshold: c.plan_threshold,
                training_threshold: c.training_threshold,
                bonus: c.bonus,
                bonus_pool: c.bonus_pool,
                normalise: c.normalise,
                precision: Precision::ONE,
                plan_cycles: 2,
            },
        }
    }
}
