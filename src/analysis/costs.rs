//! Money: budget against actual by financier, cost per participant, per participant-month and per positive
//! outcome, each party's share of the federation's funding against the 50/25/25 rule, and the share spent
//! on administration. Costs are actual costs from all financiers (the federation, co-financing, ESF...).

use super::cohort::Cohort;
pub use super::money::{budget_by_year, contributions_by_year};
use crate::error::Result;
use crate::model::Model;
use finsam_plugin::Tally;

/// A deviation from 50/25/25 larger than this (in percentage points) is flagged.
pub const SPLIT_TOLERANCE_PP: f64 = 0.5;

/// The filter costs understand: federations, interventions and a span of years from the cohort.
pub(super) fn filters(
    model: &Model,
    c: &Cohort,
    year_column: &str,
    federation_column: &str,
    intervention_column: Option<&str>,
) -> Result<(String, Vec<duckdb::types::Value>)> {
    // Resolving checks the names and gives clear errors for unknown ones.
    let resolved = c.resolve(model)?;
    let mut sql = String::from("true");
    let mut params = Vec::new();
    let mut add = |column: &str, items: &[String], sql: &mut String| {
        if !items.is_empty() {
            sql.push_str(&format!(" AND {column} IN ({})", vec!["?"; items.len()].join(", ")));
            params.extend(items.iter().map(|v| duckdb::types::Value::Text(v.clone())));
        }
    };
    add(federation_column, &c.federations, &mut sql);
    if let Some(column) = intervention_column {
        add(column, &c.interventions, &mut sql);
    }
    if let Some(p) = &resolved.period {
        sql.push_str(&format!(" AND {year_column} BETWEEN ? AND ?"));
        params.push(duckdb::types::Value::Int(chrono::Datelike::year(&p.start)));
        params.push(duckdb::types::Value::Int(chrono::Datelike::year(&p.end)));
    }
    Ok((sql, params))
}

pub(super) fn refs(values: &[duckdb::types::Value]) -> Vec<&dyn duckdb::ToSql> {
    values.iter().map(|v| v as &dyn duckdb::ToSql).collect()
}

/// The members' contributions in one year, by party (SEK; the state's are FK's and AF's together).
#[derive(Debug, Clone, PartialEq)]
pub struct YearContributions {
    /// The calendar year.
    pub year: i32,
    /// Försäkringskassan and Arbetsförmedlingen together.
    pub state: f64,
    /// The region.
    pub region: f64,
    /// The municipalities.
    pub municipalities: f64,
}

/// Budget and actual in one year, all financiers (SEK).
#[derive(Debug, Clone, PartialEq)]
pub struct YearBudget {
    /// The calendar year.
    pub year: i32,
    /// The budget.
    pub budget: f64,
    /// The actual (0 where none is recorded yet).
    pub actual: f64,
}

/// One intervention-year's cost and what it bought.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitCost {
    /// The intervention's name.
    pub intervention: String,
    /// The calendar year.
    pub year: i32,
    /// Actual costs that year, all financiers (SEK).
    pub actual_sek: f64,
    /// People enrolled at some time in the year (participant record keys).
    pub participants: Tally,
    /// Of the participants, those registered (with consent): the people the participant-months and positive
    /// outcomes are of.
    pub registered: Tally,
    /// Of the year's consenting enrolments, those not ended by the data's end: a report of the intervention's
    /// year (counted by overlap) hides its enrolments while they are 1–4, and so must this table (below).
    pub still_enrolled: u64,
    /// Months of participation that year (consenting enrolments, days / 30.4375).
    pub participant_months: f64,
    /// Exits in the year to work or studies (enrolment record keys).
    pub positive_outcomes: Tally,
}

impl UnitCost {
    /// SEK per participant that year (`None` without participants).
    pub fn per_participant(&self) -> Option<f64> {
        (self.participants.n > 0).then(|| self.actual_sek / self.participants.n as f64)
    }
    /// SEK per month of participation.
    pub fn per_participant_month(&self) -> Option<f64> {
        (self.participant_months > 0.0).then(|| self.actual_sek / self.participant_months)
    }
    /// SEK per exit to work or studies that year.
    pub fn per_positive_outcome(&self) -> Option<f64> {
        (self.positive_outcomes.n > 0).then(|| self.actual_sek / self.positive_outcomes.n as f64)
    }
}

/// Cost per participant (enrolled at some time in the year, with or without consent to registration: the
/// money paid for all of them), per participant-month (days enrolled in the year / 30.4375, of those
/// registered) and per positive outcome (exits in the year to work or studies, of those registered), per
/// intervention-year.
pub fn unit_costs(model: &Model, c: &Cohort) -> Result<Vec<UnitCost>> {
    // Money is known per intervention and year: the costs of the same federations, interventions and years
    // are kept for the model's session (forgotten when the data may change).
    let (filter, params) = filters(model, c, "b.year", "i.federation_id", Some("b.intervention_id"))?;
    model.memo(&format!("unit costs {filter} {params:?}"), || {
        if model.count_rows("enrolment")? <= super::report::GROUP_HERE_UP_TO {
            super::costs_here::unit_costs_here(model, c)
        } else {
            unit_costs_by_statement(model, c)
        }
    })
}

