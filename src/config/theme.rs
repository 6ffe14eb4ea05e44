//! Themes: a style for each semantic [`Role`] the interface draws. The UI
//! only ever asks `theme.style(Role::X)`.
//!
//! Four themes are built in (see [`BUILT_IN`]); their files live in
//! `themes/` and are compiled in. Users add or refine themes in
//! `<config_dir>/themes/<name>.toml`:
//!
//! ```toml
//! inherits = "default"        # optional
//! [styles]
//! title = { fg = "cyan", bold = true }
//! selected = { reversed = true, bold = true }
//! ```
//!
//! How a theme is resolved:
//! - A user file named like a built-in (`light.toml`) is layered over that
//!   built-in role by role; it may not use `inherits`.
//! - Any other user file builds on the theme its `inherits` names, or on
//!   `default` when it has no `inherits`.
//! - A role given in a file replaces the inherited style for that role
//!   wholesale; roles not mentioned are inherited. `bold = false` simply adds
//!   nothing.
//! - Chains are followed to a built-in; a cycle is an error naming the chain.

use std::borrow::Cow;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use toml::Spanned;
use toml::de::DeValue;

use crate::config::error::ConfigError;
use crate::config::settings::{TomlDoc, entries_in_order, read_if_exists};

/// What a piece of the interface is, so that a theme can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Ordinary text.
    Text,
    /// Secondary text: hints, empty-list notes, timestamps.
    Muted,
    /// Panel and screen titles.
    Title,
    /// Borders of panels that do not have focus.
    Border,
    /// The border of the focused panel.
    BorderFocus,
    /// The current tab.
    TabActive,
    /// The other tabs.
    TabInactive,
    /// Table column headers.
    Header,
    /// The selected row or item.
    Selected,
    /// Characters matched by a fuzzy search.
    Highlight,
    /// Key names in help and hints.
    Key,
    /// Success messages.
    Ok,
    /// Warnings.
    Warning,
    /// Errors.
    Error,
    /// The bottom status line.
    StatusBar,
    /// The mode indicator in the status line.
    StatusMode,
    /// Pop-up dialogs.
    Dialog,
    /// Text fields being edited.
    Input,
}

/// How many roles there are.
const ROLE_COUNT: usize = Role::ALL.len();

impl Role {
    /// Every role, in declaration order (`Role::ALL[r as usize] == r`).
    pub const ALL: [Role; 18] = [
        Role::Text,
        Role::Muted,
        Role::Title,
        Role::Border,
        Role::BorderFocus,
        Role::TabActive,
        Role::TabInactive,
        Role::Header,
        Role::Selected,
        Role::Highlight,
        Role::Key,
        Role::Ok,
        Role::Warning,
        Role::Error,
        Role::StatusBar,
        Role::StatusMode,
        Role::Dialog,
        Role::Input,
    ];

    /// The role's name in theme files, in snake_case.
    pub fn name(self) -> &'static str {
        match self {
            Role::Text => "text",
            Role::Muted => "muted",
            Role::Title => "title",
            Role::Border => "border",
            Role::BorderFocus => "border_focus",
            Role::TabActive => "tab_active",
            Role::TabInactive => "tab_inactive",
            Role::Header => "header",
            Role::Selected => "selected",
            Role::Highlight => "highlight",
            Role::Key => "key",
            Role::Ok => "ok",
            Role::Warning => "warning",
            Role::Error => "error",
            Role::StatusBar => "status_bar",
            Role::StatusMode => "status_mode",
            Role::Dialog => "dialog",
            Role::Input => "input",
        }
    }

    /// The role with this name in theme files.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == name)
    }
}

/// A resolved theme: a style for every role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    name: String,
    styles: [Style; ROLE_COUNT],
}

impl Theme {
    /// The name the theme was loaded under.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The style for `role`.
    pub fn style(&self, role: Role) -> Style {
        self.styles[role as usize]
    }
}

/// The themes compiled into hrdesk.
pub const BUILT_IN: [&str; 4] = ["default", "light", "high-contrast", "mono"];

