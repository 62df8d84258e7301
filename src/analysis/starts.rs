//! How many consenting enrolments started in each of two periods, per intervention of a federation: the
//! tallies (with their cell keys) by which a board paper decides which interventions get a part of their
//! own. True counts; the paper publishes them before it decides.

use chrono::NaiveDate;
use finsam_plugin::Tally;

use crate::error::Result;
use crate::model::Model;

/// One intervention's consenting starts in one of the two periods.
#[derive(Debug, Clone)]
pub struct InterventionStarts {
    /// The intervention's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The period: 0 the first, 1 the second.
    pub period: usize,
    /// The enrolments with consent that started in the period, with their cell key.
    pub starts: Tally,
}

/// Every intervention of `federation` in both periods (0 where nobody started), ordered by name, id and
/// period.
pub fn consenting_starts(model: &Model, federation: &str, periods: &[(NaiveDate, NaiveDate); 2]) -> Result<Vec<InterventionStarts>> {
    let [(a_start, a_end), (b_start, b_end)] = periods.map(|(s, e)| (s.to_string(), e.to_string()));
    model.query_rows(
        "SELECT i.intervention_id, i.name, p.period, count(e.enrolment_id), coalesce(sum(e.record_key), 0)::HUGEINT, min(e.record_key)::BIGINT
         FROM finsam_intervention i
         CROSS JOIN (VALUES (0, ?::DATE, ?::DATE), (1, ?::DATE, ?::DATE)) p(period, first_day, last_day)
         LEFT JOIN finsam_enrolment e ON e.intervention_id = i.intervention_id AND e.consent
                                     AND e.start_date BETWEEN p.first_day AND p.last_day
         WHERE i.federation_id = ?
         GROUP BY ALL ORDER BY i.name, i.intervention_id, p.period",
        &[&a_start, &a_end, &b_start, &b_end, &federation],
        |r| {
            Ok(InterventionStarts {
                id: r.get(0)?,
                name: r.get(1)?,
                period: r.get::<_, i32>(2)? as usize,
                starts: Tally::from_sql(r.get(3)?, r.get::<_, Option<i128>>(4)?, r.get(5)?),
            })
        },
    )
}
