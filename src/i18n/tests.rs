//! Catalogue completeness: both languages have the same keys and
//! placeholders, every key the code asks for exists, and no key is unused.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;

/// Every Rust source file under src/, with its path.
pub(crate) fn source_files() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// All sources as one text.
fn sources() -> String {
    source_files()
        .into_iter()
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join("\n")
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
            assert!(
                text.parse::<toml::Table>().is_ok(),
                "{lang:?} catalogue is not valid TOML"
            );
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
    for &action in crate::action::Action::ALL {
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

#[test]
fn dates_and_numbers_read_as_each_language_expects() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    set_lang(Lang::En);
    assert_eq!(long_date(day), "23 November 2026");
    assert_eq!(grouped(1_234_567), "1,234,567");
    assert_eq!(grouped(999), "999");
    assert_eq!(grouped(0), "0");
    set_lang(Lang::Zh);
    assert_eq!(long_date(day), "2026年11月23日");
    assert_eq!(grouped(100_000), "100,000");
    set_lang(Lang::En);
}

/// The string literals on one line of code (escapes kept as written).
fn string_literals(line: &str) -> Vec<&str> {
    let mut literals = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('"') {
        let body = &rest[start + 1..];
        let mut end = None;
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(i);
                    break;
                }
                _ => escaped = false,
            }
        }
        let Some(end) = end else { break };
        literals.push(&body[..end]);
        rest = &body[end + 1..];
    }
    literals
}

/// Prose: Chinese characters, or two English words in a row.
fn looks_like_prose(literal: &str) -> bool {
    let chinese = literal
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let words: Vec<&str> = literal.split(' ').collect();
    let english = words.windows(2).any(|pair| {
        pair.iter()
            .all(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic()))
    });
    chinese || english
}

#[test]
fn no_user_facing_literals_outside_the_catalogue() {
    // The demo company's names and the surname readings are data, not
    // interface text; so is a line marked `// data:` (words read from input).
    let exempt = [
        "i18n",
        "demo",
        "pinyin.rs",
        "fixtures.rs",
        "tests.rs",
        "test_support.rs",
    ];
    let mut found = Vec::new();
    for (path, text) in source_files() {
        let test_file = path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().ends_with("_tests.rs"));
        if test_file || path.iter().any(|part| exempt.iter().any(|e| part == *e)) {
            continue;
        }
        // An inline test module comes last in a file.
        let code = text.split("#[cfg(test)]\nmod tests {").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") || trimmed.starts_with("#[") || line.contains("// data:") {
                continue;
            }
            for literal in string_literals(line) {
                if looks_like_prose(literal) {
                    found.push(format!("{}:{}: {literal:?}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "text outside the catalogue:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_prose_detector_tells_text_from_identifiers() {
    assert!(looks_like_prose("the name is empty"));
    assert!(looks_like_prose("部门"));
    assert!(!looks_like_prose("department.add"));
    assert!(!looks_like_prose("{} · {parent}"));
    assert!(!looks_like_prose("%Y-%m-%d %H:%M"));
    assert_eq!(
        string_literals(r#"f("a \"b\"", "c")"#),
        vec![r#"a \"b\""#, "c"]
    );
}
