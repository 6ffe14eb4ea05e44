//! The demo company's goals for 2026: four weighted company goals cascaded
//! to departments, the sales department's goal cascaded to every sales rep
//! ("annual sales +20%" → "10 new clients a month" → "100k a month each"),
//! an OKR objective with two key results, three months of actuals for the
//! reps, and each store person's sales growth month by month (the 1st of
//! every month up to today; see `sales`), but for one person whose figures
//! are deliberately not in. Some departments and people are left without
//! goals, so the alignment report has something to show.

use chrono::NaiveDate;

use super::cast::Cast;
use super::dice::Dice;
use super::{department_named, sales};
use crate::domain::department::DepartmentId;
use crate::domain::goal::{
    Aggregation, Direction, Goal, GoalId, GoalStatus, Kpi, Measure, Owner, Period, Weight,
};
use crate::service::{Cascade, OpError, Session, TargetSplit};

/// The demo's goal period.
const YEAR: Period = Period::Year(2026);

/// A KPI: metric, unit, baseline, target, direction.
pub(super) fn kpi(
    metric: &str,
    unit: &str,
    baseline: f64,
    target: f64,
    direction: Direction,
) -> Measure {
    Measure::Kpi(Kpi {
        metric: metric.into(),
        unit: unit.into(),
        baseline,
        target,
        actual: None,
        direction,
        aggregation: Aggregation::Latest,
        months: Vec::new(),
    })
}

/// Adds one goal of `period` (the year 2026 for most).
pub(super) fn add(
    session: &Session,
    period: Period,
    title: &str,
    owner: Owner,
    parent: Option<GoalId>,
    weight: u32,
    measure: Measure,
) -> Result<Goal, OpError> {
    session.add_goal(Goal {
        id: GoalId(0),
        title: title.into(),
        owner,
        period,
        parent,
        weight: Weight(weight * 100),
        status: GoalStatus::Active,
        measure,
        cap_percent: 100,
    })
}

/// Publishes the goals that were added as drafts while their siblings were
/// still being added, now that their weights add up.
pub(super) fn publish_drafts(session: &Session) -> Result<(), OpError> {
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
pub fn set_goals(session: &Session, cast: &Cast) -> Result<(), OpError> {
    use Direction::{HigherIsBetter as Up, LowerIsBetter as Down};
    let tree = session.department_tree()?;
    let department = |name: &str| department_named(&tree, name).unwrap_or(DepartmentId(0));
    let dept = |name: &str| Owner::Department(department(name));
    let company = Owner::Company;

    let sales = add(
        session,
        YEAR,
        "年销售额增长 20% · Annual sales +20%",
        company,
        None,
        50,
        kpi("sales growth", "%", 0.0, 20.0, Up),
    )?;
    let satisfaction = add(
        session,
        YEAR,
        "客户满意度 90 分 · Customer satisfaction 90",
        company,
        None,
        25,
        kpi("satisfaction", "pts", 80.0, 90.0, Up),
    )?;
    let turnover = add(
        session,
        YEAR,
        "员工流失率降至 8% · Staff turnover down to 8%",
        company,
        None,
        15,
        kpi("turnover", "%", 15.0, 8.0, Down),
    )?;
    let digital = add(
        session,
        YEAR,
        "数字化运营 · Digital operations",
        company,
        None,
        10,
        Measure::Objective,
    )?;

    let clients = add(
        session,
        YEAR,
        "每月新增 10 家客户 · 10 new clients a month",
        dept("销售部"),
        Some(sales.id),
        70,
        kpi("new clients", "clients", 0.0, 10.0, Up),
    )?;
    let store_sales = add(
        session,
        YEAR,
        "门店销售额同比 +15% · Store sales +15%",
        dept("门店运营部"),
        Some(sales.id),
        30,
        kpi("store sales growth", "%", 0.0, 15.0, Up),
    )?;
    add(
        session,
        YEAR,
        "门店 NPS 达到 60 · Store NPS 60",
        dept("门店运营部"),
        Some(satisfaction.id),
        100,
        kpi("NPS", "pts", 40.0, 60.0, Up),
    )?;
    add(
        session,
        YEAR,
        "关键岗位流失率 ≤ 8% · Key-role turnover ≤ 8%",
        dept("人力资源部"),
        Some(turnover.id),
        100,
        kpi("turnover", "%", 15.0, 8.0, Down),
    )?;
    let reliable = add(
        session,
        YEAR,
        "系统稳定可靠 · Reliable systems",
        dept("IT Support"),
        Some(digital.id),
        100,
        Measure::Objective,
    )?;
    add(
        session,
        YEAR,
        "可用性 99.9% · Uptime 99.9%",
        dept("IT Support"),
        Some(reliable.id),
        60,
        kpi("uptime", "%", 99.0, 99.9, Up),
    )?;
    add(
        session,
        YEAR,
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
    store_actuals(session, &stores, cast, &mut actuals)?;
    if !actuals.is_empty() {
        session.record_actuals(&actuals, "demo")?;
    }
    Ok(())
}

/// Each store person's sales growth on the 1st of every month of 2026 up
/// to today (none in the future), as `sales` draws it or their part in the
/// story sets it; the unmeasured one has none.
fn store_actuals(
    session: &Session,
    stores: &[Goal],
    cast: &Cast,
    actuals: &mut Vec<(GoalId, NaiveDate, f64)>,
) -> Result<(), OpError> {
    let directory = session.directory()?;
    let today = session.today();
    let months: Vec<NaiveDate> = (1..=12)
        .filter_map(|month| NaiveDate::from_ymd_opt(2026, month, 1))
        .filter(|&first| first <= today)
        .collect();
    for goal in stores {
        let Owner::Employee(person) = goal.owner else {
            continue;
        };
        let store = directory.get(person).map(|e| e.department);
        let Some(store) = store.filter(|_| cast.unmeasured != Some(person)) else {
            continue;
        };
        for &month in &months {
            let value = cast
                .growth(person, month)
                .unwrap_or_else(|| sales::growth(store, person, month));
            actuals.push((goal.id, month, value));
        }
    }
    Ok(())
}
