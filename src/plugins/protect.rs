//! A plugin's output published: every count through the same `Protector` as the core's own analyses.

use finsam_plugin::{Output as PluginOutput, Tally, Value as PluginValue};

use crate::analysis::outputs::Output;
use crate::analysis::render::{Section, Value};
use crate::analysis::section::{machine_names, TitledTable};
use crate::codes::Lang;
use crate::disclosure::{Cell, Protection, Protector};

/// Turns a plugin's output into a published one.
///
/// Perturbation: every count is perturbed by its cell key, as everywhere. Suppression: a section's counts
/// are treated as one table (rows × count columns) and suppressed with the exact audit as if its row and
/// column sums were public, which is the cautious reading when finsam does not know how a plugin's
/// columns relate; with `hide_totals` (its cohort's report hides its enrolments) a table that names its
/// column of row totals may not give its grand total either. A per-person amount (a number) in a row with
/// a hidden count is not shown: whether a plugin could divide at all told a hidden count of 1–4 from one
/// of 5 or more. Raw: true counts, every title marked raw.
pub(super) fn publish(output: PluginOutput, p: &Protector, lang: Lang, hide_totals: bool) -> Result<Output, String> {
    let mut sections = Vec::with_capacity(output.sections.len());
    let mut any_count = false;
    for section in output.sections {
        let width = section.columns.len();
        if let Some((i, row)) = section.rows.iter().enumerate().find(|(_, r)| r.len() != width) {
            return Err(format!("row {} of the table '{}' has {} values for {width} columns", i + 1, section.title, row.len()));
        }
        // The columns that hold counts; only they take part in a suppression audit (a text or amount column
        // in the grid would be a phantom cell that "protects" nothing).
        let count_columns: Vec<usize> = (0..width).filter(|&c| section.rows.iter().any(|r| matches!(r[c], PluginValue::Count(_)))).collect();
        any_count |= !count_columns.is_empty();
        let counts: Vec<Vec<Tally>> = section
            .rows
            .iter()
            .map(|r| count_columns.iter().map(|&c| if let PluginValue::Count(t) = r[c] { t } else { Tally::default() }).collect())
            .collect();
        let mut published: Vec<Vec<Cell>> = match p.protection() {
            Protection::Suppression if !counts.is_empty() && !count_columns.is_empty() => {
                suppressed(p, &counts, section.row_total.and_then(|t| count_columns.iter().position(|&k| k == t)), hide_totals)
            }
            _ => counts.iter().map(|r| r.iter().map(|t| p.count(*t)).collect()).collect(),
        };
        if p.protection() == Protection::Suppression {
            let groups: Vec<Vec<usize>> =
                section.public_sums.iter().map(|g| g.iter().filter_map(|c| count_columns.iter().position(|k| k == c)).collect()).collect();
            hide_no_cell_alone(&mut published, &counts, &groups);
        }
        let suppressed_rows: Vec<bool> = published.iter().map(|r| p.protection() == Protection::Suppression && r.contains(&Cell::Hidden)).collect();
        let mut title = section.title;
        if p.is_raw() {
            title.push_str(Protector::raw_mark(lang));
        }
        let keys = if section.keys.len() == width { section.keys } else { machine_names(&section.columns) };
        let mut out = Section { title, keys, columns: section.columns, rows: Vec::with_capacity(section.rows.len()), metadata: Vec::new() };
        for (r, row) in section.rows.into_iter().enumerate() {
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
