//! A bordered, filterable table: the shared widget behind every list view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};

use super::input::draw_input;
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::app::list::FilteredList;
use crate::app::text_input::TextInput;
use crate::config::theme::Role;
use crate::i18n::grouped;
use crate::tr;

/// A fixed-width column as wide as its header in the current language, and
/// at least `content` columns for its values.
pub fn fit(header: &str, content: usize) -> Constraint {
    Constraint::Length(header.width().max(content) as u16)
}

/// What a list view puts in the shared table.
pub struct ListTable {
    pub title: String,
    pub header: Vec<String>,
    pub widths: Vec<Constraint>,
    /// Shown instead of rows when there are none (one line or several).
    pub empty: String,
}

/// Draws a bordered panel titled `title` (focused while `editing`) with
/// the filter line at its top when it is typed in or holds a query;
/// returns the area left for rows.
pub fn frame_with_filter(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    title: String,
    query: &TextInput,
    editing: bool,
) -> Rect {
    let theme = app.theme();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(if editing {
            Role::BorderFocus
        } else {
            Role::Border
        }))
        .title(Line::styled(title, theme.style(Role::Title)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let show_filter = editing || !query.is_empty();
    let [filter_area, rows_area] = Layout::vertical([
        Constraint::Length(u16::from(show_filter)),
        Constraint::Min(0),
    ])
    .areas(inner);
    if show_filter {
        draw_input(app, frame, filter_area, "/ ", query, editing);
    }
    rows_area
}

/// Draws `table` for `list`: title with counts, the filter line, and the
/// rows on screen, made by `make_row` (only those: a list may be long).
pub fn draw_list<'a, T>(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    list: &'a FilteredList<T>,
    table: ListTable,
    make_row: impl Fn(&'a T) -> Row<'a>,
) {
    let theme = app.theme();
    let total = grouped(list.items().len() as u64);
    let count = if list.visible_len() == list.items().len() {
        format!(" {} ({total}) ", table.title)
    } else {
        let shown = grouped(list.visible_len() as u64);
        format!(" {} ({shown}/{total}) ", table.title)
    };
    let rows_area = frame_with_filter(app, frame, area, count, &list.query, list.editing);

    if list.visible_len() == 0 {
        let text = if list.items().is_empty() {
            table.empty
        } else {
            tr!("list.no_match", query = list.query.text())
        };
        let lines: Vec<Line> = text
            .lines()
            .map(|line| Line::styled(line.to_string(), theme.style(Role::Muted)))
            .collect();
        frame.render_widget(Paragraph::new(lines), rows_area);
        return;
    }
    // The window of rows that fits under the header, keeping the selection in it.
    let height = usize::from(rows_area.height.saturating_sub(1)).max(1);
    let selected = list.cursor.selected;
    let offset = list
        .cursor
        .offset
        .clamp(selected.saturating_sub(height - 1), selected);
    let rows: Vec<Row> = list
        .visible()
        .skip(offset)
        .take(height)
        .map(make_row)
        .collect();
    let header = Row::new(table.header).style(theme.style(Role::Header));
    let widget = Table::new(rows, table.widths)
        .header(header)
        .style(theme.style(Role::Text))
        .row_highlight_style(theme.style(Role::Selected))
        .column_spacing(1);
    let mut state = TableState::new().with_selected(Some(selected - offset));
    frame.render_stateful_widget(widget, rows_area, &mut state);
}
