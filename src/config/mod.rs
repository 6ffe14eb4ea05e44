//! Configuration: the keymap, themes and `config.toml`, each built in and
//! overridable from the user's XDG config folder, with errors that name the
//! file, line and key.

pub mod error;
pub mod keymap;
pub mod operator;
pub mod settings;
pub mod theme;
