//! Bindings on disk: records by id (never deleted) with their declared
//! secondary keys: the provider's account (unique, kept for unbound
//! bindings too: an account is bound once, across all employees, departed
//! ones included), the employee, and the confirmation code of a pending
//! unbind request; the record of each audit run; and the notices of
//! unbind requests' codes as sent (the outbox).

use std::ops::{Bound, ControlFlow, RangeInclusive};

use super::Store;
use super::backend::{KeyRange, ReadTxn};
use super::codec::{self, Record};
use super::error::StoreError;
use super::keys::IndexKey;
use super::tables::{
    self, AUDIT_RUNS, BINDING_BY_ACCOUNT, BINDING_BY_EMPLOYEE, BINDING_BY_PENDING_CODE, BINDINGS,
    EMPLOYEES, UNBIND_NOTICES, account_key,
};
use super::writer::Writer;
use crate::domain::audit::AuditRecord;
use crate::domain::binding::audit::AuditRun;
use crate::domain::binding::notice::{UnbindNotice, notice_key};
use crate::domain::binding::{
    Binding, BindingId, BindingState, BindingView, Provider, fresh_code, mask_external_id,
};
use crate::domain::change::{EntityKey, Kind};
use crate::domain::employee::{Employee, EmployeeId};
use crate::store::reads::RuleReads;
use crate::tr;

impl Record for Binding {
    const VERSION: u16 = 1;
}

impl Record for AuditRun {
    const VERSION: u16 = 1;
}

impl Record for UnbindNotice {
    const VERSION: u16 = 1;
}

/// The bindings with these ids that exist, in the order asked.
/// A binding, its employee (none when gone) and its pending unbinding's
/// notice.
pub type BindingWithPeople = (Binding, Option<Employee>, Option<UnbindNotice>);

fn existing(
    txn: &dyn ReadTxn,
    ids: impl IntoIterator<Item = u64>,
) -> Result<Vec<Binding>, StoreError> {
    let mut found = Vec::new();
    for id in ids {
        found.extend(BINDINGS.get(txn, &id)?);
    }
    Ok(found)
}

fn of_employee(txn: &dyn ReadTxn, employee: EmployeeId) -> Result<Vec<Binding>, StoreError> {
    let ids = BINDINGS.keys_by(txn, BINDING_BY_EMPLOYEE, &IndexKey::new().num(employee.0))?;
    existing(txn, ids)
}

fn pending_with(txn: &dyn ReadTxn, code: &str) -> Result<Option<Binding>, StoreError> {
    match BINDINGS.holder(txn, BINDING_BY_PENDING_CODE, &IndexKey::new().text(code))? {
        Some(id) => BINDINGS.get(txn, &id),
        None => Ok(None),
    }
}

