//! A true count with its cell key: what analyses (the core's and the plugins') hand to disclosure control.

/// The number of units counted and the sum of their record keys modulo 2³². Cells add (the key of a union
/// of disjoint cells is the sum of their keys), so a measure made of several cells has the key of exactly
/// its units, and the same set of people gets the same published value in every output.
///
/// In SQL over the documented views, a count of people is `count(*)` with `sum(record_key)` beside it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub n: u64,
    pub key: u32,
}

impl Tally {
    /// A count and the sum of its units' record keys (any width; only its residue modulo 2³² matters).
    pub fn new(n: u64, key_sum: u64) -> Tally {
        Tally { n, key: key_sum as u32 }
    }

    /// From SQL's `count(*)` and `sum(record_key)` (a HUGEINT, NULL for no rows).
    pub fn from_sql(n: i64, key_sum: Option<i128>) -> Tally {
        Tally { n: n.max(0) as u64, key: key_sum.unwrap_or(0).rem_euclid(1 << 32) as u32 }
    }

    /// The units of `self` that are not in `part` (a subset of them).
    pub fn without(self, part: Tally) -> Tally {
        Tally { n: self.n - part.n, key: self.key.wrapping_sub(part.key) }
    }
}

impl std::ops::Add for Tally {
    type Output = Tally;
    fn add(self, other: Tally) -> Tally {
        Tally { n: self.n + other.n, key: self.key.wrapping_add(other.key) }
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
