//! The scale a benefit or cost criterion is scored on. An absolute scale
//! is the project's own table of points (a worst and a best value, or a
//! few thresholds such as support response 72 h → 0, 24 h → 60, 4 h → 100):
//! a value scores by straight lines between the points, clamped at the
//! ends, so a vendor's score depends on its own values only. A relative
//! scale is min–max across the vendors compared: adding or removing one
//! moves the others, so it is only ever an explicit choice, marked as such
//! wherever scores are shown. Written as one piece of text: `relative`,
//! `worst..best`, or `value=score,value=score,…`.

use serde::{Deserialize, Serialize};

use super::CriterionKind;
use crate::domain::cleanup::parse_number;
use crate::tr;

/// One point of an absolute scale: a raw value and the score it gets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScalePoint {
    pub value: f64,
    /// 0–100.
    pub score: f64,
}

/// How a benefit or cost criterion turns raw values into 0–100.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Scale {
    /// The project's own points, linear between them and clamped.
    Points(Vec<ScalePoint>),
    /// Min–max across the vendors compared (rank-reversing).
    Relative,
}

/// The code of the relative scale.
const RELATIVE: &str = "relative";

/// Why a scale does not hold, for the criterion's error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScaleProblem {
    /// A benefit or cost without a scale.
    Missing,
    /// Fewer than two points, a value twice, or a number that is not one.
    Points,
    /// A score outside 0–100.
    ScoreRange,
    /// The scores do not rise with the value (benefit) or fall (cost).
    Direction,
}

impl Scale {
    /// `worst..best` for a plain two-point scale from 0 to 100, else the
    /// points as `value=score` joined by `,`; `relative` for min–max.
    pub fn code(&self) -> String {
        match self {
            Scale::Relative => RELATIVE.to_string(),
            Scale::Points(points) => match points.as_slice() {
                [worst, best] if worst.score == 0.0 && best.score == 100.0 => {
                    format!("{}..{}", worst.value, best.value)
                }
                _ => points
                    .iter()
                    .map(|p| format!("{}={}", p.value, p.score))
                    .collect::<Vec<_>>()
                    .join(","),
            },
        }
    }

