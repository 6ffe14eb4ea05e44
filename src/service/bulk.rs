//! The bulk path: prepared records written as they are, for the demo
//! company and benchmarks, whose histories reach back in time where no
//! console operation can. Admin only; each batch is one transaction with
//! one audit entry that lists what it wrote.

use super::access::Permission;
use super::{OpError, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::binding::Binding;
use crate::domain::binding::audit::AuditRun;
use crate::domain::employee::EmployeeId;
use crate::domain::goal::{Goal, GoalId};
use crate::domain::scoring::{CycleId, EntrySource, Rating, Sheet};
use foldhash::HashMap;

impl Session {
    /// Writes prepared bindings (their states and histories as they are)
    /// and optionally an audit run, in one transaction logged as
    /// `binding.bulk` with their count, id range and the run's date.
    pub fn bulk_bindings(
        &self,
        bindings: &[Binding],
        run: Option<&AuditRun>,
    ) -> Result<(), OpError> {
        self.require(Permission::BulkLoad)?;
        self.write(|w| {
            let stored = w.add_bindings(bindings)?;
            let mut note = format!("bindings={}", stored.len());
            if let (Some(first), Some(last)) = (stored.first(), stored.last()) {
                note.push_str(&format!(" ids={}..{}", first.id, last.id));
            }
            if let Some(run) = run {
                w.add_audit_run(run)?;
                note.push_str(&format!(" audit_run_as_of={}", run.as_of));
            }
            w.audit(AuditRecord::new("binding.bulk", "binding", "*").after(note))
                .map(drop)
        })
    }

    /// Reserves `count` goal ids and stores the goals `make` builds from the
    /// first of them (so a batch can refer to its own members), in one
    /// transaction logged as `goal.bulk` with the count and id range.
    /// `make` must only build: it may run again if the write is retried.
    pub fn bulk_goals(
        &self,
        count: usize,
        make: impl Fn(GoalId) -> Vec<Goal>,
    ) -> Result<usize, OpError> {
        self.require(Permission::BulkLoad)?;
        self.write(|w| {
            let first = w.reserve_goal_ids(count)?;
            let goals = make(first);
            w.add_reserved_goals(&goals)?;
            let note = format!(
                "goals={} ids={}..{}",
                goals.len(),
                first.0,
                first.0 + count as u64
            );
            w.audit(AuditRecord::new("goal.bulk", "goal", "*").after(note))?;
            Ok(goals.len())
        })
    }
    /// Writes prepared ratings as they are (marked entered in bulk), in
    /// one transaction logged as `rating.bulk` with their count: the demo
    /// company's, whose relations its own org chart makes.
    pub fn bulk_ratings(&self, ratings: &[Rating]) -> Result<usize, OpError> {
        self.require(Permission::BulkLoad)?;
        let mut batch: HashMap<(CycleId, EmployeeId), Vec<&Rating>> = HashMap::default();
        for rating in ratings {
            batch
                .entry((rating.cycle, rating.ratee))
                .or_default()
                .push(rating);
        }
        self.write(|w| {
            let mut sheets = Vec::with_capacity(batch.len());
            for (&(cycle, ratee), marks) in &batch {
                let mut sheet = w
                    .sheet(cycle, ratee)?
                    .unwrap_or_else(|| Sheet::new(cycle, ratee));
                for &rating in marks {
                    sheet.put_rating(Rating {
                        source: EntrySource::Bulk,
                        ..rating.clone()
                    });
                }
                sheets.push(sheet);
            }
            w.put_sheets(&sheets)?;
            let note = format!("ratings={} people={}", ratings.len(), sheets.len());
            w.audit(AuditRecord::new("rating.bulk", "cycle", "*").after(note))?;
            Ok(ratings.len())
        })
    }
}
