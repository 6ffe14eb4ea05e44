//! The Scoring pane's state: the cycles, the one on screen with its
//! recomputed results (scoreboard, pool distributions, bonuses), the
//! filterable table of appraisees, and whether the table or the
//! distribution is shown. Forms that enter ratings, override grades,
//! handle appeals and move the cycle on are in `forms.rs`, keys in
//! `keys.rs`, the scoreboard's order in `order.rs`, drawing in `view.rs`
//! and the breakdown (panel or full screen) in `breakdown.rs`.

mod breakdown;
mod cycle_form;
pub mod forms;
mod keys;
mod leniency;
mod load;
mod order;
mod view;

use std::any::Any;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::action::{Action, Section};
use crate::app::App;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Form, Submitted};
use crate::app::job::Outcome;
use crate::app::list::FilteredList;
use crate::app::pane::{Copied, Errand, Handled, Offer, Pane, PaneId, QueryEdit};
use crate::app::report::Report;
use crate::domain::scoring::Cycle;
use crate::domain::scoring::board::BoardRow;
use crate::domain::scoring::outcomes::{CourseCatalogue, ProfileRow};
use crate::search::Kind;
use crate::service::access::Permission;
use crate::service::{Appraisee, CycleResults, OpError, ScoreHistory, Session};
use crate::tr;
use forms::{Ask, ReplaceRating, ScoringForm};
use leniency::LeniencyShown;
pub use order::BoardSort;

/// One line of the scoreboard table: the index of its appraisee in the
/// results (people and rows share it), in 32 bits (a board of a million
/// lines holds one each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScoreRow(u32);

impl ScoreRow {
    /// The line of the appraisee at `index` (a board has fewer than
    /// 2³² people).
    pub fn at(index: usize) -> ScoreRow {
        ScoreRow(u32::try_from(index).unwrap_or(u32::MAX))
    }

    /// The index of its appraisee in the results.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What the pane shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Showing {
    /// The scoreboard with the selected scorecard's breakdown.
    Board,
    /// The selected scorecard's breakdown, full screen.
    Breakdown,
    /// The grade distribution of each pool against its quotas.
    Distribution,
    /// Each rater's mean and spread against everyone's.
    Leniency,
    /// The competency marks of S and A people against the rest, per title.
    Profile,
    /// Every appeal of the cycle with its steps.
    Appeals,
}

/// The fields an appraisee is found by on the board: number, name,
/// department, title, the department's whole path (the board shows the
/// first three).
pub const BOARD_FIELDS: &[Kind] = &[Kind::Code, Kind::Name, Kind::Text, Kind::Text, Kind::Text];

/// The Scoring pane's state.
pub struct ScoringView {
    pub cycles: Vec<Cycle>,
    /// Which of `cycles` is on screen.
    pub current: usize,
    pub results: Option<CycleResults>,
    /// What earlier closed cycles say about the appraisees.
    pub history: ScoreHistory,
    /// The training courses recommendations come from.
    pub catalogue: CourseCatalogue,
    pub list: FilteredList<ScoreRow>,
    /// What the scoreboard is sorted by.
    pub sort: BoardSort,
    pub showing: Showing,
    /// The breakdown's line at the top of its panel (or full screen).
    pub scroll: usize,
    /// The first line of the distribution view on screen.
    pub report_scroll: usize,
    /// The high-performer profile, counted as the board is computed (the
    /// board keeps only each scorecard's figures).
    pub profile: Vec<ProfileRow>,
    /// Whether a scorecard changed since the profile was counted: it is
    /// counted again (with the board) when its view is opened.
    profile_stale: bool,
    /// The selected person's whole scorecard (the board keeps figures
    /// only), computed again when the selection moves.
    detail: Option<BoardRow>,
    /// Whether the table shows only the people not graded for missing data.
    pub missing_only: bool,
    /// The cycle to show after the next reload, if not the one on screen.
    wanted: Option<crate::domain::scoring::CycleId>,
    /// Whether the cycle on screen must be recomputed before it is shown
    /// (at start, and after any change elsewhere that scores read).
    stale: bool,
    /// Whether a job recomputes it now (the board shown is the previous one).
    pub computing: bool,
    /// The rater-leniency view's report for the board shown.
    leniency: LeniencyShown,
    /// Who was selected when the board was let go (the tab hidden), to
    /// select again once it is computed.
    kept: Option<crate::domain::employee::EmployeeId>,
}

impl Default for ScoringView {
    fn default() -> Self {
        ScoringView {
            cycles: Vec::new(),
            current: 0,
            results: None,
            history: ScoreHistory::default(),
            catalogue: CourseCatalogue::default(),
            list: FilteredList::of_kinds(BOARD_FIELDS),
            sort: BoardSort::default(),
            showing: Showing::Board,
            scroll: 0,
            report_scroll: 0,
            profile: Vec::new(),
            profile_stale: false,
            detail: None,
            missing_only: false,
            wanted: None,
            stale: true,
            computing: false,
            leniency: LeniencyShown::Unread,
            kept: None,
        }
    }
}

