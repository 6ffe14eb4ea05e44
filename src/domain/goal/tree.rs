//! Goals as a forest: each goal's children and parent by position, so the
//! roll-up and the alignment checks walk it without hashing, and one goal's
//! path to its root is a few steps.

use std::collections::HashMap;

use super::{Goal, GoalId};

/// All goals with their parent/child links. A goal whose parent is missing
/// is treated as a root.
#[derive(Clone, Debug, Default)]
pub struct GoalTree {
    goals: Vec<Goal>,
    slot: HashMap<GoalId, usize>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
}

impl GoalTree {
    pub fn new(goals: Vec<Goal>) -> GoalTree {
        let slot: HashMap<GoalId, usize> =
            goals.iter().enumerate().map(|(i, g)| (g.id, i)).collect();
        let parent: Vec<Option<usize>> = goals
            .iter()
            .map(|g| g.parent.and_then(|p| slot.get(&p).copied()))
            .collect();
        let mut children = vec![Vec::new(); goals.len()];
        let mut roots = Vec::new();
        for (i, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children[*p].push(i),
                None => roots.push(i),
            }
        }
        GoalTree {
            goals,
            slot,
            parent,
            children,
            roots,
        }
    }

    pub fn goals(&self) -> &[Goal] {
        &self.goals
    }

    pub fn len(&self) -> usize {
        self.goals.len()
    }

    pub fn is_empty(&self) -> bool {
        self.goals.is_empty()
    }

    /// The position of goal `id`.
    pub fn slot(&self, id: GoalId) -> Option<usize> {
        self.slot.get(&id).copied()
    }

    pub fn get(&self, id: GoalId) -> Option<&Goal> {
        self.slot(id).map(|i| &self.goals[i])
    }

    /// The goal at position `slot`.
    pub fn at(&self, slot: usize) -> &Goal {
        &self.goals[slot]
    }

    pub fn parent_slot(&self, slot: usize) -> Option<usize> {
        self.parent[slot]
    }

    pub fn child_slots(&self, slot: usize) -> &[usize] {
        &self.children[slot]
    }

    pub fn root_slots(&self) -> &[usize] {
        &self.roots
    }

    /// The children of `id`, or the roots for `None`.
    pub fn children(&self, id: Option<GoalId>) -> Vec<&Goal> {
        let slots = match id {
            Some(id) => self.slot(id).map_or(&[][..], |s| &self.children[s]),
            None => &self.roots,
        };
        slots.iter().map(|&s| &self.goals[s]).collect()
    }

    /// `slot` and its ancestors, nearest first (stops on a loop).
    pub fn path_to_root(&self, slot: usize) -> Vec<usize> {
        let mut path = vec![slot];
        let mut at = slot;
        while let Some(p) = self.parent[at] {
            if path.contains(&p) || path.len() > self.goals.len() {
                break;
            }
            path.push(p);
            at = p;
        }
        path
    }

    /// Every goal, parents before their children (depth-first from the roots).
    pub fn preorder(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.goals.len());
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(slot) = stack.pop() {
            order.push(slot);
            stack.extend(self.children[slot].iter().rev());
        }
        order
    }

    /// Mutable access to the goal at `slot` for changes that keep the links
    /// (actuals, titles, status, weights).
    pub fn at_mut(&mut self, slot: usize) -> &mut Goal {
        &mut self.goals[slot]
    }
}
