//! The console's side of an open form, for every pane alike: after each
//! edit it tells the pane which values changed (so it may fill in what
//! follows, as a transfer's manager from the new department's head), says
//! beside each employee field who it names and lists whom its text may
//! mean; in a pick list `submit` takes the highlighted person and `cancel`
//! puts the list away; before a save it refuses what cannot be read (a
//! choice typed to nothing, an employee field that names no one person),
//! each on its own field, and writes the number of a person named by name
//! or in another case, so the pane reads an employee number.

use super::people::{Named, PeopleCache, not_one, who};
use super::{FieldErrors, FieldKind, Form, Pick};
use crate::action::Action;
use crate::app::App;
use crate::app::pane::Errand;
use crate::service::Session;
use crate::tr;

/// Most people a pick list holds (the best of them).
const MOST_PICKS: usize = 50;

impl App {
    /// After the open form may have changed: tells its pane of each value
    /// that changed, then refreshes the hints beside the fields (who an
    /// employee field names, with its pick list; the pane's own hints).
    pub(in crate::app) fn refresh_field_hints(&mut self) {
        let Some(mut form) = self.desk.form.take() else {
            return;
        };
        let Some(pane) = self.pane_of(form.kind.pane()) else {
            self.desk.form = Some(form);
            return;
        };
        let pane = &self.panes[pane];
        let first_look = form.seen.len() != form.fields.len();
        if !first_look {
            for at in 0..form.fields.len() {
                if form.fields[at].value() != form.seen[at] {
                    let (id, was) = (form.fields[at].id, form.seen[at].clone());
                    pane.field_changed(&mut form, id, &was, &self.desk);
                }
            }
        }
        let mut people = std::mem::take(&mut self.desk.people);
        let session = &self.desk.session;
        let Form { fields, seen, .. } = &mut form;
        for (at, field) in fields.iter_mut().enumerate() {
            let changed = first_look || seen.get(at).is_none_or(|was| was != field.value());
            let text = field.value().trim().to_string();
            match &mut field.kind {
                FieldKind::Person(person) if changed => {
                    let (hint, picks) = person_view(session, &mut people, &text);
                    field.hint = hint;
                    person.picks = picks;
                    person.picked = 0;
                }
                FieldKind::Person(_) => {}
                _ if text.is_empty() => field.hint = None,
                _ => field.hint = pane.field_hint(field.id, &text, &self.desk),
            }
        }
        *seen = fields.iter().map(|f| f.value().to_string()).collect();
        self.desk.people = people;
        self.desk.form = Some(form);
    }

    /// `submit` or `cancel` while the focused field's pick list shows:
    /// takes the highlighted person, or puts the list away. False when no
    /// list shows (the action is the form's).
    pub(in crate::app) fn pick_list_takes(&mut self, action: Action) -> bool {
        let Some(form) = &mut self.desk.form else {
            return false;
        };
        let taken = match action {
            Action::Submit => form.pick(),
            Action::Cancel => form.put_picks_away(),
            _ => false,
        };
        if taken {
            self.refresh_field_hints();
        }
        taken
    }

    /// What of `form` cannot be read as it stands: choice fields typed
    /// into with nothing matching (`blocking`: the form must not go to its
    /// pane, which would save the choice as it was), and employee fields
    /// that name nobody or several people (`people`: the pane refuses them
    /// too, and these say why better, see [`Unreadable::merged`]). An
    /// employee named by name, or by number in another case, gets their
    /// number written in.
    pub(in crate::app) fn unreadable(&mut self, form: &mut Form<Errand>) -> Unreadable {
        let blocking = form
            .missed_choices()
            .into_iter()
            .map(|(id, typed)| (Some(id), tr!("form.choice.missed", typed = typed)))
            .collect();
        let mut problems = FieldErrors::new();
        let (session, people) = (&self.desk.session, &mut self.desk.people);
        let fields = &mut form.fields;
        for field in fields.iter_mut() {
            let FieldKind::Person(person) = &mut field.kind else {
                continue;
            };
            let text = person.input.text().trim().to_string();
            if text.is_empty() || matches!(session.find_employee(&text), Ok(Some(_))) {
                continue;
            }
            let everyone = match people.get(session) {
                Ok(everyone) => everyone,
                Err(err) => {
                    problems.push((Some(field.id), err.to_string()));
                    continue;
                }
            };
            match everyone.named(&text) {
                Named::One(found) => person.input.set(found.emp_no.clone()),
                named => {
                    if let Named::Several(some) = &named {
                        person.picks = picks(some.iter().map(|p| (p.emp_no.as_str(), p.label())));
                        person.picked = 0;
                        person.dismissed = false;
                    }
                    problems.extend(not_one(&text, &named).map(|why| (Some(field.id), why)));
                }
            }
        }
        Unreadable {
            blocking,
            people: problems,
        }
    }
}

