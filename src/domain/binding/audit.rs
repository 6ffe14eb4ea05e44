//! The monthly binding audit: every live binding (active or pending
//! unbind) checked against the staff as of a date, in one pass. Findings,
//! most severe first: bindings of departed employees (critical); pending
//! unbinds past their deadline, one external id bound twice, bindings whose
//! employee no longer exists (high); bindings unused for longer than the
//! stale period, and bindings never used that long after being bound
//! (medium).

use std::hash::BuildHasher;
use std::iter::Peekable;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use foldhash::fast::FixedState;

use super::{BindingId, BindingView, Provider, mask_external_id};
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
    pub const ALL: [Severity; 3] = [Severity::Critical, Severity::High, Severity::Medium];

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
    /// The binding's provider.
    pub provider: Provider,
    pub other: Option<BindingId>,
    /// How long it has been so, in whole days at the audit's end: unused
    /// since the last use (or, never used, since binding), overdue since
    /// the request's deadline; none for the other kinds.
    pub days: Option<i64>,
}

impl Finding {
    /// What was found and for how long (`unused too long · 182 days`).
    pub fn describe(&self) -> String {
        self.describe_as(&self.kind.label())
    }

    /// [`describe`](Finding::describe) with its kind's name given (a
    /// report of many findings looks each name up once).
    pub fn describe_as(&self, kind: &str) -> String {
        match self.days {
            Some(days) if self.kind == FindingKind::OverduePending => {
                tr!("binding.finding.age_overdue", kind = kind, days = days)
            }
            Some(days) => tr!("binding.finding.age_unused", kind = kind, days = days),
            None => kind.to_string(),
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

/// The audit in one pass over the bindings: each binding is
/// [`check`](Auditor::check)ed as it is read (nothing is kept of it but its
/// findings, a fingerprint of its account and, while live, its employee);
/// [`settle`](Auditor::settle) then looks up the employees of the live ones
/// (so that the staff may be read at the same time, on another core) and
/// finds the accounts bound twice, and
/// [`finish`](Auditor::finish) sorts the findings.
pub struct Auditor {
    end: DateTime<Utc>,
    stale: Duration,
    pending: Duration,
    findings: Vec<Finding>,
    /// Each live binding, its employee and its account as a fingerprint:
    /// [`settle`](Auditor::settle) looks up the employees and finds the
    /// accounts held twice.
    live: Vec<Live>,
    /// What other auditors kept of the bindings they read
    /// ([`merge`](Auditor::merge)): sorted and walked beside `live`, never
    /// copied into it.
    merged: Vec<Vec<Live>>,
    /// When asked for ([`keeping_accounts`](Auditor::keeping_accounts)):
    /// the masked account of each binding found wanting so far, by id.
    accounts: Option<MaskedAccounts>,
}

/// A live binding as the audit keeps it until the employees are known.
struct Live {
    binding: BindingId,
    employee: EmployeeId,
    provider: Provider,
    /// A 128-bit fingerprint of the external id (two hashes with
    /// different seeds), so that a million accounts need no copy of their
    /// ids.
    account: [u64; 2],
}

impl Live {
    fn of(binding: &BindingView<'_>) -> Live {
        let hash = |seed| FixedState::with_seed(seed).hash_one(binding.external_id);
        Live {
            binding: binding.id,
            employee: binding.employee,
            provider: binding.provider,
            account: [hash(0x6872_6465_736b), hash(0x6269_6e64_696e_6773)],
        }
    }

    /// Which account it holds.
    fn account_key(&self) -> (Provider, [u64; 2]) {
        (self.provider, self.account)
    }

    /// The order duplicates are found in: by account, its first holder first.
    fn order(&self) -> (Provider, [u64; 2], BindingId) {
        (self.provider, self.account, self.binding)
    }

    fn finding(&self, kind: FindingKind, other: Option<BindingId>) -> Finding {
        Finding {
            kind,
            binding: self.binding,
            employee: self.employee,
            provider: self.provider,
            other,
            days: None,
        }
    }
}

/// The items of `runs` (each sorted by [`Live::order`]) in that order,
/// merged two at a time (there is a run per core).
fn merge_sorted(runs: &[Vec<Live>]) -> Box<dyn Iterator<Item = &Live> + '_> {
    runs.iter()
        .fold(Box::new(std::iter::empty()), |merged, run| {
            Box::new(MergeTwo {
                one: merged.peekable(),
                other: run.iter().peekable(),
            })
        })
}

/// Two iterators of live bindings sorted by [`Live::order`], merged.
struct MergeTwo<'l, A: Iterator<Item = &'l Live>, B: Iterator<Item = &'l Live>> {
    one: Peekable<A>,
    other: Peekable<B>,
}

impl<'l, A: Iterator<Item = &'l Live>, B: Iterator<Item = &'l Live>> Iterator
    for MergeTwo<'l, A, B>
{
    type Item = &'l Live;

    fn next(&mut self) -> Option<&'l Live> {
        match (self.one.peek(), self.other.peek()) {
            (Some(one), Some(other)) if other.order() < one.order() => self.other.next(),
            (Some(_), _) => self.one.next(),
            (None, _) => self.other.next(),
        }
    }
}

