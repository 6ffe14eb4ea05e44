//! The department tree: departments added, renamed (with their head),
//! moved and removed by admin and hr. Each change is checked against the
//! tree and the operators as the write transaction sees them, so two people
//! changing the tree at once cannot make a loop or a duplicate name.

use chrono::{DateTime, NaiveDate, Utc};

use super::access::Permission;
use super::staff::{CheckedEvent, Stamp, whole_directory};
use super::{OpError, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::department::{
    Candidate, Department, DepartmentError, DepartmentId, DepartmentTree, Head, find_head,
};
use crate::domain::directory::Directory;
use crate::domain::employee::{Employee, EventKind, Status};
use crate::domain::goal::{Goal, Owner};
use crate::domain::operator::Operator;
use crate::domain::references::DepartmentUses;
use crate::store::{RuleReads, Writer};
use crate::tr;

/// The department fields a form or command supplies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepartmentDraft {
    pub name: String,
    pub parent: Option<DepartmentId>,
    /// The head as typed: an employee number or a name (blank: none).
    pub head: Option<String>,
}

/// The head `text` names (see [`find_head`]), as `reads` sees the staff.
/// Among several people of that name, the one in `within` (the department
/// being headed) is taken.
fn resolve_head(
    reads: &impl RuleReads,
    text: Option<&str>,
    within: Option<DepartmentId>,
) -> Result<Option<Head>, OpError> {
    let text = text.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(id) = reads.employee_id_by_emp_no(text)? {
        return Ok(Some(Head::Employee(id)));
    }
    let people = reads.all_employees()?;
    match find_head(text, within, people.iter().map(Candidate::of)) {
        Ok(Some(id)) => Ok(Some(Head::Employee(id))),
        Ok(None) => Err(DepartmentError::NoSuchHead(text.to_string()).into()),
        Err(emp_nos) => Err(DepartmentError::AmbiguousHead {
            name: text.to_string(),
            emp_nos: emp_nos.join(", "),
        }
        .into()),
    }
}

/// How `head` reads (see [`Session::head_text`]).
fn head_text(reads: &impl RuleReads, head: &Option<Head>) -> Result<String, OpError> {
    Ok(match head {
        None => String::new(),
        Some(Head::Note(name)) => tr!("department.head_note", name = name),
        Some(Head::Employee(id)) => match reads.employee(*id)? {
            Some(person) if person.status == Status::Departed => tr!(
                "department.head_departed",
                emp_no = person.emp_no,
                name = person.name
            ),
            Some(person) => format!("{} {}", person.emp_no, person.name),
            None => id.to_string(),
        },
    })
}

impl Session {
    /// The whole department tree.
    pub fn department_tree(&self) -> Result<DepartmentTree, OpError> {
        self.require(Permission::ViewDepartments)?;
        Ok(DepartmentTree::new(self.store.departments()?))
    }

    pub fn add_department(&self, draft: DepartmentDraft) -> Result<Department, OpError> {
        self.require(Permission::EditDepartments)?;
        self.write_checked(|w| {
            let tree = DepartmentTree::new(w.all_departments()?);
            let name = tree.check_add(&draft.name, draft.parent)?;
            let head = resolve_head(w, draft.head.as_deref(), None)?;
            let dept = w.add_department(&name, draft.parent, head)?;
            let shown = head_text(w, &dept.head)?;
            w.audit(
                AuditRecord::new("department.add", "department", dept.id)
                    .after(dept.summary(&shown)),
            )?;
            Ok(dept)
        })
    }

    /// Renames a department and sets its head: an employee, by number or
    /// by name (the one person of that name who has not departed).
    pub fn edit_department(
        &self,
        id: DepartmentId,
        name: &str,
        head: Option<String>,
    ) -> Result<Department, OpError> {
        self.require(Permission::EditDepartments)?;
        self.write_checked(|w| {
            let head = resolve_head(w, head.as_deref(), Some(id))?;
            self.update_department_in(w, id, "department.edit", |tree, current| {
                Ok(Department {
                    name: tree.check_rename(id, name)?,
                    head,
                    ..current.clone()
                })
            })
        })
    }

    /// How the head of a department reads: `E000001 周建国`, a flagged
    /// note kept from an older file, or nothing.
    pub fn head_text(&self, head: &Option<Head>) -> Result<String, OpError> {
        self.require(Permission::ViewDepartments)?;
        head_text(self.store(), head)
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
        self.write_checked(|w| self.update_department_in(w, id, action, change))
    }

    /// [`Session::update_department`] inside `w`.
    fn update_department_in(
        &self,
        w: &mut Writer<'_>,
        id: DepartmentId,
        action: &str,
        change: impl FnOnce(&DepartmentTree, &Department) -> Result<Department, DepartmentError>,
    ) -> Result<Department, OpError> {
        let tree = DepartmentTree::new(w.all_departments()?);
        let current = tree.get(id).ok_or(DepartmentError::Unknown(id))?;
        let updated = change(&tree, current)?;
        let before = w.update_department(&updated)?;
        let (was, now) = (head_text(w, &before.head)?, head_text(w, &updated.head)?);
        w.audit(
            AuditRecord::new(action, "department", updated.id)
                .before(before.summary(&was))
                .after(updated.summary(&now)),
        )?;
        Ok(updated)
    }

