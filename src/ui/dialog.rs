//! Dialogs drawn over the view: the form with inline errors, and the yes/no
//! confirmation.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::hints_line;
use super::layout::{centered, clear_for_dialog};
use crate::action::{Action, Section};
use crate::app::form::{Field, FieldKind, Form, PersonInput};
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

/// Narrowest a form dialog is, when the terminal is that wide.
const FORM_MIN_WIDTH: u16 = 72;
/// A form may grow to this many columns, or to [`FORM_MAX_SHARE`] of a
/// wider terminal.
const FORM_MAX_WIDTH: u16 = 100;
/// The share (in percent) of a wide terminal's width a form may grow to.
const FORM_MAX_SHARE: u16 = 80;
/// Columns a value gets at least, when the terminal has them, to be typed
/// into without the dialog growing at each key.
const TYPING_ROOM: usize = 40;
/// Most people a pick list shows at once (it scrolls).
const PICK_ROWS: usize = 5;

/// How a form is laid out at the terminal's width: the dialog's width and
/// the columns of the labels (values start after them).
struct FormLayout {
    width: u16,
    /// The label column, the marker and the gap after the label included.
    label_column: usize,
}

impl FormLayout {
    /// As wide as its longest label beside its widest value (with its
    /// hint, a choice's note, a pick; [`TYPING_ROOM`] at least) and its
    /// title want, from [`FORM_MIN_WIDTH`] up to [`FORM_MAX_WIDTH`] or
    /// [`FORM_MAX_SHARE`] of a wider terminal. Where that is too narrow,
    /// labels give way to values, down to half the width (longer ones wrap).
    fn new(form: &Form<Errand>, area: Rect) -> FormLayout {
        let most = FORM_MAX_WIDTH
            .min(area.width)
            .max(area.width.saturating_mul(FORM_MAX_SHARE) / 100);
        let label_width = form
            .fields
            .iter()
            .map(|f| f.label.width())
            .max()
            .unwrap_or(0);
        let value_width = form
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| value_width(f, i == form.focus))
            .max()
            .unwrap_or(0);
        let labels = MARKER + label_width + GAP;
        let wanted = (labels + value_width.max(TYPING_ROOM)).max(form.title.width() + 4) + 2;
        let width = u16::try_from(wanted)
            .unwrap_or(u16::MAX)
            .clamp(FORM_MIN_WIDTH.min(most), most);
        let inner = usize::from(width.saturating_sub(2));
        let label_column = labels
            .min((inner / 2).max(inner.saturating_sub(value_width)))
            .max(MARKER + GAP + 1);
        FormLayout {
            width,
            label_column,
        }
    }

    /// Columns inside the borders.
    fn inner(&self) -> usize {
        usize::from(self.width.saturating_sub(2))
    }

    /// Columns a value has, after the label column.
    fn room(&self) -> usize {
        self.inner().saturating_sub(self.label_column).max(1)
    }
}

/// The focus marker's width before each label.
const MARKER: usize = 2;
/// Columns between the longest label and the values.
const GAP: usize = 2;

/// Columns field `field`'s value line wants (one for the cursor included).
fn value_width(field: &Field, focused: bool) -> usize {
    let hint = field.hint.as_ref().map_or(0, |h| 2 + h.width());
    match &field.kind {
        FieldKind::Text(input) => input.text().width() + 1 + hint,
        FieldKind::Choice(choice) => {
            let note = match choice.missed() {
                Some(typed) => 2 + tr!("form.choice.no_match", typed = typed).width(),
                None if focused && !choice.query.is_empty() => {
                    2 + tr!("form.seeking", query = choice.query.text()).width()
                }
                None => 0,
            };
            choice.label().width() + 4 + note
        }
        FieldKind::Person(person) => {
            let picks = if focused && person.listing() {
                person
                    .picks
                    .iter()
                    .map(|p| MARKER + p.label.width())
                    .max()
                    .unwrap_or(0)
            } else {
                0
            };
            (person.input.text().width() + 1 + hint).max(picks)
        }
    }
}

