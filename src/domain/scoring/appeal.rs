//! Appeals against a scorecard: open → investigating → upheld (the final
//! score changes, and the new score is kept with the decision) or rejected.
//! Every step is kept with who took it, when, and their comment.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::CycleId;
use crate::domain::employee::EmployeeId;
use crate::tr;

/// Identifies an appeal; ids are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AppealId(pub u64);

impl fmt::Display for AppealId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AP{}", self.0)
    }
}

/// Where an appeal is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AppealState {
    Open,
    Investigating,
    Upheld,
    Rejected,
}

impl AppealState {
    pub fn code(self) -> &'static str {
        match self {
            AppealState::Open => "open",
            AppealState::Investigating => "investigating",
            AppealState::Upheld => "upheld",
            AppealState::Rejected => "rejected",
        }
    }

    pub fn label(self) -> String {
        match self {
            AppealState::Open => tr!("scoring.appeal.open"),
            AppealState::Investigating => tr!("scoring.appeal.investigating"),
            AppealState::Upheld => tr!("scoring.appeal.upheld"),
            AppealState::Rejected => tr!("scoring.appeal.rejected"),
        }
    }

    /// Whether the appeal has been decided.
    pub fn is_decided(self) -> bool {
        matches!(self, AppealState::Upheld | AppealState::Rejected)
    }
}

/// One step of an appeal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealStep {
    pub state: AppealState,
    pub by: String,
    pub at: DateTime<Utc>,
    pub comment: String,
    /// An upheld appeal's new final score.
    pub new_score: Option<f64>,
}

/// An appeal with its steps, the first being its filing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Appeal {
    pub id: AppealId,
    pub cycle: CycleId,
    pub employee: EmployeeId,
    pub reason: String,
    pub filed: NaiveDate,
    pub steps: Vec<AppealStep>,
}

/// Why an appeal cannot move the way asked.
#[derive(Clone, Debug, PartialEq)]
pub enum AppealError {
    ReasonRequired,
    NoSuchStep {
        from: AppealState,
        to: AppealState,
    },
    /// A decision is explained.
    CommentRequired,
    /// Upholding an appeal sets the new final score (0–100).
    ScoreRequired,
    /// Only an upheld appeal sets a score: any other step takes none.
    ScoreNotTaken(AppealState),
}

impl fmt::Display for AppealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            AppealError::ReasonRequired => tr!("scoring.appeal.error.reason"),
            AppealError::NoSuchStep { from, to } => tr!(
                "scoring.appeal.error.step",
                from = from.label(),
                to = to.label()
            ),
            AppealError::CommentRequired => tr!("scoring.appeal.error.comment"),
            AppealError::ScoreRequired => tr!("scoring.appeal.error.score"),
            AppealError::ScoreNotTaken(state) => {
                tr!("scoring.appeal.error.no_score", state = state.label())
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for AppealError {}

impl Appeal {
    /// A new appeal, its filing the first step.
    pub fn file(
        cycle: CycleId,
        employee: EmployeeId,
        reason: &str,
        filed: NaiveDate,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Appeal, AppealError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppealError::ReasonRequired);
        }
        Ok(Appeal {
            id: AppealId(0),
            cycle,
            employee,
            reason: reason.to_string(),
            filed,
            steps: vec![AppealStep {
                state: AppealState::Open,
                by: by.to_string(),
                at,
                comment: reason.to_string(),
                new_score: None,
            }],
        })
    }

    pub fn state(&self) -> AppealState {
        self.steps
            .last()
            .map_or(AppealState::Open, |step| step.state)
    }

    /// The new final score of an upheld appeal.
    pub fn new_score(&self) -> Option<f64> {
        self.steps.iter().rev().find_map(|step| step.new_score)
    }

    /// Takes the next step: investigating after open; upheld (with the new
    /// score) or rejected after investigating. Decisions need a comment.
    pub fn step(&mut self, step: AppealStep) -> Result<(), AppealError> {
        let from = self.state();
        let allowed = matches!(
            (from, step.state),
            (AppealState::Open, AppealState::Investigating)
                | (AppealState::Investigating, AppealState::Upheld)
                | (AppealState::Investigating, AppealState::Rejected)
        );
        if !allowed {
            return Err(AppealError::NoSuchStep {
                from,
                to: step.state,
            });
        }
        if step.state.is_decided() && step.comment.trim().is_empty() {
            return Err(AppealError::CommentRequired);
        }
        match (step.state, step.new_score) {
            (AppealState::Upheld, Some(score)) if (0.0..=100.0).contains(&score) => {}
            (AppealState::Upheld, _) => return Err(AppealError::ScoreRequired),
            (state, Some(_)) => return Err(AppealError::ScoreNotTaken(state)),
            (_, None) => {}
        }
        self.steps.push(step);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(state: AppealState, comment: &str, new_score: Option<f64>) -> AppealStep {
        AppealStep {
            state,
            by: "hr".into(),
            at: Utc::now(),
            comment: comment.into(),
            new_score,
        }
    }

    fn filed() -> Appeal {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        Appeal::file(
            CycleId(1),
            EmployeeId(7),
            "目标被错算",
            day,
            "li",
            Utc::now(),
        )
        .unwrap()
    }

    #[test]
    fn an_appeal_is_investigated_then_decided() {
        let mut appeal = filed();
        assert_eq!(appeal.state(), AppealState::Open);
        appeal
            .step(step(AppealState::Investigating, "", None))
            .unwrap();
        appeal
            .step(step(AppealState::Upheld, "核实无误", Some(82.5)))
            .unwrap();
        assert_eq!(appeal.state(), AppealState::Upheld);
        assert_eq!(appeal.new_score(), Some(82.5));
        assert_eq!(appeal.steps.len(), 3, "every step is kept");
    }

    #[test]
    fn steps_out_of_order_or_unexplained_are_refused() {
        let mut appeal = filed();
        assert!(matches!(
            appeal.step(step(AppealState::Upheld, "x", Some(80.0))),
            Err(AppealError::NoSuchStep { .. })
        ));
        appeal
            .step(step(AppealState::Investigating, "", None))
            .unwrap();
        assert_eq!(
            appeal.step(step(AppealState::Rejected, " ", None)),
            Err(AppealError::CommentRequired)
        );
        assert_eq!(
            appeal.step(step(AppealState::Upheld, "ok", None)),
            Err(AppealError::ScoreRequired)
        );
        assert_eq!(
            appeal.step(step(AppealState::Rejected, "no", Some(90.0))),
            Err(AppealError::ScoreNotTaken(AppealState::Rejected)),
            "a rejection changes no score"
        );
        assert_eq!(
            appeal.step(step(AppealState::Rejected, "no", Some(150.0))),
            Err(AppealError::ScoreNotTaken(AppealState::Rejected)),
            "not even an impossible one"
        );
        assert_eq!(
            appeal.step(step(AppealState::Upheld, "ok", Some(150.0))),
            Err(AppealError::ScoreRequired)
        );
        appeal
            .step(step(AppealState::Rejected, "依据充分", None))
            .unwrap();
        assert!(matches!(
            appeal.step(step(AppealState::Investigating, "", None)),
            Err(AppealError::NoSuchStep { .. })
        ));
    }

    #[test]
    fn an_appeal_needs_a_reason() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            Appeal::file(CycleId(1), EmployeeId(7), "  ", day, "li", Utc::now()),
            Err(AppealError::ReasonRequired)
        );
    }
}
