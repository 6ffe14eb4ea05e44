//! The Bindings pane's state: which bindings are listed (all of them, the
//! pending requests, the last audit's findings, or a search, found as it
//! is typed from an index of every binding built when it is first opened),
//! the one
//! screenful of rows on screen, the selection, the last audit, and whether
//! the operator may see bindings at all. A million bindings are never read
//! at once: the full list is walked a window at a time in id order, and
//! the other listings keep only ids. Keys are in `keys.rs`, forms and
//! questions in `forms.rs`, drawing in `view.rs`.

pub mod forms;
mod keys;
mod view;

use std::any::Any;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::action::{Action, Section};
use crate::app::App;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Form, Submitted};
use crate::app::job::Outcome;
use crate::app::pane::{Copied, Errand, Handled, Offer, Pane, PaneId, QueryEdit};
use crate::app::report::Report;
use crate::app::text_input::TextInput;
use crate::domain::binding::BindingId;
use crate::domain::binding::audit::{AuditRun, Finding};
use crate::service::access::Permission;
use crate::service::{AuditReport, BindingFinder, BindingRow, OpError, Session};
use crate::tr;
use forms::{Ask, BindingForm};

/// Days after which the last audit counts as overdue (the audit is monthly).
pub const AUDIT_DUE_DAYS: i64 = 31;

/// Which bindings the pane lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Listing {
    /// Every binding, in id order.
    #[default]
    All,
    /// The requests waiting for an employee's confirmation.
    Pending,
    /// The findings of the audit run in this session, most severe first.
    Findings,
    /// The bindings of the employees or the account a search named.
    Search(String),
}

/// One line of a listing kept by id: the binding and, in the findings,
/// what was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listed {
    pub id: BindingId,
    pub finding: Option<Finding>,
}

/// What an admin unmasked on one binding: its account id and, for a
/// pending request someone else made, its code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revealed {
    pub id: BindingId,
    pub account: String,
    pub code: Option<String>,
}

/// The Bindings pane's state.
#[derive(Debug, Default)]
pub struct BindingsView {
    /// Why the operator may not see bindings, when they may not.
    pub refused: Option<String>,
    pub listing: Listing,
    /// How many lines the listing has.
    pub total: u64,
    /// The lines of a listing other than [`Listing::All`].
    listed: Vec<Listed>,
    /// The screenful on screen: its rows and, in the findings, what was
    /// found on each.
    pub rows: Vec<BindingRow>,
    pub found: Vec<Option<Finding>>,
    /// The index in the listing of `rows[0]`.
    pub offset: u64,
    /// The selected row, an index into `rows`.
    pub selected: usize,
    /// The findings of the audit run in this session.
    pub findings: Vec<Finding>,
    pub last_audit: Option<AuditRun>,
    /// What was unmasked, forgotten when the selection moves.
    pub revealed: Option<Revealed>,
    /// The search line and whether it is being typed in.
    pub query: TextInput,
    pub editing: bool,
    /// Every binding indexed for the search (dropped when records change).
    finder: Option<Arc<BindingFinder>>,
    /// Whether a job is indexing them.
    pub indexing: bool,
}

impl BindingsView {
    /// Reads the listing again from the store (on opening the pane and
    /// after a change), keeping the selected binding where it can.
    pub fn reload(&mut self, session: &Session, page: usize) -> Result<(), OpError> {
        let keep = self.selected_row().map(|r| r.binding.id);
        let total = match session.binding_count() {
            Ok(total) => total,
            Err(OpError::Denied(denied)) => {
                *self = BindingsView {
                    refused: Some(denied.to_string()),
                    ..BindingsView::default()
                };
                return Ok(());
            }
            Err(other) => return Err(other),
        };
        self.refused = None;
        self.last_audit = session.last_binding_audit()?;
        self.listed = match &self.listing {
            Listing::All => Vec::new(),
            Listing::Pending => session
                .pending_binding_ids()?
                .into_iter()
                .map(|id| Listed { id, finding: None })
                .collect(),
            Listing::Findings => self
                .findings
                .iter()
                .map(|f| Listed {
                    id: f.binding,
                    finding: Some(*f),
                })
                .collect(),
            Listing::Search(text) => self.found(text),
        };
        self.total = match self.listing {
            Listing::All => total,
            _ => self.listed.len() as u64,
        };
        if self.listing != Listing::All {
            // The rows on screen may have changed: read them again.
            self.rows.clear();
        }
        match keep {
            Some(id) => self.show_from(session, page, id),
            None => self.first(session, page),
        }
    }

