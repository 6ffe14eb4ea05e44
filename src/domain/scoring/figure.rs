//! A score as it is shown, exported and graded: rounded once, half-up, in
//! decimal, to the cycle's precision (one decimal unless set). Figures are
//! whole numbers of hundredths, so the final score of rounded R and C is
//! exact integer arithmetic, and a grade or a threshold is decided by
//! comparing integers, never floats.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How many decimals a cycle's scores carry (0, 1 or 2). Stored and
/// written as that number; held as one of three values, so that a figure
/// that may be absent takes no more room than one that is there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Precision(Decimals);

/// The decimals a precision may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
enum Decimals {
    Zero = 0,
    One = 1,
    Two = 2,
}

impl Precision {
    /// The most decimals a score may carry.
    pub const MAX: u8 = 2;
    /// One decimal, as most appraisal forms print scores.
    pub const ONE: Precision = Precision(Decimals::One);

    /// `decimals` when it is 0–2.
    pub fn new(decimals: u8) -> Option<Precision> {
        let decimals = match decimals {
            0 => Decimals::Zero,
            1 => Decimals::One,
            2 => Decimals::Two,
            _ => return None,
        };
        Some(Precision(decimals))
    }

    pub fn decimals(self) -> u8 {
        self.0 as u8
    }

    /// Hundredths per step of this precision (100, 10 or 1).
    fn step(self) -> i64 {
        10_i64.pow(u32::from(Self::MAX - self.decimals()))
    }
}

impl TryFrom<u8> for Precision {
    type Error = String;

    fn try_from(decimals: u8) -> Result<Precision, String> {
        Precision::new(decimals).ok_or_else(|| format!("{decimals} decimals (0 to 2 are kept)"))
    }
}

impl From<Precision> for u8 {
    fn from(precision: Precision) -> u8 {
        precision.decimals()
    }
}

impl Default for Precision {
    fn default() -> Self {
        Precision::ONE
    }
}

/// A score rounded to a precision: whole hundredths, a multiple of the
/// precision's step. Kept in 32 bits (eight bytes with the precision, and
/// as many when it may be absent: a board of a million scorecards holds
/// four per row), figured in 64.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Figure {
    hundredths: i32,
    precision: Precision,
}

/// The most hundredths a figure holds either way, whole points (about
/// ±21 million: more than any score; a sum of nonsense stops there
/// instead of wrapping).
const MOST_HUNDREDTHS: i64 = i32::MAX as i64 / 100 * 100;

/// Float noise below this many hundredths is dropped before rounding, so
/// that a sum like 82.5·0.7 + 7.5 (59.99999999999999) is read as the 60
/// it is in decimal.
const NOISE: f64 = 1e-6;

impl Figure {
    /// `value` rounded half-up to `precision` (NaN reads as 0).
    pub fn round(value: f64, precision: Precision) -> Figure {
        let value = if value.is_nan() { 0.0 } else { value };
        let steps = value * 100.0 / precision.step() as f64;
        let steps = (steps / NOISE).round() * NOISE;
        Figure::of_steps((steps + 0.5).floor() as i64, precision)
    }

    /// The weighted sum `weight`% of `a` plus the rest of `b`, in exact
    /// integer arithmetic, rounded half-up once to `precision`.
    pub fn weighted(weight: u8, a: Figure, b: Figure, precision: Precision) -> Figure {
        let weight = i64::from(weight.min(100));
        let scaled = weight * i64::from(a.hundredths) + (100 - weight) * i64::from(b.hundredths);
        let divisor = 100 * precision.step();
        Figure::of_steps((scaled + divisor / 2).div_euclid(divisor), precision)
    }

    fn of_steps(steps: i64, precision: Precision) -> Figure {
        let most = MOST_HUNDREDTHS / precision.step();
        let hundredths = steps.clamp(-most, most) * precision.step();
        Figure {
            hundredths: i32::try_from(hundredths).unwrap_or_default(),
            precision,
        }
    }

    /// The figure as a number (for charts and sums, never for a decision).
    pub fn value(self) -> f64 {
        f64::from(self.hundredths) / 100.0
    }

    /// Whether the figure is at least `bound` (a band's floor, a
    /// threshold), comparing hundredths.
    pub fn at_least(self, bound: f64) -> bool {
        i64::from(self.hundredths) >= (bound * 100.0).round() as i64
    }

    /// The figure moved into 0–100.
    pub fn clamped(self) -> Figure {
        Figure {
            hundredths: self.hundredths.clamp(0, 10_000),
            ..self
        }
    }

    pub fn precision(self) -> Precision {
        self.precision
    }

