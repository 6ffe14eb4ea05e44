//! A read-only report over the screen (such as the problems an import
//! found): a title, lines, and a scroll position. `Esc` closes it.

use crate::app::action::Action;
use crate::app::list::Cursor;

/// A report's content and where it is scrolled to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub title: String,
    pub lines: Vec<String>,
    pub cursor: Cursor,
}

impl Report {
    pub fn new(title: String, lines: Vec<String>) -> Self {
        Report {
            title,
            lines,
            cursor: Cursor::default(),
        }
    }

    /// Scrolls for a navigation action; false when `action` is not one.
    pub fn scroll(&mut self, action: Action, page: usize) -> bool {
        self.cursor.apply(action, self.lines.len(), page)
    }
}
