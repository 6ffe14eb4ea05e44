//! Staff pane operations that are not forms: reading the table and the
//! selected person again, narrowing the table to a department subtree, and
//! revealing an employee's national ID and salary
//! (allowed to admin and hr, and written to the audit log).

use super::StaffView;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Done, Submitted};
use crate::domain::department::DepartmentId;
use crate::tr;

impl StaffView {
    /// Shows only `department`'s subtree in the staff table (`None`: everyone).
    pub(super) fn set_department_filter(
        &mut self,
        desk: &mut Desk,
        department: Option<DepartmentId>,
    ) -> Submitted {
        let page = desk.page();
        let tree = desk
            .session
            .department_tree()
            .map_err(|err| vec![(None, err.to_string())])?;
        self.restrict(&tree, department, page);
        self.read_selected(desk);
        let said = match &self.department_filter {
            Some((_, path)) => tr!("staff.filter.set", path = path),
            None => tr!("staff.filter.cleared"),
        };
        Ok(Done::wrote(said, Changes::default()))
    }

    /// Reads the selected person's record and history again.
    pub(super) fn read_selected(&mut self, desk: &mut Desk) {
        if let Err(err) = self.refresh_selected(&desk.session) {
            desk.error(err.to_string());
        }
    }

    /// Reveals the selected employee's sensitive fields, or masks them again.
    pub(super) fn toggle_reveal(&mut self, desk: &mut Desk) {
        let Some(id) = self.list.selected().map(|row| row.id) else {
            desk.info(tr!("status.nothing_selected"));
            return;
        };
        if self.revealed == Some(id) {
            self.revealed = None;
            desk.info(tr!("staff.reveal.hidden"));
            return;
        }
        match desk.session.reveal(id) {
            Ok(record) => {
                self.revealed = Some(id);
                desk.info(tr!(
                    "staff.reveal.shown",
                    emp_no = record.emp_no,
                    name = record.name
                ));
            }
            Err(err) => desk.error(err.to_string()),
        }
    }
}
