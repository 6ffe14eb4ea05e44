//! Why something about a cycle is refused, and the checks of what is
//! entered into one: a cycle's name, dates and settings; a rating (a known
//! competency, a mark on the scale, a self-rating by the person themself);
//! an indicator value (a known imported indicator, a sensible percent).

use std::fmt;

use chrono::NaiveDate;

use super::appeal::AppealError;
use super::config::{ConfigProblem, GOALS_INDICATOR};
use super::relation::Broken;
use super::{Cycle, CycleError, IndicatorValue, RaterGroup, Rating};
use crate::domain::cleanup::control_character;
use crate::tr;

/// The most an indicator's achievement may be, in percent.
pub const MAX_ACHIEVEMENT: f64 = 1000.0;

/// The most characters a rating's comment holds.
pub const MAX_COMMENT: usize = 500;

/// Why a scoring operation is refused.
#[derive(Clone, Debug, PartialEq)]
pub enum ScoringError {
    Cycle(CycleError),
    Appeal(AppealError),
    Settings(Vec<ConfigProblem>),
    NameRequired,
    NameTaken(String),
    /// The cycle ends before it starts.
    Dates {
        starts: NaiveDate,
        ends: NaiveDate,
    },
    UnknownCycle(String),
    /// A scope department that does not exist.
    UnknownDepartment(String),
    /// The person is not appraised in this cycle (or not within reach).
    NotAppraised(String),
    UnknownCompetency(String),
    UnknownIndicator(String),
    /// Goal achievement comes from the goals, not from a spreadsheet.
    ComputedIndicator,
    MarkOutOfScale {
        mark: u8,
        low: u8,
        high: u8,
    },
    /// A self-rating is given by the person rated, and only a self-rating is.
    SelfRating,
    ValueOutOfRange(f64),
    /// An override or reopening without a reason.
    ReasonRequired,
    UnknownAppeal(String),
    UnknownRater(String),
    /// The rater does not stand to the person rated as the group says,
    /// over the cycle's period (both named: number and name).
    Relation {
        rater: String,
        ratee: String,
        group: RaterGroup,
        why: Broken,
        starts: NaiveDate,
        ends: NaiveDate,
    },
    /// A comment holding a control character, or too long (why).
    Comment(String),
    /// HR already allowed the rater as the person's peer in the cycle.
    PeerAllowed {
        rater: String,
        ratee: String,
    },
    /// HR had not allowed the rater as the person's peer in the cycle.
    PeerNotAllowed {
        rater: String,
        ratee: String,
    },
}

