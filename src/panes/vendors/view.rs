//! The Vendors pane: the project on screen and, as chosen with `V`, its
//! vendors ranked with the selected one's breakdown (knocked-out vendors
//! shown with what they lack), the vendors side by side with the best of
//! each criterion marked, the costs year by year against the budget (with
//! the lines that rise and when the implementation falls due), or the
//! chosen vendor's plan against the actual spend. Every criterion scored
//! relative (min–max) says so, and a vendor not piloted is shown as such.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, TableState, Wrap};

use super::{Showing, VendorsView};
use crate::app::App;
use crate::app::report::Report;
use crate::config::theme::Role;
use crate::domain::employee::format_money;
use crate::domain::vendor::scale::Scale;
use crate::domain::vendor::scorecard::CriterionScore;
use crate::domain::vendor::words::{cost_settings, scale_label};
use crate::domain::vendor::{Criterion, Measure, Project};
use crate::service::VendorReport;
use crate::text::clip;
use crate::tr;
use crate::ui::panel::{fit_parts, inside, more_hint};
use crate::ui::table::{Cells, Column, table};

/// Height of the breakdown panel under the ranking.
const DETAIL_ROWS: u16 = 11;

/// A bordered panel `width` columns wide under `title` (cut with `…`
/// when wider than its border).
fn panel<'a>(app: &App, title: String, width: u16) -> Block<'a> {
    let title = clip(&title, usize::from(width.saturating_sub(2))).into_owned();
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme().style(Role::Border))
        .title(Line::styled(title, app.theme().style(Role::Title)))
}

/// A note alone in the pane (nothing to show, or why not).
fn draw_note(app: &App, frame: &mut Frame, area: Rect, lines: Vec<String>) {
    let title = format!(" {} ", tr!("tab.vendors"));
    let text: Vec<Line> = std::iter::once(Line::from(""))
        .chain(
            lines
                .into_iter()
                .map(|l| Line::styled(l, app.theme().style(Role::Text))),
        )
        .collect();
    frame.render_widget(
        Paragraph::new(text)
            .block(panel(app, title, area.width))
            .wrap(Wrap { trim: true }),
        area,
    );
}

pub(super) fn draw(view: &VendorsView, app: &App, frame: &mut Frame, area: Rect) {
    if let Some(refused) = &view.refused {
        return draw_note(
            app,
            frame,
            area,
            vec![tr!("vendor.pane.not_permitted"), refused.clone()],
        );
    }
    let Some(project) = view.project() else {
        return draw_note(app, frame, area, vec![tr!("vendor.pane.no_project")]);
    };
    let Some(report) = &view.report else {
        let problem = view.problem.clone().unwrap_or_default();
        return draw_note(app, frame, area, vec![project.name.clone(), problem]);
    };
    let mut title = project_title(project, report);
    if !view.query.is_empty() {
        title.push_str(&format!("· / {} ", view.query.text()));
    }
    let grid = match view.showing {
        Showing::Ranking => return draw_ranking(view, app, frame, area, title, report),
        Showing::Comparison => comparison_grid(app, title, report),
        Showing::Budget => budget_grid(app, report),
        Showing::Plan if report.plan.is_empty() => {
            return draw_note(app, frame, area, vec![tr!("vendor.rule.none_chosen")]);
        }
        Showing::Plan => plan_grid(app, title, report),
    };
    draw_table(app, frame, area, grid);
}

/// ` name · 300 staff · 80000.00 a year × 3 years · chosen: X `.
fn project_title(project: &Project, report: &VendorReport) -> String {
    let chosen = project
        .chosen
        .and_then(|id| report.vendors.iter().find(|v| v.id == id))
        .map_or_else(|| tr!("vendor.pane.none_chosen"), |v| v.name.clone());
    format!(
        " {} ",
        tr!(
            "vendor.pane.title",
            name = project.name,
            headcount = project.headcount,
            budget = format_money(project.annual_budget),
            years = project.horizon_years,
            chosen = chosen
        )
    )
}

