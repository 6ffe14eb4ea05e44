//! What a batch of store changes touched, in the terms panes read again
//! by: people and goals by id, or whole kinds. Built from the change feed
//! (other consoles' commits) and by this console's own writes; every pane
//! is told, and each decides what of its own is stale.

use crate::domain::change::{EntityKey, Kind};
use crate::domain::employee::EmployeeId;
use crate::domain::goal::GoalId;

/// What a batch of changes makes stale.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// The people whose rows the staff table reads again.
    pub people: Vec<EmployeeId>,
    /// The whole staff table (departments changed: paths and scopes move,
    /// or a batch named a kind, not each person).
    pub staff: bool,
    /// The goals whose rows and paths the goal tree reads again.
    pub goal_ids: Vec<GoalId>,
    /// The whole goal tree (a batch of goals, a department renamed).
    pub goals: bool,
    pub scoring: bool,
    pub bindings: bool,
    pub vendors: bool,
    pub operators: bool,
    /// The operator of this console was changed (their role may differ).
    pub own_role: bool,
}

impl Changes {
    /// People or departments were written: the staff table, the goal tree
    /// (owners' names and departures show there) and the scores read them.
    pub fn staff() -> Changes {
        Changes {
            staff: true,
            goals: true,
            scoring: true,
            ..Changes::default()
        }
    }

    /// Goals were added, moved or archived: the tree and the scores.
    pub fn goals() -> Changes {
        Changes {
            goals: true,
            scoring: true,
            ..Changes::default()
        }
    }

    /// Only what scores read changed (a goal's actual, kept in place).
    pub fn scoring() -> Changes {
        Changes {
            scoring: true,
            ..Changes::default()
        }
    }

    pub fn bindings() -> Changes {
        Changes {
            bindings: true,
            ..Changes::default()
        }
    }

    pub fn vendors() -> Changes {
        Changes {
            vendors: true,
            ..Changes::default()
        }
    }

    pub fn operators() -> Changes {
        Changes {
            operators: true,
            ..Changes::default()
        }
    }

    /// Records of any kind but operators were written (a headless import).
    pub fn records() -> Changes {
        Changes {
            staff: true,
            goals: true,
            scoring: true,
            bindings: true,
            vendors: true,
            ..Changes::default()
        }
    }

    /// Whether nothing was touched.
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// Adds `other`'s changes to these.
    pub fn join(&mut self, other: Changes) {
        for id in other.people {
            if !self.people.contains(&id) {
                self.people.push(id);
            }
        }
        for id in other.goal_ids {
            if !self.goal_ids.contains(&id) {
                self.goal_ids.push(id);
            }
        }
        self.staff |= other.staff;
        self.goals |= other.goals;
        self.scoring |= other.scoring;
        self.bindings |= other.bindings;
        self.vendors |= other.vendors;
        self.operators |= other.operators;
        self.own_role |= other.own_role;
    }

    /// Notes one changed record of the feed; `me` is this console's operator.
    pub fn mark(&mut self, key: &EntityKey, me: &str) {
        match key.kind() {
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
