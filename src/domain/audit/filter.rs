//! Which audit-log entries a reader asks to see: by operator, by action
//! (one, or a family such as `binding.`), by entity (its kind, its id or
//! both) and by the days they were written, in the zone times are shown
//! in. Checked against each entry as the log is read, so a narrow filter
//! over a long log holds only what it lets through.

use chrono::{DateTime, NaiveDate, Utc};

use super::AuditEntry;
use crate::zone::Zone;

/// What entries to show; every part left empty lets everything through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The operator's user name (any case).
    pub operator: Option<String>,
    /// An action (`binding.add`), or a family of them: a prefix ending in
    /// a dot (`binding.`).
    pub action: Option<String>,
    /// Words each naming the entity's kind or its id (`employee`,
    /// `E000010`, `employee E000010`; any case).
    pub entity: Vec<String>,
    /// The first day shown.
    pub from: Option<NaiveDate>,
    /// The last day shown.
    pub to: Option<NaiveDate>,
}

impl AuditFilter {
    /// Whether it lets every entry through.
    pub fn is_empty(&self) -> bool {
        *self == AuditFilter::default()
    }

    /// Whether an entry by `operator` of `action` on `entity` `entity_id`
    /// passes, whatever its day.
    pub fn admits(&self, operator: &str, action: &str, entity: &str, entity_id: &str) -> bool {
        if let Some(wanted) = &self.operator
            && !operator.eq_ignore_ascii_case(wanted)
        {
            return false;
        }
        if let Some(wanted) = &self.action
            && !action_matches(wanted, action)
        {
            return false;
        }
        self.entity
            .iter()
            .all(|word| entity.eq_ignore_ascii_case(word) || entity_id.eq_ignore_ascii_case(word))
    }

    /// Whether it asks for certain days only.
    pub fn has_days(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Whether an entry written at `at` passes, its day taken in `zone`.
    pub fn admits_moment(&self, at: DateTime<Utc>, zone: Zone) -> bool {
        if !self.has_days() {
            return true;
        }
        let day = zone.today(at);
        !(self.from.is_some_and(|from| day < from) || self.to.is_some_and(|to| day > to))
    }

    /// Whether `entry` passes, its day taken in `zone`.
    pub fn matches(&self, entry: &AuditEntry, zone: Zone) -> bool {
        let record = &entry.record;
        self.admits(
            &entry.operator,
            &record.action,
            &record.entity,
            &record.entity_id,
        ) && self.admits_moment(entry.at, zone)
    }
}

/// Whether action `code` is `wanted`, or of the family `wanted` names
/// with its trailing dot.
pub fn action_matches(wanted: &str, code: &str) -> bool {
    if wanted.ends_with('.') {
        code.starts_with(wanted)
    } else {
        code == wanted
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::audit::AuditRecord;

    fn entry(operator: &str, action: &str, entity: &str, id: &str, hour: u32) -> AuditEntry {
        AuditEntry {
            seq: 1,
            at: Utc.with_ymd_and_hms(2026, 11, 23, hour, 0, 0).unwrap(),
            operator: operator.into(),
            key: None,
            record: AuditRecord::new(action, entity, id),
            link: Default::default(),
        }
    }

    fn shanghai() -> Zone {
        Zone::parse("Asia/Shanghai").unwrap()
    }

    #[test]
    fn an_empty_filter_lets_everything_through() {
        let filter = AuditFilter::default();
        assert!(filter.is_empty());
        assert!(filter.matches(&entry("hr", "binding.add", "binding", "3", 1), shanghai()));
    }

    #[test]
    fn operator_action_and_entity_narrow() {
        let e = entry("hr.zhang", "binding.notice_sent", "binding", "7", 1);
        let by = |filter: AuditFilter| filter.matches(&e, shanghai());
        assert!(by(AuditFilter {
            operator: Some("HR.Zhang".into()),
            ..Default::default()
        }));
        assert!(!by(AuditFilter {
            operator: Some("hr".into()),
            ..Default::default()
        }));
        assert!(by(AuditFilter {
            action: Some("binding.".into()),
            ..Default::default()
        }));
        assert!(by(AuditFilter {
            action: Some("binding.notice_sent".into()),
            ..Default::default()
        }));
        assert!(
            !by(AuditFilter {
                action: Some("binding.notice".into()),
                ..Default::default()
            }),
            "an action without its dot is matched whole"
        );
        assert!(!by(AuditFilter {
            action: Some("bind.".into()),
            ..Default::default()
        }));
        let words = |w: &[&str]| AuditFilter {
            entity: w.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        assert!(by(words(&["binding"])));
        assert!(by(words(&["7"])));
        assert!(by(words(&["Binding", "7"])));
        assert!(!by(words(&["binding", "8"])));
        assert!(!by(words(&["employee"])));
    }

    #[test]
    fn dates_are_days_in_the_zone_times_are_shown_in() {
        // 2026-11-23 20:00 UTC is already the 24th in Shanghai.
        let late = entry("hr", "goal.add", "goal", "1", 20);
        let on = |from: Option<u32>, to: Option<u32>| AuditFilter {
            from: from.map(|d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap()),
            to: to.map(|d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap()),
            ..Default::default()
        };
        assert!(on(Some(24), Some(24)).matches(&late, shanghai()));
        assert!(!on(Some(24), None).matches(&late, Zone::parse("UTC").unwrap()));
        assert!(on(None, Some(23)).matches(&late, Zone::parse("UTC").unwrap()));
        assert!(!on(Some(25), None).matches(&late, shanghai()));
        assert!(!on(None, Some(23)).matches(&late, shanghai()));
    }
}
