//! The key map: which keys run which named [`Action`] in which [`Section`].
//!
//! The defaults live in `keymap.toml` at the root of the repository and are
//! compiled into the binary. A user file in the same format overrides them key
//! by key (see [`Keymap::with_user_file`]).
//!
//! Key syntax, as written in the file and as printed by [`KeyChord`]'s
//! `Display`:
//!
//! - a single character, case-sensitive: `q`, `G`, `?`, `1`, `-`, `社`;
//! - a named key: `enter esc tab backspace delete insert up down left right
//!   home end pageup pagedown space f1`..`f12` (names ignore ASCII case);
//! - modifiers before the key: `ctrl-s`, `alt-x`, `ctrl-alt-x`, `shift-up`,
//!   `shift-tab` (the terminal's back-tab);
//! - a sequence of chords separated by single spaces: `g g`.
//!
//! Chords are normalised so that what a terminal sends matches what the file
//! says: a character key never carries SHIFT (the character itself does, so
//! `shift-a` is `A`); with CTRL the character is lower-cased (`ctrl-S` is
//! `ctrl-s`); back-tab never carries SHIFT (`shift-tab` is back-tab); and
//! modifiers other than ctrl, alt and shift are dropped.

use std::cmp::Ordering;
use std::fmt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml::de::DeTable;

use crate::app::action::{Action, Section};
use crate::config::error::{ConfigError, line_of};

/// The shipped default bindings.
const DEFAULT_TEXT: &str = include_str!("../../keymap.toml");

/// How many sections there are; [`Keymap`] keeps one binding list per section.
const SECTION_COUNT: usize = Section::ALL.len();

/// The modifiers a chord can carry, in display order.
const MODIFIERS: [(&str, KeyModifiers); 3] = [
    ("ctrl", KeyModifiers::CONTROL),
    ("alt", KeyModifiers::ALT),
    ("shift", KeyModifiers::SHIFT),
];

/// Named keys other than `space` and the function keys.
const NAMED_KEYS: [(&str, KeyCode); 14] = [
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
];

/// The highest function key the syntax accepts.
const MAX_FUNCTION_KEY: u8 = 12;

/// One key press with its modifiers, normalised (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyChord {
    code: KeyCode,
    modifiers: KeyModifiers,
}

impl KeyChord {
    /// The chord a terminal key event stands for, normalised so that it
    /// compares equal to the chord parsed from the matching key text.
    /// The event's kind (press, repeat, release) is not looked at.
    pub fn from_event(event: &KeyEvent) -> KeyChord {
        KeyChord::normalised(event.code, event.modifiers)
    }

    /// Parses one chord such as `q`, `ctrl-s`, `shift-tab` or `f5`.
    /// The error is a plain-words reason.
    pub fn parse(text: &str) -> Result<KeyChord, String> {
        if text.is_empty() {
            return Err("the key is empty".to_string());
        }
        let mut rest = text;
        let mut modifiers = KeyModifiers::NONE;
        while let Some((name, flag, after)) = strip_modifier(rest) {
            if after.is_empty() {
                return Err(format!("\"{text}\" has \"{name}-\" but no key after it"));
            }
            if modifiers.contains(flag) {
                return Err(format!("\"{text}\" gives \"{name}\" twice"));
            }
            modifiers.insert(flag);
            rest = after;
        }
        let mut code = parse_key_name(rest)?;
        if let KeyCode::Char(c) = code
            && modifiers.contains(KeyModifiers::SHIFT)
        {
            code = KeyCode::Char(shifted(c).ok_or_else(|| {
                format!(
                    "\"{text}\": shift only goes with letters; \
                     write the shifted character itself (for example \"!\", not \"shift-1\")"
                )
            })?);
        }
        Ok(KeyChord::normalised(code, modifiers))
    }

    /// The character a text field should insert for this chord: `Some` for
    /// a character key without ctrl or alt.
    pub fn printable_char(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c)
                if !c.is_control()
                    && !self
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(c)
            }
            _ => None,
        }
    }

    /// Applies the normalisation rules shared by [`KeyChord::from_event`]
    /// and [`KeyChord::parse`].
    fn normalised(code: KeyCode, modifiers: KeyModifiers) -> KeyChord {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                modifiers.remove(KeyModifiers::SHIFT);
                if modifiers.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(lowercased(c))
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        KeyChord { code, modifiers }
    }
}

/// Strips a leading `ctrl-`, `alt-` or `shift-` (any ASCII case), returning
/// the modifier's name, its flag and the text after the dash.
fn strip_modifier(text: &str) -> Option<(&'static str, KeyModifiers, &str)> {
    MODIFIERS.into_iter().find_map(|(name, flag)| {
        let head = text.get(..name.len())?;
        let after = text.get(name.len()..)?.strip_prefix('-')?;
        head.eq_ignore_ascii_case(name)
            .then_some((name, flag, after))
    })
}

