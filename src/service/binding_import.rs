//! Importing bindings from sheets: a provider's export of bindings, the
//! login log's last uses and the provider's file of unbinding
//! confirmations. Every row is checked first, each problem with its line
//! and column. A provider's export of bindings is all or nothing; the
//! logs (logins, confirmations) apply their good rows and skip the others
//! unless strict (see [`noisy`]). What is written goes in one transaction,
//! every change with its audit entry. Only hr and admin may import (a
//! refused attempt is logged).
//!
//! Times are read by [`parse_date_time`]: a date alone is its midnight, a
//! time without an offset is UTC. None may lie in the future.

mod noisy;
mod phones;

use chrono::{DateTime, Utc};
use foldhash::HashMap;

use self::noisy::{Checked, NoisyKind};
pub use self::noisy::{Lenient, RowsOutcome, SheetMode};
use self::phones::PhoneBook;
use super::bindings::{last_use, record_change, summary, write_changes};
use super::revisions::changed_since_read;
use super::score_import::{Resolver, outcome};
use super::{NewBinding, OpError, Session, SheetOutcome};
use crate::domain::binding::{
    Binding, BindingError, BindingId, BindingState, Provider, UnbindHow, mask_external_id,
};
use crate::domain::change::EntityKey;
use crate::domain::cleanup::parse_date_time;
use crate::domain::employee::EmployeeId;
use crate::import::{
    BindingsColumn, ConfirmationsColumn, ImportError, LoginsColumn, SheetColumn, SheetRow,
};
use crate::store::Writer;
use crate::tr;

/// How a binding made by an import says it was bound, unless the sheet says.
const IMPORT_METHOD: &str = "import";

/// The login log: each binding's last use moves forward.
const LOGINS: NoisyKind = NoisyKind {
    action: "binding.used",
    describe: last_use,
    sheet: "logins",
};

/// The provider's confirmations: each confirmed request is unbound.
const CONFIRMATIONS: NoisyKind = NoisyKind {
    action: "binding.confirm",
    describe: summary,
    sheet: "confirmations",
};

