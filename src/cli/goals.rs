//! `hrdesk check goals` (the alignment report; exit 1 when there are gaps)
//! and `hrdesk export goals` (every goal with its computed progress).

use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use super::export::{joined_lines, print_batches, print_lines, stream_rows, write_each};
use super::sheet::print_problems;
use super::{Failure, Format, SheetArgs, read_file};
use crate::domain::goal::check::{Gap, alignment_gaps};
use crate::domain::goal::rules::owner_name;
use crate::domain::goal::{Direction, GoalId, Measure, Owner, Period};
use crate::import::{SheetColumn, read_actuals};
use crate::service::{ActualsOutcome, Session};
use crate::tr;

#[derive(Debug, Subcommand)]
pub enum CheckCommand {
    #[command(about = tr!("cli.help.check_goals"))]
    Goals {
        #[arg(long, value_name = "PERIOD", help = tr!("cli.help.period"))]
        period: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text, help = tr!("cli.help.report_format"))]
        format: ReportFormat,
    },
}

/// `hrdesk goals …`.
#[derive(Debug, Subcommand)]
pub enum GoalsCommand {
    #[command(about = tr!("goal.cli.publish_help"))]
    Publish {
        #[arg(help = tr!("goal.cli.goal_id"))]
        id: String,
    },
    #[command(about = tr!("goal.cli.not_achieved_help"))]
    NotAchieved {
        #[arg(help = tr!("goal.cli.goal_id"))]
        id: String,
        #[arg(long, help = tr!("goal.cli.reason_help"))]
        reason: String,
    },
}

/// `ID` as a goal id; a bad one is a usage error.
fn goal_arg(id: &str) -> Result<GoalId, Failure> {
    GoalId::parse(id)
        .ok_or_else(|| Failure::new(Failure::USAGE, tr!("goal.error.goal_ref", value = id)))
}

