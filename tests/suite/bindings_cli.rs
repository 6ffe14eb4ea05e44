//! End-to-end tests of the bindings commands on the real binary: the audit's
//! exit codes (clean, findings, usage, refused and logged), confirming an
//! unbinding by code, the bindings import all or nothing (GBK, Chinese
//! headers, full-width digits and every kind of bad row), the logins and
//! confirmations imports applying their good rows and skipping the rest
//! (all or nothing with `--strict`), and the export masked unless an admin
//! reveals it. The tests make
//! their own bindings (on accounts named `cli-…`) and look only at those, so
//! that bindings the demo company may hold do not matter.

use crate::e2e;

use chrono::{Duration, Utc};
use e2e::{Sandbox, admin};
use hrdesk::domain::binding::{BindingId, BindingState, UnbindReason};
use hrdesk::service::{Clock, Session};
use hrdesk::store::Store;
use serde_json::Value;

/// The demo company's hr operator and viewer.
const HR: &str = "hr.zhang";
const VIEWER: &str = "audit.liu";
/// The demo's hr operator (not an admin).
const HR_ZHANG: &str = "hr.zhang";

fn write(sandbox: &Sandbox, name: &str, bytes: &[u8]) -> String {
    sandbox.write_file(name, bytes)
}

/// The day `days` ago, as sheets write it.
fn days_ago(days: i64) -> String {
    (Utc::now() - Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The bindings this test made (accounts beginning `cli-`), exported by
/// the admin as JSON with account ids unmasked.
fn exported(sandbox: &Sandbox) -> Vec<Value> {
    sandbox
        .on_db(&["export", "bindings", "--format", "json", "--reveal"])
        .success()
        .json_rows()
        .into_iter()
        .filter(|b| b["external_id"].as_str().unwrap().starts_with("cli-"))
        .collect()
}

fn binding_of(sandbox: &Sandbox, account: &str) -> Value {
    exported(sandbox)
        .into_iter()
        .find(|b| b["external_id"] == account)
        .unwrap_or_else(|| panic!("no binding holds {account}"))
}

/// Active demo employees holding no binding at all, as (number, name).
fn free_staff(sandbox: &Sandbox, count: usize) -> Vec<(String, String)> {
    let bound: Vec<Value> = sandbox
        .on_db(&["export", "bindings", "--format", "json"])
        .success()
        .json_rows();
    let staff = sandbox
        .on_db(&["export", "staff", "--format", "json"])
        .success()
        .json_rows();
    staff
        .iter()
        .filter(|e| e["status"] == "active")
        .filter(|e| !bound.iter().any(|b| b["emp_no"] == e["emp_no"]))
        .take(count)
        .map(|e| (as_text(&e["emp_no"]), as_text(&e["name"])))
        .collect()
}

fn as_text(value: &Value) -> String {
    value.as_str().unwrap().to_string()
}

/// A departed demo employee's number.
fn departed(sandbox: &Sandbox) -> String {
    let staff = sandbox
        .on_db(&["export", "staff", "--format", "json"])
        .success()
        .json_rows();
    let gone = staff.iter().find(|e| e["status"] == "departed").unwrap();
    as_text(&gone["emp_no"])
}

/// Binds `account` on wechat to each employee through `import bindings`.
fn bind(sandbox: &Sandbox, rows: &[(&str, &str)]) {
    let mut text = String::from("emp_no,provider,external_id,bound_at,last_used\n");
    for (emp_no, account) in rows {
        let line = format!(
            "{emp_no},wechat,{account},{},{}\n",
            days_ago(30),
            days_ago(2)
        );
        text.push_str(&line);
    }
    let file = write(sandbox, "bind.csv", text.as_bytes());
    sandbox.on_db(&["import", "bindings", &file]).success();
}

/// Asks (through the library, as the console does) for the unbinding of
/// the binding holding `account`; returns the confirmation code.
fn request_unbind(sandbox: &Sandbox, account: &str) -> String {
    let id = binding_of(sandbox, account)["id"].as_u64().unwrap();
    let store = Store::open(&sandbox.db()).unwrap();
    let session = Session::login(store, admin(), Clock::System).unwrap();
    let binding = session
        .request_unbind(BindingId(id), UnbindReason::ChangedAccount)
        .unwrap();
    match binding.state {
        BindingState::PendingUnbind { code, .. } => code,
        other => panic!("not pending: {other:?}"),
    }
}

/// Binds two free demo employees' accounts and asks for their
/// unbinding; returns the requests' codes.
fn pending(sandbox: &Sandbox, accounts: [&str; 2]) -> [String; 2] {
    bind_free(sandbox, &accounts);
    accounts.map(|account| request_unbind(sandbox, account))
}

/// Binds each of `accounts` to a free demo employee of its own.
fn bind_free(sandbox: &Sandbox, accounts: &[&str]) {
    let people = free_staff(sandbox, accounts.len());
    let rows: Vec<(&str, &str)> = people
        .iter()
        .zip(accounts)
        .map(|((emp_no, _), account)| (emp_no.as_str(), *account))
        .collect();
    bind(sandbox, &rows);
}

fn audit_len(sandbox: &Sandbox) -> usize {
    sandbox.audit_json().len()
}

/// A database of its own (no demo bindings): two people, created by a
/// staff import.
fn small_company() -> Sandbox {
    let sandbox = Sandbox::new();
    let staff =
        "emp_no,name,department,hire_date\nS1,Ann Lee,Ops,2020-01-01\nS2,Bo Wu,Ops,2020-01-01\n";
    let file = write(&sandbox, "staff.csv", staff.as_bytes());
    sandbox
        .on_db(&["import", "staff", &file, "--create-departments"])
        .success();
    sandbox
}

#[test]
fn the_audit_exits_0_clean_1_with_findings_2_on_a_bad_date_and_3_refused() {
    let sandbox = small_company();
    bind(&sandbox, &[("S1", "cli-ann-lee"), ("S2", "cli-bo-wu-01")]);
    sandbox
        .on_db(&["audit", "bindings"])
        .success()
        .stdout_has(&["0 finding(s)"]);
    let found = sandbox
        .on_db(&["audit", "bindings", "--stale-days", "1"])
        .code(1)
        .stdout_has(&[
            "2 finding(s)",
            "unused too long 2",
            "[medium] unused too long · ",
            " days: B1 S1 Ann Lee, WeChat cli-****lee",
        ])
        .stdout
        .clone();
    assert!(
        !found.contains("cli-ann-lee"),
        "accounts are masked: {found}"
    );
    let json = sandbox
        .on_db(&["audit", "bindings", "--stale-days", "1", "--format", "json"])
        .code(1)
        .stdout
        .clone();
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["settings"]["stale_days"], 1);
    assert_eq!(report["settings"]["pending_days"], 14);
    assert_eq!(report["counts"]["unused"], 2);
    assert_eq!(report["findings"][0]["kind"], "unused");
    assert_eq!(report["findings"][0]["emp_no"], "S1");
    let days = report["findings"][0]["days"].as_i64().unwrap();
    assert!(
        (2..=3).contains(&days),
        "unused for as long as it is: {days}"
    );
    sandbox
        .on_db(&["audit", "bindings", "--as-of", "2026-02-30"])
        .code(2)
        .stderr_has(&["--as-of 2026-02-30"]);

    sandbox
        .on_db(&["operator", "add", "viewer.wu", "--role", "viewer"])
        .success();
    sandbox
        .on_db_as("viewer.wu", &["audit", "bindings"])
        .code(3)
        .stderr_has(&["viewer.wu (viewer)", "admin, hr"]);
    let log = sandbox.audit_json();
    assert!(log.iter().any(|e| e["operator"] == "viewer.wu"
        && e["action"] == "access.denied"
        && e["after"].as_str().unwrap().contains("binding.audit")));
    let runs = log
        .iter()
        .filter(|e| e["action"] == "binding.audit")
        .count();
    assert_eq!(runs, 3, "each run is recorded, the refused one not");
}

#[test]
fn only_hr_and_admin_may_import_and_a_refusal_is_logged_before_the_file_is_read() {
    let sandbox = Sandbox::with_demo();
    for kind in ["bindings", "logins", "confirmations"] {
        sandbox
            .on_db_as(VIEWER, &["import", kind, "no-such-file.csv"])
            .code(3)
            .stderr_has(&["admin, hr"]);
    }
    let log = sandbox.audit_json();
    let refused = log
        .iter()
        .filter(|e| e["action"] == "access.denied" && e["operator"] == VIEWER)
        .count();
    assert_eq!(refused, 3);
    sandbox
        .on_db_as(
            VIEWER,
            &[
                "bindings",
                "confirm",
                "--code",
                "ABCDEFGH",
                "--channel",
                "phone",
            ],
        )
        .code(3);
}

#[test]
fn a_messy_gbk_bindings_sheet_names_every_problem_and_writes_nothing() {
    let sandbox = Sandbox::with_demo();
    let people = free_staff(&sandbox, 6);
    let (holder_no, holder_name) = &people[0];
    bind(&sandbox, &[(holder_no, "cli-held")]);
    let holder = binding_of(&sandbox, "cli-held")["id"].as_u64().unwrap();
    let before = audit_len(&sandbox);
    let gone = departed(&sandbox);
    let full_width = |emp_no: &str| {
        emp_no
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(0xFF10 + d).unwrap(),
                None => c,
            })
            .collect::<String>()
    };
    let text = format!(
        "工号,平台,外部账号,绑定时间,最近使用,绑定方式\n\
         {},微信,cli-a1,２０２６年１月２日,,扫码\n\
         {},微信,cli-held,2026/1/2,,\n\
         {},wechat,cli-held,2026-01-02,,\n\
         {},wechat,cli-a1,2026-01-02,,\n\
         {},支付宝,cli-a5,2099-01-01,,\n\
         {gone},wechat,cli-gone,2026-01-02,,\n\
         {},alipay,cli-a6,2026-03-01 10:00,2026-02-01,\n",
        full_width(&people[1].0),
        people[2].0,
        people[3].0,
        people[4].0,
        people[5].0,
        people[5].0,
    );
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    let file = write(&sandbox, "messy.csv", &bytes);
    let taken = format!("this account is bound already: B{holder} · {holder_name} ({holder_no})");
    sandbox
        .on_db(&["import", "bindings", &file])
        .code(1)
        .stdout_has(&[
            &format!("messy.csv:3: external_id: {taken}"),
            &format!("messy.csv:4: external_id: {taken}"),
            "messy.csv:5: external_id: already on line 2",
            "messy.csv:6: bound_at: 2099-01-01 is in the future",
            "messy.csv:7: emp_no:",
            "has left",
            "messy.csv:8: last_used: the last use is before the account was bound",
        ])
        .stderr_has(&["6 problem(s) found; nothing was imported"]);
    assert_eq!(audit_len(&sandbox), before, "nothing written");
    assert_eq!(exported(&sandbox).len(), 1, "only the holder's binding");

    let clean: String = text.lines().take(2).map(|l| format!("{l}\n")).collect();
    let (bytes, _, _) = encoding_rs::GBK.encode(&clean);
    let file = write(&sandbox, "clean.csv", &bytes);
    sandbox
        .on_db(&["import", "bindings", &file])
        .success()
        .stdout_has(&["Imported 1 new binding(s) of 1 people"]);
    let made = binding_of(&sandbox, "cli-a1");
    assert_eq!(
        made["emp_no"],
        people[1].0.as_str(),
        "full-width digits read"
    );
    assert_eq!(made["bound_at"], "2026-01-02T00:00:00+00:00");
    assert_eq!(made["method"], "扫码");
    let added = sandbox.audit_json();
    assert!(added.iter().any(|e| {
        e["action"] == "binding.add"
            && e["entity_id"]
                == made["id"]
                    .as_u64()
                    .map(|id| format!("B{id}"))
                    .unwrap()
                    .as_str()
    }));
}

