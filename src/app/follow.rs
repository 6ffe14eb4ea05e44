//! Following other sessions' commits: when the database file changes, the
//! console reads the change feed since it last looked and refreshes what
//! the touched records show in: the rows of the people named in the staff
//! table, the goals named in the goal tree (their rows and their paths'
//! progress), each read again alone; the whole table or tree only after a
//! department change, a change to a goal's place in the tree or to a goal
//! owner, or a batch too large to name each record. The cycle on screen,
//! the bindings and vendors when shown, and an admin view are read again.
//! One status-line note tells of the last change the operator may see. A
//! form in progress is left alone: its save is checked against the
//! record's revision.

use super::{App, Tab, View};
use crate::domain::change::{EntityKey, Kind};
use crate::domain::employee::EmployeeId;
use crate::domain::goal::GoalId;

/// What a batch of changes makes stale.
#[derive(Default)]
struct Stale {
    /// The people whose rows the staff table reads again.
    people: Vec<EmployeeId>,
    /// The whole staff table (departments changed: paths and scopes move,
    /// or a batch named a kind, not each person).
    staff: bool,
    /// The goals whose rows and paths the goal tree reads again.
    goal_ids: Vec<GoalId>,
    /// The whole goal tree (a batch of goals, a department renamed).
    goals: bool,
    scoring: bool,
    bindings: bool,
    vendors: bool,
    operators: bool,
    own_role: bool,
}

impl Stale {
    fn mark(&mut self, key: &EntityKey, me: &str) {
        match key.kind() {
            // People and departments show in the staff table, own goals
            // and scorecards.
            // People show in the staff table, as goal owners and on
            // scorecards; departments also in the goal tree's owners.
            Kind::Employee | Kind::Department => {
                match key {
                    EntityKey::Employee(id) if !self.people.contains(id) => self.people.push(*id),
                    EntityKey::Employee(_) => {}
                    _ => {
                        self.staff = true;
                        self.goals = true;
                    }
                }
                self.scoring = true;
            }
            Kind::Goal => {
                match key {
                    EntityKey::Goal(id) if !self.goal_ids.contains(id) => self.goal_ids.push(*id),
                    EntityKey::Goal(_) => {}
                    _ => self.goals = true,
                }
                self.scoring = true;
            }
            Kind::Cycle | Kind::Sheet => self.scoring = true,
            Kind::Binding => self.bindings = true,
            Kind::Vendor => self.vendors = true,
            Kind::Operator => {
                self.operators = true;
                self.own_role |= matches!(key, EntityKey::Operator(user) if user == me)
                    || matches!(key, EntityKey::All(Kind::Operator));
            }
        }
    }
}

impl App {
    /// Reads what other sessions committed since the console last looked,
    /// and refreshes what it touched.
    pub(super) fn follow_changes(&mut self) {
        // The feed is read a batch at a time: a console far behind (a laptop
        // woken from sleep) looks again until it has caught up.
        let mut seen = Vec::new();
        loop {
            let (batch, last) = match self.session.changes_since(self.seen_change) {
                Ok(found) => found,
                Err(err) => return self.error(err.to_string()),
            };
            if last == self.seen_change {
                break;
            }
            self.seen_change = last;
            seen.extend(batch);
        }
        if seen.is_empty() {
            return;
        }
        let me = self.session.operator().user.clone();
        let mut stale = Stale::default();
        for change in &seen {
            for key in &change.keys {
                stale.mark(key, &me);
            }
        }
        if stale.own_role
            && let Err(err) = self.session.refresh_operator()
        {
            // No longer an operator: say so; every action is refused from now on.
            return self.error(err.to_string());
        }
        self.refresh_stale(&stale);
        if let Some(note) = seen.iter().rev().find_map(|c| c.note.clone()) {
            self.info(note);
        }
    }

    fn refresh_stale(&mut self, stale: &Stale) {
        if stale.staff {
            self.reload_staff();
        } else if !stale.people.is_empty() {
            let page = self.page();
            if let Err(err) = self.staff.patch(&self.session, &stale.people, page) {
                self.error(err.to_string());
            }
        }
        // A goal's owner renamed or gone shows in the tree: read it again.
        self.goals_stale |= stale.goals || self.goals.owned_by_any(&stale.people);
        self.scoring_stale |= stale.scoring;
        let shown = (self.view == View::Pane).then_some(self.tab);
        if !self.goals_stale && !stale.goal_ids.is_empty() {
            let page = self.page();
            match self.goals.patch(&self.session, &stale.goal_ids, page) {
                Ok(patched) => self.goals_stale |= !patched,
                Err(err) => self.error(err.to_string()),
            }
        }
        if shown == Some(Tab::Goals) && self.goals_stale {
            self.goals_stale = false;
            self.reload_goals();
        }
        if shown == Some(Tab::Scoring) && self.scoring_stale {
            self.scoring_stale = false;
            self.reload_scoring();
        }
        if shown == Some(Tab::Bindings) && stale.bindings {
            self.reload_bindings();
        }
        if shown == Some(Tab::Vendors) && stale.vendors {
            self.reload_vendors();
        }
        let admin_view = match self.view {
            View::Departments => stale.staff || !stale.people.is_empty(),
            View::Operators => stale.operators,
            // Every change is in the log.
            View::Log => true,
            View::Pane => false,
        };
        if admin_view {
            self.reload_view();
        }
    }
}
