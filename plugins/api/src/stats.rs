//! The statistics behind every figure: Wilson intervals for shares, Newcombe's interval for a difference
//! of two shares, the two-proportion z-test, and the normal distribution they rest on. Cross-checked
//! against statsmodels in the project's Python tests. They live in the plugin interface so that plugins (and
//! the SQL functions of the stats-sql plugin) give exactly the core's numbers.

/// The 97.5 % quantile of the standard normal distribution (two-sided 95 %).
pub const Z95: f64 = 1.959_963_984_540_054;

/// A share k/n with its 95 % Wilson score interval. With n = 0 there is no share and no interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    /// The successes.
    pub k: u64,
    /// The trials (the denominator).
    pub n: u64,
    /// k / n; `None` when n = 0.
    pub p: Option<f64>,
    /// The interval's lower bound.
    pub low: Option<f64>,
    /// The interval's upper bound.
    pub high: Option<f64>,
}

impl Share {
    /// The share k/n with its Wilson interval (k must not exceed n).
    pub fn new(k: u64, n: u64) -> Share {
        assert!(k <= n, "a share needs k <= n (k = {k}, n = {n})");
        match wilson(k, n) {
            Some((low, high)) => Share { k, n, p: Some(k as f64 / n as f64), low: Some(low), high: Some(high) },
            None => Share { k, n, p: None, low: None, high: None },
        }
    }
}

/// The 95 % Wilson score interval of k successes in n trials; `None` when n = 0.
pub fn wilson(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let n_f = n as f64;
    let p = k as f64 / n_f;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denominator;
    let half = Z95 * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() / denominator;
    // At k = 0 the lower bound is 0 and at k = n the upper bound is 1, exactly (the formula gives them up to
    // rounding: 5.55e-17, 0.9999999999999999); elsewhere rounding can leave a bound a hair outside [0, 1].
    let low = if k == 0 { 0.0 } else { (centre - half).max(0.0) };
    let high = if k == n { 1.0 } else { (centre + half).min(1.0) };
    Some((low, high))
}

/// The change from one share to another, `to − from`, with Newcombe's hybrid score interval (his method 10,
/// built from the two Wilson intervals) and the two-sided p-value of the pooled two-proportion z-test.
/// `change(first, second)` runs the way a comparison does (its `a` to its `b`); `difference(x, y)` is the
/// same for `x − y`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// The share the change is from (subtracted).
    pub from: Share,
    /// The share the change is to.
    pub to: Share,
    /// to − from; `None` when either share is missing.
    pub diff: Option<f64>,
    /// Newcombe's lower bound.
    pub low: Option<f64>,
    /// Newcombe's upper bound.
    pub high: Option<f64>,
    /// The pooled two-proportion z statistic.
    pub z: Option<f64>,
    /// Its two-sided p-value.
    pub p_value: Option<f64>,
}

/// `a − b` with Newcombe's interval and the pooled z-test: the change from `b` to `a` (see `Difference`).
pub fn difference(a: Share, b: Share) -> Difference {
    change(b, a)
}

/// The change from `from` to `to` (`to − from`) with Newcombe's interval and the pooled z-test.
pub fn change(from: Share, to: Share) -> Difference {
    let (a, b) = (to, from);
    let empty = Difference { from, to, diff: None, low: None, high: None, z: None, p_value: None };
    let (Some(pa), Some(pb), Some(la), Some(ua), Some(lb), Some(ub)) = (a.p, b.p, a.low, a.high, b.low, b.high) else {
        return empty;
    };
    let d = pa - pb;
    let low = d - ((pa - la).powi(2) + (ub - pb).powi(2)).sqrt();
    let high = d + ((ua - pa).powi(2) + (pb - lb).powi(2)).sqrt();
    let (z, p_value) = two_proportion_z(a.k, a.n, b.k, b.n);
    Difference { from, to, diff: Some(d), low: Some(low), high: Some(high), z, p_value }
}

