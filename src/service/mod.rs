//! The service layer. A session is one operator working on one store. Its
//! methods are the authorised, validated, audited operations that the TUI
//! and the command line share: each checks the role, validates with the
//! domain rules, then writes in one transaction with its audit entry. A
//! refused operation writes nothing. The store stays behind this layer:
//! panes, drawing and commands reach data only through a [`Session`].

use std::fmt;

use chrono::{DateTime, Utc};

use crate::domain::audit::AuditEntry;
use crate::domain::binding::BindingError;
use crate::domain::department::{DepartmentError, DepartmentId};
use crate::domain::directory::FieldProblem;
use crate::domain::employee::LifecycleError;
use crate::domain::goal::edit::GoalError;
use crate::domain::operator::{Operator, UserNameError};
use crate::domain::scoring::entry::ScoringError;
use crate::domain::vendor::rules::RuleError;
use crate::store::verify::Verdict;
use crate::store::{Store, StoreError, Writer};
use access::{Denied, Permission};

pub mod access;
mod actuals;
mod as_of;
mod audit_log;
mod binding_import;
mod binding_search;
pub use binding_search::BindingFinder;
mod bindings;
mod bulk;
mod changes;
mod departments;
mod event_import;
mod goals;
mod import;
mod notices;
mod operators;
mod pay;
mod peers;
mod progress;
mod ratings;
mod reach;
mod relations;
mod revisions;
mod schedule;
mod score_import;
mod scoring;
mod staff;
mod vendor_import;
mod vendors;
use crate::tr;
pub use actuals::{ActualsOutcome, ActualsProblem};
pub use binding_import::{Lenient, RowsOutcome, SheetMode};
pub use bindings::{AuditReport, BindingRow, NewBinding, ToldAudit};
pub use changes::Seen;
pub use departments::{DepartmentDraft, Removal};
pub use event_import::{EventsOutcome, EventsTally};
pub use goals::{Cascade, TargetSplit, even_weights};
pub use import::{ImportOptions, ImportOutcome, ImportSummary, RowProblem};
pub use notices::{Outbox, OutboxNotice};
pub use pay::{BONUS_EXPORT, Pay};
pub use peers::AllowedPeer;
pub use progress::{Counter, Progress};
pub use ratings::RatingEntry;
pub use revisions::Conflict;
pub use schedule::{Applied, ScheduledRow};
pub use score_import::{SheetOutcome, SheetProblem};
pub use scoring::{
    Appraisee, CycleBoard, CycleResults, LeniencyReport, MIN_POOL, PoolName, RowTally, ScoreHistory,
};
pub use staff::{DepartureHook, Recorded, describe};
pub use vendor_import::VendorsOutcome;
pub use vendors::VendorReport;

pub use crate::store::Clock;