/// Parses the key part of a chord (after the modifiers).
fn parse_key_name(name: &str) -> Result<KeyCode, String> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_control() {
            return Err(format!(
                "{c:?} is a control character; write the key's name (enter, tab, ...)"
            ));
        }
        return Ok(KeyCode::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    if lower == "space" {
        return Ok(KeyCode::Char(' '));
    }
    if let Some((_, code)) = NAMED_KEYS.iter().find(|(known, _)| *known == lower) {
        return Ok(*code);
    }
    if let Some(digits) = lower.strip_prefix('f')
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        return match digits.parse::<u8>() {
            Ok(n) if (1..=MAX_FUNCTION_KEY).contains(&n) && !digits.starts_with('0') => {
                Ok(KeyCode::F(n))
            }
            _ => Err(format!(
                "there is no key \"{name}\"; function keys go from f1 to f{MAX_FUNCTION_KEY}"
            )),
        };
    }
    let known: Vec<&str> = NAMED_KEYS.iter().map(|(known, _)| *known).collect();
    Err(format!(
        "unknown key \"{name}\"; use a single character or one of: {}, space, f1..f{MAX_FUNCTION_KEY}",
        known.join(", ")
    ))
}

/// The upper-case form of a letter, when it is a single character.
fn shifted(c: char) -> Option<char> {
    if c.is_uppercase() {
        return Some(c);
    }
    if !c.is_lowercase() {
        return None;
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => Some(u),
        _ => None,
    }
}

/// The lower-case form of a character when that is a single character,
/// otherwise the character itself.
fn lowercased(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

impl fmt::Display for KeyChord {
    /// The canonical text: modifiers in the order ctrl, alt, shift, then the
    /// key (`ctrl-s`, `shift-tab`, `G`, `enter`, `space`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut modifiers = self.modifiers;
        if self.code == KeyCode::BackTab {
            modifiers.insert(KeyModifiers::SHIFT);
        }
        for (name, flag) in MODIFIERS {
            if modifiers.contains(flag) {
                write!(f, "{name}-")?;
            }
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::BackTab => f.write_str("tab"),
            code => match NAMED_KEYS.iter().find(|(_, known)| *known == code) {
                Some((name, _)) => f.write_str(name),
                // Keys the syntax cannot name (caps lock, media keys, ...):
                // crossterm's name, squeezed into one word.
                None => f.write_str(&code.to_string().to_lowercase().replace(' ', "")),
            },
        }
    }
}

impl Ord for KeyChord {
    fn cmp(&self, other: &Self) -> Ordering {
        // `KeyCode`'s derived partial order is total (it holds only chars,
        // numbers and field-less enums), so `Equal` is never a fallback in
        // practice.
        self.code
            .partial_cmp(&other.code)
            .unwrap_or(Ordering::Equal)
            .then(self.modifiers.bits().cmp(&other.modifiers.bits()))
    }
}

impl PartialOrd for KeyChord {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A sequence of chords pressed one after another, such as `g g`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySeq(pub Vec<KeyChord>);

impl KeySeq {
    /// Parses chords separated by single spaces. The error is a plain-words
    /// reason.
    pub fn parse(text: &str) -> Result<KeySeq, String> {
        if text.is_empty() {
            return Err("the key is empty".to_string());
        }
        text.split(' ')
            .map(|part| {
                if part.is_empty() {
                    Err(format!(
                        "\"{text}\": separate the keys of a sequence with exactly one space"
                    ))
                } else {
                    KeyChord::parse(part)
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map(KeySeq)
    }

    /// Whether `self` is a strict prefix of `other`.
    fn is_strict_prefix_of(&self, other: &KeySeq) -> bool {
        self.0.len() < other.0.len() && other.0.starts_with(&self.0)
    }
}

impl fmt::Display for KeySeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, chord) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{chord}")?;
        }
        Ok(())
    }
}

/// What the keys typed so far mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The keys are a complete binding.
    Action(Action),
    /// The keys start a longer binding: wait for the next key.
    Pending,
    /// Nothing is bound to these keys.
    Unbound,
}

/// Bindings per section, in file order (defaults first, then keys the user
/// file added; a user override keeps the default's place).
#[derive(Clone, Debug)]
pub struct Keymap {
    sections: [Vec<(KeySeq, Action)>; SECTION_COUNT],
}

/// Where a binding was written: which of the loaded files, which line, and
/// the key as written there.
#[derive(Clone, Debug)]
struct Origin {
    file: usize,
    line: usize,
    key: String,
}

/// A binding from a file; `action` is `None` for `"none"` (unbind).
struct Entry {
    seq: KeySeq,
    action: Option<Action>,
    origin: Origin,
}

/// A binding in effect after merging the files.
struct Bound {
    seq: KeySeq,
    action: Action,
    origin: Origin,
}

impl Keymap {
    /// The label errors in the compiled-in defaults carry.
    pub const DEFAULT_FILE_LABEL: &str = "built-in keymap.toml";

    /// The compiled-in defaults (keymap.toml). Err only if the shipped file is
    /// broken (a test proves it is not).
    pub fn built_in() -> Result<Keymap, ConfigError> {
        Keymap::build(&[(Keymap::DEFAULT_FILE_LABEL, DEFAULT_TEXT)])
    }

