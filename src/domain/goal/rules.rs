//! Where a goal may hang: a company goal is at the top; a department goal
//! under a company goal or a goal of its own or a parent department; a
//! personal goal under a goal of the department (subtree) its owner works
//! in, or under the same person's goal (key results of their objective).
//! A child's period lies within its parent's. Used to refuse a bad goal and,
//! in the alignment report, to find goals that a transfer left misplaced.

use std::fmt;

use super::Owner;
use super::outline::Placed;
use crate::domain::roster::People;
use crate::tr;

/// Why a goal may not hang where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlacementError {
    /// A company goal with a parent.
    CompanyGoalHasParent,
    /// A department or personal goal without a parent.
    NeedsParent,
    /// The parent's owner does not cover the goal's owner.
    OwnerOutsideParent { goal: String, parent: String },
    /// The period is not within the parent's.
    PeriodOutsideParent { period: String, parent: String },
    /// The owner is not in the organisation (an unknown department or person).
    UnknownOwner,
}

impl fmt::Display for PlacementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            PlacementError::CompanyGoalHasParent => tr!("goal.error.company_has_parent"),
            PlacementError::NeedsParent => tr!("goal.error.needs_parent"),
            PlacementError::OwnerOutsideParent { goal, parent } => {
                tr!(
                    "goal.error.owner_outside_parent",
                    goal = goal,
                    parent = parent
                )
            }
            PlacementError::PeriodOutsideParent { period, parent } => {
                tr!(
                    "goal.error.period_outside_parent",
                    period = period,
                    parent = parent
                )
            }
            PlacementError::UnknownOwner => tr!("goal.error.unknown_owner"),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for PlacementError {}

/// The owner as people read it: the company, a department path, a person.
pub fn owner_name(owner: Owner, people: &impl People) -> String {
    match owner {
        Owner::Company => tr!("goal.owner.company"),
        Owner::Department(id) => people.tree().path(id),
        Owner::Employee(id) => people.label(id).unwrap_or_else(|| id.to_string()),
    }
}

/// Whether `parent`'s owner covers `child`'s owner (see the module rules).
pub fn owner_fits(child: Owner, parent: Owner, people: &impl People) -> Option<bool> {
    let tree = people.tree();
    Some(match (child, parent) {
        (Owner::Company, _) => false,
        (Owner::Department(_), Owner::Company) => true,
        (Owner::Department(d), Owner::Department(p)) => tree.is_within(d, p),
        (Owner::Department(_), Owner::Employee(_)) => false,
        (Owner::Employee(_), Owner::Company) => false,
        (Owner::Employee(e), Owner::Department(p)) => tree.is_within(people.standing(e)?.1, p),
        (Owner::Employee(e), Owner::Employee(p)) => e == p,
    })
}

/// Checks where `goal` hangs, given its parent (if it has one).
pub fn check_placement<G: Placed>(
    goal: &G,
    parent: Option<&G>,
    people: &impl People,
) -> Result<(), PlacementError> {
    let known = match goal.owner() {
        Owner::Company => true,
        Owner::Department(d) => people.tree().get(d).is_some(),
        Owner::Employee(e) => people.standing(e).is_some(),
    };
    if !known {
        return Err(PlacementError::UnknownOwner);
    }
    let parent = match (goal.owner(), parent) {
        (Owner::Company, None) => return Ok(()),
        (Owner::Company, Some(_)) => return Err(PlacementError::CompanyGoalHasParent),
        (_, None) => return Err(PlacementError::NeedsParent),
        (_, Some(parent)) => parent,
    };
    if owner_fits(goal.owner(), parent.owner(), people) != Some(true) {
        return Err(PlacementError::OwnerOutsideParent {
            goal: owner_name(goal.owner(), people),
            parent: owner_name(parent.owner(), people),
        });
    }
    if !parent.period().contains(goal.period()) {
        return Err(PlacementError::PeriodOutsideParent {
            period: goal.period().to_string(),
            parent: parent.period().to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::Period;
    use super::*;
    use crate::domain::department::DepartmentTree;
    use crate::domain::directory::Directory;
    use crate::domain::employee::EmployeeId;
    use crate::domain::fixtures::{self, dept, person};
    use crate::domain::goal::Goal;

    /// Company › Sales › East, and a rep in East.
    fn org() -> Directory {
        let tree = DepartmentTree::new(vec![
            dept(1, "Acme", None),
            dept(2, "Sales", Some(1)),
            dept(3, "East", Some(2)),
            dept(4, "HR", Some(1)),
        ]);
        Directory::new(tree, vec![person(10, "E10", 3, None)])
    }

    fn goal(owner: Owner, period: &str) -> Goal {
        Goal {
            period: period.parse::<Period>().unwrap(),
            ..fixtures::goal(1, owner, None)
        }
    }

    use crate::domain::department::DepartmentId as D;

    #[test]
    fn the_cascade_goes_company_department_person() {
        let org = org();
        let company = goal(Owner::Company, "2026");
        let sales = goal(Owner::Department(D(2)), "2026-H1");
        let east = goal(Owner::Department(D(3)), "2026-Q1");
        let rep = goal(Owner::Employee(EmployeeId(10)), "2026-Q1");
        assert_eq!(check_placement(&company, None, &org), Ok(()));
        assert_eq!(check_placement(&sales, Some(&company), &org), Ok(()));
        assert_eq!(check_placement(&east, Some(&sales), &org), Ok(()));
        assert_eq!(check_placement(&rep, Some(&sales), &org), Ok(()), "subtree");
        assert_eq!(check_placement(&rep, Some(&rep.clone()), &org), Ok(()));
    }

    #[test]
    fn misplaced_goals_are_refused_with_the_reason() {
        let org = org();
        let company = goal(Owner::Company, "2026");
        let hr = goal(Owner::Department(D(4)), "2026");
        let sales = goal(Owner::Department(D(2)), "2026");
        let rep = goal(Owner::Employee(EmployeeId(10)), "2026");
        assert_eq!(
            check_placement(&company, Some(&company), &org),
            Err(PlacementError::CompanyGoalHasParent)
        );
        assert_eq!(
            check_placement(&rep, None, &org),
            Err(PlacementError::NeedsParent)
        );
        assert!(matches!(
            check_placement(&rep, Some(&hr), &org),
            Err(PlacementError::OwnerOutsideParent { .. })
        ));
        assert!(matches!(
            check_placement(&sales, Some(&rep), &org),
            Err(PlacementError::OwnerOutsideParent { .. })
        ));
        let late = goal(Owner::Department(D(2)), "2027-Q1");
        assert!(matches!(
            check_placement(&late, Some(&company), &org),
            Err(PlacementError::PeriodOutsideParent { .. })
        ));
        let ghost = goal(Owner::Employee(EmployeeId(99)), "2026");
        assert_eq!(
            check_placement(&ghost, Some(&sales), &org),
            Err(PlacementError::UnknownOwner)
        );
    }
}
