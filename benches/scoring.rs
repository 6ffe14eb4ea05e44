//! The Scoring issue's scale: a generated company of 100,000 employees with
//! six ratings each (the demo cycle: manager and self on three
//! competencies). A full recompute of the cycle (every scorecard, grade,
//! pool distribution with its quotas, and the bonus plan), and one rating
//! entered in the console to the redrawn scorecard and distribution (its
//! manager's, replacing the mark before: the form checks the relation
//! over the cycle's period and asks before replacing). At this size the
//! console recomputes as a job: how soon the tab answers (its frame drawn
//! while the scores compute) is measured beside how long the scores take.

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use hrdesk::app::Mode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{create, draw, key, open_app, session};

const EMPLOYEES: usize = 100_000;

/// Types `text` into the focused field.
fn type_text(app: &mut hrdesk::app::App, text: &str) {
    for c in text.chars() {
        app.on_input(key(KeyCode::Char(c)));
    }
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let company = dir.path().join("company.redb");
    create(&company, EMPLOYEES);
    let mut group = c.benchmark_group("scoring at 100k");
    group.sample_size(10);

    let session = session(&company);
    let cycle = session
        .cycles()
        .expect("cycles")
        .into_iter()
        .max_by_key(|c| c.ends)
        .expect("the demo cycle of 2026 (the newest; 2025's is closed)");
    group.bench_function("full recompute of a cycle", |b| {
        b.iter(|| session.cycle_results(&cycle).expect("results"))
    });
    drop(session);

    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    group.bench_function(
        "3: the Scoring tab drawn while its scores compute (the console answers)",
        |b| {
            b.iter_custom(|iterations| {
                let mut answered = std::time::Duration::ZERO;
                for _ in 0..iterations {
                    let mut app = open_app(&company);
                    let start = std::time::Instant::now();
                    app.on_input(key(KeyCode::Char('3')));
                    draw(&mut terminal, &app);
                    answered += start.elapsed();
                    assert!(app.job_running(), "a company this size scores as a job");
                    app.on_input(key(KeyCode::Esc));
                    app.wait_for_job();
                }
                answered
            })
        },
    );

    let mut app = open_app(&company);
    app.on_input(key(KeyCode::Char('3')));
    app.wait_for_job();
    app.on_input(key(KeyCode::Char('j')));
    // The selected person's manager, whose demo mark each rating replaces
    // (the form asks first: `y`).
    let boss = {
        let (person, _) = app
            .pane::<hrdesk::panes::scoring::ScoringView>()
            .selected()
            .expect("someone selected");
        let manager = app
            .session()
            .employee(person.id)
            .expect("read")
            .and_then(|e| e.manager)
            .expect("a manager");
        app.session()
            .employee(manager)
            .expect("read")
            .expect("the manager")
            .emp_no
    };
    let rate = |app: &mut hrdesk::app::App, mark: u8| {
        app.on_input(key(KeyCode::Char('i')));
        type_text(app, &boss);
        app.on_input(key(KeyCode::Tab));
        type_text(app, "manager");
        for _ in 0..2 {
            app.on_input(key(KeyCode::Tab));
        }
        type_text(app, &mark.to_string());
        app.on_input(key(KeyCode::Enter));
        app.on_input(key(KeyCode::Char('y')));
        // One person is scored again in place; were the whole cycle
        // recomputed instead (a job at this size), its end would count.
        app.wait_for_job();
    };
    rate(&mut app, 3);
    assert_eq!(app.mode(), Mode::Browse, "the rating form was accepted");
    let mut mark = 0;
    group.bench_function(
        "one rating entered in the console: form, store write, rescore, redrawn frame",
        |b| {
            b.iter(|| {
                mark = mark % 5 + 1;
                rate(&mut app, mark);
                draw(&mut terminal, &app);
            })
        },
    );
    assert_eq!(app.mode(), Mode::Browse);
    app.on_input(key(KeyCode::Char('x')));
    group.bench_function("the distribution redrawn", |b| {
        b.iter(|| draw(&mut terminal, &app))
    });
    group.finish();
}

criterion_group!(scoring, benches);
criterion_main!(scoring);
