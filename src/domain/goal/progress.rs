//! Goal progress. A KPI leaf's achievement is baseline-aware,
//! `(actual − baseline) / (target − baseline)` (the other way round when
//! lower is better), clamped to `[0, cap]`. A goal with children (other than
//! archived ones) has the weighted mean of their progress, clamped to its own
//! cap. Progress is a fraction: 1.0 is 100 %.

use super::outline::{Measured, Placed};
use super::tree::GoalTree;
use super::{Direction, GoalStatus, Kpi};

/// The achievement of `kpi`, clamped to `[0, cap]` (`cap` as a fraction).
/// No actual yet is no progress; a target equal to the baseline is met (1)
/// once the actual reaches it.
pub fn kpi_progress(kpi: &Kpi, cap: f64) -> f64 {
    let Some(actual) = kpi.actual else {
        return 0.0;
    };
    let (gained, needed) = match kpi.direction {
        Direction::HigherIsBetter => (actual - kpi.baseline, kpi.target - kpi.baseline),
        Direction::LowerIsBetter => (kpi.baseline - actual, kpi.baseline - kpi.target),
    };
    let raw = if needed == 0.0 {
        if gained >= 0.0 { 1.0 } else { 0.0 }
    } else {
        gained / needed
    };
    clamp(raw, cap)
}

/// `value` within `[0, cap]`; not-a-number counts as no progress.
fn clamp(value: f64, cap: f64) -> f64 {
    if value.is_nan() {
        0.0
    } else {
        value.clamp(0.0, cap.max(0.0))
    }
}

/// What a goal's live sub-goals outside the viewer's scope add to its
/// progress: they count as for everyone, without being shown.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Hidden {
    /// How many there are.
    pub count: usize,
    /// Their weights, in hundredths of a percent.
    pub weight: u32,
    /// The sum of weight × progress.
    pub weighted: f64,
    /// The sum of their progress.
    pub plain: f64,
}

impl Hidden {
    /// Adds one hidden sub-goal of `weight` at `progress`.
    pub fn add(&mut self, weight: u32, progress: f64) {
        self.count += 1;
        self.weight += weight;
        self.weighted += f64::from(weight) * progress;
        self.plain += progress;
    }
}

/// For each goal of `visible` (a part of `full`, the goals a viewer may
/// see), what its live sub-goals left out of `visible` add, as `full`
/// computes them.
pub fn hidden_of<F: Measured, V: Placed>(full: &GoalTree<F>, visible: &GoalTree<V>) -> Vec<Hidden> {
    let rollup = Rollup::compute(full);
    (0..visible.len())
        .map(|slot| {
            let mut hidden = Hidden::default();
            let Some(whole) = full.slot(visible.at(slot).id()) else {
                return hidden;
            };
            for child in full.child_slots(whole) {
                let goal = full.at(child);
                if goal.status() != GoalStatus::Archived && visible.slot(goal.id()).is_none() {
                    hidden.add(goal.weight().0, rollup.at(child));
                }
            }
            hidden
        })
        .collect()
}

/// The progress of every goal of a tree, kept up to date one path at a time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rollup {
    by_slot: Vec<f64>,
    /// By slot: the sub-goals the tree does not hold (outside the scope).
    hidden: Vec<Hidden>,
}

impl Rollup {
    /// Computes every goal's progress, children before parents.
    pub fn compute<G: Measured>(tree: &GoalTree<G>) -> Rollup {
        Rollup::compute_with(tree, Vec::new())
    }

    /// Computes every goal's progress with, by slot, what the sub-goals
    /// the tree leaves out add (see [`Hidden`]).
    pub fn compute_with<G: Measured>(tree: &GoalTree<G>, hidden: Vec<Hidden>) -> Rollup {
        let mut rollup = Rollup {
            by_slot: vec![0.0; tree.len()],
            hidden,
        };
        for &slot in tree.preorder().iter().rev() {
            rollup.by_slot[slot] = rollup.node(tree, slot);
        }
        rollup
    }

    /// The progress of the goal at `slot` (0 for a slot not in the tree).
    pub fn at(&self, slot: usize) -> f64 {
        self.by_slot.get(slot).copied().unwrap_or(0.0)
    }

    /// The sub-goals of the goal at `slot` left out of the tree.
    pub fn hidden(&self, slot: usize) -> Hidden {
        self.hidden.get(slot).copied().unwrap_or_default()
    }