    /// Defaults overridden key by key, per section, by a user file (`label` is
    /// the path shown in errors). A key the user file binds replaces the
    /// default binding of the same (normalised) key in that section, or
    /// removes it when the action is `"none"`.
    pub fn with_user_file(label: &str, text: &str) -> Result<Keymap, ConfigError> {
        Keymap::build(&[(Keymap::DEFAULT_FILE_LABEL, DEFAULT_TEXT), (label, text)])
    }

    /// Loads the defaults plus `path` if that file exists (a missing file is
    /// not an error; an unreadable one is).
    pub fn load(path: Option<&Path>) -> Result<Keymap, ConfigError> {
        let Some(path) = path else {
            return Keymap::built_in();
        };
        let label = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => Keymap::with_user_file(&label, &text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Keymap::built_in(),
            Err(err) => Err(ConfigError::new(
                label,
                format!("cannot read the key map: {err}"),
            )),
        }
    }

    /// Resolves the keys typed so far against `sections` (highest precedence
    /// first, e.g. `[Browse, Global]`). Sections are tried in order: an exact
    /// match wins, otherwise a longer binding starting with `typed` makes it
    /// `Pending`; only then is the next section tried. Nothing typed is
    /// `Unbound`.
    pub fn lookup(&self, sections: &[Section], typed: &[KeyChord]) -> Lookup {
        if typed.is_empty() {
            return Lookup::Unbound;
        }
        for &section in sections {
            let mut pending = false;
            for (seq, action) in self.bindings(section) {
                if seq.0 == typed {
                    return Lookup::Action(*action);
                }
                pending |= seq.0.len() > typed.len() && seq.0.starts_with(typed);
            }
            if pending {
                return Lookup::Pending;
            }
        }
        Lookup::Unbound
    }

    /// All bindings of a section, in file order (for the help overlay).
    pub fn bindings(&self, section: Section) -> &[(KeySeq, Action)] {
        &self.sections[section as usize]
    }

    /// The keys bound to `action` in `section`, in file order, for hints
    /// ("press ? for help").
    pub fn keys_for(&self, section: Section, action: Action) -> Vec<&KeySeq> {
        self.bindings(section)
            .iter()
            .filter(|(_, bound)| *bound == action)
            .map(|(seq, _)| seq)
            .collect()
    }

    /// Loads `files` (label, text) in order, each overriding the ones before,
    /// then checks the result for prefix conflicts.
    fn build(files: &[(&str, &str)]) -> Result<Keymap, ConfigError> {
        let mut merged: [Vec<Bound>; SECTION_COUNT] = Default::default();
        for (index, (label, text)) in files.iter().enumerate() {
            for (section, entries) in parse_file(index, label, text)? {
                let list = &mut merged[section as usize];
                for entry in entries {
                    let existing = list.iter().position(|bound| bound.seq == entry.seq);
                    match (entry.action, existing) {
                        (Some(action), Some(at)) => {
                            list[at].action = action;
                            list[at].origin = entry.origin;
                        }
                        (Some(action), None) => list.push(Bound {
                            seq: entry.seq,
                            action,
                            origin: entry.origin,
                        }),
                        (None, Some(at)) => {
                            list.remove(at);
                        }
                        // Unbinding a key that is not bound changes nothing.
                        (None, None) => {}
                    }
                }
            }
        }
        check_conflicts(files, &merged)?;
        Ok(Keymap {
            sections: merged.map(|list| {
                list.into_iter()
                    .map(|bound| (bound.seq, bound.action))
                    .collect()
            }),
        })
    }
}

/// Parses one file into its sections' entries, in file order, rejecting
/// anything malformed and any key written twice in one section.
fn parse_file(
    index: usize,
    label: &str,
    text: &str,
) -> Result<Vec<(Section, Vec<Entry>)>, ConfigError> {
    let error_at = |offset: usize, key: &str, message: String| {
        ConfigError::new(label, message)
            .at_line(line_of(text, offset))
            .with_key(key)
    };
    let document = DeTable::parse(text).map_err(|err| {
        let error = ConfigError::new(label, err.message().trim_end());
        match err.span() {
            Some(span) => error.at_line(line_of(text, span.start)),
            None => error,
        }
    })?;
    let mut tables: Vec<_> = document.get_ref().iter().collect();
    tables.sort_by_key(|(name, _)| name.span().start);

    let mut sections = Vec::new();
    for (name, value) in tables {
        let offset = name.span().start;
        let name: &str = name.get_ref();
        let Some(table) = value.get_ref().as_table() else {
            let message = if Section::from_name(name).is_some() {
                format!(
                    "[{name}] must be a section of key = \"action\" lines, not {}",
                    with_article(value.get_ref().type_str())
                )
            } else {
                format!(
                    "\"{name}\" is outside any section; put bindings under a section such as [global]"
                )
            };
            return Err(error_at(offset, name, message));
        };
        let Some(section) = Section::from_name(name) else {
            let known: Vec<String> = Section::ALL
                .iter()
                .map(|section| format!("[{}]", section.name()))
                .collect();
            return Err(error_at(
                offset,
                name,
                format!(
                    "unknown section [{name}]; the sections are {}",
                    known.join(", ")
                ),
            ));
        };
        let mut keys: Vec<_> = table.iter().collect();
        keys.sort_by_key(|(key, _)| key.span().start);

        let mut entries: Vec<Entry> = Vec::new();
        for (key, value) in keys {
            let offset = key.span().start;
            let key: &str = key.get_ref();
            let seq = KeySeq::parse(key).map_err(|reason| error_at(offset, key, reason))?;
            let Some(action_name) = value.get_ref().as_str() else {
                return Err(error_at(
                    offset,
                    key,
                    format!(
                        "expected an action name in quotes (or \"none\"), found {}",
                        with_article(value.get_ref().type_str())
                    ),
                ));
            };
            let action = parse_action(section, action_name)
                .map_err(|message| error_at(offset, key, message))?;
            if let Some(earlier) = entries.iter().find(|entry| entry.seq == seq) {
                return Err(error_at(
                    offset,
                    key,
                    format!(
                        "\"{key}\" is the same key as \"{}\" on line {}",
                        earlier.origin.key, earlier.origin.line
                    ),
                ));
            }
            entries.push(Entry {
                seq,
                action,
                origin: Origin {
                    file: index,
                    line: line_of(text, offset),
                    key: key.to_string(),
                },
            });
        }
        sections.push((section, entries));
    }
    Ok(sections)
}

