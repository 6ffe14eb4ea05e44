//! The audit log view (`g l`): the entries newest first, narrowed by a
//! filter (operator, action, entity, days: `F`, in `filter.rs`) and the
//! `/` search over any word of them (the actions' names in words too);
//! `enter` shows the selected entry in full (`detail.rs`), `x` writes the
//! entries shown to a CSV file (`export.rs`), `esc` lifts the filter, then
//! leaves. Read-only: nothing here changes the log but the export's own
//! entry.
//!
//! A long log stays quick: the filter is applied as the log is read, so
//! only the entries it lets through are held (each read once, moved into
//! the list, their search keys made on the way), and what other consoles
//! or this one write later is read on from the newest entry seen, not
//! from the start.

mod detail;
mod export;
mod filter;
mod load;
mod view;

use std::any::Any;
use std::collections::HashMap;
use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::action::{Action, Section};
use crate::app::App;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Form, Submitted};
use crate::app::job::Outcome;
use crate::app::list::{Cursor, FilteredList};
use crate::app::pane::{Errand, Handled, Offer, Pane, PaneId, Placement, QueryEdit};
use crate::app::report::Report;
use crate::app::text_input::TextInput;
use crate::domain::audit::AuditEntry;
use crate::domain::audit::actions;
use crate::domain::audit::filter::AuditFilter;
use crate::i18n::Lang;
use crate::search::{Index, Kind};
use crate::service::access::Permission;
use crate::tr;
pub use detail::Detail;

/// The pane's name.
pub const ID: PaneId = "log";

/// The audit log view's state.
pub struct LogView {
    /// The entries the filter let through, kept oldest first and shown
    /// newest first, under the search.
    pub list: FilteredList<AuditEntry>,
    /// What the entries were read with.
    pub filter: AuditFilter,
    /// The entry shown in full, if one is.
    pub detail: Option<Detail>,
    /// The newest entry of the log read so far (0: none yet).
    newest: u64,
    /// The language the search keys were made in (they hold the actions'
    /// names in words); `None` before the first read.
    keys_lang: Option<Lang>,
    /// Whether a job reads the whole log now (the list is empty meanwhile).
    pub reading: bool,
}

impl Default for LogView {
    fn default() -> Self {
        LogView {
            list: FilteredList::last_first(ENTRY_FIELDS),
            filter: AuditFilter::default(),
            detail: None,
            newest: 0,
            keys_lang: None,
            reading: false,
        }
    }
}

/// Entries as they are read, with their search keys.
struct Batch {
    entries: Vec<AuditEntry>,
    keys: Index,
    /// One entry's number and its before and after, reused for the next.
    seq: String,
    text: String,
    /// The actions met so far with their names in words (a long log has
    /// few actions, many times over).
    names: HashMap<String, &'static str>,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            entries: Vec::new(),
            keys: Index::new(ENTRY_FIELDS),
            seq: String::new(),
            text: String::new(),
            names: HashMap::new(),
        }
    }

    /// Takes in `entry`, with its search fields: its number, operator,
    /// action (in words and as code), entity, what it concerns, and both
    /// sides.
    fn take(&mut self, entry: AuditEntry) {
        let record = &entry.record;
        let name = match self.names.get(&record.action) {
            Some(name) => name,
            None => self
                .names
                .entry(record.action.clone())
                .or_insert_with(|| actions::label(&record.action).unwrap_or("")),
        };
        self.seq.clear();
        let _ = write!(self.seq, "{}", entry.seq);
        self.text.clear();
        self.text.push_str(record.before.as_deref().unwrap_or(""));
        self.text.push(' ');
        self.text.push_str(record.after.as_deref().unwrap_or(""));
        self.keys.push([
            self.seq.as_str(),
            &entry.operator,
            name,
            &record.action,
            &record.entity,
            &record.entity_id,
            &self.text,
        ]);
        self.entries.push(entry);
    }
}

/// The fields an entry is found by, in the order [`Batch::take`] gives
/// them (the list shows the first three, and the sixth when wide).
const ENTRY_FIELDS: &[Kind] = &[
    Kind::Code,
    Kind::Code,
    Kind::Text,
    Kind::Code,
    Kind::Text,
    Kind::Code,
    Kind::Words,
];

impl LogView {
    /// Whether a filter or a search narrows the list.
    pub fn narrowed(&self) -> bool {
        !self.filter.is_empty() || !self.list.query.is_empty()
    }

    /// Lifts the filter and the search.
    fn clear(&mut self, desk: &mut Desk) {
        self.filter = AuditFilter::default();
        self.list.query = TextInput::default();
        self.list.cursor = Cursor::default();
        self.read(desk);
        desk.info(tr!("log.filter.cleared"));
    }

