//! Bindings on disk: records by id (never deleted), the index that keeps
//! each provider's external id bound once across all employees, departed
//! ones included, each employee's bindings and the pending requests by
//! confirmation code (both indexes since schema 4), and the record of each
//! audit run.

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};

use super::Store;
use super::codec::{self, Record};
use super::error::StoreError;
use super::tables::{
    self, AUDIT_RUNS, BINDINGS, BINDINGS_BY_EMPLOYEE, EXTERNAL_IDS, PENDING_CODES,
};
use super::writer::Writer;
use crate::domain::binding::audit::AuditRun;
use crate::domain::binding::{Binding, BindingId, BindingState, BindingView, Provider};
use crate::domain::change::{EntityKey, Kind};
use crate::domain::employee::EmployeeId;
use crate::tr;

impl Record for Binding {
    const VERSION: u16 = 1;
}

impl Record for AuditRun {
    const VERSION: u16 = 1;
}

/// The confirmation code of a pending request.
fn pending_code(binding: &Binding) -> Option<&str> {
    match &binding.state {
        BindingState::PendingUnbind { code, .. } => Some(code),
        _ => None,
    }
}

/// The binding ids of `employee` in an index table.
fn ids_of(
    index: &impl ReadableTable<(u64, u64), ()>,
    employee: EmployeeId,
) -> Result<Vec<u64>, StoreError> {
    let mut ids = Vec::new();
    for entry in index.range((employee.0, 0)..=(employee.0, u64::MAX))? {
        ids.push(entry?.0.value().1);
    }
    Ok(ids)
}

/// Schema 3 → 4: indexes the stored bindings by employee and the pending
/// requests by code.
pub(crate) fn index_bindings(txn: &WriteTransaction) -> Result<(), StoreError> {
    let table = BINDINGS.open_write(txn)?;
    let mut by_employee = txn.open_table(BINDINGS_BY_EMPLOYEE)?;
    let mut codes = txn.open_table(PENDING_CODES)?;
    for entry in table.iter()? {
        let (key, value) = entry?;
        let binding = BINDINGS.decode(&key.value(), value.value())?;
        by_employee.insert((binding.employee.0, binding.id.0), ())?;
        if let Some(code) = pending_code(&binding) {
            codes.insert(code, binding.id.0)?;
        }
    }
    Ok(())
}

