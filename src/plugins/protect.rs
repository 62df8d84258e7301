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
/// columns relate. Raw: true counts, every title marked raw.
pub(super) fn publish(output: PluginOutput, p: &Protector, lang: Lang) -> Result<Output, String> {
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
        let published: Vec<Vec<Cell>> = match p.protection() {
            Protection::Suppression if !counts.is_empty() && !count_columns.is_empty() => p.grid(&counts, false).cells,
            _ => counts.iter().map(|r| r.iter().map(|t| p.count(*t)).collect()).collect(),
        };
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
                        PluginValue::Number(v) => Value::Number(v),
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
