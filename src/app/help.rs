//! The help overlay's content: one row per binding of the live keymap, and a
//! filter over them.

use crate::action::{Action, Section};
use crate::app::list::Cursor;
use crate::app::text_input::TextInput;
use crate::config::keymap::Keymap;
use crate::i18n;

/// One line of help: where, which keys, which action, what it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpRow {
    pub section: Section,
    pub keys: String,
    pub action: Action,
}

impl HelpRow {
    /// What the action does, in the current language.
    pub fn description(&self) -> &'static str {
        i18n::text(self.action.description_key())
    }
}

/// Every action bound in `keymap`, section by section, keys of one action joined.
pub fn help_rows(keymap: &Keymap) -> Vec<HelpRow> {
    let mut rows = Vec::new();
    for section in Section::ALL {
        let mut seen: Vec<Action> = Vec::new();
        for (_, action) in keymap.bindings(section) {
            if seen.contains(action) {
                continue;
            }
            seen.push(*action);
            let keys: Vec<String> = keymap
                .keys_for(section, *action)
                .iter()
                .map(|k| k.to_string())
                .collect();
            rows.push(HelpRow {
                section,
                keys: keys.join(" "),
                action: *action,
            });
        }
    }
    rows
}

/// The help overlay's state while open.
#[derive(Clone, Debug, Default)]
pub struct Help {
    pub query: TextInput,
    pub cursor: Cursor,
}

impl Help {
    /// The rows whose section, keys, action or description contain the query.
    pub fn filter<'a>(&self, rows: &'a [HelpRow]) -> Vec<&'a HelpRow> {
        let query = self.query.text().trim().to_lowercase();
        rows.iter()
            .filter(|row| {
                query.is_empty()
                    || query.split_whitespace().all(|word| {
                        row.section.name().contains(word)
                            || row.keys.to_lowercase().contains(word)
                            || row.action.name().contains(word)
                            || row.description().to_lowercase().contains(word)
                    })
            })
            .collect()
    }
}
