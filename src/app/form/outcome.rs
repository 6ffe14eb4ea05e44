//! What a submitted form comes to, for every pane alike: done (with its
//! message, the row to select and what to read again) or refused with the
//! problems per field.

use crate::domain::department::DepartmentId;
use crate::domain::employee::EmployeeId;
use crate::domain::goal::GoalId;

/// Problems of a refused form: the field to blame (none: the whole form) and why.
pub(in crate::app) type FieldErrors = Vec<(Option<&'static str>, String)>;

/// A form submission's result: a success message, or the problems.
pub(in crate::app) type Submitted = Result<Done, FieldErrors>;

/// What to select after a successful form.
pub(in crate::app) enum Select {
    Department(DepartmentId),
    Employee(EmployeeId),
    Goal(GoalId),
}

/// What to read again after a successful form.
pub(in crate::app) enum Refresh {
    /// The admin view on screen and the staff table.
    All,
    /// The goal tree.
    Goals,
    /// The cycle on the Scoring pane.
    Scoring,
    /// The Bindings pane.
    Bindings,
    /// The Vendors pane.
    Vendors,
    /// Nothing: the form updated what it changed in place.
    Nothing,
}

/// A successful form: its message, the row to select (a new one), and what
/// to read again.
pub(in crate::app) struct Done {
    pub message: String,
    pub select: Option<Select>,
    pub refresh: Refresh,
}

impl Done {
    pub(in crate::app) fn message(message: String) -> Self {
        Done {
            message,
            select: None,
            refresh: Refresh::All,
        }
    }
}
