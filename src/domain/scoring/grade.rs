//! Grades and the two ways a cycle speaks of them: the score bands that turn
//! a final score into a grade, and the target distribution that says what
//! share of a pool each grade should have.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::figure::Figure;

/// An appraisal grade, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    S,
    A,
    B,
    C,
    D,
}

impl Grade {
    /// Every grade, best first.
    pub const ALL: [Grade; 5] = [Grade::S, Grade::A, Grade::B, Grade::C, Grade::D];

    /// The grade's place in [`Grade::ALL`] (S is 0).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn code(self) -> &'static str {
        match self {
            Grade::S => "S",
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }
    }

    /// How many grades `self` lies below `earlier` (negative: above).
    pub fn steps_below(self, earlier: Grade) -> i32 {
        self.index() as i32 - earlier.index() as i32
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Grade {
    type Err = ();

    fn from_str(text: &str) -> Result<Grade, ()> {
        let text = text.trim();
        Grade::ALL
            .into_iter()
            .find(|g| g.code().eq_ignore_ascii_case(text))
            .ok_or(())
    }
}

/// One number per grade, best first (counts, quotas, shares …).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerGrade<T>(pub [T; 5]);

impl<T: Copy> PerGrade<T> {
    pub fn get(&self, grade: Grade) -> T {
        self.0[grade.index()]
    }

    pub fn set(&mut self, grade: Grade, value: T) {
        self.0[grade.index()] = value;
    }

    /// Grades with their numbers, best first.
    pub fn iter(&self) -> impl Iterator<Item = (Grade, T)> + '_ {
        Grade::ALL.into_iter().zip(self.0.iter().copied())
    }
}

/// How many people have each grade.
pub type GradeCounts = PerGrade<usize>;

impl GradeCounts {
    /// Counts the grades given.
    pub fn tally(grades: impl IntoIterator<Item = Grade>) -> GradeCounts {
        let mut counts = GradeCounts::default();
        for grade in grades {
            counts.0[grade.index()] += 1;
        }
        counts
    }

    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

/// The lowest final score of each grade, best first: S from `floors[0]`
/// up to 100 (the top band is closed: 100 is an S), A from `floors[1]` up
/// to S's floor, and so on; D's floor is 0, so every score 0–100 has
/// exactly one grade.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradeBands {
    pub floors: PerGrade<f64>,
}

impl Default for GradeBands {
    /// S 90, A 80, B 70, C 60, D below.
    fn default() -> Self {
        GradeBands {
            floors: PerGrade([90.0, 80.0, 70.0, 60.0, 0.0]),
        }
    }
}

/// Why a set of bands is refused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BandsError {
    /// D's floor is not 0, so low scores would have no grade.
    BottomNotZero(f64),
    /// A floor is outside 0–100.
    OutOfRange(Grade, f64),
    /// A grade's floor is not above the next grade's: its band is empty.
    NotDescending(Grade),
}

impl GradeBands {
    /// Bands cover 0–100 without gaps or empty bands.
    pub fn check(&self) -> Result<(), BandsError> {
        for (grade, floor) in self.floors.iter() {
            if !(0.0..=100.0).contains(&floor) {
                return Err(BandsError::OutOfRange(grade, floor));
            }
        }
        if self.floors.get(Grade::D) != 0.0 {
            return Err(BandsError::BottomNotZero(self.floors.get(Grade::D)));
        }
        for pair in Grade::ALL.windows(2) {
            if self.floors.get(pair[0]) <= self.floors.get(pair[1]) {
                return Err(BandsError::NotDescending(pair[0]));
            }
        }
        Ok(())
    }

    /// The grade of a final score as shown: the best grade whose floor it
    /// reaches (floors are inclusive: 60.0 is a C), compared in hundredths.
    pub fn grade(&self, score: Figure) -> Grade {
        let score = score.clamped();
        Grade::ALL
            .into_iter()
            .find(|&g| score.at_least(self.floors.get(g)))
            .unwrap_or(Grade::D)
    }
}

/// Why a target distribution is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistributionError {
    /// The shares add up to this, not 100.
    Sum(u32),
    /// This grade has no share.
    NoShare(Grade),
}

/// The share of a pool each grade should have, in whole percent, best
/// first; the shares add up to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    pub percent: PerGrade<u8>,
}

