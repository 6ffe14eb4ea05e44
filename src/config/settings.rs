//! Where hrdesk keeps its files (the XDG directories), the config file
//! `config.toml`, and the small TOML helpers the config files share so that
//! every error names the file, the line and the key at fault.
//!
//! `config.toml` may hold, each optional:
//!
//! ```toml
//! theme = "light"                 # a built-in theme or one in <config_dir>/themes
//! lang = "en"                     # interface language
//! database = "~/hr/hrdesk.redb"   # relative paths are taken from the config directory
//! authorized_keys = "/etc/ssh/keys/hrdesk"  # the file `operator … --ssh-key` keeps
//! import_limit_mb = 200           # the largest file an import reads
//! timezone = "Asia/Shanghai"      # times read and shown in this zone
//! glyphs = "ascii"                # borders and symbols in ASCII ("unicode" by default)
//! keep_hidden_rows = 200000       # a tab left holding more rows lets them go
//! ```

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use directories::{BaseDirs, ProjectDirs};
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::config::error::{ConfigError, join_list, line_of};
use crate::i18n::Lang;
use crate::tr;
use crate::zone::Zone;

/// Where hrdesk keeps its files: from `directories::ProjectDirs::from("", "", "hrdesk")`
/// (honours `XDG_CONFIG_HOME` / `XDG_DATA_HOME`). Either directory is `None`
/// when no home directory can be found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    /// Configuration directory, e.g. `~/.config/hrdesk`.
    pub config_dir: Option<PathBuf>,
    /// Data directory, e.g. `~/.local/share/hrdesk`.
    pub data_dir: Option<PathBuf>,
}

impl Paths {
    /// Finds the directories for the current user.
    pub fn discover() -> Paths {
        let dirs = ProjectDirs::from("", "", "hrdesk");
        Paths {
            config_dir: dirs.as_ref().map(|d| d.config_dir().to_path_buf()),
            data_dir: dirs.as_ref().map(|d| d.data_dir().to_path_buf()),
        }
    }

    /// `<config_dir>/config.toml`.
    pub fn config_file(&self) -> Option<PathBuf> {
        self.in_config_dir("config.toml")
    }

    /// `<config_dir>/keymap.toml`.
    pub fn keymap_file(&self) -> Option<PathBuf> {
        self.in_config_dir("keymap.toml")
    }

    /// `<config_dir>/themes`, where user themes live as `<name>.toml`.
    pub fn themes_dir(&self) -> Option<PathBuf> {
        self.in_config_dir("themes")
    }

    /// `<data_dir>/hrdesk.redb`, the database used when none is configured.
    pub fn default_database(&self) -> Option<PathBuf> {
        self.data_dir.as_ref().map(|d| d.join("hrdesk.redb"))
    }

    fn in_config_dir(&self, name: &str) -> Option<PathBuf> {
        self.config_dir.as_ref().map(|d| d.join(name))
    }
}

/// The keys `config.toml` accepts.
const SETTINGS_KEYS: [&str; 9] = [
    "theme",
    "lang",
    "database",
    "exchange",
    "authorized_keys",
    "import_limit_mb",
    "timezone",
    "glyphs",
    "keep_hidden_rows",
];

/// What the console draws borders and symbols with: Unicode (box
/// drawing, `·`, `…`), or ASCII for terminals that draw those two columns
/// wide (see `ui::glyphs`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Glyphs {
    #[default]
    Unicode,
    Ascii,
}

impl Glyphs {
    /// The setting's value as written in config.toml.
    pub fn name(self) -> &'static str {
        match self {
            Glyphs::Unicode => "unicode",
            Glyphs::Ascii => "ascii",
        }
    }

    /// The setting read from its value in config.toml.
    pub fn from_name(name: &str) -> Option<Glyphs> {
        match name {
            "unicode" => Some(Glyphs::Unicode),
            "ascii" => Some(Glyphs::Ascii),
            _ => None,
        }
    }
}

