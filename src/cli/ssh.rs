//! `hrdesk ssh-session NAME [--key FINGERPRINT]`: the forced command of one
//! person's SSH key in the service account's `authorized_keys` (the
//! gitolite model). The key names the operator, not `USER`. With no
//! command, the person gets the console; otherwise sshd's
//! `SSH_ORIGINAL_COMMAND` is split with shell-word rules and run as that
//! headless command, with the same exit codes, except what would reach
//! past the database: another database (`--db`), a nested session, the
//! demo writer, file copies (scp, sftp). The files it names are confined
//! to the exchange folder ([`crate::exchange`]). Only the account that
//! owns the database file may start one. The client's `--lang`, else
//! config.toml's, else the locale it sent (sshd's `AcceptEnv LANG LC_*`)
//! picks the language of everything said, `--help` included; `--help`
//! and `--version` print as they do locally.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use super::{Cli, Failure};
use crate::team::identity;
use crate::tr;

/// What a client's command over SSH asks for.
#[derive(Debug)]
pub enum Request {
    /// A command line to run as the key's operator (no command: the console).
    Run(Box<Cli>),
    /// Text only (`--help`, `--version`), for standard output.
    Show(String),
}

/// Words of a client's command that are refused over SSH.
const REFUSED_WORDS: &[&str] = &["--db", "ssh-session", "demo", "--demo"];

/// Programs a client may ask for that copy files, refused over SSH.
const FILE_COPIERS: &[&str] = &["scp", "sftp", "rsync", "internal-sftp"];

/// The command line to run for operator `name` over SSH: the client's
/// `command` (none: the console) on the database `db`.
pub fn session_command(
    name: &str,
    key: Option<String>,
    db: &Path,
    command: Option<&str>,
) -> Result<Request, Failure> {
    let owner = std::fs::metadata(db).map(|m| m.uid()).map_err(|e| {
        Failure::new(
            Failure::USAGE,
            tr!("ssh.no_database", path = db.display(), reason = e),
        )
    })?;
    if owner != identity::real_uid() {
        return Err(Failure::new(
            Failure::DENIED,
            tr!("ssh.not_owner", path = db.display()),
        ));
    }
    let words = match command.map(str::trim).filter(|c| !c.is_empty()) {
        Some(command) => shell_words::split(command)
            .map_err(|e| Failure::new(Failure::USAGE, tr!("ssh.unreadable_command", reason = e)))?,
        None => Vec::new(),
    };
    let mut args = vec!["hrdesk".to_string()];
    args.extend(words);
    // The language of all that follows, refusals and help included.
    crate::i18n::set_lang(super::startup_lang(&args));
    if let Some(word) = refused(&args[1..]) {
        return Err(refusal(word));
    }
    let mut cli = match Cli::parse_words(args)? {
        Request::Run(cli) => cli,
        shown @ Request::Show(_) => return Ok(shown),
    };
    cli.db = Some(db.to_path_buf());
    identity::act_for_key(name, key);
    Ok(Request::Run(cli))
}

/// Why `word` is refused: the client's own bytes, with any control
/// characters shown escaped rather than sent back to the terminal.
fn refusal(word: &str) -> Failure {
    Failure::new(
        Failure::DENIED,
        tr!("ssh.refused", word = word.escape_debug()),
    )
}

/// The first word of `words` that is refused over SSH.
fn refused(words: &[String]) -> Option<&str> {
    let program = words.first().map(|w| {
        Path::new(w)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(w)
    });
    if let Some(program) =
        program.filter(|p| FILE_COPIERS.contains(p) || p.ends_with("sftp-server"))
    {
        return Some(program);
    }
    words.iter().map(String::as_str).find(|word| {
        REFUSED_WORDS
            .iter()
            .any(|refused| *word == *refused || word.starts_with(&format!("{refused}=")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        shell_words::split(text).expect("words")
    }

    #[test]
    fn what_would_reach_past_the_database_is_refused() {
        for command in [
            "export staff --db /etc/shadow",
            "export staff --db=/srv/other.redb",
            "demo",
            "--demo",
            "ssh-session root",
            "scp -t /tmp",
            "/usr/lib/openssh/sftp-server",
            "internal-sftp",
            "rsync --server .",
        ] {
            assert!(refused(&words(command)).is_some(), "{command}");
        }
        for command in ["export staff --format json", "sessions", "audit bindings"] {
            assert_eq!(refused(&words(command)), None, "{command}");
        }
    }

    #[test]
    fn help_and_version_are_text_to_show_and_a_mistake_is_a_usage_error() {
        for command in ["--help", "export --help", "--version"] {
            let mut args = vec!["hrdesk".to_string()];
            args.extend(words(command));
            match Cli::parse_words(args) {
                Ok(Request::Show(text)) => assert!(!text.trim().is_empty(), "{command}"),
                other => panic!("{command}: {other:?}"),
            }
        }
        let err = Cli::parse_words(vec!["hrdesk".into(), "env".into()]).expect_err("unknown");
        assert_eq!(err.code, Failure::USAGE, "{}", err.message);
    }

    #[test]
    fn a_refused_word_is_echoed_without_its_control_characters() {
        let message = refusal("scp\u{1b}[2J").message;
        assert!(!message.contains('\u{1b}'), "{message}");
        assert!(message.contains("scp\\u{1b}[2J"), "{message}");
    }
}
