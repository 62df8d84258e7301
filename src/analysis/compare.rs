//! Comparing two cohorts (two periods, or two interventions or federations): each share side by side, the
//! difference with Newcombe's 95 % interval and the two-proportion test's p-value.

use super::cohort::Cohort;
use super::report::{standard_report, Measure, Report};
use super::stats::{difference, Difference};
use crate::error::Result;
use crate::model::Model;

#[derive(Debug, Clone)]
pub struct Comparison {
    pub a: Report,
    pub b: Report,
    /// For each measure: `b - a` (the change from the first cohort to the second).
    pub differences: Vec<(Measure, Difference)>,
}

pub fn compare(model: &Model, a: &Cohort, b: &Cohort) -> Result<Comparison> {
    let a = standard_report(model, a)?;
    let b = standard_report(model, b)?;
    let differences = Measure::ALL.iter().map(|m| (*m, difference(b.share(*m), a.share(*m)))).collect();
    Ok(Comparison { a, b, differences })
}
