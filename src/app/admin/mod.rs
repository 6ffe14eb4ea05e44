//! The admin views opened from the palette or keys: departments, operators
//! and the audit log. This module loads their rows and routes the browse
//! actions (add, edit, move, remove) and form submissions to each view.

mod departments;
mod operators;

use super::form::{FieldErrors, Form, Refresh, Select};
use super::goals::forms::GoalForm;
use super::list::Searchable;
use super::staff::forms::{DEPARTMENT, StaffForm};
use super::{Action, App, FormKind, View};
use crate::domain::audit::AuditEntry;
use crate::domain::department::DepartmentId;
use crate::domain::operator::Role;
use crate::service::OpError;
use crate::service::access::Permission;
use crate::tr;

/// One line of the department tree view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentRow {
    pub id: DepartmentId,
    pub name: String,
    pub parent: Option<DepartmentId>,
    pub depth: usize,
    pub path: String,
    pub head: String,
    pub children: usize,
}

impl Searchable for DepartmentRow {
    fn search_text(&self) -> String {
        format!("{} {}", self.path, self.head)
    }
}

/// One line of the operator list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorRow {
    pub user: String,
    pub role: Role,
    /// The manager's department path; empty for other roles.
    pub scope: String,
}

impl Searchable for OperatorRow {
    fn search_text(&self) -> String {
        let role = self.role.kind_name();
        format!("{} {role} {} {}", self.user, self.role.label(), self.scope)
    }
}

impl Searchable for AuditEntry {
    fn search_text(&self) -> String {
        let record = &self.record;
        format!(
            "{} {} {} {} {} {} {}",
            self.seq,
            self.operator,
            record.action,
            record.entity,
            record.entity_id,
            record.before.as_deref().unwrap_or(""),
            record.after.as_deref().unwrap_or("")
        )
    }
}

impl App {
    /// Opens an admin view, if the operator may see it, with fresh rows.
    pub(super) fn open_view(&mut self, view: View) {
        let permission = match view {
            View::Departments => Permission::ViewDepartments,
            View::Operators => Permission::ViewOperators,
            View::Log => Permission::ViewAuditLog,
            View::Pane => {
                self.view = View::Pane;
                return;
            }
        };
        if let Err(denied) = crate::service::access::require(self.session.operator(), permission) {
            self.error(denied.to_string());
            return;
        }
        self.view = view;
        self.reload_view();
    }

    /// After a change: the view on screen and the staff table (whose
    /// department paths, and what the operator may see, may have changed)
    /// are read again, and the goal tree when it is next shown.
    pub(super) fn after_write(&mut self) {
        self.reload_view();
        self.reload_staff();
        // Owners' names and departures show in the goal tree: read it again
        // when it is next on screen.
        self.goals_stale = true;
    }

    /// Re-reads the rows of the view on screen from the store.
    pub(super) fn reload_view(&mut self) {
        let page = self.page();
        let result = match self.view {
            View::Departments => self
                .department_rows()
                .map(|rows| self.departments.set_items(rows, page)),
            View::Operators => self
                .operator_rows()
                .map(|rows| self.operators.set_items(rows, page)),
            View::Log => self.session.audit_log().map(|mut entries| {
                entries.reverse();
                self.log.set_items(entries, page);
            }),
            View::Pane => Ok(()),
        };
        if let Err(err) = result {
            self.error(err.to_string());
        }
    }

    fn department_rows(&self) -> Result<Vec<DepartmentRow>, OpError> {
        let tree = self.session.department_tree()?;
        Ok(tree
            .rows()
            .into_iter()
            .map(|row| {
                let d = row.department;
                DepartmentRow {
                    id: d.id,
                    name: d.name.clone(),
                    parent: d.parent,
                    depth: row.depth,
                    path: tree.path(d.id),
                    head: d.head.clone().unwrap_or_default(),
                    children: tree.children(Some(d.id)).len(),
                }
            })
            .collect())
    }

