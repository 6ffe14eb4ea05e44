//! Goals on disk: records by id, and each goal's append-only logs of
//! recorded actuals and weight changes.

use std::ops::{ControlFlow, RangeInclusive};

use serde::Deserialize;

use super::Store;
use super::codec::{self, Record};
use super::error::StoreError;
use super::tables::{self, ACTUALS, GOALS, WEIGHTS};
use super::writer::Writer;
use crate::domain::change::{EntityKey, Kind};
use crate::domain::goal::outline::{GoalFigures, GoalOutline, GoalProgress};
use crate::domain::goal::{
    ActualEntry, Aggregation, Direction, Goal, GoalId, GoalStatus, Kpi, Measure, Owner, Period,
    Weight, WeightChange,
};
use crate::text::SharedTexts;

impl Record for Goal {
    /// Version 2: a KPI says how its actuals add up, with its months.
    const VERSION: u16 = 2;

    /// Version 1 read every KPI's latest value.
    fn from_older(version: u16, payload: &[u8]) -> Option<Result<Self, String>> {
        (version == 1).then(|| {
            let old: GoalV1 = codec::decode_payload(payload)?;
            Ok(old.into())
        })
    }
}

/// A goal as layout version 1 kept it.
#[derive(serde::Deserialize)]
struct GoalV1 {
    id: GoalId,
    title: String,
    owner: Owner,
    period: Period,
    parent: Option<GoalId>,
    weight: Weight,
    status: GoalStatus,
    measure: MeasureV1,
    cap_percent: u16,
}

/// A goal's measure as layout version 1 kept it.
#[derive(serde::Deserialize)]
enum MeasureV1 {
    Kpi(KpiV1),
    Objective,
}

/// A KPI as layout version 1 kept it.
#[derive(serde::Deserialize)]
struct KpiV1 {
    metric: String,
    unit: String,
    baseline: f64,
    target: f64,
    actual: Option<f64>,
    direction: Direction,
}

impl From<GoalV1> for Goal {
    fn from(old: GoalV1) -> Goal {
        let measure = match old.measure {
            MeasureV1::Kpi(k) => Measure::Kpi(Kpi {
                metric: k.metric.into(),
                unit: k.unit.into(),
                baseline: k.baseline,
                target: k.target,
                actual: k.actual,
                direction: k.direction,
                aggregation: Aggregation::Latest,
                months: Vec::new(),
            }),
            MeasureV1::Objective => Measure::Objective,
        };
        Goal {
            id: old.id,
            title: old.title.into(),
            owner: old.owner,
            period: old.period,
            parent: old.parent,
            weight: old.weight,
            status: old.status,
            measure,
            cap_percent: old.cap_percent,
        }
    }
}

impl Record for ActualEntry {
    const VERSION: u16 = 1;
}

impl Record for WeightChange {
    const VERSION: u16 = 1;
}

/// The counter goal ids are drawn from.
const COUNTER: &str = "goal";

/// A goal's leading fields as stored (the same in every layout), its
/// title borrowed from the page.
#[derive(Deserialize)]
struct OutlineView<'a> {
    id: GoalId,
    title: &'a str,
    owner: Owner,
    period: Period,
    parent: Option<GoalId>,
    weight: Weight,
    status: GoalStatus,
}

/// The outline of a stored goal of either layout (layout 1 led with the
/// same fields); the error is the current layout's.
fn outline_of(bytes: &[u8]) -> Result<OutlineView<'_>, String> {
    codec::decode_leading(bytes, Goal::VERSION)
        .or_else(|detail| codec::decode_leading(bytes, 1).map_err(|_| detail))
}

impl Store {
    /// All goals, by id.
    pub fn goals(&self) -> Result<Vec<Goal>, StoreError> {
        self.read(|txn| GOALS.all(txn))
    }

    /// Every goal's outline (all but its measure), by id: the measure and
    /// its months are left unread; goals with the same title share it.
    pub fn goal_outlines(&self) -> Result<Vec<GoalOutline>, StoreError> {
        self.every_goal(Store::add_goal_outlines)
    }

