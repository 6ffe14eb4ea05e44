//! Who may do what: the one place where roles are checked. The TUI and the
//! command line both go through [`require`] before any read of protected data
//! or any write.

use std::fmt;

use crate::domain::operator::{Operator, Role, role_label};
use crate::tr;

/// Something an operator may or may not be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    ViewDepartments,
    EditDepartments,
    ViewOperators,
    EditOperators,
    ViewAuditLog,
    /// See employee records (managers: their department subtree only).
    ViewStaff,
    /// Hire, change, import and record lifecycle events.
    EditStaff,
    /// See national ID and salary unmasked, and what reveals a salary:
    /// bonus amounts and bonus pools (see `service::pay`).
    ViewSensitive,
    /// See goals (managers: the company's and their subtree's).
    ViewGoals,
    /// Add, change and cascade goals and record actuals (managers: within
    /// their subtree, not company goals).
    EditGoals,
    /// Add, change and remove the company's own goals (the top of the cascade).
    EditCompanyGoals,
    /// See appraisal cycles and scorecards (managers: their subtree's).
    ViewScores,
    /// Create and configure appraisal cycles and move them on.
    EditCycles,
    /// Enter 360° ratings and indicator values (managers: their subtree's).
    EnterRatings,
    /// Override grades, apply normalisation and decide appeals.
    Calibrate,
    /// Accept a rating whose rater does not stand to the person as its
    /// group says, with a reason (logged).
    OverrideRelations,
    /// Close a goal as not achieved, recording no progress as its result.
    CloseNotAchieved,
    /// Reopen a closed cycle.
    ReopenCycle,
    /// See employees' third-party account bindings (ids masked) and audit them.
    ViewBindings,
    /// Bind, ask to unbind, confirm, cancel and force unbinding, import
    /// bindings, logins and confirmations.
    EditBindings,
    /// See external account ids unmasked (on screen or in an export).
    RevealBindings,
    /// Send the outbox of unbinding notices (each carries the employee's
    /// code) and see a pending request's code, never one's own request's.
    SendUnbindNotices,
    /// See vendor selection projects, scorecards and budgets.
    ViewVendors,
    /// Change projects and vendors, choose a vendor, record spend.
    EditVendors,
    /// Write prepared records in bulk, one audit entry per batch (the demo
    /// company and benchmarks, whose histories reach back in time).
    BulkLoad,
}

impl Permission {
    /// The roles that hold this permission, most powerful first.
    pub fn roles(self) -> &'static [&'static str] {
        match self {
            Permission::ViewDepartments | Permission::ViewStaff | Permission::ViewGoals => {
                &["admin", "hr", "manager", "viewer"]
            }
            Permission::EditDepartments
            | Permission::ViewOperators
            | Permission::ViewAuditLog
            | Permission::EditStaff
            | Permission::ViewSensitive => &["admin", "hr"],
            Permission::EditOperators
            | Permission::ReopenCycle
            | Permission::RevealBindings
            | Permission::SendUnbindNotices
            | Permission::BulkLoad => &["admin"],
            Permission::ViewBindings | Permission::EditBindings | Permission::EditVendors => {
                &["admin", "hr"]
            }
            Permission::ViewVendors => &["admin", "hr", "viewer"],
            Permission::EditGoals | Permission::ViewScores | Permission::EnterRatings => {
                &["admin", "hr", "manager"]
            }
            Permission::EditCycles
            | Permission::EditCompanyGoals
            | Permission::Calibrate
            | Permission::OverrideRelations
            | Permission::CloseNotAchieved => &["admin", "hr"],
        }
    }

    /// The roles that hold it, in the operator's words (`admin, hr`).
    pub fn holders(self) -> String {
        self.roles()
            .iter()
            .map(|kind| role_label(kind))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn description(self) -> String {
        match self {
            Permission::ViewDepartments => tr!("permission.view_departments"),
            Permission::EditDepartments => tr!("permission.edit_departments"),
            Permission::ViewOperators => tr!("permission.view_operators"),
            Permission::EditOperators => tr!("permission.edit_operators"),
            Permission::ViewAuditLog => tr!("permission.view_audit_log"),
            Permission::ViewStaff => tr!("permission.view_staff"),
            Permission::EditStaff => tr!("permission.edit_staff"),
            Permission::ViewSensitive => tr!("permission.view_sensitive"),
            Permission::ViewGoals => tr!("permission.view_goals"),
            Permission::EditGoals => tr!("permission.edit_goals"),
            Permission::EditCompanyGoals => tr!("permission.edit_company_goals"),
            Permission::ViewScores => tr!("permission.view_scores"),
            Permission::EditCycles => tr!("permission.edit_cycles"),
            Permission::EnterRatings => tr!("permission.enter_ratings"),
            Permission::Calibrate => tr!("permission.calibrate"),
            Permission::OverrideRelations => tr!("permission.override_relations"),
            Permission::CloseNotAchieved => tr!("permission.close_not_achieved"),
            Permission::ReopenCycle => tr!("permission.reopen_cycle"),
            Permission::ViewBindings => tr!("permission.view_bindings"),
            Permission::EditBindings => tr!("permission.edit_bindings"),
            Permission::BulkLoad => tr!("permission.bulk_load"),
            Permission::RevealBindings => tr!("permission.reveal_bindings"),
            Permission::SendUnbindNotices => tr!("permission.send_unbind_notices"),
            Permission::ViewVendors => tr!("permission.view_vendors"),
            Permission::EditVendors => tr!("permission.edit_vendors"),
        }
    }
}

