//! Linked tables (τ-ARGUS's term): the exact audit of every count of one output at once, under suppression.
//!
//! The figures of an output — table cells, margins, a measure's k and n, a heading's counts — are counts of
//! groups of people, and identities tie them: a total is the sum of its parts, "work or studies" is work
//! plus studies after exit, the enrolments are those still enrolled plus the exits. Groups that no table
//! prints are figures too (the exits in subsidised work: work after exit less unsubsidised work; the exits
//! whose outcome is unknown): a reader who pins one of them to 1–4 has found a small group as surely as if
//! it were printed. A reader knows every shown figure, every identity and that no count is negative; for
//! each hidden figure of 1–4 people the audit computes, as integer programs over the whole system, the
//! smallest and largest value consistent with all that. A figure whose range lies inside 1–4 is disclosed,
//! and one more figure beside it is hidden, until none is.
//!
//! The identities must be true of every possible data set (a group shown as a sum of others must be that
//! sum by definition); a builder that knows a difference can be non-zero adds it as an unprinted figure.

use microlp::{ComparisonOp, OptimizationDirection, Problem};

use super::suppression::MIN_CELL;

/// A figure of a linked system (an index into it).
pub type Figure = usize;

/// The counts of one output, the identities between them, and which are hidden.
#[derive(Debug, Clone, Default)]
pub struct Linked {
    value: Vec<u64>,
    hidden: Vec<bool>,
    printed: Vec<bool>,
    /// Hidden figures the output marks as 1–4 ("<5"): the reader knows that much.
    announced: Vec<bool>,
    /// What hiding the figure costs a reader of the output: its count, or more for a figure the output's
    /// reader needs most (a heading's exits).
    cost: Vec<u64>,
    sums: Vec<(Figure, Vec<Figure>)>,
    /// An identity that does not hold of the true counts (a builder's error): the audit cannot be trusted,
    /// so `protect` hides every printed figure rather than publish on a wrong model.
    inconsistent: bool,
}

/// No count is larger than this (a bound for the solver).
const LARGEST: i32 = 1_000_000_000;

/// A figure the output would rather not hide costs this much more than its count.
const KEEP_SHOWN: u64 = 1 << 40;

impl Linked {
    /// An empty system.
    pub fn new() -> Linked {
        Linked::default()
    }

    /// A figure the output prints, with its true count; `hidden` when the table's own rules already hide it.
    pub fn printed(&mut self, value: u64, hidden: bool) -> Figure {
        self.push(value, hidden, true)
    }

    /// A group of people no table prints, but whose count the identities may give away.
    pub fn unprinted(&mut self, value: u64) -> Figure {
        self.push(value, true, false)
    }

    fn push(&mut self, value: u64, hidden: bool, printed: bool) -> Figure {
        self.value.push(value);
        self.hidden.push(hidden);
        self.printed.push(printed);
        self.announced.push(false);
        self.cost.push(value);
        self.value.len() - 1
    }

    /// A printed count of 1–4 shown as "<5": the reader knows it is 1–4, and it is disclosed only when
    /// the rest pins it to one value.
    pub fn announced_small(&mut self, value: u64) -> Figure {
        debug_assert!(is_small(value), "only a count of 1-4 is shown as <5");
        let f = self.push(value, true, true);
        self.announced[f] = true;
        f
    }

    /// The output would rather hide anything else than this figure (a heading's count).
    pub fn keep_shown(&mut self, f: Figure) {
        self.cost[f] = KEEP_SHOWN + self.value[f];
    }

    /// The identity `total` = the sum of `parts`. The true counts must add up; when they do not, the
    /// builder's model of the output is wrong and `protect` hides everything (fail closed).
    pub fn sum(&mut self, total: Figure, parts: &[Figure]) {
        if self.value[total] != parts.iter().map(|&p| self.value[p]).sum::<u64>() {
            self.inconsistent = true;
            return;
        }
        self.sums.push((total, parts.to_vec()));
    }

    /// The builder found its model of the output wrong for these counts (see `sum`).
    pub fn mark_inconsistent(&mut self) {
        self.inconsistent = true;
    }

