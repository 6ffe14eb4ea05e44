//! What each audit action is called in words. The log keeps its actions
//! as codes (`binding.notice_sent`), which exports and scripts read; the
//! console shows them in the operator's language ("unbinding notice
//! sent", "已发送解绑通知"). Every action hrdesk writes has a label here
//! (a test reads the sources for them); an action without one (written
//! by another version) shows as its code.

use crate::i18n;

/// Where an action's label is in the catalogues: this, then the action.
const KEY_PREFIX: &str = "audit.action.";

/// The label of every action hrdesk writes, by its catalogue key (the
/// prefix and the action's code), families together.
const LABELS: &[&str] = &[
    "audit.action.access.denied",
    "audit.action.appeal.file",
    "audit.action.appeal.step",
    "audit.action.audit_log.export",
    "audit.action.binding.add",
    "audit.action.binding.audit",
    "audit.action.binding.bulk",
    "audit.action.binding.cancel",
    "audit.action.binding.code_renewed",
    "audit.action.binding.copy",
    "audit.action.binding.confirm",
    "audit.action.binding.expire",
    "audit.action.binding.export",
    "audit.action.binding.export_revealed",
    "audit.action.binding.force",
    "audit.action.binding.import",
    "audit.action.binding.notice_sent",
    "audit.action.binding.notices",
    "audit.action.binding.request_unbind",
    "audit.action.binding.reveal",
    "audit.action.binding.reveal_code",
    "audit.action.binding.used",
    "audit.action.binding.view",
    "audit.action.bonus.export",
    "audit.action.course.catalogue",
    "audit.action.cycle.add",
    "audit.action.cycle.advance",
    "audit.action.cycle.edit",
    "audit.action.cycle.normalise",
    "audit.action.cycle.reopen",
    "audit.action.database.create",
    "audit.action.database.upgrade",
    "audit.action.department.add",
    "audit.action.department.edit",
    "audit.action.department.head_linked",
    "audit.action.department.move",
    "audit.action.department.remove",
    "audit.action.employee.correction",
    "audit.action.employee.departure",
    "audit.action.employee.export",
    "audit.action.employee.hire",
    "audit.action.employee.leave",
    "audit.action.employee.promotion",
    "audit.action.employee.rehire",
    "audit.action.employee.return",
    "audit.action.employee.reveal",
    "audit.action.employee.schedule",
    "audit.action.employee.transfer",
    "audit.action.goal.actual",
    "audit.action.goal.actuals",
    "audit.action.goal.add",
    "audit.action.goal.bulk",
    "audit.action.goal.cascade",
    "audit.action.goal.edit",
    "audit.action.goal.not_achieved",
    "audit.action.goal.owner",
    "audit.action.goal.owner_departed",
    "audit.action.goal.weight",
    "audit.action.goal.weight_schedule",
    "audit.action.grade.override",
    "audit.action.indicator.record",
    "audit.action.operator.add",
    "audit.action.operator.remove",
    "audit.action.operator.role",
    "audit.action.operator.set_key",
    "audit.action.peer.allow",
    "audit.action.peer.remove",
    "audit.action.rating.bulk",
    "audit.action.rating.record",
    "audit.action.schedule.blocked",
    "audit.action.schedule.cancel",
    "audit.action.schedule.move",
    "audit.action.staff.import",
    "audit.action.staff.import_events",
    "audit.action.vendor.add",
    "audit.action.vendor.edit",
    "audit.action.vendor.import",
    "audit.action.vendor.remove",
    "audit.action.vendor.spend",
    "audit.action.vendor_project.add",
    "audit.action.vendor_project.choose",
    "audit.action.vendor_project.edit",
    "audit.action.vendor_project.weights",
];

/// Every action with a label, in the catalogue's order.
pub fn known() -> impl Iterator<Item = &'static str> {
    LABELS.iter().map(|key| &key[KEY_PREFIX.len()..])
}

