//! The Staff pane at the scale the issue sets: a generated 100,000-employee
//! company. Opening the database and drawing the first Staff frame, one
//! keystroke in the filter to the redrawn frame, and importing a clean
//! 100,000-row spreadsheet (validated and committed).

use std::path::Path;

use chrono::Utc;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hrdesk::app::session::{Clock, ImportOptions, Session};
use hrdesk::app::{App, Input};
use hrdesk::config::keymap::Keymap;
use hrdesk::config::theme::load_theme;
use hrdesk::import::read_staff;
use hrdesk::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const USER: &str = "bench";
const EMPLOYEES: usize = 100_000;

fn create(path: &Path, employees: usize) {
    let store = Store::create(path, USER, Utc::now()).expect("create");
    let session = Session::login(store, USER, Clock::System).expect("login");
    hrdesk::demo::populate(&session, employees).expect("demo company");
}

fn open_app(path: &Path) -> App {
    let store = Store::open(path).expect("open");
    let session = Session::login(store, USER, Clock::System).expect("login");
    let keymap = Keymap::built_in().expect("keymap");
    let theme = load_theme("default", None).expect("theme");
    let mut app = App::new(session, keymap, theme, None);
    app.on_input(Input::Resize(80, 24));
    app
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal
        .draw(|frame| hrdesk::ui::draw(app, frame))
        .expect("draw");
}

fn key(code: KeyCode) -> Input {
    Input::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let company = dir.path().join("company.redb");
    create(&company, EMPLOYEES);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut group = c.benchmark_group("staff at 100k");
    group.sample_size(10);

    group.bench_function("open the database and draw the first Staff frame", |b| {
        b.iter(|| {
            let app = open_app(&company);
            draw(&mut terminal, &app);
        })
    });

    let mut app = open_app(&company);
    app.on_input(key(KeyCode::Char('/')));
    group.bench_function("first filter keystroke to the redrawn frame", |b| {
        b.iter(|| {
            app.on_input(key(KeyCode::Char('z')));
            draw(&mut terminal, &app);
            app.on_input(key(KeyCode::Backspace));
        })
    });
    app.on_input(key(KeyCode::Char('z')));
    group.bench_function("next filter keystroke to the redrawn frame", |b| {
        b.iter(|| {
            app.on_input(key(KeyCode::Char('w')));
            draw(&mut terminal, &app);
            app.on_input(key(KeyCode::Backspace));
        })
    });

    drop(app);
    // The company's staff as a spreadsheet, imported into a fresh database
    // that has the departments but nobody yet.
    let session =
        Session::login(Store::open(&company).expect("open"), USER, Clock::System).expect("login");
    let directory = session.directory().expect("directory");
    let mut csv = String::from(
        "emp_no,name,department,title,grade,manager_emp_no,hire_date,status,phone,email,national_id,salary\n",
    );
    for e in directory.employees() {
        let manager = e
            .manager
            .and_then(|m| directory.get(m))
            .map(|m| m.emp_no.clone());
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},active,{},{},{},{}\n",
            e.emp_no,
            e.name,
            directory.tree.path(e.department),
            e.title,
            e.grade,
            manager.unwrap_or_default(),
            e.hire_date,
            e.phone,
            e.email,
            e.national_id,
            e.salary.map(|s| s / 100).unwrap_or_default()
        ));
    }
    drop(session);
    let mut fresh = 0;
    group.bench_function("import a clean 100,000-row CSV", |b| {
        b.iter_batched(
            || {
                fresh += 1;
                let path = dir.path().join(format!("fresh-{fresh}.redb"));
                create(&path, 0);
                Session::login(Store::open(&path).expect("open"), USER, Clock::System)
                    .expect("login")
            },
            |session| {
                let sheet = read_staff(csv.as_bytes()).expect("sheet");
                session
                    .import_staff(&sheet, ImportOptions::default())
                    .expect("import")
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(staff, benches);
criterion_main!(staff);
