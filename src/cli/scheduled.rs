//! `hrdesk scheduled [list|cancel|move]` and `hrdesk apply-due`: the
//! changes dated after today (transfers, promotions, leaves, departures,
//! goal weights) for scripts and cron. Each takes effect on its date with
//! the first write of that day or the next `apply-due`, whichever comes
//! first; cron runs `apply-due` so that a quiet day changes nothing late.

use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use super::table::text_table;
use super::{Access, Failure};
use crate::domain::cleanup::parse_date;
use crate::domain::schedule::ScheduledId;
use crate::service::{Applied, ScheduledRow, Session};
use crate::tr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// `hrdesk scheduled …`.
#[derive(Debug, Subcommand)]
pub enum ScheduledCommand {
    #[command(about = tr!("schedule.help.list"))]
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Text, help = tr!("cli.help.format"))]
        format: ListFormat,
    },
    #[command(about = tr!("schedule.help.cancel"))]
    Cancel {
        #[arg(help = tr!("schedule.help.id"))]
        id: String,
    },
    #[command(about = tr!("schedule.help.move"))]
    Move {
        #[arg(help = tr!("schedule.help.id"))]
        id: String,
        #[arg(long, value_name = "DATE", help = tr!("schedule.help.to"))]
        to: String,
    },
}

#[derive(Serialize)]
struct RowOut {
    id: String,
    effective: String,
    subject: String,
    what: String,
    changes: String,
    scheduled_by: String,
    blocked: Option<String>,
}

impl From<&ScheduledRow> for RowOut {
    fn from(row: &ScheduledRow) -> Self {
        RowOut {
            id: row.item.id.to_string(),
            effective: row.item.effective.to_string(),
            subject: row.subject.clone(),
            what: row.what.clone(),
            changes: row.changes.clone(),
            scheduled_by: row.item.operator.clone(),
            blocked: row.item.blocked.clone(),
        }
    }
}

/// How `command` opens the database: a listing only reads.
pub fn access(command: &Option<ScheduledCommand>) -> Access {
    match command {
        None | Some(ScheduledCommand::List { .. }) => Access::ReadOnly,
        Some(ScheduledCommand::Cancel { .. } | ScheduledCommand::Move { .. }) => Access::Existing,
    }
}

pub fn run(session: &Session, command: Option<ScheduledCommand>) -> Result<ExitCode, Failure> {
    match command.unwrap_or(ScheduledCommand::List {
        format: ListFormat::Text,
    }) {
        ScheduledCommand::List { format } => list(session, format),
        ScheduledCommand::Cancel { id } => {
            let row = session.cancel_scheduled(parse_id(&id)?)?;
            say!("{}", tr!("schedule.cancelled", line = line(&row)));
            Ok(ExitCode::SUCCESS)
        }
        ScheduledCommand::Move { id, to } => {
            let date = parse_date(&to)
                .map_err(|err| Failure::new(Failure::USAGE, format!("--to: {err}")))?;
            let moved = session.move_scheduled(parse_id(&id)?, date)?;
            say!("{}", tr!("schedule.moved", line = line(&moved.row)));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `hrdesk apply-due`: what took effect, what was blocked (exit 1 when any was).
pub fn apply_due(session: &Session) -> Result<ExitCode, Failure> {
    let applied = session.apply_due()?;
    if applied.is_empty() {
        say!("{}", tr!("schedule.nothing_due"));
    }
    for Applied { row, blocked } in &applied {
        match blocked {
            None => say!("{}", tr!("schedule.took_effect", line = line(row))),
            Some(reason) => {
                super::out::note(&tr!("schedule.blocked", line = line(row), reason = reason))
            }
        }
    }
    let any_blocked = applied.iter().any(|applied| applied.blocked.is_some());
    Ok(if any_blocked {
        ExitCode::from(Failure::INVALID)
    } else {
        ExitCode::SUCCESS
    })
}

fn list(session: &Session, format: ListFormat) -> Result<ExitCode, Failure> {
    let rows = session.scheduled_changes()?;
    let out: Vec<RowOut> = rows.iter().map(RowOut::from).collect();
    match format {
        ListFormat::Json => {
            let text = serde_json::to_string_pretty(&out)
                .map_err(|e| Failure::new(Failure::USAGE, e.to_string()))?;
            say!("{text}");
        }
        ListFormat::Text if out.is_empty() => say!("{}", tr!("schedule.none")),
        ListFormat::Text => {
            let lines = rows.iter().map(ScheduledRow::cells).collect();
            let header = ScheduledRow::titles();
            for line in text_table(header, lines) {
                say!("{}", line.trim_end());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One change on one line: `S3 2027-03-01 E000012 张伟 transfer (department: …)`.
fn line(row: &ScheduledRow) -> String {
    format!(
        "{} {} {} {} ({})",
        row.item.id, row.item.effective, row.subject, row.what, row.changes
    )
}

fn parse_id(text: &str) -> Result<ScheduledId, Failure> {
    ScheduledId::parse(text)
        .ok_or_else(|| Failure::new(Failure::USAGE, tr!("schedule.bad_id", id = text)))
}
