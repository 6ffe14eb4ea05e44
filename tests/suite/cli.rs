//! End-to-end tests of the `hrdesk` command line: the real binary, run as a
//! child process in a private sandbox (XDG folders, home, database file and
//! OS user of its own), checked on exit codes (0 success, 1 invalid input,
//! 2 usage or I/O error, 3 not permitted) and on what it prints.

use crate::e2e;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use e2e::{Sandbox, admin};
use hrdesk::domain::department::DepartmentId;
use hrdesk::service::{Clock, DepartmentDraft, Session};
use hrdesk::store::Store;
use serde_json::{Value, json};

const COMPANY: &str = "星河零售 Xinghe Retail";
const SALES_PATH: &str = "星河零售 Xinghe Retail / 销售部";

fn read_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn file_mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("stat {}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// An operator as listed: user, role, and the managed department's path.
type OperatorRow = (String, String, Option<String>);

/// `operator list --format json`, row by row.
/// `rows` in the order `operator list` gives them: by name.
fn by_name<T: Ord>(mut rows: Vec<T>) -> Vec<T> {
    rows.sort();
    rows
}

/// `operator list --format json`, row by row.
fn operator_rows(sandbox: &Sandbox) -> Vec<Value> {
    sandbox
        .on_db(&["operator", "list", "--format", "json"])
        .success()
        .json_rows()
}

fn operators(sandbox: &Sandbox) -> Vec<OperatorRow> {
    operator_rows(sandbox)
        .iter()
        .map(|row| {
            (
                row["user"].as_str().expect("user is a string").to_owned(),
                row["role"].as_str().expect("role is a string").to_owned(),
                row["department"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn operator(user: &str, role: &str, department: Option<&str>) -> OperatorRow {
    (user.into(), role.into(), department.map(str::to_owned))
}

// ---------------------------------------------------------------- demo

#[test]
fn demo_writes_the_company_and_its_operators() {
    let sandbox = Sandbox::new();
    sandbox
        .on_db(&["demo"])
        .success()
        .stdout_has(&["Demo company written to", &sandbox.db_arg()]);
    assert_eq!(sandbox.departments_json().len(), 19);
    assert_eq!(
        operators(&sandbox),
        by_name(vec![
            operator(admin(), "admin", None),
            operator("audit.liu", "viewer", None),
            operator("hr.zhang", "hr", None),
            operator("mgr.zeng", "manager", Some(SALES_PATH)),
        ])
    );
}

#[test]
fn demo_refuses_to_overwrite_a_file() {
    let sandbox = Sandbox::with_demo();
    let before = read_bytes(&sandbox.db());
    sandbox.on_db(&["demo"]).code(2).stderr_has(&[
        &sandbox.db_arg(),
        "already exists",
        "will not overwrite",
    ]);
    assert_eq!(read_bytes(&sandbox.db()), before, "the file was changed");
}

#[test]
fn demo_without_db_asks_for_one() {
    let sandbox = Sandbox::new();
    sandbox.run(&["demo"]).code(2).stderr_has(&["--db"]);
    assert!(!sandbox.data_dir().exists(), "nothing is written");
}

#[test]
fn demo_is_deterministic() {
    let (first, second) = (Sandbox::with_demo(), Sandbox::with_demo());
    let csv = |sandbox: &Sandbox| {
        sandbox
            .on_db(&["export", "departments"])
            .success()
            .stdout
            .clone()
    };
    assert_eq!(csv(&first), csv(&second));
}

// ---------------------------------------------------------------- export

#[test]
fn export_departments_as_csv() {
    let sandbox = Sandbox::with_demo();
    let (header, rows) = sandbox.on_db(&["export", "departments"]).success().csv();
    assert_eq!(header, ["id", "name", "path", "parent_id", "head"]);
    assert_eq!(rows.len(), 19);
    let row = |name: &str| {
        rows.iter()
            .find(|r| r[1] == name)
            .unwrap_or_else(|| panic!("no row for {name} in {rows:?}"))
    };
    let company = row(COMPANY);
    assert_eq!((company[2].as_str(), company[3].as_str()), (COMPANY, ""));
    assert_eq!(company[4], "E000001 周建国", "a head is an employee");
    let east = row("华东大区");
    assert_eq!(east[2], format!("{SALES_PATH} / 华东大区"));
    assert_eq!(east[3], row("销售部")[0], "parent_id is the parent's id");
    assert!(
        east[4].starts_with('E') && east[4].ends_with(" 单文"),
        "{east:?}"
    );
}

#[test]
fn export_into_a_new_file_never_over_one() {
    let sandbox = Sandbox::with_demo();
    let stdout = sandbox
        .on_db(&["export", "departments"])
        .success()
        .stdout
        .clone();
    let file = sandbox.root().join("departments.csv");
    let name = file.to_str().unwrap();
    let written = sandbox.on_db(&["export", "departments", name]);
    assert!(written.success().stdout.is_empty(), "{}", written.stdout);
    written.stderr_has(&["Wrote 20 lines"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout);
    sandbox
        .on_db(&["export", "goals", name])
        .code(2)
        .stderr_has(&["exists"]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        stdout,
        "left as it was"
    );
    sandbox
        .on_db(&["export", "unbind-notices", "notices.csv"])
        .code(2)
        .stderr_has(&["standard output"]);
    // An export that fails once its file is made leaves none behind.
    let refused = sandbox.root().join("ratings.csv");
    sandbox
        .on_db(&[
            "export",
            "ratings",
            "--cycle",
            "nope",
            refused.to_str().unwrap(),
        ])
        .code(1)
        .stderr_has(&["nope"]);
    assert!(!refused.exists(), "no file for a failed export");
}

#[test]
fn export_departments_as_json() {
    let sandbox = Sandbox::with_demo();
    let rows = sandbox.departments_json();
    assert_eq!(rows.len(), 19);
    let store = rows
        .iter()
        .find(|r| r["name"] == "门店07 深圳福田")
        .expect("store 07 is exported");
    assert_eq!(
        store["path"],
        format!("{COMPANY} / 门店运营部 / 门店07 深圳福田")
    );
    assert!(
        store["head"]
            .as_str()
            .is_some_and(|head| head.ends_with(" Emily Wang")),
        "{store}"
    );
    assert!(
        store["parent_id"].is_u64() && store["id"].is_u64(),
        "{store}"
    );
    let company = rows
        .iter()
        .find(|r| r["name"] == COMPANY)
        .expect("the company");
    assert_eq!(company["parent_id"], Value::Null);
}

#[test]
fn export_audit_log_as_json_and_csv() {
    let sandbox = Sandbox::with_demo();
    let entries = sandbox.audit_json();
    // 1 database.create + 19 departments + 3 operators + the staff import
    // + the 19 departments' heads named (once they are employees)
    // + 40 lifecycle events (10 each of transfer, promotion, leave, departure)
    // + 11 goals (5 of them added as drafts, then published once their
    // siblings' weights added up), their cascades to the sales reps and
    // the store staff, and the reps' and stores' monthly actuals + last
    // year: its 3 goals (one published), their 2 cascades, the year's
    // actuals and the 2025 cycle added, opened, rated, calibrating, closed
    // + the 2026 cycle: added, opened, its ratings, the training catalogue,
    // an appeal filed and stepped twice (upheld), another (rejected) and
    // an override + the staff's third-party accounts with the record of a
    // past audit run + the vendor selection: the project, its four
    // vendors, the one chosen and two quarters' spend.
    assert_eq!(entries.len(), 134);
    let seqs: Vec<u64> = entries.iter().filter_map(|e| e["seq"].as_u64()).collect();
    assert_eq!(seqs, (1..=134).collect::<Vec<u64>>());
    let actions = |range: std::ops::RangeInclusive<usize>| -> Vec<String> {
        entries[range]
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(entries[98]["action"], "goal.edit", "a draft published");
    assert_eq!(
        actions(99..=101),
        ["goal.cascade", "goal.cascade", "goal.actuals"]
    );
    assert_eq!(
        entries[105]["action"], "goal.edit",
        "last year's draft published"
    );
    assert_eq!(
        actions(106..=113),
        [
            "goal.cascade",
            "goal.cascade",
            "goal.actuals",
            "cycle.add",
            "cycle.advance",
            "rating.bulk",
            "cycle.advance",
            "cycle.advance"
        ]
    );
    assert_eq!(entries[113]["after"], "closed");
    assert_eq!(
        actions(114..=125),
        [
            "cycle.add",
            "cycle.advance",
            "rating.bulk",
            "course.catalogue",
            "appeal.file",
            "appeal.step",
            "appeal.step",
            "appeal.file",
            "appeal.step",
            "appeal.step",
            "grade.override",
            "binding.bulk"
        ]
    );
    assert!(
        entries[120]["after"]
            .as_str()
            .unwrap()
            .starts_with("upheld F=")
    );
    assert!(
        entries[123]["after"]
            .as_str()
            .unwrap()
            .starts_with("rejected ")
    );
    assert_eq!(entries[126]["action"], "vendor_project.add");
    assert_eq!(entries[131]["action"], "vendor_project.choose");
    assert_eq!(entries[133]["action"], "vendor.spend");
    assert_eq!(entries[23]["action"], "staff.import");
    assert_eq!(entries[24]["action"], "department.edit");
    assert_eq!(
        entries[24]["after"],
        format!("name={COMPANY} parent=- head=E000001 周建国")
    );
    let departures = entries
        .iter()
        .filter(|e| e["action"] == "employee.departure")
        .count();
    assert_eq!(departures, 10);
    let first = &entries[0];
    assert_eq!(first["action"], "database.create");
    assert_eq!(first["operator"], admin());
    assert_eq!(first["after"], format!("schema=11 admin={}", admin()));
    assert_eq!(entries[1]["action"], "department.add");
    assert_eq!(
        entries[1]["after"],
        format!("name={COMPANY} parent=- head=-")
    );

    let (header, rows) = sandbox.on_db(&["export", "audit-log"]).success().csv();
    assert_eq!(
        header,
        [
            "seq",
            "at",
            "operator",
            "action",
            "entity",
            "entity_id",
            "before",
            "after",
            "key",
            "hash"
        ]
    );
    assert_eq!(rows.len(), entries.len());
    // Each entry shows its place in the hash chain; no two share one.
    let hashes: std::collections::HashSet<&str> = rows.iter().map(|r| r[9].as_str()).collect();
    assert_eq!(hashes.len(), rows.len());
    assert!(rows.iter().all(|r| r[9].len() == 64), "{:?}", rows[0]);
    for (row, entry) in rows.iter().zip(&entries) {
        assert_eq!(row[0], entry["seq"].to_string());
        assert_eq!(row[3], entry["action"].as_str().expect("action"));
    }
}

#[test]
fn read_only_commands_on_a_missing_file_fail_without_creating_it() {
    let sandbox = Sandbox::new();
    let missing = sandbox.root().join("nowhere").join("hr.redb");
    let missing_arg = e2e::path_arg(&missing);
    let commands: [&[&str]; 5] = [
        &["export", "departments"],
        &["export", "audit-log", "--format", "json"],
        &["operator", "list"],
        &["operator", "set-role", "bob", "--role", "hr"],
        &["operator", "remove", "bob"],
    ];
    for args in commands {
        let mut args = args.to_vec();
        args.extend(["--db", missing_arg.as_str()]);
        sandbox
            .run(&args)
            .code(2)
            .stderr_has(&["there is no database at", &missing_arg]);
    }
    assert!(
        !missing.parent().expect("parent").exists(),
        "nothing was created"
    );
}

// ---------------------------------------------------------------- operators

#[test]
fn operator_add_and_list_in_every_format() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["operator", "add", "bob", "--role", "hr"])
        .success()
        .stdout_has(&["Operator bob added as hr"]);

    let text = sandbox
        .on_db(&["operator", "list"])
        .success()
        .stdout
        .clone();
    let lines: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(lines[0], ["Operator", "Role", "Scope", "Keys"], "{text}");
    assert_eq!(
        by_name(lines[1..].to_vec()),
        by_name(vec![
            vec![admin(), "admin", "all", "departments"],
            vec!["audit.liu", "viewer", "all", "departments"],
            vec!["bob", "hr", "all", "departments"],
            vec!["hr.zhang", "hr", "all", "departments"],
            vec![
                "mgr.zeng",
                "manager",
                "星河零售",
                "Xinghe",
                "Retail",
                "/",
                "销售部"
            ],
        ]),
        "{text}"
    );

    let (header, rows) = sandbox
        .on_db(&["operator", "list", "--format", "csv"])
        .success()
        .csv();
    assert_eq!(
        header,
        ["user", "role", "department_id", "department", "keys"]
    );
    assert!(rows.contains(&vec![
        "bob".into(),
        "hr".into(),
        String::new(),
        String::new(),
        String::new()
    ]));
    let sales_id = sandbox.department_id(SALES_PATH).to_string();
    assert!(
        rows.contains(&vec![
            "mgr.zeng".into(),
            "manager".into(),
            sales_id,
            SALES_PATH.into(),
            String::new()
        ]),
        "{rows:?}"
    );

    let json = sandbox
        .on_db(&["operator", "list", "--format", "json"])
        .success()
        .json_rows();
    assert_eq!(json.len(), 5);
    assert!(json.contains(&json!({
        "user": "bob", "role": "hr", "department_id": null, "department": null, "keys": ""
    })));
}

#[test]
fn set_role_manager_finds_the_department_by_name_path_or_id() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["operator", "add", "bob", "--role", "hr"])
        .success();
    let east_path = format!("{SALES_PATH} / 华东大区");
    let east_id = sandbox.department_id(&east_path).to_string();
    let cases = [
        ("销售部", SALES_PATH.to_owned()),
        (east_id.as_str(), east_path.clone()),
        // Case and spacing around "/" do not matter in a path.
        ("星河零售 xinghe retail/销售部", SALES_PATH.to_owned()),
        (SALES_PATH, SALES_PATH.to_owned()),
    ];
    for (reference, expected) in cases {
        sandbox
            .on_db(&[
                "operator",
                "set-role",
                "bob",
                "--role",
                "manager",
                "--department",
                reference,
            ])
            .success()
            .stdout_has(&["Operator bob is now manager"]);
        let bob = operators(&sandbox).into_iter().find(|op| op.0 == "bob");
        assert_eq!(
            bob,
            Some(operator("bob", "manager", Some(&expected))),
            "{reference}"
        );
    }
}

#[test]
fn ambiguous_or_unknown_departments_are_invalid_input() {
    let sandbox = Sandbox::with_demo();
    // A second 华东大区, under store operations.
    {
        let store = Store::open(&sandbox.db()).expect("open the demo database");
        let session = Session::login(store, admin(), Clock::System).expect("log in as the admin");
        let parent = DepartmentId(department_id_in(&session, "门店运营部"));
        session
            .add_department(DepartmentDraft {
                name: "华东大区".into(),
                parent: Some(parent),
                head: None,
            })
            .expect("add a second 华东大区");
    }
    let before = sandbox.audit_json().len();
    let set_manager = |department: &str| {
        sandbox.on_db(&[
            "operator",
            "add",
            "bob",
            "--role",
            "manager",
            "--department",
            department,
        ])
    };
    set_manager("华东大区").code(1).stderr_has(&[
        "“华东大区” names several departments",
        &format!("{SALES_PATH} / 华东大区"),
        &format!("{COMPANY} / 门店运营部 / 华东大区"),
        "give the path or id",
    ]);
    set_manager("研发部")
        .code(1)
        .stderr_has(&["no department matches “研发部”", "give an id, a path"]);
    set_manager("9999")
        .code(1)
        .stderr_has(&["no department matches “9999”"]);
    assert_eq!(sandbox.audit_json().len(), before, "nothing was written");
    // The full path settles it.
    set_manager(&format!("{COMPANY} / 门店运营部 / 华东大区")).success();
}

/// The id of the department named `name`, read through the library.
fn department_id_in(session: &Session, name: &str) -> u64 {
    let tree = session.department_tree().expect("read the department tree");
    tree.rows()
        .into_iter()
        .find(|row| row.department.name == name)
        .map(|row| row.department.id.0)
        .unwrap_or_else(|| panic!("no department named {name}"))
}

#[test]
fn department_goes_with_the_manager_role_only() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["operator", "add", "bob", "--role", "manager"])
        .code(1)
        .stderr_has(&["--role manager needs --department"]);
    sandbox
        .on_db(&[
            "operator",
            "add",
            "bob",
            "--role",
            "hr",
            "--department",
            "销售部",
        ])
        .code(1)
        .stderr_has(&["--department goes only with --role manager"]);
    sandbox
        .on_db(&["operator", "set-role", "hr.zhang", "--role", "manager"])
        .code(1)
        .stderr_has(&["--role manager needs --department"]);
    assert!(!operators(&sandbox).iter().any(|op| op.0 == "bob"));
}

#[test]
fn the_last_admin_and_yourself_cannot_be_removed() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["operator", "remove", admin()])
        .code(1)
        .stderr_has(&[&format!("You cannot remove your own account ({})", admin())]);
    // With one admin, removing "the last admin" is always removing yourself;
    // demoting them is the other way to lose it.
    sandbox
        .on_db(&["operator", "set-role", admin(), "--role", "hr"])
        .code(1)
        .stderr_has(&[&format!(
            "{} is the last admin; make someone else admin first",
            admin()
        )]);
    sandbox
        .on_db(&["operator", "remove", "nobody"])
        .code(1)
        .stderr_has(&["nobody is not an operator"]);
    sandbox
        .on_db(&["operator", "add", "hr.zhang", "--role", "viewer"])
        .code(1)
        .stderr_has(&["hr.zhang is already an operator"]);
    assert!(operators(&sandbox).contains(&operator(admin(), "admin", None)));
    // A second admin may remove the first.
    sandbox
        .on_db(&["operator", "set-role", "hr.zhang", "--role", "admin"])
        .success();
    sandbox
        .on_db_as("hr.zhang", &["operator", "remove", admin()])
        .success()
        .stdout_has(&[&format!("Operator {} removed", admin())]);
}