/// What an audit found: the findings, most severe first, and (when kept)
/// the masked account of each binding a finding names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audited {
    pub findings: Vec<Finding>,
    pub accounts: MaskedAccounts,
}

/// Bindings' accounts, masked, by binding id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MaskedAccounts(Vec<(BindingId, Box<str>)>);

impl MaskedAccounts {
    /// Binding `id`'s account, masked, when it was kept.
    pub fn get(&self, id: BindingId) -> Option<&str> {
        self.0
            .binary_search_by_key(&id, |(binding, _)| *binding)
            .ok()
            .map(|at| &*self.0[at].1)
    }

    /// Keeps `external_id`, masked, as binding `id`'s (sorted by
    /// [`Auditor::finish`] or [`MaskedAccounts::add_all`]).
    fn push(&mut self, id: BindingId, external_id: &str) {
        self.0.push((id, mask_external_id(external_id).into()));
    }

    /// Keeps the accounts of `bindings` too, in any order.
    pub fn add_all<'a>(&mut self, bindings: impl IntoIterator<Item = (BindingId, &'a str)>) {
        for (id, external_id) in bindings {
            self.push(id, external_id);
        }
        self.0.sort_unstable_by_key(|(id, _)| *id);
        self.0.dedup_by_key(|(id, _)| *id);
    }
}

impl Auditor {
    pub fn new(settings: AuditSettings) -> Self {
        Auditor {
            end: settings.as_of.and_time(NaiveTime::MIN).and_utc() + Duration::days(1),
            stale: Duration::days(i64::from(settings.stale_days)),
            pending: Duration::days(i64::from(settings.pending_days)),
            findings: Vec::new(),
            live: Vec::new(),
            merged: Vec::new(),
            accounts: None,
        }
    }

    /// Also keeps the masked account of each binding found wanting while
    /// it is read (reports name it; a finding the employees' statuses
    /// give is named later, by reading its binding again).
    pub fn keeping_accounts(mut self) -> Self {
        self.accounts = Some(MaskedAccounts::default());
        self
    }

    /// Checks one binding for what the binding itself shows (overdue,
    /// unused, never used, bound twice); its employee's status waits for
    /// [`settle`](Auditor::settle). Unbound bindings have nothing to find.
    pub fn check(&mut self, binding: &BindingView<'_>) {
        if !binding.state.is_live() {
            return;
        }
        let before = self.findings.len();
        let live = Live::of(binding);
        let end = self.end;
        let mut found = |kind, days: Option<Duration>| {
            self.findings.push(Finding {
                days: days.map(|d| d.num_days()),
                ..live.finding(kind, None)
            });
        };
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
        if let Some(accounts) = &mut self.accounts
            && self.findings.len() > before
        {
            accounts.push(binding.id, binding.external_id);
        }
        self.live.push(live);
    }

    /// Checks each live binding's employee (`status` gives it, none when
    /// the employee no longer exists), and finds the accounts held by more
    /// than one live binding: each after the first (by id) is a finding
    /// naming the first. ([`check_employees`](Auditor::check_employees)
    /// then [`find_duplicates`](Auditor::find_duplicates).)
    pub fn settle(&mut self, status: impl Fn(EmployeeId) -> Option<Status>) {
        self.check_employees(status);
        self.find_duplicates();
    }

    /// Checks the employee of each live binding kept so far (`status`
    /// gives it, none when the employee no longer exists): done by each
    /// core for its own bindings before they are merged, or once after.
    pub fn check_employees(&mut self, status: impl Fn(EmployeeId) -> Option<Status>) {
        for held in self.merged.iter().flatten().chain(&self.live) {
            let kind = match status(held.employee) {
                None => FindingKind::MissingEmployee,
                Some(Status::Departed) => FindingKind::DepartedEmployee,
                Some(_) => continue,
            };
            self.findings.push(held.finding(kind, None));
        }
    }

    /// Finds the accounts held by more than one live binding: each after
    /// the first (by id) is a finding naming the first. Call it once, on
    /// the auditor every other was merged into.
    pub fn find_duplicates(&mut self) {
        let mut runs = std::mem::take(&mut self.merged);
        runs.push(std::mem::take(&mut self.live));
        for run in &mut runs {
            // Nearly free when sorted already (see `sort_live`).
            run.sort_unstable_by_key(Live::order);
        }
        let mut first: Option<&Live> = None;
        for held in merge_sorted(&runs) {
            match first {
                Some(holder) if holder.account_key() == held.account_key() => self
                    .findings
                    .push(held.finding(FindingKind::DuplicateExternalId, Some(holder.binding))),
                _ => first = Some(held),
            }
        }
    }