#[test]
fn logins_move_the_last_use_forward_only_and_strict_is_all_or_nothing() {
    let sandbox = Sandbox::with_demo();
    bind_free(&sandbox, &["cli-l1", "cli-l2"]);
    let text = format!(
        "平台,外部账号,使用时间\n\
         微信,cli-l1,{} 09:00\n\
         wechat,cli-l1,{} 18:30\n\
         wechat,cli-l1,{} 08:00\n\
         wechat,cli-l2,{}\n",
        days_ago(1),
        days_ago(1),
        days_ago(1),
        days_ago(10),
    );
    let file = write(&sandbox, "logins.csv", text.as_bytes());
    sandbox
        .on_db(&["import", "logins", &file])
        .success()
        .stdout_has(&["Imported 1 later last use(s) of 1 people"]);
    let l1 = binding_of(&sandbox, "cli-l1");
    let l2 = binding_of(&sandbox, "cli-l2");
    assert!(
        l1["last_used"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}T18:30:00", days_ago(1))),
        "the latest row counts: {l1}"
    );
    assert!(
        l2["last_used"].as_str().unwrap().starts_with(&days_ago(2)),
        "an older use does not move it back: {l2}"
    );
    let before = audit_len(&sandbox);
    let bad = "provider,external_id,used_at\nwechat,cli-nobody,2026-01-01\nwechat,cli-l1,2099-01-01 00:00\nqq,cli-l1,2026-01-01\n";
    let file = write(&sandbox, "bad-logins.csv", bad.as_bytes());
    sandbox
        .on_db(&["import", "logins", &file, "--strict"])
        .code(1)
        .stdout_has(&[
            "bad-logins.csv:2: external_id: no binding holds the WeChat account",
            "bad-logins.csv:3: used_at: 2099-01-01 00:00 is in the future",
            "bad-logins.csv:4: provider: “qq” is not a provider",
        ]);
    assert_eq!(audit_len(&sandbox), before, "nothing written");
}

