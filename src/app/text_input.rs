//! A one-line text field: the text, a cursor, and the edits the keymap names.

use unicode_width::UnicodeWidthStr;

use crate::action::Action;

/// Editable single-line text with a cursor counted in characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    cursor: usize,
}

impl TextInput {
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let cursor = text.chars().count();
        TextInput { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The cursor's display column (CJK characters count two).
    pub fn cursor_column(&self) -> usize {
        self.text[..self.byte_at(self.cursor)].width()
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn len_chars(&self) -> usize {
        self.text.chars().count()
    }

    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Inserts text at the cursor; line breaks and tabs become spaces.
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            self.insert(if c.is_whitespace() { ' ' } else { c });
        }
    }

    pub fn set(&mut self, text: impl Into<String>) {
        *self = TextInput::new(text);
    }

    pub fn clear(&mut self) {
        *self = TextInput::default();
    }

    /// Applies an editing action; false when `action` is not an edit.
    pub fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::CursorLeft => self.cursor = self.cursor.saturating_sub(1),
            Action::CursorRight => self.cursor = (self.cursor + 1).min(self.len_chars()),
            Action::CursorHome => self.cursor = 0,
            Action::CursorEnd => self.cursor = self.len_chars(),
            Action::DeleteBack => {
                if self.cursor > 0 {
                    self.cursor -= 1;
                    let at = self.byte_at(self.cursor);
                    self.text.remove(at);
                }
            }
            Action::DeleteForward => {
                if self.cursor < self.len_chars() {
                    let at = self.byte_at(self.cursor);
                    self.text.remove(at);
                }
            }
            Action::ClearLine => self.clear(),
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_work_on_characters_not_bytes() {
        let mut input = TextInput::new("张伟");
        input.apply(Action::CursorLeft);
        input.insert('x');
        assert_eq!(input.text(), "张x伟");
        assert_eq!(input.cursor_column(), 3);
        input.apply(Action::DeleteBack);
        input.apply(Action::DeleteBack);
        assert_eq!(input.text(), "伟");
        input.apply(Action::DeleteBack);
        assert_eq!(input.text(), "伟");
        input.apply(Action::DeleteForward);
        assert_eq!(input.text(), "");
        assert!(!input.apply(Action::Quit));
    }

    #[test]
    fn pasted_line_breaks_become_spaces() {
        let mut input = TextInput::default();
        input.insert_str("a\nb\tc");
        assert_eq!(input.text(), "a b c");
    }
}
