//! The help overlay: every binding of the live keymap, filterable.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};

use super::layout::{centered, clear_for_dialog};
use crate::app::App;
use crate::app::help::Help;
use crate::config::theme::Role;
use crate::tr;

pub fn draw(app: &App, help: &Help, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let rows = help.filter(app.help_rows());
    let rect = centered(area, 90, area.height.saturating_sub(2));
    clear_for_dialog(frame.buffer_mut(), rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::BorderFocus))
        .style(theme.style(Role::Dialog))
        .title(Line::styled(
            format!(" {} ", tr!("help.title")),
            theme.style(Role::Title),
        ))
        .title_bottom(Line::styled(
            format!(" {} ", tr!("help.footer")),
            theme.style(Role::Muted),
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [query_area, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let prompt = tr!("help.filter");
    let query = Line::from(vec![
        Span::styled(format!("{prompt} "), theme.style(Role::Key)),
        Span::styled(help.query.text().to_string(), theme.style(Role::Input)),
    ]);
    frame.render_widget(Paragraph::new(query), query_area);
    let x = query_area.x
        + unicode_width::UnicodeWidthStr::width(prompt.as_str()) as u16
        + 1
        + help.query.cursor_column() as u16;
    frame.set_cursor_position(Position::new(
        x.min(query_area.right().saturating_sub(1)),
        query_area.y,
    ));

    let table_rows: Vec<Row> = rows
        .iter()
        .map(|row| {
            Row::new(vec![
                Span::styled(row.section.name(), theme.style(Role::Muted)),
                Span::styled(row.keys.clone(), theme.style(Role::Key)),
                Span::styled(row.action.name(), theme.style(Role::Text)),
                Span::styled(row.description(), theme.style(Role::Text)),
            ])
        })
        .collect();
    if table_rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                tr!("list.no_match", query = help.query.text()),
                theme.style(Role::Muted),
            )),
            table_area,
        );
        return;
    }
    let header = Row::new(vec![
        tr!("help.col.section"),
        tr!("help.col.keys"),
        tr!("help.col.action"),
        tr!("help.col.description"),
    ])
    .style(theme.style(Role::Header));
    let table = Table::new(
        table_rows,
        [
            Constraint::Length(8),
            Constraint::Length(16),
            Constraint::Length(15),
            Constraint::Fill(1),
        ],
    )
    .header(header)
    .row_highlight_style(theme.style(Role::Selected));
    let mut state = TableState::new()
        .with_offset(help.cursor.offset)
        .with_selected(Some(help.cursor.selected));
    frame.render_stateful_widget(table, table_area, &mut state);
}
