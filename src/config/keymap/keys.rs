//! Keys as the keymap names them: one chord (`ctrl-s`, `G`, `shift-tab`) and
//! sequences of chords (`g g`), parsed from text and normalised from
//! terminal events so that both compare equal.

use std::cmp::Ordering;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::error::join_list;
use crate::tr;

/// The modifiers a chord can carry, in display order.
const MODIFIERS: [(&str, KeyModifiers); 3] = [
    ("ctrl", KeyModifiers::CONTROL),
    ("alt", KeyModifiers::ALT),
    ("shift", KeyModifiers::SHIFT),
];

/// Named keys other than `space` and the function keys.
pub(super) const NAMED_KEYS: [(&str, KeyCode); 14] = [
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
pub(super) const MAX_FUNCTION_KEY: u8 = 12;

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
    /// The error is a plain-words reason in the current language.
    pub fn parse(text: &str) -> Result<KeyChord, String> {
        if text.is_empty() {
            return Err(tr!("config.keys.empty"));
        }
        let mut rest = text;
        let mut modifiers = KeyModifiers::NONE;
        while let Some((name, flag, after)) = strip_modifier(rest) {
            if after.is_empty() {
                return Err(tr!(
                    "config.keys.nothing_after_modifier",
                    text = text,
                    modifier = name
                ));
            }
            if modifiers.contains(flag) {
                return Err(tr!(
                    "config.keys.modifier_twice",
                    text = text,
                    modifier = name
                ));
            }
            modifiers.insert(flag);
            rest = after;
        }
        let mut code = parse_key_name(rest)?;
        if let KeyCode::Char(c) = code
            && modifiers.contains(KeyModifiers::SHIFT)
        {
            code = KeyCode::Char(
                shifted(c).ok_or_else(|| tr!("config.keys.shift_needs_letter", text = text))?,
            );
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
            return Err(tr!(
                "config.keys.control_character",
                character = format!("{c:?}")
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
            _ => Err(tr!(
                "config.keys.no_such_function_key",
                name = name,
                max = MAX_FUNCTION_KEY
            )),
        };
    }
    Err(tr!(
        "config.keys.unknown",
        name = name,
        names = join_list(NAMED_KEYS.iter().map(|(known, _)| known)),
        max = MAX_FUNCTION_KEY
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
    /// reason in the current language.
    pub fn parse(text: &str) -> Result<KeySeq, String> {
        if text.is_empty() {
            return Err(tr!("config.keys.empty"));
        }
        text.split(' ')
            .map(|part| {
                if part.is_empty() {
                    Err(tr!("config.keys.sequence_spacing", text = text))
                } else {
                    KeyChord::parse(part)
                }
            })
            .collect::<Result<Vec<_>, _>>()
            .map(KeySeq)
    }

    /// Whether `self` is a strict prefix of `other`.
    pub(super) fn is_strict_prefix_of(&self, other: &KeySeq) -> bool {
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