/// A table in a titled panel.
struct Grid<'a> {
    title: String,
    columns: Vec<Column>,
    rows: Vec<Cells<'a>>,
    /// The row highlighted, if any.
    selected: Option<usize>,
}

impl<'a> Grid<'a> {
    /// A table without a highlighted row.
    fn unselected(title: String, columns: Vec<Column>, rows: Vec<Cells<'a>>) -> Self {
        Grid {
            title,
            columns,
            rows,
            selected: None,
        }
    }
}

fn draw_table(app: &App, frame: &mut Frame, area: Rect, grid: Grid<'_>) {
    let room = area.width.saturating_sub(2);
    let table = table(app.theme(), &grid.columns, grid.rows, room)
        .block(panel(app, grid.title, area.width));
    let mut state = TableState::new().with_selected(grid.selected);
    frame.render_stateful_widget(table, area, &mut state);
}

fn draw_ranking(
    view: &VendorsView,
    app: &App,
    frame: &mut Frame,
    area: Rect,
    title: String,
    report: &VendorReport,
) {
    let show_detail = area.height >= DETAIL_ROWS + 6;
    let [table_area, detail_area] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(if show_detail { DETAIL_ROWS } else { 0 }),
    ])
    .areas(area);
    let horizon = report.project.horizon_years;
    let mut rows: Vec<Cells> = report
        .scorecard
        .rows
        .iter()
        .map(|r| {
            let over = report.projection(r.vendor).is_some_and(|p| p.over_budget);
            Cells::new([
                Line::from(r.rank.to_string()),
                Line::from(r.name.clone()),
                Line::from(format!("{:.1}", r.total)),
                Line::from(standing(&r.band, r.not_piloted)),
                Line::from(format_money(r.total_cost)),
                budget_cell(app, over),
            ])
        })
        .collect();
    rows.extend(report.scorecard.disqualified.iter().map(|d| {
        let why = if d.knocked_out() {
            tr!("vendor.pane.knocked_out")
        } else {
            tr!("vendor.pane.not_piloted")
        };
        Cells::new([
            Line::from("—"),
            Line::from(d.name.clone()),
            Line::from(""),
            Line::styled(why, app.theme().style(Role::Error)),
            Line::from(""),
            Line::from(""),
        ])
    }));
    let columns = vec![
        Column::keep("#".to_string(), 2),
        Column::flex(tr!("vendor.pane.col_vendor"), 2),
        Column::keep(tr!("vendor.pane.col_total"), 6),
        Column::flex(tr!("vendor.pane.col_standing"), 1),
        Column::keep(tr!("vendor.pane.col_cost", years = horizon), 13),
        Column::words(tr!("vendor.pane.col_budget"), budget_words()),
    ];
    let selected = (!rows.is_empty()).then_some(view.selected);
    draw_table(
        app,
        frame,
        table_area,
        Grid {
            title,
            columns,
            rows,
            selected,
        },
    );
    if show_detail {
        draw_breakdown(view, app, frame, detail_area, report);
    }
}

fn budget_cell<'a>(app: &App, over: bool) -> Line<'a> {
    if over {
        Line::styled(tr!("vendor.pane.over"), app.theme().style(Role::Error))
    } else {
        Line::styled(tr!("vendor.pane.within"), app.theme().style(Role::Ok))
    }
}

/// The words of the budget column, in the current language.
fn budget_words() -> [String; 2] {
    [tr!("vendor.pane.over"), tr!("vendor.pane.within")]
}

/// A standing, with "not piloted" for a vendor ranked without a pilot.
fn standing(band: &str, not_piloted: bool) -> String {
    if not_piloted {
        format!("{band} · {}", tr!("vendor.pane.not_piloted"))
    } else {
        band.to_string()
    }
}

/// A raw value as people read it: money for the total cost, else a number.
fn raw_text(measure: &Measure, raw: Option<f64>) -> String {
    match (measure, raw) {
        (_, None) => "—".to_string(),
        (Measure::TotalCost, Some(yuan)) => format_money((yuan * 100.0).round() as i64),
        (_, Some(value)) if value.fract() == 0.0 => format!("{value:.0}"),
        (_, Some(value)) => format!("{value:.1}"),
    }
}

