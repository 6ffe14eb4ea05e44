//! The demo company's third-party accounts: most of the staff on WeCom,
//! many on WeChat, some on DingTalk or Alipay, with ids shaped like each
//! provider's own; bound over the past two years, mostly used lately, some
//! not for months, a few never. Some leavers' accounts are still live
//! (bound before the departure hook existed), some wait past their deadline
//! for the unbinding the hook asked for, the rest were unbound when their
//! holder left; a few current unbind requests, some overdue; a few changed
//! accounts; and an audit run forty days ago, so that the next is due.
//! Also [`generate`]: a large company's bindings, for benchmarks.
//!
//! The bindings go in as prepared records, their states and history
//! included, through the service's bulk path (`binding.bulk`): the demo goes back
//! in time, which no operation of the console can.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use super::HR_USER;
use super::dice::{Dice, scramble};
use crate::domain::binding::audit::{AuditRun, AuditSettings, Auditor, counts};
use crate::domain::binding::{
    Binding, BindingId, BindingState, CODE_SPACE, Provider, UnbindHow, UnbindReason,
    confirmation_code, spell,
};
use crate::domain::employee::{EmployeeId, EventKind, Status};
use crate::service::{OpError, Session};

/// Percent of the current staff with an account on each provider.
const MIX: [(Provider, usize); 4] = [
    (Provider::WeCom, 88),
    (Provider::WeChat, 62),
    (Provider::DingTalk, 14),
    (Provider::Alipay, 18),
];

/// The providers [`generate`] cycles through: those the benchmarks'
/// figures were measured with (Feishu came later).
const GENERATED: [Provider; 4] = [
    Provider::WeChat,
    Provider::WeCom,
    Provider::Alipay,
    Provider::DingTalk,
];

/// How accounts were bound, the QR code most often.
const METHODS: [&str; 4] = ["qr", "qr", "oauth", "import"];

/// The unbind requests in progress: how many days ago each was made (over
/// 14: overdue) and why.
const REQUESTS: [(i64, UnbindReason); 6] = [
    (3, UnbindReason::ChangedAccount),
    (8, UnbindReason::PrivacyRequest),
    (12, UnbindReason::AuditFinding),
    (19, UnbindReason::ChangedAccount),
    (27, UnbindReason::PrivacyRequest),
    (45, UnbindReason::AuditFinding),
];

/// How long before now the demo's last audit ran.
const LAST_AUDIT_DAYS: i64 = 40;

/// Bindings per transaction when generating a large company.
const BATCH: usize = 50_000;

/// The letters of account ids: the first 62 are letters and digits.
/// Eleven of them spell any `u64` (62^11 > 2^64), so a scrambled serial
/// spelt in full keeps ids apart.
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// The digits of a Feishu open_id.
const HEX: &[u8] = b"0123456789abcdef";

/// `serial` moved one-to-one within `0..modulus` (for a serial below it;
/// the factor has no common divisor with 10 or 31).
fn shuffle(serial: u64, modulus: u64) -> u64 {
    let moved = (u128::from(serial) * 2_654_435_769 + 12_345_678_901) % u128::from(modulus);
    u64::try_from(moved).unwrap_or_default()
}

/// Nine in the morning of `day`.
fn morning(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default())
        .and_utc()
}

/// Makes bindings: each account id unique by its serial number (the
/// serials go on from the bindings already stored), times from the dice.
struct Maker {
    dice: Dice,
    serial: u64,
    /// The number of the last confirmation code given out.
    codes: u64,
    /// Who asked for and confirmed the unbindings.
    hr: String,
}

impl Maker {
    fn new(session: &Session, seed: u64) -> Result<Maker, OpError> {
        let stored = session.binding_count()?;
        Ok(Maker {
            dice: Dice(seed),
            serial: stored,
            codes: stored,
            hr: HR_USER.to_string(),
        })
    }

    /// A fresh account id as `provider` gives them: a WeChat openid, a
    /// WeCom open userid, an Alipay user id, a DingTalk user id, a Feishu
    /// open_id.
    fn account(&mut self, provider: Provider) -> String {
        self.serial += 1;
        let unique = scramble(self.serial);
        match provider {
            Provider::WeChat => {
                format!("o6_W{}{}", spell(unique, BASE64URL, 11), self.noise(13))
            }
            Provider::WeCom => format!(
                "wo{}{}",
                spell(unique, &BASE64URL[..62], 11),
                self.noise(19)
            ),
            Provider::Alipay => format!("2088{:012}", shuffle(self.serial, 1_000_000_000_000)),
            Provider::DingTalk => format!("0{:015}", shuffle(self.serial, 1_000_000_000_000_000)),
            Provider::Feishu => format!(
                "ou_{}{}",
                spell(unique, HEX, 16),
                spell(self.dice.next(), HEX, 16)
            ),
        }
    }

