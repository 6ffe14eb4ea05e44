//! Several handles on one file, as several processes have them: a write
//! that cannot start waits, then is refused as busy naming the writer; a
//! file upgraded by a newer build is no longer written by an older one; an
//! upgrade waits until nobody else has the file open.

use std::sync::mpsc;
use std::time::Duration;

use super::redb_engine::upgrade::{MIGRATIONS, Migration};
use super::test_support::{add, at, new_file_store};
use super::{Clock, Store, StoreError, meta};
use crate::domain::audit::AuditRecord;

#[test]
fn a_write_that_cannot_start_is_busy_and_names_the_writer() {
    let (_dir, path, holder) = new_file_store();
    holder
        .join("hr.li", "import staff", Clock::Fixed(at(1)))
        .expect("join");
    let mut waiter = Store::open(&path).expect("second handle");
    waiter.set_write_wait(Duration::from_millis(150));
    let (started, wait_for_start) = mpsc::channel();
    let (finish, wait_for_finish) = mpsc::channel::<()>();
    let writing = std::thread::spawn(move || {
        holder.write("hr.li", at(2), |w| {
            let dept = w.add_department("Sales", None, None)?;
            w.audit(AuditRecord::new("department.add", "department", dept.id))?;
            started.send(()).expect("tell");
            wait_for_finish.recv().expect("wait");
            Ok(())
        })
    });
    wait_for_start.recv().expect("the holder writes");
    let err = waiter
        .write("bob", at(3), |w| {
            w.audit(AuditRecord::new("t", "t", 1)).map(drop)
        })
        .expect_err("busy");
    let StoreError::Busy {
        holders, waited, ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert!(*waited >= Duration::from_millis(150));
    let writer = holders
        .iter()
        .find(|s| s.writing_since.is_some())
        .expect("named");
    assert_eq!(
        (writer.operator.as_str(), writer.what.as_str()),
        ("hr.li", "import staff")
    );
    let text = err.to_string();
    assert!(
        text.contains("hr.li is writing (import staff, process"),
        "{text}"
    );
    assert!(text.contains("--wait"), "{text}");
    finish.send(()).expect("finish");
    writing.join().expect("thread").expect("the holder's write");
    // Once the holder is done, the same write goes through.
    waiter
        .write("bob", at(4), |w| {
            w.audit(AuditRecord::new("t", "t", 1)).map(drop)
        })
        .expect("no longer busy");
    assert_eq!(waiter.departments().expect("read").len(), 1);
}

#[test]
fn a_write_waits_for_a_short_one_to_end() {
    let (_dir, path, holder) = new_file_store();
    let waiter = Store::open(&path).expect("second handle");
    let (started, wait_for_start) = mpsc::channel();
    let writing = std::thread::spawn(move || {
        holder.write("alice", at(2), |w| {
            started.send(()).expect("tell");
            std::thread::sleep(Duration::from_millis(100));
            w.audit(AuditRecord::new("t", "t", 1)).map(drop)
        })
    });
    wait_for_start.recv().expect("the holder writes");
    add(&waiter, "Sales", None);
    writing.join().expect("thread").expect("first write");
    assert_eq!(waiter.audit_count().expect("count"), 3);
}

#[test]
fn the_time_of_a_write_is_read_after_its_wait() {
    let (_dir, _path, store) = new_file_store();
    let before = chrono::Utc::now();
    store
        .write("alice", Clock::System, |w| {
            w.audit(AuditRecord::new("t", "t", 1)).map(drop)
        })
        .expect("write");
    let entry = store.audit_entries().expect("log").pop().expect("entry");
    assert!(entry.at >= before);
}

#[test]
fn a_file_upgraded_by_a_newer_build_is_not_written_by_this_one() {
    let (_dir, path, old) = new_file_store();
    let newer = Store::open(&path).expect("second handle");
    super::test_support::restamp(&newer, meta::SCHEMA_VERSION + 1);
    let departments_before = old.departments().expect("read");
    let err = old
        .write("alice", at(5), |w| {
            w.add_department("Sales", None, None)?;
            w.audit(AuditRecord::new("t", "t", 1)).map(drop)
        })
        .expect_err("refused");
    assert!(matches!(err, StoreError::SchemaMoved { .. }), "{err:?}");
    assert!(err.to_string().contains("nothing was saved"), "{err}");
    assert_eq!(old.departments().expect("read"), departments_before);
}

#[test]
fn an_upgrade_waits_until_nobody_else_has_the_file_open() {
    let (_dir, path, store) = new_file_store();
    super::test_support::restamp(&store, meta::SCHEMA_VERSION - 1);
    store
        .join("hr.zhang", "console", Clock::Fixed(at(1)))
        .expect("join");
    let err = Store::open_with_migrations(&path, MIGRATIONS, super::DEFAULT_WAIT)
        .err()
        .expect("refused");
    let StoreError::UpgradeWhileOpen { sessions, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(sessions.len(), 1);
    assert!(
        err.to_string().contains("hr.zhang (console, process"),
        "{err}"
    );
    drop(store);
    let nothing_to_do = Migration {
        from: meta::SCHEMA_VERSION - 1,
        apply: |_, _| Ok(()),
    };
    let upgraded = Store::open_with_migrations(&path, &[nothing_to_do], super::DEFAULT_WAIT)
        .expect("alone, it upgrades");
    assert_eq!(
        upgraded.schema_version().expect("version"),
        meta::SCHEMA_VERSION
    );
}

#[test]
fn the_registry_lists_this_process_until_its_last_handle_closes() {
    let (_dir, _path, store) = new_file_store();
    assert_eq!(store.sessions().expect("sessions"), vec![]);
    store
        .join("alice", "console", Clock::Fixed(at(1)))
        .expect("join");
    let clone = store.clone();
    drop(store);
    let sessions = clone.sessions().expect("sessions");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].pid, std::process::id());
    let probe = Store::open(&_path).expect("another handle");
    drop(clone);
    assert_eq!(probe.sessions().expect("sessions"), vec![]);
}

