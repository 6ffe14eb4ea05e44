//! The selected scorecard's breakdown: each score with the terms it is made
//! of, the rater groups, calibration, the trend, and what follows from the
//! grade (bonus, improvement plan, training, early warnings, what is
//! missing). It is made as plain lines first, so the keys that scroll it
//! know how many there are, then drawn wrapped to the width from the line
//! scrolled to the top: as the panel under the scoreboard or full screen.
//! The scoreboard's flag column says the same in short.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::ScoringView;
use super::view::{cycle_title, score_text};
use crate::action::{Action, Section};
use crate::app::App;
use crate::app::report::Report;
use crate::config::theme::{Role, Theme};
use crate::domain::employee::format_money;
use crate::domain::scoring::appeal::AppealId;
use crate::domain::scoring::board::{BoardRow, upheld_appeal};
use crate::domain::scoring::outcomes::{PlanReason, Warning, recommended_courses};
use crate::domain::scoring::score::{Shown, Source, Term};
use crate::domain::scoring::{Cycle, Figure};
use crate::service::{Appraisee, ScoreHistory};
use crate::text::wrap;
use crate::tr;
use crate::ui::key_hint;

/// The flag of someone the early warning picks out.
const WARNING_FLAG: char = '!';
/// The flag of someone who needs an improvement plan.
const PLAN_FLAG: char = 'P';

/// One line of the breakdown: a lead drawn as a key (none when empty)
/// followed by the rest in its role's style.
pub(super) struct Said {
    lead: String,
    text: String,
    role: Role,
}

impl Said {
    fn plain(text: String, role: Role) -> Said {
        Said {
            lead: String::new(),
            text,
            role,
        }
    }

    /// The line wrapped to `width` columns, its lead kept as a key.
    fn wrapped<'a>(&self, theme: &Theme, width: usize) -> Vec<Line<'a>> {
        let parts = wrap(&format!("{}{}", self.lead, self.text), width);
        if parts.is_empty() {
            return vec![Line::from("")];
        }
        parts
            .into_iter()
            .enumerate()
            .map(|(at, part)| match part.strip_prefix(self.lead.as_str()) {
                Some(rest) if at == 0 && !self.lead.is_empty() => Line::from(vec![
                    Span::styled(self.lead.clone(), theme.style(Role::Key)),
                    Span::styled(rest.to_string(), theme.style(self.role)),
                ]),
                _ => Line::styled(part, theme.style(self.role)),
            })
            .collect()
    }
}

/// The scoreboard's flags of `row`: `!` when the early warning picks the
/// person out, `P` when they need an improvement plan (the help's legend).
pub(super) fn flags(history: &ScoreHistory, cycle: &Cycle, row: &BoardRow) -> String {
    let mut flags = String::new();
    if !history.warnings(cycle, row).is_empty() {
        flags.push(WARNING_FLAG);
    }
    if history.plan(row, &cycle.config).is_some() {
        flags.push(PLAN_FLAG);
    }
    flags
}

/// How a term's source reads in the breakdown.
fn source_label(source: &Source, cycle: &Cycle) -> String {
    match source {
        Source::Indicator(at) => cycle
            .config
            .indicators
            .get(*at)
            .map_or_else(String::new, |i| i.name.clone()),
        Source::Group(Shown::Group(group)) => group.label(),
        Source::Group(Shown::Others) => tr!("scoring.group.others"),
        Source::Results => tr!("scoring.col.results"),
        Source::Capability => tr!("scoring.col.capability"),
    }
}