    /// Shows the listing from the line of binding `id` (or from the start
    /// when it is no longer listed), keeping the selection on the same line
    /// of the screen.
    fn show_from(&mut self, session: &Session, page: usize, id: BindingId) -> Result<(), OpError> {
        let selected = self.selected;
        match self.listing {
            Listing::All => {
                let start = self.rows.first().map(|r| r.binding.id).unwrap_or(id);
                let before = BindingId(start.0.saturating_sub(1));
                let rows = session.binding_window(Some(before), page, false)?;
                if rows.is_empty() {
                    return self.last(session, page);
                }
                self.set_rows(rows, None);
                self.selected = selected.min(self.rows.len().saturating_sub(1));
                Ok(())
            }
            // A line that left the listing (a request settled, a finding
            // resolved) gives its place to the next one.
            _ => match self.listed.iter().position(|l| l.id == id) {
                Some(at) => self.go_to(session, page, at),
                None => {
                    let at = usize::try_from(self.position()).unwrap_or(0);
                    self.go_to(session, page, at.min(self.listed.len().saturating_sub(1)))
                }
            },
        }
    }

    fn set_rows(&mut self, rows: Vec<BindingRow>, found: Option<Vec<Option<Finding>>>) {
        self.found = found.unwrap_or_else(|| vec![None; rows.len()]);
        self.rows = rows;
        self.revealed = None;
    }

    /// The selected row, if any.
    pub fn selected_row(&self) -> Option<&BindingRow> {
        self.rows.get(self.selected)
    }

    /// The selected line's finding, in the findings.
    pub fn selected_finding(&self) -> Option<Finding> {
        self.found.get(self.selected).copied().flatten()
    }

    /// The selected line's index in the listing.
    pub fn position(&self) -> u64 {
        self.offset + self.selected as u64
    }

    /// Whether the last audit is missing or older than [`AUDIT_DUE_DAYS`] at `now`.
    pub fn audit_overdue(&self, now: DateTime<Utc>) -> bool {
        self.last_audit
            .as_ref()
            .is_none_or(|run| now - run.at > Duration::days(AUDIT_DUE_DAYS))
    }

    /// Moves the selection; in the full list the window slides along.
    pub fn navigate(
        &mut self,
        action: Action,
        session: &Session,
        page: usize,
    ) -> Result<(), OpError> {
        self.revealed = None;
        if self.listing != Listing::All {
            let len = self.listed.len();
            let at = self.position() as usize;
            let target = match action {
                Action::Up => at.saturating_sub(1),
                Action::Down => at + 1,
                Action::PageUp => at.saturating_sub(page),
                Action::PageDown => at + page,
                Action::First => 0,
                Action::Last => len.saturating_sub(1),
                _ => at,
            };
            return self.go_to(session, page, target.min(len.saturating_sub(1)));
        }
        match action {
            Action::Up if self.selected > 0 => self.selected -= 1,
            Action::Down if self.selected + 1 < self.rows.len() => self.selected += 1,
            Action::Up => self.slide(session, page, false)?,
            Action::Down => self.slide(session, page, true)?,
            Action::PageDown => self.turn(session, page, true)?,
            Action::PageUp => self.turn(session, page, false)?,
            Action::First => self.first(session, page)?,
            Action::Last => self.last(session, page)?,
            _ => {}
        }
        Ok(())
    }

    /// The id at the window's end (`forward`) or start.
    fn edge(&self, forward: bool) -> Option<BindingId> {
        let row = if forward {
            self.rows.last()
        } else {
            self.rows.first()
        };
        row.map(|r| r.binding.id)
    }

    /// One line further (or back) in the full list, past the window's edge.
    fn slide(&mut self, session: &Session, page: usize, forward: bool) -> Result<(), OpError> {
        let Some(edge) = self.edge(forward) else {
            return Ok(());
        };
        let Some(next) = session
            .binding_window(Some(edge), 1, !forward)?
            .into_iter()
            .next()
        else {
            return Ok(());
        };
        if forward {
            self.rows.push(next);
            self.found.push(None);
            if self.rows.len() > page {
                self.rows.remove(0);
                self.found.remove(0);
                self.offset += 1;
            }
            self.selected = self.rows.len() - 1;
        } else {
            self.rows.insert(0, next);
            self.found.insert(0, None);
            self.rows.truncate(page.max(1));
            self.found.truncate(page.max(1));
            self.offset = self.offset.saturating_sub(1);
            self.selected = 0;
        }
        Ok(())
    }

