//! Tests of seals, the chain and `verify`: what a program that opens the
//! file with redb directly could do, and what is noticed.

use super::Store;
use super::StoreError;
use super::backend::WriteTxn;
use super::chain;
use super::keys::KeyCodec;
use super::seal;
use super::tables::{AUDIT_LOG, AnyTable, EMPLOYEES};
use super::test_support::{add, at, new_file_store};
use super::verify::{EntryFault, Fault, Finding};
use crate::domain::audit::{AuditEntry, AuditRecord};
use crate::domain::employee::{Employee, EmployeeId};
use crate::domain::fixtures;

/// A store with a department and three employees, each added by its own write.
fn company() -> (tempfile::TempDir, Store) {
    let (dir, _path, store) = new_file_store();
    let sales = add(&store, "Sales", None);
    for n in 1..=3 {
        store
            .write("alice", at(n), |w| {
                let added =
                    w.add_employee(&fixtures::person(0, &format!("E00{n}"), sales.id.0, None))?;
                w.audit(AuditRecord::new("employee.add", "employee", added.id))?;
                Ok(())
            })
            .expect("hire");
    }
    (dir, store)
}

/// Runs `change` on the raw rows, as a program using redb directly would.
fn behind_its_back(store: &Store, mut change: impl FnMut(&dyn WriteTxn)) {
    let done = store
        .backend
        .try_write(&mut |txn| {
            change(txn);
            Ok(())
        })
        .expect("raw write");
    assert!(done);
}

fn raw_row(txn: &dyn WriteTxn, table: &dyn AnyTable, key: &[u8]) -> Vec<u8> {
    let mut row = None;
    txn.get(table.spec(), key, &mut |bytes| {
        row = Some(bytes.to_vec());
        Ok(())
    })
    .expect("get");
    row.expect("the row is there")
}

/// The stored envelope of employee `id` with a salary of `salary`.
fn with_salary(txn: &dyn WriteTxn, id: u64, salary: &str) -> (Vec<u8>, seal::Sealed<'static>) {
    let stored = raw_row(txn, &EMPLOYEES, &id.to_bytes());
    let sealed = seal::split(&stored).expect("sealed");
    let mut employee: Employee = super::codec::decode(sealed.envelope).expect("decode");
    employee.salary = salary.parse().ok();
    let envelope = super::codec::encode(&employee).expect("encode");
    let leaked: &'static [u8] = Box::leak(envelope.into_boxed_slice());
    (
        stored.clone(),
        seal::Sealed {
            seq: sealed.seq,
            hash: sealed.hash,
            envelope: leaked,
        },
    )
}

fn put_raw(txn: &dyn WriteTxn, table: &dyn AnyTable, key: &[u8], bytes: &[u8]) {
    let keys = table
        .index_keys(seal::envelope(table.spec().sealed, bytes))
        .expect("keys");
    let keys: Vec<Option<&[u8]>> = keys.iter().map(Option::as_deref).collect();
    txn.put(table.spec(), key, bytes, &keys).expect("put");
}

#[test]
fn an_untouched_database_is_intact_and_names_its_head() {
    let (_dir, store) = company();
    let verdict = store.verify(None).expect("verify");
    assert!(verdict.intact(), "{verdict:?}");
    let entries = store.audit_entries().expect("entries");
    let last = entries.last().expect("entries");
    assert_eq!(verdict.head, Some((last.seq, last.link.hash)));
    assert_eq!(verdict.entries, entries.len() as u64);
    assert!(verdict.records >= 5, "{verdict:?}");
    let head = chain::hex(&last.link.hash);
    assert!(store.verify(Some(&head)).expect("verify").intact());
}

#[test]
fn an_entry_changed_inside_breaks_the_chain_there() {
    let (_dir, store) = company();
    behind_its_back(&store, |txn| {
        let mut entry: AuditEntry = AUDIT_LOG.get(txn, &3).expect("get").expect("entry 3");
        entry.operator = "mallory".into();
        AUDIT_LOG.put(txn, &3, &entry).expect("put");
    });
    let verdict = store.verify(None).expect("verify");
    let broken = verdict.broken.as_ref().expect("broken");
    assert_eq!((broken.seq, &broken.fault), (3, &EntryFault::Hash));
    assert!(!verdict.intact());
}

