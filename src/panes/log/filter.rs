//! The audit log's filter form (`F`): operator, action (one, or a family
//! such as every `binding.` action, chosen from the actions hrdesk
//! writes), entity (its kind, its id or both), the first and last day, and
//! the `/` search words. Days are read as forms read them everywhere
//! (`2026-11-01`, `2026/11/1`, `2026年11月1日`); a bad one, or a last day
//! before the first, is named on its field and nothing changes.

use chrono::NaiveDate;

use super::{ID, LogView};
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{ChoiceOption, Done, Field, Form, FormReader, Submitted};
use crate::app::list::Cursor;
use crate::app::pane::Errand;
use crate::app::text_input::TextInput;
use crate::domain::audit::actions;
use crate::domain::audit::filter::AuditFilter;
use crate::domain::cleanup::parse_date;
use crate::i18n::grouped;
use crate::tr;

/// The filter form's errand.
pub(super) struct FilterForm;

const OPERATOR: &str = "operator";
const ACTION: &str = "action";
const ENTITY: &str = "entity";
const FROM: &str = "from";
const TO: &str = "to";
const WORDS: &str = "words";

/// The action choices: any, each family, each action, by code with its
/// name; `current` among them even when it is none of these.
fn action_options(current: Option<&str>) -> Vec<ChoiceOption> {
    let mut options = vec![ChoiceOption::new("", tr!("log.filter.any_action"))];
    for family in actions::families() {
        let word = family.trim_end_matches('.');
        options.push(ChoiceOption::new(
            family,
            tr!("log.filter.family", family = word),
        ));
    }
    for code in actions::known() {
        options.push(ChoiceOption::new(
            code,
            format!("{code} · {}", actions::name(code)),
        ));
    }
    if let Some(current) = current
        && !options.iter().any(|o| o.value == current)
    {
        options.push(ChoiceOption::new(current, current));
    }
    options
}

/// How a day shows in a form field.
fn day(date: Option<NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// Opens the form on the filter and search in force.
pub(super) fn open(view: &LogView, desk: &mut Desk) {
    let filter = &view.filter;
    let fields = vec![
        Field::text(
            OPERATOR,
            tr!("log.filter.operator"),
            filter.operator.as_deref().unwrap_or(""),
        ),
        Field::choice(
            ACTION,
            tr!("log.filter.action"),
            action_options(filter.action.as_deref()),
            filter.action.as_deref().unwrap_or(""),
        ),
        Field::text(ENTITY, tr!("log.filter.entity"), &filter.entity.join(" ")),
        Field::text(FROM, tr!("log.filter.from"), &day(filter.from)),
        Field::text(TO, tr!("log.filter.to"), &day(filter.to)),
        Field::text(WORDS, tr!("log.filter.words"), view.list.query.text()),
    ];
    let mut form = Form::new(Errand::new(ID, FilterForm), tr!("log.filter.title"), fields);
    form.note = Some(tr!("log.filter.note"));
    desk.form = Some(form);
}

/// Reads the form into a filter and the search words; every problem is
/// named on its field.
fn read(form: &Form<Errand>) -> Result<(AuditFilter, String), crate::app::form::FieldErrors> {
    let mut reader = FormReader::new(form);
    let some = |text: String| (!text.is_empty()).then_some(text);
    let operator = some(reader.text(OPERATOR));
    let action = some(form.value(ACTION).to_string());
    let entity = reader
        .text(ENTITY)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let from = reader.optional(FROM, parse_date);
    let to = reader.optional(TO, parse_date);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        reader.problem(TO, tr!("log.filter.to_before_from", from = from));
    }
    let words = reader.text(WORDS);
    if !reader.problems.is_empty() {
        return Err(reader.problems);
    }
    let filter = AuditFilter {
        operator,
        action,
        entity,
        from,
        to,
    };
    Ok((filter, words))
}

/// Reads the log again through the filter the form sets.
pub(super) fn submit(view: &mut LogView, form: &Form<Errand>, desk: &mut Desk) -> Submitted {
    let (filter, words) = read(form)?;
    view.filter = filter;
    view.list.query = TextInput::new(words);
    view.list.cursor = Cursor::default();
    view.detail = None;
    view.read(desk);
    let message = if view.narrowed() {
        tr!(
            "log.filter.showing",
            count = grouped(view.list.visible_len() as u64)
        )
    } else {
        tr!("log.filter.cleared")
    };
    Ok(Done::wrote(message, Changes::default()))
}

/// The filter in force in a few words, for the view's title (empty when
/// there is none).
pub(super) fn summary(filter: &AuditFilter) -> String {
    let mut parts = Vec::new();
    if let Some(operator) = &filter.operator {
        parts.push(tr!("log.filter.by", operator = operator));
    }
    if let Some(action) = &filter.action {
        parts.push(match action.strip_suffix('.') {
            Some(family) => format!("{family}.*"),
            None => actions::name(action).to_string(),
        });
    }
    if !filter.entity.is_empty() {
        parts.push(filter.entity.join(" "));
    }
    match (filter.from, filter.to) {
        (Some(from), Some(to)) if from == to => parts.push(from.to_string()),
        (Some(from), Some(to)) => parts.push(format!("{from} – {to}")),
        (Some(from), None) => parts.push(tr!("log.filter.since", date = from)),
        (None, Some(to)) => parts.push(tr!("log.filter.until", date = to)),
        (None, None) => {}
    }
    parts.join(" · ")
}

/// The filter and the search as `key=value` words, for the export's entry.
pub(super) fn words(filter: &AuditFilter, search: &str) -> String {
    let mut words = Vec::new();
    let mut put = |key: &str, value: &str| {
        if !value.is_empty() {
            words.push(format!("{key}={value}"));
        }
    };
    put(OPERATOR, filter.operator.as_deref().unwrap_or(""));
    put(ACTION, filter.action.as_deref().unwrap_or(""));
    put(ENTITY, &filter.entity.join(" "));
    put(FROM, &day(filter.from));
    put(TO, &day(filter.to));
    put("search", search);
    words.join(" ")
}
