//! A plugin's output published: every count through the same `Protector` as the core's own analyses.

use std::collections::HashMap;

use finsam_plugin::{Output as PluginOutput, Section as PluginSection, Tally, Term, Value as PluginValue};

use crate::codes::Lang;
use crate::disclosure::linked::{Figure, Linked};
use crate::disclosure::{Cell, Protection, Protector};
use crate::present::outputs::Output;
use crate::present::published::{published_cell, signature, single, ReportSystem, Signature};
use crate::present::render::{Section, Value};
use crate::present::section::{machine_names, TitledTable};

/// Turns a plugin's output into a published one.
///
/// Perturbation: every count is perturbed by its cell key, as everywhere. Suppression: each section's
/// counts are first treated as one table (rows × count columns) and suppressed with the exact audit as if
/// its row and column sums were public, which is the cautious reading when finsam does not know how a
/// plugin's columns relate; with a cohort whose report hides its enrolments, a table that names its column
/// of row totals may not give its grand total either. Then the whole output is audited as one linear
/// system (`audit_as_one_system`), beside the cohort's report when it has one. A per-person amount (a
/// number) in a row with a hidden count is not shown: whether a plugin could divide at all told a hidden
/// count of 1–4 from one of 5 or more. Raw: true counts, every title marked raw.
pub(super) fn publish(output: PluginOutput, p: &Protector, lang: Lang, report: Option<&ReportSystem>) -> Result<Output, String> {
    check_ids(&output)?;
    let hide_totals = report.is_some_and(ReportSystem::hides_enrolments);
    let mut sections = Vec::with_capacity(output.sections.len());
    let mut any_count = false;
    let mut first_patterns = Vec::with_capacity(output.sections.len());
    let mut grids = Vec::with_capacity(output.sections.len());
    for section in &output.sections {
        let width = section.columns.len();
        if let Some((i, row)) = section.rows.iter().enumerate().find(|(_, r)| r.len() != width) {
            return Err(format!("row {} of the table '{}' has {} values for {width} columns", i + 1, section.title, row.len()));
        }
        let grid = CountGrid::of(section);
        any_count |= !grid.columns.is_empty();
        let mut published: Vec<Vec<Cell>> = match p.protection() {
            Protection::Suppression if !grid.counts.is_empty() && !grid.columns.is_empty() => {
                suppressed(p, &grid.counts, section.row_total.and_then(|t| grid.columns.iter().position(|&k| k == t)), hide_totals)
            }
            _ => grid.counts.iter().map(|r| r.iter().map(|t| p.count(*t)).collect()).collect(),
        };
        if p.protection() == Protection::Suppression {
            hide_no_cell_alone(&mut published, &grid.counts, &grid.public_sums);
        }
        first_patterns.push(published);
        grids.push(grid);
    }
    if p.protection() == Protection::Suppression {
        audit_as_one_system(&output.sections, &grids, &mut first_patterns, report);
        // The audit may hide one cell of a group whose sum other outputs print; then its partner too.
        for (grid, published) in grids.iter().zip(first_patterns.iter_mut()) {
            hide_no_cell_alone(published, &grid.counts, &grid.public_sums);
        }
    }
    for ((section, published), grid) in output.sections.into_iter().zip(first_patterns).zip(grids) {
        let width = section.columns.len();
        let count_columns = grid.columns;
        let suppressed_rows: Vec<bool> = published.iter().map(|r| p.protection() == Protection::Suppression && r.contains(&Cell::Hidden)).collect();
        let mut title = section.title;
        if p.is_raw() {
            title.push_str(Protector::raw_mark(lang));
        }
        let keys = if section.keys.len() == width { section.keys } else { machine_names(&section.columns) };
        let mut out =
            Section { id: section.id, title, keys, columns: section.columns, rows: Vec::with_capacity(section.rows.len()), metadata: Vec::new() };
        for (r, row) in section.rows.into_iter().enumerate() {
            if section.context_rows.contains(&r) {
                continue;
            }
            out.rows.push(
                row.into_iter()
                    .enumerate()
                    .map(|(c, v)| match v {
                        PluginValue::Text(t) => Value::Text(t),
                        PluginValue::Count(_) => {
                            let position = count_columns.iter().position(|&k| k == c).expect("a count's column is a count column");
                            Value::Count(published[r][position])
                        }
                        PluginValue::Integer(v) => Value::Integer(v),
                        PluginValue::Number(v) => Value::Number(if suppressed_rows[r] { None } else { v }),
                    })
                    .collect(),
            );
        }
        sections.push(out);
    }
    let sections = sections.iter().map(TitledTable::of).collect::<crate::error::Result<Vec<_>>>().map_err(|e| e.to_string())?;
    // The legend explains what happened to counts; an output without counts (amounts only) has none.
    let note = if any_count { p.legend(lang) } else { None };
    Ok(Output { heading: output.heading, sections, protection: p.protection(), note, lang })
}

