//! The report overlay: a scrollable list of lines in a dialog.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{List, ListItem, ListState};

use super::dialog::dialog_block;
use super::layout::{centered, clear_for_dialog};
use crate::app::App;
use crate::app::report::Report;
use crate::config::theme::Role;
use crate::tr;

pub fn draw(app: &App, report: &Report, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let height = (report.lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let rect = centered(area, 100, height.max(5));
    clear_for_dialog(frame.buffer_mut(), rect);
    let block = dialog_block(app, &report.title).title_bottom(Line::styled(
        format!(" {} ", tr!("report.footer")),
        theme.style(Role::Muted),
    ));
    let items: Vec<ListItem> = report
        .lines
        .iter()
        .map(|line| ListItem::new(Line::styled(line.clone(), theme.style(Role::Text))))
        .collect();
    let list = List::new(items)
        .block(block)
        .highlight_style(theme.style(Role::Selected));
    let mut state = ListState::default()
        .with_offset(report.cursor.offset)
        .with_selected(Some(report.cursor.selected));
    frame.render_stateful_widget(list, rect, &mut state);
}
