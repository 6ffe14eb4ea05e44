//! The operators view (admins only): add an operator, change a role, and the
//! confirmed removal.

use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::form::{Done, FieldErrors, Submitted};
use crate::app::{Action, App, Confirm, FormKind, Pending};
use crate::domain::department::DepartmentId;
use crate::domain::operator::{ROLE_KINDS, Role, role_label};
use crate::service::{OpError, OperatorRuleError};
use crate::team::operator_keys::{self, RemoveError};
use crate::tr;

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
fn role_from(form: &Form<FormKind>) -> Result<Role, FieldErrors> {
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

impl App {
    fn role_fields(&self, role: &Role) -> Result<Vec<Field>, OpError> {
        let roles = ROLE_KINDS
            .iter()
            .map(|kind| ChoiceOption::new(*kind, role_label(kind)))
            .collect();
        let tree = self.session.department_tree()?;
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

    pub(super) fn operator_action(&mut self, action: Action) {
        let selected = self.operators.selected().cloned();
        let form = match (action, selected) {
            (Action::Add, _) => self.role_fields(&Role::Viewer).map(|mut fields| {
                fields.insert(0, Field::text("user", tr!("operator.field.user"), ""));
                Form::new(FormKind::AddOperator, tr!("operator.form.add"), fields)
            }),
            (Action::Edit, Some(row)) => self.role_fields(&row.role).map(|fields| {
                Form::new(
                    FormKind::EditOperator(row.user.clone()),
                    tr!("operator.form.edit", user = row.user),
                    fields,
                )
            }),
            (Action::Remove, Some(row)) => {
                self.confirm = Some(Confirm {
                    title: tr!("operator.confirm.remove_title"),
                    message: tr!("operator.confirm.remove", user = row.user),
                    on_yes: Pending::RemoveOperator(row.user),
                });
                return;
            }
            (Action::Move, Some(_)) => {
                self.info(tr!("operator.move_not_applicable"));
                return;
            }
            _ => {
                self.info(tr!("status.nothing_selected"));
                return;
            }
        };
        match form {
            Ok(form) => self.form = Some(form),
            Err(err) => self.error(err.to_string()),
        }
    }

    pub(super) fn submit_operator(&mut self, form: &Form<FormKind>) -> Submitted {
        let role = role_from(form)?;
        let result = match &form.kind {
            FormKind::AddOperator => self
                .session
                .add_operator(form.value("user"), role)
                .map(|op| tr!("operator.added", user = op.user, role = op.role.label())),
            FormKind::EditOperator(user) => self.session.set_operator_role(user, role).map(|op| {
                tr!(
                    "operator.role_changed",
                    user = op.user,
                    role = op.role.label()
                )
            }),
            _ => return Ok(Done::message(String::new())),
        };
        let done = result.map_err(|err| vec![(field_of(&err), err.to_string())])?;
        if let Err(err) = self.session.refresh_operator() {
            return Err(vec![(None, err.to_string())]);
        }
        Ok(Done::message(done))
    }

    /// Removes `user`, and with a database reached by SSH keys, their key
    /// lines too.
    pub(in crate::app) fn remove_operator(&mut self, user: &str) {
        let Some(place) = self.key_place.clone() else {
            match self.session.remove_operator(user) {
                Ok(op) => {
                    self.info(tr!("operator.removed", user = op.user));
                    self.after_write();
                }
                Err(err) => self.error(err.to_string()),
            }
            return;
        };
        match operator_keys::remove_operator(&self.session, &place, user) {
            Ok(removed) => {
                match removed.unwritten {
                    Some((path, err)) => self.error(tr!(
                        "keys.not_removed",
                        user = user,
                        path = path.display(),
                        reason = err
                    )),
                    None => self.info(tr!("operator.removed", user = removed.operator.user)),
                }
                self.after_write();
            }
            Err(RemoveError::Keys(err)) => self.error(err.to_string()),
            Err(RemoveError::Refused(err)) => self.error(err.to_string()),
        }
    }
}