/// What `config.toml` may say. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Theme name, used when no `--theme` flag is given.
    pub theme: Option<String>,
    /// Interface language, used when no `--lang` flag is given.
    pub lang: Option<Lang>,
    /// Database file.
    pub database: Option<PathBuf>,
    /// The folder that file arguments over SSH are confined to (by
    /// default `exchange` beside the database).
    pub exchange: Option<PathBuf>,
    /// The `authorized_keys` file that holds the operators' SSH keys
    /// (default: the one in the home folder of the database's owner).
    pub authorized_keys: Option<PathBuf>,
    /// The largest file an import reads, in megabytes (default 200).
    pub import_limit_mb: Option<u64>,
    /// The zone times are read and shown in (default: the system's).
    pub timezone: Option<Zone>,
    /// Borders and symbols in Unicode or ASCII (default Unicode).
    pub glyphs: Option<Glyphs>,
    /// The most rows a console's tab keeps while another is shown (more
    /// are let go and read again when it comes back; default
    /// [`KEEP_HIDDEN_ROWS`](crate::app::KEEP_HIDDEN_ROWS)).
    pub keep_hidden_rows: Option<u64>,
}

impl Settings {
    /// Reads the file if it exists; no path or a missing file gives the
    /// defaults. Unknown keys and wrong types are [`ConfigError`]s with line
    /// and key. A `database`, `exchange` or `authorized_keys` path starting
    /// with `~/` is taken from the home directory, and a relative one from
    /// the directory holding the file.
    pub fn load(path: Option<&Path>) -> Result<Settings, ConfigError> {
        let Some(path) = path else {
            return Ok(Settings::default());
        };
        let Some(text) = read_if_exists(path)? else {
            return Ok(Settings::default());
        };
        let mut settings = Settings::parse(&path.display().to_string(), &text)?;
        settings.database = settings.database.map(|db| resolve_path(db, path.parent()));
        settings.exchange = settings
            .exchange
            .map(|dir| resolve_path(dir, path.parent()));
        settings.authorized_keys = settings
            .authorized_keys
            .map(|keys| resolve_path(keys, path.parent()));
        Ok(settings)
    }

    /// Parses the text of a `config.toml`; `label` names it in errors. Paths
    /// are kept as written.
    pub fn parse(label: &str, text: &str) -> Result<Settings, ConfigError> {
        Settings::parse_only(label, text, &SETTINGS_KEYS)
    }

    /// Parses a settings file that may set only the keys `allowed`.
    pub(crate) fn parse_only(
        label: &str,
        text: &str,
        allowed: &[&str],
    ) -> Result<Settings, ConfigError> {
        let doc = TomlDoc::new(label, text);
        let table = doc.parse()?;
        let mut settings = Settings::default();
        for (key, value) in entries_in_order(&table) {
            let name = key.get_ref().as_ref();
            let name = if allowed.contains(&name) { name } else { "" };
            match name {
                "theme" => settings.theme = Some(doc.non_empty_string(name, value)?),
                "lang" => {
                    let code = doc.non_empty_string(name, value)?;
                    let lang = Lang::from_code(&code).ok_or_else(|| {
                        doc.error(value.span(), name, tr!("config.settings.unknown_language"))
                    })?;
                    settings.lang = Some(lang);
                }
                "database" => {
                    settings.database = Some(PathBuf::from(doc.non_empty_string(name, value)?))
                }
                "exchange" => {
                    settings.exchange = Some(PathBuf::from(doc.non_empty_string(name, value)?))
                }
                "authorized_keys" => {
                    settings.authorized_keys =
                        Some(PathBuf::from(doc.non_empty_string(name, value)?))
                }
                "import_limit_mb" => {
                    settings.import_limit_mb = Some(doc.positive_integer(name, value)?)
                }
                "keep_hidden_rows" => {
                    settings.keep_hidden_rows = Some(doc.positive_integer(name, value)?)
                }
                "timezone" => {
                    let text = doc.non_empty_string(name, value)?;
                    let zone = Zone::parse(&text).ok_or_else(|| {
                        doc.error(value.span(), name, tr!("config.settings.unknown_zone"))
                    })?;
                    settings.timezone = Some(zone);
                }
                "glyphs" => {
                    let text = doc.non_empty_string(name, value)?;
                    let glyphs = Glyphs::from_name(&text).ok_or_else(|| {
                        doc.error(value.span(), name, tr!("config.settings.unknown_glyphs"))
                    })?;
                    settings.glyphs = Some(glyphs);
                }
                _ => {
                    return Err(doc.error(
                        key.span(),
                        key.get_ref().as_ref(),
                        tr!(
                            "config.settings.unknown_key",
                            keys = join_list(allowed.iter().copied())
                        ),
                    ));
                }
            }
        }
        Ok(settings)
    }
}