    /// `len` letters and digits from the dice.
    fn noise(&mut self, len: usize) -> String {
        let mut text = String::with_capacity(len);
        while text.len() < len {
            let part = (len - text.len()).min(10);
            text.push_str(&spell(self.dice.next(), &BASE64URL[..62], part));
        }
        text
    }

    /// When an account bound between `since` and `until` (at most two
    /// years before it) was bound and last used: most in the fortnight
    /// before `until`, one in ten three months or more before, one in
    /// twenty never.
    fn usage(
        &mut self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
        let earliest = since.max(until - Duration::days(730));
        let span = (until - earliest).num_minutes().max(1);
        let bound = earliest + Duration::minutes(self.dice.below(span as usize) as i64);
        let used = match self.dice.below(100) {
            0..85 => until - Duration::minutes(self.dice.below(14 * 24 * 60) as i64),
            85..95 => until - Duration::days(91 + self.dice.below(300) as i64),
            _ => return (bound, None),
        };
        (bound, (used > bound).then_some(used))
    }

    /// An active binding of `employee` with `provider`, bound and used
    /// between `since` and `until`.
    fn binding(
        &mut self,
        employee: EmployeeId,
        provider: Provider,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Binding {
        let external_id = self.account(provider);
        let (bound_at, last_used) = self.usage(since, until);
        Binding {
            id: BindingId(0),
            employee,
            provider,
            external_id,
            bound_at,
            last_used,
            method: self.dice.pick(&METHODS).to_string(),
            state: BindingState::Active,
            history: Vec::new(),
        }
    }

    /// Asks, at `at`, for `binding` to be unbound, with a confirmation
    /// code no other request of the demo has (its number shuffled);
    /// returns the code.
    fn request(
        &mut self,
        binding: &mut Binding,
        reason: UnbindReason,
        at: DateTime<Utc>,
    ) -> String {
        self.codes += 1;
        let code = confirmation_code(shuffle(self.codes, CODE_SPACE));
        // Only active bindings are asked for, so the request is accepted.
        let _ = binding.request_unbind(reason, &code, &self.hr, at);
        code
    }

    /// Unbinds `binding` as the employee confirmed at `at` after changing account.
    fn retire(&mut self, binding: &mut Binding, at: DateTime<Utc>) {
        let code = self.request(binding, UnbindReason::ChangedAccount, at);
        // The code is the request's own, so the confirmation is accepted.
        let _ = binding.confirm(&code, UnbindHow::Confirmed, &self.hr, at);
    }
}

/// Someone the demo binds accounts for.
struct Person {
    id: EmployeeId,
    hired: DateTime<Utc>,
    /// When a leaver left.
    left: Option<DateTime<Utc>>,
}

/// Everyone on file, with leavers' departure dates.
fn people(session: &Session) -> Result<Vec<Person>, OpError> {
    let mut staff = Vec::new();
    session.each_visible_employee(|_, e| staff.push((e.id, morning(e.hire_date), e.status)))?;
    staff
        .into_iter()
        .map(|(id, hired, status)| {
            let left = if status == Status::Departed {
                let departure = session
                    .history(id)?
                    .into_iter()
                    .rfind(|event| matches!(event.kind, EventKind::Departure { .. }))
                    .map_or(hired, |event| morning(event.effective));
                Some(departure.min(session.now()))
            } else {
                None
            };
            Ok(Person { id, hired, left })
        })
        .collect()
}

/// Writes prepared bindings (and an audit run) in one transaction logged
/// through the bulk path.
fn plant(session: &Session, bindings: &[Binding], run: Option<&AuditRun>) -> Result<(), OpError> {
    session.bulk_bindings(bindings, run)
}

/// The demo's audit run of [`LAST_AUDIT_DAYS`] ago, counted over the
/// bindings and leavers of that day.
fn last_audit(people: &[Person], bindings: &[Binding], now: DateTime<Utc>) -> AuditRun {
    let at = now - Duration::days(LAST_AUDIT_DAYS);
    let mut auditor = Auditor::new(AuditSettings::new(at.date_naive()));
    for binding in bindings.iter().filter(|b| b.bound_at <= at) {
        auditor.check(&binding.view());
    }
    auditor.settle(|employee| {
        people
            .binary_search_by_key(&employee, |p| p.id)
            .ok()
            .map(|i| match people[i].left {
                Some(left) if left <= at => Status::Departed,
                _ => Status::Active,
            })
    });
    AuditRun {
        by: HR_USER.to_string(),
        at,
        as_of: at.date_naive(),
        counts: counts(&auditor.finish().findings),
    }
}

/// Binds the demo staff's accounts (see the module's description).
pub fn bind_accounts(session: &Session) -> Result<(), OpError> {
    let people = people(session)?;
    if people.is_empty() {
        return Ok(());
    }
    let now = session.now();
    let mut maker = Maker::new(session, 0x4249_4E44)?;
    let (mut current, mut leaving) = (Vec::new(), Vec::new());
    for person in &people {
        let Some(left) = person.left else {
            for (provider, percent) in MIX {
                if maker.dice.below(100) >= percent {
                    continue;
                }
                let binding = maker.binding(person.id, provider, person.hired, now);
                if provider == Provider::WeChat && maker.dice.below(12) == 0 {
                    let mut old =
                        maker.binding(person.id, provider, person.hired, binding.bound_at);
                    maker.retire(&mut old, binding.bound_at);
                    current.push(old);
                }
                current.push(binding);
            }
            continue;
        };
        let nth = leaving.len() / 2;
        for provider in [Provider::WeCom, Provider::WeChat] {
            let mut binding = maker.binding(person.id, provider, person.hired, left);
            match nth % 3 {
                // Left live: a critical finding.
                0 => {}
                1 => {
                    maker.request(&mut binding, UnbindReason::Departure, left);
                }
                _ => {
                    // A live binding accepts the forced unbinding.
                    let _ = binding.force(UnbindReason::Departure, HR_USER, left);
                }
            }
            leaving.push(binding);
        }
    }
    let settled = now - Duration::days(60);
    let mut requests = REQUESTS.iter();
    for binding in current.iter_mut().step_by(7) {
        if binding.state != BindingState::Active || binding.bound_at > settled {
            continue;
        }
        let Some(&(days, reason)) = requests.next() else {
            break;
        };
        maker.request(binding, reason, now - Duration::days(days));
    }
    let mut bindings = current;
    bindings.append(&mut leaving);
    bindings.sort_by_key(|b| b.bound_at);
    let run = last_audit(&people, &bindings, now);
    plant(session, &bindings, Some(&run))
}

/// Tops the company up to `total` bindings, for benchmarks: each employee
/// in turn gets some, cycling through the providers; the last of each
/// provider is live (unless the person has a live one already), the earlier
/// ones were unbound when the account changed. Written [`BATCH`] at a time,
/// one transaction each.
pub fn generate(session: &Session, total: usize) -> Result<(), OpError> {
    let existing = usize::try_from(session.binding_count()?).unwrap_or(usize::MAX);
    let mut people = Vec::new();
    session.each_visible_employee(|_, e| people.push((e.id, morning(e.hire_date))))?;
    let wanted = total.saturating_sub(existing);
    if wanted == 0 || people.is_empty() {
        return Ok(());
    }
    let mut live = HashSet::new();
    session.each_binding(|b| {
        if b.state.is_live() {
            live.insert((b.employee, b.provider));
        }
    })?;
    let now = session.now();
    let mut maker = Maker::new(session, 0x004C_4152_4745)?;
    let mut batch = Vec::with_capacity(BATCH.min(wanted));
    for (i, &(id, hired)) in people.iter().enumerate() {
        let rounds = wanted / people.len() + usize::from(i < wanted % people.len());
        for round in 0..rounds {
            let provider = GENERATED[round % GENERATED.len()];
            let mut binding = maker.binding(id, provider, hired, now);
            let latest = round + GENERATED.len() >= rounds;
            if !(latest && live.insert((id, provider))) {
                let at = binding.last_used.unwrap_or(binding.bound_at) + Duration::days(1);
                maker.retire(&mut binding, at.min(now));
            }
            batch.push(binding);
            if batch.len() == BATCH {
                plant(session, &batch, None)?;
                batch.clear();
            }
        }
    }
    if !batch.is_empty() {
        plant(session, &batch, None)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffled_serials_never_repeat() {
        let mut seen = HashSet::new();
        for serial in 0..100_000 {
            assert!(seen.insert(shuffle(serial, CODE_SPACE)));
        }
        assert_eq!(spell(u64::MAX, &BASE64URL[..62], 11).len(), 11);
    }
}