/// Unbinds the binding holding `account`: asked for by the admin, then
/// entered on the employee's behalf by the demo's hr operator.
fn unbind(sandbox: &Sandbox, account: &str) {
    let code = request_unbind(sandbox, account);
    sandbox
        .on_db_as(
            HR_ZHANG,
            &["bindings", "confirm", "--code", &code, "--channel", "phone"],
        )
        .success();
}

/// The audit entries of lenient imports, as their `after` lines.
fn import_counts(sandbox: &Sandbox) -> Vec<String> {
    sandbox
        .audit_json()
        .into_iter()
        .filter(|e| e["action"] == "binding.import")
        .map(|e| as_text(&e["after"]))
        .collect()
}

#[test]
fn a_noisy_logins_file_applies_its_good_rows_and_skips_the_rest_with_exit_1() {
    let sandbox = Sandbox::with_demo();
    bind_free(&sandbox, &["cli-n1", "cli-n2", "cli-n3"]);
    unbind(&sandbox, "cli-n3");
    let unbound_at = as_text(&binding_of(&sandbox, "cli-n3")["unbound_at"]);
    std::thread::sleep(std::time::Duration::from_millis(5));
    // After the unbinding and not in the future: now, to the nanosecond.
    let after_unbinding = Utc::now().to_rfc3339();
    let text = format!(
        "provider,external_id,used_at\n\
         wechat,cli-n1,{yesterday} 09:00\n\
         wechat,cli-nobody,{yesterday} 09:00\n\
         wechat,cli-n3,{after_unbinding}\n\
         wechat,cli-n3,{old}\n\
         wechat,cli-n2,2099-01-01 00:00\n\
         wechat,cli-n2,{yesterday} 10:00\n\
         qq,cli-n2,{yesterday} 11:00\n",
        yesterday = days_ago(1),
        old = days_ago(3),
    );
    let file = write(&sandbox, "noisy.csv", text.as_bytes());
    let before = audit_len(&sandbox);

    sandbox
        .on_db(&["import", "logins", &file, "--strict"])
        .code(1)
        .stderr_has(&["5 problem(s) found; nothing was imported"]);
    assert_eq!(audit_len(&sandbox), before, "strict: nothing written");

    sandbox
        .on_db(&["import", "logins", &file, "--dry-run"])
        .code(1)
        .stdout_has(&[
            "noisy.csv:3: external_id: no binding holds the WeChat account cli-****ody (skipped)",
            "2 rows would be applied (2 later last use(s) of 2 people's bindings), 5 skipped",
        ]);
    assert_eq!(audit_len(&sandbox), before, "a dry run writes nothing");

    let day = &unbound_at[..10];
    sandbox
        .on_db(&["import", "logins", &file])
        .code(1)
        .stdout_has(&[
            "noisy.csv:3: external_id: no binding holds the WeChat account cli-****ody (skipped)",
            &format!("noisy.csv:4: used_at: unbound on {day} "),
            ", before this login (B",
            "noisy.csv:5: external_id: already unbound (B",
            "noisy.csv:6: used_at: 2099-01-01 00:00 is in the future (skipped)",
            "noisy.csv:8: provider: “qq” is not a provider",
            "Imported 2 later last use(s) of 2 people's bindings: 2 rows applied, 5 skipped",
        ]);
    for (account, at) in [("cli-n1", "T09:00:00"), ("cli-n2", "T10:00:00")] {
        let used = as_text(&binding_of(&sandbox, account)["last_used"]);
        assert!(
            used.starts_with(&format!("{}{at}", days_ago(1))),
            "{account}: {used}"
        );
    }
    let n3 = binding_of(&sandbox, "cli-n3");
    assert_eq!(n3["state"], "unbound", "never brought back: {n3}");
    assert!(
        n3["last_used"].as_str().unwrap().starts_with(&days_ago(2)),
        "an unbound account's last use stays: {n3}"
    );
    let log = sandbox.audit_json();
    let used = log.iter().filter(|e| e["action"] == "binding.used").count();
    assert_eq!(used, 2, "each applied change has its entry");
    assert_eq!(
        import_counts(&sandbox),
        ["sheet=logins file=noisy.csv applied=2 skipped=5 changed=2"]
    );

    // A file-level problem still refuses the whole file, nothing written.
    let before = audit_len(&sandbox);
    let file = write(
        &sandbox,
        "short.csv",
        b"provider,external_id\nwechat,cli-n1\n",
    );
    sandbox
        .on_db(&["import", "logins", &file])
        .code(1)
        .stderr_has(&["short.csv: Line 1: required columns missing: used_at (使用时间)"]);
    assert_eq!(audit_len(&sandbox), before);
    // So does a row that cannot be read after good ones (the rows are
    // read as they are checked): the good rows before it are not kept.
    let text = format!(
        "provider,external_id,used_at\nwechat,cli-n1,{}\nwechat,cli-n2,{},extra\n",
        days_ago(0),
        days_ago(0)
    );
    let file = write(&sandbox, "ragged.csv", text.as_bytes());
    sandbox
        .on_db(&["import", "logins", &file])
        .code(1)
        .stderr_has(&["ragged.csv: Line 3"]);
    assert_eq!(audit_len(&sandbox), before, "nothing written");

    // A clean file is exit 0, every row applied.
    let text = format!(
        "provider,external_id,used_at\nwechat,cli-n1,{}\n",
        days_ago(0)
    );
    let file = write(&sandbox, "clean.csv", text.as_bytes());
    sandbox
        .on_db(&["import", "logins", &file])
        .success()
        .stdout_has(&["1 rows applied, 0 skipped"]);
}