/// `unit_costs` in one statement, whatever the size (the way taken above `GROUP_HERE_UP_TO` enrolments;
/// public for the test that both ways agree).
pub fn unit_costs_by_statement(model: &Model, c: &Cohort) -> Result<Vec<UnitCost>> {
    let (filter, params) = filters(model, c, "b.year", "i.federation_id", Some("b.intervention_id"))?;
    let end = super::cohort::data_end(model)?;
    let sql = format!(
        "WITH cost AS (
           SELECT b.intervention_id, i.name, b.year, sum(b.actual_sek)::DOUBLE AS actual
           FROM budget_line b JOIN intervention i USING (intervention_id)
           WHERE i.kind = 'individual' AND b.actual_sek IS NOT NULL AND {filter}
           GROUP BY ALL),
         active AS (
           SELECT cost.intervention_id, cost.year, e.participant_key, p.record_key AS person_key, e.record_key,
                  e.start_date, e.exit_date, e.occupation_after,
                  greatest(e.start_date, make_date(cost.year, 1, 1)) AS from_day,
                  least(coalesce(e.exit_date, DATE '{end}'), make_date(cost.year, 12, 31), DATE '{end}') AS to_day
           FROM cost JOIN enrolment e ON e.intervention_id = cost.intervention_id AND e.consent
           JOIN participant p USING (participant_key)
           WHERE e.start_date <= make_date(cost.year, 12, 31)
             AND (e.exit_date IS NULL OR e.exit_date >= make_date(cost.year, 1, 1))),
         people AS (
           SELECT intervention_id, year, count(*) AS participants, sum(person_key) % 4294967296 AS participants_key,
                  min(person_key) AS participants_min
           FROM (SELECT DISTINCT intervention_id, year, participant_key, person_key FROM active)
           GROUP BY ALL),
         activity AS (
           SELECT intervention_id, year,
                  coalesce(sum(greatest(to_day - from_day + 1, 0)), 0) / 30.4375 AS months,
                  count(*) FILTER (exit_date IS NULL OR exit_date > DATE '{end}') AS still_enrolled,
                  count(*) FILTER (positive) AS positive,
                  coalesce(sum(record_key) FILTER (positive), 0) % 4294967296 AS positive_key,
                  min(record_key) FILTER (positive) AS positive_min
           FROM (SELECT *, year(exit_date) = year AND exit_date <= DATE '{end}' AND occupation_after IN ('work', 'studies') AS positive
                 FROM active)
           GROUP BY ALL),
         -- People who took part without consenting to registration are in the year's cost too: counted
         -- (by the aggregate rows' keys) in the participants, though their days and outcomes are unknown.
         without_consent AS (
           SELECT a.intervention_id, a.year, sum(a.count) AS n, sum(a.record_key) AS n_key, min(a.key_min) AS n_min
           FROM finsam_anonymous_count a JOIN cost USING (intervention_id, year)
           WHERE a.reason = 'no_consent' AND a.count > 0
           GROUP BY ALL)
         SELECT cost.name, cost.year, cost.actual,
                (coalesce(people.participants, 0) + coalesce(without_consent.n, 0))::BIGINT AS participants,
                ((coalesce(people.participants_key, 0) + coalesce(without_consent.n_key, 0)) % 4294967296)::BIGINT AS participants_key,
                -- The smallest key of the registered and of the people counted by the aggregate rows.
                -- (least ignores NULLs: NULL only when nobody is counted.)
                least(people.participants_min, without_consent.n_min)::BIGINT AS participants_min,
                coalesce(people.participants, 0)::BIGINT AS registered, coalesce(people.participants_key, 0)::BIGINT AS registered_key,
                people.participants_min::BIGINT AS registered_min,
                coalesce(activity.months, 0)::DOUBLE AS months, coalesce(activity.still_enrolled, 0)::BIGINT AS still_enrolled,
                coalesce(activity.positive, 0)::BIGINT AS positive, coalesce(activity.positive_key, 0)::BIGINT AS positive_key,
                activity.positive_min::BIGINT AS positive_min
         FROM cost LEFT JOIN people USING (intervention_id, year) LEFT JOIN activity USING (intervention_id, year)
                   LEFT JOIN without_consent USING (intervention_id, year)
         ORDER BY cost.name, cost.year"
    );
    model.query_rows(&sql, &refs(&params), |r| {
        let tally = |n: &str, key: &str| -> duckdb::Result<Tally> {
            Ok(Tally::from_sql(r.get::<_, i64>(n)?, Some(i128::from(r.get::<_, i64>(key)?)), r.get::<_, Option<i64>>(format!("{n}_min").as_str())?))
        };
        Ok(UnitCost {
            intervention: r.get("name")?,
            year: r.get("year")?,
            actual_sek: r.get("actual")?,
            participants: tally("participants", "participants_key")?,
            registered: tally("registered", "registered_key")?,
            still_enrolled: r.get::<_, i64>("still_enrolled")? as u64,
            participant_months: r.get("months")?,
            positive_outcomes: tally("positive", "positive_key")?,
        })
    })
}

/// The unit costs of two cohorts. Money is known per intervention and year, so two cohorts with the same
/// federations and interventions (a period against a period, the common comparison) take their rows from
/// one statement over both periods' years; others take two.
pub fn unit_costs_of_both(model: &Model, a: &Cohort, b: &Cohort) -> Result<(Vec<UnitCost>, Vec<UnitCost>)> {
    let same_money = a.federations == b.federations && a.interventions == b.interventions;
    let (Some(pa), Some(pb), true) = (&a.period, &b.period, same_money) else {
        return model.both(|m| unit_costs(m, a), |m| unit_costs(m, b));
    };
    let (pa, pb) = (super::cohort::resolve_period(model, pa)?, super::cohort::resolve_period(model, pb)?);
    let years = |p: &super::Period| chrono::Datelike::year(&p.start)..=chrono::Datelike::year(&p.end);
    let span = format!("{}..{}", pa.start.min(pb.start), pa.end.max(pb.end));
    let all = unit_costs(model, &Cohort { period: Some(span), ..a.clone() })?;
    let of = |p: &super::Period| all.iter().filter(|u| years(p).contains(&u.year)).cloned().collect();
    Ok((of(&pa), of(&pb)))
}
