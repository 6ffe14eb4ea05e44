//! The two bottom lines: the last message (or key hints), and the status bar
//! with mode, operator and role, and the database.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::hints_line;
use crate::action::{Action, Section};
use crate::app::{App, Message, Mode};
use crate::config::theme::Role;
use crate::tr;

/// The last message, key hints, or, while a long job runs, its progress
/// (then the last message after it).
pub fn draw_message(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    if let Some(progress) = app.job_line() {
        let mut spans = vec![Span::styled(progress, theme.style(Role::Ok))];
        if let Some(message) = app.message() {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(
                message.text.clone(),
                message_style(app, message),
            ));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    let line = match app.message() {
        Some(message) => Line::styled(message.text.clone(), message_style(app, message)),
        None if app.mode() == Mode::Browse && !app.shown().hints().is_empty() => {
            hints_line(app, &app.shown().hints())
        }
        None if app.mode() == Mode::Browse => hints_line(
            app,
            &[
                (Section::Global, Action::Help, tr!("hint.help")),
                (Section::Global, Action::Palette, tr!("hint.palette")),
                (Section::Browse, Action::Filter, tr!("hint.filter")),
                (Section::Global, Action::Quit, tr!("hint.quit")),
            ],
        ),
        None => Line::default(),
    };
    // A message or hints wider than the terminal end with `…`.
    let line = super::table::clip_line(line, usize::from(area.width));
    frame.render_widget(Paragraph::new(line), area);
}

/// An error's style, or a note's.
fn message_style(app: &App, message: &Message) -> ratatui::style::Style {
    app.theme().style(if message.is_error {
        Role::Error
    } else {
        Role::Ok
    })
}

/// Keeps the last `width` columns of `text`, marking the cut with `…`.
fn tail(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        kept.push(c);
    }
    kept.reverse();
    format!("…{}", kept.into_iter().collect::<String>())
}

pub fn draw_status(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let operator = app.session().operator();
    let mode = format!(" {} ", app.mode().label());
    let who = format!(" {} ({}) ", operator.user, operator.role.label());
    let pending: Vec<String> = app.pending_keys().iter().map(ToString::to_string).collect();
    let pending = if pending.is_empty() {
        String::new()
    } else {
        format!(" {} ", pending.join(" "))
    };
    let used = mode.width() + who.width() + pending.width() + 1;
    let location = app.session().location().to_string();
    let db = tail(&location, usize::from(area.width).saturating_sub(used));
    let [left, right] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(pending.width() as u16),
    ])
    .areas(area);
    let line = Line::from(vec![
        Span::styled(mode, theme.style(Role::StatusMode)),
        Span::styled(who, theme.style(Role::StatusBar)),
        Span::styled(format!(" {db}"), theme.style(Role::StatusBar)),
    ]);
    frame.render_widget(
        Paragraph::new(line).style(theme.style(Role::StatusBar)),
        left,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(pending, theme.style(Role::Key))),
        right,
    );
}

#[cfg(test)]
mod tests {
    use super::tail;

    #[test]
    fn long_paths_keep_their_end() {
        assert_eq!(tail("/a/b/c.redb", 20), "/a/b/c.redb");
        assert_eq!(tail("/home/user/数据/hr.redb", 10), "…/hr.redb");
    }
}