    /// What still points at department `id` (people, goals,
    /// sub-departments, managers' scopes): what a removal must deal with.
    /// Asked by whoever may remove departments: the counts span the whole
    /// company, beyond a manager's scope.
    pub fn department_uses(&self, id: DepartmentId) -> Result<DepartmentUses, OpError> {
        self.require(Permission::EditDepartments)?;
        let directory = whole_directory(self.store())?;
        directory.tree.require(id)?;
        uses_of(self.store(), &directory, id, &self.store.operators()?)
    }

    /// Removes department `id`. Nothing may point at it, unless `move_to`
    /// names where its people and goals go: then, in the same transaction,
    /// each person is transferred there (a transfer in their history, dated
    /// today; a correction for people who departed from it) and each goal
    /// it owns changes owner, and only then is it removed. Sub-departments
    /// and managers' scopes are never moved along: while there are any, it
    /// stays.
    pub fn remove_department(
        &self,
        id: DepartmentId,
        move_to: Option<DepartmentId>,
    ) -> Result<Removal, OpError> {
        self.require(Permission::EditDepartments)?;
        if move_to.is_some() {
            self.require(Permission::EditStaff)?;
            self.require(Permission::EditGoals)?;
        }
        let today = self.today();
        let recorded_at = self.now();
        self.write_checked(|w| {
            // Everyone is read once: to count who is in it and to move them.
            let directory = whole_directory(w)?;
            let tree = &directory.tree;
            let name = tree.require(id)?.name.clone();
            let uses = uses_of(w, &directory, id, &w.all_operators()?)?;
            let target = match move_to {
                Some(to) if to == id => return Err(DepartmentError::MoveToItself(name).into()),
                Some(to) => Some(tree.require(to).map(|_| to)?),
                None => None,
            };
            let in_use = !uses.movable() || (target.is_none() && !uses.is_empty());
            if in_use {
                return Err(DepartmentError::InUse { name, uses }.into());
            }
            if let Some(to) = target {
                self.move_people(w, &directory, id, to, today, recorded_at)?;
                move_goals(w, tree, id, to)?;
            }
            let removed = w.remove_department(id)?;
            let shown = head_text(w, &removed.head)?;
            let mut entry = AuditRecord::new("department.remove", "department", id)
                .before(removed.summary(&shown));
            if let Some(to) = target {
                entry = entry.after(format!(
                    "moved people={} goals={} to={}",
                    uses.all_people(),
                    uses.goals,
                    tree.path(to)
                ));
            }
            w.audit(entry)?;
            Ok(Removal {
                department: removed,
                moved_to: target.map(|to| tree.path(to)),
                uses,
            })
        })
    }

    /// Transfers everyone in department `from` to `to`, each as an event
    /// of their own history (a correction for those who departed).
    fn move_people(
        &self,
        w: &mut Writer<'_>,
        directory: &Directory,
        from: DepartmentId,
        to: DepartmentId,
        effective: NaiveDate,
        recorded_at: DateTime<Utc>,
    ) -> Result<(), OpError> {
        let people: Vec<&Employee> = directory
            .employees()
            .iter()
            .filter(|e| e.department == from)
            .collect();
        for before in people {
            let after = Employee {
                department: to,
                ..before.clone()
            };
            let kind = if before.status == Status::Departed {
                EventKind::Correction
            } else {
                EventKind::Transfer
            };
            let event = CheckedEvent {
                changes: before.diff(&after, directory),
                after,
                kind,
            };
            let stamp = Stamp {
                operator: &self.operator().user,
                recorded_at,
                effective,
                note: String::new(),
            };
            self.write_event(w, &event, &stamp)?;
        }
        Ok(())
    }
}

/// Gives the goals department `from` owns to department `to`.
fn move_goals(
    w: &mut Writer<'_>,
    tree: &DepartmentTree,
    from: DepartmentId,
    to: DepartmentId,
) -> Result<(), OpError> {
    for goal in w.goals_owned_by(Owner::Department(from))? {
        let moved = Goal {
            owner: Owner::Department(to),
            ..goal
        };
        w.update_goal(&moved)?;
        w.audit(
            AuditRecord::new("goal.owner", "goal", moved.id)
                .before(format!("owner={}", tree.path(from)))
                .after(format!("owner={}", tree.path(to))),
        )?;
    }
    Ok(())
}

/// What points at department `id`, read through `reads`.
fn uses_of(
    reads: &impl RuleReads,
    directory: &Directory,
    id: DepartmentId,
    operators: &[Operator],
) -> Result<DepartmentUses, OpError> {
    let goals = reads.goals()?;
    Ok(DepartmentUses::of(
        id,
        directory.tree.children(Some(id)).len(),
        directory
            .employees()
            .iter()
            .map(|e| (e.department, e.status)),
        goals.iter().map(|g| g.owner),
        operators.iter().map(|op| (op.user.as_str(), &op.role)),
    ))
}

/// A department removed: it, what pointed at it, and where its people and
/// goals went (its path), if anywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    pub department: Department,
    pub uses: DepartmentUses,
    pub moved_to: Option<String>,
}

impl Removal {
    /// What the removal did, in a sentence.
    pub fn describe(&self) -> String {
        let name = &self.department.name;
        match &self.moved_to {
            Some(to) => tr!(
                "department.removed_moving",
                name = name,
                uses = self.uses.describe(),
                to = to
            ),
            None => tr!("department.removed", name = name),
        }
    }
}