/// The pooled two-proportion z statistic and its two-sided p-value. When both shares are 0 or both are 1
/// the variance is zero and the test is undefined: `None`.
pub fn two_proportion_z(k1: u64, n1: u64, k2: u64, n2: u64) -> (Option<f64>, Option<f64>) {
    if n1 == 0 || n2 == 0 {
        return (None, None);
    }
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let pooled = (k1 + k2) as f64 / (n1f + n2f);
    let variance = pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f);
    if variance <= 0.0 {
        return (None, None);
    }
    let z = (k1 as f64 / n1f - k2 as f64 / n2f) / variance.sqrt();
    (Some(z), Some(libm::erfc(z.abs() / std::f64::consts::SQRT_2)))
}

/// The age bands of the standard participant report: label, lowest and highest age (at start, in whole
/// years: the start's year minus the birth year). The first band is labelled "–19", not "16–19": it takes
/// every age up to 19 (an intervention may take younger people, and a birth year typed wrongly must not vanish).
pub const AGE_BANDS: &[(&str, i32, i32)] =
    &[("–19", 0, 19), ("20–24", 20, 24), ("25–29", 25, 29), ("30–39", 30, 39), ("40–49", 40, 49), ("50–59", 50, 59), ("60–", 60, 200)];

/// The report's age band of an age; `None` below 0 or above 200 (a data error, not a band).
pub fn age_band(age: i32) -> Option<&'static str> {
    AGE_BANDS.iter().find(|(_, lo, hi)| (*lo..=*hi).contains(&age)).map(|(label, _, _)| *label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() < tol, "{a} vs {b}");
    }

    #[test]
    fn wilson_by_hand() {
        // 65 of 100: p = 0.65, z^2 = 3.8415; centre = (0.65 + 0.019207) / 1.038415 = 0.644450;
        // half = 1.96 * sqrt(0.002275 + 0.0000960) / 1.038415 = 0.091906.
        let (lo, hi) = wilson(65, 100).unwrap();
        close(lo, 0.552544, 1e-5);
        close(hi, 0.736356, 1e-5);
        let (lo, hi) = wilson(0, 10).unwrap();
        assert_eq!(lo, 0.0);
        assert_eq!(wilson(7, 7).unwrap().1, 1.0, "exactly 1 at k = n");
        assert_eq!(wilson(0, 3).unwrap().0, 0.0, "exactly 0 at k = 0");
        close(hi, 0.277533, 1e-5);
        assert!(wilson(0, 0).is_none());
        assert!(Share::new(0, 0).p.is_none());
    }

    #[test]
    fn z_test_by_hand() {
        // 30/100 against 20/100: pooled 0.25, se = sqrt(0.25 * 0.75 * 0.02) = 0.0612372, z = 1.632993.
        let (z, p) = two_proportion_z(30, 100, 20, 100);
        close(z.unwrap(), 1.632993, 1e-6);
        close(p.unwrap(), 0.102470, 1e-5);
        assert_eq!(two_proportion_z(0, 10, 0, 20), (None, None));
        // Z95 is the 97.5 % quantile: the two-sided tail beyond it is 5 %.
        close(libm::erfc(Z95 / std::f64::consts::SQRT_2), 0.05, 1e-12);
    }

    #[test]
    fn newcombe_contains_the_difference() {
        let d = difference(Share::new(30, 100), Share::new(20, 100));
        close(d.diff.unwrap(), 0.1, 1e-12);
        // The same change read the way a comparison runs: from 20/100 to 30/100.
        assert_eq!(change(Share::new(20, 100), Share::new(30, 100)), d);
        assert_eq!((d.from.k, d.to.k), (20, 30));
        assert!(d.low.unwrap() < 0.1 && 0.1 < d.high.unwrap());
        // Newcombe (1998), table II, example (a): 56/70 - 48/80 = 0.2, interval 0.0524 to 0.3339.
        let d = difference(Share::new(56, 70), Share::new(48, 80));
        close(d.low.unwrap(), 0.0524, 1e-4);
        close(d.high.unwrap(), 0.3339, 1e-4);
        assert!(difference(Share::new(0, 0), Share::new(1, 2)).diff.is_none());
    }
}