/// What of a form cannot be read as it stands (see [`App::unreadable`]).
#[derive(Debug, Default)]
pub struct Unreadable {
    pub blocking: FieldErrors,
    pub people: FieldErrors,
}

impl Unreadable {
    /// The problems to show when the form does not go to its pane.
    pub fn all(self) -> FieldErrors {
        let mut all = self.blocking;
        all.extend(self.people);
        all
    }

    /// The pane's problems, an employee field's own ones said as these
    /// say them, and those of these the pane did not find.
    pub fn merged(self, from_pane: FieldErrors) -> FieldErrors {
        let mut merged: FieldErrors = from_pane
            .into_iter()
            .filter(|(field, _)| field.is_none() || !self.people.iter().any(|(f, _)| f == field))
            .collect();
        merged.extend(self.people);
        merged
    }
}

/// `problems` in the order of the fields they are on (the form's own last).
pub(in crate::app) fn in_field_order(
    form: &Form<Errand>,
    mut problems: FieldErrors,
) -> FieldErrors {
    let place = |id: &Option<&str>| {
        form.fields
            .iter()
            .position(|f| Some(f.id) == *id)
            .unwrap_or(usize::MAX)
    };
    problems.sort_by_key(|(id, _)| place(id));
    problems
}

/// The hint beside an employee field holding `text`, and its pick list:
/// who the number names (any case; the number as stored when typed
/// otherwise), else the people the text may mean.
/// Everyone is read only when the text is not a number as stored; one
/// Latin letter alone finds nobody yet (it would list a whole company).
fn person_view(
    session: &Session,
    people: &mut PeopleCache,
    text: &str,
) -> (Option<String>, Vec<Pick>) {
    if text.is_empty() {
        return (None, Vec::new());
    }
    let upper = text.to_uppercase();
    for number in [text, upper.as_str()] {
        if let Ok(Some(person)) = session.find_employee(number) {
            let department = session
                .department_tree()
                .ok()
                .and_then(|tree| tree.get(person.department).map(|d| d.name.clone()))
                .unwrap_or_default();
            let shown = (person.emp_no != text).then_some(person.emp_no.as_str());
            let label = who(shown, &person.name, &department, person.status);
            return (Some(label), Vec::new());
        }
    }
    if text.len() == 1 && text.is_ascii() {
        return (None, Vec::new());
    }
    let everyone = match people.get(session) {
        Ok(everyone) => everyone,
        Err(err) => return (Some(err.to_string()), Vec::new()),
    };
    if let Some(person) = everyone.by_number(text) {
        return (Some(person.beside(text)), Vec::new());
    }
    let found = everyone.matching(text);
    if found.is_empty() {
        return (Some(tr!("form.person.none_found")), Vec::new());
    }
    let hint = tr!("form.person.found", count = found.len());
    (
        Some(hint),
        picks(found.iter().map(|p| (p.emp_no.as_str(), p.label()))),
    )
}

/// The pick list of the best people found.
fn picks<'p>(found: impl Iterator<Item = (&'p str, String)>) -> Vec<Pick> {
    found
        .take(MOST_PICKS)
        .map(|(emp_no, label)| Pick {
            emp_no: emp_no.to_string(),
            label,
        })
        .collect()
}
