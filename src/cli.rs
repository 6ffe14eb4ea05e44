//! The command line: argument parsing (clap), start-up of the console, and
//! the headless commands, all on the same store, session and domain code as
//! the TUI. Exit codes: 0 success, 1 findings or invalid input, 2 usage or
//! I/O error, 3 not permitted, 75 busy (a write could not start before
//! `--wait` ran out, or an upgrade waits for others to leave the file).
//!
//! Every process that opens a database file registers in its session
//! registry as what it is (`console`, `import staff`, …) until it ends.

/// Prints a line to standard output with its control characters escaped
/// (data never drives the terminal it is written to).
macro_rules! say {
    ($($arg:tt)*) => {
        {
            use std::io::Write as _;
            // A reader gone is the reader's business: the command still runs.
            let _ = writeln!(
                $crate::cli::out::stdout(),
                "{}",
                $crate::text::escape_controls(&format!($($arg)*))
            );
        }
    };
}

mod bindings;
pub mod console;
mod departments;
mod events;
mod export;
mod goals;
mod notices;
mod operator;
pub mod out;
mod peers;
mod scheduled;
mod scoring;
mod sessions;
mod sheet;
mod ssh;
mod staff;
mod table;
mod vendor_md;
mod vendors;
mod verify;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::app::App;
use crate::config::error::ConfigError;
use crate::config::keymap::Keymap;
use crate::config::operator::{Choices, OperatorFiles, with_choices};
use crate::config::settings::{Glyphs, Paths, Settings, choose_theme_name};
use crate::config::theme;
use crate::i18n::{self, Lang};
use crate::service::{Clock, ImportOptions, LoginError, OpError, Session};
use crate::store::{Draft, Store, StoreError};
use crate::team::authorized_keys::KeysError;
use crate::team::exchange;
use crate::team::identity::{self, NoAccount};
use crate::team::operator_keys::KeyPlace;
use crate::{demo, tr};

/// The command line. Help texts come from the catalogue, in the language
/// chosen before parsing (see [`startup_lang`]).
#[derive(Debug, Parser)]
#[command(name = "hrdesk", version, about = tr!("cli.help.about"), long_about = None)]
pub struct Cli {
    #[arg(long, env = "HRDESK_DB", global = true, value_name = "PATH", help = tr!("cli.help.db"))]
    pub db: Option<PathBuf>,

    #[arg(long, help = tr!("cli.help.demo_flag"))]
    pub demo: bool,

    #[arg(long, value_name = "NAME", help = tr!("cli.help.theme"))]
    pub theme: Option<String>,

    #[arg(long, help = tr!("cli.help.ascii"))]
    pub ascii: bool,

    #[arg(long, global = true, value_enum, value_name = "LANG", help = tr!("cli.help.lang"))]
    pub lang: Option<LangArg>,

    #[arg(long, global = true, value_name = "SECONDS", help = tr!("cli.help.wait"))]
    pub wait: Option<u64>,

