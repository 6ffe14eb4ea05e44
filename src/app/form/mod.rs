//! Forms: labelled text and choice fields, the focused field, inline errors
//! per field, and whether anything was changed (so `Esc` can ask first).

mod drive;
mod outcome;
pub mod people;
mod reader;

use crate::action::Action;
use crate::app::text_input::TextInput;
use crate::domain::change::Revision;
use crate::search::{Index, Kind, Query, Rank};
use crate::tr;

pub(in crate::app) use drive::in_field_order;
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

    /// What typing finds it by: its own name (the last part of a path
    /// such as `星河零售 Xinghe Retail / 鑫源百货`), then the whole label.
    fn fields(&self) -> [&str; 2] {
        let name = self.label.rsplit(PATH_SEPARATOR).next().unwrap_or_default();
        [name, &self.label]
    }
}

/// The kinds of a choice option's fields (see [`ChoiceOption::fields`]).
const OPTION_FIELDS: &[Kind] = &[Kind::Text, Kind::Text];

/// What separates the names of a path in a label (`DepartmentTree::path`):
/// an option is found first by the name after the last one.
const PATH_SEPARATOR: &str = " / ";

/// A field that picks one of a list: cycle with next/previous choice, or
/// type to jump to the best match (by the search engine of every list:
/// the text, pinyin by syllables or initials). Typed text that matches
/// nothing leaves the choice where it was but is remembered as missed: the
/// form is not saved so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub options: Vec<ChoiceOption>,
    /// The options' fields, indexed.
    index: Index,
    pub selected: usize,
    pub query: TextInput,
    /// The query matches no option.
    missed: bool,
}

impl Choice {
    pub fn new(options: Vec<ChoiceOption>, value: &str) -> Self {
        let selected = options.iter().position(|o| o.value == value).unwrap_or(0);
        let mut index = Index::new(OPTION_FIELDS);
        for option in &options {
            index.push(option.fields());
        }
        Choice {
            options,
            index,
            selected,
            query: TextInput::default(),
            missed: false,
        }
    }

    /// What was typed, when it matches no option (the choice stayed where
    /// it was).
    pub fn missed(&self) -> Option<&str> {
        self.missed.then(|| self.query.text().trim())
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
        self.missed = false;
    }

    /// Jumps to the option the query finds best (the first of the best).
    fn seek(&mut self) {
        let query = Query::new(self.query.text());
        if query.is_empty() {
            self.missed = false;
            return;
        }
        let mut ranks = Vec::new();
        self.index.rank(&query, None, &mut ranks);
        let best = ranks
            .iter()
            .enumerate()
            .filter_map(|(i, &rank)| Some((Rank::from_code(rank)?, i)))
            .min();
        match best {
            Some((_, i)) => {
                self.selected = i;
                self.missed = false;
            }
            None => self.missed = true,
        }
    }
}

/// One person the text of an employee field may mean.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pick {
    pub emp_no: String,
    /// Who they are: `E000008 解明 · 华南大区`.
    pub label: String,
}

/// A field that names an employee (a manager, a department head, a
/// rater …): their number in any case, or a name or its pinyin, with a
/// pick list of the people it may mean under it while it names nobody by
/// number. The console fills in the picks and the hint (who it is) as it
/// is typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonInput {
    pub input: TextInput,
    /// Who the text may mean, best first.
    pub picks: Vec<Pick>,
    /// The highlighted pick.
    pub picked: usize,
    /// The list was put away until the text changes.
    pub dismissed: bool,
}

impl PersonInput {
    /// Whether the pick list is showing.
    pub fn listing(&self) -> bool {
        !self.picks.is_empty() && !self.dismissed
    }

    /// Moves the highlight down (or up) the pick list, stopping at its ends.
    fn step(&mut self, down: bool) {
        let last = self.picks.len().saturating_sub(1);
        self.picked = if down {
            (self.picked + 1).min(last)
        } else {
            self.picked.saturating_sub(1)
        };
    }
}

