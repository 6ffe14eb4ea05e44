//! The vendor comparison as a Markdown report for management, in the
//! operator's language: per project its profile and cost settings, the
//! ranking (vendors not piloted marked), the vendors side by side (each
//! criterion's scale, relative ones marked; the best value of each in
//! bold), the vendors out and why, the costs against the budget year by
//! year (years over budget marked), and the chosen vendor's plan against
//! the spend (quarters over plan marked, with its warnings).

use super::vendors::{chosen_name, in_rank_order, signed_money, two_places};
use crate::domain::employee::format_money;
use crate::domain::vendor::budget::{QuarterLine, YearCost};
use crate::domain::vendor::scorecard::VendorScore;
use crate::domain::vendor::words::{cost_settings, scale_label};
use crate::domain::vendor::{Deployment, VendorId};
use crate::service::VendorReport;
use crate::tr;

/// What a table cell shows for a value not known (yet).
const UNKNOWN: &str = "—";

/// The report of every project, one after another.
pub fn report(reports: &[VendorReport]) -> Vec<String> {
    if reports.is_empty() {
        return vec![tr!("vendor_cli.md.no_projects")];
    }
    reports.iter().flat_map(project).collect()
}

/// One project's report.
fn project(report: &VendorReport) -> Vec<String> {
    let title = tr!("vendor_cli.md.title", project = report.project.name);
    let mut lines = vec![
        format!("# {}", escape(&title)),
        String::new(),
        profile(report),
    ];
    lines.extend(ranking(report));
    lines.extend(comparison(report));
    lines.extend(knocked_out(report));
    lines.extend(budget(report));
    lines.extend(plan(report));
    lines.push(String::new());
    lines
}

/// A section's heading, after a blank line.
fn heading(text: String) -> [String; 3] {
    [
        String::new(),
        format!("## {}", escape(&text)),
        String::new(),
    ]
}

/// Cell text with Markdown's table separator escaped.
fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A table: its header, the alignment row (numbers to the right) and its rows.
fn table(header: Vec<String>, numeric: &[bool], rows: Vec<Vec<String>>) -> Vec<String> {
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let align = (0..header.len())
        .map(|i| match numeric.get(i) {
            Some(true) => "---:".to_string(),
            _ => "---".to_string(),
        })
        .collect();
    let header = header.iter().map(|h| escape(h)).collect();
    [line(header), line(align)]
        .into_iter()
        .chain(rows.into_iter().map(line))
        .collect()
}

/// The deployment as people call it.
fn deployment(d: Deployment) -> String {
    match d {
        Deployment::Saas => tr!("vendor_cli.md.saas"),
        Deployment::PrivateCloud => tr!("vendor_cli.md.private_cloud"),
    }
}

