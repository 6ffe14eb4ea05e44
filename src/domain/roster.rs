//! Who the goal rules look up, and how: a [`Directory`] of whole records
//! (the console, one change at a time), or a [`Roster`] that keeps of each
//! person only what those rules read (their number, name, status and
//! department), built as the records are read in place: a check of a
//! million people holds tens of megabytes, not a million records.

use super::department::{DepartmentId, DepartmentTree};
use super::directory::Directory;
use super::employee::{EmployeeId, EmployeeView, Status};
use crate::numbered::Numbered;
use crate::text::Code;

/// The people a rule may look up.
pub trait People {
    fn tree(&self) -> &DepartmentTree;
    /// Person `id`'s status and department, if they are known.
    fn standing(&self, id: EmployeeId) -> Option<(Status, DepartmentId)>;
    /// Who person `id` is, as reports name them: `E000008 解明`.
    fn label(&self, id: EmployeeId) -> Option<String>;
    /// Everyone's id and status, in id order.
    fn standings(&self) -> impl Iterator<Item = (EmployeeId, Status)>;
}

impl People for Directory {
    fn tree(&self) -> &DepartmentTree {
        &self.tree
    }

    fn standing(&self, id: EmployeeId) -> Option<(Status, DepartmentId)> {
        self.get(id).map(|e| (e.status, e.department))
    }

    fn label(&self, id: EmployeeId) -> Option<String> {
        self.get(id).map(|e| format!("{} {}", e.emp_no, e.name))
    }

    fn standings(&self) -> impl Iterator<Item = (EmployeeId, Status)> {
        self.employees().iter().map(|e| (e.id, e.status))
    }
}

/// Each person's number, name, status and department, kept column by
/// column in id order; names many people share are kept once.
#[derive(Debug, Default)]
pub struct Roster {
    tree: DepartmentTree,
    ids: Vec<EmployeeId>,
    numbers: Vec<Code>,
    names: Vec<u32>,
    statuses: Vec<Status>,
    departments: Vec<DepartmentId>,
    distinct_names: Numbered<Box<str>, Box<str>>,
    /// Each id's place, while ids are dense enough for it to be small
    /// (they are handed out one after another); else places are found by
    /// halving.
    place_of_id: Option<Vec<u32>>,
}

/// No one has this id.
const NOBODY: u32 = u32::MAX;

impl Roster {
    /// An empty roster of the organisation `tree`.
    pub fn new(tree: DepartmentTree) -> Self {
        Roster {
            tree,
            place_of_id: Some(Vec::new()),
            ..Roster::default()
        }
    }

    /// Adds `person` (read in place; people come in id order).
    pub fn add(&mut self, person: EmployeeView<'_>) {
        let name = self
            .distinct_names
            .number(person.name, || person.name.into());
        self.note_place(person.id);
        self.ids.push(person.id);
        self.numbers.push(person.emp_no.into());
        self.names.push(name);
        self.statuses.push(person.status);
        self.departments.push(person.department);
    }

    /// Only the people of `scope` and its sub-departments (what a
    /// manager sees).
    pub fn within(self, scope: DepartmentId) -> Roster {
        let mut kept = Roster::new(self.tree.clone());
        kept.distinct_names = self.distinct_names;
        for at in 0..self.ids.len() {
            if self.tree.is_within(self.departments[at], scope) {
                kept.note_place(self.ids[at]);
                kept.ids.push(self.ids[at]);
                kept.numbers.push(self.numbers[at].clone());
                kept.names.push(self.names[at]);
                kept.statuses.push(self.statuses[at]);
                kept.departments.push(self.departments[at]);
            }
        }
        kept
    }

    /// Notes that `id` is at the next place, while the ids so far are
    /// at most four times as many as the people (with room to start).
    fn note_place(&mut self, id: EmployeeId) {
        let Some(places) = &mut self.place_of_id else {
            return;
        };
        let at = usize::try_from(id.0).unwrap_or(usize::MAX);
        let place = u32::try_from(self.ids.len()).ok();
        match place {
            Some(place) if at < 4 * (self.ids.len() + 1024) => {
                if at >= places.len() {
                    places.resize(at + 1, NOBODY);
                }
                places[at] = place;
            }
            _ => self.place_of_id = None,
        }
    }

    /// Person `id`'s number and name, if they are known.
    pub fn who(&self, id: EmployeeId) -> Option<(&str, &str)> {
        let at = self.find(id)?;
        let name = &self.distinct_names[self.names[at]];
        Some((&self.numbers[at], name))
    }

    fn find(&self, id: EmployeeId) -> Option<usize> {
        match &self.place_of_id {
            Some(places) => {
                let at = usize::try_from(id.0).ok()?;
                places
                    .get(at)
                    .filter(|&&p| p != NOBODY)
                    .map(|&p| p as usize)
            }
            None => self.ids.binary_search(&id).ok(),
        }
    }
}

impl People for Roster {
    fn tree(&self) -> &DepartmentTree {
        &self.tree
    }

    fn standing(&self, id: EmployeeId) -> Option<(Status, DepartmentId)> {
        self.find(id)
            .map(|at| (self.statuses[at], self.departments[at]))
    }

    fn label(&self, id: EmployeeId) -> Option<String> {
        self.who(id)
            .map(|(number, name)| format!("{number} {name}"))
    }

    fn standings(&self) -> impl Iterator<Item = (EmployeeId, Status)> {
        self.ids.iter().copied().zip(self.statuses.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{dept, person};

    #[test]
    fn a_roster_answers_as_the_directory_of_the_same_people_does() {
        let tree = DepartmentTree::new(vec![dept(1, "总部", None), dept(2, "销售部", Some(1))]);
        let mut gone = person(3, "E3", 2, Some(1));
        gone.status = Status::Departed;
        let people = vec![person(1, "E1", 1, None), person(2, "E2", 2, Some(1)), gone];
        let mut roster = Roster::new(tree.clone());
        for p in &people {
            roster.add(p.view());
        }
        let directory = Directory::new(tree, people);
        for id in [1, 2, 3, 4].map(EmployeeId) {
            assert_eq!(roster.standing(id), directory.standing(id), "{id}");
            assert_eq!(roster.label(id), directory.label(id), "{id}");
        }
        assert_eq!(
            roster.standings().collect::<Vec<_>>(),
            directory.standings().collect::<Vec<_>>()
        );
        assert_eq!(roster.label(EmployeeId(2)).as_deref(), Some("E2 员工2"));
        // Ids far apart are found by halving.
        let mut sparse = Roster::new(DepartmentTree::default());
        for id in [1, 5_000, 9_000_000] {
            sparse.add(person(id, &format!("E{id}"), 1, None).view());
        }
        assert!(sparse.place_of_id.is_none());
        assert_eq!(
            sparse.label(EmployeeId(9_000_000)).as_deref(),
            Some("E9000000 员工9000000")
        );
        assert_eq!(sparse.label(EmployeeId(4_999)), None);
        let sales = roster.within(DepartmentId(2));
        assert_eq!(sales.label(EmployeeId(2)).as_deref(), Some("E2 员工2"));
        assert_eq!(sales.standing(EmployeeId(1)), None, "outside the scope");
    }
}
