//! Helpers shared by the end-to-end tests (`cli`, `tui_tmux` and the other `*_cli` modules):
//! a private sandbox per test (its own XDG folders, home, database path and
//! exchange folder) and running the real `hrdesk` binary with a time limit,
//! so that a regression can make a test fail but never hang it.
//!
//! The tests' own account is the database's admin ([`admin`]); any other
//! operator is acted as the way a team member works, through the forced
//! command of an SSH key (`hrdesk ssh-session NAME` with the command in
//! `SSH_ORIGINAL_COMMAND`), which the account owning the file may run.

#![allow(dead_code)]

pub mod tmux;

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::LazyLock;
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_hrdesk");

/// The account running the tests: the one whose real user id hrdesk
/// takes as the operator, and so the admin of every database it creates.
pub fn admin() -> &'static str {
    static NAME: LazyLock<String> = LazyLock::new(|| {
        let out = Command::new("id").arg("-un").output().expect("run id -un");
        String::from_utf8(out.stdout)
            .expect("the account name is UTF-8")
            .trim()
            .to_string()
    });
    &NAME
}
/// The audit action of an export of staff with IDs and salaries unmasked.
pub const EXPORT_ACTION: &str = "employee.export";

/// How long one headless command may take before the test gives up on it.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// An isolated place to run hrdesk: nothing outside its temporary directory
/// is read or written.
pub struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("create a temporary directory for the sandbox");
        let sandbox = Sandbox { dir };
        for sub in ["config", "data", "home", "exchange"] {
            std::fs::create_dir_all(sandbox.root().join(sub))
                .unwrap_or_else(|e| panic!("create sandbox folder {sub}: {e}"));
        }
        sandbox
    }

    /// A sandbox whose database file already holds the demo company.
    pub fn with_demo() -> Sandbox {
        let sandbox = Sandbox::new();
        sandbox.on_db(&["demo"]).success();
        sandbox
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `$XDG_CONFIG_HOME/hrdesk`, where hrdesk looks for its config files.
    pub fn config_dir(&self) -> PathBuf {
        self.root().join("config").join("hrdesk")
    }

    /// `$XDG_DATA_HOME/hrdesk`, where the default database lives.
    pub fn data_dir(&self) -> PathBuf {
        self.root().join("data").join("hrdesk")
    }

    /// The database file the tests pass with `--db` (absent until created).
    pub fn db(&self) -> PathBuf {
        self.root().join("hr.redb")
    }

    /// A path in the sandbox as a command-line argument.
    pub fn arg(&self, relative: &str) -> String {
        path_arg(&self.root().join(relative))
    }

    /// The folder beside [`Sandbox::db`] that files named over SSH must lie in.
    pub fn exchange_dir(&self) -> PathBuf {
        self.root().join("exchange")
    }

    /// Writes `bytes` to `name` in the exchange folder (where every
    /// operator may name it); its path as an argument.
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.exchange_dir().join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path_arg(&path)
    }

    /// `db()` as a command-line argument.
    pub fn db_arg(&self) -> String {
        path_arg(&self.db())
    }

    /// Writes `text` to `relative` under the config folder, creating folders.
    pub fn write_config(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.config_dir().join(relative);
        let parent = path.parent().expect("a config file has a parent folder");
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    /// The variables that make up the sandbox.
    pub fn env(&self) -> Vec<(&'static str, OsString)> {
        vec![
            ("XDG_CONFIG_HOME", self.root().join("config").into()),
            ("XDG_DATA_HOME", self.root().join("data").into()),
            ("HOME", self.root().join("home").into()),
            // The system's zone, whatever the machine's: config.toml's
            // `timezone` is what a test changes.
            ("TZ", "UTC".into()),
        ]
    }

    /// `hrdesk ARGS` as `user`, with no inherited database, colour, language or
    /// login setting: run directly for the admin, else through `user`'s
    /// SSH forced command (with a `--db` among `args` given to the session).
    pub fn command_as(&self, user: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        self.isolate(&mut cmd);
        if user == admin() {
            cmd.args(args);
        } else {
            as_operator(&mut cmd, user, args);
        }
        cmd
    }

    /// Gives `cmd` the sandbox's environment and working folder.
    fn isolate(&self, cmd: &mut Command) {
        cmd.env_remove("HRDESK_DB")
            .env_remove("NO_COLOR")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .env_remove("SSH_ORIGINAL_COMMAND")
            .envs(self.env())
            .current_dir(self.root());
    }

    /// Runs `hrdesk ARGS` as the admin.
    pub fn run(&self, args: &[&str]) -> Outcome {
        self.run_as(admin(), args)
    }

    /// Runs `hrdesk ARGS` as `user`.
    pub fn run_as(&self, user: &str, args: &[&str]) -> Outcome {
        run_with_timeout(self.command_as(user, args))
    }

    /// Runs `hrdesk ARGS --db <db()>` as the admin.
    pub fn on_db(&self, args: &[&str]) -> Outcome {
        self.on_db_as(admin(), args)
    }

    /// Runs `hrdesk ARGS --db <db()>` as `user`.
    pub fn on_db_as(&self, user: &str, args: &[&str]) -> Outcome {
        let db = self.db_arg();
        let mut all = args.to_vec();
        all.extend(["--db", db.as_str()]);
        self.run_as(user, &all)
    }

    /// Runs the console command (`hrdesk ARGS`) as the admin without a
    /// terminal: in a new session (`setsid`, from util-linux), so that it
    /// cannot reach the controlling terminal of whoever runs the tests even
    /// if it got as far as starting the TUI.
    pub fn run_console(&self, args: &[&str]) -> Outcome {
        self.run_console_as(admin(), args)
    }

    /// [`Sandbox::run_console`] as `user`.
    pub fn run_console_as(&self, user: &str, args: &[&str]) -> Outcome {
        let mut cmd = Command::new("setsid");
        cmd.arg(BIN);
        self.isolate(&mut cmd);
        if user == admin() {
            cmd.args(args);
        } else {
            as_operator(&mut cmd, user, args);
        }
        run_with_timeout(cmd)
    }

    /// `export departments --format json` as parsed JSON rows.
    pub fn departments_json(&self) -> Vec<serde_json::Value> {
        self.on_db(&["export", "departments", "--format", "json"])
            .success()
            .json_rows()
    }

    /// `export audit-log --format json` as parsed JSON rows, without the
    /// entries that the tests' own staff exports leave.
    pub fn audit_json(&self) -> Vec<serde_json::Value> {
        self.audit_json_with_exports()
            .into_iter()
            .filter(|entry| entry["action"] != EXPORT_ACTION)
            .collect()
    }

    /// The whole audit log, the entries of unmasked staff exports included
    /// (tests export staff to look at the data; each such export is logged).
    pub fn audit_json_with_exports(&self) -> Vec<serde_json::Value> {
        self.on_db(&["export", "audit-log", "--format", "json"])
            .success()
            .json_rows()
    }

    /// The id of the department at `path` in the exported tree.
    pub fn department_id(&self, path: &str) -> u64 {
        let rows = self.departments_json();
        rows.iter()
            .find(|row| row["path"] == path)
            .and_then(|row| row["id"].as_u64())
            .unwrap_or_else(|| panic!("no department at {path:?} in {rows:#?}"))
    }
}