    /// Recomputes the goal at `slot` and its ancestors only, after its
    /// actual, weight or status changed.
    pub fn update_path<G: Measured>(&mut self, tree: &GoalTree<G>, slot: usize) {
        if self.by_slot.len() != tree.len() {
            *self = Rollup::compute_with(tree, std::mem::take(&mut self.hidden));
            return;
        }
        for at in tree.path_to_root(slot) {
            self.by_slot[at] = self.node(tree, at);
        }
    }

    /// One goal's progress from its own measure or its children's progress.
    fn node<G: Measured>(&self, tree: &GoalTree<G>, slot: usize) -> f64 {
        let goal = tree.at(slot);
        let cap = f64::from(goal.cap_percent()) / 100.0;
        let hidden = self.hidden(slot);
        let mut weighted = hidden.weighted;
        let mut total_weight = f64::from(hidden.weight);
        let mut plain = hidden.plain;
        let mut count = hidden.count;
        for child in tree.child_slots(slot) {
            let child_goal = tree.at(child);
            if child_goal.status() == GoalStatus::Archived {
                continue;
            }
            let weight = f64::from(child_goal.weight().0);
            weighted += weight * self.by_slot[child];
            total_weight += weight;
            plain += self.by_slot[child];
            count += 1;
        }
        if count == 0 {
            return goal.own_progress();
        }
        let mean = if total_weight > 0.0 {
            weighted / total_weight
        } else {
            plain / count as f64
        };
        clamp(mean, cap)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Goal, GoalId, Measure, Owner, Weight};
    use super::*;
    use crate::domain::fixtures;
    use proptest::prelude::*;

    fn kpi(baseline: f64, target: f64, actual: Option<f64>, direction: Direction) -> Kpi {
        Kpi {
            metric: "sales".into(),
            unit: "k".into(),
            baseline,
            target,
            actual,
            direction,
            aggregation: crate::domain::goal::Aggregation::Latest,
            months: Vec::new(),
        }
    }

    fn goal(id: u64, parent: Option<u64>, weight: u32, measure: Measure) -> Goal {
        Goal {
            weight: Weight(weight),
            measure,
            ..fixtures::goal(id, Owner::Company, parent)
        }
    }

    fn leaf(id: u64, parent: u64, weight: u32, actual: f64) -> Goal {
        let measure = Measure::Kpi(kpi(0.0, 100.0, Some(actual), Direction::HigherIsBetter));
        goal(id, Some(parent), weight, measure)
    }

    #[test]
    fn achievement_counts_from_the_baseline_both_ways() {
        let up = kpi(80.0, 100.0, Some(90.0), Direction::HigherIsBetter);
        assert!((kpi_progress(&up, 1.0) - 0.5).abs() < 1e-9);
        let down = kpi(10.0, 4.0, Some(7.0), Direction::LowerIsBetter);
        assert!((kpi_progress(&down, 1.0) - 0.5).abs() < 1e-9);
        let worse = kpi(10.0, 4.0, Some(12.0), Direction::LowerIsBetter);
        assert_eq!(kpi_progress(&worse, 1.0), 0.0);
        let beyond = kpi(0.0, 100.0, Some(150.0), Direction::HigherIsBetter);
        assert_eq!(kpi_progress(&beyond, 1.0), 1.0);
        assert_eq!(kpi_progress(&beyond, 1.2), 1.2, "a stretch cap");
        let none = kpi(0.0, 100.0, None, Direction::HigherIsBetter);
        assert_eq!(kpi_progress(&none, 1.0), 0.0);
        let flat = kpi(5.0, 5.0, Some(5.0), Direction::HigherIsBetter);
        assert_eq!(kpi_progress(&flat, 1.0), 1.0);
    }

    #[test]
    fn parents_take_the_weighted_mean_of_live_children() {
        let mut archived = leaf(4, 1, 5000, 0.0);
        archived.status = GoalStatus::Archived;
        let tree = GoalTree::new(vec![
            goal(1, None, 10_000, Measure::Objective),
            leaf(2, 1, 7000, 100.0),
            leaf(3, 1, 3000, 0.0),
            archived,
        ]);
        let rollup = Rollup::compute(&tree);
        assert!((rollup.at(0) - 0.7).abs() < 1e-9);
    }

    #[test]
    fn one_actual_updates_its_path_as_a_full_rollup_would() {
        let mut tree = GoalTree::new(vec![
            goal(1, None, 10_000, Measure::Objective),
            goal(2, Some(1), 5000, Measure::Objective),
            leaf(3, 2, 10_000, 20.0),
            leaf(4, 1, 5000, 60.0),
        ]);
        let mut rollup = Rollup::compute(&tree);
        assert!((rollup.at(0) - 0.4).abs() < 1e-9);
        let slot = tree.slot(GoalId(3)).unwrap();
        if let Measure::Kpi(k) = &mut tree.at_mut(slot).measure {
            k.actual = Some(100.0);
        }
        rollup.update_path(&tree, slot);
        assert_eq!(rollup, Rollup::compute(&tree));
        assert!((rollup.at(0) - 0.8).abs() < 1e-9);
    }