#[test]
fn a_noisy_confirmations_file_unbinds_what_it_can_and_skips_a_repeated_code() {
    let sandbox = Sandbox::with_demo();
    let [first, second] = pending(&sandbox, ["cli-nc1", "cli-nc2"]);
    let text = format!(
        "确认码,平台,外部账号,确认时间\n\
         {first},微信,cli-nc1,\n\
         {first},,,\n\
         NOSUCH23,,,\n\
         {second},支付宝,,\n"
    );
    let file = write(&sandbox, "noisy-confirmations.csv", text.as_bytes());
    sandbox
        .on_db(&["import", "confirmations", &file])
        .code(1)
        .stdout_has(&[
            "noisy-confirmations.csv:3: code: already on line 2 (skipped)",
            "noisy-confirmations.csv:4: code: no pending unbind request has the confirmation code “NOSUCH23” (skipped)",
            "noisy-confirmations.csv:5: provider: the request with this code is for a WeChat account (skipped)",
            "Imported 1 confirmed unbinding(s) of 1 people's bindings: 1 rows applied, 3 skipped",
        ]);
    assert_eq!(binding_of(&sandbox, "cli-nc1")["state"], "unbound");
    assert_eq!(binding_of(&sandbox, "cli-nc2")["state"], "pending_unbind");
    assert_eq!(
        import_counts(&sandbox),
        ["sheet=confirmations file=noisy-confirmations.csv applied=1 skipped=3 changed=1"]
    );
}

