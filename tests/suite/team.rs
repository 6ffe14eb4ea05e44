//! Several processes on one database file, as an HR team has it: consoles
//! left open in tmux, a cron audit and exports at the same time, imports
//! racing each other, a write that must wait, `hrdesk sessions`, signals,
//! and a file written by the release before the file was shared.

use crate::common;
use crate::e2e;

use hrdesk::panes::{goals, staff};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use e2e::tmux::{SESSION, Tmux, shell_quote};
use e2e::{Sandbox, admin, run_with_timeout};
use hrdesk::domain::audit::AuditRecord;
use hrdesk::store::{Clock, Store};

/// A demo company of `employees` in a file of its own, and its admin's
/// session (alice).
/// The console of `user` on the database file at `path`.
fn console_as(path: &std::path::Path, user: &str) -> hrdesk::app::App {
    let store = Store::open(path).expect("open");
    common::app_for(hrdesk::service::Session::login(store, user, Clock::System).expect("login"))
}

fn company(
    employees: usize,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    hrdesk::service::Session,
) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hr.redb");
    let store = Store::create(&path, "alice", chrono::Utc::now()).expect("create");
    let admin = hrdesk::service::Session::login(store, "alice", Clock::System).expect("login");
    hrdesk::demo::populate(&admin, employees).expect("demo");
    (dir, path, admin)
}

/// alice's session on the file at `path`, as another process has it.
fn alice_on(path: &std::path::Path) -> hrdesk::service::Session {
    operator_on(path, "alice")
}

/// A session of `user` on the file at `path`.
fn operator_on(path: &std::path::Path, user: &str) -> hrdesk::service::Session {
    let store = Store::open(path).expect("open");
    hrdesk::service::Session::login(store, user, Clock::System).expect("login")
}

/// A write transaction held open on another thread, as a long import in
/// another process holds one, until released.
struct Held {
    finish: mpsc::Sender<()>,
    writer: std::thread::JoinHandle<Result<(), hrdesk::store::StoreError>>,
}

impl Held {
    /// Begins a write as hr.li on `store` and returns once it holds the lock.
    fn start(store: Store) -> Held {
        let (started, wait_for_start) = mpsc::channel();
        let (finish, wait_for_finish) = mpsc::channel::<()>();
        let writer = std::thread::spawn(move || {
            store.write("hr.li", Clock::System, |w| {
                w.audit(AuditRecord::new("test.hold", "test", 1))?;
                started.send(()).expect("tell");
                wait_for_finish.recv().expect("wait");
                Ok(())
            })
        });
        wait_for_start.recv().expect("the write has begun");
        Held { finish, writer }
    }

    /// Lets the write commit.
    fn release(self) {
        self.finish.send(()).expect("release");
        self.writer.join().expect("thread").expect("the held write");
    }
}

/// The console's process id, from the session registry.
fn console_pid(sandbox: &Sandbox) -> u32 {
    let rows = sandbox
        .on_db(&["sessions", "--format", "json"])
        .success()
        .json_rows();
    rows.iter()
        .find(|row| row["what"] == "console")
        .and_then(|row| row["pid"].as_u64())
        .expect("a console in the registry") as u32
}

/// A staff sheet of `count` people numbered from `first`, in the demo's HR department.
fn staff_sheet(prefix: &str, first: usize, count: usize) -> String {
    let mut sheet = String::from("emp_no,name,department,hire_date\n");
    for n in first..first + count {
        sheet.push_str(&format!("{prefix}{n:04},员工{n},人力资源部,2024-03-01\n"));
    }
    sheet
}

/// The people in a console's staff table, in its order.
fn staff_ids(app: &hrdesk::app::App) -> Vec<hrdesk::domain::employee::EmployeeId> {
    app.pane::<staff::StaffView>()
        .list
        .items()
        .iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn two_consoles_a_cron_audit_and_an_export_share_one_file() {
    let sandbox = Sandbox::with_demo();
    let db = shell_quote(&sandbox.db_arg());
    let first = Tmux::start(&sandbox, &[]);
    first.start_hrdesk(&format!("--db {db}"));
    let second = Tmux::start(&sandbox, &[]);
    second.start_hrdesk(&format!("--db {db}"));

    // The monthly audit finds the demo's planted problems (exit 1, not 2).
    sandbox
        .on_db(&["audit", "bindings"])
        .code(1)
        .stdout_has(&["departed"]);
    let (_, staff) = sandbox.on_db(&["export", "staff"]).success().csv();
    assert_eq!(staff.len(), 300);
    let listed = sandbox.on_db(&["sessions"]).success().stdout.clone();
    assert_eq!(listed.matches(" console ").count(), 2, "{listed}");
    assert!(listed.contains("(this command)"), "{listed}");

    // One console writes; the other, and a command, see it.
    first.keys(&["g", "d"]);
    first.wait_for("Departments");
    first.keys(&["a"]);
    first.wait_for("Add department");
    first.type_text("质量部");
    first.keys(&["Enter"]);
    first.wait_for("Department “质量部” added");
    let departments = sandbox.departments_json();
    assert!(departments.iter().any(|d| d["name"] == "质量部"));
    second.keys(&["g", "d"]);
    second.wait_for("质量部");

    first.keys(&["q"]);
    first.expect_exit(0);
    second.keys(&["q"]);
    second.expect_exit(0);
    let after = sandbox
        .on_db(&["sessions", "--format", "json"])
        .success()
        .json_rows();
    assert_eq!(after.len(), 1, "only the listing itself: {after:?}");
}

#[test]
fn a_write_that_cannot_start_waits_then_exits_75_naming_the_writer() {
    let sandbox = Sandbox::with_demo();
    let holder = Store::open(&sandbox.db()).expect("the test's own handle");
    holder
        .join("hr.li", "import staff", Clock::System)
        .expect("join the registry");
    let held = Held::start(holder);

    let began = Instant::now();
    sandbox
        .on_db(&["operator", "add", "bob", "--role", "hr", "--wait", "1"])
        .code(75)
        .stderr_has(&["is busy: hr.li is writing (import staff, process", "--wait"]);
    // A console that starts meanwhile waits to open, and is told who is
    // writing if it gives up.
    sandbox
        .run_console(&["--db", &sandbox.db_arg(), "--wait", "1"])
        .code(75)
        .stderr_has(&["hr.li is writing (import staff"]);
    assert!(began.elapsed() >= Duration::from_secs(1));

    // With the default wait, a write that ends in time lets the command through.
    let mut waiting = sandbox.command_as(admin(), &["operator", "add", "bob", "--role", "hr"]);
    waiting.args(["--db", &sandbox.db_arg()]);
    let command = std::thread::spawn(move || run_with_timeout(waiting));
    std::thread::sleep(Duration::from_millis(500));
    held.release();
    command.join().expect("thread").success();
    let operators = sandbox
        .on_db(&["operator", "list"])
        .success()
        .stdout
        .clone();
    assert!(operators.contains("bob"), "{operators}");
}

#[test]
fn several_processes_importing_at_once_land_every_row_exactly_once() {
    let sandbox = Sandbox::with_demo();
    let sheets: Vec<String> = (0..4)
        .map(|k| {
            sandbox.write_file(
                &format!("batch{k}.csv"),
                staff_sheet("T", k * 50, 50).as_bytes(),
            )
        })
        .collect();
    let imports: Vec<_> = sheets
        .iter()
        .map(|sheet| {
            let mut cmd = sandbox.command_as(admin(), &["import", "staff", sheet]);
            cmd.args(["--db", &sandbox.db_arg()]);
            std::thread::spawn(move || run_with_timeout(cmd))
        })
        .collect();
    for import in imports {
        import.join().expect("thread").success();
    }
    let (_, rows) = sandbox.on_db(&["export", "staff"]).success().csv();
    let mut numbers: Vec<&str> = rows
        .iter()
        .map(|r| r[0].as_str())
        .filter(|n| n.starts_with('T'))
        .collect();
    numbers.sort();
    let before = numbers.len();
    numbers.dedup();
    assert_eq!((before, numbers.len()), (200, 200));

    // Two imports of the same new number: exactly one lands.
    let one = |name: &str| {
        format!("emp_no,name,department,hire_date\nX0001,{name},人力资源部,2024-03-01\n")
    };
    let a = sandbox.write_file("a.csv", one("Ann").as_bytes());
    let b = sandbox.write_file("b.csv", one("Bo").as_bytes());
    let racing: Vec<_> = [a, b]
        .into_iter()
        .map(|sheet| {
            let mut cmd = sandbox.command_as(admin(), &["import", "staff", &sheet]);
            cmd.args(["--db", &sandbox.db_arg()]);
            std::thread::spawn(move || run_with_timeout(cmd))
        })
        .collect();
    let codes: Vec<i32> = racing
        .into_iter()
        .map(|r| r.join().expect("thread").code.expect("exited"))
        .collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [0, 1],
        "one lands, the other is told the number is taken: {codes:?}"
    );
    let (_, rows) = sandbox.on_db(&["export", "staff"]).success().csv();
    assert_eq!(rows.iter().filter(|r| r[0] == "X0001").count(), 1);
}