impl Distribution {
    /// The bell most firms start from: S 10, A 20, B 40, C 20, D 10.
    pub const BELL: Distribution = Distribution {
        percent: PerGrade([10, 20, 40, 20, 10]),
    };
    /// The shares add up to 100, and every grade has one: the bands give
    /// each grade, so a 0 % share would put anyone graded so over quota.
    pub fn check(&self) -> Result<(), DistributionError> {
        let sum: u32 = self.percent.0.iter().map(|&p| u32::from(p)).sum();
        if sum != 100 {
            return Err(DistributionError::Sum(sum));
        }
        match self.percent.iter().find(|&(_, share)| share == 0) {
            Some((grade, _)) => Err(DistributionError::NoShare(grade)),
            None => Ok(()),
        }
    }
}

impl Default for Distribution {
    fn default() -> Self {
        Distribution::BELL
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::figure::Precision;
    use proptest::prelude::*;

    fn grade_of(score: f64) -> Grade {
        GradeBands::default().grade(Figure::round(score, Precision::ONE))
    }

    #[test]
    fn default_bands_are_sound_and_closed_at_the_top() {
        assert_eq!(GradeBands::default().check(), Ok(()));
        assert_eq!(grade_of(100.0), Grade::S);
        assert_eq!(grade_of(90.0), Grade::S);
        assert_eq!(grade_of(89.94), Grade::A);
        assert_eq!(grade_of(0.0), Grade::D);
        assert_eq!(grade_of(-5.0), Grade::D);
    }

    #[test]
    fn the_grade_is_the_band_of_the_figure_shown() {
        assert_eq!(grade_of(89.958), Grade::S, "shown as 90.0");
        assert_eq!(grade_of(59.999_999_999_999_99), Grade::C, "60.0 is a C");
        assert_eq!(grade_of(59.94), Grade::D, "shown as 59.9");
    }

    #[test]
    fn bands_with_gaps_or_empty_grades_are_refused() {
        let mut bands = GradeBands::default();
        bands.floors.set(Grade::D, 10.0);
        assert_eq!(bands.check(), Err(BandsError::BottomNotZero(10.0)));
        let mut bands = GradeBands::default();
        bands.floors.set(Grade::A, 90.0);
        assert_eq!(bands.check(), Err(BandsError::NotDescending(Grade::S)));
        let mut bands = GradeBands::default();
        bands.floors.set(Grade::S, 101.0);
        assert_eq!(bands.check(), Err(BandsError::OutOfRange(Grade::S, 101.0)));
    }

    #[test]
    fn shipped_distributions_add_up() {
        assert_eq!(Distribution::BELL.check(), Ok(()));
        let mut odd = Distribution::BELL;
        odd.percent.set(Grade::S, 11);
        assert_eq!(odd.check(), Err(DistributionError::Sum(101)));
        let vitality = Distribution {
            percent: PerGrade([0, 20, 70, 10, 0]),
        };
        assert_eq!(
            vitality.check(),
            Err(DistributionError::NoShare(Grade::S)),
            "the bands give S and D, so each needs a share"
        );
    }

    #[test]
    fn grades_read_either_case_and_count() {
        assert_eq!("a".parse(), Ok(Grade::A));
        assert_eq!(" S ".parse(), Ok(Grade::S));
        assert!("E".parse::<Grade>().is_err());
        assert_eq!(Grade::C.steps_below(Grade::A), 2);
        let counts = GradeCounts::tally([Grade::A, Grade::B, Grade::A]);
        assert_eq!(counts.get(Grade::A), 2);
        assert_eq!(counts.total(), 3);
    }

    proptest! {
        /// Any sound bands give every score one grade, and a higher score
        /// never a worse grade.
        #[test]
        fn grades_are_monotonic(a in 0.0f64..=100.0, b in 0.0f64..=100.0) {
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(grade_of(high) <= grade_of(low));
        }

        /// The grade always equals the band of the displayed figure: read
        /// back from its text, the figure lands in the same band.
        #[test]
        fn the_grade_matches_the_displayed_figure(score in 0.0f64..=100.0, decimals in 0u8..=2) {
            let precision = Precision::new(decimals).unwrap();
            let bands = GradeBands::default();
            let figure = Figure::round(score, precision);
            let shown: f64 = figure.to_string().parse().unwrap();
            let expected = Grade::ALL
                .into_iter()
                .find(|&g| shown >= bands.floors.get(g))
                .unwrap_or(Grade::D);
            prop_assert_eq!(bands.grade(figure), expected);
        }
    }
}