#[test]
fn changing_operators_needs_an_admin() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["operator", "add", "bob", "--role", "hr"])
        .success();
    let before = sandbox.audit_json().len();
    sandbox
        .on_db_as("bob", &["operator", "add", "carol", "--role", "hr"])
        .code(3)
        .stderr_has(&["bob (hr) may not change operators; that needs the role admin"]);
    sandbox
        .on_db_as("bob", &["operator", "remove", "audit.liu"])
        .code(3)
        .stderr_has(&["that needs the role admin"]);
    sandbox
        .on_db_as("audit.liu", &["operator", "list"])
        .code(3)
        .stderr_has(&["audit.liu (viewer) may not view operators"]);
    // hr may read the list.
    sandbox
        .on_db_as("bob", &["operator", "list"])
        .success()
        .stdout_has(&["bob", "hr.zhang"]);
    assert_eq!(sandbox.audit_json().len(), before, "nothing was written");
}

#[test]
fn strangers_are_told_how_to_get_access() {
    let sandbox = Sandbox::with_demo();
    let commands: [&[&str]; 4] = [
        &["export", "departments"],
        &["export", "audit-log"],
        &["operator", "list"],
        &["operator", "add", "stranger", "--role", "admin"],
    ];
    for args in commands {
        sandbox.on_db_as("stranger", args).code(3).stderr_has(&[
            "stranger has no operator account in",
            &sandbox.db_arg(),
            "hrdesk operator add stranger --role hr",
        ]);
    }
    sandbox
        .run_console_as("stranger", &["--db", &sandbox.db_arg()])
        .code(3)
        .stderr_has(&["stranger has no operator account in"]);
    assert!(!operators(&sandbox).iter().any(|op| op.0 == "stranger"));
}

