//! The alignment report: where the cascade has gaps in a period. Company
//! goals with no department goal under them, departments with no goal,
//! active employees with no personal goal, goals hanging where they may not
//! (owner or period outside the parent's), open goals of people who have
//! departed, and siblings whose weights do not add up to 100.

use std::collections::HashSet;

use super::outline::Placed;
use super::rules::{PlacementError, check_placement, owner_name};
use super::tree::GoalTree;
use super::{GoalId, GoalStatus, Owner, Period, Weight};
use crate::domain::department::DepartmentId;
use crate::domain::employee::{EmployeeId, Status};
use crate::domain::roster::People;
use crate::tr;

/// One gap in the cascade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gap {
    /// A company goal with no department goal under it.
    Uncascaded(GoalId),
    DepartmentWithoutGoal(DepartmentId),
    EmployeeWithoutGoal(EmployeeId),
    /// A goal that may not hang under its parent (or lacks one).
    Misplaced(GoalId, PlacementError),
    /// An open goal whose owner has departed.
    DepartedOwner(GoalId, EmployeeId),
    /// The live children of a goal (or the company's top goals, for `None`)
    /// whose weights add up to `sum`, not 100.
    WeightsOff(Option<GoalId>, Weight),
}

impl Gap {
    /// The gap in words, naming goals, departments and people.
    pub fn describe<G: Placed>(&self, goals: &GoalTree<G>, people: &impl People) -> String {
        let goal = |id: &GoalId| {
            goals
                .get(*id)
                .map_or_else(|| id.to_string(), |g| format!("{id} {}", g.title()))
        };
        let person = |id: &EmployeeId| owner_name(Owner::Employee(*id), people);
        match self {
            Gap::Uncascaded(id) => tr!("goal.gap.uncascaded", goal = goal(id)),
            Gap::DepartmentWithoutGoal(d) => {
                tr!("goal.gap.department", department = people.tree().path(*d))
            }
            Gap::EmployeeWithoutGoal(e) => tr!("goal.gap.employee", person = person(e)),
            Gap::Misplaced(id, err) => tr!("goal.gap.misplaced", goal = goal(id), reason = err),
            Gap::DepartedOwner(id, e) => {
                tr!("goal.gap.departed", goal = goal(id), person = person(e))
            }
            Gap::WeightsOff(Some(parent), sum) => {
                tr!("goal.gap.weights", goal = goal(parent), sum = sum)
            }
            Gap::WeightsOff(None, sum) => tr!("goal.gap.top_weights", sum = sum),
        }
    }

    /// The report section the gap belongs to, as an identifier (JSON `kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Gap::Uncascaded(_) => "uncascaded_company_goal",
            Gap::DepartmentWithoutGoal(_) => "department_without_goal",
            Gap::EmployeeWithoutGoal(_) => "employee_without_goal",
            Gap::Misplaced(..) => "misplaced_goal",
            Gap::DepartedOwner(..) => "departed_owner",
            Gap::WeightsOff(..) => "weights_off",
        }
    }
}

/// Whether the goal counts in `period`: its period overlaps it (one contains the other).
fn in_period(goal_period: Period, period: Option<Period>) -> bool {
    period.is_none_or(|p| p.overlaps(goal_period))
}