/// A moment as messages show it.
fn shown(at: DateTime<Utc>) -> String {
    crate::zone::current()
        .local(at)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The provider a cell names, or a problem.
fn provider_in<C: SheetColumn>(
    resolver: &mut Resolver<'_, C>,
    line: usize,
    column: C,
    text: &str,
) -> Option<Provider> {
    let provider = Provider::parse(text);
    if provider.is_none() {
        resolver.add(line, column, tr!("binding_import.provider", value = text));
    }
    provider
}

/// The moment a cell holds, not in the future, or a problem.
fn moment_in<C: SheetColumn>(
    resolver: &mut Resolver<'_, C>,
    line: usize,
    column: C,
    text: &str,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    match parse_date_time(text, crate::zone::current()) {
        Err(err) => {
            resolver.add(line, column, err.to_string());
            None
        }
        Ok(at) if at > now => {
            resolver.add(line, column, tr!("binding_import.future", value = text));
            None
        }
        Ok(at) => Some(at),
    }
}

/// An optional cell read by `read`: `Some(None)` when empty, `None` when
/// what it holds is wrong (a problem noted).
fn optional<C: SheetColumn, T>(
    resolver: &mut Resolver<'_, C>,
    row: &SheetRow<C>,
    column: C,
    read: impl FnOnce(&mut Resolver<'_, C>, usize, C, &str) -> Option<T>,
) -> Option<Option<T>> {
    match row.get(column) {
        None => Some(None),
        Some(text) => read(resolver, row.line, column, text).map(Some),
    }
}

/// The column a refused new binding is about.
fn binding_column(err: &BindingError) -> BindingsColumn {
    match err {
        BindingError::Departed { .. } => BindingsColumn::EmpNo,
        BindingError::AlreadyBound { .. } => BindingsColumn::Provider,
        _ => BindingsColumn::ExternalId,
    }
}

/// Notes at `column` that `first` already had this key, unless it is new.
pub(super) fn once<C: SheetColumn, K: std::hash::Hash + Eq>(
    resolver: &mut Resolver<'_, C>,
    seen: &mut HashMap<K, usize>,
    key: K,
    line: usize,
    column: C,
) -> bool {
    match seen.insert(key, line) {
        None => true,
        Some(first) => {
            resolver.add(line, column, tr!("binding_import.twice", line = first));
            false
        }
    }
}

impl Session {
    /// Checks a provider's export of bindings and, when clean and not a
    /// dry run, binds every account in one transaction. A row names its
    /// employee by number, else by mobile phone (one staff record's); its
    /// provider, else `given` (the command line's). A row without
    /// `bound_at` is bound at its last use, or now when it has none; its
    /// method is `import` unless the sheet says.
    pub fn import_bindings(
        &self,
        rows: &[SheetRow<BindingsColumn>],
        given: Option<Provider>,
        dry_run: bool,
    ) -> Result<SheetOutcome<BindingsColumn>, OpError> {
        use BindingsColumn as Col;
        let (now, mut resolver) = self.start_import::<Col>()?;
        let mut news = Vec::new();
        let mut accounts: HashMap<(Provider, String), usize> = HashMap::default();
        let mut holders: HashMap<(EmployeeId, Provider), usize> = HashMap::default();
        let mut phones = None;
        for row in rows {
            let line = row.line;
            let employee = self.employee_of(&mut resolver, &mut phones, row)?;
            let provider = match (row.get(Col::Provider), given) {
                (Some(text), _) => provider_in(&mut resolver, line, Col::Provider, text),
                (None, Some(given)) => Some(given),
                (None, None) => resolver.required(row, Col::Provider).and(None),
            };
            let external_id = resolver.required(row, Col::ExternalId);
            let moment = |r: &mut Resolver<'_, Col>, line, col, text: &str| {
                moment_in(r, line, col, text, now)
            };
            let bound_at = optional(&mut resolver, row, Col::BoundAt, moment);
            let last_used = optional(&mut resolver, row, Col::LastUsed, moment);
            let (
                Some(employee),
                Some(provider),
                Some(external_id),
                Some(bound_at),
                Some(last_used),
            ) = (employee, provider, external_id, bound_at, last_used)
            else {
                continue;
            };
            let bound_at = bound_at.or(last_used).unwrap_or(now);
            if last_used.is_some_and(|used| used < bound_at) {
                let bound = shown(bound_at);
                resolver.add(
                    line,
                    Col::LastUsed,
                    tr!("binding_import.used_before_bound", bound = bound),
                );
                continue;
            }
            let new = NewBinding {
                employee,
                provider,
                external_id: external_id.to_string(),
                bound_at,
                last_used,
                method: row.get(Col::Method).unwrap_or(IMPORT_METHOD).to_string(),
            };
            match self.check_new_binding(&new) {
                Err(OpError::Binding(err)) => {
                    resolver.add(line, binding_column(&err), err.to_string());
                    continue;
                }
                other => other?,
            }
            let account = (provider, new.external_id.clone());
            if once(&mut resolver, &mut accounts, account, line, Col::ExternalId)
                && once(
                    &mut resolver,
                    &mut holders,
                    (employee, provider),
                    line,
                    Col::Provider,
                )
            {
                news.push(new);
            }
        }
        outcome(
            resolver.problems,
            &news,
            |n| n.employee,
            dry_run,
            |all| Ok(self.record_bindings(all)?.len()),
        )
    }

    /// Checks the login log's last uses and moves each binding's last use
    /// forward (never back) in one transaction, unless a dry run: the good
    /// rows' when lenient, all or nothing when strict. Of several rows of
    /// one account the latest counts. A login on an unbound account is a
    /// problem: after the unbinding (it should not have happened), or
    /// before it (nothing left to move). The rows are read as they come,
    /// their accounts looked up a batch at a time in one read; of each
    /// row only its last use to be is kept (a log of millions of rows is
    /// never held), and a binding changed by someone else since it was
    /// read refuses the import, nothing written.
    pub fn import_logins(
        &self,
        rows: impl Iterator<Item = Result<SheetRow<LoginsColumn>, ImportError>>,
        mode: SheetMode<'_>,
    ) -> Result<RowsOutcome<LoginsColumn>, OpError> {
        const ROWS_PER_READ: usize = 4096;
        let (now, mut resolver) = self.start_import::<LoginsColumn>()?;
        let mut uses = Vec::new();
        let mut rows = rows.fuse();
        let mut count = 0;
        let mut logins = Vec::with_capacity(ROWS_PER_READ);
        loop {
            logins.clear();
            let mut read = 0;
            for row in rows.by_ref().take(ROWS_PER_READ) {
                read += 1;
                logins.extend(login_in(&mut resolver, &row?, now));
            }
            if read == 0 {
                break;
            }
            count += read;
            self.check_logins(&logins, &mut resolver, &mut uses)?;
        }
        // The latest use of each binding counts.
        uses.sort_unstable_by_key(|u: &LastUse| (u.binding, std::cmp::Reverse(u.used)));
        uses.dedup_by_key(|u| u.binding);
        let write = |w: &mut Writer<'_>, uses: &[LastUse]| write_last_uses(w, uses);
        let employee = |u: &LastUse| u.employee;
        let checked = Checked {
            rows: count,
            problems: resolver.problems,
            changes: uses,
        };
        self.settle(&LOGINS, checked, employee, write, mode)
    }

    /// Checks a batch of `logins` against the bindings holding their
    /// accounts (read at once), adding each last use that moves a binding
    /// forward to `uses` and each problem to `resolver`.
    fn check_logins(
        &self,
        logins: &[Login],
        resolver: &mut Resolver<'_, LoginsColumn>,
        uses: &mut Vec<LastUse>,
    ) -> Result<(), OpError> {
        use LoginsColumn as Col;
        let accounts: Vec<(Provider, &str)> = logins
            .iter()
            .map(|login| (login.provider, login.external_id.as_str()))
            .collect();
        let held = self.store().bindings_holding(&accounts)?;
        for (login, binding) in logins.iter().zip(held) {
            let (line, used_at) = (login.line, login.used_at);
            let Some(binding) = binding else {
                let account = mask_external_id(&login.external_id);
                let provider = login.provider.label();
                let message = tr!(
                    "binding_import.not_bound",
                    provider = provider,
                    account = account
                );
                resolver.add(line, Col::ExternalId, message);
                continue;
            };
            if let BindingState::Unbound { at, .. } = binding.state {
                if used_at > at {
                    let unbound = shown(at);
                    let message = tr!(
                        "binding_import.used_after_unbound",
                        binding = binding.id,
                        unbound = unbound
                    );
                    resolver.add(line, Col::UsedAt, message);
                } else {
                    let message = tr!("binding_import.unbound", binding = binding.id);
                    resolver.add(line, Col::ExternalId, message);
                }
                continue;
            }
            if used_at < binding.bound_at {
                let bound = shown(binding.bound_at);
                let message = tr!("binding_import.used_before_bound", bound = bound);
                resolver.add(line, Col::UsedAt, message);
                continue;
            }
            if binding.last_used.is_none_or(|last| last < used_at) {
                uses.push(LastUse {
                    binding: binding.id,
                    employee: binding.employee,
                    used: used_at,
                    read_as: fingerprint(&binding),
                });
            }
        }
        Ok(())
    }

    /// Checks a provider's confirmations and unbinds each confirmed
    /// request in one transaction (at the sheet's `confirmed_at`, else
    /// now), unless a dry run: the good rows' when lenient, all or nothing
    /// when strict. Codes are read case-insensitively; a code's second row
    /// is a duplicate.
    pub fn import_confirmations(
        &self,
        rows: impl Iterator<Item = Result<SheetRow<ConfirmationsColumn>, ImportError>>,
        mode: SheetMode<'_>,
    ) -> Result<RowsOutcome<ConfirmationsColumn>, OpError> {
        use ConfirmationsColumn as Col;
        let (now, mut resolver) = self.start_import::<Col>()?;
        let mut codes: HashMap<String, usize> = HashMap::default();
        let mut changes = Vec::new();
        let mut count = 0;
        for row in rows {
            let row = &row?;
            count += 1;
            let line = row.line;
            let code = resolver.required(row, Col::Code).map(str::to_uppercase);
            let provider = optional(&mut resolver, row, Col::Provider, provider_in);
            let moment = |r: &mut Resolver<'_, Col>, line, col, text: &str| {
                moment_in(r, line, col, text, now)
            };
            let confirmed_at = optional(&mut resolver, row, Col::ConfirmedAt, moment);
            let (Some(code), Some(provider), Some(confirmed_at)) = (code, provider, confirmed_at)
            else {
                continue;
            };
            if !once(&mut resolver, &mut codes, code.clone(), line, Col::Code) {
                continue;
            }
            let Some(binding) = self.store().binding_pending_with(&code)? else {
                let message = BindingError::UnknownCode(code).to_string();
                resolver.add(line, Col::Code, message);
                continue;
            };
            let names_it = names_binding(&mut resolver, row, &binding, provider);
            let in_time =
                confirmed_at.is_none_or(|at| after_request(&mut resolver, line, &binding, at));
            if !(names_it && in_time) {
                continue;
            }
            let mut after = binding.clone();
            let at = confirmed_at.unwrap_or(now);
            if let Err(err) = after.confirm(&code, UnbindHow::Confirmed, &self.operator().user, at)
            {
                resolver.add(line, Col::Code, err.to_string());
                continue;
            }
            changes.push((binding, after));
        }
        let write = |w: &mut Writer<'_>, changes: &[(Binding, Binding)]| {
            write_changes(w, CONFIRMATIONS.action, changes, CONFIRMATIONS.describe)
        };
        let employee = |(binding, _): &(Binding, Binding)| binding.employee;
        let checked = Checked {
            rows: count,
            problems: resolver.problems,
            changes,
        };
        self.settle(&CONFIRMATIONS, checked, employee, write, mode)
    }

    /// What every bindings import begins with: the operator's permission
    /// (a refusal logged), the time now, and a resolver with no problems yet.
    fn start_import<C: SheetColumn>(&self) -> Result<(DateTime<Utc>, Resolver<'_, C>), OpError> {
        self.may_edit_bindings("binding.import")?;
        Ok((self.now(), Resolver::new(self)?))
    }

    /// The employee a bindings row names: by number, else (a provider's
    /// export without one) by mobile phone, the staff's phones read once.
    fn employee_of(
        &self,
        resolver: &mut Resolver<'_, BindingsColumn>,
        phones: &mut Option<PhoneBook>,
        row: &SheetRow<BindingsColumn>,
    ) -> Result<Option<EmployeeId>, OpError> {
        use BindingsColumn as Col;
        let Some(phone) = row
            .get(Col::Phone)
            .filter(|_| row.get(Col::EmpNo).is_none())
        else {
            return resolver.person(row, Col::EmpNo);
        };
        if phones.is_none() {
            *phones = Some(PhoneBook::of(self)?);
        }
        let found = phones.as_ref().map(|book| book.find(phone));
        Ok(match found {
            Some(Ok(id)) => Some(id),
            Some(Err(why)) => {
                resolver.add(row.line, Col::Phone, why);
                None
            }
            None => None,
        })
    }
}