/// A TOML type name with its indefinite article ("an integer", "a table").
fn with_article(type_name: &str) -> String {
    let article = if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {type_name}")
}

/// Resolves an action name bound in `section`; `"none"` is `None`.
fn parse_action(section: Section, name: &str) -> Result<Option<Action>, String> {
    if name == "none" {
        return Ok(None);
    }
    let Some(action) = Action::from_name(name) else {
        let hint = closest_action(section, name)
            .map(|close| format!("; did you mean \"{close}\"?"))
            .unwrap_or_default();
        return Err(format!("unknown action \"{name}\"{hint}"));
    };
    if !action.allowed_in(section) {
        let allowed: Vec<String> = action
            .sections()
            .iter()
            .map(|allowed| format!("[{}]", allowed.name()))
            .collect();
        return Err(format!(
            "action \"{name}\" cannot be bound in [{}]; it belongs in {}",
            section.name(),
            allowed.join(", ")
        ));
    }
    Ok(Some(action))
}

/// The action name nearest to a misspelt `name`, preferring actions allowed
/// in `section`, if any is near enough to be a likely typo.
fn closest_action(section: Section, name: &str) -> Option<&'static str> {
    let limit = (name.chars().count() / 3).max(2);
    Action::ALL
        .iter()
        .map(|action| {
            (
                edit_distance(name, action.name()),
                !action.allowed_in(section),
                action.name(),
            )
        })
        .min()
        .filter(|(distance, _, _)| *distance <= limit)
        .map(|(_, _, close)| close)
}

/// Levenshtein distance between two strings, counted in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Rejects a binding that is a strict prefix of another one active at the
/// same time: within a section, and between [browse] and [global].
fn check_conflicts(
    files: &[(&str, &str)],
    merged: &[Vec<Bound>; SECTION_COUNT],
) -> Result<(), ConfigError> {
    let mut groups: Vec<(Section, Section)> = Section::ALL.iter().map(|&s| (s, s)).collect();
    groups.push((Section::Browse, Section::Global));
    for (first, second) in groups {
        for (i, a) in merged[first as usize].iter().enumerate() {
            let others = &merged[second as usize];
            // Within one section, look at each pair once.
            let skip = if first == second { i + 1 } else { 0 };
            for b in others.iter().skip(skip) {
                if a.seq.is_strict_prefix_of(&b.seq) || b.seq.is_strict_prefix_of(&a.seq) {
                    return Err(conflict_error(files, (first, a), (second, b)));
                }
            }
        }
    }
    Ok(())
}

