//! The money tables (budget against actual, the members' shares against 50/25/25, the share spent on
//! administration, and the yearly sums the charts draw) worked out here from two plain reads: the budget
//! lines and the contributions, in öre. A federation has a few hundred budget lines; DuckDB spent several
//! milliseconds planning each of the tables' statements (joins to names and code lists, filtered sums),
//! while the reads take about one each and the sums microseconds. Sums are exact (whole öre), and each
//! figure is converted to a float as DuckDB converts its exact sum, so the tables are the same as the
//! statements gave (a test keeps those statements and compares every figure).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::cohort::{named_ids, Cohort};
use super::costs::{filters, refs, YearBudget, YearContributions, SPLIT_TOLERANCE_PP};
use super::render::{Section, Value};
use crate::codes::{CodeList, Financier, Lang};
use crate::error::Result;
use crate::model::Model;

/// One budget line as stored: amounts in öre (the columns are DECIMAL(14, 2) kronor).
#[derive(Clone)]
struct BudgetLine {
    federation: String,
    intervention: Option<String>,
    year: i32,
    financier: String,
    category: String,
    budget: i128,
    actual: Option<i128>,
}

/// One member's contribution in a year, in öre.
#[derive(Clone)]
struct Contribution {
    federation: String,
    party: String,
    year: i32,
    amount: i128,
}

/// An exact sum of kronor in öre as DuckDB gives it as a DOUBLE (`sum(x)::DOUBLE`: the whole number of
/// öre as a float, divided by 100).
fn kronor(ore: i128) -> f64 {
    ore as f64 / 100.0
}

/// `100 * a / b` of two sums of kronor as DuckDB computes it: the product exactly, then the division of
/// two decimals as floats. None when b is 0 (`nullif`).
fn percent(a: i128, b: i128) -> Option<f64> {
    (b != 0).then(|| kronor(100 * a) / kronor(b))
}

/// The budget lines of the cohort's federations and years (every intervention and the office).
fn budget_lines(model: &Model, c: &Cohort) -> Result<Arc<Vec<BudgetLine>>> {
    let (filter, params) = filters(model, c, "year", "federation_id", None)?;
    // Kept for the model's session, as the look-ups are (forgotten when the data may change).
    model.memo(&format!("budget lines {filter} {params:?}"), || budget_lines_read(model, &filter, &params).map(Arc::new))
}

fn budget_lines_read(model: &Model, filter: &str, params: &[duckdb::types::Value]) -> Result<Vec<BudgetLine>> {
    model.query_rows(
        &format!(
            "SELECT federation_id, intervention_id, year, financier, category, (budget_sek * 100)::BIGINT, (actual_sek * 100)::BIGINT
             FROM budget_line WHERE {filter}"
        ),
        &refs(params),
        |r| {
            Ok(BudgetLine {
                federation: r.get(0)?,
                intervention: r.get(1)?,
                year: r.get(2)?,
                financier: r.get(3)?,
                category: r.get(4)?,
                budget: i128::from(r.get::<_, i64>(5)?),
                actual: r.get::<_, Option<i64>>(6)?.map(i128::from),
            })
        },
    )
}

fn contributions(model: &Model, c: &Cohort) -> Result<Arc<Vec<Contribution>>> {
    let (filter, params) = filters(model, c, "co.year", "m.federation_id", None)?;
    model.memo(&format!("contributions {filter} {params:?}"), || {
        let rows = model.query_rows(
            &format!(
                "SELECT m.federation_id, m.party, co.year, (co.amount_sek * 100)::BIGINT
                 FROM contribution co JOIN member m USING (member_id) WHERE {filter}"
            ),
            &refs(&params),
            |r| Ok(Contribution { federation: r.get(0)?, party: r.get(1)?, year: r.get(2)?, amount: i128::from(r.get::<_, i64>(3)?) }),
        )?;
        Ok(Arc::new(rows))
    })
}

/// The lines of the cohort's interventions when it names any (the office's lines are then left out), else all.
fn of_interventions<'a>(lines: &'a [BudgetLine], c: &'a Cohort) -> impl Iterator<Item = &'a BudgetLine> {
    lines.iter().filter(|l| c.interventions.is_empty() || l.intervention.as_ref().is_some_and(|i| c.interventions.contains(i)))
}

/// Names by id (federations, interventions), read once per model.
fn names(model: &Model, sql: &str) -> Result<BTreeMap<String, String>> {
    Ok(named_ids(model, sql)?.into_iter().collect())
}

fn federation_names(model: &Model) -> Result<BTreeMap<String, String>> {
    names(model, "SELECT federation_id, name FROM federation ORDER BY 1")
}

/// A sum of budget and actual over lines; the budget also over only the lines that have an actual (a line
/// without an actual yet, a year in progress, would otherwise look underspent).
#[derive(Default)]
struct Sums {
    budget: i128,
    actual: Option<i128>,
    budget_with_actual: Option<i128>,
}

