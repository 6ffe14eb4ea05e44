//! A prompt followed by a text field, with the terminal cursor placed in it:
//! the filter line, the help search and the palette input.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::app::text_input::TextInput;
use crate::config::theme::Role;

/// Draws `prompt` and `input` on the first row of `area`; with `focused`,
/// puts the terminal cursor at the input's cursor.
pub fn draw_input(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    prompt: &str,
    input: &TextInput,
    focused: bool,
) {
    let theme = app.theme();
    let line = Line::from(vec![
        Span::styled(prompt.to_string(), theme.style(Role::Key)),
        Span::styled(input.text().to_string(), theme.style(Role::Input)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if focused {
        let x = area.x + (prompt.width() + input.cursor_column()) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}