/// A login row as read: its line, the account it names and when it was
/// used.
struct Login {
    line: usize,
    provider: Provider,
    external_id: String,
    used_at: DateTime<Utc>,
}

/// The login `row` tells, its problems added to `resolver`.
fn login_in(
    resolver: &mut Resolver<'_, LoginsColumn>,
    row: &SheetRow<LoginsColumn>,
    now: DateTime<Utc>,
) -> Option<Login> {
    use LoginsColumn as Col;
    let line = row.line;
    let provider = resolver
        .required(row, Col::Provider)
        .and_then(|text| provider_in(resolver, line, Col::Provider, text));
    let external_id = resolver.required(row, Col::ExternalId);
    let used_at = resolver
        .required(row, Col::UsedAt)
        .and_then(|text| moment_in(resolver, line, Col::UsedAt, text, now));
    Some(Login {
        line,
        provider: provider?,
        external_id: external_id?.to_string(),
        used_at: used_at?,
    })
}

/// A binding's last use to be, as the login log's check leaves it: which
/// binding, whose, when, and a fingerprint of the binding as it was read.
#[derive(Clone, Copy, Debug)]
pub(super) struct LastUse {
    binding: BindingId,
    employee: EmployeeId,
    used: DateTime<Utc>,
    read_as: u64,
}