/// The part of `text` that a field `room` columns wide shows, keeping
/// display column `cursor` in view, with `…` where text is cut off; and
/// the cursor's column in it.
fn visible(text: &str, cursor: usize, room: usize) -> (String, usize) {
    let total = text.width();
    if total <= room || room < 3 {
        return (text.to_string(), cursor);
    }
    // The window's first column; the cursor stays off its last one.
    let start = (cursor + 2).saturating_sub(room).min(total + 1 - room);
    let cut_left = start > 0;
    let cut_right = total > start + room;
    let from = start + usize::from(cut_left);
    let to = start + room - usize::from(cut_right);
    let mut shown = String::from(if cut_left { "…" } else { "" });
    let mut shown_cursor = 0;
    let mut column = 0;
    for c in text.chars() {
        if column == cursor {
            shown_cursor = shown.width();
        }
        let width = UnicodeWidthChar::width(c).unwrap_or(0);
        if column >= from && column + width <= to {
            shown.push(c);
        }
        column += width;
    }
    if column == cursor {
        shown_cursor = shown.width();
    }
    if cut_right {
        shown.push('…');
    }
    (shown, shown_cursor)
}

pub fn draw_form(app: &App, form: &Form<Errand>, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let layout = FormLayout::new(form, area);
    let text_width = layout.inner();
    let label_column = layout.label_column;
    let room = layout.room();
    let indent = " ".repeat(label_column);
    // The note and the fields scroll (keeping the focused field in view);
    // the form's own error and the keys stay below them.
    let mut lines = Vec::new();
    if let Some(note) = &form.note {
        for part in wrap(note, text_width) {
            lines.push(Line::styled(part, theme.style(Role::Muted)));
        }
        lines.push(Line::default());
    }
    let mut cursor = None;
    let mut listing = false;
    let mut focused_lines = 0..0;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let first_line = lines.len();
        let label_role = if field.error.is_some() {
            Role::Error
        } else if focused {
            Role::Title
        } else {
            Role::Text
        };
        let marker = if focused { "▸ " } else { "  " };
        let label_room = label_column - MARKER - GAP;
        let mut label_lines = wrap(&field.label, label_room).into_iter();
        let first_label = label_lines.next().unwrap_or_default();
        let label = format!("{marker}{}", pad(&first_label, label_column - MARKER));
        let mut spans = vec![Span::styled(label, theme.style(label_role))];
        let hint = field
            .hint
            .as_ref()
            .map(|hint| Span::styled(format!("  {hint}"), theme.style(Role::Muted)));
        let mut picks = None;
        match &field.kind {
            FieldKind::Text(input) | FieldKind::Person(PersonInput { input, .. }) => {
                // A field not being edited shows its beginning.
                let column = if focused { input.cursor_column() } else { 0 };
                let (shown, at) = visible(input.text(), column, room);
                spans.push(Span::styled(shown, theme.style(Role::Input)));
                if focused {
                    cursor = Some((lines.len(), label_column + at));
                }
                spans.extend(hint);
                if let FieldKind::Person(person) = &field.kind
                    && focused
                    && person.listing()
                {
                    picks = Some(person);
                }
            }
            FieldKind::Choice(choice) => {
                spans.push(Span::styled(
                    format!("‹ {} ›", choice.label()),
                    theme.style(Role::Input),
                ));
                if let Some(typed) = choice.missed() {
                    spans.push(Span::styled(
                        format!("  {}", tr!("form.choice.no_match", typed = typed)),
                        theme.style(Role::Warning),
                    ));
                } else if focused && !choice.query.is_empty() {
                    spans.push(Span::styled(
                        format!("  {}", tr!("form.seeking", query = choice.query.text())),
                        theme.style(Role::Muted),
                    ));
                }
            }
        }
        lines.push(Line::from(spans));
        for more in label_lines {
            lines.push(Line::styled(
                format!("{:MARKER$}{more}", ""),
                theme.style(label_role),
            ));
        }
        if let Some(person) = picks {
            listing = true;
            lines.extend(pick_lines(app, person, &indent, room));
        }
        if let Some(error) = &field.error {
            for part in wrap(error, room) {
                lines.push(Line::styled(
                    format!("{indent}{part}"),
                    theme.style(Role::Error),
                ));
            }
        }
        if focused {
            focused_lines = first_line..lines.len();
        }
    }
    let mut footer = Vec::new();
    if let Some(error) = &form.error {
        for part in wrap(error, text_width) {
            footer.push(Line::styled(part, theme.style(Role::Error)));
        }
    }
    footer.push(Line::default());
    let hints = if listing {
        [
            (Section::Form, Action::Down, tr!("hint.pick_next")),
            (Section::Form, Action::Up, tr!("hint.pick_previous")),
            (Section::Form, Action::Submit, tr!("hint.pick")),
            (Section::Form, Action::Cancel, tr!("hint.pick_close")),
        ]
    } else {
        [
            (Section::Form, Action::Submit, tr!("hint.save")),
            (Section::Form, Action::Cancel, tr!("hint.cancel")),
            (Section::Form, Action::NextField, tr!("hint.next_field")),
            (Section::Form, Action::NextChoice, tr!("hint.next_choice")),
        ]
    };
    footer.push(hints_line(app, &hints));
    let wanted = u16::try_from(lines.len() + footer.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, layout.width, wanted);
    // Rows left for the fields once the borders and the footer are drawn.
    let rows = usize::from(rect.height.saturating_sub(2)).saturating_sub(footer.len());
    let scroll = scroll_to(focused_lines, rows, lines.len());
    clear_for_dialog(frame.buffer_mut(), rect);
    let block = dialog_block(app, &form.title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [body, bottom] = Layout::vertical([
        Constraint::Length(u16::try_from(rows).unwrap_or(u16::MAX)),
        Constraint::Min(0),
    ])
    .areas(inner);
    let offset = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((offset, 0)), body);
    frame.render_widget(Paragraph::new(footer), bottom);
    if let Some((row, col)) = cursor
        && let Some(row) = row.checked_sub(scroll).filter(|&row| row < rows)
    {
        let x = (inner.x + col as u16).min(inner.right().saturating_sub(1));
        frame.set_cursor_position(Position::new(x, inner.y + row as u16));
    }
}