    fn operator_rows(&self) -> Result<Vec<OperatorRow>, OpError> {
        let tree = self.session.department_tree()?;
        Ok(self
            .session
            .operators()?
            .into_iter()
            .map(|op| OperatorRow {
                scope: match op.role {
                    Role::Manager(id) => tree.path(id),
                    _ => String::new(),
                },
                user: op.user,
                role: op.role,
            })
            .collect())
    }

    /// Add / edit / move / remove in the view on screen.
    pub(super) fn admin_action(&mut self, action: Action) {
        let permission = match self.view {
            View::Departments => Permission::EditDepartments,
            View::Operators => Permission::EditOperators,
            View::Log => {
                self.nothing_here(tr!("status.log_read_only"));
                return;
            }
            View::Pane if self.tab == super::Tab::Staff => {
                self.staff_action(action);
                return;
            }
            View::Pane => {
                self.nothing_here(String::new());
                return;
            }
        };
        if let Err(denied) = crate::service::access::require(self.session.operator(), permission) {
            self.error(denied.to_string());
            return;
        }
        match self.view {
            View::Departments => self.department_action(action),
            View::Operators => self.operator_action(action),
            View::Log | View::Pane => {}
        }
    }

    /// Submits the open form; on failure the form stays open with the errors shown.
    pub(super) fn submit_form(&mut self) {
        let Some(mut form) = self.form.take() else {
            return;
        };
        form.clear_errors();
        let outcome = match form.kind.clone() {
            FormKind::AddDepartment | FormKind::EditDepartment(_) | FormKind::MoveDepartment(_) => {
                self.submit_department(&form)
            }
            FormKind::AddOperator | FormKind::EditOperator(_) => self.submit_operator(&form),
            FormKind::Staff(StaffForm::DepartmentFilter) => {
                let department = form.value(DEPARTMENT).parse().ok().map(DepartmentId);
                self.set_department_filter(department);
                return;
            }
            FormKind::Staff(which) => self.submit_staff(&form, which),
            FormKind::Goal(GoalForm::Filter) => {
                if let Err(errors) = self.set_goal_filter(&form) {
                    self.keep_form_with(form, errors);
                }
                return;
            }
            FormKind::Goal(which) => self.submit_goal(&form, which),
            FormKind::Scoring(which) => self.submit_scoring(&form, which),
            FormKind::Binding(which) => self.submit_binding(&form, which),
            FormKind::Vendor(which) => self.submit_vendor(&form, which),
        };
        match outcome {
            Ok(done) => {
                self.info(done.message);
                match done.refresh {
                    Refresh::All => self.after_write(),
                    Refresh::Goals => self.reload_goals(),
                    Refresh::Scoring => self.reload_scoring(),
                    Refresh::Bindings => self.reload_bindings(),
                    Refresh::Vendors => self.reload_vendors(),
                    Refresh::Nothing => {}
                }
                // Scores read staff and goals: recompute when next shown
                // (Scoring's own forms bring the pane up to date).
                if !matches!(form.kind, FormKind::Scoring(_)) {
                    self.scoring_stale = true;
                }
                let page = self.page();
                match done.select {
                    Some(Select::Department(id)) => {
                        self.departments.select_where(page, |row| row.id == id);
                    }
                    Some(Select::Employee(id)) => {
                        self.staff.list.select_where(page, |row| row.id == id);
                        self.refresh_staff_selection();
                    }
                    Some(Select::Goal(id)) => self.select_goal(id),
                    None => {}
                }
            }
            Err(errors) => {
                if let Some((revision, stored)) = self.rebase.take() {
                    form.rebase(revision, &stored);
                }
                self.keep_form_with(form, errors)
            }
        }
    }

    /// Puts the form back on screen with `errors` on their fields.
    fn keep_form_with(&mut self, mut form: Form<FormKind>, errors: FieldErrors) {
        // In reverse, so that the first problem's field has the focus.
        for (field, message) in errors.into_iter().rev() {
            form.set_error(field, message);
        }
        self.form = Some(form);
    }
}