/// The theme a user theme without `inherits` builds on.
const IMPLICIT_PARENT: &str = "default";

/// The text of a built-in theme.
fn built_in_text(name: &str) -> Option<&'static str> {
    match name {
        "default" => Some(include_str!("../../themes/default.toml")),
        "light" => Some(include_str!("../../themes/light.toml")),
        "high-contrast" => Some(include_str!("../../themes/high-contrast.toml")),
        "mono" => Some(include_str!("../../themes/mono.toml")),
        _ => None,
    }
}

/// Loads theme `name`: the built-in of that name, with the user's
/// `<themes_dir>/<name>.toml` layered over it key by key; or a user-only
/// theme (which inherits `default` unless it says otherwise); following
/// `inherits` chains.
///
/// An unknown `name` is an error whose file is the themes directory (or
/// `built-in themes`) and whose message lists the available themes.
pub fn load_theme(name: &str, user_themes_dir: Option<&Path>) -> Result<Theme, ConfigError> {
    let mut styles: Slots = [None; ROLE_COUNT];
    let mut chain: Vec<String> = Vec::new();
    let mut wanted = Cow::Borrowed(name);
    let mut named_by: Option<Parent> = None;
    loop {
        if chain.iter().any(|seen| *seen == wanted) {
            chain.push(wanted.into_owned());
            let message = format!("inheritance cycle: {}", chain.join(" → "));
            return Err(reference_error(named_by.as_ref(), user_themes_dir, message));
        }
        let Some(layer) = read_theme_layer(&wanted, user_themes_dir)? else {
            let message = format!(
                "unknown theme \"{wanted}\"; available themes: {}",
                available_themes(user_themes_dir).join(", ")
            );
            return Err(reference_error(named_by.as_ref(), user_themes_dir, message));
        };
        fill(&mut styles, &layer.styles);
        chain.push(wanted.into_owned());
        match layer.parent {
            Some(parent) => {
                wanted = Cow::Owned(parent.name.clone());
                named_by = Some(parent);
            }
            None => return complete(name, &layer.label, &styles),
        }
    }
}

/// Built-in names plus the user's `*.toml` file stems, sorted, deduplicated.
pub fn available_themes(user_themes_dir: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = BUILT_IN.iter().map(|name| (*name).to_owned()).collect();
    if let Some(entries) = user_themes_dir.and_then(|dir| std::fs::read_dir(dir).ok()) {
        names.extend(entries.filter_map(|entry| {
            let path = entry.ok()?.path();
            if path.extension()? != "toml" {
                return None;
            }
            let stem = path.file_stem()?.to_str()?;
            is_plain_name(stem).then(|| stem.to_owned())
        }));
    }
    names.sort();
    names.dedup();
    names
}

/// A style per role, `None` where a file leaves the role to its parent.
type Slots = [Option<Style>; ROLE_COUNT];

/// Where a theme names the theme it builds on.
struct Parent {
    name: String,
    /// The file that names it.
    file: String,
    /// The line of `inherits`; `None` when the parent is implicit.
    line: Option<usize>,
}

/// What one theme name contributes: its styles and what it builds on.
struct Layer {
    label: String,
    styles: Slots,
    parent: Option<Parent>,
}

/// An error about a theme reference: at the `inherits` that made it, or,
/// for the theme asked for, against the themes directory.
fn reference_error(named_by: Option<&Parent>, dir: Option<&Path>, message: String) -> ConfigError {
    match named_by {
        Some(parent) => {
            let error = ConfigError::new(parent.file.as_str(), message).with_key("inherits");
            match parent.line {
                Some(line) => error.at_line(line),
                None => error,
            }
        }
        None => {
            let file =
                dir.map_or_else(|| "built-in themes".to_owned(), |d| d.display().to_string());
            ConfigError::new(file, message)
        }
    }
}

/// Fills the roles `styles` lacks from `parent`.
fn fill(styles: &mut Slots, parent: &Slots) {
    for (slot, inherited) in styles.iter_mut().zip(parent) {
        if slot.is_none() {
            *slot = *inherited;
        }
    }
}