impl Store {
    /// Every binding as a view read in place (nothing copied), by id: how
    /// the audit and whole-store lists go through a million bindings.
    pub fn each_binding(&self, mut visit: impl FnMut(BindingView<'_>)) -> Result<(), StoreError> {
        self.read(|txn| {
            for entry in BINDINGS.open_read(txn)?.iter()? {
                let (key, value) = entry?;
                let view =
                    codec::decode_leading(value.value(), Binding::VERSION).map_err(|detail| {
                        StoreError::Decode {
                            table: "bindings",
                            key: key.value().to_string(),
                            detail,
                        }
                    })?;
                visit(view);
            }
            Ok(())
        })
    }

    /// How many bindings there are, unbound ones included.
    pub fn binding_count(&self) -> Result<u64, StoreError> {
        self.read(|txn| Ok(BINDINGS.open_read(txn)?.len()?))
    }

    pub fn binding(&self, id: BindingId) -> Result<Option<Binding>, StoreError> {
        self.read(|txn| BINDINGS.get(&BINDINGS.open_read(txn)?, id.0))
    }

    /// The bindings with these ids that exist, in the order asked.
    pub fn bindings_by_id(&self, ids: &[BindingId]) -> Result<Vec<Binding>, StoreError> {
        self.read(|txn| {
            let table = BINDINGS.open_read(txn)?;
            let mut found = Vec::with_capacity(ids.len());
            for id in ids {
                found.extend(BINDINGS.get(&table, id.0)?);
            }
            Ok(found)
        })
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
        self.read(|txn| {
            let table = BINDINGS.open_read(txn)?;
            let mut found = Vec::with_capacity(limit);
            let mut take = |entry: Result<
                (redb::AccessGuard<u64>, redb::AccessGuard<&[u8]>),
                redb::StorageError,
            >|
             -> Result<(), StoreError> {
                let (key, value) = entry?;
                found.push(BINDINGS.decode(&key.value(), value.value())?);
                Ok(())
            };
            match (after, backwards) {
                (None, false) => table.iter()?.take(limit).try_for_each(&mut take)?,
                (Some(id), false) => table
                    .range(id.0.saturating_add(1)..)?
                    .take(limit)
                    .try_for_each(&mut take)?,
                (None, true) => table.iter()?.rev().take(limit).try_for_each(&mut take)?,
                (Some(id), true) => table
                    .range(..id.0)?
                    .rev()
                    .take(limit)
                    .try_for_each(&mut take)?,
            }
            if backwards {
                found.reverse();
            }
            Ok(found)
        })
    }

    /// `employee`'s bindings, by id.
    pub fn bindings_of(&self, employee: EmployeeId) -> Result<Vec<Binding>, StoreError> {
        self.read(|txn| {
            let ids = ids_of(&txn.open_table(BINDINGS_BY_EMPLOYEE)?, employee)?;
            let table = BINDINGS.open_read(txn)?;
            let mut found = Vec::with_capacity(ids.len());
            for id in ids {
                found.extend(BINDINGS.get(&table, id)?);
            }
            Ok(found)
        })
    }

    /// The binding waiting for the confirmation `code`, if any.
    pub fn binding_pending_with(&self, code: &str) -> Result<Option<Binding>, StoreError> {
        self.read(|txn| match txn.open_table(PENDING_CODES)?.get(code)? {
            Some(id) => BINDINGS.get(&BINDINGS.open_read(txn)?, id.value()),
            None => Ok(None),
        })
    }

    /// The ids of every binding with a pending unbind request, in order.
    pub fn pending_binding_ids(&self) -> Result<Vec<BindingId>, StoreError> {
        self.read(|txn| {
            let mut ids = Vec::new();
            for entry in txn.open_table(PENDING_CODES)?.iter()? {
                ids.push(BindingId(entry?.1.value()));
            }
            ids.sort_unstable();
            Ok(ids)
        })
    }

    /// The binding that holds `external_id` with `provider`, if any.
    pub fn binding_holding(
        &self,
        provider: Provider,
        external_id: &str,
    ) -> Result<Option<BindingId>, StoreError> {
        self.read(|txn| {
            let index = txn.open_table(EXTERNAL_IDS)?;
            Ok(index
                .get((provider.code(), external_id))?
                .map(|id| BindingId(id.value())))
        })
    }

    /// Every audit run, oldest first.
    pub fn audit_runs(&self) -> Result<Vec<AuditRun>, StoreError> {
        self.read(|txn| AUDIT_RUNS.all(&AUDIT_RUNS.open_read(txn)?))
    }

    /// The latest audit run, if there was one.
    pub fn last_audit_run(&self) -> Result<Option<AuditRun>, StoreError> {
        self.read(|txn| {
            let table = AUDIT_RUNS.open_read(txn)?;
            let last = table.last()?;
            last.map(|(key, value)| AUDIT_RUNS.decode(&key.value(), value.value()))
                .transpose()
        })
    }
}

impl Writer<'_> {
    /// Stores new bindings under fresh ids, claiming each external id;
    /// an id already bound (in the store or earlier in `bindings`) is
    /// refused with its holder named.
    pub fn add_bindings(&mut self, bindings: &[Binding]) -> Result<Vec<Binding>, StoreError> {
        self.announce(Kind::Binding);
        let first = tables::reserve_ids(self.txn, "binding", bindings.len() as u64)?;
        let mut table = BINDINGS.open_write(self.txn)?;
        let mut index = self.txn.open_table(EXTERNAL_IDS)?;
        let mut by_employee = self.txn.open_table(BINDINGS_BY_EMPLOYEE)?;
        let mut codes = self.txn.open_table(PENDING_CODES)?;
        let mut stored = Vec::with_capacity(bindings.len());
        for (binding, id) in bindings.iter().zip(first..) {
            let key = (binding.provider.code(), binding.external_id.as_str());
            if let Some(holder) = index.get(key)? {
                return Err(StoreError::DuplicateExternalId {
                    provider: binding.provider.label(),
                    holder: BindingId(holder.value()).to_string(),
                });
            }
            index.insert(key, id)?;
            by_employee.insert((binding.employee.0, id), ())?;
            if let Some(code) = pending_code(binding) {
                codes.insert(code, id)?;
            }
            let binding = Binding {
                id: BindingId(id),
                ..binding.clone()
            };
            BINDINGS.put(&mut table, id, &binding)?;
            stored.push(binding);
        }
        Ok(stored)
    }

