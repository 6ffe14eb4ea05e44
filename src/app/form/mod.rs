//! Forms: labelled text and choice fields, the focused field, inline errors
//! per field, and whether anything was changed (so `Esc` can ask first).

mod outcome;
mod reader;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::action::Action;
use crate::app::text_input::TextInput;
use crate::domain::change::Revision;
use crate::tr;

pub use outcome::{Done, FieldErrors, Select, Submitted};
pub use reader::FormReader;

/// One option of a choice field: the value the form submits and its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}

impl ChoiceOption {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        ChoiceOption {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A field that picks one of a list: cycle with next/previous choice, or type
/// to jump to the best fuzzy match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub options: Vec<ChoiceOption>,
    pub selected: usize,
    pub query: TextInput,
}

impl Choice {
    pub fn new(options: Vec<ChoiceOption>, value: &str) -> Self {
        let selected = options.iter().position(|o| o.value == value).unwrap_or(0);
        Choice {
            options,
            selected,
            query: TextInput::default(),
        }
    }

    pub fn value(&self) -> &str {
        self.options
            .get(self.selected)
            .map_or("", |o| o.value.as_str())
    }

    pub fn label(&self) -> &str {
        self.options
            .get(self.selected)
            .map_or("", |o| o.label.as_str())
    }

    fn step(&mut self, forward: bool) {
        let len = self.options.len();
        if len == 0 {
            return;
        }
        self.selected = if forward {
            (self.selected + 1) % len
        } else {
            (self.selected + len - 1) % len
        };
        self.query.clear();
    }

    fn seek(&mut self) {
        let query = self.query.text().trim();
        if query.is_empty() {
            return;
        }
        let matcher = SkimMatcherV2::default();
        let best = self
            .options
            .iter()
            .enumerate()
            .filter_map(|(i, o)| matcher.fuzzy_match(&o.label, query).map(|s| (s, i)))
            .max_by_key(|&(score, i)| (score, std::cmp::Reverse(i)));
        if let Some((_, i)) = best {
            self.selected = i;
        }
    }
}

/// What a field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text(TextInput),
    Choice(Choice),
}

/// One labelled field with its inline error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Identifier used by the code that reads the form.
    pub id: &'static str,
    pub label: String,
    pub kind: FieldKind,
    pub error: Option<String>,
    /// What the value refers to (the person an employee number names …).
    pub hint: Option<String>,
}

impl Field {
    pub fn text(id: &'static str, label: String, value: &str) -> Self {
        Field {
            id,
            label,
            kind: FieldKind::Text(TextInput::new(value)),
            error: None,
            hint: None,
        }
    }

    pub fn choice(
        id: &'static str,
        label: String,
        options: Vec<ChoiceOption>,
        value: &str,
    ) -> Self {
        Field {
            id,
            label,
            kind: FieldKind::Choice(Choice::new(options, value)),
            error: None,
            hint: None,
        }
    }

    /// The submitted value: the text, or the chosen option's value.
    pub fn value(&self) -> &str {
        match &self.kind {
            FieldKind::Text(input) => input.text(),
            FieldKind::Choice(choice) => choice.value(),
        }
    }
}

/// A form in progress, generic over what it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form<K> {
    pub kind: K,
    pub title: String,
    /// A line under the title saying what the form will do.
    pub note: Option<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// An error that belongs to no single field.
    pub error: Option<String>,
    /// The revision of the record the form opened on (saving is refused if
    /// it moved since: see `service::revisions`).
    pub revision: Revision,
    initial: Vec<String>,
}

impl<K> Form<K> {
    pub fn new(kind: K, title: String, fields: Vec<Field>) -> Self {
        let initial = fields.iter().map(|f| f.value().to_string()).collect();
        Form {
            kind,
            title,
            note: None,
            fields,
            focus: 0,
            error: None,
            revision: Revision::NONE,
            initial,
        }
    }

