//! The money behind the money tables (budget against actual, the members' shares against 50/25/25, the share
//! spent on administration, and the yearly sums the charts draw) worked out here from two plain reads: the
//! budget lines and the contributions, in öre, grouped by ids (`present::money` names and orders them). A federation has a few hundred budget lines; DuckDB spent several
//! milliseconds planning each of the tables' statements (joins to names and code lists, filtered sums),
//! while the reads take about one each and the sums microseconds. Sums are exact (whole öre), and each
//! figure is converted to a float as DuckDB converts its exact sum, so the tables are the same as the
//! statements gave (a test keeps those statements and compares every figure).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::cohort::{named_ids, Cohort};
use super::costs::{filters, refs, YearBudget, YearContributions};
use crate::codes::{CodeList, Financier};
use crate::error::Result;
use crate::model::Model;

/// A federation's id and a year.
pub type FederationYear = (String, i32);

/// The federation's own spending in a year: (on governance and administration, None: none; in all), in öre.
pub type Spending = (Option<i128>, i128);

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
pub fn kronor(ore: i128) -> f64 {
    ore as f64 / 100.0
}

/// `100 * a / b` of two sums of kronor as DuckDB computes it: the product exactly, then the division of
/// two decimals as floats. None when b is 0 (`nullif`).
pub fn percent(a: i128, b: i128) -> Option<f64> {
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

/// The federations' names by id.
pub fn federation_names(model: &Model) -> Result<BTreeMap<String, String>> {
    names(model, "SELECT federation_id, name FROM federation ORDER BY 1")
}

/// The interventions' names by id.
pub fn intervention_names(model: &Model) -> Result<BTreeMap<String, String>> {
    names(model, "SELECT intervention_id, name FROM intervention ORDER BY 1")
}

/// A sum of budget and actual over lines; the budget also over only the lines that have an actual (a line
/// without an actual yet, a year in progress, would otherwise look underspent).
#[derive(Debug, Clone, Copy, Default)]
pub struct Sums {
    /// Every line's budget.
    pub budget: i128,
    /// The actuals (None: no line has one).
    pub actual: Option<i128>,
    /// The budget of the lines that have an actual.
    pub budget_with_actual: Option<i128>,
}

impl Sums {
    fn add(&mut self, line: &BudgetLine) {
        self.budget += line.budget;
        if let Some(actual) = line.actual {
            *self.actual.get_or_insert(0) += actual;
            *self.budget_with_actual.get_or_insert(0) += line.budget;
        }
    }

    /// Another group's sums added to these.
    pub fn merge(&mut self, other: &Sums) {
        self.budget += other.budget;
        if let Some(actual) = other.actual {
            *self.actual.get_or_insert(0) += actual;
        }
        if let Some(budget) = other.budget_with_actual {
            *self.budget_with_actual.get_or_insert(0) += budget;
        }
    }
}

/// Budget and actual of one federation, intervention (None: the office), year and financier, in öre.
#[derive(Debug, Clone)]
pub struct BudgetGroup {
    /// The federation's id.
    pub federation: String,
    /// The intervention's id; None for the federation's office.
    pub intervention: Option<String>,
    /// The budget year.
    pub year: i32,
    /// The financier's code.
    pub financier: String,
    /// The sums of the group's lines.
    pub sums: Sums,
}

/// The money behind the cost output's three money tables from one read of the budget lines and one of the
/// contributions.
pub struct MoneyGroups {
    /// Budget against actual by federation, intervention, year and financier.
    pub budget: Vec<BudgetGroup>,
    /// What the members paid in, by federation and year.
    pub paid: Vec<(FederationYear, Paid)>,
    /// The federation's own spending by federation and year: (on administration, all).
    pub administration: Vec<(FederationYear, Spending)>,
}

/// The cohort's money, grouped by ids.
pub fn money_groups(model: &Model, c: &Cohort) -> Result<MoneyGroups> {
    let lines = budget_lines(model, c)?;
    Ok(MoneyGroups { budget: budget_groups_of(c, &lines), paid: paid_by_federation_year(model, c)?, administration: administration_of(&lines) })
}

/// Budget and actual by federation, intervention (or the office), year and financier.
pub fn budget_groups(model: &Model, c: &Cohort) -> Result<Vec<BudgetGroup>> {
    Ok(budget_groups_of(c, &budget_lines(model, c)?))
}

fn budget_groups_of(c: &Cohort, lines: &[BudgetLine]) -> Vec<BudgetGroup> {
    let mut groups: BTreeMap<(String, Option<String>, i32, String), Sums> = BTreeMap::new();
    for line in of_interventions(lines, c) {
        groups.entry((line.federation.clone(), line.intervention.clone(), line.year, line.financier.clone())).or_default().add(line);
    }
    groups
        .into_iter()
        .map(|((federation, intervention, year, financier), sums)| BudgetGroup { federation, intervention, year, financier, sums })
        .collect()
}

/// What the members paid in, by federation id and year.
pub fn paid_by_federation_year(model: &Model, c: &Cohort) -> Result<Vec<(FederationYear, Paid)>> {
    let mut paid: BTreeMap<(String, i32), Paid> = BTreeMap::new();
    for co in contributions(model, c)?.iter() {
        paid.entry((co.federation.clone(), co.year)).or_default().add(co);
    }
    Ok(paid.into_iter().collect())
}

/// The federation's own spending (financier: the federation) on governance and administration and in all,
/// by federation id and year, of the lines with an actual.
pub fn administration_spending(model: &Model, c: &Cohort) -> Result<Vec<(FederationYear, Spending)>> {
    Ok(administration_of(&budget_lines(model, c)?))
}

fn administration_of(lines: &[BudgetLine]) -> Vec<(FederationYear, Spending)> {
    let own = Financier::Federation.code();
    let mut spent: BTreeMap<FederationYear, Spending> = BTreeMap::new();
    for line in lines.iter().filter(|l| l.financier == own) {
        let Some(actual) = line.actual else { continue };
        let year = spent.entry((line.federation.clone(), line.year)).or_default();
        if line.category == "administration" {
            *year.0.get_or_insert(0) += actual;
        }
        year.1 += actual;
    }
    spent.into_iter().collect()
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
#[derive(Debug, Clone, Copy, Default)]
pub struct Paid {
    /// FK and AF together.
    pub state: Option<i128>,
    /// The region.
    pub region: Option<i128>,
    /// The municipalities.
    pub municipalities: Option<i128>,
    /// Every member.
    pub total: i128,
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

    /// Another group's payments added to these.
    pub fn merge(&mut self, other: &Paid) {
        for (mine, theirs) in [(&mut self.state, other.state), (&mut self.region, other.region), (&mut self.municipalities, other.municipalities)] {
            if let Some(amount) = theirs {
                *mine.get_or_insert(0) += amount;
            }
        }
        self.total += other.total;
    }
}