#[test]
fn sessions_lists_consoles_and_commands_for_admin_and_hr_only() {
    let sandbox = Sandbox::with_demo();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    let rows = sandbox
        .on_db(&["sessions", "--format", "json"])
        .success()
        .json_rows();
    let whats: Vec<&str> = rows.iter().filter_map(|r| r["what"].as_str()).collect();
    assert_eq!(whats, ["console", "sessions"]);
    assert!(rows.iter().all(|r| r["operator"] == admin()));
    assert_eq!(rows[1]["this_process"], true);
    sandbox
        .on_db(&["operator", "add", "vic", "--role", "viewer"])
        .success();
    sandbox
        .on_db_as("vic", &["sessions"])
        .code(3)
        .stderr_has(&["admin, hr"]);
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
}

#[test]
fn each_signal_gives_the_terminal_back_and_leaves_the_registry() {
    let sandbox = Sandbox::with_demo();
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2)] {
        let tmux = Tmux::start(&sandbox, &[]);
        tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
        let cursor = tmux.ok(&["display-message", "-p", "-t", SESSION, "#{cursor_flag}"]);
        assert_eq!(cursor.trim(), "0", "the console hides the cursor");
        let pid = console_pid(&sandbox);
        // The shell's own `kill`: no package needed for it.
        let killed = Command::new("sh")
            .args(["-c", &format!("kill -{signal} {pid}")])
            .status()
            .expect("kill");
        assert!(killed.success());
        tmux.expect_exit(128 + number);
        let cursor = tmux.ok(&["display-message", "-p", "-t", SESSION, "#{cursor_flag}"]);
        assert_eq!(cursor.trim(), "1", "SIG{signal}: the cursor is shown again");
        tmux.shell("stty -a | grep -o -- '-\\?icanon'; echo STTY-$((40+2))");
        let screen = tmux.wait_for("STTY-42");
        assert!(
            screen.lines().any(|l| l.trim() == "icanon"),
            "SIG{signal}: the terminal is back in canonical mode:\n{screen}"
        );
        let left = sandbox
            .on_db(&["sessions", "--format", "json"])
            .success()
            .json_rows();
        assert!(
            left.iter().all(|r| r["what"] != "console"),
            "SIG{signal}: the console left the registry: {left:?}"
        );
    }
}

/// Copies a fixture in as a database, private as hrdesk requires (a
/// checkout leaves files readable by all).
fn copy_private(fixture: &std::path::Path, db: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::copy(fixture, db).expect("copy the fixture");
    std::fs::set_permissions(db, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}

#[test]
fn a_file_written_by_the_previous_release_opens_and_takes_writes() {
    let sandbox = Sandbox::new();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/release-schema5.redb");
    copy_private(&fixture, &sandbox.db());
    let (_, departments) = sandbox
        .on_db_as("admin", &["export", "departments"])
        .success()
        .csv();
    assert!(departments.len() > 10);
    sandbox
        .on_db_as("admin", &["operator", "add", "bob", "--role", "hr"])
        .success();
    let (_, staff) = sandbox
        .on_db_as("bob", &["export", "staff"])
        .success()
        .csv();
    assert_eq!(staff.len(), 12);
    // Upgraded to the current schema on the way: the change feed starts
    // with the first change after the upgrade, and every record is at
    // revision 0.
    let store = Store::open(&sandbox.db()).expect("open");
    assert_eq!(store.schema_version().expect("version"), 11);
    let changes = store.changes_since(0, 10).expect("feed");
    let actions: Vec<&str> = changes
        .iter()
        .flat_map(|c| c.actions.iter().map(String::as_str))
        .filter(|action| {
            !action.starts_with("department.head_linked")
                && !action.starts_with("binding.code_renewed")
        })
        .collect();
    assert_eq!(
        actions,
        [
            "database.upgrade schema",
            "database.upgrade schema",
            "operator.add bob",
            "employee.export *"
        ]
    );
}

/// FNV-1a of `text`: a fingerprint of an export, to compare with what
/// the previous release wrote from the same file.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// An audit-log export as the previous release wrote it: without the
/// entries of the upgrades (to seals, to heads that are employees) and
/// the columns they added (key, hash).
fn as_the_release_wrote_it(csv: &str) -> String {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = reader.headers().expect("header").clone();
    writer
        .write_record(header.iter().take(8))
        .expect("write header");
    for row in reader.records() {
        let row = row.expect("row");
        if ![
            "database.upgrade",
            "department.head_linked",
            "binding.code_renewed",
        ]
        .contains(&&row[3])
        {
            writer.write_record(row.iter().take(8)).expect("write row");
        }
    }
    String::from_utf8(writer.into_inner().expect("flush")).expect("UTF-8")
}

/// A departments export with each head as the name the previous release
/// kept (`E000001 周建国` → `周建国`, a flagged note → its name): what the
/// upgrade linked, and nothing else.
fn heads_as_names(csv: &str) -> String {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(reader.headers().expect("header"))
        .expect("write header");
    for row in reader.records() {
        let row = row.expect("row");
        let cells: Vec<&str> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| match (i, cell.split_once(' ')) {
                (4, Some((emp_no, name)))
                    if emp_no.starts_with('E')
                        && emp_no[1..].bytes().all(|b| b.is_ascii_digit()) =>
                {
                    name.trim_end_matches(" (departed)")
                }
                (4, _) => cell.trim_end_matches(" (not linked to an employee: choose one)"),
                _ => cell,
            })
            .collect();
        writer.write_record(cells).expect("write row");
    }
    String::from_utf8(writer.into_inner().expect("flush")).expect("UTF-8")
}

