//! Analysis results as printable tables, in Swedish or English, suppressed for boards or raw for research.
//!
//! Board output (`Privacy::Suppressed`, the default everywhere) goes through `privacy`: counts under five
//! become "<5", with secondary suppression, and shares of small groups are left out. Raw output is for
//! research and is marked as raw in its title.

use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, StringArray, UInt64Array};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;

use super::privacy::{count_may_be_shown, part_and_whole, share_may_be_shown, suppress_grid, suppress_grid_hiding_total, unsuppressed_grid, Cell, SuppressedGrid};
use super::report::{Measure, Report};
use super::stats::Share;
use crate::codes::{CodeList, Lang};
use crate::error::{FinsamError, Result};
use crate::table::Table;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Privacy {
    /// Board-facing: no count under five can be seen or recovered.
    #[default]
    Suppressed,
    /// Research output with every count; says so.
    Raw,
}

/// One value of a printable table.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    Count(Cell),
    /// A number that may be missing (an empty share): printed as null, never as NaN.
    Number(Option<f64>),
}

/// A titled table under construction.
pub struct Section {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Section {
    pub fn new(title: impl Into<String>, columns: &[&str]) -> Section {
        Section { title: title.into(), columns: columns.iter().map(|c| c.to_string()).collect(), rows: Vec::new() }
    }

