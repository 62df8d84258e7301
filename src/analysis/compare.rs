//! Comparing two cohorts (two periods, or two interventions or federations): each share side by side, the
//! difference with Newcombe's 95 % interval and the two-proportion test's p-value.

use super::cohort::{resolve_period, Cohort, Membership};
use super::report::{standard_report, Measure, Report};
use super::stats::{change, Difference};
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// Two cohorts' reports side by side, with the change of each measure.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The first cohort (the baseline).
    pub a: Report,
    /// The second cohort.
    pub b: Report,
    /// For each measure: the change from the first cohort to the second (`b − a`; `from` is `a`'s share).
    pub differences: Vec<(Measure, Difference)>,
}

/// Compares two cohorts that share no enrolment (refused otherwise, saying why); their reports run side by side.
pub fn compare(model: &Model, a: &Cohort, b: &Cohort) -> Result<Comparison> {
    refuse_shared_enrolments(model, a, b)?;
    let (a, b) = model.both(|m| standard_report(m, a), |m| standard_report(m, b))?;
    Ok(Comparison::of(a, b))
}

impl Comparison {
    /// Two reports of cohorts that share no enrolment (see `refuse_shared_enrolments`), side by side.
    pub(crate) fn of(a: Report, b: Report) -> Comparison {
        let differences = Measure::ALL.iter().map(|m| (*m, change(a.share(*m), b.share(*m)))).collect();
        Comparison { a, b, differences }
    }
}

/// Newcombe's interval and the two-proportion test compare independent groups: two cohorts that share
/// enrolments (overlapping periods counted by overlap, an intervention on both sides) are not, and their
/// interval and p-value would be wrong. Such a comparison is refused, saying why; how many enrolments are
/// shared is not said (it could be 1–4).
pub(crate) fn refuse_shared_enrolments(model: &Model, a: &Cohort, b: &Cohort) -> Result<()> {
    // An enrolment has one start date: periods by start that do not overlap cannot share one (the common
    // case, a period against a period, needs neither the cohorts resolved nor a query over them).
    if let (Membership::Start, Membership::Start, Some(pa), Some(pb)) = (a.membership, b.membership, &a.period, &b.period) {
        let (pa, pb) = (resolve_period(model, pa)?, resolve_period(model, pb)?);
        if pa.end < pb.start || pb.end < pa.start {
            return Ok(());
        }
    }
    let (ra, rb) = (a.resolve(model)?, b.resolve(model)?);
    let sql = format!("SELECT EXISTS (SELECT enrolment_id FROM ({}) INTERSECT SELECT enrolment_id FROM ({}))", ra.sql, rb.sql);
    let params: Vec<&dyn duckdb::ToSql> = ra.params.iter().chain(&rb.params).map(|v| v as &dyn duckdb::ToSql).collect();
    let shared = model.query_rows(&sql, &params, |r| r.get::<_, bool>(0))?;
    if shared.first().copied().unwrap_or(false) {
        return Err(FinsamError::invalid(format!(
            "the two cohorts share enrolments ({} and {}): the interval and the test compare independent groups, so the \
             cohorts of a comparison must not overlap. Compare periods by start date (--membership start) with periods \
             that do not overlap, or interventions and federations that are not on both sides",
            ra.description.sv, rb.description.sv
        )));
    }
    Ok(())
}
