//! The demo company's goals for 2026: four weighted company goals cascaded
//! to departments, the sales department's goal cascaded to every sales rep
//! ("annual sales +20%" → "10 new clients a month" → "100k a month each"),
//! an OKR objective with two key results, three months of actuals for the
//! reps and each store's sales growth so far. Some departments and people are left without goals, so the
//! alignment report has something to show.

use chrono::NaiveDate;

use super::dice::Dice;
use crate::domain::department::DepartmentId;
use crate::domain::goal::{
    Aggregation, Direction, Goal, GoalId, GoalStatus, Kpi, Measure, Owner, Period, Weight,
};
use crate::service::{Cascade, OpError, Session, TargetSplit};

/// The demo's goal period.
const YEAR: Period = Period::Year(2026);

/// A KPI: metric, unit, baseline, target, direction.
fn kpi(metric: &str, unit: &str, baseline: f64, target: f64, direction: Direction) -> Measure {
    Measure::Kpi(Kpi {
        metric: metric.to_string(),
        unit: unit.to_string(),
        baseline,
        target,
        actual: None,
        direction,
        aggregation: Aggregation::Latest,
        months: Vec::new(),
    })
}

/// Adds one goal of 2026.
fn add(
    session: &Session,
    title: &str,
    owner: Owner,
    parent: Option<GoalId>,
    weight: u32,
    measure: Measure,
) -> Result<Goal, OpError> {
    session.add_goal(Goal {
        id: GoalId(0),
        title: title.to_string(),
        owner,
        period: YEAR,
        parent,
        weight: Weight(weight * 100),
        status: GoalStatus::Active,
        measure,
        cap_percent: 100,
    })
}

/// Publishes the goals that were added as drafts while their siblings were
/// still being added, now that their weights add up.
fn publish_drafts(session: &Session) -> Result<(), OpError> {
    let tree = session.goal_tree()?;
    let today = session.today();
    for goal in tree
        .goals()
        .iter()
        .filter(|g| g.status == GoalStatus::Draft)
    {
        let published = Goal {
            status: GoalStatus::Active,
            ..goal.clone()
        };
        session.update_goal(published, today, None)?;
    }
    Ok(())
}

/// Writes the demo goals; departments are found by name.
pub fn set_goals(session: &Session) -> Result<(), OpError> {
    use Direction::{HigherIsBetter as Up, LowerIsBetter as Down};
    let tree = session.department_tree()?;
    let department = |name: &str| {
        tree.rows()
            .iter()
            .find(|r| r.department.name == name)
            .map_or(DepartmentId(0), |r| r.department.id)
    };
    let dept = |name: &str| Owner::Department(department(name));
    let company = Owner::Company;

    let sales = add(
        session,
        "年销售额增长 20% · Annual sales +20%",
        company,
        None,
        50,
        kpi("sales growth", "%", 0.0, 20.0, Up),
    )?;
    let satisfaction = add(
        session,
        "客户满意度 90 分 · Customer satisfaction 90",
        company,
        None,
        25,
        kpi("satisfaction", "pts", 80.0, 90.0, Up),
    )?;
    let turnover = add(
        session,
        "员工流失率降至 8% · Staff turnover down to 8%",
        company,
        None,
        15,
        kpi("turnover", "%", 15.0, 8.0, Down),
    )?;
    let digital = add(
        session,
        "数字化运营 · Digital operations",
        company,
        None,
        10,
        Measure::Objective,
    )?;

    let clients = add(
        session,
        "每月新增 10 家客户 · 10 new clients a month",
        dept("销售部"),
        Some(sales.id),
        70,
        kpi("new clients", "clients", 0.0, 10.0, Up),
    )?;
    let store_sales = add(
        session,
        "门店销售额同比 +15% · Store sales +15%",
        dept("门店运营部"),
        Some(sales.id),
        30,
        kpi("store sales growth", "%", 0.0, 15.0, Up),
    )?;
    add(
        session,
        "门店 NPS 达到 60 · Store NPS 60",
        dept("门店运营部"),
        Some(satisfaction.id),
        100,
        kpi("NPS", "pts", 40.0, 60.0, Up),
    )?;
    add(
        session,
        "关键岗位流失率 ≤ 8% · Key-role turnover ≤ 8%",
        dept("人力资源部"),
        Some(turnover.id),
        100,
        kpi("turnover", "%", 15.0, 8.0, Down),
    )?;
    let reliable = add(
        session,
        "系统稳定可靠 · Reliable systems",
        dept("IT Support"),
        Some(digital.id),
        100,
        Measure::Objective,
    )?;
    add(
        session,
        "可用性 99.9% · Uptime 99.9%",
        dept("IT Support"),
        Some(reliable.id),
        60,
        kpi("uptime", "%", 99.0, 99.9, Up),
    )?;
    add(
        session,
        "工单一天内解决 · Tickets solved within a day",
        dept("IT Support"),
        Some(reliable.id),
        40,
        kpi("ticket hours", "h", 48.0, 24.0, Down),
    )?;

    publish_drafts(session)?;
    let reps = session.cascade(&Cascade {
        parent: clients.id,
        title: "每月销售 10 万元 · 100k a month".to_string(),
        metric: "monthly sales".to_string(),
        unit: "CNY".to_string(),
        split: TargetSplit::Each(100_000.0),
        baseline: 0.0,
    })?;
    let stores = session.cascade(&Cascade {
        parent: store_sales.id,
        title: "门店销售额同比 +15% · Store sales +15%".to_string(),
        metric: "store sales growth".to_string(),
        unit: "%".to_string(),
        split: TargetSplit::Each(15.0),
        baseline: 0.0,
    })?;
    let mut dice = Dice(0x0047_4F41_4C53);
    let mut actuals = Vec::new();
    for rep in &reps {
        for month in [9, 10, 11] {
            let value = 55_000.0 + (dice.below(90) as f64) * 1_000.0;
            let date = NaiveDate::from_ymd_opt(2026, month, 1).unwrap_or_default();
            actuals.push((rep.id, date, value));
        }
    }
    // Each store's sales growth to the end of October, 4–19 % against 15 %.
    let october = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    for store in &stores {
        let growth = 4.0 + (dice.below(150) as f64) / 10.0;
        actuals.push((store.id, october, growth));
    }
    if !actuals.is_empty() {
        session.record_actuals(&actuals, "demo")?;
    }
    Ok(())
}
