//! Goals as a forest: each goal's children and parent by position, so the
//! roll-up and the alignment checks walk it without hashing, and one goal's
//! path to its root is a few steps. Goals are kept in id order (a goal is
//! found by halving) and the links are 32-bit positions, children end to
//! end in one array: a million goals' links take a few megabytes.

use super::outline::Placed;
use super::{Goal, GoalId};
use crate::text::SharedTexts;

/// No parent (a root).
const NONE: u32 = u32::MAX;

/// All goals with their parent/child links. A goal whose parent is missing
/// is treated as a root.
#[derive(Clone, Debug)]
pub struct GoalTree<G = Goal> {
    /// In id order.
    goals: Vec<G>,
    /// Each goal's parent's position, or [`NONE`].
    parent: Vec<u32>,
    /// Goal `s`'s children are `children[child_start[s]..child_start[s + 1]]`.
    child_start: Vec<u32>,
    children: Vec<u32>,
    roots: Vec<u32>,
}

/// Positions as stored, widened.
fn widened(slots: &[u32]) -> impl ExactSizeIterator<Item = usize> + DoubleEndedIterator + '_ {
    slots.iter().map(|&s| s as usize)
}

impl<G> Default for GoalTree<G> {
    fn default() -> Self {
        GoalTree {
            goals: Vec::new(),
            parent: Vec::new(),
            child_start: vec![0],
            children: Vec::new(),
            roots: Vec::new(),
        }
    }
}

impl GoalTree {
    /// The tree of `goals`, those with the same title sharing one copy.
    pub fn new(mut goals: Vec<Goal>) -> GoalTree {
        let mut titles = SharedTexts::default();
        for goal in &mut goals {
            goal.title = titles.share(&goal.title);
        }
        GoalTree::linked(goals)
    }
}

impl<G: Placed> GoalTree<G> {
    /// The tree of `goals`, in any order.
    pub fn linked(mut goals: Vec<G>) -> GoalTree<G> {
        if !goals.is_sorted_by_key(|g| g.id()) {
            goals.sort_by_key(|g| g.id());
        }
        let slot_of = |id: GoalId| goals.binary_search_by_key(&id, |g| g.id()).ok();
        let parent: Vec<u32> = goals
            .iter()
            .map(|g| g.parent().and_then(slot_of).map_or(NONE, |p| p as u32))
            .collect();
        let mut child_start = vec![0u32; goals.len() + 1];
        for &p in parent.iter().filter(|&&p| p != NONE) {
            child_start[p as usize + 1] += 1;
        }
        for s in 1..child_start.len() {
            child_start[s] += child_start[s - 1];
        }
        let mut filled = child_start.clone();
        let mut children = vec![0u32; child_start[goals.len()] as usize];
        let mut roots = Vec::new();
        for (slot, &p) in parent.iter().enumerate() {
            if p == NONE {
                roots.push(slot as u32);
            } else {
                children[filled[p as usize] as usize] = slot as u32;
                filled[p as usize] += 1;
            }
        }
        GoalTree {
            goals,
            parent,
            child_start,
            children,
            roots,
        }
    }

    pub fn goals(&self) -> &[G] {
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
        self.goals.binary_search_by_key(&id, |g| g.id()).ok()
    }

    pub fn get(&self, id: GoalId) -> Option<&G> {
        self.slot(id).map(|i| &self.goals[i])
    }

    /// The goal at position `slot`.
    pub fn at(&self, slot: usize) -> &G {
        &self.goals[slot]
    }

    pub fn parent_slot(&self, slot: usize) -> Option<usize> {
        Some(self.parent[slot])
            .filter(|&p| p != NONE)
            .map(|p| p as usize)
    }

