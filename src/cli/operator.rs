//! `hrdesk operator add|set-role|set-key|remove|list`: managing who may
//! use the database from the command line (changes need an admin), with
//! each operator's SSH key line in the service account's `authorized_keys`
//! (see [`super::authorized_keys`]). A change is checked whole first (the
//! role, the key, the file's section), then written to the database with
//! its audit entry, then to the file; a file that cannot be written then is
//! reported with the command that mends it (exit 2).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use super::export::write_rows;
use super::table::text_table;
use super::{Access, Failure, Format, open_session, require_db};
use crate::config::settings::{Paths, Settings};
use crate::domain::department::DepartmentFinder;
use crate::domain::operator::{Role, normalize_user_name, role_label};
use crate::service::Session;
use crate::service::access::Permission;
use crate::team::authorized_keys::{KeyLine, KeysError, KeysFile};
use crate::team::operator_keys::{self, KeyPlace, RemoveError};
use crate::team::public_key::PublicKey;
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    #[command(about = tr!("cli.help.operator_add"))]
    Add {
        #[arg(help = tr!("cli.help.user"))]
        user: String,
        #[command(flatten)]
        role: RoleArgs,
        #[arg(long, value_name = "KEY", help = tr!("cli.help.ssh_public_key"))]
        ssh_key: Option<String>,
    },
    #[command(about = tr!("cli.help.operator_set_role"))]
    SetRole {
        #[arg(help = tr!("cli.help.user"))]
        user: String,
        #[command(flatten)]
        role: RoleArgs,
    },
    #[command(about = tr!("cli.help.operator_set_key"))]
    SetKey {
        #[arg(help = tr!("cli.help.user"))]
        user: String,
        #[arg(long, value_name = "KEY", help = tr!("cli.help.ssh_public_key"))]
        ssh_key: String,
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
    /// The fingerprints of the operator's SSH keys, space-separated.
    keys: String,
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
    settings: &Settings,
) -> Result<ExitCode, Failure> {
    let path = require_db(db, paths)?;
    let keys = KeyPlace {
        configured: settings.authorized_keys.clone(),
        db: path.clone(),
    };
    match command {
        OperatorCommand::Add {
            user,
            role,
            ssh_key,
        } => add(&keys, &user, &role, ssh_key.as_deref())?,
        OperatorCommand::SetRole { user, role } => {
            let session = open_session(&path, Access::Existing)?;
            let role = role_of(&session, &role)?;
            let op = session.set_operator_role(&user, role)?;
            say!(
                "{}",
                tr!(
                    "operator.role_changed",
                    user = op.user,
                    role = op.role.label()
                )
            );
        }
        OperatorCommand::SetKey { user, ssh_key } => set_key(&keys, &user, &ssh_key)?,
        OperatorCommand::Remove { user } => remove(&keys, &user)?,
        OperatorCommand::List { format } => {
            let session = open_session(&path, Access::Existing)?;
            list(&session, &keys, format)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The database's session, for an operator change: refused at once for
/// someone who may not change operators, before any file is read.
fn admin_session(path: &Path, access: Access) -> Result<Session, Failure> {
    let session = open_session(path, access)?;
    session
        .require(Permission::EditOperators)
        .map_err(crate::service::OpError::from)?;
    Ok(session)
}

/// `operator add`: with `--ssh-key`, the key's line; without, no line
/// (one left by a former operator of that name is taken out).
fn add(keys: &KeyPlace, user: &str, role: &RoleArgs, ssh_key: Option<&str>) -> Result<(), Failure> {
    let key = ssh_key.map(PublicKey::parse).transpose().map_err(invalid)?;
    let user = normalize_user_name(user).map_err(invalid)?;
    // A database not made yet is made by this command, after every check.
    let existing = keys
        .db
        .exists()
        .then(|| admin_session(keys.db(), Access::Existing))
        .transpose()?;
    let (file, line) = match &key {
        Some(key) => {
            let (file, line) = keys.line(&user, key)?;
            (Some((file, line.holder().clone())), Some(line))
        }
        None => (keys.lines_of(&user), None),
    };
    if let Some((file, holder)) = &file {
        file.read()?.replaced(holder, line.as_ref())?;
    }
    let session = match existing {
        Some(session) => session,
        None => admin_session(keys.db(), Access::CreateIfMissing)?,
    };
    let role = role_of(&session, role)?;
    let described: Vec<String> = line.iter().map(KeyLine::describe).collect();
    let op = session.add_operator_with_keys(&user, role, &described)?;
    say!(
        "{}",
        tr!("operator.added", user = op.user, role = op.role.label())
    );
    if let Some((file, holder)) = file {
        file.apply(&holder, line.as_ref())
            .map_err(|err| key_not_written(&err, &user, key.as_ref()))?;
        if let Some(key) = &key {
            say!("{}", key_written(&user, key, &file));
        }
    }
    Ok(())
}

/// `operator set-key`: the operator's line(s) replaced by the key's.
fn set_key(keys: &KeyPlace, user: &str, ssh_key: &str) -> Result<(), Failure> {
    let key = PublicKey::parse(ssh_key).map_err(invalid)?;
    let session = admin_session(keys.db(), Access::Existing)?;
    let (file, line) = keys.line(user, &key)?;
    let contents = file.read()?;
    contents.replaced(line.holder(), Some(&line))?;
    let before: Vec<String> = contents
        .keys_of(line.holder())
        .into_iter()
        .map(KeyLine::describe)
        .collect();
    session.set_operator_keys(user, &before, &[line.describe()])?;
    file.apply(line.holder(), Some(&line))
        .map_err(|err| key_not_written(&err, user, Some(&key)))?;
    say!("{}", key_written(user, &key, &file));
    Ok(())
}

/// `operator remove`: the operator and their key lines.
fn remove(keys: &KeyPlace, user: &str) -> Result<(), Failure> {
    let session = admin_session(keys.db(), Access::Existing)?;
    let removed =
        operator_keys::remove_operator(&session, keys, user).map_err(|err| match err {
            RemoveError::Keys(err) => Failure::from(err),
            RemoveError::Refused(err) => Failure::from(err),
        })?;
    say!("{}", tr!("operator.removed", user = removed.operator.user));
    match removed.unwritten {
        Some((path, err)) => Err(Failure::new(
            Failure::USAGE,
            tr!(
                "keys.not_removed",
                user = user,
                path = path.display(),
                reason = err
            ),
        )),
        None => Ok(()),
    }
}

/// Refused input: exit 1 with the refusal's words.
fn invalid(err: impl std::fmt::Display) -> Failure {
    Failure::new(Failure::INVALID, err.to_string())
}

/// What is said once `user`'s key line is in `file`.
fn key_written(user: &str, key: &PublicKey, file: &KeysFile) -> String {
    tr!(
        "keys.written",
        user = user,
        fingerprint = key.fingerprint(),
        path = file.path().display()
    )
}

/// The database has the change but the file could not be written: what
/// went wrong and the command that mends it.
fn key_not_written(err: &KeysError, user: &str, key: Option<&PublicKey>) -> Failure {
    let message = match key {
        Some(key) => tr!(
            "keys.not_written",
            user = user,
            reason = err,
            key = shell_words::quote(&key.line())
        ),
        None => tr!("keys.not_cleared", user = user, reason = err),
    };
    Failure::new(Failure::USAGE, message)
}

fn list(session: &Session, keys: &KeyPlace, format: ListFormat) -> Result<(), Failure> {
    let tree = session.department_tree()?;
    let operators = session.operators()?;
    // The list is still shown when the key lines cannot be read.
    let contents = keys.file().ok().and_then(|file| match file.read() {
        Ok(contents) => Some(contents),
        Err(err) => {
            super::out::note(&format!("hrdesk: {}", tr!("keys.not_listed", reason = err)));
            None
        }
    });
    let rows: Vec<OperatorOut> = operators
        .into_iter()
        .map(|op| {
            let scope = match op.role {
                Role::Manager(id) => Some(id),
                _ => None,
            };
            let fingerprints = contents
                .as_ref()
                .zip(keys.holder(&op.user).ok())
                .map(|(c, holder)| c.fingerprints_of(&holder).join(" "))
                .unwrap_or_default();
            OperatorOut {
                user: op.user,
                role: op.role.kind_name(),
                department_id: scope.map(|id| id.0),
                department: scope.map(|id| tree.path(id)),
                keys: fingerprints,
            }
        })
        .collect();
    let mut out = super::out::stdout();
    match format {
        ListFormat::Csv => write_rows(&mut out, &rows, super::Format::Csv),
        ListFormat::Json => write_rows(&mut out, &rows, Format::Json),
        ListFormat::Text => {
            let header = [
                tr!("operators.col.user"),
                tr!("operators.col.role"),
                tr!("operators.col.scope"),
                tr!("operators.col.keys"),
            ];
            let lines: Vec<[String; 4]> = rows
                .iter()
                .map(|row| {
                    let scope = row
                        .department
                        .clone()
                        .unwrap_or_else(|| tr!("operators.all_departments"));
                    [
                        row.user.clone(),
                        role_label(row.role),
                        scope,
                        row.keys.clone(),
                    ]
                })
                .collect();
            for line in text_table(header, lines) {
                say!("{line}");
            }
            Ok(())
        }
    }
}
