//! Rater leniency over a cycle and its optional correction: each rater's
//! mean and spread against everyone's (self-ratings left out: nobody is
//! compared with how people see themselves), and, when the calibrator
//! turns normalisation on, every mark moved onto the company's spread by
//! z-score before it counts.

use foldhash::HashMap;

use super::calibration::{LeniencySums, RaterLeniency, Spread, normalise};
use super::{RaterGroup, RatingView};
use crate::domain::employee::EmployeeId;

/// The company's and each rater's spread over a cycle's ratings.
#[derive(Clone, Debug, PartialEq)]
pub struct Leniency {
    pub company: Spread,
    /// Every rater, by id.
    pub raters: Vec<RaterLeniency>,
    by_rater: HashMap<EmployeeId, Spread>,
    scale: (f64, f64),
}

impl Leniency {
    /// The leniency of everyone who rated someone else; none without ratings.
    pub fn of<'a>(
        ratings: impl Iterator<Item = RatingView<'a>>,
        scale: (u8, u8),
    ) -> Option<Leniency> {
        let mut tally = LeniencyTally::default();
        ratings.for_each(|rating| tally.add(&rating));
        tally.leniency(scale)
    }

    /// The mark `rating` counts for once normalised (self-ratings as given).
    pub fn mark(&self, rating: &RatingView) -> f64 {
        let value = f64::from(rating.value);
        match self.by_rater.get(&rating.rater) {
            Some(spread) if rating.group != RaterGroup::Own => {
                normalise(value, spread, &self.company, self.scale)
            }
            _ => value,
        }
    }
}

/// What a cycle's leniency is computed from, gathered a rating at a time
/// (self-ratings left out).
#[derive(Debug, Default)]
pub struct LeniencyTally(LeniencySums);

impl LeniencyTally {
    pub fn add(&mut self, rating: &RatingView) {
        if rating.group != RaterGroup::Own {
            self.0.add(rating.rater, f64::from(rating.value));
        }
    }

    /// The leniency of the ratings added, on a `scale` of (lowest,
    /// highest); none without ratings.
    pub fn leniency(self, scale: (u8, u8)) -> Option<Leniency> {
        let (company, raters) = self.0.leniency()?;
        let by_rater = raters.iter().map(|r| (r.rater, r.spread)).collect();
        Some(Leniency {
            company,
            raters,
            by_rater,
            scale: (f64::from(scale.0), f64::from(scale.1)),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::scoring::{CycleId, Rating};

    fn rating(rater: u64, group: RaterGroup, value: u8) -> Rating {
        Rating {
            cycle: CycleId(1),
            ratee: EmployeeId(100 + u64::from(value)),
            rater: EmployeeId(rater),
            group,
            competency: "teamwork".into(),
            value,
            comment: String::new(),
            recorded_by: "hr".into(),
            recorded_at: Utc::now(),
            basis: Default::default(),
            source: Default::default(),
        }
    }

    #[test]
    fn a_lenient_rater_is_brought_down_and_self_ratings_stay() {
        let ratings = [
            rating(1, RaterGroup::Manager, 5),
            rating(1, RaterGroup::Manager, 5),
            rating(2, RaterGroup::Manager, 2),
            rating(2, RaterGroup::Manager, 4),
            rating(7, RaterGroup::Own, 5),
        ];
        let leniency = Leniency::of(ratings.iter().map(Rating::view), (1, 5)).unwrap();
        assert_eq!(leniency.raters.len(), 2, "self-ratings are not compared");
        assert!(leniency.raters[0].z > 0.0, "rater 1 is lenient");
        assert!(leniency.mark(&ratings[0].view()) < 5.0);
        assert_eq!(leniency.mark(&ratings[4].view()), 5.0);
        assert!(Leniency::of(std::iter::empty(), (1, 5)).is_none());
    }
}