/// Makes `cmd` run `args` as operator `user` through `user`'s SSH forced
/// command: `--db PATH` goes to the session, the rest is the client's command.
fn as_operator(cmd: &mut Command, user: &str, args: &[&str]) {
    let mut words = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--db" => {
                let db = rest.next().expect("--db is followed by a path");
                cmd.args(["--db", db]);
            }
            other => words.push(other),
        }
    }
    cmd.args(["ssh-session", user]);
    if !words.is_empty() {
        cmd.env("SSH_ORIGINAL_COMMAND", shell_words::join(words));
    }
}

pub fn path_arg(path: &Path) -> String {
    path.to_str()
        .unwrap_or_else(|| panic!("the test path {} is not UTF-8", path.display()))
        .to_owned()
}

/// What a finished command did.
#[derive(Debug)]
pub struct Outcome {
    /// The command line, for failure messages.
    pub command: String,
    /// The exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    fn describe(&self) -> String {
        format!(
            "command: {}\nexit code: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command, self.code, self.stdout, self.stderr
        )
    }

    /// Asserts the exit code.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Outcome {
        assert_eq!(
            self.code,
            Some(expected),
            "unexpected exit code\n{}",
            self.describe()
        );
        self
    }

    /// Asserts exit code 0.
    #[track_caller]
    pub fn success(&self) -> &Outcome {
        self.code(0)
    }

    /// Asserts that standard error holds every one of `needles`.
    #[track_caller]
    pub fn stderr_has(&self, needles: &[&str]) -> &Outcome {
        for needle in needles {
            assert!(
                self.stderr.contains(needle),
                "stderr lacks {needle:?}\n{}",
                self.describe()
            );
        }
        self
    }

    /// Asserts that standard output holds every one of `needles`.
    #[track_caller]
    pub fn stdout_has(&self, needles: &[&str]) -> &Outcome {
        for needle in needles {
            assert!(
                self.stdout.contains(needle),
                "stdout lacks {needle:?}\n{}",
                self.describe()
            );
        }
        self
    }

    /// Standard output parsed as a JSON array.
    #[track_caller]
    pub fn json_rows(&self) -> Vec<serde_json::Value> {
        match serde_json::from_str::<serde_json::Value>(&self.stdout) {
            Ok(serde_json::Value::Array(rows)) => rows,
            other => panic!(
                "stdout is not a JSON array ({other:?})\n{}",
                self.describe()
            ),
        }
    }

    /// Standard output parsed as CSV: the header and the records.
    #[track_caller]
    pub fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::Reader::from_reader(self.stdout.as_bytes());
        let header = reader
            .headers()
            .unwrap_or_else(|e| panic!("no CSV header ({e})\n{}", self.describe()))
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                r.unwrap_or_else(|e| panic!("bad CSV record ({e})\n{}", self.describe()))
                    .iter()
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        (header, rows)
    }
}

/// Runs `cmd` with stdin closed, collecting its output; kills it and fails
/// the test if it has not finished within the time limit.
pub fn run_with_timeout(mut cmd: Command) -> Outcome {
    let command = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command}: {e}"));
    let stdout = drain(child.stdout.take().expect("stdout is piped"));
    let stderr = drain(child.stderr.take().expect("stderr is piped"));
    let deadline = Instant::now() + COMMAND_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{command} did not finish within {COMMAND_TIMEOUT:?}: it hangs");
            }
            Err(e) => panic!("waiting for {command}: {e}"),
        }
    };
    Outcome {
        command,
        code: status.code(),
        stdout: stdout.join().expect("stdout reader thread"),
        stderr: stderr.join().expect("stderr reader thread"),
    }
}

/// Reads a pipe to its end on another thread (so a full pipe cannot block the child).
fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}
