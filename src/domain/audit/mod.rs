//! The audit log: one entry per mutation, written in the same transaction.
//! What each action is called in words is in `actions`; which entries a
//! reader asks to see, in `filter`.

pub mod actions;
pub mod filter;

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

/// An audit-log entry decoded in place from the store, nothing copied and
/// nothing more read than a filter looks at: its text borrowed, the long
/// parts (before, after, the key) as bytes not yet checked, its moment as
/// stored, its link up to the hash. A reader of a long log copies only the
/// entries it keeps ([`to_entry`](Self::to_entry)). The fields are those
/// of [`AuditEntry`], in the same order (the stored layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct AuditEntryView<'a> {
    pub seq: u64,
    /// The moment as stored (RFC 3339): see [`at`](Self::at).
    #[serde(borrow)]
    at: &'a [u8],
    pub operator: &'a str,
    #[serde(borrow)]
    key: Option<&'a [u8]>,
    #[serde(borrow)]
    pub record: AuditRecordView<'a>,
    link: LinkView,
}

/// [`AuditRecord`] read in place: what filters look at as text, the
/// summaries as bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct AuditRecordView<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    #[serde(borrow)]
    before: Option<&'a [u8]>,
    #[serde(borrow)]
    after: Option<&'a [u8]>,
}

/// [`Link`] up to its hash (the tallies after it are left unread).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
struct LinkView {
    hash: Digest,
}

/// Text read in place, checked; the error is a plain-words detail.
fn text(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|e| e.to_string())
}

impl AuditEntryView<'_> {
    /// When the entry was written.
    pub fn at(&self) -> Result<DateTime<Utc>, String> {
        text(self.at)?
            .parse()
            .map_err(|e: chrono::ParseError| e.to_string())
    }

    /// The entry as an owned one, its hash kept and its tallies (what only
    /// `verify` reads) left out.
    pub fn to_entry(&self) -> Result<AuditEntry, String> {
        let owned = |bytes: Option<&[u8]>| -> Result<Option<String>, String> {
            bytes.map(|b| text(b).map(str::to_string)).transpose()
        };
        let record = &self.record;
        Ok(AuditEntry {
            seq: self.seq,
            at: self.at()?,
            operator: self.operator.to_string(),
            key: owned(self.key)?,
            record: AuditRecord {
                action: record.action.to_string(),
                entity: record.entity.to_string(),
                entity_id: record.entity_id.to_string(),
                before: owned(record.before)?,
                after: owned(record.after)?,
            },
            link: Link {
                hash: self.link.hash,
                ..Link::default()
            },
        })
    }
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

/// A summary cut into what comes before its first `key=` (empty when it
/// starts with one) and its `key=value` fields, a value running until the
/// next ` key=`: nothing is lost, the lead and the fields joined by spaces
/// give the summary back (`cancelled from=2027-03-01`, `E000010 仇方
/// transfer from=…`).
pub fn parts(summary: &str) -> (&str, Vec<(&str, &str)>) {
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
    let lead = summary[..starts.first().copied().unwrap_or(summary.len())].trim_end();
    let fields = starts
        .iter()
        .enumerate()
        .filter_map(|(n, &start)| {
            let end = starts.get(n + 1).map_or(summary.len(), |&next| next - 1);
            summary[start..end].split_once('=')
        })
        .collect();
    (lead, fields)
}

impl AuditRecord {
    /// What changed, in one line: the fields that differ (`parent: 3 → 5`),
    /// those only the after side has as they are (an event's
    /// `effective=2026-11-20`, a departure's `reason=resigned`), or the
    /// whole summary for an entity that was added or removed.
    pub fn change(&self) -> String {
        match (&self.before, &self.after) {
            (Some(before), Some(after)) => {
                let (old_lead, old) = parts(before);
                let (new_lead, new) = parts(after);
                let mut changed = Vec::new();
                if old_lead != new_lead {
                    let shown = |lead: &str| if lead.is_empty() { "∅" } else { lead }.to_string();
                    changed.push(format!("{} → {}", shown(old_lead), shown(new_lead)));
                }
                changed.extend(new.into_iter().filter_map(|(key, new)| {
                    let previous = old.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
                    match previous {
                        Some(old) if old == new => None,
                        Some(old) => Some(format!("{key}: {old} → {new}")),
                        None => Some(format!("{key}={new}")),
                    }
                }));
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
    fn a_summary_splits_into_its_lead_and_fields_losing_nothing() {
        let summary = "E000010 仇方 transfer from=2027-03-01 department: a → b note=x=y z";
        let (lead, fields) = parts(summary);
        assert_eq!(lead, "E000010 仇方 transfer");
        assert_eq!(
            fields,
            vec![("from", "2027-03-01 department: a → b"), ("note", "x=y z")]
        );
        let mut joined = vec![lead.to_string()];
        joined.extend(fields.iter().map(|(k, v)| format!("{k}={v}")));
        assert_eq!(joined.join(" "), summary);
        assert_eq!(parts("status=active"), ("", vec![("status", "active")]));
        assert_eq!(parts("true"), ("true", vec![]));
        assert_eq!(parts(""), ("", vec![]));
    }

    #[test]
    fn a_change_of_plain_words_shows_them_both() {
        let record = AuditRecord::new("cycle.advance", "cycle", "2026")
            .before("draft")
            .after("open");
        assert_eq!(record.change(), "draft → open");
        let record = AuditRecord::new("cycle.normalise", "cycle", "2026")
            .before("false")
            .after("true");
        assert_eq!(record.change(), "false → true");
    }

    #[test]
    fn what_only_the_after_side_says_shows_as_it_is() {
        let record = AuditRecord::new("employee.departure", "employee", "E1")
            .before("status=active")
            .after("status=departed effective=2026-11-20 backdated reason=resigned");
        assert_eq!(
            record.change(),
            "status: active → departed; effective=2026-11-20 backdated; reason=resigned"
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