/// The cycles' settings later layouts added, with the behaviour the
/// release had: one decimal, a plan after two low cycles under 60, training
/// under 3, marks not normalised.
const CYCLE_SETTINGS_ADDED: [(&str, &str); 5] = [
    ("precision", "1"),
    ("plan_threshold", "60.0"),
    ("plan_cycles", "2"),
    ("training_threshold", "3.0"),
    ("normalise", "false"),
];

/// How the release read every KPI: its latest value (blank for objectives).
const GOAL_SETTINGS_ADDED: [(&str, &str); 1] = [("aggregation", "latest")];

/// A bindings export as the release wrote it: without the columns added
/// since (who asked, the channel, who unbound, the history), and with the
/// request's time blank once unbound (the release dropped it then).
fn bindings_as_the_release_had_them(csv: &str) -> String {
    let blank = [
        ("requested_by", ""),
        ("channel", ""),
        ("unbound_by", ""),
        ("history", ""),
    ];
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("header").clone();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (state, requested_at) = (at("state"), at("requested_at"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).expect("write header");
    for row in reader.records() {
        let row = row.expect("row");
        let cells: Vec<&str> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let dropped = blank.iter().any(|(name, _)| at(name) == i);
                if dropped || (i == requested_at && &row[state] == "unbound") {
                    ""
                } else {
                    cell
                }
            })
            .collect();
        writer.write_record(&cells).expect("write row");
    }
    let blanked = String::from_utf8(writer.into_inner().expect("flush")).expect("UTF-8");
    as_the_release_had_it(&blanked, &blank)
}