/// Turns resolved slots into a theme; every role must be defined by the root.
fn complete(name: &str, root: &str, slots: &Slots) -> Result<Theme, ConfigError> {
    let missing: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|role| slots[*role as usize].is_none())
        .map(Role::name)
        .collect();
    if !missing.is_empty() {
        return Err(ConfigError::new(
            root,
            format!(
                "theme \"{name}\" leaves roles undefined: {}",
                missing.join(", ")
            ),
        ));
    }
    Ok(Theme {
        name: name.to_owned(),
        styles: slots.map(Option::unwrap_or_default),
    })
}

/// A name that can be a file stem in the themes directory and nothing else.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\'])
}

/// The built-in `name` with the user's file of that name over it, or `None`
/// when neither exists.
fn read_theme_layer(name: &str, dir: Option<&Path>) -> Result<Option<Layer>, ConfigError> {
    let built_in = built_in_text(name)
        .map(|text| parse_layer(&format!("built-in themes/{name}.toml"), text))
        .transpose()?;
    let user = match dir.filter(|_| is_plain_name(name)) {
        Some(dir) => {
            let path = dir.join(format!("{name}.toml"));
            read_if_exists(&path)?
                .map(|text| parse_layer(&path.display().to_string(), &text))
                .transpose()?
        }
        None => None,
    };
    match (user, built_in) {
        (None, built_in) => Ok(built_in),
        (Some(mut user), Some(built_in)) => {
            if let Some(parent) = user.parent {
                let message = format!(
                    "this file refines the built-in theme \"{name}\" and cannot inherit; \
                     rename it to build on \"{}\"",
                    parent.name
                );
                return Err(reference_error(Some(&parent), dir, message));
            }
            fill(&mut user.styles, &built_in.styles);
            user.parent = built_in.parent;
            Ok(Some(user))
        }
        (Some(mut user), None) => {
            user.parent = user.parent.or_else(|| {
                Some(Parent {
                    name: IMPLICIT_PARENT.to_owned(),
                    file: user.label.clone(),
                    line: None,
                })
            });
            Ok(Some(user))
        }
    }
}

/// Parses one theme file.
fn parse_layer(label: &str, text: &str) -> Result<Layer, ConfigError> {
    let doc = TomlDoc::new(label, text);
    let table = doc.parse()?;
    let mut layer = Layer {
        label: label.to_owned(),
        styles: [None; ROLE_COUNT],
        parent: None,
    };
    for (key, value) in entries_in_order(&table) {
        match key.get_ref().as_ref() {
            "inherits" => {
                let name = value
                    .get_ref()
                    .as_str()
                    .ok_or_else(|| doc.expected("inherits", value, "a theme name in quotes"))?;
                layer.parent = Some(Parent {
                    name: name.to_owned(),
                    file: doc.label().to_owned(),
                    line: Some(doc.line(value.span())),
                });
            }
            "styles" => parse_styles(&doc, value, &mut layer.styles)?,
            other => {
                return Err(doc.error(
                    key.span(),
                    other,
                    "unknown key; a theme file holds `inherits` and a [styles] table",
                ));
            }
        }
    }
    Ok(layer)
}

/// Parses the `[styles]` table into `slots`.
fn parse_styles(
    doc: &TomlDoc<'_>,
    value: &Spanned<DeValue<'_>>,
    slots: &mut Slots,
) -> Result<(), ConfigError> {
    let table = value
        .get_ref()
        .as_table()
        .ok_or_else(|| doc.expected("styles", value, "a table of roles"))?;
    for (key, value) in entries_in_order(table) {
        let path = format!("styles.{}", key.get_ref());
        let role = Role::from_name(key.get_ref()).ok_or_else(|| {
            let known: Vec<&str> = Role::ALL.into_iter().map(Role::name).collect();
            doc.error(
                key.span(),
                &path,
                format!("unknown role; known roles: {}", known.join(", ")),
            )
        })?;
        slots[role as usize] = Some(parse_style(doc, &path, value)?);
    }
    Ok(())
}

