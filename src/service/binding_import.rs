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

use self::noisy::NoisyKind;
pub use self::noisy::{Lenient, RowsOutcome, SheetMode};
use self::phones::PhoneBook;
use super::bindings::{last_use, summary};
use super::score_import::{Resolver, outcome};
use super::{NewBinding, OpError, Session, SheetOutcome};
use crate::domain::binding::{
    Binding, BindingError, BindingId, BindingState, Provider, UnbindHow, mask_external_id,
};
use crate::domain::cleanup::parse_date_time;
use crate::domain::employee::EmployeeId;
use crate::import::{BindingsColumn, ConfirmationsColumn, LoginsColumn, SheetColumn, SheetRow};
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
    /// before it (nothing left to move).
    pub fn import_logins(
        &self,
        rows: &[SheetRow<LoginsColumn>],
        mode: SheetMode<'_>,
    ) -> Result<RowsOutcome<LoginsColumn>, OpError> {
        use LoginsColumn as Col;
        let (now, mut resolver) = self.start_import::<Col>()?;
        let mut accounts: HashMap<(Provider, String), Option<Binding>> = HashMap::default();
        let mut latest: HashMap<BindingId, (Binding, DateTime<Utc>)> = HashMap::default();
        for row in rows {
            let line = row.line;
            let provider = resolver
                .required(row, Col::Provider)
                .and_then(|text| provider_in(&mut resolver, line, Col::Provider, text));
            let external_id = resolver.required(row, Col::ExternalId);
            let used_at = resolver
                .required(row, Col::UsedAt)
                .and_then(|text| moment_in(&mut resolver, line, Col::UsedAt, text, now));
            let (Some(provider), Some(external_id), Some(used_at)) =
                (provider, external_id, used_at)
            else {
                continue;
            };
            let key = (provider, external_id.to_string());
            let binding = match accounts.get(&key) {
                Some(known) => known.clone(),
                None => {
                    let found = self.binding_of_account(provider, external_id)?;
                    accounts.insert(key, found.clone());
                    found
                }
            };
            let Some(binding) = binding else {
                let account = mask_external_id(external_id);
                let provider = provider.label();
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
            let slot = latest.entry(binding.id).or_insert((binding, used_at));
            slot.1 = slot.1.max(used_at);
        }
        let mut changes: Vec<(Binding, Binding)> = latest
            .into_values()
            .filter(|(b, used)| b.last_used.is_none_or(|last| last < *used))
            .map(|(before, used)| {
                let after = Binding {
                    last_used: Some(used),
                    ..before.clone()
                };
                (before, after)
            })
            .collect();
        changes.sort_unstable_by_key(|(b, _)| b.id);
        self.settle(&LOGINS, rows.len(), resolver.problems, &changes, mode)
    }

    /// Checks a provider's confirmations and unbinds each confirmed
    /// request in one transaction (at the sheet's `confirmed_at`, else
    /// now), unless a dry run: the good rows' when lenient, all or nothing
    /// when strict. Codes are read case-insensitively; a code's second row
    /// is a duplicate.
    pub fn import_confirmations(
        &self,
        rows: &[SheetRow<ConfirmationsColumn>],
        mode: SheetMode<'_>,
    ) -> Result<RowsOutcome<ConfirmationsColumn>, OpError> {
        use ConfirmationsColumn as Col;
        let (now, mut resolver) = self.start_import::<Col>()?;
        let mut codes: HashMap<String, usize> = HashMap::default();
        let mut changes = Vec::new();
        for row in rows {
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
        self.settle(
            &CONFIRMATIONS,
            rows.len(),
            resolver.problems,
            &changes,
            mode,
        )
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

    /// The binding that holds an account, if any.
    fn binding_of_account(
        &self,
        provider: Provider,
        external_id: &str,
    ) -> Result<Option<Binding>, OpError> {
        match self.store().binding_holding(provider, external_id)? {
            Some(id) => Ok(self.store().binding(id)?),
            None => Ok(None),
        }
    }
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