impl ScoringView {
    /// Reads the cycles and recomputes the one on screen (the newest at
    /// first): see `load.rs`.
    pub fn reload(&mut self, desk: &mut Desk) -> Result<(), OpError> {
        let current_id = self.wanted.take().or_else(|| self.cycle().map(|c| c.id));
        self.cycles = desk.session.cycles()?;
        self.current = match current_id {
            Some(id) => self.cycles.iter().position(|c| c.id == id).unwrap_or(0),
            None => self.cycles.len().saturating_sub(1),
        };
        self.recompute(desk);
        Ok(())
    }

    /// Restricts the table to the people not graded for missing data, or
    /// lifts the restriction.
    fn apply_missing_only(&mut self, page: usize) {
        let rows = self.results.as_ref().map(|r| &r.board.rows);
        let keep = self.missing_only.then_some(|row: &ScoreRow| {
            rows.is_some_and(|rows| !rows[row.index()].card.missing.is_empty())
        });
        self.list.restrict(keep, page);
    }

    /// Shows `view`, or the scoreboard when `view` is already on screen;
    /// a profile counted before a scorecard changed is counted again.
    pub fn toggle(&mut self, view: Showing, desk: &mut Desk) {
        self.report_scroll = 0;
        self.showing = if self.showing == view {
            Showing::Board
        } else {
            view
        };
        if self.showing == Showing::Profile && self.profile_stale {
            self.recompute(desk);
        }
    }

    /// What follows a key, a form or a job: the leniency report when its
    /// view is open and the board's marks are not tallied, and the
    /// selected person's whole scorecard.
    fn settle(&mut self, desk: &mut Desk) {
        self.want_leniency(desk);
        self.follow_selection(desk);
    }

    /// Computes the selected person's whole scorecard when the selection
    /// moved to someone else (or their scorecard changed).
    fn follow_selection(&mut self, desk: &mut Desk) {
        let Some(results) = &self.results else {
            self.detail = None;
            return;
        };
        let person = self
            .list
            .selected()
            .and_then(|row| results.board.people.get(row.index()))
            .map(|person| person.id);
        if self.detail.as_ref().map(|d| d.employee) == person {
            return;
        }
        self.detail = match person {
            Some(id) => match desk.session.scorecard(results, id) {
                Ok(card) => card,
                Err(err) => {
                    desk.error(err.to_string());
                    None
                }
            },
            None => None,
        };
    }

    /// Scores one appraisee again after their sheet changed.
    pub fn rescore(
        &mut self,
        session: &Session,
        employee: crate::domain::employee::EmployeeId,
    ) -> Result<(), OpError> {
        if let Some(results) = self.results.as_mut() {
            session.rescore(results, employee)?;
        }
        self.profile_stale = true;
        self.leniency = LeniencyShown::Unread;
        self.detail = None;
        Ok(())
    }

    /// Shows the next (`forward`) or previous cycle.
    pub fn step_cycle(&mut self, forward: bool, desk: &mut Desk) {
        let len = self.cycles.len();
        if len < 2 {
            return;
        }
        self.current = if forward {
            (self.current + 1) % len
        } else {
            (self.current + len - 1) % len
        };
        self.list.cursor = Default::default();
        self.scroll = 0;
        self.recompute(desk);
    }

    /// Shows cycle `id` once the cycles are read again (after it was saved).
    pub fn show_cycle(&mut self, id: crate::domain::scoring::CycleId) {
        self.wanted = Some(id);
    }

    /// The cycle on screen.
    pub fn cycle(&self) -> Option<&Cycle> {
        self.cycles.get(self.current)
    }

    /// The selected appraisee with their whole scorecard (their board
    /// row's figures until it is computed).
    pub fn selected(&self) -> Option<(&Appraisee, &BoardRow)> {
        let results = self.results.as_ref()?;
        let row = self.list.selected()?;
        let person = results.board.people.get(row.index())?;
        let card = match &self.detail {
            Some(detail) if detail.employee == person.id => detail,
            _ => results.board.rows.get(row.index())?,
        };
        Some((person, card))
    }
}

/// The pane's name.
pub const ID: PaneId = "scoring";

impl Pane for ScoringView {
    fn id(&self) -> PaneId {
        ID
    }

    fn title(&self) -> String {
        tr!("tab.scoring")
    }

    fn section(&self) -> Option<Section> {
        Some(Section::Scoring)
    }

    /// Recomputes what is stale, unless a recomputation runs already
    /// (its result is then dropped and it runs again).
    fn show(&mut self, desk: &mut Desk) {
        if self.stale && !self.computing {
            self.stale = false;
            self.reload_scoring(desk);
        }
        self.settle(desk);
    }

