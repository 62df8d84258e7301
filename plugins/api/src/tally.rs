//! A true count with its cell key: what analyses (the core's and the plugins') hand to disclosure control.

/// The number of units counted, the sum of their record keys modulo 2³², and the smallest of those keys.
/// Cells add (the key of a union of disjoint cells is the sum of their keys, its smallest key the smaller
/// of theirs), so a measure made of several cells has the keys of exactly its units, and the same set of
/// people gets the same published value in every output.
///
/// The sum decides the noise of counts of 5 and more. The smallest key decides whether a count of 1–4 is
/// published as 0 or 5: it can only fall as people join, so along a chain of ever larger cohorts that
/// value changes at most once and a reader cannot count joiners one by one (docs/privacy.md). When it is
/// not known (a count built by subtraction whose smallest unit was taken away, or a plugin that sums keys
/// only), the sum decides.
///
/// In SQL over the documented views, a count of people is `count(*)` with `sum(record_key)` and
/// `min(record_key)` beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// How many units.
    pub n: u64,
    /// The sum of their record keys modulo 2³² (the cell key).
    pub key: u32,
    /// The smallest record key of the units (`u32::MAX` for none), or `None` when it is not known.
    pub min: Option<u32>,
}

impl Default for Tally {
    /// Nobody: a count of 0 whose smallest key (of no one) is known to be above every key.
    fn default() -> Tally {
        Tally { n: 0, key: 0, min: Some(u32::MAX) }
    }
}

impl Tally {
    /// One unit with its record key.
    pub fn unit(key: u32) -> Tally {
        Tally { n: 1, key, min: Some(key) }
    }

    /// A count and the sum of its units' record keys (any width; only its residue modulo 2³² matters),
    /// without their smallest key (counts of 1–4 are then decided by the sum; see `with_min`).
    pub fn new(n: u64, key_sum: u64) -> Tally {
        Tally { n, key: key_sum as u32, min: if n == 0 { Some(u32::MAX) } else { None } }
    }

    /// A count, the sum of its units' record keys and the smallest of them.
    pub fn with_min(n: u64, key_sum: u64, min: u32) -> Tally {
        Tally { n, key: key_sum as u32, min: Some(if n == 0 { u32::MAX } else { min }) }
    }

    /// From SQL's `count(*)`, `sum(record_key)` (a HUGEINT, NULL for no rows) and `min(record_key)` (NULL
    /// for no rows; pass `None` when the statement does not compute it).
    pub fn from_sql(n: i64, key_sum: Option<i128>, min: Option<i64>) -> Tally {
        let n = n.max(0) as u64;
        let key = key_sum.unwrap_or(0).rem_euclid(1 << 32) as u32;
        match min {
            Some(min) => Tally::with_min(n, u64::from(key), min.clamp(0, i64::from(u32::MAX)) as u32),
            None => Tally::new(n, u64::from(key)),
        }
    }

    /// The units of `self` that are not in `part` (a subset of them). The smallest key stays known when
    /// `part` does not hold it (its own smallest key is larger), or when nothing is taken away.
    pub fn without(self, part: Tally) -> Tally {
        let min = match (self.min, part.min) {
            _ if part.n == 0 => self.min,
            _ if part.n == self.n => Some(u32::MAX),
            (Some(whole), Some(taken)) if taken > whole => Some(whole),
            _ => None,
        };
        Tally { n: self.n - part.n, key: self.key.wrapping_sub(part.key), min }
    }
}

impl std::ops::Add for Tally {
    type Output = Tally;
    fn add(self, other: Tally) -> Tally {
        let min = match (self.min, other.min) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, _) if other.n == 0 => a,
            (_, b) if self.n == 0 => b,
            _ => None,
        };
        Tally { n: self.n + other.n, key: self.key.wrapping_add(other.key), min }
    }
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        *self = *self + other;
    }
}

impl std::iter::Sum for Tally {
    fn sum<I: Iterator<Item = Tally>>(iter: I) -> Tally {
        iter.fold(Tally::default(), |a, b| a + b)
    }
}
