//! The audit log: one entry per mutation, written in the same transaction.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a mutation describes about itself; the store adds sequence, time and operator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Dotted action name, e.g. `department.add`.
    pub action: String,
    /// Entity kind, e.g. `department`, `operator`.
    pub entity: String,
    /// The entity's id as text (numbers, user names).
    pub entity_id: String,
    /// A one-line summary of the state before the change, if it existed.
    pub before: Option<String>,
    /// A one-line summary of the state after the change, if it still exists.
    pub after: Option<String>,
}

/// A stored audit-log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub operator: String,
    pub record: AuditRecord,
}

impl AuditRecord {
    pub fn new(action: &str, entity: &str, entity_id: impl ToString) -> Self {
        AuditRecord {
            action: action.to_string(),
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, summary: impl Into<String>) -> Self {
        self.before = Some(summary.into());
        self
    }

    pub fn after(mut self, summary: impl Into<String>) -> Self {
        self.after = Some(summary.into());
        self
    }
}

impl AuditEntry {
    /// True when every word of `query` (case-insensitive) occurs in the entry.
    pub fn matches(&self, query: &str) -> bool {
        let haystack = format!(
            "{} {} {} {} {} {} {}",
            self.seq,
            self.operator,
            self.record.action,
            self.record.entity,
            self.record.entity_id,
            self.record.before.as_deref().unwrap_or(""),
            self.record.after.as_deref().unwrap_or("")
        )
        .to_lowercase();
        query
            .split_whitespace()
            .all(|word| haystack.contains(&word.to_lowercase()))
    }
}
