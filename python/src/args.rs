//! Python arguments to core types: cohort filters, languages, protection.

use finsam::analysis::Cohort;
use finsam::codes::{CodeList, Lang, Sex, Support, TargetGroup};
use finsam::disclosure::Protection;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::errors::to_py;

/// A string or a sequence of strings, as a list.
pub fn strings(value: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Vec<String>> {
    match value {
        None => Ok(Vec::new()),
        Some(v) if v.is_none() => Ok(Vec::new()),
        Some(v) if v.is_instance_of::<PyString>() => Ok(vec![v.extract()?]),
        Some(v) => v
            .extract::<Vec<String>>()
            .map_err(|_| PyTypeError::new_err(format!("{name} must be a string or a list of strings, not {}", type_name(v)))),
    }
}

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "an unknown type".into())
}

/// An age band as (low, high) or "18-25".
pub fn age(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<(i32, i32)>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) if v.is_instance_of::<PyTuple>() || v.is_instance_of::<pyo3::types::PyList>() => {
            let (lo, hi): (i32, i32) = v.extract().map_err(|_| PyTypeError::new_err("age must be two whole numbers, e.g. (18, 25)"))?;
            Ok(Some((lo, hi)))
        }
        Some(v) if v.is_instance_of::<PyString>() => {
            let text: String = v.extract()?;
            let parts: Vec<&str> = text.split(['-', '–']).collect();
            match parts[..] {
                [a, b] => match (a.trim().parse(), b.trim().parse()) {
                    (Ok(a), Ok(b)) => Ok(Some((a, b))),
                    _ => Err(to_py(finsam::FinsamError::invalid(format!("'{text}' is not an age band: expected e.g. 18-25")))),
                },
                _ => Err(to_py(finsam::FinsamError::invalid(format!("'{text}' is not an age band: expected e.g. 18-25")))),
            }
        }
        Some(v) => Err(PyTypeError::new_err(format!("age must be a tuple like (18, 25) or a string like '18-25', not {}", type_name(v)))),
    }
}

/// The cohort keyword arguments every analysis takes.
#[allow(clippy::too_many_arguments)]
pub fn cohort(
    federation: Option<&Bound<'_, PyAny>>,
    intervention: Option<&Bound<'_, PyAny>>,
    period: Option<String>,
    membership: &str,
    sex: Option<String>,
    age_band: Option<&Bound<'_, PyAny>>,
    target_group: Option<&Bound<'_, PyAny>>,
    support_before: Option<&Bound<'_, PyAny>>,
    follow_up: Option<u32>,
) -> PyResult<Cohort> {
    Ok(Cohort {
        federations: strings(federation, "federation")?,
        interventions: strings(intervention, "intervention")?,
        period,
        membership: membership.parse().map_err(to_py)?,
        sex: sex.as_deref().map(Sex::parse).transpose().map_err(to_py)?,
        age: age(age_band)?,
        target_groups: strings(target_group, "target_group")?.iter().map(|t| TargetGroup::parse(t)).collect::<Result<_, _>>().map_err(to_py)?,
        support_before: strings(support_before, "support_before")?.iter().map(|s| Support::parse(s)).collect::<Result<_, _>>().map_err(to_py)?,
        follow_up_months: follow_up,
    })
}

pub fn lang(text: &str) -> PyResult<Lang> {
    text.parse().map_err(to_py)
}

/// The protection asked for with `raw=` and `protection=` (the same rule as the CLI's --raw and
/// --protection).
pub fn protection(raw: bool, protection: Option<&str>) -> PyResult<Protection> {
    Protection::choose(protection, raw).map_err(to_py)
}