    /// Whether the figure is hidden.
    pub fn is_hidden(&self, f: Figure) -> bool {
        self.hidden[f]
    }

    /// Whether the figure is a count of 1–4 shown as "<5".
    pub fn is_announced(&self, f: Figure) -> bool {
        self.announced[f]
    }

    /// The figure's true count.
    pub fn value(&self, f: Figure) -> u64 {
        self.value[f]
    }

    /// Hides every printed count of 1–4, then more figures until no hidden count of 1–4 can be narrowed to
    /// 1–4 from everything shown. Figures are hidden, never shown again: the rules' pattern only grows.
    pub fn protect(&mut self) {
        if self.inconsistent {
            self.hidden.iter_mut().for_each(|h| *h = true);
            return;
        }
        for f in 0..self.value.len() {
            if self.printed[f] && is_small(self.value[f]) {
                self.hidden[f] = true;
            }
        }
        // Hiding a figure only takes away what a reader knows, so a figure found safe stays safe: the scan
        // goes on from the last disclosed figure instead of starting again.
        let mut from = 0;
        while let Some((disclosed, by_zeros)) = self.disclosed_from(from) {
            from = disclosed;
            match self.partner(disclosed, by_zeros) {
                Some(g) => self.hidden[g] = true,
                // Everything is hidden already: nothing printed can give the figure away.
                None => break,
            }
        }
    }

    /// The first hidden count of 1–4 that is disclosed: its range is one value, given everything shown and
    /// what suppression's marks say (`Knowledge::Full`: "<5" is 1–4, ".." is at least 1); or it lies inside
    /// 1–4 because of the shown counts alone. The marks say "small" in the open by design: what follows from
    /// them within 1–4 (a group between two groups marked "<5"; three hidden cells adding up to 6, each at
    /// least 1) says no more than they do, but an exact value is a disclosure whatever it follows from.
    pub fn first_disclosed(&self) -> Option<Figure> {
        self.disclosed_from(0).map(|(f, _)| f)
    }

    /// The first disclosed figure from `from` on, and whether it is pinned only because a reader can take
    /// ".." for at least 1 (then hiding a 0 is what protects it: once a 0 is hidden, no ".." is surely 1).
    fn disclosed_from(&self, from: Figure) -> Option<(Figure, bool)> {
        (from..self.value.len()).filter(|&f| self.hidden[f] && is_small(self.value[f])).find_map(|f| {
            let high = self.optimum(f, OptimizationDirection::Maximize, Knowledge::Full);
            if high >= MIN_CELL {
                return None;
            }
            let low = self.optimum(f, OptimizationDirection::Minimize, Knowledge::Full);
            if low == high {
                let by_zeros = self.optimum(f, OptimizationDirection::Maximize, Knowledge::Marks) != low
                    || self.optimum(f, OptimizationDirection::Minimize, Knowledge::Marks) != low;
                return Some((f, by_zeros));
            }
            if self.announced[f] || low == 0 {
                return None;
            }
            (self.optimum(f, OptimizationDirection::Maximize, Knowledge::ShownOnly) < MIN_CELL
                && self.optimum(f, OptimizationDirection::Minimize, Knowledge::ShownOnly) >= 1)
                .then_some((f, false))
        })
    }

    /// Whether a printed 0 is hidden: then a reader cannot take any ".." for at least 1.
    fn hides_a_zero(&self) -> bool {
        (0..self.value.len()).any(|f| self.hidden[f] && self.printed[f] && self.value[f] == 0)
    }

    /// The range (smallest, largest) of a hidden figure given everything shown (for tests and audits).
    pub fn range(&self, f: Figure) -> (u64, u64) {
        if !self.hidden[f] {
            return (self.value[f], self.value[f]);
        }
        (self.optimum(f, OptimizationDirection::Minimize, Knowledge::Full), self.optimum(f, OptimizationDirection::Maximize, Knowledge::Full))
    }