/// Every gap among the goals of `period` (all periods for `None`), in the
/// order of the report's sections.
pub fn alignment_gaps<G: Placed>(
    tree: &GoalTree<G>,
    people: &impl People,
    period: Option<Period>,
) -> Vec<Gap> {
    let live = |slot: usize| {
        let g = tree.at(slot);
        g.status() != GoalStatus::Archived && in_period(g.period(), period)
    };
    let slots: Vec<usize> = (0..tree.len()).filter(|&s| live(s)).collect();
    let mut gaps = Vec::new();

    for &slot in &slots {
        let goal = tree.at(slot);
        let has_department_child = tree
            .child_slots(slot)
            .any(|c| live(c) && matches!(tree.at(c).owner(), Owner::Department(_)));
        if goal.owner() == Owner::Company && goal.parent().is_none() && !has_department_child {
            gaps.push(Gap::Uncascaded(goal.id()));
        }
    }

    let mut departments_with_goals = foldhash::HashSet::default();
    let mut employees_with_goals = foldhash::HashSet::default();
    for &slot in &slots {
        match tree.at(slot).owner() {
            Owner::Department(d) => {
                departments_with_goals.insert(d);
            }
            Owner::Employee(e) => {
                employees_with_goals.insert(e);
            }
            Owner::Company => {}
        }
    }
    for row in people.tree().rows() {
        let id = row.department.id;
        // The department at the top is the company itself.
        if row.department.parent.is_some() && !departments_with_goals.contains(&id) {
            gaps.push(Gap::DepartmentWithoutGoal(id));
        }
    }
    for (id, status) in people.standings() {
        if status == Status::Active && !employees_with_goals.contains(&id) {
            gaps.push(Gap::EmployeeWithoutGoal(id));
        }
    }

    for &slot in &slots {
        let goal = tree.at(slot);
        let parent = tree.parent_slot(slot).map(|p| tree.at(p));
        if let Err(err) = check_placement(goal, parent, people) {
            gaps.push(Gap::Misplaced(goal.id(), err));
        }
    }

    for &slot in &slots {
        let goal = tree.at(slot);
        if let Owner::Employee(e) = goal.owner()
            && goal.status().is_open()
            && people
                .standing(e)
                .is_some_and(|(status, _)| status == Status::Departed)
        {
            gaps.push(Gap::DepartedOwner(goal.id(), e));
        }
    }

    gaps.extend(weight_gaps(tree, &slots, period));
    gaps
}

/// A group of siblings whose weights must add up to 100.
enum Siblings {
    /// The company's top goals of one period.
    Top(Vec<usize>),
    /// The children of the goal at this slot.
    Under(usize),
}

impl Siblings {
    fn parent(&self) -> Option<usize> {
        match self {
            Siblings::Top(_) => None,
            Siblings::Under(parent) => Some(*parent),
        }
    }

    fn slots<'a, G: Placed>(&'a self, tree: &'a GoalTree<G>) -> impl Iterator<Item = usize> + 'a {
        let top = match self {
            Siblings::Top(slots) => slots.as_slice(),
            Siblings::Under(_) => &[],
        };
        let under = self.parent().map(|parent| tree.child_slots(parent));
        top.iter().copied().chain(under.into_iter().flatten())
    }
}

/// Every group of siblings: the company's top goals of each period, and
/// each goal's children.
fn sibling_groups<G: Placed>(tree: &GoalTree<G>) -> impl Iterator<Item = Siblings> + '_ {
    let mut top_periods: Vec<Period> = tree.root_slots().map(|r| tree.at(r).period()).collect();
    top_periods.sort();
    top_periods.dedup();
    let tops = top_periods.into_iter().map(|p| {
        let roots = tree
            .root_slots()
            .filter(|&r| tree.at(r).period() == p && tree.at(r).owner() == Owner::Company)
            .collect();
        Siblings::Top(roots)
    });
    let children = (0..tree.len())
        .filter(|&slot| tree.has_children(slot))
        .map(Siblings::Under);
    tops.chain(children)
}

/// The sum of the live weights among `slots` in `period`, when it is not
/// 100 (and there are any).
fn off_sum<G: Placed>(
    tree: &GoalTree<G>,
    slots: impl Iterator<Item = usize>,
    period: Option<Period>,
) -> Option<Weight> {
    let live = slots
        .map(|s| tree.at(s))
        .filter(|g| g.status() != GoalStatus::Archived && in_period(g.period(), period));
    let (count, total) = live.fold((0, 0u32), |(n, sum), g| (n + 1, sum + g.weight().0));
    (count > 0 && total != Weight::FULL.0).then_some(Weight(total))
}

/// Sibling groups of the period whose live weights do not add up to 100
/// (a group under a goal only when that goal is among `slots`).
fn weight_gaps<G: Placed>(tree: &GoalTree<G>, slots: &[usize], period: Option<Period>) -> Vec<Gap> {
    let mut listed = vec![false; tree.len()];
    for &slot in slots {
        listed[slot] = true;
    }
    sibling_groups(tree)
        .filter(|group| group.parent().is_none_or(|p| listed[p]))
        .filter_map(|group| {
            off_sum(tree, group.slots(tree), period)
                .map(|sum| Gap::WeightsOff(group.parent().map(|p| tree.at(p).id()), sum))
        })
        .collect()
}

