//! Tests of the built-in themes, layering, inheritance and file errors.

use ratatui::style::{Color, Modifier};

use super::style::color_from_str;
use super::*;
use std::path::PathBuf;

/// A themes directory holding the given files.
fn themes_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write theme");
    }
    dir
}

fn load_err(files: &[(&str, &str)], name: &str) -> (ConfigError, PathBuf) {
    let dir = themes_dir(files);
    let err = load_theme(name, Some(dir.path())).expect_err("should fail");
    (err, dir.path().to_path_buf())
}

fn built_in(name: &str) -> Theme {
    load_theme(name, None).expect("built-in theme loads")
}

fn is_ansi16(color: Option<Color>) -> bool {
    !matches!(color, Some(Color::Rgb(..) | Color::Indexed(_)))
}

#[test]
fn roles_are_listed_in_order_with_unique_names() {
    for (index, role) in Role::ALL.into_iter().enumerate() {
        assert_eq!(role as usize, index);
        assert_eq!(Role::from_name(role.name()), Some(role));
    }
    assert_eq!(Role::from_name("Title"), None);
}

#[test]
fn built_in_files_define_every_role_themselves() {
    for name in BUILT_IN {
        let text = built_in_text(name).expect("compiled in");
        let layer = parse_layer(name, text).expect("built-in parses");
        assert!(layer.parent.is_none(), "{name} must be a root");
        for role in Role::ALL {
            assert!(
                layer.styles[role as usize].is_some(),
                "{name} lacks {}",
                role.name()
            );
        }
        assert_eq!(built_in(name).name(), name);
    }
}

#[test]
fn mono_has_no_colours() {
    let mono = built_in("mono");
    for role in Role::ALL {
        let style = mono.style(role);
        assert_eq!((style.fg, style.bg), (None, None), "{}", role.name());
    }
}

#[test]
fn default_uses_only_ansi_colours() {
    let theme = built_in("default");
    for role in Role::ALL {
        let style = theme.style(role);
        assert!(
            is_ansi16(style.fg) && is_ansi16(style.bg),
            "{}",
            role.name()
        );
    }
}

#[test]
fn selected_is_visible_without_colour() {
    for name in BUILT_IN {
        let modifiers = built_in(name).style(Role::Selected).add_modifier;
        assert!(
            modifiers.intersects(Modifier::REVERSED | Modifier::BOLD),
            "{name}"
        );
    }
}

#[test]
fn user_file_refines_a_built_in() {
    let dir = themes_dir(&[("light.toml", "[styles]\ntitle = { fg = \"#102030\" }\n")]);
    let theme = load_theme("light", Some(dir.path())).expect("loads");
    let light = built_in("light");
    assert_eq!(
        theme.style(Role::Title),
        Style::default().fg(Color::Rgb(16, 32, 48))
    );
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Title) {
        assert_eq!(theme.style(role), light.style(role), "{}", role.name());
    }
}

#[test]
fn user_only_theme_inherits_default() {
    let dir = themes_dir(&[("mine.toml", "[styles]\nerror = { bold = true }\n")]);
    let theme = load_theme("mine", Some(dir.path())).expect("loads");
    let default = built_in("default");
    assert_eq!(theme.name(), "mine");
    assert_eq!(
        theme.style(Role::Error),
        Style::default().add_modifier(Modifier::BOLD)
    );
    assert_eq!(theme.style(Role::Title), default.style(Role::Title));
}

#[test]
fn inherits_chain_is_followed() {
    let dir = themes_dir(&[
        ("a.toml", "inherits = \"b\"\n[styles]\nok = { fg = 42 }\n"),
        (
            "b.toml",
            "inherits = \"mono\"\n[styles.key]\nitalic = true\n",
        ),
    ]);
    let theme = load_theme("a", Some(dir.path())).expect("loads");
    let mono = built_in("mono");
    assert_eq!(
        theme.style(Role::Ok),
        Style::default().fg(Color::Indexed(42))
    );
    assert_eq!(
        theme.style(Role::Key),
        Style::default().add_modifier(Modifier::ITALIC)
    );
    assert_eq!(theme.style(Role::Title), mono.style(Role::Title));
}

#[test]
fn colour_syntax() {
    let cases = [
        ("light-red", Color::LightRed),
        ("Dark_Grey", Color::DarkGray),
        ("reset", Color::Reset),
        ("#FF0080", Color::Rgb(255, 0, 128)),
        ("255", Color::Indexed(255)),
    ];
    for (text, color) in cases {
        assert_eq!(color_from_str(text), Some(color), "{text}");
    }
    for bad in ["purpel", "#12345", "#12345g", "256", "", "#ééé"] {
        assert_eq!(color_from_str(bad), None, "{bad}");
    }
}

#[test]
fn syntax_error_reports_line() {
    let (err, dir) = load_err(&[("x.toml", "[styles]\ntitle = { fg = \n")], "x");
    assert_eq!(err.file, dir.join("x.toml").display().to_string());
    assert_eq!((err.line, err.key.as_deref()), (Some(2), None));
    assert!(err.message.starts_with("TOML syntax error"), "{err}");
}

#[test]
fn unknown_top_level_key() {
    let (err, _) = load_err(&[("x.toml", "# c\ncolours = 1\n")], "x");
    assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("colours")));
}

#[test]
fn unknown_role_lists_known_roles() {
    let (err, _) = load_err(&[("x.toml", "[styles]\ntext = {}\ntitel = {}\n")], "x");
    assert_eq!(
        (err.line, err.key.as_deref()),
        (Some(3), Some("styles.titel"))
    );
    assert!(err.message.contains("title, border"), "{err}");
}

