//! What every pane works with and nothing owns alone: the session, the
//! message line, the form, confirmation or report open over the panes, the
//! page size, and the changes written since the console last told the
//! panes. Panes get it as `&mut Desk` with each action; the App reads it
//! to know the mode and to draw.

use chrono::NaiveDate;

use super::changes::Changes;
use super::form::people::PeopleCache;
use super::form::{Field, Form};
use super::job::Jobs;
use super::pane::Errand;
use super::report::Report;
use super::{Confirm, Message, Overlay};
use crate::action::{Action, Section};
use crate::config::keymap::Keymap;
use crate::domain::change::Revision;
use crate::service::Session;
use crate::team::operator_keys::KeyPlace;

/// Rows of chrome around a list: tab bar, borders, header, filter, message, status.
const CHROME_ROWS: u16 = 7;

/// The shared working state of the console.
pub struct Desk {
    pub session: Session,
    /// The live keymap, for naming keys in what the console says.
    pub(super) keymap: Keymap,
    pub(super) message: Option<Message>,
    pub form: Option<Form<Errand>>,
    /// After a save refused over someone else's change: the revision and
    /// the fields as stored now, for the form kept on screen.
    pub rebase: Option<(Revision, Vec<Field>)>,
    pub confirm: Option<Confirm>,
    pub(super) overlay: Overlay,
    pub(super) size: (u16, u16),
    /// Where the operators' SSH key lines of this database live (none: a
    /// database without them, as the demo).
    pub key_place: Option<KeyPlace>,
    /// What this console wrote since the panes were last told.
    written: Changes,
    /// Long work running off the UI thread.
    pub(super) jobs: Jobs,
    /// The people forms' employee fields find, read once until people change.
    pub(super) people: PeopleCache,
}

impl Desk {
    pub(super) fn new(session: Session, keymap: Keymap) -> Desk {
        Desk {
            session,
            keymap,
            message: None,
            form: None,
            rebase: None,
            confirm: None,
            overlay: Overlay::None,
            size: (80, 24),
            key_place: None,
            written: Changes::default(),
            jobs: Jobs::default(),
            people: PeopleCache::default(),
        }
    }

    /// The first key bound to `action` in the first of `sections` that
    /// binds it, as the operator types it (`g d`); `:name` when none does
    /// (the palette runs it).
    pub fn key_for(&self, sections: &[Section], action: Action) -> String {
        sections
            .iter()
            .find_map(|&section| self.keymap.keys_for(section, action).first().copied())
            .map_or_else(|| format!(":{}", action.name()), |keys| keys.to_string())
    }

    /// Rows a list shows at the current terminal height.
    pub fn page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(CHROME_ROWS)).max(1)
    }

    /// Today, in the operator's terms (the session's clock, local date).
    pub fn today(&self) -> NaiveDate {
        self.session.today()
    }

    pub fn info(&mut self, text: String) {
        self.message = Some(Message {
            text,
            is_error: false,
        });
    }

    pub fn error(&mut self, text: String) {
        self.message = Some(Message {
            text,
            is_error: true,
        });
    }

    /// Asks yes or no before `confirm.on_yes` runs.
    pub fn ask(&mut self, confirm: Confirm) {
        self.confirm = Some(confirm);
    }

    /// Shows a read-only report over the panes.
    pub fn report(&mut self, report: Report) {
        self.overlay = Overlay::Report(report);
    }

    /// Records what a write touched, for every pane to read again.
    pub fn wrote(&mut self, changes: Changes) {
        self.written.join(changes);
    }

    /// The changes written since last asked.
    pub(super) fn take_written(&mut self) -> Changes {
        std::mem::take(&mut self.written)
    }
}