    /// The outlines of the goals whose ids lie in `ids`, added to
    /// `outlines` in id order (a share of the goals for one core).
    pub fn add_goal_outlines(
        &self,
        ids: RangeInclusive<GoalId>,
        outlines: &mut Vec<GoalOutline>,
    ) -> Result<(), StoreError> {
        self.each_goal_as(ids, outlines, |bytes, titles| {
            let view = outline_of(bytes)?;
            Ok(GoalOutline {
                id: view.id,
                title: titles.share(view.title),
                owner: view.owner,
                period: view.period,
                parent: view.parent,
                weight: view.weight,
                status: view.status,
            })
        })
    }

    /// Every goal's figures (its outline, its progress, the months its
    /// measure has values for), by id: each goal is read whole and its
    /// measure let go at once.
    pub fn goal_figures(&self) -> Result<Vec<GoalFigures>, StoreError> {
        self.every_goal(Store::add_goal_figures)
    }

    /// Every goal as `add` makes a share of them, by id, in one list
    /// sized for all of them.
    fn every_goal<T>(
        &self,
        add: impl Fn(&Store, RangeInclusive<GoalId>, &mut Vec<T>) -> Result<(), StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let mut made = Vec::with_capacity(self.goal_count_as_len()?);
        add(self, GoalId(0)..=GoalId(u64::MAX), &mut made)?;
        Ok(made)
    }

    /// The figures of the goals whose ids lie in `ids`, added to `figures`
    /// in id order (a share of the goals for one core).
    pub fn add_goal_figures(
        &self,
        ids: RangeInclusive<GoalId>,
        figures: &mut Vec<GoalFigures>,
    ) -> Result<(), StoreError> {
        self.each_goal_as(ids, figures, |bytes, titles| {
            let goal: Goal = codec::decode(bytes)?;
            Ok(GoalFigures::of(&goal, titles))
        })
    }

    /// What the roll-up reads of every goal (see [`GoalProgress`]), by id.
    pub fn goal_progress(&self) -> Result<Vec<GoalProgress>, StoreError> {
        self.every_goal(Store::add_goal_progress)
    }

    /// What the roll-up reads of the goals whose ids lie in `ids`, added
    /// to `progress` in id order (a share of the goals for one core).
    pub fn add_goal_progress(
        &self,
        ids: RangeInclusive<GoalId>,
        progress: &mut Vec<GoalProgress>,
    ) -> Result<(), StoreError> {
        self.each_goal_as(ids, progress, |bytes, _| {
            let goal: Goal = codec::decode(bytes)?;
            Ok(GoalProgress::of(&goal))
        })
    }

    /// The lowest and the highest goal id, none when there are no goals.
    pub fn goal_ids(&self) -> Result<Option<RangeInclusive<GoalId>>, StoreError> {
        let ids = self.read(|txn| GOALS.id_bounds(txn))?;
        Ok(ids.map(|ids| GoalId(*ids.start())..=GoalId(*ids.end())))
    }

    /// How many goals there are, as room to reserve for all of them
    /// (doubling as a list fills would leave up to half unused).
    pub fn goal_count_as_len(&self) -> Result<usize, StoreError> {
        Ok(usize::try_from(self.goal_count()?).unwrap_or(0))
    }

    /// Each goal whose id lies in `ids` made into what `make` makes of its
    /// stored bytes (the titles read so far given to share), added to
    /// `made` by id.
    fn each_goal_as<T>(
        &self,
        ids: RangeInclusive<GoalId>,
        made: &mut Vec<T>,
        mut make: impl FnMut(&[u8], &mut SharedTexts) -> Result<T, String>,
    ) -> Result<(), StoreError> {
        let mut titles = SharedTexts::default();
        let ids = ids.start().0..=ids.end().0;
        self.read(|txn| {
            GOALS.scan_ids(txn, &ids, |key, bytes| {
                let item =
                    make(bytes, &mut titles).map_err(|detail| GOALS.undecodable(key, detail))?;
                made.push(item);
                Ok(ControlFlow::Continue(()))
            })
        })
    }