    /// How far this figure lies below `other`, in points.
    pub fn fall_from(self, other: Figure) -> f64 {
        (f64::from(other.hundredths) - f64::from(self.hundredths)) / 100.0
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.hundredths < 0 { "-" } else { "" };
        let magnitude = self.hundredths.unsigned_abs();
        let whole = magnitude / 100;
        match self.precision.decimals() {
            0 => write!(f, "{sign}{whole}"),
            1 => write!(f, "{sign}{whole}.{}", magnitude % 100 / 10),
            _ => write!(f, "{sign}{whole}.{:02}", magnitude % 100),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn one(value: f64) -> Figure {
        Figure::round(value, Precision::ONE)
    }

    #[test]
    fn a_precision_is_kept_as_its_number_and_a_figure_that_may_be_absent_in_eight_bytes() {
        let two = Precision::new(2).expect("2 decimals");
        assert_eq!(serde_json::to_string(&two).expect("json"), "2");
        let standard = bincode::config::standard();
        let bytes = bincode::serde::encode_to_vec(two, standard).expect("bytes");
        assert_eq!(bytes, [2], "as the number, as stored before");
        let (read, _): (Precision, usize) =
            bincode::serde::decode_from_slice(&[0], standard).expect("0 decimals");
        assert_eq!(read.decimals(), 0);
        let refused = serde_json::from_str::<Precision>("3").expect_err("3 decimals");
        assert!(refused.to_string().contains("0 to 2"), "{refused}");
        assert_eq!(std::mem::size_of::<Option<Figure>>(), 8);
    }

    #[test]
    fn rounding_is_half_up_in_decimal() {
        assert_eq!(one(89.958).to_string(), "90.0");
        assert_eq!(one(90.25).to_string(), "90.3");
        assert_eq!(one(90.249_999).to_string(), "90.2");
        assert_eq!(one(0.7 * 82.5 + 7.5).to_string(), "65.3");
        assert_eq!(one(59.999_999_999_999_99).to_string(), "60.0");
        assert_eq!(one(0.15).to_string(), "0.2", "0.15 is 0.1499… in binary");
        assert_eq!(
            Figure::round(72.345, Precision::new(2).expect("2 decimals")).to_string(),
            "72.35"
        );
        assert_eq!(
            Figure::round(72.5, Precision::new(0).expect("0 decimals")).to_string(),
            "73"
        );
    }

    #[test]
    fn the_final_score_of_shown_figures_is_exact() {
        // 0.7 × 66.1 + 0.3 × 35.3 = 46.27 + 10.59 = 56.86 → 56.9
        let f = Figure::weighted(70, one(66.1), one(35.3), Precision::ONE);
        assert_eq!(f.to_string(), "56.9");
        // R 82.5 at 70 % and C 25.0 at 30 %: 57.75 + 7.5 = 65.25 → 65.3
        let f = Figure::weighted(70, one(82.5), one(25.0), Precision::ONE);
        assert_eq!(f.to_string(), "65.3");
        let f = Figure::weighted(80, one(50.0), one(100.0), Precision::ONE);
        assert_eq!(f, one(60.0));
        assert!(f.at_least(60.0), "60.0 is on the band's floor");
    }

    #[test]
    fn precision_is_zero_to_two_decimals() {
        assert_eq!(Precision::new(3), None);
        assert_eq!(Precision::new(0).map(Precision::decimals), Some(0));
        assert_eq!(one(-0.04).to_string(), "0.0");
        assert_eq!(one(-1.25).to_string(), "-1.2");
    }

    #[test]
    fn a_figure_is_small_and_nonsense_saturates_instead_of_wrapping() {
        assert_eq!(std::mem::size_of::<Figure>(), 8);
        let huge = Figure::round(1e15, Precision::ONE);
        let tiny = Figure::round(-1e15, Precision::ONE);
        assert!(huge.at_least(20_000_000.0) && !tiny.at_least(-20_000_000.0));
        assert_eq!(huge.to_string(), "21474836.0");
        assert_eq!(tiny.to_string(), "-21474836.0");
        assert_eq!(Figure::round(f64::INFINITY, Precision::ONE), huge);
    }

    proptest! {
        /// Rounding moves a score by at most half a step, and a figure
        /// rounds to itself.
        #[test]
        fn rounding_is_close_and_stable(value in 0.0f64..=100.0, decimals in 0u8..=2) {
            let precision = Precision::new(decimals).expect("0 to 2");
            let figure = Figure::round(value, precision);
            let half = 0.5 * precision.step() as f64 / 100.0;
            prop_assert!((figure.value() - value).abs() <= half + 1e-9);
            prop_assert_eq!(Figure::round(figure.value(), precision), figure);
        }
    }
}
