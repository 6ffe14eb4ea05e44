//! One role's style in a theme file: colours (`fg`, `bg`) and modifiers
//! (`bold`, `reversed`, …), with errors that name the line and key.

use ratatui::style::{Color, Modifier, Style};
use toml::Spanned;
use toml::de::DeValue;

use crate::config::error::{ConfigError, join_list};
use crate::config::settings::{TomlDoc, entries_in_order};
use crate::tr;

/// The boolean style fields and the modifier each adds.
const MODIFIERS: [(&str, Modifier); 5] = [
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
];

/// Parses one role's style table, e.g. `{ fg = "cyan", bold = true }`.
pub(super) fn parse_style(
    doc: &TomlDoc<'_>,
    path: &str,
    value: &Spanned<DeValue<'_>>,
) -> Result<Style, ConfigError> {
    let table = value.get_ref().as_table().ok_or_else(|| {
        let example = "{ fg = \"cyan\", bold = true }";
        doc.expected(
            path,
            value,
            &tr!("config.theme.expected_style", example = example),
        )
    })?;
    let mut style = Style::default();
    for (key, value) in entries_in_order(table) {
        let field = key.get_ref().as_ref();
        let field_path = format!("{path}.{field}");
        match field {
            "fg" => style = style.fg(parse_color(doc, &field_path, value)?),
            "bg" => style = style.bg(parse_color(doc, &field_path, value)?),
            _ => {
                let Some((_, modifier)) = MODIFIERS.iter().find(|(name, _)| *name == field) else {
                    return Err(doc.error(
                        key.span(),
                        &field_path,
                        tr!("config.theme.unknown_field"),
                    ));
                };
                match value.get_ref() {
                    DeValue::Boolean(true) => style = style.add_modifier(*modifier),
                    DeValue::Boolean(false) => {}
                    _ => {
                        let expected = tr!("config.theme.expected_boolean");
                        return Err(doc.expected(&field_path, value, &expected));
                    }
                }
            }
        }
    }
    Ok(style)
}

/// Colour names accepted in theme files.
const COLORS: [(&str, Color); 17] = [
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("dark-gray", Color::DarkGray),
    ("light-red", Color::LightRed),
    ("light-green", Color::LightGreen),
    ("light-yellow", Color::LightYellow),
    ("light-blue", Color::LightBlue),
    ("light-magenta", Color::LightMagenta),
    ("light-cyan", Color::LightCyan),
    ("white", Color::White),
    ("reset", Color::Reset),
];

/// Parses an `fg`/`bg` value: a name, `"#rrggbb"`, or a palette index
/// (`"42"` or `42`).
fn parse_color(
    doc: &TomlDoc<'_>,
    path: &str,
    value: &Spanned<DeValue<'_>>,
) -> Result<Color, ConfigError> {
    let color = match value.get_ref() {
        DeValue::String(text) => color_from_str(text),
        DeValue::Integer(number) => u8::from_str_radix(number.as_str(), number.radix())
            .ok()
            .map(Color::Indexed),
        _ => return Err(doc.expected(path, value, &tr!("config.theme.expected_colour"))),
    };
    color.ok_or_else(|| {
        let message = tr!(
            "config.theme.unknown_colour",
            colour = doc.written(value.span()),
            names = join_list(COLORS.iter().map(|(name, _)| name))
        );
        doc.error(value.span(), path, message)
    })
}

/// A colour from its text; names ignore case and accept `_` or `grey`.
pub(super) fn color_from_str(text: &str) -> Option<Color> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let [_, r, g, b] = u32::from_str_radix(hex, 16).ok()?.to_be_bytes();
        return Some(Color::Rgb(r, g, b));
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().map(Color::Indexed);
    }
    let name = text
        .to_ascii_lowercase()
        .replace('_', "-")
        .replace("grey", "gray");
    COLORS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, color)| *color)
}
