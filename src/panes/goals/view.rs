//! The Goals pane: the goal tree (indented, ▸ collapsed / ▾ expanded) with
//! owner, weight, target, actual and a progress bar per goal, and under it
//! the selected goal's details, its actuals as a sparkline and its weight
//! history.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline};

use super::forms::number_text;
use super::{GoalRow, GoalsView};
use crate::app::App;
use crate::config::theme::{Role, Theme};
use crate::domain::goal::{Direction, GoalStatus, Measure};
use crate::tr;
use crate::ui::table::{Cells, Column, ListTable, draw_list};

/// Height of the detail panel under the tree.
const DETAIL_ROWS: u16 = 8;
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
        let goal = view.tree.at(row.slot);
        let marker = match (row.has_children, view.expanded.contains(&row.id)) {
            (false, _) => "  ",
            (true, true) => "▾ ",
            (true, false) => "▸ ",
        };
        let mut title = format!("{}{marker}{}", "  ".repeat(row.depth), goal.title);
        if goal.status != GoalStatus::Active {
            title.push_str(&format!(" ({})", goal.status.label()));
        }
        let (target, actual) = match &goal.measure {
            Measure::Kpi(kpi) => (
                with_unit(kpi.target, &kpi.unit),
                kpi.actual
                    .map(|a| with_unit(a, &kpi.unit))
                    .unwrap_or_default(),
            ),
            Measure::Objective => (tr!("goal.kind.objective"), String::new()),
        };
        let style = if goal.status == GoalStatus::Archived {
            theme.style(Role::Muted)
        } else {
            Style::default()
        };
        let weight_style = if view.weights_off.contains(&row.slot) {
            theme.style(Role::Error)
        } else {
            Style::default()
        };
        Cells::new([
            Line::from(title),
            Line::from(row.owner.clone()),
            Line::styled(goal.weight.to_string(), weight_style),
            Line::from(target),
            Line::from(actual),
            Line::from(progress_bar(view.rollup.at(row.slot))),
        ])
        .style(style)
    };
    let columns = vec![
        Column::flex(tr!("goal.col.goal"), 3),
        Column::flex(tr!("goal.col.owner"), 2),
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
        empty: tr!("goal.empty"),
    };
    draw_list(app, frame, area, &view.list, table, make_row);
}

fn draw_detail(app: &App, goals: &GoalsView, row: &GoalRow, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let goal = goals.tree.at(row.slot);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            format!(" {} {} ", goal.id, goal.title),
            theme.style(Role::Title),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [facts_area, history_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .spacing(1)
            .areas(inner);
    let owner = goals.owner_path(row);
    let measure = match &goal.measure {
        Measure::Kpi(kpi) => {
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
        Measure::Objective => tr!("goal.kind.objective"),
    };
    let slot = row.slot;
    let live_children = goals
        .tree
        .child_slots(slot)
        .iter()
        .filter(|&&c| goals.tree.at(c).status != GoalStatus::Archived)
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
    frame.render_widget(Paragraph::new(fact_lines(theme, facts)), facts_area);
    draw_history(app, goals, frame, history_area);
}

/// `label: value` lines; a line without a label is a muted note.
fn fact_lines<'a>(theme: &Theme, facts: [(String, String); 5]) -> Vec<Line<'a>> {
    facts
        .into_iter()
        .map(|(label, value)| {
            if label.is_empty() {
                return Line::styled(value, theme.style(Role::Muted));
            }
            Line::from(vec![
                Span::styled(format!("{label}: "), theme.style(Role::Muted)),
                Span::styled(value, theme.style(Role::Text)),
            ])
        })
        .collect()
}

/// The actuals as a sparkline with the latest values, and the weight changes.
fn draw_history(app: &App, goals: &GoalsView, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let history = &goals.history;
    let [spark_area, lines_area] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(area);
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
            .style(theme.style(Role::Highlight)),
        spark_area,
    );
    let mut lines: Vec<Line> = history
        .actuals
        .iter()
        .rev()
        .take(2)
        .map(|a| {
            Line::from(vec![
                Span::styled(format!("{} ", a.date), theme.style(Role::Muted)),
                Span::styled(
                    tr!(
                        "goal.history.actual",
                        value = number_text(a.value),
                        source = a.source
                    ),
                    theme.style(Role::Text),
                ),
            ])
        })
        .collect();
    lines.extend(history.weights.iter().rev().take(2).map(|w| {
        Line::from(vec![
            Span::styled(format!("{} ", w.effective), theme.style(Role::Muted)),
            Span::styled(
                tr!("goal.history.weight", old = w.old, new = w.new),
                theme.style(Role::Text),
            ),
        ])
    }));
    if lines.is_empty() {
        lines.push(Line::styled(
            tr!("goal.history.none"),
            theme.style(Role::Muted),
        ));
    }
    frame.render_widget(Paragraph::new(lines), lines_area);
}