    /// The open detail's keys: scrolling it, closing it; `None` for an
    /// action it leaves to the list.
    fn detail_action(&mut self, action: Action) -> Option<Handled> {
        let detail = self.detail.as_mut()?;
        if action.is_move() {
            detail.scroll(action);
            return Some(Handled::Done);
        }
        match action {
            Action::Back | Action::Open => {
                self.detail = None;
                Some(Handled::Done)
            }
            Action::FilterFields => {
                self.detail = None;
                None
            }
            _ => None,
        }
    }
}

impl Pane for LogView {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> String {
        tr!("log.title")
    }

    fn placement(&self) -> Placement {
        Placement::View {
            opened_by: Action::Log,
            needs: Permission::ViewAuditLog,
        }
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Log)
    }

    /// Reads the log (or, read already, on from the newest entry seen);
    /// nothing while a job reads it (it reads on when it ends).
    fn show(&mut self, desk: &mut Desk) {
        if self.reading {
            return;
        }
        if self.keys_lang.is_none() {
            self.read(desk);
        } else {
            self.read_on(desk);
        }
    }

    fn handle(&mut self, action: Action, desk: &mut Desk) -> Handled {
        if let Some(handled) = self.detail_action(action) {
            return handled;
        }
        if self.list.navigate(action, desk.page()) {
            return Handled::Done;
        }
        match action {
            Action::Open => match self.list.selected() {
                Some(entry) => self.detail = Some(Detail::open(entry.clone(), desk)),
                None => desk.info(tr!("status.nothing_selected")),
            },
            Action::FilterFields => filter::open(self, desk),
            Action::Export => export::open(self, desk),
            Action::Back if self.narrowed() => self.clear(desk),
            _ if action.is_edit() => return Handled::NotHereBut(tr!("status.log_read_only")),
            _ => return Handled::NotHere,
        }
        Handled::Done
    }

    fn query(&mut self, edit: QueryEdit, desk: &mut Desk) -> bool {
        self.detail = None;
        self.list.query_step(edit, desk.page());
        true
    }

    fn querying(&self) -> bool {
        self.list.editing
    }

    fn submit(&mut self, form: &Form<Errand>, desk: &mut Desk) -> Submitted {
        if form.kind.what::<filter::FilterForm>().is_some() {
            filter::submit(self, form, desk)
        } else if form.kind.what::<export::ExportForm>().is_some() {
            export::submit(self, form, desk)
        } else {
            Err(Vec::new())
        }
    }

    /// The selected entry whole (as `open` shows it), for the report overlay.
    fn detail(&self, desk: &mut Desk) -> Option<Report> {
        let entry = self.list.selected()?;
        let detail = Detail::open(entry.clone(), desk);
        let lines = detail
            .lines()
            .into_iter()
            .map(|said| {
                format!(
                    "{}{}{}",
                    said.lead,
                    if said.lead.is_empty() { "" } else { " " },
                    said.text
                )
            })
            .collect();
        Some(Report::new(tr!("log.detail.title", seq = entry.seq), lines))
    }

    fn hints(&self) -> Vec<(Section, Action, String)> {
        if self.detail.is_some() {
            return vec![
                (Section::Browse, Action::Back, tr!("hint.back")),
                (Section::Browse, Action::PageDown, tr!("hint.scroll")),
                (Section::Browse, Action::Export, tr!("hint.export")),
            ];
        }
        let back = if self.narrowed() {
            tr!("hint.clear_filter")
        } else {
            tr!("hint.back")
        };
        vec![
            (Section::Browse, Action::Open, tr!("hint.open")),
            (
                Section::Browse,
                Action::FilterFields,
                tr!("hint.filter_fields"),
            ),
            (Section::Browse, Action::Filter, tr!("hint.search")),
            (Section::Browse, Action::Export, tr!("hint.export")),
            (Section::Browse, Action::Back, back),
            (Section::Global, Action::Help, tr!("hint.help")),
        ]
    }

    fn fit(&mut self, page: usize) {
        self.list.fit(page);
    }

    /// Every change is in the log: read on from the newest entry seen.
    fn offers(&self) -> Vec<Offer> {
        vec![
            Offer::new(Action::Open, tr!("offer.log.open")),
            Offer::new(Action::Detail, tr!("offer.log.detail")),
            Offer::new(Action::FilterFields, tr!("offer.log.filter_fields")),
            Offer::new(Action::Export, tr!("offer.log.export")),
            Offer::new(Action::Filter, tr!("offer.log.filter")),
        ]
    }

    fn job_done(&mut self, outcome: Outcome, desk: &mut Desk) {
        self.read_done(outcome, desk);
    }

    fn changed(&mut self, changes: &Changes, shown: bool, desk: &mut Desk) {
        if shown && !changes.is_empty() && !self.reading {
            self.read_on(desk);
        }
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        match &self.detail {
            Some(detail) => detail.draw(app, frame, area),
            None => view::draw(self, app, frame, area),
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
