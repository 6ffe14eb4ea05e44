//! Vendor selection on the command line: `export vendors` (the comparison
//! of every project, or of `--project NAME`, as CSV rows, as JSON for
//! scripts or as a Markdown report for management) and `import vendors
//! FILE --project NAME` (a project's vendors from a sheet, all or nothing;
//! a vendor already in the project is updated). Viewers may export; only
//! hr and admin import. JSON keys and CSV columns are identifiers; money is
//! in yuan with two decimals.

use std::process::ExitCode;

use serde::Serialize;

use super::export::{print_lines, write_rows};
use super::sheet::{refuse, sheet_failure, sheet_text};
use super::{ExportKind, Failure, Format, SheetArgs, read_file, vendor_md};
use crate::domain::employee::format_money;
use crate::domain::vendor::ahp;
use crate::domain::vendor::budget::{Projection, QuarterLine, YearCost};
use crate::domain::vendor::scale::Scale;
use crate::domain::vendor::scorecard::{CriterionScore, Disqualified, VendorScore};
use crate::domain::vendor::{Criterion, CriterionKind, Escalation, Project, VendorId};
use crate::import::{VendorsColumn, read_pairwise};
use crate::service::{Session, VendorReport, VendorsOutcome};
use crate::tr;

/// The refusal of `--format md` for anything but vendors.
pub fn md_for_vendors_only() -> Failure {
    Failure::new(Failure::USAGE, tr!("vendor_cli.md_for_vendors"))
}

/// Every scorecard measure with its unit, for `import vendors --help`.
pub fn measures_help() -> String {
    tr!(
        "vendor_cli.help.measures",
        list = crate::domain::vendor::words::measure_list()
    )
}

/// Refuses, as usage errors, `--format md` and `--project` for any kind
/// but vendors.
pub fn check_export(kind: ExportKind, format: Format, project: bool) -> Result<(), Failure> {
    if kind == ExportKind::Vendors {
        return Ok(());
    }
    if format == Format::Md {
        return Err(md_for_vendors_only());
    }
    if project {
        return Err(Failure::new(
            Failure::USAGE,
            tr!("vendor_cli.project_for_vendors"),
        ));
    }
    Ok(())
}

/// The project named `name` (trimmed, case ignored); an unknown name is
/// invalid input listing the known ones.
fn project_named(session: &Session, name: &str) -> Result<Project, Failure> {
    let projects = session.vendor_projects()?;
    let key = name.trim().to_lowercase();
    if let Some(found) = projects.iter().find(|p| p.name.to_lowercase() == key) {
        return Ok(found.clone());
    }
    let known: Vec<&str> = projects.iter().map(|p| p.name.as_str()).collect();
    let known = if known.is_empty() {
        tr!("vendor_cli.none")
    } else {
        known.join(", ")
    };
    Err(Failure::new(
        Failure::INVALID,
        tr!("vendor_cli.unknown_project", name = name, known = known),
    ))
}

/// The reports of the project named, or of every project.
fn reports(session: &Session, project: Option<&str>) -> Result<Vec<VendorReport>, Failure> {
    let projects = match project {
        Some(name) => vec![project_named(session, name)?],
        None => session.vendor_projects()?,
    };
    projects
        .iter()
        .map(|p| session.vendor_report(p.id).map_err(Failure::from))
        .collect()
}

/// `export vendors [--project NAME]`.
pub fn export_vendors(
    session: &Session,
    format: Format,
    project: Option<&str>,
) -> Result<(), Failure> {
    let reports = reports(session, project)?;
    let mut out = super::out::stdout();
    match format {
        Format::Csv => {
            let rows: Vec<RowOut> = reports.iter().flat_map(csv_rows).collect();
            write_rows(&mut out, &rows, format)
        }
        Format::Json => {
            let projects: Vec<ProjectOut> = reports.iter().map(project_out).collect();
            write_rows(&mut out, &projects, format)
        }
        Format::Md => print_lines(vendor_md::report(&reports)),
    }
}

/// The project named `name`, once the operator is found to be one who
/// may change it (the refusal logged before anything is read).
fn editable_project(session: &Session, name: &str) -> Result<Project, Failure> {
    session.may_edit_vendors()?;
    project_named(session, name)
}

