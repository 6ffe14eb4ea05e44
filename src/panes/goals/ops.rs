//! Operations of the Goals pane that are not forms: loading the tree,
//! selecting a goal, applying the period and department filters, and
//! updating one goal in place after an actual.

use crate::text::SharedTexts;

use super::forms::ids;
use super::{GoalsTable, GoalsView, ID};
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Done, Form, Submitted};
use crate::app::job::{Loaded, Outcome, drop_aside};
use crate::app::pane::Errand;
use crate::domain::department::DepartmentId;
use crate::domain::employee::EmployeeId;
use crate::domain::goal::check::goals_with_weights_off;
use crate::domain::goal::outline::GoalFigures;
use crate::domain::goal::{Goal, GoalId, Owner, Period};
use crate::service::{OpError, Session};
use crate::tr;

impl GoalsView {
    /// Replaces one goal whose links did not change (an actual was recorded)
    /// and recomputes its path to the root only.
    pub fn apply_change(&mut self, goal: Goal) {
        if let Some(slot) = self.tree.slot(goal.id) {
            *self.tree.at_mut(slot) = GoalFigures::of(&goal, &mut SharedTexts::default());
            self.rollup.update_path(&self.tree, slot);
            self.forget_history();
        }
    }
}

impl GoalsView {
    /// Brings the goals `ids` up to date in place when only what they hold
    /// changed (an actual, a title, a target, a weight): each is read again,
    /// its row renamed and its path's progress recomputed, nothing else
    /// read. Returns `false`, changing nothing, when one was added, moved,
    /// given another owner or period, or left the operator's view: the
    /// tree's shape changed, and it must be read again.
    pub fn patch(
        &mut self,
        session: &Session,
        ids: &[GoalId],
        page: usize,
    ) -> Result<bool, OpError> {
        let mut fresh = Vec::with_capacity(ids.len());
        for &id in ids {
            let (Some(slot), Some(goal)) = (self.tree.slot(id), session.visible_goal(id)?) else {
                return Ok(false);
            };
            let before = self.tree.at(slot);
            if (before.parent, before.owner, before.period)
                != (goal.parent, goal.owner, goal.period)
            {
                return Ok(false);
            }
            fresh.push(goal);
        }
        for goal in fresh {
            let (id, title) = (goal.id, goal.title.clone());
            self.apply_change(goal);
            if let Some(at) = self.list.items().iter().position(|row| row.id == id) {
                let mut row = self.list.items()[at].clone();
                row.title = title;
                self.list.replace_item(at, row);
            }
        }
        self.weights_off = goals_with_weights_off(&self.tree);
        let departments = std::mem::take(&mut self.departments);
        self.apply_visibility(&departments, page);
        self.departments = departments;
        self.refresh_history(session)?;
        Ok(true)
    }

    /// Whether a goal in the tree is owned by one of `people` (whose name
    /// or standing the tree shows).
    pub fn owned_by_any(&self, people: &[EmployeeId]) -> bool {
        self.tree
            .goals()
            .iter()
            .any(|g| matches!(g.owner, Owner::Employee(e) if people.contains(&e)))
    }
}

impl GoalsView {
    /// Reads the selected goal's history again.
    pub(super) fn read_history(&mut self, desk: &mut Desk) {
        if let Err(err) = self.refresh_history(&desk.session) {
            desk.error(err.to_string());
        }
    }

    /// Reads the goal tree again (after start-up or a change): at once
    /// when it is small, else by a job while the console answers.
    pub(super) fn reload_goals(&mut self, desk: &mut Desk) {
        let page = desk.page();
        let count = desk.session.goal_count();
        match desk.load(ID, tr!("loads.goals"), count, move |session, progress| {
            GoalsTable::read(session, progress, page)
        }) {
            Loaded::Now(table) => self.show_table(table, desk),
            Loaded::Failed => {}
            Loaded::Job { started } => {
                self.reading = started;
                // Another job runs (it said so): read once it ends.
                self.stale = !started;
            }
        }
    }

