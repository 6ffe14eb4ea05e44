//! Start-up and keystroke latency of the console on the demo company:
//! opening the database file and drawing the first frame, and one key press
//! through the keymap to the redrawn frame.

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hrdesk::app::session::{Clock, Session};
use hrdesk::app::{App, Input};
use hrdesk::config::keymap::Keymap;
use hrdesk::config::theme::load_theme;
use hrdesk::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const USER: &str = "bench";

fn open_app(path: &std::path::Path) -> App {
    let store = Store::open(path).expect("open the demo database");
    let session = Session::login(store, USER, Clock::System).expect("bench is the admin");
    let keymap = Keymap::built_in().expect("built-in keymap");
    let theme = load_theme("default", None).expect("default theme");
    let mut app = App::new(session, keymap, theme, None);
    app.on_input(Input::Resize(80, 24));
    app
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|frame| hrdesk::ui::draw(app, frame))
        .expect("draw into the test backend");
}

fn key(c: char) -> Input {
    Input::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.redb");
    {
        let store = Store::create(&path, USER, Utc::now()).expect("create");
        let session = Session::login(store, USER, Clock::System).expect("login");
        hrdesk::demo::populate(&session, hrdesk::demo::DEFAULT_EMPLOYEES).expect("demo");
    }
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");

    c.bench_function("open database and draw the first frame", |b| {
        b.iter(|| {
            let app = open_app(&path);
            draw(&mut terminal, &app);
        })
    });

    let mut app = open_app(&path);
    for c in ['g', 'd'] {
        app.on_input(key(c));
    }
    c.bench_function("keystroke in the departments view to redrawn frame", |b| {
        b.iter(|| {
            app.on_input(key('j'));
            draw(&mut terminal, &app);
        })
    });
}

criterion_group!(startup, benches);
criterion_main!(startup);
