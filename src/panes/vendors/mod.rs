//! The Vendors pane's state: the selection projects, the one on screen
//! with its report (vendors scored and ranked, costs per year, the chosen
//! vendor's plan against actual), what is shown of it, and the selected
//! vendor. Keys are in `keys.rs`; forms (choosing a vendor, recording a
//! quarter's spend) in `forms.rs`, the demo and pilot and new project
//! forms in `entry.rs`; drawing in `view.rs`.

pub mod entry;
pub mod forms;
mod keys;
mod view;

use std::any::Any;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::action::{Action, Section};
use crate::app::App;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Form, Submitted};
use crate::app::pane::{Copied, Errand, Handled, Offer, Pane, PaneId, QueryEdit};
use crate::app::report::Report;
use crate::app::text_input::TextInput;
use crate::domain::vendor::{Project, VendorId};
use crate::search::{Index, Kind, NONE, Query};
use crate::service::access::Permission;
use crate::service::{OpError, Session, VendorReport};
use crate::tr;
use forms::{Ask, VendorForm};

/// The pane's name.
pub const ID: PaneId = "vendors";

/// What the pane shows of the project on screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Showing {
    /// The vendors ranked, with the selected one's breakdown.
    #[default]
    Ranking,
    /// Vendors side by side: criteria as rows, the best in each row marked.
    Comparison,
    /// Each vendor's costs year by year against the budget.
    Budget,
    /// The chosen vendor's plan against the actual spend, quarter by quarter.
    Plan,
}

impl Showing {
    /// The next view, in the order `V` goes through them.
    pub fn next(self) -> Showing {
        match self {
            Showing::Ranking => Showing::Comparison,
            Showing::Comparison => Showing::Budget,
            Showing::Budget => Showing::Plan,
            Showing::Plan => Showing::Ranking,
        }
    }
}

/// The Vendors pane's state.
#[derive(Debug, Default)]
pub struct VendorsView {
    /// Why the operator may not see vendors, when they may not.
    pub refused: Option<String>,
    pub projects: Vec<Project>,
    /// Which of `projects` is on screen.
    pub current: usize,
    pub report: Option<VendorReport>,
    /// Why the report could not be made (criteria that do not hold …).
    pub problem: Option<String>,
    pub showing: Showing,
    /// The selected line: the ranked vendors, then the knocked-out ones.
    pub selected: usize,
    /// The search line (`/`: the best-matching vendor is selected as it is
    /// typed) and whether it is being typed in.
    pub query: TextInput,
    pub editing: bool,
}

impl VendorsView {
    /// Reads the projects and the report of the one on screen, keeping the
    /// project and the selected vendor.
    pub fn reload(&mut self, session: &Session) -> Result<(), OpError> {
        let keep_project = self.projects.get(self.current).map(|p| p.id);
        let keep_vendor = self.selected_vendor();
        self.projects = match session.vendor_projects() {
            Ok(projects) => projects,
            Err(OpError::Denied(denied)) => {
                *self = VendorsView {
                    refused: Some(denied.to_string()),
                    ..VendorsView::default()
                };
                return Ok(());
            }
            Err(other) => return Err(other),
        };
        self.refused = None;
        self.current = keep_project
            .and_then(|id| self.projects.iter().position(|p| p.id == id))
            .unwrap_or(0);
        self.report = None;
        self.problem = None;
        if let Some(project) = self.projects.get(self.current) {
            match session.vendor_report(project.id) {
                Ok(report) => self.report = Some(report),
                Err(OpError::Vendor(problem)) => self.problem = Some(problem.to_string()),
                Err(other) => return Err(other),
            }
        }
        self.selected = keep_vendor
            .and_then(|id| self.lines().iter().position(|v| *v == id))
            .unwrap_or(0);
        Ok(())
    }

    /// The project on screen.
    pub fn project(&self) -> Option<&Project> {
        self.projects.get(self.current)
    }

    /// Shows the next (or previous) project.
    pub fn step_project(&mut self, forward: bool, session: &Session) -> Result<(), OpError> {
        let count = self.projects.len();
        if count > 1 {
            self.current = if forward {
                (self.current + 1) % count
            } else {
                (self.current + count - 1) % count
            };
            self.selected = 0;
        }
        self.reload(session)
    }

    /// The vendors in the order of the pane's lines: ranked, then knocked out.
    pub fn lines(&self) -> Vec<VendorId> {
        self.report.as_ref().map_or_else(Vec::new, |report| {
            let ranked = report.scorecard.rows.iter().map(|r| r.vendor);
            let out = report.scorecard.disqualified.iter().map(|d| d.vendor);
            ranked.chain(out).collect()
        })
    }

    /// The vendor of the selected line.
    pub fn selected_vendor(&self) -> Option<VendorId> {
        self.lines().get(self.selected).copied()
    }

    /// Selects the line of the vendor the search line finds best (by name
    /// or number, the search engine of every list); false when none.
    pub fn seek(&mut self) -> bool {
        let Some(report) = &self.report else {
            return false;
        };
        let lines = self.lines();
        let mut index = Index::new(&[Kind::Text, Kind::Code]);
        for &vendor in &lines {
            index.push([report.vendor_name(vendor).as_str(), &vendor.to_string()]);
        }
        let mut ranks = Vec::new();
        index.rank(&Query::new(self.query.text()), None, &mut ranks);
        let best = ranks
            .iter()
            .enumerate()
            .min_by_key(|&(line, &rank)| (rank, line));
        match best {
            Some((line, &rank)) if rank != NONE => {
                self.selected = line;
                true
            }
            _ => false,
        }
    }

