//! Small-cell suppression (`--protection suppression`), for publishers whose rules require it: no cell may
//! show, or let anyone work out from the same table, a count of fewer than five people.
//!
//! A count standing alone (a share's k and n, people at risk, a heading) is shown unless it is 1–4, which
//! is written "<5". In a table with totals, primary suppression hides every count from 1 to 4 (zero
//! reveals no one and is shown) and secondary suppression then hides more cells until, in every row and
//! column (each with its total), no hidden cell can be recovered by subtraction: a line with a hidden
//! entry has at least two hidden entries, and when its total is shown the hidden cells add up to at least
//! five. The lines are checked again after every change, so a cell hidden for a row's sake is protected
//! in its column too.
//!
//! Every hidden cell of a table is written "..", the small ones and their partners alike. "<5" over a
//! partner of 300 people would tell a board something false; a marker of its own for partners would tell
//! a reader which cells are 1–4 and which are not, and with the totals that can pin the small ones down
//! (in [[4, 2], [2, 5]] with every total shown and the 5 marked as a partner, only 4, 2, 2 fit).

use super::Cell;

/// Counts below this are never shown to a board.
pub const MIN_CELL: u64 = 5;

/// A table of counts after suppression, with its row, column and grand totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressedGrid {
    /// The cells, row by row.
    pub cells: Vec<Vec<Cell>>,
    /// Each row's total.
    pub row_totals: Vec<Cell>,
    /// Each column's total.
    pub column_totals: Vec<Cell>,
    /// The grand total.
    pub total: Cell,
}

fn is_small(v: u64) -> bool {
    v > 0 && v < MIN_CELL
}

/// Suppresses a table of counts (rows × columns, all rows the same length) together with its totals.
pub fn suppress_grid(counts: &[Vec<u64>]) -> SuppressedGrid {
    suppress(counts, false)
}

/// As `suppress_grid`, and the grand total is hidden too, so that it cannot be worked out from the table:
/// for a table whose total, shown beside another count, would give away a small difference (enrolments
/// beside exits when 1–4 people are still enrolled).
pub fn suppress_grid_hiding_total(counts: &[Vec<u64>]) -> SuppressedGrid {
    suppress(counts, true)
}

/// Every count shown, with its totals: raw output for research.
pub fn unsuppressed_grid(counts: &[Vec<u64>]) -> SuppressedGrid {
    let cols = counts.first().map_or(0, Vec::len);
    SuppressedGrid {
        cells: counts.iter().map(|r| r.iter().map(|&v| Cell::Shown(v)).collect()).collect(),
        row_totals: counts.iter().map(|r| Cell::Shown(r.iter().sum())).collect(),
        column_totals: (0..cols).map(|j| Cell::Shown(counts.iter().map(|r| r[j]).sum())).collect(),
        total: Cell::Shown(counts.iter().flatten().sum()),
    }
}

fn suppress(counts: &[Vec<u64>], hide_total: bool) -> SuppressedGrid {
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
    hidden[rows][cols] |= hide_total;

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
            // The line rule holds; now the exact audit: rows and columns solved together must not pin a
            // hidden entry down, nor narrow a small one to 1–4. Each leak hides one more cell of its lines.
            match leak(&value, &hidden) {
                Some(((i, j), by_zeros)) => match partner(&value, &hidden, (i, j), by_zeros) {
                    Some((pi, pj)) => hidden[pi][pj] = true,
                    None => break,
                },
                None => break,
            }
        }
    }
    let cell = |i: usize, j: usize| if hidden[i][j] { Cell::Hidden } else { Cell::Shown(value[i][j]) };
    SuppressedGrid {
        cells: (0..rows).map(|i| (0..cols).map(|j| cell(i, j)).collect()).collect(),
        row_totals: (0..rows).map(|i| cell(i, cols)).collect(),
        column_totals: (0..cols).map(|j| cell(rows, j)).collect(),
        total: cell(rows, cols),
    }
}

