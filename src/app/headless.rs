//! The headless commands run from the palette (see
//! [`crate::cli::console`]): an import is checked first (`--dry-run`) and
//! written only once the operator said yes to what the check found; an
//! export writes its new file; audits, checks and verify open their report.
//! A refused or failed command writes nothing and says why.

use super::changes::Changes;
use super::report::Report;
use super::{App, Confirm, Pending};
use crate::cli::console::{self, Family, Headless, Parsed, Ran};
use crate::tr;

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
                Some(check) => self.check_then_ask(command, &check),
                None => self.run_headless_now(&command),
            },
        }
    }

    /// Runs `check` (the import's dry run): problems open a report and
    /// end it; a clean sheet asks whether to write.
    fn check_then_ask(&mut self, command: Headless, check: &Headless) {
        let ran = check.run(&self.desk.session);
        if !ran.ok {
            self.refused(&command, ran);
            return;
        }
        let mut message = ran.lines.join("\n");
        message.push('\n');
        message.push_str(&tr!("console_cmd.write_question"));
        self.desk.ask(Confirm {
            title: tr!("console_cmd.write_title", line = command.line()),
            message,
            on_yes: Pending::Headless(command),
        });
    }

    /// Runs `command` as it is (an import: for real).
    pub(super) fn run_headless_now(&mut self, command: &Headless) {
        let ran = command.run(&self.desk.session);
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