    #[test]
    fn a_part_of_the_tree_rolls_up_as_the_whole_does() {
        let full = GoalTree::new(vec![
            goal(1, None, 10_000, Measure::Objective),
            goal(2, Some(1), 5000, Measure::Objective),
            leaf(3, 2, 10_000, 90.0),
            leaf(4, 1, 3000, 60.0),
            leaf(5, 1, 2000, 30.0),
        ]);
        let part = GoalTree::new(
            full.goals()
                .iter()
                .filter(|g| ![2, 3, 5].contains(&g.id.0))
                .cloned()
                .collect(),
        );
        let whole = Rollup::compute(&full);
        let seen = Rollup::compute_with(&part, hidden_of(&full, &part));
        assert!((seen.at(0) - whole.at(0)).abs() < 1e-9);
        assert_eq!(seen.hidden(0).count, 2);
        assert_eq!(seen.hidden(0).weight, 7000);
        let blind = Rollup::compute(&part);
        assert!(
            (blind.at(0) - whole.at(0)).abs() > 0.05,
            "without them it differs"
        );
    }

    /// A random forest: goal i's parent is an earlier goal (or none).
    fn forest() -> impl Strategy<Value = Vec<Goal>> {
        proptest::collection::vec(
            (
                proptest::option::of(0usize..1000),
                0u32..=10_000,
                -50.0f64..250.0,
                any::<bool>(),
                0u8..6,
                prop_oneof![Just(100u16), Just(120u16)],
            ),
            1..40,
        )
        .prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (parent, weight, actual, lower, status, cap))| {
                    let direction = if lower {
                        Direction::LowerIsBetter
                    } else {
                        Direction::HigherIsBetter
                    };
                    let (baseline, target) = if lower { (100.0, 20.0) } else { (0.0, 100.0) };
                    let parent = parent.filter(|_| i > 0).map(|p| (p % i) as u64);
                    let mut g = goal(
                        i as u64,
                        parent,
                        weight,
                        Measure::Kpi(kpi(baseline, target, Some(actual), direction)),
                    );
                    g.status = GoalStatus::ALL[usize::from(status) % 5];
                    g.cap_percent = cap;
                    g
                })
                .collect()
        })
    }

    proptest! {
        /// Progress stays within [0, cap] whatever the weights and values.
        #[test]
        fn progress_stays_within_its_cap(goals in forest()) {
            let tree = GoalTree::new(goals);
            let rollup = Rollup::compute(&tree);
            for slot in 0..tree.len() {
                let cap = f64::from(tree.at(slot).cap_percent) / 100.0;
                let p = rollup.at(slot);
                prop_assert!((0.0..=cap).contains(&p), "{p} > {cap}");
            }
        }

        /// Updating one path after a change gives what a full roll-up gives.
        #[test]
        fn path_updates_agree_with_a_full_rollup(
            goals in forest(),
            pick in any::<prop::sample::Index>(),
            actual in -50.0f64..250.0,
        ) {
            let mut tree = GoalTree::new(goals);
            let mut rollup = Rollup::compute(&tree);
            let slot = pick.index(tree.len());
            if let Measure::Kpi(k) = &mut tree.at_mut(slot).measure {
                k.actual = Some(actual);
            }
            rollup.update_path(&tree, slot);
            let full = Rollup::compute(&tree);
            for s in 0..tree.len() {
                prop_assert!((rollup.at(s) - full.at(s)).abs() < 1e-9);
            }
        }

        /// A parent's progress lies between its live children's least and most.
        #[test]
        fn a_parent_lies_between_its_children(goals in forest()) {
            let tree = GoalTree::new(goals);
            let rollup = Rollup::compute(&tree);
            for slot in 0..tree.len() {
                let live: Vec<f64> = tree
                    .child_slots(slot)
                    .filter(|&c| tree.at(c).status != GoalStatus::Archived)
                    .map(|c| rollup.at(c))
                    .collect();
                if live.is_empty() {
                    continue;
                }
                let low = live.iter().copied().fold(f64::INFINITY, f64::min);
                let high = live.iter().copied().fold(0.0, f64::max);
                let cap = f64::from(tree.at(slot).cap_percent) / 100.0;
                let p = rollup.at(slot);
                prop_assert!(p >= low.min(cap) - 1e-9 && p <= high + 1e-9);
            }
        }
    }
}