/// The first hidden entry the audit finds disclosed: its range is one value (other than 0, which reveals no
/// one), or it holds 1–4 people and its range lies inside 1–4; or, to a reader who takes ".." for at least
/// 1, it holds 1–4 people and its range is one value.
/// The second value says which: hiding a 0 is what protects an entry pinned only that way.
fn leak(value: &[Vec<u64>], hidden: &[Vec<bool>]) -> Option<((usize, usize), bool)> {
    super::audit::hidden_ranges(value, hidden)
        .into_iter()
        .find(|&((i, j), (low, high))| (low == high && value[i][j] > 0) || (is_small(value[i][j]) && low >= 1 && high < MIN_CELL))
        .map(|(entry, _)| (entry, false))
        .or_else(|| {
            super::audit::hidden_ranges_to_one_who_takes_hidden_as_not_zero(value, hidden)
                .into_iter()
                .find(|&((i, j), (low, high))| is_small(value[i][j]) && low == high)
                .map(|(entry, _)| (entry, true))
        })
}

/// A shown cell to hide beside `entry`: the smallest shown non-zero part of its row or column (not a total),
/// failing that any shown entry of its lines.
/// With `zero_first`, a shown 0 of its lines (else of the table) is taken first.
fn partner(value: &[Vec<u64>], hidden: &[Vec<bool>], (i, j): (usize, usize), zero_first: bool) -> Option<(usize, usize)> {
    let rows = value.len() - 1;
    let cols = value[0].len() - 1;
    let lines: Vec<(usize, usize)> = (0..=cols).map(|c| (i, c)).chain((0..=rows).map(|r| (r, j))).filter(|&e| e != (i, j)).collect();
    let is_part = |&(r, c): &(usize, usize)| r < rows && c < cols;
    let shown_part = |e: &&(usize, usize)| is_part(e) && !hidden[e.0][e.1] && value[e.0][e.1] > 0;
    // Its own lines first; when they are all hidden, any shown cell of the table (the leak comes through
    // other lines), so the loop never stops with a known leak while something can still be hidden.
    let everywhere: Vec<(usize, usize)> = (0..=rows).flat_map(|r| (0..=cols).map(move |c| (r, c))).collect();
    let shown_zero = |e: &&(usize, usize)| !hidden[e.0][e.1] && value[e.0][e.1] == 0;
    if zero_first {
        if let Some(e) = lines.iter().find(shown_zero).or_else(|| everywhere.iter().find(shown_zero)) {
            return Some(*e);
        }
    }
    lines
        .iter()
        .filter(shown_part)
        .min_by_key(|e| (value[e.0][e.1], e.0, e.1))
        .or_else(|| lines.iter().find(|e| !hidden[e.0][e.1]))
        .or_else(|| everywhere.iter().filter(shown_part).min_by_key(|e| (value[e.0][e.1], e.0, e.1)))
        .or_else(|| everywhere.iter().find(|e| !hidden[e.0][e.1]))
        .copied()
}

/// Whether a share k/n may be shown to a board: neither the k people nor the n - k others may be a group
/// of one to four, and n itself must be at least five.
pub fn share_may_be_shown(k: u64, n: u64) -> bool {
    n >= MIN_CELL && !is_small(k) && !is_small(n - k)
}

/// A part and its whole (k of n) as a board may see them: the whole unless it is 1–4, the part unless it
/// or the rest (n − k) is 1–4. A part hidden for the rest's sake is ".." (it is not small itself).
pub fn part_and_whole(part: u64, whole: u64) -> (Cell, Cell) {
    let whole_cell = if is_small(whole) { Cell::Suppressed } else { Cell::Shown(whole) };
    let part_cell = if is_small(part) {
        Cell::Suppressed
    } else if is_small(whole.saturating_sub(part)) || whole_cell.is_hidden() {
        Cell::Hidden
    } else {
        Cell::Shown(part)
    };
    (part_cell, whole_cell)
}

