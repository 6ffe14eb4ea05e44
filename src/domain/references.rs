//! What still points at a record, so that removing it would leave other
//! records pointing nowhere: a department's people (departed ones too:
//! their history names it), the goals it owns, its sub-departments and the
//! operators whose scope it is. A department is removed only when nothing
//! points at it; its people and goals can be moved elsewhere in the same
//! step, its sub-departments and operators' scopes cannot (moving them
//! changes the tree and who sees what: each is its own decision).

use super::department::DepartmentId;
use super::employee::Status;
use super::goal::Owner;
use super::operator::Role;
use crate::tr;

/// What points at one department.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepartmentUses {
    /// People in it who have not departed.
    pub people: usize,
    /// People who departed from it.
    pub departed: usize,
    /// Goals it owns (archived ones included).
    pub goals: usize,
    /// Its direct sub-departments.
    pub children: usize,
    /// The managers whose scope it is.
    pub operators: Vec<String>,
}

impl DepartmentUses {
    /// What points at department `id`, counted from the records that can.
    pub fn of<'a>(
        id: DepartmentId,
        children: usize,
        people: impl IntoIterator<Item = (DepartmentId, Status)>,
        goals: impl IntoIterator<Item = Owner>,
        operators: impl IntoIterator<Item = (&'a str, &'a Role)>,
    ) -> DepartmentUses {
        let mut uses = DepartmentUses {
            children,
            ..DepartmentUses::default()
        };
        for (department, status) in people {
            match status {
                _ if department != id => {}
                Status::Departed => uses.departed += 1,
                Status::Active | Status::OnLeave => uses.people += 1,
            }
        }
        uses.goals = goals
            .into_iter()
            .filter(|&owner| owner == Owner::Department(id))
            .count();
        uses.operators = operators
            .into_iter()
            .filter(|(_, role)| **role == Role::Manager(id))
            .map(|(user, _)| user.to_string())
            .collect();
        uses
    }

    /// Whether nothing points at it.
    pub fn is_empty(&self) -> bool {
        *self == DepartmentUses::default()
    }

    /// Whether only people and goals point at it: they can be moved to
    /// another department in the same step as the removal.
    pub fn movable(&self) -> bool {
        self.children == 0 && self.operators.is_empty()
    }

    /// How many people (departed ones too) a move takes along.
    pub fn all_people(&self) -> usize {
        self.people + self.departed
    }

    /// What points at it, as a list: "18 people (2 departed), 5 goals".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.all_people() > 0 {
            parts.push(if self.departed > 0 {
                tr!(
                    "department.uses.people_departed",
                    count = self.all_people(),
                    departed = self.departed
                )
            } else {
                tr!("department.uses.people", count = self.people)
            });
        }
        if self.goals > 0 {
            parts.push(tr!("department.uses.goals", count = self.goals));
        }
        if self.children > 0 {
            parts.push(tr!("department.uses.children", count = self.children));
        }
        if !self.operators.is_empty() {
            parts.push(tr!(
                "department.uses.operators",
                users = self.operators.join(", ")
            ));
        }
        parts.join(&tr!("department.uses.separator"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_that_points_at_the_department_is_counted() {
        let sales = DepartmentId(2);
        let other = DepartmentId(3);
        let manager = Role::Manager(sales);
        let hr = Role::Hr;
        let uses = DepartmentUses::of(
            sales,
            1,
            [
                (sales, Status::Active),
                (sales, Status::OnLeave),
                (sales, Status::Departed),
                (other, Status::Active),
            ],
            [
                Owner::Department(sales),
                Owner::Department(other),
                Owner::Company,
            ],
            [("li", &manager), ("wang", &hr)],
        );
        assert_eq!(
            uses,
            DepartmentUses {
                people: 2,
                departed: 1,
                goals: 1,
                children: 1,
                operators: vec!["li".into()],
            }
        );
        assert!(!uses.movable(), "a sub-department and a scope stay");
        assert_eq!(
            uses.describe(),
            "3 people (1 departed), 1 goal(s), 1 sub-department(s), the scope of li"
        );
        let empty = DepartmentUses::of(other, 0, [], [], []);
        assert!(empty.is_empty() && empty.movable());
    }
}
