//! The Scoring issue's scale: a generated company of 100,000 employees with
//! six ratings each (the demo cycle: manager and self on three
//! competencies). A full recompute of the cycle: every scorecard, grade,
//! pool distribution with its quotas, and the bonus plan.

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use support::{create, session};

const EMPLOYEES: usize = 100_000;

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let company = dir.path().join("company.redb");
    create(&company, EMPLOYEES);
    let session = session(&company);
    let cycle = session
        .cycles()
        .expect("cycles")
        .into_iter()
        .next()
        .expect("the demo cycle");
    let mut group = c.benchmark_group("scoring at 100k");
    group.sample_size(10);
    group.bench_function("full recompute of a cycle", |b| {
        b.iter(|| session.cycle_results(&cycle).expect("results"))
    });
    group.finish();
}

criterion_group!(scoring, benches);
criterion_main!(scoring);
