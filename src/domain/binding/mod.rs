//! Employees' third-party accounts (WeChat, WeCom, Alipay, DingTalk,
//! Feishu) and
//! their two-step unbinding: active → pending unbind (a reason and a
//! confirmation code) → unbound (confirmed by the employee, forced for a
//! departed employee, or expired), or the request is cancelled. A binding
//! is never deleted; every step stays in its history. The monthly audit is
//! in `audit.rs`, the outbox of notices carrying the codes to the
//! employees in `notice.rs`.
//!
//! Separation of duties: the code reaches only the employee (through the
//! outbox); an operator who enters a confirmation does so on the
//! employee's behalf, naming the channel, and never for their own request.

pub mod audit;
pub mod notice;

use std::fmt;

use chrono::serde::{ts_nanoseconds, ts_nanoseconds_option};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::employee::EmployeeId;
use crate::tr;

/// Identifies a binding; ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BindingId(pub u64);

impl fmt::Display for BindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "B{}", self.0)
    }
}

/// Where the account lives. Stored by variant index: a new provider is
/// appended, never inserted, so that files written before still read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Provider {
    WeChat,
    WeCom,
    Alipay,
    DingTalk,
    /// Feishu (飞书), Lark outside China.
    Feishu,
}

impl Provider {
    pub const ALL: [Provider; 5] = [
        Provider::WeChat,
        Provider::WeCom,
        Provider::Alipay,
        Provider::DingTalk,
        Provider::Feishu,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Provider::WeChat => "wechat",
            Provider::WeCom => "wecom",
            Provider::Alipay => "alipay",
            Provider::DingTalk => "dingtalk",
            Provider::Feishu => "feishu",
        }
    }

    pub fn label(self) -> String {
        match self {
            Provider::WeChat => tr!("binding.provider.wechat"),
            Provider::WeCom => tr!("binding.provider.wecom"),
            Provider::Alipay => tr!("binding.provider.alipay"),
            Provider::DingTalk => tr!("binding.provider.dingtalk"),
            Provider::Feishu => tr!("binding.provider.feishu"),
        }
    }

    /// Reads the code, the Chinese name (微信, 企业微信, 支付宝, 钉钉, 飞书)
    /// or another name a provider goes by (`lark` for Feishu).
    pub fn parse(text: &str) -> Option<Provider> {
        let text = text.trim();
        let names = [
            ("微信", Provider::WeChat),    // data: words read from input
            ("企业微信", Provider::WeCom), // data: words read from input
            ("支付宝", Provider::Alipay),  // data: words read from input
            ("钉钉", Provider::DingTalk),  // data: words read from input
            ("飞书", Provider::Feishu),    // data: words read from input
            ("lark", Provider::Feishu),
        ];
        Provider::ALL
            .into_iter()
            .find(|p| p.code().eq_ignore_ascii_case(text))
            .or_else(|| {
                names
                    .iter()
                    .find(|(w, _)| w.eq_ignore_ascii_case(text))
                    .map(|(_, p)| *p)
            })
    }
}

/// Why an unbinding was asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnbindReason {
    Departure,
    ChangedAccount,
    PrivacyRequest,
    AuditFinding,
}

impl UnbindReason {
    pub const ALL: [UnbindReason; 4] = [
        UnbindReason::Departure,
        UnbindReason::ChangedAccount,
        UnbindReason::PrivacyRequest,
        UnbindReason::AuditFinding,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UnbindReason::Departure => "departure",
            UnbindReason::ChangedAccount => "changed_account",
            UnbindReason::PrivacyRequest => "privacy_request",
            UnbindReason::AuditFinding => "audit_finding",
        }
    }

    pub fn label(self) -> String {
        match self {
            UnbindReason::Departure => tr!("binding.reason.departure"),
            UnbindReason::ChangedAccount => tr!("binding.reason.changed_account"),
            UnbindReason::PrivacyRequest => tr!("binding.reason.privacy_request"),
            UnbindReason::AuditFinding => tr!("binding.reason.audit_finding"),
        }
    }
}

