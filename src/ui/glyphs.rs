//! The one place that knows which characters the console draws with. In
//! `ascii` mode (config.toml `glyphs = "ascii"`, or `--ascii`) every
//! border is drawn with `+`, `-` and `|` (each of ratatui's line sets
//! mapped by what it draws), and the symbols East Asian terminals may draw two
//! columns wide (box drawing, `· — … ↑ ↓ █ ▸`, typographic quotes: the
//! "ambiguous" width class, common in Xshell and SecureCRT set to treat
//! them as wide) become ASCII of one column. It is done on the finished
//! screen, after every widget has drawn, so that nothing drawn (a label, a
//! catalogue string, a separator, a scroll marker) escapes it and the
//! columns stay where the layout put them. The data themselves are never
//! changed: only what is shown.

use ratatui::buffer::Buffer;
use ratatui::symbols::line;

use crate::config::settings::Glyphs;

/// Symbols other than lines and blocks, with their ASCII stand-ins.
const SYMBOLS: &[(char, char)] = &[
    ('·', '.'),
    ('•', '*'),
    ('—', '-'),
    ('–', '-'),
    ('−', '-'),
    ('…', '~'),
    ('↑', '^'),
    ('↓', 'v'),
    ('→', '>'),
    ('←', '<'),
    ('▸', '>'),
    ('▶', '>'),
    ('›', '>'),
    ('‹', '<'),
    ('▾', 'v'),
    ('▼', 'v'),
    ('▲', '^'),
    ('“', '"'),
    ('”', '"'),
    ('‘', '\''),
    ('’', '\''),
    ('×', 'x'),
    ('÷', '/'),
    ('≤', '<'),
    ('≥', '>'),
    ('≈', '~'),
    ('±', '+'),
    ('°', 'o'),
    ('‖', '|'),
    ('∅', '-'),
];

/// The ASCII stand-in of `c` in ascii mode; `None` for a character that
/// stays (ASCII itself, letters, CJK text).
pub fn ascii(c: char) -> Option<char> {
    if c.is_ascii() {
        return None;
    }
    if let Some(&(_, stand_in)) = SYMBOLS.iter().find(|(symbol, _)| *symbol == c) {
        return Some(stand_in);
    }
    match c {
        // Box drawing: what ratatui's line sets draw across and down.
        '\u{2500}'..='\u{257F}' => Some(line_stand_in(c)),
        // Block elements: bars and shades.
        '░' => Some('.'),
        '\u{2580}'..='\u{259F}' => Some('#'),
        _ => None,
    }
}

/// `-` for a horizontal line, `|` for a vertical one, `+` for a corner or
/// a junction, by ratatui's own line sets.
fn line_stand_in(c: char) -> char {
    let sets = [line::NORMAL, line::ROUNDED, line::DOUBLE, line::THICK];
    let is = |pick: fn(&line::Set<'static>) -> &'static str| {
        sets.iter().any(|set| pick(set).starts_with(c))
    };
    if is(|s| s.horizontal) || matches!(c, '╌' | '╍' | '┄' | '┅' | '┈' | '┉' | '╴' | '╶')
    {
        '-'
    } else if is(|s| s.vertical) || matches!(c, '╎' | '╏' | '┆' | '┇' | '┊' | '┋' | '╵' | '╷')
    {
        '|'
    } else {
        '+'
    }
}

/// Replaces, on the finished screen `buffer`, every character ascii mode
/// draws otherwise (nothing in unicode mode).
pub fn apply(glyphs: Glyphs, buffer: &mut Buffer) {
    if glyphs != Glyphs::Ascii {
        return;
    }
    for cell in buffer.content.iter_mut() {
        let mut chars = cell.symbol().chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && let Some(stand_in) = ascii(c)
        {
            cell.set_char(stand_in);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthChar;

    #[test]
    fn borders_become_plus_minus_and_bar() {
        let set = ratatui::symbols::border::PLAIN;
        let drawn = [set.top_left, set.horizontal_top, set.vertical_left];
        let ascii_drawn: Vec<Option<char>> = drawn
            .iter()
            .map(|s| s.chars().next().and_then(ascii))
            .collect();
        assert_eq!(ascii_drawn, [Some('+'), Some('-'), Some('|')]);
        assert_eq!(ascii('╔'), Some('+'));
        assert_eq!(ascii('║'), Some('|'));
    }

    #[test]
    fn ambiguous_symbols_become_one_column_of_ascii_and_text_stays() {
        for c in "·—…↑↓█▸“”→×≤".chars() {
            let stand_in = ascii(c).unwrap_or_else(|| panic!("{c} has a stand-in"));
            assert!(stand_in.is_ascii() && stand_in.width() == Some(1), "{c}");
        }
        for c in "aZ9 张伟é".chars() {
            assert_eq!(ascii(c), None, "{c}");
        }
    }
}