/// An export without the columns later layouts `added`, each cell of them
/// checked to carry the release's behaviour (a blank cell passes).
fn as_the_release_had_it(csv: &str, added: &[(&str, &str)]) -> String {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("header").clone();
    let dropped: Vec<usize> = added
        .iter()
        .map(|(name, _)| header.iter().position(|h| h == *name).expect(name))
        .collect();
    let keep = |row: &csv::StringRecord| -> Vec<String> {
        row.iter()
            .enumerate()
            .filter(|(i, _)| !dropped.contains(i))
            .map(|(_, cell)| cell.to_string())
            .collect()
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(keep(&header)).expect("write header");
    for row in reader.records() {
        let row = row.expect("row");
        for ((name, value), &at) in added.iter().zip(&dropped) {
            if !row[at].is_empty() {
                assert_eq!(&row[at], *value, "{name} of an upgraded record");
            }
        }
        writer.write_record(keep(&row)).expect("write row");
    }
    String::from_utf8(writer.into_inner().expect("flush")).expect("UTF-8")
}

#[test]
fn a_demo_file_of_the_release_before_the_store_seam_exports_the_same_after_its_upgrade() {
    let sandbox = Sandbox::new();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/release-schema6.redb");
    copy_private(&fixture, &sandbox.db());
    // What the previous release exported from this file, in this order
    // (each export is audited: the audit log goes first).
    let expected: [(&str, u64); 8] = [
        ("audit-log", 0x38d3_cea0_6980_4d88),
        ("staff", 0x15af_9fa5_d30a_8ffa),
        ("departments", 0x0ba8_89b9_3af3_f8f7),
        ("goals", 0x772e_e207_697b_42ba),
        ("cycles", 0x07a6_e9e7_ee77_9450),
        ("courses", 0x4eed_6fb2_7fa4_806c),
        ("bindings", 0x513d_34ab_94d5_08f0),
        // Two columns more (not_piloted, relative_criteria); the criteria
        // upgraded as relative, so the piloted vendors stand as they did;
        // 汇通软件, never piloted, is re-weighted instead of scoring 0.
        ("vendors", 0x8aa2_2b2e_65a9_cf83),
    ];
    for (kind, digest) in expected {
        let out = sandbox.on_db_as("admin", &["export", kind]);
        out.success();
        let exported = if kind == "audit-log" {
            as_the_release_wrote_it(&out.stdout)
        } else if kind == "departments" {
            heads_as_names(&out.stdout)
        } else if kind == "cycles" {
            as_the_release_had_it(&out.stdout, &CYCLE_SETTINGS_ADDED)
        } else if kind == "goals" {
            as_the_release_had_it(&out.stdout, &GOAL_SETTINGS_ADDED)
        } else if kind == "bindings" {
            bindings_as_the_release_had_them(&out.stdout)
        } else {
            out.stdout.clone()
        };
        assert_eq!(
            fingerprint(&exported),
            digest,
            "export {kind}:\n{}",
            out.stdout.lines().take(3).collect::<Vec<_>>().join("\n")
        );
    }
    let vendors = sandbox.on_db_as("admin", &["export", "vendors"]).stdout;
    for standing in [",1,云才科技,优选,84.61,", ",2,智享人力,可接受,61.67,"] {
        assert!(vendors.contains(standing), "{vendors}");
    }
    // The secondary keys came along: a taken employee number and a taken
    // department name are refused, an existing account cannot be bound again.
    let (_, staff) = sandbox
        .on_db_as("admin", &["export", "staff"])
        .success()
        .csv();
    let store = Store::open(&sandbox.db()).expect("open");
    assert_eq!(store.schema_version().expect("version"), 11);
    let taken = store.employee_by_emp_no(&staff[5][0]).expect("lookup");
    assert_eq!(taken.map(|e| e.emp_no), Some(staff[5][0].clone()));
    drop(store);
    sandbox
        .on_db_as("admin", &["audit", "bindings"])
        .stdout_has(&["WeChat"]);
    // The upgrade chained the log, sealed every record and said so.
    sandbox.on_db_as("admin", &["verify"]).success();
    let log = sandbox
        .on_db_as("admin", &["export", "audit-log", "--format", "json"])
        .success()
        .json_rows();
    let upgrade: Vec<_> = log
        .iter()
        .filter(|e| e["action"] == "database.upgrade")
        .collect();
    assert_eq!(upgrade.len(), 3, "{upgrade:?}");
    assert_eq!(upgrade[0]["before"], "schema=7");
    assert_eq!(upgrade[0]["after"], "schema=8");
    // The upgrade to schema 10 made each head the employee it names; two
    // people called Emily Wang, neither in her store: a flagged note.
    assert_eq!(upgrade[1]["before"], "schema=9");
    assert_eq!(
        upgrade[1]["after"],
        "schema=10 heads_linked=18 heads_unmatched=1"
    );
    let linked = log
        .iter()
        .filter(|e| e["action"] == "department.head_linked")
        .count();
    assert_eq!(linked, 18);
    // The upgrade to schema 11 renewed every pending code its requester had seen.
    let renewed = log
        .iter()
        .filter(|e| e["action"] == "binding.code_renewed")
        .count();
    assert!(renewed > 0, "the demo had pending requests");
    assert_eq!(upgrade[2]["before"], "schema=10");
    assert_eq!(
        upgrade[2]["after"],
        format!("schema=11 codes_renewed={renewed} spend_attributed=2")
    );
    let (_, departments) = sandbox
        .on_db_as("admin", &["export", "departments"])
        .success()
        .csv();
    assert!(departments.iter().any(|d| d[4] == "E000001 周建国"));
    assert!(
        departments
            .iter()
            .any(|d| d[4] == "Emily Wang (not linked to an employee: choose one)")
    );
}

#[test]
fn a_console_save_while_another_process_writes_keeps_the_form_and_names_the_writer() {
    use hrdesk::service::Session;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hr.redb");
    let holder = Store::create(&path, "alice", chrono::Utc::now()).expect("create");
    holder
        .join("hr.li", "import staff", Clock::System)
        .expect("join");
    let console = Store::open_within(&path, Duration::from_millis(200)).expect("console's handle");
    let session = Session::login(console, "alice", Clock::System).expect("login");
    let mut app = common::app_for(session);
    common::press(&mut app, "g d a");
    common::type_text(&mut app, "质量部");

    let held = Held::start(holder);
    common::press(&mut app, "enter");
    let form = app.form().expect("the form stays open with its input");
    assert_eq!(form.fields[0].value(), "质量部");
    let shown = common::screen(&mut app, 120, 30);
    assert!(shown.contains("hr.li is writing (import staff"), "{shown}");

    held.release();
    common::press(&mut app, "enter");
    assert!(app.form().is_none(), "saved once the file is free");
    assert_eq!(
        app.message().expect("a note").text,
        "Department “质量部” added"
    );
}

/// Two operators' sessions on one file, as two consoles have them.
fn two_sessions(
    second: &str,
    role: hrdesk::domain::operator::Role,
) -> (
    tempfile::TempDir,
    hrdesk::service::Session,
    hrdesk::service::Session,
) {
    use hrdesk::service::Session;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hr.redb");
    let store = Store::create(&path, "alice", chrono::Utc::now()).expect("create");
    let alice = Session::login(store, "alice", Clock::System).expect("alice");
    alice.add_operator(second, role).expect("add");
    let other =
        Session::login(Store::open(&path).expect("open"), second, Clock::System).expect("login");
    (dir, alice, other)
}

#[test]
fn an_operator_whose_role_changed_writes_nothing_until_they_start_again() {
    use hrdesk::domain::operator::Role;
    use hrdesk::service::{DepartmentDraft, OpError};
    let (_dir, alice, bob) = two_sessions("bob", Role::Admin);
    alice
        .set_operator_role("bob", Role::Viewer)
        .expect("demote");
    let draft = || DepartmentDraft {
        name: "质量部".into(),
        ..DepartmentDraft::default()
    };
    let refused = bob
        .add_department(draft())
        .expect_err("bob is a viewer now");
    assert!(matches!(refused, OpError::Operator(_)), "{refused:?}");
    assert!(
        refused.to_string().contains("role was changed to viewer"),
        "{refused}"
    );
    alice.remove_operator("bob").expect("remove");
    let refused = bob
        .add_operator("eve", Role::Admin)
        .expect_err("bob is gone");
    assert!(
        refused.to_string().contains("no longer an operator"),
        "{refused}"
    );
    assert!(alice.department_tree().expect("tree").is_empty());
    let operators: Vec<String> = alice
        .operators()
        .expect("list")
        .into_iter()
        .map(|o| o.user)
        .collect();
    assert_eq!(operators, ["alice"]);
}

#[test]
fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    use hrdesk::domain::operator::Role;
    for _ in 0..20 {
        let (_dir, alice, bob) = two_sessions("bob", Role::Admin);
        drop(bob);
        let path = _dir.path().join("hr.redb");
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let other = start.clone();
        let by_bob = std::thread::spawn(move || {
            let store = Store::open(&path).expect("open");
            let bob = hrdesk::service::Session::login(store, "bob", Clock::System).expect("login");
            other.wait();
            bob.set_operator_role("alice", Role::Viewer).is_ok()
        });
        start.wait();
        let by_alice = alice.set_operator_role("bob", Role::Viewer).is_ok();
        let by_bob = by_bob.join().expect("thread");
        assert!(
            by_alice != by_bob,
            "exactly one demotion lands ({by_alice}, {by_bob})"
        );
        let admins = Store::open(&_dir.path().join("hr.redb"))
            .expect("open")
            .operators()
            .expect("list")
            .into_iter()
            .filter(|o| o.role.is_admin())
            .count();
        assert_eq!(admins, 1);
    }
}

