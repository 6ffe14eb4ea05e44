//! Appraisal scoring: cycles and their settings, scorecards (results R,
//! capability C from 360° ratings, final F = α·R + (1 − α)·C), grades and
//! their target distribution, calibration, appeals and what follows from a
//! grade (bonus, improvement plan, training). Pure rules, no storage.

pub mod achievement;
pub mod appeal;
pub mod board;
pub mod calibration;
pub mod config;
pub mod entry;
pub mod figure;
pub mod grade;
pub mod lenient;
pub mod outcomes;
pub mod relation;
pub mod score;
pub mod settings_text;

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::department::DepartmentId;
use super::employee::EmployeeId;
use super::goal::Period;
use crate::tr;
pub use achievement::GoalResult;
pub use config::CycleConfig;
pub use figure::{Figure, Precision};
pub use grade::{Distribution, Grade, GradeBands};
pub use relation::{Basis, EntrySource};

/// Identifies an appraisal cycle; ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CycleId(pub u64);

impl fmt::Display for CycleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "C{}", self.0)
    }
}

/// Where a cycle is: draft → open → calibrating → closed. Ratings and
/// indicators are entered while open; grades are calibrated while
/// calibrating; a closed cycle is frozen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CycleState {
    Draft,
    Open,
    Calibrating,
    Closed,
}

/// Why a cycle cannot change the way asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CycleError {
    /// The cycle is closed: nothing of it changes until an admin reopens it.
    Frozen,
    /// The step asked for does not follow from the current state.
    NoSuchStep { from: CycleState, to: CycleState },
    /// Ratings and indicators are entered while the cycle is open.
    NotOpen(CycleState),
    /// Reopening needs a reason, for the audit log.
    ReasonRequired,
}

impl fmt::Display for CycleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            CycleError::Frozen => tr!("scoring.error.frozen"),
            CycleError::NoSuchStep { from, to } => tr!(
                "scoring.error.no_such_step",
                from = from.label(),
                to = to.label()
            ),
            CycleError::NotOpen(state) => tr!("scoring.error.not_open", state = state.label()),
            CycleError::ReasonRequired => tr!("scoring.error.reason_required"),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for CycleError {}

impl CycleState {
    pub const ALL: [CycleState; 4] = [
        CycleState::Draft,
        CycleState::Open,
        CycleState::Calibrating,
        CycleState::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CycleState::Draft => "draft",
            CycleState::Open => "open",
            CycleState::Calibrating => "calibrating",
            CycleState::Closed => "closed",
        }
    }

    pub fn label(self) -> String {
        match self {
            CycleState::Draft => tr!("scoring.state.draft"),
            CycleState::Open => tr!("scoring.state.open"),
            CycleState::Calibrating => tr!("scoring.state.calibrating"),
            CycleState::Closed => tr!("scoring.state.closed"),
        }
    }

    /// The state the cycle advances to, if any.
    pub fn next(self) -> Option<CycleState> {
        match self {
            CycleState::Draft => Some(CycleState::Open),
            CycleState::Open => Some(CycleState::Calibrating),
            CycleState::Calibrating => Some(CycleState::Closed),
            CycleState::Closed => None,
        }
    }

    /// Checks a move to `to`: one step forward, or back from calibrating to
    /// open (to fix ratings). Leaving `Closed` is [`CycleState::reopen`].
    pub fn advance_to(self, to: CycleState) -> Result<CycleState, CycleError> {
        match (self, to) {
            (CycleState::Closed, _) => Err(CycleError::Frozen),
            (CycleState::Calibrating, CycleState::Open) => Ok(to),
            (from, to) if from.next() == Some(to) => Ok(to),
            (from, to) => Err(CycleError::NoSuchStep { from, to }),
        }
    }

    /// Reopens a closed cycle for calibration (an admin's act, with a reason).
    pub fn reopen(self, reason: &str) -> Result<CycleState, CycleError> {
        if reason.trim().is_empty() {
            return Err(CycleError::ReasonRequired);
        }
        match self {
            CycleState::Closed => Ok(CycleState::Calibrating),
            from => Err(CycleError::NoSuchStep {
                from,
                to: CycleState::Calibrating,
            }),
        }
    }

    /// Whether ratings and indicator values may be entered or changed.
    pub fn check_entry(self) -> Result<(), CycleError> {
        match self {
            CycleState::Open => Ok(()),
            CycleState::Closed => Err(CycleError::Frozen),
            other => Err(CycleError::NotOpen(other)),
        }
    }

    /// Whether grades may be calibrated (overrides, normalisation, appeals).
    pub fn check_calibration(self) -> Result<(), CycleError> {
        match self {
            CycleState::Closed => Err(CycleError::Frozen),
            _ => Ok(()),
        }
    }

    pub fn parse(text: &str) -> Option<CycleState> {
        let text = text.trim();
        CycleState::ALL
            .into_iter()
            .find(|s| s.code().eq_ignore_ascii_case(text))
    }
}

