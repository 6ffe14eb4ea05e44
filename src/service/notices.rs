//! The outbox of unbinding notices: each pending request's code goes to
//! the employee through the provider integration (or a letter), never to
//! the operator who asked. Only an admin (the service account's cron job
//! among them) lists the outbox and marks notices sent; a notice goes out
//! once, and again only when a resend is asked for. An admin's own
//! requests are withheld from them (a colleague or the job sends those).
//! In the console only an admin sees a pending request's code, never the
//! requester, and each look is logged as a reveal.

use chrono::{DateTime, Utc};

use super::{OpError, Session};
use crate::domain::audit::AuditRecord;
use crate::domain::binding::notice::{UnbindNotice, deadline};
use crate::domain::binding::{Binding, BindingError, BindingId, BindingState, mask_external_id};
use crate::domain::employee::Employee;
use crate::service::access::Permission;
use crate::store::{RuleReads, StoreError, Writer};

/// One notice to send: the request, its employee, its code and deadline,
/// and how often it went out before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxNotice {
    pub binding: Binding,
    /// None when the employee is no longer on file.
    pub employee: Option<Employee>,
    pub code: String,
    pub requested_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub times_sent: usize,
}

/// What the outbox holds for the operator: the notices to send, and how
/// many of their own requests were left for someone else to send.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outbox {
    pub notices: Vec<OutboxNotice>,
    pub withheld: usize,
}

/// How the log names a binding's employee (number and name).
fn holder(w: &Writer<'_>, binding: &Binding) -> Result<String, StoreError> {
    Ok(w.employee(binding.employee)?
        .map(|e| format!("{} {}", e.emp_no, e.name))
        .unwrap_or_default())
}

impl Session {
    /// The notices waiting to go out: every pending request whose notice
    /// has not been sent (with `resend`, those sent already too), oldest
    /// request first; the deadline is `pending_days` after the request.
    pub fn unbind_outbox(&self, resend: bool, pending_days: u32) -> Result<Outbox, OpError> {
        self.require_logged(Permission::SendUnbindNotices, "binding.notices")?;
        let me = self.operator().user.as_str();
        let mut outbox = Outbox::default();
        for id in self.store().pending_binding_ids()? {
            let Some(binding) = self.store().binding(id)? else {
                continue;
            };
            let BindingState::PendingUnbind {
                requested_by,
                requested_at,
                code,
                ..
            } = &binding.state
            else {
                continue;
            };
            let times_sent = self
                .store()
                .unbind_notice(&binding)?
                .map_or(0, |n| n.sendings.len());
            if times_sent > 0 && !resend {
                continue;
            }
            if requested_by == me {
                outbox.withheld += 1;
                continue;
            }
            outbox.notices.push(OutboxNotice {
                employee: self.store().employee(binding.employee)?,
                code: code.clone(),
                requested_at: *requested_at,
                deadline: deadline(*requested_at, pending_days),
                times_sent,
                binding,
            });
        }
        outbox
            .notices
            .sort_by_key(|n| (n.requested_at, n.binding.id));
        Ok(outbox)
    }

    /// Marks `notices` sent (after they were handed over), in one
    /// transaction, each logged without its code; a request confirmed or
    /// withdrawn meanwhile is left alone. Returns how many were marked.
    pub fn mark_notices_sent(&self, notices: &[OutboxNotice]) -> Result<usize, OpError> {
        self.require_logged(Permission::SendUnbindNotices, "binding.notices")?;
        if notices.is_empty() {
            return Ok(0);
        }
        self.write_checked(|w| {
            let (by, at) = (w.operator().to_string(), w.at());
            let mut marked = 0;
            for sent in notices {
                let Some(binding) = w.binding(sent.binding.id)? else {
                    continue;
                };
                if binding != sent.binding {
                    continue;
                }
                let mut notice = w
                    .unbind_notice(&binding)?
                    .unwrap_or_else(|| UnbindNotice::unsent(&binding));
                notice.send(&by, at);
                w.put_unbind_notice(&binding, &notice)?;
                let holder = holder(w, &binding)?;
                w.audit(
                    AuditRecord::new("binding.notice_sent", "binding", binding.id)
                        .before(format!("sent={}", notice.sendings.len() - 1))
                        .after(format!(
                            "employee={holder} provider={} account={} deadline={} sent={}",
                            binding.provider.code(),
                            mask_external_id(&binding.external_id),
                            sent.deadline.date_naive(),
                            notice.sendings.len()
                        )),
                )?;
                marked += 1;
            }
            if marked == 0 {
                // Nothing left to mark: say so in the log, as every write does.
                w.audit(AuditRecord::new("binding.notice_sent", "binding", "*").after("sent=0"))?;
            }
            Ok(marked)
        })
    }

    /// The notice of `binding`'s current request as sent so far.
    pub fn unbind_notice(&self, binding: &Binding) -> Result<Option<UnbindNotice>, OpError> {
        self.require_logged(Permission::ViewBindings, "binding.view")?;
        Ok(self.store().unbind_notice(binding)?)
    }

    /// A pending request's code, for an admin who is not its requester
    /// (logged as a reveal, without the code).
    pub fn reveal_code(&self, id: BindingId) -> Result<String, OpError> {
        self.require_logged(Permission::SendUnbindNotices, "binding.reveal_code")?;
        let binding = self.store().binding(id)?.ok_or(BindingError::Unknown(id))?;
        let BindingState::PendingUnbind {
            requested_by, code, ..
        } = &binding.state
        else {
            return Err(BindingError::NotPending.into());
        };
        if *requested_by == self.operator().user {
            return Err(BindingError::OwnRequest { binding: id }.into());
        }
        self.write(|w| {
            let holder = holder(w, &binding)?;
            w.audit(
                AuditRecord::new("binding.reveal_code", "binding", id).after(format!(
                    "employee={holder} account={} requested_by={requested_by}",
                    mask_external_id(&binding.external_id)
                )),
            )
        })?;
        Ok(code.clone())
    }
}
