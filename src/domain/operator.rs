//! Operators: the OS users allowed into a database and the role each holds.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::tr;

use super::department::DepartmentId;

/// What an operator may do. A manager is scoped to a department subtree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Hr,
    Manager(DepartmentId),
    Viewer,
}

impl Role {
    /// The identifier used on the command line and in exports.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Hr => "hr",
            Role::Manager(_) => "manager",
            Role::Viewer => "viewer",
        }
    }

    /// The role's name in the current language, for people to read.
    pub fn label(&self) -> String {
        role_label(self.kind_name())
    }

    pub fn is_admin(&self) -> bool {
        matches!(self, Role::Admin)
    }
}

/// The name people read for a role kind (`admin` → 管理员 in Chinese).
pub fn role_label(kind: &str) -> String {
    match kind {
        "admin" => tr!("role.admin"),
        "hr" => tr!("role.hr"),
        "manager" => tr!("role.manager"),
        "viewer" => tr!("role.viewer"),
        other => other.to_string(),
    }
}

/// The role kinds, in the order forms and help list them.
pub const ROLE_KINDS: [&str; 4] = ["admin", "hr", "manager", "viewer"];

/// An OS user name with the role it holds in this database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub user: String,
    pub role: Role,
}

/// Why a user name cannot name an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserNameError {
    Empty,
    BadCharacter(String),
    TooLong,
}

impl fmt::Display for UserNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            UserNameError::Empty => tr!("operator.error.empty_user"),
            UserNameError::BadCharacter(name) => tr!("operator.error.bad_user", user = name),
            UserNameError::TooLong => tr!("operator.error.user_too_long"),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for UserNameError {}

/// Checks and trims an OS user name.
pub fn normalize_user_name(raw: &str) -> Result<String, UserNameError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(UserNameError::Empty);
    }
    if name.chars().count() > 64 {
        return Err(UserNameError::TooLong);
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UserNameError::BadCharacter(name.to_string()));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_trimmed_and_checked() {
        assert_eq!(normalize_user_name("  alice "), Ok("alice".into()));
        assert_eq!(normalize_user_name("   "), Err(UserNameError::Empty));
        assert!(matches!(
            normalize_user_name("a b"),
            Err(UserNameError::BadCharacter(_))
        ));
        assert_eq!(
            normalize_user_name(&"x".repeat(65)),
            Err(UserNameError::TooLong)
        );
    }
}
