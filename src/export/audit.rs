//! The audit log as export rows: one per entry, its columns named as
//! identifiers (not translated), the action as its code.

use serde::Serialize;

use super::rfc3339;
use crate::domain::audit::AuditEntry;

/// One entry of the audit log as `hrdesk export audit-log` and the
/// console's export write it (borrowed from the entry, not copied).
#[derive(Serialize)]
pub struct AuditRow<'a> {
    seq: u64,
    at: String,
    operator: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
    /// The SSH key the operator came in with.
    key: Option<&'a str>,
    /// The entry's place in the hash chain (what `verify --expect-head` takes).
    hash: String,
}

impl<'a> AuditRow<'a> {
    pub fn of(entry: &'a AuditEntry) -> Self {
        let record = &entry.record;
        AuditRow {
            seq: entry.seq,
            at: rfc3339(entry.at),
            operator: &entry.operator,
            action: &record.action,
            entity: &record.entity,
            entity_id: &record.entity_id,
            before: record.before.as_deref(),
            after: record.after.as_deref(),
            key: entry.key.as_deref(),
            hash: crate::store::hex(&entry.link.hash),
        }
    }
}
