//! The console at one million employees, against the targets of the
//! search-and-scale issue: the demo company generated with 1,000,000 staff
//! (built once, then kept in `target/bench-million/` for later runs: about
//! 1.3 GB, a few minutes to write), opened as the console opens it. Prints
//! one table: open → first Staff frame (a screenful, while a job reads
//! everyone) and → every row read, a filter keystroke (p50 and p95
//! over a name typed letter by letter and taken back), a change another
//! console records → the frame, a sort → the frame, and the peak memory on
//! Staff and after every tab. `HRDESK_BENCH_EMPLOYEES` sets another size.

mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::Utc;
use crossterm::event::KeyCode;
use hrdesk::app::{App, Input};
use hrdesk::domain::employee::EventKind;
use hrdesk::panes::staff::StaffView;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{create, draw, key, open_app, session};

/// The generated company's file, made when missing.
fn company(employees: usize) -> PathBuf {
    let dir = PathBuf::from(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
        .join("bench-million");
    let path = dir.join(format!("company-{employees}.redb"));
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("bench folder");
        let partial = dir.join("being-written.redb");
        let _ = std::fs::remove_file(&partial);
        eprintln!(
            "writing a company of {employees} employees once, to {}",
            path.display()
        );
        let start = Instant::now();
        create(&partial, employees);
        std::fs::rename(&partial, &path).expect("keep the company");
        eprintln!("written in {:.0?}", start.elapsed());
    }
    path
}

/// A line of `/proc/self/status` in MB (`VmHWM`: the peak so far).
fn status_mb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .unwrap_or_default()
        / 1024
}

/// The time from `input` to its frame drawn.
fn answer(app: &mut App, terminal: &mut Terminal<TestBackend>, input: Input) -> Duration {
    let at = Instant::now();
    app.on_input(input);
    draw(terminal, app);
    at.elapsed()
}

fn percentile(times: &mut [Duration], share: f64) -> Duration {
    times.sort();
    times[((times.len() - 1) as f64 * share).round() as usize]
}

fn main() {
    let employees = std::env::var("HRDESK_BENCH_EMPLOYEES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let path = company(employees);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut row = |what: &str, target: &str, now: String| {
        rows.push((what.to_string(), target.to_string(), now));
    };

    let start = Instant::now();
    let mut app = open_app(&path);
    draw(&mut terminal, &app);
    row(
        "open → first Staff frame",
        "≤ 100 ms",
        format!("{:.0?}", start.elapsed()),
    );
    app.wait_for_job();
    draw(&mut terminal, &app);
    row(
        "open → every row read and sorted (a job: keys are answered meanwhile)",
        "—",
        format!("{:.1?}", start.elapsed()),
    );
    row(
        "memory on Staff (VmHWM)",
        "≤ 150 MB",
        format!("{} MB", status_mb("VmHWM")),
    );

    let mut keystrokes = Vec::new();
    app.on_input(key(KeyCode::Char('/')));
    for _ in 0..5 {
        for c in "zhangwei".chars() {
            keystrokes.push(answer(&mut app, &mut terminal, key(KeyCode::Char(c))));
        }
        for _ in 0.."zhangwei".len() {
            keystrokes.push(answer(&mut app, &mut terminal, key(KeyCode::Backspace)));
        }
    }
    app.on_input(key(KeyCode::Esc));
    let p50 = percentile(&mut keystrokes, 0.5);
    let p95 = percentile(&mut keystrokes, 0.95);
    row(
        "filter keystroke → frame (\"zhangwei\" typed and taken back)",
        "≤ 16 ms p95",
        format!("p50 {p50:.1?}, p95 {p95:.1?}"),
    );

    let other = session(&path);
    let mut changes = Vec::new();
    for round in 0..5 {
        let staff: &StaffView = app.pane();
        let id = staff.list.selected().expect("a row").id;
        let record = other.employee(id).expect("read").expect("the person");
        let mut after = record.clone();
        after.phone = format!("139{:08}", 12_345_670 + round);
        other
            .record_event(
                id,
                EventKind::Correction,
                Utc::now().date_naive(),
                after,
                None,
            )
            .expect("a correction");
        changes.push(answer(&mut app, &mut terminal, Input::StoreChanged));
    }
    let change = percentile(&mut changes, 0.5);
    row(
        "another console's change → frame (the commit not counted)",
        "≤ 16 ms",
        format!("{change:.1?}"),
    );

    let mut sorts = Vec::new();
    for _ in 0..5 {
        sorts.push(answer(&mut app, &mut terminal, key(KeyCode::Char('s'))));
    }
    let sort = percentile(&mut sorts, 0.5);
    row(
        "sort by the next column → frame",
        "≤ 100 ms",
        format!("{sort:.0?}"),
    );

    let mut by_tab = Vec::new();
    let mut tab_times = Vec::new();
    for tab in ['2', '3', '4', '5', '1'] {
        let pressed = Instant::now();
        let first = answer(&mut app, &mut terminal, key(KeyCode::Char(tab)));
        app.wait_for_job();
        draw(&mut terminal, &app);
        tab_times.push(format!("{tab}: {first:.0?} ({:.1?})", pressed.elapsed()));
        by_tab.push(format!("{tab}: {}", status_mb("VmHWM")));
    }
    row(
        "each tab → its first frame (everything read, by a job where it is long)",
        "—",
        tab_times.join(", "),
    );
    row(
        "memory after every tab (VmHWM)",
        "≤ 300 MB",
        format!(
            "{} MB (peak after tab {})",
            status_mb("VmHWM"),
            by_tab.join(", ")
        ),
    );

    println!("\n{employees} employees, {}", path.display());
    println!("| what | target | now |\n|---|---|---|");
    for (what, target, now) in rows {
        println!("| {what} | {target} | {now} |");
    }
}
