//! The monthly binding audit: every live binding (active or pending
//! unbind) checked against the staff as of a date, in one pass. Findings,
//! most severe first: bindings of departed employees (critical); pending
//! unbinds past their deadline, one external id bound twice, bindings whose
//! employee no longer exists (high); bindings unused for longer than the
//! stale period, and bindings never used that long after being bound
//! (medium).

use std::collections::hash_map::Entry;
use std::hash::BuildHasher;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use foldhash::HashMap;
use foldhash::fast::FixedState;

use super::{BindingId, BindingView, Provider};
use crate::domain::employee::{EmployeeId, Status};
use crate::tr;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Critical,
    High,
    Medium,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
        }
    }

    pub fn label(self) -> String {
        match self {
            Severity::Critical => tr!("binding.severity.critical"),
            Severity::High => tr!("binding.severity.high"),
            Severity::Medium => tr!("binding.severity.medium"),
        }
    }
}

/// What is wrong with a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    DepartedEmployee,
    OverduePending,
    DuplicateExternalId,
    MissingEmployee,
    Unused,
    NeverUsed,
}

impl FindingKind {
    pub const ALL: [FindingKind; 6] = [
        FindingKind::DepartedEmployee,
        FindingKind::OverduePending,
        FindingKind::DuplicateExternalId,
        FindingKind::MissingEmployee,
        FindingKind::Unused,
        FindingKind::NeverUsed,
    ];

    pub fn severity(self) -> Severity {
        match self {
            FindingKind::DepartedEmployee => Severity::Critical,
            FindingKind::OverduePending
            | FindingKind::DuplicateExternalId
            | FindingKind::MissingEmployee => Severity::High,
            FindingKind::Unused | FindingKind::NeverUsed => Severity::Medium,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            FindingKind::DepartedEmployee => "departed_employee",
            FindingKind::OverduePending => "overdue_pending",
            FindingKind::DuplicateExternalId => "duplicate_external_id",
            FindingKind::MissingEmployee => "missing_employee",
            FindingKind::Unused => "unused",
            FindingKind::NeverUsed => "never_used",
        }
    }

    pub fn label(self) -> String {
        match self {
            FindingKind::DepartedEmployee => tr!("binding.finding.departed_employee"),
            FindingKind::OverduePending => tr!("binding.finding.overdue_pending"),
            FindingKind::DuplicateExternalId => tr!("binding.finding.duplicate_external_id"),
            FindingKind::MissingEmployee => tr!("binding.finding.missing_employee"),
            FindingKind::Unused => tr!("binding.finding.unused"),
            FindingKind::NeverUsed => tr!("binding.finding.never_used"),
        }
    }
}

/// One finding: the binding, what is wrong, and for a duplicate the other
/// binding holding the same id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub binding: BindingId,
    pub employee: EmployeeId,
    pub other: Option<BindingId>,
    /// How long it has been so, in whole days at the audit's end: unused
    /// since the last use (or, never used, since binding), overdue since
    /// the request's deadline; none for the other kinds.
    pub days: Option<i64>,
}

impl Finding {
    /// What was found and for how long (`unused too long · 182 days`).
    pub fn describe(&self) -> String {
        match self.days {
            Some(days) if self.kind == FindingKind::OverduePending => {
                tr!(
                    "binding.finding.age_overdue",
                    kind = self.kind.label(),
                    days = days
                )
            }
            Some(days) => tr!(
                "binding.finding.age_unused",
                kind = self.kind.label(),
                days = days
            ),
            None => self.kind.label(),
        }
    }
}

/// The audit's dials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditSettings {
    /// The day the audit is for (its end counts).
    pub as_of: NaiveDate,
    /// Days without use after which a binding is stale (90 unless set).
    pub stale_days: u32,
    /// Days a pending unbind may wait for its confirmation (14 unless set).
    pub pending_days: u32,
}

