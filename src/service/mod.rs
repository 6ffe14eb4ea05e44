//! The service layer. A session is one operator working on one store. Its
//! methods are the authorised, validated, audited operations that the TUI
//! and the command line share: each checks the role, validates with the
//! domain rules, then writes in one transaction with its audit entry. A
//! refused operation writes nothing. The store stays behind this layer:
//! panes, drawing and commands reach data only through a [`Session`].

use std::fmt;

use chrono::{DateTime, Utc};

use crate::domain::audit::{AuditEntry, AuditRecord};
use crate::domain::binding::BindingError;
use crate::domain::department::{Department, DepartmentError, DepartmentId, DepartmentTree};
use crate::domain::directory::FieldProblem;
use crate::domain::employee::LifecycleError;
use crate::domain::goal::edit::GoalError;
use crate::domain::operator::{Operator, Role, UserNameError, normalize_user_name};
use crate::domain::scoring::entry::ScoringError;
use crate::domain::vendor::rules::RuleError;
use crate::store::{Store, StoreError};
use access::{Denied, Permission};

pub mod access;
mod actuals;
mod binding_import;
mod bindings;
mod bulk;
mod goals;
mod import;
mod reach;
mod score_import;
mod scoring;
mod staff;
mod vendor_import;
mod vendors;
use crate::tr;
pub use actuals::{ActualsOutcome, ActualsProblem};
pub use bindings::{AuditReport, BindingRow, NewBinding};
pub use goals::{Cascade, TargetSplit, even_weights};
pub use import::{ImportOptions, ImportOutcome, ImportSummary, RowProblem};
pub use score_import::{SheetOutcome, SheetProblem};
pub use scoring::{Appraisee, CycleBoard, CycleResults, MIN_POOL, ScoreHistory};
pub use staff::{DepartureHook, describe};
pub use vendor_import::VendorsOutcome;
pub use vendors::VendorReport;

pub use crate::store::Clock;

/// Why an operation was refused or failed.
#[derive(Debug)]
pub enum OpError {
    Denied(Denied),
    Department(DepartmentError),
    UserName(UserNameError),
    Operator(OperatorRuleError),
    Lifecycle(LifecycleError),
    Goal(GoalError),
    Scoring(ScoringError),
    Binding(BindingError),
    Vendor(RuleError),
    /// A record with problems in named fields.
    Invalid(Vec<FieldProblem>),
    Store(StoreError),
}

/// Rules about the operator list itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperatorRuleError {
    AlreadyExists(String),
    NotFound(String),
    LastAdmin(String),
    UnknownScope(DepartmentId),
    RemoveSelf(String),
}

impl fmt::Display for OperatorRuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            OperatorRuleError::AlreadyExists(user) => {
                tr!("operator.error.already_exists", user = user)
            }
            OperatorRuleError::NotFound(user) => tr!("operator.error.not_found", user = user),
            OperatorRuleError::LastAdmin(user) => tr!("operator.error.last_admin", user = user),
            OperatorRuleError::UnknownScope(id) => tr!("operator.error.unknown_scope", id = id),
            OperatorRuleError::RemoveSelf(user) => tr!("operator.error.remove_self", user = user),
        };
        f.write_str(&text)
    }
}

