//! `hrdesk sessions`: who has the database open right now (consoles,
//! commands, cron jobs), doing what, since when, and who is writing.

use std::process::ExitCode;

use clap::ValueEnum;
use serde::Serialize;

use super::Failure;
use super::table::text_table;
use crate::service::Session;
use crate::tr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SessionsFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct SessionOut {
    pid: u32,
    operator: String,
    what: String,
    since: String,
    writing_since: Option<String>,
    this_process: bool,
}

pub fn run(session: &Session, format: SessionsFormat) -> Result<ExitCode, Failure> {
    let own = std::process::id();
    let stamp = |at: chrono::DateTime<chrono::Utc>| {
        crate::zone::current()
            .local(at)
            .format("%Y-%m-%d %H:%M:%S %:z")
            .to_string()
    };
    let rows: Vec<SessionOut> = session
        .sessions()?
        .into_iter()
        .map(|s| SessionOut {
            pid: s.pid,
            operator: s.operator,
            what: s.what,
            since: stamp(s.since),
            writing_since: s.writing_since.map(stamp),
            this_process: s.pid == own,
        })
        .collect();
    match format {
        SessionsFormat::Json => {
            let text = serde_json::to_string_pretty(&rows)
                .map_err(|e| Failure::new(Failure::USAGE, e.to_string()))?;
            say!("{text}");
        }
        SessionsFormat::Text => {
            let header = [
                tr!("sessions.col.pid"),
                tr!("sessions.col.operator"),
                tr!("sessions.col.what"),
                tr!("sessions.col.since"),
                tr!("sessions.col.state"),
            ];
            let lines = rows
                .into_iter()
                .map(|row| {
                    let state = match (&row.writing_since, row.this_process) {
                        (_, true) => tr!("sessions.this_process"),
                        (Some(since), false) => tr!("sessions.writing", since = since),
                        (None, false) => String::new(),
                    };
                    [
                        row.pid.to_string(),
                        row.operator,
                        row.what,
                        row.since,
                        state,
                    ]
                })
                .collect();
            for line in text_table(header, lines) {
                say!("{}", line.trim_end());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
