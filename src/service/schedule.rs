//! Scheduled changes: listing, cancelling and moving them, and making the
//! ones come due take effect. There is no daemon: every write transaction
//! first applies what has come due (so the data a write checks against is
//! today's), and `hrdesk apply-due` does it for cron when nobody writes.
//! Each takes effect as if entered on its day, and is logged "took
//! effect"; one that no longer fits (its person changed meanwhile) is kept
//! as blocked with the reason, and logged.

use chrono::NaiveDate;

use super::access::Permission;
use super::staff::{Around, Plan, Stamp, directory_around, prepare};
use super::{OpError, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::employee::{EmployeeId, EventKind, Field, MASKED, Names};
use crate::domain::goal::WeightChange;
use crate::domain::goal::edit::GoalError;
use crate::domain::operator::Role;
use crate::domain::schedule::{Pending, Scheduled, ScheduledId, carried};
use crate::store::{RuleReads, StoreError, Writer};
use crate::tr;

/// A scheduled change as people read it.
#[derive(Clone, Debug)]
pub struct ScheduledRow {
    pub item: Scheduled,
    /// Whom or what it changes: `E000123 张三`, or a goal's title.
    pub subject: String,
    /// What it is: an event's label, or "weight".
    pub what: String,
    /// Its changes, `field: old → new`; masked fields for who may not see them.
    pub changes: String,
}

impl ScheduledRow {
    /// The column titles of a list of scheduled changes, in the order of
    /// [`ScheduledRow::cells`].
    pub fn titles() -> [String; 6] {
        [
            tr!("schedule.col.id"),
            tr!("schedule.col.from"),
            tr!("schedule.col.subject"),
            tr!("schedule.col.what"),
            tr!("schedule.col.changes"),
            tr!("schedule.col.by"),
        ]
    }

    /// The row as a list shows it; a blocked change says why.
    pub fn cells(&self) -> [String; 6] {
        let what = match &self.item.blocked {
            Some(reason) => tr!("schedule.blocked_what", what = self.what, reason = reason),
            None => self.what.clone(),
        };
        [
            self.item.id.to_string(),
            self.item.effective.to_string(),
            self.subject.clone(),
            what,
            self.changes.clone(),
            self.item.operator.clone(),
        ]
    }
}

/// A change that took effect (or was blocked) in one pass.
#[derive(Clone, Debug)]
pub struct Applied {
    pub row: ScheduledRow,
    /// Why it could not take effect, when it could not.
    pub blocked: Option<String>,
}

impl Session {
    /// Every scheduled change this operator may see: events of the people
    /// in their view, and (for those who see all goals) goal weights.
    pub fn scheduled_changes(&self) -> Result<Vec<ScheduledRow>, OpError> {
        self.scheduled_rows(|_| true)
    }

    /// The scheduled events of employee `id`, if the operator may see them.
    pub fn scheduled_for(&self, id: EmployeeId) -> Result<Vec<ScheduledRow>, OpError> {
        self.scheduled_rows(|item| item.change.employee() == Some(id))
    }

    /// The scheduled changes `keep` picks, among those the operator may
    /// see, named from the records they concern (read one by one).
    fn scheduled_rows(
        &self,
        keep: impl Fn(&Scheduled) -> bool,
    ) -> Result<Vec<ScheduledRow>, OpError> {
        self.require(Permission::ViewStaff)?;
        let items: Vec<Scheduled> = self.store().scheduled()?.into_iter().filter(keep).collect();
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let directory = directory_around(
            self.store(),
            Around {
                people: items.iter().flat_map(people_of).collect(),
                ..Default::default()
            },
        )?;
        let weights = items
            .iter()
            .any(|item| matches!(item.change, Pending::Weight { .. }));
        let goals = if weights {
            self.store().goals()?
        } else {
            Vec::new()
        };
        let scope = match self.operator().role {
            Role::Manager(scope) => Some(scope),
            _ => None,
        };
        let visible = |item: &Scheduled| match &item.change {
            Pending::Event { base, .. } => scope.is_none_or(|scope| {
                directory
                    .get(base.id)
                    .is_some_and(|person| directory.tree.is_within(person.department, scope))
            }),
            Pending::Weight { .. } => scope.is_none(),
        };
        Ok(items
            .into_iter()
            .filter(|item| visible(item))
            .map(|item| self.row(item, &directory, &goals))
            .collect())
    }

    /// Cancels scheduled change `id`: it will not take effect.
    pub fn cancel_scheduled(&self, id: ScheduledId) -> Result<ScheduledRow, OpError> {
        self.write_checked(|w| {
            let item = self.take_own(w, id)?;
            let row = self.row_in(w, item)?;
            w.audit(
                AuditRecord::new("schedule.cancel", "scheduled", id)
                    .before(describe_row(&row))
                    .after(format!("cancelled from={}", row.item.effective)),
            )?;
            Ok(row)
        })
    }

    /// Moves scheduled change `id` to take effect on `date` instead,
    /// checked against the person's timeline there; a date of today or
    /// before makes it take effect now.
    pub fn move_scheduled(&self, id: ScheduledId, date: NaiveDate) -> Result<Applied, OpError> {
        let today = self.today();
        self.write_checked(|w| {
            let item = self.take_own(w, id)?;
            let before = item.effective;
            let moved = Scheduled {
                effective: date,
                blocked: None,
                ..item
            };
            if let Pending::Event {
                kind,
                base,
                target,
                new_manager,
            } = &moved.change
            {
                let current = w.employee(base.id)?.ok_or_else(|| gone(base.id.0))?;
                let plan = Plan {
                    kind: kind.clone(),
                    effective: date,
                    after: carried(&current, base, target),
                    new_manager: *new_manager,
                };
                prepare(w, &plan, today, None)?;
            }
            let row = self.row_in(w, moved.clone())?;
            w.audit(
                AuditRecord::new("schedule.move", "scheduled", id)
                    .before(format!("from={before}"))
                    .after(format!("from={date} {}", describe_row(&row))),
            )?;
            if date <= today {
                self.take_effect(w, &moved, today)?;
            } else {
                w.keep_scheduled(&moved)?;
            }
            Ok(Applied { row, blocked: None })
        })
    }

    /// Applies every change come due, for cron (`hrdesk apply-due`): what
    /// took effect and what was blocked. Nothing is written when nothing
    /// is due.
    pub fn apply_due(&self) -> Result<Vec<Applied>, OpError> {
        self.require(Permission::EditStaff)?;
        let today = self.today();
        let due = self
            .store()
            .scheduled()?
            .into_iter()
            .any(|item| item.blocked.is_none() && item.effective <= today);
        if !due {
            return Ok(Vec::new());
        }
        self.write_unapplied(|w| self.apply_due_in(w))
    }

    /// Makes every waiting change dated today or before take effect, in
    /// date order, inside `w` (the start of every write).
    pub(super) fn apply_due_in(&self, w: &mut Writer<'_>) -> Result<Vec<Applied>, OpError> {
        let today = self.today();
        let mut applied = Vec::new();
        for item in w.due_scheduled(today)? {
            w.unschedule(item.id)?;
            let row = self.row_in(w, item.clone())?;
            match self.take_effect(w, &item, today) {
                Ok(()) => applied.push(Applied { row, blocked: None }),
                Err(OpError::Store(err)) => return Err(err.into()),
                Err(refused) => {
                    let reason = refused.to_string();
                    w.keep_scheduled(&Scheduled {
                        blocked: Some(reason.clone()),
                        ..item
                    })?;
                    w.audit(
                        AuditRecord::new("schedule.blocked", "scheduled", row.item.id)
                            .before(describe_row(&row))
                            .after(format!("reason={reason}")),
                    )?;
                    applied.push(Applied {
                        row,
                        blocked: Some(reason),
                    });
                }
            }
        }
        Ok(applied)
    }

    /// Makes `item` take effect, as entered on its date by whoever scheduled it.
    fn take_effect(
        &self,
        w: &mut Writer<'_>,
        item: &Scheduled,
        today: NaiveDate,
    ) -> Result<(), OpError> {
        let note = format!("took_effect id={} scheduled_by={}", item.id, item.operator);
        match &item.change {
            Pending::Event {
                kind,
                base,
                target,
                new_manager,
            } => {
                let current = w.employee(base.id)?.ok_or_else(|| gone(base.id.0))?;
                let plan = Plan {
                    kind: kind.clone(),
                    effective: item.effective,
                    after: carried(&current, base, target),
                    new_manager: *new_manager,
                };
                let (_, events) = prepare(w, &plan, today, None)?;
                let stamp = Stamp {
                    operator: &item.operator,
                    recorded_at: item.recorded_at,
                    effective: item.effective,
                    note,
                };
                for event in &events {
                    self.write_event(w, event, &stamp)?;
                }
            }
            Pending::Weight { goal, new, .. } => {
                let stored = w.goal(*goal)?.ok_or(GoalError::UnknownGoal(*goal))?;
                let updated = crate::domain::goal::Goal {
                    weight: *new,
                    ..stored.clone()
                };
                w.update_goal(&updated)?;
                w.append_weight_change(&WeightChange {
                    goal: *goal,
                    effective: item.effective,
                    old: stored.weight,
                    new: *new,
                    operator: item.operator.clone(),
                    recorded_at: item.recorded_at,
                })?;
                w.audit(
                    AuditRecord::new("goal.weight", "goal", goal)
                        .before(format!("weight={}", stored.weight))
                        .after(format!("weight={new} effective={} {note}", item.effective)),
                )?;
            }
        }
        Ok(())
    }

    /// Takes scheduled change `id` out of `w`, if this operator may change
    /// what it changes.
    fn take_own(&self, w: &mut Writer<'_>, id: ScheduledId) -> Result<Scheduled, OpError> {
        let found = w.all_scheduled()?.into_iter().find(|item| item.id == id);
        let item = found.ok_or_else(|| StoreError::NotFound {
            entity: "scheduled",
            id: id.to_string(),
        })?;
        match &item.change {
            Pending::Event { .. } => self.require(Permission::EditStaff)?,
            Pending::Weight { goal, .. } => {
                let owner = w.goal(*goal)?.map(|goal| goal.owner);
                let scope = self.manager_scope(w)?;
                match owner {
                    Some(owner) => self.require_goal_edit(owner, scope.as_ref())?,
                    None => self.require(Permission::EditGoals)?,
                }
            }
        }
        w.unschedule(id)?;
        Ok(item)
    }

    /// `item` as people read it, names as `w` sees them.
    fn row_in(&self, w: &Writer<'_>, item: Scheduled) -> Result<ScheduledRow, OpError> {
        let directory = directory_around(
            w,
            Around {
                people: people_of(&item),
                ..Default::default()
            },
        )?;
        let goals = match &item.change {
            Pending::Weight { goal, .. } => w.goal(*goal)?.into_iter().collect(),
            Pending::Event { .. } => Vec::new(),
        };
        Ok(self.row(item, &directory, &goals))
    }

    fn row(
        &self,
        item: Scheduled,
        names: &crate::domain::directory::Directory,
        goals: &[crate::domain::goal::Goal],
    ) -> ScheduledRow {
        let sensitive = self.may(Permission::ViewSensitive);
        let (subject, what, changes) = match &item.change {
            Pending::Event {
                kind, base, target, ..
            } => {
                let changes = base
                    .diff(target, names)
                    .into_iter()
                    .filter(|change| change.field != Field::Status)
                    .map(|change| {
                        let shown = |text: &str| {
                            if change.field.is_sensitive() && !sensitive && !text.is_empty() {
                                MASKED.to_string()
                            } else {
                                text.to_string()
                            }
                        };
                        format!(
                            "{}: {} → {}",
                            change.field.label(),
                            shown(&change.old),
                            shown(&change.new)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let what = match kind {
                    EventKind::Departure { reason, note } if note.is_empty() => {
                        format!("{} ({})", kind.label(), reason.label())
                    }
                    EventKind::Departure { reason, note } => {
                        format!("{} ({}: {note})", kind.label(), reason.label())
                    }
                    _ => kind.label(),
                };
                (
                    format!("{} {}", names.emp_no(base.id), base.name),
                    what,
                    changes,
                )
            }
            Pending::Weight { goal, old, new } => (
                goals
                    .iter()
                    .find(|g| g.id == *goal)
                    .map_or_else(|| goal.to_string(), |g| g.title.to_string()),
                tr!("schedule.weight"),
                format!("{old} → {new}"),
            ),
        };
        ScheduledRow {
            item,
            subject,
            what,
            changes,
        }
    }
}

/// The people a scheduled change names: the person, their manager before
/// and after.
fn people_of(item: &Scheduled) -> Vec<Option<EmployeeId>> {
    match &item.change {
        Pending::Event { base, target, .. } => vec![Some(base.id), base.manager, target.manager],
        Pending::Weight { .. } => Vec::new(),
    }
}

/// One line for the audit log.
fn describe_row(row: &ScheduledRow) -> String {
    format!(
        "{} {} from={} {}",
        row.subject, row.what, row.item.effective, row.changes
    )
}

fn gone(id: u64) -> OpError {
    OpError::Store(StoreError::NotFound {
        entity: "employee",
        id: id.to_string(),
    })
}