    /// A page further (or back) in the full list.
    fn turn(&mut self, session: &Session, page: usize, forward: bool) -> Result<(), OpError> {
        let Some(edge) = self.edge(forward) else {
            return Ok(());
        };
        let rows = session.binding_window(Some(edge), page, !forward)?;
        if rows.len() < page {
            return if forward {
                self.last(session, page)
            } else {
                self.first(session, page)
            };
        }
        let moved = if forward { self.rows.len() } else { rows.len() } as u64;
        self.offset = if forward {
            self.offset + moved
        } else {
            self.offset.saturating_sub(moved)
        };
        let selected = self.selected;
        self.set_rows(rows, None);
        self.selected = selected.min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    /// The listing from its first line.
    fn first(&mut self, session: &Session, page: usize) -> Result<(), OpError> {
        if self.listing != Listing::All {
            return self.go_to(session, page, 0);
        }
        let rows = session.binding_window(None, page, false)?;
        self.offset = 0;
        self.set_rows(rows, None);
        self.selected = 0;
        Ok(())
    }

    /// The listing's last screenful, its last line selected.
    fn last(&mut self, session: &Session, page: usize) -> Result<(), OpError> {
        if self.listing != Listing::All {
            let end = self.listed.len().saturating_sub(1);
            return self.go_to(session, page, end);
        }
        let rows = session.binding_window(None, page, true)?;
        self.offset = self.total.saturating_sub(rows.len() as u64);
        self.set_rows(rows, None);
        self.selected = self.rows.len().saturating_sub(1);
        Ok(())
    }

    /// Selects line `at` of a listing kept by id, reading the screenful
    /// around it.
    fn go_to(&mut self, session: &Session, page: usize, at: usize) -> Result<(), OpError> {
        let page = page.max(1);
        let mut offset = usize::try_from(self.offset).unwrap_or(0);
        let stale = self.rows.len() != page.min(self.listed.len().saturating_sub(offset));
        if at < offset {
            offset = at;
        } else if at >= offset + page {
            offset = at + 1 - page;
        }
        offset = offset.min(self.listed.len().saturating_sub(1));
        if stale || offset as u64 != self.offset || self.rows.is_empty() {
            let lines = &self.listed[offset.min(self.listed.len())..];
            let lines = &lines[..lines.len().min(page)];
            let ids: Vec<BindingId> = lines.iter().map(|l| l.id).collect();
            let found = lines.iter().map(|l| l.finding).collect();
            let rows = session.binding_rows(&ids)?;
            self.offset = offset as u64;
            self.set_rows(rows, Some(found));
        }
        self.selected = at
            .saturating_sub(offset)
            .min(self.rows.len().saturating_sub(1));
        Ok(())
    }
}

/// The pane's name.
pub const ID: PaneId = "bindings";

impl Pane for BindingsView {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> String {
        tr!("tab.bindings")
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Bindings)
    }

    /// A window of rows: cheap, and departures elsewhere change bindings,
    /// so read whenever shown. A search typed while another job ran waited
    /// for its index: it is indexed now (and listed once that ends).
    fn show(&mut self, desk: &mut Desk) {
        if matches!(self.listing, Listing::Search(_)) {
            self.index_bindings(desk);
        }
        self.reload_bindings(desk);
    }

    fn handle(&mut self, action: Action, desk: &mut Desk) -> Handled {
        self.act(action, desk)
    }

    /// The search line: what it finds is listed as it is typed (`enter`
    /// keeps it, `esc` clears it).
    fn query(&mut self, edit: QueryEdit, desk: &mut Desk) -> bool {
        match edit {
            QueryEdit::Start if self.refused.is_some() => return false,
            QueryEdit::Start => {
                self.editing = true;
                self.index_bindings(desk);
            }
            QueryEdit::Type(c) => {
                self.query.insert(c);
                self.search_bindings(desk);
            }
            QueryEdit::Apply(action) => {
                self.query.apply(action);
                self.search_bindings(desk);
            }
            QueryEdit::Move(action) => {
                let page = desk.page();
                if let Err(err) = self.navigate(action, &desk.session, page) {
                    desk.error(err.to_string());
                }
            }
            QueryEdit::Keep => self.editing = false,
            QueryEdit::Clear => {
                self.query.clear();
                self.editing = false;
                self.search_bindings(desk);
            }
        }
        true
    }

