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
    /// The fingerprint of the SSH key the operator came in with, if any.
    pub key: Option<String>,
    pub record: AuditRecord,
    /// What binds the entry to the ones before it and to the records its
    /// write left (filled in by the store).
    pub link: Link,
}

/// A SHA-256 digest.
pub type Digest = [u8; 32];

/// An entry's place in the hash chain: its hash (over the previous
/// entry's hash and its own contents, this field left out), and, on the
/// first entry of each write, a tally of the record versions that write
/// sealed and of those it replaced or removed, per table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub hash: Digest,
    pub sealed: Vec<Tally>,
    pub released: Vec<Release>,
}

/// How many record versions of one table, and the sum of their terms
/// (each a digest of table, key, sealing entry and hash, added as four
/// wrapping 64-bit words: a set hash that any later change breaks).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub table: String,
    pub count: u64,
    pub sum: [u64; 4],
}

/// Record versions a write replaced or removed, by the entry that had sealed them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub seq: u64,
    pub tally: Tally,
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

/// Splits a `key=value key=value` summary into its fields; a value may
/// contain spaces (it runs until the next ` key=`).
fn fields(summary: &str) -> Vec<(&str, &str)> {
    let starts: Vec<usize> = summary
        .char_indices()
        .filter(|&(i, _)| i == 0 || summary[..i].ends_with(' '))
        .map(|(i, _)| i)
        .filter(|&i| {
            let rest = &summary[i..];
            rest.find('=').is_some_and(|eq| {
                eq > 0
                    && rest[..eq]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        })
        .collect();
    starts
        .iter()
        .enumerate()
        .filter_map(|(n, &start)| {
            let end = starts.get(n + 1).map_or(summary.len(), |&next| next - 1);
            summary[start..end].split_once('=')
        })
        .collect()
}

impl AuditRecord {
    /// What changed, in one line: the fields that differ (`parent: 3 → 5`),
    /// or the whole summary for an entity that was added or removed.
    pub fn change(&self) -> String {
        match (&self.before, &self.after) {
            (Some(before), Some(after)) => {
                let old = fields(before);
                let changed: Vec<String> = fields(after)
                    .into_iter()
                    .filter_map(|(key, new)| {
                        let previous = old.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
                        (previous != Some(new))
                            .then(|| format!("{key}: {} → {new}", previous.unwrap_or("∅")))
                    })
                    .collect();
                changed.join("; ")
            }
            (Some(before), None) => format!("{before} → ∅"),
            (None, Some(after)) => after.clone(),
            (None, None) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_lists_only_the_fields_that_differ() {
        let record = AuditRecord::new("department.move", "department", 2)
            .before("name=研发部 parent=- head=Zhang Wei")
            .after("name=研发部 parent=1 head=Zhang Wei");
        assert_eq!(record.change(), "parent: - → 1");
        let record = AuditRecord::new("department.edit", "department", 2)
            .before("name=R&D parent=- head=Zhang Wei")
            .after("name=研发部 parent=- head=Li Na");
        assert_eq!(
            record.change(),
            "name: R&D → 研发部; head: Zhang Wei → Li Na"
        );
    }

    #[test]
    fn additions_and_removals_show_the_whole_record() {
        let added = AuditRecord::new("operator.add", "operator", "bob").after("role=hr");
        assert_eq!(added.change(), "role=hr");
        let removed = AuditRecord::new("operator.remove", "operator", "bob").before("role=hr");
        assert_eq!(removed.change(), "role=hr → ∅");
    }
}
