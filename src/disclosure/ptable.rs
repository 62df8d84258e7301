//! The perturbation table (ptable) of the cell-key method: for a true count and a cell key in [0, 1), the
//! count that is published.
//!
//! For each true count n the table holds a probability distribution over published values j, and the cell
//! key picks one by where it falls in the cumulative distribution (values ascending). The same cell (the
//! same units, so the same key) always gets the same value; two cells that differ by a few people get
//! independent-looking noise, so subtracting two outputs gives a noisy difference.
//!
//! The distributions, with D the maximum noise and V the variance:
//! - n = 0 stays 0 (nobody can be singled out of an empty cell).
//! - n = 1–4 is published as 0 or 5, with probability n / 5 for 5: unbiased, and never 1–4. Which of the
//!   two is decided by the cell's smallest record key u: 5 when u < t(n) = 1 − (1 − n/5)^(1/n), which has
//!   probability n/5 for n independent uniform keys. The smallest key only falls as people join and t(n)
//!   grows with n, so along a chain of nested cohorts the published value of a small cell changes at most
//!   once (0 to 5): nothing to count joiners by. Where the smallest key is not known (see `Tally`), the
//!   cell key picks from the row below, as for larger counts.
//! - n ≥ 5 moves by at most m = min(D, n − 5), so nothing falls below 5: j = n + d for d in −m..=m, with
//!   weights exp(−λ d²). That is the maximum-entropy distribution with mean n and a given variance (the
//!   construction of the sdcTools `ptable` package); λ is chosen so that the variance is V where the whole
//!   range ±D is open. The weights are symmetric, so every row is unbiased.

use crate::error::{FinsamError, Result};
use finsam_plugin::Tally;

/// Counts below this are never published (1–4 go to 0 or 5).
pub const SMALLEST_PUBLISHED: u64 = 5;

#[derive(Debug, Clone, Copy, PartialEq)]
/// A perturbation table: maximum noise D and variance V (see the module's doc for the rows).
pub struct Ptable {
    max_noise: u32,
    variance: f64,
    /// The weight exponent that gives `variance` over the full range ±`max_noise`.
    lambda: f64,
}

impl Default for Ptable {
    fn default() -> Ptable {
        Ptable::new(Ptable::DEFAULT_MAX_NOISE, Ptable::DEFAULT_VARIANCE).expect("the default parameters are valid")
    }
}

impl Ptable {
    /// D = 2: a published count of at least 7 is within ±2 of the truth.
    pub const DEFAULT_MAX_NOISE: u32 = 2;
    /// V = 1: the noise's variance (standard deviation 1) where the whole range ±D is open.
    pub const DEFAULT_VARIANCE: f64 = 1.0;
    /// The largest D offered: beyond it the published figures stop being useful for counts of tens.
    pub const MAX_MAX_NOISE: u32 = 5;

    /// A table with maximum noise D (1–5) and variance V (above 0, at most D(D + 1)/3, the variance of
    /// noise spread evenly over −D..=D).
    pub fn new(max_noise: u32, variance: f64) -> Result<Ptable> {
        if !(1..=Self::MAX_MAX_NOISE).contains(&max_noise) {
            return Err(FinsamError::invalid(format!(
                "the perturbation's maximum noise D = {max_noise} is out of range: expected a whole number from 1 to {}",
                Self::MAX_MAX_NOISE
            )));
        }
        let uniform = f64::from(max_noise * (max_noise + 1)) / 3.0;
        if !(variance > 0.0 && variance <= uniform + 1e-12) {
            return Err(FinsamError::invalid(format!(
                "the perturbation's variance V = {variance} is out of range: with D = {max_noise} it must be above 0 and at most {uniform:.3}"
            )));
        }
        Ok(Ptable { max_noise, variance, lambda: solve_lambda(max_noise, variance) })
    }

    /// D, the largest change of a count of 5 or more.
    pub fn max_noise(&self) -> u32 {
        self.max_noise
    }

    /// V, the noise's variance where the whole range ±D is open.
    pub fn variance(&self) -> f64 {
        self.variance
    }