/// How an operator heard an employee's confirmation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Phone,
    InPerson,
    Letter,
    Email,
    Chat,
}

impl Channel {
    pub const ALL: [Channel; 5] = [
        Channel::Phone,
        Channel::InPerson,
        Channel::Letter,
        Channel::Email,
        Channel::Chat,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::InPerson => "in_person",
            Channel::Letter => "letter",
            Channel::Email => "email",
            Channel::Chat => "chat",
        }
    }

    pub fn label(self) -> String {
        match self {
            Channel::Phone => tr!("binding.channel.phone"),
            Channel::InPerson => tr!("binding.channel.in_person"),
            Channel::Letter => tr!("binding.channel.letter"),
            Channel::Email => tr!("binding.channel.email"),
            Channel::Chat => tr!("binding.channel.chat"),
        }
    }

    /// Reads a channel's code (`in-person` as well as `in_person`).
    pub fn parse(text: &str) -> Option<Channel> {
        let text = text.trim().replace('-', "_");
        Channel::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(&text))
    }

    /// Every channel's code, for messages and help.
    pub fn codes() -> String {
        Channel::ALL.map(Channel::code).join(", ")
    }
}

/// How an unbinding ended. New variants go last: the stored form is the
/// variant's index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnbindHow {
    /// The employee confirmed with the request's code (through the
    /// provider's confirmations file).
    Confirmed,
    /// HR unbound at once (a departed employee).
    Forced,
    /// The request ran out.
    Expired,
    /// An operator entered the employee's code on their behalf, having
    /// heard it through `Channel`.
    OnBehalf(Channel),
}

impl UnbindHow {
    pub fn code(self) -> &'static str {
        match self {
            UnbindHow::Confirmed => "confirmed",
            UnbindHow::Forced => "forced",
            UnbindHow::Expired => "expired",
            UnbindHow::OnBehalf(_) => "on_behalf",
        }
    }

    pub fn label(self) -> String {
        match self {
            UnbindHow::Confirmed => tr!("binding.how.confirmed"),
            UnbindHow::Forced => tr!("binding.how.forced"),
            UnbindHow::Expired => tr!("binding.how.expired"),
            UnbindHow::OnBehalf(channel) => {
                tr!("binding.how.on_behalf", channel = channel.label())
            }
        }
    }

    /// The channel of a confirmation entered on the employee's behalf.
    pub fn channel(self) -> Option<Channel> {
        match self {
            UnbindHow::OnBehalf(channel) => Some(channel),
            _ => None,
        }
    }
}

/// Where a binding is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BindingState {
    Active,
    PendingUnbind {
        reason: UnbindReason,
        requested_by: String,
        #[serde(with = "ts_nanoseconds")]
        requested_at: DateTime<Utc>,
        /// What the employee sends back to confirm.
        code: String,
    },
    Unbound {
        reason: UnbindReason,
        how: UnbindHow,
        by: String,
        #[serde(with = "ts_nanoseconds")]
        at: DateTime<Utc>,
    },
}

impl BindingState {
    pub fn code(&self) -> &'static str {
        self.view().code()
    }

    pub fn label(&self) -> String {
        match self {
            BindingState::Active => tr!("binding.state.active"),
            BindingState::PendingUnbind { .. } => tr!("binding.state.pending"),
            BindingState::Unbound { .. } => tr!("binding.state.unbound"),
        }
    }

    /// Whether the account still reaches the company (active or pending).
    pub fn is_live(&self) -> bool {
        !matches!(self, BindingState::Unbound { .. })
    }
}

/// One step of a binding's history.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BindingStep {
    /// The state the binding went into.
    pub state: BindingState,
    pub by: String,
    #[serde(with = "ts_nanoseconds")]
    pub at: DateTime<Utc>,
}

/// An employee's account with a provider.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Binding {
    pub id: BindingId,
    pub employee: EmployeeId,
    pub provider: Provider,
    /// openid / unionid / userid: personal data, shown masked.
    pub external_id: String,
    #[serde(with = "ts_nanoseconds")]
    pub bound_at: DateTime<Utc>,
    #[serde(with = "ts_nanoseconds_option")]
    pub last_used: Option<DateTime<Utc>>,
    /// How it was bound (`qr`, `import`, …), as the source says.
    pub method: String,
    pub state: BindingState,
    /// Every state it has been in after the first, oldest first.
    pub history: Vec<BindingStep>,
}

