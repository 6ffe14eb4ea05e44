//! The headless commands the console runs from its palette (`:import
//! ratings FILE`, `:export staff FILE`, `:audit bindings`, `:check goals`,
//! `:verify`). They are read by the command line's own definitions, so
//! their words, checks and help are the same as in a shell, and run on the
//! console's session, so the console's operator and role decide; what
//! they write is kept (see [`out`](super::out)) for the console to show.

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser};

use super::{Cli, Command, ExportKind, Failure, export, goals, out};
use crate::service::Session;
use crate::service::access::Permission;
use crate::tr;

/// The first words of the commands the console runs.
pub const WORDS: [&str; 5] = ["import", "export", "audit", "check", "verify"];

/// Options of the program itself, which choose another file or screen and
/// mean nothing for a command run inside the console.
const PROGRAM_OPTIONS: [&str; 6] = ["db", "demo", "theme", "ascii", "lang", "wait"];

/// What kind of command it is, for how the console runs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Reads a file and writes records: checked (`--dry-run`) first.
    Import { dry_run: bool },
    /// Writes records to a new file.
    Export,
    /// Reads and reports (audit, check, verify).
    Report,
}

/// A palette line read as a headless command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// `--help` (or a command's help) was asked for: its text.
    Help(String),
    Run(Headless),
}

/// A headless command to run in the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Headless {
    /// Its words, as typed, the program's name first.
    words: Vec<String>,
    family: Family,
}

/// What a command run in the console said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ran {
    /// Whether it ended with exit code 0 (clean, nothing found).
    pub ok: bool,
    /// What it wrote and noted, then why it failed, one line each.
    pub lines: Vec<String>,
}

/// Whether palette command `name` is one the console runs as a headless command.
pub fn is_headless(name: &str) -> bool {
    WORDS.contains(&name)
}

/// Whether `name` is a command of the command line the console does not
/// run (`operator`, `demo`): it is said so, not "unknown".
pub fn is_shell_only(name: &str) -> bool {
    !is_headless(name) && Cli::command().find_subcommand(name).is_some()
}

/// Reads `line` (`import ratings "Q3 ratings.csv" --dry-run`) as the
/// command line would; a usage error is clap's (or our) words.
pub fn parse(line: &str) -> Result<Parsed, String> {
    let mut words =
        shell_words::split(line).map_err(|err| tr!("console_cmd.quotes", reason = err))?;
    words.insert(0, env!("CARGO_PKG_NAME").to_string());
    let matches = match Cli::command().try_get_matches_from(&words) {
        Ok(matches) => matches,
        Err(err) if !err.use_stderr() => return Ok(Parsed::Help(err.to_string())),
        Err(err) => return Err(err.to_string()),
    };
    if let Some(option) = PROGRAM_OPTIONS
        .iter()
        .find(|id| matches.value_source(id) == Some(ValueSource::CommandLine))
    {
        return Err(tr!("console_cmd.program_option", option = option));
    }
    let cli = Cli::from_arg_matches(&matches).map_err(|err| err.to_string())?;
    let family = match &cli.command {
        Some(Command::Import { what }) => Family::Import {
            dry_run: what.dry_run(),
        },
        Some(Command::Export(args)) if args.file.is_none() => {
            return Err(tr!("console_cmd.export_needs_file"));
        }
        Some(Command::Export(_)) => Family::Export,
        Some(Command::Audit { .. } | Command::Check { .. } | Command::Verify { .. }) => {
            Family::Report
        }
        _ => {
            let word = words.get(1).cloned().unwrap_or_default();
            return Err(tr!("console_cmd.not_here", word = word));
        }
    };
    Ok(Parsed::Run(Headless { words, family }))
}

impl Headless {
    pub fn family(&self) -> Family {
        self.family
    }

    /// The command as typed (without the program's name), for titles and questions.
    pub fn line(&self) -> String {
        shell_words::join(&self.words[1..])
    }

    /// For an import that would write: the same command with `--dry-run`,
    /// which the console runs (and shows) before asking to write.
    pub fn checked_first(&self) -> Option<Headless> {
        match self.family {
            Family::Import { dry_run: false } => {
                let mut words = self.words.clone();
                words.push("--dry-run".to_string()); // data: a command-line option
                Some(Headless {
                    words,
                    family: Family::Import { dry_run: true },
                })
            }
            _ => None,
        }
    }

    /// Runs it on `session`, keeping what it writes.
    pub fn run(&self, session: &Session) -> Ran {
        let (ended, captured) = out::capture(|| self.dispatch(session));
        let mut lines: Vec<String> = String::from_utf8_lossy(&captured.out)
            .lines()
            .map(str::to_string)
            .collect();
        lines.extend(captured.notes);
        let ok = match ended {
            Ok(code) => code == ExitCode::SUCCESS,
            Err(failure) => {
                lines.push(failure.message);
                false
            }
        };
        Ran { ok, lines }
    }

