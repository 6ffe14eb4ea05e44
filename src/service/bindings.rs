//! Employees' third-party account bindings as an operator works on them:
//! binding an account (refused while anyone, departed or not, holds it),
//! the two-step unbinding (a request with a confirmation code, then the
//! employee's confirmation; or a cancel, a forced unbinding of a departed
//! employee's account, an expiry once overdue), the monthly audit and its
//! record, revealing an account id, and the departure hook. Only hr and
//! admin may see or change bindings; a refused attempt is itself logged.
//! Every change writes its audit entry in its own transaction.

use std::ops::{ControlFlow, RangeInclusive};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::revisions::changed_since_read;
use super::staff::DepartureHook;
use super::{OpError, Progress, Session, Stop};
use crate::domain::audit::AuditRecord;
use crate::domain::binding::audit::{
    AuditRun, AuditSettings, Audited, Auditor, Finding, FindingKind, MaskedAccounts, counts,
};
use crate::domain::binding::notice::UnbindNotice;
use crate::domain::binding::{
    Binding, BindingError, BindingId, BindingState, BindingView, Channel, Provider, UnbindHow,
    UnbindReason, mask_external_id,
};
use crate::domain::change::EntityKey;
use crate::domain::department::DepartmentTree;
use crate::domain::employee::{Employee, EmployeeId, Status};
use crate::domain::roster::{People, Roster};
use crate::service::access::Permission;
use crate::store::{RuleReads, StoreError, Writer};

/// A new binding as a form or a provider's export gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBinding {
    pub employee: EmployeeId,
    pub provider: Provider,
    pub external_id: String,
    pub bound_at: DateTime<Utc>,
    pub last_used: Option<DateTime<Utc>>,
    /// How it was bound (`qr`, `import`, …).
    pub method: String,
}

/// A binding with the employee it belongs to, as lists show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindingRow {
    pub binding: Binding,
    /// None when the employee no longer exists.
    pub employee: Option<Employee>,
    /// A pending request's notice as sent so far (None: not sent yet).
    pub notice: Option<UnbindNotice>,
}

impl BindingRow {
    /// Live, and its employee departed or gone: a critical finding.
    pub fn is_critical(&self) -> bool {
        self.binding.state.is_live()
            && self
                .employee
                .as_ref()
                .is_none_or(|e| e.status == Status::Departed)
    }
}

/// One audit: what it found and the run as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditReport {
    pub findings: Vec<Finding>,
    pub run: AuditRun,
}

/// An audit with what its report names: the people (see [`People`]) and
/// the masked account of each binding found wanting.
#[derive(Debug)]
pub struct ToldAudit {
    pub report: AuditReport,
    pub people: Roster,
    pub accounts: MaskedAccounts,
}

/// Ids a share of the audit's scan holds: small enough for the two cores
/// to end together, large enough that each share's transaction is nothing.
const IDS_PER_SHARE: u64 = 65_536;

/// A range of ids cut into shares of `per_share` ids, taken in turn by
/// whichever core asks first.
struct IdShares {
    ids: Option<RangeInclusive<BindingId>>,
    per_share: u64,
    taken: AtomicU64,
}

impl IdShares {
    fn new(ids: Option<RangeInclusive<BindingId>>, per_share: u64) -> Self {
        IdShares {
            ids,
            per_share: per_share.max(1),
            taken: AtomicU64::new(0),
        }
    }

    /// The next share, none once every id was handed out.
    fn take(&self) -> Option<RangeInclusive<BindingId>> {
        let ids = self.ids.as_ref()?;
        let share = self.taken.fetch_add(1, Ordering::Relaxed);
        let first = share
            .checked_mul(self.per_share)
            .and_then(|offset| ids.start().0.checked_add(offset))
            .filter(|first| *first <= ids.end().0)?;
        let last = first.saturating_add(self.per_share - 1).min(ids.end().0);
        Some(BindingId(first)..=BindingId(last))
    }
}

/// A binding as one audit-log line (the account masked).
pub(super) fn summary(binding: &Binding) -> String {
    let mut text = format!(
        "employee={} provider={} account={} state={}",
        binding.employee,
        binding.provider.code(),
        mask_external_id(&binding.external_id),
        binding.state.code()
    );
    match &binding.state {
        BindingState::Active => {}
        BindingState::PendingUnbind { reason, .. } => {
            text.push_str(&format!(" reason={}", reason.code()));
        }
        BindingState::Unbound { reason, how, .. } => {
            text.push_str(&format!(" reason={} how={}", reason.code(), how.code()));
            if let Some(channel) = how.channel() {
                text.push_str(&format!(
                    " on_behalf_of_employee channel={}",
                    channel.code()
                ));
            }
        }
    }
    text
}