#[test]
fn two_consoles_correcting_one_person_the_later_save_is_refused_with_its_input_kept() {
    let (_dir, path, admin) = company(20);
    admin
        .add_operator("hr.li", hrdesk::domain::operator::Role::Hr)
        .expect("add");
    drop(admin);
    let console = |user: &str| console_as(&path, user);
    let (mut mine, mut theirs) = (console("alice"), console("hr.li"));
    let person = mine
        .pane::<staff::StaffView>()
        .list
        .selected()
        .expect("a first row")
        .id;

    common::press(&mut mine, "e");
    common::fill(&mut mine, "title", "门店经理");
    common::fill(&mut mine, "salary", "23000");
    common::press(&mut theirs, "e");
    common::fill(&mut theirs, "title", "区域经理");
    common::press(&mut theirs, "enter");
    assert!(theirs.form().is_none(), "{:?}", theirs.form());

    common::press(&mut mine, "enter");
    let form = mine.form().expect("refused: the form stays open");
    let error = form.error.clone().unwrap_or_default();
    assert!(error.contains("hr.li changed this record"), "{error}");
    assert!(error.contains("employee.correction"), "{error}");
    let title = form.fields.iter().find(|f| f.id == "title").expect("title");
    assert_eq!(title.value(), "门店经理", "the input is kept");
    assert_eq!(title.hint.as_deref(), Some("now stored: 区域经理"));
    let salary = form
        .fields
        .iter()
        .find(|f| f.id == "salary")
        .expect("salary");
    assert_eq!(
        salary.hint, None,
        "what is stored is never shown for a salary"
    );
    let shown = common::screen(&mut mine, 120, 40);
    assert!(shown.contains("now stored: 区域经理"), "{shown}");
    let stored = Store::open(&path).expect("open");
    assert_eq!(
        stored.employee(person).expect("read").expect("there").title,
        "区域经理"
    );

    // Seen the other change: saving again replaces it, on purpose.
    common::press(&mut mine, "enter");
    assert!(mine.form().is_none(), "{:?}", mine.form());
    assert_eq!(
        stored.employee(person).expect("read").expect("there").title,
        "门店经理"
    );
}

#[test]
fn a_person_imported_by_another_process_appears_in_an_open_filtered_console() {
    let sandbox = Sandbox::with_demo();
    let tmux = Tmux::start(&sandbox, &[]);
    tmux.start_hrdesk(&format!("--db {}", shell_quote(&sandbox.db_arg())));
    tmux.keys(&["/"]);
    tmux.type_text("甄嬛");
    tmux.keys(&["Enter"]);
    tmux.wait_for("(0/300)");
    let sheet = sandbox.write_file(
        "new.csv",
        "emp_no,name,department,hire_date\nZ0001,甄嬛,人力资源部,2024-03-01\n".as_bytes(),
    );
    sandbox
        .on_db_as("hr.zhang", &["import", "staff", &sheet])
        .success();
    let imported = Instant::now();
    // The row and the note come in one frame, which a busy terminal may
    // still be drawing when the screen is read: wait for both.
    let screen = tmux.wait_until("the new person and the note", |s| {
        s.contains("(1/301)") && s.contains("hr.zhang: staff.import")
    });
    assert!(screen.contains("Z0001"), "{screen}");
    assert!(
        imported.elapsed() < Duration::from_secs(2),
        "shown after {:?}",
        imported.elapsed()
    );
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
}

#[test]
fn a_console_follows_another_sessions_change_and_notes_only_what_its_operator_may_see() {
    use hrdesk::domain::operator::Role;
    use hrdesk::service::DepartmentDraft;
    let (_dir, path, admin) = company(20);
    let open = |user: &str| console_as(&path, user);
    let mut hr = open("hr.zhang");
    let mut manager = open("mgr.zeng");
    common::press(&mut hr, "g d");
    let follow = |app: &mut hrdesk::app::App| app.on_input(hrdesk::app::Input::StoreChanged);

    admin
        .add_department(DepartmentDraft {
            name: "质量部".into(),
            ..DepartmentDraft::default()
        })
        .expect("add");
    follow(&mut hr);
    let shown = common::screen(&mut hr, 120, 40);
    assert!(
        shown.contains("质量部"),
        "the departments view is read again:\n{shown}"
    );
    assert!(shown.contains("alice: department.add"), "{shown}");

    // Departments are everyone's to see; a manager is not told of a change
    // to someone outside their department.
    follow(&mut manager);
    assert!(
        manager
            .message()
            .is_some_and(|m| m.text.contains("department.add"))
    );
    common::press(&mut manager, "j");
    let outsider = admin
        .directory()
        .expect("directory")
        .employees()
        .iter()
        .find(|e| e.department.0 == 2)
        .expect("someone in the general office")
        .clone();
    let moved = hrdesk::domain::employee::Employee {
        title: "主任".into(),
        ..outsider.clone()
    };
    admin
        .record_event(
            outsider.id,
            hrdesk::domain::employee::EventKind::Correction,
            outsider.hire_date,
            moved,
            None,
        )
        .expect("correct");
    follow(&mut manager);
    assert!(manager.message().is_none(), "{:?}", manager.message());
    // hr sees everyone, and is told in a sentence.
    follow(&mut hr);
    let note = hr.message().expect("a note").text.clone();
    assert_eq!(
        note,
        format!("alice recorded the correction of {}", outsider.emp_no)
    );
    // A role change reaches the console it concerns.
    admin
        .set_operator_role("hr.zhang", Role::Viewer)
        .expect("demote");
    follow(&mut hr);
    assert_eq!(hr.session().operator().role, Role::Viewer);
}

#[test]
fn a_console_reads_again_only_the_people_another_session_changed() {
    use hrdesk::domain::employee::{Employee, EventKind};
    let (_dir, path, admin) = company(20);
    let mut hr = console_as(&path, "hr.zhang");
    common::press(&mut hr, "j j j");
    let selected = hr
        .pane::<staff::StaffView>()
        .list
        .selected()
        .expect("a row")
        .id;
    let people = |app: &hrdesk::app::App| -> Vec<(u64, String)> {
        let staff = app.pane::<staff::StaffView>();
        staff
            .list
            .items()
            .iter()
            .map(|r| (r.id.0, staff.labels.of(r).name.to_string()))
            .collect()
    };
    let before = people(&hr);
    let directory = admin.directory().expect("directory");
    let everyone = directory.employees();
    let boss = everyone
        .iter()
        .find(|e| {
            everyone.iter().any(|r| r.manager == Some(e.id))
                && e.id != selected
                && everyone.iter().filter(|o| o.name == e.name).count() == 1
        })
        .expect("someone with reports and a name of their own")
        .clone();
    let report = everyone
        .iter()
        .find(|r| r.manager == Some(boss.id))
        .expect("a report")
        .clone();
    let renamed = Employee {
        name: "钱多多".into(),
        ..boss.clone()
    };
    admin
        .record_event(
            boss.id,
            EventKind::Correction,
            boss.hire_date,
            renamed,
            None,
        )
        .expect("rename");
    let hired = admin
        .hire(Employee {
            emp_no: "Z9999".into(),
            name: "新同事".into(),
            manager: None,
            phone: String::new(),
            national_id: "110105194912310099".into(),
            ..everyone[0].clone()
        })
        .expect("hire");
    hr.on_input(hrdesk::app::Input::StoreChanged);

    let after = people(&hr);
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(
        after.last().map(|(id, _)| *id),
        Some(hired.id.0),
        "sorted by number: last"
    );
    let shown = |id: u64| after.iter().find(|(i, _)| *i == id).map(|(_, p)| p.clone());
    assert_eq!(shown(boss.id.0).as_deref(), Some("钱多多"));
    let staff = hr.pane::<staff::StaffView>();
    let report_row = staff
        .list
        .items()
        .iter()
        .find(|r| r.id == report.id)
        .expect("report");
    assert_eq!(
        staff.labels.of(report_row).manager,
        Some("钱多多"),
        "the report's manager column follows"
    );
    assert_eq!(
        hr.pane::<staff::StaffView>().list.selected().map(|r| r.id),
        Some(selected)
    );
    // Nobody else was read again: the table's labels were added to, not
    // made afresh (which would have forgotten the boss's old name).
    assert!(
        staff.labels.knows_name(&boss.name),
        "the table was read afresh"
    );
    for (id, name) in &before {
        if *id != boss.id.0 {
            assert_eq!(shown(*id).as_ref(), Some(name), "row {id}");
        }
    }
}

