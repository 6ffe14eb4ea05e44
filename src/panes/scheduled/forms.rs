//! The scheduled-changes view's actions: moving a change to another date
//! (a form with the date) and cancelling one (asked first).

use super::ID;
use crate::app::Confirm;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Done, Field, Form, FormReader, Submitted};
use crate::app::pane::Errand;
use crate::domain::cleanup::parse_date;
use crate::domain::schedule::ScheduledId;
use crate::service::ScheduledRow;
use crate::tr;

/// The change whose date the open form moves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveForm(pub ScheduledId);

/// The change to cancel, once confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cancel(pub ScheduledId);

const DATE: &str = "date";

/// One change in a title or question: `S3 · 2027-03-01 · E000012 张伟 transfer`.
fn headline(row: &ScheduledRow) -> String {
    format!(
        "{} · {} · {} {}",
        row.item.id, row.item.effective, row.subject, row.what
    )
}

pub(super) fn open_move(desk: &mut Desk, row: &ScheduledRow) {
    desk.form = Some(Form::new(
        Errand::new(ID, MoveForm(row.item.id)),
        tr!("schedule.form.move", change = headline(row)),
        vec![Field::text(
            DATE,
            tr!("schedule.field.date"),
            &row.item.effective.to_string(),
        )],
    ));
}

pub(super) fn submit_move(desk: &mut Desk, form: &Form<Errand>, which: &MoveForm) -> Submitted {
    let mut reader = FormReader::new(form);
    let date = reader.required(DATE, parse_date);
    let Some(date) = date else {
        return Err(reader.problems);
    };
    let moved = desk
        .session
        .move_scheduled(which.0, date)
        .map_err(|err| vec![(Some(DATE), err.to_string())])?;
    let message = if date <= desk.today() {
        tr!("schedule.took_effect", line = headline(&moved.row))
    } else {
        tr!("schedule.moved", line = headline(&moved.row))
    };
    Ok(Done::wrote(message, changed()))
}

pub(super) fn ask_cancel(desk: &mut Desk, row: &ScheduledRow) {
    desk.ask(Confirm::of(
        ID,
        tr!("schedule.confirm.cancel_title"),
        tr!("schedule.confirm.cancel", change = headline(row)),
        Cancel(row.item.id),
    ));
}

pub(super) fn cancel(desk: &mut Desk, which: &Cancel) {
    match desk.session.cancel_scheduled(which.0) {
        Ok(row) => {
            desk.info(tr!("schedule.cancelled", line = headline(&row)));
            desk.wrote(changed());
        }
        Err(err) => desk.error(err.to_string()),
    }
}

/// What a scheduled change touches: people and goals.
fn changed() -> Changes {
    let mut changes = Changes::staff();
    changes.join(Changes::goals());
    changes
}