    /// After a refused save over someone else's change: the form now
    /// stands on `revision`, and each field whose stored value (`stored`,
    /// the fields as a fresh form would fill them) differs from what was
    /// typed shows that value under it. The input stays as typed.
    pub fn rebase(&mut self, revision: Revision, stored: &[Field]) {
        self.revision = revision;
        for field in &mut self.fields {
            let Some(now) = stored.iter().find(|s| s.id == field.id) else {
                continue;
            };
            field.hint = (now.value() != field.value()).then(|| {
                let shown = match &now.kind {
                    FieldKind::Choice(choice) => choice.label(),
                    FieldKind::Text(input) => input.text(),
                };
                tr!("revision.now_stored", value = shown)
            });
        }
    }

    /// The value of field `id` ("" when there is no such field).
    pub fn value(&self, id: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map_or("", Field::value)
    }

    /// True when any field differs from what the form opened with.
    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.initial)
            .any(|(f, initial)| f.value() != initial)
    }

    /// Clears all errors before a new submit.
    pub fn clear_errors(&mut self) {
        self.error = None;
        for field in &mut self.fields {
            field.error = None;
        }
    }

    /// Puts `message` on field `id` (or on the form when there is none) and focuses it.
    pub fn set_error(&mut self, id: Option<&str>, message: String) {
        match id.and_then(|id| self.fields.iter().position(|f| f.id == id)) {
            Some(pos) => {
                self.fields[pos].error = Some(message);
                self.focus = pos;
            }
            None => self.error = Some(message),
        }
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    /// Types a character into the focused field.
    pub fn insert(&mut self, c: char) {
        match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
            Some(FieldKind::Text(input)) => input.insert(c),
            Some(FieldKind::Choice(choice)) => {
                choice.query.insert(c);
                choice.seek();
            }
            None => {}
        }
    }

    /// Applies a form action other than submit/cancel; false when not one.
    pub fn apply(&mut self, action: Action) -> bool {
        let len = self.fields.len().max(1);
        match action {
            Action::NextField => self.focus = (self.focus + 1) % len,
            Action::PrevField => self.focus = (self.focus + len - 1) % len,
            _ => {
                return match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
                    Some(FieldKind::Text(input)) => input.apply(action),
                    Some(FieldKind::Choice(choice)) => match action {
                        Action::NextChoice => {
                            choice.step(true);
                            true
                        }
                        Action::PrevChoice => {
                            choice.step(false);
                            true
                        }
                        _ => {
                            let edited = choice.query.apply(action);
                            choice.seek();
                            edited
                        }
                    },
                    None => false,
                };
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Form<()> {
        Form::new(
            (),
            "t".into(),
            vec![
                Field::text("name", "Name".into(), "Sales"),
                Field::choice(
                    "parent",
                    "Parent".into(),
                    vec![
                        ChoiceOption::new("", "(top level)"),
                        ChoiceOption::new("1", "Acme"),
                        ChoiceOption::new("2", "Acme / 销售部"),
                    ],
                    "1",
                ),
            ],
        )
    }

    #[test]
    fn typing_and_choices_change_values_and_dirtiness() {
        let mut f = form();
        assert!(!f.is_dirty());
        f.insert('!');
        assert_eq!(f.value("name"), "Sales!");
        assert!(f.is_dirty());
        f.apply(Action::DeleteBack);
        assert!(!f.is_dirty());
        f.apply(Action::NextField);
        f.apply(Action::NextChoice);
        assert_eq!(f.value("parent"), "2");
        f.apply(Action::NextChoice);
        assert_eq!(f.value("parent"), "");
        f.insert('销');
        assert_eq!(f.value("parent"), "2");
    }

    #[test]
    fn errors_focus_their_field_or_land_on_the_form() {
        let mut f = form();
        f.set_error(Some("parent"), "bad".into());
        assert_eq!(f.focus, 1);
        assert_eq!(f.fields[1].error.as_deref(), Some("bad"));
        f.set_error(None, "store".into());
        assert_eq!(f.error.as_deref(), Some("store"));
        f.clear_errors();
        assert!(f.error.is_none() && f.fields[1].error.is_none());
    }
}
