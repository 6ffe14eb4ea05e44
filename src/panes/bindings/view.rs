//! The Bindings pane: a warning when the monthly audit is due, the listing
//! on screen (account ids masked, departed employees' live bindings marked
//! critical, the finding of each line in the audit's findings) with the
//! search line, and the selected binding's detail with its whole history.
//! Operators who may not see bindings get the refusal instead.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, TableState, Wrap};

use super::{AUDIT_DUE_DAYS, BindingsView, Listing};
use crate::app::App;
use crate::app::report::Report;
use crate::config::theme::Role;
use crate::domain::binding::audit::{DEFAULT_PENDING_DAYS, Severity};
use crate::domain::binding::notice;
use crate::domain::binding::{BindingState, Provider, mask_external_id};
use crate::i18n::grouped;
use crate::service::BindingRow;
use crate::tr;
use crate::ui::panel::{fit_parts, inside, more_hint, title};
use crate::ui::table::{Cells, Column, frame_with_filter, table};

/// Height of the detail panel under the table.
const DETAIL_ROWS: u16 = 10;

pub(super) fn draw(view: &BindingsView, app: &App, frame: &mut Frame, area: Rect) {
    if let Some(refused) = &view.refused {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(app.theme().style(Role::Border))
            .title(Line::styled(
                format!(" {} ", tr!("tab.bindings")),
                app.theme().style(Role::Title),
            ));
        let lines = vec![
            Line::from(""),
            Line::styled(tr!("binding.not_permitted"), app.theme().style(Role::Error)),
            Line::styled(refused.clone(), app.theme().style(Role::Muted)),
        ];
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let overdue = view.audit_overdue(app.session().now());
    let show_detail = area.height >= DETAIL_ROWS + 8 && view.selected_row().is_some();
    let [warning_area, table_area, detail_area] = Layout::vertical([
        Constraint::Length(u16::from(overdue)),
        Constraint::Min(0),
        Constraint::Length(if show_detail { DETAIL_ROWS } else { 0 }),
    ])
    .areas(area);
    if overdue {
        let text = match &view.last_audit {
            Some(run) => tr!(
                "binding.audit_due",
                date = local_day(run.at),
                days = AUDIT_DUE_DAYS
            ),
            None => tr!("binding.audit_never"),
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, app.theme().style(Role::Warning))),
            warning_area,
        );
    }
    draw_table(view, app, frame, table_area);
    if show_detail && let Some(row) = view.selected_row() {
        draw_detail(view, app, frame, detail_area, row);
    }
}

/// The state labels in the current language.
fn state_labels() -> [String; 3] {
    [
        tr!("binding.state.active"),
        tr!("binding.state.pending"),
        tr!("binding.state.unbound"),
    ]
}

fn local_day(at: DateTime<Utc>) -> String {
    crate::zone::current()
        .local(at)
        .format("%Y-%m-%d")
        .to_string()
}

fn listing_label(listing: &Listing) -> String {
    match listing {
        Listing::All => tr!("binding.listing.all"),
        Listing::Pending => tr!("binding.listing.pending"),
        Listing::Findings => tr!("binding.listing.findings"),
        Listing::Search(text) => tr!("binding.listing.search", text = text),
    }
}

/// The account as shown: revealed for the one binding revealed, else masked.
fn account_text(view: &BindingsView, row: &BindingRow) -> String {
    match &view.revealed {
        Some(revealed) if revealed.id == row.binding.id => revealed.account.clone(),
        _ => mask_external_id(&row.binding.external_id),
    }
}

/// A pending request's dates at `now`: when it was asked, its deadline,
/// and how many days overdue it is (if it is).
fn due_text(requested_at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let deadline = notice::deadline(requested_at, DEFAULT_PENDING_DAYS);
    let mut text = tr!(
        "binding.notice.due",
        requested = local_day(requested_at),
        deadline = local_day(deadline)
    );
    if let Some(days) = notice::days_overdue(deadline, now) {
        text.push_str(" · ");
        text.push_str(&tr!("binding.notice.overdue", days = days));
    }
    text
}