    fn querying(&self) -> bool {
        self.editing
    }

    fn submit(&mut self, form: &Form<Errand>, desk: &mut Desk) -> Submitted {
        match form.kind.what::<BindingForm>() {
            Some(&which) => self.submit_binding(desk, form, which),
            None => Err(Vec::new()),
        }
    }

    fn confirmed(&mut self, errand: &Errand, desk: &mut Desk) {
        if let Some(ask) = errand.what::<Ask>() {
            self.run_binding_pending(desk, ask);
        }
    }

    fn hints(&self) -> Vec<(Section, Action, String)> {
        if self.refused.is_some() {
            return Vec::new();
        }
        vec![
            (Section::Browse, Action::Filter, tr!("hint.search")),
            (Section::Browse, Action::NextListing, tr!("hint.listing")),
            (Section::Browse, Action::Add, tr!("hint.bind")),
            (Section::Browse, Action::RequestUnbind, tr!("hint.unbind")),
            (Section::Browse, Action::ConfirmUnbind, tr!("hint.code")),
            (Section::Browse, Action::Audit, tr!("hint.audit")),
            (Section::Global, Action::Help, tr!("hint.help")),
        ]
    }

    fn offers(&self) -> Vec<Offer> {
        vec![
            Offer::new(Action::Add, tr!("offer.bindings.add")).needs(Permission::EditBindings),
            Offer::new(Action::RequestUnbind, tr!("offer.bindings.request_unbind"))
                .needs(Permission::EditBindings),
            Offer::new(Action::ConfirmUnbind, tr!("offer.bindings.confirm_unbind"))
                .needs(Permission::EditBindings),
            Offer::new(Action::CancelUnbind, tr!("offer.bindings.cancel_unbind"))
                .needs(Permission::EditBindings),
            Offer::new(Action::ForceUnbind, tr!("offer.bindings.force_unbind"))
                .needs(Permission::EditBindings),
            Offer::new(Action::ExpireUnbind, tr!("offer.bindings.expire_unbind"))
                .needs(Permission::EditBindings),
            Offer::new(Action::Audit, tr!("offer.bindings.audit")),
            Offer::new(
                Action::UnbindCritical,
                tr!("offer.bindings.unbind_critical"),
            )
            .needs(Permission::EditBindings),
            Offer::new(Action::Reveal, tr!("offer.bindings.reveal"))
                .needs(Permission::RevealBindings),
            Offer::new(Action::NextListing, tr!("offer.bindings.next_listing")),
            Offer::new(Action::Filter, tr!("offer.bindings.filter")),
            Offer::new(Action::Copy, tr!("offer.bindings.copy")),
            Offer::new(Action::Detail, tr!("offer.bindings.detail")),
        ]
    }

    fn job_done(&mut self, outcome: Outcome, desk: &mut Desk) {
        match outcome.downcast::<AuditReport>() {
            Ok(report) => self.audited(desk, *report),
            Err(outcome) => self.indexed(outcome, desk),
        }
    }

    fn changed(&mut self, changes: &Changes, shown: bool, desk: &mut Desk) {
        let touched = changes.bindings || changes.staff || !changes.people.is_empty();
        if touched || changes.own_role || changes.operators {
            // An account, a name or what the operator may see may have
            // changed: index again when searched.
            self.finder = None;
        }
        if shown && changes.bindings {
            if matches!(self.listing, Listing::Search(_)) {
                self.index_bindings(desk);
            }
            self.reload_bindings(desk);
        }
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        view::draw(self, app, frame, area);
    }

    /// The selected binding's id or, while an admin has it unmasked, its
    /// account id, the copy written to the audit log first (never the
    /// account itself).
    fn detail(&self, desk: &mut Desk) -> Option<Report> {
        view::detail(self, desk.session.now())
    }

    fn copy(&mut self, desk: &mut Desk) -> Option<Copied> {
        let id = self.selected_row()?.binding.id;
        let Some(revealed) = self.revealed.as_ref().filter(|r| r.id == id) else {
            return Some(Copied::id(id));
        };
        match desk.session.log_copied_account(id) {
            Ok(()) => Some(Copied {
                text: revealed.account.clone(),
                what: tr!("copy.account", id = id),
            }),
            Err(err) => {
                desk.error(err.to_string());
                None
            }
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
