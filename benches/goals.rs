//! The Goals pane at the scale the issue sets: a generated company of
//! 100,000 employees and 300,000 goals. One actual recorded in the console
//! (the key path: the form, the store write, the path recomputed, the frame
//! redrawn) and the in-memory part alone; a full roll-up of every goal; the
//! alignment report.

mod support;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use hrdesk::app::Input;
use hrdesk::domain::employee::Status;
use hrdesk::domain::goal::check::alignment_gaps;
use hrdesk::domain::goal::progress::Rollup;
use hrdesk::domain::goal::{
    Direction, Goal, GoalId, GoalStatus, Kpi, Measure, Owner, Period, Weight,
};
use hrdesk::service::even_weights;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{create, draw, key, open_app, session};

const EMPLOYEES: usize = 100_000;
const GOALS: usize = 300_000;

fn kpi(target: f64, actual: Option<f64>) -> Measure {
    Measure::Kpi(Kpi {
        metric: "output".into(),
        unit: "pcs".into(),
        baseline: 0.0,
        target,
        actual,
        direction: Direction::HigherIsBetter,
        aggregation: hrdesk::domain::goal::Aggregation::Latest,
        months: Vec::new(),
    })
}

/// Adds goals until the company has [`GOALS`]: one goal per department
/// under a company goal, and personal goals under them for every active
/// employee, in one transaction.
fn add_goals(path: &std::path::Path) {
    let session = session(path);
    let directory = session.directory().expect("directory");
    let existing = session.goal_tree().expect("goals").len();
    let departments: Vec<_> = directory
        .tree
        .rows()
        .iter()
        .map(|r| r.department.id)
        .collect();
    let people: Vec<_> = directory
        .employees()
        .iter()
        .filter(|e| e.status == Status::Active)
        .collect();
    let per_person = (GOALS - existing - departments.len() - 1).div_ceil(people.len());
    let count = 1 + departments.len() + people.len() * per_person;
    session
        .bulk_goals(count, |first| {
            let mut next = first.0;
            let mut goal = |owner, parent, weight, measure| {
                let g = Goal {
                    id: GoalId(next),
                    title: format!("goal {next}").into(),
                    owner,
                    period: Period::Year(2027),
                    parent,
                    weight,
                    status: GoalStatus::Active,
                    measure,
                    cap_percent: 100,
                };
                next += 1;
                g
            };
            let mut goals = vec![goal(Owner::Company, None, Weight::FULL, Measure::Objective)];
            let top = goals[0].id;
            let mut by_department = std::collections::HashMap::new();
            for (d, w) in departments.iter().zip(even_weights(departments.len())) {
                let g = goal(Owner::Department(*d), Some(top), w, Measure::Objective);
                by_department.insert(*d, g.id);
                goals.push(g);
            }
            for (i, person) in people.iter().enumerate() {
                let parent = by_department[&person.department];
                for (k, w) in even_weights(per_person).into_iter().enumerate() {
                    let actual = Some(((i * 7 + k * 13) % 120) as f64);
                    goals.push(goal(
                        Owner::Employee(person.id),
                        Some(parent),
                        w,
                        kpi(100.0, actual),
                    ));
                }
            }
            goals
        })
        .expect("goals");
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let company = dir.path().join("company.redb");
    create(&company, EMPLOYEES);
    add_goals(&company);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut group = c.benchmark_group("goals at 100k employees and 300k goals");
    group.sample_size(10);

    let session = session(&company);
    let tree = session.goal_tree().expect("tree");
    let directory = session.directory().expect("directory");
    assert!(tree.len() >= GOALS, "{} goals", tree.len());
    group.bench_function("full roll-up of every goal", |b| {
        b.iter(|| black_box(Rollup::compute(&tree)))
    });
    group.bench_function("alignment report", |b| {
        b.iter(|| black_box(alignment_gaps(&tree, &directory, Some(Period::Year(2027)))))
    });
    let mut rollup = Rollup::compute(&tree);
    let leaf = tree.len() - 1;
    group.bench_function("one path recomputed after an actual (in memory)", |b| {
        b.iter(|| rollup.update_path(&tree, black_box(leaf)))
    });
    drop((tree, directory, session));

    let mut app = open_app(&company);
    app.on_input(key(KeyCode::Char('2')));
    app.on_input(key(KeyCode::Char('G')));
    group.bench_function("the Goals frame redrawn", |b| {
        b.iter(|| draw(&mut terminal, &app))
    });
    group.bench_function(
        "one actual recorded in the console: form, store write, path, redrawn frame",
        |b| {
            b.iter(|| {
                app.on_input(key(KeyCode::Char('u')));
                app.on_input(key(KeyCode::Tab));
                app.on_input(Input::Key(crossterm::event::KeyEvent::new(
                    KeyCode::Char('7'),
                    crossterm::event::KeyModifiers::NONE,
                )));
                app.on_input(key(KeyCode::Enter));
                draw(&mut terminal, &app);
            })
        },
    );
    group.finish();
}

criterion_group!(goals, benches);
criterion_main!(goals);