/// The selected vendor's total term by term, or why it is out.
fn draw_breakdown(
    view: &VendorsView,
    app: &App,
    frame: &mut Frame,
    area: Rect,
    report: &VendorReport,
) {
    let theme = app.theme();
    let Some((title, lines)) = breakdown(view, report) else {
        return;
    };
    let lines = lines.into_iter().map(|line| vec![line]).collect();
    let (lines, cut) = fit_parts(theme, lines, inside(area), false);
    let mut block = panel(app, format!(" {title} "), area.width);
    if cut {
        block = block.title_bottom(more_hint(app));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The selected vendor's breakdown whole, for the report overlay.
pub(super) fn detail(view: &VendorsView) -> Option<Report> {
    let (title, lines) = breakdown(view, view.report.as_ref()?)?;
    let lines = lines.into_iter().map(|(text, _)| text).collect();
    Some(Report::new(title, lines))
}

/// The selected vendor's breakdown: its title and lines, each in its role.
fn breakdown(view: &VendorsView, report: &VendorReport) -> Option<(String, Vec<(String, Role)>)> {
    let vendor = view.selected_vendor()?;
    let mut lines = Vec::new();
    let title = match report.scorecard.row(vendor) {
        Some(row) => {
            for (criterion, score) in scored_criteria(report).zip(&row.breakdown) {
                lines.push((breakdown_line(criterion, score), Role::Text));
            }
            if !row.missing.is_empty() {
                lines.push((
                    tr!("vendor.pane.missing", what = row.missing.join(", ")),
                    Role::Warning,
                ));
            }
            let relative: Vec<&str> = scored_criteria(report)
                .filter(|c| c.scale.as_ref().is_some_and(Scale::is_relative))
                .map(|c| c.name.as_str())
                .collect();
            if !relative.is_empty() {
                lines.push((
                    tr!("vendor.pane.relative_note", criteria = relative.join(", ")),
                    Role::Warning,
                ));
            }
            tr!(
                "vendor.pane.breakdown",
                vendor = row.name,
                total = format!("{:.1}", row.total)
            )
        }
        None => {
            let out = report
                .scorecard
                .disqualified
                .iter()
                .find(|d| d.vendor == vendor);
            if let Some(out) = out {
                lines.push((out.explain(), Role::Error));
            }
            out.map(|d| d.name.clone()).unwrap_or_default()
        }
    };
    Some((title, lines))
}

/// The project's scored criteria (all but knock-outs), in order.
fn scored_criteria(report: &VendorReport) -> impl Iterator<Item = &Criterion> {
    report
        .project
        .criteria
        .iter()
        .filter(|c| report.scorecard.criteria.contains(&c.name))
}

/// `name (weight %, scale): raw → score × weight = points`.
fn breakdown_line(criterion: &Criterion, score: &CriterionScore) -> String {
    let raw = if score.not_piloted {
        tr!("vendor.pane.not_piloted")
    } else {
        raw_text(&criterion.measure, score.raw)
    };
    tr!(
        "vendor.pane.term",
        name = criterion.name,
        weight = format!("{:.1}", score.weight),
        scale = scale_label(criterion),
        raw = raw,
        score = format!("{:.1}", score.score),
        points = format!("{:.2}", score.points)
    )
}

fn comparison_grid<'a>(app: &App, title: String, report: &'a VendorReport) -> Grid<'a> {
    let theme = app.theme();
    let mut columns = vec![Column::flex(tr!("vendor.pane.col_criterion"), 2)];
    columns.extend(
        report
            .scorecard
            .rows
            .iter()
            .map(|r| Column::flex(r.name.clone(), 1)),
    );
    let rows: Vec<Cells> = scored_criteria(report)
        .enumerate()
        .map(|(index, criterion)| {
            let best = report.scorecard.best_in(index);
            let mut cells = vec![Line::from(format!(
                "{} ({:.0}, {})",
                criterion.name,
                criterion.weight,
                scale_label(criterion)
            ))];
            cells.extend(report.scorecard.rows.iter().map(|r| {
                let term = &r.breakdown[index];
                let text = if term.not_piloted {
                    tr!("vendor.pane.not_piloted")
                } else {
                    format!(
                        "{} ({:.0})",
                        raw_text(&criterion.measure, term.raw),
                        term.score
                    )
                };
                let style = if best.contains(&r.vendor) {
                    theme.style(Role::Highlight)
                } else {
                    Style::default()
                };
                Line::styled(text, style)
            }));
            Cells::new(cells)
        })
        .collect();
    let mut totals = vec![Line::from(tr!("vendor.pane.col_total"))];
    totals.extend(report.scorecard.rows.iter().map(|r| {
        Line::from(format!(
            "{:.1} · {}",
            r.total,
            standing(&r.band, r.not_piloted)
        ))
    }));
    let mut rows = rows;
    rows.push(Cells::new(totals).style(theme.style(Role::Key)));
    Grid::unselected(title, columns, rows)
}

