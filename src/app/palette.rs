//! The command palette (`:`): a line of input, the commands that fuzzy-match
//! it, and parsing of what is finally run.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::action::{Action, Section};
use crate::app::text_input::TextInput;

/// A command the palette can offer: what to run and what it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub command: String,
    pub description: String,
}

/// A parsed palette command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Run(Action),
    Theme(Option<String>),
    Lang(Option<String>),
    /// A command of one of the panes (`import staff FILE`): its name and
    /// the words after it.
    Other(String, String),
}

/// Why a palette line could not be run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandError {
    Empty,
    UnexpectedArgument(String),
}

/// Whether the palette runs `action` while the pane with keymap section
/// `pane` is on screen: the global actions and the pane's own.
pub fn runs_here(action: Action, pane: Option<Section>) -> bool {
    action.runs_from_palette() || pane.is_some_and(|section| action.allowed_in(section))
}

/// Parses `name [argument]`; `pane` is the keymap section of the pane on
/// screen, whose actions run too. A name that is no action is left to the
/// panes' own commands.
pub fn parse_command(line: &str, pane: Option<Section>) -> Result<Command, CommandError> {
    let mut words = line.split_whitespace();
    let name = words.next().ok_or(CommandError::Empty)?;
    let rest: Vec<&str> = words.collect();
    let argument = (!rest.is_empty()).then(|| rest.join(" "));
    match name {
        "theme" => return Ok(Command::Theme(argument)),
        "lang" => return Ok(Command::Lang(argument)),
        _ => {}
    }
    let Some(action) = Action::from_name(name).filter(|&a| runs_here(a, pane)) else {
        return Ok(Command::Other(
            name.to_string(),
            argument.unwrap_or_default(),
        ));
    };
    if !rest.is_empty() {
        return Err(CommandError::UnexpectedArgument(name.to_string()));
    }
    Ok(Command::Run(action))
}

/// The palette's state while open.
#[derive(Clone, Debug, Default)]
pub struct Palette {
    pub input: TextInput,
    pub selected: usize,
    catalogue: Vec<Suggestion>,
    /// The keymap section of the pane on screen, whose actions run too.
    pane: Option<Section>,
    matches: Vec<usize>,
}

impl Palette {
    /// Opens the palette over the commands in `catalogue`, over the pane
    /// with keymap section `pane`.
    pub fn new(catalogue: Vec<Suggestion>, pane: Option<Section>) -> Self {
        let mut palette = Palette {
            catalogue,
            pane,
            ..Palette::default()
        };
        palette.refilter();
        palette
    }

    /// The commands matching the input, best first.
    pub fn suggestions(&self) -> impl ExactSizeIterator<Item = &Suggestion> {
        self.matches.iter().map(|&i| &self.catalogue[i])
    }

    pub fn selected_suggestion(&self) -> Option<&Suggestion> {
        self.matches.get(self.selected).map(|&i| &self.catalogue[i])
    }

    /// Recomputes the matches after the input changed.
    pub fn refilter(&mut self) {
        let query = self.input.text().trim().to_string();
        let matcher = SkimMatcherV2::default();
        let mut scored: Vec<(i64, usize)> = self
            .catalogue
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                if query.is_empty() {
                    Some((0, i))
                } else {
                    matcher
                        .fuzzy_match(&s.command, &query)
                        .map(|score| (score, i))
                }
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.matches = scored.into_iter().map(|(_, i)| i).collect();
        self.selected = 0;
    }

    pub fn move_selection(&mut self, down: bool) {
        let len = self.matches.len();
        if len == 0 {
            return;
        }
        self.selected = if down {
            (self.selected + 1).min(len - 1)
        } else {
            self.selected.saturating_sub(1)
        };
    }

    /// Replaces the input with the selected suggestion.
    pub fn complete(&mut self) {
        if let Some(s) = self.selected_suggestion() {
            let command = s.command.clone();
            self.input.set(command);
            self.refilter();
        }
    }

    /// The line to run: the input when it names a command, else the selection.
    pub fn line_to_run(&self) -> String {
        let typed = self.input.text().trim();
        let offered = |name: &str| {
            self.catalogue
                .iter()
                .any(|s| s.command.split_whitespace().next() == Some(name))
        };
        match parse_command(typed, self.pane) {
            Ok(Command::Other(name, _)) if !offered(&name) => self
                .selected_suggestion()
                .map_or_else(|| typed.to_string(), |s| s.command.clone()),
            Ok(_) => typed.to_string(),
            Err(_) => self
                .selected_suggestion()
                .map_or_else(|| typed.to_string(), |s| s.command.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn palette() -> Palette {
        Palette::new(
            vec![
                Suggestion {
                    command: "departments".into(),
                    description: String::new(),
                },
                Suggestion {
                    command: "theme light".into(),
                    description: String::new(),
                },
                Suggestion {
                    command: "quit".into(),
                    description: String::new(),
                },
            ],
            None,
        )
    }

    #[test]
    fn commands_parse_with_and_without_arguments() {
        assert_eq!(parse_command("quit", None), Ok(Command::Run(Action::Quit)));
        assert_eq!(
            parse_command(" theme  high-contrast ", None),
            Ok(Command::Theme(Some("high-contrast".into())))
        );
        assert_eq!(parse_command("theme", None), Ok(Command::Theme(None)));
        assert_eq!(
            parse_command("lang zh", None),
            Ok(Command::Lang(Some("zh".into())))
        );
        assert_eq!(parse_command("", None), Err(CommandError::Empty));
        assert_eq!(
            parse_command("import staff a.csv", None),
            Ok(Command::Other("import".into(), "staff a.csv".into())),
            "other words are left to the panes' own commands"
        );
        assert_eq!(
            parse_command("up", None),
            Ok(Command::Other("up".into(), String::new())),
            "browse actions are not palette commands"
        );
        assert_eq!(
            parse_command("quit now", None),
            Err(CommandError::UnexpectedArgument("quit".into()))
        );
    }

    #[test]
    fn the_pane_on_screen_runs_its_own_actions() {
        assert_eq!(
            parse_command("transfer", Some(Section::Staff)),
            Ok(Command::Run(Action::Transfer))
        );
        assert_eq!(
            parse_command("transfer", Some(Section::Goals)),
            Ok(Command::Other("transfer".into(), String::new()))
        );
    }

    #[test]
    fn a_partial_input_runs_the_best_match() {
        let mut p = palette();
        p.input.insert_str("dep");
        p.refilter();
        assert_eq!(p.line_to_run(), "departments");
        p.input.set("thl");
        p.refilter();
        assert_eq!(p.line_to_run(), "theme light");
        p.complete();
        assert_eq!(p.input.text(), "theme light");
    }
}
