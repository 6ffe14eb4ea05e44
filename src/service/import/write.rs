//! The writing half of an import: takes the checked rows batch by batch and
//! writes them in the import's transaction: departments a row needs (when
//! asked to create them), new people with their hire event in one batch
//! per batch, changed people with a correction event; at the end, the
//! managers whose own row came further down.

use chrono::{DateTime, NaiveDate, Utc};
use foldhash::{HashMap, HashMapExt};

use super::{Place, Planned};
use crate::domain::audit::AuditRecord;
use crate::domain::department::{DepartmentFinder, DepartmentId};
use crate::domain::directory::Directory;
use crate::domain::employee::{EmployeeId, EventKind, FieldChange, LifecycleEvent, Names};
use crate::store::{RuleReads, StoreError, Writer};

/// The import's writer, with what it learns as it goes.
pub(super) struct RowWriter<'w, 't, 'd> {
    w: &'w mut Writer<'t>,
    directory: &'d Directory,
    finder: DepartmentFinder<'d>,
    /// Every department's path (those created included), for history.
    paths: HashMap<DepartmentId, String>,
    made: HashMap<Vec<String>, DepartmentId>,
    /// Each path the sheet gave, with the department it came to (a sheet
    /// names few departments many times).
    placed: HashMap<Vec<String>, DepartmentId>,
    /// The departments created, with their paths.
    pub created: Vec<(DepartmentId, String)>,
    operator: String,
    recorded_at: DateTime<Utc>,
    today: NaiveDate,
}

/// Names for a row's history: departments by their paths; the row's
/// manager by the number the sheet gives, anyone else by the directory's.
struct RowNames<'a> {
    paths: &'a HashMap<DepartmentId, String>,
    directory: &'a Directory,
    manager: Option<(EmployeeId, &'a str)>,
}

impl Names for RowNames<'_> {
    fn department(&self, id: DepartmentId) -> String {
        self.paths.get(&id).cloned().unwrap_or_default()
    }

    fn emp_no(&self, id: EmployeeId) -> String {
        match self.manager {
            Some((manager, emp_no)) if manager == id => emp_no.to_string(),
            _ => self.directory.emp_no(id),
        }
    }
}

/// A stand-in for a manager named further down, while the hire event is
/// written (it names managers by number).
const NAMED_LATER: EmployeeId = EmployeeId(0);

impl<'w, 't, 'd> RowWriter<'w, 't, 'd> {
    pub(super) fn new(w: &'w mut Writer<'t>, directory: &'d Directory, today: NaiveDate) -> Self {
        let paths = directory
            .tree
            .rows()
            .iter()
            .map(|r| (r.department.id, directory.tree.path(r.department.id)))
            .collect();
        RowWriter {
            operator: w.operator().to_string(),
            recorded_at: w.at(),
            w,
            directory,
            finder: DepartmentFinder::new(&directory.tree),
            paths,
            made: HashMap::new(),
            placed: HashMap::new(),
            created: Vec::new(),
            today,
        }
    }

    fn event(
        &self,
        employee: EmployeeId,
        kind: EventKind,
        effective: NaiveDate,
        changes: Vec<FieldChange>,
    ) -> LifecycleEvent {
        LifecycleEvent {
            employee,
            kind,
            effective,
            operator: self.operator.clone(),
            recorded_at: self.recorded_at,
            changes,
        }
    }

    /// Writes one batch of checked rows.
    pub(super) fn write(&mut self, rows: Vec<Planned>) -> Result<(), StoreError> {
        let mut hired = Vec::with_capacity(rows.len());
        for mut row in rows {
            if let Place::New(parts) = &row.place {
                row.record.department = self.department(parts)?;
            }
            let names = RowNames {
                paths: &self.paths,
                directory: self.directory,
                manager: row
                    .manager_emp_no
                    .as_deref()
                    .map(|no| (row.record.manager.unwrap_or(NAMED_LATER), no)),
            };
            match row.existing.and_then(|id| self.directory.get(id)) {
                None => {
                    let hire = crate::domain::employee::Employee {
                        manager: names.manager.map(|(id, _)| id),
                        ..row.record.clone()
                    };
                    let changes = hire.as_new(&names);
                    let event = self.event(
                        row.record.id,
                        EventKind::Hire,
                        row.record.hire_date,
                        changes,
                    );
                    hired.push((row.record, event));
                }
                Some(current) => {
                    let changes = current.diff(&row.record, &names);
                    if !changes.is_empty() {
                        let event =
                            self.event(row.record.id, EventKind::Correction, self.today, changes);
                        self.w.update_employee(&row.record)?;
                        self.w.append_event(&event)?;
                    }
                }
            }
        }
        if !hired.is_empty() {
            self.w.reserve_employee_ids(hired.len())?;
            self.w.add_reserved_employees(&hired)?;
        }
        Ok(())
    }

    /// Gives the new people whose manager's row came further down that manager.
    pub(super) fn set_managers(
        &mut self,
        managers: &[(EmployeeId, EmployeeId)],
    ) -> Result<(), StoreError> {
        for &(person, boss) in managers {
            if let Some(mut record) = self.w.employee(person)? {
                record.manager = Some(boss);
                self.w.update_employee(&record)?;
            }
        }
        Ok(())
    }

    /// The department at `parts`, created (parents first) when missing.
    fn department(&mut self, parts: &[String]) -> Result<DepartmentId, StoreError> {
        if let Some(&id) = self.placed.get(parts) {
            return Ok(id);
        }
        let id = self.find_or_make(parts)?;
        self.placed.insert(parts.to_vec(), id);
        Ok(id)
    }

    fn find_or_make(&mut self, parts: &[String]) -> Result<DepartmentId, StoreError> {
        let tree = &self.directory.tree;
        let mut parent: Option<DepartmentId> = None;
        for depth in 1..=parts.len() {
            let prefix = &parts[..depth];
            let existing = self
                .finder
                .find(&prefix.join(" / "))
                .ok()
                .filter(|id| tree.get(*id).is_some_and(|d| d.parent == parent));
            let id = match (existing, self.made.get(prefix)) {
                (Some(id), _) | (None, Some(&id)) => id,
                (None, None) => {
                    let dept = self.w.add_department(&prefix[depth - 1], parent, None)?;
                    self.w.audit(
                        AuditRecord::new("department.add", "department", dept.id)
                            .after(dept.summary("")),
                    )?;
                    let path = prefix.join(" / ");
                    self.paths.insert(dept.id, path.clone());
                    self.created.push((dept.id, path));
                    self.made.insert(prefix.to_vec(), dept.id);
                    dept.id
                }
            };
            parent = Some(id);
        }
        Ok(parent.unwrap_or(DepartmentId(0)))
    }
}
