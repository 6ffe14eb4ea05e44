//! The Staff pane at the scale the issue sets: a generated 100,000-employee
//! company. Opening the database and drawing the first Staff frame, one
//! keystroke in the filter to the redrawn frame, and importing a clean
//! 100,000-row spreadsheet (validated and committed).

mod support;

use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use hrdesk::import::read_staff;
use hrdesk::service::ImportOptions;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{create, draw, key, open_app, session};

const EMPLOYEES: usize = 100_000;

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let company = dir.path().join("company.redb");
    create(&company, EMPLOYEES);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut group = c.benchmark_group("staff at 100k");
    group.sample_size(10);

    group.bench_function("open the database and draw the first Staff frame", |b| {
        // Closing the console is left out of the time: nobody waits for
        // it (and the file must be closed before it is opened again).
        b.iter_custom(|rounds| {
            let mut spent = Duration::ZERO;
            for _ in 0..rounds {
                let start = Instant::now();
                let app = open_app(&company);
                draw(&mut terminal, &app);
                spent += start.elapsed();
                drop(app);
            }
            spent
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
    let directory = session(&company).directory().expect("directory");
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
    let mut fresh = 0;
    group.bench_function("import a clean 100,000-row CSV", |b| {
        b.iter_batched(
            || {
                fresh += 1;
                let path = dir.path().join(format!("fresh-{fresh}.redb"));
                create(&path, 0);
                session(&path)
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
