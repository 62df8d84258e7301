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
    /// Identities taken for known to be careful, not because a reader surely knows them (see
    /// `sum_assumed`), by index into `sums`.
    assumed: Vec<bool>,
    /// Figures already published in another output (a report beside a plugin's table of its cohort):
    /// known to the reader, and never hidden to protect another.
    fixed: Vec<bool>,
    /// Counts the fixed figures alone give away (see `mark_given_away`).
    given_away: Vec<bool>,
    /// The output each figure is printed in (0 unless `next_output` was called): whether a reader may take
    /// an output's ".." for at least 1 depends on whether that output hides a 0.
    output: Vec<usize>,
    current_output: usize,
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
        self.fixed.push(false);
        self.given_away.push(false);
        self.output.push(self.current_output);
        self.value.len() - 1
    }

    /// Figures pushed from now on are printed in another output than those before (see `output`).
    pub fn next_output(&mut self) {
        self.current_output += 1;
    }

    /// Every figure so far is published already (shown or hidden as it is now): a reader of the next
    /// outputs knows it, and the audit protects by hiding figures of those outputs only.
    pub fn fix_all(&mut self) {
        self.fixed.iter_mut().for_each(|f| *f = true);
    }

    /// The figure is published already elsewhere (known to the reader; never hidden to protect another).
    pub fn fix(&mut self, f: Figure) {
        self.fixed[f] = true;
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
        self.assumed.push(false);
    }

    /// An identity a reader may or may not know (two figures with one cell key, which may be one group by
    /// definition or by chance of the data): the audit takes it for known when it looks for what a reader
    /// can work out, which only hides more, but not when it asks what other outputs give away already
    /// (`mark_given_away`), where taking too much for known would excuse a count from protection.
    pub fn sum_assumed(&mut self, total: Figure, parts: &[Figure]) {
        let before = self.sums.len();
        self.sum(total, parts);
        if self.sums.len() > before {
            self.assumed[before] = true;
        }
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
            self.hide_every_figure_not_fixed();
            return;
        }
        for f in 0..self.value.len() {
            if self.printed[f] && !self.fixed[f] && is_small(self.value[f]) {
                self.hidden[f] = true;
            }
        }
        self.mark_given_away();
        // Hiding a figure only takes away what a reader knows, so a figure found safe stays safe: the scan
        // goes on from the last disclosed figure instead of starting again.
        let mut from = 0;
        while let Some((disclosed, by_zeros)) = self.disclosed_from(from) {
            from = disclosed;
            match self.partner(disclosed, by_zeros) {
                Some(g) => self.hidden[g] = true,
                // Everything that may be hidden is: when figures published elsewhere still give the
                // figure away, nothing of this output is shown (fail closed).
                None => {
                    self.hide_every_figure_not_fixed();
                    break;
                }
            }
        }
    }

    /// Fails closed: every figure of the outputs being audited is hidden, and none says "<5" (a mark that
    /// says 1–4 may be what gives a count away).
    fn hide_every_figure_not_fixed(&mut self) {
        for f in 0..self.value.len() {
            if !self.fixed[f] {
                self.hidden[f] = true;
                self.announced[f] = false;
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
        (from..self.value.len())
            .filter(|&f| self.hidden[f] && is_small(self.value[f]) && !self.given_away[f])
            .find_map(|f| self.disclosed(f).map(|z| (f, z)))
    }

    /// Whether the hidden figure is disclosed (see `first_disclosed`), and if so whether only through ".."
    /// taken for at least 1.
    fn disclosed(&self, f: Figure) -> Option<bool> {
        let high = self.optimum(f, OptimizationDirection::Maximize, Knowledge::Full);
        if high >= MIN_CELL {
            return None;
        }
        let low = self.optimum(f, OptimizationDirection::Minimize, Knowledge::Full);
        if low == high {
            return Some(
                self.optimum(f, OptimizationDirection::Maximize, Knowledge::Marks) != low
                    || self.optimum(f, OptimizationDirection::Minimize, Knowledge::Marks) != low,
            );
        }
        if self.announced[f] || low == 0 {
            return None;
        }
        (self.optimum(f, OptimizationDirection::Maximize, Knowledge::ShownOnly) < MIN_CELL
            && self.optimum(f, OptimizationDirection::Minimize, Knowledge::ShownOnly) >= 1)
            .then_some(false)
    }

    /// Counts of 1–4 that the figures published elsewhere give away whatever this output shows (two
    /// reports of one cohort by sex, subtracted): nothing here can protect them, so they are not this
    /// output's to protect (hiding everything would not help). What this output shows beside them is still
    /// audited: any other count they would help pin is checked as every count is.
    fn mark_given_away(&mut self) {
        if !self.fixed.iter().any(|&f| f) {
            return;
        }
        let mut everything_hidden = self.clone();
        everything_hidden.hide_every_figure_not_fixed();
        let known: Vec<(Figure, Vec<Figure>)> = self.sums.iter().zip(&self.assumed).filter(|(_, &a)| !a).map(|(s, _)| s.clone()).collect();
        everything_hidden.assumed = vec![false; known.len()];
        everything_hidden.sums = known;
        for f in 0..self.value.len() {
            self.given_away[f] = self.hidden[f] && is_small(self.value[f]) && everything_hidden.disclosed(f).is_some();
        }
    }

    /// The outputs that hide a printed 0: a reader of one cannot take its ".." for at least 1.
    fn outputs_hiding_a_zero(&self) -> Vec<bool> {
        let mut hiding = vec![false; self.current_output + 1];
        for f in (0..self.value.len()).filter(|&f| self.hidden[f] && self.printed[f] && self.value[f] == 0) {
            hiding[self.output[f]] = true;
        }
        hiding
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
            candidates
                .filter(|&g| !self.hidden[g] && self.printed[g] && !self.fixed[g])
                .min_by_key(|&g| ((self.value[g] == 0) != zero_first, self.cost[g], g))
        };
        let mut reached = vec![false; self.value.len()];
        reached[disclosed] = true;
        let mut frontier = vec![disclosed];
        // Only identities that constrain anything: hiding a member of one that does not (a column sum no
        // one prints) protects nothing.
        let binding: Vec<&(Figure, Vec<Figure>)> = self.binding_sums().into_iter().map(|i| &self.sums[i]).collect();
        while !frontier.is_empty() {
            let identities: Vec<&(Figure, Vec<Figure>)> =
                binding.iter().copied().filter(|(total, parts)| frontier.iter().any(|f| total == f || parts.contains(f))).collect();
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

    /// The identities that constrain anything: one whose total is a group no output prints and that is in
    /// no other identity says only that the group is the sum of its parts, which any values satisfy (a
    /// table's column sums that no one prints), so it is left out, and so on while any is left.
    fn binding_sums(&self) -> Vec<usize> {
        let mut uses = vec![0usize; self.value.len()];
        for (total, parts) in &self.sums {
            for &f in std::iter::once(total).chain(parts) {
                uses[f] += 1;
            }
        }
        let mut binding = vec![true; self.sums.len()];
        let mut changed = true;
        while changed {
            changed = false;
            for (i, (total, parts)) in self.sums.iter().enumerate() {
                if binding[i] && !self.printed[*total] && uses[*total] == 1 {
                    binding[i] = false;
                    changed = true;
                    for &f in std::iter::once(total).chain(parts) {
                        uses[f] -= 1;
                    }
                }
            }
        }
        (0..self.sums.len()).filter(|&i| binding[i]).collect()
    }

    /// The hidden figures tied to `target` through identities that hold hidden figures (a shown figure is a
    /// number, and ties nothing), and those identities: only they bear on its range.
    fn component(&self, target: Figure) -> (Vec<bool>, Vec<usize>) {
        let binding = self.binding_sums();
        let mut of_figure: Vec<Vec<usize>> = vec![Vec::new(); self.value.len()];
        for &i in &binding {
            let (total, parts) = &self.sums[i];
            for &f in std::iter::once(total).chain(parts).filter(|&&f| self.hidden[f]) {
                of_figure[f].push(i);
            }
        }
        let mut member = vec![false; self.value.len()];
        let mut used = vec![false; self.sums.len()];
        member[target] = true;
        let mut stack = vec![target];
        while let Some(f) = stack.pop() {
            for &i in &of_figure[f] {
                if std::mem::replace(&mut used[i], true) {
                    continue;
                }
                let (total, parts) = &self.sums[i];
                for &g in std::iter::once(total).chain(parts) {
                    if self.hidden[g] && !std::mem::replace(&mut member[g], true) {
                        stack.push(g);
                    }
                }
            }
        }
        (member, (0..self.sums.len()).filter(|&i| used[i]).collect())
    }

    fn solve(&self, target: Figure, direction: OptimizationDirection, knowledge: Knowledge, integer: bool) -> Option<f64> {
        let zeros_hidden = self.outputs_hiding_a_zero();
        let (member, sums) = self.component(target);
        let mut problem = Problem::new(direction);
        problem.set_time_limit(std::time::Duration::from_millis(250));
        let variables: Vec<Option<microlp::Variable>> = (0..self.value.len())
            .map(|f| {
                member[f].then(|| {
                    let objective = if f == target { 1.0 } else { 0.0 };
                    let (low, high) = match knowledge {
                        Knowledge::Full | Knowledge::Marks if self.announced[f] => (1, MIN_CELL as i32 - 1),
                        Knowledge::Full if self.printed[f] && self.value[f] > 0 && !zeros_hidden[self.output[f]] => (1, LARGEST),
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
        for (total, parts) in sums.iter().map(|&i| &self.sums[i]) {
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
    /// ".." for at least 1; an attack read three hidden columns adding up to 6 as each 1–4 that way) —
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

    /// A second output beside a published one: the first output's figures are fixed, the second's are
    /// hidden to protect them, and the second's ".." is taken for at least 1 by its own zeros only.
    #[test]
    fn an_output_beside_a_published_one_hides_its_own_figures_only() {
        // Published: enrolments 20 hidden, exits 17 shown, still enrolled 3 hidden.
        let mut s = Linked::new();
        let enrolments = s.printed(20, true);
        let exits = s.printed(17, false);
        let still = s.printed(3, true);
        s.sum(enrolments, &[still, exits]);
        s.protect();
        assert_eq!(s.first_disclosed(), None);
        s.fix_all();
        // Beside it, a table of the same cohort prints the enrolments (matched by their group): 20 − 17 = 3.
        s.next_output();
        let reprinted = s.printed(20, false);
        s.sum(enrolments, &[reprinted]);
        assert_eq!(s.first_disclosed(), Some(still));
        s.protect();
        assert!(s.is_hidden(reprinted) && !s.is_hidden(exits), "the new output's figure is hidden, the published one stays");
        assert_eq!(s.first_disclosed(), None);
    }

    /// A count that figures published elsewhere give away whatever the new output shows (it equals a group
    /// the reader knows) is not the new output's to protect: hiding all of it would not help. Its own
    /// printed count of 1–4 is still hidden, and the rest stays shown.
    #[test]
    fn a_count_given_away_elsewhere_does_not_hide_the_new_output() {
        let mut s = Linked::new();
        let known = s.printed(3, false);
        s.fix_all();
        s.next_output();
        let small = s.printed(3, false);
        let other = s.printed(40, false);
        s.sum(known, &[small]);
        s.protect();
        assert!(s.is_hidden(small) && !s.is_hidden(other) && !s.is_hidden(known));
    }

    /// A published total beside a new output's parts: the new output hides its own parts to protect them.
    #[test]
    fn a_published_total_is_protected_by_hiding_the_new_outputs_parts() {
        // Published: a total of 30 (fixed, shown). The new output prints a part of 2 and a part of 28 that
        // add up to it, and another figure; "2" is hidden, "28" then gives it, and hiding "28" protects it.
        let mut s = Linked::new();
        let total = s.printed(30, false);
        s.fix_all();
        s.next_output();
        let small = s.printed(2, false);
        let rest = s.printed(28, false);
        let other = s.printed(40, false);
        s.sum(total, &[small, rest]);
        s.protect();
        assert!(s.is_hidden(small) && s.is_hidden(rest) && !s.is_hidden(other) && !s.is_hidden(total));
        assert_eq!(s.first_disclosed(), None);
    }

    /// A sum no output prints and no other identity uses constrains nothing: it is left out of the programs.
    #[test]
    fn an_unprinted_sum_used_once_binds_nothing() {
        let mut s = Linked::new();
        let a = s.printed(2, true);
        let b = s.printed(9, true);
        let column = s.unprinted(11);
        s.sum(column, &[a, b]);
        assert!(s.binding_sums().is_empty());
        let printed_total = s.printed(11, false);
        s.sum(printed_total, &[column]);
        assert_eq!(s.binding_sums().len(), 2, "tied to a printed figure, it binds");
    }

    /// An identity taken for known only to be careful still counts when the audit asks what a reader can
    /// work out: a published hidden 4 tied (as assumed) to a sum the new output's shown figures give.
    #[test]
    fn an_assumed_identity_is_audited() {
        let mut s = Linked::new();
        let small = s.printed(4, true);
        s.fix_all();
        s.next_output();
        let whole = s.printed(20, false);
        let rest = s.printed(16, false);
        let sum = s.unprinted(4);
        s.sum(whole, &[sum, rest]);
        s.sum_assumed(small, &[sum]);
        assert_eq!(s.first_disclosed(), Some(small));
        s.protect();
        assert!(s.is_hidden(rest) || s.is_hidden(whole), "the new output hides a figure");
        assert_eq!(s.first_disclosed(), None);
    }

    /// A count pinned only by the new output's own "<5" marks beside published figures is the new
    /// output's to protect, not given away already: 8 = x + y with both printed again as "<5" gives x = 4.
    #[test]
    fn marks_of_the_new_output_are_its_own() {
        let mut s = Linked::new();
        let total = s.printed(8, false);
        let x = s.printed(4, true);
        let y = s.printed(4, true);
        s.sum(total, &[x, y]);
        s.fix_all();
        s.next_output();
        let x_again = s.announced_small(4);
        let y_again = s.announced_small(4);
        s.sum(x, &[x_again]);
        s.sum(y, &[y_again]);
        assert!(s.first_disclosed().is_some());
        s.protect();
        assert_eq!(s.first_disclosed(), None);
        assert!(!s.is_announced(x_again) || !s.is_announced(y_again), "a '<5' that gives the 4 away is not printed");
    }
}