impl Store {
    /// Every binding as a view read in place (nothing copied), by id: how
    /// the audit and whole-store lists go through a million bindings.
    pub fn each_binding(&self, visit: impl FnMut(BindingView<'_>)) -> Result<(), StoreError> {
        self.each_binding_in(BindingId(0)..=BindingId(u64::MAX), visit)
    }

    /// [`each_binding`](Self::each_binding) for the ids in `ids` only (a
    /// share of the work for one core).
    pub fn each_binding_in(
        &self,
        ids: RangeInclusive<BindingId>,
        mut visit: impl FnMut(BindingView<'_>),
    ) -> Result<(), StoreError> {
        let ids = ids.start().0..=ids.end().0;
        self.read(|txn| {
            BINDINGS.scan_ids(txn, &ids, |key, bytes| {
                let view = codec::decode_leading(bytes, Binding::VERSION)
                    .map_err(|detail| BINDINGS.undecodable(key, detail))?;
                visit(view);
                Ok(ControlFlow::Continue(()))
            })
        })
    }

    /// The lowest and the highest binding id, none when there are no bindings.
    pub fn binding_ids(&self) -> Result<Option<RangeInclusive<BindingId>>, StoreError> {
        let ids = self.read(|txn| BINDINGS.id_bounds(txn))?;
        Ok(ids.map(|ids| BindingId(*ids.start())..=BindingId(*ids.end())))
    }

    /// Every binding whole, its history included, by id (for exports),
    /// until `visit` breaks.
    pub fn each_binding_record(
        &self,
        mut visit: impl FnMut(Binding) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        self.read(|txn| BINDINGS.each(txn, &mut visit))
    }

    /// The notice of `binding`'s current request as sent so far, if it was.
    pub fn unbind_notice(&self, binding: &Binding) -> Result<Option<UnbindNotice>, StoreError> {
        self.read(|txn| UNBIND_NOTICES.get(txn, &notice_key(binding)))
    }

    /// Each of `bindings` with its employee and, while an unbinding is
    /// pending, the notice sent so far: read in one transaction (a list of
    /// many bindings reads them at once, not one transaction each).
    pub fn with_people(
        &self,
        bindings: Vec<Binding>,
    ) -> Result<Vec<BindingWithPeople>, StoreError> {
        self.read(|txn| {
            bindings
                .into_iter()
                .map(|binding| {
                    let employee = EMPLOYEES.get(txn, &binding.employee.0)?;
                    let notice = match binding.state {
                        BindingState::PendingUnbind { .. } => {
                            UNBIND_NOTICES.get(txn, &notice_key(&binding))?
                        }
                        _ => None,
                    };
                    Ok((binding, employee, notice))
                })
                .collect()
        })
    }

    /// How many bindings there are, unbound ones included.
    pub fn binding_count(&self) -> Result<u64, StoreError> {
        self.read(|txn| BINDINGS.count(txn))
    }

    /// The binding with `id`, if any.
    pub fn binding(&self, id: BindingId) -> Result<Option<Binding>, StoreError> {
        self.read(|txn| BINDINGS.get(txn, &id.0))
    }

    /// The bindings with these ids that exist, in the order asked.
    pub fn bindings_by_id(&self, ids: &[BindingId]) -> Result<Vec<Binding>, StoreError> {
        self.read(|txn| existing(txn, ids.iter().map(|id| id.0)))
    }

    /// Up to `limit` bindings in id order, starting after `after` (from
    /// the first when none) or, `backwards`, ending before it (at the
    /// last when none): one screenful of a list too long to read whole.
    pub fn binding_window(
        &self,
        after: Option<BindingId>,
        limit: usize,
        backwards: bool,
    ) -> Result<Vec<Binding>, StoreError> {
        let edge = after.map(|id| id.0.to_be_bytes());
        let edge = edge.as_ref().map(<[u8; 8]>::as_slice);
        let range = match (edge, backwards) {
            (None, _) => KeyRange {
                reverse: backwards,
                ..KeyRange::ALL
            },
            (Some(edge), false) => KeyRange {
                start: Bound::Excluded(edge),
                ..KeyRange::ALL
            },
            (Some(edge), true) => KeyRange {
                end: Bound::Excluded(edge),
                reverse: true,
                ..KeyRange::ALL
            },
        };
        let mut found = self.read(|txn| BINDINGS.collect(txn, range, limit))?;
        if backwards {
            found.reverse();
        }
        Ok(found)
    }

    /// `employee`'s bindings, by id.
    pub fn bindings_of(&self, employee: EmployeeId) -> Result<Vec<Binding>, StoreError> {
        self.read(|txn| of_employee(txn, employee))
    }

    /// The binding waiting for the confirmation `code`, if any.
    pub fn binding_pending_with(&self, code: &str) -> Result<Option<Binding>, StoreError> {
        self.read(|txn| pending_with(txn, code))
    }

    /// The ids of every binding with a pending unbind request, in order.
    pub fn pending_binding_ids(&self) -> Result<Vec<BindingId>, StoreError> {
        let mut ids: Vec<BindingId> = self
            .read(|txn| BINDINGS.keys_by(txn, BINDING_BY_PENDING_CODE, &IndexKey::new()))?
            .into_iter()
            .map(BindingId)
            .collect();
        ids.sort_unstable();
        Ok(ids)
    }

    /// The binding that holds `external_id` with `provider`, if any.
    pub fn binding_holding(
        &self,
        provider: Provider,
        external_id: &str,
    ) -> Result<Option<BindingId>, StoreError> {
        let key = account_key(provider.code(), external_id);
        Ok(self
            .read(|txn| BINDINGS.holder(txn, BINDING_BY_ACCOUNT, &key))?
            .map(BindingId))
    }

    /// The binding holding each of `accounts` (a provider and its account
    /// id), in that order (none where no binding holds it), read whole in
    /// one read: a login log is checked a batch of rows at a time.
    pub fn bindings_holding(
        &self,
        accounts: &[(Provider, &str)],
    ) -> Result<Vec<Option<Binding>>, StoreError> {
        self.read(|txn| {
            accounts
                .iter()
                .map(|&(provider, external_id)| {
                    let key = account_key(provider.code(), external_id);
                    match BINDINGS.holder(txn, BINDING_BY_ACCOUNT, &key)? {
                        Some(id) => BINDINGS.get(txn, &id),
                        None => Ok(None),
                    }
                })
                .collect()
        })
    }

    /// Every audit run, oldest first.
    pub fn audit_runs(&self) -> Result<Vec<AuditRun>, StoreError> {
        self.read(|txn| AUDIT_RUNS.all(txn))
    }

    /// The latest audit run, if there was one.
    pub fn last_audit_run(&self) -> Result<Option<AuditRun>, StoreError> {
        Ok(self.read(|txn| AUDIT_RUNS.last(txn))?.map(|(_, run)| run))
    }
}

impl Writer<'_> {
    /// Stores new bindings under fresh ids, claiming each external id;
    /// an id already bound (in the store or earlier in `bindings`) is
    /// refused with its holder named.
    pub fn add_bindings(&mut self, bindings: &[Binding]) -> Result<Vec<Binding>, StoreError> {
        self.announce(Kind::Binding);
        let first = tables::reserve_ids(self.txn, "binding", bindings.len() as u64)?;
        let mut stored = Vec::with_capacity(bindings.len());
        for (binding, id) in bindings.iter().zip(first..) {
            let binding = Binding {
                id: BindingId(id),
                ..binding.clone()
            };
            BINDINGS
                .put(self.txn, &id, &binding)
                .map_err(|err| match err {
                    StoreError::Taken {
                        index: "account",
                        holder,
                        ..
                    } => StoreError::DuplicateExternalId {
                        provider: binding.provider.label(),
                        holder: holder_id(&holder),
                    },
                    other => other,
                })?;
            stored.push(binding);
        }
        Ok(stored)
    }

    /// Replaces stored bindings (a step of their unbinding, a last use);
    /// their employee and account cannot change.
    pub fn update_bindings(&mut self, bindings: &[Binding]) -> Result<(), StoreError> {
        for binding in bindings {
            self.touched.push(EntityKey::Binding(binding.id));
            let before = BINDINGS
                .put(self.txn, &binding.id.0, binding)?
                .ok_or_else(|| StoreError::not_found("binding", binding.id))?;
            if before.external_id != binding.external_id
                || before.provider != binding.provider
                || before.employee != binding.employee
            {
                return Err(StoreError::Database(tr!(
                    "store.binding_account_changed",
                    id = binding.id
                )));
            }
        }
        Ok(())
    }

    /// The binding with `id` as this transaction sees it.
    pub fn binding(&self, id: BindingId) -> Result<Option<Binding>, StoreError> {
        BINDINGS.get(self.txn, &id.0)
    }

    /// The binding whose pending request carries `code`, as this
    /// transaction sees it.
    pub fn binding_pending_with(&self, code: &str) -> Result<Option<Binding>, StoreError> {
        pending_with(self.txn, code)
    }

    /// `employee`'s bindings as this transaction sees them, by id.
    pub fn bindings_of(&self, employee: EmployeeId) -> Result<Vec<Binding>, StoreError> {
        of_employee(self.txn, employee)
    }

    /// Whether `code` is the code of a pending request.
    pub fn code_is_pending(&self, code: &str) -> Result<bool, StoreError> {
        Ok(BINDINGS
            .holder(
                self.txn,
                BINDING_BY_PENDING_CODE,
                &IndexKey::new().text(code),
            )?
            .is_some())
    }

    /// The notice of `binding`'s current request as this transaction sees it.
    pub fn unbind_notice(&self, binding: &Binding) -> Result<Option<UnbindNotice>, StoreError> {
        UNBIND_NOTICES.get(self.txn, &notice_key(binding))
    }

    /// Keeps a notice as sent.
    pub fn put_unbind_notice(
        &mut self,
        binding: &Binding,
        notice: &UnbindNotice,
    ) -> Result<(), StoreError> {
        self.announce(Kind::Binding);
        UNBIND_NOTICES
            .put(self.txn, &notice_key(binding), notice)
            .map(drop)
    }

    /// Every binding with a pending request, as this transaction sees them.
    pub fn pending_bindings(&self) -> Result<Vec<Binding>, StoreError> {
        let ids = BINDINGS.keys_by(self.txn, BINDING_BY_PENDING_CODE, &IndexKey::new())?;
        existing(self.txn, ids)
    }

    /// A fresh confirmation code for `binding` that no pending request has.
    pub fn new_code(&self, binding: BindingId) -> Result<String, StoreError> {
        fresh_code(binding, self.at(), |code| self.code_is_pending(code))?
            .ok_or_else(|| StoreError::Database(tr!("binding.no_code")))
    }

    /// Gives every pending request a fresh code, each logged, and returns
    /// how many: the upgrade for requests made while the requester's
    /// screen showed the code. Their notices are in the outbox.
    pub(crate) fn renew_pending_codes(&mut self) -> Result<usize, StoreError> {
        let pending = self.pending_bindings()?;
        for before in &pending {
            let mut after = before.clone();
            let code = self.new_code(after.id)?;
            let (by, at) = (self.operator().to_string(), self.at());
            after
                .renew_code(&code, &by, at)
                .map_err(|err| StoreError::Database(err.to_string()))?;
            self.update_bindings(std::slice::from_ref(&after))?;
            let holder = self
                .employee(after.employee)?
                .map(|e| format!("{} {}", e.emp_no, e.name))
                .unwrap_or_default();
            let requested_by = after.requested_by().unwrap_or_default();
            self.audit(
                AuditRecord::new("binding.code_renewed", "binding", after.id)
                    .before(format!(
                        "employee={holder} account={} requested_by={requested_by} code=seen",
                        mask_external_id(&after.external_id)
                    ))
                    .after("code=new notice=outbox"),
            )?;
        }
        Ok(pending.len())
    }

    /// Keeps the record of an audit run.
    pub fn add_audit_run(&mut self, run: &AuditRun) -> Result<(), StoreError> {
        let id = tables::next_id(self.txn, "binding_audit")?;
        AUDIT_RUNS.put(self.txn, &id, run).map(drop)
    }
}

/// A binding's id as a unique key's holder names it.
fn holder_id(key: &[u8]) -> String {
    <[u8; 8]>::try_from(key).map_or_else(
        |_| String::from_utf8_lossy(key).into_owned(),
        |id| BindingId(u64::from_be_bytes(id)).to_string(),
    )
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::audit::AuditRecord;
    use crate::domain::binding::{BindingState, UnbindReason};
    use crate::domain::employee::EmployeeId;
    use crate::store::test_support::{account as binding, at, new_file_store};

    fn write<T>(
        store: &Store,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        store.write("hr", at(2), |w| {
            let value = f(w)?;
            w.audit(AuditRecord::new("binding.test", "binding", "*"))?;
            Ok(value)
        })
    }

    #[test]
    fn an_external_id_is_bound_once_ever_and_bindings_survive_a_reopen() {
        let (_dir, path, store) = new_file_store();
        let added = write(&store, |w| {
            w.add_bindings(&[binding(1, "o-a"), binding(2, "o-b")])
        })
        .expect("add");
        assert_eq!(added[1].id, BindingId(2));
        let mut gone = added[0].clone();
        gone.force(UnbindReason::Departure, "hr", at(3))
            .expect("force");
        write(&store, |w| w.update_bindings(std::slice::from_ref(&gone))).expect("update");
        let again = write(&store, |w| w.add_bindings(&[binding(3, "o-a")]));
        assert!(
            matches!(&again, Err(StoreError::DuplicateExternalId { holder, .. }) if holder == "B1"),
            "an unbound id stays taken: {again:?}"
        );
        let twice = write(&store, |w| {
            w.add_bindings(&[binding(4, "o-c"), binding(5, "o-c")])
        });
        assert!(twice.is_err(), "the same id twice in one batch");
        write(&store, |w| {
            w.add_audit_run(&AuditRun {
                by: "hr".into(),
                at: at(4),
                as_of: NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
                counts: [1, 0, 0, 0, 2, 0],
            })
        })
        .expect("run");
        drop(store);
        let store = Store::open(&path).expect("reopen");
        let all = store.binding_window(None, 10, false).expect("bindings");
        assert_eq!(all.len(), 2, "refused batches wrote nothing");
        assert_eq!(all[0], gone);
        assert_eq!(
            store
                .binding_holding(Provider::WeChat, "o-b")
                .expect("index"),
            Some(BindingId(2))
        );
        assert_eq!(
            store
                .binding_holding(Provider::WeCom, "o-b")
                .expect("index"),
            None
        );
        assert_eq!(store.audit_runs().expect("runs")[0].counts[4], 2);
    }

    #[test]
    fn a_schema_3_file_gains_the_employee_and_code_indexes() {
        use crate::store::test_support::{old_layout_file, put_old};

        let mut pending = Binding {
            id: BindingId(5),
            ..binding(9, "o-nine")
        };
        pending
            .request_unbind(UnbindReason::PrivacyRequest, "CODE2345", "hr", at(3))
            .expect("request");
        let (_dir, path) = old_layout_file(3, |txn| put_old(txn, "bindings", 5, &pending));
        let store = Store::open(&path).expect("upgrade");
        assert_eq!(
            store.bindings_of(EmployeeId(9)).expect("of")[0].id,
            BindingId(5)
        );
        assert_eq!(
            store.binding_pending_with("CODE2345").expect("code"),
            None,
            "the code its requester saw is replaced"
        );
        let upgraded = store.binding(BindingId(5)).expect("read").expect("kept");
        let BindingState::PendingUnbind { code, .. } = &upgraded.state else {
            panic!("still pending: {:?}", upgraded.state);
        };
        assert_eq!(
            store
                .binding_pending_with(code)
                .expect("code")
                .map(|b| b.id),
            Some(BindingId(5)),
            "the new code is indexed"
        );
        assert_eq!(store.binding_count().expect("count"), 1);
    }

    #[test]
    fn a_schema_10_file_renews_every_pending_code_and_logs_each() {
        use crate::store::test_support::restamp;

        let (_dir, path, store) = new_file_store();
        let added = write(&store, |w| {
            w.add_bindings(&[binding(1, "o-a"), binding(2, "o-b")])
        })
        .expect("add");
        let mut pending = added[0].clone();
        pending
            .request_unbind(UnbindReason::PrivacyRequest, "SEENCODE", "hr.wang", at(3))
            .expect("request");
        write(&store, |w| {
            w.update_bindings(std::slice::from_ref(&pending))
        })
        .expect("update");
        restamp(&store, 10);
        drop(store);
        let store = Store::open(&path).expect("upgrade");
        let renewed = store.binding(pending.id).expect("read").expect("kept");
        assert_eq!(
            renewed.requested_by(),
            Some("hr.wang"),
            "the request stays hers"
        );
        assert_eq!(
            renewed.history.len(),
            2,
            "the renewal is a step of the history"
        );
        assert_eq!(store.binding_pending_with("SEENCODE").expect("code"), None);
        assert_eq!(
            store.unbind_notice(&renewed).expect("notice"),
            None,
            "its notice is in the outbox, not sent"
        );
        assert_eq!(
            store.binding(added[1].id).expect("read").expect("kept"),
            added[1],
            "an active binding is left alone"
        );
        let log = store.audit_entries().expect("log");
        let renewal = log
            .iter()
            .find(|e| e.record.action == "binding.code_renewed")
            .expect("logged");
        let before = renewal.record.before.as_deref().unwrap_or_default();
        assert!(before.contains("requested_by=hr.wang"), "{before}");
        assert!(!before.contains("SEENCODE"), "codes stay out of the log");
        assert!(log.iter().any(|e| e.record.action == "database.upgrade"
            && e.record.after.as_deref() == Some("schema=11 codes_renewed=1 spend_attributed=0")));
    }
}
