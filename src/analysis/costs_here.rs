//! Unit costs of a federation-sized database worked out here, from three small reads: the intervention-years'
//! money, the consenting enrolments of those interventions, and the people counted without consent. At a
//! federation's size DuckDB spends most of the one-statement way (`costs::unit_costs_by_statement`, about
//! 12 ms on the demo) planning its joins of years against enrolment dates; the reads take a few
//! milliseconds and the arithmetic microseconds. Above `GROUP_HERE_UP_TO` enrolments the statement runs.
//! Both give the same rows (a test checks every figure of both ways), so nothing downstream knows which ran.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};

use super::cohort::{data_end, Cohort};
use super::costs::UnitCost;
use crate::error::Result;
use crate::model::Model;
use finsam_plugin::Tally;

/// Record keys add up modulo 2³² (a cell key).
const KEY_MODULUS: i128 = 4_294_967_296;

/// One consenting enrolment of an intervention with money, as read.
struct Enrolment {
    intervention: String,
    participant: i64,
    person_key: i64,
    record_key: i64,
    start: i64,
    exit: Option<i64>,
    to_work_or_studies: bool,
}

/// The unit costs of a cohort's intervention-years, in the order of the statement (name, year).
pub(super) fn unit_costs_here(model: &Model, c: &Cohort) -> Result<Vec<UnitCost>> {
    let (filter, params) = super::costs::filters(model, c, "b.year", "i.federation_id", Some("b.intervention_id"))?;
    let end = days(data_end(model)?);
    let costs: Vec<(String, String, i32, f64)> = model.query_rows(
        &format!(
            "SELECT b.intervention_id, i.name, b.year, sum(b.actual_sek)::DOUBLE
             FROM budget_line b JOIN intervention i USING (intervention_id)
             WHERE i.kind = 'individual' AND b.actual_sek IS NOT NULL AND {filter}
             GROUP BY ALL"
        ),
        &super::costs::refs(&params),
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    if costs.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = costs.iter().map(|(id, ..)| id.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let (first_year, last_year) = (costs.iter().map(|c| c.2).min().unwrap_or(0), costs.iter().map(|c| c.2).max().unwrap_or(0));
    let placeholders = vec!["?"; ids.len()].join(", ");
    let as_params = |ids: &[String]| -> Vec<duckdb::types::Value> { ids.iter().map(|id| duckdb::types::Value::Text(id.clone())).collect() };
    // The enrolments and the people without consent are independent reads: one on each connection.
    let (enrolments, without_consent) = model.both(
        |m| {
            m.query_rows(
                &format!(
                    "SELECT e.intervention_id, e.participant_key, p.record_key::BIGINT, e.record_key::BIGINT,
                            (e.start_date - DATE '1970-01-01')::BIGINT, (e.exit_date - DATE '1970-01-01')::BIGINT,
                            coalesce(e.occupation_after IN ('work', 'studies'), false)
                     FROM enrolment e JOIN participant p USING (participant_key)
                     WHERE e.consent AND e.intervention_id IN ({placeholders})"
                ),
                &super::costs::refs(&as_params(&ids)),
                |r| {
                    Ok(Enrolment {
                        intervention: r.get(0)?,
                        participant: r.get(1)?,
                        person_key: r.get(2)?,
                        record_key: r.get(3)?,
                        start: r.get(4)?,
                        exit: r.get(5)?,
                        to_work_or_studies: r.get(6)?,
                    })
                },
            )
        },
        |m| {
            let mut params = as_params(&ids);
            params.extend([duckdb::types::Value::Int(first_year), duckdb::types::Value::Int(last_year)]);
            m.query_rows(
                &format!(
                    "SELECT intervention_id, year, sum(count)::BIGINT, (sum(record_key) % 4294967296)::BIGINT, min(key_min)::BIGINT
                     FROM finsam_anonymous_count
                     WHERE reason = 'no_consent' AND count > 0 AND intervention_id IN ({placeholders}) AND year BETWEEN ? AND ?
                     GROUP BY ALL"
                ),
                &super::costs::refs(&params),
                |r| Ok(((r.get::<_, String>(0)?, r.get::<_, i32>(1)?), (r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, Option<i64>>(4)?))),
            )
        },
    )?;
    let without_consent: HashMap<(String, i32), (i64, i64, Option<i64>)> = without_consent.into_iter().collect();
    let mut by_intervention: HashMap<&str, Vec<&Enrolment>> = HashMap::new();
    for e in &enrolments {
        by_intervention.entry(e.intervention.as_str()).or_default().push(e);
    }
    let mut out: Vec<(String, UnitCost)> = costs
        .iter()
        .map(|(id, name, year, actual)| {
            let year_costs = year_of(by_intervention.get(id.as_str()).map_or(&[][..], Vec::as_slice), *year, end);
            let anonymous = without_consent.get(&(id.clone(), *year)).copied();
            (id.clone(), unit_cost(name, *year, *actual, &year_costs, anonymous))
        })
        .collect();
    out.sort_by(|(a_id, a), (b_id, b)| (&a.intervention, a.year, a_id).cmp(&(&b.intervention, b.year, b_id)));
    Ok(out.into_iter().map(|(_, u)| u).collect())
}

/// What one intervention's consenting enrolments give for a year: the distinct people with their keys,
/// the days enrolled and the exits that year to work or studies.
#[derive(Default)]
struct YearActivity {
    people: (i64, i128, Option<i64>),
    days: i64,
    still_enrolled: u64,
    positive: (i64, i128, Option<i64>),
}

fn year_of(enrolments: &[&Enrolment], year: i32, end: i64) -> YearActivity {
    let first = days(NaiveDate::from_ymd_opt(year, 1, 1).expect("a year's first day"));
    let last = days(NaiveDate::from_ymd_opt(year, 12, 31).expect("a year's last day"));
    let mut activity = YearActivity::default();
    let mut seen = BTreeSet::new();
    let add = |(n, key, min): &mut (i64, i128, Option<i64>), k: i64| {
        *n += 1;
        *key += i128::from(k);
        *min = Some(min.map_or(k, |m| m.min(k)));
    };
    for e in enrolments.iter().filter(|e| e.start <= last && e.exit.is_none_or(|x| x >= first)) {
        if seen.insert((e.participant, e.person_key)) {
            add(&mut activity.people, e.person_key);
        }
        let to = e.exit.unwrap_or(end).min(last).min(end);
        activity.days += (to - e.start.max(first) + 1).max(0);
        activity.still_enrolled += u64::from(e.exit.is_none_or(|x| x > end));
        if e.to_work_or_studies && e.exit.is_some_and(|x| x <= end && year_of_day(x) == year) {
            add(&mut activity.positive, e.record_key);
        }
    }
    activity
}

/// One intervention-year's unit cost, with the figures the statement gives (keys modulo 2³²; the smallest
/// key of the registered and of those counted without consent, whichever is smaller).
fn unit_cost(name: &str, year: i32, actual: f64, a: &YearActivity, without_consent: Option<(i64, i64, Option<i64>)>) -> UnitCost {
    let (people, people_key, people_min) = a.people;
    let people_key = people_key % KEY_MODULUS;
    let (anonymous, anonymous_key, anonymous_min) = without_consent.unwrap_or((0, 0, None));
    let smallest = match (people_min, anonymous_min) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    UnitCost {
        intervention: name.to_string(),
        year,
        actual_sek: actual,
        participants: Tally::from_sql(people + anonymous, Some((people_key + i128::from(anonymous_key)) % KEY_MODULUS), smallest),
        registered: Tally::from_sql(people, Some(people_key), people_min),
        still_enrolled: a.still_enrolled,
        participant_months: a.days as f64 / 30.4375,
        positive_outcomes: Tally::from_sql(a.positive.0, Some(a.positive.1 % KEY_MODULUS), a.positive.2),
    }
}

fn days(d: NaiveDate) -> i64 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("the epoch")).num_days()
}

fn year_of_day(day: i64) -> i32 {
    (NaiveDate::from_ymd_opt(1970, 1, 1).expect("the epoch") + chrono::Duration::days(day)).year()
}
