//! The help overlay: every binding of the live keymap, filterable, each
//! description whole (wrapped), and under them the legend of the pane on
//! screen (what its symbols mean).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, TableState};

use super::dialog::dialog_block;
use super::input::draw_input;
use super::layout::{centered, clear_for_dialog};
use super::table::{Cells, Column, table};
use crate::action::Section;
use crate::app::App;
use crate::app::help::Help;
use crate::config::theme::Role;
use crate::text::wrap;
use crate::tr;

pub fn draw(app: &App, help: &Help, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let rows = help.filter(app.help_rows());
    let rect = centered(area, 90, area.height.saturating_sub(2));
    clear_for_dialog(frame.buffer_mut(), rect);
    let block = dialog_block(app, &tr!("help.title")).title_bottom(Line::styled(
        format!(" {} ", tr!("help.footer")),
        theme.style(Role::Muted),
    ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    // The legend wraps: it is read whole.
    let legend: Vec<String> = app
        .shown()
        .legend()
        .iter()
        .flat_map(|line| wrap(line, usize::from(inner.width)))
        .collect();
    let [query_area, table_area, legend_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(legend.len() as u16),
    ])
    .areas(inner);
    let legend: Vec<Line> = legend
        .into_iter()
        .map(|line| Line::styled(line, theme.style(Role::Muted)))
        .collect();
    frame.render_widget(Paragraph::new(legend), legend_area);
    let prompt = format!("{} ", tr!("help.filter"));
    draw_input(app, frame, query_area, &prompt, &help.query, true);

    let table_rows: Vec<Cells> = rows
        .iter()
        .map(|row| {
            Cells::new([
                Line::styled(row.section.name(), theme.style(Role::Muted)),
                Line::styled(row.keys.clone(), theme.style(Role::Key)),
                Line::styled(row.action.name(), theme.style(Role::Text)),
                Line::styled(row.description(), theme.style(Role::Text)),
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
    // The description wraps: it is read whole.
    let columns = [
        Column::words(tr!("help.col.section"), Section::ALL.map(Section::name)),
        Column::flex(tr!("help.col.keys"), 1),
        Column::flex(tr!("help.col.action"), 1),
        Column::wrap(tr!("help.col.description"), 4),
    ];
    let table = table(theme, &columns, table_rows, table_area.width);
    let mut state = TableState::new()
        .with_offset(help.cursor.offset)
        .with_selected(Some(help.cursor.selected));
    frame.render_stateful_widget(table, table_area, &mut state);
}
