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

    /// Scrolls for a navigation action.
    pub fn scroll(&mut self, action: Action, page: usize) {
        self.top = scrolled(self.top, action, page, self.lines.len());
    }
}

/// The line at the top of `len` lines after a navigation action, from
/// `top` (long lines wrap, so the last line may be scrolled to the top).
pub fn scrolled(top: usize, action: Action, page: usize, len: usize) -> usize {
    let last = len.saturating_sub(1);
    match action {
        Action::Up => top.saturating_sub(1),
        Action::Down => top + 1,
        Action::PageUp => top.saturating_sub(page),
        Action::PageDown => top + page,
        Action::First => 0,
        Action::Last => last,
        _ => top,
    }
    .min(last)
}