#[test]
fn operator_changes_are_audited_with_before_and_after() {
    let sandbox = Sandbox::with_demo();
    let sales = sandbox.department_id(SALES_PATH);
    let start = sandbox.audit_json().len();
    sandbox
        .on_db(&["operator", "add", "bob", "--role", "hr"])
        .success();
    sandbox
        .on_db(&[
            "operator",
            "set-role",
            "bob",
            "--role",
            "manager",
            "--department",
            "销售部",
        ])
        .success();
    sandbox.on_db(&["operator", "remove", "bob"]).success();
    // A refused change leaves no entry.
    sandbox.on_db(&["operator", "remove", admin()]).code(1);

    let entries = sandbox.audit_json();
    let changes: Vec<Value> = entries[start..]
        .iter()
        .map(|e| {
            json!([
                e["operator"],
                e["action"],
                e["entity"],
                e["entity_id"],
                e["before"],
                e["after"]
            ])
        })
        .collect();
    let manager = format!("role=manager scope={sales}");
    assert_eq!(
        changes,
        vec![
            json!([admin(), "operator.add", "operator", "bob", null, "role=hr"]),
            json!([
                admin(),
                "operator.role",
                "operator",
                "bob",
                "role=hr",
                manager
            ]),
            json!([admin(), "operator.remove", "operator", "bob", manager, null]),
        ]
    );
    let seq = |e: &Value| e["seq"].as_u64().expect("seq");
    assert_eq!(seq(&entries[entries.len() - 1]), entries.len() as u64);
}

#[test]
fn the_operator_is_the_account_of_the_real_user_id_never_user_or_logname() {
    let sandbox = Sandbox::with_demo();
    let db = sandbox.db_arg();
    // Locally: whatever USER and LOGNAME say, the account acts (and is logged).
    let mut claimed = sandbox.command_as(
        admin(),
        &["operator", "add", "bob", "--role", "hr", "--db", &db],
    );
    claimed.env("USER", "stranger").env("LOGNAME", "stranger");
    e2e::run_with_timeout(claimed).success();
    let last = sandbox.audit_json().pop().expect("audit entries");
    assert_eq!(
        (&last["action"], &last["operator"]),
        (&json!("operator.add"), &json!(admin()))
    );
    // A viewer claiming to be the admin stays a viewer.
    let mut viewer = sandbox.command_as(
        "audit.liu",
        &[
            "operator",
            "set-role",
            "audit.liu",
            "--role",
            "admin",
            "--db",
            &db,
        ],
    );
    viewer.env("USER", admin()).env("LOGNAME", admin());
    e2e::run_with_timeout(viewer).code(3);
    assert!(operators(&sandbox).contains(&operator("audit.liu", "viewer", None)));
}

#[test]
fn user_root_does_not_make_another_os_account_an_admin() {
    if admin() != "root" {
        eprintln!("skipped: acting as a second OS account needs root");
        return;
    }
    // The database of OS account `nobody`, who is a viewer of it.
    let sandbox = Sandbox::with_demo();
    let db = sandbox.db_arg();
    sandbox
        .on_db(&["operator", "add", "nobody", "--role", "viewer"])
        .success();
    let chown = std::process::Command::new("chown")
        .args(["-R", "nobody:nogroup", &e2e::path_arg(sandbox.root())])
        .status()
        .expect("run chown");
    assert!(chown.success());
    let as_nobody = |args: &[&str]| {
        let mut cmd = std::process::Command::new("setpriv");
        cmd.args([
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            e2e::BIN,
        ])
        .args(args)
        .args(["--db", &db])
        .envs(sandbox.env())
        .env("USER", "root")
        .env("LOGNAME", "root")
        .current_dir(sandbox.root());
        e2e::run_with_timeout(cmd)
    };
    as_nobody(&["operator", "set-role", "nobody", "--role", "admin"])
        .code(3)
        .stderr_has(&["nobody"]);
    as_nobody(&["operator", "list"])
        .code(3)
        .stderr_has(&["nobody (viewer) may not view operators"]);
    // What a viewer may do, `nobody` does, as itself.
    as_nobody(&["export", "departments"]).success();
    assert!(operators(&sandbox).contains(&operator("nobody", "viewer", None)));
}

// ---------------------------------------------------------------- files

#[test]
fn damage_inside_a_database_is_a_clear_error_not_a_crash() {
    let sandbox = Sandbox::with_demo();
    let clean = std::fs::read(sandbox.db()).expect("read the demo database");
    let mut damaged_seen = 0;
    for offset in (4096..clean.len()).step_by(4096) {
        let mut bytes = clean.clone();
        bytes[offset..(offset + 256).min(clean.len())].fill(0x5a);
        std::fs::write(sandbox.db(), &bytes).expect("write the damaged copy");
        let outcome = sandbox.on_db(&["export", "departments"]);
        assert!(
            !outcome.stderr.contains("panicked"),
            "offset {offset}: {outcome:?}"
        );
        assert!(
            read_bytes(&sandbox.db()) == bytes,
            "offset {offset}: a reading command wrote to a damaged file"
        );
        if outcome.stderr.contains("is damaged") {
            outcome.code(2).stderr_has(&[
                "no record was written",
                "hrdesk verify",
                "restore it from a backup",
            ]);
            damaged_seen += 1;
        }
    }
    assert!(damaged_seen > 0, "no damage was detected in the demo file");
}