/// Why an operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error(transparent)]
    Department(#[from] DepartmentError),
    #[error(transparent)]
    UserName(#[from] UserNameError),
    #[error(transparent)]
    Operator(#[from] OperatorRuleError),
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    #[error(transparent)]
    Goal(#[from] GoalError),
    #[error(transparent)]
    Scoring(#[from] ScoringError),
    #[error(transparent)]
    Binding(#[from] BindingError),
    #[error(transparent)]
    Vendor(#[from] RuleError),
    /// A record with problems in named fields.
    #[error("{}", describe(.0))]
    Invalid(Vec<FieldProblem>),
    /// The record changed since the form opened; nothing was saved.
    #[error(transparent)]
    Conflict(#[from] Conflict),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The operator cancelled a long operation; nothing was written.
    #[error("{}", tr!("job.cancelled"))]
    Cancelled,
    /// A sheet read as it is imported has a row that cannot be read.
    #[error(transparent)]
    Sheet(#[from] crate::import::ImportError),
}

/// Rules about the operator list itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperatorRuleError {
    AlreadyExists(String),
    NotFound(String),
    LastAdmin(String),
    UnknownScope(DepartmentId),
    RemoveSelf(String),
    /// The session's own operator record changed (or went) since the
    /// session began: nothing is written until it starts again.
    RoleChanged {
        user: String,
        now: Option<String>,
    },
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
            OperatorRuleError::RoleChanged {
                user,
                now: Some(role),
            } => {
                tr!("operator.error.role_changed", user = user, role = role)
            }
            OperatorRuleError::RoleChanged { user, now: None } => {
                tr!("operator.error.access_removed", user = user)
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for OperatorRuleError {}

/// Why an OS user could not start a session.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("{}", tr!("login.no_operator", user = .user, location = .location))]
    NoOperator { user: String, location: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How a write closure ends without committing: with an answer that is
/// not a failure, or with a failure.
enum Stop<T> {
    Answer(T),
    Failed(OpError),
}

impl<T> From<OpError> for Stop<T> {
    fn from(err: OpError) -> Self {
        Stop::Failed(err)
    }
}

impl<T> From<StoreError> for Stop<T> {
    fn from(err: StoreError) -> Self {
        Stop::Failed(err.into())
    }
}

/// A session to be opened on another thread (see [`Session::sibling`]):
/// the same operator, store handle and clock, with the built-in departure
/// hooks.
pub struct Sibling {
    store: Store,
    operator: Operator,
    clock: Clock,
}

impl Sibling {
    /// The session, whose every write commits only while `progress` is
    /// not cancelled (a cancelled job writes nothing, whatever it runs).
    pub fn open(self, progress: &Progress) -> Session {
        Session {
            cancel: Some(progress.clone()),
            ..Session::over(self.store, self.operator, self.clock)
        }
    }
}

/// One operator's authenticated access to one store.
pub struct Session {
    store: Store,
    operator: Operator,
    clock: Clock,
    departure_hooks: Vec<Box<dyn DepartureHook>>,
    /// The job this session works for, looked at before each commit.
    cancel: Option<Progress>,
}

impl Session {
    /// Starts a session for OS user `user`, who must have an operator record.
    pub fn login(store: Store, user: &str, clock: Clock) -> Result<Session, LoginError> {
        match store.operator(user).map_err(LoginError::Store)? {
            Some(operator) => Ok(Session::over(store, operator, clock)),
            None => Err(LoginError::NoOperator {
                user: user.to_string(),
                location: store.location().to_string(),
            }),
        }
    }

    fn over(store: Store, operator: Operator, clock: Clock) -> Session {
        Session {
            store,
            operator,
            clock,
            departure_hooks: vec![
                Box::new(goals::FlagGoalsOnDeparture),
                Box::new(bindings::UnbindOnDeparture),
            ],
            cancel: None,
        }
    }

    /// Ok unless the job this session works for was cancelled: long reads
    /// look between their stages.
    pub(crate) fn check_cancelled(&self) -> Result<(), OpError> {
        self.cancel.as_ref().map_or(Ok(()), Progress::check)
    }

    /// What another session of the same operator on the same store (one
    /// handle) and clock is opened from, on a thread of its own.
    pub fn sibling(&self) -> Sibling {
        Sibling {
            store: self.store.clone(),
            operator: self.operator.clone(),
            clock: self.clock,
        }
    }

    pub fn operator(&self) -> &Operator {
        &self.operator
    }

    /// `Name (E0001)` for messages and the audit log, or the bare id of
    /// someone gone.
    pub(crate) fn who(&self, id: crate::domain::employee::EmployeeId) -> Result<String, OpError> {
        Ok(self
            .store()
            .employee(id)?
            .map_or_else(|| id.to_string(), |e| format!("{} ({})", e.name, e.emp_no)))
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

    /// Today in the configured time zone (see [`crate::zone`]).
    pub fn today(&self) -> chrono::NaiveDate {
        crate::zone::current().today(self.now())
    }

    /// Ok when this session's operator holds `permission`, else the
    /// refusal: for a command that has work of its own to do before the
    /// operation (reading a file) and must not do it for someone refused.
    pub fn require(&self, permission: Permission) -> Result<(), Denied> {
        access::require(&self.operator, permission)
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, OpError> {
        self.write_checked(|w| Ok(f(w)?))
    }

    /// One write transaction whose closure may refuse with any rule of
    /// this layer, checked against what the transaction sees (another
    /// process may have changed it since anything was read before). First,
    /// always: this session's operator still holds the role it was checked
    /// with. The closure must only read and write through `w`, so that
    /// nothing outside the transaction changes if it is refused.
    fn write_checked<T>(
        &self,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, OpError>,
    ) -> Result<T, OpError> {
        self.write_checked_as(f)
    }

    /// [`Session::write_checked`] whose closure may also end with an
    /// answer that commits nothing ([`Stop::Answer`]: an import's row
    /// problems found against what the transaction sees, a cascade that
    /// reaches nobody).
    fn write_or_stop<T>(
        &self,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, Stop<T>>,
    ) -> Result<T, OpError> {
        match self.write_checked_as(f) {
            Ok(value) | Err(Stop::Answer(value)) => Ok(value),
            Err(Stop::Failed(err)) => Err(err),
        }
    }

    /// [`Session::write_checked`] whose closure stops with its own error
    /// type. Whatever scheduled change has come due takes effect first.
    fn write_checked_as<T, E: From<OpError> + From<StoreError>>(
        &self,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.write_unapplied(|w| {
            self.apply_due_in(w)?;
            f(w)
        })
    }

    /// One write transaction, checked as [`Session::write_checked`] but
    /// leaving scheduled changes to the closure.
    fn write_unapplied<T, E: From<OpError> + From<StoreError>>(
        &self,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.store.write_with(&self.operator.user, self.clock, |w| {
            let current = w.operator_record(&self.operator.user)?;
            if current.as_ref().map(|op| op.role) != Some(self.operator.role) {
                let changed = OperatorRuleError::RoleChanged {
                    user: self.operator.user.clone(),
                    now: current.map(|op| op.role.label()),
                };
                return Err(OpError::from(changed).into());
            }
            let done = f(w)?;
            // The last look before the commit: a job cancelled now writes nothing.
            self.check_cancelled()?;
            Ok(done)
        })
    }

    /// The audit log, oldest first.
    pub fn audit_log(&self) -> Result<Vec<AuditEntry>, OpError> {
        self.require(Permission::ViewAuditLog)?;
        Ok(self.store.audit_entries()?)
    }

    /// The audit log handed to `visit` an entry at a time, oldest first,
    /// until it breaks (an export of a million entries never holds them).
    pub fn each_audit_entry(
        &self,
        visit: impl FnMut(AuditEntry) -> std::ops::ControlFlow<()>,
    ) -> Result<(), OpError> {
        self.require(Permission::ViewAuditLog)?;
        Ok(self.store.each_audit_entry(visit)?)
    }

    /// Checks the whole database (who may see the audit log may check it):
    /// the chain, every record's seal and tally, every secondary key.
    pub fn verify(&self, expected_head: Option<&str>) -> Result<Verdict, OpError> {
        self.require(Permission::ViewAuditLog)?;
        Ok(self.store.verify(expected_head)?)
    }

    /// Whether this session's operator holds `permission` (for hiding what it may not use).
    pub fn may(&self, permission: Permission) -> bool {
        access::allows(&self.operator.role, permission)
    }
}