    /// Lets the tree go while the tab is hidden (unless a job is reading
    /// it), keeping the query, the filters, what is expanded and the
    /// selection: read again when next shown.
    pub(super) fn let_go_until_shown(&mut self, page: usize) {
        if self.reading {
            return;
        }
        self.kept = Some(self.list.selected().map(|r| r.id).or(self.kept.flatten()));
        drop_aside((
            std::mem::take(&mut self.tree),
            std::mem::take(&mut self.rollup),
            std::mem::take(&mut self.weights_off),
            self.list.take_items(page),
        ));
        self.stale = true;
    }

    /// The job reading the tree ended with `outcome`.
    pub(super) fn tree_read(&mut self, outcome: Outcome, desk: &mut Desk) {
        let Ok(read) = outcome.downcast::<Result<GoalsTable, OpError>>() else {
            return;
        };
        self.reading = false;
        match *read {
            Ok(table) => self.show_table(table, desk),
            Err(OpError::Cancelled) => {
                self.stale = true;
                desk.info(tr!("loads.goals_cancelled"));
            }
            Err(err) => {
                self.stale = true;
                desk.error(err.to_string());
            }
        }
    }

    /// Shows `table`; read again at once if the goals changed meanwhile.
    fn show_table(&mut self, table: GoalsTable, desk: &mut Desk) {
        let page = desk.page();
        if let Err(err) = self.take_table(table, &desk.session, page) {
            desk.error(err.to_string());
        }
        if std::mem::take(&mut self.stale) {
            self.reload_goals(desk);
        }
    }

    /// Selects goal `id`, expanding its ancestors so it shows.
    pub(super) fn select_goal(&mut self, desk: &mut Desk, id: GoalId) {
        let page = desk.page();
        if let Some(slot) = self.tree.slot(id) {
            let ancestors: Vec<GoalId> = self
                .tree
                .path_to_root(slot)
                .into_iter()
                .skip(1)
                .map(|s| self.tree.at(s).id)
                .collect();
            self.expanded.extend(ancestors);
        }
        let result = self.refilter(&desk.session, page).and_then(|()| {
            self.list.select_where(page, |row| row.id == id);
            self.refresh_history(&desk.session)
        });
        if let Err(err) = result {
            desk.error(err.to_string());
        }
    }

    /// Archives goal `id` (after the confirmation): it stays, with its
    /// history, but no longer counts in its parent's progress.
    pub(super) fn archive_goal(&mut self, desk: &mut Desk, id: GoalId) {
        let goal = match desk.session.visible_goal(id) {
            Ok(Some(goal)) => goal,
            Ok(None) => return,
            Err(err) => return desk.error(err.to_string()),
        };
        let archived = Goal {
            status: crate::domain::goal::GoalStatus::Archived,
            ..goal
        };
        match desk.session.update_goal(archived, desk.today(), None) {
            Ok(saved) => {
                desk.info(tr!(
                    "goal.archived",
                    goal = format!("{} {}", saved.id, saved.title)
                ));
                desk.wrote(Changes::goals());
            }
            Err(err) => desk.error(err.to_string()),
        }
    }

    /// Applies the filter form: a period (blank: all) and a department.
    pub(super) fn set_goal_filter(&mut self, desk: &mut Desk, form: &Form<Errand>) -> Submitted {
        let text = form.value(ids::PERIOD).trim();
        let period = if text.is_empty() {
            None
        } else {
            Some(
                text.parse::<Period>()
                    .map_err(|e| vec![(Some(ids::PERIOD), e.to_string())])?,
            )
        };
        let department = form.value(ids::DEPARTMENT).parse().ok().map(DepartmentId);
        let page = desk.page();
        let result = desk.session.department_tree().and_then(|tree| {
            self.period = period;
            self.department = department
                .filter(|&d| tree.get(d).is_some())
                .map(|d| (d, tree.path(d)));
            self.refilter(&desk.session, page)?;
            self.refresh_history(&desk.session)
        });
        match result {
            Ok(()) => Ok(Done::wrote(
                tr!("goal.filter.set", count = self.list.visible_len()),
                Changes::default(),
            )),
            Err(err) => Err(vec![(None, err.to_string())]),
        }
    }
}
