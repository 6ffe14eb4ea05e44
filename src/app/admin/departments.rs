//! The departments view: forms to add, edit and move a department, and the
//! confirmed removal.

use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::form::{Done, Refresh, Select, Submitted};
use crate::app::{Action, App, Confirm, FormKind, Pending};
use crate::domain::department::{DepartmentError, DepartmentId};
use crate::service::{DepartmentDraft, OpError};
use crate::tr;

/// Which form field a department error belongs to.
fn field_of(err: &OpError) -> Option<&'static str> {
    match err {
        OpError::Department(
            DepartmentError::EmptyName
            | DepartmentError::NameTooLong
            | DepartmentError::BadCharacter
            | DepartmentError::DuplicateName { .. },
        ) => Some("name"),
        OpError::Department(DepartmentError::Cycle { .. } | DepartmentError::Unknown(_)) => {
            Some("parent")
        }
        _ => None,
    }
}

/// Parses a parent choice value: "" is the top level.
fn parent_value(value: &str) -> Option<DepartmentId> {
    value.parse().ok().map(DepartmentId)
}

impl App {
    /// The parent choices: the top level, then every department outside `exclude`'s subtree.
    fn parent_options(&self, exclude: Option<DepartmentId>) -> Result<Vec<ChoiceOption>, OpError> {
        let tree = self.session.department_tree()?;
        let mut options = vec![ChoiceOption::new("", tr!("department.top_level"))];
        options.extend(
            tree.rows()
                .into_iter()
                .filter(|row| exclude.is_none_or(|ex| !tree.is_within(row.department.id, ex)))
                .map(|row| {
                    let id = row.department.id;
                    ChoiceOption::new(id.to_string(), tree.path(id))
                }),
        );
        Ok(options)
    }

    /// Opens a form whose fields may need the department tree.
    fn open_department_form(
        &mut self,
        kind: FormKind,
        title: String,
        fields: Result<Vec<Field>, OpError>,
    ) {
        match fields {
            Ok(fields) => self.form = Some(Form::new(kind, title, fields)),
            Err(err) => self.error(err.to_string()),
        }
    }

    pub(super) fn department_action(&mut self, action: Action) {
        let selected = self.departments.selected().cloned();
        match (action, selected) {
            (Action::Add, selected) => {
                let parent = selected.map_or_else(String::new, |row| row.id.to_string());
                let fields = self.parent_options(None).map(|options| {
                    vec![
                        Field::text("name", tr!("department.field.name"), ""),
                        Field::choice("parent", tr!("department.field.parent"), options, &parent),
                        Field::text("head", tr!("department.field.head"), ""),
                    ]
                });
                self.open_department_form(
                    FormKind::AddDepartment,
                    tr!("department.form.add"),
                    fields,
                );
            }
            (Action::Edit, Some(row)) => {
                let fields = vec![
                    Field::text("name", tr!("department.field.name"), &row.name),
                    Field::text("head", tr!("department.field.head"), &row.head),
                ];
                self.form = Some(Form::new(
                    FormKind::EditDepartment(row.id),
                    tr!("department.form.edit", name = row.path),
                    fields,
                ));
            }
            (Action::Move, Some(row)) => {
                let current = row.parent.map_or_else(String::new, |p| p.to_string());
                let fields = self.parent_options(Some(row.id)).map(|options| {
                    vec![Field::choice(
                        "parent",
                        tr!("department.field.parent"),
                        options,
                        &current,
                    )]
                });
                self.open_department_form(
                    FormKind::MoveDepartment(row.id),
                    tr!("department.form.move", name = row.path),
                    fields,
                );
            }
            (Action::Remove, Some(row)) => {
                self.confirm = Some(Confirm {
                    title: tr!("department.confirm.remove_title"),
                    message: tr!("department.confirm.remove", name = row.path),
                    on_yes: Pending::RemoveDepartment(row.id),
                });
            }
            _ => self.info(tr!("status.nothing_selected")),
        }
    }

    pub(super) fn submit_department(&mut self, form: &Form<FormKind>) -> Submitted {
        let head = Some(form.value("head").to_string());
        let result = match &form.kind {
            FormKind::AddDepartment => self
                .session
                .add_department(DepartmentDraft {
                    name: form.value("name").to_string(),
                    parent: parent_value(form.value("parent")),
                    head,
                })
                .map(|d| Done {
                    message: tr!("department.added", name = d.name),
                    select: Some(Select::Department(d.id)),
                    refresh: Refresh::All,
                }),
            FormKind::EditDepartment(id) => self
                .session
                .edit_department(*id, form.value("name"), head)
                .map(|d| Done::message(tr!("department.edited", name = d.name))),
            FormKind::MoveDepartment(id) => self
                .session
                .move_department(*id, parent_value(form.value("parent")))
                .map(|d| Done::message(tr!("department.moved", name = d.name))),
            _ => return Ok(Done::message(String::new())),
        };
        result.map_err(|err| vec![(field_of(&err), err.to_string())])
    }

    pub(in crate::app) fn remove_department(&mut self, id: DepartmentId) {
        match self.session.remove_department(id) {
            Ok(dept) => {
                self.info(tr!("department.removed", name = dept.name));
                self.after_write();
            }
            Err(err) => self.error(err.to_string()),
        }
    }
}