    /// The scale written as `code`; `None` when it does not read.
    pub fn parse(code: &str) -> Option<Scale> {
        let code = code.trim();
        if code.eq_ignore_ascii_case(RELATIVE) {
            return Some(Scale::Relative);
        }
        if let Some((worst, best)) = code.split_once("..") {
            let point = |text: &str, score| {
                parse_number(text.trim())
                    .ok()
                    .map(|value| ScalePoint { value, score })
            };
            return Some(Scale::Points(vec![point(worst, 0.0)?, point(best, 100.0)?]));
        }
        let points = code
            .split([',', '，'])
            .map(|pair| {
                let (value, score) = pair.split_once('=')?;
                Some(ScalePoint {
                    value: parse_number(value.trim()).ok()?,
                    score: parse_number(score.trim()).ok()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Scale::Points(points))
    }

    /// Whether scores depend on the other vendors compared.
    pub fn is_relative(&self) -> bool {
        matches!(self, Scale::Relative)
    }
}

/// The points ordered by value.
fn by_value(points: &[ScalePoint]) -> Vec<ScalePoint> {
    let mut sorted = points.to_vec();
    sorted.sort_by(|a, b| a.value.total_cmp(&b.value));
    sorted
}

/// Checks a criterion of `kind`'s scale: benefits and costs have one, of at
/// least two points with distinct values and scores within 0–100, rising
/// with the value for a benefit and falling for a cost.
pub fn check(kind: CriterionKind, scale: Option<&Scale>) -> Result<(), ScaleProblem> {
    let points = match (kind, scale) {
        (CriterionKind::Benefit | CriterionKind::Cost, None) => return Err(ScaleProblem::Missing),
        (_, Some(Scale::Points(points))) => points,
        _ => return Ok(()),
    };
    let finite = points
        .iter()
        .all(|p| p.value.is_finite() && p.score.is_finite());
    let sorted = by_value(points);
    if !finite || sorted.len() < 2 || sorted.windows(2).any(|w| w[0].value == w[1].value) {
        return Err(ScaleProblem::Points);
    }
    if sorted.iter().any(|p| !(0.0..=100.0).contains(&p.score)) {
        return Err(ScaleProblem::ScoreRange);
    }
    let rising = sorted.windows(2).all(|w| w[1].score >= w[0].score);
    let falling = sorted.windows(2).all(|w| w[1].score <= w[0].score);
    let fits = match kind {
        CriterionKind::Cost => falling,
        _ => rising,
    };
    if fits {
        Ok(())
    } else {
        Err(ScaleProblem::Direction)
    }
}

impl ScaleProblem {
    /// What is wrong, for criterion `criterion`.
    pub fn explain(self, criterion: &str) -> String {
        match self {
            ScaleProblem::Missing => tr!("vendor.scale.missing", criterion = criterion),
            ScaleProblem::Points => tr!("vendor.scale.points", criterion = criterion),
            ScaleProblem::ScoreRange => tr!("vendor.scale.score_range", criterion = criterion),
            ScaleProblem::Direction => tr!("vendor.scale.direction", criterion = criterion),
        }
    }
}

/// The score of `value` on `points`: linear between the two points around
/// it, the end point's score beyond the ends.
pub fn score_on(points: &[ScalePoint], value: f64) -> f64 {
    let sorted = by_value(points);
    let (Some(first), Some(last)) = (sorted.first(), sorted.last()) else {
        return 0.0;
    };
    if value <= first.value {
        return first.score;
    }
    if value >= last.value {
        return last.score;
    }
    sorted
        .windows(2)
        .find(|w| value <= w[1].value)
        .map_or(last.score, |w| {
            let share = (value - w[0].value) / (w[1].value - w[0].value);
            w[0].score + share * (w[1].score - w[0].score)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn support() -> Vec<ScalePoint> {
        [(72.0, 0.0), (24.0, 60.0), (4.0, 100.0)]
            .map(|(value, score)| ScalePoint { value, score })
            .to_vec()
    }

    #[test]
    fn the_support_table_scores_24_hours_60() {
        let points = support();
        assert_eq!(score_on(&points, 24.0), 60.0);
        assert_eq!(score_on(&points, 4.0), 100.0);
        assert_eq!(score_on(&points, 1.0), 100.0, "clamped");
        assert_eq!(score_on(&points, 100.0), 0.0, "clamped");
        assert_eq!(score_on(&points, 48.0), 30.0);
        assert_eq!(score_on(&points, 14.0), 80.0);
        assert_eq!(
            check(CriterionKind::Cost, Some(&Scale::Points(points))),
            Ok(())
        );
    }

    #[test]
    fn scales_read_back_what_they_write() {
        for code in ["relative", "0..5", "72=0,24=60,4=100"] {
            assert_eq!(Scale::parse(code).unwrap().code(), code);
        }
        assert_eq!(
            Scale::parse(" 5 .. 0 "),
            Some(Scale::Points(vec![
                ScalePoint {
                    value: 5.0,
                    score: 0.0
                },
                ScalePoint {
                    value: 0.0,
                    score: 100.0
                }
            ]))
        );
        assert_eq!(Scale::parse("RELATIVE"), Some(Scale::Relative));
        assert_eq!(Scale::parse("fast"), None);
        assert_eq!(Scale::parse("1=a"), None);
    }

    #[test]
    fn bad_scales_are_named() {
        let points = |pairs: &[(f64, f64)]| {
            Scale::Points(
                pairs
                    .iter()
                    .map(|&(value, score)| ScalePoint { value, score })
                    .collect(),
            )
        };
        use CriterionKind::*;
        assert_eq!(check(Benefit, None), Err(ScaleProblem::Missing));
        assert_eq!(check(Rubric, None), Ok(()));
        assert_eq!(check(Benefit, Some(&Scale::Relative)), Ok(()));
        assert_eq!(
            check(Benefit, Some(&points(&[(1.0, 0.0)]))),
            Err(ScaleProblem::Points)
        );
        assert_eq!(
            check(Benefit, Some(&points(&[(1.0, 0.0), (1.0, 100.0)]))),
            Err(ScaleProblem::Points)
        );
        assert_eq!(
            check(Benefit, Some(&points(&[(0.0, 0.0), (5.0, 120.0)]))),
            Err(ScaleProblem::ScoreRange)
        );
        assert_eq!(
            check(Benefit, Some(&points(&[(5.0, 0.0), (0.0, 100.0)]))),
            Err(ScaleProblem::Direction)
        );
        assert_eq!(
            check(Cost, Some(&points(&[(0.0, 0.0), (5.0, 100.0)]))),
            Err(ScaleProblem::Direction)
        );
    }

    proptest! {
        /// A score on a checked scale is within its points' scores.
        #[test]
        fn scores_stay_within_the_points(value in -1e6f64..1e6, low in 0.0f64..50.0, high in 50.0f64..100.0) {
            let points = [ScalePoint { value: 0.0, score: low }, ScalePoint { value: 10.0, score: high }];
            let score = score_on(&points, value);
            prop_assert!((low..=high).contains(&score));
        }
    }
}
