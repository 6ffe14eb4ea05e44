//! What a submitted form comes to, for every pane alike: done (with its
//! message, the row to select and what to read again) or refused with the
//! problems per field. What it wrote is told to every pane.

use crate::app::changes::Changes;
use crate::domain::department::DepartmentId;
use crate::domain::employee::EmployeeId;
use crate::domain::goal::GoalId;

/// Problems of a refused form: the field to blame (none: the whole form) and why.
pub type FieldErrors = Vec<(Option<&'static str>, String)>;

/// A form submission's result: a success message, or the problems.
pub type Submitted = Result<Done, FieldErrors>;

/// What to select after a successful form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Select {
    Department(DepartmentId),
    Employee(EmployeeId),
    Goal(GoalId),
}

/// A successful form: its message, the row to select (a new one), and what
/// it wrote, for every pane to read again what it shows of that.
pub struct Done {
    pub message: String,
    pub select: Option<Select>,
    pub changed: Changes,
}

impl Done {
    /// Done, having written people or departments.
    pub fn message(message: String) -> Self {
        Done::wrote(message, Changes::staff())
    }

    /// Done, having written `changed`.
    pub fn wrote(message: String, changed: Changes) -> Self {
        Done {
            message,
            select: None,
            changed,
        }
    }
}