#[test]
fn files_that_are_not_databases_are_refused_and_left_untouched() {
    let sandbox = Sandbox::new();
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 + i / 13) as u8).collect();
    let samples: [(&str, Vec<u8>); 3] = [
        ("garbage.bin", garbage),
        ("empty.redb", Vec::new()),
        (
            "staff.csv",
            "name,department\n王磊,销售部\n".as_bytes().to_vec(),
        ),
    ];
    for (name, bytes) in samples {
        let path = sandbox.root().join(name);
        std::fs::write(&path, &bytes).expect("write the sample file");
        make_private(&path);
        let file = sandbox.arg(name);
        let not_a_database = [
            file.as_str(),
            "is not a database hrdesk can read",
            "left untouched",
        ];
        sandbox
            .run(&["export", "departments", "--db", &file])
            .code(2)
            .stderr_has(&not_a_database);
        sandbox
            .run(&["operator", "add", "bob", "--role", "hr", "--db", &file])
            .code(2)
            .stderr_has(&not_a_database);
        sandbox
            .run_console(&["--db", &file])
            .code(2)
            .stderr_has(&not_a_database);
        sandbox
            .run(&["demo", "--db", &file])
            .code(2)
            .stderr_has(&[&file, "already exists"]);
        assert_eq!(read_bytes(&path), bytes, "{name} was changed");
    }
}

fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn make_private(path: &std::path::Path) {
    chmod(path, 0o600);
}

#[test]
fn a_database_others_could_read_or_replace_is_refused_and_left_untouched() {
    let sandbox = Sandbox::with_demo();
    let db = sandbox.db();
    let before = read_bytes(&db);
    chmod(&db, 0o640);
    for args in [
        vec!["export", "staff"],
        vec!["operator", "add", "bob", "--role", "hr"],
    ] {
        sandbox
            .on_db(&args)
            .code(2)
            .stderr_has(&["mode 0640", &format!("chmod 600 {}", sandbox.db_arg())]);
    }
    sandbox
        .run_console(&["--db", &sandbox.db_arg()])
        .code(2)
        .stderr_has(&["chmod 600"]);
    assert_eq!(read_bytes(&db), before, "the file was changed");
    // Private again, but in a folder anyone may write to: they could
    // replace it. A sticky folder (as /tmp) is fine.
    make_private(&db);
    let folder = sandbox.root();
    chmod(folder, 0o777);
    sandbox
        .on_db(&["export", "staff"])
        .code(2)
        .stderr_has(&[&format!("chmod go-w {}", folder.display())]);
    assert_eq!(read_bytes(&db), before, "the file was changed");
    chmod(folder, 0o1777);
    sandbox.on_db(&["export", "departments"]).success();
    chmod(folder, 0o700);
}

#[test]
fn a_folder_as_the_database_is_an_io_error() {
    let sandbox = Sandbox::new();
    let folder = sandbox.arg("home");
    sandbox
        .run(&["export", "departments", "--db", &folder])
        .code(2)
        .stderr_has(&[&format!("cannot use {folder}: Is a directory")]);
    sandbox
        .run(&["demo", "--db", &folder])
        .code(2)
        .stderr_has(&[&folder, "already exists"]);
}

#[test]
fn new_database_files_are_private() {
    let sandbox = Sandbox::new();
    let nested = sandbox.root().join("new").join("folder").join("hr.redb");
    sandbox
        .run(&[
            "operator",
            "add",
            "bob",
            "--role",
            "hr",
            "--db",
            &e2e::path_arg(&nested),
        ])
        .success();
    assert_eq!(file_mode(&nested), 0o600, "operator add on a missing file");
    for folder in [
        sandbox.root().join("new"),
        sandbox.root().join("new/folder"),
    ] {
        assert_eq!(file_mode(&folder), 0o700, "{} is private", folder.display());
    }

    sandbox.on_db(&["demo"]).success();
    assert_eq!(file_mode(&sandbox.db()), 0o600, "demo");
}

#[test]
fn operator_add_creates_a_missing_database_with_you_as_admin() {
    let sandbox = Sandbox::new();
    sandbox
        .on_db(&["operator", "add", "bob", "--role", "viewer"])
        .success();
    assert_eq!(
        operators(&sandbox),
        by_name(vec![
            operator(admin(), "admin", None),
            operator("bob", "viewer", None)
        ])
    );
    let actions: Vec<Value> = sandbox
        .audit_json()
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(actions, [json!("database.create"), json!("operator.add")]);
}

#[test]
fn the_database_comes_from_db_then_hrdesk_db_then_config_then_the_data_folder() {
    let sandbox = Sandbox::new();
    // No --db, no config: the XDG data folder.
    sandbox
        .run(&["operator", "add", "bob", "--role", "hr"])
        .success();
    let default = sandbox.data_dir().join("hrdesk.redb");
    assert_eq!(file_mode(&default), 0o600);

    // config.toml's `database`, relative to the config folder.
    sandbox.write_config("config.toml", "database = \"from-config.redb\"\n");
    sandbox.run(&["demo"]).success();
    assert!(sandbox.config_dir().join("from-config.redb").exists());

    // HRDESK_DB wins over config.toml, --db over both.
    let env_db = sandbox.root().join("from-env.redb");
    let mut cmd = sandbox.command_as(admin(), &["demo"]);
    cmd.env("HRDESK_DB", &env_db);
    e2e::run_with_timeout(cmd).success();
    assert!(env_db.exists());
    let mut cmd = sandbox.command_as(admin(), &["demo", "--db", &sandbox.db_arg()]);
    cmd.env("HRDESK_DB", &env_db);
    e2e::run_with_timeout(cmd).success();
    assert!(sandbox.db().exists());
}

// ---------------------------------------------------------------- configuration

/// Runs the console on a fresh sandbox with `args`; it must stop with exit
/// code 2 naming every one of `needles`, before creating the database.
fn console_refuses(sandbox: &Sandbox, args: &[&str], needles: &[&str]) {
    let db = sandbox.db_arg();
    let mut all = vec!["--db", db.as_str()];
    all.extend(args);
    let outcome = sandbox.run_console(&all);
    outcome.code(2).stderr_has(needles);
    assert!(outcome.stderr.starts_with("hrdesk: "), "{outcome:?}");
    assert!(
        !sandbox.db().exists(),
        "the database was created despite the error"
    );
}

#[test]
fn keymap_with_an_unknown_action_names_file_line_and_key() {
    let sandbox = Sandbox::new();
    let file = sandbox.write_config(
        "keymap.toml",
        "# mine\n[global]\nq = \"quit\"\nx = \"fly\"\n",
    );
    let file = e2e::path_arg(&file);
    console_refuses(
        &sandbox,
        &[],
        &[&format!("{file}:4: key \"x\""), "unknown action \"fly\""],
    );
}

#[test]
fn keymap_with_a_malformed_key_names_file_line_and_key() {
    let sandbox = Sandbox::new();
    let file = sandbox.write_config(
        "keymap.toml",
        "[browse]\nk = \"up\"\n\"hyper-k\" = \"down\"\n",
    );
    let file = e2e::path_arg(&file);
    console_refuses(
        &sandbox,
        &[],
        &[
            &format!("{file}:3: key \"hyper-k\""),
            "unknown key",
            "enter, esc, tab",
        ],
    );
    sandbox.write_config("keymap.toml", "[form]\n\n\"ctrl-\" = \"submit\"\n");
    console_refuses(
        &sandbox,
        &[],
        &[&format!("{file}:3: key \"ctrl-\""), "no key after it"],
    );
}

