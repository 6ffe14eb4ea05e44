//! Who may use the database: operators added, given another role or SSH
//! key and removed by admins. Every rule (a name taken, a manager's
//! department, the last admin) is checked inside the write transaction,
//! against the operators as they are when the change commits. The keys
//! themselves live in the service account's `authorized_keys` (see
//! `cli::authorized_keys`); the log names them by fingerprint.

use super::access::Permission;
use super::{OpError, OperatorRuleError, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::operator::{Operator, Role, normalize_user_name};
use crate::store::Writer;

/// How an operator's role reads in the audit log.
fn summary(op: &Operator) -> String {
    match op.role {
        Role::Manager(scope) => format!("role=manager scope={scope}"),
        role => format!("role={}", role.kind_name()),
    }
}

/// `summary` with the SSH keys the operator has (`key=SHA256:… (comment)`;
/// none: the summary alone).
fn with_keys(summary: String, keys: &[String]) -> String {
    if keys.is_empty() {
        summary
    } else {
        format!("{summary} {}", key_summary(keys))
    }
}

/// How an operator's SSH keys read in the audit log (`key=-`: none).
fn key_summary(keys: &[String]) -> String {
    if keys.is_empty() {
        "key=-".to_string()
    } else {
        format!("key={}", keys.join(", "))
    }
}

/// A manager's department must exist.
fn check_scope(w: &Writer<'_>, role: Role) -> Result<(), OpError> {
    if let Role::Manager(scope) = role
        && !w.all_departments()?.iter().any(|d| d.id == scope)
    {
        return Err(OperatorRuleError::UnknownScope(scope).into());
    }
    Ok(())
}

/// `user`'s record, which must exist.
fn existing(w: &Writer<'_>, user: &str) -> Result<Operator, OpError> {
    w.operator_record(user)?
        .ok_or_else(|| OperatorRuleError::NotFound(user.to_string()).into())
}

/// Refuses a change that would leave no admin: `user` is the only one.
fn keep_an_admin(w: &Writer<'_>, user: &str) -> Result<(), OpError> {
    let admins: Vec<Operator> = w
        .all_operators()?
        .into_iter()
        .filter(|op| op.role.is_admin())
        .collect();
    if admins.len() == 1 && admins[0].user == user {
        return Err(OperatorRuleError::LastAdmin(user.to_string()).into());
    }
    Ok(())
}

impl Session {
    /// Every operator, by user name.
    pub fn operators(&self) -> Result<Vec<Operator>, OpError> {
        self.require(Permission::ViewOperators)?;
        Ok(self.store().operators()?)
    }

    pub fn add_operator(&self, user: &str, role: Role) -> Result<Operator, OpError> {
        self.add_operator_with_keys(user, role, &[])
    }

    /// Adds an operator who will sign in with the SSH `keys` (each as the
    /// log names it: fingerprint and comment).
    pub fn add_operator_with_keys(
        &self,
        user: &str,
        role: Role,
        keys: &[String],
    ) -> Result<Operator, OpError> {
        self.require(Permission::EditOperators)?;
        let operator = Operator {
            user: normalize_user_name(user)?,
            role,
        };
        self.write_checked(|w| {
            if w.operator_record(&operator.user)?.is_some() {
                return Err(OperatorRuleError::AlreadyExists(operator.user.clone()).into());
            }
            check_scope(w, role)?;
            w.put_operator(&operator)?;
            w.audit(
                AuditRecord::new("operator.add", "operator", &operator.user)
                    .after(with_keys(summary(&operator), keys)),
            )?;
            Ok(operator.clone())
        })
    }

    pub fn set_operator_role(&self, user: &str, role: Role) -> Result<Operator, OpError> {
        self.require(Permission::EditOperators)?;
        self.write_checked(|w| {
            let before = existing(w, user)?;
            if !role.is_admin() {
                keep_an_admin(w, user)?;
            }
            check_scope(w, role)?;
            let operator = Operator {
                user: before.user.clone(),
                role,
            };
            w.put_operator(&operator)?;
            w.audit(
                AuditRecord::new("operator.role", "operator", &operator.user)
                    .before(summary(&before))
                    .after(summary(&operator)),
            )?;
            Ok(operator)
        })
    }

    /// Records that `user`'s SSH keys were `before` and are now `after`
    /// (each as the log names it); an admin's change, like the role.
    pub fn set_operator_keys(
        &self,
        user: &str,
        before: &[String],
        after: &[String],
    ) -> Result<Operator, OpError> {
        self.require(Permission::EditOperators)?;
        self.write_checked(|w| {
            let operator = existing(w, user)?;
            w.audit(
                AuditRecord::new("operator.set_key", "operator", &operator.user)
                    .before(key_summary(before))
                    .after(key_summary(after)),
            )?;
            Ok(operator)
        })
    }

    pub fn remove_operator(&self, user: &str) -> Result<Operator, OpError> {
        self.remove_operator_with_keys(user, &[])
    }

    /// Removes an operator who had the SSH `keys` (each as the log names it).
    pub fn remove_operator_with_keys(
        &self,
        user: &str,
        keys: &[String],
    ) -> Result<Operator, OpError> {
        self.require(Permission::EditOperators)?;
        if user == self.operator().user {
            return Err(OperatorRuleError::RemoveSelf(user.to_string()).into());
        }
        self.write_checked(|w| {
            let before = existing(w, user)?;
            keep_an_admin(w, user)?;
            w.remove_operator(user)?;
            w.audit(
                AuditRecord::new("operator.remove", "operator", user)
                    .before(with_keys(summary(&before), keys)),
            )?;
            Ok(before)
        })
    }
}
