//! The headless commands run from the palette (see
//! [`crate::cli::console`]), each as a job off the UI thread (see
//! [`super::job`]): an import is checked first (`--dry-run`) and written
//! only once the operator said yes to what the check found; an export
//! writes its new file; audits, checks and verify open their report. A
//! refused, failed or cancelled command writes nothing and says why.

use super::changes::Changes;
use super::job::Outcome;
use super::pane::PaneId;
use super::report::Report;
use super::{App, Confirm, Pending};
use crate::cli::console::{self, Family, Headless, Parsed, Ran};
use crate::tr;

/// Who the headless commands' jobs report to: the console itself.
pub(super) const OWNER: PaneId = "console";

/// What a headless command's job hands back.
struct Finished {
    /// The command asked for.
    command: Headless,
    /// Whether what ran was its check (an import's `--dry-run`).
    checked: bool,
    ran: Ran,
}

impl App {
    /// Runs palette line `line` as a headless command.
    pub(super) fn run_headless(&mut self, line: &str) {
        match console::parse(line) {
            Err(message) => self.desk.error(message),
            Ok(Parsed::Help(text)) => self.desk.report(Report::new(
                line.to_string(),
                text.lines().map(str::to_string).collect(),
            )),
            Ok(Parsed::Run(command)) => match command.checked_first() {
                Some(check) => self.start_headless(command, check, true),
                None => self.start_headless(command.clone(), command, false),
            },
        }
    }

    /// Runs `run` as a job for `command` (`checked`: it is the command's check).
    fn start_headless(&mut self, command: Headless, run: Headless, checked: bool) {
        let label = run.line();
        self.desk.run_job(OWNER, label, move |session, _progress| {
            Ok(Finished {
                ran: run.run(session),
                command,
                checked,
            })
        });
    }

    /// `command` once checked and said yes to: written.
    pub(super) fn write_headless(&mut self, command: Headless) {
        self.start_headless(command.clone(), command, false);
    }

    /// A headless command's job ended with `outcome`.
    pub(super) fn headless_done(&mut self, outcome: Outcome) {
        let Ok(finished) = outcome.downcast::<Finished>() else {
            return;
        };
        let Finished {
            command,
            checked,
            ran,
        } = *finished;
        if checked {
            self.ask_to_write(command, ran);
        } else {
            self.show_ran(&command, ran);
        }
    }

    /// After an import's check: problems open a report and end it; a clean
    /// sheet asks whether to write.
    fn ask_to_write(&mut self, command: Headless, ran: Ran) {
        if !ran.ok {
            self.refused(&command, ran);
            return;
        }
        // The dialog wraps one paragraph: the check's lines, then the question.
        let mut message = ran.lines.join(" ");
        message.push(' ');
        message.push_str(&tr!("console_cmd.write_question"));
        self.desk.ask(Confirm {
            title: tr!("console_cmd.write_title", line = command.line()),
            message,
            on_yes: Pending::Headless(command),
        });
    }

    /// What `command` said when it ran as it is (an import: for real).
    fn show_ran(&mut self, command: &Headless, ran: Ran) {
        let said = ran.lines.last().cloned().unwrap_or_default();
        match command.family() {
            Family::Import { dry_run: false } | Family::Export if !ran.ok => {
                self.refused(command, ran)
            }
            Family::Import { dry_run: false } => {
                self.desk.wrote(Changes::records());
                self.desk.info(said);
            }
            Family::Export => self.desk.info(said),
            // A check's or an audit's findings are its report, not a failure.
            Family::Import { dry_run: true } | Family::Report => {
                let line = command.line();
                let said = if ran.ok {
                    tr!("console_cmd.done", line = line)
                } else {
                    tr!("console_cmd.found", line = line)
                };
                self.desk.report(Report::new(line, ran.lines));
                self.desk.info(said);
            }
        }
    }

    /// Why `command` failed, and what it found (several lines: in a
    /// report); nothing was written.
    fn refused(&mut self, command: &Headless, ran: Ran) {
        let why = ran.lines.last().cloned().unwrap_or_default();
        if ran.lines.len() > 1 {
            let title = tr!("console_cmd.refused_title", line = command.line());
            self.desk.report(Report::new(title, ran.lines));
        }
        self.desk.error(tr!("console_cmd.refused", reason = why));
    }
}