/// The families of the known actions (`binding.`, `employee.`), each once,
/// in the catalogue's order.
pub fn families() -> Vec<&'static str> {
    let mut families: Vec<&'static str> = Vec::new();
    for code in known() {
        let family = code.find('.').map_or(code, |dot| &code[..=dot]);
        if !families.contains(&family) {
            families.push(family);
        }
    }
    families
}

/// Action `code` in words in the current language, if it has a label.
pub fn label(code: &str) -> Option<&'static str> {
    LABELS
        .iter()
        .find(|key| &key[KEY_PREFIX.len()..] == code)
        .map(|key| i18n::text(key))
}

/// Action `code` in words, or the code itself when it has no label.
pub fn name(code: &str) -> &str {
    label(code).unwrap_or(code)
}

#[cfg(test)]
mod tests {
    //! The catalogue against the sources: every action written anywhere
    //! under src/ (outside tests) has a label, found the way the i18n
    //! tests find the keys the code asks for.

    use std::collections::BTreeSet;
    use std::ops::Range;
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::domain::employee::EventKind;
    use crate::i18n::{Lang, catalogue};

    /// One source file as the compiler sees it: its text, the same with
    /// comments and the insides of string and character literals blanked
    /// out (same byte offsets, so braces and names found in it are code),
    /// and where its string literals' contents are.
    struct Source {
        path: PathBuf,
        text: String,
        code: String,
        literals: Vec<Range<usize>>,
    }

    impl Source {
        fn new(path: PathBuf, text: String) -> Source {
            let (code, literals) = lex(&text);
            Source {
                path,
                text,
                code,
                literals,
            }
        }

        /// The names of the modules it declares `#[cfg(test)] mod name;`.
        fn test_modules(&self) -> Vec<String> {
            let code = &self.code;
            code.match_indices(CFG_TEST)
                .filter_map(|(at, _)| {
                    let rest = code[at + CFG_TEST.len()..].trim_start();
                    let rest = ["pub ", "pub(crate) "]
                        .iter()
                        .find_map(|public| rest.strip_prefix(public))
                        .unwrap_or(rest);
                    let rest = rest.strip_prefix("mod ")?;
                    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
                    rest[end..]
                        .trim_start()
                        .starts_with(';')
                        .then(|| rest[..end].to_string())
                })
                .collect()
        }

        /// Where its `#[cfg(test)]` items are: from the attribute to the
        /// `;` of a declaration or the brace that closes a block.
        fn test_items(&self) -> Vec<Range<usize>> {
            let code = self.code.as_bytes();
            let mut items = Vec::new();
            let mut from = 0;
            while let Some(found) = self.code[from..].find(CFG_TEST) {
                let start = from + found;
                let mut at = start + CFG_TEST.len();
                let mut depth = 0usize;
                while at < code.len() {
                    match code[at] {
                        b';' if depth == 0 => break,
                        b'{' => depth += 1,
                        b'}' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    at += 1;
                }
                let end = (at + 1).min(code.len());
                items.push(start..end);
                from = end;
            }
            items
        }

        /// Its string literals outside test items, with where they start.
        fn built_literals(&self) -> Vec<(usize, &str)> {
            let tests = self.test_items();
            self.literals
                .iter()
                .filter(|span| !tests.iter().any(|t| t.contains(&span.start)))
                .map(|span| (span.start, &self.text[span.clone()]))
                .collect()
        }

        /// Whether `at` lies in a test item.
        fn in_test(&self, at: usize) -> bool {
            self.test_items().iter().any(|t| t.contains(&at))
        }
    }

    const CFG_TEST: &str = "#[cfg(test)]";