#[test]
fn a_bad_theme_colour_names_file_line_and_key() {
    let sandbox = Sandbox::new();
    let file = sandbox.write_config(
        "themes/mine.toml",
        "inherits = \"default\"\n[styles]\ntitle = { fg = \"cyan\" }\nerror = { fg = \"purplish\" }\n",
    );
    let file = e2e::path_arg(&file);
    console_refuses(
        &sandbox,
        &["--theme", "mine"],
        &[
            &format!("{file}:4: key \"styles.error.fg\""),
            "unknown colour \"purplish\"",
            "#rrggbb",
        ],
    );
}

#[test]
fn an_unknown_theme_lists_the_available_ones() {
    let sandbox = Sandbox::new();
    sandbox.write_config("themes/mine.toml", "inherits = \"light\"\n");
    console_refuses(
        &sandbox,
        &["--theme", "nosuch"],
        &[
            "unknown theme \"nosuch\"",
            "available themes: default, high-contrast, light, mine, mono",
        ],
    );
    // The same through config.toml.
    sandbox.write_config("config.toml", "theme = \"nosuch\"\n");
    console_refuses(
        &sandbox,
        &[],
        &["unknown theme \"nosuch\"", "available themes: default"],
    );
}

#[test]
fn config_toml_with_an_unknown_key_names_file_line_and_key() {
    let sandbox = Sandbox::new();
    let file = sandbox.write_config("config.toml", "theme = \"light\"\n\ncolour = \"red\"\n");
    let file = e2e::path_arg(&file);
    let needles = [
        format!("{file}:3: key \"colour\""),
        "unknown key; known keys: theme, lang, database".into(),
    ];
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    console_refuses(&sandbox, &[], &needles);
    // config.toml is read by every command.
    sandbox.on_db(&["demo"]).code(2).stderr_has(&needles);
}

#[test]
fn a_bad_keymap_or_theme_does_not_stop_headless_commands() {
    let sandbox = Sandbox::with_demo();
    sandbox.write_config("keymap.toml", "[global]\nx = \"fly\"\n");
    sandbox.write_config("themes/mine.toml", "[styles]\ntext = { fg = \"nope\" }\n");
    sandbox
        .on_db(&["--theme", "mine", "export", "departments"])
        .success();
}

#[test]

fn config_lang_is_checked_and_applied() {
    let sandbox = Sandbox::new();
    let file = sandbox.write_config("config.toml", "\nlang = \"klingon\"\n");
    let file = e2e::path_arg(&file);
    sandbox
        .on_db(&["demo"])
        .code(2)
        .stderr_has(&[&format!("{file}:2: key \"lang\"")]);
    sandbox.write_config("config.toml", "lang = \"zh\"\n");
    sandbox
        .on_db(&["demo"])
        .success()
        .stdout_has(&["演示公司已写入"]);
}

#[test]
fn the_console_without_a_terminal_fails_cleanly() {
    let sandbox = Sandbox::with_demo();
    let outcome = sandbox.run_console(&["--db", &sandbox.db_arg()]);
    outcome.code(2).stderr_has(&["hrdesk: terminal error"]);
    assert!(!outcome.stderr.contains("panicked"), "{outcome:?}");
}

// ---------------------------------------------------------------- help

#[test]
fn help_of_every_command_mentions_db() {
    let sandbox = Sandbox::new();
    let commands: [&[&str]; 14] = [
        &[],
        &["demo"],
        &["peers", "allow"],
        &["export"],
        &["operator"],
        &["operator", "add"],
        &["operator", "set-role"],
        &["operator", "set-key"],
        &["operator", "remove"],
        &["operator", "list"],
        &["check", "goals"],
        &["audit", "bindings"],
        &["bindings", "confirm"],
        &["import", "logins"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        sandbox
            .run(&args)
            .success()
            .stdout_has(&["--db", "Usage: hrdesk"]);
    }
    sandbox
        .run(&["--help"])
        .stdout_has(&["demo", "export", "import", "operator", "--demo", "--theme"]);
    sandbox
        .run(&["export", "--help"])
        .stdout_has(&["departments", "audit-log", "--format"]);
    sandbox.run(&["export", "salaries"]).code(2).stderr_has(&[
        "invalid value 'salaries'",
        "staff, departments, goals, cycles, scores, ratings, courses, bindings, unbind-notices, audit-log, vendors",
    ]);
    sandbox.run(&["operator", "add", "--help"]).stdout_has(&[
        "--role",
        "--department",
        "--ssh-key",
    ]);
}

#[test]
fn the_language_comes_from_the_flag_then_the_locale() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["--lang", "zh", "operator", "list"])
        .success()
        .stdout_has(&["操作员", "管理员", "全部部门"]);
    let mut chinese_locale =
        sandbox.command_as(admin(), &["operator", "list", "--db", &sandbox.db_arg()]);
    chinese_locale.env("LANG", "zh_CN.UTF-8");
    e2e::run_with_timeout(chinese_locale)
        .success()
        .stdout_has(&["操作员"]);
    let mut flag_wins = sandbox.command_as(
        admin(),
        &["--lang=en", "operator", "list", "--db", &sandbox.db_arg()],
    );
    flag_wins.env("LC_ALL", "zh_CN.UTF-8");
    e2e::run_with_timeout(flag_wins)
        .success()
        .stdout_has(&["Operator", "admin"]);
    sandbox
        .run_as(
            "stranger",
            &[
                "--lang",
                "zh",
                "export",
                "departments",
                "--db",
                &sandbox.db_arg(),
            ],
        )
        .code(3)
        .stderr_has(&["没有操作员账号"]);
    sandbox
        .run(&["--lang", "zh", "--help"])
        .success()
        .stdout_has(&["数据库文件", "--db"]);
}

/// `hrdesk --db DB ssh-session NAME` with the client's `command`, as sshd
/// runs a key's forced command; the environment says `USER=admin`, which
/// must not matter.
fn over_ssh(sandbox: &Sandbox, name: &str, command: &str) -> e2e::Outcome {
    let db = sandbox.db_arg();
    let mut cmd = sandbox.command_as(admin(), &["--db", &db, "ssh-session", name]);
    cmd.env("SSH_ORIGINAL_COMMAND", command);
    e2e::run_with_timeout(cmd)
}

#[test]
fn an_ssh_key_names_the_operator_whatever_user_says() {
    let sandbox = Sandbox::with_demo();
    sandbox
        .on_db(&["operator", "add", "bob", "--role", "hr"])
        .success();
    // bob's key runs commands as bob (hr, not admin), with USER saying the admin.
    over_ssh(&sandbox, "bob", "export departments --format json").success();
    over_ssh(&sandbox, "bob", "operator add mallory --role admin")
        .code(3)
        .stderr_has(&["bob"]);
    over_ssh(&sandbox, "bob", "export staff").success();
    let log = sandbox
        .on_db(&["export", "audit-log", "--format", "json"])
        .success()
        .json_rows();
    let last_export = log
        .iter()
        .rev()
        .find(|e| e["action"] == "employee.export")
        .expect("the export is logged");
    assert_eq!(
        last_export["operator"], "bob",
        "the key's operator, not USER"
    );
    assert!(
        !operators(&sandbox)
            .iter()
            .any(|(user, _, _)| user == "mallory")
    );
    // Someone with no operator record gets nothing.
    over_ssh(&sandbox, "eve", "export staff").code(3);
}

#[test]
fn the_audit_log_names_the_key_an_operator_came_in_with() {
    let sandbox = Sandbox::with_demo();
    let db = sandbox.db_arg();
    let mut cmd = sandbox.command_as(
        admin(),
        &[
            "--db",
            &db,
            "ssh-session",
            "hr.zhang",
            "--key",
            "SHA256:zhangs-laptop",
        ],
    );
    cmd.env("SSH_ORIGINAL_COMMAND", "export staff");
    e2e::run_with_timeout(cmd).success();
    let last = sandbox.audit_json_with_exports().pop().expect("entries");
    assert_eq!(
        (&last["operator"], &last["key"]),
        (&json!("hr.zhang"), &json!("SHA256:zhangs-laptop"))
    );
    // Locally, no key.
    sandbox.on_db(&["export", "staff"]).success();
    let last = sandbox.audit_json_with_exports().pop().expect("entries");
    assert_eq!(last["key"], Value::Null);
}

