//! `hrdesk peers allow|remove|list --cycle NAME`: the peers HR allows for
//! a cycle, for people who work with someone of another department and
//! should rate them as a peer. `allow RATEE RATER` lets RATER rate RATEE
//! as a peer in the cycle; `remove` takes it back (marks given stay);
//! `list` shows every allowance of the cycle. Each change is audited.

use std::process::ExitCode;

use clap::Subcommand;
use serde::Serialize;

use super::scheduled::ListFormat;
use super::table::text_table;
use super::{Access, Failure};
use crate::domain::employee::EmployeeId;
use crate::service::access::Permission;
use crate::service::{AllowedPeer, Session};
use crate::tr;

/// `hrdesk peers …`.
#[derive(Debug, Subcommand)]
pub enum PeersCommand {
    #[command(about = tr!("scoring.peers.help.allow"))]
    Allow {
        #[command(flatten)]
        pair: Pair,
    },
    #[command(about = tr!("scoring.peers.help.remove"))]
    Remove {
        #[command(flatten)]
        pair: Pair,
    },
    #[command(about = tr!("scoring.peers.help.list"))]
    List {
        #[arg(long, value_name = "NAME", help = tr!("cli.help.cycle"))]
        cycle: String,
        #[arg(long, value_enum, default_value_t = ListFormat::Text, help = tr!("cli.help.format"))]
        format: ListFormat,
    },
}

/// The cycle and the two people of an allowance.
#[derive(Debug, clap::Args)]
pub struct Pair {
    #[arg(long, value_name = "NAME", help = tr!("cli.help.cycle"))]
    cycle: String,
    #[arg(help = tr!("scoring.peers.help.ratee"))]
    ratee: String,
    #[arg(help = tr!("scoring.peers.help.rater"))]
    rater: String,
}

#[derive(Serialize)]
struct PairOut<'a> {
    ratee: &'a str,
    rater: &'a str,
}

/// How `command` opens the database: a listing only reads.
pub fn access(command: &PeersCommand) -> Access {
    match command {
        PeersCommand::List { .. } => Access::ReadOnly,
        PeersCommand::Allow { .. } | PeersCommand::Remove { .. } => Access::Existing,
    }
}

pub fn run(session: &Session, command: PeersCommand) -> Result<ExitCode, Failure> {
    // Refused by role before anyone is looked up.
    session
        .require(Permission::EditCycles)
        .map_err(crate::service::OpError::from)?;
    match command {
        PeersCommand::Allow { pair } => {
            let (cycle, ratee, rater) = resolve(session, &pair)?;
            let allowed = session.allow_peer(cycle.id, ratee, rater)?;
            say!(
                "{}",
                tr!(
                    "scoring.peers.allowed",
                    rater = allowed.rater_name,
                    ratee = allowed.ratee_name,
                    cycle = cycle.name
                )
            );
        }
        PeersCommand::Remove { pair } => {
            let (cycle, ratee, rater) = resolve(session, &pair)?;
            let removed = session.remove_peer(cycle.id, ratee, rater)?;
            say!(
                "{}",
                tr!(
                    "scoring.peers.removed",
                    rater = removed.rater_name,
                    ratee = removed.ratee_name,
                    cycle = cycle.name
                )
            );
        }
        PeersCommand::List { cycle, format } => {
            let cycle = session.cycle_named(&cycle)?;
            let pairs = session.allowed_peers(cycle.id)?;
            list(&pairs, format, &cycle.name)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn list(pairs: &[AllowedPeer], format: ListFormat, cycle: &str) -> Result<(), Failure> {
    match format {
        ListFormat::Json => {
            let out: Vec<PairOut<'_>> = pairs
                .iter()
                .map(|p| PairOut {
                    ratee: &p.ratee_name,
                    rater: &p.rater_name,
                })
                .collect();
            let text = serde_json::to_string_pretty(&out)
                .map_err(|e| Failure::new(Failure::USAGE, e.to_string()))?;
            say!("{text}");
        }
        ListFormat::Text if pairs.is_empty() => {
            say!("{}", tr!("scoring.peers.none", cycle = cycle))
        }
        ListFormat::Text => {
            let header = [
                tr!("scoring.peers.col.ratee"),
                tr!("scoring.peers.col.rater"),
            ];
            let rows = pairs
                .iter()
                .map(|p| [p.ratee_name.clone(), p.rater_name.clone()])
                .collect();
            for line in text_table(header, rows) {
                say!("{}", line.trim_end());
            }
        }
    }
    Ok(())
}

/// The cycle and the two people `pair` names.
fn resolve(
    session: &Session,
    pair: &Pair,
) -> Result<(crate::domain::scoring::Cycle, EmployeeId, EmployeeId), Failure> {
    let cycle = session.cycle_named(&pair.cycle)?;
    let person = |emp_no: &str| -> Result<EmployeeId, Failure> {
        session
            .find_employee(emp_no.trim())?
            .map(|e| e.id)
            .ok_or_else(|| {
                Failure::new(
                    Failure::INVALID,
                    tr!("staff.check.no_employee", emp_no = emp_no.trim()),
                )
            })
    };
    Ok((cycle, person(&pair.ratee)?, person(&pair.rater)?))
}
