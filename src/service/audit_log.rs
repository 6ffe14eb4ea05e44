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
    /// hash stays; `verify` reads the rest).
    pub fn read_audit_log(
        &self,
        filter: &AuditFilter,
        after: u64,
        mut visit: impl FnMut(AuditEntry),
    ) -> Result<u64, OpError> {
        self.require(Permission::ViewAuditLog)?;
        let zone = crate::zone::current();
        Ok(self.store().audit_entries_after(after, &mut |view| {
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
        })?)
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
