//! Catalogue completeness: both languages have the same keys and
//! placeholders, every key the code asks for exists, and no key is unused.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;

fn sources() -> String {
    fn walk(dir: &Path, out: &mut String) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
                out.push('\n');
            }
        }
    }
    let mut out = String::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// The literal keys passed to `tr!` anywhere in the sources.
fn keys_asked_for(sources: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (at, _) in sources.match_indices("tr!(") {
        let is_macro = sources[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        if !is_macro {
            continue;
        }
        let rest = sources[at + 4..].trim_start();
        if let Some(literal) = rest.strip_prefix('"')
            && let Some(end) = literal.find('"')
        {
            let key = &literal[..end];
            if key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
            {
                keys.insert(key.to_string());
            }
        }
    }
    keys
}

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

#[test]
fn both_languages_have_the_same_keys() {
    let en: BTreeSet<_> = catalogue(Lang::En).keys().collect();
    let zh: BTreeSet<_> = catalogue(Lang::Zh).keys().collect();
    assert!(en.len() > 100, "English catalogue failed to parse");
    let only_en: Vec<_> = en.difference(&zh).collect();
    let only_zh: Vec<_> = zh.difference(&en).collect();
    assert!(only_en.is_empty(), "missing in zh.toml: {only_en:?}");
    assert!(only_zh.is_empty(), "missing in en.toml: {only_zh:?}");
}

#[test]
fn catalogue_files_parse_and_do_not_overlap() {
    for lang in Lang::ALL {
        let mut seen = BTreeSet::new();
        for text in lang.sources() {
            assert!(text.parse::<toml::Table>().is_ok(), "{lang:?} catalogue is not valid TOML");
            for key in parse_catalogue(text).into_keys() {
                assert!(seen.insert(key.clone()), "{key} is in two {lang:?} files");
            }
        }
    }
}

#[test]
fn placeholders_agree_between_languages() {
    let zh = catalogue(Lang::Zh);
    for (key, en_text) in catalogue(Lang::En) {
        let zh_text = zh.get(key).map_or("", String::as_str);
        assert_eq!(
            placeholders(en_text),
            placeholders(zh_text),
            "placeholders differ for {key}"
        );
    }
}

#[test]
fn every_key_asked_for_exists() {
    let en = catalogue(Lang::En);
    let missing: Vec<_> = keys_asked_for(&sources())
        .into_iter()
        .filter(|k| !en.contains_key(k))
        .collect();
    assert!(
        missing.is_empty(),
        "keys used but not in en.toml: {missing:?}"
    );
}

#[test]
fn every_key_is_used() {
    let sources = sources();
    let unused: Vec<_> = catalogue(Lang::En)
        .keys()
        .filter(|k| !sources.contains(&format!("\"{k}\"")))
        .collect();
    assert!(
        unused.is_empty(),
        "keys in the catalogue but never used: {unused:?}"
    );
}

#[test]
fn action_descriptions_exist() {
    for &action in crate::app::action::Action::ALL {
        assert!(
            catalogue(Lang::En).contains_key(action.description_key()),
            "{}",
            action.name()
        );
    }
}

#[test]
fn placeholders_are_filled_and_unknown_ones_kept() {
    set_lang(Lang::En);
    assert_eq!(
        crate::tr!("department.added", name = "销售部"),
        "Department “销售部” added"
    );
    set_lang(Lang::Zh);
    assert_eq!(
        crate::tr!("department.added", name = "销售部"),
        "已添加部门“销售部”"
    );
    set_lang(Lang::En);
    assert_eq!(format("department.added", &[]), "Department “{name}” added");
    assert_eq!(text("no.such.key"), "no.such.key");
}

#[test]
fn language_comes_from_flag_then_config_then_locale() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    };
    let zh_locale = env(&[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(
        choose_lang(Some(Lang::En), Some(Lang::Zh), zh_locale),
        Lang::En
    );
    assert_eq!(choose_lang(None, Some(Lang::En), zh_locale), Lang::En);
    assert_eq!(choose_lang(None, None, zh_locale), Lang::Zh);
    assert_eq!(
        choose_lang(None, None, env(&[("LANG", "en_US.UTF-8")])),
        Lang::En
    );
    assert_eq!(choose_lang(None, None, env(&[])), Lang::En);
    assert_eq!(
        choose_lang(None, None, env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])),
        Lang::En,
        "LC_ALL wins over LANG"
    );
    assert_eq!(
        choose_lang(
            None,
            None,
            env(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_TW"), ("LANG", "C")])
        ),
        Lang::Zh,
        "an empty variable is skipped"
    );
}
