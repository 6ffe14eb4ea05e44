//! Staff pane operations that are not forms: narrowing the table to a
//! department subtree, and revealing an employee's national ID and salary
//! (allowed to admin and hr, and written to the audit log).

use crate::app::App;
use crate::domain::department::DepartmentId;
use crate::tr;

impl App {
    /// Shows only `department`'s subtree in the staff table (`None`: everyone).
    pub(in crate::app) fn set_department_filter(&mut self, department: Option<DepartmentId>) {
        let page = self.page();
        match self.session.department_tree() {
            Ok(tree) => {
                self.staff.restrict(&tree, department, page);
                self.refresh_staff_selection();
                match &self.staff.department_filter {
                    Some((_, path)) => self.info(tr!("staff.filter.set", path = path)),
                    None => self.info(tr!("staff.filter.cleared")),
                }
            }
            Err(err) => self.error(err.to_string()),
        }
    }

    /// Reveals the selected employee's sensitive fields, or masks them again.
    pub(in crate::app) fn toggle_reveal(&mut self) {
        let Some(id) = self.staff.list.selected().map(|row| row.id) else {
            self.info(tr!("status.nothing_selected"));
            return;
        };
        if self.staff.revealed == Some(id) {
            self.staff.revealed = None;
            self.info(tr!("staff.reveal.hidden"));
            return;
        }
        match self.session.reveal(id) {
            Ok(record) => {
                self.staff.revealed = Some(id);
                self.info(tr!(
                    "staff.reveal.shown",
                    emp_no = record.emp_no,
                    name = record.name
                ));
            }
            Err(err) => self.error(err.to_string()),
        }
    }
}