    /// What this process is, for the session registry: `console`, or the
    /// command's words (`import staff`); set from the parsed command line.
    #[arg(skip)]
    pub purpose: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(about = tr!("cli.help.demo"))]
    Demo {
        #[arg(long, default_value_t = demo::DEFAULT_EMPLOYEES, help = tr!("cli.help.employees"))]
        employees: usize,
    },
    #[command(about = tr!("cli.help.export"))]
    Export(export::ExportArgs),
    #[command(about = tr!("cli.help.check"))]
    Check {
        #[command(subcommand)]
        what: goals::CheckCommand,
    },
    #[command(about = tr!("cli.help.import"))]
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    #[command(about = tr!("goal.cli.help"))]
    Goals {
        #[command(subcommand)]
        action: goals::GoalsCommand,
    },
    #[command(about = tr!("cli.help.departments"))]
    Departments {
        #[command(subcommand)]
        action: departments::DepartmentsCommand,
    },
    #[command(about = tr!("schedule.help.command"))]
    Scheduled {
        #[command(subcommand)]
        action: Option<scheduled::ScheduledCommand>,
    },
    #[command(about = tr!("schedule.help.apply_due"))]
    ApplyDue,
    #[command(about = tr!("scoring.peers.help.command"))]
    Peers {
        #[command(subcommand)]
        action: peers::PeersCommand,
    },
    #[command(about = tr!("cli.help.operator"))]
    Operator {
        #[command(subcommand)]
        action: operator::OperatorCommand,
    },
    #[command(about = tr!("cli.help.bindings"))]
    Bindings {
        #[command(subcommand)]
        action: bindings::BindingsCommand,
    },
    #[command(about = tr!("cli.help.audit"))]
    Audit {
        #[command(subcommand)]
        what: bindings::AuditCommand,
    },
    #[command(about = tr!("cli.help.ssh_session"))]
    SshSession {
        #[arg(help = tr!("cli.help.ssh_name"))]
        name: String,
        #[arg(long, value_name = "FINGERPRINT", help = tr!("cli.help.ssh_key"))]
        key: Option<String>,
    },
    #[command(about = tr!("verify.help.command"))]
    Verify {
        #[arg(long, value_enum, default_value_t = verify::VerifyFormat::Text, help = tr!("cli.help.format"))]
        format: verify::VerifyFormat,
        #[arg(long, value_name = "HASH", help = tr!("verify.help.expect_head"))]
        expect_head: Option<String>,
    },
    #[command(about = tr!("sessions.help.command"))]
    Sessions {
        #[arg(long, value_enum, default_value_t = sessions::SessionsFormat::Text, help = tr!("cli.help.format"))]
        format: sessions::SessionsFormat,
    },
}

impl Cli {
    /// Parses the process's arguments (exiting with clap's message on a
    /// mistake), noting which command they name.
    pub fn from_env() -> Cli {
        use clap::{CommandFactory, FromArgMatches};
        let matches = Cli::command().get_matches();
        let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|err| err.exit());
        cli.labelled(&matches)
    }

    /// The command line `args` (the program's name first), as a client's
    /// command over SSH gives it. One that asks only to read (`--help`,
    /// `--version`) gives that text, for standard output as locally; a
    /// mistake is a usage error with clap's words.
    fn parse_words(args: Vec<String>) -> Result<ssh::Request, Failure> {
        use clap::{CommandFactory, FromArgMatches};
        let failed = |err: clap::Error| Failure::new(Failure::USAGE, err.to_string());
        let matches = match Cli::command().try_get_matches_from(args) {
            Ok(matches) => matches,
            Err(err) if !err.use_stderr() => return Ok(ssh::Request::Show(err.to_string())),
            Err(err) => return Err(failed(err)),
        };
        let cli = Cli::from_arg_matches(&matches).map_err(failed)?;
        Ok(ssh::Request::Run(Box::new(cli.labelled(&matches))))
    }

    /// This command line with its registry label, from its subcommands' names.
    fn labelled(mut self, matches: &clap::ArgMatches) -> Cli {
        let mut words = Vec::new();
        let mut level = matches;
        while let Some((name, sub)) = level.subcommand() {
            words.push(name.to_string());
            level = sub;
        }
        self.purpose = if words.is_empty() {
            "console".to_string()
        } else {
            words.join(" ")
        };
        self
    }
}

/// The file of a sheet import, and whether only to check it.
#[derive(Debug, Args)]
pub struct SheetArgs {
    #[arg(help = tr!("cli.help.import_file"))]
    pub file: PathBuf,
    #[arg(long, help = tr!("cli.help.dry_run"))]
    pub dry_run: bool,
    #[arg(long, value_name = "NAME", help = tr!("cli.help.sheet"))]
    pub sheet: Option<String>,
}

