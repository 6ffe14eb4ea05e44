//! The team deployment of README's "Working as a team on one file", tried
//! against a real OpenSSH server. Each test starts its own `sshd` on
//! 127.0.0.1 (a free port, its own host key and configuration, and as
//! `AuthorizedKeysFile` the sandbox's file that `hrdesk operator set-key`
//! wrote) and logs in as the account running the tests with each person's
//! own key, as a colleague does: `ssh hrdesk@server COMMAND`, or `ssh -t`
//! for the console. Nothing listens beyond loopback; the machine's own
//! sshd, its `~/.ssh` and `/etc/ssh` are never used (the client runs with
//! `-F /dev/null` and the server with its own configuration). The
//! sessions get the sandbox's XDG folders from the server's `SetEnv`, as
//! a service account's sessions get its home.
//!
//! Skip rule: when `/usr/sbin/sshd` is missing, each test prints a note on
//! standard error and passes. `.ci/run` installs openssh-server, so in CI
//! they always run. Anything else missing (`ssh`, `ssh-keygen`, `scp`,
//! tmux) fails them.

use crate::e2e;

use std::fs::{self, File};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use e2e::tmux::{SESSION, TAB_BAR, Tmux};
use e2e::{Outcome, Sandbox, admin, path_arg, run_with_timeout};

/// The server under test; its absence is the one reason to skip.
const SSHD: &str = "/usr/sbin/sshd";

/// How long sshd may take to listen, and a dropped session to end.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// The demo company's hr and viewer operators.
const ZHANG: &str = "hr.zhang";
const LIU: &str = "audit.liu";

/// A refusal over SSH, in English and in Chinese.
const REFUSED: &str = "is not available over SSH";
const REFUSED_ZH: &str = "不能通过 SSH 使用";

/// One person's key pair, made with ssh-keygen for this test.
struct Person {
    /// The private key file, for `ssh -i`.
    key: PathBuf,
    /// The one line of the `.pub` file.
    public: String,
    /// `SHA256:…`, as `ssh-keygen -lf` prints it.
    fingerprint: String,
}

impl Person {
    fn make(dir: &Path, name: &str) -> Person {
        let key = dir.join(name);
        keygen(&key, &format!("{name}@e2e"));
        let public = read_text(&key.with_extension("pub")).trim().to_owned();
        let mut cmd = Command::new("ssh-keygen");
        cmd.arg("-lf").arg(key.with_extension("pub"));
        let listed = run_with_timeout(cmd);
        let fingerprint = listed
            .success()
            .stdout
            .split_whitespace()
            .nth(1)
            .unwrap_or_else(|| panic!("no fingerprint in {listed:?}"))
            .to_owned();
        assert!(fingerprint.starts_with("SHA256:"), "{fingerprint}");
        Person {
            key,
            public,
            fingerprint,
        }
    }
}

/// One test's world: the demo company, hr.zhang's and audit.liu's keys in
/// the sandbox's `authorized_keys`, and an sshd that reads it.
struct Team {
    /// Dropped first: sshd stops before the sandbox's folder goes.
    sshd: Sshd,
    sandbox: Sandbox,
    /// `<sandbox>/sshd`: keys, configuration, log.
    dir: PathBuf,
    zhang: Person,
    liu: Person,
}

impl Team {
    /// The world of the running test, or `None` (with a note) when sshd
    /// is not installed.
    fn start() -> Option<Team> {
        if !Path::new(SSHD).exists() {
            // libtest names each test's thread after the test.
            let test = thread::current().name().unwrap_or("ssh_e2e").to_owned();
            eprintln!("{test}: skipped, {SSHD} is missing (install openssh-server; .ci/run does)");
            return None;
        }
        let sandbox = Sandbox::with_demo();
        let dir = sandbox.root().join("sshd");
        fs::create_dir(&dir).expect("create the sshd folder");
        let keys = dir.join("authorized_keys");
        sandbox.write_config(
            "config.toml",
            &format!("authorized_keys = \"{}\"\n", path_arg(&keys)),
        );
        keygen(&dir.join("host_key"), "host");
        let zhang = Person::make(&dir, "zhang");
        let liu = Person::make(&dir, "liu");
        for (name, person) in [(ZHANG, &zhang), (LIU, &liu)] {
            sandbox
                .on_db(&["operator", "set-key", name, "--ssh-key", &person.public])
                .success()
                .stdout_has(&[&person.fingerprint, &path_arg(&keys)]);
        }
        let sshd = Sshd::start(&sandbox, &dir);
        let team = Team {
            sshd,
            sandbox,
            dir,
            zhang,
            liu,
        };
        team.expect_key_line(ZHANG, &team.zhang);
        team.expect_key_line(LIU, &team.liu);
        Some(team)
    }