/// The first of `total` lines to show in `rows` rows so that the lines
/// `focused` are in view (their beginning, when they do not all fit).
fn scroll_to(focused: std::ops::Range<usize>, rows: usize, total: usize) -> usize {
    if total <= rows {
        return 0;
    }
    focused
        .end
        .saturating_sub(rows)
        .min(focused.start)
        .min(total - rows)
}

/// The pick list under an employee field: a few of the people its text
/// may mean, the highlighted one marked, and where it is among them all.
fn pick_lines<'a>(app: &App, person: &PersonInput, indent: &str, room: usize) -> Vec<Line<'a>> {
    let theme = app.theme();
    let first = (person.picked + 1).saturating_sub(PICK_ROWS);
    let mut lines: Vec<Line<'a>> = person
        .picks
        .iter()
        .enumerate()
        .skip(first)
        .take(PICK_ROWS)
        .map(|(at, pick)| {
            let (marker, role) = if at == person.picked {
                ("▸ ", Role::Selected)
            } else {
                ("  ", Role::Text)
            };
            let (label, _) = visible(&pick.label, 0, room.saturating_sub(MARKER));
            Line::from(vec![
                Span::raw(indent.to_string()),
                Span::styled(format!("{marker}{label}"), theme.style(role)),
            ])
        })
        .collect();
    if person.picks.len() > PICK_ROWS {
        let position = tr!(
            "form.person.position",
            at = person.picked + 1,
            count = person.picks.len()
        );
        lines.push(Line::styled(
            format!("{indent}  {position}"),
            theme.style(Role::Muted),
        ));
    }
    lines
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

#[cfg(test)]
mod tests {
    use super::{scroll_to, visible};

    #[test]
    fn the_focused_field_scrolls_into_view() {
        assert_eq!(scroll_to(0..1, 10, 8), 0, "all fit");
        assert_eq!(scroll_to(2..3, 10, 30), 0);
        assert_eq!(scroll_to(20..22, 10, 30), 12);
        assert_eq!(scroll_to(28..30, 10, 30), 20);
        assert_eq!(
            scroll_to(5..25, 10, 30),
            5,
            "a long field shows its beginning"
        );
    }

    #[test]
    fn a_long_value_shows_around_the_cursor_with_its_cuts_marked() {
        assert_eq!(visible("short", 5, 10), ("short".to_string(), 5));
        let text = "abcdefghijklmnopqrstuvwxyz";
        assert_eq!(visible(text, 0, 10), ("abcdefghi…".to_string(), 0));
        assert_eq!(visible(text, 26, 10), ("…stuvwxyz".to_string(), 9));
        let (shown, at) = visible(text, 13, 10);
        assert_eq!((shown.as_str(), at), ("…ghijklmn…", 8));
        let (shown, at) = visible("销售部华东大区门店运营", 22, 10);
        assert_eq!((shown.as_str(), at), ("…门店运营", 9));
    }
}