    /// Sorts what was kept of the live bindings for
    /// [`settle`](Auditor::settle), which then finds them in order: done by
    /// each core for its own bindings, at the same time.
    pub fn sort_live(&mut self) {
        self.live.sort_unstable_by_key(Live::order);
    }

    /// Adds what `other` found reading other bindings (on another core).
    pub fn merge(&mut self, mut other: Auditor) {
        self.findings.append(&mut other.findings);
        self.merged.push(other.live);
        self.merged.append(&mut other.merged);
        if let (Some(accounts), Some(mut more)) = (&mut self.accounts, other.accounts) {
            accounts.0.append(&mut more.0);
        }
    }

    /// The findings, most severe first, then by binding id (with the
    /// accounts kept). Call [`settle`](Auditor::settle) first.
    pub fn finish(mut self) -> Audited {
        self.findings
            .sort_unstable_by_key(|f| (f.kind.severity(), f.kind, f.binding));
        let mut accounts = self.accounts.unwrap_or_default();
        accounts.0.sort_unstable_by_key(|(id, _)| *id);
        Audited {
            findings: self.findings,
            accounts,
        }
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
            auditor.check(&binding.view());
        }
        auditor.settle(status);
        auditor.finish().findings
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
    fn every_kinds_severity_is_listed_in_order() {
        // Reports name severities from this list, looked up once.
        for kind in FindingKind::ALL {
            assert!(Severity::ALL.contains(&kind.severity()), "{kind:?}");
        }
        assert!(Severity::ALL.is_sorted(), "most severe first");
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

    /// The audit of `bindings` cut at each of `cuts`, each part read by an
    /// auditor of its own (keeping accounts), merged as the cores' are.
    fn audit_in_parts(bindings: &[Binding], cuts: &[usize], settings: AuditSettings) -> Audited {
        let mut edges = vec![0];
        edges.extend_from_slice(cuts);
        edges.push(bindings.len());
        let mut parts = edges.windows(2).map(|edge| {
            let mut auditor = Auditor::new(settings).keeping_accounts();
            for binding in &bindings[edge[0]..edge[1]] {
                auditor.check(&binding.view());
            }
            // Each part's employees checked on its own core.
            auditor.check_employees(status);
            auditor
        });
        let mut whole = parts.next().expect("a first part");
        // Later parts merged in any order (the cores end when they end).
        for part in parts.rev() {
            whole.merge(part);
        }
        whole.find_duplicates();
        whole.finish()
    }

    #[test]
    fn an_audit_read_in_parts_finds_what_one_pass_finds_and_names_the_first_holder() {
        let settings = AuditSettings::new(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        let mut bindings = fixture();
        // A third holder of o-fine, read in yet another part.
        bindings.push(binding(10, 6, "o-fine", Some(day(11, 20))));
        let whole = audit_bindings(&bindings, status, settings);
        for cuts in [vec![], vec![1], vec![3, 7], vec![2, 5, 9]] {
            let parts = audit_in_parts(&bindings, &cuts, settings);
            assert_eq!(parts.findings, whole, "cut at {cuts:?}");
        }
        let twice: Vec<(u64, Option<BindingId>)> = whole
            .iter()
            .filter(|f| f.kind == FindingKind::DuplicateExternalId)
            .map(|f| (f.binding.0, f.other))
            .collect();
        assert_eq!(twice, [(5, Some(BindingId(1))), (10, Some(BindingId(1)))]);
        // The accounts of what the bindings show were kept as read, masked;
        // what the statuses show (2, 3) and the second holders are not.
        let parts = audit_in_parts(&bindings, &[3, 7], settings);
        assert_eq!(parts.accounts.get(BindingId(6)), Some("o****d"));
        assert_eq!(
            parts.accounts.get(BindingId(7)).map(str::to_string),
            Some(mask_external_id("o-never"))
        );
        for unnamed in [1, 2, 3, 5, 10] {
            assert_eq!(parts.accounts.get(BindingId(unnamed)), None, "B{unnamed}");
        }
    }

    #[test]
    fn accounts_added_later_are_masked_and_found_by_id() {
        let mut accounts = MaskedAccounts::default();
        accounts.add_all([
            (BindingId(9), "o6_Wabcdefgh12Xk3"),
            (BindingId(2), "ding-user-1"),
            (BindingId(9), "o6_Wabcdefgh12Xk3"),
        ]);
        assert_eq!(accounts.get(BindingId(9)), Some("o6_W****Xk3"));
        assert_eq!(
            accounts.get(BindingId(2)).map(str::to_string),
            Some(mask_external_id("ding-user-1"))
        );
        assert_eq!(accounts.get(BindingId(5)), None);
    }
}
