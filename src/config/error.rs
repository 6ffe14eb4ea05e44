//! Errors in configuration files (keymap, themes, config.toml): each names the
//! file and, where known, the line and the key at fault.

use std::fmt::{self, Display};

use crate::tr;

/// A problem found in one configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file as the user knows it: a path, or the built-in keymap's label.
    pub file: String,
    /// 1-based line number, when the problem has a place in the file.
    pub line: Option<usize>,
    /// The key (or section) at fault, when there is one.
    pub key: Option<String>,
    /// What is wrong, in plain words, in the current language.
    pub message: String,
}

impl ConfigError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            file: file.into(),
            line: None,
            key: None,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": {}", tr!("config.key", key = format!("{key:?}")))?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Joins `items` with the current language's list separator.
pub(crate) fn join_list<T: Display>(items: impl IntoIterator<Item = T>) -> String {
    let separator = tr!("config.list_separator");
    items
        .into_iter()
        .map(|item| item.to_string())
        .collect::<Vec<_>>()
        .join(&separator)
}

/// Converts a byte offset in `text` to a 1-based line number.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_key() {
        let err = ConfigError::new("keymap.toml", "unknown action \"fly\"")
            .at_line(3)
            .with_key("x");
        assert_eq!(
            err.to_string(),
            "keymap.toml:3: key \"x\": unknown action \"fly\""
        );
    }

    #[test]
    fn display_and_lists_speak_chinese() {
        crate::i18n::set_lang(crate::i18n::Lang::Zh);
        let err = ConfigError::new("keymap.toml", "未知动作“fly”")
            .at_line(3)
            .with_key("x");
        let shown = err.to_string();
        let joined = join_list(["a", "b"]);
        crate::i18n::set_lang(crate::i18n::Lang::En);
        assert_eq!(shown, "keymap.toml:3: 键 \"x\": 未知动作“fly”");
        assert_eq!(joined, "a、b");
        assert_eq!(join_list(["a", "b"]), "a, b");
    }

    #[test]
    fn offsets_map_to_lines() {
        let text = "a\nb\nc";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 2), 2);
        assert_eq!(line_of(text, 4), 3);
        assert_eq!(line_of(text, 99), 3);
    }
}