/// `import weights FILE --project NAME`: the criteria's weights from a
/// pairwise comparison sheet, with its consistency ratio; refused (exit 1)
/// when the sheet does not read, names other criteria, or is inconsistent.
pub fn import_weights(
    session: &Session,
    sheet: &SheetArgs,
    project: &str,
) -> Result<ExitCode, Failure> {
    let project = editable_project(session, project)?;
    let bytes = read_file(sheet)?;
    let pairwise = read_pairwise(&bytes)
        .map_err(|e| Failure::new(Failure::INVALID, format!("{}: {e}", sheet.file.display())))?;
    let found = session.set_pairwise_weights(
        project.id,
        &pairwise.names,
        &pairwise.matrix,
        sheet.dry_run,
    )?;
    let weights: Vec<String> = pairwise
        .names
        .iter()
        .zip(ahp::hundredths(&found.weights))
        .map(|(name, w)| format!("{name} {}.{:02}%", w / 100, w % 100))
        .collect();
    let cr = format!("{:.3}", found.cr);
    let summary = if sheet.dry_run {
        tr!(
            "vendor_cli.weights.dry_run",
            cr = cr,
            project = project.name
        )
    } else {
        tr!("vendor_cli.weights.done", cr = cr, project = project.name)
    };
    print_lines([summary, weights.join(", ")])?;
    Ok(ExitCode::SUCCESS)
}

