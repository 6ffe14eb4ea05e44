//! The Staff pane: the employee table (searched by number, name, pinyin,
//! department, title, phone and e-mail, what was found lit, sortable) and,
//! below it, the selected employee's
//! record and history timeline (cut with `…` where they do not fit, and
//! shown whole by `detail`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use unicode_width::UnicodeWidthStr;

use super::{SortKey, StaffRow, StaffView};
use crate::action::{Action, Section};
use crate::app::App;
use crate::app::report::Report;
use crate::config::theme::Role;
use crate::domain::employee::{
    Employee, EventKind, Field, LifecycleEvent, MASKED, Status, format_money,
};
use crate::tr;
use crate::ui::key_hint;
use crate::ui::panel::{Parts, fit_parts, inside, more_hint, plain, title};
use crate::ui::table::{Cells, Column, ListTable, draw_list};

/// Height of the detail panel under the table.
const DETAIL_ROWS: u16 = 9;

pub(super) fn draw(view: &StaffView, app: &App, frame: &mut Frame, area: Rect) {
    let show_detail = area.height >= DETAIL_ROWS + 8 && view.selected.is_some();
    let [table_area, detail_area] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(if show_detail { DETAIL_ROWS } else { 0 }),
    ])
    .areas(area);
    draw_table(view, app, frame, table_area);
    if show_detail && let Some((record, history)) = &view.selected {
        draw_detail(view, app, frame, detail_area, record, history);
    }
}

fn sort_label(key: SortKey) -> String {
    match key {
        SortKey::EmpNo => Field::EmpNo.label(),
        SortKey::Name => Field::Name.label(),
        SortKey::Department => Field::Department.label(),
        SortKey::HireDate => Field::HireDate.label(),
        SortKey::Status => Field::Status.label(),
    }
}

fn draw_table<'a>(view: &'a StaffView, app: &'a App, frame: &mut Frame, area: Rect) {
    let labels = &view.labels;
    let make_row = |row: &'a StaffRow| {
        let shown = labels.of(row);
        Cells::new([
            Line::from(row.emp_no.as_str()),
            Line::from(shown.name),
            Line::from(shown.department.name.as_str()),
            Line::from(shown.title),
            Line::from(shown.manager.unwrap_or("")),
            Line::from(row.status.label()),
            Line::from(row.hire_date.format("%Y-%m-%d").to_string()),
        ])
    };
    let columns = vec![
        Column::keep(Field::EmpNo.label(), 7).shows(0),
        Column::flex(Field::Name.label(), 2).shows(1),
        Column::flex(Field::Department.label(), 2).shows(2),
        Column::flex(Field::Title.label(), 2).shows(3),
        Column::flex(Field::Manager.label(), 2),
        Column::words(Field::Status.label(), Status::ALL.map(Status::label)),
        Column::keep(Field::HireDate.label(), 10),
    ];
    let arrow = if view.descending { "↓" } else { "↑" };
    let mut title = tr!("tab.staff");
    if let Some((_, path)) = &view.department_filter {
        title = format!("{title} · {path}");
    }
    let title = format!(
        "{title} · {}",
        tr!(
            "staff.sorted_by",
            column = sort_label(view.sort),
            arrow = arrow
        )
    );
    let title = match view.reading_total() {
        Some(Some(total)) => format!(
            "{title} · {}",
            tr!("staff.reading", total = crate::i18n::grouped(total))
        ),
        Some(None) => format!("{title} · {}", tr!("staff.reading_yours")),
        None => title,
    };
    let table = ListTable {
        title,
        columns,
        empty: start_guide(view, app),
        hidden: vec![(4, Field::Phone.label()), (5, Field::Email.label())],
    };
    draw_list(app, frame, area, &view.list, table, make_row);
}

/// What an empty table says: the ways to start, with the keys the live
/// keymap binds (creating departments only while there are none).
fn start_guide(view: &StaffView, app: &App) -> String {
    if app.desk().waits_for_job(super::ID) {
        return tr!("loads.waiting");
    }
    let mut ways = Vec::new();
    if !view.has_departments {
        ways.push((
            key_hint(app, Section::Global, Action::Departments),
            tr!("staff.start.departments"),
        ));
    }
    ways.push((
        key_hint(app, Section::Browse, Action::Add),
        tr!("staff.start.hire"),
    ));
    ways.push((
        key_hint(app, Section::Global, Action::Palette),
        tr!("staff.start.import"),
    ));
    let key_width = ways.iter().map(|(key, _)| key.width()).max().unwrap_or(0);
    let mut lines = vec![tr!("staff.start.title")];
    for (key, what) in ways {
        let pad = " ".repeat(key_width - key.width());
        lines.push(format!("  {key}{pad}  {what}"));
    }
    lines.join("\n")
}