/// [`due_text`] for a table cell: the deadline and how late, or when
/// asked and the deadline while there is time.
fn due_cell(requested_at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let deadline = notice::deadline(requested_at, DEFAULT_PENDING_DAYS);
    match notice::days_overdue(deadline, now) {
        Some(days) => tr!(
            "binding.notice.late_cell",
            deadline = local_day(deadline),
            days = days
        ),
        None => tr!(
            "binding.notice.due_cell",
            requested = local_day(requested_at),
            deadline = local_day(deadline)
        ),
    }
}

/// Where a pending request's code is: revealed to this admin, sent to
/// the employee (how often, when last), or still in the outbox.
fn notice_text(view: &BindingsView, row: &BindingRow) -> String {
    let revealed = view
        .revealed
        .as_ref()
        .filter(|r| r.id == row.binding.id)
        .and_then(|r| r.code.as_ref());
    if let Some(code) = revealed {
        return tr!("binding.notice.revealed", code = code);
    }
    match row
        .notice
        .as_ref()
        .and_then(|n| Some((n.sendings.len(), n.last_sent()?)))
    {
        Some((times, at)) => tr!("binding.notice.sent", times = times, at = local_day(at)),
        None => tr!("binding.notice.unsent"),
    }
}

fn draw_table(view: &BindingsView, app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let position = if view.rows.is_empty() {
        String::new()
    } else {
        format!(" {}/{}", grouped(view.position() + 1), grouped(view.total))
    };
    let title = format!(
        " {} · {} ({}){position} ",
        tr!("tab.bindings"),
        listing_label(&view.listing),
        grouped(view.total)
    );
    let rows_area = frame_with_filter(app, frame, area, title, &view.query, view.editing);
    if view.rows.is_empty() {
        let text = match view.listing {
            Listing::All => tr!("binding.empty"),
            Listing::Pending => tr!("binding.no_pending"),
            Listing::Findings if view.findings.is_empty() => tr!("binding.no_findings"),
            _ => tr!("binding.no_match"),
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.style(Role::Muted))),
            rows_area,
        );
        return;
    }
    let columns = vec![
        Column::keep(tr!("binding.col.id"), 0),
        Column::keep(tr!("staff.field.emp_no"), 0),
        Column::flex(tr!("staff.field.name"), 1),
        Column::words(
            tr!("binding.field.provider"),
            Provider::ALL.map(Provider::label),
        ),
        Column::keep(tr!("binding.field.account"), 11),
        Column::words(tr!("binding.col.state"), state_labels()),
        Column::keep(tr!("binding.col.last_used"), 10),
        Column::flex(tr!("binding.col.flag"), 2),
    ];
    let now = app.session().now();
    let rows = view.rows.iter().zip(&view.found).map(|(row, found)| {
        let (emp_no, name) = row
            .employee
            .as_ref()
            .map_or((String::new(), tr!("binding.gone")), |e| {
                (e.emp_no.clone(), e.name.clone())
            });
        let pending_since = row.binding.state.view().pending_since();
        let (flag, style) = match (found, pending_since) {
            (Some(found), _) => {
                let role = match found.kind.severity() {
                    Severity::Critical => Role::Error,
                    Severity::High => Role::Warning,
                    Severity::Medium => Role::Muted,
                };
                (found.describe(), theme.style(role))
            }
            (None, _) if row.is_critical() => (tr!("binding.critical"), theme.style(Role::Error)),
            (None, Some(since)) => (due_cell(since, now), theme.style(Role::Muted)),
            (None, None) => (String::new(), theme.style(Role::Text)),
        };
        Cells::new([
            Line::from(row.binding.id.to_string()),
            Line::from(emp_no),
            Line::from(name),
            Line::from(row.binding.provider.label()),
            Line::from(account_text(view, row)),
            Line::from(row.binding.state.label()),
            Line::from(row.binding.last_used.map(local_day).unwrap_or_default()),
            Line::styled(flag, style),
        ])
    });
    // Keep the selection on screen when the window holds more rows than fit.
    let height = usize::from(rows_area.height.saturating_sub(1)).max(1);
    let skip = (view.selected + 1).saturating_sub(height);
    let rows: Vec<Cells> = rows.skip(skip).take(height).collect();
    let table = table(theme, &columns, rows, rows_area.width);
    let mut state = TableState::new().with_selected(Some(view.selected - skip));
    frame.render_stateful_widget(table, rows_area, &mut state);
}