#[test]
fn what_would_reach_past_the_database_is_refused_over_ssh() {
    let sandbox = Sandbox::with_demo();
    let before = read_bytes(&sandbox.db());
    let other = sandbox.arg("other.redb");
    for command in [
        format!("export staff --db {other}"),
        format!("--db={other} export staff"),
        "demo".to_string(),
        "ssh-session root".to_string(),
        "scp -t /tmp".to_string(),
        "/usr/lib/openssh/sftp-server".to_string(),
        "export staff 'unclosed".to_string(),
        "import staff /root/.ssh/authorized_keys".to_string(),
        "--lang zh import staff ~/.ssh/authorized_keys --dry-run".to_string(),
    ] {
        let outcome = over_ssh(&sandbox, admin(), &command);
        assert!(
            matches!(outcome.code, Some(2 | 3)),
            "{command}: {}",
            outcome.stderr
        );
    }
    assert!(!sandbox.root().join("other.redb").exists());
    assert!(
        read_bytes(&sandbox.db()) == before,
        "a refusal changed the file"
    );
    over_ssh(&sandbox, admin(), "export departments").success();
}

#[test]
fn files_named_over_ssh_come_from_the_exchange_folder_only() {
    let sandbox = Sandbox::with_demo();
    let sheet = sandbox.write_file("courses.csv", b"code,title,competency\nX-1,Test,teamwork\n");
    // Inside the folder: by its name there, or in full.
    for name in ["courses.csv", sheet.as_str()] {
        over_ssh(
            &sandbox,
            "hr.zhang",
            &format!("import courses {name} --dry-run"),
        )
        .success()
        .stdout_has(&["dry run"]);
    }
    // A file of the account outside it, directly, through `..` or through
    // a link placed inside: refused without a line of it shown.
    let secret = sandbox.root().join("home").join("secret.csv");
    std::fs::write(&secret, "code,title,competency\nSECRET-LINE,x,y\n").expect("secret");
    std::os::unix::fs::symlink(&secret, sandbox.exchange_dir().join("link.csv")).expect("link");
    let before = sandbox.audit_json_with_exports().len();
    for name in [
        e2e::path_arg(&secret),
        "../home/secret.csv".to_string(),
        "link.csv".to_string(),
        "/etc/passwd".to_string(),
    ] {
        let refused = over_ssh(&sandbox, "hr.zhang", &format!("import courses {name}"));
        refused.code(3).stderr_has(&["exchange folder"]);
        assert!(!refused.stderr.contains("SECRET"), "{}", refused.stderr);
        assert!(!refused.stdout.contains("SECRET"), "{}", refused.stdout);
    }
    over_ssh(&sandbox, "hr.zhang", "import courses absent.csv")
        .code(2)
        .stderr_has(&["there is no absent.csv in the exchange folder"]);
    assert_eq!(
        sandbox.audit_json_with_exports().len(),
        before,
        "nothing written"
    );
    // The admin's own account reads any file it may, as before.
    sandbox
        .on_db(&["import", "courses", &e2e::path_arg(&secret), "--dry-run"])
        .success();
}

#[test]
fn an_ssh_session_makes_a_missing_exchange_folder_private() {
    let sandbox = Sandbox::with_demo();
    std::fs::remove_dir_all(sandbox.exchange_dir()).expect("remove");
    over_ssh(&sandbox, "hr.zhang", "import courses /etc/passwd")
        .code(3)
        .stderr_has(&["outside the exchange folder"]);
    assert_eq!(file_mode(&sandbox.exchange_dir()), 0o700);
}

