//! Checks of a goal before it is written: a title, a sensible cap, a parent
//! that exists and is not the goal itself or one of its own sub-goals, and
//! a placement the cascade allows ([`super::rules`]); and of an actual: an
//! open KPI goal, a figure of its period, of a day that has come.

use std::fmt;

use chrono::NaiveDate;

use super::rules::{PlacementError, check_placement};
use super::tree::GoalTree;
use super::{Goal, GoalId, GoalStatus, Measure, Period, Weight};
use crate::domain::directory::Directory;
use crate::tr;

/// The caps a goal may have, in percent.
pub const CAPS: std::ops::RangeInclusive<u16> = 100..=200;

/// Why a goal, or a change to it, is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GoalError {
    EmptyTitle,
    CapOutOfRange(u16),
    UnknownParent(GoalId),
    /// The parent chosen is the goal itself or one of its sub-goals.
    Loop,
    Placement(PlacementError),
    /// Actuals are recorded for KPI goals only.
    NotKpi,
    /// The goal is completed, closed or archived.
    NotOpen(GoalStatus),
    UnknownGoal(GoalId),
    /// Published (draft → active) while its siblings' or its children's
    /// weights add up to `sum`, not 100.
    WeightsOff(Weight),
    /// An actual dated outside the goal's period.
    ActualOutsidePeriod {
        date: NaiveDate,
        period: Period,
    },
    /// An actual dated after today.
    ActualInFuture(NaiveDate),
    /// Only a draft is published; this goal has another status.
    NotDraft(GoalStatus),
    /// Closing a goal as not achieved needs a reason, for the audit log.
    ReasonRequired,
}

impl fmt::Display for GoalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            GoalError::EmptyTitle => tr!("goal.error.empty_title"),
            GoalError::CapOutOfRange(cap) => tr!(
                "goal.error.cap",
                cap = cap,
                min = CAPS.start(),
                max = CAPS.end()
            ),
            GoalError::UnknownParent(id) => tr!("goal.error.unknown_parent", id = id),
            GoalError::Loop => tr!("goal.error.loop"),
            GoalError::Placement(err) => err.to_string(),
            GoalError::NotKpi => tr!("goal.error.not_kpi"),
            GoalError::NotOpen(status) => tr!("goal.error.not_open", status = status.label()),
            GoalError::UnknownGoal(id) => tr!("goal.error.unknown_goal", id = id),
            GoalError::WeightsOff(sum) => tr!("goal.error.weights_off", sum = sum),
            GoalError::ActualOutsidePeriod { date, period } => {
                tr!("goal.error.actual_outside", date = date, period = period)
            }
            GoalError::ActualInFuture(date) => tr!("goal.error.actual_future", date = date),
            GoalError::NotDraft(status) => tr!("goal.error.not_draft", status = status.label()),
            GoalError::ReasonRequired => tr!("goal.error.reason_required"),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for GoalError {}

impl From<PlacementError> for GoalError {
    fn from(err: PlacementError) -> Self {
        GoalError::Placement(err)
    }
}

/// Checks `goal` (new: id not in `tree`; changed: its stored id) against
/// the other goals and the organisation.
pub fn check_goal(goal: &Goal, tree: &GoalTree, directory: &Directory) -> Result<(), GoalError> {
    if goal.title.trim().is_empty() {
        return Err(GoalError::EmptyTitle);
    }
    if !CAPS.contains(&goal.cap_percent) {
        return Err(GoalError::CapOutOfRange(goal.cap_percent));
    }
    let parent = match goal.parent {
        Some(id) => Some(tree.get(id).ok_or(GoalError::UnknownParent(id))?),
        None => None,
    };
    if let (Some(parent_id), Some(own)) = (goal.parent, tree.slot(goal.id))
        && let Some(parent_slot) = tree.slot(parent_id)
        && tree.path_to_root(parent_slot).contains(&own)
    {
        return Err(GoalError::Loop);
    }
    check_placement(goal, parent, directory)?;
    Ok(())
}

/// The live (not archived) weights among `parent`'s children, with `goal`
/// as it is about to be stored.
pub fn sibling_weights(goal: &Goal, tree: &GoalTree) -> Weight {
    let others: u32 = tree
        .children(goal.parent)
        .iter()
        .filter(|g| g.id != goal.id && g.status != GoalStatus::Archived)
        .filter(|g| goal.parent.is_some() || g.period == goal.period)
        .map(|g| g.weight.0)
        .sum();
    let own = if goal.status == GoalStatus::Archived {
        0
    } else {
        goal.weight.0
    };
    Weight(others + own)
}