#[test]
fn times_without_an_offset_are_read_and_shown_in_the_configured_zone() {
    let sandbox = Sandbox::with_demo();
    let people = free_staff(&sandbox, 1);
    bind(&sandbox, &[(&people[0].0, "cli-tz")]);
    // A Beijing login an hour ago, as a provider's log writes it: no offset.
    let beijing = (Utc::now() + Duration::hours(7))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let text = format!("provider,external_id,used_at\nwechat,cli-tz,{beijing}\n");
    let file = write(&sandbox, "beijing.csv", text.as_bytes());
    sandbox
        .on_db(&["import", "logins", &file])
        .code(1)
        .stdout_has(&["is in the future"]);
    sandbox.write_config("config.toml", "timezone = \"Asia/Shanghai\"\n");
    sandbox.on_db(&["import", "logins", &file]).success();
    let used = binding_of(&sandbox, "cli-tz")["last_used"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        used,
        format!("{}:00+08:00", beijing.replace(' ', "T")),
        "read and written in Beijing time, with its offset"
    );
    sandbox.write_config("config.toml", "timezone = \"Mars/Olympus\"\n");
    sandbox
        .on_db(&["export", "departments"])
        .code(2)
        .stderr_has(&["config.toml:1", "timezone", "IANA"]);
}

/// The notices in the outbox as the admin's messaging job exports them
/// (`--resend` too when asked), marking them sent.
fn export_notices(sandbox: &Sandbox, resend: bool) -> Vec<Value> {
    let mut args = vec!["export", "unbind-notices", "--format", "json"];
    if resend {
        args.push("--resend");
    }
    let out = sandbox
        .on_db(&args)
        .success()
        .stderr_has(&["marked sent"])
        .stdout
        .clone();
    serde_json::from_str(&out).unwrap()
}