#[test]
fn an_actual_recorded_elsewhere_moves_one_goals_path_in_an_open_goal_tree() {
    use hrdesk::domain::goal::Measure;
    let (_dir, path, admin) = company(20);
    let mut hr = console_as(&path, "hr.zhang");
    common::press(&mut hr, "2");
    let progress = |app: &hrdesk::app::App, id| {
        let goals = app.pane::<goals::GoalsView>();
        goals.rollup.at(goals.tree.slot(id).expect("in the tree"))
    };
    let tree = admin.goal_tree().expect("tree");
    let goal = tree
        .goals()
        .iter()
        .find(|g| {
            let leaf = !tree.has_children(tree.slot(g.id).expect("slot"));
            matches!(g.measure, Measure::Kpi(_))
                && g.parent.is_some()
                && leaf
                && progress(&hr, g.id) < 0.5
        })
        .expect("a KPI under another goal, without goals under it, not half way yet")
        .clone();
    let parent = goal.parent.expect("parent");
    let before = (progress(&hr, goal.id), progress(&hr, parent));
    let goals_before = hr.pane::<goals::GoalsView>().tree.goals().as_ptr();
    let Measure::Kpi(kpi) = &goal.measure else {
        unreachable!()
    };
    admin
        .record_actual(
            goal.id,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
            kpi.target,
            "test",
        )
        .expect("actual");
    hr.on_input(hrdesk::app::Input::StoreChanged);
    let after = (progress(&hr, goal.id), progress(&hr, parent));
    assert!(after.0 > before.0, "{before:?} → {after:?}");
    assert_ne!(
        after.1, before.1,
        "the parent's progress follows: {before:?} → {after:?}"
    );
    assert_eq!(
        hr.pane::<goals::GoalsView>().tree.goals().as_ptr(),
        goals_before,
        "the tree was updated in place, not read again"
    );
}

/// Hires by number, name, national ID and manager as `admin`, the rest
/// as the company's first employee.
fn hirer(
    admin: &hrdesk::service::Session,
) -> impl Fn(
    &str,
    &str,
    &str,
    Option<hrdesk::domain::employee::EmployeeId>,
) -> hrdesk::domain::employee::Employee
+ '_ {
    use hrdesk::domain::employee::Employee;
    let template = admin.directory().expect("directory").employees()[0].clone();
    move |emp_no, name, national_id, manager| {
        admin
            .hire(Employee {
                emp_no: emp_no.into(),
                name: name.into(),
                manager,
                phone: String::new(),
                national_id: national_id.into(),
                ..template.clone()
            })
            .expect("hire")
    }
}

#[test]
fn a_new_manager_and_their_new_report_appear_together_with_the_report_under_the_manager() {
    let (_dir, path, admin) = company(20);
    let mut hr = console_as(&path, "hr.zhang");
    let hire = hirer(&admin);
    let boss = hire("Z9001", "新经理", "11010519491231002X", None);
    let report = hire("Z9002", "新组员", "110105194912310037", Some(boss.id));
    hr.on_input(hrdesk::app::Input::StoreChanged);
    let staff = hr.pane::<staff::StaffView>();
    let rows = staff.list.items();
    let shown = rows
        .iter()
        .find(|r| r.id == report.id)
        .expect("the report's row");
    assert_eq!(staff.labels.of(shown).manager, Some("新经理"));
    assert!(rows.iter().any(|r| r.id == boss.id));
}

#[test]
fn renaming_a_manager_renames_them_over_their_own_reports_only_not_a_namesakes() {
    use hrdesk::domain::employee::{Employee, EventKind};
    let (_dir, path, admin) = company(20);
    let mut hr = console_as(&path, "hr.zhang");
    let hire = hirer(&admin);
    let first = hire("Z9101", "同名经理", "110105194912310046", None);
    let second = hire("Z9102", "同名经理", "110105194912310054", None);
    let first_report = hire("Z9103", "组员甲", "110105194912310062", Some(first.id));
    let second_report = hire("Z9104", "组员乙", "110105194912310070", Some(second.id));
    hr.on_input(hrdesk::app::Input::StoreChanged);
    let renamed = Employee {
        name: "改名经理".into(),
        ..first.clone()
    };
    admin
        .record_event(
            first.id,
            EventKind::Correction,
            first.hire_date,
            renamed,
            None,
        )
        .expect("rename");
    hr.on_input(hrdesk::app::Input::StoreChanged);
    let staff = hr.pane::<staff::StaffView>();
    let manager_of = |id| {
        let row = staff.list.items().iter().find(|r| r.id == id).expect("row");
        staff.labels.of(row).manager
    };
    assert_eq!(manager_of(first_report.id), Some("改名经理"));
    assert_eq!(
        manager_of(second_report.id),
        Some("同名经理"),
        "the namesake's report still names them"
    );
}

