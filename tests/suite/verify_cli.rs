//! `hrdesk verify` end to end: the real binary on a demo file, after a
//! program that opens the file with redb directly changed an audit entry,
//! a salary, or removed the newest entries.

use crate::e2e;

use e2e::Sandbox;
use redb::{Database, ReadableTable, TableDefinition};

const AUDIT_LOG: TableDefinition<&[u8], &[u8]> = TableDefinition::new("rows/audit_log");
const EMPLOYEES: TableDefinition<&[u8], &[u8]> = TableDefinition::new("rows/employees");

/// Opens the sandbox's file with redb itself and lets `change` loose on it.
fn tamper(sandbox: &Sandbox, change: impl FnOnce(&redb::WriteTransaction)) {
    let db = Database::open(sandbox.db()).expect("open with redb");
    let txn = db.begin_write().expect("write");
    change(&txn);
    txn.commit().expect("commit");
}

/// Changes one bit of the last byte of the row `key` of `table`.
fn flip_last_byte(sandbox: &Sandbox, table: TableDefinition<&[u8], &[u8]>, key: &[u8]) {
    tamper(sandbox, |txn| {
        let mut rows = txn.open_table(table).expect("table");
        let mut row = rows
            .get(key)
            .expect("get")
            .expect("the row is there")
            .value()
            .to_vec();
        let last = row.len() - 1;
        row[last] ^= 0x01;
        rows.insert(key, row.as_slice()).expect("put");
    });
}

/// The head hash `verify --format json` reports.
fn head(sandbox: &Sandbox) -> String {
    let out = sandbox.on_db(&["verify", "--format", "json"]);
    let verdict: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    verdict["head"]["hash"]
        .as_str()
        .expect("a head")
        .to_string()
}

#[test]
fn a_demo_database_verifies_and_its_head_is_the_last_entry_exported() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["verify"])
        .success()
        .stdout_has(&["each hash follows from the one before", "Intact."]);
    let kept = head(&sandbox);
    let log = sandbox.audit_json_with_exports();
    assert_eq!(log.last().expect("entries")["hash"], kept.as_str());
    // Later writes keep the kept head in the chain.
    sandbox
        .on_db(&["operator", "add", "bob", "--role", "hr"])
        .success();
    sandbox
        .on_db(&["verify", "--expect-head", &kept])
        .success()
        .stdout_has(&["Expected head: entry #"]);
    sandbox
        .on_db(&["verify", "--expect-head", &"0".repeat(64)])
        .code(1)
        .stdout_has(&["is no entry of the current chain", "NOT intact"]);
}

#[test]
fn an_audit_entry_renamed_inside_breaks_the_chain_at_that_entry() {
    let sandbox = Sandbox::with_demo();
    tamper(&sandbox, |txn| {
        let mut log = txn.open_table(AUDIT_LOG).expect("table");
        let key = 5u64.to_be_bytes();
        let mut entry = log
            .get(key.as_slice())
            .expect("get")
            .expect("entry 5")
            .value()
            .to_vec();
        // The operator's name is in the entry: one of its letters changed.
        let name = e2e::admin().as_bytes();
        let at = entry
            .windows(name.len())
            .position(|w| w == name)
            .expect("the operator's name is stored");
        entry[at] ^= 0x01;
        log.insert(key.as_slice(), entry.as_slice()).expect("put");
    });
    let out = sandbox.on_db(&["verify", "--format", "json"]);
    out.code(1);
    let verdict: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(verdict["broken_entry"]["seq"], 5, "{}", out.stdout);
    assert_eq!(verdict["intact"], false);
}

#[test]
fn a_salary_changed_inside_is_refused_on_reading_and_named_by_verify() {
    let sandbox = Sandbox::with_demo();
    let before = sandbox.on_db(&["export", "staff"]).success().stdout.clone();
    flip_last_byte(&sandbox, EMPLOYEES, &7u64.to_be_bytes());
    sandbox
        .on_db(&["export", "staff"])
        .code(2)
        .stderr_has(&["record 7 of table employees was changed outside hrdesk"]);
    sandbox
        .on_db(&["verify"])
        .code(1)
        .stdout_has(&["employees 7: changed outside hrdesk", "NOT intact"]);
    assert!(!before.is_empty());
}

#[test]
fn the_newest_entries_deleted_are_caught_with_a_kept_head() {
    let sandbox = Sandbox::with_demo();
    let kept = head(&sandbox);
    tamper(&sandbox, |txn| {
        let mut log = txn.open_table(AUDIT_LOG).expect("table");
        let last = log.last().expect("last").map(|(k, _)| k.value().to_vec());
        let last = last.expect("an entry");
        log.remove(last.as_slice()).expect("remove");
    });
    sandbox
        .on_db(&["verify", "--expect-head", &kept])
        .code(1)
        .stdout_has(&["is no entry of the current chain"]);
}

#[test]
fn only_who_may_see_the_audit_log_may_verify_it() {
    let sandbox = Sandbox::with_demo();
    sandbox.on_db_as("hr.zhang", &["verify"]).success();
    sandbox
        .on_db_as("audit.liu", &["verify"])
        .code(3)
        .stderr_has(&["audit.liu"]);
}

#[test]
fn the_accounts_own_verify_runs_even_when_its_operator_record_was_changed() {
    const OPERATORS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("rows/operators");
    let sandbox = Sandbox::with_demo();
    let me = e2e::admin().as_bytes().to_vec();
    flip_last_byte(&sandbox, OPERATORS, &me);
    // Nothing else logs in as the changed record…
    sandbox
        .on_db(&["export", "departments"])
        .code(2)
        .stderr_has(&["changed outside hrdesk"]);
    // …but the file's own account can still see what happened.
    sandbox.on_db(&["verify"]).code(1).stdout_has(&[&format!(
        "operators {}: changed outside hrdesk",
        e2e::admin()
    )]);
    // Over SSH the check needs a login of one's own, which is intact.
    sandbox
        .on_db_as("hr.zhang", &["verify"])
        .code(1)
        .stdout_has(&["changed outside hrdesk"]);
}
