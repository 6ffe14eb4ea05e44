//! Tests of key parsing, the shipped keymap, overrides, conflicts and lookups.

use super::keys::{MAX_FUNCTION_KEY, NAMED_KEYS};
use super::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use std::collections::HashSet;
use toml::de::DeTable;

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
    assert_eq!(find("z"), Lookup::Unbound);
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
         \"g s\" = \"none\"\n\"g t\" = \"none\"\n[browse]\n\"g g\" = \"none\"\ng = \"first\"\n",
    )
    .unwrap();
    assert_eq!(
        keymap.lookup(&BROWSING, &seq("g")),
        Lookup::Action(Action::First)
    );
}

#[test]
fn load_handles_missing_present_and_unreadable_files() {
    assert!(Keymap::load(&[]).is_ok());
    let dir = std::env::temp_dir().join(format!("hrdesk-keymap-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    assert!(Keymap::load(&[dir.join("missing.toml")]).is_ok());
    let file = dir.join("keymap.toml");
    std::fs::write(&file, "[browse]\nx = \"fly\"\n").unwrap();
    let err = Keymap::load(std::slice::from_ref(&file)).unwrap_err();
    assert_eq!(err.file, file.display().to_string());
    assert_eq!(err.line, Some(2));
    std::fs::write(&file, "[browse]\nx = \"remove\"\n").unwrap();
    let keymap = Keymap::load(std::slice::from_ref(&file)).unwrap();
    assert_eq!(
        keymap.lookup(&BROWSING, &seq("x")),
        Lookup::Action(Action::Remove)
    );
    // A directory cannot be read as a file.
    let err = Keymap::load(std::slice::from_ref(&dir)).unwrap_err();
    assert_eq!(err.file, dir.display().to_string());
    assert_eq!(err.line, None);
    assert!(err.message.starts_with("cannot read the file: "), "{err}");
    // An operator's own file goes over the account's, key by key.
    let own = dir.join("own.toml");
    std::fs::write(&own, "[browse]\nx = \"first\"\n").unwrap();
    let keymap = Keymap::load(&[file.clone(), own.clone()]).unwrap();
    assert_eq!(
        keymap.lookup(&BROWSING, &seq("x")),
        Lookup::Action(Action::First)
    );
    std::fs::write(&own, "[browse]\nx = \"fly\"\n").unwrap();
    let err = Keymap::load(&[file, own.clone()]).unwrap_err();
    assert_eq!(err.file, own.display().to_string());
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
    assert_err(
        &err,
        2,
        "x",
        "[browse], [filter], [form], [help], [palette]",
    );
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
fn errors_speak_chinese() {
    crate::i18n::set_lang(crate::i18n::Lang::Zh);
    let unknown = user_err("[browse]\nx = \"teleport\"\n");
    let typo = user_err("[browse]\nx = \"remvoe\"\n");
    let conflict = user_err("\n[browse]\ng = \"first\"\n");
    let bad_key = user_err("[browse]\n\"ctrl-foo\" = \"down\"\n");
    let shown = unknown.to_string();
    crate::i18n::set_lang(crate::i18n::Lang::En);
    assert_err(&unknown, 2, "x", "未知动作“teleport”");
    assert_eq!(shown, "user.toml:2: 键 \"x\": 未知动作“teleport”");
    assert_err(&typo, 2, "x", "是不是想写“remove”？");
    assert_err(&conflict, 3, "g", "（内置 keymap.toml 第 ");
    assert_err(
        &bad_key,
        2,
        "ctrl-foo",
        "未知按键“foo”；请使用单个字符，或以下名称之一：enter、esc",
    );
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
        // Sections active together: [browse] with [global], and each
        // pane's section with both.
        let browsing = |s: Section| s.is_pane() || matches!(s, Section::Browse | Section::Global);
        let linked = |a: Section, b: Section| {
            a == b || (browsing(a) && browsing(b) && !(a.is_pane() && b.is_pane()))
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

#[test]
fn each_pane_has_its_own_keys_before_browse_and_global() {
    let keymap = Keymap::built_in().unwrap();
    let on = |pane: Section| [pane, Section::Browse, Section::Global];
    assert_eq!(
        keymap.lookup(&on(Section::Staff), &seq("t")),
        Lookup::Action(Action::Transfer)
    );
    assert_eq!(
        keymap.lookup(&on(Section::Goals), &seq("t")),
        Lookup::Unbound
    );
    assert_eq!(
        keymap.lookup(&on(Section::Goals), &seq("s")),
        Lookup::Unbound
    );
    assert_eq!(
        keymap.lookup(&on(Section::Goals), &seq("u")),
        Lookup::Action(Action::RecordActual)
    );
    assert_eq!(
        keymap.lookup(&on(Section::Vendors), &seq("]")),
        Lookup::Action(Action::NextCycle)
    );
    // Shared keys stay in [browse] for every pane.
    assert_eq!(
        keymap.lookup(&on(Section::Scoring), &seq("a")),
        Lookup::Action(Action::Add)
    );
}

#[test]
fn a_users_browse_keys_from_before_pane_sections_keep_working() {
    let keymap = user("[browse]\nt = \"remove\"\nX = \"sort\"\n").unwrap();
    let on = |pane: Section| [pane, Section::Browse, Section::Global];
    // t meant transfer only through [browse] before; the user's choice wins.
    assert_eq!(
        keymap.lookup(&on(Section::Staff), &seq("t")),
        Lookup::Action(Action::Remove)
    );
    // X was cancel_unbind on the Bindings pane by default: theirs now.
    assert_eq!(
        keymap.lookup(&on(Section::Bindings), &seq("X")),
        Lookup::Action(Action::Sort)
    );
    // A pane section of theirs still goes over their [browse].
    let keymap = user("[browse]\nt = \"remove\"\n[staff]\nt = \"promote\"\n").unwrap();
    assert_eq!(
        keymap.lookup(&on(Section::Staff), &seq("t")),
        Lookup::Action(Action::Promote)
    );
}