    /// The published values for a true count and their probabilities, values ascending.
    pub fn row(&self, n: u64) -> Vec<(u64, f64)> {
        match n {
            0 => vec![(0, 1.0)],
            1..=4 => {
                let up = n as f64 / SMALLEST_PUBLISHED as f64;
                vec![(0, 1.0 - up), (SMALLEST_PUBLISHED, up)]
            }
            _ => {
                let m = i64::from(self.max_noise).min((n - SMALLEST_PUBLISHED) as i64);
                let weights: Vec<f64> = (-m..=m).map(|d| (-self.lambda * (d * d) as f64).exp()).collect();
                let total: f64 = weights.iter().sum();
                (-m..=m).zip(weights).map(|(d, w)| ((n as i64 + d) as u64, w / total)).collect()
            }
        }
    }

    /// The published value of a counted cell (the rule in the module's doc).
    pub fn publish(&self, t: Tally) -> u64 {
        match (t.n, t.min) {
            (1..=4, Some(smallest)) => {
                let u = f64::from(smallest) / 4_294_967_296.0;
                if u < small_count_threshold(t.n) {
                    SMALLEST_PUBLISHED
                } else {
                    0
                }
            }
            _ => self.perturb(t.n, t.key),
        }
    }

    /// The published value of a cell by its cell key alone: its true count and its key (the sum of its
    /// record keys, as a fraction of 2³²).
    pub fn perturb(&self, n: u64, key: u32) -> u64 {
        let u = f64::from(key) / 4_294_967_296.0;
        let row = self.row(n);
        let mut cumulative = 0.0;
        for &(value, p) in &row {
            cumulative += p;
            if u < cumulative {
                return value;
            }
        }
        // Rounding can leave the last cumulative a hair below 1.
        row.last().map_or(n, |&(value, _)| value)
    }

    /// Every true count that can be published as `published`, for audits and attack tests: a reader who
    /// knows this table learns no more than this set from one published value.
    pub fn possible_true_counts(&self, published: u64) -> Vec<u64> {
        let d = u64::from(self.max_noise);
        let highest = published.max(SMALLEST_PUBLISHED) + d;
        (0..=highest).filter(|&n| self.row(n).iter().any(|&(v, p)| v == published && p > 0.0)).collect()
    }
}

/// t(n) with P(min of n uniform keys < t(n)) = 1 − (1 − t)^n = n/5: a small count published as 5 with
/// probability n/5, its expectation.
fn small_count_threshold(n: u64) -> f64 {
    let n = n as f64;
    1.0 - (1.0 - n / SMALLEST_PUBLISHED as f64).powf(1.0 / n)
}

/// The variance of the noise d in −D..=D with weights exp(−λ d²).
fn variance_at(max_noise: u32, lambda: f64) -> f64 {
    let d = i64::from(max_noise);
    let (mut weight, mut moment) = (0.0, 0.0);
    for x in -d..=d {
        let w = (-lambda * (x * x) as f64).exp();
        weight += w;
        moment += w * (x * x) as f64;
    }
    moment / weight
}

