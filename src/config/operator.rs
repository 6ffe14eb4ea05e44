//! Each operator's own choices. Over SSH every operator works as the one
//! service account, so its config.toml and keymap.toml are the team's
//! defaults; what one person chooses is kept apart, per operator name, in
//! `<config_dir>/operators/NAME/`: `settings.toml` (the `theme` and `lang`
//! they picked in the console, saved there by hrdesk, and the `glyphs`
//! their own terminal draws well, written by hand) and `keymap.toml`
//! (their own keys, over the team's, key by key). Locally the operator is
//! the OS account, and the same folder applies.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::PathBuf;

use crate::config::error::ConfigError;
use crate::config::settings::{Glyphs, Paths, Settings, read_if_exists};
use crate::i18n::Lang;
use crate::tr;

/// The keys an operator's `settings.toml` may set.
const OPERATOR_KEYS: [&str; 3] = ["theme", "lang", "glyphs"];

/// What one operator chose for themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choices {
    pub theme: Option<String>,
    pub lang: Option<Lang>,
    /// Written by hand: what their own terminal draws well.
    pub glyphs: Option<Glyphs>,
}

/// Where one operator's choices are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperatorFiles {
    dir: PathBuf,
}

impl OperatorFiles {
    /// The folder of operator `name`; none without a config folder, or for
    /// a name that is not one plain folder name.
    pub fn of(paths: &Paths, name: &str) -> Option<OperatorFiles> {
        let plain = !name.is_empty()
            && !name.starts_with('.')
            && !name.contains('/')
            && !name.chars().any(char::is_control);
        let config_dir = paths.config_dir.as_ref().filter(|_| plain)?;
        Some(OperatorFiles {
            dir: config_dir.join("operators").join(name),
        })
    }

    /// `settings.toml`: the theme and language the operator chose.
    pub fn settings_file(&self) -> PathBuf {
        self.dir.join("settings.toml")
    }

    /// `keymap.toml`: the operator's own keys.
    pub fn keymap_file(&self) -> PathBuf {
        self.dir.join("keymap.toml")
    }

    /// The operator's choices; none saved yet is no choice.
    pub fn load(&self) -> Result<Choices, ConfigError> {
        let path = self.settings_file();
        let Some(text) = read_if_exists(&path)? else {
            return Ok(Choices::default());
        };
        let settings = Settings::parse_only(&path.display().to_string(), &text, &OPERATOR_KEYS)?;
        Ok(Choices {
            theme: settings.theme,
            lang: settings.lang,
            glyphs: settings.glyphs,
        })
    }

    /// Saves `choices` in place of the operator's earlier ones: the folder
    /// made private (0700), the file (0600) replaced whole, so a reader
    /// never sees half of it. The error is a sentence naming the file.
    pub fn save(&self, choices: &Choices) -> Result<(), String> {
        let path = self.settings_file();
        let failed = |e: std::io::Error| {
            tr!(
                "config.operator.save_failed",
                path = path.display(),
                reason = e
            )
        };
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)
            .map_err(failed)?;
        let mut text = String::new();
        if let Some(theme) = &choices.theme {
            text.push_str(&format!("theme = {}\n", toml_string(theme)));
        }
        if let Some(lang) = choices.lang {
            text.push_str(&format!("lang = {}\n", toml_string(lang.code())));
        }
        if let Some(glyphs) = choices.glyphs {
            text.push_str(&format!("glyphs = {}\n", toml_string(glyphs.name())));
        }
        let temporary = self.dir.join(".settings.toml.new");
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temporary)
            .map_err(failed)?;
        file.write_all(text.as_bytes()).map_err(failed)?;
        file.sync_all().map_err(failed)?;
        fs::rename(&temporary, &path).map_err(failed)
    }
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// `base` with `choices` taking the place of its theme and language.
pub fn with_choices(mut base: Settings, choices: &Choices) -> Settings {
    base.theme = choices.theme.clone().or(base.theme);
    base.lang = choices.lang.or(base.lang);
    base.glyphs = choices.glyphs.or(base.glyphs);
    base
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    use super::*;

    fn paths(dir: &Path) -> Paths {
        Paths {
            config_dir: Some(dir.to_path_buf()),
            data_dir: None,
        }
    }

    #[test]
    fn only_plain_names_get_a_folder() {
        let dir = tempfile::tempdir().expect("dir");
        let paths = paths(dir.path());
        let zhang = OperatorFiles::of(&paths, "hr.zhang").expect("a plain name");
        assert_eq!(
            zhang.settings_file(),
            dir.path().join("operators/hr.zhang/settings.toml")
        );
        for name in ["", "..", ".hidden", "a/b", "x\u{1b}y"] {
            assert_eq!(OperatorFiles::of(&paths, name), None, "{name:?}");
        }
        assert_eq!(OperatorFiles::of(&Paths::default(), "hr.zhang"), None);
    }

    #[test]
    fn choices_are_saved_privately_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let files = OperatorFiles::of(&paths(dir.path()), "hr.zhang").expect("files");
        assert_eq!(files.load().expect("none yet"), Choices::default());
        let chosen = Choices {
            theme: Some("high-contrast".into()),
            lang: Some(Lang::Zh),
            glyphs: Some(Glyphs::Ascii),
        };
        files.save(&chosen).expect("save");
        assert_eq!(files.load().expect("load"), chosen);
        let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(files.settings_file().parent().expect("folder")), 0o700);
        assert_eq!(mode(&files.settings_file()), 0o600);
    }

    #[test]
    fn an_operator_file_may_not_set_the_accounts_settings() {
        let dir = tempfile::tempdir().expect("dir");
        let files = OperatorFiles::of(&paths(dir.path()), "mallory").expect("files");
        fs::create_dir_all(files.settings_file().parent().expect("folder")).expect("dir");
        fs::write(
            files.settings_file(),
            "theme = \"light\"\ndatabase = \"/etc/x\"\n",
        )
        .expect("write");
        let err = files.load().expect_err("refused");
        assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("database")));
        assert!(err.message.contains("theme, lang, glyphs"), "{err}");
    }

    #[test]
    fn choices_win_over_the_accounts_settings() {
        let base = Settings {
            theme: Some("light".into()),
            lang: Some(Lang::En),
            ..Settings::default()
        };
        let chosen = Choices {
            theme: None,
            lang: Some(Lang::Zh),
            ..Choices::default()
        };
        let merged = with_choices(base, &chosen);
        assert_eq!(
            (merged.theme.as_deref(), merged.lang),
            (Some("light"), Some(Lang::Zh))
        );
    }
}
