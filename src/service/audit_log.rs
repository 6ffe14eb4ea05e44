//! Reading the audit log a filter at a time (the console's log view over a
//! long log holds only the entries its filter lets through), and logging
//! what is taken out of it.

use super::access::Permission;
use super::{OpError, Session};
use crate::domain::audit::filter::AuditFilter;
use crate::domain::audit::{AuditEntry, AuditRecord};

impl Session {
    /// Hands `visit` the entries after sequence number `after` (all when 0)
    /// that `filter` lets through, oldest first; returns the newest entry's
    /// number whether it passed or not (`after` when nothing came after
    /// it), to read on from next time. Each entry is looked at in place and
    /// only those that pass are copied, without the chain's tallies (their
    /// hash stays; `verify` reads the rest). A job's session counts the
    /// entries looked at, and once cancelled copies no more and ends with
    /// [`OpError::Cancelled`].
    pub fn read_audit_log(
        &self,
        filter: &AuditFilter,
        after: u64,
        mut visit: impl FnMut(AuditEntry),
    ) -> Result<u64, OpError> {
        self.require(Permission::ViewAuditLog)?;
        let zone = crate::zone::current();
        let progress = self.cancel.as_ref();
        if let Some(progress) = progress {
            let left = self.store().audit_count()?.saturating_sub(after);
            progress.start(usize::try_from(left).unwrap_or(usize::MAX));
        }
        let newest = self.store().audit_entries_after(after, &mut |view| {
            if let Some(progress) = progress {
                if progress.is_cancelled() {
                    return Ok(());
                }
                progress.advance();
            }
            let record = &view.record;
            if !filter.admits(
                view.operator,
                record.action,
                record.entity,
                record.entity_id,
            ) {
                return Ok(());
            }
            if filter.has_days() && !filter.admits_moment(view.at()?, zone) {
                return Ok(());
            }
            visit(view.to_entry()?);
            Ok(())
        })?;
        self.check_cancelled()?;
        Ok(newest)
    }

    /// How many entries the audit log holds (to size a read of it).
    pub fn audit_count(&self) -> Result<u64, OpError> {
        self.require(Permission::ViewAuditLog)?;
        Ok(self.store().audit_count()?)
    }

    /// Logs that `rows` entries of the audit log went to `file`, chosen by
    /// `chosen` (`key=value` words: the filter and the search).
    pub fn log_audit_log_export(
        &self,
        rows: usize,
        file: &str,
        chosen: &str,
    ) -> Result<(), OpError> {
        self.require(Permission::ViewAuditLog)?;
        let after = [
            format!("rows={rows}"),
            chosen.to_string(),
            format!("file={file}"),
        ]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        self.write(|w| {
            w.audit(AuditRecord::new("audit_log.export", "audit_log", "*").after(after))
        })?;
        Ok(())
    }
}