/// A plugin table's counts as a grid: the columns that hold counts (only they take part in a suppression
/// audit: a text or amount column in the grid would be a phantom cell that "protects" nothing), each row's
/// counts there (0 where a row has none), and the groups of those columns whose sums other outputs print
/// (`Section::public_sums`, by position among them).
struct CountGrid {
    columns: Vec<usize>,
    counts: Vec<Vec<Tally>>,
    public_sums: Vec<Vec<usize>>,
}

impl CountGrid {
    fn of(section: &PluginSection) -> CountGrid {
        let columns: Vec<usize> =
            (0..section.columns.len()).filter(|&c| section.rows.iter().any(|r| matches!(r[c], PluginValue::Count(_)))).collect();
        let counts = section
            .rows
            .iter()
            .map(|r| columns.iter().map(|&c| if let PluginValue::Count(t) = r[c] { t } else { Tally::default() }).collect())
            .collect();
        let public_sums = section.public_sums.iter().map(|g| g.iter().filter_map(|c| columns.iter().position(|k| k == c)).collect()).collect();
        CountGrid { columns, counts, public_sums }
    }
}

/// The whole output as one linear system (`disclosure::linked`), beside the figures of its cohort's report
/// as that report publishes them (fixed: they are public already): every count cell is a figure; each
/// table's column of row totals (`Section::row_total`), its other row sums, column sums and grand total are
/// groups; a plugin's own groups and identities (a stock and its flows) come in as it declares them. A
/// printed cell that is the same group of people as a report's printed figure, or as another printed cell —
/// the same count and cell key — is tied to it by an identity (a reader sees the same number beside it), so
/// that a plugin table reprinting a report's hidden count is audited with it. A sum no table prints that has
/// a printed figure's key, and a printed 0 beside each hidden 0 of the report (a group of nobody has no key
/// to tell which), are tied too, to be careful, but only as assumed (`Linked::sum_assumed`): a sum may have
/// another figure's key only because a part of it is 0, which no reader sees, and taking that for known
/// would excuse a report's hidden count as given away already (an attack read 4 others after exit off a
/// SUS export that way). Then cells are hidden until no count of 1–4 can be worked out from the report and
/// the output together; the report's own figures are never hidden for it.
fn audit_as_one_system(sections: &[PluginSection], grids: &[CountGrid], patterns: &mut [Vec<Vec<Cell>>], report: Option<&ReportSystem>) {
    let mut s = report.map(|r| r.linked.clone()).unwrap_or_default();
    s.next_output();
    let mut same_group: HashMap<Signature, Figure> = HashMap::new();
    let mut report_hidden_zeros = Vec::new();
    for &(f, sig) in report.map(|r| r.printed.as_slice()).unwrap_or_default() {
        if sig.0 > 0 {
            same_group.entry(sig).or_insert(f);
        } else if s.is_hidden(f) {
            report_hidden_zeros.push(f);
        }
    }
    // `printed`: a cell, which a reader sees beside the other figure; else a sum no table prints, taken
    // for the same group only to be careful (`Linked::sum_assumed`).
    let mut tie = |s: &mut Linked, f: Figure, t: Tally, printed: bool| {
        if t.n == 0 {
            return;
        }
        match same_group.get(&signature(t)) {
            Some(&g) if printed => s.sum(g, &[f]),
            Some(&g) => s.sum_assumed(g, &[f]),
            None => {
                same_group.insert(signature(t), f);
            }
        }
    };
    let mut cell_figures: Vec<Vec<Vec<Figure>>> = Vec::with_capacity(sections.len());
    for ((section, grid), pattern) in sections.iter().zip(grids).zip(patterns.iter()) {
        let (columns, counts) = (&grid.columns, &grid.counts);
        let figures: Vec<Vec<Figure>> = counts
            .iter()
            .zip(pattern)
            .enumerate()
            .map(|(i, (row, cells))| {
                row.iter()
                    .zip(cells)
                    .zip(columns)
                    .map(|((&t, &c), &column)| {
                        if !matches!(section.rows[i][column], PluginValue::Count(_)) {
                            // No count here (a text or an amount in a count column): nobody, and nothing printed.
                            let f = s.printed(0, false);
                            s.fix(f);
                            return f;
                        }
                        let f = single(&mut s, t.n, c);
                        tie(&mut s, f, t, true);
                        if t.n == 0 && !c.is_hidden() {
                            for &zero in &report_hidden_zeros {
                                s.sum_assumed(zero, &[f]);
                            }
                        }
                        f
                    })
                    .collect()
            })
            .collect();
        // Row sums: the column of row totals where the table names one; otherwise a group per row. Column
        // sums and the grand total: groups the table does not print. A sum with the key of a figure printed
        // elsewhere (the breakdown by sex of a total another table prints) is taken for that figure, to be
        // careful: a sum may have another figure's key only because a part of it is 0.
        let total_column = section.row_total.and_then(|t| columns.iter().position(|&k| k == t));
        let parts_of = |i: usize| (0..columns.len()).filter(|&j| Some(j) != total_column).map(|j| figures[i][j]).collect::<Vec<_>>();
        let part_tallies = |i: usize| (0..columns.len()).filter(|&j| Some(j) != total_column).map(|j| counts[i][j]).sum::<Tally>();
        for (i, row) in figures.iter().enumerate() {
            match total_column {
                Some(t) => s.sum(row[t], &parts_of(i)),
                None if columns.len() > 1 => {
                    let sum = part_tallies(i);
                    let f = s.unprinted(sum.n);
                    s.sum(f, &parts_of(i));
                    tie(&mut s, f, sum, false);
                }
                None => {}
            }
        }
        let mut column_sums = Vec::new();
        for j in (0..columns.len()).filter(|_| figures.len() > 1) {
            let sum: Tally = counts.iter().map(|r| r[j]).sum();
            let f = s.unprinted(sum.n);
            s.sum(f, &figures.iter().map(|r| r[j]).collect::<Vec<_>>());
            tie(&mut s, f, sum, false);
            if Some(j) != total_column {
                column_sums.push(f);
            }
        }
        if column_sums.len() > 1 {
            let sum: Tally = (0..figures.len()).map(part_tallies).sum();
            let f = s.unprinted(sum.n);
            s.sum(f, &column_sums);
            tie(&mut s, f, sum, false);
        }
        // The plugin's own groups and identities.
        let groups: Vec<Figure> = section
            .groups
            .iter()
            .map(|g| {
                if g.known {
                    let f = s.printed(g.count.n, false);
                    s.fix(f);
                    f
                } else {
                    s.unprinted(g.count.n)
                }
            })
            .collect();
        let term = |t: &Term| -> Option<Figure> {
            match *t {
                Term::Cell(row, column) => columns.iter().position(|&k| k == column).and_then(|j| figures.get(row).map(|r| r[j])),
                Term::Group(g) => groups.get(g).copied(),
            }
        };
        for identity in &section.identities {
            let parts: Option<Vec<Figure>> = identity.parts.iter().map(term).collect();
            match (term(&identity.total), parts) {
                (Some(total), Some(parts)) => s.sum(total, &parts),
                // An identity naming a cell outside the table's count columns, or a group that does not
                // exist: the plugin's model is wrong, and nothing of it is published on it. (A cell of a count
                // column that holds no count is nobody: the identity then holds only if that is right.)
                _ => s.mark_inconsistent(),
            }
        }
        cell_figures.push(figures);
    }
    s.protect();
    for (pattern, figures) in patterns.iter_mut().zip(&cell_figures) {
        for (cells, row) in pattern.iter_mut().zip(figures) {
            for (cell, &f) in cells.iter_mut().zip(row) {
                *cell = published_cell(&s, f);
            }
        }
    }
}