/// The goals whose live siblings' weights do not add up to 100 (the tree
/// marks their weights).
pub fn goals_with_weights_off<G: Placed>(tree: &GoalTree<G>) -> HashSet<usize> {
    sibling_groups(tree)
        .filter(|group| off_sum(tree, group.slots(tree), None).is_some())
        .flat_map(|group| group.slots(tree).collect::<Vec<_>>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{Direction, Goal, Kpi, Measure};
    use super::*;
    use crate::domain::department::DepartmentTree;
    use crate::domain::directory::Directory;
    use crate::domain::fixtures::{self, dept, person};

    fn org() -> Directory {
        let tree = DepartmentTree::new(vec![
            dept(1, "Acme", None),
            dept(2, "Sales", Some(1)),
            dept(3, "HR", Some(1)),
        ]);
        let mut gone = person(12, "E12", 2, None);
        gone.status = Status::Departed;
        Directory::new(
            tree,
            vec![person(10, "E10", 2, None), person(11, "E11", 3, None), gone],
        )
    }

    /// A KPI goal weighing `weight` hundredths.
    fn goal(id: u64, owner: Owner, parent: Option<u64>, weight: u32) -> Goal {
        Goal {
            weight: Weight(weight),
            measure: Measure::Kpi(Kpi {
                metric: "m".into(),
                unit: Default::default(),
                baseline: 0.0,
                target: 1.0,
                actual: None,
                direction: Direction::HigherIsBetter,
                aggregation: crate::domain::goal::Aggregation::Latest,
                months: Vec::new(),
            }),
            ..fixtures::goal(id, owner, parent)
        }
    }

    #[test]
    fn every_kind_of_gap_is_found() {
        use crate::domain::department::DepartmentId as D;
        use crate::domain::employee::EmployeeId as E;
        let tree = GoalTree::new(vec![
            goal(1, Owner::Company, None, 6000),
            goal(2, Owner::Company, None, 4000),
            goal(3, Owner::Department(D(2)), Some(1), 10_000),
            goal(4, Owner::Employee(E(10)), Some(3), 5000),
            goal(5, Owner::Employee(E(11)), Some(3), 3000),
            goal(6, Owner::Employee(E(12)), Some(3), 2000),
        ]);
        let gaps = alignment_gaps(&tree, &org(), Some(Period::Year(2026)));
        assert!(gaps.contains(&Gap::Uncascaded(GoalId(2))), "{gaps:?}");
        assert!(gaps.contains(&Gap::DepartmentWithoutGoal(D(3))));
        assert!(
            !gaps.contains(&Gap::DepartmentWithoutGoal(D(1))),
            "the company"
        );
        assert!(
            !gaps
                .iter()
                .any(|g| matches!(g, Gap::EmployeeWithoutGoal(_)))
        );
        assert!(
            gaps.iter().any(|g| matches!(
                g,
                Gap::Misplaced(GoalId(5), PlacementError::OwnerOutsideParent { .. })
            )),
            "E11 works in HR, not Sales"
        );
        assert!(gaps.contains(&Gap::DepartedOwner(GoalId(6), E(12))));
        assert!(!gaps.iter().any(|g| matches!(g, Gap::WeightsOff(..))));
    }

    #[test]
    fn weights_must_add_up_among_live_siblings_and_archived_ones_do_not_count() {
        let mut archived = goal(3, Owner::Company, None, 5000);
        archived.status = GoalStatus::Archived;
        let tree = GoalTree::new(vec![
            goal(1, Owner::Company, None, 6000),
            goal(2, Owner::Company, None, 3333),
            archived,
        ]);
        let gaps = alignment_gaps(&tree, &org(), None);
        assert!(
            gaps.contains(&Gap::WeightsOff(None, Weight(9333))),
            "{gaps:?}"
        );
    }

    #[test]
    fn another_period_does_not_count() {
        let mut later = goal(1, Owner::Company, None, 10_000);
        later.period = Period::Year(2027);
        let tree = GoalTree::new(vec![later]);
        let gaps = alignment_gaps(&tree, &org(), Some(Period::Half(2026, 1)));
        assert!(!gaps.iter().any(|g| matches!(g, Gap::Uncascaded(_))));
        assert!(gaps.contains(&Gap::EmployeeWithoutGoal(EmployeeId(10))));
    }
}