fn draw_detail(
    view: &StaffView,
    app: &App,
    frame: &mut Frame,
    area: Rect,
    record: &Employee,
    history: &[LifecycleEvent],
) {
    let theme = app.theme();
    let inner = inside(area);
    let [fields_area, history_area] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(inner);
    let (fields, fields_cut) = fit_parts(theme, record_lines(view, record), fields_area, false);
    let timeline = timeline_lines(view, record, history);
    let (timeline, timeline_cut) = fit_parts(theme, timeline, history_area, false);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            title(&detail_title(record), area.width),
            theme.style(Role::Title),
        ));
    if fields_cut || timeline_cut {
        block = block.title_bottom(more_hint(app));
    }
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(fields), fields_area);
    frame.render_widget(Paragraph::new(timeline), history_area);
}

/// The detail's title: the person's number and name.
fn detail_title(record: &Employee) -> String {
    format!("{} {}", record.emp_no, record.name)
}

/// The selected person's panel whole, for the report overlay: the record,
/// then the changes to come and the history.
pub(super) fn detail(view: &StaffView) -> Option<Report> {
    let (record, history) = view.selected.as_ref()?;
    let mut lines: Vec<String> = record_lines(view, record).iter().map(plain).collect();
    lines.push(String::new());
    lines.push(tr!("detail.history"));
    lines.extend(timeline_lines(view, record, history).iter().map(plain));
    Some(Report::new(detail_title(record), lines))
}

/// The record's fields, `label: value` each (the sensitive ones masked
/// unless revealed).
fn record_lines(view: &StaffView, record: &Employee) -> Vec<Parts> {
    let reveal = view.revealed == Some(record.id);
    let sensitive = |text: String| {
        if reveal || text.is_empty() {
            text
        } else {
            // The same width whatever the value, so its length tells nothing.
            MASKED.to_string()
        }
    };
    let pairs = [
        (Field::Title, format!("{} {}", record.title, record.grade)),
        (Field::Phone, record.phone.clone()),
        (Field::Email, record.email.clone()),
        (Field::NationalId, sensitive(record.national_id.clone())),
        (
            Field::Salary,
            sensitive(record.salary.map(format_money).unwrap_or_default()),
        ),
    ];
    pairs
        .into_iter()
        .map(|(field, value)| {
            vec![
                (format!("{}: ", field.label()), Role::Muted),
                (value, Role::Text),
            ]
        })
        .collect()
}

/// The changes to come (the latest first), then the history, newest first.
fn timeline_lines(view: &StaffView, record: &Employee, history: &[LifecycleEvent]) -> Vec<Parts> {
    let reveal = view.revealed == Some(record.id);
    let upcoming = view.upcoming.iter().rev().map(|row| {
        let when = match &row.item.blocked {
            Some(_) => tr!("staff.detail.blocked", date = row.item.effective),
            None => tr!("staff.detail.from", date = row.item.effective),
        };
        vec![
            (format!("{when} "), Role::Warning),
            (format!("{} ", row.what), Role::Key),
            (format!("{} ({})", row.changes, row.item.id), Role::Text),
        ]
    });
    let zone = crate::zone::current();
    let recorded = history.iter().rev().map(|event| {
        let entered = zone.local(event.recorded_at).date_naive();
        let entered =
            (entered != event.effective).then(|| tr!("staff.detail.entered", date = entered));
        let mut parts: Vec<String> = Vec::new();
        if let EventKind::Departure { reason, note } = &event.kind {
            parts.push(if note.is_empty() {
                reason.label()
            } else {
                format!("{}: {note}", reason.label())
            });
        }
        parts.extend(
            event
                .changes
                .iter()
                .filter(|c| !c.field.is_sensitive() || reveal)
                .filter(|c| event.kind != EventKind::Hire || c.field == Field::Department)
                .filter(|c| c.field != Field::Status)
                .map(|c| format!("{} {} → {}", c.field.label(), c.old, c.new)),
        );
        vec![
            (
                format!("{} ", event.effective.format("%Y-%m-%d")),
                Role::Muted,
            ),
            (format!("{} ", event.kind.label()), Role::Key),
            (parts.join("; "), Role::Text),
            (
                entered.map(|note| format!(" · {note}")).unwrap_or_default(),
                Role::Muted,
            ),
        ]
    });
    upcoming.chain(recorded).collect()
}
