//! A read-only report over the screen (such as the problems an import
//! found): a title, lines, and which line is at the top. `Esc` closes it.

use crate::action::Action;

/// A report's content and where it is scrolled to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub title: String,
    pub lines: Vec<String>,
    /// The line shown first.
    pub top: usize,
}

impl Report {
    pub fn new(title: String, lines: Vec<String>) -> Self {
        Report {
            title,
            lines,
            top: 0,
        }
    }

    /// Scrolls for a navigation action (long lines wrap, so the last line
    /// may be scrolled to the top).
    pub fn scroll(&mut self, action: Action, page: usize) {
        let last = self.lines.len().saturating_sub(1);
        self.top = match action {
            Action::Up => self.top.saturating_sub(1),
            Action::Down => self.top + 1,
            Action::PageUp => self.top.saturating_sub(page),
            Action::PageDown => self.top + page,
            Action::First => 0,
            Action::Last => last,
            _ => self.top,
        }
        .min(last);
    }
}