    fn dispatch(&self, session: &Session) -> Result<ExitCode, Failure> {
        let cli = Cli::try_parse_from(&self.words)
            .map_err(|err| Failure::new(Failure::USAGE, err.to_string()))?;
        match cli.command {
            Some(Command::Import { what }) => super::import_on(session, what),
            Some(Command::Export(args)) => {
                let only = args.only()?;
                export::run(session, &args, only)
            }
            Some(Command::Check { what }) => goals::run_check(what, session),
            Some(Command::Audit { what }) => super::bindings::run_audit(session, what),
            Some(Command::Verify {
                format,
                expect_head,
            }) => super::verify::on_session(session, format, expect_head.as_deref()),
            _ => Err(Failure::new(
                Failure::USAGE,
                tr!("console_cmd.not_here", word = self.line()),
            )),
        }
    }
}

/// A headless command as the palette offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offered {
    /// Its words; those that need a file end with a space.
    pub words: String,
    pub about: String,
    /// What its operator must hold (the service checks it when it runs).
    pub needs: Permission,
}

/// What running `word sub` needs (`import ratings`, `export audit-log`).
fn needs(word: &str, sub: &str) -> Permission {
    match (word, sub) {
        ("import", "staff" | "events") => Permission::EditStaff,
        ("import", "actuals") => Permission::EditGoals,
        ("import", "ratings" | "indicators") => Permission::EnterRatings,
        ("import", "courses") => Permission::EditCycles,
        ("import", "vendors" | "weights") => Permission::EditVendors,
        ("import", _) => Permission::EditBindings,
        ("export", "staff") => Permission::ViewStaff,
        ("export", "departments") => Permission::ViewDepartments,
        ("export", "goals") | ("check", _) => Permission::ViewGoals,
        ("export", "bindings") | ("audit", _) => Permission::ViewBindings,
        ("export", "vendors") => Permission::ViewVendors,
        ("export", "audit-log") | ("verify", _) => Permission::ViewAuditLog,
        _ => Permission::ViewScores,
    }
}

/// The palette's offer of every headless command.
pub fn offers() -> Vec<Offered> {
    let program = Cli::command();
    let mut offers = Vec::new();
    for word in WORDS {
        let Some(command) = program.find_subcommand(word) else {
            continue;
        };
        let about = |c: &clap::Command| c.get_about().map(|a| a.to_string()).unwrap_or_default();
        let subcommands: Vec<&clap::Command> = command
            .get_subcommands()
            .filter(|sub| sub.get_name() != "help")
            .collect();
        if word == "export" {
            for kind in <ExportKind as clap::ValueEnum>::value_variants() {
                if *kind == ExportKind::UnbindNotices {
                    continue;
                }
                let name = clap::ValueEnum::to_possible_value(kind)
                    .map(|v| v.get_name().to_string())
                    .unwrap_or_default();
                offers.push(Offered {
                    words: format!("export {name} "),
                    about: tr!("console_cmd.export_offer", kind = name),
                    needs: needs(word, &name),
                });
            }
        } else if subcommands.is_empty() {
            offers.push(Offered {
                words: word.to_string(),
                about: about(command),
                needs: needs(word, ""),
            });
        } else {
            let trailing = if word == "import" { " " } else { "" };
            for sub in subcommands {
                offers.push(Offered {
                    words: format!("{word} {}{trailing}", sub.get_name()),
                    about: about(sub),
                    needs: needs(word, sub.get_name()),
                });
            }
        }
    }
    offers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Headless {
        match parse(line) {
            Ok(Parsed::Run(headless)) => headless,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn commands_read_as_the_command_line_reads_them() {
        assert_eq!(
            run("import ratings 'Q3 ratings.csv'").family(),
            Family::Import { dry_run: false }
        );
        assert_eq!(
            run("import logins log.csv --dry-run").family(),
            Family::Import { dry_run: true }
        );
        assert_eq!(run("export goals out.csv").family(), Family::Export);
        assert_eq!(run("audit bindings").family(), Family::Report);
        assert_eq!(run("verify --format json").family(), Family::Report);
        let checked = run("import ratings 'Q3 ratings.csv'").checked_first();
        assert_eq!(
            checked.map(|c| c.line()),
            Some("import ratings 'Q3 ratings.csv' --dry-run".to_string())
        );
        assert_eq!(run("export goals out.csv").checked_first(), None);
    }

    #[test]
    fn what_the_console_does_not_run_is_refused_with_words() {
        let refused = |line: &str| parse(line).expect_err(line);
        assert!(refused("operator add x --role hr").contains("operator"));
        assert!(
            refused("export staff").contains("FILE"),
            "{}",
            refused("export staff")
        );
        assert!(refused("import ratings a.csv --db other.redb").contains("--db"));
        assert!(refused("import nonsense a.csv").contains("nonsense"));
        assert!(refused("import ratings 'a.csv").contains("quot"));
        assert!(
            matches!(parse("import --help"), Ok(Parsed::Help(text)) if text.contains("ratings"))
        );
    }

    #[test]
    fn every_import_kind_and_export_is_offered() {
        let offers: Vec<String> = offers().into_iter().map(|o| o.words).collect();
        for words in [
            "import staff ",
            "import events ",
            "import ratings ",
            "import confirmations ",
            "import weights ",
            "export staff ",
            "export audit-log ",
            "audit bindings",
            "check goals",
            "verify",
        ] {
            assert!(offers.iter().any(|o| o == words), "{words} in {offers:?}");
        }
        assert!(
            !offers
                .iter()
                .any(|o| o.starts_with("export unbind-notices"))
        );
    }
}