    /// The section as Arrow: a column with any suppressed count is text ("<5", ".."), counts are integers,
    /// numbers are floats with nulls where there is nothing to show.
    pub fn to_table(&self) -> Result<Table> {
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for (c, name) in self.columns.iter().enumerate() {
            let column: Vec<&Value> = self.rows.iter().map(|r| &r[c]).collect();
            let any_text = column.iter().any(|v| match v {
                Value::Text(_) => true,
                Value::Count(c) => c.is_hidden(),
                Value::Number(_) => false,
            });
            let any_number = column.iter().any(|v| matches!(v, Value::Number(_)));
            if any_text {
                let values: Vec<Option<String>> = column
                    .iter()
                    .map(|v| match v {
                        Value::Text(t) => Some(t.clone()),
                        Value::Count(cell) => Some(cell.to_string()),
                        Value::Number(n) => n.map(|x| x.to_string()),
                    })
                    .collect();
                fields.push(Field::new(name, DataType::Utf8, true));
                arrays.push(Arc::new(StringArray::from(values)));
            } else if any_number {
                let values: Vec<Option<f64>> = column
                    .iter()
                    .map(|v| match v {
                        Value::Number(n) => n.filter(|x| x.is_finite()),
                        Value::Count(Cell::Shown(n)) => Some(*n as f64),
                        _ => None,
                    })
                    .collect();
                fields.push(Field::new(name, DataType::Float64, true));
                arrays.push(Arc::new(Float64Array::from(values)));
            } else {
                let values: Vec<Option<u64>> = column.iter().map(|v| if let Value::Count(c) = v { c.shown() } else { None }).collect();
                fields.push(Field::new(name, DataType::UInt64, true));
                arrays.push(Arc::new(UInt64Array::from(values)));
            }
        }
        let schema = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(schema.clone(), arrays)
            .map_err(|e| FinsamError::invalid(format!("cannot build the table '{}': {e}", self.title)))?;
        Ok(Table::new(schema, vec![batch]))
    }
}

fn t(lang: Lang, sv: &str, en: &str) -> String {
    match lang {
        Lang::Sv => sv.to_string(),
        Lang::En => en.to_string(),
    }
}

/// Rounds a proportion to four decimals (a hundredth of a percentage point) for printing.
fn round4(x: Option<f64>) -> Option<f64> {
    x.map(|v| (v * 10_000.0).round() / 10_000.0)
}

/// A count written into running text (a heading): "<5" for a board when it is 1–4.
pub fn count_text(v: u64, privacy: Privacy) -> String {
    match count(v, privacy) {
        Value::Count(cell) => cell.to_string(),
        _ => v.to_string(),
    }
}

/// A standalone count (not in a grid with totals).
fn count(v: u64, privacy: Privacy) -> Value {
    if privacy == Privacy::Raw || count_may_be_shown(v) {
        Value::Count(Cell::Shown(v))
    } else {
        Value::Count(Cell::Suppressed)
    }
}

/// A share of a report as a board may see it: its k, its n, and whether the share itself may be shown.
/// For "still enrolled" n is the number of enrolments, hidden when the report hides it
/// (`Report::hides_enrolments`).
fn share_cells(r: &Report, measure: Measure, privacy: Privacy) -> (Cell, Cell, bool) {
    let s = r.share(measure);
    match privacy {
        Privacy::Raw => (Cell::Shown(s.k), Cell::Shown(s.n), true),
        Privacy::Suppressed => {
            let (k, n) = part_and_whole(s.k, s.n);
            let n = if measure == Measure::StillEnrolled && r.hides_enrolments() && !n.is_hidden() { Cell::Hidden } else { n };
            (k, n, share_may_be_shown(s.k, s.n))
        }
    }
}

/// The row of one share: label, k, n, share and its interval; a share of a small group is left out.
fn share_row(label: String, s: &Share, (k, n, visible): (Cell, Cell, bool)) -> Vec<Value> {
    let number = |x: Option<f64>| Value::Number(if visible { round4(x) } else { None });
    vec![Value::Text(label), Value::Count(k), Value::Count(n), number(s.p), number(s.low), number(s.high)]
}

pub fn share_columns(lang: Lang) -> Vec<String> {
    match lang {
        Lang::Sv => vec!["mått", "antal", "av", "andel", "lägre 95 %", "övre 95 %"],
        Lang::En => vec!["measure", "k", "n", "share", "low 95%", "high 95%"],
    }
    .into_iter()
    .map(String::from)
    .collect()
}

/// How a table of counts is protected: `suppress_grid` (or `suppress_grid_hiding_total`) for a board,
/// `unsuppressed_grid` for raw output.
type Protect = fn(&[Vec<u64>]) -> SuppressedGrid;

fn protection(privacy: Privacy) -> Protect {
    match privacy {
        Privacy::Suppressed => suppress_grid,
        Privacy::Raw => unsuppressed_grid,
    }
}

/// A grid of counts with totals, protected by `protect`.
fn grid_section(title: String, corner: &str, row_labels: &[String], col_labels: &[String], counts: &[Vec<u64>], total: &str, protect: Protect) -> Section {
    let mut columns: Vec<&str> = vec![corner];
    columns.extend(col_labels.iter().map(String::as_str));
    columns.push(total);
    let mut section = Section::new(title, &columns);
    if counts.is_empty() {
        return section;
    }
    let g = protect(counts);
    for (i, label) in row_labels.iter().enumerate() {
        let mut row = vec![Value::Text(label.clone())];
        row.extend(g.cells[i].iter().map(|c| Value::Count(*c)));
        row.push(Value::Count(g.row_totals[i]));
        section.rows.push(row);
    }
    let mut row = vec![Value::Text(total.to_string())];
    row.extend(g.column_totals.iter().map(|c| Value::Count(*c)));
    row.push(Value::Count(g.total));
    section.rows.push(row);
    section
}

/// Columns that are each a distribution of the same people (before and after, say) with a total row and no
/// total column: a sum across a row would count people twice. Each column is suppressed on its own, so a
/// small cell is protected within its column and no cell is hidden for the sake of a row nobody adds up.
fn columns_section(title: String, corner: &str, row_labels: &[String], col_labels: &[String], counts: &[Vec<u64>], total: &str, protect: Protect) -> Section {
    let mut columns: Vec<&str> = vec![corner];
    columns.extend(col_labels.iter().map(String::as_str));
    let mut section = Section::new(title, &columns);
    if counts.is_empty() {
        return section;
    }
    let column_grids: Vec<SuppressedGrid> = (0..col_labels.len()).map(|j| protect(&counts.iter().map(|r| vec![r[j]]).collect::<Vec<_>>())).collect();
    for (i, label) in row_labels.iter().enumerate() {
        let mut row = vec![Value::Text(label.clone())];
        row.extend(column_grids.iter().map(|g| Value::Count(g.cells[i][0])));
        section.rows.push(row);
    }
    let mut row = vec![Value::Text(total.to_string())];
    row.extend(column_grids.iter().map(|g| Value::Count(g.column_totals[0])));
    section.rows.push(row);
    section
}

/// The standard report as titled sections.
pub fn report_sections(r: &Report, lang: Lang, privacy: Privacy) -> Vec<Section> {
    let total = t(lang, "Totalt", "Total");
    let mut sections = Vec::new();

    let sexes = vec![crate::codes::Sex::Female.label(lang).to_string(), crate::codes::Sex::Male.label(lang).to_string()];
    let bands: Vec<String> = r.by_sex_age.iter().map(|(b, _, _)| b.to_string()).collect();
    let counts: Vec<Vec<u64>> = r.by_sex_age.iter().map(|(_, f, m)| vec![*f, *m]).collect();
    sections.push(grid_section(t(lang, "Deltagare efter kön och ålder vid start", "Participants by sex and age at start"), &t(lang, "ålder", "age"), &bands, &sexes, &counts, &total, if privacy == Privacy::Suppressed && r.hides_enrolments() { suppress_grid_hiding_total } else { protection(privacy) }));

    let occ_rows: Vec<String> = r.occupation.iter().map(|(o, _, _)| o.label(lang).to_string()).collect();
    let occ_cols = vec![t(lang, "före", "before"), t(lang, "efter", "after")];
    let counts: Vec<Vec<u64>> = r.occupation.iter().map(|(_, b, a)| vec![*b, *a]).collect();
    sections.push(columns_section(t(lang, "Sysselsättning före och efter (avslutade)", "Occupation before and after (exits)"), &t(lang, "sysselsättning", "occupation"), &occ_rows, &occ_cols, &counts, &total, protection(privacy)));

    let mut shares = Section::new(t(lang, "Utfall med 95 % konfidensintervall (Wilson)", "Outcomes with 95% confidence intervals (Wilson)"), &[]);
    shares.columns = share_columns(lang);
    for (measure, share) in &r.outcomes {
        shares.rows.push(share_row(measure.label(lang).to_string(), share, share_cells(r, *measure, privacy)));
    }
    sections.push(shares);

    let befores: Vec<crate::codes::Support> = dedup(r.transitions.iter().map(|(b, _, _)| *b));
    let afters: Vec<crate::codes::Support> = dedup(r.transitions.iter().map(|(_, a, _)| *a));
    let counts: Vec<Vec<u64>> = befores
        .iter()
        .map(|b| afters.iter().map(|a| r.transitions.iter().find(|(x, y, _)| x == b && y == a).map_or(0, |(_, _, n)| *n)).collect())
        .collect();
    let labels = |v: &[crate::codes::Support]| v.iter().map(|s| s.label(lang).to_string()).collect::<Vec<_>>();
    sections.push(grid_section(
        t(lang, "Försörjning före → efter (avslutade)", "Support before → after (exits)"),
        &t(lang, "före \\ efter", "before \\ after"),
        &labels(&befores),
        &labels(&afters),
        &counts,
        &total,
        protection(privacy),
    ));

    let mut days = Section::new(t(lang, "Dagar i insatsen (avslutade)", "Days in the intervention (exits)"), &[]);
    days.columns = vec![t(lang, "antal", "n"), t(lang, "nedre kvartil", "lower quartile"), "median".into(), t(lang, "övre kvartil", "upper quartile")];
    match &r.days {
        Some(d) if privacy == Privacy::Raw || count_may_be_shown(d.n) && d.n >= super::privacy::MIN_CELL => {
            days.rows.push(vec![Value::Count(Cell::Shown(d.n)), Value::Number(Some(d.q1)), Value::Number(Some(d.median)), Value::Number(Some(d.q3))]);
        }
        Some(d) => days.rows.push(vec![count(d.n, privacy), Value::Number(None), Value::Number(None), Value::Number(None)]),
        None => days.rows.push(vec![Value::Count(Cell::Shown(0)), Value::Number(None), Value::Number(None), Value::Number(None)]),
    }
    sections.push(days);

    let mut anonymous = Section::new(t(lang, "Anonymt räknade (redovisas vid sidan av, ingår inte ovan)", "Counted anonymously (shown beside, not included above)"), &[]);
    anonymous.columns = vec![t(lang, "kön", "sex"), t(lang, "skäl", "reason"), t(lang, "antal", "count")];
    for (sex, reason, n) in &r.anonymous {
        anonymous.rows.push(vec![Value::Text(sex.label(lang).into()), Value::Text(reason.label(lang).into()), count(*n, privacy)]);
    }
    sections.push(anonymous);

    if privacy == Privacy::Raw {
        for s in &mut sections {
            s.title.push_str(&t(lang, " [RÅDATA: ej röjandekontrollerad]", " [RAW: not suppressed]"));
        }
    }
    sections
}

fn dedup<T: Ord + Copy>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = items.collect();
    v.sort();
    v.dedup();
    v
}

