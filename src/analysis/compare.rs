//! Comparing two cohorts (two periods, or two interventions or federations): each share side by side, the
//! difference with Newcombe's 95 % interval and the two-proportion test's p-value.

use super::cohort::{resolve_period, Cohort, Membership};
use super::report::{standard_report, Measure, Report};
use super::stats::{change, Difference};
use crate::codes::CodeList;
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
    refuse_shared_enrolments(model, a, b, AskTheData::Yes)?;
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
/// interval and p-value would be wrong. Such a comparison is refused, saying why.
///
/// Protected output decides it on the filters alone (`may_share_enrolments`): a refusal decided on the
/// data said whether a cohort has anybody, and an attack made the same cohort both sides of a comparison,
/// month by month, to prove four months of one published 0 held one man each . Raw output, for
/// those who may read the data anyway, also asks the data, so two cohorts that could overlap but do not
/// are compared.
/// Whether a check may look at who is in the data (raw output) or must decide on the filters alone
/// (protected output: the decision itself would say whether a cohort has anybody).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskTheData {
    /// The data may be asked.
    Yes,
    /// Decided on the filters alone.
    No,
}

impl AskTheData {
    /// Raw output may ask the data; protected output may not.
    pub fn when(raw: bool) -> AskTheData {
        if raw {
            AskTheData::Yes
        } else {
            AskTheData::No
        }
    }
}

pub(crate) fn refuse_shared_enrolments(model: &Model, a: &Cohort, b: &Cohort, ask: AskTheData) -> Result<()> {
    if !may_share_enrolments(model, a, b)? {
        return Ok(());
    }
    let (ra, rb) = (a.resolve(model)?, b.resolve(model)?);
    let why = "the interval and the test compare independent groups, so the cohorts of a comparison must not overlap. \
               Compare periods by start date (--membership start) that do not overlap, interventions or federations \
               that are not on both sides, the two sexes, or age bands that do not overlap";
    if ask == AskTheData::No {
        return Err(FinsamError::invalid(format!(
            "the two cohorts can share enrolments by their filters ({} and {}): {why} (protected output decides this on \
             the filters alone, never on who is in the data)",
            ra.description.sv, rb.description.sv
        )));
    }
    let sql = format!("SELECT EXISTS (SELECT enrolment_id FROM ({}) INTERSECT SELECT enrolment_id FROM ({}))", ra.sql, rb.sql);
    let params: Vec<&dyn duckdb::ToSql> = ra.params.iter().chain(&rb.params).map(|v| v as &dyn duckdb::ToSql).collect();
    let shared = model.query_rows(&sql, &params, |r| r.get::<_, bool>(0))?;
    if shared.first().copied().unwrap_or(false) {
        return Err(FinsamError::invalid(format!("the two cohorts share enrolments ({} and {}): {why}", ra.description.sv, rb.description.sv)));
    }
    Ok(())
}

/// Whether two cohorts' filters let them share an enrolment. They cannot when one filter keeps them apart:
/// two sexes, age bands that do not overlap, support before with no code in common, no intervention that
/// both could include (by their interventions, federations and target groups: what the database says about
/// interventions, never who took part), or periods by start date that do not overlap (an enrolment has one
/// start) — also a period by start against an earlier one counted by overlap (an enrolment that starts in
/// the later period was not on the list before it).
pub fn may_share_enrolments(model: &Model, a: &Cohort, b: &Cohort) -> Result<bool> {
    if matches!((a.sex, b.sex), (Some(x), Some(y)) if x != y) {
        return Ok(false);
    }
    if let (Some((a_low, a_high)), Some((b_low, b_high))) = (a.age, b.age) {
        if a_high < b_low || b_high < a_low {
            return Ok(false);
        }
    }
    if !a.support_before.is_empty() && !b.support_before.is_empty() && !a.support_before.iter().any(|s| b.support_before.contains(s)) {
        return Ok(false);
    }
    if let (Some(pa), Some(pb)) = (&a.period, &b.period) {
        let (pa, pb) = (resolve_period(model, pa)?, resolve_period(model, pb)?);
        // Whether every enrolment of the first, by its start in `first`, is out of reach of the second.
        let apart = |first: &super::cohort::Period, m: Membership, second: &super::cohort::Period, n: Membership| match (m, n) {
            (Membership::Start, Membership::Start) => first.end < second.start || second.end < first.start,
            (Membership::Start, Membership::Overlap) => second.end < first.start,
            _ => false,
        };
        if apart(&pa, a.membership, &pb, b.membership) || apart(&pb, b.membership, &pa, a.membership) {
            return Ok(false);
        }
    }
    // Each intervention with its federation and target group, read once for both cohorts. (Unknown names
    // match nothing here; the cohorts' own resolution names them clearly.)
    let interventions: Vec<(String, String, Option<String>)> =
        model.query_rows("SELECT intervention_id, federation_id, target_group FROM intervention", &[], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let possible = |c: &Cohort| -> Vec<&str> {
        interventions
            .iter()
            .filter(|(id, federation, target)| {
                (c.interventions.is_empty() || c.interventions.contains(id))
                    && (c.federations.is_empty() || c.federations.contains(federation))
                    && (c.target_groups.is_empty() || target.as_deref().is_some_and(|t| c.target_groups.iter().any(|g| g.code() == t)))
            })
            .map(|(id, ..)| id.as_str())
            .collect()
    };
    let (ia, ib) = (possible(a), possible(b));
    Ok(ia.iter().any(|i| ib.contains(i)))
}
