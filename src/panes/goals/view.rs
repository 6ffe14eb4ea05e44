//! The Goals pane: the goal tree (indented, ▸ collapsed / ▾ expanded) with
//! owner, weight, target, actual and a progress bar per goal, and under it
//! the selected goal's details, its actuals as a sparkline and its weight
//! history.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline};

use super::forms::number_text;
use super::{GoalRow, GoalsView, OWNER_NAME, OWNER_NUMBER};
use crate::app::App;
use crate::app::report::Report;
use crate::config::theme::Role;
use crate::domain::goal::{Direction, GoalStatus, Measure};
use crate::tr;
use crate::ui::panel::{Parts, fit_parts, inside, more_hint, plain, title};
use crate::ui::table::{Cells, Column, ListTable, draw_list};

/// Height of the detail panel under the tree.
const DETAIL_ROWS: u16 = 8;
/// Actuals and weight changes the panel shows (the latest).
const SHOWN_HISTORY: usize = 2;
/// Cells of the progress bar.
const BAR_CELLS: usize = 8;

pub(super) fn draw(view: &GoalsView, app: &App, frame: &mut Frame, area: Rect) {
    let selected = view.list.selected();
    let show_detail = area.height >= DETAIL_ROWS + 8 && selected.is_some();
    let [tree_area, detail_area] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(if show_detail { DETAIL_ROWS } else { 0 }),
    ])
    .areas(area);
    draw_tree(view, app, frame, tree_area);
    if show_detail && let Some(row) = selected {
        draw_detail(app, view, row, frame, detail_area);
    }
}

/// `progress` (a fraction) as a bar and a percentage: `█████░░░  63%`.
fn progress_bar(progress: f64) -> String {
    let filled = ((progress.min(1.0) * BAR_CELLS as f64).round() as usize).min(BAR_CELLS);
    format!(
        "{}{} {:>3.0}%",
        "█".repeat(filled),
        "░".repeat(BAR_CELLS - filled),
        progress * 100.0
    )
}

/// A KPI value with its unit: `100000 CNY`.
fn with_unit(value: f64, unit: &str) -> String {
    if unit.is_empty() {
        number_text(value)
    } else {
        format!("{} {unit}", number_text(value))
    }
}

fn draw_tree(view: &GoalsView, app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let make_row = |row: &GoalRow| {
        let goal = view.tree.at(row.slot());
        let marker = match (
            view.tree.has_children(row.slot()),
            view.expanded.contains(&row.id),
        ) {
            (false, _) => "  ",
            (true, true) => "▾ ",
            (true, false) => "▸ ",
        };
        let indent = format!("{}{marker}", "  ".repeat(usize::from(row.depth)));
        let mut title = format!("{indent}{}", goal.title);
        if goal.status != GoalStatus::Active {
            title.push_str(&format!(" ({})", goal.status.label()));
        }
        let (target, actual) = match &goal.kpi {
            Some(kpi) => (
                with_unit(kpi.target, &kpi.unit),
                kpi.actual
                    .map(|a| with_unit(a, &kpi.unit))
                    .unwrap_or_default(),
            ),
            None => (tr!("goal.kind.objective"), String::new()),
        };
        let style = if goal.status == GoalStatus::Archived {
            theme.style(Role::Muted)
        } else {
            Style::default()
        };
        let weight_style = if view.weights_off.contains(&row.slot()) {
            theme.style(Role::Error)
        } else {
            Style::default()
        };
        Cells::new([
            Line::from(title),
            Line::from(row.owner.text.to_string()),
            Line::styled(goal.weight.to_string(), weight_style),
            Line::from(target),
            Line::from(actual),
            Line::from(progress_bar(view.rollup.at(row.slot()))),
        ])
        .style(style)
        .found_after(0, indent.chars().count())
        .found_after(1, row.owner.name_at())
        .also_shows(1, OWNER_NUMBER, 0)
    };
    let columns = vec![
        Column::flex(tr!("goal.col.goal"), 3).shows(1),
        Column::flex(tr!("goal.col.owner"), 2).shows(OWNER_NAME),
        Column::keep(tr!("goal.col.weight"), 3),
        Column::flex(tr!("goal.col.target"), 1),
        Column::flex(tr!("goal.col.actual"), 1),
        Column::keep(tr!("goal.col.progress"), BAR_CELLS + 5),
    ];
    let mut title = tr!("tab.goals");
    if let Some(period) = view.period {
        title = format!("{title} · {period}");
    }
    if let Some((_, path)) = &view.department {
        title = format!("{title} · {path}");
    }
    let table = ListTable {
        title,
        columns,
        empty: if view.reading {
            tr!("loads.reading_goals")
        } else if app.desk().waits_for_job(super::ID) {
            tr!("loads.waiting")
        } else {
            tr!("goal.empty")
        },
        hidden: vec![(0, tr!("search.field.goal_number"))],
    };
    draw_list(app, frame, area, &view.list, table, make_row);
}