impl fmt::Display for OpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpError::Denied(e) => e.fmt(f),
            OpError::Department(e) => e.fmt(f),
            OpError::UserName(e) => e.fmt(f),
            OpError::Operator(e) => e.fmt(f),
            OpError::Lifecycle(e) => e.fmt(f),
            OpError::Goal(e) => e.fmt(f),
            OpError::Scoring(e) => e.fmt(f),
            OpError::Binding(e) => e.fmt(f),
            OpError::Vendor(e) => e.fmt(f),
            OpError::Invalid(problems) => f.write_str(&describe(problems)),
            OpError::Store(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for OpError {}

impl From<Denied> for OpError {
    fn from(e: Denied) -> Self {
        OpError::Denied(e)
    }
}

impl From<DepartmentError> for OpError {
    fn from(e: DepartmentError) -> Self {
        OpError::Department(e)
    }
}

impl From<UserNameError> for OpError {
    fn from(e: UserNameError) -> Self {
        OpError::UserName(e)
    }
}

impl From<OperatorRuleError> for OpError {
    fn from(e: OperatorRuleError) -> Self {
        OpError::Operator(e)
    }
}

impl From<LifecycleError> for OpError {
    fn from(e: LifecycleError) -> Self {
        OpError::Lifecycle(e)
    }
}

impl From<GoalError> for OpError {
    fn from(e: GoalError) -> Self {
        OpError::Goal(e)
    }
}

impl From<BindingError> for OpError {
    fn from(e: BindingError) -> Self {
        OpError::Binding(e)
    }
}

impl From<RuleError> for OpError {
    fn from(e: RuleError) -> Self {
        OpError::Vendor(e)
    }
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> Self {
        OpError::Store(e)
    }
}

/// Why an OS user could not start a session.
#[derive(Debug)]
pub enum LoginError {
    NoOperator { user: String, location: String },
    Store(StoreError),
}

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoginError::NoOperator { user, location } => {
                f.write_str(&tr!("login.no_operator", user = user, location = location))
            }
            LoginError::Store(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LoginError {}

/// The department fields a form or command supplies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepartmentDraft {
    pub name: String,
    pub parent: Option<DepartmentId>,
    pub head: Option<String>,
}

/// One operator's authenticated access to one store.
pub struct Session {
    store: Store,
    operator: Operator,
    clock: Clock,
    departure_hooks: Vec<Box<dyn DepartureHook>>,
}

impl Session {
    /// Starts a session for OS user `user`, who must have an operator record.
    pub fn login(store: Store, user: &str, clock: Clock) -> Result<Session, LoginError> {
        match store.operator(user).map_err(LoginError::Store)? {
            Some(operator) => Ok(Session {
                store,
                operator,
                clock,
                departure_hooks: vec![
                    Box::new(goals::FlagGoalsOnDeparture),
                    Box::new(bindings::UnbindOnDeparture),
                ],
            }),
            None => Err(LoginError::NoOperator {
                user: user.to_string(),
                location: store.location().to_string(),
            }),
        }
    }

    pub fn operator(&self) -> &Operator {
        &self.operator
    }

    /// Re-reads this session's own operator record after a role change.
    pub fn refresh_operator(&mut self) -> Result<(), OpError> {
        let user = self.operator.user.clone();
        self.operator = self
            .store
            .operator(&user)?
            .ok_or(OperatorRuleError::NotFound(user))?;
        Ok(())
    }

    /// The store, for this layer only: the TUI and the command line reach
    /// data through the session's operations.
    fn store(&self) -> &Store {
        &self.store
    }

    /// Registers this process in the file's session registry as this
    /// operator doing `what` (`console`, `import staff`).
    pub fn join(&self, what: &str) -> Result<(), OpError> {
        Ok(self.store.join(&self.operator.user, what, self.clock)?)
    }

    /// Every process that has this database open: who, doing what, since
    /// when, and whether it is writing now (admin and hr).
    pub fn sessions(&self) -> Result<Vec<crate::store::registry::SessionInfo>, OpError> {
        self.require(Permission::ViewOperators)?;
        Ok(self.store.sessions()?)
    }

    /// Where the data lives (shown in the status line).
    pub fn location(&self) -> &crate::store::Location {
        self.store.location()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn require(&self, permission: Permission) -> Result<(), Denied> {
        access::require(&self.operator, permission)
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&mut crate::store::Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, OpError> {
        Ok(self.store.write(&self.operator.user, self.clock, f)?)
    }

    /// The whole department tree.
    pub fn department_tree(&self) -> Result<DepartmentTree, OpError> {
        self.require(Permission::ViewDepartments)?;
        Ok(DepartmentTree::new(self.store.departments()?))
    }

    fn clean_head(head: Option<String>) -> Option<String> {
        head.map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|h| !h.is_empty())
    }

    pub fn add_department(&self, draft: DepartmentDraft) -> Result<Department, OpError> {
        self.require(Permission::EditDepartments)?;
        let tree = self.department_tree()?;
        let name = tree.check_add(&draft.name, draft.parent)?;
        let head = Self::clean_head(draft.head);
        self.write(|w| {
            let dept = w.add_department(&name, draft.parent, head)?;
            w.audit(
                AuditRecord::new("department.add", "department", dept.id).after(dept.summary()),
            )?;
            Ok(dept)
        })
    }

    /// Renames a department and sets its head.
    pub fn edit_department(
        &self,
        id: DepartmentId,
        name: &str,
        head: Option<String>,
    ) -> Result<Department, OpError> {
        self.require(Permission::EditDepartments)?;
        let tree = self.department_tree()?;
        let name = tree.check_rename(id, name)?;
        let current = tree.get(id).ok_or(DepartmentError::Unknown(id))?;
        let updated = Department {
            name,
            head: Self::clean_head(head),
            ..current.clone()
        };
        self.update_department(updated, "department.edit")
    }

    pub fn move_department(
        &self,
        id: DepartmentId,
        parent: Option<DepartmentId>,
    ) -> Result<Department, OpError> {
        self.require(Permission::EditDepartments)?;
        let tree = self.department_tree()?;
        tree.check_move(id, parent)?;
        let current = tree.get(id).ok_or(DepartmentError::Unknown(id))?;
        let updated = Department {
            parent,
            ..current.clone()
        };
        self.update_department(updated, "department.move")
    }

    fn update_department(&self, updated: Department, action: &str) -> Result<Department, OpError> {
        self.write(|w| {
            let before = w.update_department(&updated)?;
            w.audit(
                AuditRecord::new(action, "department", updated.id)
                    .before(before.summary())
                    .after(updated.summary()),
            )?;
            Ok(updated.clone())
        })
    }

    pub fn remove_department(&self, id: DepartmentId) -> Result<Department, OpError> {
        self.require(Permission::EditDepartments)?;
        let tree = self.department_tree()?;
        tree.check_remove(id)?;
        let scoped: Vec<String> = self
            .store
            .operators()?
            .into_iter()
            .filter(|op| op.role == Role::Manager(id))
            .map(|op| op.user)
            .collect();
        if !scoped.is_empty() {
            let name = tree.path(id);
            return Err(DepartmentError::ScopeOfOperators {
                name,
                users: scoped.join(", "),
            }
            .into());
        }
        self.write(|w| {
            let removed = w.remove_department(id)?;
            w.audit(
                AuditRecord::new("department.remove", "department", id).before(removed.summary()),
            )?;
            Ok(removed)
        })
    }

    /// Every operator, by user name.
    pub fn operators(&self) -> Result<Vec<Operator>, OpError> {
        self.require(Permission::ViewOperators)?;
        Ok(self.store.operators()?)
    }

    fn check_scope(&self, role: Role) -> Result<(), OpError> {
        if let Role::Manager(scope) = role
            && self.store.department(scope)?.is_none()
        {
            return Err(OperatorRuleError::UnknownScope(scope).into());
        }
        Ok(())
    }

    fn summary(op: &Operator) -> String {
        match op.role {
            Role::Manager(scope) => format!("role=manager scope={scope}"),
            role => format!("role={}", role.kind_name()),
        }
    }

    pub fn add_operator(&self, user: &str, role: Role) -> Result<Operator, OpError> {
        self.require(Permission::EditOperators)?;
        let user = normalize_user_name(user)?;
        if self.store.operator(&user)?.is_some() {
            return Err(OperatorRuleError::AlreadyExists(user).into());
        }
        self.check_scope(role)?;
        let operator = Operator { user, role };
        self.write(|w| {
            w.put_operator(&operator)?;
            w.audit(
                AuditRecord::new("operator.add", "operator", &operator.user)
                    .after(Self::summary(&operator)),
            )?;
            Ok(operator.clone())
        })
    }

    fn is_last_admin(&self, user: &str) -> Result<bool, OpError> {
        let admins: Vec<Operator> = self
            .store
            .operators()?
            .into_iter()
            .filter(|op| op.role.is_admin())
            .collect();
        Ok(admins.len() == 1 && admins[0].user == user)
    }

    pub fn set_operator_role(&self, user: &str, role: Role) -> Result<Operator, OpError> {
        self.require(Permission::EditOperators)?;
        let before = self
            .store
            .operator(user)?
            .ok_or_else(|| OperatorRuleError::NotFound(user.to_string()))?;
        if !role.is_admin() && self.is_last_admin(user)? {
            return Err(OperatorRuleError::LastAdmin(user.to_string()).into());
        }
        self.check_scope(role)?;
        let operator = Operator {
            user: before.user.clone(),
            role,
        };
        self.write(|w| {
            w.put_operator(&operator)?;
            w.audit(
                AuditRecord::new("operator.role", "operator", &operator.user)
                    .before(Self::summary(&before))
                    .after(Self::summary(&operator)),
            )?;
            Ok(operator.clone())
        })
    }

    pub fn remove_operator(&self, user: &str) -> Result<Operator, OpError> {
        self.require(Permission::EditOperators)?;
        if user == self.operator.user {
            return Err(OperatorRuleError::RemoveSelf(user.to_string()).into());
        }
        let before = self
            .store
            .operator(user)?
            .ok_or_else(|| OperatorRuleError::NotFound(user.to_string()))?;
        if self.is_last_admin(user)? {
            return Err(OperatorRuleError::LastAdmin(user.to_string()).into());
        }
        self.write(|w| {
            w.remove_operator(user)?;
            w.audit(
                AuditRecord::new("operator.remove", "operator", user)
                    .before(Self::summary(&before)),
            )?;
            Ok(before.clone())
        })
    }

    /// The audit log, oldest first.
    pub fn audit_log(&self) -> Result<Vec<AuditEntry>, OpError> {
        self.require(Permission::ViewAuditLog)?;
        Ok(self.store.audit_entries()?)
    }

    /// Whether this session's operator holds `permission` (for hiding what it may not use).
    pub fn may(&self, permission: Permission) -> bool {
        access::allows(&self.operator.role, permission)
    }
}