    // What may move the selection or change the board is followed by the
    // selected person's whole scorecard (and the leniency report, see
    // `settle`).

    fn handle(&mut self, action: Action, desk: &mut Desk) -> Handled {
        let handled = self.act(action, desk);
        self.settle(desk);
        handled
    }

    fn query(&mut self, edit: QueryEdit, desk: &mut Desk) -> bool {
        self.list.query_step(edit, desk.page());
        self.settle(desk);
        true
    }

    fn querying(&self) -> bool {
        self.list.editing
    }

    fn legend(&self) -> Vec<String> {
        vec![tr!("scoring.board.legend")]
    }

    fn submit(&mut self, form: &Form<Errand>, desk: &mut Desk) -> Submitted {
        let submitted = match form.kind.what::<ScoringForm>() {
            Some(&which) => self.submit_scoring(desk, form, which),
            None => Err(Vec::new()),
        };
        self.settle(desk);
        submitted
    }

    fn job_done(&mut self, outcome: Outcome, desk: &mut Desk) {
        if let Some(outcome) = self.leniency_done(outcome, desk) {
            self.computed(outcome, desk);
        }
        self.settle(desk);
    }

    fn confirmed(&mut self, errand: &Errand, desk: &mut Desk) {
        if let Some(ReplaceRating(entry)) = errand.what::<ReplaceRating>() {
            self.replace_rating(desk, entry);
        } else {
            match errand.what::<Ask>() {
                Some(&Ask::Advance(id, to)) => self.advance_cycle(desk, id, to),
                Some(&Ask::Normalise(id, on)) => self.set_normalisation(desk, id, on),
                None => {}
            }
        }
        self.settle(desk);
    }

    /// Scores read people, goals, cycles and sheets: any of them changed
    /// makes the cycle stale, recomputed now if shown, else when next shown.
    fn offers(&self) -> Vec<Offer> {
        vec![
            Offer::new(Action::Add, tr!("offer.scoring.add")).needs(Permission::EditCycles),
            Offer::new(Action::Edit, tr!("offer.scoring.edit")).needs(Permission::EditCycles),
            Offer::new(Action::AdvanceCycle, tr!("offer.scoring.advance_cycle"))
                .needs(Permission::EditCycles),
            Offer::new(Action::Rate, tr!("offer.scoring.rate")).needs(Permission::EnterRatings),
            Offer::new(Action::EnterIndicator, tr!("offer.scoring.enter_indicator"))
                .needs(Permission::EnterRatings),
            Offer::new(Action::OverrideGrade, tr!("offer.scoring.override_grade"))
                .needs(Permission::Calibrate),
            Offer::new(Action::Appeal, tr!("offer.scoring.appeal")).needs(Permission::EnterRatings),
            Offer::new(Action::Normalise, tr!("offer.scoring.normalise"))
                .needs(Permission::Calibrate),
            Offer::new(Action::Distribution, tr!("offer.scoring.distribution")),
            Offer::new(Action::Leniency, tr!("offer.scoring.leniency")),
            Offer::new(Action::Profile, tr!("offer.scoring.profile")),
            Offer::new(Action::Appeals, tr!("offer.scoring.appeals")),
            Offer::new(Action::MissingOnly, tr!("offer.scoring.missing_only")),
            Offer::new(Action::Breakdown, tr!("offer.scoring.breakdown")),
            Offer::new(Action::NextCycle, tr!("offer.scoring.next_cycle")),
            Offer::new(Action::PrevCycle, tr!("offer.scoring.prev_cycle")),
            Offer::new(Action::Sort, tr!("offer.scoring.sort")),
            Offer::new(Action::Filter, tr!("offer.scoring.filter")),
            Offer::new(Action::ScrollDown, tr!("offer.scoring.scroll_down")),
            Offer::new(Action::ScrollUp, tr!("offer.scoring.scroll_up")),
            Offer::new(Action::Copy, tr!("offer.scoring.copy")),
            Offer::new(Action::Detail, tr!("offer.scoring.detail")),
        ]
    }

    fn changed(&mut self, changes: &Changes, shown: bool, desk: &mut Desk) {
        self.stale |= changes.scoring;
        if shown {
            self.show(desk);
        }
    }

    fn fit(&mut self, page: usize) {
        self.list.fit(page);
    }

    fn held_rows(&self) -> usize {
        self.results.as_ref().map_or(0, |r| r.board.people.len())
    }

    fn let_go(&mut self, desk: &mut Desk) {
        self.let_go_until_shown(desk.page());
    }

    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        view::draw(self, app, frame, area);
    }

    /// The selected person's employee number.
    fn detail(&self, _desk: &mut Desk) -> Option<Report> {
        breakdown::detail(self)
    }

    fn copy(&mut self, _desk: &mut Desk) -> Option<Copied> {
        self.selected()
            .map(|(person, _)| Copied::id(&person.emp_no))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
