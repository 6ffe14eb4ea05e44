//! The demo's last year, closed: the "2025 年度考评" cycle of two stores,
//! with their 2025 goals (a company sales goal, each store's share, each
//! person's "+15%" cascaded from it), each person's growth for the year
//! and their ratings, moved on through calibrating to closed. It is what
//! the 2026 cycle's trend, early warnings and two-cycle improvement plans
//! are read against.

use chrono::NaiveDate;

use super::cast::{Cast, LAST_YEAR_STORES};
use super::dice::Dice;
use super::goals::{add, kpi, publish_drafts};
use super::ratings::rate;
use super::{department_named, sales};
use crate::domain::department::DepartmentId;
use crate::domain::goal::{Direction, Goal, GoalId, Owner, Period};
use crate::domain::scoring::{Cycle, CycleConfig, CycleId, CycleState};
use crate::service::{Cascade, OpError, Session, TargetSplit};

/// The closed cycle's name.
pub const CYCLE: &str = "2025 年度考评"; // data: the closed demo cycle's name

/// The year it appraised.
const YEAR: i32 = 2025;

/// Writes the 2025 goals and actuals of the stores the cycle covers, then
/// the cycle itself, rated and closed.
pub fn close_last_year(session: &Session, cast: &Cast) -> Result<(), OpError> {
    let tree = session.department_tree()?;
    let stores: Vec<DepartmentId> = LAST_YEAR_STORES
        .iter()
        .filter_map(|name| department_named(&tree, name))
        .collect();
    set_goals(session, &stores, cast)?;
    let day = |m, d| NaiveDate::from_ymd_opt(YEAR, m, d).unwrap_or_default();
    let cycle = session.add_cycle(Cycle {
        id: CycleId(0),
        name: CYCLE.to_string(),
        period: Period::Year(YEAR),
        starts: day(12, 1),
        ends: day(12, 31),
        scope: stores,
        state: CycleState::Draft,
        config: CycleConfig::default(),
    })?;
    let cycle = session.advance_cycle(cycle.id, CycleState::Open)?;
    rate(session, &cycle, Dice(2025), cast)?;
    for step in [CycleState::Calibrating, CycleState::Closed] {
        session.advance_cycle(cycle.id, step)?;
    }
    Ok(())
}

/// The 2025 goals: the company's sales goal, each store's share of it,
/// cascaded to its people, and each person's growth for the year (dated
/// the 31st of December).
fn set_goals(session: &Session, stores: &[DepartmentId], cast: &Cast) -> Result<(), OpError> {
    let year = Period::Year(YEAR);
    let growth = |target| kpi("sales growth", "%", 0.0, target, Direction::HigherIsBetter);
    let company = add(
        session,
        year,
        "年销售额增长 15% · Annual sales +15%", // data: a demo goal's title
        Owner::Company,
        None,
        100,
        growth(15.0),
    )?;
    let share = 100 / stores.len().max(1) as u32;
    let mut shares = Vec::new();
    for &store in stores {
        shares.push(add(
            session,
            year,
            "门店销售额同比 +15% · Store sales +15%", // data: a demo goal's title
            Owner::Department(store),
            Some(company.id),
            share,
            growth(15.0),
        )?);
    }
    publish_drafts(session)?;
    let year_end = NaiveDate::from_ymd_opt(YEAR, 12, 31).unwrap_or_default();
    let mut actuals = Vec::new();
    for (store, goal) in stores.iter().zip(&shares) {
        let people = session.cascade(&Cascade {
            parent: goal.id,
            title: goal.title.to_string(),
            metric: "store sales growth".to_string(),
            unit: "%".to_string(),
            split: TargetSplit::Each(15.0),
            baseline: 0.0,
        })?;
        actuals.extend(
            people
                .iter()
                .filter_map(|g| year_growth(g, *store, year_end, cast)),
        );
    }
    if !actuals.is_empty() {
        session.record_actuals(&actuals, "demo")?;
    }
    Ok(())
}

/// A person's growth for the year, on their 2025 goal.
fn year_growth(
    goal: &Goal,
    store: DepartmentId,
    year_end: NaiveDate,
    cast: &Cast,
) -> Option<(GoalId, NaiveDate, f64)> {
    let Owner::Employee(person) = goal.owner else {
        return None;
    };
    let value = cast
        .growth(person, year_end)
        .unwrap_or_else(|| sales::growth(store, person, year_end));
    Some((goal.id, year_end, value))
}