impl Sums {
    fn add(&mut self, line: &BudgetLine) {
        self.budget += line.budget;
        if let Some(actual) = line.actual {
            *self.actual.get_or_insert(0) += actual;
            *self.budget_with_actual.get_or_insert(0) += line.budget;
        }
    }
}

/// The cost output's three money tables (budget against actual, funding shares, administration) from one
/// read of the budget lines and one of the contributions.
pub(super) fn money_tables(model: &Model, c: &Cohort, lang: Lang) -> Result<(Section, Section, Section)> {
    let lines = budget_lines(model, c)?;
    Ok((budget_vs_actual_of(model, c, &lines, lang)?, funding_shares(model, c, lang)?, administration_share_of(model, &lines, lang)?))
}

/// Budget and actual per intervention (or the office), year and financier: names and labels, not codes.
pub fn budget_vs_actual(model: &Model, c: &Cohort, lang: Lang) -> Result<Section> {
    budget_vs_actual_of(model, c, &budget_lines(model, c)?, lang)
}

fn budget_vs_actual_of(model: &Model, c: &Cohort, lines: &[BudgetLine], lang: Lang) -> Result<Section> {
    let federations = federation_names(model)?;
    let interventions = names(model, "SELECT intervention_id, name FROM intervention ORDER BY 1")?;
    let office = lang.pick("(förbundets kansli)", "(the federation's office)");
    // Keyed in the printed order: federation, intervention, year, the financier's label (then its code).
    let mut groups: BTreeMap<(String, String, i32, String, String), Sums> = BTreeMap::new();
    for line in of_interventions(lines, c) {
        let Some(federation) = federations.get(&line.federation) else { continue };
        let intervention = line.intervention.as_ref().and_then(|i| interventions.get(i)).map_or(office, String::as_str);
        let label = Financier::ALL.iter().find(|f| f.code() == line.financier).map_or(line.financier.as_str(), |f| f.label(lang));
        groups.entry((federation.clone(), intervention.to_string(), line.year, label.to_string(), line.financier.clone())).or_default().add(line);
    }
    let h = |key, sv, en| (key, lang.pick(sv, en));
    let mut section = Section::new(
        lang.pick("Budget och utfall per finansiär (kr)", "Budget and actual by financier (SEK)"),
        &[
            h("federation", "förbund", "federation"),
            h("intervention", "insats", "intervention"),
            h("year", "år", "year"),
            h("financier", "finansiär", "financier"),
            h("budget_sek", "budget (kr)", "budget (SEK)"),
            h("actual_sek", "utfall (kr)", "actual (SEK)"),
            h("deviation_sek", "avvikelse (kr)", "deviation (SEK)"),
            h("actual_pct_of_budget", "utfall i % av budget", "actual as % of budget"),
        ],
    );
    section.rows = groups
        .into_iter()
        .map(|((federation, intervention, year, label, financier), s)| {
            let deviation = s.actual.zip(s.budget_with_actual).map(|(a, b)| kronor(a - b));
            let pct = s.actual.zip(s.budget_with_actual).and_then(|(a, b)| percent(a, b));
            vec![
                Value::Text(federation),
                Value::Text(intervention),
                Value::Integer(Some(i64::from(year))),
                Value::label(financier, label),
                Value::Number(Some(kronor(s.budget))),
                Value::Number(s.actual.map(kronor)),
                Value::Number(deviation),
                Value::Rounded(pct, 1),
            ]
        })
        .collect();
    Ok(section)
}

/// Budget and actual per year, for the cohort's federations, interventions and years.
pub fn budget_by_year(model: &Model, c: &Cohort) -> Result<Vec<YearBudget>> {
    let lines = budget_lines(model, c)?;
    let mut years: BTreeMap<i32, (i128, i128)> = BTreeMap::new();
    for line in of_interventions(&lines, c) {
        let year = years.entry(line.year).or_default();
        year.0 += line.budget;
        year.1 += line.actual.unwrap_or(0);
    }
    Ok(years.into_iter().map(|(year, (budget, actual))| YearBudget { year, budget: kronor(budget), actual: kronor(actual) }).collect())
}

/// The members' contributions per year, for the cohort's federations and years.
pub fn contributions_by_year(model: &Model, c: &Cohort) -> Result<Vec<YearContributions>> {
    let mut years: BTreeMap<i32, Paid> = BTreeMap::new();
    for co in contributions(model, c)?.iter() {
        years.entry(co.year).or_default().add(co);
    }
    Ok(years
        .into_iter()
        .map(|(year, paid)| YearContributions {
            year,
            state: kronor(paid.state.unwrap_or(0)),
            region: kronor(paid.region.unwrap_or(0)),
            municipalities: kronor(paid.municipalities.unwrap_or(0)),
        })
        .collect())
}

/// What the parties paid in: the state (FK and AF), the region, the municipalities (None: nothing), and all.
#[derive(Default)]
struct Paid {
    state: Option<i128>,
    region: Option<i128>,
    municipalities: Option<i128>,
    total: i128,
}