#[test]
fn a_sheet_can_be_sent_on_standard_input() {
    let sandbox = Sandbox::with_demo();
    let mut cmd = sandbox.command_as(
        "hr.zhang",
        &["import", "courses", "-", "--db", &sandbox.db_arg()],
    );
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("start hrdesk");
    std::io::Write::write_all(
        &mut child.stdin.take().expect("stdin"),
        b"code,title,competency\nX-1,Test,teamwork\n",
    )
    .expect("send the sheet");
    let out = child.wait_with_output().expect("hrdesk finishes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let courses = sandbox
        .on_db(&["export", "audit-log", "--format", "json"])
        .success()
        .json_rows();
    let last = courses.last().expect("an entry");
    assert_eq!(last["operator"], "hr.zhang");
}

#[test]
fn only_the_account_that_owns_the_database_may_start_an_ssh_session() {
    use std::os::unix::fs::MetadataExt;
    let sandbox = Sandbox::with_demo();
    let db = sandbox.db();
    let mine = std::fs::metadata(&db).expect("meta").uid();
    // Giving the file away needs root; elsewhere this check is left out.
    if std::os::unix::fs::chown(&db, Some(65534), None).is_err() {
        return;
    }
    over_ssh(&sandbox, admin(), "export departments")
        .code(3)
        .stderr_has(&["ssh-session runs only under the account that owns"]);
    std::os::unix::fs::chown(&db, Some(mine), None).expect("chown back");
}

// ---------------------------------------------------------------- SSH keys

/// Keys made once with `ssh-keygen -t ed25519 -N '' -C …`, and the
/// fingerprints `ssh-keygen -lf` printed for them.
const ZHANG_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPFQFGUjj4280z/cIrQRFaKl+/h0tEBuy0V4vtlntrpe zhang@laptop";
const ZHANG_FINGERPRINT: &str = "SHA256:0z3DrEt7mr8ENDZpCmHjMwoQpXN3GjOFiwDQs1MyVpk";
const LI_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC47LIGqPzt5QAM7f7GCgrIB0BKurl1baNE0KSzD50ye li@desk";
const LI_FINGERPRINT: &str = "SHA256:BzfAaNza1ptd8u4KnUEehz38aKduFAus+Q+RUNBDdNQ";
const NEW_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDFYhlFIrdpzp4wSDBgWh+g+5w0thsKmR6ZYWkBiVEUz new";
const NEW_FINGERPRINT: &str = "SHA256:wEnGHKJLkFAwp8ZWspRv/p72sV3O7RhMEZ9Pl1wgc8Y";

/// `operator add` of bob as hr with zhang's key.
const BOB_WITH_ZHANGS_KEY: [&str; 7] = [
    "operator",
    "add",
    "bob",
    "--role",
    "hr",
    "--ssh-key",
    ZHANG_KEY,
];

/// The account's own lines, which no change of hrdesk's may touch; line 2
/// is a key of its own.
const OWN_LINES: &str = "# the account's own keys\r\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMMw2dEd7H31D08xL3NsgDiZDgETCGUjg+Cef9EUKEJ/ me@home\n\n";
const OWN_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMMw2dEd7H31D08xL3NsgDiZDgETCGUjg+Cef9EUKEJ/ me@home";

/// A demo sandbox whose config.toml names an `authorized_keys` inside the
/// sandbox (never the machine's): its path, with no file or folder yet.
fn keys_sandbox() -> (Sandbox, std::path::PathBuf) {
    let sandbox = Sandbox::with_demo();
    let keys = sandbox
        .root()
        .join("home")
        .join(".ssh")
        .join("authorized_keys");
    sandbox.write_config(
        "config.toml",
        &format!("authorized_keys = \"{}\"\n", e2e::path_arg(&keys)),
    );
    (sandbox, keys)
}

/// [`keys_sandbox`] with the file holding the account's own lines.
fn keys_sandbox_with_own_lines() -> (Sandbox, std::path::PathBuf) {
    let (sandbox, keys) = keys_sandbox();
    let folder = keys.parent().expect("a folder");
    std::fs::create_dir_all(folder).expect("create the .ssh folder");
    std::fs::write(&keys, OWN_LINES).expect("write the account's own lines");
    (sandbox, keys)
}

/// The lines of hrdesk's section of `keys`, markers included.
fn section(keys: &Path) -> Vec<String> {
    let text = String::from_utf8(read_bytes(keys)).expect("the file is text");
    let start = text.find("# hrdesk begin\n").expect("a section");
    text[start..].lines().map(str::to_owned).collect()
}

/// The line of `keys` whose forced command names `operator`.
fn line_of(keys: &Path, operator: &str) -> String {
    section(keys)
        .into_iter()
        .find(|line| line.contains(&format!(" ssh-session {operator} ")))
        .unwrap_or_else(|| panic!("no line for {operator} in {:?}", section(keys)))
}

/// Runs what `operator`'s line in `keys` forces, as sshd does: the words
/// of `command="…"` with the client's `command` in SSH_ORIGINAL_COMMAND
/// (and `USER` saying the admin, which must not matter).
fn through_line(sandbox: &Sandbox, keys: &Path, operator: &str, command: &str) -> e2e::Outcome {
    let line = line_of(keys, operator);
    let forced = line
        .strip_prefix("command=\"")
        .and_then(|rest| rest.split_once('"'))
        .map(|(forced, _)| forced)
        .unwrap_or_else(|| panic!("no forced command in {line}"));
    let words = shell_words::split(forced).expect("the forced command splits into words");
    let canonical = |path: &str| std::fs::canonicalize(path).expect("the program exists");
    assert_eq!(canonical(&words[0]), canonical(e2e::BIN), "{line}");
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let mut cmd = sandbox.command_as(admin(), &args);
    cmd.env("SSH_ORIGINAL_COMMAND", command);
    e2e::run_with_timeout(cmd)
}

/// Each operator's key fingerprints, as `operator list --format json` gives them.
fn listed_keys(sandbox: &Sandbox) -> Vec<(String, String)> {
    operator_rows(sandbox)
        .iter()
        .map(|row| {
            (
                row["user"].as_str().expect("user").to_owned(),
                row["keys"].as_str().expect("keys is a string").to_owned(),
            )
        })
        .collect()
}

/// The `before` and `after` of the newest audit entry of `action`.
fn last_change(sandbox: &Sandbox, action: &str) -> (Value, Value) {
    let log = sandbox.audit_json();
    let entry = log
        .iter()
        .rev()
        .find(|e| e["action"] == action)
        .unwrap_or_else(|| panic!("no {action} in {log:#?}"));
    (entry["before"].clone(), entry["after"].clone())
}

#[test]
fn a_key_given_to_operator_add_gets_a_private_line_that_lets_them_in_as_themselves() {
    let (sandbox, keys) = keys_sandbox();
    let keys_arg = e2e::path_arg(&keys);
    sandbox.on_db(&BOB_WITH_ZHANGS_KEY).success().stdout_has(&[
        "Operator bob added as hr",
        ZHANG_FINGERPRINT,
        &keys_arg,
    ]);
    assert_eq!(file_mode(&keys), 0o600);
    assert_eq!(file_mode(keys.parent().expect("folder")), 0o700);
    let lines = section(&keys);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(
        (lines[0].as_str(), lines[2].as_str()),
        ("# hrdesk begin", "# hrdesk end")
    );
    let db = sandbox.db_arg();
    assert!(
        lines[1].ends_with(&format!(
            " --db {db} ssh-session bob --key {ZHANG_FINGERPRINT}\",restrict,pty {ZHANG_KEY}"
        )),
        "{}",
        lines[1]
    );
    assert_eq!(
        String::from_utf8(read_bytes(&keys)).expect("text"),
        lines.join("\n") + "\n",
        "the file is the section alone"
    );
    let listed = listed_keys(&sandbox);
    assert!(
        listed.contains(&("bob".into(), ZHANG_FINGERPRINT.into())),
        "{listed:?}"
    );
    assert!(
        listed.contains(&(admin().into(), String::new())),
        "{listed:?}"
    );
    sandbox
        .on_db(&["operator", "list"])
        .success()
        .stdout_has(&["Keys", ZHANG_FINGERPRINT]);
    assert_eq!(
        last_change(&sandbox, "operator.add"),
        (
            Value::Null,
            json!(format!("role=hr key={ZHANG_FINGERPRINT} (zhang@laptop)"))
        )
    );
    // The line, as sshd runs it: bob, with bob's role.
    through_line(&sandbox, &keys, "bob", "export staff --format json").success();
    let log = sandbox.audit_json_with_exports();
    let export = log
        .iter()
        .rev()
        .find(|e| e["action"] == e2e::EXPORT_ACTION)
        .expect("the export is logged");
    assert_eq!(export["operator"], "bob");
    through_line(&sandbox, &keys, "bob", "operator add mallory --role admin")
        .code(3)
        .stderr_has(&["bob (hr) may not change operators"]);
}

#[test]
fn set_key_replaces_the_operators_line_and_leaves_every_other_byte() {
    let (sandbox, keys) = keys_sandbox_with_own_lines();
    let add = |user: &str, key: &str| {
        sandbox
            .on_db(&["operator", "add", user, "--role", "hr", "--ssh-key", key])
            .success();
    };
    add("bob", ZHANG_KEY);
    add("carol", LI_KEY);
    let carol_line = line_of(&keys, "carol");
    sandbox
        .on_db(&["operator", "set-key", "bob", "--ssh-key", NEW_KEY])
        .success()
        .stdout_has(&["bob", NEW_FINGERPRINT]);
    let after = read_bytes(&keys);
    let text = String::from_utf8(after.clone()).expect("text");
    assert!(text.starts_with(OWN_LINES), "{text}");
    let lines = section(&keys);
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[1].contains("ssh-session bob --key") && lines[1].ends_with(NEW_KEY));
    assert_eq!(lines[2], carol_line, "carol's line is as it was");
    assert!(!text.contains(ZHANG_FINGERPRINT), "bob's old key is gone");
    assert_eq!(
        last_change(&sandbox, "operator.set_key"),
        (
            json!(format!("key={ZHANG_FINGERPRINT} (zhang@laptop)")),
            json!(format!("key={NEW_FINGERPRINT} (new)"))
        )
    );
    // The same key again changes nothing.
    sandbox
        .on_db(&["operator", "set-key", "bob", "--ssh-key", NEW_KEY])
        .success();
    assert_eq!(read_bytes(&keys), after);
    // carol's key, or a key for someone who is not an operator: refused.
    let entries = sandbox.audit_json().len();
    sandbox
        .on_db(&["operator", "set-key", "bob", "--ssh-key", LI_KEY])
        .code(1)
        .stderr_has(&["this key already lets carol in"]);
    sandbox
        .on_db(&["operator", "set-key", "nobody", "--ssh-key", ZHANG_KEY])
        .code(1)
        .stderr_has(&["nobody is not an operator"]);
    assert_eq!(read_bytes(&keys), after);
    assert_eq!(sandbox.audit_json().len(), entries);
    assert_eq!(
        listed_keys(&sandbox)
            .into_iter()
            .filter(|(_, keys)| !keys.is_empty())
            .collect::<Vec<_>>(),
        vec![
            ("bob".to_string(), NEW_FINGERPRINT.to_string()),
            ("carol".to_string(), LI_FINGERPRINT.to_string())
        ]
    );
    through_line(&sandbox, &keys, "bob", "export departments").success();
}

#[test]
fn removing_an_operator_takes_their_line_out() {
    let (sandbox, keys) = keys_sandbox_with_own_lines();
    for (user, key) in [("bob", ZHANG_KEY), ("carol", LI_KEY)] {
        sandbox
            .on_db(&["operator", "add", user, "--role", "hr", "--ssh-key", key])
            .success();
    }
    let with_bob = read_bytes(&keys);
    let carol_line = line_of(&keys, "carol");
    sandbox.on_db(&["operator", "remove", "bob"]).success();
    let expected = format!("{OWN_LINES}# hrdesk begin\n{carol_line}\n# hrdesk end\n");
    assert_eq!(
        String::from_utf8(read_bytes(&keys)).expect("text"),
        expected
    );
    assert_eq!(
        last_change(&sandbox, "operator.remove"),
        (
            json!(format!("role=hr key={ZHANG_FINGERPRINT} (zhang@laptop)")),
            Value::Null
        )
    );
    // A line a former bob left (put back by hand) does not let a new bob in
    // with the old key: adding bob without a key takes it out.
    std::fs::write(&keys, &with_bob).expect("put the old line back");
    sandbox
        .on_db(&["operator", "add", "bob", "--role", "viewer"])
        .success();
    assert_eq!(
        String::from_utf8(read_bytes(&keys)).expect("text"),
        expected
    );
}