/// `import vendors FILE --project NAME [--dry-run]`: the permission is
/// checked before the file is read.
pub fn import_vendors(
    session: &Session,
    sheet: &SheetArgs,
    project: &str,
) -> Result<ExitCode, Failure> {
    let project = editable_project(session, project)?;
    let text = sheet_text::<VendorsColumn>(sheet)?;
    let imported = session.import_vendors(project.id, text.sheet_rows(), sheet.dry_run);
    match imported.map_err(|err| sheet_failure(&sheet.file, err))? {
        VendorsOutcome::Problems(problems) => refuse(&sheet.file, &problems),
        VendorsOutcome::Clean { added, updated } => {
            let (added, updated, project) = (added, updated, &project.name);
            print_lines([if sheet.dry_run {
                tr!(
                    "vendor_cli.import.dry_run",
                    added = added,
                    updated = updated,
                    project = project
                )
            } else {
                tr!(
                    "vendor_cli.import.done",
                    added = added,
                    updated = updated,
                    project = project
                )
            }])?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The vendors of a report in the order reports show them: the ranked
/// ones best first, then the knocked out.
pub(super) fn in_rank_order(report: &VendorReport) -> impl Iterator<Item = VendorId> + '_ {
    let ranked = report.scorecard.rows.iter().map(|r| r.vendor);
    ranked.chain(report.scorecard.disqualified.iter().map(|d| d.vendor))
}

/// The chosen vendor's name, once chosen.
pub(super) fn chosen_name(report: &VendorReport) -> Option<String> {
    report.project.chosen.map(|id| report.vendor_name(id))
}

/// Money that may be below 0 (a variance), in yuan.
pub(super) fn signed_money(fen: i64) -> String {
    match fen.checked_neg() {
        Some(positive) if fen < 0 => format!("-{}", format_money(positive)),
        _ => format_money(fen),
    }
}

/// A figure to two decimals.
pub(super) fn two_places(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// One vendor of one project, as a CSV row.
#[derive(Serialize)]
struct RowOut {
    project: String,
    /// Empty for a knocked-out vendor, as are the standing and the total.
    rank: Option<usize>,
    vendor: String,
    standing: Option<String>,
    total: Option<String>,
    total_cost: String,
    horizon_budget: String,
    over_budget: bool,
    /// The must-haves missing, separated by `;`.
    knocked_out_for: String,
    /// Ranked without a pilot (re-weighted), or out for want of one.
    not_piloted: bool,
    /// The project's criteria scored relative (min–max), separated by `;`.
    relative_criteria: String,
}

fn csv_rows(report: &VendorReport) -> Vec<RowOut> {
    in_rank_order(report)
        .map(|id| {
            let row = report.scorecard.row(id);
            let projection = report.projection(id);
            let out = report
                .scorecard
                .disqualified
                .iter()
                .find(|d| d.vendor == id);
            RowOut {
                project: report.project.name.clone(),
                rank: row.map(|r| r.rank),
                vendor: report.vendor_name(id),
                standing: row.map(|r| r.band.clone()),
                total: row.map(|r| format!("{:.2}", r.total)),
                total_cost: projection.map_or_else(String::new, |p| format_money(p.total)),
                horizon_budget: projection.map_or_else(String::new, |p| format_money(p.budget)),
                over_budget: projection.is_some_and(|p| p.over_budget),
                knocked_out_for: out.map_or_else(String::new, |d| d.missing.join(";")),
                not_piloted: row
                    .map_or_else(|| out.is_some_and(|d| d.not_piloted), |r| r.not_piloted),
                relative_criteria: relative_criteria(&report.project).join(";"),
            }
        })
        .collect()
}

/// One project, as JSON.
#[derive(Serialize)]
struct ProjectOut {
    name: String,
    headcount: u32,
    industry: String,
    deployment: &'static str,
    modules: Vec<String>,
    annual_budget: String,
    horizon_years: u8,
    growth_pct: f64,
    /// The chosen vendor's name.
    chosen: Option<String>,
    criteria: Vec<CriterionOut>,
    ranking: Vec<RankOut>,
    disqualified: Vec<DisqualifiedOut>,
    budget: Vec<ProjectionOut>,
    /// The chosen vendor's quarters from `chosen_from`; empty until one is chosen.
    plan: Vec<QuarterOut>,
    /// The quarter the chosen vendor's plan starts (`Y1 Q1`).
    chosen_from: String,
    /// `disqualify` or `reweight`.
    unpiloted: &'static str,
    /// The quarters of year 1 the implementation falls due in.
    implementation_quarters: Vec<u8>,
    /// Whether each recurring cost line rises by the vendor's escalation.
    escalation: Escalation,
    /// Spend paid to vendors chosen before, by vendor.
    spent_elsewhere: Vec<SpentOut>,
}

#[derive(Serialize)]
struct SpentOut {
    vendor: String,
    amount: String,
}

#[derive(Serialize)]
struct CriterionOut {
    name: String,
    kind: &'static str,
    measure: String,
    weight: f64,
    /// `worst..best`, `value=score,…` or `relative`; none for rubrics and
    /// knock-outs.
    scale: Option<String>,
    /// Scored min–max across the vendors listed.
    relative: bool,
}

#[derive(Serialize)]
struct RankOut {
    rank: usize,
    vendor: String,
    total: f64,
    standing: String,
    total_cost: String,
    breakdown: Vec<ScoreOut>,
    /// The criteria whose value is unknown.
    missing: Vec<String>,
    /// Ranked without a pilot, the other criteria re-weighted.
    not_piloted: bool,
}

#[derive(Serialize)]
struct ScoreOut {
    criterion: String,
    /// Costs in yuan; None when unknown.
    raw: Option<f64>,
    score: f64,
    /// The weight it counted with (re-weighted for a vendor not piloted).
    weight: f64,
    points: f64,
    not_piloted: bool,
}

#[derive(Serialize)]
struct DisqualifiedOut {
    vendor: String,
    missing: Vec<String>,
    not_piloted: bool,
}

#[derive(Serialize)]
struct ProjectionOut {
    vendor: String,
    years: Vec<YearOut>,
    total: String,
    budget: String,
    over_budget: bool,
}

#[derive(Serialize)]
struct YearOut {
    year: u8,
    headcount: u32,
    software: String,
    implementation: String,
    training: String,
    maintenance: String,
    total: String,
    budget: String,
    over_budget: bool,
}

#[derive(Serialize)]
struct QuarterOut {
    year: u8,
    quarter: u8,
    plan: String,
    actual: Option<String>,
    variance: Option<String>,
    cumulative_plan: String,
    cumulative_actual: String,
    over_plan: bool,
}

/// The code a criterion's kind is named by.
fn kind_code(kind: CriterionKind) -> &'static str {
    match kind {
        CriterionKind::Benefit => "benefit",
        CriterionKind::Cost => "cost",
        CriterionKind::Rubric => "rubric",
        CriterionKind::KnockOut => "knock_out",
    }
}

fn project_out(report: &VendorReport) -> ProjectOut {
    let project = &report.project;
    ProjectOut {
        name: project.name.clone(),
        headcount: project.headcount,
        industry: project.industry.clone(),
        deployment: project.deployment.code(),
        modules: project.modules.clone(),
        annual_budget: format_money(project.annual_budget),
        horizon_years: project.horizon_years,
        growth_pct: project.growth_pct,
        chosen: chosen_name(report),
        criteria: project.criteria.iter().map(criterion_out).collect(),
        ranking: report.scorecard.rows.iter().map(rank_out).collect(),
        disqualified: report
            .scorecard
            .disqualified
            .iter()
            .map(disqualified_out)
            .collect(),
        budget: in_rank_order(report)
            .filter_map(|id| report.projection(id))
            .map(|p| projection_out(report, p))
            .collect(),
        plan: report.plan.iter().map(quarter_out).collect(),
        chosen_from: project.chosen_from.to_string(),
        unpiloted: project.unpiloted.code(),
        implementation_quarters: project.implementation_quarters.clone(),
        escalation: project.escalation,
        spent_elsewhere: report
            .spent_elsewhere
            .iter()
            .map(|(vendor, amount)| SpentOut {
                vendor: report.vendor_name(*vendor),
                amount: format_money(*amount),
            })
            .collect(),
    }
}

/// The names of the project's criteria scored relative.
pub(super) fn relative_criteria(project: &Project) -> Vec<String> {
    project
        .criteria
        .iter()
        .filter(|c| c.scale.as_ref().is_some_and(Scale::is_relative))
        .map(|c| c.name.clone())
        .collect()
}

fn criterion_out(c: &Criterion) -> CriterionOut {
    CriterionOut {
        name: c.name.clone(),
        kind: kind_code(c.kind),
        measure: c.measure.code(),
        weight: c.weight,
        scale: c.scale.as_ref().map(Scale::code),
        relative: c.scale.as_ref().is_some_and(Scale::is_relative),
    }
}

fn rank_out(row: &VendorScore) -> RankOut {
    RankOut {
        rank: row.rank,
        vendor: row.name.clone(),
        total: two_places(row.total),
        standing: row.band.clone(),
        total_cost: format_money(row.total_cost),
        breakdown: row.breakdown.iter().map(score_out).collect(),
        missing: row.missing.clone(),
        not_piloted: row.not_piloted,
    }
}

fn score_out(c: &CriterionScore) -> ScoreOut {
    ScoreOut {
        criterion: c.criterion.clone(),
        raw: c.raw.map(two_places),
        score: two_places(c.score),
        weight: two_places(c.weight),
        points: two_places(c.points),
        not_piloted: c.not_piloted,
    }
}

fn disqualified_out(d: &Disqualified) -> DisqualifiedOut {
    DisqualifiedOut {
        vendor: d.name.clone(),
        missing: d.missing.clone(),
        not_piloted: d.not_piloted,
    }
}

fn projection_out(report: &VendorReport, p: &Projection) -> ProjectionOut {
    ProjectionOut {
        vendor: report.vendor_name(p.vendor),
        years: p.years.iter().map(year_out).collect(),
        total: format_money(p.total),
        budget: format_money(p.budget),
        over_budget: p.over_budget,
    }
}

fn year_out(y: &YearCost) -> YearOut {
    YearOut {
        year: y.year,
        headcount: y.headcount,
        software: format_money(y.software),
        implementation: format_money(y.implementation),
        training: format_money(y.training),
        maintenance: format_money(y.maintenance),
        total: format_money(y.total),
        budget: format_money(y.budget),
        over_budget: y.over_budget,
    }
}

fn quarter_out(q: &QuarterLine) -> QuarterOut {
    QuarterOut {
        year: q.year,
        quarter: q.quarter,
        plan: format_money(q.plan),
        actual: q.actual.map(format_money),
        variance: q.variance.map(signed_money),
        cumulative_plan: format_money(q.cumulative_plan),
        cumulative_actual: format_money(q.cumulative_actual),
        over_plan: q.over_plan,
    }
}