/// A binding decoded in place from the store, its text borrowed and its
/// history left unread: what the audit and whole-store lists are built
/// from. The fields are those of [`Binding`], in the same order (the stored
/// layout), up to `state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct BindingView<'a> {
    pub id: BindingId,
    pub employee: EmployeeId,
    pub provider: Provider,
    pub external_id: &'a str,
    #[serde(with = "ts_nanoseconds")]
    pub bound_at: DateTime<Utc>,
    #[serde(with = "ts_nanoseconds_option")]
    pub last_used: Option<DateTime<Utc>>,
    pub method: &'a str,
    pub state: StateView<'a>,
}

/// [`BindingState`] with its text borrowed; the same variants in the same order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum StateView<'a> {
    Active,
    PendingUnbind {
        reason: UnbindReason,
        requested_by: &'a str,
        #[serde(with = "ts_nanoseconds")]
        requested_at: DateTime<Utc>,
        code: &'a str,
    },
    Unbound {
        reason: UnbindReason,
        how: UnbindHow,
        by: &'a str,
        #[serde(with = "ts_nanoseconds")]
        at: DateTime<Utc>,
    },
}

impl StateView<'_> {
    /// The state's code, as [`BindingState::code`] gives it.
    pub fn code(&self) -> &'static str {
        match self {
            StateView::Active => "active",
            StateView::PendingUnbind { .. } => "pending_unbind",
            StateView::Unbound { .. } => "unbound",
        }
    }

    /// Whether the account still reaches the company (active or pending).
    pub fn is_live(&self) -> bool {
        !matches!(self, StateView::Unbound { .. })
    }

    /// When the pending request was made, if one is pending.
    pub fn pending_since(&self) -> Option<DateTime<Utc>> {
        match self {
            StateView::PendingUnbind { requested_at, .. } => Some(*requested_at),
            _ => None,
        }
    }
}

impl BindingState {
    /// This state with its text borrowed.
    pub fn view(&self) -> StateView<'_> {
        match self {
            BindingState::Active => StateView::Active,
            BindingState::PendingUnbind {
                reason,
                requested_by,
                requested_at,
                code,
            } => StateView::PendingUnbind {
                reason: *reason,
                requested_by,
                requested_at: *requested_at,
                code,
            },
            BindingState::Unbound {
                reason,
                how,
                by,
                at,
            } => StateView::Unbound {
                reason: *reason,
                how: *how,
                by,
                at: *at,
            },
        }
    }
}

impl Binding {
    /// This binding as a view (what the audit reads).
    pub fn view(&self) -> BindingView<'_> {
        BindingView {
            id: self.id,
            employee: self.employee,
            provider: self.provider,
            external_id: &self.external_id,
            bound_at: self.bound_at,
            last_used: self.last_used,
            method: &self.method,
            state: self.state.view(),
        }
    }
}

/// Why a binding cannot move the way asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindingError {
    /// Only an active binding can be asked to unbind.
    NotActive,
    /// Only a pending request can be confirmed, cancelled or expired.
    NotPending,
    /// The confirmation code does not match the request's.
    WrongCode,
    /// The binding is already unbound.
    AlreadyUnbound,
    /// No binding has this id.
    Unknown(BindingId),
    /// No pending request has this confirmation code.
    UnknownCode(String),
    /// The provider's account is bound already (to whom, as which binding).
    Taken { holder: String },
    /// The employee has a live binding with this provider already.
    AlreadyBound { binding: BindingId },
    /// Only a departed employee's binding is unbound without confirmation.
    NotDeparted { employee: String },
    /// A departed employee's account is not bound anew.
    Departed { employee: String },
    /// A request is expired only once it is past its deadline.
    NotOverdue { days: u32 },
    /// The external account id is empty or holds spaces.
    BadExternalId,
    /// The operator asked for this unbinding: the confirmation (and its
    /// code) are the employee's, never the requester's.
    OwnRequest { binding: BindingId },
}

