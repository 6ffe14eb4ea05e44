//! The command palette (`:`): a line of input, the commands it finds (by
//! the search engine of every list, best first), and parsing of what is
//! finally run. It is the map of the console:
//! opened empty it lists what can be done on the pane on screen (with its
//! keys) and everywhere; typing also finds the actions of the other panes,
//! which run there.

use crate::action::{Action, Section};
use crate::app::text_input::TextInput;
use crate::cli::console::is_shell_only;
use crate::search::{Index, Kind, NONE, Query, Rank};

/// Letters typed before what commands do is searched too (fewer match
/// nearly everything).
const MIN_WORDS: usize = 3;

/// A command the palette can offer: what to run and what it does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suggestion {
    pub command: String,
    pub description: String,
    /// The keys that take it (empty: the palette only).
    pub keys: String,
    /// The pane it is taken on, when not the one on screen: its index
    /// among the panes and its title (listed only once something is typed).
    pub elsewhere: Option<(usize, String)>,
    /// Why this operator may not take it (listed, but disabled).
    pub denied: Option<String>,
}

impl Suggestion {
    pub fn new(command: String, description: String) -> Suggestion {
        Suggestion {
            command,
            description,
            ..Suggestion::default()
        }
    }
}

/// What the palette runs on enter: a line, on the pane on screen or,
/// first shown, on pane `on` (an index among the panes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chosen {
    pub line: String,
    pub on: Option<usize>,
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
    /// The commands' names, indexed.
    commands: Index,
    /// What each command does and where, indexed.
    descriptions: Index,
    /// The keymap section of the pane on screen, whose actions run too.
    pane: Option<Section>,
    matches: Vec<usize>,
}

impl Palette {
    /// Opens the palette over the commands in `catalogue`, over the pane
    /// with keymap section `pane`.
    pub fn new(catalogue: Vec<Suggestion>, pane: Option<Section>) -> Self {
        let mut commands = Index::new(&[Kind::Code]);
        let mut descriptions = Index::new(&[Kind::Words]);
        for suggestion in &catalogue {
            commands.push([suggestion.command.as_str()]);
            let place = suggestion
                .elsewhere
                .as_ref()
                .map_or("", |(_, title)| title.as_str());
            descriptions.push([format!("{} {place}", suggestion.description).as_str()]);
        }
        let mut palette = Palette {
            catalogue,
            commands,
            descriptions,
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

    /// Recomputes the matches after the input changed: with nothing typed,
    /// what runs here; else whatever the search finds by its command, or
    /// (three letters or more) in what it does or its pane's name, best
    /// first, here before elsewhere. Letters scattered through a command
    /// count only when nothing is found otherwise.
    pub fn refilter(&mut self) {
        let query = Query::new(self.input.text());
        if query.is_empty() {
            self.matches = (0..self.catalogue.len())
                .filter(|&i| self.catalogue[i].elsewhere.is_none())
                .collect();
            self.selected = 0;
            return;
        }
        let mut by_command = Vec::new();
        self.commands.rank(&query, None, &mut by_command);
        let mut by_words = vec![NONE; self.catalogue.len()];
        if query.text().chars().count() >= MIN_WORDS {
            self.descriptions.rank(&query, None, &mut by_words);
        }
        let best: Vec<u8> = by_command
            .iter()
            .zip(&by_words)
            .map(|(a, b)| *a.min(b))
            .collect();
        let scattered = Rank::Scattered.code();
        let any_better = best.iter().any(|&rank| rank < scattered);
        let mut found: Vec<(u8, bool, usize)> = best
            .iter()
            .enumerate()
            .filter(|&(_, &rank)| rank != NONE && !(any_better && rank == scattered))
            .map(|(i, &rank)| (rank, self.catalogue[i].elsewhere.is_some(), i))
            .collect();
        found.sort_unstable();
        self.matches = found.into_iter().map(|(_, _, i)| i).collect();
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

    /// What to run: the input when it names a command, else the
    /// selection (on its own pane).
    pub fn chosen(&self) -> Chosen {
        let line = self.line_to_run();
        let on = self
            .selected_suggestion()
            .filter(|s| s.command.trim() == line)
            .and_then(|s| s.elsewhere.as_ref().map(|(index, _)| *index));
        Chosen { line, on }
    }

    /// The line to run: the input when it names a command (one of the
    /// shell's too), else the selection.
    pub fn line_to_run(&self) -> String {
        let typed = self.input.text().trim();
        let offered = |name: &str| {
            self.catalogue
                .iter()
                .any(|s| s.command.split_whitespace().next() == Some(name))
        };
        match parse_command(typed, self.pane) {
            // A command of the shell is meant as typed (and said to be one).
            Ok(Command::Other(name, _)) if !offered(&name) && !is_shell_only(&name) => self
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
                Suggestion::new("departments".into(), String::new()),
                Suggestion::new("theme light".into(), String::new()),
                Suggestion::new("quit".into(), String::new()),
                Suggestion {
                    elsewhere: Some((1, "Goals".into())),
                    ..Suggestion::new("cascade".into(), "personal goals for a department".into())
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

    #[test]
    fn other_panes_actions_show_once_typed_and_run_on_their_pane() {
        let mut p = palette();
        let listed = |p: &Palette| {
            p.suggestions()
                .map(|s| s.command.clone())
                .collect::<Vec<_>>()
        };
        assert!(
            !listed(&p).contains(&"cascade".to_string()),
            "not before typing"
        );
        p.input.set("personal");
        p.refilter();
        assert_eq!(
            listed(&p),
            vec!["cascade".to_string()],
            "found by what it does"
        );
        assert_eq!(
            p.chosen(),
            Chosen {
                line: "cascade".into(),
                on: Some(1)
            }
        );
        p.input.set("quit");
        p.refilter();
        assert_eq!(p.chosen().on, None);
    }
}
