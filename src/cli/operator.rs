//! `hrdesk operator add|set-role|remove|list`: managing who may use the
//! database from the command line (changes need an admin).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use super::export::write_rows;
use super::table::text_table;
use super::{Access, Failure, Format, open_session, require_db};
use crate::config::settings::Paths;
use crate::domain::department::DepartmentFinder;
use crate::domain::operator::{Role, role_label};
use crate::service::Session;
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    #[command(about = tr!("cli.help.operator_add"))]
    Add {
        #[arg(help = tr!("cli.help.user"))]
        user: String,
        #[command(flatten)]
        role: RoleArgs,
    },
    #[command(about = tr!("cli.help.operator_set_role"))]
    SetRole {
        #[arg(help = tr!("cli.help.user"))]
        user: String,
        #[command(flatten)]
        role: RoleArgs,
    },
    #[command(about = tr!("cli.help.operator_remove"))]
    Remove {
        #[arg(help = tr!("cli.help.user"))]
        user: String,
    },
    #[command(about = tr!("cli.help.operator_list"))]
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Text, help = tr!("cli.help.format"))]
        format: ListFormat,
    },
}

#[derive(Debug, clap::Args)]
pub struct RoleArgs {
    #[arg(long, value_enum, help = tr!("cli.help.role"))]
    role: RoleKind,
    #[arg(long, value_name = "DEPARTMENT", help = tr!("cli.help.department"))]
    department: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum RoleKind {
    Admin,
    Hr,
    Manager,
    Viewer,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Csv,
    Json,
}

#[derive(Serialize)]
struct OperatorOut {
    user: String,
    role: &'static str,
    department_id: Option<u64>,
    department: Option<String>,
}

fn role_of(session: &Session, args: &RoleArgs) -> Result<Role, Failure> {
    match (args.role, &args.department) {
        (RoleKind::Manager, Some(reference)) => {
            let tree = session.department_tree()?;
            let id = DepartmentFinder::new(&tree)
                .find(reference)
                .map_err(|e| Failure::new(Failure::INVALID, e.to_string()))?;
            Ok(Role::Manager(id))
        }
        (RoleKind::Manager, None) => Err(Failure::new(
            Failure::INVALID,
            tr!("cli.manager_needs_department"),
        )),
        (_, Some(_)) => Err(Failure::new(
            Failure::INVALID,
            tr!("cli.department_only_for_manager"),
        )),
        (RoleKind::Admin, None) => Ok(Role::Admin),
        (RoleKind::Hr, None) => Ok(Role::Hr),
        (RoleKind::Viewer, None) => Ok(Role::Viewer),
    }
}

pub fn run(
    command: OperatorCommand,
    db: Option<PathBuf>,
    paths: &Paths,
) -> Result<ExitCode, Failure> {
    let path = require_db(db, paths)?;
    let access = match command {
        OperatorCommand::Add { .. } => Access::CreateIfMissing,
        _ => Access::ReadOnly,
    };
    let session = open_session(&path, access)?;
    match command {
        OperatorCommand::Add { user, role } => {
            let role = role_of(&session, &role)?;
            let op = session.add_operator(&user, role)?;
            println!(
                "{}",
                tr!("operator.added", user = op.user, role = op.role.label())
            );
        }
        OperatorCommand::SetRole { user, role } => {
            let role = role_of(&session, &role)?;
            let op = session.set_operator_role(&user, role)?;
            println!(
                "{}",
                tr!(
                    "operator.role_changed",
                    user = op.user,
                    role = op.role.label()
                )
            );
        }
        OperatorCommand::Remove { user } => {
            let op = session.remove_operator(&user)?;
            println!("{}", tr!("operator.removed", user = op.user));
        }
        OperatorCommand::List { format } => list(&session, format)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn list(session: &Session, format: ListFormat) -> Result<(), Failure> {
    let tree = session.department_tree()?;
    let rows: Vec<OperatorOut> = session
        .operators()?
        .into_iter()
        .map(|op| {
            let scope = match op.role {
                Role::Manager(id) => Some(id),
                _ => None,
            };
            OperatorOut {
                user: op.user,
                role: op.role.kind_name(),
                department_id: scope.map(|id| id.0),
                department: scope.map(|id| tree.path(id)),
            }
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match format {
        ListFormat::Csv => write_rows(&mut out, &rows, super::Format::Csv),
        ListFormat::Json => write_rows(&mut out, &rows, Format::Json),
        ListFormat::Text => {
            let header = [
                tr!("operators.col.user"),
                tr!("operators.col.role"),
                tr!("operators.col.scope"),
            ];
            let lines: Vec<[String; 3]> = rows
                .iter()
                .map(|row| {
                    let scope = row
                        .department
                        .clone()
                        .unwrap_or_else(|| tr!("operators.all_departments"));
                    [row.user.clone(), role_label(row.role), scope]
                })
                .collect();
            for line in text_table(header, lines) {
                println!("{line}");
            }
            Ok(())
        }
    }
}