/// Which theme to use: the command-line flag, else `config.toml`'s `theme`,
/// else `mono` when `NO_COLOR` is set to a non-empty value, else `default`.
/// The caller passes `std::env::var("NO_COLOR").ok().as_deref()`.
pub fn choose_theme_name(
    flag: Option<&str>,
    settings: &Settings,
    no_color: Option<&str>,
) -> String {
    let chosen = flag.or(settings.theme.as_deref());
    match (chosen, no_color) {
        (Some(name), _) => name.to_owned(),
        (None, Some(value)) if !value.is_empty() => "mono".to_owned(),
        (None, _) => "default".to_owned(),
    }
}

/// `~/rest` becomes `<home>/rest`; another relative path is joined to `base`.
fn resolve_path(path: PathBuf, base: Option<&Path>) -> PathBuf {
    if let (Ok(rest), Some(dirs)) = (path.strip_prefix("~"), BaseDirs::new()) {
        return dirs.home_dir().join(rest);
    }
    match base {
        Some(base) if path.is_relative() => base.join(path),
        _ => path,
    }
}

/// Reads a whole file; `Ok(None)` when it does not exist.
pub(crate) fn read_if_exists(path: &Path) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(ConfigError::new(
            path.display().to_string(),
            tr!("config.cannot_read", reason = err),
        )),
    }
}

/// One TOML document being read: its text and the name it is shown under,
/// so that errors can point at a line.
pub(crate) struct TomlDoc<'a> {
    label: &'a str,
    text: &'a str,
}

impl<'a> TomlDoc<'a> {
    pub(crate) fn new(label: &'a str, text: &'a str) -> Self {
        TomlDoc { label, text }
    }

    /// The name errors give the file.
    pub(crate) fn label(&self) -> &'a str {
        self.label
    }

    /// The 1-based line a span starts on.
    pub(crate) fn line(&self, span: Range<usize>) -> usize {
        line_of(self.text, span.start)
    }

    /// Parses the document, keeping the position of every key and value.
    pub(crate) fn parse(&self) -> Result<DeTable<'a>, ConfigError> {
        DeTable::parse(self.text)
            .map(Spanned::into_inner)
            .map_err(|err| {
                let detail = err.message().trim_end();
                let error =
                    ConfigError::new(self.label, tr!("config.toml_syntax", detail = detail));
                match err.span() {
                    Some(span) => error.at_line(self.line(span)),
                    None => error,
                }
            })
    }

    /// An error at `span` about `key`.
    pub(crate) fn error(
        &self,
        span: Range<usize>,
        key: &str,
        message: impl Into<String>,
    ) -> ConfigError {
        ConfigError::new(self.label, message)
            .at_line(self.line(span))
            .with_key(key)
    }

    /// The text of `span` as written in the file.
    pub(crate) fn written(&self, span: Range<usize>) -> &'a str {
        self.text.get(span).unwrap_or_default()
    }

    /// An error saying `value` (of `key`) should have been `expected`.
    pub(crate) fn expected(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &str,
    ) -> ConfigError {
        let found = type_name(value.get_ref());
        self.error(
            value.span(),
            key,
            tr!("config.expected", expected = expected, found = found),
        )
    }

    /// The value of `key` as a whole number above zero.
    pub(crate) fn positive_integer(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<u64, ConfigError> {
        let DeValue::Integer(number) = value.get_ref() else {
            return Err(self.expected(key, value, &tr!("config.type.integer")));
        };
        u64::from_str_radix(number.as_str(), number.radix())
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| self.error(value.span(), key, tr!("config.must_be_positive")))
    }

    /// The value of `key` as a string that is not empty.
    pub(crate) fn non_empty_string(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<String, ConfigError> {
        match value.get_ref().as_str() {
            Some("") => Err(self.error(value.span(), key, tr!("config.must_not_be_empty"))),
            Some(text) => Ok(text.to_owned()),
            None => Err(self.expected(key, value, &tr!("config.type.string"))),
        }
    }
}

/// A TOML value's type with its article, as messages name it ("an integer").
pub(crate) fn type_name(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(_) => tr!("config.type.string"),
        DeValue::Integer(_) => tr!("config.type.integer"),
        DeValue::Float(_) => tr!("config.type.float"),
        DeValue::Boolean(_) => tr!("config.type.boolean"),
        DeValue::Datetime(_) => tr!("config.type.datetime"),
        DeValue::Array(_) => tr!("config.type.array"),
        DeValue::Table(_) => tr!("config.type.table"),
    }
}

/// A key with its value, both with their positions in the file.
pub(crate) type Entry<'t, 'i> = (&'t Spanned<DeString<'i>>, &'t Spanned<DeValue<'i>>);