    /// Checks that `authorized_keys` holds the line hrdesk promises for
    /// `name`: this very binary (the `hrdesk` that wrote it) on the
    /// sandbox's database, the key's fingerprint, no forwarding.
    fn expect_key_line(&self, name: &str, person: &Person) {
        let canonical = |path: &Path| {
            let path = fs::canonicalize(path).expect("canonical path");
            shell_words::quote(&path_arg(&path)).into_owned()
        };
        let expected = format!(
            "command=\"{} --db {} ssh-session {name} --key {}\",restrict,pty {}",
            canonical(Path::new(e2e::BIN)),
            canonical(&self.sandbox.db()),
            person.fingerprint,
            person.public
        );
        let text = read_text(&self.dir.join("authorized_keys"));
        assert!(
            text.lines().any(|line| line == expected),
            "no line\n{expected}\nin\n{text}"
        );
    }

    /// `user@127.0.0.1`: the account running the tests, as the service account.
    fn login(&self) -> String {
        format!("{}@127.0.0.1", admin())
    }

    /// The client's options for `person`'s key (`port_flag`: `-p` for
    /// ssh, `-P` for scp): no configuration file, agent or known hosts.
    fn client_options(&self, person: &Person, port_flag: &str) -> Vec<String> {
        let mut options = vec![
            "-F".to_owned(),
            "/dev/null".to_owned(),
            "-i".to_owned(),
            path_arg(&person.key),
            port_flag.to_owned(),
            self.sshd.port.to_string(),
        ];
        for option in [
            "BatchMode=yes",
            "StrictHostKeyChecking=no",
            "UserKnownHostsFile=/dev/null",
            "IdentitiesOnly=yes",
            "LogLevel=ERROR",
            "ConnectTimeout=10",
        ] {
            options.extend(["-o".to_owned(), option.to_owned()]);
        }
        options
    }

    /// `ssh [OPTIONS] user@127.0.0.1 -- COMMAND` with `person`'s key.
    fn ssh_command(&self, person: &Person, options: &[&str], command: &[&str]) -> Command {
        let mut cmd = Command::new("ssh");
        cmd.args(self.client_options(person, "-p"))
            .args(options)
            .arg(self.login())
            .env_remove("SSH_AUTH_SOCK");
        if !command.is_empty() {
            cmd.arg("--").args(command);
        }
        cmd
    }

    /// Runs `ssh … COMMAND` as `person`, stdin closed, with a time limit.
    fn ssh(&self, person: &Person, options: &[&str], command: &[&str]) -> Outcome {
        run_with_timeout(self.ssh_command(person, options, command))
    }

    /// The shell line that runs `ssh OPTIONS user@127.0.0.1` as `person`.
    fn ssh_line(&self, person: &Person, options: &[&str]) -> String {
        let mut words = vec!["ssh".to_owned()];
        words.extend(self.client_options(person, "-p"));
        words.extend(options.iter().map(|o| o.to_string()));
        words.push(self.login());
        shell_words::join(words)
    }

    /// The sessions of `name` the registry lists now (pid, what).
    fn sessions_of(&self, name: &str) -> Vec<(u64, String)> {
        self.sandbox
            .on_db(&["sessions", "--format", "json"])
            .success()
            .json_rows()
            .iter()
            .filter(|row| row["operator"] == name)
            .map(|row| {
                (
                    row["pid"].as_u64().expect("pid"),
                    row["what"].as_str().expect("what").to_owned(),
                )
            })
            .collect()
    }
}

