//! What the rules that place goals read of a goal (its links, owner,
//! period, weight and status), whether from a whole [`Goal`] or from its
//! outline: a goal read without its measure, so that a check of a
//! million goals holds a few dozen bytes of each.

use std::sync::Arc;

use super::{Goal, GoalId, GoalStatus, Owner, Period, Weight};

/// A goal as its place in the tree sees it.
pub trait Placed {
    fn id(&self) -> GoalId;
    fn parent(&self) -> Option<GoalId>;
    fn title(&self) -> &str;
    fn owner(&self) -> Owner;
    fn period(&self) -> Period;
    fn weight(&self) -> Weight;
    fn status(&self) -> GoalStatus;
}

/// A goal without its measure (its leading fields as stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalOutline {
    pub id: GoalId,
    /// Shared by the outlines with the same title.
    pub title: Arc<str>,
    pub owner: Owner,
    pub period: Period,
    pub parent: Option<GoalId>,
    pub weight: Weight,
    pub status: GoalStatus,
}

/// Implements [`Placed`] by the fields both kinds of goal have.
macro_rules! placed_by_fields {
    ($($kind:ty),*) => {$(
        impl Placed for $kind {
            fn id(&self) -> GoalId {
                self.id
            }
            fn parent(&self) -> Option<GoalId> {
                self.parent
            }
            fn title(&self) -> &str {
                &self.title
            }
            fn owner(&self) -> Owner {
                self.owner
            }
            fn period(&self) -> Period {
                self.period
            }
            fn weight(&self) -> Weight {
                self.weight
            }
            fn status(&self) -> GoalStatus {
                self.status
            }
        }
    )*};
}

placed_by_fields!(Goal, GoalOutline);
