//! The operators view's actions (admins only): add an operator, change a
//! role, and the confirmed removal (with the operator's SSH key lines).

use super::{ID, OperatorsView};
use crate::action::Action;
use crate::app::Confirm;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::form::{Done, FieldErrors, Submitted};
use crate::app::pane::Errand;
use crate::domain::department::DepartmentId;
use crate::domain::operator::{ROLE_KINDS, Role, role_label};
use crate::service::{OpError, OperatorRuleError};
use crate::team::operator_keys::{self, RemoveError};
use crate::tr;

/// Which operator form is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperatorForm {
    Add,
    Edit(String),
}

/// The operator to remove, once confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal(pub String);

/// What an operator's change makes stale: the operator list, and the
/// staff table (an operator's own role decides what they see).
fn wrote() -> Changes {
    let mut changed = Changes::staff();
    changed.join(Changes::operators());
    changed
}

/// Which form field an operator error belongs to.
fn field_of(err: &OpError) -> Option<&'static str> {
    match err {
        OpError::UserName(_) | OpError::Operator(OperatorRuleError::AlreadyExists(_)) => {
            Some("user")
        }
        OpError::Operator(OperatorRuleError::LastAdmin(_)) => Some("role"),
        OpError::Operator(OperatorRuleError::UnknownScope(_)) => Some("scope"),
        _ => None,
    }
}

/// Reads the role and scope fields into a role.
fn role_from(form: &Form<Errand>) -> Result<Role, FieldErrors> {
    match form.value("role") {
        "admin" => Ok(Role::Admin),
        "hr" => Ok(Role::Hr),
        "viewer" => Ok(Role::Viewer),
        _ => form
            .value("scope")
            .parse()
            .map(|id| Role::Manager(DepartmentId(id)))
            .map_err(|_| vec![(Some("scope"), tr!("operator.error.scope_required"))]),
    }
}

impl OperatorsView {
    fn role_fields(desk: &Desk, role: &Role) -> Result<Vec<Field>, OpError> {
        let roles = ROLE_KINDS
            .iter()
            .map(|kind| ChoiceOption::new(*kind, role_label(kind)))
            .collect();
        let tree = desk.session.department_tree()?;
        let mut scopes = vec![ChoiceOption::new("", tr!("operator.no_scope"))];
        scopes.extend(tree.rows().into_iter().map(|row| {
            let id = row.department.id;
            ChoiceOption::new(id.to_string(), tree.path(id))
        }));
        let scope = match role {
            Role::Manager(id) => id.to_string(),
            _ => String::new(),
        };
        Ok(vec![
            Field::choice("role", tr!("operator.field.role"), roles, role.kind_name()),
            Field::choice("scope", tr!("operator.field.scope"), scopes, &scope),
        ])
    }

    pub(super) fn operator_action(&mut self, desk: &mut Desk, action: Action) {
        let selected = self.list.selected().cloned();
        let form = match (action, selected) {
            (Action::Add, _) => Self::role_fields(desk, &Role::Viewer).map(|mut fields| {
                fields.insert(0, Field::text("user", tr!("operator.field.user"), ""));
                Form::new(
                    Errand::new(ID, OperatorForm::Add),
                    tr!("operator.form.add"),
                    fields,
                )
            }),
            (Action::Edit, Some(row)) => Self::role_fields(desk, &row.role).map(|fields| {
                Form::new(
                    Errand::new(ID, OperatorForm::Edit(row.user.clone())),
                    tr!("operator.form.edit", user = row.user),
                    fields,
                )
            }),
            (Action::Remove, Some(row)) => {
                desk.ask(Confirm::of(
                    ID,
                    tr!("operator.confirm.remove_title"),
                    tr!("operator.confirm.remove", user = row.user),
                    Removal(row.user),
                ));
                return;
            }
            (Action::Move, Some(_)) => {
                desk.info(tr!("operator.move_not_applicable"));
                return;
            }
            _ => {
                desk.info(tr!("status.nothing_selected"));
                return;
            }
        };
        match form {
            Ok(form) => desk.form = Some(form),
            Err(err) => desk.error(err.to_string()),
        }
    }

    pub(super) fn submit_operator(
        desk: &mut Desk,
        form: &Form<Errand>,
        which: &OperatorForm,
    ) -> Submitted {
        let role = role_from(form)?;
        let result = match which {
            OperatorForm::Add => desk
                .session
                .add_operator(form.value("user"), role)
                .map(|op| tr!("operator.added", user = op.user, role = op.role.label())),
            OperatorForm::Edit(user) => desk.session.set_operator_role(user, role).map(|op| {
                tr!(
                    "operator.role_changed",
                    user = op.user,
                    role = op.role.label()
                )
            }),
        };
        let done = result.map_err(|err| vec![(field_of(&err), err.to_string())])?;
        if let Err(err) = desk.session.refresh_operator() {
            return Err(vec![(None, err.to_string())]);
        }
        Ok(Done::wrote(done, wrote()))
    }

    /// Removes `user`, and with a database reached by SSH keys, their key
    /// lines too.
    pub(super) fn remove_operator(desk: &mut Desk, user: &str) {
        let Some(place) = desk.key_place.clone() else {
            match desk.session.remove_operator(user) {
                Ok(op) => {
                    desk.info(tr!("operator.removed", user = op.user));
                    desk.wrote(wrote());
                }
                Err(err) => desk.error(err.to_string()),
            }
            return;
        };
        match operator_keys::remove_operator(&desk.session, &place, user) {
            Ok(removed) => {
                match removed.unwritten {
                    Some((path, err)) => desk.error(tr!(
                        "keys.not_removed",
                        user = user,
                        path = path.display(),
                        reason = err
                    )),
                    None => desk.info(tr!("operator.removed", user = removed.operator.user)),
                }
                desk.wrote(wrote());
            }
            Err(RemoveError::Keys(err)) => desk.error(err.to_string()),
            Err(RemoveError::Refused(err)) => desk.error(err.to_string()),
        }
    }
}
