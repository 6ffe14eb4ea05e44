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

use ratatui::style::Style;
use toml::Spanned;
use toml::de::DeValue;

mod style;
#[cfg(test)]
mod tests;

use style::parse_style;

use crate::config::error::{ConfigError, join_list};
use crate::config::settings::{TomlDoc, entries_in_order, read_if_exists};
use crate::tr;

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
    /// Characters a search found.
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
        "default" => Some(include_str!("../../../themes/default.toml")),
        "light" => Some(include_str!("../../../themes/light.toml")),
        "high-contrast" => Some(include_str!("../../../themes/high-contrast.toml")),
        "mono" => Some(include_str!("../../../themes/mono.toml")),
        _ => None,
    }
}

/// Loads theme `name`: the built-in of that name, with the user's
/// `<themes_dir>/<name>.toml` layered over it key by key; or a user-only
/// theme (which inherits `default` unless it says otherwise); following
/// `inherits` chains.
///
/// An unknown `name` is an error whose file is the themes directory (or
/// [`built_in_label`]) and whose message lists the available themes.
pub fn load_theme(name: &str, user_themes_dir: Option<&Path>) -> Result<Theme, ConfigError> {
    let mut styles: Slots = [None; ROLE_COUNT];
    let mut chain: Vec<String> = Vec::new();
    let mut wanted = Cow::Borrowed(name);
    let mut named_by: Option<Parent> = None;
    loop {
        if chain.iter().any(|seen| *seen == wanted) {
            chain.push(wanted.into_owned());
            let message = tr!("config.theme.cycle", chain = chain.join(" → "));
            return Err(reference_error(named_by.as_ref(), user_themes_dir, message));
        }
        let Some(layer) = read_theme_layer(&wanted, user_themes_dir)? else {
            let message = tr!(
                "config.theme.unknown",
                name = wanted,
                available = join_list(available_themes(user_themes_dir))
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

/// The name errors give the compiled-in themes, in the current language.
fn built_in_label() -> String {
    tr!("config.theme.built_in")
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
            let file = dir.map_or_else(built_in_label, |d| d.display().to_string());
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
        let roles = join_list(missing);
        return Err(ConfigError::new(
            root,
            tr!("config.theme.undefined_roles", name = name, roles = roles),
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
        .map(|text| parse_layer(&format!("{}/{name}.toml", built_in_label()), text))
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
                let message = tr!(
                    "config.theme.refine_cannot_inherit",
                    name = name,
                    parent = parent.name
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
                let name = value.get_ref().as_str().ok_or_else(|| {
                    doc.expected("inherits", value, &tr!("config.theme.expected_name"))
                })?;
                layer.parent = Some(Parent {
                    name: name.to_owned(),
                    file: doc.label().to_owned(),
                    line: Some(doc.line(value.span())),
                });
            }
            "styles" => parse_styles(&doc, value, &mut layer.styles)?,
            other => {
                return Err(doc.error(key.span(), other, tr!("config.theme.unknown_key")));
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
        .ok_or_else(|| doc.expected("styles", value, &tr!("config.theme.expected_roles")))?;
    for (key, value) in entries_in_order(table) {
        let path = format!("styles.{}", key.get_ref());
        let role = Role::from_name(key.get_ref()).ok_or_else(|| {
            let roles = join_list(Role::ALL.into_iter().map(Role::name));
            doc.error(
                key.span(),
                &path,
                tr!("config.theme.unknown_role", roles = roles),
            )
        })?;
        slots[role as usize] = Some(parse_style(doc, &path, value)?);
    }
    Ok(())
}
