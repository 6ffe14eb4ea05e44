//! Criterion weights from pairwise comparisons (the analytic hierarchy
//! process): the evaluators say how much more important each criterion is
//! than each other on Saaty's 1–9 scale; the weights are the matrix's
//! principal eigenvector, and the consistency ratio tells whether the
//! comparisons hang together (above 0.10 they are refused).

use std::fmt;

use crate::tr;

/// The highest consistency ratio accepted.
pub const MAX_CR: f64 = 0.10;

/// How far an entry may stray from the scale or from its reciprocal.
const TOLERANCE: f64 = 1e-6;

/// Saaty's random index by matrix size (index 0 unused); sizes beyond the
/// table are refused.
const RANDOM_INDEX: [f64; 11] = [
    0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
];

/// The largest matrix the random-index table covers.
pub const MAX_SIZE: usize = RANDOM_INDEX.len() - 1;

/// Saaty's random consistency index for `n` criteria (0 for 1 or 2, or
/// beyond the table).
pub fn random_index(n: usize) -> f64 {
    RANDOM_INDEX.get(n).copied().unwrap_or(0.0)
}

/// Weights derived from a pairwise matrix, with its consistency.
#[derive(Clone, Debug, PartialEq)]
pub struct AhpWeights {
    /// Percent, in the matrix's order, adding up to 100.
    pub weights: Vec<f64>,
    /// The principal eigenvalue.
    pub lambda_max: f64,
    /// Consistency index: (λmax − n) / (n − 1).
    pub ci: f64,
    /// The random index for n.
    pub ri: f64,
    /// Consistency ratio: CI / RI (0 when RI is 0).
    pub cr: f64,
}

/// Why a pairwise matrix gives no weights.
#[derive(Clone, Debug, PartialEq)]
pub enum AhpError {
    /// No criteria.
    Empty,
    /// More criteria than the random-index table covers.
    TooMany { n: usize },
    /// A row's length differs from the number of rows (rows from 1).
    NotSquare { row: usize },
    /// A diagonal entry is not 1 (from 1).
    Diagonal { index: usize },
    /// An entry is not on Saaty's scale (1/9 … 1/2, 1 … 9).
    OffScale { row: usize, col: usize, value: f64 },
    /// An entry is not the reciprocal of its mirror.
    NotReciprocal { row: usize, col: usize },
    /// The comparisons are too inconsistent.
    Inconsistent { cr: f64 },
}