#[test]
fn a_person_moved_out_of_a_managers_department_leaves_the_managers_open_table() {
    use hrdesk::domain::employee::{Employee, EventKind};
    let (_dir, path, admin) = company(20);
    let mut manager = console_as(&path, "mgr.zeng");
    let shown: Vec<_> = staff_ids(&manager);
    let leaving = manager
        .pane::<staff::StaffView>()
        .list
        .items()
        .iter()
        .find(|r| r.status == hrdesk::domain::employee::Status::Active)
        .expect("the manager sees someone at work")
        .id;
    let leaving = admin.employee(leaving).expect("read").expect("there");
    let moved = Employee {
        department: hrdesk::domain::department::DepartmentId(1),
        ..leaving.clone()
    };
    admin
        .record_event(
            leaving.id,
            EventKind::Transfer,
            leaving.hire_date,
            moved,
            None,
        )
        .expect("transfer");
    manager.on_input(hrdesk::app::Input::StoreChanged);
    let now: Vec<_> = staff_ids(&manager);
    assert_eq!(now.len(), shown.len() - 1);
    assert!(!now.contains(&leaving.id));
}

#[test]
fn two_consoles_hiring_one_national_id_at_once_record_one_person() {
    use hrdesk::domain::employee::Employee;
    use hrdesk::service::OpError;
    let (_dir, path, admin) = company(5);
    let template = admin.directory().expect("directory").employees()[0].clone();
    drop(admin);
    for round in 0..10 {
        let hire = |emp_no: String,
                    path: std::path::PathBuf,
                    start: std::sync::Arc<std::sync::Barrier>| {
            let template = template.clone();
            std::thread::spawn(move || {
                let session = alice_on(&path);
                start.wait();
                session.hire(Employee {
                    emp_no,
                    name: format!("新人{round}"),
                    manager: None,
                    phone: String::new(),
                    national_id: format!("1101051949123{round:04}"),
                    ..template
                })
            })
        };
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let first = hire(format!("N{round}A"), path.clone(), start.clone());
        let second = hire(format!("N{round}B"), path.clone(), start);
        let outcomes = [
            first.join().expect("thread"),
            second.join().expect("thread"),
        ];
        let landed = outcomes.iter().filter(|o| o.is_ok()).count();
        assert_eq!(landed, 1, "round {round}: {outcomes:?}");
        let refused = outcomes
            .iter()
            .find_map(|o| o.as_ref().err())
            .expect("one refused");
        assert!(
            matches!(refused, OpError::Invalid(problems) if problems[0].message.contains("already belongs to")),
            "{refused:?}"
        );
    }
}

#[test]
fn two_consoles_editing_one_goal_the_later_save_is_refused_with_its_input_kept() {
    let (_dir, path, admin) = company(20);
    drop(admin);
    let console = |user: &str| console_as(&path, user);
    let (mut mine, mut theirs) = (console("alice"), console("hr.zhang"));
    for app in [&mut mine, &mut theirs] {
        common::press(app, "2 e");
    }
    common::fill(&mut theirs, "title", "年销售额 +25%");
    common::press(&mut theirs, "enter");
    assert!(theirs.form().is_none(), "{:?}", theirs.form());

    common::fill(&mut mine, "title", "年销售额 +30%");
    common::press(&mut mine, "enter");
    let form = mine.form().expect("refused: the form stays open");
    let error = form.error.clone().unwrap_or_default();
    assert!(error.contains("hr.zhang changed this record"), "{error}");
    let title = form.fields.iter().find(|f| f.id == "title").expect("title");
    assert_eq!(title.value(), "年销售额 +30%");
    assert_eq!(title.hint.as_deref(), Some("now stored: 年销售额 +25%"));
    common::press(&mut mine, "enter");
    assert!(mine.form().is_none(), "saved on purpose: {:?}", mine.form());
}

#[test]
fn a_transfer_in_one_terminal_refuses_the_older_form_in_another_keeping_its_input() {
    let sandbox = Sandbox::with_demo();
    let db = shell_quote(&sandbox.db_arg());
    let consoles = [Tmux::start(&sandbox, &[]), Tmux::start(&sandbox, &[])];
    for console in &consoles {
        console.start_hrdesk(&format!("--db {db}"));
        console.open_transfer_title_of_zeng_qiang();
    }
    let [mine, theirs] = &consoles;
    theirs.type_text("Key Account Lead");
    theirs.keys(&["Enter"]);
    theirs.wait_for("Recorded the transfer of E000006 曾强");

    mine.type_text("Regional Director");
    mine.keys(&["Enter"]);
    // Read the screen once the whole refusal is drawn.
    let refused = mine.wait_until("the refusal and what is stored now", |s| {
        s.contains("changed this record") && s.contains("now stored: Key Account Lead")
    });
    assert!(
        refused.contains("Regional Director"),
        "the input is kept:\n{refused}"
    );
    let (header, rows) = sandbox.on_db(&["export", "staff"]).success().csv();
    let title = header
        .iter()
        .position(|h| h == "title")
        .expect("title column");
    let row = rows.iter().find(|r| r[0] == "E000006").expect("E000006");
    assert_eq!(
        row[title], "Key Account Lead",
        "nothing of the refused save was written"
    );
    for console in &consoles {
        console.keys(&["Escape", "y", "q"]);
    }
}

#[test]
fn two_raters_marking_one_person_at_once_both_marks_are_kept() {
    use hrdesk::domain::employee::EmployeeId;
    use hrdesk::domain::scoring::{RaterGroup, Rating};
    let (_dir, path, admin) = company(30);
    let cycle = admin
        .cycles()
        .expect("cycles")
        .pop()
        .expect("the demo cycle");
    let board = admin.board(&cycle).expect("board");
    let ratees: Vec<EmployeeId> = board.rows.iter().take(10).map(|r| r.employee).collect();
    drop(admin);
    let competency = cycle.config.competencies[0].code.clone();
    for (round, ratee) in ratees.into_iter().enumerate() {
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let rate = |rater: u64| {
            let (path, start, competency) = (path.clone(), start.clone(), competency.clone());
            std::thread::spawn(move || {
                let session = alice_on(&path);
                let rating = Rating {
                    cycle: cycle.id,
                    ratee,
                    rater: EmployeeId(rater),
                    group: RaterGroup::Peer,
                    competency,
                    value: 4,
                    comment: String::new(),
                    recorded_by: "alice".into(),
                    recorded_at: chrono::Utc::now(),
                    basis: Default::default(),
                    source: Default::default(),
                };
                // Two raters from anywhere: the admin accepts them as peers.
                let entry = hrdesk::service::RatingEntry {
                    rating,
                    override_reason: Some("cross-team project".into()),
                };
                start.wait();
                session.record_rating_entries(&[entry])
            })
        };
        let (first, second) = (rate(20 + round as u64), rate(21 + round as u64));
        first.join().expect("thread").expect("first rater");
        second.join().expect("thread").expect("second rater");
        let sheet = Store::open(&path)
            .expect("open")
            .sheet(cycle.id, ratee)
            .expect("read")
            .expect("a sheet");
        let raters: Vec<u64> = sheet
            .ratings
            .iter()
            .filter(|r| r.group == RaterGroup::Peer)
            .map(|r| r.rater.0)
            .collect();
        assert!(
            raters.contains(&(20 + round as u64)) && raters.contains(&(21 + round as u64)),
            "round {round}: both raters' marks are kept: {raters:?}"
        );
    }
}