#[test]
fn unknown_style_field() {
    let (err, _) = load_err(
        &[("x.toml", "[styles]\n\ntitle = { colour = \"red\" }\n")],
        "x",
    );
    assert_eq!(
        (err.line, err.key.as_deref()),
        (Some(3), Some("styles.title.colour"))
    );
    assert!(err.message.contains("fg, bg, bold"), "{err}");
}

#[test]
fn bad_colour_says_what_is_accepted() {
    let (err, _) = load_err(
        &[("x.toml", "[styles]\ntitle = { fg = \"purpel\" }\n")],
        "x",
    );
    assert_eq!(
        (err.line, err.key.as_deref()),
        (Some(2), Some("styles.title.fg"))
    );
    assert!(err.message.contains("\"purpel\""), "{err}");
    assert!(
        err.message.contains("light-cyan") && err.message.contains("#rrggbb"),
        "{err}"
    );

    let (err, _) = load_err(&[("x.toml", "[styles]\nok = { bg = 300 }\n")], "x");
    assert_eq!(
        (err.line, err.key.as_deref()),
        (Some(2), Some("styles.ok.bg"))
    );
    assert!(err.message.contains("unknown colour 300;"), "{err}");

    let (err, _) = load_err(&[("x.toml", "[styles]\nok = { fg = true }\n")], "x");
    assert!(err.message.contains("found a boolean"), "{err}");
}

#[test]
fn modifier_must_be_boolean() {
    let (err, _) = load_err(&[("x.toml", "[styles]\nkey = { bold = \"yes\" }\n")], "x");
    assert_eq!(
        (err.line, err.key.as_deref()),
        (Some(2), Some("styles.key.bold"))
    );
    assert!(
        err.message.contains("true or false, found a string"),
        "{err}"
    );
}

#[test]
fn wrong_shapes_are_reported() {
    let (err, _) = load_err(&[("x.toml", "styles = 1\n")], "x");
    assert_eq!((err.line, err.key.as_deref()), (Some(1), Some("styles")));
    let (err, _) = load_err(&[("x.toml", "[styles]\ntitle = \"cyan\"\n")], "x");
    assert_eq!(
        (err.line, err.key.as_deref()),
        (Some(2), Some("styles.title"))
    );
    let (err, _) = load_err(&[("x.toml", "inherits = [\"a\"]\n")], "x");
    assert_eq!((err.line, err.key.as_deref()), (Some(1), Some("inherits")));
}

#[test]
fn inherits_unknown_theme() {
    let (err, dir) = load_err(&[("x.toml", "\ninherits = \"nope\"\n")], "x");
    assert_eq!(err.file, dir.join("x.toml").display().to_string());
    assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("inherits")));
    assert!(err.message.contains("\"nope\""), "{err}");
    assert!(
        err.message
            .contains("default, high-contrast, light, mono, x"),
        "{err}"
    );
}

#[test]
fn inheritance_cycle_names_the_chain() {
    let (err, dir) = load_err(
        &[
            ("a.toml", "inherits = \"b\"\n"),
            ("b.toml", "# b\ninherits = \"a\"\n"),
        ],
        "a",
    );
    assert_eq!(err.file, dir.join("b.toml").display().to_string());
    assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("inherits")));
    assert!(err.message.contains("a → b → a"), "{err}");

    let (err, _) = load_err(&[("s.toml", "inherits = \"s\"\n")], "s");
    assert!(err.message.contains("s → s"), "{err}");
}

#[test]
fn refining_a_built_in_cannot_inherit() {
    let (err, dir) = load_err(&[("light.toml", "inherits = \"mono\"\n")], "light");
    assert_eq!(err.file, dir.join("light.toml").display().to_string());
    assert_eq!((err.line, err.key.as_deref()), (Some(1), Some("inherits")));
}

#[test]
fn unknown_theme_lists_available_ones() {
    let (err, dir) = load_err(&[("mine.toml", "")], "purple");
    assert_eq!(err.file, dir.display().to_string());
    assert_eq!((err.line, err.key.as_deref()), (None, None));
    assert!(
        err.message
            .contains("default, high-contrast, light, mine, mono"),
        "{err}"
    );

    let err = load_theme("purple", None).expect_err("unknown");
    assert_eq!(err.file, "built-in themes");
    let err = load_theme("../etc/passwd", None).expect_err("not a plain name");
    assert!(err.message.contains("unknown theme"), "{err}");
}

#[test]
fn errors_speak_chinese() {
    crate::i18n::set_lang(crate::i18n::Lang::Zh);
    let (err, dir) = load_err(&[("x.toml", "\ninherits = \"nope\"\n")], "x");
    let built_in = load_theme("purple", None).expect_err("unknown");
    crate::i18n::set_lang(crate::i18n::Lang::En);
    assert_eq!(err.file, dir.join("x.toml").display().to_string());
    assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("inherits")));
    assert_eq!(
        err.message,
        "未知主题“nope”；可用的主题：default、high-contrast、light、mono、x"
    );
    assert_eq!(built_in.file, "内置主题");
}

#[test]
fn available_themes_lists_user_themes() {
    let dir = themes_dir(&[("zeta.toml", ""), ("light.toml", ""), ("notes.txt", "")]);
    assert_eq!(
        available_themes(Some(dir.path())),
        ["default", "high-contrast", "light", "mono", "zeta"]
    );
    assert_eq!(
        available_themes(Some(&dir.path().join("missing"))),
        ["default", "high-contrast", "light", "mono"]
    );
    assert_eq!(available_themes(None).len(), BUILT_IN.len());
}