impl fmt::Display for AhpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match *self {
            AhpError::Empty => tr!("vendor.ahp.empty"),
            AhpError::TooMany { n } => tr!("vendor.ahp.too_many", n = n, max = MAX_SIZE),
            AhpError::NotSquare { row } => tr!("vendor.ahp.not_square", row = row),
            AhpError::Diagonal { index } => tr!("vendor.ahp.diagonal", index = index),
            AhpError::OffScale { row, col, value } => {
                tr!("vendor.ahp.off_scale", row = row, col = col, value = value)
            }
            AhpError::NotReciprocal { row, col } => {
                tr!("vendor.ahp.not_reciprocal", row = row, col = col)
            }
            AhpError::Inconsistent { cr } => {
                tr!(
                    "vendor.ahp.inconsistent",
                    cr = format!("{cr:.3}"),
                    max = MAX_CR
                )
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for AhpError {}

/// Whether `value` is on Saaty's scale: 1 … 9 or 1/2 … 1/9.
pub fn on_scale(value: f64) -> bool {
    (1..=9).any(|k| {
        let k = f64::from(k);
        (value - k).abs() < TOLERANCE || (value - 1.0 / k).abs() < TOLERANCE
    })
}

/// Checks that `matrix` is a square reciprocal matrix on Saaty's scale.
pub fn check_matrix(matrix: &[Vec<f64>]) -> Result<(), AhpError> {
    let n = matrix.len();
    if n == 0 {
        return Err(AhpError::Empty);
    }
    if n > MAX_SIZE {
        return Err(AhpError::TooMany { n });
    }
    if let Some(i) = matrix.iter().position(|row| row.len() != n) {
        return Err(AhpError::NotSquare { row: i + 1 });
    }
    for (i, row) in matrix.iter().enumerate() {
        if (row[i] - 1.0).abs() > TOLERANCE {
            return Err(AhpError::Diagonal { index: i + 1 });
        }
        for (j, &value) in row.iter().enumerate() {
            if !on_scale(value) {
                return Err(AhpError::OffScale {
                    row: i + 1,
                    col: j + 1,
                    value,
                });
            }
            if (value * matrix[j][i] - 1.0).abs() > TOLERANCE {
                return Err(AhpError::NotReciprocal {
                    row: i + 1,
                    col: j + 1,
                });
            }
        }
    }
    Ok(())
}

/// `matrix × v`.
fn times(matrix: &[Vec<f64>], v: &[f64]) -> Vec<f64> {
    matrix
        .iter()
        .map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum())
        .collect()
}

/// `v` scaled to add up to 1.
fn unit_sum(v: Vec<f64>) -> Vec<f64> {
    let sum: f64 = v.iter().sum();
    v.into_iter().map(|x| x / sum).collect()
}

/// The principal eigenvector (adding up to 1) and eigenvalue of a positive
/// square matrix, by power iteration from equal weights.
pub fn principal(matrix: &[Vec<f64>]) -> (Vec<f64>, f64) {
    let n = matrix.len();
    let mut w = vec![1.0 / n as f64; n];
    for _ in 0..1_000 {
        let next = unit_sum(times(matrix, &w));
        let change = next
            .iter()
            .zip(&w)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        w = next;
        if change < 1e-13 {
            break;
        }
    }
    let aw = times(matrix, &w);
    let lambda = aw.iter().zip(&w).map(|(a, b)| a / b).sum::<f64>() / n as f64;
    (w, lambda)
}

/// The weights and consistency of a checked matrix, whatever the ratio.
pub fn analyse(matrix: &[Vec<f64>]) -> Result<AhpWeights, AhpError> {
    check_matrix(matrix)?;
    let n = matrix.len();
    let (w, lambda_max) = principal(matrix);
    let ci = if n > 1 {
        ((lambda_max - n as f64) / (n as f64 - 1.0)).max(0.0)
    } else {
        0.0
    };
    let ri = random_index(n);
    let cr = if ri > 0.0 { ci / ri } else { 0.0 };
    Ok(AhpWeights {
        weights: w.into_iter().map(|x| x * 100.0).collect(),
        lambda_max,
        ci,
        ri,
        cr,
    })
}

/// The weights of a checked matrix, refused when its consistency ratio is
/// above [`MAX_CR`].
pub fn weights(matrix: &[Vec<f64>]) -> Result<AhpWeights, AhpError> {
    let found = analyse(matrix)?;
    if found.cr > MAX_CR {
        return Err(AhpError::Inconsistent { cr: found.cr });
    }
    Ok(found)
}

/// Percent weights in hundredths of a percent that add up to exactly
/// 10,000 (100 %): each rounded down, then the hundredths left over go to
/// the largest remainders (the earlier first on a tie).
pub fn hundredths(weights: &[f64]) -> Vec<i64> {
    let scaled: Vec<f64> = weights.iter().map(|w| (w * 100.0).max(0.0)).collect();
    let mut whole: Vec<i64> = scaled.iter().map(|w| w.floor() as i64).collect();
    let left = 10_000 - whole.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..scaled.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (scaled[a] - scaled[a].floor(), scaled[b] - scaled[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &at in order
        .iter()
        .cycle()
        .take(usize::try_from(left.max(0)).unwrap_or(0))
    {
        whole[at] += 1;
    }
    whole
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The matrix of ratios `w_i / w_j`: perfectly consistent.
    fn consistent(w: &[f64]) -> Vec<Vec<f64>> {
        w.iter()
            .map(|a| w.iter().map(|b| a / b).collect())
            .collect()
    }

    #[test]
    fn hundredths_add_up_to_a_hundred_percent() {
        assert_eq!(hundredths(&[100.0 / 3.0; 3]), vec![3334, 3333, 3333]);
        assert_eq!(hundredths(&[50.0, 50.0]), vec![5000, 5000]);
        assert_eq!(hundredths(&[62.5, 25.0, 12.5]), vec![6250, 2500, 1250]);
    }

    proptest! {
        #[test]
        fn rounded_weights_keep_their_sum(raw in proptest::collection::vec(0.01f64..10.0, 1..10)) {
            let total: f64 = raw.iter().sum();
            let weights: Vec<f64> = raw.iter().map(|w| w / total * 100.0).collect();
            let rounded = hundredths(&weights);
            prop_assert_eq!(rounded.iter().sum::<i64>(), 10_000);
            for (r, w) in rounded.iter().zip(&weights) {
                prop_assert!((*r as f64 - w * 100.0).abs() <= 1.0 + 1e-6);
            }
        }
    }

    fn close(a: f64, b: f64, within: f64) -> bool {
        (a - b).abs() <= within
    }

    #[test]
    fn a_textbook_matrix_gives_its_known_weights_and_ratio() {
        // Saaty's classic 3×3: weights 63.7 / 25.8 / 10.5 %, λmax 3.0385,
        // CI 0.0193, CR 0.0193 / 0.58 = 0.033: accepted.
        let m = vec![
            vec![1.0, 3.0, 5.0],
            vec![1.0 / 3.0, 1.0, 3.0],
            vec![1.0 / 5.0, 1.0 / 3.0, 1.0],
        ];
        let found = weights(&m).unwrap();
        let expected = [63.70, 25.83, 10.47];
        for (w, e) in found.weights.iter().zip(expected) {
            assert!(close(*w, e, 0.01), "{w} vs {e}");
        }
        assert!(close(found.lambda_max, 3.0385, 1e-4));
        assert!(close(found.ci, 0.0193, 1e-4));
        assert!(close(found.cr, 0.0332, 1e-4));
    }

    #[test]
    fn a_four_by_four_textbook_matrix_is_accepted() {
        // λmax 4.117, CI 0.039, CR 0.039 / 0.90 = 0.043.
        let m = vec![
            vec![1.0, 5.0, 3.0, 7.0],
            vec![1.0 / 5.0, 1.0, 1.0 / 3.0, 3.0],
            vec![1.0 / 3.0, 3.0, 1.0, 5.0],
            vec![1.0 / 7.0, 1.0 / 3.0, 1.0 / 5.0, 1.0],
        ];
        let found = weights(&m).unwrap();
        assert!(close(found.lambda_max, 4.117, 1e-3));
        assert!(close(found.cr, 0.0433, 1e-3));
        assert!(close(found.weights[0], 56.50, 0.01));
    }

    #[test]
    fn circular_preferences_are_refused_with_their_ratio() {
        // A ≫ B, B ≫ C, C ≫ A: λmax 10.11, CI 3.556, CR 6.13.
        let m = vec![
            vec![1.0, 9.0, 1.0 / 9.0],
            vec![1.0 / 9.0, 1.0, 9.0],
            vec![9.0, 1.0 / 9.0, 1.0],
        ];
        let Err(AhpError::Inconsistent { cr }) = weights(&m) else {
            panic!("accepted")
        };
        assert!(close(cr, 6.130, 1e-3));
        crate::i18n::set_lang(crate::i18n::Lang::En);
        assert!(AhpError::Inconsistent { cr }.to_string().contains("6.130"));
        assert!(
            analyse(&m).is_ok(),
            "analyse shows the ratio without refusing"
        );
    }

    #[test]
    fn malformed_matrices_are_named() {
        assert_eq!(weights(&[]), Err(AhpError::Empty));
        assert_eq!(
            weights(&vec![vec![1.0; 11]; 11]),
            Err(AhpError::TooMany { n: 11 })
        );
        assert_eq!(
            weights(&[vec![1.0, 2.0], vec![0.5]]),
            Err(AhpError::NotSquare { row: 2 })
        );
        assert_eq!(
            weights(&[vec![2.0, 2.0], vec![0.5, 1.0]]),
            Err(AhpError::Diagonal { index: 1 })
        );
        assert_eq!(
            weights(&[vec![1.0, 2.5], vec![0.4, 1.0]]),
            Err(AhpError::OffScale {
                row: 1,
                col: 2,
                value: 2.5
            })
        );
        assert_eq!(
            weights(&[vec![1.0, 2.0], vec![2.0, 1.0]]),
            Err(AhpError::NotReciprocal { row: 1, col: 2 })
        );
    }

    #[test]
    fn one_or_two_criteria_are_always_consistent() {
        assert_eq!(weights(&[vec![1.0]]).unwrap().weights, vec![100.0]);
        let two = weights(&[vec![1.0, 3.0], vec![1.0 / 3.0, 1.0]]).unwrap();
        assert!(close(two.weights[0], 75.0, 1e-9));
        assert_eq!(two.cr, 0.0);
    }

    proptest! {
        /// Any positive weights come back from their ratio matrix, with λmax = n.
        #[test]
        fn a_consistent_matrix_gives_back_its_weights(
            w in proptest::collection::vec(0.1f64..10.0, 1..=10)
        ) {
            let (found, lambda) = principal(&consistent(&w));
            let sum: f64 = w.iter().sum();
            for (f, x) in found.iter().zip(&w) {
                prop_assert!(close(*f, x / sum, 1e-9));
            }
            prop_assert!(close(lambda, w.len() as f64, 1e-9));
        }

        /// Ratios on the scale (powers of 2 up to 8) pass the checks with CR ≈ 0
        /// and weights that add up to 100.
        #[test]
        fn consistent_judgements_on_the_scale_are_accepted(
            powers in proptest::collection::vec(0i32..=3, 1..=10)
        ) {
            let w: Vec<f64> = powers.iter().map(|&p| 2f64.powi(p)).collect();
            let found = weights(&consistent(&w)).unwrap();
            prop_assert!(found.cr.abs() < 1e-9);
            prop_assert!(close(found.weights.iter().sum::<f64>(), 100.0, 1e-9));
            let sum: f64 = w.iter().sum();
            for (f, x) in found.weights.iter().zip(&w) {
                prop_assert!(close(*f, x / sum * 100.0, 1e-7));
            }
        }
    }
}