#[test]
fn only_an_admin_may_change_keys_and_a_refusal_leaves_the_file_as_it_was() {
    let (sandbox, keys) = keys_sandbox_with_own_lines();
    sandbox.on_db(&BOB_WITH_ZHANGS_KEY).success();
    let before = read_bytes(&keys);
    let entries = sandbox.audit_json().len();
    let refused = "may not change operators; that needs the role admin";
    for user in ["bob", "audit.liu"] {
        for args in [
            &["operator", "set-key", "bob", "--ssh-key", NEW_KEY][..],
            &["operator", "set-key", "audit.liu", "--ssh-key", NEW_KEY],
            &[
                "operator",
                "add",
                "eve",
                "--role",
                "admin",
                "--ssh-key",
                NEW_KEY,
            ],
            &["operator", "remove", "bob"],
        ] {
            sandbox.on_db_as(user, args).code(3).stderr_has(&[refused]);
        }
    }
    // Nor through bob's own key.
    through_line(
        &sandbox,
        &keys,
        "bob",
        &format!("operator set-key bob --ssh-key '{NEW_KEY}'"),
    )
    .code(3)
    .stderr_has(&[refused]);
    assert_eq!(read_bytes(&keys), before, "the file was changed");
    assert_eq!(
        sandbox.audit_json().len(),
        entries,
        "the database was changed"
    );
    // An admin may, over SSH too.
    sandbox
        .on_db(&["operator", "set-role", "bob", "--role", "admin"])
        .success();
    through_line(
        &sandbox,
        &keys,
        "bob",
        &format!("operator set-key bob --ssh-key '{NEW_KEY}'"),
    )
    .success();
    assert!(line_of(&keys, "bob").ends_with(NEW_KEY));
}

#[test]
fn a_bad_key_a_key_in_use_or_a_broken_section_changes_nothing() {
    let (sandbox, keys) = keys_sandbox_with_own_lines();
    let keys_arg = e2e::path_arg(&keys);
    sandbox.on_db(&BOB_WITH_ZHANGS_KEY).success();
    let before = read_bytes(&keys);
    let entries = sandbox.audit_json().len();
    let add_carol =
        |key: &str| sandbox.on_db(&["operator", "add", "carol", "--role", "hr", "--ssh-key", key]);
    add_carol("ssh-ed25519 AAAA!!!! carol")
        .code(1)
        .stderr_has(&["is not valid base64"]);
    add_carol(&format!("command=\"sh\",restrict {LI_KEY}"))
        .code(1)
        .stderr_has(&["starts with options", "give only the key"]);
    add_carol(&format!("{LI_KEY}\n{NEW_KEY}"))
        .code(1)
        .stderr_has(&["several lines"]);
    let outcome = add_carol(&format!("{LI_KEY}\u{1b}[2J"));
    outcome.code(1).stderr_has(&["\\u{1b}"]);
    assert!(!outcome.stderr.contains('\u{1b}'), "{}", outcome.stderr);
    add_carol("ssh-dss AAAAB3NzaC1kc3M carol")
        .code(1)
        .stderr_has(&["“ssh-dss” is not an SSH key type", "ssh-ed25519"]);
    add_carol(ZHANG_KEY)
        .code(1)
        .stderr_has(&["this key already lets bob in"]);
    add_carol(OWN_KEY).code(1).stderr_has(&[
        &format!("{keys_arg}:2 already holds this key"),
        "outside hrdesk's section",
    ]);
    sandbox
        .on_db(&[
            "--lang",
            "zh",
            "operator",
            "add",
            "carol",
            "--role",
            "hr",
            "--ssh-key",
            ZHANG_KEY,
        ])
        .code(1)
        .stderr_has(&["此密钥已用于 bob"]);
    assert_eq!(read_bytes(&keys), before, "a refused key changed the file");
    assert_eq!(
        sandbox.audit_json().len(),
        entries,
        "a refused key was written"
    );
    // A section that lost its end: every change refused, naming the line.
    let mut broken = before.clone();
    let end = b"# hrdesk end\n";
    broken.truncate(broken.len() - end.len());
    std::fs::write(&keys, &broken).expect("break the section");
    let begin_line = OWN_LINES.lines().count() + 1;
    let at =
        format!("{keys_arg}:{begin_line}: hrdesk's section begins here and has no “# hrdesk end”");
    for args in [
        &["operator", "set-key", "bob", "--ssh-key", LI_KEY][..],
        &[
            "operator",
            "add",
            "carol",
            "--role",
            "hr",
            "--ssh-key",
            LI_KEY,
        ],
        &["operator", "add", "carol", "--role", "hr"],
        &["operator", "remove", "bob"],
    ] {
        sandbox.on_db(args).code(2).stderr_has(&[&at]);
    }
    assert_eq!(read_bytes(&keys), broken, "a broken file was changed");
    assert_eq!(
        sandbox.audit_json().len(),
        entries,
        "the database was changed"
    );
    // The list is still shown, without the keys, saying why.
    sandbox
        .on_db(&["operator", "list"])
        .success()
        .stdout_has(&["bob"])
        .stderr_has(&["key fingerprints not shown", &at]);
}

#[test]
fn a_key_file_not_written_after_the_database_change_is_reported_with_the_fix() {
    let sandbox = Sandbox::with_demo();
    // A folder that cannot be made, even by root.
    sandbox.write_config(
        "config.toml",
        "authorized_keys = \"/proc/hrdesk-no-such-folder/authorized_keys\"\n",
    );
    sandbox
        .on_db(&BOB_WITH_ZHANGS_KEY)
        .code(2)
        .stdout_has(&["Operator bob added as hr"])
        .stderr_has(&[
            "the database has the change, but bob's key line was not written",
            "/proc/hrdesk-no-such-folder/authorized_keys",
            &format!("run: hrdesk operator set-key bob --ssh-key '{ZHANG_KEY}'"),
        ]);
    assert!(operators(&sandbox).iter().any(|(user, _, _)| user == "bob"));
    sandbox
        .on_db(&["operator", "set-key", "bob", "--ssh-key", ZHANG_KEY])
        .code(2)
        .stderr_has(&["hrdesk operator set-key bob"]);
}

#[test]
fn without_the_setting_the_file_is_not_looked_for_under_home() {
    let sandbox = Sandbox::with_demo();
    // The sandbox's HOME holds a broken section, which would be reported
    // if it were read; the database's owner's home is another folder.
    let keys = sandbox
        .root()
        .join("home")
        .join(".ssh")
        .join("authorized_keys");
    std::fs::create_dir_all(keys.parent().expect("folder")).expect("create .ssh");
    std::fs::write(&keys, "# hrdesk begin\n").expect("write");
    let keys_arg = e2e::path_arg(&keys);
    let outcome = sandbox.on_db(&["operator", "list"]);
    outcome.success();
    assert!(!outcome.stderr.contains(&keys_arg), "{}", outcome.stderr);
    // Named in config.toml, it is the file.
    sandbox.write_config(
        "config.toml",
        &format!("authorized_keys = \"{keys_arg}\"\n"),
    );
    sandbox
        .on_db(&["operator", "list"])
        .success()
        .stderr_has(&[&format!("{keys_arg}:1: hrdesk's section begins here")]);
}

#[test]
fn a_department_in_use_is_removed_only_by_moving_its_people_and_goals() {
    let sandbox = Sandbox::with_demo();
    let departments = |sandbox: &Sandbox| -> Vec<String> {
        sandbox
            .departments_json()
            .iter()
            .map(|d| d["path"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let before = departments(&sandbox);
    sandbox
        .on_db(&["departments", "remove", "华南大区"])
        .code(1)
        .stderr_has(&["“华南大区” still has", "people", "--move-to"]);
    assert_eq!(departments(&sandbox), before, "refused: nothing removed");
    sandbox
        .on_db(&["departments", "remove", "销售部", "--move-to", "人力资源部"])
        .code(1)
        .stderr_has(&["2 sub-department(s)"]);
    sandbox
        .on_db(&["departments", "remove", "华南大区", "--move-to", "销售部"])
        .success()
        .stdout_has(&[
            "Department “华南大区” removed",
            "moved to 星河零售 Xinghe Retail / 销售部",
        ]);
    assert!(!departments(&sandbox).iter().any(|p| p.contains("华南大区")));
    let staff = sandbox.on_db(&["export", "staff"]).success().stdout.clone();
    assert!(!staff.contains("华南大区"), "nobody is left pointing at it");
    let file = sandbox.write_file("staff.csv", staff.as_bytes());
    sandbox
        .on_db(&["import", "staff", &file, "--update"])
        .success()
        .stdout_has(&["0 updated"]);
}
