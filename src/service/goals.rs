//! Goal operations of a session: the goals the operator may see, adding and
//! changing them (weight changes kept with their date), recording actuals
//! (every one kept), cascading a department goal to its people, and the
//! departure hook that flags a leaver's open goals. Managers work within
//! their department subtree and cannot touch company goals.

use std::ops::{ControlFlow, RangeInclusive};

use chrono::NaiveDate;

use super::revisions::unchanged_since;
use super::staff::{Around, DepartureHook, directory_around, whole_directory};
use super::{OpError, Session, Stop};
use crate::domain::audit::AuditRecord;
use crate::domain::change::{EntityKey, Revision};
use crate::domain::department::DepartmentTree;
use crate::domain::directory::Directory;
use crate::domain::employee::{Employee, Status};
use crate::domain::goal::edit::{
    GoalError, check_actual, check_actual_date, check_goal, check_publish, sibling_weights,
};
use crate::domain::goal::outline::{GoalFigures, GoalOutline, Measured, Placed};
use crate::domain::goal::progress::{Rollup, hidden_of};
use crate::domain::goal::tree::GoalTree;
use crate::domain::goal::{
    ActualEntry, Aggregation, Direction, Goal, GoalId, GoalStatus, Kpi, Measure, Owner, Period,
    Weight, WeightChange,
};
use crate::domain::operator::Role;
use crate::domain::roster::{People, Roster};
use crate::domain::schedule::{Pending, Scheduled, ScheduledId};
use crate::service::access::Permission;
use crate::store::{RuleReads, Store, StoreError, Writer};

/// How a cascade sets each person's target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TargetSplit {
    /// The parent's target divided evenly.
    Even,
    /// The same target for everyone (e.g. 100k a month each).
    Each(f64),
}

/// A cascade of a department goal to every active member of the department.
#[derive(Clone, Debug, PartialEq)]
pub struct Cascade {
    pub parent: GoalId,
    /// The title of each personal goal.
    pub title: String,
    pub metric: String,
    pub unit: String,
    pub split: TargetSplit,
    /// Where each person starts from; split like the target when the
    /// target is split evenly.
    pub baseline: f64,
}

/// One line of a goal for the audit log.
fn summary(goal: &Goal) -> String {
    let measure = match &goal.measure {
        Measure::Kpi(kpi) => format!(
            "kpi={} baseline={} target={} aggregation={}",
            kpi.metric, kpi.baseline, kpi.target, kpi.aggregation
        ),
        Measure::Objective => "objective".to_string(),
    };
    format!(
        "title={} period={} parent={} weight={} status={} {measure}",
        goal.title,
        goal.period,
        goal.parent
            .map_or_else(|| "-".to_string(), |p| p.to_string()),
        goal.weight,
        goal.status.code()
    )
}

/// `total` hundredths split into `parts` that add up exactly (the first
/// ones take the remainder).
pub fn even_weights(parts: usize) -> Vec<Weight> {
    let Ok(count) = u32::try_from(parts) else {
        return Vec::new();
    };
    if count == 0 {
        return Vec::new();
    }
    let base = Weight::FULL.0 / count;
    let rest = Weight::FULL.0 % count;
    (0..count)
        .map(|i| Weight(base + u32::from(i < rest)))
        .collect()
}

impl Session {
    /// The goals this operator may see: everything, or for a manager the
    /// company's goals and those owned within their department subtree.
    /// A goal's recorded actuals and weight changes, oldest first; empty
    /// for a goal outside the operator's view.
    pub fn goal_history(
        &self,
        id: GoalId,
    ) -> Result<(Vec<ActualEntry>, Vec<WeightChange>), OpError> {
        self.require(Permission::ViewGoals)?;
        if !self.goal_visible(id)? {
            return Ok((Vec::new(), Vec::new()));
        }
        Ok((self.store().actuals(id)?, self.store().weight_changes(id)?))
    }

    /// Whether goal `id` exists within the operator's view (a manager sees
    /// company goals and those owned within their department subtree).
    pub(super) fn goal_visible(&self, id: GoalId) -> Result<bool, OpError> {
        match self.store().goal(id)? {
            Some(goal) => self.within_view(&goal),
            None => Ok(false),
        }
    }