/// A running `sshd -D`, killed when dropped (a failing test too).
struct Sshd {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Sshd {
    /// Starts sshd with a configuration of its own in `dir` (which holds
    /// `host_key` and `authorized_keys`) and waits until it accepts
    /// connections. A port taken between choosing and binding it is
    /// chosen again.
    fn start(sandbox: &Sandbox, dir: &Path) -> Sshd {
        let config = dir.join("sshd_config");
        let root = sandbox.root();
        let quoted = |path: PathBuf| format!("\"{}\"", path_arg(&path));
        let lines = [
            "ListenAddress 127.0.0.1".to_owned(),
            format!("HostKey {}", quoted(dir.join("host_key"))),
            format!("AuthorizedKeysFile {}", quoted(dir.join("authorized_keys"))),
            "PasswordAuthentication no".to_owned(),
            "KbdInteractiveAuthentication no".to_owned(),
            "PubkeyAuthentication yes".to_owned(),
            // The tests run as root in CI, and log in as themselves.
            "PermitRootLogin prohibit-password".to_owned(),
            // The sandbox is a temporary folder.
            "StrictModes no".to_owned(),
            "UsePAM no".to_owned(),
            format!("PidFile {}", quoted(dir.join("pid"))),
            "AcceptEnv LANG LC_*".to_owned(),
            "LogLevel VERBOSE".to_owned(),
            // As Debian's own: a file copy over SFTP asks for this.
            "Subsystem sftp /usr/lib/openssh/sftp-server".to_owned(),
            // What the service account's home gives its sessions.
            format!(
                "SetEnv \"XDG_CONFIG_HOME={}\" \"XDG_DATA_HOME={}\"",
                path_arg(&root.join("config")),
                path_arg(&root.join("data"))
            ),
        ];
        fs::write(&config, lines.join("\n") + "\n").expect("write sshd_config");
        privilege_separation_folder();
        let log = dir.join("sshd.log");
        for _ in 0..3 {
            let port = free_port();
            let out = File::create(&log).expect("create the sshd log");
            let child = Command::new(SSHD)
                .arg("-D")
                .arg("-e")
                .arg("-f")
                .arg(&config)
                .arg("-p")
                .arg(port.to_string())
                .stdin(Stdio::null())
                .stdout(out.try_clone().expect("log file"))
                .stderr(out)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {SSHD}: {e}"));
            let mut sshd = Sshd {
                child,
                port,
                log: log.clone(),
            };
            if sshd.wait_until_listening() {
                return sshd;
            }
        }
        panic!(
            "sshd could not bind a free port three times:\n{}",
            read_text(&log)
        );
    }