/// `hrdesk goals publish ID`: a draft becomes active once the weights add
/// up; `hrdesk goals not-achieved ID --reason …`: HR closes a goal with no
/// progress as its result.
pub fn run(session: &Session, command: GoalsCommand) -> Result<ExitCode, Failure> {
    match command {
        GoalsCommand::NotAchieved { id, reason } => {
            let closed = session.close_not_achieved(goal_arg(&id)?, &reason)?;
            print_lines([tr!(
                "goal.cli.closed_not_achieved",
                goal = format!("{} {}", closed.id, closed.title)
            )])?;
            Ok(ExitCode::SUCCESS)
        }
        GoalsCommand::Publish { id } => {
            let goal = goal_arg(&id)?;
            let published = session.publish_goal(goal)?;
            print_lines([tr!(
                "goal.cli.published",
                goal = format!("{} {}", published.id, published.title)
            )])?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// How a report is written: lines for people, or JSON for scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

/// Reads `--period`; a bad one is a usage error.
pub fn parse_period(text: Option<&str>) -> Result<Option<Period>, Failure> {
    text.map(|t| {
        t.parse::<Period>()
            .map_err(|e| Failure::new(Failure::USAGE, format!("--period: {e}")))
    })
    .transpose()
}

/// One gap as JSON.
#[derive(Serialize)]
struct GapOut {
    kind: &'static str,
    goal_id: Option<u64>,
    department_id: Option<u64>,
    employee_id: Option<u64>,
    message: String,
}

/// How many gaps are told at a time.
const GAPS_PER_BATCH: usize = 4096;

pub fn run_check(command: CheckCommand, session: &Session) -> Result<ExitCode, Failure> {
    let CheckCommand::Goals { period, format } = command;
    let period = parse_period(period.as_deref())?;
    let (goals, people) = session.goal_outlines()?;
    let gaps = alignment_gaps(&goals, &people, period);
    match format {
        ReportFormat::Text => {
            let shown = period.map_or_else(|| tr!("goal.report.all_periods"), |p| p.to_string());
            let heading = tr!("goal.report.heading", period = shown, count = gaps.len());
            print_lines([heading])?;
            print_batches(&gaps, GAPS_PER_BATCH, |_, batch| {
                Ok(joined_lines(
                    batch
                        .iter()
                        .map(|gap| format!("- {}", gap.describe(&goals, &people))),
                ))
            })?;
        }
        ReportFormat::Json => {
            let rows = gaps.iter().map(|gap| {
                let (goal_id, department_id, employee_id) = match gap {
                    Gap::Uncascaded(g) | Gap::Misplaced(g, _) => (Some(g.0), None, None),
                    Gap::WeightsOff(g, _) => (g.map(|g| g.0), None, None),
                    Gap::DepartmentWithoutGoal(d) => (None, Some(d.0), None),
                    Gap::EmployeeWithoutGoal(e) => (None, None, Some(e.0)),
                    Gap::DepartedOwner(g, e) => (Some(g.0), None, Some(e.0)),
                };
                GapOut {
                    kind: gap.kind(),
                    goal_id,
                    department_id,
                    employee_id,
                    message: gap.describe(&goals, &people),
                }
            });
            write_each(&mut super::out::stdout(), rows, Format::Json)?;
        }
    }
    Ok(if gaps.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(Failure::INVALID)
    })
}

/// `import actuals FILE`: every row checked, then all recorded in one
/// transaction; any problem prints `FILE:LINE: column: reason`, writes
/// nothing and exits 1.
pub fn import_actuals(session: &Session, sheet: &SheetArgs) -> Result<ExitCode, Failure> {
    let (file, dry_run) = (sheet.file.as_path(), sheet.dry_run);
    let bytes = read_file(sheet)?;
    let rows = read_actuals(&bytes)
        .map_err(|e| Failure::new(Failure::INVALID, format!("{}: {e}", file.display())))?;
    let source = super::sheet::source_name(file);
    match session.import_actuals(&rows, &source, dry_run)? {
        ActualsOutcome::Problems(problems) => {
            print_problems(
                file,
                problems
                    .iter()
                    .map(|p| (p.line, p.column.map(SheetColumn::code), p.message.as_str())),
            )?;
            Err(Failure::new(
                Failure::INVALID,
                tr!("goal.import.refused", count = problems.len()),
            ))
        }
        ActualsOutcome::Clean { actuals, goals } => {
            let line = if dry_run {
                tr!("goal.import.dry_run", actuals = actuals, goals = goals)
            } else {
                tr!("goal.import.done", actuals = actuals, goals = goals)
            };
            print_lines([line])?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One goal in the export.
#[derive(Serialize)]
struct GoalOut {
    id: u64,
    title: String,
    owner_kind: &'static str,
    owner: String,
    period: String,
    parent_id: Option<u64>,
    weight: String,
    status: &'static str,
    kind: &'static str,
    metric: String,
    unit: String,
    baseline: Option<f64>,
    target: Option<f64>,
    actual: Option<f64>,
    direction: Option<&'static str>,
    aggregation: Option<&'static str>,
    cap_percent: u16,
    progress_percent: f64,
}

/// Writes the goals of `period` (all for `None`) with their progress.
pub fn export_goals(
    session: &Session,
    period: Option<Period>,
    format: Format,
) -> Result<(), Failure> {
    stream_rows(format, |rows| {
        Ok(session.export_goals(period, |g, progress, people| {
            let kpi = match &g.measure {
                Measure::Kpi(kpi) => Some(kpi),
                Measure::Objective => None,
            };
            rows.push(&GoalOut {
                id: g.id.0,
                title: g.title.to_string(),
                owner_kind: match g.owner {
                    Owner::Company => "company",
                    Owner::Department(_) => "department",
                    Owner::Employee(_) => "employee",
                },
                owner: match g.owner {
                    Owner::Employee(e) => people
                        .who(e)
                        .map_or_else(|| e.to_string(), |(number, _)| number.to_string()),
                    other => owner_name(other, people),
                },
                period: g.period.to_string(),
                parent_id: g.parent.map(|p| p.0),
                weight: g.weight.to_string(),
                status: g.status.code(),
                kind: if kpi.is_some() { "kpi" } else { "objective" },
                metric: kpi.map(|k| k.metric.to_string()).unwrap_or_default(),
                unit: kpi.map(|k| k.unit.to_string()).unwrap_or_default(),
                baseline: kpi.map(|k| k.baseline),
                target: kpi.map(|k| k.target),
                actual: kpi.and_then(|k| k.actual),
                direction: kpi.map(|k| match k.direction {
                    Direction::HigherIsBetter => "higher",
                    Direction::LowerIsBetter => "lower",
                }),
                aggregation: kpi.map(|k| k.aggregation.code()),
                cap_percent: g.cap_percent,
                progress_percent: (progress * 1000.0).round() / 10.0,
            })
        })?)
    })
}