/// A binding's last use as one audit-log line.
pub(super) fn last_use(binding: &Binding) -> String {
    let used = binding
        .last_used
        .map_or_else(|| "-".to_string(), |at| at.to_rfc3339());
    format!(
        "account={} last_used={used}",
        mask_external_id(&binding.external_id)
    )
}

/// Stores a binding after one step of its unbinding, with its audit entry.
fn record_step(
    writer: &mut Writer<'_>,
    action: &str,
    before: &Binding,
    after: &Binding,
) -> Result<(), StoreError> {
    record_change(writer, action, before, after, summary)
}

/// Stores a changed binding with its audit entry, `describe` telling the
/// binding before and after.
pub(super) fn record_change(
    writer: &mut Writer<'_>,
    action: &str,
    before: &Binding,
    after: &Binding,
    describe: fn(&Binding) -> String,
) -> Result<(), StoreError> {
    writer.update_bindings(std::slice::from_ref(after))?;
    writer.audit(
        AuditRecord::new(action, "binding", after.id)
            .before(describe(before))
            .after(describe(after)),
    )?;
    Ok(())
}

/// Stores changed bindings (`before`, `after`), each with its audit entry
/// under `action` (`describe` tells a binding as the entry shows it);
/// how many. Refused whole if any binding is no longer as `before`
/// (another session took a step on it since the sheet was checked: run
/// the import again).
pub(super) fn write_changes(
    w: &mut Writer<'_>,
    action: &str,
    changes: &[(Binding, Binding)],
    describe: fn(&Binding) -> String,
) -> Result<usize, OpError> {
    for (before, after) in changes {
        if w.binding(before.id)?.as_ref() != Some(before) {
            return Err(changed_since_read(w, &EntityKey::Binding(before.id))?);
        }
        record_change(w, action, before, after, describe)?;
    }
    Ok(changes.len())
}

/// Puts a departed employee's active bindings into pending unbind (reason:
/// departure), inside the departure's transaction; they stay critical
/// audit findings until unbound.
pub struct UnbindOnDeparture;

impl DepartureHook for UnbindOnDeparture {
    fn on_departure(
        &self,
        writer: &mut Writer<'_>,
        employee: &Employee,
        _date: NaiveDate,
    ) -> Result<(), StoreError> {
        let (by, at) = (writer.operator().to_string(), writer.at());
        for binding in writer.bindings_of(employee.id)? {
            let code = writer.new_code(binding.id)?;
            let mut pending = binding.clone();
            // Only an active binding accepts the request; the others are left as they are.
            if pending
                .request_unbind(UnbindReason::Departure, &code, &by, at)
                .is_ok()
            {
                record_step(writer, "binding.request_unbind", &binding, &pending)?;
            }
        }
        Ok(())
    }
}

impl Session {
    /// Ok when the operator holds `permission`; otherwise the refusal,
    /// after logging the attempt at `action`.
    pub(super) fn require_logged(
        &self,
        permission: Permission,
        action: &str,
    ) -> Result<(), OpError> {
        let Err(denied) = self.require(permission) else {
            return Ok(());
        };
        self.write(|w| {
            w.audit(
                AuditRecord::new("access.denied", "operator", &self.operator().user)
                    .after(format!("action={action} role={}", denied.role)),
            )
        })?;
        Err(denied.into())
    }

    /// Ok when the operator may change bindings; otherwise the refusal,
    /// after logging the attempt at `action` (a command checks this before
    /// it reads its input).
    pub fn may_edit_bindings(&self, action: &str) -> Result<(), OpError> {
        self.require_logged(Permission::EditBindings, action)
    }

    /// How many bindings there are (what opening the pane checks first).
    pub fn binding_count(&self) -> Result<u64, OpError> {
        self.require_logged(Permission::ViewBindings, "binding.view")?;
        Ok(self.store().binding_count()?)
    }

    /// One screenful of bindings in id order (see [`crate::store::Store::binding_window`]).
    pub fn binding_window(
        &self,
        after: Option<BindingId>,
        limit: usize,
        backwards: bool,
    ) -> Result<Vec<BindingRow>, OpError> {
        self.require_logged(Permission::ViewBindings, "binding.view")?;
        let bindings = self.store().binding_window(after, limit, backwards)?;
        self.with_employees(bindings)
    }

