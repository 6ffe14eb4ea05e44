//! The Staff pane's state: one row per employee the operator may see, with
//! its search text (name, pinyin in full and as initials, number, e-mail,
//! department) built once when the records load, not per keystroke; the
//! sort order; the department filter; and the selected employee's record and
//! history. The forms that record lifecycle events are in `forms.rs` and
//! `submit.rs`.

pub mod forms;
pub mod import;
mod pane;
mod submit;

use std::cmp::Ordering;

use chrono::NaiveDate;

use super::list::{FilteredList, Matching, Searchable};
use super::session::{OpError, Session};
use crate::domain::department::{DepartmentId, DepartmentTree};
use crate::domain::directory::Directory;
use crate::domain::employee::{Employee, EmployeeId, LifecycleEvent, Status};
use crate::domain::pinyin::romanize_name;

/// One line of the staff table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffRow {
    pub id: EmployeeId,
    pub emp_no: String,
    pub name: String,
    pub department_id: DepartmentId,
    /// The department's own name; the full path is in `department_path`.
    pub department: String,
    pub department_path: String,
    pub title: String,
    pub manager: String,
    pub status: Status,
    pub hire_date: NaiveDate,
    /// Full pinyin of the name, for sorting and matching.
    pub pinyin: String,
    /// Pinyin initials, one letter per Han character, for highlighting.
    pub initials: String,
    email: String,
}

impl Searchable for StaffRow {
    fn search_text(&self) -> String {
        format!(
            "{} {} {} {} {} {}",
            self.name, self.pinyin, self.initials, self.emp_no, self.email, self.department_path
        )
    }
}

/// The columns the table can be sorted by, in the order `sort` cycles them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    EmpNo,
    Name,
    Department,
    HireDate,
    Status,
}

impl SortKey {
    fn next(self) -> SortKey {
        match self {
            SortKey::EmpNo => SortKey::Name,
            SortKey::Name => SortKey::Department,
            SortKey::Department => SortKey::HireDate,
            SortKey::HireDate => SortKey::Status,
            SortKey::Status => SortKey::EmpNo,
        }
    }

    fn compare(self, a: &StaffRow, b: &StaffRow) -> Ordering {
        match self {
            SortKey::EmpNo => a.emp_no.cmp(&b.emp_no),
            SortKey::Name => a.pinyin.cmp(&b.pinyin).then(a.name.cmp(&b.name)),
            SortKey::Department => a.department_path.cmp(&b.department_path),
            SortKey::HireDate => a.hire_date.cmp(&b.hire_date),
            SortKey::Status => (a.status as u8).cmp(&(b.status as u8)),
        }
        .then(a.emp_no.cmp(&b.emp_no))
    }
}

/// The Staff pane's state.
pub struct StaffView {
    pub list: FilteredList<StaffRow>,
    pub sort: SortKey,
    pub descending: bool,
    /// The selected employee's record and history, oldest event first.
    pub selected: Option<(Employee, Vec<LifecycleEvent>)>,
    /// The department whose subtree the table shows, with its path.
    pub department_filter: Option<(DepartmentId, String)>,
    /// The employee whose national ID and salary are shown unmasked (a
    /// logged reveal); forgotten when the selection moves.
    pub revealed: Option<EmployeeId>,
}

impl Default for StaffView {
    fn default() -> Self {
        StaffView {
            list: FilteredList::new(Matching::Fuzzy),
            sort: SortKey::EmpNo,
            descending: false,
            selected: None,
            department_filter: None,
            revealed: None,
        }
    }
}

fn rows(directory: &Directory) -> Vec<StaffRow> {
    // Each department's path once, not once per employee.
    let paths: std::collections::HashMap<_, String> = directory
        .tree
        .rows()
        .iter()
        .map(|r| (r.department.id, directory.tree.path(r.department.id)))
        .collect();
    directory
        .employees()
        .iter()
        .map(|e| {
            let path = paths.get(&e.department).cloned().unwrap_or_default();
            let own = path.rsplit(" / ").next().unwrap_or_default().to_string();
            let romanized = romanize_name(&e.name);
            StaffRow {
                id: e.id,
                emp_no: e.emp_no.clone(),
                name: e.name.clone(),
                department_id: e.department,
                department: own,
                department_path: path,
                title: e.title.clone(),
                manager: e
                    .manager
                    .and_then(|m| directory.get(m))
                    .map(|m| m.name.clone())
                    .unwrap_or_default(),
                status: e.status,
                hire_date: e.hire_date,
                pinyin: romanized.full,
                initials: romanized.initials,
                email: e.email.clone(),
            }
        })
        .collect()
}

impl StaffView {
    /// Loads the rows the operator may see, keeping query, sort and (by id) selection.
    pub fn reload(&mut self, session: &Session, page: usize) -> Result<(), OpError> {
        let keep = self.list.selected().map(|r| r.id);
        let directory = session.directory()?;
        self.list.set_items(rows(&directory), page);
        self.apply_sort(page);
        let filter = self.department_filter.as_ref().map(|(id, _)| *id);
        self.restrict(&directory.tree, filter, page);
        if let Some(id) = keep {
            self.list.select_where(page, |r| r.id == id);
        }
        self.refresh_selected(session)
    }

    /// Shows only the subtree of `department` (all departments for `None`).
    pub fn restrict(
        &mut self,
        tree: &DepartmentTree,
        department: Option<DepartmentId>,
        page: usize,
    ) {
        self.department_filter = department
            .filter(|&id| tree.get(id).is_some())
            .map(|id| (id, tree.path(id)));
        let keep =
            department.map(|scope| move |row: &StaffRow| tree.is_within(row.department_id, scope));
        self.list.restrict(keep, page);
    }

    fn apply_sort(&mut self, page: usize) {
        let (key, descending) = (self.sort, self.descending);
        self.list.sort_by(
            |a, b| {
                let order = key.compare(a, b);
                if descending { order.reverse() } else { order }
            },
            page,
        );
    }

    /// Sorts by the next column (or, with `reverse`, flips the direction).
    pub fn cycle_sort(&mut self, reverse: bool, page: usize) {
        if reverse {
            self.descending = !self.descending;
        } else {
            self.sort = self.sort.next();
            self.descending = false;
        }
        let keep = self.list.selected().map(|r| r.id);
        self.apply_sort(page);
        if let Some(id) = keep {
            self.list.select_where(page, |r| r.id == id);
        }
    }

    /// Reads the selected employee's record and history.
    pub fn refresh_selected(&mut self, session: &Session) -> Result<(), OpError> {
        let id = self.list.selected().map(|r| r.id);
        if self.revealed != id {
            self.revealed = None;
        }
        self.selected = match id {
            Some(id) => session
                .store()
                .employee(id)?
                .map(|record| Ok::<_, OpError>((record, session.history(id)?)))
                .transpose()?,
            None => None,
        };
        Ok(())
    }
}