/// What tells a binding as read from the binding as it is now.
fn fingerprint(binding: &Binding) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x6C6F_6769_6E73).hash_one(binding)
}

/// Moves each binding of `uses` to its last use, each change with its
/// audit entry; a binding that changed since it was read refuses them all.
fn write_last_uses(w: &mut Writer<'_>, uses: &[LastUse]) -> Result<usize, OpError> {
    for used in uses {
        let key = EntityKey::Binding(used.binding);
        let Some(before) = w
            .binding(used.binding)?
            .filter(|b| fingerprint(b) == used.read_as)
        else {
            return Err(changed_since_read(w, &key)?);
        };
        let after = Binding {
            last_used: Some(used.used),
            ..before.clone()
        };
        record_change(w, LOGINS.action, &before, &after, LOGINS.describe)?;
    }
    Ok(uses.len())
}

/// Whether the provider and account a confirmation names (when it
/// names them) are those of the binding its code asks to unbind.
fn names_binding(
    resolver: &mut Resolver<'_, ConfirmationsColumn>,
    row: &SheetRow<ConfirmationsColumn>,
    binding: &Binding,
    provider: Option<Provider>,
) -> bool {
    use ConfirmationsColumn as Col;
    let mut fine = true;
    if provider.is_some_and(|p| p != binding.provider) {
        let provider = binding.provider.label();
        let message = tr!("binding_import.other_provider", provider = provider);
        resolver.add(row.line, Col::Provider, message);
        fine = false;
    }
    if row
        .get(Col::ExternalId)
        .is_some_and(|id| id != binding.external_id)
    {
        let account = mask_external_id(&binding.external_id);
        let message = tr!("binding_import.other_account", account = account);
        resolver.add(row.line, Col::ExternalId, message);
        fine = false;
    }
    fine
}