/// What a field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text(TextInput),
    Choice(Choice),
    Person(PersonInput),
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

    /// A field that names an employee (see [`PersonInput`]), holding
    /// `value` (an employee number) to begin with.
    pub fn person(id: &'static str, label: String, value: &str) -> Self {
        Field {
            id,
            label,
            kind: FieldKind::Person(PersonInput {
                input: TextInput::new(value),
                ..PersonInput::default()
            }),
            error: None,
            hint: None,
        }
    }

    /// The submitted value: the text, or the chosen option's value.
    pub fn value(&self) -> &str {
        match &self.kind {
            FieldKind::Text(input) => input.text(),
            FieldKind::Choice(choice) => choice.value(),
            FieldKind::Person(person) => person.input.text(),
        }
    }

    /// The value as people read it: a choice's label, else the text.
    pub fn shown(&self) -> &str {
        match &self.kind {
            FieldKind::Choice(choice) => choice.label(),
            _ => self.value(),
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
    /// The values when the console last looked (to tell the pane what
    /// changed); none before its first look.
    seen: Vec<String>,
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
            seen: Vec::new(),
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
            field.hint = (now.value() != field.value())
                .then(|| tr!("revision.now_stored", value = now.shown()));
        }
    }

    /// The value of field `id` ("" when there is no such field).
    pub fn value(&self, id: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map_or("", Field::value)
    }

    /// The value field `id` opened with ("" when there is no such field).
    pub fn initial(&self, id: &str) -> &str {
        self.fields
            .iter()
            .position(|f| f.id == id)
            .map_or("", |at| self.initial[at].as_str())
    }

    /// Puts `text` in text or employee field `id` (a value a pane
    /// suggests); false when there is no such field.
    pub fn set_text(&mut self, id: &str, text: &str) -> bool {
        let Some(field) = self.fields.iter_mut().find(|f| f.id == id) else {
            return false;
        };
        match &mut field.kind {
            FieldKind::Text(input) => input.set(text),
            FieldKind::Person(person) => person.input.set(text),
            FieldKind::Choice(_) => return false,
        }
        true
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
            Some(FieldKind::Person(person)) => {
                person.input.insert(c);
                person.dismissed = false;
            }
            None => {}
        }
    }

    /// The focused field's pick list, while it shows.
    fn listing(&mut self) -> Option<&mut PersonInput> {
        match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
            Some(FieldKind::Person(person)) if person.listing() => Some(person),
            _ => None,
        }
    }

    /// Takes the highlighted person of the focused field's pick list (their
    /// number becomes the field's text); false when no list is showing.
    pub fn pick(&mut self) -> bool {
        let Some(person) = self.listing() else {
            return false;
        };
        let emp_no = person.picks[person.picked].emp_no.clone();
        person.input.set(emp_no);
        person.picks.clear();
        person.picked = 0;
        true
    }

    /// Puts the focused field's pick list away until its text changes;
    /// false when none is showing.
    pub fn put_picks_away(&mut self) -> bool {
        match self.listing() {
            Some(person) => {
                person.dismissed = true;
                true
            }
            None => false,
        }
    }

    /// The choice fields whose typed text matched nothing, with the text.
    pub fn missed_choices(&self) -> Vec<(&'static str, String)> {
        self.fields
            .iter()
            .filter_map(|f| match &f.kind {
                FieldKind::Choice(choice) => Some((f.id, choice.missed()?.to_string())),
                _ => None,
            })
            .collect()
    }

    /// Applies a form action other than submit/cancel; false when not one.
    /// `up` and `down` move the highlight in a pick list that is showing,
    /// else to the previous and next field.
    pub fn apply(&mut self, action: Action) -> bool {
        let len = self.fields.len().max(1);
        match action {
            Action::Down | Action::Up if self.listing().is_some() => {
                if let Some(person) = self.listing() {
                    person.step(action == Action::Down);
                }
            }
            Action::NextField | Action::Down => self.focus = (self.focus + 1) % len,
            Action::PrevField | Action::Up => self.focus = (self.focus + len - 1) % len,
            _ => {
                return match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
                    Some(FieldKind::Text(input)) => input.apply(action),
                    Some(FieldKind::Person(person)) => {
                        let before = person.input.text().len();
                        let edited = person.input.apply(action);
                        // A changed text shows its list again.
                        if person.input.text().len() != before {
                            person.dismissed = false;
                        }
                        edited
                    }
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
    fn a_choice_typed_to_nothing_is_missed_until_it_matches_or_steps() {
        let mut f = form();
        f.apply(Action::NextField);
        for c in "xiaoshou".chars() {
            f.insert(c);
        }
        assert_eq!(f.value("parent"), "2", "pinyin of the last name of a path");
        assert!(f.missed_choices().is_empty());
        f.insert('q');
        assert_eq!(f.value("parent"), "2", "the choice stays");
        assert_eq!(
            f.missed_choices(),
            vec![("parent", "xiaoshouq".to_string())]
        );
        f.apply(Action::DeleteBack);
        assert!(f.missed_choices().is_empty(), "matching again");
        f.insert('q');
        f.apply(Action::NextChoice);
        assert!(f.missed_choices().is_empty(), "a step chooses afresh");
        assert_eq!(f.value("parent"), "");
    }

    fn with_person() -> Form<()> {
        Form::new(
            (),
            "t".into(),
            vec![
                Field::person("manager", "Manager".into(), ""),
                Field::text("title", "Title".into(), ""),
            ],
        )
    }

    fn list(f: &mut Form<()>, numbers: &[&str]) {
        let FieldKind::Person(person) = &mut f.fields[0].kind else {
            panic!("a person field");
        };
        person.picks = numbers
            .iter()
            .map(|n| Pick {
                emp_no: n.to_string(),
                label: format!("{n} someone"),
            })
            .collect();
        person.picked = 0;
    }

    #[test]
    fn up_and_down_move_in_a_pick_list_and_between_fields_without_one() {
        let mut f = with_person();
        f.apply(Action::Down);
        assert_eq!(f.focus, 1, "no list: the next field");
        f.apply(Action::Up);
        assert_eq!(f.focus, 0);
        f.insert('x');
        list(&mut f, &["E1", "E2", "E3"]);
        f.apply(Action::Down);
        f.apply(Action::Down);
        f.apply(Action::Down);
        assert_eq!(f.focus, 0, "the list, not the fields");
        f.apply(Action::Up);
        assert!(f.pick());
        assert_eq!(f.value("manager"), "E2");
        assert!(!f.pick(), "the list is gone");
    }

    #[test]
    fn a_pick_list_put_away_comes_back_when_the_text_changes() {
        let mut f = with_person();
        f.insert('x');
        list(&mut f, &["E1"]);
        assert!(f.put_picks_away());
        assert!(!f.pick() && !f.put_picks_away());
        f.apply(Action::Down);
        assert_eq!(f.focus, 1, "no list showing: the next field");
        f.apply(Action::PrevField);
        f.apply(Action::CursorLeft);
        assert!(!f.pick(), "moving the cursor changes nothing");
        f.insert('i');
        assert!(f.pick(), "typing shows the list again");
        assert_eq!(f.value("manager"), "E1");
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