fn draw_detail(app: &App, goals: &GoalsView, row: &GoalRow, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let goal = goals.tree.at(row.slot());
    let inner = inside(area);
    let [facts_area, history_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .spacing(1)
            .areas(inner);
    let [spark_area, lines_area] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(history_area);
    let (facts, facts_cut) = fit_parts(theme, fact_lines(goals, row), facts_area, false);
    let (history, history_cut) = fit_parts(
        theme,
        history_lines(goals, SHOWN_HISTORY),
        lines_area,
        false,
    );
    let more =
        goals.history.actuals.len() > SHOWN_HISTORY || goals.history.weights.len() > SHOWN_HISTORY;
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            title(&format!("{} {}", goal.id, goal.title), area.width),
            theme.style(Role::Title),
        ));
    if facts_cut || history_cut || more {
        block = block.title_bottom(more_hint(app));
    }
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(facts), facts_area);
    draw_sparkline(app, goals, frame, spark_area);
    frame.render_widget(Paragraph::new(history), lines_area);
}

/// The selected goal's panel whole, for the report overlay: its facts,
/// then every actual and weight change.
pub(super) fn detail(goals: &GoalsView) -> Option<Report> {
    let row = goals.list.selected()?;
    let goal = goals.tree.at(row.slot());
    let mut lines: Vec<String> = fact_lines(goals, row).iter().map(plain).collect();
    lines.push(String::new());
    lines.extend(history_lines(goals, usize::MAX).iter().map(plain));
    Some(Report::new(format!("{} {}", goal.id, goal.title), lines))
}

/// The goal's owner, period, measure and progress, `label: value` each; a
/// line without a label is a muted note.
fn fact_lines(goals: &GoalsView, row: &GoalRow) -> Vec<Parts> {
    let goal = goals.tree.at(row.slot());
    let owner = goals.owner_path(row);
    let whole = goals
        .history
        .goal
        .as_ref()
        .filter(|whole| whole.id == goal.id);
    let measure = match whole.map(|whole| &whole.measure) {
        None => String::new(),
        Some(Measure::Kpi(kpi)) => {
            let direction = match kpi.direction {
                Direction::HigherIsBetter => tr!("goal.direction.higher"),
                Direction::LowerIsBetter => tr!("goal.direction.lower"),
            };
            let aggregation = if kpi.aggregation.by_month() {
                tr!(
                    "goal.aggregation.months",
                    how = kpi.aggregation.label(),
                    count = kpi.months.len()
                )
            } else {
                String::new()
            };
            format!(
                "{} {} → {} ({direction}){aggregation}",
                kpi.metric,
                with_unit(kpi.baseline, &kpi.unit),
                with_unit(kpi.target, &kpi.unit)
            )
        }
        Some(Measure::Objective) => tr!("goal.kind.objective"),
    };
    let slot = row.slot();
    let live_children = goals
        .tree
        .child_slots(slot)
        .filter(|&c| goals.tree.at(c).status != GoalStatus::Archived)
        .count();
    let hidden = goals.rollup.hidden(slot).count;
    let source = match (live_children, hidden) {
        (0, 0) => tr!("goal.progress.own"),
        (count, 0) => tr!("goal.progress.from_children", count = count),
        (count, hidden) => tr!(
            "goal.progress.from_children_outside",
            count = count + hidden,
            hidden = hidden
        ),
    };
    let facts = [
        (tr!("goal.col.owner"), owner),
        (
            tr!("goal.field.period"),
            format!("{} · {}", goal.period, goal.status.label()),
        ),
        (tr!("goal.field.kind"), measure),
        (
            tr!("goal.col.progress"),
            format!(
                "{} (≤ {}%)",
                progress_bar(goals.rollup.at(slot)),
                goal.cap_percent
            ),
        ),
        (String::new(), source),
    ];
    facts
        .into_iter()
        .map(|(label, value)| {
            if label.is_empty() {
                return vec![(value, Role::Muted)];
            }
            vec![(format!("{label}: "), Role::Muted), (value, Role::Text)]
        })
        .collect()
}

/// The actuals as a sparkline.
fn draw_sparkline(app: &App, goals: &GoalsView, frame: &mut Frame, area: Rect) {
    let history = &goals.history;
    let low = history
        .actuals
        .iter()
        .map(|a| a.value)
        .fold(f64::INFINITY, f64::min);
    let data: Vec<u64> = history
        .actuals
        .iter()
        .map(|a| ((a.value - low) * 100.0 / (1.0 + low.abs())) as u64 + 1)
        .collect();
    frame.render_widget(
        Sparkline::default()
            .data(&data)
            .style(app.theme().style(Role::Highlight)),
        area,
    );
}

/// The latest `count` actuals, then the latest `count` weight changes
/// (or a note that there are none).
fn history_lines(goals: &GoalsView, count: usize) -> Vec<Parts> {
    let history = &goals.history;
    let mut lines: Vec<Parts> = history
        .actuals
        .iter()
        .rev()
        .take(count)
        .map(|a| {
            vec![
                (format!("{} ", a.date), Role::Muted),
                (
                    tr!(
                        "goal.history.actual",
                        value = number_text(a.value),
                        source = a.source
                    ),
                    Role::Text,
                ),
            ]
        })
        .collect();
    lines.extend(history.weights.iter().rev().take(count).map(|w| {
        vec![
            (format!("{} ", w.effective), Role::Muted),
            (
                tr!("goal.history.weight", old = w.old, new = w.new),
                Role::Text,
            ),
        ]
    }));
    if lines.is_empty() {
        lines.push(vec![(tr!("goal.history.none"), Role::Muted)]);
    }
    lines
}
