//! Analysis results as printable tables, in Swedish or English, protected for boards or raw for research.
//!
//! Every figure goes through a `Protector` (src/disclosure): perturbed counts by default, suppressed ones
//! when asked, true ones only for raw output, which is marked as raw in its title.

use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, Int64Array, StringArray, UInt64Array};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;

use super::report::{Measure, Report};
use super::stats::difference;
use crate::codes::{CodeList, Lang};
use crate::disclosure::{Cell, Protection, Protector, PublishedShare, Tally};
use crate::error::{FinsamError, Result};
use crate::table::Table;

/// One value of a printable table.
#[derive(Debug, Clone)]
pub enum Value {
    /// A text (a label).
    Text(String),
    /// A count as published.
    Count(Cell),
    /// A number that may be missing (an empty share): printed as null, never as NaN.
    Number(Option<f64>),
    /// A whole number that counts no people (a year, a population from official statistics).
    Integer(Option<i64>),
}

/// A titled table under construction.
pub struct Section {
    /// The title above the table.
    pub title: String,
    /// The column headings.
    pub columns: Vec<String>,
    /// The rows, one value per column.
    pub rows: Vec<Vec<Value>>,
}

impl Section {
    /// An empty table with a title and column headings.
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
                Value::Number(_) | Value::Integer(_) => false,
            });
            let any_number = column.iter().any(|v| matches!(v, Value::Number(_)));
            let any_integer = column.iter().any(|v| matches!(v, Value::Integer(_)));
            if any_text {
                let values: Vec<Option<String>> = column
                    .iter()
                    .map(|v| match v {
                        Value::Text(t) => Some(t.clone()),
                        Value::Count(cell) => Some(cell.to_string()),
                        Value::Number(n) => n.map(|x| x.to_string()),
                        Value::Integer(n) => n.map(|x| x.to_string()),
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
                        Value::Integer(n) => n.map(|x| x as f64),
                        _ => None,
                    })
                    .collect();
                fields.push(Field::new(name, DataType::Float64, true));
                arrays.push(Arc::new(Float64Array::from(values)));
            } else if any_integer {
                let values: Vec<Option<i64>> = column
                    .iter()
                    .map(|v| match v {
                        Value::Integer(n) => *n,
                        Value::Count(c) => c.shown().map(|n| n as i64),
                        _ => None,
                    })
                    .collect();
                fields.push(Field::new(name, DataType::Int64, true));
                arrays.push(Arc::new(Int64Array::from(values)));
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

/// A count written into running text (a heading), as published.
pub fn count_text(v: Tally, p: &Protector) -> String {
    p.count(v).to_string()
}

/// A measure of a report as published, with every rule the report's own table applies (charts and other
/// outputs of the same report take their shares from here, so that none shows what the table hides).
pub fn published_report_share(r: &Report, measure: Measure, p: &Protector) -> PublishedShare {
    share_cells(r, measure, p, &measures_linked_to_hidden(r, p))
}

/// A share of a report as published. Under suppression the n of "still enrolled" (the enrolments) is also
/// hidden when the report hides it (`Report::hides_enrolments`), and a measure's k when it would give
/// away a count hidden elsewhere in the report (`linked`, from `measures_linked_to_hidden`).
fn share_cells(r: &Report, measure: Measure, p: &Protector, linked: &[Measure]) -> PublishedShare {
    let (k, n) = r.tallies(measure);
    let mut published = p.share(k, n);
    if p.protection() == Protection::Suppression {
        // The exits are shown elsewhere: an n that falls short of them by 1–4 would give away how many are
        // unknown for this measure.
        let unknown = if measure == Measure::StillEnrolled { 0 } else { r.exited.n - n.n };
        if (1..5).contains(&unknown) && !published.n.is_hidden() {
            published.n = Cell::Hidden;
            published.share = None;
        }
        if measure == Measure::StillEnrolled && r.hides_enrolments() && !published.n.is_hidden() {
            published.n = Cell::Hidden;
        }
        if !published.k.is_hidden() && linked.contains(&measure) {
            published.k = Cell::Hidden;
            published.share = None;
        }
    }
    published
}

/// Under suppression, the measures whose k would let a reader work out a count the report hides: a measure
/// that is a sum of table cells (work or studies = work + studies after exit; self-supporting = the columns
/// of non-public support after exit) of which one is hidden, or one that is part of a count shown elsewhere
/// with a rest of 1–4 (work after exit minus unsubsidised work is the subsidised; work or studies minus
/// started or increased). Computed once per report; empty under other protections.
fn measures_linked_to_hidden(r: &Report, p: &Protector) -> Vec<Measure> {
    use crate::codes::Occupation;
    if p.protection() != Protection::Suppression {
        return Vec::new();
    }
    let small = |v: u64| (1..5).contains(&v);
    let after_grid = p.grid(&r.occupation.iter().map(|c| vec![c.after]).collect::<Vec<_>>(), false);
    let after_hidden = |o: Occupation| r.occupation.iter().position(|c| c.occupation == o).is_some_and(|i| after_grid.cells[i][0].is_hidden());
    let after_count = |o: Occupation| r.occupation.iter().find(|c| c.occupation == o).map_or(0, |c| c.after.n);
    let k = |m: Measure| r.tallies(m).0.n;
    let (_, afters, grid) = published_transitions(r, p);
    let work_or_studies = after_hidden(Occupation::Work) || after_hidden(Occupation::Studies);
    let linked = [
        (Measure::WorkOrStudies, work_or_studies),
        (Measure::UnsubsidisedWork, after_hidden(Occupation::Work) || small(after_count(Occupation::Work) - k(Measure::UnsubsidisedWork))),
        (Measure::StartedOrIncreased, work_or_studies || small(k(Measure::WorkOrStudies) - k(Measure::StartedOrIncreased))),
        (Measure::SelfSupporting, afters.iter().zip(&grid.column_totals).any(|(s, c)| !s.is_public() && c.is_hidden())),
    ];
    linked.into_iter().filter(|(_, hidden)| *hidden).map(|(m, _)| m).collect()
}

/// The row of one share: label, k, n, share and its interval; a share that may not be shown is left out.
fn share_row(label: String, s: &PublishedShare) -> Vec<Value> {
    let number = |x: fn(&super::stats::Share) -> Option<f64>| Value::Number(round4(s.share.as_ref().and_then(x)));
    vec![Value::Text(label), Value::Count(s.k), Value::Count(s.n), number(|s| s.p), number(|s| s.low), number(|s| s.high)]
}

/// The headings of a table of shares (measure, k, n, share, interval), in `lang`.
pub fn share_columns(lang: Lang) -> Vec<String> {
    match lang {
        Lang::Sv => vec!["mått", "antal", "av", "andel", "lägre 95 %", "övre 95 %"],
        Lang::En => vec!["measure", "k", "n", "share", "low 95%", "high 95%"],
    }
    .into_iter()
    .map(String::from)
    .collect()
}

/// A grid of counts with totals, as published.
#[allow(clippy::too_many_arguments)]
fn grid_section(
    title: String,
    corner: &str,
    row_labels: &[String],
    col_labels: &[String],
    cells: &[Vec<Tally>],
    total: &str,
    p: &Protector,
    hide_total: bool,
) -> Section {
    let mut columns: Vec<&str> = vec![corner];
    columns.extend(col_labels.iter().map(String::as_str));
    columns.push(total);
    let mut section = Section::new(title, &columns);
    if cells.is_empty() {
        return section;
    }
    published_grid_rows(&mut section, row_labels, &p.grid(cells, hide_total), total);
    section
}

/// A grid already published, with its labels.
fn published_grid_section(
    title: String,
    corner: &str,
    row_labels: &[String],
    col_labels: &[String],
    g: &crate::disclosure::Grid,
    total: &str,
) -> Section {
    let mut columns: Vec<&str> = vec![corner];
    columns.extend(col_labels.iter().map(String::as_str));
    columns.push(total);
    let mut section = Section::new(title, &columns);
    if !row_labels.is_empty() && !col_labels.is_empty() {
        published_grid_rows(&mut section, row_labels, g, total);
    }
    section
}

fn published_grid_rows(section: &mut Section, row_labels: &[String], g: &crate::disclosure::Grid, total: &str) {
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
}

/// Columns that are each a distribution of the same people (before and after, say) with a total row and no
/// total column: a sum across a row would count people twice. Each column is protected on its own.
fn columns_section(
    title: String,
    corner: &str,
    row_labels: &[String],
    col_labels: &[String],
    cells: &[Vec<Tally>],
    total: &str,
    p: &Protector,
) -> Section {
    let mut columns: Vec<&str> = vec![corner];
    columns.extend(col_labels.iter().map(String::as_str));
    let mut section = Section::new(title, &columns);
    if cells.is_empty() {
        return section;
    }
    let column_grids: Vec<_> = (0..col_labels.len()).map(|j| p.grid(&cells.iter().map(|r| vec![r[j]]).collect::<Vec<_>>(), false)).collect();
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

/// The support transition matrix of a report over every support code, before → after.
pub fn transition_cells(r: &Report) -> (Vec<crate::codes::Support>, Vec<crate::codes::Support>, Vec<Vec<Tally>>) {
    let all: Vec<crate::codes::Support> = crate::codes::Support::ALL.to_vec();
    let cells = all
        .iter()
        .map(|b| all.iter().map(|a| r.transitions.iter().find(|t| t.before == *b && t.after == *a).map_or(Tally::default(), |t| t.exits)).collect())
        .collect();
    (all.clone(), all, cells)
}

/// The transition matrix as published: the whole matrix is protected, then rows and columns that publish
/// nothing but zeros are left out. Which rows appear is decided on published values only (a row kept for a
/// true 1–4 but dropped for a true 0 would tell which).
pub fn published_transitions(r: &Report, p: &Protector) -> (Vec<crate::codes::Support>, Vec<crate::codes::Support>, crate::disclosure::Grid) {
    let (befores, afters, cells) = transition_cells(r);
    let g = p.grid(&cells, false);
    let nonzero = |c: &Cell| *c != Cell::Shown(0);
    let rows: Vec<usize> = (0..befores.len()).filter(|&i| g.cells[i].iter().any(nonzero) || nonzero(&g.row_totals[i])).collect();
    let cols: Vec<usize> = (0..afters.len()).filter(|&j| g.cells.iter().any(|row| nonzero(&row[j])) || nonzero(&g.column_totals[j])).collect();
    let trimmed = crate::disclosure::Grid {
        cells: rows.iter().map(|&i| cols.iter().map(|&j| g.cells[i][j]).collect()).collect(),
        row_totals: rows.iter().map(|&i| g.row_totals[i]).collect(),
        column_totals: cols.iter().map(|&j| g.column_totals[j]).collect(),
        total: g.total,
    };
    (rows.iter().map(|&i| befores[i]).collect(), cols.iter().map(|&j| afters[j]).collect(), trimmed)
}

/// The standard report as titled sections.
pub fn report_sections(r: &Report, lang: Lang, p: &Protector) -> Vec<Section> {
    let total = t(lang, "Totalt", "Total");
    let mut sections = Vec::new();
    let suppression = p.protection() == Protection::Suppression;

    let sexes = vec![crate::codes::Sex::Female.label(lang).to_string(), crate::codes::Sex::Male.label(lang).to_string()];
    let bands: Vec<String> = r.by_sex_age.iter().map(|c| c.band.to_string()).collect();
    let cells: Vec<Vec<Tally>> = r.by_sex_age.iter().map(|c| vec![c.women, c.men]).collect();
    sections.push(grid_section(
        t(lang, "Inskrivningar efter kön och ålder vid start", "Enrolments by sex and age at start"),
        &t(lang, "ålder", "age"),
        &bands,
        &sexes,
        &cells,
        &total,
        p,
        suppression && r.hides_enrolments(),
    ));

    let occ_rows: Vec<String> = r.occupation.iter().map(|c| c.occupation.label(lang).to_string()).collect();
    let occ_cols = vec![t(lang, "före", "before"), t(lang, "efter", "after")];
    let cells: Vec<Vec<Tally>> = r.occupation.iter().map(|c| vec![c.before, c.after]).collect();
    sections.push(columns_section(
        t(lang, "Sysselsättning före och efter (avslutade; efter: där den är känd)", "Occupation before and after (exits; after: where known)"),
        &t(lang, "sysselsättning", "occupation"),
        &occ_rows,
        &occ_cols,
        &cells,
        &total,
        p,
    ));

    let mut shares = Section::new(t(lang, "Utfall med 95 % konfidensintervall (Wilson)", "Outcomes with 95% confidence intervals (Wilson)"), &[]);
    // A measure whose n is below the exits leaves out the exits for which it is unknown: the title says so,
    // when the published numbers show it (decided on true ones it would give away 1–4 unknown exits).
    if r.outcomes.iter().any(|o| o.measure != Measure::StillEnrolled && p.count(o.n) != p.count(r.exited)) {
        shares.title.push_str(&t(
            lang,
            "; n är de avslutade där måttet är känt (saknad omfattning eller lönesubvention räknas inte)",
            "; n is the exits for which the measure is known (a missing extent or wage-subsidy flag is left out)",
        ));
    }
    shares.columns = share_columns(lang);
    let linked = measures_linked_to_hidden(r, p);
    for measure in r.outcomes.iter().map(|o| &o.measure) {
        shares.rows.push(share_row(measure.label(lang).to_string(), &share_cells(r, *measure, p, &linked)));
    }
    sections.push(shares);

    let (befores, afters, grid) = published_transitions(r, p);
    let labels = |v: &[crate::codes::Support]| v.iter().map(|s| s.label(lang).to_string()).collect::<Vec<_>>();
    sections.push(published_grid_section(
        t(lang, "Försörjning före → efter (avslutade med känd försörjning efter)", "Support before → after (exits with a known support after)"),
        &t(lang, "före \\ efter", "before \\ after"),
        &labels(&befores),
        &labels(&afters),
        &grid,
        &total,
    ));

    let mut days = Section::new(t(lang, "Dagar i insatsen (avslutade)", "Days in the intervention (exits)"), &[]);
    if r.overlap {
        // Not corrected for left truncation: say so rather than let the quartiles pass as the intervention's.
        days.title.push_str(&t(
            lang,
            "; alla inskrivna under perioden, även de som började före den: långa inskrivningar väger tyngre (ej korrigerat)",
            "; everyone enrolled during the period, including those who started before it: long stays weigh more (not corrected)",
        ));
    }
    days.columns =
        vec![t(lang, "antal", "n"), t(lang, "nedre kvartil", "lower quartile"), "median".into(), t(lang, "övre kvartil", "upper quartile")];
    match &r.days {
        Some(d) if p.quartiles_may_be_shown(d.n) => {
            // Protected quartiles in whole days: a half day would tell whether the number of exits is even.
            let days_value = |x: f64| Value::Number(Some(if p.is_raw() { x } else { x.round() }));
            days.rows.push(vec![Value::Count(p.count(d.n)), days_value(d.q1), days_value(d.median), days_value(d.q3)]);
        }
        Some(d) => days.rows.push(vec![Value::Count(p.count(d.n)), Value::Number(None), Value::Number(None), Value::Number(None)]),
        None => days.rows.push(vec![Value::Count(Cell::Shown(0)), Value::Number(None), Value::Number(None), Value::Number(None)]),
    }
    sections.push(days);

    let mut anonymous = Section::new(
        t(lang, "Anonymt räknade (redovisas vid sidan av, ingår inte ovan)", "Counted anonymously (shown beside, not included above)"),
        &[],
    );
    anonymous.columns = vec![t(lang, "kön", "sex"), t(lang, "skäl", "reason"), t(lang, "antal", "count")];
    // Every sex and reason, whether or not a row was entered: the rows shown must not depend on the data.
    for sex in crate::codes::Sex::ALL {
        for reason in crate::codes::AnonymousReason::ALL {
            let n = r.anonymous.iter().find(|(s, x, _)| s == sex && x == reason).map_or(Tally::default(), |(_, _, n)| *n);
            anonymous.rows.push(vec![Value::Text(sex.label(lang).into()), Value::Text(reason.label(lang).into()), Value::Count(p.count(n))]);
        }
    }
    sections.push(anonymous);

    if p.is_raw() {
        for s in &mut sections {
            s.title.push_str(Protector::raw_mark(lang));
        }
    }
    sections
}

/// A comparison as one table: each measure in both cohorts and the change with its interval and p-value,
/// all computed from the published counts.
pub fn comparison_section(c: &super::compare::Comparison, lang: Lang, p: &Protector) -> Section {
    let (a, b) = (cohort_name(&c.a, lang), cohort_name(&c.b, lang));
    let title = match lang {
        Lang::Sv => format!("Jämförelse: {b} mot {a} (skillnad med 95 % intervall enligt Newcombe, p-värde från z-test för två andelar)"),
        Lang::En => format!("Comparison: {b} against {a} (difference with Newcombe's 95% interval, p-value of the two-proportion z-test)"),
    };
    let columns: Vec<String> = match lang {
        Lang::Sv => vec![
            "mått".into(),
            format!("antal {a}"),
            format!("av {a}"),
            format!("andel {a}"),
            format!("antal {b}"),
            format!("av {b}"),
            format!("andel {b}"),
            "skillnad".into(),
            "lägre 95 %".into(),
            "övre 95 %".into(),
            "p-värde".into(),
        ],
        Lang::En => vec![
            "measure".into(),
            format!("k {a}"),
            format!("n {a}"),
            format!("share {a}"),
            format!("k {b}"),
            format!("n {b}"),
            format!("share {b}"),
            "difference".into(),
            "low 95%".into(),
            "high 95%".into(),
            "p-value".into(),
        ],
    };
    let mut section = Section { title, columns, rows: Vec::new() };
    let (linked_a, linked_b) = (measures_linked_to_hidden(&c.a, p), measures_linked_to_hidden(&c.b, p));
    for (measure, _) in &c.differences {
        let (first, second) = (share_cells(&c.a, *measure, p, &linked_a), share_cells(&c.b, *measure, p, &linked_b));
        let d = match (first.share, second.share) {
            (Some(x), Some(y)) => Some(difference(y, x)),
            _ => None,
        };
        let side = |s: &PublishedShare| -> [Value; 3] { [Value::Count(s.k), Value::Count(s.n), Value::Number(round4(s.share.and_then(|s| s.p)))] };
        let mut row = vec![Value::Text(measure.label(lang).to_string())];
        row.extend(side(&first));
        row.extend(side(&second));
        row.extend([
            Value::Number(round4(d.and_then(|d| d.diff))),
            Value::Number(round4(d.and_then(|d| d.low))),
            Value::Number(round4(d.and_then(|d| d.high))),
            Value::Number(d.and_then(|d| d.p_value).map(|p| (p * 1e6).round() / 1e6)),
        ]);
        section.rows.push(row);
    }
    if p.is_raw() {
        section.title.push_str(Protector::raw_mark(lang));
    }
    section
}

fn cohort_name(r: &Report, lang: Lang) -> String {
    r.period.as_ref().map(|p| p.label.clone()).unwrap_or_else(|| r.cohort.get(lang).to_string())
}