/// An appraisal cycle: what is appraised, over which period and people, and
/// how it is scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cycle {
    pub id: CycleId,
    /// Unique among cycles; how people and the command line name it.
    pub name: String,
    /// The goal period whose achievement is the results score.
    pub period: Period,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    /// The departments (with their sub-departments) whose people are appraised.
    pub scope: Vec<DepartmentId>,
    pub state: CycleState,
    pub config: CycleConfig,
}

/// Who gives a 360° rating, relative to the person rated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RaterGroup {
    /// The person rates themself.
    Own,
    Manager,
    Peer,
    Subordinate,
}

impl RaterGroup {
    pub const ALL: [RaterGroup; 4] = [
        RaterGroup::Own,
        RaterGroup::Manager,
        RaterGroup::Peer,
        RaterGroup::Subordinate,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn code(self) -> &'static str {
        match self {
            RaterGroup::Own => "self",
            RaterGroup::Manager => "manager",
            RaterGroup::Peer => "peer",
            RaterGroup::Subordinate => "subordinate",
        }
    }

    pub fn label(self) -> String {
        match self {
            RaterGroup::Own => tr!("scoring.group.self"),
            RaterGroup::Manager => tr!("scoring.group.manager"),
            RaterGroup::Peer => tr!("scoring.group.peer"),
            RaterGroup::Subordinate => tr!("scoring.group.subordinate"),
        }
    }

    /// Whether raters in this group must not be identifiable: peers and
    /// subordinates (one's own and one's manager's ratings are known anyway).
    pub fn is_anonymous(self) -> bool {
        matches!(self, RaterGroup::Peer | RaterGroup::Subordinate)
    }

    /// Reads the code or its Chinese name (自评, 上级, 同事, 下属).
    pub fn parse(text: &str) -> Option<RaterGroup> {
        let text = text.trim();
        let chinese = [
            ("自评", RaterGroup::Own),         // data: words read from input
            ("本人", RaterGroup::Own),         // data: words read from input
            ("上级", RaterGroup::Manager),     // data: words read from input
            ("同事", RaterGroup::Peer),        // data: words read from input
            ("同级", RaterGroup::Peer),        // data: words read from input
            ("下属", RaterGroup::Subordinate), // data: words read from input
            ("下级", RaterGroup::Subordinate), // data: words read from input
        ];
        RaterGroup::ALL
            .into_iter()
            .find(|g| g.code().eq_ignore_ascii_case(text))
            .or_else(|| chinese.iter().find(|(w, _)| *w == text).map(|(_, g)| *g))
    }
}

/// One 360° rating: one rater's mark for one competency of one person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    pub cycle: CycleId,
    pub ratee: EmployeeId,
    pub rater: EmployeeId,
    pub group: RaterGroup,
    /// The competency's code in the cycle's settings.
    pub competency: String,
    /// On the cycle's scale (1–5 unless set otherwise).
    pub value: u8,
    pub comment: String,
    pub recorded_by: String,
    /// Stored as milliseconds: a cycle's 600,000 ratings are read back
    /// without parsing dates.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub recorded_at: DateTime<Utc>,
    /// How the rater's relation to the person was accepted (set when the
    /// rating is recorded).
    pub basis: Basis,
    /// Where the rating was entered.
    pub source: EntrySource,
}

