//! The exact audit of a suppressed table (τ-ARGUS style): for every hidden entry, the range of values a
//! reader can derive from everything the table shows — the shown cells and totals, every row and column
//! adding up to its total, and counts that are never negative — solved as linear programs.
//!
//! A table of counts with its margins has a totally unimodular constraint matrix (it is a network flow), so
//! the linear programs' optima are whole numbers and the ranges are exact for integer counts too.

use microlp::{ComparisonOp, OptimizationDirection, Problem};

/// An entry of a table extended by its totals: (row, column), with row `rows` the column totals and column
/// `cols` the row totals.
pub type Entry = (usize, usize);

/// No count in a table is larger than this (a bound for the solver when the grand total is hidden).
const LARGEST: f64 = 1.0e9;

/// The range (smallest, largest) each hidden entry can take given everything shown, in the order of
/// `hidden`'s rows and columns. `value` and `hidden` are the table extended by its totals.
pub fn hidden_ranges(value: &[Vec<u64>], hidden: &[Vec<bool>]) -> Vec<(Entry, (u64, u64))> {
    ranges(value, hidden, 0.0)
}

/// As `hidden_ranges`, for a reader who takes every hidden entry other than 0 to be at least 1: zeros are
/// shown and counts of 1–4 are hidden first, so ".." almost never hides a 0 (only a partner chosen among
/// zeros does). The audit keeps such a reader from pinning a small entry to one value; that they can narrow
/// one to 1–4 is what the mark itself says (an attack read three hidden columns adding up to 6 as each 1–4).
/// When the table hides a 0 somewhere, no ".." is surely at least 1, and the ranges are `hidden_ranges`'.
pub fn hidden_ranges_to_one_who_takes_hidden_as_not_zero(value: &[Vec<u64>], hidden: &[Vec<bool>]) -> Vec<(Entry, (u64, u64))> {
    let hides_a_zero = value.iter().flatten().zip(hidden.iter().flatten()).any(|(&v, &h)| h && v == 0);
    ranges(value, hidden, if hides_a_zero { 0.0 } else { 1.0 })
}

fn ranges(value: &[Vec<u64>], hidden: &[Vec<bool>], least_hidden: f64) -> Vec<(Entry, (u64, u64))> {
    let rows = value.len() - 1;
    let cols = value[0].len() - 1;
    let unknowns: Vec<Entry> = (0..=rows).flat_map(|i| (0..=cols).map(move |j| (i, j))).filter(|&(i, j)| hidden[i][j]).collect();
    let mut out = Vec::with_capacity(unknowns.len());
    for &target in &unknowns {
        let low = optimum(value, hidden, &unknowns, target, OptimizationDirection::Minimize, least_hidden);
        let high = optimum(value, hidden, &unknowns, target, OptimizationDirection::Maximize, least_hidden);
        out.push((target, (low.map_or(0, |v| v.round().max(0.0) as u64), high.map_or(u64::MAX, |v| v.round().max(0.0) as u64))));
    }
    out
}

/// The smallest or largest value of `target` consistent with the table; `None` when the solver cannot say
/// (then the audit assumes the widest range, and the line rule still holds).
fn optimum(
    value: &[Vec<u64>],
    hidden: &[Vec<bool>],
    unknowns: &[Entry],
    target: Entry,
    direction: OptimizationDirection,
    least_hidden: f64,
) -> Option<f64> {
    let rows = value.len() - 1;
    let cols = value[0].len() - 1;
    let mut problem = Problem::new(direction);
    let vars: Vec<(Entry, microlp::Variable)> = unknowns
        .iter()
        .map(|&e| (e, problem.add_var(if e == target { 1.0 } else { 0.0 }, (if value[e.0][e.1] > 0 { least_hidden } else { 0.0 }, LARGEST))))
        .collect();
    let var = |e: Entry| vars.iter().find(|(x, _)| *x == e).map(|(_, v)| *v);
    // Each line: parts minus total = 0, with shown entries moved to the right-hand side.
    let mut lines: Vec<Vec<(Entry, f64)>> = Vec::new();
    for i in 0..=rows {
        let mut line: Vec<(Entry, f64)> = (0..cols).map(|j| ((i, j), 1.0)).collect();
        line.push(((i, cols), -1.0));
        lines.push(line);
    }
    for j in 0..=cols {
        let mut line: Vec<(Entry, f64)> = (0..rows).map(|i| ((i, j), 1.0)).collect();
        line.push(((rows, j), -1.0));
        lines.push(line);
    }
    for line in lines {
        let mut rhs = 0.0;
        let mut expr = Vec::new();
        for ((i, j), coefficient) in line {
            if hidden[i][j] {
                expr.push((var((i, j))?, coefficient));
            } else {
                rhs -= coefficient * value[i][j] as f64;
            }
        }
        if !expr.is_empty() {
            problem.add_constraint(expr.as_slice(), ComparisonOp::Eq, rhs);
        }
    }
    let outcome = problem.solve().ok()?;
    outcome.solution().map(|s| s.objective())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extend(counts: &[Vec<u64>]) -> Vec<Vec<u64>> {
        let cols = counts[0].len();
        let mut v: Vec<Vec<u64>> = counts.iter().map(|r| r.iter().copied().chain(std::iter::once(r.iter().sum())).collect()).collect();
        let totals: Vec<u64> = (0..=cols).map(|j| v.iter().map(|r| r[j]).sum()).collect();
        v.push(totals);
        v
    }

    #[test]
    fn a_cell_alone_in_its_column_is_determined_and_a_pair_is_not() {
        // [[3, 7], [5, 5]] with the first row hidden: the column totals give both cells.
        let value = extend(&[vec![3, 7], vec![5, 5]]);
        let mut hidden = vec![vec![false; 3]; 3];
        hidden[0][0] = true;
        hidden[0][1] = true;
        let ranges = hidden_ranges(&value, &hidden);
        assert_eq!(ranges, vec![((0, 0), (3, 3)), ((0, 1), (7, 7))]);
        // The four cells hidden, every total shown: 3 can be anything from 0 to 8.
        hidden[1][0] = true;
        hidden[1][1] = true;
        let ranges = hidden_ranges(&value, &hidden);
        assert_eq!(ranges[0], ((0, 0), (0, 8)));
        // To one who takes ".." for at least 1: 1 to 7.
        assert_eq!(hidden_ranges_to_one_who_takes_hidden_as_not_zero(&value, &hidden)[0], ((0, 0), (1, 7)));
    }
}
