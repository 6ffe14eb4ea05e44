//! README's key tables held to the built-in keymap both ways: every key a
//! table lists is bound to the action its row names (in the row's
//! sections, or, in a table without a section column, as the pane of the
//! heading above it looks keys up), and every binding of `keymap.toml` is
//! in the table of keys.

use hrdesk::action::{Action, Section};
use hrdesk::config::keymap::{KeySeq, Keymap, Lookup};

/// One row of a key table: where it was, the sections it is for, its
/// keys and its action.
struct KeyRow {
    line: usize,
    sections: Vec<Section>,
    /// Whether the sections are looked up in turn as while browsing (a
    /// table without a section column), rather than each on its own.
    browsing: bool,
    keys: Vec<KeySeq>,
    action: Action,
}

/// The text of each `code span` in `cell`.
fn code_spans(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// The cells of a table line.
fn cells(line: &str) -> Vec<&str> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(str::trim)
        .collect()
}

/// Every row of every table of `readme` whose header has a `key`/`keys`
/// and an `action` column.
fn key_rows(readme: &str) -> Vec<KeyRow> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut rows = Vec::new();
    let mut pane: Option<Section> = None;
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at];
        if let Some(heading) = line.strip_prefix('#') {
            let word = heading.trim_start_matches('#').trim();
            let name = word.split_whitespace().next().unwrap_or("").to_lowercase();
            pane = Section::from_name(&name).filter(|s| s.is_pane());
        }
        let is_table = line.starts_with('|')
            && lines
                .get(at + 1)
                .is_some_and(|next| next.starts_with("|---"));
        if !is_table {
            at += 1;
            continue;
        }
        let header = cells(line);
        let column = |names: &[&str]| header.iter().position(|h| names.contains(h));
        let (Some(keys_at), Some(action_at)) = (column(&["key", "keys"]), column(&["action"]))
        else {
            at += 1;
            continue;
        };
        let section_at = column(&["section"]);
        at += 2;
        while at < lines.len() && lines[at].starts_with('|') {
            let row = cells(lines[at]);
            let line_no = at + 1;
            let name = code_spans(row[action_at]);
            let action = name
                .first()
                .and_then(|name| Action::from_name(name))
                .unwrap_or_else(|| panic!("README line {line_no}: no action in {:?}", row));
            let keys = code_spans(row[keys_at])
                .into_iter()
                .map(|key| {
                    KeySeq::parse(key)
                        .unwrap_or_else(|e| panic!("README line {line_no}: `{key}`: {e}"))
                })
                .collect();
            let (sections, browsing) = match section_at {
                Some(section_at) => (
                    row[section_at]
                        .split(',')
                        .map(|name| {
                            Section::from_name(name.trim()).unwrap_or_else(|| {
                                panic!("README line {line_no}: no section {name:?}")
                            })
                        })
                        .collect(),
                    false,
                ),
                None => {
                    let pane = pane.unwrap_or_else(|| {
                        panic!("README line {line_no}: a key table under no pane's heading")
                    });
                    (vec![pane, Section::Browse, Section::Global], true)
                }
            };
            rows.push(KeyRow {
                line: line_no,
                sections,
                browsing,
                keys,
                action,
            });
            at += 1;
        }
    }
    rows
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn every_key_in_the_readme_runs_the_action_it_names() {
    let keymap = Keymap::built_in().unwrap();
    let rows = key_rows(&readme());
    assert!(rows.len() > 100, "the key tables are found: {}", rows.len());
    for row in &rows {
        for key in &row.keys {
            let looked_up: Vec<Vec<Section>> = if row.browsing {
                vec![row.sections.clone()]
            } else {
                row.sections.iter().map(|s| vec![*s]).collect()
            };
            for sections in looked_up {
                assert_eq!(
                    keymap.lookup(&sections, &key.0),
                    Lookup::Action(row.action),
                    "README line {}: `{key}` in {:?} is not `{}`",
                    row.line,
                    sections,
                    row.action.name()
                );
            }
        }
    }
}

#[test]
fn every_binding_of_the_keymap_is_in_the_readme() {
    let keymap = Keymap::built_in().unwrap();
    let rows = key_rows(&readme());
    let mut missing = Vec::new();
    for section in Section::ALL {
        for (key, action) in keymap.bindings(section) {
            let listed = rows.iter().any(|row| {
                !row.browsing
                    && row.action == *action
                    && row.sections.contains(&section)
                    && row.keys.contains(key)
            });
            if !listed {
                missing.push(format!("[{}] `{key}` = {}", section.name(), action.name()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in README's key table: {missing:#?}"
    );
}

#[test]
fn a_wrong_key_in_a_table_is_caught() {
    let table = "### Staff\n\n| key | action | form |\n|---|---|---|\n| `t` | `promote` | x |\n";
    let rows = key_rows(table);
    let keymap = Keymap::built_in().unwrap();
    let row = &rows[0];
    assert_ne!(
        keymap.lookup(&row.sections, &row.keys[0].0),
        Lookup::Action(row.action)
    );
}