/// λ ≥ 0 with `variance_at(D, λ) = V` (the variance falls as λ grows), by bisection.
fn solve_lambda(max_noise: u32, variance: f64) -> f64 {
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    while variance_at(max_noise, high) > variance {
        high *= 2.0;
        if high > 1e6 {
            return high;
        }
    }
    for _ in 0..200 {
        let mid = (low + high) / 2.0;
        if variance_at(max_noise, mid) > variance {
            low = mid;
        } else {
            high = mid;
        }
    }
    (low + high) / 2.0
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn mean_and_variance(row: &[(u64, f64)], n: u64) -> (f64, f64) {
        let mean: f64 = row.iter().map(|&(v, p)| v as f64 * p).sum();
        let variance: f64 = row.iter().map(|&(v, p)| (v as f64 - n as f64).powi(2) * p).sum();
        (mean, variance)
    }

    #[test]
    fn every_row_is_a_distribution_with_mean_n() {
        for (d, v) in [(1, 0.5), (2, 1.0), (3, 1.5), (3, 4.0), (5, 2.0)] {
            let t = Ptable::new(d, v).unwrap();
            for n in 0..60 {
                let row = t.row(n);
                let total: f64 = row.iter().map(|(_, p)| p).sum();
                assert!((total - 1.0).abs() < 1e-12, "D = {d}, n = {n}: probabilities add up to {total}");
                let (mean, _) = mean_and_variance(&row, n);
                assert!((mean - n as f64).abs() < 1e-9, "D = {d}, n = {n}: mean {mean}");
            }
            // Where the whole range is open, the variance is the one asked for.
            let n = 5 + u64::from(d) + 10;
            let (_, variance) = mean_and_variance(&t.row(n), n);
            assert!((variance - v).abs() < 1e-9, "D = {d}: variance {variance}, asked {v}");
        }
    }

    /// A count of 1–4 is published as 5 with probability n/5 over uniform keys (so it stays unbiased):
    /// checked on many cells of n pseudo-random keys.
    #[test]
    fn small_counts_by_their_smallest_key_are_unbiased() {
        let t = Ptable::default();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u32
        };
        for n in 1..=4u64 {
            let cells = 200_000;
            let fives = (0..cells).filter(|_| t.publish((0..n).map(|_| Tally::unit(next())).sum()) == 5).count();
            let share = fives as f64 / cells as f64;
            assert!((share - n as f64 / 5.0).abs() < 0.005, "n = {n}: 5 in {share} of cells");
        }
        // Without the smallest key (a subtraction that took it away) the cell key decides, as before.
        assert_eq!(t.publish(Tally::new(3, 123)), t.perturb(3, 123));
    }

    #[test]
    fn parameters_out_of_range_are_refused() {
        assert!(Ptable::new(0, 1.0).unwrap_err().to_string().contains("maximum noise D = 0"));
        assert!(Ptable::new(6, 1.0).is_err());
        assert!(Ptable::new(2, 0.0).unwrap_err().to_string().contains("variance V = 0"));
        assert!(Ptable::new(2, 2.5).is_err(), "above the variance of even noise over −2..=2");
        assert!(Ptable::new(2, 2.0).is_ok());
        assert!(Ptable::new(2, f64::NAN).is_err());
    }

    #[test]
    fn what_a_reader_can_infer_from_one_value() {
        let t = Ptable::default();
        assert_eq!(t.possible_true_counts(0), vec![0, 1, 2, 3, 4]);
        assert_eq!(t.possible_true_counts(5), vec![1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(t.possible_true_counts(20), vec![18, 19, 20, 21, 22]);
        assert!(t.possible_true_counts(3).is_empty(), "3 is never published");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// No published count in 1–4; noise within ±D for counts of 5 and more; 1–4 go to 0 or 5; the same
        /// cell always gets the same value.
        #[test]
        fn published_counts_are_bounded_and_never_small(n in 0u64..100_000, key in any::<u32>(), d in 1u32..=5) {
            let t = Ptable::new(d, f64::from(d) / 2.0).unwrap();
            let j = t.perturb(n, key);
            prop_assert!(!(1..=4).contains(&j), "{n} published as {j}");
            if n >= 5 {
                prop_assert!(j.abs_diff(n) <= u64::from(d), "{n} published as {j} with D = {d}");
                prop_assert!(j >= 5);
            } else if n == 0 {
                prop_assert_eq!(j, 0);
            } else {
                prop_assert!(j == 0 || j == 5);
            }
            prop_assert_eq!(j, t.perturb(n, key));
        }

        /// Small counts by their smallest key: never 1–4, the same people always the same value, and
        /// along a chain of ever larger cells (people joining one at a time) a count of 1–4 changes its
        /// published value at most once, so a reader cannot count the joiners.
        #[test]
        fn small_counts_change_at_most_once_along_a_chain(keys in proptest::collection::vec(any::<u32>(), 1..12)) {
            let t = Ptable::default();
            let mut cell = Tally::default();
            let mut small_values = Vec::new();
            for &key in &keys {
                cell += Tally::unit(key);
                let j = t.publish(cell);
                prop_assert!(!(1..=4).contains(&j));
                prop_assert_eq!(j, t.publish(cell));
                if cell.n <= 4 {
                    small_values.push(j);
                }
            }
            let changes = small_values.windows(2).filter(|w| w[0] != w[1]).count();
            prop_assert!(changes <= 1, "{small_values:?}");
            prop_assert!(small_values.windows(2).all(|w| w[0] <= w[1]), "only 0 to 5: {small_values:?}");
        }

        /// Over uniform cell keys the mean noise is about zero for every count.
        #[test]
        fn mean_noise_over_keys_is_about_zero(n in 0u64..200) {
            let t = Ptable::default();
            let keys = 20_000u64;
            let total: i64 = (0..keys).map(|i| t.perturb(n, ((i * 4_294_967_296 + 2_147_483_648) / keys) as u32) as i64 - n as i64).sum();
            let mean = total as f64 / keys as f64;
            prop_assert!(mean.abs() < 0.01, "n = {n}: mean noise {mean}");
        }
    }
}