    /// How many goals there are (archived ones too).
    pub fn goal_count(&self) -> Result<u64, StoreError> {
        self.read(|txn| GOALS.count(txn))
    }

    /// The goal with `id`, if any.
    pub fn goal(&self, id: GoalId) -> Result<Option<Goal>, StoreError> {
        self.read(|txn| GOALS.get(txn, &id.0))
    }

    /// The goals with `ids`, in that order (none where there is no such
    /// goal), in one read.
    pub fn goals_among(&self, ids: &[GoalId]) -> Result<Vec<Option<Goal>>, StoreError> {
        self.read(|txn| ids.iter().map(|id| GOALS.get(txn, &id.0)).collect())
    }

    /// Every actual recorded for goal `id`, oldest first.
    pub fn actuals(&self, id: GoalId) -> Result<Vec<ActualEntry>, StoreError> {
        self.read(|txn| ACTUALS.log(txn, id.0))
    }

    /// Every weight change of goal `id`, oldest first.
    pub fn weight_changes(&self, id: GoalId) -> Result<Vec<WeightChange>, StoreError> {
        self.read(|txn| WEIGHTS.log(txn, id.0))
    }
}

impl Writer<'_> {
    /// Stores a new goal under a fresh id (the `id` given is ignored).
    pub fn add_goal(&mut self, goal: &Goal) -> Result<Goal, StoreError> {
        let stored = Goal {
            id: GoalId(tables::next_id(self.txn, COUNTER)?),
            ..goal.clone()
        };
        GOALS.put(self.txn, &stored.id.0, &stored)?;
        self.touch(EntityKey::Goal(stored.id));
        Ok(stored)
    }

    /// Reserves ids for `count` new goals; returns the first of them (for
    /// batches whose members refer to each other).
    pub fn reserve_goal_ids(&mut self, count: usize) -> Result<GoalId, StoreError> {
        Ok(GoalId(tables::reserve_ids(
            self.txn,
            COUNTER,
            count as u64,
        )?))
    }

    /// Stores goals whose ids were reserved, opening the table once.
    pub fn add_reserved_goals(&mut self, goals: &[Goal]) -> Result<(), StoreError> {
        self.announce(Kind::Goal);
        for goal in goals {
            GOALS.put(self.txn, &goal.id.0, goal)?;
        }
        Ok(())
    }

    /// Replaces the stored goal with `goal.id`; returns it as it was.
    pub fn update_goal(&mut self, goal: &Goal) -> Result<Goal, StoreError> {
        self.touch(EntityKey::Goal(goal.id));
        GOALS
            .put(self.txn, &goal.id.0, goal)?
            .ok_or_else(|| StoreError::not_found("goal", goal.id))
    }

    /// Appends to a goal's log of actuals; returns the entry's sequence number.
    pub fn append_actual(&mut self, entry: &ActualEntry) -> Result<u32, StoreError> {
        self.touch(EntityKey::Goal(entry.goal));
        ACTUALS.append(self.txn, entry.goal.0, entry)
    }

    /// Every actual recorded for goal `id`, oldest first, as this
    /// transaction sees them.
    pub fn actual_log(&self, id: GoalId) -> Result<Vec<ActualEntry>, StoreError> {
        ACTUALS.log(self.txn, id.0)
    }

    /// The date of the latest-dated actual recorded for goal `id`.
    pub fn latest_actual_date(&self, id: GoalId) -> Result<Option<chrono::NaiveDate>, StoreError> {
        Ok(ACTUALS.log(self.txn, id.0)?.iter().map(|a| a.date).max())
    }

    /// The goals owned by `owner`, as this transaction sees them.
    pub fn goals_owned_by(&self, owner: Owner) -> Result<Vec<Goal>, StoreError> {
        let goals = GOALS.all(self.txn)?;
        Ok(goals.into_iter().filter(|g| g.owner == owner).collect())
    }

    /// Appends to a goal's log of weight changes.
    pub fn append_weight_change(&mut self, change: &WeightChange) -> Result<u32, StoreError> {
        self.touch(EntityKey::Goal(change.goal));
        WEIGHTS.append(self.txn, change.goal.0, change)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::domain::audit::AuditRecord;
    use crate::domain::goal::{GoalStatus, Measure, Owner, Period, Weight};
    use crate::store::test_support::{at, new_file_store};

    fn goal(parent: Option<GoalId>) -> Goal {
        Goal {
            id: GoalId(0),
            title: "年销售额增长 20%".into(),
            owner: Owner::Company,
            period: Period::Year(2026),
            parent,
            weight: Weight(6000),
            status: GoalStatus::Active,
            measure: Measure::Objective,
            cap_percent: 120,
        }
    }

    #[test]
    fn outlines_are_the_goals_without_their_measures_in_either_layout() {
        let (_dir, _path, store) = new_file_store();
        store
            .write("alice", at(1), |w| {
                let top = w.add_goal(&goal(None))?;
                w.add_goal(&goal(Some(top.id)))?;
                w.audit(AuditRecord::new("goal.add", "goal", top.id))
            })
            .expect("write");
        let goals = store.goals().expect("goals");
        let outlines = store.goal_outlines().expect("outlines");
        assert_eq!(outlines.len(), 2);
        for (outline, goal) in outlines.iter().zip(&goals) {
            assert_eq!(outline.id, goal.id);
            assert_eq!(outline.parent, goal.parent);
            assert_eq!(outline.title, goal.title);
            assert_eq!((outline.owner, outline.period), (goal.owner, goal.period));
            assert_eq!((outline.weight, outline.status), (goal.weight, goal.status));
        }
        assert!(
            Arc::ptr_eq(&outlines[0].title, &outlines[1].title),
            "one title"
        );
        // The same leading fields under layout 1's number.
        let mut bytes = codec::encode(&goals[1]).expect("encode");
        bytes[1..3].copy_from_slice(&1u16.to_le_bytes());
        assert_eq!(
            outline_of(&bytes).expect("layout 1").parent,
            goals[1].parent
        );
        bytes[1..3].copy_from_slice(&7u16.to_le_bytes());
        let refused = outline_of(&bytes).err().expect("layout 7");
        assert!(refused.contains('2'), "says the layout it reads: {refused}");
    }

    #[test]
    fn goals_and_their_logs_survive_a_reopen_in_order() {
        let (_dir, path, store) = new_file_store();
        let (top, child) = store
            .write("alice", at(1), |w| {
                let top = w.add_goal(&goal(None))?;
                let child = w.add_goal(&goal(Some(top.id)))?;
                for (day, value) in [(1, 10.0), (2, 12.5)] {
                    w.append_actual(&ActualEntry {
                        goal: child.id,
                        date: chrono::NaiveDate::from_ymd_opt(2026, 3, day).expect("date"),
                        value,
                        operator: "alice".into(),
                        source: "console".into(),
                        recorded_at: at(2),
                    })?;
                }
                w.audit(AuditRecord::new("goal.add", "goal", top.id))?;
                Ok((top, child))
            })
            .expect("write");
        assert_eq!((top.id, child.id), (GoalId(1), GoalId(2)));
        drop(store);
        let store = Store::open(&path).expect("reopen");
        assert_eq!(store.goals().expect("goals"), vec![top, child.clone()]);
        let values: Vec<f64> = store
            .actuals(child.id)
            .expect("actuals")
            .iter()
            .map(|a| a.value)
            .collect();
        assert_eq!(values, vec![10.0, 12.5]);
        assert!(store.actuals(GoalId(1)).expect("none").is_empty());
        assert!(store.weight_changes(child.id).expect("none").is_empty());
    }
}