/// True when `role` holds `permission`.
pub fn allows(role: &Role, permission: Permission) -> bool {
    permission.roles().contains(&role.kind_name())
}

/// Refusal of an action, naming who tried, what, and the roles that may.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denied {
    pub user: String,
    pub role: &'static str,
    pub permission: Permission,
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = tr!(
            "permission.denied",
            user = self.user,
            role = role_label(self.role),
            what = self.permission.description(),
            roles = self.permission.holders()
        );
        f.write_str(&text)
    }
}

impl std::error::Error for Denied {}

/// Ok when `operator` holds `permission`, else the refusal to show.
pub fn require(operator: &Operator, permission: Permission) -> Result<(), Denied> {
    if allows(&operator.role, permission) {
        Ok(())
    } else {
        Err(Denied {
            user: operator.user.clone(),
            role: operator.role.kind_name(),
            permission,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::department::DepartmentId;

    fn op(role: Role) -> Operator {
        Operator {
            user: "u".into(),
            role,
        }
    }

    #[test]
    fn roles_hold_what_the_table_says() {
        let admin = op(Role::Admin);
        let hr = op(Role::Hr);
        let manager = op(Role::Manager(DepartmentId(1)));
        let viewer = op(Role::Viewer);
        assert!(require(&admin, Permission::EditOperators).is_ok());
        assert!(require(&hr, Permission::EditOperators).is_err());
        assert!(require(&hr, Permission::EditDepartments).is_ok());
        assert!(require(&hr, Permission::ViewAuditLog).is_ok());
        assert!(require(&manager, Permission::ViewDepartments).is_ok());
        assert!(require(&manager, Permission::EditDepartments).is_err());
        assert!(require(&viewer, Permission::ViewAuditLog).is_err());
        assert!(require(&viewer, Permission::ViewDepartments).is_ok());
        assert!(require(&viewer, Permission::ViewStaff).is_ok());
        assert!(require(&viewer, Permission::EditStaff).is_err());
        assert!(require(&manager, Permission::ViewSensitive).is_err());
        assert!(require(&hr, Permission::ViewSensitive).is_ok());
        assert!(require(&hr, Permission::EditBindings).is_ok());
        assert!(require(&manager, Permission::ViewBindings).is_err());
        assert!(require(&viewer, Permission::ViewBindings).is_err());
        assert!(require(&hr, Permission::RevealBindings).is_err());
        assert!(require(&admin, Permission::RevealBindings).is_ok());
        assert!(require(&hr, Permission::OverrideRelations).is_ok());
        assert!(require(&manager, Permission::OverrideRelations).is_err());
        assert!(require(&manager, Permission::EditGoals).is_ok());
        assert!(require(&manager, Permission::EditCompanyGoals).is_err());
        assert!(require(&hr, Permission::EditCompanyGoals).is_ok());
    }

    #[test]
    fn a_refusal_names_the_user_and_the_roles_that_may() {
        let err = require(&op(Role::Viewer), Permission::EditDepartments).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("u (viewer)"), "{text}");
        assert!(text.contains("admin, hr"), "{text}");
    }
}