/// The entries of a table in the order they appear in the file, so the first
/// error reported is the first one the user would find.
pub(crate) fn entries_in_order<'t, 'i>(table: &'t DeTable<'i>) -> Vec<Entry<'t, 'i>> {
    let mut entries: Vec<Entry<'t, 'i>> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> ConfigError {
        Settings::parse("config.toml", text).expect_err("should fail")
    }

    #[test]
    fn paths_are_under_the_project_directories() {
        let paths = Paths {
            config_dir: Some(PathBuf::from("/c/hrdesk")),
            data_dir: Some(PathBuf::from("/d/hrdesk")),
        };
        assert_eq!(
            paths.config_file(),
            Some(PathBuf::from("/c/hrdesk/config.toml"))
        );
        assert_eq!(
            paths.keymap_file(),
            Some(PathBuf::from("/c/hrdesk/keymap.toml"))
        );
        assert_eq!(paths.themes_dir(), Some(PathBuf::from("/c/hrdesk/themes")));
        assert_eq!(
            paths.default_database(),
            Some(PathBuf::from("/d/hrdesk/hrdesk.redb"))
        );
        assert_eq!(Paths::default().config_file(), None);
        assert_eq!(Paths::default().default_database(), None);
    }

    #[test]
    fn discovered_paths_end_in_hrdesk() {
        let paths = Paths::discover();
        for dir in [paths.config_dir, paths.data_dir].into_iter().flatten() {
            assert!(dir.ends_with("hrdesk"), "{}", dir.display());
        }
    }

    #[test]
    fn parses_every_field() {
        let text = "# mine\ntheme = \"light\"\nlang = \"zh\"\ndatabase = \"/srv/hr.redb\"\nexchange = \"/srv/in\"\nauthorized_keys = \"/k\"\nimport_limit_mb = 20\ntimezone = \"Asia/Shanghai\"\nglyphs = \"ascii\"\nkeep_hidden_rows = 5000\n";
        let settings = Settings::parse("config.toml", text).expect("valid");
        assert_eq!(
            settings,
            Settings {
                theme: Some("light".into()),
                lang: Some(Lang::Zh),
                database: Some(PathBuf::from("/srv/hr.redb")),
                exchange: Some(PathBuf::from("/srv/in")),
                authorized_keys: Some(PathBuf::from("/k")),
                import_limit_mb: Some(20),
                timezone: Zone::parse("Asia/Shanghai"),
                glyphs: Some(Glyphs::Ascii),
                keep_hidden_rows: Some(5000),
            }
        );
    }

    #[test]
    fn glyphs_are_unicode_or_ascii_and_a_bad_one_names_line_and_key() {
        let err = parse_err("theme = \"light\"\nglyphs = \"box\"\n");
        assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("glyphs")));
        assert!(err.message.contains("\"ascii\""), "{err}");
        let unicode = Settings::parse("c", "glyphs = \"unicode\"\n").expect("valid");
        assert_eq!(unicode.glyphs, Some(Glyphs::Unicode));
    }

    #[test]
    fn an_unknown_language_names_line_and_key() {
        let err = parse_err("theme = \"light\"\nlang = \"fr\"\n");
        assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("lang")));
        assert!(err.message.contains("en or zh"), "{err}");
    }

    #[test]
    fn the_import_limit_is_a_whole_number_above_zero() {
        let settings = Settings::parse("c", "import_limit_mb = 50\n").expect("valid");
        assert_eq!(settings.import_limit_mb, Some(50));
        for bad in ["0", "-5", "\"big\"", "1.5"] {
            let err = parse_err(&format!("import_limit_mb = {bad}\n"));
            assert_eq!(err.key.as_deref(), Some("import_limit_mb"), "{bad}: {err}");
        }
        assert!(
            parse_err("import_limit_mb = 0\n")
                .message
                .contains("above 0")
        );
    }

    #[test]
    fn the_rows_kept_hidden_are_a_whole_number_above_zero() {
        for bad in ["0", "-1", "\"many\"", "2.5"] {
            let err = parse_err(&format!("theme = \"light\"\nkeep_hidden_rows = {bad}\n"));
            assert_eq!(
                (err.line, err.key.as_deref()),
                (Some(2), Some("keep_hidden_rows")),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(
            Settings::parse("c", "").expect("valid"),
            Settings::default()
        );
    }

    #[test]
    fn unknown_key_reports_line_and_key() {
        let err = parse_err("theme = \"light\"\n\ncolour = \"red\"\n");
        assert_eq!(err.file, "config.toml");
        assert_eq!(err.line, Some(3));
        assert_eq!(err.key.as_deref(), Some("colour"));
        assert!(
            err.message
                .contains("theme, lang, database, exchange, authorized_keys"),
            "{err}"
        );
    }

    #[test]
    fn wrong_type_reports_line_and_key() {
        let err = parse_err("lang = \"en\"\ntheme = 3\n");
        assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("theme")));
        assert!(
            err.message.contains("expected a string, found an integer"),
            "{err}"
        );

        let err = parse_err("[database]\npath = \"x\"\n");
        assert_eq!((err.line, err.key.as_deref()), (Some(1), Some("database")));
    }

    #[test]
    fn empty_string_is_rejected() {
        let err = parse_err("\nlang = \"\"\n");
        assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("lang")));
    }

    #[test]
    fn syntax_error_reports_line() {
        let err = parse_err("theme = \"light\"\nlang = \n");
        assert_eq!(err.file, "config.toml");
        assert_eq!(err.line, Some(2));
        assert_eq!(err.key, None);
        assert!(err.message.starts_with("TOML syntax error"), "{err}");
    }

    #[test]
    fn first_error_in_file_order_is_reported() {
        // Keys are stored sorted; errors must still follow the file.
        let err = parse_err("zebra = 1\napple = 2\n");
        assert_eq!(err.key.as_deref(), Some("zebra"));
    }

    #[test]
    fn errors_speak_chinese() {
        crate::i18n::set_lang(Lang::Zh);
        let unknown = parse_err("theme = \"light\"\n\ncolour = \"red\"\n");
        let wrong_type = parse_err("theme = 3\n");
        crate::i18n::set_lang(Lang::En);
        assert_eq!(
            (unknown.file.as_str(), unknown.line, unknown.key.as_deref()),
            ("config.toml", Some(3), Some("colour"))
        );
        assert_eq!(
            unknown.message,
            "未知的键；可用的键：theme、lang、database、exchange、authorized_keys、import_limit_mb、timezone、glyphs、keep_hidden_rows"
        );
        assert_eq!(wrong_type.message, "应为字符串，实际为整数");
    }

    #[test]
    fn load_without_file_gives_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("config.toml");
        assert_eq!(
            Settings::load(Some(&missing)).expect("ok"),
            Settings::default()
        );
        assert_eq!(Settings::load(None).expect("ok"), Settings::default());
    }

    #[test]
    fn load_resolves_database_paths() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "database = \"db/hr.redb\"\n").expect("write");
        let settings = Settings::load(Some(&file)).expect("ok");
        assert_eq!(settings.database, Some(dir.path().join("db/hr.redb")));

        std::fs::write(&file, "database = \"/abs/hr.redb\"\n").expect("write");
        let settings = Settings::load(Some(&file)).expect("ok");
        assert_eq!(settings.database, Some(PathBuf::from("/abs/hr.redb")));

        std::fs::write(&file, "authorized_keys = \"ssh/keys\"\n").expect("write");
        let settings = Settings::load(Some(&file)).expect("ok");
        assert_eq!(settings.authorized_keys, Some(dir.path().join("ssh/keys")));

        if let Some(dirs) = BaseDirs::new() {
            std::fs::write(&file, "database = \"~/hr.redb\"\n").expect("write");
            let settings = Settings::load(Some(&file)).expect("ok");
            assert_eq!(settings.database, Some(dirs.home_dir().join("hr.redb")));
        }
    }

    #[test]
    fn load_errors_name_the_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "them = \"x\"\n").expect("write");
        let err = Settings::load(Some(&file)).expect_err("unknown key");
        assert_eq!(err.file, file.display().to_string());
        assert_eq!((err.line, err.key.as_deref()), (Some(1), Some("them")));
    }

    #[test]
    fn theme_choice_precedence() {
        let none = Settings::default();
        let light = Settings {
            theme: Some("light".into()),
            ..Settings::default()
        };
        assert_eq!(choose_theme_name(Some("mine"), &light, Some("1")), "mine");
        assert_eq!(choose_theme_name(None, &light, Some("1")), "light");
        assert_eq!(choose_theme_name(None, &none, Some("1")), "mono");
        assert_eq!(choose_theme_name(None, &none, Some("")), "default");
        assert_eq!(choose_theme_name(None, &none, None), "default");
        assert_eq!(
            choose_theme_name(Some("default"), &none, Some("1")),
            "default"
        );
    }
}