    /// Moves the selection up or down the lines.
    pub fn move_selection(&mut self, down: bool) {
        let last = self.lines().len().saturating_sub(1);
        self.selected = if down {
            (self.selected + 1).min(last)
        } else {
            self.selected.saturating_sub(1)
        };
    }
}

impl VendorsView {
    /// Reads the pane again, saying why if it cannot.
    fn read(&mut self, desk: &mut Desk) {
        if let Err(err) = self.reload(&desk.session) {
            desk.error(err.to_string());
        }
    }
}

impl Pane for VendorsView {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> String {
        tr!("tab.vendors")
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Vendors)
    }

    /// A few projects of a few vendors each: read whenever shown.
    fn show(&mut self, desk: &mut Desk) {
        self.read(desk);
    }

    fn handle(&mut self, action: Action, desk: &mut Desk) -> Handled {
        self.act(action, desk)
    }

    /// The search line: the best-matching vendor is selected as it is typed.
    fn query(&mut self, edit: QueryEdit, desk: &mut Desk) -> bool {
        match edit {
            QueryEdit::Start if self.report.is_none() => return false,
            QueryEdit::Start => self.editing = true,
            QueryEdit::Type(c) => self.query.insert(c),
            QueryEdit::Apply(action) => {
                self.query.apply(action);
            }
            QueryEdit::Move(action) => self.move_selection(action == Action::Down),
            QueryEdit::Keep => self.editing = false,
            QueryEdit::Clear => {
                self.query.clear();
                self.editing = false;
            }
        }
        if matches!(edit, QueryEdit::Type(_) | QueryEdit::Apply(_))
            && !self.query.is_empty()
            && !self.seek()
        {
            desk.info(tr!("list.no_match", query = self.query.text()));
        }
        true
    }

    fn querying(&self) -> bool {
        self.editing
    }

    fn submit(&mut self, form: &Form<Errand>, desk: &mut Desk) -> Submitted {
        match form.kind.what::<VendorForm>() {
            Some(&which) => self.submit_vendor(desk, form, which),
            None => Err(Vec::new()),
        }
    }

    fn confirmed(&mut self, errand: &Errand, desk: &mut Desk) {
        match errand.what::<Ask>() {
            Some(&Ask::Choose(project, vendor)) => self.choose_vendor(desk, project, vendor),
            Some(&Ask::Remove(vendor)) => self.remove_vendor(desk, vendor),
            None => {}
        }
    }

    fn hints(&self) -> Vec<(Section, Action, String)> {
        if self.refused.is_some() {
            return Vec::new();
        }
        vec![
            (Section::Browse, Action::NextCycle, tr!("hint.project")),
            (
                Section::Browse,
                Action::NextListing,
                tr!("hint.vendor_views"),
            ),
            (Section::Browse, Action::ChooseVendor, tr!("hint.choose")),
            (Section::Browse, Action::RecordActual, tr!("hint.spend")),
            (Section::Browse, Action::Edit, tr!("hint.demo_pilot")),
            (Section::Browse, Action::Add, tr!("hint.new_project")),
            (Section::Global, Action::Help, tr!("hint.help")),
        ]
    }

    fn offers(&self) -> Vec<Offer> {
        vec![
            Offer::new(Action::Add, tr!("offer.vendors.add")).needs(Permission::EditVendors),
            Offer::new(Action::Edit, tr!("offer.vendors.edit")).needs(Permission::EditVendors),
            Offer::new(Action::Remove, tr!("offer.vendors.remove")).needs(Permission::EditVendors),
            Offer::new(Action::RecordActual, tr!("offer.vendors.record_actual"))
                .needs(Permission::EditVendors),
            Offer::new(Action::ChooseVendor, tr!("offer.vendors.choose_vendor"))
                .needs(Permission::EditVendors),
            Offer::new(Action::EditProject, tr!("offer.vendors.edit_project"))
                .needs(Permission::EditVendors),
            Offer::new(Action::NextCycle, tr!("offer.vendors.next_cycle")),
            Offer::new(Action::PrevCycle, tr!("offer.vendors.prev_cycle")),
            Offer::new(Action::NextListing, tr!("offer.vendors.next_listing")),
            Offer::new(Action::Filter, tr!("offer.vendors.filter")),
            Offer::new(Action::Copy, tr!("offer.vendors.copy")),
            Offer::new(Action::Detail, tr!("offer.vendors.detail")),
        ]
    }

    fn changed(&mut self, changes: &Changes, shown: bool, desk: &mut Desk) {
        if shown && changes.vendors {
            self.read(desk);
        }
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        view::draw(self, app, frame, area);
    }

    /// The selected row's id.
    fn detail(&self, _desk: &mut Desk) -> Option<Report> {
        view::detail(self)
    }

    fn copy(&mut self, _desk: &mut Desk) -> Option<Copied> {
        self.selected_vendor().map(Copied::id)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