    /// Waits until sshd says it listens on its port and a connection to
    /// it succeeds; `false` when it ended because the port was taken.
    fn wait_until_listening(&mut self) -> bool {
        let listening = format!("Server listening on 127.0.0.1 port {}.", self.port);
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for sshd") {
                let log = self.log();
                if log.contains("Address already in use") {
                    return false;
                }
                panic!("sshd ended at once ({status}):\n{log}");
            }
            if self.log().contains(&listening)
                && TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok()
            {
                return true;
            }
            assert!(
                Instant::now() < deadline,
                "sshd did not listen on port {} within {START_TIMEOUT:?}:\n{}",
                self.port,
                self.log()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// What sshd has logged so far.
    fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        if thread::panicking() {
            eprintln!("--- sshd log ---\n{}", self.log());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// sshd running as root needs its privilege separation folder.
fn privilege_separation_folder() {
    if !nix::unistd::Uid::effective().is_root() {
        return;
    }
    let folder = Path::new("/run/sshd");
    if !folder.is_dir() {
        // Another test may make it at the same moment.
        let _ = fs::DirBuilder::new().mode(0o755).create(folder);
        assert!(folder.is_dir(), "cannot create {}", folder.display());
    }
}

/// A port on 127.0.0.1 that nothing listened on a moment ago.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("bind a free port on 127.0.0.1")
        .port()
}

/// `ssh-keygen -t ed25519 -N '' -C COMMENT -f PATH`.
fn keygen(path: &Path, comment: &str) {
    let mut cmd = Command::new("ssh-keygen");
    cmd.args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(path);
    run_with_timeout(cmd).success();
}

fn read_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[test]
fn headless_commands_run_as_the_keys_operator_and_are_logged_with_its_fingerprint() {
    let Some(team) = Team::start() else {
        return;
    };
    let rows = team
        .ssh(
            &team.zhang,
            &[],
            &["export", "departments", "--format", "json"],
        )
        .success()
        .json_rows();
    assert!(!rows.is_empty(), "no departments");
    assert_eq!(
        rows,
        team.sandbox.departments_json(),
        "not the same database"
    );
    // sshd let her in with her own line.
    let log = team.sshd.log();
    assert!(
        log.contains(&format!(
            "Accepted publickey for {} from 127.0.0.1",
            admin()
        )) && log.contains(&team.zhang.fingerprint),
        "{log}"
    );

    team.ssh(&team.zhang, &[], &["export", "staff"])
        .success()
        .stdout_has(&["emp_no,name"]);
    let last = team
        .sandbox
        .audit_json_with_exports()
        .pop()
        .expect("an audit entry");
    assert_eq!(last["action"], e2e::EXPORT_ACTION, "{last:#}");
    assert_eq!(last["operator"], ZHANG, "{last:#}");
    assert_eq!(last["key"], team.zhang.fingerprint.as_str(), "{last:#}");
}

#[test]
fn a_viewers_key_may_do_only_what_a_viewer_may() {
    let Some(team) = Team::start() else {
        return;
    };
    team.ssh(
        &team.liu,
        &[],
        &["export", "departments", "--format", "json"],
    )
    .success();
    team.ssh(
        &team.liu,
        &[],
        &["operator", "add", "mallory", "--role", "admin"],
    )
    .code(3)
    .stderr_has(&["audit.liu (viewer)"]);
    team.ssh(&team.liu, &[], &["verify"]).code(3);
    let operators = team
        .sandbox
        .on_db(&["operator", "list", "--format", "json"])
        .success()
        .json_rows();
    assert!(
        !operators.iter().any(|op| op["user"] == "mallory"),
        "{operators:#?}"
    );
}

#[test]
fn what_would_reach_past_the_database_is_refused_over_ssh() {
    let Some(team) = Team::start() else {
        return;
    };
    let entries = team.sandbox.audit_json_with_exports().len();
    let db = team.sandbox.db();
    let before = fs::read(&db).expect("read the database");
    for command in [
        &["export", "staff", "--db", "/etc/passwd"][..],
        &["demo"],
        &["scp", "-t", "/tmp"],
        &["ssh-session", "root"],
        &["/usr/lib/openssh/sftp-server"],
    ] {
        team.ssh(&team.zhang, &[], command)
            .code(3)
            .stderr_has(&[REFUSED]);
    }
    // Real copies: scp over SFTP (the sftp subsystem, whose error output
    // sshd does not pass on) and over the old protocol (`scp -t` on the
    // server).
    let copied = team.sandbox.root().join("copied");
    let source = team.sandbox.write_file("sheet.csv", b"code,title\n");
    for (protocol, says) in [(None, ""), (Some("-O"), REFUSED)] {
        let mut cmd = Command::new("scp");
        cmd.args(team.client_options(&team.zhang, "-P"))
            .args(protocol)
            .arg(&source)
            .arg(format!("{}:{}", team.login(), path_arg(&copied)))
            .env_remove("SSH_AUTH_SOCK");
        let outcome = run_with_timeout(cmd);
        assert_ne!(outcome.code, Some(0), "{outcome:?}");
        assert!(outcome.stderr.contains(says), "{outcome:?}");
        assert!(!copied.exists(), "scp {protocol:?} copied the file");
    }
    assert!(
        fs::read(&db).expect("read") == before,
        "the database changed"
    );
    assert_eq!(team.sandbox.audit_json_with_exports().len(), entries);
}

#[test]
fn a_key_with_no_command_opens_the_console_as_its_operator_and_q_ends_the_session() {
    let Some(team) = Team::start() else {
        return;
    };
    let tmux = Tmux::start(&team.sandbox, &[]);
    tmux.shell(&format!(
        "{}; echo EXIT=$?",
        team.ssh_line(&team.zhang, &["-tt"])
    ));
    tmux.wait_for(TAB_BAR);
    let screen = tmux.wait_for("hr.zhang (hr)");
    assert!(
        !screen.contains(&format!("{} (admin)", admin())),
        "{screen}"
    );
    assert_eq!(
        team.sessions_of(ZHANG)
            .into_iter()
            .map(|(_, what)| what)
            .collect::<Vec<_>>(),
        ["console"]
    );
    tmux.keys(&["q"]);
    tmux.expect_exit(0);
    assert_eq!(team.sessions_of(ZHANG), []);
}

#[test]
fn a_dropped_connection_ends_the_console_and_its_registration() {
    let Some(team) = Team::start() else {
        return;
    };
    let tmux = Tmux::start(&team.sandbox, &[]);
    // `exec`: the pane's process is the ssh client itself.
    tmux.shell(&format!("exec {}", team.ssh_line(&team.zhang, &["-tt"])));
    tmux.wait_for("hr.zhang (hr)");
    let client = tmux.ok(&["display-message", "-p", "-t", SESSION, "#{pane_pid}"]);
    let sessions = team.sessions_of(ZHANG);
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    let console = sessions[0].0;
    let mut kill = Command::new("kill");
    kill.args(["-KILL", client.trim()]);
    run_with_timeout(kill).success();
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        let stat = fs::read_to_string(format!("/proc/{console}/stat")).unwrap_or_default();
        // Gone, or ended and waiting for sshd to collect it.
        let ended = stat.is_empty() || stat.contains(") Z ");
        if ended && team.sessions_of(ZHANG).is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the console {console} outlived its connection: {stat}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_clients_language_comes_through_ssh() {
    let Some(team) = Team::start() else {
        return;
    };
    let zh = ["-o", "SetEnv=LANG=zh_CN.UTF-8"];
    team.ssh(&team.zhang, &zh, &["demo"])
        .code(3)
        .stderr_has(&[REFUSED_ZH]);
    let english = team.ssh(&team.zhang, &[], &["demo"]);
    english.code(3).stderr_has(&[REFUSED]);
    assert!(!english.stderr.contains(REFUSED_ZH), "{english:?}");
}

#[test]
fn a_key_not_in_the_file_or_taken_out_is_refused_by_sshd() {
    let Some(team) = Team::start() else {
        return;
    };
    let stranger = Person::make(&team.dir, "stranger");
    team.ssh(&stranger, &[], &["export", "departments"])
        .code(255)
        .stderr_has(&["Permission denied (publickey)"]);
    team.ssh(&team.liu, &[], &["export", "departments"])
        .success();
    team.sandbox.on_db(&["operator", "remove", LIU]).success();
    team.ssh(&team.liu, &[], &["export", "departments"])
        .code(255)
        .stderr_has(&["Permission denied (publickey)"]);
}

#[test]
fn help_and_version_over_ssh_are_printed_as_locally_in_the_clients_language() {
    let Some(team) = Team::start() else {
        return;
    };
    let local = team.sandbox.run(&["--lang", "zh", "export", "--help"]);
    local
        .success()
        .stdout_has(&["以 CSV 或 JSON 把记录写到标准输出"]);
    // `--lang` among the client's words, or the client's LANG.
    for (options, command) in [
        (&[][..], &["--lang", "zh", "export", "--help"][..]),
        (&["-o", "SetEnv=LANG=zh_CN.UTF-8"], &["export", "--help"]),
    ] {
        let over = team.ssh(&team.zhang, options, command);
        over.success();
        assert_eq!(over.stdout, local.stdout, "{over:?}");
        assert_eq!(over.stderr, "", "{over:?}");
    }
    let local = team.sandbox.run(&["--version"]);
    let over = team.ssh(&team.zhang, &[], &["--version"]);
    over.success();
    assert_eq!(over.stdout, local.success().stdout, "{over:?}");
}

#[test]
fn the_console_without_a_terminal_says_how_to_get_one() {
    let Some(team) = Team::start() else {
        return;
    };
    // `-T`: no terminal asked for, and no command.
    team.ssh(&team.zhang, &["-T"], &[])
        .code(2)
        .stderr_has(&["needs a terminal", "ssh -t"]);
    assert_eq!(team.sessions_of(ZHANG), [], "nothing left registered");
}
