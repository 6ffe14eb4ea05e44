//! The audit log view over a long log (a million entries by default;
//! `HRDESK_BENCH_LOG_ENTRIES` sets another count): opening it (the read is
//! a job at this size: how soon `g l` answers, and how long the read
//! takes), filtering it by operator, a keystroke of the `/` search, and
//! taking in a change another console made while it is shown.

mod support;

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use hrdesk::app::{App, Input};
use hrdesk::domain::audit::AuditRecord;
use hrdesk::service::DepartmentDraft;
use hrdesk::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{create, draw, key, open_app, session};

/// Entries written per transaction while the log is made.
const BATCH: usize = 20_000;

const ACTIONS: [&str; 5] = [
    "employee.transfer",
    "binding.notice_sent",
    "goal.actual",
    "rating.record",
    "vendor.spend",
];

/// Adds `count` entries to the log of the database at `path`, by five
/// operators in turn, each with a before and an after of a typical length.
fn fill_log(path: &std::path::Path, count: usize) {
    let store = Store::open(path).expect("open");
    let mut written = 0;
    while written < count {
        let batch = BATCH.min(count - written);
        let operator = format!("hr.{}", written / BATCH % 5);
        store
            .write(&operator, Utc::now(), |w| {
                for n in written..written + batch {
                    w.audit(
                        AuditRecord::new(ACTIONS[n % ACTIONS.len()], "employee", format!("E{n:06}"))
                            .before(format!("department=星河零售 / 销售部 / 华东大区 title=销售代表 grade=P{}", n % 7))
                            .after(format!("department=星河零售 / 销售部 / 华南大区 title=高级销售代表 grade=P{} effective=2026-11-23", n % 7 + 1)),
                    )?;
                }
                Ok(())
            })
            .expect("write");
        written += batch;
    }
}

fn press(app: &mut App, keys: &[KeyCode]) {
    for &code in keys {
        app.on_input(key(code));
    }
}

fn benches(c: &mut Criterion) {
    let count: usize = std::env::var("HRDESK_BENCH_LOG_ENTRIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("log.redb");
    create(&path, 0);
    fill_log(&path, count);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let open_log = [KeyCode::Char('g'), KeyCode::Char('l')];

    let mut group = c.benchmark_group("audit log");
    group.sample_size(10);
    group.bench_function(
        "g l: the view drawn while the read runs (the console answers)",
        |b| {
            b.iter_custom(|iterations| {
                let mut answered = std::time::Duration::ZERO;
                for _ in 0..iterations {
                    let mut app = open_app(&path);
                    let start = std::time::Instant::now();
                    press(&mut app, &open_log);
                    draw(&mut terminal, &app);
                    answered += start.elapsed();
                    press(&mut app, &[KeyCode::Esc]);
                    app.wait_for_job();
                }
                answered
            })
        },
    );
    group.bench_function(
        format!("open the log of {count} entries, read it (a job) and draw it"),
        |b| {
            b.iter(|| {
                let mut app = open_app(&path);
                press(&mut app, &open_log);
                app.wait_for_job();
                draw(&mut terminal, &app);
            })
        },
    );

    group.bench_function("filter it by one operator of five and draw it", |b| {
        b.iter_batched(
            || {
                let mut app = open_app(&path);
                press(&mut app, &open_log);
                app.wait_for_job();
                press(&mut app, &[KeyCode::Char('F')]);
                for c in "hr.3".chars() {
                    app.on_input(key(KeyCode::Char(c)));
                }
                app
            },
            |mut app| {
                press(&mut app, &[KeyCode::Enter]);
                app.wait_for_job();
                draw(&mut terminal, &app);
            },
            criterion::BatchSize::PerIteration,
        )
    });

    let mut app = open_app(&path);
    press(&mut app, &open_log);
    app.wait_for_job();
    press(&mut app, &[KeyCode::Char('/')]);
    group.bench_function("a keystroke of the search and the redrawn frame", |b| {
        b.iter(|| {
            app.on_input(key(KeyCode::Char('P')));
            draw(&mut terminal, &app);
            app.on_input(key(KeyCode::Backspace));
        })
    });

    let mut app = open_app(&path);
    press(&mut app, &open_log);
    app.wait_for_job();
    let other = session(&path);
    let mut added = 0;
    group.bench_function("a change another console made, taken in and drawn", |b| {
        b.iter(|| {
            added += 1;
            other
                .add_department(DepartmentDraft {
                    name: format!("部门{added}"),
                    ..DepartmentDraft::default()
                })
                .expect("write");
            app.on_input(Input::StoreChanged);
            draw(&mut terminal, &app);
        })
    });
    group.finish();
}

criterion_group!(log, benches);
criterion_main!(log);