#[test]
fn a_confirmation_and_a_withdrawal_of_one_request_at_once_one_wins_and_says_so() {
    use hrdesk::domain::binding::{BindingState, Channel, Provider, UnbindReason};
    use hrdesk::domain::operator::Role;
    use hrdesk::service::NewBinding;
    let (_dir, path, admin) = company(20);
    // The confirmation is entered on the employee's behalf by a colleague:
    // never by alice, who asks.
    admin.add_operator("bob", Role::Hr).expect("bob");
    let people = common::leaf_staff(&admin, 10, &[Provider::Alipay]);
    for (round, person) in people.iter().enumerate() {
        let bound = admin
            .bind(NewBinding {
                employee: person.id,
                provider: Provider::Alipay,
                external_id: format!("2088{round:012}"),
                bound_at: chrono::Utc::now(),
                last_used: None,
                method: "qr".into(),
            })
            .expect("bind");
        let asked = admin
            .request_unbind(bound.id, UnbindReason::PrivacyRequest)
            .expect("ask");
        let BindingState::PendingUnbind { code, .. } = asked.state else {
            panic!("pending: {:?}", asked.state);
        };
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let act = |confirm: bool| {
            let (path, start, code) = (path.clone(), start.clone(), code.clone());
            std::thread::spawn(move || {
                let session = if confirm {
                    operator_on(&path, "bob")
                } else {
                    alice_on(&path)
                };
                start.wait();
                if confirm {
                    session.confirm_unbind(&code, Channel::Phone).is_ok()
                } else {
                    session.cancel_unbind(bound.id).is_ok()
                }
            })
        };
        let (confirming, withdrawing) = (act(true), act(false));
        let confirmed = confirming.join().expect("thread");
        let withdrawn = withdrawing.join().expect("thread");
        assert!(
            confirmed != withdrawn,
            "round {round}: exactly one step lands"
        );
        let state = admin.binding_rows(&[bound.id]).expect("read")[0]
            .binding
            .state
            .clone();
        assert_eq!(state.is_live(), withdrawn, "round {round}: {state:?}");
    }
}

#[test]
fn two_calibrators_moving_one_cycle_on_at_once_move_it_once() {
    use hrdesk::domain::scoring::CycleState;
    let (_dir, path, admin) = company(20);
    for round in 0..5 {
        let cycle = admin
            .cycles()
            .expect("cycles")
            .pop()
            .expect("the demo cycle");
        assert_eq!(cycle.state, CycleState::Open, "round {round}");
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let advance = || {
            let (path, start) = (path.clone(), start.clone());
            std::thread::spawn(move || {
                let session = alice_on(&path);
                start.wait();
                session
                    .advance_cycle(cycle.id, CycleState::Calibrating)
                    .is_ok()
            })
        };
        let (first, second) = (advance(), advance());
        let landed = [
            first.join().expect("thread"),
            second.join().expect("thread"),
        ];
        assert_eq!(landed.iter().filter(|&&ok| ok).count(), 1, "round {round}");
        let moves = admin
            .audit_log()
            .expect("log")
            .iter()
            .filter(|e| {
                e.record.action == "cycle.advance"
                    && e.record.entity_id == cycle.name
                    && e.record.after.as_deref() == Some("calibrating")
            })
            .count();
        assert_eq!(moves, round + 1, "one move a round in the log");
        admin
            .advance_cycle(cycle.id, CycleState::Open)
            .expect("back to open");
    }
}

#[test]
fn two_calibrators_stepping_one_appeal_at_once_take_one_step() {
    use hrdesk::domain::scoring::CycleState;
    use hrdesk::domain::scoring::appeal::AppealState;
    let (_dir, path, admin) = company(20);
    let cycle = admin
        .cycles()
        .expect("cycles")
        .pop()
        .expect("the demo cycle");
    let cycle = admin
        .advance_cycle(cycle.id, CycleState::Calibrating)
        .expect("calibrating");
    let people: Vec<_> = admin
        .board(&cycle)
        .expect("board")
        .rows
        .iter()
        .take(5)
        .map(|r| r.employee)
        .collect();
    for (round, person) in people.into_iter().enumerate() {
        let appeal = admin
            .file_appeal(cycle.id, person, "分数有误", cycle.ends)
            .expect("file");
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let step = |comment: &'static str| {
            let (path, start) = (path.clone(), start.clone());
            std::thread::spawn(move || {
                let session = alice_on(&path);
                start.wait();
                session
                    .step_appeal(appeal.id, AppealState::Investigating, comment, None)
                    .is_ok()
            })
        };
        let (first, second) = (step("first look"), step("second look"));
        let landed = [
            first.join().expect("thread"),
            second.join().expect("thread"),
        ];
        assert_eq!(landed.iter().filter(|&&ok| ok).count(), 1, "round {round}");
        let stored = admin
            .open_appeal(cycle.id, person)
            .expect("read")
            .expect("still undecided");
        let states: Vec<AppealState> = stored.steps.iter().map(|s| s.state).collect();
        assert_eq!(
            states,
            [AppealState::Open, AppealState::Investigating],
            "round {round}: filed, then one look"
        );
    }
}

#[test]
fn a_console_far_behind_catches_up_with_every_change() {
    use hrdesk::service::Session;
    // tmpfs where there is one: a thousand commits without a disk's fsyncs.
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).expect("temp dir")
    } else {
        tempfile::tempdir().expect("temp dir")
    };
    let path = dir.path().join("hr.redb");
    let store = Store::create(&path, "alice", chrono::Utc::now()).expect("create");
    let mut console = common::app_for(alice_on(&path));
    common::press(&mut console, "g d");
    let writer = Session::login(store, "alice", Clock::System).expect("login");
    // More changes than one look at the feed reads, the last one a department.
    for n in 0..1_001 {
        writer
            .add_operator(
                &format!("viewer{n}"),
                hrdesk::domain::operator::Role::Viewer,
            )
            .expect("add");
    }
    writer
        .add_department(hrdesk::service::DepartmentDraft {
            name: "质量部".into(),
            ..hrdesk::service::DepartmentDraft::default()
        })
        .expect("add");
    console.on_input(hrdesk::app::Input::StoreChanged);
    let shown = common::screen(&mut console, 100, 30);
    assert!(shown.contains("质量部"), "{shown}");
}