/// Whether a board must not see a report's number of enrolments beside its number of exits: their
/// difference, the people still enrolled, is 1–4.
pub fn hides_enrolments(r: &crate::analysis::Report) -> bool {
    !count_may_be_shown(r.enrolments.n - r.exited.n)
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
            let hidden: Vec<u64> = parts.iter().filter(|(c, _)| c.is_hidden()).map(|(_, v)| *v).collect();
            let unknowns = hidden.len() + usize::from(total.is_hidden());
            if unknowns == 1 {
                return Err(format!("{name}: one hidden entry can be recovered"));
            }
            let sum: u64 = hidden.iter().sum();
            if !total.is_hidden() && sum > 0 && sum < MIN_CELL {
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

    /// Whether `v` fits what the published entry says about it.
    fn agrees(published: Cell, v: u64) -> bool {
        match published {
            Cell::Shown(t) => t == v,
            Cell::Suppressed => is_small(v),
            Cell::Hidden => true,
        }
    }

    /// Brute force on small grids: every hidden cell that holds 1–4 people has more than one value
    /// consistent with everything shown (cells, totals) and with every row and column sum.
    fn small_counts_not_determined(counts: &[Vec<u64>], g: &SuppressedGrid) -> Result<(), String> {
        let rows = counts.len();
        let cols = counts[0].len();
        let mut unknown: Vec<(usize, usize)> = Vec::new();
        for i in 0..rows {
            for j in 0..cols {
                if g.cells[i][j].is_hidden() {
                    unknown.push((i, j));
                }
            }
        }
        // A reader bounds a hidden cell by a shown total of its row or column; failing that, only by the
        // markers. The search stops a little above the true grand total (it must include the truth).
        let cap: u64 = g.total.shown().unwrap_or(counts.iter().flatten().sum::<u64>() + MIN_CELL);
        let bound = |i: usize, j: usize| -> u64 {
            let by_row = g.row_totals[i].shown().unwrap_or(cap);
            let by_col = g.column_totals[j].shown().unwrap_or(cap);
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
                let row_ok = (0..rows).all(|i| agrees(g.row_totals[i], grid[i].iter().sum::<u64>()));
                let col_ok = (0..cols).all(|j| agrees(g.column_totals[j], (0..rows).map(|i| grid[i][j]).sum::<u64>()));
                let total_ok = agrees(g.total, grid.iter().flatten().sum::<u64>());
                if row_ok && col_ok && total_ok {
                    for (n, &(i, j)) in unknown.iter().enumerate() {
                        seen[n].insert(grid[i][j]);
                    }
                }
                return;
            }
            let (i, j) = unknown[k];
            for v in (0..=bound(i, j)).filter(|&v| agrees(g.cells[i][j], v)) {
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

    /// What the exact audit says a reader can derive about each hidden entry of a published grid.
    fn leaks(counts: &[Vec<u64>], g: &SuppressedGrid) -> Vec<String> {
        let rows = counts.len();
        let cols = counts[0].len();
        let mut value = vec![vec![0u64; cols + 1]; rows + 1];
        let mut hidden = vec![vec![false; cols + 1]; rows + 1];
        for i in 0..=rows {
            for j in 0..=cols {
                let (v, published) = match (i < rows, j < cols) {
                    (true, true) => (counts[i][j], g.cells[i][j]),
                    (true, false) => (counts[i].iter().sum(), g.row_totals[i]),
                    (false, true) => (counts.iter().map(|r| r[j]).sum(), g.column_totals[j]),
                    (false, false) => (counts.iter().flatten().sum(), g.total),
                };
                value[i][j] = v;
                hidden[i][j] = published.is_hidden();
            }
        }
        crate::disclosure::audit::hidden_ranges(&value, &hidden)
            .into_iter()
            .filter(|&((i, j), (low, high))| (low == high && value[i][j] > 0) || (is_small(value[i][j]) && low >= 1 && high < MIN_CELL))
            .map(|((i, j), range)| format!("({i}, {j}) = {} derivable as {range:?}", value[i][j]))
            .chain(
                crate::disclosure::audit::hidden_ranges_to_one_who_takes_hidden_as_not_zero(&value, &hidden)
                    .into_iter()
                    .filter(|&((i, j), (low, high))| is_small(value[i][j]) && low == high)
                    .map(|((i, j), range)| format!("({i}, {j}) = {} pinned as {range:?} taking '..' for at least 1", value[i][j])),
            )
            .collect()
    }

    /// A reader who takes ".." for at least 1 (zeros are shown) pins no small cell: five hidden 1s in a row
    /// of total 5 would each be exactly 1.
    #[test]
    fn hidden_cells_taken_for_at_least_one_pin_nothing() {
        let counts = [vec![1, 1, 1, 1, 1], vec![9, 8, 7, 6, 5]];
        let g = suppress_grid(&counts);
        assert_eq!(leaks(&counts, &g), Vec::<String>::new(), "{g:?}");
    }

    /// The counter-examples the line rule let through: rows and columns solved together pinned a cell.
    #[test]
    fn rows_and_columns_solved_together_pin_nothing() {
        let g = suppress_grid(&[vec![8, 40, 1], vec![0, 20, 0], vec![40, 6, 2]]);
        assert_eq!(leaks(&[vec![8, 40, 1], vec![0, 20, 0], vec![40, 6, 2]], &g), Vec::<String>::new(), "{g:?}");
        let counts = [vec![1, 40, 2], vec![8, 12, 0], vec![0, 3, 40]];
        let g = suppress_grid_hiding_total(&counts);
        assert_eq!(leaks(&counts, &g), Vec::<String>::new(), "{g:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Larger tables (up to 9 × 9, the size of the support transition matrix): the audit finds nothing
        /// a reader could derive.
        #[test]
        fn large_tables_pass_the_exact_audit(counts in (2usize..=9, 2usize..=9).prop_flat_map(|(r, c)|
            proptest::collection::vec(proptest::collection::vec(prop_oneof![3 => 0u64..5, 2 => 0u64..60], c), r))) {
            let g = suppress_grid(&counts);
            prop_assert_eq!(leaks(&counts, &g), Vec::<String>::new());
        }
    }

    #[test]
    fn a_lone_small_cell_takes_a_partner() {
        let g = suppress_grid(&[vec![3, 10, 20], vec![12, 15, 30]]);
        assert_eq!(g.cells[0][0], Cell::Hidden);
        assert_eq!(g.cells[0][1], Cell::Hidden, "the smallest other cell of the row");
        assert_eq!(g.cells[1][0], Cell::Hidden, "and of the column");
        assert_eq!(g.total, Cell::Shown(90));
    }

    /// The case in the module's comment: with one marker for every hidden cell, the small ones are not
    /// pinned down.
    #[test]
    fn one_marker_for_every_hidden_cell_of_a_table() {
        let counts = [vec![4, 2], vec![2, 5]];
        let g = suppress_grid(&counts);
        assert!(g.cells.iter().flatten().all(|c| *c == Cell::Hidden), "{g:?}");
        assert_eq!(small_counts_not_determined(&counts, &g), Ok(()));
        assert_eq!(Cell::Hidden.to_string(), "..");
        assert_eq!(Cell::Suppressed.to_string(), "<5");
    }

    #[test]
    fn a_hidden_grand_total_cannot_be_worked_out() {
        let counts = [vec![30, 40], vec![50, 60]];
        let g = suppress_grid_hiding_total(&counts);
        assert_eq!(g.total, Cell::Hidden);
        assert_eq!(lines_are_protected(&counts, &g), Ok(()));
        let shown_columns = g.column_totals.iter().filter(|c| !c.is_hidden()).count();
        let shown_rows = g.row_totals.iter().filter(|c| !c.is_hidden()).count();
        assert!(shown_columns < 2 && shown_rows < 2, "neither the row nor the column totals add up to it: {g:?}");
        assert_eq!(suppress_grid(&counts).total, Cell::Shown(180));
    }

    #[test]
    fn a_part_never_gives_away_a_small_rest() {
        assert_eq!(part_and_whole(38, 40), (Cell::Hidden, Cell::Shown(40)), "40 − 38 = 2");
        assert_eq!(part_and_whole(3, 40), (Cell::Suppressed, Cell::Shown(40)));
        assert_eq!(part_and_whole(20, 40), (Cell::Shown(20), Cell::Shown(40)));
        assert_eq!(part_and_whole(40, 40), (Cell::Shown(40), Cell::Shown(40)), "no one is left out");
        assert_eq!(part_and_whole(0, 3), (Cell::Hidden, Cell::Suppressed), "none of 1–4 would tell each one's outcome");
        assert_eq!(part_and_whole(0, 0), (Cell::Shown(0), Cell::Shown(0)));
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
