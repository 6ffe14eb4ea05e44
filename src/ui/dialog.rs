//! Dialogs drawn over the view: the form with inline errors, and the yes/no
//! confirmation.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::hints_line;
use super::layout::{centered, clear_for_dialog};
use crate::action::{Action, Section};
use crate::app::form::{FieldKind, Form};
use crate::app::pane::Errand;
use crate::app::{App, Confirm};
use crate::config::theme::Role;
use crate::text::{pad, wrap};
use crate::tr;

/// The frame of every dialog: focused border, dialog background, title.
pub(super) fn dialog_block<'a>(app: &App, title: &str) -> Block<'a> {
    let theme = app.theme();
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::BorderFocus))
        .style(theme.style(Role::Dialog))
        .title(Line::styled(format!(" {title} "), theme.style(Role::Title)))
}

/// Widest a form dialog gets.
const FORM_WIDTH: u16 = 72;

pub fn draw_form(app: &App, form: &Form<Errand>, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let text_width = usize::from(FORM_WIDTH.min(area.width).saturating_sub(2));
    let label_width = form
        .fields
        .iter()
        .map(|f| f.label.width())
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines = Vec::new();
    if let Some(note) = &form.note {
        for part in wrap(note, text_width) {
            lines.push(Line::styled(part, theme.style(Role::Muted)));
        }
        lines.push(Line::default());
    }
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label_role = if field.error.is_some() {
            Role::Error
        } else if focused {
            Role::Title
        } else {
            Role::Text
        };
        let marker = if focused { "▸ " } else { "  " };
        let label = format!("{marker}{}", pad(&field.label, label_width));
        let mut spans = vec![Span::styled(label, theme.style(label_role))];
        match &field.kind {
            FieldKind::Text(input) => {
                spans.push(Span::styled(
                    input.text().to_string(),
                    theme.style(Role::Input),
                ));
                if focused {
                    cursor = Some((lines.len(), 2 + label_width + input.cursor_column()));
                }
                if let Some(hint) = &field.hint {
                    spans.push(Span::styled(format!("  {hint}"), theme.style(Role::Muted)));
                }
            }
            FieldKind::Choice(choice) => {
                spans.push(Span::styled(
                    format!("‹ {} ›", choice.label()),
                    theme.style(Role::Input),
                ));
                if focused && !choice.query.is_empty() {
                    spans.push(Span::styled(
                        format!("  {}", tr!("form.seeking", query = choice.query.text())),
                        theme.style(Role::Muted),
                    ));
                }
            }
        }
        lines.push(Line::from(spans));
        if let Some(error) = &field.error {
            let indent = label_width + 2;
            for part in wrap(error, text_width.saturating_sub(indent)) {
                lines.push(Line::styled(
                    format!("{:indent$}{part}", ""),
                    theme.style(Role::Error),
                ));
            }
        }
    }
    if let Some(error) = &form.error {
        for part in wrap(error, text_width) {
            lines.push(Line::styled(part, theme.style(Role::Error)));
        }
    }
    lines.push(Line::default());
    lines.push(hints_line(
        app,
        &[
            (Section::Form, Action::Submit, tr!("hint.save")),
            (Section::Form, Action::Cancel, tr!("hint.cancel")),
            (Section::Form, Action::NextField, tr!("hint.next_field")),
            (Section::Form, Action::NextChoice, tr!("hint.next_choice")),
        ],
    ));
    let height = lines.len() as u16 + 2;
    let rect = centered(area, FORM_WIDTH, height);
    clear_for_dialog(frame.buffer_mut(), rect);
    let block = dialog_block(app, &form.title);
    let inner = block.inner(rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
    if let Some((row, col)) = cursor {
        let x = (inner.x + col as u16).min(inner.right().saturating_sub(1));
        frame.set_cursor_position(Position::new(x, inner.y + row as u16));
    }
}

pub fn draw_confirm(app: &App, confirm: &Confirm, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let lines = vec![
        Line::styled(confirm.message.clone(), theme.style(Role::Warning)),
        Line::default(),
        hints_line(
            app,
            &[
                (Section::Confirm, Action::Confirm, tr!("hint.yes")),
                (Section::Confirm, Action::Cancel, tr!("hint.no")),
            ],
        ),
    ];
    let width = 60.min(area.width);
    let text_rows = (confirm.message.width() as u16 / width.saturating_sub(4).max(1)) + 1;
    let rect = centered(area, width, text_rows + 4);
    clear_for_dialog(frame.buffer_mut(), rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(dialog_block(app, &confirm.title))
            .wrap(Wrap { trim: true }),
        rect,
    );
}
