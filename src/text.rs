//! Text measured in terminal columns, where a CJK character takes two:
//! padding and wrapping shared by the screen and the command line; text
//! made safe to write to a terminal (control characters escaped); short
//! texts kept without an allocation of their own; and texts many records
//! repeat, kept once.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A text kept inside what holds it when short (up to 24 bytes: employee
/// numbers, names, their pinyin), on the heap only when longer: a table
/// of a million rows makes a million fewer allocations per such field.
pub type ShortText = compact_str::CompactString;

/// An identifier kept in 16 bytes, inside what holds it up to 15 bytes
/// (an employee number, a Chinese name): the number of each row of a
/// large table, the name of each person on a scoreboard.
pub type Code = ecow::EcoString;

/// Texts seen so far, each kept once: records that repeat one (a goal's
/// title down a cascade, a job title) share one copy of it (a million
/// goals hold a few hundred titles).
#[derive(Default)]
pub struct SharedTexts(HashSet<Arc<str>>);

impl SharedTexts {
    /// `text`, shared with the records seen before that have it.
    pub fn share(&mut self, text: &str) -> Arc<str> {
        if let Some(known) = self.0.get(text) {
            return Arc::clone(known);
        }
        let text: Arc<str> = text.into();
        self.0.insert(Arc::clone(&text));
        text
    }
}

/// `text` with every control character but the line break written as its
/// escape (`\u{1b}`), so that data cannot move the cursor, clear the
/// screen or set the title of the terminal it is written to.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A character a terminal acts on instead of showing (the line break is
/// how lines are written, and stays).
fn is_unsafe(c: char) -> bool {
    c.is_control() && c != '\n'
}

/// Splits `text` into lines of at most `width` display columns, breaking
/// between words where it can and inside long words (or CJK runs) where not.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_inclusive(' ') {
        let word_width = word.trim_end().width();
        if used + word_width > width && !line.is_empty() && word_width <= width {
            lines.push(line.trim_end().to_string());
            line.clear();
            used = 0;
        }
        for c in word.chars() {
            let w = UnicodeWidthChar::width(c).unwrap_or(0);
            if c == ' ' && used + w > width {
                continue;
            }
            if used + w > width {
                lines.push(line.trim_end().to_string());
                line.clear();
                used = 0;
            }
            line.push(c);
            used += w;
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// `text` with its first letter in upper case (`transfer` → `Transfer`;
/// Chinese text is unchanged).
pub fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What marks text cut to fit its room: one display column.
pub const CUT: char = '…';

/// `text` in at most `width` display columns, ending with [`CUT`] when it
/// is wider (a CJK character that would not fit whole is left out, never
/// halved: `周建国` in 5 columns is `周建…`).
pub fn clip(text: &str, width: usize) -> Cow<'_, str> {
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    Cow::Owned(clip_chars(text.chars(), width).0)
}

/// The characters of `chars` that fit in `width` columns with the cut
/// mark after them, and how many columns they take without it.
pub(crate) fn clip_chars(chars: impl Iterator<Item = char>, width: usize) -> (String, usize) {
    let mut kept = String::new();
    let mut used = 0;
    for c in chars {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        kept.push(c);
        used += w;
    }
    if width > 0 {
        kept.push(CUT);
    }
    (kept, used)
}

/// `text` followed by spaces up to `width` display columns (CJK counts two).
pub fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_written_as_escapes() {
        assert_eq!(
            escape_controls("\u{1b}]0;PWNED\u{7}\u{1b}[2J 物流部"),
            "\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J 物流部"
        );
        assert_eq!(escape_controls("a\tb\r\n"), "a\\u{9}b\\u{d}\n");
        assert!(matches!(escape_controls("plain 文字"), Cow::Borrowed(_)));
    }

    #[test]
    fn wrapping_respects_display_width() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(
            wrap("星河零售已有名为销售部的部门", 10),
            vec!["星河零售已", "有名为销售", "部的部门"]
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        for line in wrap(
            "a 星河零售 Xinghe Retail already has a department named “销售部”",
            12,
        ) {
            assert!(line.width() <= 12, "{line}");
        }
    }

    #[test]
    fn text_too_wide_is_cut_with_a_mark() {
        assert_eq!(clip("status: active", 20), "status: active");
        assert_eq!(clip("status: active → departed", 10), "status: a…");
        assert_eq!(clip("已发送解绑通知", 7), "已发送…");
        assert_eq!(clip("周建国", 5), "周建…");
        assert_eq!(clip("周建国", 4), "周…");
        assert_eq!(clip("周建国", 6), "周建国");
        assert_eq!(clip("abc", 0), "");
        for width in 0..12 {
            assert!(clip("星河零售 Xinghe Retail", width).width() <= width);
        }
    }

    #[test]
    fn padding_counts_display_columns() {
        assert_eq!(pad("部门", 6), "部门  ");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad("toolong", 3), "toolong");
    }
}
