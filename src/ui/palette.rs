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
use crate::text::{clip, pad};
use crate::tr;
use unicode_width::UnicodeWidthStr;

/// Suggestions shown at most.
const MAX_SUGGESTIONS: u16 = 14;

/// The palette's width at most, and the widest its command column gets.
const MAX_WIDTH: u16 = 110;
const MAX_COMMAND: usize = 24;

pub fn draw(app: &App, palette: &Palette, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let room = area.height.saturating_sub(6).max(1);
    let shown = (palette.suggestions().len() as u16).clamp(1, MAX_SUGGESTIONS.min(room));
    let width = MAX_WIDTH.min(area.width.saturating_sub(4)).max(40);
    let rect = top_centered(area, width, shown + 3);
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
    let command_width = palette
        .suggestions()
        .map(|s| s.command.trim_end().width())
        .max()
        .unwrap_or(0)
        .min(MAX_COMMAND)
        + 2;
    let keys_width = palette
        .suggestions()
        .map(|s| s.keys.width())
        .max()
        .unwrap_or(0)
        + 2;
    let row_width = usize::from(list_area.width);
    let items: Vec<ListItem> = palette
        .suggestions()
        .map(|s| {
            let command_style = if s.denied.is_some() {
                Role::Muted
            } else {
                Role::Text
            };
            // Where it runs and who may are never cut: the description gives way.
            let place = s
                .elsewhere
                .as_ref()
                .map(|(_, pane)| tr!("palette.on_pane", pane = pane))
                .unwrap_or_default();
            let reason = s
                .denied
                .as_ref()
                .map(|who| format!(" · {who}"))
                .unwrap_or_default();
            let room = row_width
                .saturating_sub(command_width + keys_width + place.width() + reason.width());
            ListItem::new(Line::from(vec![
                Span::styled(
                    pad(
                        &clip(s.command.trim_end(), command_width - 2),
                        command_width,
                    ),
                    theme.style(command_style),
                ),
                Span::styled(pad(&s.keys, keys_width), theme.style(Role::Key)),
                Span::styled(
                    clip(&s.description, room).into_owned(),
                    theme.style(Role::Muted),
                ),
                Span::styled(place, theme.style(Role::Muted)),
                Span::styled(reason, theme.style(Role::Warning)),
            ]))
        })
        .collect();
    let list = List::new(items).highlight_style(theme.style(Role::Selected));
    let mut state = ListState::default().with_selected(Some(palette.selected));
    frame.render_stateful_widget(list, list_area, &mut state);
}
