//! Pay privacy: the one place that decides who is handed pay. A bonus is
//! the monthly salary × the grade's multiplier, so a role that may not see
//! salaries ([`Permission::ViewSensitive`]: managers and viewers) is handed
//! no salary, no bonus amount and no bonus pool (a pool over a small scope
//! adds up a few people's bonuses): the scoreboard it reads carries
//! [`Pay::Withheld`] and nothing to add up, so no screen or export built
//! on it can show what it never got. Grades and multipliers are not pay
//! and stay. Whoever may see pay and exports bonus amounts leaves an entry
//! in the audit log, as an unmasked staff export does.

use super::{OpError, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::scoring::Cycle;
use crate::service::access::Permission;

/// The audit action of an export holding bonus amounts.
pub const BONUS_EXPORT: &str = "bonus.export";

/// Whether what a session reads carries pay or had it withheld.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pay {
    /// Salaries, bonus amounts and the bonus pool are included.
    Shown,
    /// Left out: the operator may not see salaries, nor what reveals them.
    Withheld,
}

impl Session {
    /// Whether this operator is handed pay (salaries, bonus amounts, the
    /// bonus pool): the same as seeing salaries unmasked.
    pub fn pay(&self) -> Pay {
        if self.may(Permission::ViewSensitive) {
            Pay::Shown
        } else {
            Pay::Withheld
        }
    }

    /// `cycle` as this operator is handed it: without its bonus pool when
    /// pay is withheld.
    pub(super) fn cycle_as_shown(&self, mut cycle: Cycle) -> Cycle {
        if self.pay() == Pay::Withheld {
            cycle.config.bonus_pool = None;
        }
        cycle
    }

    /// Writes to the audit log that `rows` people's bonus amounts of
    /// `cycle` were exported (a reveal of pay in bulk); refused to anyone
    /// who is not handed pay.
    pub fn log_bonus_export(&self, cycle: &Cycle, rows: usize) -> Result<(), OpError> {
        self.require(Permission::ViewSensitive)?;
        self.write(|w| {
            w.audit(
                AuditRecord::new(BONUS_EXPORT, "cycle", &cycle.name)
                    .after(format!("rows={rows} unmasked=bonus")),
            )
        })?;
        Ok(())
    }
}
