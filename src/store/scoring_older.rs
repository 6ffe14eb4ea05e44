//! Appraisal records as earlier layouts kept them, read into today's
//! shapes with the behaviour they had as explicit settings.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::department::DepartmentId;
use crate::domain::employee::EmployeeId;
use crate::domain::goal::Period;
use crate::domain::scoring::config::{GroupWeights, WeightedItem};
use crate::domain::scoring::outcomes::BonusRule;
use crate::domain::scoring::{
    Appraised, Cycle, CycleConfig, CycleId, CycleState, Distribution, GoalResult, GradeBands,
    Precision,
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

/// Someone appraised in a closed cycle, as layout version 1 kept them.
#[derive(Deserialize)]
pub(super) struct AppraisedV1 {
    cycle: CycleId,
    employee: EmployeeId,
    goal_achievement: Option<f64>,
}

impl From<AppraisedV1> for Appraised {
    fn from(old: AppraisedV1) -> Appraised {
        Appraised {
            cycle: old.cycle,
            employee: old.employee,
            goals: old
                .goal_achievement
                .map_or(GoalResult::NoGoals, GoalResult::Achieved),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::domain::employee::EmployeeId;
    use crate::domain::goal::Period;
    use crate::domain::scoring::{
        Appraised, Cycle, CycleConfig, CycleId, CycleState, GoalResult, Precision,
    };
    use crate::store::codec;

    /// `payload` in an envelope of layout `version`.
    fn envelope(version: u16, payload: &[u8]) -> Vec<u8> {
        let mut bytes = vec![1];
        bytes.extend_from_slice(&version.to_le_bytes());
        bytes.extend_from_slice(payload);
        bytes
    }

    #[test]
    fn a_version_1_cycle_reads_with_one_decimal_and_two_cycles() {
        let day = |m| NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
        let cycle = Cycle {
            id: CycleId(3),
            name: "2025".into(),
            period: Period::Year(2025),
            starts: day(1),
            ends: day(12),
            scope: Vec::new(),
            state: CycleState::Closed,
            config: CycleConfig {
                precision: Precision::new(2).unwrap(),
                plan_cycles: 4,
                ..CycleConfig::default()
            },
        };
        let current = codec::encode(&cycle).unwrap();
        // Version 1 ended before the two one-byte settings at the very end.
        let old = envelope(1, &current[3..current.len() - 2]);
        let read: Cycle = codec::decode(&old).unwrap();
        assert_eq!(read.config.precision, Precision::ONE);
        assert_eq!(read.config.plan_cycles, 2);
        assert_eq!(read.name, "2025");
        assert_eq!(read.config.bands, cycle.config.bands);
    }

    #[test]
    fn a_version_1_appraisal_reads_its_achievement_or_no_goals() {
        let payload = |achievement: Option<f64>| {
            let fields = (CycleId(3), EmployeeId(9), achievement);
            bincode::serde::encode_to_vec(fields, bincode::config::standard()).unwrap()
        };
        let read: Appraised = codec::decode(&envelope(1, &payload(Some(82.5)))).unwrap();
        assert_eq!(read.goals, GoalResult::Achieved(82.5));
        assert_eq!(read.employee, EmployeeId(9));
        let read: Appraised = codec::decode(&envelope(1, &payload(None))).unwrap();
        assert_eq!(read.goals, GoalResult::NoGoals);
    }
}