    /// Replaces stored bindings (a step of their unbinding, a last use);
    /// their employee and account cannot change.
    pub fn update_bindings(&mut self, bindings: &[Binding]) -> Result<(), StoreError> {
        let mut table = BINDINGS.open_write(self.txn)?;
        let mut codes = self.txn.open_table(PENDING_CODES)?;
        for binding in bindings {
            self.touched.push(EntityKey::Binding(binding.id));
            let before = BINDINGS
                .put(&mut table, binding.id.0, binding)?
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
            if let Some(code) = pending_code(&before) {
                codes.remove(code)?;
            }
            if let Some(code) = pending_code(binding) {
                codes.insert(code, binding.id.0)?;
            }
        }
        Ok(())
    }

    /// The binding with `id` as this transaction sees it.
    pub fn binding(&self, id: BindingId) -> Result<Option<Binding>, StoreError> {
        BINDINGS.get(&BINDINGS.open_write(self.txn)?, id.0)
    }

    /// The binding whose pending request carries `code`, as this
    /// transaction sees it.
    pub fn binding_pending_with(&self, code: &str) -> Result<Option<Binding>, StoreError> {
        let found = self
            .txn
            .open_table(PENDING_CODES)?
            .get(code)?
            .map(|id| id.value());
        match found {
            Some(id) => BINDINGS.get(&BINDINGS.open_write(self.txn)?, id),
            None => Ok(None),
        }
    }

    /// `employee`'s bindings as this transaction sees them, by id.
    pub fn bindings_of(&self, employee: EmployeeId) -> Result<Vec<Binding>, StoreError> {
        let ids = ids_of(&self.txn.open_table(BINDINGS_BY_EMPLOYEE)?, employee)?;
        let table = BINDINGS.open_write(self.txn)?;
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            found.extend(BINDINGS.get(&table, id)?);
        }
        Ok(found)
    }

    /// Whether `code` is the code of a pending request.
    pub fn code_is_pending(&self, code: &str) -> Result<bool, StoreError> {
        Ok(self.txn.open_table(PENDING_CODES)?.get(code)?.is_some())
    }

    /// Keeps the record of an audit run.
    pub fn add_audit_run(&mut self, run: &AuditRun) -> Result<(), StoreError> {
        let id = tables::next_id(self.txn, "binding_audit")?;
        AUDIT_RUNS.put(&mut AUDIT_RUNS.open_write(self.txn)?, id, run)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::audit::AuditRecord;
    use crate::domain::binding::{BindingState, UnbindReason};
    use crate::domain::employee::EmployeeId;
    use crate::store::test_support::{at, new_file_store};

    fn binding(employee: u64, external: &str) -> Binding {
        Binding {
            id: BindingId(0),
            employee: EmployeeId(employee),
            provider: Provider::WeChat,
            external_id: external.into(),
            bound_at: at(1),
            last_used: None,
            method: "qr".into(),
            state: BindingState::Active,
            history: Vec::new(),
        }
    }

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
        use redb::Database;

        use crate::store::meta;
        use crate::store::test_support::scratch_path;

        let (_dir, path) = scratch_path();
        {
            let db = Database::create(&path).expect("create");
            let txn = db.begin_write().expect("write");
            meta::stamp(&txn, 3).expect("stamp");
            let mut pending = Binding {
                id: BindingId(5),
                ..binding(9, "o-nine")
            };
            pending
                .request_unbind(UnbindReason::PrivacyRequest, "CODE2345", "hr", at(3))
                .expect("request");
            BINDINGS
                .put(&mut BINDINGS.open_write(&txn).expect("table"), 5, &pending)
                .expect("put");
            txn.commit().expect("commit");
        }
        let store = Store::open(&path).expect("upgrade");
        assert_eq!(
            store.bindings_of(EmployeeId(9)).expect("of")[0].id,
            BindingId(5)
        );
        assert_eq!(
            store
                .binding_pending_with("CODE2345")
                .expect("code")
                .map(|b| b.id),
            Some(BindingId(5))
        );
        assert_eq!(store.binding_count().expect("count"), 1);
    }
}