/// A comparison as one table: each measure in both cohorts and the change with its interval and p-value.
pub fn comparison_section(c: &super::compare::Comparison, lang: Lang, privacy: Privacy) -> Section {
    let (a, b) = (cohort_name(&c.a, lang), cohort_name(&c.b, lang));
    let title = match lang {
        Lang::Sv => format!("Jämförelse: {b} mot {a} (skillnad med 95 % intervall enligt Newcombe, p-värde från z-test för två andelar)"),
        Lang::En => format!("Comparison: {b} against {a} (difference with Newcombe's 95% interval, p-value of the two-proportion z-test)"),
    };
    let columns: Vec<String> = match lang {
        Lang::Sv => vec!["mått".into(), format!("antal {a}"), format!("av {a}"), format!("andel {a}"), format!("antal {b}"), format!("av {b}"), format!("andel {b}"), "skillnad".into(), "lägre 95 %".into(), "övre 95 %".into(), "p-värde".into()],
        Lang::En => vec!["measure".into(), format!("k {a}"), format!("n {a}"), format!("share {a}"), format!("k {b}"), format!("n {b}"), format!("share {b}"), "difference".into(), "low 95%".into(), "high 95%".into(), "p-value".into()],
    };
    let mut section = Section { title, columns, rows: Vec::new() };
    for (measure, d) in &c.differences {
        let (first, second) = (share_cells(&c.a, *measure, privacy), share_cells(&c.b, *measure, privacy));
        let both = first.2 && second.2;
        let side = |s: &Share, (k, n, shown): (Cell, Cell, bool)| -> [Value; 3] {
            [Value::Count(k), Value::Count(n), Value::Number(if shown { round4(s.p) } else { None })]
        };
        let mut row = vec![Value::Text(measure.label(lang).to_string())];
        // `d.a` is the second cohort (b - a), `d.b` the first.
        row.extend(side(&d.b, first));
        row.extend(side(&d.a, second));
        let hide = |x: Option<f64>| Value::Number(if both { round4(x) } else { None });
        row.extend([hide(d.diff), hide(d.low), hide(d.high), Value::Number(if both { d.p_value.map(|p| (p * 1e6).round() / 1e6) } else { None })]);
        section.rows.push(row);
    }
    if privacy == Privacy::Raw {
        section.title.push_str(&t(lang, " [RÅDATA: ej röjandekontrollerad]", " [RAW: not suppressed]"));
    }
    section
}

fn cohort_name(r: &Report, lang: Lang) -> String {
    r.period.as_ref().map(|p| p.label.clone()).unwrap_or_else(|| r.cohort.get(lang).to_string())
}