    /// A shown figure to hide beside a disclosed one: the cheapest shown figure of an identity it is in;
    /// failing that, of an identity of a hidden figure that shares one with it (the leak came through
    /// there), and so on outwards; failing that the cheapest shown figure of the output.
    /// With `zero_first` (a figure pinned only by ".." taken for at least 1) a shown 0 is taken first.
    fn partner(&self, disclosed: Figure, zero_first: bool) -> Option<Figure> {
        let cheapest = |candidates: &mut dyn Iterator<Item = Figure>| {
            candidates.filter(|&g| !self.hidden[g] && self.printed[g]).min_by_key(|&g| ((self.value[g] == 0) != zero_first, self.cost[g], g))
        };
        let mut reached = vec![false; self.value.len()];
        reached[disclosed] = true;
        let mut frontier = vec![disclosed];
        while !frontier.is_empty() {
            let identities: Vec<&(Figure, Vec<Figure>)> =
                self.sums.iter().filter(|(total, parts)| frontier.iter().any(|f| total == f || parts.contains(f))).collect();
            let members = || identities.iter().flat_map(|(total, parts)| std::iter::once(*total).chain(parts.iter().copied()));
            if let Some(g) = cheapest(&mut members()) {
                return Some(g);
            }
            frontier = members().filter(|&g| !reached[g]).collect();
            frontier.sort_unstable();
            frontier.dedup();
            for &g in &frontier {
                reached[g] = true;
            }
        }
        cheapest(&mut (0..self.value.len()).filter(|&g| self.printed[g]))
    }

    /// The smallest or largest whole value of a hidden figure consistent with everything shown. When the
    /// integer program is not solved in time, the linear relaxation's bound (rounded inwards to whole
    /// numbers, which every integer solution respects) is used; when neither is solved, the true value
    /// (fail closed: the figure counts as disclosed, and more is hidden).
    fn optimum(&self, target: Figure, direction: OptimizationDirection, knowledge: Knowledge) -> u64 {
        let whole = self.solve(target, direction, knowledge, true);
        let bound = whole.or_else(|| self.solve(target, direction, knowledge, false));
        match (bound, direction) {
            (Some(v), OptimizationDirection::Minimize) => (v - 1e-6).ceil().max(0.0) as u64,
            (Some(v), OptimizationDirection::Maximize) => (v + 1e-6).floor().max(0.0) as u64,
            (None, _) => self.value[target],
        }
    }

    fn solve(&self, target: Figure, direction: OptimizationDirection, knowledge: Knowledge, integer: bool) -> Option<f64> {
        let zeros_hidden = self.hides_a_zero();
        let mut problem = Problem::new(direction);
        problem.set_time_limit(std::time::Duration::from_millis(250));
        let variables: Vec<Option<microlp::Variable>> = (0..self.value.len())
            .map(|f| {
                self.hidden[f].then(|| {
                    let objective = if f == target { 1.0 } else { 0.0 };
                    let (low, high) = match knowledge {
                        Knowledge::Full | Knowledge::Marks if self.announced[f] => (1, MIN_CELL as i32 - 1),
                        Knowledge::Full if self.printed[f] && self.value[f] > 0 && !zeros_hidden => (1, LARGEST),
                        _ => (0, LARGEST),
                    };
                    if integer {
                        problem.add_integer_var(objective, (low, high))
                    } else {
                        problem.add_var(objective, (f64::from(low), f64::from(high)))
                    }
                })
            })
            .collect();
        for (total, parts) in &self.sums {
            let mut expression = Vec::new();
            let mut rhs = 0.0;
            for (f, coefficient) in parts.iter().map(|&p| (p, 1.0)).chain(std::iter::once((*total, -1.0))) {
                match variables[f] {
                    Some(v) => expression.push((v, coefficient)),
                    None => rhs -= coefficient * self.value[f] as f64,
                }
            }
            if !expression.is_empty() {
                problem.add_constraint(expression.as_slice(), ComparisonOp::Eq, rhs);
            }
        }
        let outcome = problem.solve().ok()?;
        if !outcome.is_optimal() {
            return None;
        }
        outcome.solution().map(|s| s.objective())
    }
}