impl Rating {
    /// The rating as a score reads it, its text borrowed.
    pub fn view(&self) -> RatingView<'_> {
        RatingView {
            cycle: self.cycle,
            ratee: self.ratee,
            rater: self.rater,
            group: self.group,
            competency: &self.competency,
            value: self.value,
            comment: &self.comment,
            recorded_by: &self.recorded_by,
            recorded_at_ms: self.recorded_at.timestamp_millis(),
            basis: match &self.basis {
                Basis::Holds => BasisView::Holds,
                Basis::SkipLevel => BasisView::SkipLevel,
                Basis::AllowedPeer => BasisView::AllowedPeer,
                Basis::Override(reason) => BasisView::Override(reason),
            },
            source: self.source,
        }
    }
}

/// A rating decoded in place from the store, its text borrowed rather
/// than copied: what a whole cycle's scores are computed from. The fields
/// are those of [`Rating`], in the same order (the stored layout).
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct RatingView<'a> {
    pub cycle: CycleId,
    pub ratee: EmployeeId,
    pub rater: EmployeeId,
    pub group: RaterGroup,
    pub competency: &'a str,
    pub value: u8,
    pub comment: &'a str,
    pub recorded_by: &'a str,
    pub recorded_at_ms: i64,
    pub basis: BasisView<'a>,
    pub source: EntrySource,
}

/// [`Basis`] decoded in place (same variants, same order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum BasisView<'a> {
    Holds,
    SkipLevel,
    AllowedPeer,
    Override(&'a str),
}

/// An imported results figure (output, quality, attendance …) as an
/// achievement in percent of its target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    pub cycle: CycleId,
    pub employee: EmployeeId,
    /// The indicator's code in the cycle's settings.
    pub indicator: String,
    pub value: f64,
    pub recorded_by: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub recorded_at: DateTime<Utc>,
}

/// A calibrator's change of a grade, kept with its reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeOverride {
    pub cycle: CycleId,
    pub employee: EmployeeId,
    pub before: Grade,
    pub after: Grade,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// What was entered for one employee in one cycle: the 360° ratings of
/// them, their imported indicator values, and who HR allowed to rate them
/// as a peer in the cycle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub cycle: CycleId,
    pub employee: EmployeeId,
    pub ratings: Vec<Rating>,
    pub indicators: Vec<IndicatorValue>,
    /// Raters HR allowed as the employee's peers in this cycle, by id.
    pub allowed_peers: Vec<EmployeeId>,
}

impl Sheet {
    pub fn new(cycle: CycleId, employee: EmployeeId) -> Sheet {
        Sheet {
            cycle,
            employee,
            ratings: Vec::new(),
            indicators: Vec::new(),
            allowed_peers: Vec::new(),
        }
    }

    /// The mark `rater` gave for `competency`, if any.
    pub fn rating_by(&self, rater: EmployeeId, competency: &str) -> Option<&Rating> {
        self.ratings
            .iter()
            .find(|r| r.rater == rater && r.competency == competency)
    }

    /// Puts `rating` in, replacing the same rater's mark for the same
    /// competency; returns the mark it replaced.
    pub fn put_rating(&mut self, rating: Rating) -> Option<Rating> {
        let same = |r: &Rating| r.rater == rating.rater && r.competency == rating.competency;
        match self.ratings.iter_mut().find(|r| same(r)) {
            Some(old) => Some(std::mem::replace(old, rating)),
            None => {
                self.ratings.push(rating);
                None
            }
        }
    }

    /// Puts `value` in, replacing the indicator's earlier value; returns it.
    pub fn put_indicator(&mut self, value: IndicatorValue) -> Option<IndicatorValue> {
        match self
            .indicators
            .iter_mut()
            .find(|v| v.indicator == value.indicator)
        {
            Some(old) => Some(std::mem::replace(old, value)),
            None => {
                self.indicators.push(value);
                None
            }
        }
    }

