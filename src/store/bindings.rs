//! Bindings on disk: records by id (never deleted), the index that keeps
//! each provider's external id bound once across all employees, departed
//! ones included, and the record of each audit run.

use redb::ReadableTable;

use super::Store;
use super::codec::Record;
use super::error::StoreError;
use super::tables::{self, AUDIT_RUNS, BINDINGS, EXTERNAL_IDS};
use super::writer::Writer;
use crate::domain::binding::audit::AuditRun;
use crate::domain::binding::{Binding, BindingId, Provider};
use crate::tr;

impl Record for Binding {
    const VERSION: u16 = 1;
}

impl Record for AuditRun {
    const VERSION: u16 = 1;
}

impl Store {
    /// All bindings, by id.
    pub fn bindings(&self) -> Result<Vec<Binding>, StoreError> {
        self.read(|txn| BINDINGS.all(&BINDINGS.open_read(txn)?))
    }

    pub fn binding(&self, id: BindingId) -> Result<Option<Binding>, StoreError> {
        self.read(|txn| BINDINGS.get(&BINDINGS.open_read(txn)?, id.0))
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
}

impl Writer<'_> {
    /// Stores new bindings under fresh ids, claiming each external id;
    /// an id already bound (in the store or earlier in `bindings`) is
    /// refused with its holder named.
    pub fn add_bindings(&mut self, bindings: &[Binding]) -> Result<Vec<Binding>, StoreError> {
        let first = tables::reserve_ids(self.txn, "binding", bindings.len() as u64)?;
        let mut table = BINDINGS.open_write(self.txn)?;
        let mut index = self.txn.open_table(EXTERNAL_IDS)?;
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
    /// their external ids cannot change.
    pub fn update_bindings(&mut self, bindings: &[Binding]) -> Result<(), StoreError> {
        let mut table = BINDINGS.open_write(self.txn)?;
        for binding in bindings {
            let before = BINDINGS
                .put(&mut table, binding.id.0, binding)?
                .ok_or_else(|| StoreError::NotFound {
                    entity: "binding",
                    id: binding.id.to_string(),
                })?;
            if before.external_id != binding.external_id || before.provider != binding.provider {
                return Err(StoreError::Database(tr!(
                    "store.binding_account_changed",
                    id = binding.id
                )));
            }
        }
        Ok(())
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
        let all = store.bindings().expect("bindings");
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
}
