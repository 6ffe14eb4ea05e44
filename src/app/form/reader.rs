//! Reading a submitted form: each field's cleaned text, parsed with the
//! domain's parsers, every problem noted against its field so the form can
//! show them all at once.

use crate::app::form::FieldErrors;
use crate::app::form::Form;
use crate::app::pane::Errand;
use crate::domain::cleanup::clean_text;
use crate::tr;

/// A form's values and the problems found so far.
pub struct FormReader<'f> {
    pub form: &'f Form<Errand>,
    pub problems: FieldErrors,
}

impl<'f> FormReader<'f> {
    pub fn new(form: &'f Form<Errand>) -> Self {
        FormReader {
            form,
            problems: Vec::new(),
        }
    }

    /// The cleaned text of field `id` ("" when the form has no such field).
    pub fn text(&self, id: &str) -> String {
        clean_text(self.form.value(id))
    }

    /// Whether the form has field `id`.
    pub fn has(&self, id: &str) -> bool {
        self.form.fields.iter().any(|f| f.id == id)
    }

    /// Notes a problem of field `id`.
    pub fn problem(&mut self, id: &'static str, message: String) {
        self.problems.push((Some(id), message));
    }

    /// The parsed value of a non-blank field; `None` when blank, absent or
    /// bad (a bad value is noted).
    pub fn optional<T, E: ToString>(
        &mut self,
        id: &'static str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Option<T> {
        let text = self.text(id);
        if text.is_empty() {
            return None;
        }
        parse(&text)
            .map_err(|e| self.problem(id, e.to_string()))
            .ok()
    }

    /// The parsed value of a field that must not be blank.
    pub fn required<T, E: ToString>(
        &mut self,
        id: &'static str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Option<T> {
        if self.text(id).is_empty() {
            self.problem(id, tr!("staff.check.required"));
            return None;
        }
        self.optional(id, parse)
    }
}
