//! Start-up and keystroke latency of the console on the demo company:
//! opening the database file and drawing the first frame, and one key press
//! through the keymap to the redrawn frame.

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{create, draw, key, open_app};

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.redb");
    create(&path, hrdesk::demo::DEFAULT_EMPLOYEES);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");

    c.bench_function("open database and draw the first frame", |b| {
        b.iter(|| {
            let app = open_app(&path);
            draw(&mut terminal, &app);
        })
    });

    let mut app = open_app(&path);
    for c in ['g', 'd'] {
        app.on_input(key(KeyCode::Char(c)));
    }
    c.bench_function("keystroke in the departments view to redrawn frame", |b| {
        b.iter(|| {
            app.on_input(key(KeyCode::Char('j')));
            draw(&mut terminal, &app);
        })
    });
}

criterion_group!(startup, benches);
criterion_main!(startup);