impl fmt::Display for BindingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            BindingError::NotActive => tr!("binding.error.not_active"),
            BindingError::NotPending => tr!("binding.error.not_pending"),
            BindingError::WrongCode => tr!("binding.error.wrong_code"),
            BindingError::AlreadyUnbound => tr!("binding.error.already_unbound"),
            BindingError::Unknown(id) => tr!("binding.error.unknown", id = id),
            BindingError::UnknownCode(code) => tr!("binding.error.unknown_code", code = code),
            BindingError::Taken { holder } => tr!("binding.error.taken", holder = holder),
            BindingError::AlreadyBound { binding } => {
                tr!("binding.error.already_bound", binding = binding)
            }
            BindingError::NotDeparted { employee } => {
                tr!("binding.error.not_departed", employee = employee)
            }
            BindingError::Departed { employee } => {
                tr!("binding.error.departed", employee = employee)
            }
            BindingError::NotOverdue { days } => tr!("binding.error.not_overdue", days = days),
            BindingError::BadExternalId => tr!("binding.error.bad_external_id"),
            BindingError::OwnRequest { binding } => {
                tr!("binding.error.own_request", binding = binding)
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for BindingError {}

impl Binding {
    fn go(&mut self, state: BindingState, by: &str, at: DateTime<Utc>) {
        self.history.push(BindingStep {
            state: state.clone(),
            by: by.to_string(),
            at,
        });
        self.state = state;
    }

    /// Asks for the binding to be undone; the employee confirms with `code`.
    pub fn request_unbind(
        &mut self,
        reason: UnbindReason,
        code: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), BindingError> {
        if self.state != BindingState::Active {
            return Err(BindingError::NotActive);
        }
        let state = BindingState::PendingUnbind {
            reason,
            requested_by: by.to_string(),
            requested_at: at,
            code: code.to_string(),
        };
        self.go(state, by, at);
        Ok(())
    }

    /// Ends in the unbound state, `how` and why, by whom and when.
    fn unbind(&mut self, reason: UnbindReason, how: UnbindHow, by: &str, at: DateTime<Utc>) {
        let state = BindingState::Unbound {
            reason,
            how,
            by: by.to_string(),
            at,
        };
        self.go(state, by, at);
    }

    /// The pending request's reason, if one is pending.
    fn pending_reason(&self) -> Result<UnbindReason, BindingError> {
        match &self.state {
            BindingState::PendingUnbind { reason, .. } => Ok(*reason),
            _ => Err(BindingError::NotPending),
        }
    }

    /// Who asked for the pending unbinding, if one is pending.
    pub fn requested_by(&self) -> Option<&str> {
        match &self.state {
            BindingState::PendingUnbind { requested_by, .. } => Some(requested_by),
            _ => None,
        }
    }

    /// The employee's confirmation: unbound when `code` is the request's.
    /// `how` is [`UnbindHow::Confirmed`] for the employee's own (the
    /// provider's file), [`UnbindHow::OnBehalf`] for an operator entering
    /// it, who may not be the one who asked for the unbinding.
    pub fn confirm(
        &mut self,
        code: &str,
        how: UnbindHow,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), BindingError> {
        let reason = self.pending_reason()?;
        let matches = matches!(&self.state, BindingState::PendingUnbind { code: wanted, .. } if wanted == code.trim());
        if !matches {
            return Err(BindingError::WrongCode);
        }
        if matches!(how, UnbindHow::OnBehalf(_)) && self.requested_by() == Some(by) {
            return Err(BindingError::OwnRequest { binding: self.id });
        }
        self.unbind(reason, how, by, at);
        Ok(())
    }

    /// Gives the pending request a fresh code (the old one was seen by
    /// someone other than the employee); the request keeps its reason,
    /// requester and time, and the renewal is a step of the history.
    pub fn renew_code(
        &mut self,
        code: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), BindingError> {
        let BindingState::PendingUnbind {
            reason,
            requested_by,
            requested_at,
            ..
        } = &self.state
        else {
            return Err(BindingError::NotPending);
        };
        let state = BindingState::PendingUnbind {
            reason: *reason,
            requested_by: requested_by.clone(),
            requested_at: *requested_at,
            code: code.to_string(),
        };
        self.go(state, by, at);
        Ok(())
    }

    /// When the last unbind request was made, pending or since ended
    /// (read from the history).
    pub fn last_requested(&self) -> Option<(DateTime<Utc>, &str)> {
        self.history
            .iter()
            .rev()
            .find_map(|step| match &step.state {
                BindingState::PendingUnbind {
                    requested_at,
                    requested_by,
                    ..
                } => Some((*requested_at, requested_by.as_str())),
                _ => None,
            })
    }

    /// Withdraws a pending request: the binding is active again.
    pub fn cancel(&mut self, by: &str, at: DateTime<Utc>) -> Result<(), BindingError> {
        self.pending_reason()?;
        self.go(BindingState::Active, by, at);
        Ok(())
    }

    /// Unbinds at once, active or pending (a departed employee).
    pub fn force(
        &mut self,
        reason: UnbindReason,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), BindingError> {
        if !self.state.is_live() {
            return Err(BindingError::AlreadyUnbound);
        }
        self.unbind(reason, UnbindHow::Forced, by, at);
        Ok(())
    }

    /// Ends a pending request that ran out.
    pub fn expire(&mut self, by: &str, at: DateTime<Utc>) -> Result<(), BindingError> {
        let reason = self.pending_reason()?;
        self.unbind(reason, UnbindHow::Expired, by, at);
        Ok(())
    }
}

/// Letters and digits a person reads back without confusing them (no 0 O 1 I L).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// How many characters a confirmation code has.
const CODE_LENGTH: usize = 8;
/// How many different confirmation codes there are (31^8): numbers below
/// this spell different codes.
pub const CODE_SPACE: u64 = (CODE_ALPHABET.len() as u64).pow(CODE_LENGTH as u32);

/// `len` characters of `alphabet` spelling `bits` in its base, the lowest
/// digit first.
pub fn spell(mut bits: u64, alphabet: &[u8], len: usize) -> String {
    let base = alphabet.len() as u64;
    (0..len)
        .map(|_| {
            let letter = alphabet[(bits % base) as usize];
            bits /= base;
            char::from(letter)
        })
        .collect()
}

/// The confirmation code that `bits` spells.
pub fn confirmation_code(bits: u64) -> String {
    spell(bits, CODE_ALPHABET, CODE_LENGTH)
}

/// Fresh codes tried before giving up (31^8 codes make a clash rare).
const CODE_ATTEMPTS: u32 = 64;

/// A fresh confirmation code no pending request has (`taken` tells):
/// eight characters from a randomly keyed hash of the binding, the time
/// and the attempt; `None` when every attempt was taken.
pub fn fresh_code<E>(
    binding: BindingId,
    at: DateTime<Utc>,
    taken: impl Fn(&str) -> Result<bool, E>,
) -> Result<Option<String>, E> {
    use std::hash::BuildHasher;
    let keys = std::collections::hash_map::RandomState::new();
    for attempt in 0..CODE_ATTEMPTS {
        let code = confirmation_code(keys.hash_one((binding.0, at.timestamp_nanos_opt(), attempt)));
        if !taken(&code)? {
            return Ok(Some(code));
        }
    }
    Ok(None)
}

/// An external id as people see it: the first four and last three
/// characters (`o6_W****Xk3`); short ids keep less, the shortest nothing.
pub fn mask_external_id(id: &str) -> String {
    let (head, tail) = match id.chars().count() {
        0..=4 => (0, 0),
        5..=8 => (1, 1),
        _ => (4, 3),
    };
    // Where the shown head ends and the shown tail starts, in bytes.
    let start = id.char_indices().nth(head).map_or(id.len(), |(at, _)| at);
    let end = match tail {
        0 => id.len(),
        _ => id.char_indices().nth_back(tail - 1).map_or(0, |(at, _)| at),
    };
    let mut masked = String::with_capacity(start + 4 + id.len() - end);
    masked.push_str(&id[..start]);
    masked.push_str("****");
    masked.push_str(&id[end..]);
    masked
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    /// Nine in the morning of `day` November 2026.
    pub(super) fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap()
    }

    /// B1, employee 7's active WeCom account bound on 1 November.
    pub(super) fn binding() -> Binding {
        Binding {
            id: BindingId(1),
            employee: EmployeeId(7),
            provider: Provider::WeCom,
            external_id: "o6_Wabcdefgh12Xk3".into(),
            bound_at: at(1),
            last_used: None,
            method: "qr".into(),
            state: BindingState::Active,
            history: Vec::new(),
        }
    }

    #[test]
    fn a_confirmed_unbinding_goes_through_pending() {
        let mut b = binding();
        b.request_unbind(UnbindReason::ChangedAccount, "482913", "hr", at(2))
            .unwrap();
        assert_eq!(b.state.code(), "pending_unbind");
        assert_eq!(
            b.confirm("000000", UnbindHow::Confirmed, "li", at(3)),
            Err(BindingError::WrongCode)
        );
        b.confirm(" 482913 ", UnbindHow::Confirmed, "li", at(3))
            .unwrap();
        assert!(matches!(
            b.state,
            BindingState::Unbound {
                how: UnbindHow::Confirmed,
                reason: UnbindReason::ChangedAccount,
                ..
            }
        ));
        assert_eq!(b.history.len(), 2, "every step is kept");
    }

    #[test]
    fn invalid_steps_are_refused() {
        let mut b = binding();
        assert_eq!(
            b.confirm("1", UnbindHow::Confirmed, "li", at(2)),
            Err(BindingError::NotPending)
        );
        assert_eq!(b.cancel("hr", at(2)), Err(BindingError::NotPending));
        b.request_unbind(UnbindReason::PrivacyRequest, "1", "hr", at(2))
            .unwrap();
        assert_eq!(
            b.request_unbind(UnbindReason::PrivacyRequest, "2", "hr", at(2)),
            Err(BindingError::NotActive)
        );
        b.cancel("hr", at(3)).unwrap();
        assert_eq!(b.state, BindingState::Active);
        assert_eq!(
            b.confirm("1", UnbindHow::Confirmed, "li", at(4)),
            Err(BindingError::NotPending),
            "a cancelled request cannot be confirmed"
        );
        b.force(UnbindReason::Departure, "hr", at(5)).unwrap();
        assert_eq!(
            b.force(UnbindReason::Departure, "hr", at(6)),
            Err(BindingError::AlreadyUnbound)
        );
        assert_eq!(
            b.request_unbind(UnbindReason::AuditFinding, "3", "hr", at(6)),
            Err(BindingError::NotActive)
        );
    }

    #[test]
    fn the_requester_never_confirms_on_the_employees_behalf() {
        let mut b = binding();
        b.request_unbind(UnbindReason::PrivacyRequest, "K7", "hr.wang", at(2))
            .unwrap();
        let by_phone = UnbindHow::OnBehalf(Channel::Phone);
        assert_eq!(
            b.confirm("K7", by_phone, "hr.wang", at(3)),
            Err(BindingError::OwnRequest { binding: b.id })
        );
        assert_eq!(b.state.code(), "pending_unbind", "nothing changed");
        b.confirm("K7", by_phone, "hr.li", at(3)).unwrap();
        assert!(matches!(
            b.state,
            BindingState::Unbound { how: UnbindHow::OnBehalf(Channel::Phone), ref by, .. } if by == "hr.li"
        ));
        assert_eq!(b.last_requested(), Some((at(2), "hr.wang")));
    }

    #[test]
    fn the_employees_own_confirmation_needs_no_second_operator() {
        let mut b = binding();
        b.request_unbind(UnbindReason::PrivacyRequest, "K7", "svc", at(2))
            .unwrap();
        b.confirm("K7", UnbindHow::Confirmed, "svc", at(3)).unwrap();
        assert_eq!(b.state.code(), "unbound");
    }

    #[test]
    fn a_renewed_code_replaces_the_old_one_and_keeps_the_request() {
        let mut b = binding();
        b.request_unbind(UnbindReason::AuditFinding, "OLD", "hr", at(2))
            .unwrap();
        b.renew_code("NEW", "upgrade", at(4)).unwrap();
        assert_eq!(
            b.confirm("OLD", UnbindHow::Confirmed, "x", at(5)),
            Err(BindingError::WrongCode)
        );
        assert_eq!(b.requested_by(), Some("hr"));
        assert_eq!(b.last_requested(), Some((at(2), "hr")));
        assert_eq!(b.history.len(), 2, "the renewal is a step");
        b.confirm("NEW", UnbindHow::Confirmed, "x", at(5)).unwrap();
        assert_eq!(
            b.renew_code("N2", "u", at(6)),
            Err(BindingError::NotPending)
        );
    }

    #[test]
    fn channels_read_their_codes() {
        assert_eq!(Channel::parse("in-person"), Some(Channel::InPerson));
        assert_eq!(Channel::parse(" PHONE "), Some(Channel::Phone));
        assert_eq!(Channel::parse("fax"), None);
        assert!(Channel::codes().contains("letter"));
    }

    #[test]
    fn a_pending_request_can_expire() {
        let mut b = binding();
        b.request_unbind(UnbindReason::AuditFinding, "9", "hr", at(2))
            .unwrap();
        b.expire("audit", at(20)).unwrap();
        assert!(matches!(
            b.state,
            BindingState::Unbound {
                how: UnbindHow::Expired,
                ..
            }
        ));
    }

    #[test]
    fn feishu_is_read_by_its_names_and_stored_after_the_first_four() {
        for name in ["feishu", "Feishu", "飞书", "lark", " Lark "] {
            assert_eq!(Provider::parse(name), Some(Provider::Feishu), "{name}");
        }
        assert_eq!(Provider::parse("钉钉"), Some(Provider::DingTalk));
        let index =
            |p: Provider| bincode::serde::encode_to_vec(p, bincode::config::standard()).unwrap();
        // Stored enums are variant indexes: the first four keep theirs.
        assert_eq!(index(Provider::WeChat), [0]);
        assert_eq!(index(Provider::DingTalk), [3]);
        assert_eq!(index(Provider::Feishu), [4]);
    }

    #[test]
    fn ids_are_masked_to_their_ends() {
        assert_eq!(mask_external_id("o6_Wabcdefgh12Xk3"), "o6_W****Xk3");
        assert_eq!(mask_external_id("abcdef"), "a****f");
        assert_eq!(mask_external_id("abc"), "****");
        assert_eq!(mask_external_id("abcde"), "a****e");
        assert_eq!(mask_external_id("张三李四王五赵六钱"), "张三李四****赵六钱");
        assert_eq!(mask_external_id(""), "****");
        assert_eq!(Provider::parse("企业微信"), Some(Provider::WeCom));
        assert_eq!(Provider::parse("DingTalk"), Some(Provider::DingTalk));
    }

    proptest! {
        /// A mask never shows more than seven characters of the id, nor the middle.
        #[test]
        fn masks_hide_the_middle(id in "[a-zA-Z0-9_-]{0,40}") {
            let masked = mask_external_id(&id);
            prop_assert!(masked.contains("****"));
            prop_assert!(masked.chars().count() <= 11);
            if id.len() > 14 {
                prop_assert!(!masked.contains(&id[4..id.len() - 3]));
            }
        }

        /// Any text (wide characters too) keeps whole characters at its ends.
        #[test]
        fn masks_keep_whole_characters(id in "\\PC{0,20}") {
            let chars: Vec<char> = id.chars().collect();
            let (head, tail) = match chars.len() {
                0..=4 => (0, 0),
                5..=8 => (1, 1),
                _ => (4, 3),
            };
            let start: String = chars[..head].iter().collect();
            let end: String = chars[chars.len() - tail..].iter().collect();
            prop_assert_eq!(mask_external_id(&id), format!("{start}****{end}"));
        }
    }
}