/// A provider's log (logins, confirmations): its bad rows are skipped
/// unless `--strict`.
#[derive(Debug, Args)]
pub struct LogArgs {
    #[command(flatten)]
    pub sheet: SheetArgs,
    #[arg(long, help = tr!("cli.help.strict"))]
    pub strict: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    #[command(about = tr!("cli.help.import_staff"))]
    Staff {
        #[command(flatten)]
        sheet: SheetArgs,
        #[arg(long, help = tr!("cli.help.update"))]
        update: bool,
        #[arg(long, help = tr!("cli.help.create_departments"))]
        create_departments: bool,
    },
    #[command(about = tr!("staff.events.help"))]
    Events(SheetArgs),
    #[command(about = tr!("cli.help.import_actuals"))]
    Actuals(SheetArgs),
    #[command(about = tr!("cli.help.import_ratings"))]
    Ratings(SheetArgs),
    #[command(about = tr!("cli.help.import_indicators"))]
    Indicators(SheetArgs),
    #[command(about = tr!("cli.help.import_courses"))]
    Courses(SheetArgs),
    #[command(about = tr!("cli.help.import_bindings"))]
    Bindings {
        #[command(flatten)]
        sheet: SheetArgs,
        #[arg(long, value_name = "PROVIDER", help = tr!("cli.help.provider"))]
        provider: Option<String>,
    },
    #[command(about = tr!("cli.help.import_logins"))]
    Logins(LogArgs),
    #[command(about = tr!("cli.help.import_confirmations"))]
    Confirmations(LogArgs),
    #[command(about = tr!("vendor_cli.help.import_vendors"))]
    #[command(after_help = vendors::measures_help())]
    Vendors {
        #[command(flatten)]
        sheet: SheetArgs,
        #[arg(long, value_name = "NAME", help = tr!("vendor_cli.help.import_project"))]
        project: String,
    },
    #[command(about = tr!("vendor_cli.help.import_weights"))]
    Weights {
        #[command(flatten)]
        sheet: SheetArgs,
        #[arg(long, value_name = "NAME", help = tr!("vendor_cli.help.import_project"))]
        project: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

impl From<LangArg> for Lang {
    fn from(arg: LangArg) -> Lang {
        match arg {
            LangArg::En => Lang::En,
            LangArg::Zh => Lang::Zh,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportKind {
    Staff,
    Departments,
    Goals,
    Cycles,
    Scores,
    Ratings,
    Courses,
    Bindings,
    /// The outbox of unbinding notices (admin; marks them sent).
    UnbindNotices,
    AuditLog,
    Vendors,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
    /// A Markdown report (vendors only).
    Md,
}

/// A failure that ends the program, with its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub const INVALID: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const DENIED: u8 = 3;
    /// EX_TEMPFAIL: the database was busy; the same command may work later.
    pub const BUSY: u8 = 75;

    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(err: ConfigError) -> Self {
        Failure::new(Failure::USAGE, err.to_string())
    }
}

/// The database file this process opened: messages about one of its
/// records name the record, and this names the file.
static OPENED: OnceLock<PathBuf> = OnceLock::new();

impl From<StoreError> for Failure {
    fn from(err: StoreError) -> Self {
        let message = match (&err, OPENED.get()) {
            (
                StoreError::Tampered { .. }
                | StoreError::Decode { .. }
                | StoreError::MissingTable { .. }
                | StoreError::DamagedTable { .. },
                Some(path),
            ) => {
                format!("{}: {err}", path.display())
            }
            _ => err.to_string(),
        };
        let code = match err {
            StoreError::Busy { .. } | StoreError::UpgradeWhileOpen { .. } => Failure::BUSY,
            // A uniqueness rule caught inside the write transaction (another
            // process took the number first): invalid input, not a fault.
            StoreError::Duplicate { .. }
            | StoreError::DuplicateEmpNo { .. }
            | StoreError::DuplicateExternalId { .. } => Failure::INVALID,
            _ => Failure::USAGE,
        };
        Failure::new(code, message)
    }
}

impl From<KeysError> for Failure {
    fn from(err: KeysError) -> Self {
        let code = match err {
            KeysError::Held { .. } | KeysError::Outside { .. } => Failure::INVALID,
            _ => Failure::USAGE,
        };
        Failure::new(code, err.to_string())
    }
}

impl From<NoAccount> for Failure {
    fn from(err: NoAccount) -> Self {
        Failure::new(Failure::USAGE, err.to_string())
    }
}

impl From<LoginError> for Failure {
    fn from(err: LoginError) -> Self {
        match err {
            LoginError::Store(e) => e.into(),
            other => Failure::new(Failure::DENIED, other.to_string()),
        }
    }
}

impl From<OpError> for Failure {
    fn from(err: OpError) -> Self {
        match err {
            OpError::Store(err) => err.into(),
            OpError::Denied(_) => Failure::new(Failure::DENIED, err.to_string()),
            _ => Failure::new(Failure::INVALID, err.to_string()),
        }
    }
}

/// The language to speak before the command line is parsed (so that
/// `--help` is localized): `--lang` among `args`, else config.toml's `lang`,
/// else the locale. A broken config.toml is reported later, by [`run`].
pub fn startup_lang(args: &[String]) -> Lang {
    let flag = args.iter().enumerate().find_map(|(i, arg)| {
        let value = match arg.strip_prefix("--lang") {
            Some("") => args.get(i + 1)?.as_str(),
            Some(rest) => rest.strip_prefix('=')?,
            None => return None,
        };
        Lang::from_code(value)
    });
    let config = Settings::load(Paths::discover().config_file().as_deref())
        .ok()
        .and_then(|s| s.lang);
    i18n::choose_lang(flag, config, |name| std::env::var(name).ok())
}

/// What this process was started as: its registry label, how long opening
/// the file and its writes wait for another process's write.
struct Launch {
    purpose: String,
    open_wait: Duration,
    write_wait: Duration,
}

static LAUNCH: OnceLock<Launch> = OnceLock::new();

/// How long the console's writes wait for another process's: a person
/// at the keys is told who is writing rather than left looking at a frozen
/// screen; the form stays open to save again.
const CONSOLE_WAIT: Duration = Duration::from_secs(2);

/// Runs the parsed command line; the exit code on success is 0.
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    if let Some(Command::SshSession { name, key }) = &cli.command {
        let paths = Paths::discover();
        let settings = Settings::load(paths.config_file().as_deref())?;
        let db = require_db(cli.db.clone().or(settings.database), &paths)?;
        let command = std::env::var("SSH_ORIGINAL_COMMAND").ok();
        let exchange = settings
            .exchange
            .unwrap_or_else(|| exchange::default_folder(&db));
        let session = match ssh::session_command(name, key.clone(), &db, command.as_deref())? {
            ssh::Request::Run(session) => session,
            ssh::Request::Show(text) => {
                print!("{}", crate::text::escape_controls(&text));
                return Ok(ExitCode::SUCCESS);
            }
        };
        exchange::confine_to(exchange.clone()).map_err(|e| {
            Failure::new(
                Failure::USAGE,
                tr!(
                    "exchange.no_folder",
                    folder = exchange.display(),
                    reason = e
                ),
            )
        })?;
        return run(*session);
    }
    let open_wait = cli
        .wait
        .map_or(crate::store::DEFAULT_WAIT, Duration::from_secs);
    let write_wait = match (cli.wait, &cli.command) {
        (None, None) => CONSOLE_WAIT,
        _ => open_wait,
    };
    let purpose = if cli.purpose.is_empty() {
        "console".to_string()
    } else {
        cli.purpose.clone()
    };
    // Set once per process; `run` is called once, from `main`.
    let _ = LAUNCH.set(Launch {
        purpose,
        open_wait,
        write_wait,
    });
    let flag = cli.lang.map(Lang::from);
    let env = |name: &str| std::env::var(name).ok();
    // Until config.toml is read, speak the flag's or the locale's language.
    i18n::set_lang(i18n::choose_lang(flag, None, env));
    let paths = Paths::discover();
    let own = identity::operator_name()
        .ok()
        .and_then(|name| OperatorFiles::of(&paths, &name));
    let mut settings = Settings::load(paths.config_file().as_deref())?;
    let own = match own {
        Some(files) => {
            let chosen = files.load()?;
            settings = with_choices(settings, &chosen);
            Some((files, chosen))
        }
        None => None,
    };
    i18n::set_lang(i18n::choose_lang(flag, settings.lang, env));
    exchange::limit_size(
        settings
            .import_limit_mb
            .unwrap_or(exchange::DEFAULT_LIMIT_MB),
    );
    crate::zone::set(settings.timezone.unwrap_or_default());
    let db = cli.db.clone().or_else(|| settings.database.clone());
    match cli.command {
        None => run_console(&cli, &paths, &settings, db, own),
        Some(Command::Demo { employees }) => write_demo(db, employees),
        Some(Command::Export(args)) => {
            let only = args.only()?;
            let session = open_session(&require_db(db, &paths)?, export::access(args.kind))?;
            export::run(&session, &args, only)
        }
        Some(Command::Check { what }) => {
            let session = open_session(&require_db(db, &paths)?, Access::ReadOnly)?;
            goals::run_check(what, &session)
        }
        Some(Command::Import { what }) => run_import(what, db, &paths),
        Some(Command::Operator { action }) => operator::run(action, db, &paths, &settings),
        Some(Command::Departments { action }) => {
            let session = open_session(&require_db(db, &paths)?, Access::Existing)?;
            departments::run(&session, action)
        }
        Some(Command::Goals { action }) => {
            let session = open_session(&require_db(db, &paths)?, Access::Existing)?;
            goals::run(&session, action)
        }
        Some(Command::Scheduled { action }) => {
            let session = open_session(&require_db(db, &paths)?, scheduled::access(&action))?;
            scheduled::run(&session, action)
        }
        Some(Command::Peers { action }) => {
            let session = open_session(&require_db(db, &paths)?, peers::access(&action))?;
            peers::run(&session, action)
        }
        Some(Command::ApplyDue) => {
            let session = open_session(&require_db(db, &paths)?, Access::Existing)?;
            scheduled::apply_due(&session)
        }
        Some(Command::Bindings { action }) => {
            let session = open_session(&require_db(db, &paths)?, Access::Existing)?;
            bindings::run(&session, action)
        }
        Some(Command::Audit { what }) => {
            let session = open_session(&require_db(db, &paths)?, Access::Existing)?;
            bindings::run_audit(&session, what)
        }
        // Handled before anything else, above; one inside a session is refused.
        Some(Command::SshSession { .. }) => Err(Failure::new(
            Failure::DENIED,
            tr!("ssh.refused", word = "ssh-session"),
        )),
        Some(Command::Sessions { format }) => {
            let session = open_session(&require_db(db, &paths)?, Access::ReadOnly)?;
            sessions::run(&session, format)
        }
        Some(Command::Verify {
            format,
            expect_head,
        }) => verify::run(&require_db(db, &paths)?, format, expect_head.as_deref()),
    }
}

/// `import KIND FILE`: a staff import may create the database; every other
/// sheet is checked against one that exists.
fn run_import(
    what: ImportCommand,
    db: Option<PathBuf>,
    paths: &Paths,
) -> Result<ExitCode, Failure> {
    match what {
        ImportCommand::Staff {
            sheet,
            update,
            create_departments,
        } => staff::run_import(
            &sheet,
            staff_options(&sheet, update, create_departments),
            db,
            paths,
        ),
        other => import_on(
            &open_session(&require_db(db, paths)?, Access::Existing)?,
            other,
        ),
    }
}

/// What `import staff` is asked to do besides reading the sheet.
fn staff_options(sheet: &SheetArgs, update: bool, create_departments: bool) -> ImportOptions {
    ImportOptions {
        dry_run: sheet.dry_run,
        update,
        create_departments,
    }
}

/// `import KIND FILE` into the database of `session` (the console's, or
/// one opened for the command).
fn import_on(session: &Session, what: ImportCommand) -> Result<ExitCode, Failure> {
    match what {
        ImportCommand::Staff {
            sheet,
            update,
            create_departments,
        } => staff::import_on(
            session,
            &sheet,
            staff_options(&sheet, update, create_departments),
        ),
        ImportCommand::Events(sheet) => events::import_events(session, &sheet),
        ImportCommand::Actuals(sheet) => goals::import_actuals(session, &sheet),
        ImportCommand::Ratings(sheet) => scoring::import_ratings(session, &sheet),
        ImportCommand::Indicators(sheet) => scoring::import_indicators(session, &sheet),
        ImportCommand::Courses(sheet) => scoring::import_courses(session, &sheet),
        ImportCommand::Bindings { sheet, provider } => {
            bindings::import_bindings(session, &sheet, provider.as_deref())
        }
        ImportCommand::Logins(log) => bindings::import_logins(session, &log),
        ImportCommand::Confirmations(log) => bindings::import_confirmations(session, &log),
        ImportCommand::Vendors { sheet, project } => {
            vendors::import_vendors(session, &sheet, &project)
        }
        ImportCommand::Weights { sheet, project } => {
            vendors::import_weights(session, &sheet, &project)
        }
    }
}

impl ImportCommand {
    /// Whether it only checks the sheet (`--dry-run`).
    pub fn dry_run(&self) -> bool {
        match self {
            ImportCommand::Staff { sheet, .. }
            | ImportCommand::Vendors { sheet, .. }
            | ImportCommand::Weights { sheet, .. }
            | ImportCommand::Bindings { sheet, .. }
            | ImportCommand::Events(sheet)
            | ImportCommand::Actuals(sheet)
            | ImportCommand::Ratings(sheet)
            | ImportCommand::Indicators(sheet)
            | ImportCommand::Courses(sheet) => sheet.dry_run,
            ImportCommand::Logins(log) | ImportCommand::Confirmations(log) => log.sheet.dry_run,
        }
    }
}

/// The bytes of the sheet `args` names: its file (`-`: standard input),
/// where the operator may read (see [`crate::exchange`]), with the
/// workbook's sheet chosen (see [`crate::import::choose_sheet`]). An
/// unreadable file is a usage error naming it; a sheet it lacks, invalid
/// input.
fn read_file(args: &SheetArgs) -> Result<Vec<u8>, Failure> {
    let file = args.file.as_path();
    let bytes = read_bytes(file)?;
    crate::import::choose_sheet(bytes, args.sheet.as_deref())
        .map_err(|e| Failure::new(Failure::INVALID, format!("{}: {e}", file.display())))
}

/// The bytes of `file` (`-`: standard input), where the operator may read.
fn read_bytes(file: &Path) -> Result<Vec<u8>, Failure> {
    let read = if file == Path::new("-") {
        exchange::read_stdin()
    } else {
        exchange::read(file)
    };
    read.map_err(file_failure)
}

/// The failure of a file the operator named and may not, or cannot, read.
fn file_failure(err: exchange::FileError) -> Failure {
    let code = match err {
        exchange::FileError::Outside(_) => Failure::DENIED,
        exchange::FileError::Unreadable(_)
        | exchange::FileError::TooLarge(_)
        | exchange::FileError::Unwritable(_) => Failure::USAGE,
    };
    Failure::new(code, err.to_string())
}

fn require_db(db: Option<PathBuf>, paths: &Paths) -> Result<PathBuf, Failure> {
    db.or_else(|| paths.default_database())
        .ok_or_else(|| Failure::new(Failure::USAGE, tr!("cli.no_data_dir")))
}

/// How a command opens the database.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Only to read: the file is opened read-only and left byte for byte
    /// as it was; a write through the session is refused, naming it.
    ReadOnly,
    /// An existing file, to read and write (a killed writer's file is
    /// recovered, an older schema upgraded).
    Existing,
    /// As `Existing`, creating the file when there is none.
    CreateIfMissing,
}

/// Opens (or creates) the database, logs the OS user in and registers
/// this process in the file's session registry.
pub fn open_session(path: &Path, access: Access) -> Result<Session, Failure> {
    let user = identity::operator_name()?;
    let store = open_store(path, access, &user)?;
    session_on(store, &user)
}

/// A session on a draft of a new database (see [`Draft`]): what an import
/// writes there becomes the database only once it is clean.
pub fn draft_session(draft: &Draft, target: &Path) -> Result<Session, Failure> {
    let user = identity::operator_name()?;
    let _ = OPENED.set(target.to_path_buf());
    make_folder_for(target)?;
    let store = draft.create(&user, Clock::System.now())?;
    session_on(store, &user)
}

/// `store` with this launch's write wait, its writes marked with the SSH
/// key this session came in with; the OS user logged in and this process
/// registered in the file's session registry.
fn session_on(mut store: Store, user: &str) -> Result<Session, Failure> {
    if let Some(launch) = LAUNCH.get() {
        store.set_write_wait(launch.write_wait);
    }
    store.set_key(identity::key_fingerprint());
    let session = Session::login(store, user, Clock::System)?;
    let purpose = LAUNCH.get().map_or("console", |l| l.purpose.as_str());
    session.join(purpose)?;
    Ok(session)
}

/// Opens (or, as `user`, creates) the database with this launch's wait.
fn open_store(path: &Path, access: Access, user: &str) -> Result<Store, Failure> {
    let wait = LAUNCH
        .get()
        .map_or(crate::store::DEFAULT_WAIT, |l| l.open_wait);
    // One file per process: the first is the one its messages name.
    let _ = OPENED.set(path.to_path_buf());
    Ok(match access {
        Access::ReadOnly => Store::open_read_only(path, wait)?,
        Access::Existing => Store::open_within(path, wait)?,
        Access::CreateIfMissing => {
            make_folder_for(path)?;
            Store::open_or_create(path, user, Clock::System.now(), wait)?
        }
    })
}

/// Makes the folder a new database at `path` goes in, private to the
/// account, when it is missing.
fn make_folder_for(path: &Path) -> Result<(), Failure> {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    crate::store::create_private_dir(dir).map_err(|e| {
        Failure::new(
            Failure::USAGE,
            tr!("cli.create_dir_failed", path = dir.display(), reason = e),
        )
    })
}

/// A session on an empty database in memory, with the OS user as its admin.
pub fn in_memory_session() -> Result<Session, Failure> {
    let user = identity::operator_name()?;
    let store = Store::in_memory(&user, Clock::System.now())?;
    Ok(Session::login(store, &user, Clock::System)?)
}

fn demo_session() -> Result<Session, Failure> {
    let session = in_memory_session()?;
    demo::populate(&session, demo::DEFAULT_EMPLOYEES)?;
    Ok(session)
}

fn write_demo(db: Option<PathBuf>, employees: usize) -> Result<ExitCode, Failure> {
    let path = db.ok_or_else(|| Failure::new(Failure::USAGE, tr!("cli.demo_needs_db")))?;
    let user = identity::operator_name()?;
    let store = Store::create(&path, &user, Clock::System.now())?;
    let session = Session::login(store, &user, Clock::System)?;
    demo::populate(&session, employees)?;
    say!("{}", tr!("cli.demo_written", path = path.display()));
    Ok(ExitCode::SUCCESS)
}

/// The console; `own` holds the operator's own keymap and choices.
fn run_console(
    cli: &Cli,
    paths: &Paths,
    settings: &Settings,
    db: Option<PathBuf>,
    own: Option<(OperatorFiles, Choices)>,
) -> Result<ExitCode, Failure> {
    // Everything that can fail on bad input is checked before the terminal is touched.
    let keymaps: Vec<PathBuf> = paths
        .keymap_file()
        .into_iter()
        .chain(own.iter().map(|(files, _)| files.keymap_file()))
        .collect();
    let keymap = Keymap::load(&keymaps)?;
    let no_color = std::env::var("NO_COLOR").ok();
    let theme_name = choose_theme_name(cli.theme.as_deref(), settings, no_color.as_deref());
    let themes_dir = paths.themes_dir();
    let theme = theme::load_theme(&theme_name, themes_dir.as_deref())?;
    let (session, key_place) = if cli.demo {
        (demo_session()?, None)
    } else {
        let db = require_db(db, paths)?;
        let session = open_session(&db, Access::CreateIfMissing)?;
        let place = KeyPlace {
            configured: settings.authorized_keys.clone(),
            db,
        };
        (session, Some(place))
    };
    // A key's session with no terminal (`ssh -T`, or no command and no
    // terminal at the client) could only fail on the one it lacks.
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if identity::key_operator().is_some() && !terminal {
        return Err(Failure::new(Failure::USAGE, tr!("ssh.no_terminal")));
    }
    let mut app = App::new(session, crate::panes::all(), keymap, theme, themes_dir);
    app.draw_with(if cli.ascii {
        Glyphs::Ascii
    } else {
        settings.glyphs.unwrap_or_default()
    });
    if let Some(rows) = settings.keep_hidden_rows {
        app.keep_hidden(usize::try_from(rows).unwrap_or(usize::MAX));
    }
    if let Some(place) = key_place {
        app.keep_keys_at(place);
    }
    if let Some((files, chosen)) = own {
        app.keep_choices_in(files, chosen);
    }
    crate::tui::run(&mut app)
        .map_err(|e| Failure::new(Failure::USAGE, tr!("cli.terminal_failed", reason = e)))?;
    Ok(ExitCode::SUCCESS)
}