/// A table's counts under suppression (one row of `counts` per row, one value per count column). With a
/// column of row totals (`total`, its position among the count columns) the other columns are audited as
/// the grid and that column as its row totals; `hide_totals` (the cohort's report hides its enrolments):
/// the grand total must not be worked out either. Without one the rows' and columns' sums are taken as
/// public (the cautious reading for the cells; a plugin's own summary table often prints them): hiding
/// them in the audit would leave a lone hidden cell that the printed sum gives back.
fn suppressed(p: &Protector, counts: &[Vec<Tally>], total: Option<usize>, hide_totals: bool) -> Vec<Vec<Cell>> {
    let Some(total) = total else {
        return p.grid(counts, false).cells;
    };
    let parts: Vec<Vec<Tally>> = counts.iter().map(|r| r.iter().enumerate().filter(|(c, _)| *c != total).map(|(_, t)| *t).collect()).collect();
    let grid = p.grid(&parts, hide_totals);
    grid.cells
        .into_iter()
        .zip(grid.row_totals)
        .map(|(mut row, row_total)| {
            row.insert(total, row_total);
            row
        })
        .collect()
}

/// Under suppression, no group of cells whose sum is published elsewhere has exactly one cell hidden in a
/// row (that cell would be the sum less the others): the smallest other cell is hidden too.
/// Hiding more never narrows what a reader can derive about the cells hidden before.
fn hide_no_cell_alone(published: &mut [Vec<Cell>], counts: &[Vec<Tally>], groups: &[Vec<usize>]) {
    for (row, cells) in published.iter_mut().enumerate() {
        for group in groups {
            let hidden = group.iter().filter(|&&c| cells[c].is_hidden()).count();
            if hidden != 1 {
                continue;
            }
            // The smallest shown cell, a 0 too: beside a 0 the hidden cell would be the whole sum.
            let partner = group.iter().copied().filter(|&c| !cells[c].is_hidden()).min_by_key(|&c| counts[row][c].n);
            if let Some(c) = partner {
                cells[c] = Cell::Hidden;
            }
        }
    }
}

/// Every table of a plugin's output has a stable name of its own (snake_case), by which JSON, Python and
/// the board report find it: an empty, malformed or repeated one is the plugin's error.
fn check_ids(output: &PluginOutput) -> Result<(), String> {
    let mut seen = std::collections::BTreeSet::new();
    for (i, section) in output.sections.iter().enumerate() {
        let id = section.id.as_str();
        let snake = !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && !id.starts_with(|c: char| c.is_ascii_digit());
        if !snake {
            return Err(format!(
                "table {} ('{}') has the id '{id}': give every table a snake_case id (Section::new(\"actors\", ...))",
                i + 1,
                section.title
            ));
        }
        if !seen.insert(id) {
            return Err(format!("two tables have the id '{id}': each table's id must be its own"));
        }
    }
    Ok(())
}
