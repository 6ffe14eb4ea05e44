//! The department tree: departments added, renamed (with their head),
//! moved and removed by admin and hr. Each change is checked against the
//! tree and the operators as the write transaction sees them, so two people
//! changing the tree at once cannot make a loop or a duplicate name.

use super::access::Permission;
use super::{OpError, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::department::{Department, DepartmentError, DepartmentId, DepartmentTree};
use crate::domain::operator::Role;

/// The department fields a form or command supplies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepartmentDraft {
    pub name: String,
    pub parent: Option<DepartmentId>,
    pub head: Option<String>,
}

impl Session {
    /// The whole department tree.
    pub fn department_tree(&self) -> Result<DepartmentTree, OpError> {
        self.require(Permission::ViewDepartments)?;
        Ok(DepartmentTree::new(self.store.departments()?))
    }

    fn clean_head(head: Option<String>) -> Option<String> {
        head.map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|h| !h.is_empty())
    }

    pub fn add_department(&self, draft: DepartmentDraft) -> Result<Department, OpError> {
        self.require(Permission::EditDepartments)?;
        let head = Self::clean_head(draft.head);
        self.write_checked(|w| {
            let tree = DepartmentTree::new(w.all_departments()?);
            let name = tree.check_add(&draft.name, draft.parent)?;
            let dept = w.add_department(&name, draft.parent, head)?;
            w.audit(
                AuditRecord::new("department.add", "department", dept.id).after(dept.summary()),
            )?;
            Ok(dept)
        })
    }

    /// Renames a department and sets its head.
    pub fn edit_department(
        &self,
        id: DepartmentId,
        name: &str,
        head: Option<String>,
    ) -> Result<Department, OpError> {
        self.require(Permission::EditDepartments)?;
        let head = Self::clean_head(head);
        self.update_department(id, "department.edit", |tree, current| {
            Ok(Department {
                name: tree.check_rename(id, name)?,
                head,
                ..current.clone()
            })
        })
    }

    pub fn move_department(
        &self,
        id: DepartmentId,
        parent: Option<DepartmentId>,
    ) -> Result<Department, OpError> {
        self.require(Permission::EditDepartments)?;
        self.update_department(id, "department.move", |tree, current| {
            tree.check_move(id, parent)?;
            Ok(Department {
                parent,
                ..current.clone()
            })
        })
    }

    /// Changes department `id` to what `change` makes of it, checked
    /// against the tree as the write transaction sees it.
    fn update_department(
        &self,
        id: DepartmentId,
        action: &str,
        change: impl FnOnce(&DepartmentTree, &Department) -> Result<Department, DepartmentError>,
    ) -> Result<Department, OpError> {
        self.write_checked(|w| {
            let tree = DepartmentTree::new(w.all_departments()?);
            let current = tree.get(id).ok_or(DepartmentError::Unknown(id))?;
            let updated = change(&tree, current)?;
            let before = w.update_department(&updated)?;
            w.audit(
                AuditRecord::new(action, "department", updated.id)
                    .before(before.summary())
                    .after(updated.summary()),
            )?;
            Ok(updated.clone())
        })
    }

    pub fn remove_department(&self, id: DepartmentId) -> Result<Department, OpError> {
        self.require(Permission::EditDepartments)?;
        self.write_checked(|w| {
            let tree = DepartmentTree::new(w.all_departments()?);
            tree.check_remove(id)?;
            let scoped: Vec<String> = w
                .all_operators()?
                .into_iter()
                .filter(|op| op.role == Role::Manager(id))
                .map(|op| op.user)
                .collect();
            if !scoped.is_empty() {
                let name = tree.path(id);
                return Err(DepartmentError::ScopeOfOperators {
                    name,
                    users: scoped.join(", "),
                }
                .into());
            }
            let removed = w.remove_department(id)?;
            w.audit(
                AuditRecord::new("department.remove", "department", id).before(removed.summary()),
            )?;
            Ok(removed)
        })
    }
}