    /// The bindings with these ids, with their employees.
    pub fn binding_rows(&self, ids: &[BindingId]) -> Result<Vec<BindingRow>, OpError> {
        self.require_logged(Permission::ViewBindings, "binding.view")?;
        let bindings = self.store().bindings_by_id(ids)?;
        self.with_employees(bindings)
    }

    fn with_employees(&self, bindings: Vec<Binding>) -> Result<Vec<BindingRow>, OpError> {
        Ok(self
            .store()
            .with_people(bindings)?
            .into_iter()
            .map(|(binding, employee, notice)| BindingRow {
                binding,
                employee,
                notice,
            })
            .collect())
    }

    /// Every binding read in place, by id (for lists, filters and exports).
    pub fn each_binding(&self, visit: impl FnMut(BindingView<'_>)) -> Result<(), OpError> {
        self.require_logged(Permission::ViewBindings, "binding.view")?;
        Ok(self.store().each_binding(visit)?)
    }

    /// The export of every binding: the export is written to the audit
    /// log first (how many bindings, masked or not), then each binding
    /// whole, its history included, is handed to `visit` by id with its
    /// employee's number and name (of the people the operator may see),
    /// until `visit` breaks. Nothing is held but the staff's numbers and
    /// names.
    pub fn export_bindings(
        &self,
        revealed: bool,
        mut visit: impl FnMut(Binding, Option<(&str, &str)>) -> ControlFlow<()>,
    ) -> Result<(), OpError> {
        self.log_binding_export(self.store().binding_count()?, revealed)?;
        let people = self.visible_roster()?;
        Ok(self.store().each_binding_record(|binding| {
            let person = people.who(binding.employee);
            visit(binding, person)
        })?)
    }

    /// `employee`'s bindings, by id.
    pub fn bindings_of(&self, employee: EmployeeId) -> Result<Vec<Binding>, OpError> {
        self.require_logged(Permission::ViewBindings, "binding.view")?;
        Ok(self.store().bindings_of(employee)?)
    }

    /// The ids of every binding waiting for its employee's confirmation.
    pub fn pending_binding_ids(&self) -> Result<Vec<BindingId>, OpError> {
        self.require_logged(Permission::ViewBindings, "binding.view")?;
        Ok(self.store().pending_binding_ids()?)
    }

    /// The latest audit run, if any.
    pub fn last_binding_audit(&self) -> Result<Option<AuditRun>, OpError> {
        self.require_logged(Permission::ViewBindings, "binding.view")?;
        Ok(self.store().last_audit_run()?)
    }

    fn stored_binding(&self, id: BindingId) -> Result<Binding, OpError> {
        self.store()
            .binding(id)?
            .ok_or_else(|| BindingError::Unknown(id).into())
    }

    /// Refuses a binding that cannot be made: an empty account id, a
    /// departed or unknown employee, a provider the employee has a live
    /// binding with, an account held by anyone (named).
    pub fn check_new_binding(&self, new: &NewBinding) -> Result<(), OpError> {
        if new.external_id.is_empty() || new.external_id.chars().any(char::is_whitespace) {
            return Err(BindingError::BadExternalId.into());
        }
        let employee = self
            .store()
            .employee(new.employee)?
            .ok_or(StoreError::NotFound {
                entity: "employee",
                id: new.employee.to_string(),
            })?;
        if employee.status == Status::Departed {
            let employee = format!("{} ({})", employee.name, employee.emp_no);
            return Err(BindingError::Departed { employee }.into());
        }
        let live = self
            .store()
            .bindings_of(new.employee)?
            .into_iter()
            .find(|b| b.provider == new.provider && b.state.is_live());
        if let Some(live) = live {
            return Err(BindingError::AlreadyBound { binding: live.id }.into());
        }
        if let Some(holder) = self
            .store()
            .binding_holding(new.provider, &new.external_id)?
        {
            let held = self.stored_binding(holder)?;
            let holder = format!("{holder} · {}", self.who(held.employee)?);
            return Err(BindingError::Taken { holder }.into());
        }
        Ok(())
    }

    /// Binds an employee's account.
    pub fn bind(&self, new: NewBinding) -> Result<Binding, OpError> {
        self.require_logged(Permission::EditBindings, "binding.add")?;
        self.check_new_binding(&new)?;
        Ok(self.record_bindings(std::slice::from_ref(&new))?.remove(0))
    }

    /// Stores checked bindings in one transaction, each with its audit
    /// entry. What another session may have changed since the checks is
    /// checked again inside it: the employee has not departed and has no
    /// live account with the provider (an account bound twice is refused by
    /// the store's index).
    pub(super) fn record_bindings(&self, news: &[NewBinding]) -> Result<Vec<Binding>, OpError> {
        let bindings: Vec<Binding> = news
            .iter()
            .map(|new| Binding {
                id: BindingId(0),
                employee: new.employee,
                provider: new.provider,
                external_id: new.external_id.clone(),
                bound_at: new.bound_at,
                last_used: new.last_used,
                method: new.method.clone(),
                state: BindingState::Active,
                history: Vec::new(),
            })
            .collect();
        self.write_checked(|w| {
            for new in news {
                if let Some(employee) = w.employee(new.employee)?
                    && employee.status == Status::Departed
                {
                    let employee = format!("{} ({})", employee.name, employee.emp_no);
                    return Err(BindingError::Departed { employee }.into());
                }
                let live = w
                    .bindings_of(new.employee)?
                    .into_iter()
                    .find(|b| b.provider == new.provider && b.state.is_live());
                if let Some(live) = live {
                    return Err(BindingError::AlreadyBound { binding: live.id }.into());
                }
            }
            let stored = w.add_bindings(&bindings)?;
            for binding in &stored {
                w.audit(
                    AuditRecord::new("binding.add", "binding", binding.id).after(format!(
                        "{} method={}",
                        summary(binding),
                        binding.method
                    )),
                )?;
            }
            Ok(stored)
        })
    }

    /// One step of a binding's unbinding, taken on the binding as the
    /// write transaction sees it (two people acting on one binding at once:
    /// the second is told what the first did). `change` may read through
    /// the writer for its own checks, and gets who acts and when.
    fn step(
        &self,
        action: &str,
        find: impl FnOnce(&Writer<'_>) -> Result<Binding, OpError>,
        change: impl FnOnce(&Writer<'_>, &mut Binding, &str, DateTime<Utc>) -> Result<(), OpError>,
    ) -> Result<Binding, OpError> {
        let user = self.operator().user.clone();
        self.write_checked(|w| {
            let binding = find(w)?;
            let mut after = binding.clone();
            change(w, &mut after, &user, w.at())?;
            record_step(w, action, &binding, &after)?;
            Ok(after)
        })
    }

    /// The binding with `id`, inside a write.
    fn stored_in(w: &Writer<'_>, id: BindingId) -> Result<Binding, OpError> {
        w.binding(id)?
            .ok_or_else(|| BindingError::Unknown(id).into())
    }

    /// Asks for a binding to be undone; the request waits for the
    /// employee's confirmation with the code it carries.
    pub fn request_unbind(&self, id: BindingId, reason: UnbindReason) -> Result<Binding, OpError> {
        self.require_logged(Permission::EditBindings, "binding.request_unbind")?;
        self.step(
            "binding.request_unbind",
            |w| Self::stored_in(w, id),
            |w, b, by, at| {
                let code = w.new_code(id)?;
                Ok(b.request_unbind(reason, &code, by, at)?)
            },
        )
    }

    /// The employee gave their code to an operator through `channel`:
    /// the operator enters it on their behalf and the request with that
    /// code is unbound. Refused to the operator who made the request.
    pub fn confirm_unbind(&self, code: &str, channel: Channel) -> Result<Binding, OpError> {
        self.require_logged(Permission::EditBindings, "binding.confirm")?;
        let code = code.trim().to_uppercase();
        self.step(
            "binding.confirm",
            |w| {
                w.binding_pending_with(&code)?
                    .ok_or_else(|| BindingError::UnknownCode(code.clone()).into())
            },
            |_, b, by, at| Ok(b.confirm(&code, UnbindHow::OnBehalf(channel), by, at)?),
        )
    }

    /// Withdraws a pending request: the binding is active again.
    pub fn cancel_unbind(&self, id: BindingId) -> Result<Binding, OpError> {
        self.require_logged(Permission::EditBindings, "binding.cancel")?;
        self.step(
            "binding.cancel",
            |w| Self::stored_in(w, id),
            |_, b, by, at| Ok(b.cancel(by, at)?),
        )
    }

    /// Unbinds at once the account of an employee who has left (or is no
    /// longer on file): nobody waits for a departed person's confirmation.
    pub fn force_unbind(&self, id: BindingId, reason: UnbindReason) -> Result<Binding, OpError> {
        self.require_logged(Permission::EditBindings, "binding.force")?;
        self.step(
            "binding.force",
            |w| Self::stored_in(w, id),
            |w, b, by, at| {
                if let Some(employee) = w.employee(b.employee)?
                    && employee.status != Status::Departed
                {
                    let employee = format!("{} ({})", employee.name, employee.emp_no);
                    return Err(BindingError::NotDeparted { employee }.into());
                }
                Ok(b.force(reason, by, at)?)
            },
        )
    }

    /// Ends a request that waited longer than `pending_days` for its confirmation.
    pub fn expire_unbind(&self, id: BindingId, pending_days: u32) -> Result<Binding, OpError> {
        self.require_logged(Permission::EditBindings, "binding.expire")?;
        self.step(
            "binding.expire",
            |w| Self::stored_in(w, id),
            |_, b, by, at| {
                if let BindingState::PendingUnbind { requested_at, .. } = &b.state
                    && at - *requested_at <= Duration::days(i64::from(pending_days))
                {
                    return Err(BindingError::NotOverdue { days: pending_days }.into());
                }
                Ok(b.expire(by, at)?)
            },
        )
    }

    /// Audits every binding against the staff and records the run.
    pub fn audit_bindings(&self, settings: AuditSettings) -> Result<AuditReport, OpError> {
        self.audit_bindings_with(settings, &Progress::new())
    }

    /// [`Session::audit_bindings`] counting the bindings looked at on
    /// `progress` (their number not known ahead), and stopping with
    /// [`OpError::Cancelled`] before the run is recorded once it is cancelled.
    pub fn audit_bindings_with(
        &self,
        settings: AuditSettings,
        progress: &Progress,
    ) -> Result<AuditReport, OpError> {
        Ok(self.audit_run(settings, false, progress)?.report)
    }

    /// [`Session::audit_bindings`] with what a report of it names: each
    /// person's number and name, each finding's account masked (a report
    /// of a million findings reads nothing more for them).
    pub fn audit_bindings_told(&self, settings: AuditSettings) -> Result<ToldAudit, OpError> {
        let mut told = self.audit_run(settings, true, &Progress::new())?;
        // Those found by their employee's status or a second holder were
        // not kept as read.
        let unnamed: Vec<BindingId> = told
            .report
            .findings
            .iter()
            .map(|f| f.binding)
            .filter(|id| told.accounts.get(*id).is_none())
            .collect();
        let bindings = self.store().bindings_by_id(&unnamed)?;
        told.accounts
            .add_all(bindings.iter().map(|b| (b.id, b.external_id.as_str())));
        Ok(told)
    }

    /// The audit on both cores: the bindings cut into shares of ids, each
    /// share checked by whichever core is free, one of them reading the
    /// staff first; then each live binding's employee looked up. The run
    /// is recorded.
    fn audit_run(
        &self,
        settings: AuditSettings,
        keep_accounts: bool,
        progress: &Progress,
    ) -> Result<ToldAudit, OpError> {
        self.require_logged(Permission::ViewBindings, "binding.audit")?;
        progress.start(0);
        let auditor = || match keep_accounts {
            true => Auditor::new(settings).keeping_accounts(),
            false => Auditor::new(settings),
        };
        let mut people = Roster::new(DepartmentTree::new(self.store().departments()?));
        let shares = IdShares::new(self.store().binding_ids()?, IDS_PER_SHARE);
        let store = self.store();
        let audit_shares = |mut auditor: Auditor| -> Result<Auditor, StoreError> {
            let mut read = progress.counter();
            while let Some(ids) = shares.take().filter(|_| !progress.is_cancelled()) {
                store.each_binding_in(ids, |binding| {
                    read.add(1);
                    auditor.check(&binding);
                })?;
            }
            auditor.sort_live();
            Ok(auditor)
        };
        let (theirs, mine) = crate::cores::both(
            || audit_shares(auditor()),
            || {
                store
                    .employees_until(|person| {
                        people.add(person);
                        ControlFlow::Continue(())
                    })
                    .and_then(|()| audit_shares(auditor()))
            },
        );
        let (mut theirs, mut auditor) = (theirs?, mine?);
        progress.check()?;
        // Each core checks the employees of the bindings it read.
        let status = |employee| people.standing(employee).map(|(status, _)| status);
        crate::cores::both(
            || theirs.check_employees(status),
            || auditor.check_employees(status),
        );
        auditor.merge(theirs);
        auditor.find_duplicates();
        let Audited { findings, accounts } = auditor.finish();
        let run = AuditRun {
            by: self.operator().user.clone(),
            at: self.now(),
            as_of: settings.as_of,
            counts: counts(&findings),
        };
        self.write(|w| {
            w.add_audit_run(&run)?;
            let counted: Vec<String> = FindingKind::ALL
                .iter()
                .zip(run.counts)
                .map(|(kind, n)| format!("{}={n}", kind.code()))
                .collect();
            w.audit(
                AuditRecord::new("binding.audit", "binding", "*").after(format!(
                    "as_of={} stale_days={} pending_days={} {}",
                    settings.as_of,
                    settings.stale_days,
                    settings.pending_days,
                    counted.join(" ")
                )),
            )
        })?;
        Ok(ToldAudit {
            report: AuditReport { findings, run },
            people,
            accounts,
        })
    }

    /// Unbinds, in one transaction, every binding of a departed employee
    /// among `findings` that is still live and whose employee is still
    /// departed (or gone); returns how many were unbound.
    pub fn unbind_departed(&self, findings: &[Finding]) -> Result<usize, OpError> {
        self.require_logged(Permission::EditBindings, "binding.force")?;
        self.write_or_stop(|w| {
            let (by, at) = (w.operator().to_string(), w.at());
            let mut unbound = 0;
            for finding in findings
                .iter()
                .filter(|f| f.kind == FindingKind::DepartedEmployee)
            {
                // As the transaction sees it: someone may have acted meanwhile.
                let binding = Self::stored_in(w, finding.binding)?;
                let departed = w
                    .employee(binding.employee)?
                    .is_none_or(|e| e.status == Status::Departed);
                let mut forced = binding.clone();
                if departed
                    && binding.state.is_live()
                    && forced.force(UnbindReason::Departure, &by, at).is_ok()
                {
                    record_step(w, "binding.force", &binding, &forced)?;
                    unbound += 1;
                }
            }
            if unbound == 0 {
                return Err(Stop::Answer(0));
            }
            Ok(unbound)
        })
    }

    /// A binding's external account id unmasked (admin only; logged).
    pub fn reveal_external_id(&self, id: BindingId) -> Result<String, OpError> {
        self.require_logged(Permission::RevealBindings, "binding.reveal")?;
        let binding = self.stored_binding(id)?;
        self.write(|w| {
            w.audit(
                AuditRecord::new("binding.reveal", "binding", id).after(format!(
                    "account={}",
                    mask_external_id(&binding.external_id)
                )),
            )
        })?;
        Ok(binding.external_id)
    }

    /// Writes to the audit log that the operator copied binding `id`'s
    /// unmasked account id to the clipboard (which account, not its id:
    /// the log never holds it). Only who may unmask it may copy it.
    pub fn log_copied_account(&self, id: BindingId) -> Result<(), OpError> {
        self.require_logged(Permission::RevealBindings, "binding.copy")?;
        self.stored_binding(id)?;
        self.write(|w| {
            w.audit(AuditRecord::new("binding.copy", "binding", id).after("copied=account"))
        })?;
        Ok(())
    }

    /// Checks that bindings may be exported (unmasked only by an admin)
    /// and logs the export of `rows` of them.
    fn log_binding_export(&self, rows: u64, revealed: bool) -> Result<(), OpError> {
        let (permission, action) = if revealed {
            (Permission::RevealBindings, "binding.export_revealed")
        } else {
            (Permission::ViewBindings, "binding.export")
        };
        self.require_logged(permission, action)?;
        self.write(|w| {
            w.audit(
                AuditRecord::new(action, "binding", "*")
                    .after(format!("rows={rows} unmasked={revealed}")),
            )
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_shares(ids: Option<RangeInclusive<BindingId>>, per_share: u64) -> Vec<(u64, u64)> {
        let shares = IdShares::new(ids, per_share);
        std::iter::from_fn(|| shares.take())
            .map(|share| (share.start().0, share.end().0))
            .collect()
    }

    #[test]
    fn shares_cover_every_id_once_in_order_and_end() {
        assert_eq!(
            all_shares(Some(BindingId(3)..=BindingId(10)), 3),
            [(3, 5), (6, 8), (9, 10)]
        );
        assert_eq!(all_shares(Some(BindingId(7)..=BindingId(7)), 3), [(7, 7)]);
        assert_eq!(all_shares(None, 3), []);
        let top = u64::MAX;
        assert_eq!(
            all_shares(Some(BindingId(top - 4)..=BindingId(top)), 2),
            [(top - 4, top - 3), (top - 2, top - 1), (top, top)],
            "the last ids there are end too"
        );
    }
}