/// What a reader is taken to know beside the shown counts and the identities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Knowledge {
    /// Also what suppression's own marks say: a count shown as "<5" is 1–4, and a printed hidden count is
    /// not 0 unless it is 0 (zeros are shown, and counts of 1–4 are hidden first, so a reader may take
    /// ".." for at least 1; a review read three hidden columns adding up to 6 as each 1–4 that way) —
    /// unless the output hides a 0 somewhere, when no ".." is surely at least 1.
    Full,
    /// What "<5" says, every ".." at least 0.
    Marks,
    /// The shown counts alone, every hidden count at least 0.
    ShownOnly,
}

fn is_small(v: u64) -> bool {
    v > 0 && v < MIN_CELL
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The third counter-example: occupation after of work 3, studies 20, job-seeking 7, other 30,
    /// with "work or studies 23 of 60" printed beside it. The column alone hides work and job-seeking; the
    /// measure gives work back unless the audit hides more.
    #[test]
    fn a_measure_that_sums_hidden_cells_is_audited_with_them() {
        let mut s = Linked::new();
        let cells = [3, 20, 7, 30].map(|v| s.printed(v, v == 3 || v == 7));
        let total = s.printed(60, false);
        s.sum(total, &cells);
        let work_or_studies = s.printed(23, false);
        s.sum(work_or_studies, &[cells[0], cells[1]]);
        let rest = s.unprinted(37);
        s.sum(total, &[work_or_studies, rest]);
        assert_eq!(s.first_disclosed(), Some(cells[0]), "the rules' pattern leaves work = 23 - 20");
        s.protect();
        assert_eq!(s.first_disclosed(), None);
        let (low, high) = s.range(cells[0]);
        assert!(low == 0 || high >= MIN_CELL, "work's range {low}..{high}");
    }

    /// A group no table prints (subsidised work = work after exit − unsubsidised work) is protected too.
    #[test]
    fn an_unprinted_difference_of_two_shown_counts_is_protected() {
        let mut s = Linked::new();
        let work = s.printed(12, false);
        let unsubsidised = s.printed(9, false);
        let subsidised = s.unprinted(3);
        s.sum(work, &[unsubsidised, subsidised]);
        s.protect();
        assert!(s.is_hidden(unsubsidised), "the smaller shown figure of the identity is hidden");
        assert!(!s.is_hidden(work));
        assert_eq!(s.first_disclosed(), None);
    }

    /// A figure to keep shown (a heading's count) is hidden last.
    #[test]
    fn a_figure_kept_shown_is_not_chosen_while_another_will_do() {
        let mut s = Linked::new();
        let exits = s.printed(40, false);
        s.keep_shown(exits);
        let still = s.printed(2, false);
        let enrolments = s.printed(42, false);
        s.sum(enrolments, &[still, exits]);
        s.protect();
        assert!(s.is_hidden(still) && s.is_hidden(enrolments) && !s.is_hidden(exits));
    }

    /// An identity that does not hold means the builder's model is wrong: everything printed is hidden.
    #[test]
    fn a_wrong_model_hides_everything() {
        let mut s = Linked::new();
        let a = s.printed(10, false);
        let b = s.printed(20, false);
        s.sum(b, &[a]);
        s.protect();
        assert!(s.is_hidden(a) && s.is_hidden(b));
    }

    /// Two tables sharing a margin: each passes the audit alone, and together the shared margin pins a cell.
    #[test]
    fn tables_linked_by_a_margin_are_audited_together() {
        // Table one: a, b with total t (a = 2 and b = 8 hidden; t shown). Table two: t = c + d (c shown 5,
        // d = 5 shown). Then a + b = 10 and nothing more: safe. Add "b printed elsewhere as 8": a = 2.
        let mut s = Linked::new();
        let a = s.printed(2, true);
        let b = s.printed(8, true);
        let t = s.printed(10, false);
        s.sum(t, &[a, b]);
        assert_eq!(s.first_disclosed(), None);
        let b_elsewhere = s.printed(8, false);
        let other = s.printed(30, false);
        let whole = s.printed(38, false);
        s.sum(whole, &[b_elsewhere, other]);
        // b and b_elsewhere are the same people: an identity of one part.
        s.sum(b, &[b_elsewhere]);
        assert_eq!(s.first_disclosed(), Some(a));
        s.protect();
        assert_eq!(s.first_disclosed(), None);
    }
}