    /// Goal `id` as it is stored, when it lies within the operator's view.
    pub fn visible_goal(&self, id: GoalId) -> Result<Option<Goal>, OpError> {
        self.require(Permission::ViewGoals)?;
        match self.store().goal(id)? {
            Some(goal) => Ok(self.within_view(&goal)?.then_some(goal)),
            None => Ok(None),
        }
    }

    fn within_view(&self, goal: &Goal) -> Result<bool, OpError> {
        Ok(match goal.owner {
            Owner::Company => true,
            Owner::Department(d) => match self.operator().role {
                Role::Manager(scope) => self.department_tree()?.is_within(d, scope),
                _ => true,
            },
            Owner::Employee(e) => self.employee(e)?.is_some(),
        })
    }

    /// How many goals there are in all (whoever may see them): what a read
    /// of the tree costs.
    pub fn goal_count(&self) -> Result<u64, OpError> {
        self.require(Permission::ViewGoals)?;
        Ok(self.store().goal_count()?)
    }

    pub fn goal_tree(&self) -> Result<GoalTree, OpError> {
        self.require(Permission::ViewGoals)?;
        Ok(GoalTree::new(self.seen_goals(self.store().goals()?)?))
    }

    /// The goals the operator may see as a tree shows them: each goal's
    /// figures (see [`GoalFigures`]), not its whole measure.
    pub fn goal_figures_tree(&self) -> Result<GoalTree<GoalFigures>, OpError> {
        // One read into one list: read in two shares, the second share
        // would be held beside the whole while they are joined.
        self.seen_tree(Store::goal_figures)
    }

    /// The tree of the goals the operator may see, each as `read` reads
    /// every goal.
    fn seen_tree<G: Placed>(
        &self,
        read: impl FnOnce(&Store) -> Result<Vec<G>, StoreError>,
    ) -> Result<GoalTree<G>, OpError> {
        self.require(Permission::ViewGoals)?;
        Ok(GoalTree::linked(self.seen_goals(read(self.store())?)?))
    }

    /// Of `goals`, those the operator may see: a manager the company's and
    /// their subtree's.
    fn seen_goals<G: Placed>(&self, goals: Vec<G>) -> Result<Vec<G>, OpError> {
        Ok(match self.operator().role {
            Role::Manager(_) => {
                let directory = self.full_directory()?;
                goals
                    .into_iter()
                    .filter(|g| {
                        g.owner() == Owner::Company || self.may_touch(g.owner(), &directory)
                    })
                    .collect()
            }
            _ => goals,
        })
    }