/// Days without use after which a binding is stale, unless set.
pub const DEFAULT_STALE_DAYS: u32 = 90;
/// Days a pending unbind may wait for its confirmation, unless set.
pub const DEFAULT_PENDING_DAYS: u32 = 14;

impl AuditSettings {
    pub fn new(as_of: NaiveDate) -> Self {
        AuditSettings {
            as_of,
            stale_days: DEFAULT_STALE_DAYS,
            pending_days: DEFAULT_PENDING_DAYS,
        }
    }
}

/// The audit in one pass: each binding is [`check`](Auditor::check)ed as
/// it is read (nothing is kept of it but its findings and a fingerprint of
/// its account), then [`finish`](Auditor::finish) sorts the findings.
pub struct Auditor {
    end: DateTime<Utc>,
    stale: Duration,
    pending: Duration,
    findings: Vec<Finding>,
    /// Who first held each account: the provider and a 128-bit
    /// fingerprint of the external id (two hashes with different seeds),
    /// so that a million accounts need no copy of their ids.
    holders: HashMap<(Provider, u128), BindingId>,
}

impl Auditor {
    pub fn new(settings: AuditSettings) -> Self {
        Auditor {
            end: settings.as_of.and_time(NaiveTime::MIN).and_utc() + Duration::days(1),
            stale: Duration::days(i64::from(settings.stale_days)),
            pending: Duration::days(i64::from(settings.pending_days)),
            findings: Vec::new(),
            holders: HashMap::default(),
        }
    }

    fn fingerprint(external_id: &str) -> u128 {
        let low = FixedState::with_seed(0x6872_6465_736b).hash_one(external_id);
        let high = FixedState::with_seed(0x6269_6e64_696e_6773).hash_one(external_id);
        (u128::from(high) << 64) | u128::from(low)
    }

    /// Checks one binding; `status` is its employee's, none when the
    /// employee no longer exists. Unbound bindings have nothing to find.
    pub fn check(&mut self, binding: &BindingView<'_>, status: Option<Status>) {
        if !binding.state.is_live() {
            return;
        }
        let end = self.end;
        let mut found = |kind, days: Option<Duration>| {
            self.findings.push(Finding {
                kind,
                binding: binding.id,
                employee: binding.employee,
                other: None,
                days: days.map(|d| d.num_days()),
            })
        };
        match status {
            None => found(FindingKind::MissingEmployee, None),
            Some(Status::Departed) => found(FindingKind::DepartedEmployee, None),
            Some(_) => {}
        }
        if let Some(since) = binding.state.pending_since()
            && end - since > self.pending
        {
            found(
                FindingKind::OverduePending,
                Some(end - since - self.pending),
            );
        }
        match binding.last_used {
            Some(used) if end - used > self.stale => found(FindingKind::Unused, Some(end - used)),
            None if end - binding.bound_at > self.stale => {
                found(FindingKind::NeverUsed, Some(end - binding.bound_at));
            }
            _ => {}
        }
        let key = (binding.provider, Self::fingerprint(binding.external_id));
        match self.holders.entry(key) {
            Entry::Occupied(first) => {
                let other = Some(*first.get());
                self.findings.push(Finding {
                    kind: FindingKind::DuplicateExternalId,
                    binding: binding.id,
                    employee: binding.employee,
                    other,
                    days: None,
                });
            }
            Entry::Vacant(slot) => {
                slot.insert(binding.id);
            }
        }
    }

    /// The findings, most severe first, then by binding id.
    pub fn finish(mut self) -> Vec<Finding> {
        self.findings
            .sort_unstable_by_key(|f| (f.kind.severity(), f.kind, f.binding));
        self.findings
    }
}

/// One audit run, as kept: who ran it, when, for which day, and how many
/// findings of each kind (in [`FindingKind::ALL`] order).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditRun {
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub as_of: NaiveDate,
    pub counts: [usize; 6],
}