/// A figure without trailing zeros (at most two decimals).
fn figure(value: f64) -> String {
    let text = format!("{:.2}", two_places(value));
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn profile(report: &VendorReport) -> String {
    let p = &report.project;
    let mut line = tr!(
        "vendor_cli.md.profile",
        headcount = p.headcount,
        industry = escape(&p.industry),
        deployment = deployment(p.deployment),
        modules = escape(&p.modules.join(", ")),
        budget = format_money(p.annual_budget),
        years = p.horizon_years,
        growth = figure(p.growth_pct)
    );
    if let Some(name) = chosen_name(report) {
        line.push(' ');
        line.push_str(&tr!("vendor_cli.md.chosen", vendor = escape(&name)));
    }
    let (rising, flat, due) = cost_settings(p);
    line.push(' ');
    line.push_str(&tr!(
        "vendor_cli.md.settings",
        unpiloted = p.unpiloted.label(),
        due = due,
        rising = rising,
        flat = flat
    ));
    line
}

/// Within or over budget over the horizon.
fn budget_status(over: bool) -> String {
    if over {
        tr!("vendor_cli.md.over_budget")
    } else {
        tr!("vendor_cli.md.within_budget")
    }
}

fn ranking(report: &VendorReport) -> Vec<String> {
    let mut lines = heading(tr!("vendor_cli.md.ranking")).to_vec();
    if report.scorecard.rows.is_empty() {
        lines.push(tr!("vendor_cli.md.no_qualified"));
        return lines;
    }
    let header = vec![
        tr!("vendor_cli.md.rank"),
        tr!("vendor_cli.md.vendor"),
        tr!("vendor_cli.md.total"),
        tr!("vendor_cli.md.standing"),
        tr!("vendor_cli.md.cost", years = report.project.horizon_years),
        tr!("vendor_cli.md.budget_status"),
    ];
    let rows = report
        .scorecard
        .rows
        .iter()
        .map(|r| ranking_row(report, r))
        .collect();
    lines.extend(table(
        header,
        &[true, false, true, false, true, false],
        rows,
    ));
    lines
}

fn ranking_row(report: &VendorReport, row: &VendorScore) -> Vec<String> {
    let over = report.projection(row.vendor).is_some_and(|p| p.over_budget);
    vec![
        row.rank.to_string(),
        escape(&row.name),
        format!("{:.2}", row.total),
        if row.not_piloted {
            tr!("vendor_cli.md.not_piloted_mark", band = escape(&row.band))
        } else {
            escape(&row.band)
        },
        format_money(row.total_cost),
        budget_status(over),
    ]
}

/// Criteria as rows, qualified vendors as columns.
fn comparison(report: &VendorReport) -> Vec<String> {
    let card = &report.scorecard;
    if card.rows.is_empty() {
        return Vec::new();
    }
    let mut lines = heading(tr!("vendor_cli.md.comparison")).to_vec();
    lines.push(tr!("vendor_cli.md.comparison_note"));
    lines.push(String::new());
    let mut header = vec![
        tr!("vendor_cli.md.criterion"),
        tr!("vendor_cli.md.weight"),
        tr!("vendor_cli.md.scale"),
    ];
    header.extend(card.rows.iter().map(|r| r.name.clone()));
    let mut numeric = vec![false, true, false];
    numeric.extend(card.rows.iter().map(|_| true));
    let rows = card
        .criteria
        .iter()
        .enumerate()
        .map(|(index, name)| comparison_row(report, index, name))
        .collect();
    lines.extend(table(header, &numeric, rows));
    lines
}

fn comparison_row(report: &VendorReport, index: usize, name: &str) -> Vec<String> {
    let best = report.scorecard.best_in(index);
    let criterion = report.project.criteria.iter().find(|c| c.name == name);
    let weight = criterion.map_or(0.0, |c| c.weight);
    let scale = criterion.map(scale_label).unwrap_or_default();
    let mut cells = vec![escape(name), format!("{}%", figure(weight)), escape(&scale)];
    cells.extend(
        report
            .scorecard
            .rows
            .iter()
            .map(|row| score_cell(row, index, &best)),
    );
    cells
}

/// A vendor's raw value and score on one criterion; bold when the best.
fn score_cell(row: &VendorScore, index: usize, best: &[VendorId]) -> String {
    let Some(score) = row.breakdown.get(index) else {
        return UNKNOWN.to_string();
    };
    if score.not_piloted {
        return tr!("vendor.pane.not_piloted");
    }
    let Some(raw) = score.raw else {
        return UNKNOWN.to_string();
    };
    let value = figure(raw);
    let text = format!("{value} ({})", figure(score.score));
    if best.contains(&row.vendor) {
        format!("**{text}**")
    } else {
        text
    }
}

fn knocked_out(report: &VendorReport) -> Vec<String> {
    let out = &report.scorecard.disqualified;
    if out.is_empty() {
        return Vec::new();
    }
    let mut lines = heading(tr!("vendor_cli.md.knocked_out")).to_vec();
    lines.extend(out.iter().map(|d| format!("- {}", escape(&d.explain()))));
    lines
}

/// Every vendor's cost year by year, and over the horizon against the budget.
fn budget(report: &VendorReport) -> Vec<String> {
    let years = report.project.horizon_years;
    let mut lines = heading(tr!("vendor_cli.md.budget")).to_vec();
    let mut header = vec![tr!("vendor_cli.md.vendor")];
    header.extend((1..=years).map(|year| tr!("vendor_cli.md.year", year = year)));
    header.extend([
        tr!("vendor_cli.md.horizon_total"),
        tr!("vendor_cli.md.horizon_budget"),
        tr!("vendor_cli.md.budget_status"),
    ]);
    let mut numeric = vec![false];
    numeric.extend((0..years).map(|_| true));
    numeric.extend([true, true, false]);
    let rows = in_rank_order(report)
        .filter_map(|id| report.projection(id))
        .map(|p| {
            let mut cells = vec![escape(&report.vendor_name(p.vendor))];
            cells.extend(p.years.iter().map(year_cell));
            cells.extend([
                format_money(p.total),
                format_money(p.budget),
                budget_status(p.over_budget),
            ]);
            cells
        })
        .collect();
    lines.extend(table(header, &numeric, rows));
    lines
}

/// A year's cost, marked with how much it is over the budget when it is.
fn year_cell(year: &YearCost) -> String {
    let total = format_money(year.total);
    if year.over_budget {
        let over = format_money(year.total.saturating_sub(year.budget));
        format!("{total} {}", tr!("vendor_cli.md.year_over", amount = over))
    } else {
        total
    }
}

/// The chosen vendor's plan against the spend, quarter by quarter, then
/// the warnings of the quarters over plan.
fn plan(report: &VendorReport) -> Vec<String> {
    let Some(name) = chosen_name(report).filter(|_| !report.plan.is_empty()) else {
        return Vec::new();
    };
    let mut lines = heading(tr!("vendor_cli.md.plan", vendor = name)).to_vec();
    let header = vec![
        tr!("vendor_cli.md.quarter"),
        tr!("vendor_cli.md.planned"),
        tr!("vendor_cli.md.actual"),
        tr!("vendor_cli.md.variance"),
        tr!("vendor_cli.md.cumulative_plan"),
        tr!("vendor_cli.md.cumulative_actual"),
        tr!("vendor_cli.md.over_plan"),
    ];
    let rows = report.plan.iter().map(quarter_row).collect();
    lines.extend(table(
        header,
        &[false, true, true, true, true, true, false],
        rows,
    ));
    for (vendor, amount) in &report.spent_elsewhere {
        lines.push(String::new());
        lines.push(tr!(
            "vendor_cli.md.spent_elsewhere",
            vendor = escape(&report.vendor_name(*vendor)),
            amount = format_money(*amount)
        ));
    }
    let warnings: Vec<String> = report
        .plan
        .iter()
        .filter_map(QuarterLine::warning)
        .collect();
    if !warnings.is_empty() {
        lines.push(String::new());
        lines.extend(warnings.iter().map(|w| format!("> **{}**", escape(w))));
    }
    lines
}

fn quarter_row(q: &QuarterLine) -> Vec<String> {
    let unknown = || UNKNOWN.to_string();
    vec![
        tr!(
            "vendor_cli.md.year_quarter",
            year = q.year,
            quarter = q.quarter
        ),
        format_money(q.plan),
        q.actual.map_or_else(unknown, format_money),
        q.variance.map_or_else(unknown, signed_money),
        format_money(q.cumulative_plan),
        if q.actual.is_some() {
            format_money(q.cumulative_actual)
        } else {
            unknown()
        },
        if q.over_plan {
            tr!("vendor_cli.md.over_plan_mark")
        } else {
            String::new()
        },
    ]
}