/// The error for two conflicting bindings, reported against the one written
/// last (the user file's over the defaults', a later line over an earlier).
fn conflict_error(
    files: &[(&str, &str)],
    a: (Section, &Bound),
    b: (Section, &Bound),
) -> ConfigError {
    let rank = |bound: &Bound| (bound.origin.file, bound.origin.line);
    let ((section, here), (other_section, other)) = if rank(a.1) >= rank(b.1) {
        (a, b)
    } else {
        (b, a)
    };
    let label = |file: usize| files.get(file).map_or("?", |(label, _)| *label);
    let mut place = format!("line {}", other.origin.line);
    if other.origin.file != here.origin.file {
        place.push_str(&format!(" of {}", label(other.origin.file)));
    }
    if other_section != section {
        place.push_str(&format!(" in [{}]", other_section.name()));
    }
    let key = &here.origin.key;
    let other_key = &other.origin.key;
    let message = if here.seq.is_strict_prefix_of(&other.seq) {
        format!(
            "\"{key}\" is the start of \"{other_key}\" ({place}); \
             a key cannot be bound both alone and as the start of a longer sequence"
        )
    } else {
        format!(
            "\"{key}\" starts with \"{other_key}\", which is bound alone ({place}); \
             a key cannot be bound both alone and as the start of a longer sequence"
        )
    };
    ConfigError::new(label(here.origin.file), message)
        .at_line(here.origin.line)
        .with_key(key.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn chord(text: &str) -> KeyChord {
        KeyChord::parse(text).unwrap()
    }

    fn seq(text: &str) -> Vec<KeyChord> {
        KeySeq::parse(text).unwrap().0
    }

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyChord {
        KeyChord::from_event(&KeyEvent::new(code, modifiers))
    }

    fn user(text: &str) -> Result<Keymap, ConfigError> {
        Keymap::with_user_file("user.toml", text)
    }

    fn user_err(text: &str) -> ConfigError {
        user(text).unwrap_err()
    }

    fn assert_err(err: &ConfigError, line: usize, key: &str, needle: &str) {
        assert_eq!(err.file, "user.toml", "{err}");
        assert_eq!(err.line, Some(line), "{err}");
        assert_eq!(err.key.as_deref(), Some(key), "{err}");
        assert!(err.message.contains(needle), "{err}");
    }

    const BROWSING: [Section; 2] = [Section::Browse, Section::Global];

    #[test]
    fn section_indices_match_all() {
        for (i, section) in Section::ALL.into_iter().enumerate() {
            assert_eq!(section as usize, i);
        }
    }

    #[test]
    fn built_in_parses_and_binds_every_action() {
        let keymap = Keymap::built_in().unwrap();
        let bound: HashSet<Action> = Section::ALL
            .iter()
            .flat_map(|&s| keymap.bindings(s).iter().map(|(_, a)| *a))
            .collect();
        for action in Action::ALL {
            assert!(bound.contains(action), "{} is not bound", action.name());
        }
    }

    #[test]
    fn built_in_keys_are_written_canonically() {
        // Every key in the shipped file prints back as written, so the help
        // overlay shows what the file says.
        let document = DeTable::parse(DEFAULT_TEXT).unwrap();
        for (_, table) in document.get_ref().iter() {
            for (key, _) in table.get_ref().as_table().unwrap().iter() {
                let key: &str = key.get_ref();
                assert_eq!(KeySeq::parse(key).unwrap().to_string(), key);
            }
        }
    }

    #[test]
    fn built_in_lookups() {
        let keymap = Keymap::built_in().unwrap();
        let find = |sections: &[Section], keys: &str| keymap.lookup(sections, &seq(keys));
        assert_eq!(find(&BROWSING, "g"), Lookup::Pending);
        assert_eq!(find(&BROWSING, "g g"), Lookup::Action(Action::First));
        assert_eq!(find(&BROWSING, "g d"), Lookup::Action(Action::Departments));
        assert_eq!(find(&BROWSING, "g x"), Lookup::Unbound);
        assert_eq!(find(&BROWSING, "q"), Lookup::Action(Action::Quit));
        assert_eq!(
            find(&BROWSING, "shift-tab"),
            Lookup::Action(Action::PrevTab)
        );
        assert_eq!(find(&[Section::Help], "?"), Lookup::Action(Action::Cancel));
        assert_eq!(find(&[Section::Help], "q"), Lookup::Unbound);
        assert_eq!(find(&[Section::Filter], "q"), Lookup::Unbound);
        assert_eq!(keymap.lookup(&BROWSING, &[]), Lookup::Unbound);
        let help = keymap.keys_for(Section::Global, Action::Help);
        assert_eq!(help.len(), 1);
        assert_eq!(help[0].to_string(), "?");
        let removes: Vec<String> = keymap
            .keys_for(Section::Browse, Action::Remove)
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(removes, ["d", "delete"]);
        let (first, _) = &keymap.bindings(Section::Global)[0];
        assert_eq!(first.to_string(), "q");
    }

    #[test]
    fn canonical_display() {
        for text in [
            "q",
            "G",
            "?",
            "-",
            "社",
            "ctrl-s",
            "shift-tab",
            "enter",
            "space",
            "ctrl--",
            "ctrl-alt-x",
            "alt-A",
            "shift-up",
            "f12",
            "ctrl-shift-tab",
            "ctrl-space",
        ] {
            assert_eq!(chord(text).to_string(), text);
        }
        assert_eq!(KeySeq::parse("g ctrl-G").unwrap().to_string(), "g ctrl-g");
        assert_eq!(
            event(KeyCode::CapsLock, KeyModifiers::NONE).to_string(),
            "capslock"
        );
    }

    #[test]
    fn parse_normalises() {
        assert_eq!(chord("shift-a"), chord("A"));
        assert_eq!(chord("ctrl-S"), chord("ctrl-s"));
        assert_eq!(chord("ctrl-shift-a"), chord("ctrl-a"));
        assert_eq!(chord("CTRL-Enter"), chord("ctrl-enter"));
        assert_eq!(chord("Shift-Tab").to_string(), "shift-tab");
        assert_eq!(chord(" "), chord("space"));
        assert_ne!(chord("a"), chord("A"));
        assert_ne!(chord("shift-enter"), chord("enter"));
    }

    #[test]
    fn parse_rejects_malformed_keys() {
        for text in [
            "",
            "ctrl-",
            "shift-",
            "foo",
            "ctrl-foo",
            "f13",
            "f0",
            "f01",
            "f+1",
            "ctrl-ctrl-x",
            "shift-1",
            "shift-space",
            "\t",
            "ctrl",
        ] {
            assert!(KeyChord::parse(text).is_err(), "{text:?} parsed");
        }
        for text in ["", " ", "g  g", " g", "g ", "g\tg"] {
            assert!(KeySeq::parse(text).is_err(), "{text:?} parsed");
        }
        assert!(KeyChord::parse("f13").unwrap_err().contains("f12"));
    }

    #[test]
    fn terminal_events_match_the_file() {
        let shift = KeyModifiers::SHIFT;
        let ctrl = KeyModifiers::CONTROL;
        let upper_a = event(KeyCode::Char('A'), shift);
        assert_eq!(upper_a, chord("A"));
        assert_eq!(upper_a, chord("shift-a"));
        assert_eq!(event(KeyCode::BackTab, shift), chord("shift-tab"));
        assert_eq!(
            event(KeyCode::BackTab, KeyModifiers::NONE),
            chord("shift-tab")
        );
        assert_eq!(event(KeyCode::Tab, shift), chord("shift-tab"));
        assert_eq!(event(KeyCode::Char('S'), ctrl), chord("ctrl-s"));
        assert_eq!(event(KeyCode::Char('S'), ctrl | shift), chord("ctrl-s"));
        assert_eq!(event(KeyCode::Char('?'), shift), chord("?"));
        assert_eq!(event(KeyCode::Char('q'), KeyModifiers::SUPER), chord("q"));
        assert_eq!(event(KeyCode::Up, shift), chord("shift-up"));

        let keymap = Keymap::built_in().unwrap();
        let found = keymap.lookup(&BROWSING, &[event(KeyCode::Char('G'), shift)]);
        assert_eq!(found, Lookup::Action(Action::Last));
        let found = keymap.lookup(&[Section::Form], &[event(KeyCode::Char('s'), ctrl)]);
        assert_eq!(found, Lookup::Action(Action::Submit));
    }

    #[test]
    fn printable_chars() {
        assert_eq!(
            event(KeyCode::Char('A'), KeyModifiers::SHIFT).printable_char(),
            Some('A')
        );
        assert_eq!(chord("space").printable_char(), Some(' '));
        assert_eq!(chord("社").printable_char(), Some('社'));
        assert_eq!(chord("ctrl-a").printable_char(), None);
        assert_eq!(chord("alt-a").printable_char(), None);
        assert_eq!(chord("enter").printable_char(), None);
    }

    #[test]
    fn override_replaces_and_none_unbinds() {
        let keymap = user(
            "[browse]\nd = \"none\"\nx = \"remove\"\nk = \"down\"\nz = \"none\"\n\
             [global]\n\"ctrl-q\" = \"quit\"\n",
        )
        .unwrap();
        let find = |keys: &str| keymap.lookup(&BROWSING, &seq(keys));
        assert_eq!(find("d"), Lookup::Unbound);
        assert_eq!(find("x"), Lookup::Action(Action::Remove));
        assert_eq!(find("k"), Lookup::Action(Action::Down));
        assert_eq!(find("j"), Lookup::Action(Action::Down));
        assert_eq!(find("q"), Lookup::Action(Action::Quit));
        assert_eq!(find("ctrl-q"), Lookup::Action(Action::Quit));
        assert_eq!(find("delete"), Lookup::Action(Action::Remove));
        // The override keeps the default's place; new keys come last.
        let browse: Vec<String> = keymap
            .bindings(Section::Browse)
            .iter()
            .map(|(s, _)| s.to_string())
            .collect();
        assert_eq!(browse[1], "k");
        assert_eq!(browse.last().map(String::as_str), Some("x"));
        // Written differently, still the same key.
        let keymap = user("[global]\n\"shift-TAB\" = \"next_tab\"\n").unwrap();
        let found = keymap.lookup(&BROWSING, &seq("shift-tab"));
        assert_eq!(found, Lookup::Action(Action::NextTab));
        assert_eq!(keymap.keys_for(Section::Global, Action::PrevTab).len(), 0);
    }

    #[test]
    fn browse_wins_over_global() {
        let keymap = user("[browse]\nq = \"back\"\n").unwrap();
        assert_eq!(
            keymap.lookup(&BROWSING, &seq("q")),
            Lookup::Action(Action::Back)
        );
        let global = [Section::Global];
        assert_eq!(
            keymap.lookup(&global, &seq("q")),
            Lookup::Action(Action::Quit)
        );
    }

    #[test]
    fn a_user_file_can_rebind_a_prefix_after_clearing_it() {
        let keymap = user(
            "[global]\n\"g d\" = \"none\"\n\"g o\" = \"none\"\n\"g l\" = \"none\"\n\
             \"g t\" = \"none\"\n[browse]\n\"g g\" = \"none\"\ng = \"first\"\n",
        )
        .unwrap();
        assert_eq!(
            keymap.lookup(&BROWSING, &seq("g")),
            Lookup::Action(Action::First)
        );
    }

    #[test]
    fn load_handles_missing_present_and_unreadable_files() {
        assert!(Keymap::load(None).is_ok());
        let dir = std::env::temp_dir().join(format!("hrdesk-keymap-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(Keymap::load(Some(&dir.join("missing.toml"))).is_ok());
        let file = dir.join("keymap.toml");
        std::fs::write(&file, "[browse]\nx = \"fly\"\n").unwrap();
        let err = Keymap::load(Some(&file)).unwrap_err();
        assert_eq!(err.file, file.display().to_string());
        assert_eq!(err.line, Some(2));
        std::fs::write(&file, "[browse]\nx = \"remove\"\n").unwrap();
        let keymap = Keymap::load(Some(&file)).unwrap();
        assert_eq!(
            keymap.lookup(&BROWSING, &seq("x")),
            Lookup::Action(Action::Remove)
        );
        // A directory cannot be read as a file.
        let err = Keymap::load(Some(&dir)).unwrap_err();
        assert_eq!(err.file, dir.display().to_string());
        assert_eq!(err.line, None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn toml_syntax_error_has_its_line() {
        let err = user("[global]\nq = \"quit\"\nx = = 1\n");
        let err = err.unwrap_err();
        assert_eq!(err.file, "user.toml");
        assert_eq!(err.line, Some(3));
        let err = user("[global]\nq = \"quit\"\nq = \"help\"\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
    }

    #[test]
    fn top_level_value_must_be_a_table() {
        let err = user_err("\n\nq = \"quit\"\n[global]\n");
        assert_err(&err, 3, "q", "outside any section");
        let err = user_err("[[browse]]\nk = \"up\"\n");
        assert_err(&err, 1, "browse", "not an array");
    }

    #[test]
    fn unknown_section_lists_the_known_ones() {
        let err = user_err("[global]\nq = \"quit\"\n\n[brwose]\nk = \"up\"\n");
        assert_err(&err, 4, "brwose", "[browse]");
        assert!(err.message.contains("[palette]"), "{err}");
    }

    #[test]
    fn value_must_be_a_string() {
        let err = user_err("[browse]\nk = \"up\"\nj = 3\n");
        assert_err(&err, 3, "j", "found an integer");
        let err = user_err("[browse]\nx.y = \"up\"\n");
        assert_err(&err, 2, "x", "found a table");
    }

    #[test]
    fn unknown_action_suggests_the_closest() {
        let err = user_err("[browse]\nx = \"remvoe\"\n");
        assert_err(&err, 2, "x", "did you mean \"remove\"");
        let err = user_err("[browse]\nx = \"teleport\"\n");
        assert_err(&err, 2, "x", "unknown action \"teleport\"");
        assert!(!err.message.contains("did you mean"), "{err}");
    }

    #[test]
    fn action_outside_its_sections_names_them() {
        let err = user_err("[confirm]\n\n\"ctrl-q\" = \"quit\"\n");
        assert_err(&err, 3, "ctrl-q", "[global]");
        let err = user_err("[confirm]\nx = \"up\"\n");
        assert_err(&err, 2, "x", "[browse], [filter], [help], [palette]");
    }

    #[test]
    fn malformed_key_gives_the_reason() {
        let err = user_err("[browse]\nk = \"up\"\n\"ctrl-foo\" = \"down\"\n");
        assert_err(&err, 3, "ctrl-foo", "unknown key \"foo\"");
        let err = user_err("[browse]\n\"g  g\" = \"first\"\n");
        assert_err(&err, 2, "g  g", "one space");
        let err = user_err("[global]\nf13 = \"help\"\n");
        assert_err(&err, 2, "f13", "f12");
    }

    #[test]
    fn same_key_twice_in_a_section() {
        let err = user_err("[browse]\n\"shift-a\" = \"add\"\nk = \"up\"\nA = \"edit\"\n");
        assert_err(&err, 4, "A", "\"shift-a\" on line 2");
    }

    #[test]
    fn prefix_conflict_within_a_section() {
        let err = user_err("[filter]\n\"ctrl-x\" = \"submit\"\n\"ctrl-x ctrl-x\" = \"cancel\"\n");
        assert_err(
            &err,
            3,
            "ctrl-x ctrl-x",
            "\"ctrl-x\", which is bound alone (line 2)",
        );
    }

    #[test]
    fn prefix_conflict_between_browse_and_global() {
        let err = user_err("[browse]\nz = \"first\"\n[global]\n\"z z\" = \"log\"\n");
        assert_err(&err, 4, "z z", "(line 2 in [browse])");
    }

    #[test]
    fn prefix_conflict_with_a_default_is_reported_in_the_user_file() {
        let err = user_err("\n[browse]\ng = \"first\"\n");
        assert_err(&err, 3, "g", "built-in keymap.toml");
        assert!(err.message.contains("is the start of \"g "), "{err}");
        // Sections other than browse and global are independent.
        assert!(user("[filter]\ng = \"submit\"\n").is_ok());
    }

    #[test]
    fn other_sections_bind_independently() {
        let keymap = user("[palette]\n\"?\" = \"complete\"\n").unwrap();
        let palette = [Section::Palette];
        assert_eq!(
            keymap.lookup(&palette, &seq("?")),
            Lookup::Action(Action::Complete)
        );
        assert_eq!(
            keymap.lookup(&BROWSING, &seq("?")),
            Lookup::Action(Action::Help)
        );
    }

    #[test]
    fn higher_section_prefix_is_pending_before_a_lower_exact_match() {
        let keymap = Keymap::build(&[(
            "gen.toml",
            "[filter]\n\"x y\" = \"submit\"\n[palette]\nx = \"complete\"\n",
        )])
        .unwrap();
        let both = [Section::Filter, Section::Palette];
        assert_eq!(keymap.lookup(&both, &seq("x")), Lookup::Pending);
        assert_eq!(
            keymap.lookup(&both, &seq("x y")),
            Lookup::Action(Action::Submit)
        );
    }

    fn any_chord() -> impl Strategy<Value = KeyChord> {
        let code = prop_oneof![
            4 => any::<char>()
                .prop_filter("terminals send control keys by name", |c| !c.is_control())
                .prop_map(KeyCode::Char),
            1 => (1..=MAX_FUNCTION_KEY).prop_map(KeyCode::F),
            1 => proptest::sample::select(NAMED_KEYS.map(|(_, code)| code).to_vec()),
            1 => Just(KeyCode::BackTab),
        ];
        (code, 0u8..8).prop_map(|(code, bits)| event(code, KeyModifiers::from_bits_truncate(bits)))
    }

    /// A quoted TOML key or string (the test alphabet has no control chars).
    fn quoted(text: &str) -> String {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }

    proptest! {
        #[test]
        fn display_parses_back(chord in any_chord()) {
            prop_assert_eq!(KeyChord::parse(&chord.to_string()), Ok(chord));
        }

        #[test]
        fn sequences_display_and_parse_back(chords in proptest::collection::vec(any_chord(), 1..4)) {
            let sequence = KeySeq(chords);
            prop_assert_eq!(KeySeq::parse(&sequence.to_string()), Ok(sequence));
        }

        #[test]
        fn parse_never_panics(text in any::<String>()) {
            let _ = KeyChord::parse(&text);
            let _ = KeySeq::parse(&text);
        }

        #[test]
        fn with_user_file_never_panics(text in any::<String>()) {
            let _ = user(&text);
        }

        #[test]
        fn with_user_file_never_panics_on_near_valid_files(
            text in "(\\[(global|browse|form|brwose)\\]\n)?((\"?[a-zG?: -]{0,8}\"?|[a-z]+\\.[a-z]+) = (\"[a-z_]{0,9}\"|1|\\[\\])\n){0,6}"
        ) {
            let _ = user(&text);
        }

        #[test]
        fn non_conflicting_bindings_all_resolve(
            candidates in proptest::collection::vec(
                (
                    proptest::sample::select(Section::ALL.to_vec()),
                    proptest::collection::vec(
                        proptest::sample::select(vec!["a", "g", "G", "ctrl-x", "enter", "shift-tab"]),
                        1..4,
                    ),
                    any::<usize>(),
                ),
                0..24,
            )
        ) {
            let linked = |a: Section, b: Section| {
                a == b || matches!((a, b), (Section::Browse, Section::Global) | (Section::Global, Section::Browse))
            };
            let mut kept: Vec<(Section, KeySeq, Action)> = Vec::new();
            for (section, keys, pick) in candidates {
                let sequence = KeySeq(keys.iter().map(|k| chord(k)).collect());
                let clash = kept.iter().any(|(other_section, other, _)| {
                    (*other_section == section && *other == sequence)
                        || (linked(*other_section, section)
                            && (other.is_strict_prefix_of(&sequence) || sequence.is_strict_prefix_of(other)))
                });
                if !clash {
                    let allowed: Vec<Action> =
                        Action::ALL.iter().copied().filter(|a| a.allowed_in(section)).collect();
                    kept.push((section, sequence, allowed[pick % allowed.len()]));
                }
            }
            let mut text = String::new();
            for section in Section::ALL {
                text.push_str(&format!("[{}]\n", section.name()));
                for (_, sequence, action) in kept.iter().filter(|(s, _, _)| *s == section) {
                    text.push_str(&format!("{} = {}\n", quoted(&sequence.to_string()), quoted(action.name())));
                }
            }
            let keymap = Keymap::build(&[("gen.toml", &text)]);
            prop_assert!(keymap.is_ok(), "{:?}\n{}", keymap.err(), text);
            let keymap = keymap.unwrap();
            for (section, sequence, action) in &kept {
                let mut expected = *action;
                let active: Vec<Section> = match section {
                    Section::Global | Section::Browse => BROWSING.to_vec(),
                    other => vec![*other],
                };
                if *section == Section::Global
                    && let Some((_, _, shadow)) = kept.iter().find(|(s, q, _)| *s == Section::Browse && q == sequence)
                {
                    expected = *shadow;
                }
                prop_assert_eq!(keymap.lookup(&[*section], &sequence.0), Lookup::Action(*action));
                prop_assert_eq!(keymap.lookup(&active, &sequence.0), Lookup::Action(expected));
                for len in 1..sequence.0.len() {
                    prop_assert_eq!(keymap.lookup(&[*section], &sequence.0[..len]), Lookup::Pending);
                    prop_assert_eq!(keymap.lookup(&active, &sequence.0[..len]), Lookup::Pending);
                }
            }
        }
    }
}
