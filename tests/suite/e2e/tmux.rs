//! A real terminal for the end-to-end tests: one private tmux server per
//! test (so the tests run in parallel) holding a window that runs `bash`,
//! keys sent with `tmux send-keys`, the screen read with `capture-pane`.
//! tmux is required: without it these tests fail rather than skip.

use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::{BIN, Sandbox};

/// How long to wait for the screen to show what a test expects.
pub const SCREEN_TIMEOUT: Duration = Duration::from_secs(10);
pub const POLL_EVERY: Duration = Duration::from_millis(50);
/// The shell prompt inside the pane (`PS1` without its trailing space, which
/// `capture-pane` drops), to know when the shell is ready.
pub const PROMPT: &str = "e2e-shell$";
pub const TAB_BAR: &str = "1 Staff │ 2 Goals │ 3 Scoring │ 4 Bindings │ 5 Vendors";
pub const SESSION: &str = "e2e";

/// One private tmux server holding one 100×30 window that runs `bash`.
/// Dropping it kills the server and everything running in it.
pub struct Tmux {
    /// The `-L` name of the private server.
    socket: String,
    /// Its socket file, which tmux leaves behind when the server is killed.
    socket_path: Option<String>,
}

impl Tmux {
    /// Starts the server with `bash --norc --noprofile` whose environment is
    /// exactly the sandbox's (plus `extra_env`), and waits for its prompt.
    pub fn start(sandbox: &Sandbox, extra_env: &[(&str, &str)]) -> Tmux {
        require_tmux();
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let mut tmux = Tmux {
            socket: format!(
                "hrdesk-e2e-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ),
            socket_path: None,
        };
        let mut env = vec![
            ("PATH".to_owned(), std::env::var("PATH").unwrap_or_default()),
            ("TERM".to_owned(), "screen-256color".to_owned()),
            ("PS1".to_owned(), format!("{PROMPT} ")),
        ];
        for (name, value) in sandbox.env() {
            let value = value.into_string().expect("sandbox variables are UTF-8");
            env.push((name.to_owned(), value));
        }
        env.extend(
            extra_env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        let assignments: Vec<String> = env
            .iter()
            .map(|(name, value)| format!("{name}={}", shell_quote(value)))
            .collect();
        let shell = format!(
            "cd {} && exec env -i {} bash --norc --noprofile",
            shell_quote(&super::path_arg(sandbox.root())),
            assignments.join(" ")
        );
        tmux.ok(&[
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            "100",
            "-y",
            "30",
            &shell,
        ]);
        let socket_path = tmux.ok(&["display-message", "-p", "#{socket_path}"]);
        tmux.socket_path = Some(socket_path.trim().to_owned());
        tmux.wait_for(PROMPT);
        tmux
    }

    /// Runs `tmux -L <socket> ARGS`.
    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap_or_else(|e| panic!("cannot run tmux {args:?}: {e}"))
    }

    /// Runs a tmux command that must succeed; returns its standard output.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.tmux(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Presses keys, in tmux's names: `q`, `Enter`, `Escape`, `Tab`, `C-c`.
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend(keys);
        self.ok(&args);
    }

    /// Types text literally (any script, Chinese included).
    pub fn type_text(&self, text: &str) {
        self.ok(&["send-keys", "-t", SESSION, "-l", text]);
    }

    /// Types a shell command line and presses Enter.
    pub fn shell(&self, line: &str) {
        self.type_text(line);
        self.keys(&["Enter"]);
    }

    /// Starts hrdesk with `args` in the shell, which prints `EXIT=<code>`
    /// after it ends, and waits for the English tab bar.
    pub fn start_hrdesk(&self, args: &str) {
        self.start_hrdesk_showing(args, TAB_BAR);
    }

    /// In the demo company's Staff pane: finds 曾强 (E000006) by his
    /// pinyin initials, opens his transfer form and clears its title field,
    /// ready for a new title to be typed.
    pub fn open_transfer_title_of_zeng_qiang(&self) {
        self.wait_for("(300)");
        self.keys(&["/"]);
        self.type_text("zq");
        self.wait_for("/300)");
        self.keys(&["Enter"]);
        self.wait_for("E000006 曾强");
        self.keys(&["t"]);
        self.wait_for("Transfer · E000006 曾强");
        self.keys(&["Tab", "Tab", "C-u"]);
    }

    /// Starts hrdesk with `args` and waits until the screen shows `text`.
    pub fn start_hrdesk_showing(&self, args: &str, text: &str) -> String {
        self.shell(&format!("{} {args}; echo EXIT=$?", shell_quote(BIN)));
        self.wait_for(text)
    }

    /// The visible pane as text (`-e`: with colour and style escapes).
    pub fn screen_with(&self, flags: &[&str]) -> String {
        let mut args = vec!["capture-pane", "-p", "-t", SESSION];
        args.extend(flags);
        self.ok(&args)
    }

    pub fn screen(&self) -> String {
        self.screen_with(&[])
    }

    /// Waits until the screen satisfies `ready`; fails with the last screen.
    #[track_caller]
    pub fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + SCREEN_TIMEOUT;
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out after {SCREEN_TIMEOUT:?} waiting for {what}; the screen:\n{screen}"
            );
            thread::sleep(POLL_EVERY);
        }
    }

    #[track_caller]
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    #[track_caller]
    pub fn wait_for_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} to go away"), |s| !s.contains(text))
    }

    /// Waits for hrdesk to end with `code` and checks the shell has its
    /// ordinary screen back (alternate screen off, the console's content gone).
    #[track_caller]
    pub fn expect_exit(&self, code: i32) {
        let exit = format!("EXIT={code}");
        let screen = self.wait_until(&format!("{exit} and the prompt"), |s| {
            s.contains(&exit) && s.trim_end().ends_with(PROMPT)
        });
        let alternate = self.ok(&["display-message", "-p", "-t", SESSION, "#{alternate_on}"]);
        assert_eq!(
            alternate.trim(),
            "0",
            "still on the alternate screen:\n{screen}"
        );
        assert!(
            !screen.contains(TAB_BAR),
            "the console is still drawn:\n{screen}"
        );
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Best effort: the server may already be gone.
        let _ = self.tmux(&["kill-server"]);
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Fails (never skips) when tmux cannot be run.
pub fn require_tmux() {
    let version = Command::new("tmux").arg("-V").output();
    match version {
        Ok(out) if out.status.success() => {}
        other => panic!(
            "tmux is required for the TUI end-to-end tests (install it, e.g. \
             `apt-get install tmux`); `tmux -V` gave {other:?}"
        ),
    }
}

pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}
