//! Small-cell suppression for everything a board sees: no cell may show, or let anyone work out, a count
//! of fewer than five people.
//!
//! Primary suppression hides every count from 1 to 4 (zero reveals no one and is shown). Secondary
//! suppression then hides more cells until, in every row and column (each with its total), no hidden
//! cell can be recovered by subtraction: a line with a hidden entry has at least two hidden entries, and
//! when its total is shown the hidden cells add up to at least five. The lines are checked again after
//! every change, so a cell hidden for a row's sake is protected in its column too.

/// Counts below this are never shown to a board.
pub const MIN_CELL: u64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Shown(u64),
    Suppressed,
}

impl Cell {
    pub fn shown(self) -> Option<u64> {
        match self {
            Cell::Shown(v) => Some(v),
            Cell::Suppressed => None,
        }
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Shown(v) => write!(f, "{v}"),
            Cell::Suppressed => f.write_str("<5"),
        }
    }
}

/// A table of counts after suppression, with its row, column and grand totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressedGrid {
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub column_totals: Vec<Cell>,
    pub total: Cell,
}

fn is_small(v: u64) -> bool {
    v > 0 && v < MIN_CELL
}

/// Suppresses a table of counts (rows × columns, all rows the same length) together with its totals.
pub fn suppress_grid(counts: &[Vec<u64>]) -> SuppressedGrid {
    let rows = counts.len();
    let cols = counts.first().map_or(0, Vec::len);
    assert!(counts.iter().all(|r| r.len() == cols), "every row has the same number of columns");
    // The grid extended by a total column and a total row: value[i][j], i in 0..=rows, j in 0..=cols.
    let mut value = vec![vec![0u64; cols + 1]; rows + 1];
    for i in 0..rows {
        for j in 0..cols {
            value[i][j] = counts[i][j];
            value[i][cols] += counts[i][j];
            value[rows][j] += counts[i][j];
        }
        value[rows][cols] += value[i][cols];
    }
    let mut hidden: Vec<Vec<bool>> = value.iter().map(|r| r.iter().map(|&v| is_small(v)).collect()).collect();

    // Every line: its parts and its total, as (i, j) positions.
    type Position = (usize, usize);
    let mut lines: Vec<(Vec<Position>, Position)> = Vec::new();
    for i in 0..=rows {
        lines.push(((0..cols).map(|j| (i, j)).collect(), (i, cols)));
    }
    for j in 0..=cols {
        lines.push(((0..rows).map(|i| (i, j)).collect(), (rows, j)));
    }
    loop {
        let mut changed = false;
        for (parts, total) in &lines {
            let hidden_parts: Vec<&(usize, usize)> = parts.iter().filter(|&&(i, j)| hidden[i][j]).collect();
            let total_hidden = hidden[total.0][total.1];
            let unknowns = hidden_parts.len() + usize::from(total_hidden);
            if unknowns == 0 {
                continue;
            }
            let hidden_sum: u64 = hidden_parts.iter().map(|&&(i, j)| value[i][j]).sum();
            let recoverable = unknowns == 1 || (!total_hidden && hidden_sum > 0 && hidden_sum < MIN_CELL);
            if !recoverable {
                continue;
            }
            // Hide the smallest shown non-zero part; failing that the total; failing that a zero part.
            let next = parts
                .iter()
                .filter(|&&(i, j)| !hidden[i][j] && value[i][j] > 0)
                .min_by_key(|&&(i, j)| (value[i][j], i, j))
                .copied()
                .or_else(|| (!total_hidden).then_some(*total))
                .or_else(|| parts.iter().find(|&&(i, j)| !hidden[i][j]).copied());
            if let Some((i, j)) = next {
                hidden[i][j] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let cell = |i: usize, j: usize| if hidden[i][j] { Cell::Suppressed } else { Cell::Shown(value[i][j]) };
    SuppressedGrid {
        cells: (0..rows).map(|i| (0..cols).map(|j| cell(i, j)).collect()).collect(),
        row_totals: (0..rows).map(|i| cell(i, cols)).collect(),
        column_totals: (0..cols).map(|j| cell(rows, j)).collect(),
        total: cell(rows, cols),
    }
}

/// Whether a share k/n may be shown to a board: neither the k people nor the n - k others may be a group
/// of one to four, and n itself must be at least five.
pub fn share_may_be_shown(k: u64, n: u64) -> bool {
    n >= MIN_CELL && !is_small(k) && !is_small(n - k)
}

/// Whether a count may be shown to a board on its own (not part of a table with totals).
pub fn count_may_be_shown(v: u64) -> bool {
    !is_small(v)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Every line with a hidden entry has two hidden entries, and hidden parts under a shown total add up
    /// to at least five: subtraction along any row or column recovers nothing.
    #[allow(clippy::needless_range_loop)] // rows and columns are walked by index on purpose
    fn lines_are_protected(counts: &[Vec<u64>], g: &SuppressedGrid) -> Result<(), String> {
        let rows = counts.len();
        let cols = counts[0].len();
        let check = |parts: Vec<(Cell, u64)>, total: Cell, name: String| -> Result<(), String> {
            let hidden: Vec<u64> = parts.iter().filter(|(c, _)| *c == Cell::Suppressed).map(|(_, v)| *v).collect();
            let unknowns = hidden.len() + usize::from(total == Cell::Suppressed);
            if unknowns == 1 {
                return Err(format!("{name}: one hidden entry can be recovered"));
            }
            let sum: u64 = hidden.iter().sum();
            if total != Cell::Suppressed && sum > 0 && sum < MIN_CELL {
                return Err(format!("{name}: the hidden cells add up to {sum}"));
            }
            Ok(())
        };
        for i in 0..rows {
            check((0..cols).map(|j| (g.cells[i][j], counts[i][j])).collect(), g.row_totals[i], format!("row {i}"))?;
        }
        for j in 0..cols {
            check((0..rows).map(|i| (g.cells[i][j], counts[i][j])).collect(), g.column_totals[j], format!("column {j}"))?;
        }
        let col_sums: Vec<u64> = (0..cols).map(|j| (0..rows).map(|i| counts[i][j]).sum()).collect();
        check((0..cols).map(|j| (g.column_totals[j], col_sums[j])).collect(), g.total, "totals row".into())?;
        let row_sums: Vec<u64> = counts.iter().map(|r| r.iter().sum()).collect();
        check((0..rows).map(|i| (g.row_totals[i], row_sums[i])).collect(), g.total, "totals column".into())?;
        Ok(())
    }

    /// Brute force on small grids: every hidden cell that holds 1–4 people has more than one value
    /// consistent with everything shown (cells, totals) and with every row and column sum.
    fn small_counts_not_determined(counts: &[Vec<u64>], g: &SuppressedGrid) -> Result<(), String> {
        let rows = counts.len();
        let cols = counts[0].len();
        let mut unknown: Vec<(usize, usize)> = Vec::new();
        for i in 0..rows {
            for j in 0..cols {
                if g.cells[i][j] == Cell::Suppressed {
                    unknown.push((i, j));
                }
            }
        }
        let grand: u64 = counts.iter().flatten().sum();
        let bound = |i: usize, j: usize| -> u64 {
            let by_row = g.row_totals[i].shown().unwrap_or(grand);
            let by_col = g.column_totals[j].shown().unwrap_or(grand);
            by_row.min(by_col)
        };
        // Enumerate assignments of the unknown cells; keep those consistent with the shown totals.
        let mut seen: Vec<std::collections::BTreeSet<u64>> = vec![Default::default(); unknown.len()];
        let mut grid: Vec<Vec<u64>> = (0..rows).map(|i| (0..cols).map(|j| g.cells[i][j].shown().unwrap_or(0)).collect()).collect();
        fn search(
            k: usize,
            unknown: &[(usize, usize)],
            grid: &mut Vec<Vec<u64>>,
            g: &SuppressedGrid,
            bound: &dyn Fn(usize, usize) -> u64,
            seen: &mut Vec<std::collections::BTreeSet<u64>>,
            budget: &mut u64,
        ) {
            if *budget == 0 {
                return;
            }
            *budget -= 1;
            if k == unknown.len() {
                let rows = grid.len();
                let cols = grid[0].len();
                let row_ok = (0..rows).all(|i| g.row_totals[i].shown().is_none_or(|t| grid[i].iter().sum::<u64>() == t));
                let col_ok = (0..cols).all(|j| g.column_totals[j].shown().is_none_or(|t| (0..rows).map(|i| grid[i][j]).sum::<u64>() == t));
                let total_ok = g.total.shown().is_none_or(|t| grid.iter().flatten().sum::<u64>() == t);
                if row_ok && col_ok && total_ok {
                    for (n, &(i, j)) in unknown.iter().enumerate() {
                        seen[n].insert(grid[i][j]);
                    }
                }
                return;
            }
            let (i, j) = unknown[k];
            for v in 0..=bound(i, j) {
                grid[i][j] = v;
                search(k + 1, unknown, grid, g, bound, seen, budget);
            }
        }
        let mut budget = 2_000_000u64;
        search(0, &unknown, &mut grid, g, &bound, &mut seen, &mut budget);
        if budget == 0 {
            return Ok(()); // too large to enumerate; the line rule above still holds
        }
        for (n, &(i, j)) in unknown.iter().enumerate() {
            if is_small(counts[i][j]) && seen[n].len() < 2 {
                return Err(format!("cell ({i}, {j}) = {} is determined by the published table", counts[i][j]));
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn no_small_cell_can_be_recovered(counts in (1usize..=4, 1usize..=4).prop_flat_map(|(r, c)|
            proptest::collection::vec(proptest::collection::vec(0u64..12, c), r))) {
            let g = suppress_grid(&counts);
            // No shown entry is a small count.
            for (i, row) in g.cells.iter().enumerate() {
                for (j, cell) in row.iter().enumerate() {
                    if let Cell::Shown(v) = cell { prop_assert!(!is_small(*v), "cell ({i}, {j}) shows {v}"); }
                    if let Cell::Shown(v) = cell { prop_assert_eq!(*v, counts[i][j]); }
                }
            }
            for t in g.row_totals.iter().chain(&g.column_totals).chain(std::iter::once(&g.total)) {
                if let Cell::Shown(v) = t { prop_assert!(!is_small(*v)); }
            }
            prop_assert_eq!(lines_are_protected(&counts, &g), Ok(()));
            if counts.len() * counts[0].len() <= 6 {
                prop_assert_eq!(small_counts_not_determined(&counts, &g), Ok(()));
            }
        }
    }

    #[test]
    fn a_lone_small_cell_takes_a_partner() {
        let g = suppress_grid(&[vec![3, 10, 20], vec![12, 15, 30]]);
        assert_eq!(g.cells[0][0], Cell::Suppressed);
        assert_eq!(g.cells[0][1], Cell::Suppressed, "the smallest other cell of the row");
        assert_eq!(g.cells[1][0], Cell::Suppressed, "and of the column");
        assert_eq!(g.total, Cell::Shown(90));
    }

    #[test]
    fn shares_of_small_groups_are_hidden() {
        assert!(!share_may_be_shown(3, 40));
        assert!(!share_may_be_shown(38, 40), "the two who did not are a small group too");
        assert!(!share_may_be_shown(0, 4));
        assert!(share_may_be_shown(0, 40));
        assert!(share_may_be_shown(20, 40));
    }
}