#[test]
fn the_newest_entries_removed_are_caught_by_their_records_and_the_kept_head() {
    let (_dir, store) = company();
    let entries = store.audit_entries().expect("entries");
    let kept_head = chain::hex(&entries.last().expect("entry").link.hash);
    let last = entries.len() as u64;
    behind_its_back(&store, |txn| {
        for seq in [last - 1, last] {
            txn.remove(AUDIT_LOG.spec(), &seq.to_bytes())
                .expect("remove");
        }
    });
    let verdict = store.verify(None).expect("verify");
    assert!(verdict.broken.is_none(), "the rest of the chain is whole");
    // The employees those writes sealed name entries that are gone.
    let orphans: Vec<&Finding> = verdict
        .findings
        .iter()
        .filter(|f| f.table == "employees" && f.fault == Fault::UnknownEntry)
        .collect();
    assert_eq!(orphans.len(), 2, "{verdict:?}");
    // So does the employee counter they moved on.
    assert!(
        verdict
            .findings
            .iter()
            .any(|f| f.table == "counters" && f.fault == Fault::UnknownEntry),
        "{verdict:?}"
    );
    let with_head = store.verify(Some(&kept_head)).expect("verify");
    assert_eq!(with_head.expected.as_ref().and_then(|e| e.found), None);
    assert!(!with_head.intact());
}

#[test]
fn a_salary_changed_in_place_is_refused_on_reading_and_named_by_verify() {
    let (_dir, store) = company();
    behind_its_back(&store, |txn| {
        let (stored, changed) = with_salary(txn, 2, "99999");
        let mut tampered = stored[..seal::SEAL_LEN].to_vec();
        tampered.extend_from_slice(changed.envelope);
        put_raw(txn, &EMPLOYEES, &2u64.to_bytes(), &tampered);
    });
    let read = store.employee(EmployeeId(2));
    assert!(matches!(read, Err(StoreError::Tampered { .. })), "{read:?}");
    let verdict = store.verify(None).expect("verify");
    assert!(
        verdict.findings.iter().any(|f| f.table == "employees"
            && f.key.as_deref() == Some("2")
            && f.fault == Fault::Changed),
        "{verdict:?}"
    );
}

#[test]
fn a_salary_changed_and_resealed_is_named_by_the_tally_of_its_entry() {
    let (_dir, store) = company();
    behind_its_back(&store, |txn| {
        let (_, changed) = with_salary(txn, 2, "99999");
        let (resealed, _) =
            seal::seal("employees", &2u64.to_bytes(), changed.seq, changed.envelope);
        put_raw(txn, &EMPLOYEES, &2u64.to_bytes(), &resealed);
    });
    assert!(store.employee(EmployeeId(2)).is_ok(), "its seal matches");
    let verdict = store.verify(None).expect("verify");
    assert!(
        verdict
            .findings
            .iter()
            .any(|f| f.key.as_deref() == Some("2") && f.fault == Fault::Unaccounted),
        "{verdict:?}"
    );
    assert!(!verdict.intact());
}

#[test]
fn a_record_removed_or_slipped_in_is_noticed() {
    let (_dir, store) = company();
    behind_its_back(&store, |txn| {
        txn.remove(EMPLOYEES.spec(), &3u64.to_bytes())
            .expect("remove");
    });
    let verdict = store.verify(None).expect("verify");
    assert!(
        verdict
            .findings
            .iter()
            .any(|f| f.table == "employees" && f.fault == Fault::Missing { count: 1 }),
        "{verdict:?}"
    );

    let (_dir, store) = company();
    behind_its_back(&store, |txn| {
        let stored = raw_row(txn, &EMPLOYEES, &1u64.to_bytes());
        let sealed = seal::split(&stored).expect("sealed");
        let mut copy: Employee = super::codec::decode(sealed.envelope).expect("decode");
        copy.id = EmployeeId(9);
        copy.emp_no = "E009".into();
        let envelope = super::codec::encode(&copy).expect("encode");
        let (row, _) = seal::seal("employees", &9u64.to_bytes(), sealed.seq, &envelope);
        put_raw(txn, &EMPLOYEES, &9u64.to_bytes(), &row);
    });
    let verdict = store.verify(None).expect("verify");
    assert!(
        verdict
            .findings
            .iter()
            .any(|f| f.key.as_deref() == Some("9") && f.fault == Fault::Unaccounted),
        "{verdict:?}"
    );
}