/// `label 70% × 85.0` for each term, joined with ` + `.
fn terms_text(terms: &[Term], cycle: &Cycle) -> String {
    terms
        .iter()
        .map(|t| {
            format!(
                "{} {:.0}% × {:.*}",
                source_label(&t.source, cycle),
                t.weight,
                usize::from(cycle.config.precision.decimals()),
                t.value
            )
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// `label score = terms`, or just `label —` when nothing was computed.
fn score_line(label: String, score: Option<Figure>, terms: String) -> Said {
    match score {
        Some(_) => Said {
            lead: format!("{label} {} = ", score_text(score)),
            text: terms,
            role: Role::Text,
        },
        None => Said::plain(format!("{label} {}", score_text(score)), Role::Key),
    }
}

/// Every line of `row`'s breakdown in `cycle`, first to last.
pub(super) fn breakdown(view: &ScoringView, cycle: &Cycle, row: &BoardRow) -> Vec<Said> {
    let appeals = view.results.as_ref().map_or(&[][..], |r| r.board.appeals());
    let mut lines = scores(cycle, row, upheld_appeal(appeals, cycle, row.employee));
    lines.extend(outcomes(view, cycle, row));
    lines
}

/// R, C with their rater groups, and F with its calibration (`upheld`:
/// the appeal whose score replaced it).
fn scores(cycle: &Cycle, row: &BoardRow, upheld: Option<(AppealId, Figure)>) -> Vec<Said> {
    let card = &row.card;
    let mut lines = vec![
        score_line(
            tr!("scoring.col.results"),
            card.results,
            terms_text(&card.workings().results_terms, cycle),
        ),
        score_line(
            tr!("scoring.col.capability"),
            card.capability,
            terms_text(&card.workings().capability_terms, cycle),
        ),
    ];
    for group in &card.workings().groups {
        let marks = group
            .competencies
            .iter()
            .map(|&(at, mean)| {
                let name = cycle
                    .config
                    .competencies
                    .get(at)
                    .map_or("", |c| c.name.as_str());
                format!("{name} {mean:.1}")
            })
            .collect::<Vec<_>>()
            .join(", ");
        let label = source_label(&Source::Group(group.shown), cycle);
        lines.push(Said::plain(
            format!(
                "  {label} ({}): {marks}",
                tr!("scoring.raters", count = group.raters)
            ),
            Role::Muted,
        ));
    }
    if let Some(own) = &card.workings().own_apart {
        lines.push(Said::plain(
            tr!("scoring.own_apart", score = format!("{:.1}", own.score)),
            Role::Muted,
        ));
    }
    if !card.workings().hidden.is_empty() {
        let groups: Vec<String> = card.workings().hidden.iter().map(|g| g.label()).collect();
        lines.push(Said::plain(
            tr!(
                "scoring.hidden",
                groups = groups.join(", "),
                min = cycle.config.min_raters
            ),
            Role::Muted,
        ));
    }
    let grade = row
        .grade
        .map_or_else(|| "—".to_string(), |g| g.code().to_string());
    lines.push(match upheld {
        Some((appeal, score)) => Said::plain(
            tr!(
                "scoring.replaced_by_appeal",
                appeal = appeal,
                score = score,
                was = score_text(card.final_score),
                grade = grade
            ),
            Role::Key,
        ),
        _ => score_line(
            tr!("scoring.col.final"),
            row.final_score,
            format!(
                "{} → {grade}",
                terms_text(&card.workings().final_terms, cycle)
            ),
        ),
    });
    if let Some(change) = &row.overridden {
        lines.push(Said::plain(
            tr!(
                "scoring.overridden_by",
                before = change.before,
                after = change.after,
                reason = change.reason,
                by = change.by
            ),
            Role::Highlight,
        ));
    }
    lines
}

/// The trend, bonus, improvement plan, training, warnings and what is missing.
fn outcomes(view: &ScoringView, cycle: &Cycle, row: &BoardRow) -> Vec<Said> {
    let mut lines = Vec::new();
    let trend = view.history.trend(cycle, row);
    if trend.len() > 1 {
        let points: Vec<String> = trend
            .iter()
            .map(|p| format!("{} {} {}", p.cycle, p.final_score, p.grade))
            .collect();
        let spark: String = trend
            .iter()
            .map(|p| spark_char(p.final_score.value()))
            .collect();
        lines.push(Said::plain(
            tr!("scoring.trend", points = points.join(" → "), spark = spark),
            Role::Muted,
        ));
    }
    let mut outcome: Vec<String> = bonus_text(view, cycle, row).into_iter().collect();
    if let Some(reason) = view.history.plan(row, &cycle.config) {
        outcome.push(match reason {
            PlanReason::GradeD => tr!("scoring.plan.grade_d"),
            PlanReason::ResultsBelow { threshold, cycles } => tr!(
                "scoring.plan.results_below",
                threshold = threshold,
                cycles = cycles
            ),
        });
    }
    if !outcome.is_empty() {
        lines.push(Said::plain(outcome.join(" · "), Role::Text));
    }
    let courses = recommended_courses(
        &row.card.competency_means(&cycle.config),
        cycle.config.training_threshold,
        &view.catalogue,
    );
    if !courses.is_empty() {
        let titles: Vec<&str> = courses.iter().map(|c| c.title.as_str()).collect();
        lines.push(Said::plain(
            tr!("scoring.training", courses = titles.join(", ")),
            Role::Highlight,
        ));
    }
    for warning in view.history.warnings(cycle, row) {
        let text = match warning {
            Warning::GradeDrop { from, to, .. } => {
                tr!("scoring.warning.grade_drop", from = from, to = to)
            }
            Warning::ScoreFall { from, to, .. } => tr!(
                "scoring.warning.score_fall",
                from = from.to_string(),
                to = to.to_string()
            ),
        };
        lines.push(Said::plain(text, Role::Error));
    }
    if !row.card.missing.is_empty() {
        let missing: Vec<String> = row
            .card
            .missing
            .iter()
            .map(|m| m.describe(&cycle.config))
            .collect();
        lines.push(Said::plain(
            tr!("scoring.not_graded", what = missing.join(", ")),
            Role::Error,
        ));
    }
    lines
}

/// The bonus of a graded person: the amount with the grade's multiplier
/// to whoever is handed pay, else the multiplier alone (the service
/// withheld every amount).
fn bonus_text(view: &ScoringView, cycle: &Cycle, row: &BoardRow) -> Option<String> {
    let results = view.results.as_ref()?;
    let grade = row.grade?;
    let multiplier = cycle.config.bonus.usable_multiplier(grade);
    match &results.bonuses {
        Some(_) => results.bonus_of(row.employee).map(|paid| {
            tr!(
                "scoring.bonus",
                amount = format_money(paid),
                grade = grade,
                multiplier = multiplier
            )
        }),
        None => Some(tr!(
            "scoring.board.bonus_withheld",
            grade = grade,
            multiplier = multiplier
        )),
    }
}

/// A score as one block of a sparkline, taller for higher.
fn spark_char(score: f64) -> char {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let step = (score.clamp(0.0, 100.0) / 100.0 * 7.0).round() as usize;
    BLOCKS[step.min(7)]
}

/// The selected person's breakdown whole, for the report overlay.
pub(super) fn detail(view: &ScoringView) -> Option<Report> {
    let cycle = view.cycle()?;
    let (person, row) = view.selected()?;
    let lines = breakdown(view, cycle, row)
        .into_iter()
        .map(|said| format!("{}{}", said.lead, said.text))
        .collect();
    let title = format!(
        "{} {} · {}",
        person.emp_no,
        person.name,
        tr!("scoring.breakdown")
    );
    Some(Report::new(title, lines))
}

/// How many lines the selected person's breakdown has (none selected: 0).
pub(super) fn breakdown_len(view: &ScoringView) -> usize {
    match (view.cycle(), view.selected()) {
        (Some(cycle), Some((_, row))) => breakdown(view, cycle, row).len(),
        _ => 0,
    }
}

/// Draws the `selected` person's breakdown in `area` from the line
/// scrolled to the top: under the scoreboard, or `full` screen.
pub(super) fn draw_breakdown(
    view: &ScoringView,
    app: &App,
    frame: &mut Frame,
    area: Rect,
    (person, row): (&Appraisee, &BoardRow),
    full: bool,
) {
    let Some(cycle) = view.cycle() else {
        return;
    };
    let theme = app.theme();
    let said = breakdown(view, cycle, row);
    let top = view.scroll.min(said.len().saturating_sub(1));
    let width = usize::from(area.width.saturating_sub(2));
    let height = usize::from(area.height.saturating_sub(2));
    let lines: Vec<Line> = said
        .iter()
        .skip(top)
        .flat_map(|s| s.wrapped(theme, width))
        .collect();
    let who = format!(
        "{} {} · {}",
        person.emp_no,
        person.name,
        tr!("scoring.breakdown")
    );
    let title = if full {
        format!(" {} · {who} ", cycle_title(cycle))
    } else {
        format!(" {who} ")
    };
    let hint = |action| key_hint(app, Section::Browse, action);
    let mut keys = Vec::new();
    if top > 0 || lines.len() > height {
        keys.push(tr!(
            "scoring.board.scroll",
            first = top + 1,
            total = said.len(),
            down = hint(Action::ScrollDown),
            up = hint(Action::ScrollUp)
        ));
    }
    keys.push(if full {
        tr!("scoring.board.back", key = hint(Action::Back))
    } else {
        tr!("scoring.board.full_screen", key = hint(Action::Breakdown))
    });
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            crate::ui::panel::title(title.trim(), area.width),
            theme.style(Role::Title),
        ))
        .title_bottom(
            Line::styled(format!(" {} ", keys.join(" · ")), theme.style(Role::Muted))
                .right_aligned(),
        );
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