    /// `text` with its comments and the insides of its literals blanked,
    /// and the spans of its string literals' contents.
    fn lex(text: &str) -> (String, Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut code = bytes.to_vec();
        let mut literals = Vec::new();
        let blank = |code: &mut Vec<u8>, span: Range<usize>| {
            for byte in &mut code[span] {
                if *byte != b'\n' {
                    *byte = b' ';
                }
            }
        };
        let starts_word = |at: usize| {
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_')
        };
        let mut at = 0;
        while at < bytes.len() {
            let rest = &bytes[at..];
            if rest.starts_with(b"//") {
                let end = text[at..].find('\n').map_or(bytes.len(), |n| at + n);
                blank(&mut code, at..end);
                at = end;
            } else if rest.starts_with(b"/*") {
                let mut depth = 0;
                let mut end = at;
                while end < bytes.len() {
                    if bytes[end..].starts_with(b"/*") {
                        depth += 1;
                        end += 2;
                    } else if bytes[end..].starts_with(b"*/") {
                        depth -= 1;
                        end += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        end += 1;
                    }
                }
                blank(&mut code, at..end);
                at = end;
            } else if rest[0] == b'"' {
                let mut end = at + 1;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                let end = end.min(bytes.len());
                literals.push(at + 1..end);
                blank(&mut code, at + 1..end);
                at = end + 1;
            } else if (rest.starts_with(b"r#") || rest.starts_with(b"r\"")) && starts_word(at) {
                let hashes = rest[1..].iter().take_while(|&&c| c == b'#').count();
                let open = at + 1 + hashes;
                if bytes.get(open) != Some(&b'"') {
                    at += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let end = text[open + 1..]
                    .find(&close)
                    .map_or(bytes.len(), |n| open + 1 + n);
                literals.push(open + 1..end);
                blank(&mut code, open + 1..end);
                at = end + close.len();
            } else if rest[0] == b'\'' {
                // A character literal ('x', '"', '\''); else a lifetime.
                let mut chars = text[at + 1..].chars();
                let end = match (chars.next(), chars.next()) {
                    (Some('\\'), _) => text[at + 2..].find('\'').map(|n| at + 2 + n + 1),
                    (Some(c), Some('\'')) => Some(at + 1 + c.len_utf8() + 1),
                    _ => None,
                };
                match end {
                    Some(end) => {
                        blank(&mut code, at + 1..end - 1);
                        at = end;
                    }
                    None => at += 1,
                }
            } else {
                at += text[at..].chars().next().map_or(1, char::len_utf8);
            }
        }
        let code = String::from_utf8(code).unwrap_or_default();
        (code, literals)
    }

    /// The Rust sources under src/ that are built outside tests (a module
    /// declared `#[cfg(test)] mod name;` is test code whole).
    fn built_sources() -> Vec<Source> {
        let mut files: Vec<Source> = crate::i18n::tests::source_files()
            .into_iter()
            .map(|(path, text)| Source::new(path, text))
            .collect();
        let mut test_only: BTreeSet<PathBuf> = BTreeSet::new();
        for source in &files {
            let path = &source.path;
            let dir = if path
                .file_name()
                .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
            {
                path.parent().map(Path::to_path_buf)
            } else {
                path.parent()
                    .map(|p| p.join(path.file_stem().unwrap_or_default()))
            };
            let Some(dir) = dir else { continue };
            for name in source.test_modules() {
                test_only.insert(dir.join(format!("{name}.rs")));
                test_only.insert(dir.join(&name).join("mod.rs"));
            }
        }
        files.retain(|source| !test_only.contains(&source.path));
        files
    }

    /// What file names end in, where a name looks like an action.
    const FILE_TYPES: [&str; 9] = [
        "toml", "rs", "csv", "redb", "txt", "json", "xlsx", "md", "lock",
    ];

    /// Whether `word` looks like an action code: lower-case words joined
    /// by one dot (`binding.notice_sent`).
    fn looks_like_action(word: &str) -> bool {
        let is_word =
            |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        matches!(word.split_once('.'), Some((a, b)) if is_word(a) && is_word(b))
    }

    /// The actions the built sources write: each literal given to
    /// `AuditRecord::new`, each literal that looks like an action (passed
    /// on to it as `action`, or kept in a constant) but for the
    /// catalogues' keys, file names and the demo's user names, and the
    /// lifecycle events' `employee.<event>`. An argument of another shape
    /// is reported, to be taught here.
    fn written_actions() -> BTreeSet<String> {
        const NEW: &str = "AuditRecord::new(";
        let keys = catalogue(Lang::En);
        let mut actions = BTreeSet::new();
        for source in built_sources() {
            let literals = source.built_literals();
            for (at, _) in source.code.match_indices(NEW) {
                if source.in_test(at) {
                    continue;
                }
                let argument = at + NEW.len();
                let rest = &source.code[argument..];
                let start = argument + (rest.len() - rest.trim_start().len());
                if let Some((_, literal)) = literals.iter().find(|(s, _)| *s == start + 1) {
                    actions.insert(literal.to_string());
                    continue;
                }
                let shape: String = source.text[start..]
                    .chars()
                    .take_while(|&c| c != ',')
                    .filter(|c| !c.is_whitespace())
                    .collect();
                assert!(
                    ["action", "BONUS_EXPORT", "&format!(\"employee.{}\""]
                        .contains(&shape.as_str()),
                    "{}: AuditRecord::new({shape}, …): teach this test where that action comes from",
                    source.path.display()
                );
            }
            if source.path.components().any(|c| c.as_os_str() == "demo") {
                // The demo's operators are called `hr.zhang`, `audit.liu`.
                continue;
            }
            for (_, literal) in literals {
                let file_name = literal
                    .rsplit_once('.')
                    .is_some_and(|(_, ext)| FILE_TYPES.contains(&ext));
                if looks_like_action(literal) && !file_name && !keys.contains_key(literal) {
                    actions.insert(literal.to_string());
                }
            }
        }
        let events = EventKind::every_kind();
        actions.extend(
            events
                .iter()
                .map(|kind| format!("employee.{}", kind.code())),
        );
        actions
    }

    #[test]
    fn every_action_written_has_a_label() {
        let written = written_actions();
        assert!(
            written.len() > 60 && written.contains("binding.notice_sent"),
            "the sources were not read: {written:?}"
        );
        let missing: Vec<&String> = written.iter().filter(|a| label(a).is_none()).collect();
        assert!(
            missing.is_empty(),
            "actions written without a label (add them to LABELS and audit.toml): {missing:?}"
        );
    }

    #[test]
    fn every_label_is_of_an_action_written() {
        let written = written_actions();
        let stale: Vec<&str> = known().filter(|a| !written.contains(*a)).collect();
        assert!(
            stale.is_empty(),
            "labels of actions no longer written: {stale:?}"
        );
    }

    #[test]
    fn labels_exist_in_both_languages_and_differ() {
        for key in LABELS {
            let en = catalogue(Lang::En).get(*key);
            let zh = catalogue(Lang::Zh).get(*key);
            assert!(en.is_some() && zh.is_some(), "{key}");
            assert_ne!(en, zh, "{key} is not translated");
        }
    }

    #[test]
    fn unknown_actions_show_as_their_code() {
        i18n::set_lang(Lang::Zh);
        assert_eq!(name("binding.notice_sent"), "已发送解绑通知");
        assert_eq!(name("binding.future_thing"), "binding.future_thing");
        i18n::set_lang(Lang::En);
        assert_eq!(name("binding.notice_sent"), "unbinding notice sent");
        assert!(families().contains(&"binding.") && families().contains(&"vendor_project."));
    }

    #[test]
    fn the_reader_leaves_out_comments_and_test_items() {
        let text = "fn a() { x(\"a.b\"); } // \"c.d\"\n#[cfg(test)]\nmod tests { fn t() { y(\"}\"); z('{'); w('\"'); } }\nfn c<'a>() { r#\"q\"# }\n#[cfg(test)]\nmod model;";
        let source = Source::new(PathBuf::from("x.rs"), text.to_string());
        let built: Vec<&str> = source
            .built_literals()
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(built, vec!["a.b", "q"]);
        assert_eq!(source.test_modules(), vec!["model"]);
        assert!(looks_like_action("vendor_project.add") && !looks_like_action("a.toml.x"));
        assert!(!looks_like_action("Hr.zhang") && !looks_like_action("styles.title.fg"));
    }
}