/// Whether a confirmation at `at` comes after its binding's request.
fn after_request(
    resolver: &mut Resolver<'_, ConfirmationsColumn>,
    line: usize,
    binding: &Binding,
    at: DateTime<Utc>,
) -> bool {
    let requested = binding.state.view().pending_since();
    let early = requested.filter(|requested| at < *requested);
    if let Some(requested) = early {
        let requested = shown(requested);
        let message = tr!("binding_import.before_request", requested = requested);
        resolver.add(line, ConfirmationsColumn::ConfirmedAt, message);
    }
    early.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Clock, Store};
    use chrono::{Duration, TimeZone};

    /// A last use checked against a binding is written while the binding
    /// is as it was read; once someone else changed it, the write is
    /// refused as a conflict, nothing of it kept.
    #[test]
    fn a_last_use_is_refused_once_its_binding_changed_after_it_was_read() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let store = Store::in_memory("admin", now).unwrap();
        let session = Session::login(store.clone(), "admin", Clock::Fixed(now)).unwrap();
        crate::demo::populate(&session, 30).unwrap();
        let binding = store.binding(BindingId(1)).unwrap().unwrap();
        let read = |binding: &Binding, used: DateTime<Utc>| LastUse {
            binding: binding.id,
            employee: binding.employee,
            used,
            read_as: fingerprint(binding),
        };
        let first = now - Duration::hours(2);
        let moved = store.write_with("admin", now.into(), |w| {
            write_last_uses(w, &[read(&binding, first)])
        });
        assert_eq!(moved.unwrap(), 1);
        let after = store.binding(BindingId(1)).unwrap().unwrap();
        assert_eq!(after.last_used, Some(first));

        let stale = read(&binding, now - Duration::hours(1));
        let refused = store.write_with("admin", now.into(), |w| write_last_uses(w, &[stale]));
        assert!(matches!(refused, Err(OpError::Conflict(_))), "{refused:?}");
        assert_eq!(store.binding(BindingId(1)).unwrap().unwrap(), after);
    }
}