    /// The goals export: every goal the operator may see of `period` (of
    /// all periods when none), parents before their children as the tree
    /// shows them, each read whole and handed to `visit` with its progress
    /// (as [`goal_rollup`](Self::goal_rollup) computes it) and the people
    /// the operator may see (who name its owner) until `visit` breaks. Of
    /// the whole tree only each goal's id and progress are kept once they
    /// are ordered, before the people are read: the goals are read whole a
    /// batch at a time.
    pub fn export_goals(
        &self,
        period: Option<Period>,
        mut visit: impl FnMut(Goal, f64, &Roster) -> ControlFlow<()>,
    ) -> Result<(), OpError> {
        const GOALS_PER_BATCH: usize = 4096;
        let (ids, progress): (Vec<GoalId>, Vec<f64>) = {
            // What the roll-up reads of each goal the operator may see.
            let tree = self.seen_tree(Store::goal_progress)?;
            let rollup = self.goal_rollup(&tree)?;
            tree.preorder()
                .into_iter()
                .filter(|&slot| period.is_none_or(|p| p.overlaps(tree.at(slot).period)))
                .map(|slot| (tree.at(slot).id, rollup.at(slot)))
                .unzip()
        };
        let people = self.visible_roster()?;
        let batches = ids
            .chunks(GOALS_PER_BATCH)
            .zip(progress.chunks(GOALS_PER_BATCH));
        for (ids, progress) in batches {
            let goals = self.store().goals_among(ids)?;
            for (goal, &progress) in goals.into_iter().zip(progress) {
                if let Some(goal) = goal
                    && visit(goal, progress, &people).is_break()
                {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// What the alignment report reads, in bounded memory: the outline of
    /// every goal the operator may see (as [`goal_tree`](Self::goal_tree)
    /// chooses them), and the people they may see, each kept as their
    /// number, name, status and department only.
    pub fn goal_outlines(&self) -> Result<(GoalTree<GoalOutline>, Roster), OpError> {
        self.require(Permission::ViewGoals)?;
        self.require(Permission::ViewStaff)?;
        let mut roster = Roster::new(DepartmentTree::new(self.store().departments()?));
        let store = self.store();
        let people = store.employee_count()?;
        let (outlines, ()) = goals_beside(store, people, Store::add_goal_outlines, || {
            let read = store.employees_until(|person| {
                roster.add(person);
                ControlFlow::Continue(())
            });
            Ok(read?)
        })?;
        Ok(match self.operator().role {
            Role::Manager(scope) => {
                let seen = outlines
                    .into_iter()
                    .filter(|g| g.owner == Owner::Company || self.may_touch(g.owner, &roster))
                    .collect();
                (GoalTree::linked(seen), roster.within(scope))
            }
            _ => (GoalTree::linked(outlines), roster),
        })
    }

    /// The progress of every goal of `visible` (what [`Session::goal_tree`]
    /// gave), computed over the whole tree whatever the operator's scope:
    /// a manager sees a company goal at the same figure as HR, its
    /// sub-goals outside their scope counted without being shown.
    pub fn goal_rollup<G: Measured>(&self, visible: &GoalTree<G>) -> Result<Rollup, OpError> {
        self.require(Permission::ViewGoals)?;
        Ok(match self.operator().role {
            Role::Manager(_) => {
                let full = GoalTree::linked(self.store().goal_figures()?);
                Rollup::compute_with(visible, hidden_of(&full, visible))
            }
            _ => Rollup::compute(visible),
        })
    }

    /// The people the checks of `goals` consult: their owners and their
    /// parents' owners (whether a person belongs where the parent goal is).
    fn owners_directory(
        reads: &impl RuleReads,
        tree: &GoalTree,
        goals: &[&Goal],
    ) -> Result<Directory, OpError> {
        let parents = goals
            .iter()
            .filter_map(|goal| goal.parent.and_then(|parent| tree.get(parent)));
        let people = goals
            .iter()
            .copied()
            .chain(parents)
            .map(|goal| match goal.owner {
                Owner::Employee(id) => Some(id),
                _ => None,
            })
            .collect();
        directory_around(
            reads,
            Around {
                people,
                ..Around::default()
            },
        )
    }

    /// Whether the operator's role reaches goals of `owner`.
    fn may_touch(&self, owner: Owner, people: &impl People) -> bool {
        let Role::Manager(scope) = self.operator().role else {
            return true;
        };
        let tree = people.tree();
        match owner {
            Owner::Company => false,
            Owner::Department(d) => tree.is_within(d, scope),
            Owner::Employee(e) => people
                .standing(e)
                .is_some_and(|(_, department)| tree.is_within(department, scope)),
        }
    }

    /// The organisation as `reads` sees it, for a manager (whose reach it
    /// decides); nothing to read for other roles, so their single writes
    /// stay fast.
    pub(super) fn manager_scope(
        &self,
        reads: &impl RuleReads,
    ) -> Result<Option<Directory>, OpError> {
        match self.operator().role {
            Role::Manager(_) => Ok(Some(whole_directory(reads)?)),
            _ => Ok(None),
        }
    }

    /// Checks the role and, for a manager, the reach (`directory` is the
    /// organisation for managers, `None` for other roles).
    pub(super) fn require_goal_edit(
        &self,
        owner: Owner,
        directory: Option<&Directory>,
    ) -> Result<(), OpError> {
        self.require(Permission::EditGoals)?;
        if owner == Owner::Company {
            return Ok(self.require(Permission::EditCompanyGoals)?);
        }
        if directory.is_none_or(|d| self.may_touch(owner, d)) {
            Ok(())
        } else {
            Err(OpError::Denied(crate::service::access::Denied {
                user: self.operator().user.clone(),
                role: self.operator().role.kind_name(),
                permission: Permission::EditGoals,
            }))
        }
    }

    /// Adds `goal` (its id is assigned), checked against the goals and
    /// people as the write transaction sees them. A goal asked to be
    /// active whose siblings' weights (its own counted) do not add up to
    /// 100 is added as a draft: publishing it is a step of its own, once
    /// they do.
    pub fn add_goal(&self, goal: Goal) -> Result<Goal, OpError> {
        self.require(Permission::EditGoals)?;
        let goal = Goal {
            id: GoalId(0),
            ..goal
        };
        self.write_checked(|w| {
            let tree = GoalTree::new(w.goals()?);
            let weights_off = sibling_weights(&goal, &tree) != Weight::FULL;
            let goal = match goal.status {
                GoalStatus::Active if weights_off => Goal {
                    status: GoalStatus::Draft,
                    ..goal.clone()
                },
                _ => goal.clone(),
            };
            let directory = Self::owners_directory(w, &tree, &[&goal])?;
            self.require_goal_edit(goal.owner, Some(&directory))?;
            check_goal(&goal, &tree, &directory)?;
            let added = w.add_goal(&goal)?;
            w.audit(AuditRecord::new("goal.add", "goal", added.id).after(summary(&added)))?;
            Ok(added)
        })
    }

    /// Replaces goal `goal.id`; a new weight is logged as effective
    /// `effective`, and one effective after today is scheduled (the goal
    /// keeps its weight until that day). An active goal whose new weight
    /// leaves its siblings' weights off 100 goes back to draft: publishing
    /// is the only way to active. With `opened` (the revision a form opened on), it is
    /// refused if the goal changed since.
    pub fn update_goal(
        &self,
        goal: Goal,
        effective: NaiveDate,
        opened: Option<Revision>,
    ) -> Result<Goal, OpError> {
        self.require(Permission::EditGoals)?;
        let operator = self.operator().user.clone();
        let recorded_at = self.now();
        self.write_checked(|w| {
            if let Some(opened) = opened {
                unchanged_since(w, &EntityKey::Goal(goal.id), opened)?;
            }
            let tree = GoalTree::new(w.goals()?);
            let before = tree
                .get(goal.id)
                .cloned()
                .ok_or(GoalError::UnknownGoal(goal.id))?;
            let directory = Self::owners_directory(w, &tree, &[&before, &goal])?;
            self.require_goal_edit(before.owner, Some(&directory))?;
            self.require_goal_edit(goal.owner, Some(&directory))?;
            let scheduled =
                (goal.weight != before.weight && effective > self.today()).then_some(goal.weight);
            let goal = match scheduled {
                Some(_) => Goal {
                    weight: before.weight,
                    ..goal
                },
                None => goal,
            };
            let reweighted = goal.weight != before.weight;
            let goal = match goal.status {
                GoalStatus::Active
                    if reweighted && sibling_weights(&goal, &tree) != Weight::FULL =>
                {
                    Goal {
                        status: GoalStatus::Draft,
                        ..goal
                    }
                }
                _ => goal,
            };
            let goal = measured_as_stored(w, &before, goal)?;
            check_goal(&goal, &tree, &directory)?;
            check_publish(&before, &goal, &tree)?;
            w.update_goal(&goal)?;
            if let Some(new) = scheduled {
                let item = w.schedule(&Scheduled {
                    id: ScheduledId(0),
                    effective,
                    operator: operator.clone(),
                    recorded_at,
                    change: Pending::Weight {
                        goal: goal.id,
                        old: before.weight,
                        new,
                    },
                    blocked: None,
                })?;
                w.audit(
                    AuditRecord::new("goal.weight_schedule", "goal", goal.id)
                        .before(format!("weight={}", before.weight))
                        .after(format!("weight={new} from={effective} id={}", item.id)),
                )?;
            } else if goal.weight != before.weight {
                w.append_weight_change(&WeightChange {
                    goal: goal.id,
                    effective,
                    old: before.weight,
                    new: goal.weight,
                    operator,
                    recorded_at,
                })?;
            }
            w.audit(
                AuditRecord::new("goal.edit", "goal", goal.id)
                    .before(summary(&before))
                    .after(summary(&goal)),
            )?;
            Ok(goal.clone())
        })
    }

    /// Publishes draft goal `id`: it becomes active, refused (naming the
    /// sum) while its siblings' or its sub-goals' weights do not add up to
    /// 100.
    pub fn publish_goal(&self, id: GoalId) -> Result<Goal, OpError> {
        self.require(Permission::EditGoals)?;
        let (goal, opened) = self.goal_for_edit(id)?.ok_or(GoalError::UnknownGoal(id))?;
        if goal.status != GoalStatus::Draft {
            return Err(GoalError::NotDraft(goal.status).into());
        }
        let published = Goal {
            status: GoalStatus::Active,
            ..goal
        };
        // Refused, not overwritten, when someone changed the goal meanwhile.
        self.update_goal(published, self.today(), Some(opened))
    }

    /// Closes KPI goal `id` as not achieved (HR, with a reason): its
    /// baseline, no progress, is recorded as its result (a goal measured
    /// month by month is read by that latest value from then on) and the
    /// goal is closed, so its result is an explicit 0 %, never a gap.
    pub fn close_not_achieved(&self, id: GoalId, reason: &str) -> Result<Goal, OpError> {
        self.require(Permission::CloseNotAchieved)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(GoalError::ReasonRequired.into());
        }
        let today = self.today();
        self.write_checked(|w| {
            let goal = w.goal(id)?.ok_or(GoalError::UnknownGoal(id))?;
            check_actual(&goal)?;
            let Measure::Kpi(kpi) = &goal.measure else {
                return Err(GoalError::NotKpi.into());
            };
            let (start, end) = goal.period.dates();
            let day = today.min(end).max(start);
            let baseline = kpi.baseline;
            let source = format!("not-achieved: {reason}");
            let read_latest = Goal {
                measure: Measure::Kpi(Kpi {
                    aggregation: Aggregation::Latest,
                    months: Vec::new(),
                    ..kpi.clone()
                }),
                ..goal.clone()
            };
            let latest = w.latest_actual_date(goal.id)?;
            let mut closed = write_actual(w, &read_latest, (day, baseline), &source, latest)?;
            closed.status = GoalStatus::Closed;
            w.update_goal(&closed)?;
            w.audit(
                AuditRecord::new("goal.not_achieved", "goal", goal.id)
                    .before(format!(
                        "status={} actual={}",
                        goal.status.code(),
                        kpi.actual
                            .map_or_else(|| "-".to_string(), |a| a.to_string())
                    ))
                    .after(format!(
                        "status=closed actual={baseline} date={day} aggregation=latest reason={reason} title={}",
                        goal.title
                    )),
            )?;
            Ok(closed)
        })
    }

    /// Records `value` as goal `id`'s actual on `date`. The goal's current
    /// actual is the latest-dated one (a back-dated entry is kept in the
    /// history without replacing a later one).
    pub fn record_actual(
        &self,
        id: GoalId,
        date: NaiveDate,
        value: f64,
        source: &str,
    ) -> Result<Goal, OpError> {
        self.require(Permission::EditGoals)?;
        self.write_checked(|w| {
            let goal = w.goal(id)?.ok_or(GoalError::UnknownGoal(id))?;
            self.require_goal_edit(goal.owner, self.manager_scope(w)?.as_ref())?;
            check_actual(&goal)?;
            check_actual_date(&goal, date, self.today())?;
            let latest = w.latest_actual_date(goal.id)?;
            let updated = write_actual(w, &goal, (date, value), source, latest)?;
            w.audit(
                AuditRecord::new("goal.actual", "goal", goal.id)
                    .after(format!("date={date} value={value} source={source}")),
            )?;
            Ok(updated)
        })
    }

    /// Records many actuals in one transaction (an import): all of them, or
    /// none when any goal is unknown, not an open KPI or out of the
    /// operator's reach (the error names the goal).
    pub fn record_actuals(
        &self,
        entries: &[(GoalId, NaiveDate, f64)],
        source: &str,
    ) -> Result<usize, OpError> {
        self.require(Permission::EditGoals)?;
        self.write_checked(|w| {
            let scope = self.manager_scope(w)?;
            let mut goals: std::collections::HashMap<GoalId, Goal> =
                w.goals()?.into_iter().map(|g| (g.id, g)).collect();
            for (id, date, _) in entries {
                let goal = goals.get(id).ok_or(GoalError::UnknownGoal(*id))?;
                self.require_goal_edit(goal.owner, scope.as_ref())?;
                check_actual(goal)?;
                check_actual_date(goal, *date, self.today())?;
            }
            // Each goal's latest day is read once and kept up to date, and
            // each goal measured is written once: a sheet of twelve months
            // for 100,000 goals reads each log and writes each goal once.
            let mut latest: std::collections::BTreeMap<GoalId, Option<NaiveDate>> =
                std::collections::BTreeMap::new();
            for (id, date, value) in entries {
                if let Some(goal) = goals.get_mut(id) {
                    let known = match latest.get(id) {
                        Some(known) => *known,
                        None => w.latest_actual_date(*id)?,
                    };
                    append_actual(w, goal, (*date, *value), source, known)?;
                    latest.insert(*id, known.max(Some(*date)));
                }
            }
            for id in latest.keys() {
                if let Some(goal) = goals.get(id) {
                    w.update_goal(goal)?;
                }
            }
            w.audit(
                AuditRecord::new("goal.actuals", "goal", "*")
                    .after(format!("rows={} source={source}", entries.len())),
            )?;
            Ok(entries.len())
        })
    }

    /// The personal goals [`Session::cascade`] would create now, with the
    /// people they are for: what the console shows before it asks.
    pub fn cascade_preview(&self, cascade: &Cascade) -> Result<(Vec<Goal>, Directory), OpError> {
        self.require(Permission::EditGoals)?;
        let directory = whole_directory(self.store())?;
        let tree = GoalTree::new(self.store().goals()?);
        let parent = tree
            .get(cascade.parent)
            .ok_or(GoalError::UnknownGoal(cascade.parent))?;
        self.require_goal_edit(parent.owner, Some(&directory))?;
        let drafts = cascade_drafts(cascade, parent, &tree, &directory)?;
        for draft in &drafts {
            check_goal(draft, &tree, &directory)?;
        }
        Ok((drafts, directory))
    }

    /// Creates a personal KPI goal under department goal `cascade.parent`
    /// for every active member of that department (sub-departments
    /// included) who has none under it yet; weights split evenly.
    pub fn cascade(&self, cascade: &Cascade) -> Result<Vec<Goal>, OpError> {
        self.require(Permission::EditGoals)?;
        self.write_or_stop(|w| {
            let directory = whole_directory(w)?;
            let tree = GoalTree::new(w.goals()?);
            let parent = tree
                .get(cascade.parent)
                .cloned()
                .ok_or(OpError::from(GoalError::UnknownGoal(cascade.parent)))?;
            self.require_goal_edit(parent.owner, Some(&directory))?;
            let drafts = cascade_drafts(cascade, &parent, &tree, &directory)?;
            if drafts.is_empty() {
                return Err(Stop::Answer(Vec::new()));
            }
            for draft in &drafts {
                check_goal(draft, &tree, &directory).map_err(OpError::from)?;
            }
            let first = w.reserve_goal_ids(drafts.len())?;
            let goals: Vec<Goal> = drafts
                .iter()
                .enumerate()
                .map(|(i, g)| Goal {
                    id: GoalId(first.0 + i as u64),
                    ..g.clone()
                })
                .collect();
            w.add_reserved_goals(&goals)?;
            w.audit(
                AuditRecord::new("goal.cascade", "goal", parent.id).after(format!(
                    "created={} metric={} baseline={}",
                    goals.len(),
                    cascade.metric,
                    cascade.baseline
                )),
            )?;
            Ok(goals)
        })
    }
}

/// The personal goals a cascade of `parent` (a department goal) creates:
/// one for every active member of its department (sub-departments
/// included) who has none under it yet, weights split evenly.
fn cascade_drafts(
    cascade: &Cascade,
    parent: &Goal,
    tree: &GoalTree,
    directory: &Directory,
) -> Result<Vec<Goal>, OpError> {
    let Owner::Department(department) = parent.owner else {
        return Err(
            GoalError::Placement(crate::domain::goal::rules::PlacementError::NeedsParent).into(),
        );
    };
    let taken: Vec<Owner> = tree
        .children(Some(parent.id))
        .iter()
        .map(|g| g.owner)
        .collect();
    let people: Vec<&Employee> = directory
        .employees()
        .iter()
        .filter(|e| e.status == Status::Active)
        .filter(|e| directory.tree.is_within(e.department, department))
        .filter(|e| !taken.contains(&Owner::Employee(e.id)))
        .collect();
    let (direction, parent_target, aggregation) = match &parent.measure {
        Measure::Kpi(kpi) => (kpi.direction, kpi.target, kpi.aggregation),
        Measure::Objective => (Direction::HigherIsBetter, 0.0, Aggregation::Latest),
    };
    let (target, baseline) = match cascade.split {
        TargetSplit::Even => {
            let share = people.len().max(1) as f64;
            (parent_target / share, cascade.baseline / share)
        }
        TargetSplit::Each(value) => (value, cascade.baseline),
    };
    Ok(people
        .iter()
        .zip(even_weights(people.len()))
        .map(|(person, weight)| Goal {
            id: GoalId(0),
            title: cascade.title.as_str().into(),
            owner: Owner::Employee(person.id),
            period: parent.period,
            parent: Some(parent.id),
            weight,
            status: GoalStatus::Active,
            measure: Measure::Kpi(Kpi {
                metric: cascade.metric.as_str().into(),
                unit: cascade.unit.as_str().into(),
                baseline,
                target,
                actual: None,
                direction,
                aggregation,
                months: Vec::new(),
            }),
            cap_percent: parent.cap_percent,
        })
        .collect())
}

/// `goal` as edited, with what was measured kept from the stored goal: its
/// actual and months as they are, or measured again from every recorded
/// value when the edit changed how its actuals add up.
fn measured_as_stored(w: &Writer<'_>, before: &Goal, goal: Goal) -> Result<Goal, StoreError> {
    let (Measure::Kpi(was), Measure::Kpi(now)) = (&before.measure, &goal.measure) else {
        return Ok(goal);
    };
    let mut kpi = Kpi {
        actual: was.actual,
        months: was.months.clone(),
        ..now.clone()
    };
    if was.aggregation != now.aggregation {
        kpi.remeasure(
            w.actual_log(goal.id)?
                .into_iter()
                .map(|entry| (entry.date, entry.value)),
        );
    }
    Ok(Goal {
        measure: Measure::Kpi(kpi),
        ..goal
    })
}

/// Appends one actual to a goal checked with [`check_actual`] and measures
/// the goal again: the latest-dated value, or its month's value in the
/// months' sum or average. `latest` is the latest day recorded before; the
/// caller writes the audit entry.
pub(super) fn write_actual(
    w: &mut Writer<'_>,
    goal: &Goal,
    value: (NaiveDate, f64),
    source: &str,
    latest: Option<NaiveDate>,
) -> Result<Goal, StoreError> {
    let mut updated = goal.clone();
    append_actual(w, &mut updated, value, source, latest)?;
    w.update_goal(&updated)?;
    Ok(updated)
}

/// Appends one actual to `goal`'s log and measures the goal in memory
/// (the caller stores it).
fn append_actual(
    w: &mut Writer<'_>,
    goal: &mut Goal,
    (date, value): (NaiveDate, f64),
    source: &str,
    latest: Option<NaiveDate>,
) -> Result<(), StoreError> {
    w.append_actual(&ActualEntry {
        goal: goal.id,
        date,
        value,
        operator: w.operator().to_string(),
        source: source.to_string(),
        recorded_at: w.at(),
    })?;
    if let Measure::Kpi(kpi) = &mut goal.measure {
        kpi.take_actual(date, value, latest);
    }
    Ok(())
}

/// Flags a leaver's open goals: the audit log names them, in the
/// departure's transaction, and the alignment report lists them until they
/// are reassigned or closed.
pub struct FlagGoalsOnDeparture;

impl DepartureHook for FlagGoalsOnDeparture {
    fn on_departure(
        &self,
        writer: &mut Writer<'_>,
        employee: &Employee,
        date: NaiveDate,
    ) -> Result<(), StoreError> {
        let open: Vec<String> = writer
            .goals_owned_by(Owner::Employee(employee.id))?
            .into_iter()
            .filter(|g| g.status.is_open())
            .map(|g| g.id.to_string())
            .collect();
        if open.is_empty() {
            return Ok(());
        }
        writer.audit(
            AuditRecord::new("goal.owner_departed", "employee", &employee.emp_no)
                .after(format!("date={date} open_goals={}", open.join(","))),
        )?;
        Ok(())
    }
}

/// Every goal as `add` makes them (a share of the ids at a time), in id
/// order, read on both cores: the other core reads the first goals while
/// this one does `beside` (reading `people` records, 0 for none), then the
/// goals left, each core about as many records.
pub(super) fn goals_beside<G: Send, R>(
    store: &Store,
    people: u64,
    add: impl Fn(&Store, RangeInclusive<GoalId>, &mut Vec<G>) -> Result<(), StoreError> + Sync,
    beside: impl FnOnce() -> Result<R, OpError>,
) -> Result<(Vec<G>, R), OpError> {
    let (first, rest) = goal_shares(store, people)?;
    let (goals, rest) = crate::cores::both(
        || {
            let mut goals = Vec::with_capacity(store.goal_count_as_len()?);
            add(store, first, &mut goals)?;
            Ok::<_, OpError>(goals)
        },
        || {
            let made = beside()?;
            let mut goals = Vec::new();
            if let Some(rest) = rest {
                add(store, rest, &mut goals)?;
            }
            Ok::<_, OpError>((goals, made))
        },
    );
    let mut goals = goals?;
    let (mut rest, made) = rest?;
    goals.append(&mut rest);
    Ok((goals, made))
}

/// The goals' ids cut in two: the first share for the other core (about
/// half of all the goals and `people`, if the ids run on without gaps),
/// the rest, if any, for the core that reads the people first.
fn goal_shares(
    store: &Store,
    people: u64,
) -> Result<(RangeInclusive<GoalId>, Option<RangeInclusive<GoalId>>), StoreError> {
    let all = GoalId(0)..=GoalId(u64::MAX);
    let Some(ids) = store.goal_ids()? else {
        return Ok((all, None));
    };
    let records = store.goal_count()?.saturating_add(people);
    let cut = ids
        .start()
        .0
        .saturating_add((records / 2).saturating_sub(1));
    if cut >= ids.end().0 {
        return Ok((all, None));
    }
    Ok((
        GoalId(0)..=GoalId(cut),
        Some(GoalId(cut + 1)..=GoalId(u64::MAX)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::goal;
    use crate::store::test_support::{at, new_file_store};

    fn ids(outlines: &[GoalOutline]) -> Vec<u64> {
        outlines.iter().map(|o| o.id.0).collect()
    }

    /// Adds `count` company goals (ids 1, 2, …).
    fn add_company_goals(store: &Store, count: usize) {
        store
            .write("alice", at(1), |w| {
                for _ in 0..count {
                    w.add_goal(&goal(0, Owner::Company, None))?;
                }
                w.audit(AuditRecord::new("goal.add", "goal", "*"))
            })
            .unwrap();
    }

    #[test]
    fn the_goals_are_cut_in_two_shares_that_hold_every_goal_once() {
        let (_dir, _path, store) = new_file_store();
        let all = GoalId(0)..=GoalId(u64::MAX);
        assert_eq!(
            goal_shares(&store, 0).unwrap(),
            (all.clone(), None),
            "no goals"
        );
        add_company_goals(&store, 6);
        let (first, rest) = goal_shares(&store, 0).unwrap();
        let rest = rest.expect("six goals and nobody: the other core reads half");
        let mut outlines = Vec::new();
        store.add_goal_outlines(first, &mut outlines).unwrap();
        assert_eq!(ids(&outlines), [1, 2, 3]);
        store.add_goal_outlines(rest, &mut outlines).unwrap();
        assert_eq!(ids(&outlines), ids(&store.goal_outlines().unwrap()));
        assert_eq!(outlines.len(), 6);
        let (first, rest) = goal_shares(&store, 4).unwrap();
        assert_eq!(first, GoalId(0)..=GoalId(5), "five of ten records");
        assert_eq!(rest, Some(GoalId(6)..=GoalId(u64::MAX)));
        assert_eq!(
            goal_shares(&store, 20).unwrap(),
            (all, None),
            "the people are more than half: the other core reads every goal"
        );
    }

    #[test]
    fn goals_read_beside_people_are_every_goal_once_in_order() {
        let (_dir, _path, store) = new_file_store();
        add_company_goals(&store, 7);
        for people in [0, 3, 100] {
            let (outlines, beside) =
                goals_beside(&store, people, Store::add_goal_outlines, || Ok("read")).unwrap();
            assert_eq!(ids(&outlines), [1, 2, 3, 4, 5, 6, 7], "{people} people");
            assert_eq!(beside, "read");
        }
    }
}