    /// The sheet as a score reads it, its text borrowed.
    pub fn view(&self) -> SheetView<'_> {
        SheetView {
            cycle: self.cycle,
            employee: self.employee,
            ratings: self.ratings.iter().map(Rating::view).collect(),
            indicators: self
                .indicators
                .iter()
                .map(|v| IndicatorView {
                    cycle: v.cycle,
                    employee: v.employee,
                    indicator: &v.indicator,
                    value: v.value,
                    recorded_by: &v.recorded_by,
                    recorded_at_ms: v.recorded_at.timestamp_millis(),
                })
                .collect(),
            allowed_peers: self.allowed_peers.clone(),
        }
    }
}

/// An indicator value decoded in place (the fields of [`IndicatorValue`],
/// in the same order).
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct IndicatorView<'a> {
    pub cycle: CycleId,
    pub employee: EmployeeId,
    pub indicator: &'a str,
    pub value: f64,
    pub recorded_by: &'a str,
    pub recorded_at_ms: i64,
}

/// A sheet decoded in place from the store (the fields of [`Sheet`], in
/// the same order): a cycle's million sheets are scored without copying
/// a comment or a code.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SheetView<'a> {
    pub cycle: CycleId,
    pub employee: EmployeeId,
    #[serde(borrow)]
    pub ratings: Vec<RatingView<'a>>,
    #[serde(borrow)]
    pub indicators: Vec<IndicatorView<'a>>,
    pub allowed_peers: Vec<EmployeeId>,
}

impl SheetView<'_> {
    /// The indicator values as the scorecard reads them.
    pub fn indicator_values(&self) -> Vec<(&str, f64)> {
        self.indicators
            .iter()
            .map(|v| (v.indicator, v.value))
            .collect()
    }
}

/// Someone appraised in a cycle that closed, with their goal achievement
/// as it stood then. Ratings, indicators, overrides and appeals cannot
/// change in a closed cycle, so with these the scorecard reads the same
/// however goals and departments change later.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appraised {
    pub cycle: CycleId,
    pub employee: EmployeeId,
    pub goals: GoalResult,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_move_one_step_and_closed_means_frozen() {
        use CycleState::*;
        assert_eq!(Draft.advance_to(Open), Ok(Open));
        assert_eq!(Open.advance_to(Calibrating), Ok(Calibrating));
        assert_eq!(
            Calibrating.advance_to(Open),
            Ok(Open),
            "back to fix ratings"
        );
        assert_eq!(Calibrating.advance_to(Closed), Ok(Closed));
        assert_eq!(
            Draft.advance_to(Closed),
            Err(CycleError::NoSuchStep {
                from: Draft,
                to: Closed
            })
        );
        assert_eq!(Closed.advance_to(Open), Err(CycleError::Frozen));
        assert_eq!(Closed.check_entry(), Err(CycleError::Frozen));
        assert_eq!(Closed.check_calibration(), Err(CycleError::Frozen));
        assert_eq!(
            Calibrating.check_entry(),
            Err(CycleError::NotOpen(Calibrating))
        );
        assert_eq!(Open.check_entry(), Ok(()));
    }

    #[test]
    fn reopening_needs_a_closed_cycle_and_a_reason() {
        use CycleState::*;
        assert_eq!(Closed.reopen("  "), Err(CycleError::ReasonRequired));
        assert_eq!(Closed.reopen("申诉成立"), Ok(Calibrating));
        assert!(Open.reopen("why").is_err());
    }

    #[test]
    fn rater_groups_read_codes_and_chinese() {
        assert_eq!(RaterGroup::parse("Peer"), Some(RaterGroup::Peer));
        assert_eq!(RaterGroup::parse("自评"), Some(RaterGroup::Own));
        assert_eq!(RaterGroup::parse("下属"), Some(RaterGroup::Subordinate));
        assert_eq!(RaterGroup::parse("boss"), None);
        assert!(RaterGroup::Peer.is_anonymous());
        assert!(!RaterGroup::Manager.is_anonymous());
    }
}
