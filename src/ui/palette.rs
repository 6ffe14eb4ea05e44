//! The command palette overlay: the typed line and the matching commands.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::dialog::dialog_block;
use super::input::draw_input;
use super::layout::{clear_for_dialog, top_centered};
use crate::app::App;
use crate::app::palette::Palette;
use crate::config::theme::Role;
use crate::tr;

/// Suggestions shown at most.
const MAX_SUGGESTIONS: u16 = 10;

pub fn draw(app: &App, palette: &Palette, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let shown = (palette.suggestions().len() as u16).clamp(1, MAX_SUGGESTIONS);
    let rect = top_centered(area, 64, shown + 3);
    clear_for_dialog(frame.buffer_mut(), rect);
    let block = dialog_block(app, &tr!("palette.title"));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [input_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    draw_input(app, frame, input_area, ": ", &palette.input, true);

    if palette.suggestions().len() == 0 {
        frame.render_widget(
            Paragraph::new(Line::styled(
                tr!("palette.no_match"),
                theme.style(Role::Muted),
            )),
            list_area,
        );
        return;
    }
    let width = palette
        .suggestions()
        .map(|s| s.command.len())
        .max()
        .unwrap_or(0)
        + 2;
    let items: Vec<ListItem> = palette
        .suggestions()
        .map(|s| {
            ListItem::new(Line::from(vec![
                Span::styled(format!("{:<width$}", s.command), theme.style(Role::Text)),
                Span::styled(s.description.clone(), theme.style(Role::Muted)),
            ]))
        })
        .collect();
    let list = List::new(items).highlight_style(theme.style(Role::Selected));
    let mut state = ListState::default().with_selected(Some(palette.selected));
    frame.render_stateful_widget(list, list_area, &mut state);
}