impl fmt::Display for ScoringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ScoringError::Cycle(err) => err.to_string(),
            ScoringError::Appeal(err) => err.to_string(),
            ScoringError::Settings(problems) => problems
                .iter()
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
            ScoringError::NameRequired => tr!("scoring.error.name_required"),
            ScoringError::NameTaken(name) => tr!("scoring.error.name_taken", name = name),
            ScoringError::Dates { starts, ends } => {
                tr!("scoring.error.dates", starts = starts, ends = ends)
            }
            ScoringError::UnknownCycle(name) => tr!("scoring.error.unknown_cycle", name = name),
            ScoringError::UnknownDepartment(name) => {
                tr!("scoring.error.unknown_department", name = name)
            }
            ScoringError::NotAppraised(who) => tr!("scoring.error.not_appraised", who = who),
            ScoringError::UnknownCompetency(code) => {
                tr!("scoring.error.unknown_competency", code = code)
            }
            ScoringError::UnknownIndicator(code) => {
                tr!("scoring.error.unknown_indicator", code = code)
            }
            ScoringError::ComputedIndicator => tr!("scoring.error.computed_indicator"),
            ScoringError::MarkOutOfScale { mark, low, high } => {
                tr!("scoring.error.mark", mark = mark, low = low, high = high)
            }
            ScoringError::SelfRating => tr!("scoring.error.self_rating"),
            ScoringError::ValueOutOfRange(value) => {
                tr!("scoring.error.value", value = value, max = MAX_ACHIEVEMENT)
            }
            ScoringError::ReasonRequired => tr!("scoring.error.reason_required"),
            ScoringError::UnknownAppeal(id) => tr!("scoring.error.unknown_appeal", id = id),
            ScoringError::UnknownRater(who) => tr!("scoring.error.unknown_rater", who = who),
            ScoringError::Relation {
                rater,
                ratee,
                group,
                why,
                starts,
                ends,
            } => tr!(
                "scoring.error.relation",
                rater = rater,
                ratee = ratee,
                group = group.label(),
                why = why.describe(),
                starts = starts,
                ends = ends
            ),
            ScoringError::Comment(why) => tr!("scoring.error.comment", why = why),
            ScoringError::PeerAllowed { rater, ratee } => {
                tr!("scoring.error.peer_allowed", rater = rater, ratee = ratee)
            }
            ScoringError::PeerNotAllowed { rater, ratee } => {
                tr!(
                    "scoring.error.peer_not_allowed",
                    rater = rater,
                    ratee = ratee
                )
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for ScoringError {}

impl From<CycleError> for ScoringError {
    fn from(err: CycleError) -> Self {
        ScoringError::Cycle(err)
    }
}

impl From<AppealError> for ScoringError {
    fn from(err: AppealError) -> Self {
        ScoringError::Appeal(err)
    }
}

/// Checks a cycle's own fields (not its uniqueness or scope): a name,
/// dates in order, sound settings.
pub fn check_cycle(cycle: &Cycle) -> Result<(), ScoringError> {
    if cycle.name.trim().is_empty() {
        return Err(ScoringError::NameRequired);
    }
    if cycle.ends < cycle.starts {
        return Err(ScoringError::Dates {
            starts: cycle.starts,
            ends: cycle.ends,
        });
    }
    let problems = cycle.config.check();
    if !problems.is_empty() {
        return Err(ScoringError::Settings(problems));
    }
    Ok(())
}

/// Checks a rating against its cycle's settings (the cycle must be open).
pub fn check_rating(cycle: &Cycle, rating: &Rating) -> Result<(), ScoringError> {
    cycle.state.check_entry()?;
    if cycle.config.competency(&rating.competency).is_none() {
        return Err(ScoringError::UnknownCompetency(rating.competency.clone()));
    }
    let (low, high) = cycle.config.scale;
    if !(low..=high).contains(&rating.value) {
        return Err(ScoringError::MarkOutOfScale {
            mark: rating.value,
            low,
            high,
        });
    }
    if (rating.group == RaterGroup::Own) != (rating.rater == rating.ratee) {
        return Err(ScoringError::SelfRating);
    }
    check_comment(&rating.comment)
}

/// Refuses a comment (already cleaned of spacing, as names are) that
/// still holds a control character, or that is longer than [`MAX_COMMENT`].
fn check_comment(comment: &str) -> Result<(), ScoringError> {
    if let Some((at, c)) = control_character(comment) {
        return Err(ScoringError::Comment(tr!(
            "staff.check.control_character",
            at = at,
            character = c.escape_unicode()
        )));
    }
    let count = comment.chars().count();
    if count > MAX_COMMENT {
        return Err(ScoringError::Comment(tr!(
            "staff.check.too_long",
            max = MAX_COMMENT,
            count = count
        )));
    }
    Ok(())
}

/// Checks an imported indicator value against its cycle (which must be open).
pub fn check_indicator(cycle: &Cycle, value: &IndicatorValue) -> Result<(), ScoringError> {
    cycle.state.check_entry()?;
    if value.indicator == GOALS_INDICATOR {
        return Err(ScoringError::ComputedIndicator);
    }
    if cycle.config.indicator(&value.indicator).is_none() {
        return Err(ScoringError::UnknownIndicator(value.indicator.clone()));
    }
    if !(0.0..=MAX_ACHIEVEMENT).contains(&value.value) {
        return Err(ScoringError::ValueOutOfRange(value.value));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::employee::EmployeeId;
    use crate::domain::goal::Period;
    use crate::domain::scoring::config::WeightedItem;
    use crate::domain::scoring::{CycleConfig, CycleId, CycleState};

    fn cycle(state: CycleState) -> Cycle {
        let config = CycleConfig {
            indicators: vec![
                WeightedItem::new(GOALS_INDICATOR, "goals", 80),
                WeightedItem::new("quality", "quality", 20),
            ],
            ..CycleConfig::default()
        };
        Cycle {
            id: CycleId(1),
            name: "2026".into(),
            period: Period::Year(2026),
            starts: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            ends: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            scope: Vec::new(),
            state,
            config,
        }
    }

    fn rating(rater: u64, group: RaterGroup, competency: &str, value: u8) -> Rating {
        Rating {
            cycle: CycleId(1),
            ratee: EmployeeId(1),
            rater: EmployeeId(rater),
            group,
            competency: competency.into(),
            value,
            comment: String::new(),
            recorded_by: "hr".into(),
            recorded_at: Utc::now(),
            basis: Default::default(),
            source: Default::default(),
        }
    }

    fn value(indicator: &str, value: f64) -> IndicatorValue {
        IndicatorValue {
            cycle: CycleId(1),
            employee: EmployeeId(1),
            indicator: indicator.into(),
            value,
            recorded_by: "hr".into(),
            recorded_at: Utc::now(),
        }
    }

    #[test]
    fn ratings_are_checked_against_the_cycle() {
        let open = cycle(CycleState::Open);
        assert_eq!(
            check_rating(&open, &rating(2, RaterGroup::Peer, "teamwork", 4)),
            Ok(())
        );
        assert_eq!(
            check_rating(&open, &rating(1, RaterGroup::Own, "teamwork", 4)),
            Ok(())
        );
        assert_eq!(
            check_rating(&open, &rating(2, RaterGroup::Peer, "charm", 4)),
            Err(ScoringError::UnknownCompetency("charm".into()))
        );
        assert_eq!(
            check_rating(&open, &rating(2, RaterGroup::Peer, "teamwork", 6)),
            Err(ScoringError::MarkOutOfScale {
                mark: 6,
                low: 1,
                high: 5
            })
        );
        assert_eq!(
            check_rating(&open, &rating(2, RaterGroup::Own, "teamwork", 4)),
            Err(ScoringError::SelfRating)
        );
        assert_eq!(
            check_rating(&open, &rating(1, RaterGroup::Manager, "teamwork", 4)),
            Err(ScoringError::SelfRating)
        );
        let closed = cycle(CycleState::Closed);
        assert_eq!(
            check_rating(&closed, &rating(2, RaterGroup::Peer, "teamwork", 4)),
            Err(ScoringError::Cycle(CycleError::Frozen))
        );
    }

    #[test]
    fn a_comment_holds_no_control_character_and_fits() {
        let open = cycle(CycleState::Open);
        let mut said = rating(2, RaterGroup::Peer, "teamwork", 4);
        said.comment = "协作好 Good".into();
        assert_eq!(check_rating(&open, &said), Ok(()));
        said.comment = "ok\u{1b}[2J".into();
        assert!(matches!(
            check_rating(&open, &said),
            Err(ScoringError::Comment(why)) if why.contains("\\u{1b}")
        ));
        said.comment = "好".repeat(MAX_COMMENT + 1);
        assert!(matches!(
            check_rating(&open, &said),
            Err(ScoringError::Comment(_))
        ));
    }

    #[test]
    fn indicators_are_checked_against_the_cycle() {
        let open = cycle(CycleState::Open);
        assert_eq!(check_indicator(&open, &value("quality", 95.0)), Ok(()));
        assert_eq!(
            check_indicator(&open, &value(GOALS_INDICATOR, 95.0)),
            Err(ScoringError::ComputedIndicator)
        );
        assert_eq!(
            check_indicator(&open, &value("output", 95.0)),
            Err(ScoringError::UnknownIndicator("output".into()))
        );
        assert_eq!(
            check_indicator(&open, &value("quality", -1.0)),
            Err(ScoringError::ValueOutOfRange(-1.0))
        );
        assert!(check_indicator(&open, &value("quality", f64::NAN)).is_err());
    }

    #[test]
    fn a_cycle_needs_a_name_ordered_dates_and_sound_settings() {
        let mut bad = cycle(CycleState::Draft);
        assert_eq!(check_cycle(&bad), Ok(()));
        bad.name = " ".into();
        assert_eq!(check_cycle(&bad), Err(ScoringError::NameRequired));
        bad.name = "x".into();
        bad.ends = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert!(matches!(check_cycle(&bad), Err(ScoringError::Dates { .. })));
        bad.ends = bad.starts;
        bad.config.results_weight = 120;
        assert!(matches!(check_cycle(&bad), Err(ScoringError::Settings(_))));
    }
}
