//! The Scoring pane: the cycle's scoreboard (results, capability, final
//! score, grade, flags, override and appeal marks) in its order, with the
//! selected scorecard's breakdown under it (drawn by `breakdown.rs`, which
//! also draws it full screen); or the grade distribution of the company
//! and of each calibration pool against its quotas.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::breakdown::{draw_breakdown, flags};
use super::{LeniencyShown, ScoreRow, ScoringView, Showing};
use crate::app::App;
use crate::config::theme::{Role, Theme};
use crate::domain::scoring::appeal::AppealState;
use crate::domain::scoring::calibration::PoolReport;
use crate::domain::scoring::{Cycle, Figure, Grade};
use crate::i18n::grouped;
use crate::service::{CycleResults, PoolName};
use crate::tr;
use crate::ui::table::{Cells, Column, ListTable, draw_list};

/// Least height of the breakdown panel under the table (it scrolls).
const DETAIL_ROWS: u16 = 9;

/// Rows the scoreboard keeps before the breakdown panel takes more than
/// its least height.
const TABLE_ROWS: u16 = 12;

/// Width of a distribution bar at 100% of the pool.
const BAR_WIDTH: usize = 30;

pub(super) fn draw(view: &ScoringView, app: &App, frame: &mut Frame, area: Rect) {
    let Some(cycle) = view.cycle() else {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(app.theme().style(Role::Border))
            .title(Line::styled(
                format!(" {} ", tr!("tab.scoring")),
                app.theme().style(Role::Title),
            ));
        let text =
            Paragraph::new(vec![Line::from(""), Line::from(tr!("scoring.none"))]).block(block);
        frame.render_widget(text, area);
        return;
    };
    match view.showing {
        Showing::Board => draw_board(view, app, frame, area, cycle),
        Showing::Breakdown => match view.selected() {
            Some(selected) => draw_breakdown(view, app, frame, area, selected, true),
            None => draw_board(view, app, frame, area, cycle),
        },
        Showing::Distribution => draw_distribution(view, app, frame, area, cycle),
        Showing::Leniency => draw_leniency(view, app, frame, area, cycle),
        Showing::Profile => draw_profile(view, app, frame, area, cycle),
        Showing::Appeals => draw_appeals(view, app, frame, area, cycle),
    }
}

/// A score as the table shows it: one decimal, or a dash.
pub(super) fn score_text(score: Option<Figure>) -> String {
    score.map_or_else(|| "—".to_string(), |s| s.to_string())
}

/// The cycle's name, state and results weight, as panels title it.
pub(super) fn cycle_title(cycle: &Cycle) -> String {
    tr!(
        "scoring.title",
        name = cycle.name,
        state = cycle.state.label(),
        alpha = cycle.config.results_weight
    )
}

fn draw_board(view: &ScoringView, app: &App, frame: &mut Frame, area: Rect, cycle: &Cycle) {
    let show_detail = area.height >= DETAIL_ROWS + 8 && view.selected().is_some();
    // A tall terminal gives the panel what the table does not need.
    let detail_rows = area
        .height
        .saturating_sub(TABLE_ROWS)
        .clamp(DETAIL_ROWS, DETAIL_ROWS.max(area.height / 2));
    let [table_area, detail_area] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(if show_detail { detail_rows } else { 0 }),
    ])
    .areas(area);
    let Some(results) = &view.results else {
        if view.computing {
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(app.theme().style(Role::Border))
                .title(Line::styled(
                    format!(" {} ", cycle_title(cycle)),
                    app.theme().style(Role::Title),
                ));
            let text = vec![Line::from(""), Line::from(tr!("loads.computing_scores"))];
            frame.render_widget(Paragraph::new(text).block(block), area);
        }
        return;
    };
    let board = &results.board;
    let make_row = |row: &ScoreRow| {
        let person = &board.people[row.index()];
        let line = &board.rows[row.index()];
        let mut grade = line
            .grade
            .map_or_else(String::new, |g| g.code().to_string());
        if line.overridden.is_some() {
            grade.push('*');
        }
        let appeal = line.appeal.map(|a| a.label()).unwrap_or_default();
        Cells::new([
            person.emp_no.to_string(),
            person.name.to_string(),
            board
                .departments
                .get(person.department)
                .map_or_else(String::new, |d| d.name.clone()),
            score_text(line.card.results),
            score_text(line.card.capability),
            score_text(line.final_score),
            grade,
            flags(&view.history, cycle, line),
            appeal,
        ])
    };
    let appeals = [
        AppealState::Open,
        AppealState::Investigating,
        AppealState::Upheld,
        AppealState::Rejected,
    ];
    let columns = vec![
        Column::keep(tr!("staff.field.emp_no"), 7).shows(0),
        Column::flex(tr!("staff.field.name"), 2).shows(1),
        Column::flex(tr!("staff.field.department"), 2).shows(2),
        Column::keep(tr!("scoring.col.results"), 5),
        Column::keep(tr!("scoring.col.capability"), 5),
        Column::keep(tr!("scoring.col.final"), 5),
        Column::keep(tr!("scoring.col.grade"), 2),
        Column::keep(tr!("scoring.board.flags"), 2),
        Column::words(tr!("scoring.col.appeal"), appeals.map(AppealState::label)),
    ];
    let mut title = cycle_title(cycle);
    if view.missing_only {
        title = tr!("scoring.missing_only", title = title);
    }
    let table = ListTable {
        title: format!(
            "{title} · {}",
            tr!("scoring.board.sorted_by", order = view.sort.label())
        ),
        columns,
        empty: tr!("scoring.empty"),
        hidden: vec![(3, tr!("staff.field.title")), (4, tr!("search.field.path"))],
    };
    draw_list(app, frame, table_area, &view.list, table, make_row);
    if show_detail && let Some(selected) = view.selected() {
        draw_breakdown(view, app, frame, detail_area, selected, false);
    }
}