/// A goal going from draft to active (published) needs its siblings'
/// weights, and its own children's, to add up to 100.
pub fn check_publish(before: &Goal, after: &Goal, tree: &GoalTree) -> Result<(), GoalError> {
    if !(before.status == GoalStatus::Draft && after.status == GoalStatus::Active) {
        return Ok(());
    }
    let siblings = sibling_weights(after, tree);
    if siblings != Weight::FULL {
        return Err(GoalError::WeightsOff(siblings));
    }
    let children = tree.children(Some(after.id));
    let live: Vec<_> = children
        .iter()
        .filter(|g| g.status != GoalStatus::Archived)
        .collect();
    let sum = Weight(live.iter().map(|g| g.weight.0).sum());
    if !live.is_empty() && sum != Weight::FULL {
        return Err(GoalError::WeightsOff(sum));
    }
    Ok(())
}

/// Whether an actual dated `date` may be recorded for `goal` on `today`:
/// a figure of the goal's period, and of a day that has come.
pub fn check_actual_date(goal: &Goal, date: NaiveDate, today: NaiveDate) -> Result<(), GoalError> {
    if !goal.period.contains_date(date) {
        return Err(GoalError::ActualOutsidePeriod {
            date,
            period: goal.period,
        });
    }
    if date > today {
        return Err(GoalError::ActualInFuture(date));
    }
    Ok(())
}

/// Whether an actual may be recorded for `goal`: an open KPI goal.
pub fn check_actual(goal: &Goal) -> Result<(), GoalError> {
    if !matches!(goal.measure, Measure::Kpi(_)) {
        return Err(GoalError::NotKpi);
    }
    if !goal.status.is_open() {
        return Err(GoalError::NotOpen(goal.status));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Owner, Weight};
    use super::*;
    use crate::domain::department::DepartmentTree;
    use crate::domain::fixtures::{self, dept};

    fn goal(id: u64, parent: Option<u64>, owner: Owner) -> Goal {
        fixtures::goal(id, owner, parent)
    }

    #[test]
    fn a_goal_cannot_move_under_its_own_sub_goal() {
        use crate::domain::department::DepartmentId as D;
        let directory = Directory::new(
            DepartmentTree::new(vec![dept(1, "Acme", None), dept(2, "Sales", Some(1))]),
            vec![],
        );
        let tree = GoalTree::new(vec![
            goal(1, None, Owner::Company),
            goal(2, Some(1), Owner::Department(D(2))),
            goal(3, Some(2), Owner::Department(D(2))),
        ]);
        let moved = goal(2, Some(3), Owner::Department(D(2)));
        assert_eq!(check_goal(&moved, &tree, &directory), Err(GoalError::Loop));
        let itself = goal(2, Some(2), Owner::Department(D(2)));
        assert_eq!(check_goal(&itself, &tree, &directory), Err(GoalError::Loop));
        let orphan = goal(4, Some(9), Owner::Department(D(2)));
        assert_eq!(
            check_goal(&orphan, &tree, &directory),
            Err(GoalError::UnknownParent(GoalId(9)))
        );
        let mut untitled = goal(4, Some(1), Owner::Department(D(2)));
        untitled.title = "  ".into();
        assert_eq!(
            check_goal(&untitled, &tree, &directory),
            Err(GoalError::EmptyTitle)
        );
        let mut wild = goal(4, Some(1), Owner::Department(D(2)));
        wild.cap_percent = 500;
        assert_eq!(
            check_goal(&wild, &tree, &directory),
            Err(GoalError::CapOutOfRange(500))
        );
        assert_eq!(
            check_goal(
                &goal(4, Some(1), Owner::Department(D(2))),
                &tree,
                &directory
            ),
            Ok(())
        );
    }

    #[test]
    fn publishing_needs_weights_that_add_up() {
        let mut a = goal(1, None, Owner::Company);
        a.weight = Weight(6000);
        let mut b = goal(2, None, Owner::Company);
        b.weight = Weight(3000);
        b.status = GoalStatus::Draft;
        let tree = GoalTree::new(vec![a, b.clone()]);
        let published = Goal {
            status: GoalStatus::Active,
            ..b.clone()
        };
        assert_eq!(
            check_publish(&b, &published, &tree),
            Err(GoalError::WeightsOff(Weight(9000)))
        );
        let fixed = Goal {
            weight: Weight(4000),
            ..published
        };
        assert_eq!(check_publish(&b, &fixed, &tree), Ok(()));
    }

    #[test]
    fn actuals_go_to_open_kpi_goals_only() {
        let objective = goal(1, None, Owner::Company);
        assert_eq!(check_actual(&objective), Err(GoalError::NotKpi));
    }
}
