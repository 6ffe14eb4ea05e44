//! Recomputing the cycle on screen: inline for a small company, else as a
//! job ([`Desk::run_job`]) that counts the people scored while the pane
//! keeps its previous board (or says it is computing). Its result is
//! applied when it ends unless something newer came in meanwhile (a
//! change the scores read, another cycle asked for): then it runs again.
//! A cancelled one leaves the previous board, and says so.

use crate::app::desk::Desk;
use crate::app::job::{Loaded, Outcome, drop_aside};
use crate::domain::scoring::board::BoardRow;
use crate::domain::scoring::outcomes::{CourseCatalogue, ProfileRow, ProfileTally};
use crate::domain::scoring::{Cycle, CycleConfig, CycleId};
use crate::search::Index;
use crate::service::{Appraisee, CycleResults, OpError, RowTally, ScoreHistory, Session};
use crate::tr;

use super::{BOARD_FIELDS, ID, LeniencyShown, ScoreRow, ScoringView};

/// A cycle recomputed, with what the pane keeps beside it.
pub(super) struct Computed {
    cycle: CycleId,
    results: CycleResults,
    history: ScoreHistory,
    catalogue: CourseCatalogue,
    /// The high-performer profile, counted from the whole scorecards.
    profile: Vec<ProfileRow>,
    /// Each appraisee's search fields, in board order.
    keys: Index,
}

impl Computed {
    /// Recomputes `cycle` (the slow part: every scorecard), keeping each
    /// scorecard's figures and counting the profile from the whole.
    fn of(session: &Session, cycle: &Cycle) -> Result<Computed, OpError> {
        let mut profile = ProfileCount {
            config: &cycle.config,
            tally: ProfileTally::default(),
        };
        let results = session.cycle_figures(cycle, &mut profile)?;
        // Earlier cycles of the people on the board only.
        let history = session.score_history(cycle, &results.board)?;
        let catalogue = session.course_catalogue()?;
        session.check_cancelled()?;
        let mut keys = Index::new(BOARD_FIELDS);
        let departments = &results.board.departments;
        for person in &results.board.people {
            let department = departments.get(person.department);
            keys.push([
                person.emp_no.as_str(),
                &person.name,
                department.map_or("", |d| d.name.as_str()),
                &person.title,
                &departments.path(person.department),
            ]);
        }
        Ok(Computed {
            cycle: cycle.id,
            results,
            history,
            catalogue,
            profile: profile.tally.rows(),
            keys,
        })
    }
}

/// The high-performer profile, counted from each whole scorecard as the
/// board is made.
struct ProfileCount<'a> {
    config: &'a CycleConfig,
    tally: ProfileTally,
}

impl RowTally for ProfileCount<'_> {
    fn add(&mut self, person: &Appraisee, row: &BoardRow) {
        if let Some(grade) = row.grade {
            let means = row.card.competency_means(self.config);
            self.tally.add(&person.title, grade, &means);
        }
    }

    fn split(&self) -> Self {
        ProfileCount {
            config: self.config,
            tally: ProfileTally::default(),
        }
    }

    fn merge(&mut self, later: Self) {
        self.tally.merge(later.tally);
    }
}

impl ScoringView {
    /// Recomputes the cycle on screen: inline when the company is small,
    /// else as a job (the board on screen stays until it ends).
    pub(super) fn recompute(&mut self, desk: &mut Desk) {
        let cycle = self.cycle().cloned();
        let shown = self.results.as_ref().map(|r| r.board.cycle.id);
        // Another cycle's board is not shown while this one is computed.
        if shown != cycle.as_ref().map(|c| c.id) {
            self.results = None;
            self.leniency = LeniencyShown::Unread;
            self.list
                .set_keyed_items(Vec::new(), Index::new(BOARD_FIELDS), desk.page());
        }
        let Some(cycle) = cycle else {
            return;
        };
        // Who may not count the staff has them counted by the job.
        let count = desk.session.employee_count();
        let label = tr!("loads.scoring", cycle = cycle.name);
        match desk.load(ID, label, count, move |session, _| {
            Computed::of(session, &cycle)
        }) {
            Loaded::Now(computed) => self.apply(computed, desk.page()),
            Loaded::Failed => {}
            Loaded::Job { started } => {
                self.computing = started;
                // Not started (another job runs): recomputed when next shown.
                self.stale |= !started;
            }
        }
    }

    /// Lets the board go while the tab is hidden (unless a job is
    /// computing it), keeping the cycle, the query, the sort and the
    /// selection: computed again when next shown.
    pub(super) fn let_go_until_shown(&mut self, page: usize) {
        if self.computing {
            return;
        }
        self.kept = self.selected().map(|(person, _)| person.id).or(self.kept);
        drop_aside((
            self.results.take(),
            std::mem::take(&mut self.history),
            self.list.take_items(page),
        ));
        self.detail = None;
        self.leniency = LeniencyShown::Unread;
        self.stale = true;
    }

    /// The recomputation ended with `outcome`: applied unless stale.
    pub(super) fn computed(&mut self, outcome: Outcome, desk: &mut Desk) {
        self.computing = false;
        let Ok(outcome) = outcome.downcast::<Result<Computed, OpError>>() else {
            return;
        };
        match *outcome {
            Ok(_) if self.stale || self.wanted.is_some() => {
                self.stale = false;
                self.reload_scoring(desk);
            }
            Ok(computed) if self.cycle().map(|c| c.id) != Some(computed.cycle) => {
                self.recompute(desk);
            }
            Ok(computed) => self.apply(computed, desk.page()),
            Err(OpError::Cancelled) => {
                self.stale = true;
                desk.info(tr!("loads.scoring_cancelled"));
            }
            Err(err) => {
                self.stale = true;
                desk.error(err.to_string());
            }
        }
    }

    /// Shows `computed`, keeping the query, the sort, the missing-only
    /// restriction and, by employee, the selection.
    fn apply(&mut self, computed: Computed, page: usize) {
        let kept = self.kept.take();
        let keep = self.selected().map(|(person, _)| person.id).or(kept);
        let Computed {
            results,
            history,
            catalogue,
            profile,
            keys,
            ..
        } = computed;
        let rows = (0..results.board.people.len()).map(ScoreRow::at).collect();
        self.list.set_keyed_items(rows, keys, page);
        self.results = Some(results);
        self.leniency = LeniencyShown::Unread;
        self.history = history;
        self.catalogue = catalogue;
        self.apply_missing_only(page);
        self.apply_sort(page);
        self.profile = profile;
        self.profile_stale = false;
        self.detail = None;
        if let Some(id) = keep {
            let people = self.results.as_ref().map(|r| &r.board.people);
            self.list.select_where(page, |row| {
                people.is_some_and(|p| p.get(row.index()).is_some_and(|a| a.id == id))
            });
        }
    }
}
