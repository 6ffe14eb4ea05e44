//! `hrdesk departments remove NAME [--move-to OTHER]`: the department
//! removal the console's `d` makes, for scripts. A department that people,
//! goals, sub-departments or managers' scopes still point at is refused
//! with how many of each; `--move-to` transfers its people and goals to
//! another department in the same transaction, then removes it.

use std::process::ExitCode;

use clap::Subcommand;

use super::Failure;
use crate::domain::department::{DepartmentFinder, DepartmentId};
use crate::service::Session;
use crate::tr;

/// `hrdesk departments …`.
#[derive(Debug, Subcommand)]
pub enum DepartmentsCommand {
    #[command(about = tr!("cli.help.departments_remove"))]
    Remove {
        #[arg(help = tr!("cli.help.department_ref"))]
        department: String,
        #[arg(long, value_name = "DEPARTMENT", help = tr!("cli.help.move_to"))]
        move_to: Option<String>,
    },
}

pub fn run(session: &Session, command: DepartmentsCommand) -> Result<ExitCode, Failure> {
    match command {
        DepartmentsCommand::Remove {
            department,
            move_to,
        } => {
            let id = find(session, &department)?;
            let to = move_to.map(|to| find(session, &to)).transpose()?;
            let removal = session.remove_department(id, to)?;
            say!("{}", removal.describe());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The department `reference` names (an id, a path or a unique name).
fn find(session: &Session, reference: &str) -> Result<DepartmentId, Failure> {
    let tree = session.department_tree()?;
    DepartmentFinder::new(&tree)
        .find(reference)
        .map_err(|err| Failure::new(Failure::INVALID, err.to_string()))
}
