//! The rater-leniency view's report: read from the board when the cycle
//! normalises marks (the board keeps every rater's spread then), else
//! tallied from the sheets when the view is opened (inline for a small
//! company, as a job for a large one) and kept until the board changes.

use crate::action::{Action, Section};
use crate::app::desk::Desk;
use crate::app::job::{Loaded, Outcome};
use crate::domain::scoring::lenient::Leniency;
use crate::service::{LeniencyReport, OpError};
use crate::tr;

use super::{ID, ScoringView, Showing};

/// How many raters the view lists: the furthest from the company first.
pub(super) const LENIENCY_ROWS: usize = 200;

/// The leniency view's report, as far as it is read.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum LeniencyShown {
    /// Not read for the board on screen.
    #[default]
    Unread,
    /// Tallied by a job now.
    Reading,
    /// Read: none when nobody rated anyone else yet.
    Read(Option<LeniencyReport>),
}

/// What the tally job hands back (told apart from a recomputed board).
struct Tallied(Option<Leniency>);

impl ScoringView {
    /// Reads the report when the leniency view is on screen and it is
    /// not read for the board shown (once the board is, when a job
    /// computes it now).
    pub(super) fn want_leniency(&mut self, desk: &mut Desk) {
        let wanted = self.showing == Showing::Leniency && self.leniency == LeniencyShown::Unread;
        if !wanted || self.computing {
            return;
        }
        let Some(board) = self.results.as_ref().map(|r| &r.board) else {
            return;
        };
        if let Some(kept) = &board.leniency {
            let report = LeniencyReport::of(kept, board, LENIENCY_ROWS);
            self.leniency = LeniencyShown::Read(Some(report));
            return;
        }
        let cycle = board.cycle.clone();
        let label = tr!("loads.leniency", cycle = cycle.name);
        // The staff stand for the sheets: a large company's are tallied by a job.
        let rows = desk.session.employee_count();
        match desk.load(ID, label, rows, move |session, _| {
            session.leniency(&cycle).map(Tallied)
        }) {
            Loaded::Now(tallied) => self.tallied(tallied),
            // The error is shown; back to the board, or it would be asked again.
            Loaded::Failed => self.showing = Showing::Board,
            Loaded::Job { started } => {
                self.leniency = if started {
                    LeniencyShown::Reading
                } else {
                    LeniencyShown::Unread
                };
            }
        }
    }

    /// Takes the tally job's `outcome`; any other outcome is handed back.
    pub(super) fn leniency_done(&mut self, outcome: Outcome, desk: &mut Desk) -> Option<Outcome> {
        let result = match outcome.downcast::<Result<Tallied, OpError>>() {
            Ok(result) => *result,
            Err(other) => return Some(other),
        };
        // A tally begun before the board changed is let go (read again).
        if self.leniency != LeniencyShown::Reading {
            return None;
        }
        self.leniency = LeniencyShown::Unread;
        match result {
            Ok(tallied) => self.tallied(tallied),
            // Cancelled or failed: back to the board (else the view
            // would ask again at once); `z` tallies again.
            Err(OpError::Cancelled) => {
                self.showing = Showing::Board;
                let key = desk.key_for(&[Section::Browse, Section::Scoring], Action::Leniency);
                desk.info(tr!("loads.leniency_cancelled", key = key));
            }
            Err(err) => {
                self.showing = Showing::Board;
                desk.error(err.to_string());
            }
        }
        None
    }

    /// Names the tally's furthest raters as the board does.
    fn tallied(&mut self, Tallied(leniency): Tallied) {
        let Some(board) = self.results.as_ref().map(|r| &r.board) else {
            self.leniency = LeniencyShown::Unread;
            return;
        };
        let report = leniency.map(|l| LeniencyReport::of(&l, board, LENIENCY_ROWS));
        self.leniency = LeniencyShown::Read(report);
    }
}
