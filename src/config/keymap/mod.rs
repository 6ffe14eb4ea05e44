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

mod keys;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use keys::{KeyChord, KeySeq};

use crate::action::{Action, Section};
use crate::config::error::{ConfigError, join_list};
use crate::config::settings::{TomlDoc, entries_in_order, read_if_exists, type_name};
use crate::tr;

/// The shipped default bindings.
const DEFAULT_TEXT: &str = include_str!("../../../keymap.toml");

/// How many sections there are; [`Keymap`] keeps one binding list per section.
const SECTION_COUNT: usize = Section::ALL.len();

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

/// The name errors give the compiled-in defaults, in the current language.
fn built_in_label() -> String {
    tr!("config.keymap.built_in")
}

impl Keymap {
    /// The compiled-in defaults (keymap.toml). Err only if the shipped file is
    /// broken (a test proves it is not).
    pub fn built_in() -> Result<Keymap, ConfigError> {
        Keymap::build(&[(built_in_label().as_str(), DEFAULT_TEXT)])
    }

    /// Defaults overridden key by key, per section, by a user file (`label` is
    /// the path shown in errors). A key the user file binds replaces the
    /// default binding of the same (normalised) key in that section, or
    /// removes it when the action is `"none"`.
    pub fn with_user_file(label: &str, text: &str) -> Result<Keymap, ConfigError> {
        Keymap::build(&[(built_in_label().as_str(), DEFAULT_TEXT), (label, text)])
    }

    /// Loads the defaults, then each of `paths` that exists over them in
    /// turn (the account's keymap, then an operator's own): a missing file
    /// is not an error; an unreadable one is.
    pub fn load(paths: &[PathBuf]) -> Result<Keymap, ConfigError> {
        let mut files = vec![(built_in_label(), DEFAULT_TEXT.to_string())];
        for path in paths {
            if let Some(text) = read_if_exists(path)? {
                files.push((path.display().to_string(), text));
            }
        }
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(label, text)| (label.as_str(), text.as_str()))
            .collect();
        Keymap::build(&files)
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
                for entry in &entries {
                    // A user's [browse] key (one written before panes had
                    // sections of their own) replaces the built-in
                    // binding of that key in every pane's section.
                    if index > 0 && section == Section::Browse {
                        for pane in Section::PANES {
                            merged[pane as usize]
                                .retain(|bound| bound.origin.file > 0 || bound.seq != entry.seq);
                        }
                    }
                }
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
    let doc = TomlDoc::new(label, text);
    let document = doc.parse()?;
    let mut sections = Vec::new();
    for (name, value) in entries_in_order(&document) {
        let span = name.span();
        let name: &str = name.get_ref();
        let Some(table) = value.get_ref().as_table() else {
            let message = if Section::from_name(name).is_some() {
                let found = type_name(value.get_ref());
                tr!("config.keymap.not_a_section", section = name, found = found)
            } else {
                tr!("config.keymap.outside_section", key = name)
            };
            return Err(doc.error(span, name, message));
        };
        let Some(section) = Section::from_name(name) else {
            let message = tr!(
                "config.keymap.unknown_section",
                section = name,
                sections = section_list(&Section::ALL)
            );
            return Err(doc.error(span, name, message));
        };
        let mut entries: Vec<Entry> = Vec::new();
        for (key, value) in entries_in_order(table) {
            let span = key.span();
            let key: &str = key.get_ref();
            let error = |message: String| doc.error(span.clone(), key, message);
            let seq = KeySeq::parse(key).map_err(error)?;
            let Some(action_name) = value.get_ref().as_str() else {
                return Err(doc.expected(key, value, &tr!("config.keymap.expected_action")));
            };
            let action = parse_action(section, action_name).map_err(error)?;
            if let Some(earlier) = entries.iter().find(|entry| entry.seq == seq) {
                return Err(error(tr!(
                    "config.keymap.same_key",
                    key = key,
                    other = earlier.origin.key,
                    line = earlier.origin.line
                )));
            }
            entries.push(Entry {
                seq,
                action,
                origin: Origin {
                    file: index,
                    line: doc.line(span),
                    key: key.to_string(),
                },
            });
        }
        sections.push((section, entries));
    }
    Ok(sections)
}

/// Section names as written in the file (`[browse]`), joined for a message.
fn section_list(sections: &[Section]) -> String {
    join_list(
        sections
            .iter()
            .map(|section| format!("[{}]", section.name())),
    )
}

/// Resolves an action name bound in `section`; `"none"` is `None`.
fn parse_action(section: Section, name: &str) -> Result<Option<Action>, String> {
    if name == "none" {
        return Ok(None);
    }
    let Some(action) = Action::from_name(name) else {
        return Err(match closest_action(section, name) {
            Some(close) => tr!(
                "config.keymap.unknown_action_hint",
                name = name,
                close = close
            ),
            None => tr!("config.keymap.unknown_action", name = name),
        });
    };
    if !action.allowed_in(section) {
        return Err(tr!(
            "config.keymap.wrong_section",
            name = name,
            section = section.name(),
            sections = section_list(action.sections())
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
    for pane in Section::PANES {
        groups.push((pane, Section::Browse));
        groups.push((pane, Section::Global));
    }
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
    let line = other.origin.line;
    let file = label(other.origin.file);
    let in_section = other_section.name();
    let place = match (
        other.origin.file != here.origin.file,
        other_section != section,
    ) {
        (false, false) => tr!("config.keymap.place", line = line),
        (true, false) => tr!("config.keymap.place_in_file", line = line, file = file),
        (false, true) => tr!(
            "config.keymap.place_in_section",
            line = line,
            section = in_section
        ),
        (true, true) => tr!(
            "config.keymap.place_in_file_and_section",
            line = line,
            file = file,
            section = in_section
        ),
    };
    let key = &here.origin.key;
    let other_key = &other.origin.key;
    let message = if here.seq.is_strict_prefix_of(&other.seq) {
        tr!(
            "config.keymap.start_of_longer",
            key = key,
            other = other_key,
            place = place
        )
    } else {
        tr!(
            "config.keymap.longer_than_bound",
            key = key,
            other = other_key,
            place = place
        )
    };
    ConfigError::new(label(here.origin.file), message)
        .at_line(here.origin.line)
        .with_key(key.as_str())
}