#[test]
fn the_code_goes_out_through_the_outbox_and_a_colleague_confirms_on_the_employees_behalf() {
    let sandbox = Sandbox::with_demo();
    let people = free_staff(&sandbox, 1);
    bind(&sandbox, &[(&people[0].0, "cli-confirm-me")]);
    let id = binding_of(&sandbox, "cli-confirm-me")["id"]
        .as_u64()
        .unwrap();
    // hr.zhang asks, as the console does; the code is never shown to her.
    let store = Store::open(&sandbox.db()).unwrap();
    let requester = Session::login(store, HR_ZHANG, Clock::System).unwrap();
    let asked = requester
        .request_unbind(BindingId(id), UnbindReason::ChangedAccount)
        .unwrap();
    drop(requester);
    let BindingState::PendingUnbind { code, .. } = asked.state else {
        panic!("pending: {:?}", asked.state);
    };
    sandbox
        .on_db_as(HR_ZHANG, &["export", "unbind-notices"])
        .code(3)
        .stderr_has(&["admin"]);

    let notices = export_notices(&sandbox, false);
    let notice = notices
        .iter()
        .find(|n| n["binding_id"] == id)
        .expect("the new request is in the outbox");
    assert_eq!(notice["code"], code.as_str());
    assert_eq!(notice["emp_no"], people[0].0.as_str());
    assert_eq!(notice["account"], "cli-****-me", "the account stays masked");
    assert_eq!(notice["times_sent"], 0);
    assert!(notice["deadline"].as_str().unwrap() > notice["requested_at"].as_str().unwrap());
    assert!(
        export_notices(&sandbox, false).is_empty(),
        "a notice is sent once"
    );
    let again = export_notices(&sandbox, true);
    let resent = again
        .iter()
        .find(|n| n["binding_id"] == id)
        .expect("resent");
    assert_eq!(resent["times_sent"], 1);

    let exported_text = sandbox
        .on_db(&["export", "bindings", "--reveal"])
        .success()
        .stdout
        .clone();
    assert!(
        !exported_text.contains(&code),
        "codes are never in the bindings export"
    );
    sandbox
        .on_db(&["bindings", "confirm", "--code", &code])
        .code(2)
        .stderr_has(&["--channel"]);
    sandbox
        .on_db(&["bindings", "confirm", "--code", &code, "--channel", "fax"])
        .code(2)
        .stderr_has(&["“fax” is not a channel (phone, in_person, letter, email, chat)"]);
    sandbox
        .on_db_as(
            HR_ZHANG,
            &["bindings", "confirm", "--code", &code, "--channel", "phone"],
        )
        .code(1)
        .stderr_has(&["you asked for the unbinding"]);
    sandbox
        .on_db(&[
            "bindings",
            "confirm",
            "--code",
            "WRONG234",
            "--channel",
            "phone",
        ])
        .code(1)
        .stderr_has(&["WRONG234"]);
    let (emp_no, name) = &people[0];
    sandbox
        .on_db(&["bindings", "confirm", "--code", &code.to_lowercase(), "--channel", "phone"])
        .success()
        .stdout_has(&[&format!(
            "{name} ({emp_no}), WeChat account cli-****-me, confirmed on the employee's behalf (phone)"
        )]);
    let done = binding_of(&sandbox, "cli-confirm-me");
    assert_eq!(done["state"], "unbound");
    assert_eq!(done["unbound_how"], "on_behalf");
    assert_eq!(done["channel"], "phone");
    assert_eq!(done["unbound_by"], admin());
    assert_eq!(
        done["requested_by"], HR_ZHANG,
        "the request is kept once unbound"
    );
    assert!(done["requested_at"].is_string());
    assert!(
        done["history"]
            .as_str()
            .unwrap()
            .contains(" pending_unbind hr.zhang; "),
        "{}",
        done["history"]
    );
    sandbox
        .on_db(&["bindings", "confirm", "--code", &code, "--channel", "phone"])
        .code(1);
    let log = sandbox.audit_json();
    let confirm = log
        .iter()
        .find(|e| e["action"] == "binding.confirm" && e["entity_id"] == format!("B{id}"))
        .expect("logged");
    assert!(
        confirm["after"]
            .as_str()
            .unwrap()
            .contains("on_behalf_of_employee channel=phone"),
        "{confirm}"
    );
    let sent: Vec<&Value> = log
        .iter()
        .filter(|e| e["action"] == "binding.notice_sent" && e["entity_id"] == format!("B{id}"))
        .collect();
    assert_eq!(sent.len(), 2, "sent, then resent");
    assert!(
        sent.iter().all(|e| !e.to_string().contains(&code)),
        "codes stay out of the log"
    );
}

#[test]
fn a_strict_confirmations_file_unbinds_all_or_nothing() {
    let sandbox = Sandbox::with_demo();
    let [first, second] = pending(&sandbox, ["cli-conf-c1", "cli-conf-c2"]);
    let before = audit_len(&sandbox);
    let bad = format!(
        "确认码,平台,外部账号,确认时间\n\
         {first},支付宝,,\n\
         {second},,cli-conf-c1,2020-01-01\n\
         NOSUCH23,,,\n\
         {first},,,\n"
    );
    let file = write(&sandbox, "bad-confirmations.csv", bad.as_bytes());
    sandbox
        .on_db(&["import", "confirmations", &file, "--strict"])
        .code(1)
        .stdout_has(&[
            "bad-confirmations.csv:2: provider: the request with this code is for a WeChat account",
            "bad-confirmations.csv:3: external_id: the request with this code is for the account cli-****-c2",
            "bad-confirmations.csv:3: confirmed_at: the confirmation is before the request",
            "bad-confirmations.csv:4: code: no pending unbind request has the confirmation code “NOSUCH23”",
            "bad-confirmations.csv:5: code: already on line 2",
        ]);
    assert_eq!(audit_len(&sandbox), before, "nothing written");
    assert_eq!(
        binding_of(&sandbox, "cli-conf-c1")["state"],
        "pending_unbind"
    );

    // After the requests and not in the future: now, to the nanosecond.
    let at = Utc::now().to_rfc3339();
    let good = format!(
        "code,provider,external_id,confirmed_at\n\
         {},微信,cli-conf-c1,{at}\n\
         {second},,,\n",
        first.to_lowercase()
    );
    let file = write(&sandbox, "confirmations.csv", good.as_bytes());
    sandbox
        .on_db(&["import", "confirmations", &file])
        .success()
        .stdout_has(&["Imported 2 confirmed unbinding(s) of 2 people's bindings"]);
    let c1 = binding_of(&sandbox, "cli-conf-c1");
    assert_eq!(c1["state"], "unbound");
    assert_eq!(c1["unbound_how"], "confirmed");
    assert_eq!(
        c1["unbound_at"],
        at.as_str(),
        "unbound when the employee confirmed"
    );
    assert_eq!(binding_of(&sandbox, "cli-conf-c2")["state"], "unbound");
}