    /// The positions of the children of the goal at `slot`.
    pub fn child_slots(
        &self,
        slot: usize,
    ) -> impl ExactSizeIterator<Item = usize> + DoubleEndedIterator + '_ {
        widened(self.child_range(slot))
    }

    fn child_range(&self, slot: usize) -> &[u32] {
        &self.children[self.child_start[slot] as usize..self.child_start[slot + 1] as usize]
    }

    /// Whether the goal at `slot` has children.
    pub fn has_children(&self, slot: usize) -> bool {
        self.child_start[slot] != self.child_start[slot + 1]
    }

    pub fn root_slots(&self) -> impl ExactSizeIterator<Item = usize> + DoubleEndedIterator + '_ {
        widened(&self.roots)
    }

    /// The children of `id`, or the roots for `None`.
    pub fn children(&self, id: Option<GoalId>) -> Vec<&G> {
        let slots = match id {
            Some(id) => self.slot(id).map_or(&[][..], |s| self.child_range(s)),
            None => &self.roots,
        };
        widened(slots).map(|s| &self.goals[s]).collect()
    }

    /// `slot` and its ancestors, nearest first (stops on a loop).
    pub fn path_to_root(&self, slot: usize) -> Vec<usize> {
        let mut path = vec![slot];
        let mut at = slot;
        while let Some(p) = self.parent_slot(at) {
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
        let mut stack: Vec<usize> = self.root_slots().rev().collect();
        while let Some(slot) = stack.pop() {
            order.push(slot);
            stack.extend(self.child_slots(slot).rev());
        }
        order
    }

    /// Mutable access to the goal at `slot` for changes that keep the links
    /// (actuals, titles, status, weights).
    pub fn at_mut(&mut self, slot: usize) -> &mut G {
        &mut self.goals[slot]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::goal;
    use crate::domain::goal::Owner;
    use std::sync::Arc;

    #[test]
    fn goals_given_in_any_order_are_linked_by_their_parents() {
        // Out of id order; 9's parent is not in the tree, so it is a root.
        let tree = GoalTree::new(vec![
            goal(5, Owner::Company, Some(1)),
            goal(9, Owner::Company, Some(42)),
            goal(1, Owner::Company, None),
            goal(3, Owner::Company, Some(1)),
            goal(7, Owner::Company, Some(3)),
        ]);
        let id = |slot: usize| tree.at(slot).id.0;
        let ids = |slots: Vec<usize>| slots.into_iter().map(id).collect::<Vec<_>>();
        assert_eq!(ids(tree.root_slots().collect()), [1, 9]);
        let one = tree.slot(GoalId(1)).expect("goal 1");
        assert_eq!(ids(tree.child_slots(one).collect()), [3, 5]);
        let seven = tree.slot(GoalId(7)).expect("goal 7");
        assert_eq!(tree.parent_slot(seven).map(id), Some(3));
        assert_eq!(ids(tree.path_to_root(seven)), [7, 3, 1]);
        assert!(!tree.has_children(seven) && tree.has_children(one));
        assert_eq!(tree.parent_slot(tree.slot(GoalId(9)).expect("9")), None);
        assert_eq!(ids(tree.preorder()), [1, 3, 7, 5, 9]);
        assert!(tree.get(GoalId(2)).is_none());
        assert_eq!(tree.children(Some(GoalId(3)))[0].id, GoalId(7));
    }

    #[test]
    fn goals_with_the_same_title_share_one_copy_of_it() {
        let titled = |id: u64, title: &str| Goal {
            title: title.into(),
            ..goal(id, Owner::Company, None)
        };
        let tree = GoalTree::new(vec![
            titled(1, "每月销售 10 万元 · 100k a month"),
            titled(2, "每月销售 10 万元 · 100k a month"),
            titled(3, "another"),
        ]);
        let title = |id: u64| &tree.get(GoalId(id)).expect("goal").title;
        assert!(Arc::ptr_eq(title(1), title(2)));
        assert!(!Arc::ptr_eq(title(1), title(3)));
        assert_eq!(&**title(2), "每月销售 10 万元 · 100k a month");
    }
}