#[test]
fn each_commit_is_a_change_naming_what_it_touched_and_moving_their_revisions() {
    use crate::domain::change::{EntityKey, Kind, Revision};
    let (_dir, path, store) = new_file_store();
    let sales = add(&store, "Sales", None);
    let key = EntityKey::Department(sales.id);
    let first = store.last_change().expect("last");
    assert_eq!(store.revision(&key).expect("revision"), Revision(first));
    let other = Store::open(&path).expect("another handle");
    other
        .write("bob", at(9), |w| {
            let mut renamed = sales.clone();
            renamed.name = "Sales & Marketing".into();
            w.update_department(&renamed)?;
            w.audit(AuditRecord::new("department.edit", "department", sales.id))
                .map(drop)
        })
        .expect("rename");
    let changes = store.changes_since(first, 10).expect("feed");
    assert_eq!(changes.len(), 1);
    let change = &changes[0];
    assert_eq!((change.operator.as_str(), change.at), ("bob", at(9)));
    assert_eq!(change.keys, std::slice::from_ref(&key));
    assert_eq!(change.actions, ["department.edit 1"]);
    assert_eq!(
        store.revision(&key).expect("revision"),
        Revision(change.seq)
    );
    // A refused write leaves neither a change nor a revision behind.
    let refused: Result<(), StoreError> = store.write("alice", at(10), |w| {
        w.add_department("Legal", None, None)?;
        Err(StoreError::Database("no".into()))
    });
    assert!(refused.is_err());
    assert_eq!(store.last_change().expect("last"), change.seq);
    // Records added in bulk are named by kind; each keeps revision 0 until it changes.
    store
        .write("alice", at(11), |w| {
            let first = w.reserve_goal_ids(2)?;
            w.add_reserved_goals(&[])?;
            w.audit(AuditRecord::new("goal.bulk", "goal", first.0))
                .map(drop)
        })
        .expect("bulk");
    let bulk = store.changes_since(change.seq, 10).expect("feed");
    assert_eq!(bulk[0].keys, [EntityKey::All(Kind::Goal)]);
    // An action of many entries is told once, with their number, where
    // its first was; each entry is still in the log, numbered in turn.
    let seqs = store
        .write("alice", at(12), |w| {
            let mut seqs = vec![w.audit(AuditRecord::new("note.add", "note", 1))?];
            for id in 0..300 {
                seqs.push(w.audit(AuditRecord::new("binding.used", "binding", id))?);
            }
            seqs.push(w.audit(AuditRecord::new("note.add", "note", 2))?);
            Ok(seqs)
        })
        .expect("many");
    assert!(seqs.windows(2).all(|two| two[1] == two[0] + 1), "{seqs:?}");
    let many = store.changes_since(bulk[0].seq, 10).expect("feed");
    assert_eq!(
        many[0].actions,
        ["note.add 1", "binding.used ×300", "note.add 2"]
    );
    let log = store.audit_entries().expect("log");
    assert_eq!(log.len() as u64, seqs[seqs.len() - 1]);
    assert_eq!(log[log.len() - 2].record.entity_id, "299");
    assert_eq!(log[log.len() - 2].operator, "alice");
    assert!(store.verify(None).expect("verify").intact());
}

#[test]
fn an_upgrade_indexes_the_people_already_on_file() {
    use crate::domain::employee::EmployeeId;
    use crate::domain::fixtures::person;
    use crate::store::RuleReads;
    use crate::store::test_support::{old_layout_file, put_old};
    // What a schema-5 file looks like: the people, no indexes of them.
    let (_dir, path) = old_layout_file(5, |txn| {
        let mut boss = person(1, "E1", 1, None);
        boss.national_id = "11010519491231002X".into();
        let mut rep = person(2, "E2", 1, Some(1));
        rep.phone = "13800138000".into();
        put_old(txn, "employees", 1, &boss);
        put_old(txn, "employees", 2, &rep);
    });
    let boss = EmployeeId(1);
    let upgraded = Store::open(&path).expect("upgrade");
    assert_eq!(upgraded.reports_of(boss).expect("reports"), [EmployeeId(2)]);
    assert_eq!(
        upgraded
            .holders_of_national_id("11010519491231002X")
            .expect("holders"),
        [boss]
    );
    assert_eq!(
        upgraded
            .holders_of_name_phone("员工2", "13800138000")
            .expect("holders"),
        [EmployeeId(2)]
    );
}