#[test]
fn the_export_is_masked_unless_an_admin_reveals_it_and_every_export_is_logged() {
    let sandbox = Sandbox::with_demo();
    let people = free_staff(&sandbox, 1);
    bind(&sandbox, &[(&people[0].0, "cli-secret-account")]);
    let (header, rows) = sandbox
        .on_db_as(HR, &["export", "bindings"])
        .success()
        .csv();
    assert!(!header.iter().any(|h| h == "code"), "{header:?}");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mine = rows
        .iter()
        .find(|r| r[col("emp_no")] == people[0].0)
        .unwrap();
    assert_eq!(mine[col("external_id")], "cli-****unt");
    assert_eq!(mine[col("state")], "active");

    let refused = sandbox.on_db_as(HR, &["export", "bindings", "--reveal"]);
    refused.code(3).stderr_has(&["that needs the role admin"]);
    assert!(
        refused.stdout.is_empty(),
        "nothing printed: {}",
        refused.stdout
    );
    sandbox.on_db_as(VIEWER, &["export", "bindings"]).code(3);

    let revealed = sandbox
        .on_db(&["export", "bindings", "--reveal"])
        .success()
        .stdout
        .clone();
    assert!(revealed.contains("cli-secret-account"));
    let log = sandbox.audit_json();
    let by = |action: &str, user: &str| {
        log.iter()
            .any(|e| e["action"] == action && e["operator"] == user)
    };
    assert!(by("binding.export", HR));
    assert!(by("binding.export_revealed", admin()));
    assert!(by("access.denied", HR));
    sandbox
        .on_db(&["export", "staff", "--reveal"])
        .code(2)
        .stderr_has(&["--reveal"]);
}

#[test]
fn a_logins_import_racing_a_confirmation_never_brings_the_account_back() {
    let sandbox = Sandbox::with_demo();
    let people = free_staff(&sandbox, 6);
    let accounts: Vec<String> = (0..people.len()).map(|i| format!("cli-race-{i}")).collect();
    let rows: Vec<(&str, &str)> = people
        .iter()
        .zip(&accounts)
        .map(|((emp_no, _), account)| (emp_no.as_str(), account.as_str()))
        .collect();
    bind(&sandbox, &rows);
    for account in &accounts {
        let code = request_unbind(&sandbox, account);
        let sheet = format!(
            "provider,external_id,used_at\nwechat,{account},{} 09:00\n",
            days_ago(0)
        );
        let file = write(&sandbox, "race.csv", sheet.as_bytes());
        let mut import = sandbox.command_as(admin(), &["import", "logins", &file]);
        import.args(["--db", &sandbox.db_arg()]);
        let mut confirm = sandbox.command_as(admin(), &["bindings", "confirm", "--code", &code]);
        confirm.args(["--db", &sandbox.db_arg()]);
        let importing = std::thread::spawn(move || e2e::run_with_timeout(import));
        let confirmed = e2e::run_with_timeout(confirm).code == Some(0);
        let imported = importing.join().unwrap();
        let state = binding_of(&sandbox, account)["state"].clone();
        if confirmed {
            assert_eq!(state, "unbound", "{account}: {}", imported.stderr);
        }
        // An import that lost the race was refused whole as invalid input:
        // by its own checks (the account no longer live), or at its write
        // (the binding changed after those checks), never half-written.
        assert!(
            matches!(imported.code, Some(0 | 1)),
            "{:?}: {}",
            imported.code,
            imported.stderr
        );
    }
}

// ---------------------------------------------------------------- provider consoles' member exports

/// A company of its own whose staff have phones: S2 and S3 share one, S4
/// has none.
fn company_with_phones() -> Sandbox {
    let sandbox = Sandbox::new();
    let staff = "emp_no,name,department,hire_date,phone\n\
                 S1,Ann Lee,Ops,2020-01-01,13800138001\n\
                 S2,Bo Wu,Ops,2020-01-01,13800138002\n\
                 S3,Cy Ma,Ops,2020-01-01,13800138002\n\
                 S4,Di Xu,Ops,2020-01-01,\n";
    let file = write(&sandbox, "staff.csv", staff.as_bytes());
    sandbox
        .on_db(&["import", "staff", &file, "--create-departments"])
        .success();
    sandbox
}

