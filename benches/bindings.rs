//! The Bindings issue's scale: a generated company of 100,000 employees
//! and 1,000,000 third-party account bindings (the demo's own, then
//! generated ones: each employee's current account with each provider and
//! older ones unbound when the account changed). The monthly audit over
//! all of them, and its peak memory (in a fresh process); the Bindings
//! pane opened on them.
//!
//! The company is built once and shared: each group is a function given
//! it, called from `main` (add a group there).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};
use crossterm::event::KeyCode;
use hrdesk::domain::binding::audit::AuditSettings;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{create, draw, key, open_app, session};
use tempfile::TempDir;

const EMPLOYEES: usize = 100_000;
const BINDINGS: usize = 1_000_000;

/// The generated company in a file of its own, removed when dropped.
struct Company {
    _dir: TempDir,
    path: PathBuf,
}

impl Company {
    /// The demo company with [`EMPLOYEES`] staff, topped up to [`BINDINGS`] bindings.
    fn build() -> Company {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("company.redb");
        let start = Instant::now();
        create(&path, EMPLOYEES);
        hrdesk::demo::bindings::generate(&session(&path), BINDINGS).expect("bindings");
        println!(
            "company of {EMPLOYEES} employees and {BINDINGS} bindings built in {:.1?}",
            start.elapsed()
        );
        Company { _dir: dir, path }
    }
}

/// A line of `/proc/self/status` in kB (`VmRSS`, `VmHWM`), when there is one.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Set, to the company's path, in the child process that measures the
/// memory of one audit.
const AUDIT_CHILD: &str = "HRDESK_BENCH_AUDIT_MEMORY";

/// In the child: opens the company, audits it once and prints its
/// resident memory before the audit and at its peak.
fn audit_once(path: &Path) {
    let session = session(path);
    let settings = AuditSettings::new(session.now().date_naive());
    let before = status_kb("VmRSS").unwrap_or_default();
    let start = Instant::now();
    let report = session.audit_bindings(settings).expect("audit");
    println!(
        "one audit in a fresh process: {:.0?}, {} findings {:?}; resident memory {} MB after opening, peak {} MB (VmHWM)",
        start.elapsed(),
        report.findings.len(),
        report.run.counts,
        before / 1024,
        status_kb("VmHWM").unwrap_or_default() / 1024,
    );
}

/// Prints the memory of one audit, measured in a fresh process (this
/// one's peak is the building of the company).
fn audit_memory(company: &Company) {
    let child = std::env::current_exe()
        .and_then(|bench| Command::new(bench).env(AUDIT_CHILD, &company.path).output());
    match child {
        Ok(output) if output.status.success() => {
            print!("{}", String::from_utf8_lossy(&output.stdout));
        }
        Ok(output) => println!(
            "the memory of an audit was not measured: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(e) => println!("the memory of an audit was not measured: {e}"),
    }
}

fn audit(c: &mut Criterion, company: &Company) {
    audit_memory(company);
    let session = session(&company.path);
    let settings = AuditSettings::new(session.now().date_naive());
    let mut group = c.benchmark_group("bindings at 1M");
    group.sample_size(10);
    // Ten audits of about a second each, one per sample.
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function(
        "audit every binding against the staff, the run recorded",
        |b| b.iter(|| session.audit_bindings(settings).expect("audit")),
    );
    group.finish();
}

/// The Bindings pane opened on the million: from the console on another
/// tab to the first Bindings frame, a search through all of it, and from a
/// cold start (opening the file, the staff table read) straight to it.
fn pane(c: &mut Criterion, company: &Company) {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut group = c.benchmark_group("bindings pane at 1M");
    group.sample_size(20);
    let mut app = open_app(&company.path);
    group.bench_function("switch to the Bindings tab and draw its first frame", |b| {
        b.iter(|| {
            app.on_input(key(KeyCode::Char('4')));
            draw(&mut terminal, &app);
            app.on_input(key(KeyCode::Char('1')));
        })
    });
    group.bench_function("scroll one line past the window's end and redraw", |b| {
        app.on_input(key(KeyCode::Char('4')));
        for _ in 0..40 {
            app.on_input(key(KeyCode::Down));
        }
        b.iter(|| {
            app.on_input(key(KeyCode::Down));
            draw(&mut terminal, &app);
        })
    });
    for (what, typed) in [
        ("by the visible tail of an account", "Xk3"),
        ("by a name in pinyin", "zhangwei"),
    ] {
        let name = format!("search the million {what} and draw the results");
        search_once(&mut app, typed);
        group.bench_function(name, |b| {
            // Found as typed (the bindings were indexed by the first
            // search); `esc` clears the line for the next round.
            b.iter(|| {
                app.on_input(key(KeyCode::Char('/')));
                for c in typed.chars() {
                    app.on_input(key(KeyCode::Char(c)));
                }
                draw(&mut terminal, &app);
                app.on_input(key(KeyCode::Esc));
            })
        });
    }
    drop(app);
    group.bench_function("cold start straight to the first Bindings frame", |b| {
        b.iter_custom(|rounds| {
            let mut spent = Duration::ZERO;
            for _ in 0..rounds {
                let start = Instant::now();
                let mut app = open_app(&company.path);
                app.on_input(key(KeyCode::Char('4')));
                draw(&mut terminal, &app);
                spent += start.elapsed();
                drop(app);
            }
            spent
        })
    });
    group.finish();
}

/// Searches the Bindings pane for `typed` once, as typed, and says what it
/// found (so that the figures below are of a search that finds
/// something); `esc` clears the line.
fn search_once(app: &mut hrdesk::app::App, typed: &str) {
    app.on_input(key(KeyCode::Char('4')));
    app.on_input(key(KeyCode::Char('/')));
    for c in typed.chars() {
        app.on_input(key(KeyCode::Char(c)));
    }
    // The first search indexes the bindings by a job (after whatever
    // jobs the rounds before left running); the line is searched again
    // once it ends.
    while app.wait_for_job() {}
    let view = app.pane::<hrdesk::panes::bindings::BindingsView>();
    println!(
        "“{typed}” lists {} of the bindings ({:?})",
        view.total, view.listing
    );
    app.on_input(key(KeyCode::Esc));
}

fn main() {
    if let Some(path) = std::env::var_os(AUDIT_CHILD) {
        audit_once(Path::new(&path));
        return;
    }
    let company = Company::build();
    let mut criterion = Criterion::default().configure_from_args();
    audit(&mut criterion, &company);
    pane(&mut criterion, &company);
    criterion.final_summary();
}
