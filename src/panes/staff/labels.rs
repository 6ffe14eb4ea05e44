//! What the rows of the staff table have in common, stored once and named
//! by a 32-bit number: people's names (with the key they sort by),
//! departments, titles, and managers (by id, with the name their own row
//! shows). A row of a million-row table holds four such numbers, not four
//! pointers and a title of its own.

use super::{DepartmentLabel, Person, StaffRow};
use crate::domain::department::{DepartmentId, DepartmentTree};
use crate::domain::employee::EmployeeId;
use crate::domain::sounds::sort_key;
use crate::numbered::{NONE, Numbered};
use crate::text::ShortText;

/// A shared value's number in its table.
pub type Label = u32;

/// The manager label of a row without a manager.
pub(super) const NO_MANAGER: Label = NONE;

/// A manager as their reports' rows name them.
#[derive(Debug)]
struct Manager {
    id: EmployeeId,
    /// Their name as their own row holds it; `None` while their row is
    /// not in the table (not read yet, or not the operator's to see).
    name: Option<Label>,
}

/// What a row names, as the table shows it.
pub struct RowLabels<'a> {
    pub name: &'a str,
    /// The name's pinyin syllable by syllable (see `sounds::sort_key`).
    pub sort_key: &'a str,
    pub department: &'a DepartmentLabel,
    pub title: &'a str,
    /// Their manager's name, when the manager's row is in the table.
    pub manager: Option<&'a str>,
}

/// The shared values of one staff table.
#[derive(Debug, Default)]
pub struct Labels {
    people: Numbered<ShortText, Person>,
    departments: Numbered<DepartmentId, DepartmentLabel>,
    titles: Numbered<Box<str>, Box<str>>,
    managers: Numbered<EmployeeId, Manager>,
}

impl Labels {
    /// The person called `name` (its sort key made once per name).
    pub(super) fn person_named(&mut self, name: &str) -> Label {
        self.people.number(name, || Person {
            name: name.into(),
            sort_key: sort_key(name).into(),
        })
    }

    /// The department `id` of `tree`, its name and path read once.
    pub(super) fn department_in(&mut self, tree: &DepartmentTree, id: DepartmentId) -> Label {
        self.departments.number(&id, || DepartmentLabel {
            id,
            name: tree.get(id).map(|d| d.name.clone()).unwrap_or_default(),
            path: tree.path(id),
        })
    }

    /// The title `text`.
    pub(super) fn title_of(&mut self, text: &str) -> Label {
        self.titles.number(text, || text.into())
    }

    /// The manager `id`, named once their row is read (see
    /// [`name_managers`](Self::name_managers)).
    pub(super) fn manager(&mut self, id: EmployeeId) -> Label {
        self.managers.number(&id, || Manager { id, name: None })
    }

    /// Names every manager not named yet by `name_of`: the name label of
    /// their row, if it is read.
    pub(super) fn name_managers(&mut self, name_of: impl Fn(EmployeeId) -> Option<Label>) {
        for manager in self
            .managers
            .values_mut()
            .iter_mut()
            .filter(|m| m.name.is_none())
        {
            manager.name = name_of(manager.id);
        }
    }

    /// Person `id`'s row now holds `name` (`None`: it left the table):
    /// their reports name them so.
    pub(super) fn renamed(&mut self, id: EmployeeId, name: Option<Label>) {
        if let Some(label) = self.managers.number_of(&id) {
            self.managers[label].name = name;
        }
    }

    /// What `row` names.
    pub fn of(&self, row: &StaffRow) -> RowLabels<'_> {
        let person = self.person(row.person);
        RowLabels {
            name: &person.name,
            sort_key: &person.sort_key,
            department: self.department(row.department),
            title: self.title(row.title),
            manager: row.manager().and_then(|m| self.manager_name(m)),
        }
    }

    /// Whether a row read into this table was ever called `name`: labels
    /// are added as rows change, never taken away until the table is read
    /// afresh.
    pub fn knows_name(&self, name: &str) -> bool {
        self.people.number_of(name).is_some()
    }

    pub fn person(&self, label: Label) -> &Person {
        &self.people[label]
    }

    pub fn department(&self, label: Label) -> &DepartmentLabel {
        &self.departments[label]
    }

    pub fn title(&self, label: Label) -> &str {
        &self.titles[label]
    }

    /// The name of manager `label` as their row shows it, if it is read.
    pub fn manager_name(&self, label: Label) -> Option<&str> {
        let manager = self.managers.values().get(label as usize)?;
        Some(self.person(manager.name?).name.as_str())
    }

    /// The rank of each person (by label) in the order of their sort keys;
    /// equal keys share a rank.
    pub(super) fn name_ranks(&self) -> Vec<u32> {
        ranks(self.people.values(), |p| p.sort_key.as_str())
    }

    /// The rank of each department (by label) in the order of their paths.
    pub(super) fn department_ranks(&self) -> Vec<u32> {
        ranks(self.departments.values(), |d| d.path.as_str())
    }
}

/// Each value's rank in the order of `text` (equal texts share one).
fn ranks<T>(values: &[T], text: impl Fn(&T) -> &str) -> Vec<u32> {
    let mut by_text: Vec<u32> = (0..u32::try_from(values.len()).unwrap_or(NONE)).collect();
    by_text.sort_unstable_by(|&a, &b| text(&values[a as usize]).cmp(text(&values[b as usize])));
    let mut ranks = vec![0; values.len()];
    let mut rank = 0;
    for (at, &label) in by_text.iter().enumerate() {
        let here = text(&values[label as usize]);
        if at > 0 && text(&values[by_text[at - 1] as usize]) != here {
            rank += 1;
        }
        ranks[label as usize] = rank;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_a_label_and_ranks_follow_the_text() {
        let mut labels = Labels::default();
        let zhao = labels.person_named("赵六");
        let zha = labels.person_named("查理");
        assert_eq!(labels.person_named("赵六"), zhao);
        let ranks = labels.name_ranks();
        assert!(
            ranks[zha as usize] < ranks[zhao as usize],
            "zha before zhao"
        );
        let title = labels.title_of("经理");
        assert_eq!(labels.title_of("经理"), title);
        assert_eq!(labels.title(title), "经理");
    }

    #[test]
    fn a_manager_is_named_by_their_row_and_renamed_with_it() {
        let mut labels = Labels::default();
        let boss = labels.manager(EmployeeId(7));
        assert_eq!(labels.manager_name(boss), None, "not read yet");
        let name = labels.person_named("张伟");
        labels.name_managers(|id| (id == EmployeeId(7)).then_some(name));
        assert_eq!(labels.manager_name(boss), Some("张伟"));
        let other = labels.person_named("张伟伟");
        labels.renamed(EmployeeId(7), Some(other));
        assert_eq!(labels.manager_name(boss), Some("张伟伟"));
        labels.renamed(EmployeeId(7), None);
        assert_eq!(labels.manager_name(boss), None, "left the table");
    }
}