/// A WeCom member export as the console writes it: a merged 通讯录 title
/// over the header, then the members (a cell that reads as a number is
/// written as one, as Excel keeps a phone typed in).
fn wecom_workbook(members: &[&[&str]]) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let header = [
        "姓名",
        "帐号",
        "别名",
        "职务",
        "部门",
        "性别",
        "手机",
        "座机",
        "个人邮箱",
        "企业邮箱",
        "激活状态",
    ];
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .merge_range(0, 0, 0, header.len() as u16 - 1, "通讯录", &Format::new())
        .unwrap();
    for (row, cells) in std::iter::once(&header[..])
        .chain(members.iter().copied())
        .enumerate()
    {
        for (column, cell) in cells.iter().enumerate() {
            let (row, column) = (row as u32 + 1, column as u16);
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(row, column, number).unwrap(),
                Err(_) => sheet.write_string(row, column, *cell).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_wecom_member_workbook_binds_by_phone_and_names_each_phone_it_cannot_place() {
    let sandbox = company_with_phones();
    let member = |name, account, phone| -> Vec<&str> {
        vec![
            name,
            account,
            "",
            "专员",
            "运营部",
            "女",
            phone,
            "",
            "",
            "",
            "已激活",
        ]
    };
    let ann = member("Ann Lee", "cli-wecom-ann", "+86 138-0013-8001");
    let stranger = member("Ed Fu", "cli-wecom-ed", "13900139000");
    let shared = member("Bo Wu", "cli-wecom-bo", "13800138002");
    let bytes = wecom_workbook(&[&ann, &stranger, &shared]);
    let file = write(&sandbox, "wecom.xlsx", &bytes);
    let before = audit_len(&sandbox);
    sandbox
        .on_db(&["import", "bindings", &file])
        .code(1)
        .stderr_has(&["required columns missing: provider (平台) / --provider"]);
    sandbox
        .on_db(&["import", "bindings", &file, "--provider", "qq"])
        .code(2)
        .stderr_has(&["--provider: “qq” is not a provider"]);
    sandbox
        .on_db(&["import", "bindings", &file, "--provider", "wecom"])
        .code(1)
        .stdout_has(&[
            "wecom.xlsx:4: phone: no employee on file has the phone 13900139000",
            "wecom.xlsx:5: phone: 2 employees have the phone 13800138002 (S2, S3)",
        ])
        .stderr_has(&["2 problem(s) found; nothing was imported"]);
    assert_eq!(audit_len(&sandbox), before, "nothing written");

    let numeric = member("Ann Lee", "cli-wecom-ann", "13800138001");
    let bytes = wecom_workbook(&[&numeric]);
    let file = write(&sandbox, "wecom-clean.xlsx", &bytes);
    sandbox
        .on_db(&["import", "bindings", &file, "--provider", "企业微信"])
        .success()
        .stdout_has(&["Imported 1 new binding(s) of 1 people"]);
    let ann = binding_of(&sandbox, "cli-wecom-ann");
    assert_eq!(ann["emp_no"], "S1");
    assert_eq!(ann["provider"], "wecom");
    assert_eq!(ann["method"], "import");
}

#[test]
fn dingtalk_and_feishu_exports_below_a_title_bind_by_employee_number() {
    let sandbox = company_with_phones();
    // The phone S2 shares does not matter: the number decides.
    let dingtalk = "钉钉通讯录导出,,,,,,,\n\
                    员工UserID,姓名,工号,手机号,部门,职位,邮箱,入职时间\n\
                    cli-ding-bo,Bo Wu,S2,13800138002,Ops,专员,bo@example.com,2020-01-01\n";
    let file = write(&sandbox, "dingtalk.csv", dingtalk.as_bytes());
    sandbox
        .on_db(&["import", "bindings", &file, "--provider", "dingtalk"])
        .success()
        .stdout_has(&["Imported 1 new binding(s) of 1 people"]);
    let bo = binding_of(&sandbox, "cli-ding-bo");
    assert_eq!(
        (bo["emp_no"].as_str(), bo["provider"].as_str()),
        (Some("S2"), Some("dingtalk"))
    );

    // Feishu: a note line, English and Chinese headers, the provider in a
    // 平台 column (no --provider), one row short of cells, GBK.
    let feishu = "说明：本表由飞书管理后台导出\n\
                  姓名,User ID,工号,手机号,部门,职务,人员类型,平台\n\
                  Di Xu,cli-feishu-di,S4,,Ops,专员,正式,飞书\n\
                  Cy Ma,cli-feishu-cy,S3,13800138002,Ops,专员,正式,lark\n\
                  Ann Lee,cli-feishu-ann,S1\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(feishu);
    let file = write(&sandbox, "feishu.csv", &bytes);
    sandbox
        .on_db(&["import", "bindings", &file])
        .code(1)
        .stdout_has(&["feishu.csv:5: provider: required"]);
    sandbox
        .on_db(&["import", "bindings", &file, "--provider", "feishu"])
        .success()
        .stdout_has(&["Imported 3 new binding(s) of 3 people"]);
    for (account, emp_no) in [
        ("cli-feishu-di", "S4"),
        ("cli-feishu-cy", "S3"),
        ("cli-feishu-ann", "S1"),
    ] {
        let made = binding_of(&sandbox, account);
        assert_eq!(
            (made["emp_no"].as_str(), made["provider"].as_str()),
            (Some(emp_no), Some("feishu"))
        );
    }
    sandbox
        .on_db(&["audit", "bindings"])
        .success()
        .stdout_has(&["0 finding(s)"]);
}
