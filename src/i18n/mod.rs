//! All user-facing text, by key, in English and Simplified Chinese. The
//! catalogues are TOML files compiled into the binary; `tr!` looks a key up in
//! the current language and fills `{name}` placeholders.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt::{Display, Write as _};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};

/// A language the console speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The code used by `--lang` and config.toml.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language's name in itself, for menus.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The catalogue files of this language; their keys must not overlap.
    fn sources(self) -> [&'static str; 19] {
        match self {
            Lang::En => [
                include_str!("en/main.toml"),
                include_str!("en/files.toml"),
                include_str!("en/import.toml"),
                include_str!("en/staff.toml"),
                include_str!("en/goals.toml"),
                include_str!("en/scoring.toml"),
                include_str!("en/bindings.toml"),
                include_str!("en/binding_files.toml"),
                include_str!("en/vendors.toml"),
                include_str!("en/vendor_files.toml"),
                include_str!("en/team.toml"),
                include_str!("en/notices.toml"),
                include_str!("en/console.toml"),
                include_str!("en/audit.toml"),
                include_str!("en/palette.toml"),
                include_str!("en/jobs.toml"),
                include_str!("en/cells.toml"),
                include_str!("en/loads.toml"),
                include_str!("en/search.toml"),
            ],
            Lang::Zh => [
                include_str!("zh/main.toml"),
                include_str!("zh/files.toml"),
                include_str!("zh/import.toml"),
                include_str!("zh/staff.toml"),
                include_str!("zh/goals.toml"),
                include_str!("zh/scoring.toml"),
                include_str!("zh/bindings.toml"),
                include_str!("zh/binding_files.toml"),
                include_str!("zh/vendors.toml"),
                include_str!("zh/vendor_files.toml"),
                include_str!("zh/team.toml"),
                include_str!("zh/notices.toml"),
                include_str!("zh/console.toml"),
                include_str!("zh/audit.toml"),
                include_str!("zh/palette.toml"),
                include_str!("zh/jobs.toml"),
                include_str!("zh/cells.toml"),
                include_str!("zh/loads.toml"),
                include_str!("zh/search.toml"),
            ],
        }
    }
}

/// The language to speak: the `--lang` flag, else config.toml's `lang`, else
/// the locale (the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set:
/// Chinese when it begins with `zh`), else English. `env` reads a variable.
pub fn choose_lang(
    flag: Option<Lang>,
    config: Option<Lang>,
    env: impl Fn(&str) -> Option<String>,
) -> Lang {
    flag.or(config).unwrap_or_else(|| {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(&env)
            .find(|value| !value.is_empty());
        match locale {
            Some(value) if value.starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    })
}

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Sets the language for text produced on this thread from now on.
pub fn set_lang(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

/// The language text is produced in on this thread.
pub fn lang() -> Lang {
    CURRENT.with(Cell::get)
}

/// A catalogue: flattened dotted keys to text.
pub type Catalogue = HashMap<String, String>;

/// The parsed catalogue of `lang`, built once.
pub fn catalogue(lang: Lang) -> &'static Catalogue {
    static EN: OnceLock<Catalogue> = OnceLock::new();
    static ZH: OnceLock<Catalogue> = OnceLock::new();
    let cell = match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    };
    cell.get_or_init(|| {
        let mut out = Catalogue::new();
        for text in lang.sources() {
            out.extend(parse_catalogue(text));
        }
        out
    })
}

/// Flattens nested TOML tables into dotted keys. A broken shipped catalogue
/// yields an empty one, which the completeness test catches.
fn parse_catalogue(text: &str) -> Catalogue {
    let mut out = Catalogue::new();
    if let Ok(table) = text.parse::<toml::Table>() {
        flatten("", &table, &mut out);
    }
    out
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalogue) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) => flatten(&full, inner, out),
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            other => {
                out.insert(full, other.to_string());
            }
        }
    }
}

/// The text of `key` in the current language; the key itself when missing.
pub fn text(key: &str) -> &'static str {
    match catalogue(lang()).get(key) {
        Some(text) => text.as_str(),
        None => missing(key),
    }
}

fn missing(key: &str) -> &'static str {
    // Leaked once per distinct missing key: only reachable when a catalogue is
    // incomplete, which the completeness test forbids.
    Box::leak(key.to_string().into_boxed_str())
}

/// The text of `key` with `{name}` placeholders replaced by `args`.
pub fn format(key: &str, args: &[(&str, &dyn Display)]) -> String {
    let template = text(key);
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    // Braces are single bytes in UTF-8: looked for byte by byte (a report
    // formats a line per row).
    while let Some(start) = memchr::memchr(b'{', rest.as_bytes()) {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match memchr::memchr(b'}', after.as_bytes()) {
            Some(end) => {
                let name = &after[..end];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => {
                        let _ = write!(out, "{value}");
                    }
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A date in the language's long form: `23 November 2026`, `2026年11月23日`.
pub fn long_date(date: NaiveDate) -> String {
    let month = match date.month() {
        1 => text("date.month.1"),
        2 => text("date.month.2"),
        3 => text("date.month.3"),
        4 => text("date.month.4"),
        5 => text("date.month.5"),
        6 => text("date.month.6"),
        7 => text("date.month.7"),
        8 => text("date.month.8"),
        9 => text("date.month.9"),
        10 => text("date.month.10"),
        11 => text("date.month.11"),
        _ => text("date.month.12"),
    };
    crate::tr!(
        "date.long",
        year = date.year(),
        month = month,
        day = date.day()
    )
}

/// A whole number with its thousands grouped: `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(text("number.group_separator"));
        }
        out.push(c);
    }
    out
}

/// `tr!("tab.staff")` or `tr!("department.added", name = value)`: localized text as a `String`.
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::i18n::text($key).to_string()
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::format($key, &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+])
    };
}

#[cfg(test)]
pub(crate) mod tests;