impl Paid {
    fn add(&mut self, co: &Contribution) {
        let part = match co.party.as_str() {
            "fk" | "af" => Some(&mut self.state),
            "region" => Some(&mut self.region),
            "municipality" => Some(&mut self.municipalities),
            _ => None,
        };
        if let Some(part) = part {
            *part.get_or_insert(0) += co.amount;
        }
        self.total += co.amount;
    }
}

/// Each party's share of what the members paid in, against 50/25/25 (FK pays the state's half, AF's part
/// included), with deviations beyond half a percentage point flagged (on the shares rounded to a hundredth
/// of a percentage point, as printed).
pub fn funding_shares(model: &Model, c: &Cohort, lang: Lang) -> Result<Section> {
    let federations = federation_names(model)?;
    let mut paid: BTreeMap<(String, i32), Paid> = BTreeMap::new();
    for co in contributions(model, c)?.iter() {
        let Some(federation) = federations.get(&co.federation) else { continue };
        paid.entry((federation.clone(), co.year)).or_default().add(co);
    }
    let (yes, no) = if lang == Lang::Sv { ("ja", "nej") } else { ("yes", "no") };
    // As DuckDB rounds a float to two decimals.
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    let h = |key, sv, en| (key, lang.pick(sv, en));
    let mut section = Section::new(
        lang.pick("Medlemmarnas andelar av insatta medel mot 50/25/25 (procent)", "Members' shares of contributions against 50/25/25 (per cent)"),
        &[
            h("federation", "förbund", "federation"),
            h("year", "år", "year"),
            h("paid_in_sek", "insatt totalt (kr)", "paid in (SEK)"),
            h("state_pct", "staten %", "state %"),
            h("region_pct", "regionen %", "region %"),
            h("municipalities_pct", "kommunerna %", "municipalities %"),
            h("deviates", "avviker från 50/25/25", "deviates from 50/25/25"),
        ],
    );
    section.rows = paid
        .into_iter()
        .filter(|(_, p)| p.total > 0)
        .map(|((federation, year), p)| {
            let total = kronor(p.total);
            let pct = |part: Option<i128>| 100.0 * kronor(part.unwrap_or(0)) / total;
            let (state, region, municipalities) = (pct(p.state), pct(p.region), pct(p.municipalities));
            let deviation = (round2(state) - 50.0).abs().max((round2(region) - 25.0).abs()).max((round2(municipalities) - 25.0).abs());
            let deviates = deviation > SPLIT_TOLERANCE_PP;
            vec![
                Value::Text(federation),
                Value::Integer(Some(i64::from(year))),
                Value::Number(Some(total)),
                Value::Rounded(Some(state), 2),
                Value::Rounded(Some(region), 2),
                Value::Rounded(Some(municipalities), 2),
                Value::Flag { value: deviates, label: if deviates { yes } else { no }.to_string() },
            ]
        })
        .collect();
    Ok(section)
}

/// The share of the federation's own spending (financier: the federation) that went to governance and
/// administration, per federation and year.
pub fn administration_share(model: &Model, c: &Cohort, lang: Lang) -> Result<Section> {
    administration_share_of(model, &budget_lines(model, c)?, lang)
}

fn administration_share_of(model: &Model, lines: &[BudgetLine], lang: Lang) -> Result<Section> {
    let federations = federation_names(model)?;
    let own = Financier::Federation.code();
    // (administration, all) of the federation's own actuals, by federation name and year.
    let mut spent: BTreeMap<(String, i32), (Option<i128>, i128)> = BTreeMap::new();
    for line in lines.iter().filter(|l| l.financier == own) {
        let (Some(actual), Some(federation)) = (line.actual, federations.get(&line.federation)) else { continue };
        let year = spent.entry((federation.clone(), line.year)).or_default();
        if line.category == "administration" {
            *year.0.get_or_insert(0) += actual;
        }
        year.1 += actual;
    }
    let h = |key, sv, en| (key, lang.pick(sv, en));
    let mut section = Section::new(
        lang.pick("Andel till styrning, ledning och administration", "Share spent on governance and administration"),
        &[
            h("federation", "förbund", "federation"),
            h("year", "år", "year"),
            h("administration_sek", "styrning och administration (kr)", "governance and administration (SEK)"),
            h("total_actual_sek", "förbundets utfall totalt (kr)", "the federation's total actual (SEK)"),
            h("administration_pct", "andel administration %", "administration share %"),
        ],
    );
    section.rows = spent
        .into_iter()
        .map(|((federation, year), (administration, total))| {
            vec![
                Value::Text(federation),
                Value::Integer(Some(i64::from(year))),
                Value::Number(administration.map(kronor)),
                Value::Number(Some(kronor(total))),
                Value::Rounded(administration.and_then(|a| percent(a, total)), 1),
            ]
        })
        .collect();
    Ok(section)
}
