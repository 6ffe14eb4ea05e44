//! The command palette (`:`): a line of input, the commands that fuzzy-match
//! it, and parsing of what is finally run.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::action::Action;
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
    /// `import staff FILE [options]`, the words after `import`.
    Import(Option<String>),
}

/// Why a palette line could not be run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandError {
    Empty,
    Unknown(String),
    UnexpectedArgument(String),
}

/// Parses `name [argument]`.
pub fn parse_command(line: &str) -> Result<Command, CommandError> {
    let mut words = line.split_whitespace();
    let name = words.next().ok_or(CommandError::Empty)?;
    let rest: Vec<&str> = words.collect();
    let argument = (!rest.is_empty()).then(|| rest.join(" "));
    match name {
        "theme" => return Ok(Command::Theme(argument)),
        "lang" => return Ok(Command::Lang(argument)),
        "import" => return Ok(Command::Import(argument)),
        _ => {}
    }
    let action = Action::from_name(name)
        .filter(|a| a.runs_from_palette())
        .ok_or_else(|| CommandError::Unknown(name.to_string()))?;
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
    matches: Vec<usize>,
}

impl Palette {
    /// Opens the palette over the commands in `catalogue`.
    pub fn new(catalogue: Vec<Suggestion>) -> Self {
        let mut palette = Palette {
            catalogue,
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
        match parse_command(typed) {
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
        Palette::new(vec![
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
        ])
    }

    #[test]
    fn commands_parse_with_and_without_arguments() {
        assert_eq!(parse_command("quit"), Ok(Command::Run(Action::Quit)));
        assert_eq!(
            parse_command(" theme  high-contrast "),
            Ok(Command::Theme(Some("high-contrast".into())))
        );
        assert_eq!(parse_command("theme"), Ok(Command::Theme(None)));
        assert_eq!(
            parse_command("lang zh"),
            Ok(Command::Lang(Some("zh".into())))
        );
        assert_eq!(parse_command(""), Err(CommandError::Empty));
        assert_eq!(
            parse_command("fly"),
            Err(CommandError::Unknown("fly".into()))
        );
        assert_eq!(
            parse_command("up"),
            Err(CommandError::Unknown("up".into())),
            "browse actions are not palette commands"
        );
        assert_eq!(
            parse_command("quit now"),
            Err(CommandError::UnexpectedArgument("quit".into()))
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
