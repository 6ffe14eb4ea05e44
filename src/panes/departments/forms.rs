//! The departments view's actions: forms to add, edit and move a
//! department, and the confirmed removal.

use super::{DepartmentsView, ID};
use crate::action::Action;
use crate::app::Confirm;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::form::{Done, Select, Submitted};
use crate::app::pane::Errand;
use crate::domain::department::{DepartmentError, DepartmentId};
use crate::service::{DepartmentDraft, OpError};
use crate::tr;

/// Which department form is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepartmentForm {
    Add,
    Edit(DepartmentId),
    Move(DepartmentId),
}

/// The department to remove, once confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Removal(pub DepartmentId);

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

impl DepartmentsView {
    /// The parent choices: the top level, then every department outside `exclude`'s subtree.
    fn parent_options(
        desk: &Desk,
        exclude: Option<DepartmentId>,
    ) -> Result<Vec<ChoiceOption>, OpError> {
        let tree = desk.session.department_tree()?;
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
        desk: &mut Desk,
        kind: DepartmentForm,
        title: String,
        fields: Result<Vec<Field>, OpError>,
    ) {
        match fields {
            Ok(fields) => desk.form = Some(Form::new(Errand::new(ID, kind), title, fields)),
            Err(err) => desk.error(err.to_string()),
        }
    }

    pub(super) fn department_action(&mut self, desk: &mut Desk, action: Action) {
        let selected = self.list.selected().cloned();
        match (action, selected) {
            (Action::Add, selected) => {
                let parent = selected.map_or_else(String::new, |row| row.id.to_string());
                let fields = Self::parent_options(desk, None).map(|options| {
                    vec![
                        Field::text("name", tr!("department.field.name"), ""),
                        Field::choice("parent", tr!("department.field.parent"), options, &parent),
                        Field::text("head", tr!("department.field.head"), ""),
                    ]
                });
                Self::open_department_form(
                    desk,
                    DepartmentForm::Add,
                    tr!("department.form.add"),
                    fields,
                );
            }
            (Action::Edit, Some(row)) => {
                let fields = vec![
                    Field::text("name", tr!("department.field.name"), &row.name),
                    Field::text("head", tr!("department.field.head"), &row.head),
                ];
                desk.form = Some(Form::new(
                    Errand::new(ID, DepartmentForm::Edit(row.id)),
                    tr!("department.form.edit", name = row.path),
                    fields,
                ));
            }
            (Action::Move, Some(row)) => {
                let current = row.parent.map_or_else(String::new, |p| p.to_string());
                let fields = Self::parent_options(desk, Some(row.id)).map(|options| {
                    vec![Field::choice(
                        "parent",
                        tr!("department.field.parent"),
                        options,
                        &current,
                    )]
                });
                Self::open_department_form(
                    desk,
                    DepartmentForm::Move(row.id),
                    tr!("department.form.move", name = row.path),
                    fields,
                );
            }
            (Action::Remove, Some(row)) => {
                desk.ask(Confirm::of(
                    ID,
                    tr!("department.confirm.remove_title"),
                    tr!("department.confirm.remove", name = row.path),
                    Removal(row.id),
                ));
            }
            _ => desk.info(tr!("status.nothing_selected")),
        }
    }

    pub(super) fn submit_department(
        desk: &mut Desk,
        form: &Form<Errand>,
        which: DepartmentForm,
    ) -> Submitted {
        let head = Some(form.value("head").to_string());
        let result = match which {
            DepartmentForm::Add => desk
                .session
                .add_department(DepartmentDraft {
                    name: form.value("name").to_string(),
                    parent: parent_value(form.value("parent")),
                    head,
                })
                .map(|d| Done {
                    message: tr!("department.added", name = d.name),
                    select: Some(Select::Department(d.id)),
                    changed: Changes::staff(),
                }),
            DepartmentForm::Edit(id) => desk
                .session
                .edit_department(id, form.value("name"), head)
                .map(|d| Done::message(tr!("department.edited", name = d.name))),
            DepartmentForm::Move(id) => desk
                .session
                .move_department(id, parent_value(form.value("parent")))
                .map(|d| Done::message(tr!("department.moved", name = d.name))),
        };
        result.map_err(|err| vec![(field_of(&err), err.to_string())])
    }

    pub(super) fn remove_department(desk: &mut Desk, id: DepartmentId) {
        match desk.session.remove_department(id) {
            Ok(dept) => {
                desk.info(tr!("department.removed", name = dept.name));
                desk.wrote(Changes::staff());
            }
            Err(err) => desk.error(err.to_string()),
        }
    }
}