/// The boolean style fields and the modifier each adds.
const MODIFIERS: [(&str, Modifier); 5] = [
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
];

/// Parses one role's style table, e.g. `{ fg = "cyan", bold = true }`.
fn parse_style(
    doc: &TomlDoc<'_>,
    path: &str,
    value: &Spanned<DeValue<'_>>,
) -> Result<Style, ConfigError> {
    let table = value.get_ref().as_table().ok_or_else(|| {
        doc.expected(
            path,
            value,
            "a style such as { fg = \"cyan\", bold = true }",
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
                        "unknown style field; expected fg, bg, bold, dim, italic, underlined \
                         or reversed",
                    ));
                };
                match value.get_ref() {
                    DeValue::Boolean(true) => style = style.add_modifier(*modifier),
                    DeValue::Boolean(false) => {}
                    _ => return Err(doc.expected(&field_path, value, "true or false")),
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
        _ => None,
    };
    color.ok_or_else(|| {
        let shown = match value.get_ref() {
            DeValue::String(text) => format!("\"{text}\""),
            other => other.type_str().to_owned(),
        };
        let names: Vec<&str> = COLORS.iter().map(|(name, _)| *name).collect();
        doc.error(
            value.span(),
            path,
            format!(
                "unknown colour {shown}; use one of {}, \"#rrggbb\", or a palette number 0-255",
                names.join(", ")
            ),
        )
    })
}