fn draw_detail(view: &BindingsView, app: &App, frame: &mut Frame, area: Rect, row: &BindingRow) {
    let theme = app.theme();
    let lines = detail_lines(view, row, app.session().now())
        .into_iter()
        .map(|line| vec![line])
        .collect();
    let (lines, cut) = fit_parts(theme, lines, inside(area), true);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            title(&detail_title(row), area.width),
            theme.style(Role::Title),
        ));
    if cut {
        block = block.title_bottom(more_hint(app));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The detail's title: the binding and whose it is.
fn detail_title(row: &BindingRow) -> String {
    let who = row.employee.as_ref().map_or_else(
        || tr!("binding.gone"),
        |e| format!("{} {} · {}", e.emp_no, e.name, e.status.label()),
    );
    format!("{} · {who}", row.binding.id)
}

/// The selected binding's panel whole, for the report overlay.
pub(super) fn detail(view: &BindingsView, now: DateTime<Utc>) -> Option<Report> {
    let row = view.selected_row()?;
    let lines = detail_lines(view, row, now)
        .into_iter()
        .map(|(text, _)| text)
        .collect();
    Some(Report::new(detail_title(row), lines))
}

/// The binding's account, its state (with the audit's finding on it and
/// where a pending request's code is), then its whole history.
fn detail_lines(view: &BindingsView, row: &BindingRow, now: DateTime<Utc>) -> Vec<(String, Role)> {
    let binding = &row.binding;
    let mut lines = vec![(
        tr!(
            "binding.detail.account",
            provider = binding.provider.label(),
            account = account_text(view, row),
            bound = local_day(binding.bound_at),
            method = binding.method,
            used = binding
                .last_used
                .map_or_else(|| tr!("binding.never"), local_day)
        ),
        Role::Text,
    )];
    let state = match &binding.state {
        BindingState::Active => tr!("binding.detail.active"),
        BindingState::PendingUnbind {
            reason,
            requested_by,
            requested_at,
            ..
        } => tr!(
            "binding.detail.pending",
            reason = reason.label(),
            by = requested_by,
            due = due_text(*requested_at, now)
        ),
        BindingState::Unbound {
            reason,
            how,
            by,
            at,
        } => tr!(
            "binding.detail.unbound",
            reason = reason.label(),
            how = how.label(),
            by = by,
            at = local_day(*at)
        ),
    };
    let role = if row.is_critical() {
        Role::Error
    } else {
        Role::Key
    };
    lines.push((state, role));
    if let Some(found) = view.selected_finding() {
        lines.push((format!("  {}", found.describe()), Role::Warning));
    }
    if binding.state.view().pending_since().is_some() {
        lines.push((format!("  {}", notice_text(view, row)), Role::Key));
    }
    lines.push((tr!("binding.detail.history"), Role::Muted));
    lines.push((
        tr!("binding.detail.bound", at = local_day(binding.bound_at)),
        Role::Text,
    ));
    for step in &binding.history {
        lines.push((
            format!(
                "  {} {} · {}",
                local_day(step.at),
                step.state.label(),
                step.by
            ),
            Role::Text,
        ));
    }
    lines
}