/// How many findings of each kind, in [`FindingKind::ALL`] order.
pub fn counts(findings: &[Finding]) -> [usize; 6] {
    let mut counts = [0; 6];
    for finding in findings {
        if let Some(at) = FindingKind::ALL.iter().position(|k| *k == finding.kind) {
            counts[at] += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::binding::{Binding, BindingState, UnbindReason};

    fn audit_bindings(
        bindings: &[Binding],
        status: impl Fn(EmployeeId) -> Option<Status>,
        settings: AuditSettings,
    ) -> Vec<Finding> {
        let mut auditor = Auditor::new(settings);
        for binding in bindings {
            auditor.check(&binding.view(), status(binding.employee));
        }
        auditor.finish()
    }

    fn day(m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, m, d, 9, 0, 0).unwrap()
    }

    fn binding(
        id: u64,
        employee: u64,
        external: &str,
        last_used: Option<DateTime<Utc>>,
    ) -> Binding {
        Binding {
            id: BindingId(id),
            employee: EmployeeId(employee),
            provider: Provider::WeChat,
            external_id: external.into(),
            bound_at: day(1, 10),
            last_used,
            method: "qr".into(),
            state: BindingState::Active,
            history: Vec::new(),
        }
    }

    /// One binding for every kind of finding, and two that are fine.
    fn fixture() -> Vec<Binding> {
        let recent = Some(day(11, 20));
        let mut pending = binding(4, 4, "o-pending", recent);
        pending
            .request_unbind(UnbindReason::PrivacyRequest, "1", "hr", day(11, 1))
            .unwrap();
        let mut gone = binding(8, 1, "o-gone", recent);
        gone.force(UnbindReason::Departure, "hr", day(11, 2))
            .unwrap();
        vec![
            binding(1, 1, "o-fine", recent),
            binding(2, 2, "o-departed", recent),
            binding(3, 3, "o-missing", recent),
            pending,
            binding(5, 5, "o-fine", recent),
            binding(6, 6, "o-old", Some(day(6, 1))),
            binding(7, 7, "o-never", None),
            gone,
            binding(9, 1, "o-other", recent),
        ]
    }

    fn status(id: EmployeeId) -> Option<Status> {
        match id.0 {
            2 => Some(Status::Departed),
            3 => None,
            _ => Some(Status::Active),
        }
    }

    #[test]
    fn every_kind_is_found_most_severe_first() {
        let findings = audit_bindings(
            &fixture(),
            status,
            AuditSettings::new(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()),
        );
        let found: Vec<(FindingKind, u64)> =
            findings.iter().map(|f| (f.kind, f.binding.0)).collect();
        assert_eq!(
            found,
            vec![
                (FindingKind::DepartedEmployee, 2),
                (FindingKind::OverduePending, 4),
                (FindingKind::DuplicateExternalId, 5),
                (FindingKind::MissingEmployee, 3),
                (FindingKind::Unused, 6),
                (FindingKind::NeverUsed, 7),
            ]
        );
        let days: Vec<Option<i64>> = findings.iter().map(|f| f.days).collect();
        assert_eq!(
            days,
            [None, Some(15), None, None, Some(182), Some(324)],
            "overdue since the deadline, unused since the last use, never used since bound"
        );
        assert_eq!(
            findings[2].other,
            Some(BindingId(1)),
            "the other holder is named"
        );
        assert_eq!(counts(&findings), [1, 1, 1, 1, 1, 1]);
    }

    #[test]
    fn an_earlier_date_and_longer_periods_find_less() {
        let mut settings = AuditSettings::new(NaiveDate::from_ymd_opt(2026, 11, 10).unwrap());
        settings.stale_days = 365;
        let kinds: Vec<FindingKind> = audit_bindings(&fixture(), status, settings)
            .iter()
            .map(|f| f.kind)
            .collect();
        assert!(!kinds.contains(&FindingKind::OverduePending), "{kinds:?}");
        assert!(!kinds.contains(&FindingKind::Unused), "{kinds:?}");
        assert!(kinds.contains(&FindingKind::DepartedEmployee));
    }
}