/// A colour from its text; names ignore case and accept `_` or `grey`.
fn color_from_str(text: &str) -> Option<Color> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A themes directory holding the given files.
    fn themes_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write theme");
        }
        dir
    }

    fn load_err(files: &[(&str, &str)], name: &str) -> (ConfigError, PathBuf) {
        let dir = themes_dir(files);
        let err = load_theme(name, Some(dir.path())).expect_err("should fail");
        (err, dir.path().to_path_buf())
    }

    fn built_in(name: &str) -> Theme {
        load_theme(name, None).expect("built-in theme loads")
    }

    fn is_ansi16(color: Option<Color>) -> bool {
        !matches!(color, Some(Color::Rgb(..) | Color::Indexed(_)))
    }

    #[test]
    fn roles_are_listed_in_order_with_unique_names() {
        for (index, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(role as usize, index);
            assert_eq!(Role::from_name(role.name()), Some(role));
        }
        assert_eq!(Role::from_name("Title"), None);
    }

    #[test]
    fn built_in_files_define_every_role_themselves() {
        for name in BUILT_IN {
            let text = built_in_text(name).expect("compiled in");
            let layer = parse_layer(name, text).expect("built-in parses");
            assert!(layer.parent.is_none(), "{name} must be a root");
            for role in Role::ALL {
                assert!(
                    layer.styles[role as usize].is_some(),
                    "{name} lacks {}",
                    role.name()
                );
            }
            assert_eq!(built_in(name).name(), name);
        }
    }

    #[test]
    fn mono_has_no_colours() {
        let mono = built_in("mono");
        for role in Role::ALL {
            let style = mono.style(role);
            assert_eq!((style.fg, style.bg), (None, None), "{}", role.name());
        }
    }

    #[test]
    fn default_uses_only_ansi_colours() {
        let theme = built_in("default");
        for role in Role::ALL {
            let style = theme.style(role);
            assert!(
                is_ansi16(style.fg) && is_ansi16(style.bg),
                "{}",
                role.name()
            );
        }
    }

    #[test]
    fn selected_is_visible_without_colour() {
        for name in BUILT_IN {
            let modifiers = built_in(name).style(Role::Selected).add_modifier;
            assert!(
                modifiers.intersects(Modifier::REVERSED | Modifier::BOLD),
                "{name}"
            );
        }
    }

    #[test]
    fn user_file_refines_a_built_in() {
        let dir = themes_dir(&[("light.toml", "[styles]\ntitle = { fg = \"#102030\" }\n")]);
        let theme = load_theme("light", Some(dir.path())).expect("loads");
        let light = built_in("light");
        assert_eq!(
            theme.style(Role::Title),
            Style::default().fg(Color::Rgb(16, 32, 48))
        );
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Title) {
            assert_eq!(theme.style(role), light.style(role), "{}", role.name());
        }
    }

    #[test]
    fn user_only_theme_inherits_default() {
        let dir = themes_dir(&[("mine.toml", "[styles]\nerror = { bold = true }\n")]);
        let theme = load_theme("mine", Some(dir.path())).expect("loads");
        let default = built_in("default");
        assert_eq!(theme.name(), "mine");
        assert_eq!(
            theme.style(Role::Error),
            Style::default().add_modifier(Modifier::BOLD)
        );
        assert_eq!(theme.style(Role::Title), default.style(Role::Title));
    }

    #[test]
    fn inherits_chain_is_followed() {
        let dir = themes_dir(&[
            ("a.toml", "inherits = \"b\"\n[styles]\nok = { fg = 42 }\n"),
            (
                "b.toml",
                "inherits = \"mono\"\n[styles.key]\nitalic = true\n",
            ),
        ]);
        let theme = load_theme("a", Some(dir.path())).expect("loads");
        let mono = built_in("mono");
        assert_eq!(
            theme.style(Role::Ok),
            Style::default().fg(Color::Indexed(42))
        );
        assert_eq!(
            theme.style(Role::Key),
            Style::default().add_modifier(Modifier::ITALIC)
        );
        assert_eq!(theme.style(Role::Title), mono.style(Role::Title));
    }

    #[test]
    fn colour_syntax() {
        let cases = [
            ("light-red", Color::LightRed),
            ("Dark_Grey", Color::DarkGray),
            ("reset", Color::Reset),
            ("#FF0080", Color::Rgb(255, 0, 128)),
            ("255", Color::Indexed(255)),
        ];
        for (text, color) in cases {
            assert_eq!(color_from_str(text), Some(color), "{text}");
        }
        for bad in ["purpel", "#12345", "#12345g", "256", "", "#ééé"] {
            assert_eq!(color_from_str(bad), None, "{bad}");
        }
    }

    #[test]
    fn syntax_error_reports_line() {
        let (err, dir) = load_err(&[("x.toml", "[styles]\ntitle = { fg = \n")], "x");
        assert_eq!(err.file, dir.join("x.toml").display().to_string());
        assert_eq!((err.line, err.key.as_deref()), (Some(2), None));
        assert!(err.message.starts_with("TOML syntax error"), "{err}");
    }

    #[test]
    fn unknown_top_level_key() {
        let (err, _) = load_err(&[("x.toml", "# c\ncolours = 1\n")], "x");
        assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("colours")));
    }

    #[test]
    fn unknown_role_lists_known_roles() {
        let (err, _) = load_err(&[("x.toml", "[styles]\ntext = {}\ntitel = {}\n")], "x");
        assert_eq!(
            (err.line, err.key.as_deref()),
            (Some(3), Some("styles.titel"))
        );
        assert!(err.message.contains("title, border"), "{err}");
    }

    #[test]
    fn unknown_style_field() {
        let (err, _) = load_err(
            &[("x.toml", "[styles]\n\ntitle = { colour = \"red\" }\n")],
            "x",
        );
        assert_eq!(
            (err.line, err.key.as_deref()),
            (Some(3), Some("styles.title.colour"))
        );
        assert!(err.message.contains("fg, bg, bold"), "{err}");
    }

    #[test]
    fn bad_colour_says_what_is_accepted() {
        let (err, _) = load_err(
            &[("x.toml", "[styles]\ntitle = { fg = \"purpel\" }\n")],
            "x",
        );
        assert_eq!(
            (err.line, err.key.as_deref()),
            (Some(2), Some("styles.title.fg"))
        );
        assert!(err.message.contains("\"purpel\""), "{err}");
        assert!(
            err.message.contains("light-cyan") && err.message.contains("#rrggbb"),
            "{err}"
        );

        let (err, _) = load_err(&[("x.toml", "[styles]\nok = { bg = 300 }\n")], "x");
        assert_eq!(
            (err.line, err.key.as_deref()),
            (Some(2), Some("styles.ok.bg"))
        );
    }

    #[test]
    fn modifier_must_be_boolean() {
        let (err, _) = load_err(&[("x.toml", "[styles]\nkey = { bold = \"yes\" }\n")], "x");
        assert_eq!(
            (err.line, err.key.as_deref()),
            (Some(2), Some("styles.key.bold"))
        );
        assert!(err.message.contains("true or false, found string"), "{err}");
    }

    #[test]
    fn wrong_shapes_are_reported() {
        let (err, _) = load_err(&[("x.toml", "styles = 1\n")], "x");
        assert_eq!((err.line, err.key.as_deref()), (Some(1), Some("styles")));
        let (err, _) = load_err(&[("x.toml", "[styles]\ntitle = \"cyan\"\n")], "x");
        assert_eq!(
            (err.line, err.key.as_deref()),
            (Some(2), Some("styles.title"))
        );
        let (err, _) = load_err(&[("x.toml", "inherits = [\"a\"]\n")], "x");
        assert_eq!((err.line, err.key.as_deref()), (Some(1), Some("inherits")));
    }

    #[test]
    fn inherits_unknown_theme() {
        let (err, dir) = load_err(&[("x.toml", "\ninherits = \"nope\"\n")], "x");
        assert_eq!(err.file, dir.join("x.toml").display().to_string());
        assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("inherits")));
        assert!(err.message.contains("\"nope\""), "{err}");
        assert!(
            err.message
                .contains("default, high-contrast, light, mono, x"),
            "{err}"
        );
    }

    #[test]
    fn inheritance_cycle_names_the_chain() {
        let (err, dir) = load_err(
            &[
                ("a.toml", "inherits = \"b\"\n"),
                ("b.toml", "# b\ninherits = \"a\"\n"),
            ],
            "a",
        );
        assert_eq!(err.file, dir.join("b.toml").display().to_string());
        assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("inherits")));
        assert!(err.message.contains("a → b → a"), "{err}");

        let (err, _) = load_err(&[("s.toml", "inherits = \"s\"\n")], "s");
        assert!(err.message.contains("s → s"), "{err}");
    }

    #[test]
    fn refining_a_built_in_cannot_inherit() {
        let (err, dir) = load_err(&[("light.toml", "inherits = \"mono\"\n")], "light");
        assert_eq!(err.file, dir.join("light.toml").display().to_string());
        assert_eq!((err.line, err.key.as_deref()), (Some(1), Some("inherits")));
    }

    #[test]
    fn unknown_theme_lists_available_ones() {
        let (err, dir) = load_err(&[("mine.toml", "")], "purple");
        assert_eq!(err.file, dir.display().to_string());
        assert_eq!((err.line, err.key.as_deref()), (None, None));
        assert!(
            err.message
                .contains("default, high-contrast, light, mine, mono"),
            "{err}"
        );

        let err = load_theme("purple", None).expect_err("unknown");
        assert_eq!(err.file, "built-in themes");
        let err = load_theme("../etc/passwd", None).expect_err("not a plain name");
        assert!(err.message.contains("unknown theme"), "{err}");
    }

    #[test]
    fn available_themes_lists_user_themes() {
        let dir = themes_dir(&[("zeta.toml", ""), ("light.toml", ""), ("notes.txt", "")]);
        assert_eq!(
            available_themes(Some(dir.path())),
            ["default", "high-contrast", "light", "mono", "zeta"]
        );
        assert_eq!(
            available_themes(Some(&dir.path().join("missing"))),
            ["default", "high-contrast", "light", "mono"]
        );
        assert_eq!(available_themes(None).len(), BUILT_IN.len());
    }
}
