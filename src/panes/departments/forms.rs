//! The departments view's actions: forms to add, edit and move a
//! department, and the confirmed removal.

use super::{DepartmentRow, DepartmentsView, ID};
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
    /// Remove it, moving its people and goals to the department chosen.
    RemoveMoving(DepartmentId),
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
        OpError::Department(
            DepartmentError::NoSuchHead(_) | DepartmentError::AmbiguousHead { .. },
        ) => Some("head"),
        _ => None,
    }
}

/// The field of the department people and goals move to.
const MOVE_TO: &str = "move_to";

/// What a removal wrote: people moved, goals that changed owner.
fn moved() -> Changes {
    let mut changed = Changes::staff();
    changed.join(Changes::goals());
    changed
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
                        Field::person("head", tr!("department.field.head"), ""),
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
                    Field::person("head", tr!("department.field.head"), &row.head_ref),
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
            (Action::Remove, Some(row)) => Self::ask_remove(desk, &row),
            _ => desk.info(tr!("status.nothing_selected")),
        }
    }

    /// Asks before removing `row`: a plain yes when nothing points at it;
    /// where its people and goals go when only they do; why not otherwise.
    fn ask_remove(desk: &mut Desk, row: &DepartmentRow) {
        let uses = match desk.session.department_uses(row.id) {
            Ok(uses) => uses,
            Err(err) => return desk.error(err.to_string()),
        };
        if uses.is_empty() {
            desk.ask(Confirm::of(
                ID,
                tr!("department.confirm.remove_title"),
                tr!("department.confirm.remove", name = row.path),
                Removal(row.id),
            ));
        } else if !uses.movable() {
            let name = row.name.clone();
            desk.error(DepartmentError::InUse { name, uses }.to_string());
        } else {
            let options = match Self::parent_options(desk, Some(row.id)) {
                Ok(options) => options.into_iter().skip(1).collect(),
                Err(err) => return desk.error(err.to_string()),
            };
            let default = row.parent.map_or_else(String::new, |p| p.to_string());
            let field = Field::choice(MOVE_TO, tr!("department.field.move_to"), options, &default);
            let kind = Errand::new(ID, DepartmentForm::RemoveMoving(row.id));
            let mut form = Form::new(
                kind,
                tr!("department.form.remove", name = row.path),
                vec![field],
            );
            form.note = Some(tr!(
                "department.form.remove_note",
                uses = uses.describe(),
                name = row.name
            ));
            desk.form = Some(form);
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
            DepartmentForm::RemoveMoving(id) => {
                let to = parent_value(form.value(MOVE_TO));
                let Some(to) = to else {
                    return Err(vec![(Some(MOVE_TO), tr!("department.error.move_to_none"))]);
                };
                desk.session
                    .remove_department(id, Some(to))
                    .map(|removal| Done::wrote(removal.describe(), moved()))
            }
        };
        result.map_err(|err| vec![(field_of(&err), err.to_string())])
    }

    pub(super) fn remove_department(desk: &mut Desk, id: DepartmentId) {
        match desk.session.remove_department(id, None) {
            Ok(removal) => {
                desk.info(removal.describe());
                desk.wrote(Changes::staff());
            }
            Err(err) => desk.error(err.to_string()),
        }
    }
}