/// The budget view, under a title of the project's name and how its
/// costs are planned (the other views' title leaves no room for that).
fn budget_grid<'a>(app: &App, report: &'a VendorReport) -> Grid<'a> {
    let (rising, flat, due) = cost_settings(&report.project);
    let title = format!(
        " {} · {} ",
        report.project.name,
        tr!(
            "vendor.pane.budget_settings",
            rising = rising,
            flat = flat,
            due = due
        )
    );
    let years = usize::from(report.project.horizon_years);
    let mut columns = vec![Column::flex(tr!("vendor.pane.col_vendor"), 2)];
    columns.extend((1..=years).map(|y| Column::flex(tr!("vendor.pane.year", year = y), 1)));
    columns.push(Column::flex(tr!("vendor.pane.col_cost", years = years), 1));
    columns.push(Column::words(tr!("vendor.pane.col_budget"), budget_words()));
    let rows: Vec<Cells> = report
        .vendors
        .iter()
        .zip(&report.projections)
        .map(|(vendor, plan)| {
            let mut cells = vec![Line::from(vendor.name.clone())];
            cells.extend(plan.years.iter().map(|y| {
                let cell = Line::from(format_money(y.total));
                if y.over_budget {
                    cell.style(app.theme().style(Role::Error))
                } else {
                    cell
                }
            }));
            cells.push(Line::from(format_money(plan.total)));
            cells.push(budget_cell(app, plan.over_budget));
            Cells::new(cells)
        })
        .collect();
    Grid::unselected(title, columns, rows)
}

fn plan_grid<'a>(app: &App, title: String, report: &'a VendorReport) -> Grid<'a> {
    let columns = vec![
        Column::keep(tr!("vendor.pane.col_quarter"), 5),
        Column::keep(tr!("vendor.pane.col_plan"), 11),
        Column::keep(tr!("vendor.pane.col_actual"), 11),
        Column::keep(tr!("vendor.pane.col_variance"), 11),
        Column::flex(tr!("vendor.pane.col_to_date"), 2),
        Column::flex(String::new(), 1),
    ];
    let rows: Vec<Cells> = report
        .plan
        .iter()
        .map(|q| {
            let warning = q.warning().unwrap_or_default();
            Cells::new([
                Line::from(format!("Y{} Q{}", q.year, q.quarter)),
                Line::from(format_money(q.plan)),
                Line::from(q.actual.map(format_money).unwrap_or_default()),
                Line::from(q.variance.map(format_money).unwrap_or_default()),
                Line::from(format!(
                    "{} / {}",
                    format_money(q.cumulative_actual),
                    format_money(q.cumulative_plan)
                )),
                Line::styled(warning, app.theme().style(Role::Warning)),
            ])
        })
        .collect();
    let title = report
        .spent_elsewhere
        .iter()
        .fold(title, |title, (vendor, amount)| {
            let name = report.vendor_name(*vendor);
            let note = tr!(
                "vendor.pane.spent_elsewhere",
                vendor = name,
                amount = format_money(*amount)
            );
            format!("{title}· {note} ")
        });
    Grid::unselected(title, columns, rows)
}