fn draw_distribution(view: &ScoringView, app: &App, frame: &mut Frame, area: Rect, cycle: &Cycle) {
    let theme = app.theme();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            format!(" {} · {} ", cycle_title(cycle), tr!("scoring.distribution")),
            theme.style(Role::Title),
        ));
    let Some(results) = &view.results else {
        return;
    };
    let departments = &results.board.departments;
    let whole = PoolName::WholeCompany.describe(departments);
    let mut lines = pool_lines(theme, &whole, &results.company);
    for report in graded_pools(results) {
        let name = match report.department {
            Some(d) => PoolName::Department(d),
            None => PoolName::CompanyPool,
        };
        lines.push(Line::from(""));
        lines.extend(pool_lines(theme, &name.describe(departments), report));
    }
    let top = u16::try_from(view.report_scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((top, 0)), area);
}

fn draw_leniency(view: &ScoringView, app: &App, frame: &mut Frame, area: Rect, cycle: &Cycle) {
    let theme = app.theme();
    let state = if cycle.config.normalise {
        tr!("scoring.normalisation_on")
    } else {
        tr!("scoring.normalisation_off")
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            format!(
                " {} · {} · {state} ",
                cycle_title(cycle),
                tr!("scoring.leniency")
            ),
            theme.style(Role::Title),
        ));
    let report = match &view.leniency {
        LeniencyShown::Read(Some(report)) => report,
        LeniencyShown::Read(None) => {
            let empty = Paragraph::new(tr!("scoring.no_ratings")).block(block);
            frame.render_widget(empty, area);
            return;
        }
        LeniencyShown::Unread | LeniencyShown::Reading => {
            let reading = Paragraph::new(tr!("loads.reading_leniency"))
                .style(theme.style(Role::Muted))
                .block(block);
            frame.render_widget(reading, area);
            return;
        }
    };
    let company = &report.company;
    let mut lines = vec![Line::styled(
        tr!(
            "scoring.leniency_company",
            count = grouped(company.count as u64),
            mean = format!("{:.2}", company.mean),
            sd = format!("{:.2}", company.sd)
        ),
        theme.style(Role::Muted),
    )];
    for (rater, name) in &report.furthest {
        let style = if rater.z.abs() >= 1.0 {
            theme.style(Role::Error)
        } else {
            theme.style(Role::Text)
        };
        lines.push(Line::styled(
            tr!(
                "scoring.leniency_rater",
                name = name,
                count = grouped(rater.spread.count as u64),
                mean = format!("{:.2}", rater.spread.mean),
                sd = format!("{:.2}", rater.spread.sd),
                z = format!("{:+.2}", rater.z)
            ),
            style,
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn draw_appeals(view: &ScoringView, app: &App, frame: &mut Frame, area: Rect, cycle: &Cycle) {
    let theme = app.theme();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            format!(" {} · {} ", cycle_title(cycle), tr!("scoring.appeals")),
            theme.style(Role::Title),
        ));
    let Some(board) = view.results.as_ref().map(|r| &r.board) else {
        return;
    };
    let name_of = |id| {
        board
            .people
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| id.to_string(), |p| format!("{} {}", p.emp_no, p.name))
    };
    let mut lines = Vec::new();
    if board.appeals().is_empty() {
        lines.push(Line::styled(
            tr!("scoring.no_appeals"),
            theme.style(Role::Muted),
        ));
    }
    for appeal in board.appeals().iter().rev() {
        let state_style = if appeal.state().is_decided() {
            theme.style(Role::Muted)
        } else {
            theme.style(Role::Highlight)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", appeal.id), theme.style(Role::Key)),
            Span::styled(
                format!("{} · ", name_of(appeal.employee)),
                theme.style(Role::Text),
            ),
            Span::styled(appeal.state().label(), state_style),
            Span::styled(
                format!(" · {} · {}", appeal.filed, appeal.reason),
                theme.style(Role::Text),
            ),
        ]));
        let zone = crate::zone::current();
        for step in appeal.steps.iter().skip(1) {
            let score = step
                .new_score
                .map(|s| format!(" → {}", Figure::round(s, cycle.config.precision)))
                .unwrap_or_default();
            lines.push(Line::styled(
                format!(
                    "    {} {} {}{score}: {}",
                    zone.local(step.at).format("%Y-%m-%d %H:%M"),
                    step.by,
                    step.state.label(),
                    step.comment
                ),
                theme.style(Role::Muted),
            ));
        }
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn draw_profile(view: &ScoringView, app: &App, frame: &mut Frame, area: Rect, cycle: &Cycle) {
    let theme = app.theme();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            format!(" {} · {} ", cycle_title(cycle), tr!("scoring.profile")),
            theme.style(Role::Title),
        ));
    let rows = &view.profile;
    let mean = |m: Option<f64>| m.map_or_else(|| "—".to_string(), |m| format!("{m:.2}"));
    let mut lines = vec![Line::styled(
        tr!("scoring.profile_note"),
        theme.style(Role::Muted),
    )];
    let mut title = "";
    for row in rows {
        if row.title != title {
            title = &row.title;
            lines.push(Line::styled(row.title.clone(), theme.style(Role::Title)));
        }
        let name = cycle
            .config
            .competency(&row.competency)
            .map_or(row.competency.as_str(), |c| c.name.as_str());
        let ahead = matches!((row.top_mean, row.rest_mean), (Some(t), Some(r)) if t > r);
        let style = if ahead {
            theme.style(Role::Highlight)
        } else {
            theme.style(Role::Text)
        };
        lines.push(Line::styled(
            tr!(
                "scoring.profile_row",
                competency = name,
                top = mean(row.top_mean),
                top_count = row.top_count,
                rest = mean(row.rest_mean),
                rest_count = row.rest_count
            ),
            style,
        ));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// A pool's heading and one bar per grade: how many have it against the quota.
/// The pools with someone graded (the others have no quotas), in order.
fn graded_pools(results: &CycleResults) -> impl Iterator<Item = &PoolReport> {
    results.pools.iter().filter(|report| report.headcount > 0)
}

/// How many lines the distribution view has: the whole company's six,
/// then a blank line and six for each pool with someone graded.
pub(super) fn distribution_len(view: &ScoringView) -> usize {
    let pools = view.results.as_ref().map_or(0, |r| graded_pools(r).count());
    (Grade::ALL.len() + 1) * (pools + 1) - 1
}

fn pool_lines<'a>(theme: &Theme, name: &str, report: &PoolReport) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled(
        tr!("scoring.pool", name = name, count = report.headcount),
        theme.style(Role::Title),
    )];
    let headcount = report.headcount.max(1);
    for grade in Grade::ALL {
        let actual = report.actual.get(grade);
        let quota = report.quota.get(grade);
        let filled = (actual * BAR_WIDTH).div_ceil(headcount).min(BAR_WIDTH);
        let mark = (quota * BAR_WIDTH).div_ceil(headcount).min(BAR_WIDTH);
        let bar: String = (0..BAR_WIDTH)
            .map(|i| match (i < filled, i + 1 == mark) {
                (_, true) => '│',
                (true, false) => '█',
                (false, false) => '░',
            })
            .collect();
        let style = if actual > quota {
            theme.style(Role::Error)
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {grade} "), theme.style(Role::Key)),
            Span::styled(bar, style),
            Span::styled(
                format!(
                    " {}",
                    tr!("scoring.against_quota", actual = actual, quota = quota)
                ),
                style,
            ),
        ]));
    }
    lines
}