#[test]
fn a_counter_set_back_is_refused_before_it_hands_out_an_id_in_use() {
    let (_dir, store) = company();
    behind_its_back(&store, |txn| {
        let spec = super::tables::COUNTERS.spec();
        let stored = raw_row(txn, &super::tables::COUNTERS, b"employee");
        let mut set_back = stored.clone();
        let last = set_back.len() - 1;
        set_back[last] = 1;
        txn.put(spec, b"employee", &set_back, &[]).expect("put");
    });
    let hired = store.write("alice", at(20), |w| {
        let added = w.add_employee(&fixtures::person(0, "E099", 1, None))?;
        w.audit(AuditRecord::new("employee.add", "employee", added.id))?;
        Ok(added)
    });
    assert!(
        matches!(hired, Err(StoreError::Tampered { .. })),
        "{hired:?}"
    );
    // Set back to 1, the counter would have handed out 2, which E002 holds.
    assert_eq!(
        store
            .employee(EmployeeId(2))
            .expect("read")
            .map(|e| e.emp_no),
        Some("E002".into())
    );
}

#[test]
fn a_secondary_key_out_of_step_with_the_records_is_named() {
    let (_dir, store) = company();
    behind_its_back(&store, |txn| {
        // The row rewritten with another employee number in the index
        // than the record holds: its own entry goes, a false one comes.
        let stored = raw_row(txn, &EMPLOYEES, &1u64.to_bytes());
        txn.remove(EMPLOYEES.spec(), &1u64.to_bytes())
            .expect("remove");
        let false_number = crate::store::keys::IndexKey::new().text("E999");
        let mut keys = vec![None; EMPLOYEES.spec().indexes.len()];
        keys[0] = Some(false_number.as_bytes());
        txn.put(EMPLOYEES.spec(), &1u64.to_bytes(), &stored, &keys)
            .expect("put");
    });
    let verdict = store.verify(None).expect("verify");
    for fault in [
        Fault::IndexMissing { index: "emp_no" },
        Fault::IndexStale { index: "emp_no" },
    ] {
        assert!(
            verdict
                .findings
                .iter()
                .any(|f| f.key.as_deref() == Some("1") && f.fault == fault),
            "{fault:?}: {verdict:?}"
        );
    }
}

#[test]
fn writes_after_a_replacement_keep_the_tallies_balanced() {
    let (_dir, store) = company();
    // Employee 2 rewritten twice and employee 3 removed, by later writes.
    for salary in ["100", "200"] {
        store
            .write("alice", at(9), |w| {
                let mut e = EMPLOYEES.get(w.txn, &2)?.expect("employee 2");
                e.salary = salary.parse().ok();
                w.update_employee(&e)?;
                w.audit(AuditRecord::new("employee.update", "employee", 2))?;
                Ok(())
            })
            .expect("update");
    }
    store
        .write("alice", at(10), |w| {
            w.txn.remove(EMPLOYEES.spec(), &3u64.to_bytes())?;
            w.audit(AuditRecord::new("employee.remove", "employee", 3))?;
            Ok(())
        })
        .expect("remove");
    let verdict = store.verify(None).expect("verify");
    assert!(verdict.intact(), "{verdict:?}");
}

#[test]
fn a_key_slipped_in_with_control_characters_is_named_escaped() {
    let (_dir, store) = company();
    behind_its_back(&store, |txn| {
        let stored = raw_row(txn, &super::tables::COUNTERS, b"employee");
        txn.put(
            super::tables::COUNTERS.spec(),
            b"x\x1b]0;PWNED\x07",
            &stored,
            &[],
        )
        .expect("put");
    });
    let verdict = store.verify(None).expect("verify");
    let named: Vec<&str> = verdict
        .findings
        .iter()
        .filter_map(|f| f.key.as_deref())
        .collect();
    assert!(named.contains(&"x\\u{1b}]0;PWNED\\u{7}"), "{named:?}");
    assert!(!named.iter().any(|k| k.contains('\u{1b}')), "{named:?}");
}
