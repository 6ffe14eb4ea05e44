//! The outbox of unbinding notices: each pending request's code goes to
//! the employee, never to the operator who asked. A request is in the
//! outbox until its notice is sent (by the provider integration or a
//! letter, through `hrdesk export unbind-notices`); a notice is sent once,
//! again only when asked to resend. What is kept per request is when it
//! was sent, by whom, and whether as a resend; the code itself stays with
//! the binding. A request is identified by its binding and the number of
//! steps in the binding's history when it was made (a renewed code is a
//! new step, so it needs a new notice).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{Binding, BindingId, BindingState};

/// One sending of a notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sending {
    pub at: DateTime<Utc>,
    pub by: String,
    pub resend: bool,
}

/// The notice of one pending request's code, as sent so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnbindNotice {
    pub binding: BindingId,
    /// The binding's history length once the request (or its renewed
    /// code) was made.
    pub step: u32,
    pub sendings: Vec<Sending>,
}

/// The key of the notice of `binding`'s current request: its id in the
/// high half, its history length in the low.
pub fn notice_key(binding: &Binding) -> u128 {
    (u128::from(binding.id.0) << 64) | u128::from(step_of(binding))
}

/// The binding's history length, as a notice records it.
fn step_of(binding: &Binding) -> u32 {
    u32::try_from(binding.history.len()).unwrap_or(u32::MAX)
}

impl UnbindNotice {
    /// A notice of `binding`'s current request, not sent yet.
    pub fn unsent(binding: &Binding) -> Self {
        UnbindNotice {
            binding: binding.id,
            step: step_of(binding),
            sendings: Vec::new(),
        }
    }

    /// Whether this notice is of `binding`'s current pending request.
    pub fn is_current(&self, binding: &Binding) -> bool {
        self.binding == binding.id
            && self.step == step_of(binding)
            && matches!(binding.state, BindingState::PendingUnbind { .. })
    }

    /// When it was last sent, if it was.
    pub fn last_sent(&self) -> Option<DateTime<Utc>> {
        self.sendings.last().map(|s| s.at)
    }

    /// Records a sending.
    pub fn send(&mut self, by: &str, at: DateTime<Utc>) {
        let resend = !self.sendings.is_empty();
        self.sendings.push(Sending {
            at,
            by: by.to_string(),
            resend,
        });
    }
}

/// When a request made at `requested_at` runs out, `pending_days` later.
pub fn deadline(requested_at: DateTime<Utc>, pending_days: u32) -> DateTime<Utc> {
    requested_at + Duration::days(i64::from(pending_days))
}

/// Whole days a request is past its deadline at `now` (none before it).
pub fn days_overdue(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Option<i64> {
    (now > deadline).then(|| (now - deadline).num_days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::binding::UnbindReason;
    use crate::domain::binding::tests::{at, binding};

    fn pending() -> Binding {
        let mut b = Binding {
            id: BindingId(3),
            ..binding()
        };
        b.request_unbind(UnbindReason::AuditFinding, "CODE", "hr", at(2))
            .unwrap();
        b
    }

    #[test]
    fn a_notice_belongs_to_one_request_and_a_renewed_code_needs_another() {
        let mut b = pending();
        let mut notice = UnbindNotice::unsent(&b);
        assert!(notice.is_current(&b));
        assert_eq!(notice_key(&b), (3u128 << 64) | 1);
        notice.send("svc", at(2));
        notice.send("svc", at(4));
        assert_eq!(
            notice.sendings.iter().map(|s| s.resend).collect::<Vec<_>>(),
            [false, true]
        );
        assert_eq!(notice.last_sent(), Some(at(4)));
        b.renew_code("NEWCODE", "upgrade", at(5)).unwrap();
        assert!(!notice.is_current(&b), "the renewed code is not in it");
        assert_ne!(notice_key(&b), (3u128 << 64) | 1);
    }

    #[test]
    fn overdue_days_count_from_the_deadline() {
        let due = deadline(at(2), 14);
        assert_eq!(due, at(16));
        assert_eq!(days_overdue(due, at(10)), None);
        assert_eq!(days_overdue(due, at(16)), None);
        assert_eq!(days_overdue(due, at(23)), Some(7));
    }
}
