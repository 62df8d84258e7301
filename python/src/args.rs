//! Python keywords to the core's option values (`finsam::options`): each keyword is converted by the kind
//! its spec declares, and the core parses it and applies the defaults, as it does for the command line.

use finsam::analysis::Cohort;
use finsam::codes::Lang;
use finsam::disclosure::Protection;
use finsam::options::{Given, Kind, OptionSpec, Value, COHORT};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple};

use crate::errors::to_py;

pub use finsam::options::PROTECTED_OUTPUT as OUTPUT;

/// The groups of options of an analysis command (`finsam::options::COMMANDS`).
pub fn command(name: &str) -> &'static [&'static [OptionSpec]] {
    finsam::options::command(name).map_or(&[], |c| c.groups)
}

/// Every analysis command's options as the core describes them: `{command: [{name, kind, default, help,
/// choices}]}`, so the stub and the docs are checked against them.
#[pyfunction]
pub fn options(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let all = PyDict::new(py);
    for command in finsam::options::COMMANDS {
        let list = PyList::empty(py);
        for spec in command.options() {
            let d = PyDict::new(py);
            d.set_item("name", spec.name)?;
            let (kind, choices): (&str, &[&str]) = match spec.kind {
                Kind::Text => ("text", &[]),
                Kind::Texts => ("texts", &[]),
                Kind::Choice(names) => ("choice", names),
                Kind::Months => ("months", &[]),
                Kind::MonthsList => ("months_list", &[]),
                Kind::AgeBand => ("age_band", &[]),
                Kind::Flag => ("flag", &[]),
            };
            d.set_item("kind", kind)?;
            d.set_item("choices", choices.to_vec())?;
            d.set_item("default", spec.default)?;
            d.set_item("help", spec.help)?;
            list.append(d)?;
        }
        all.set_item(command.name, list)?;
    }
    Ok(all)
}

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

/// A Python int that fits 64 bits (not a bool, which Python counts as an int).
fn whole(v: &Bound<'_, PyAny>) -> bool {
    v.is_instance_of::<PyInt>() && !v.is_instance_of::<PyBool>() && v.extract::<i64>().is_ok()
}

/// One keyword's value by its spec's kind; None (Python's or absent) is not given.
fn value(spec: &OptionSpec, v: &Bound<'_, PyAny>) -> PyResult<Option<Value>> {
    if v.is_none() {
        return Ok(None);
    }
    let name = spec.name;
    Ok(Some(match spec.kind {
        Kind::Texts => Value::Texts(strings(Some(v), name)?),
        Kind::Text | Kind::Choice(_) => {
            Value::Text(v.extract::<String>().map_err(|_| PyTypeError::new_err(format!("{name} must be a string, not {}", type_name(v))))?)
        }
        Kind::AgeBand if v.is_instance_of::<PyTuple>() || v.is_instance_of::<PyList>() => {
            let pair: Vec<Bound<'_, PyAny>> = v.extract()?;
            match &pair[..] {
                [lo, hi] if whole(lo) && whole(hi) => Value::Pair(lo.extract()?, hi.extract()?),
                _ => return Err(PyTypeError::new_err("age must be two whole numbers, e.g. (18, 25)")),
            }
        }
        Kind::AgeBand if v.is_instance_of::<PyString>() => Value::Text(v.extract()?),
        Kind::AgeBand => {
            return Err(PyTypeError::new_err(format!("age must be a tuple like (18, 25) or a string like '18-25', not {}", type_name(v))))
        }
        // Whole numbers go to the core as they are: a negative one is the core's InvalidArgumentError with the
        // option's name, as on the command line.
        Kind::Months if whole(v) => Value::Number(v.extract()?),
        Kind::Months => return Err(PyTypeError::new_err(format!("{name} must be a whole number of months"))),
        Kind::MonthsList => {
            let items: Vec<Bound<'_, PyAny>> =
                v.extract().map_err(|_| PyTypeError::new_err(format!("{name} must be a list of whole numbers of months")))?;
            if !items.iter().all(whole) {
                return Err(PyTypeError::new_err(format!("{name} must be a list of whole numbers of months")));
            }
            Value::Numbers(items.iter().map(|m| m.extract()).collect::<PyResult<Vec<i64>>>()?)
        }
        Kind::Flag => Value::Flag(v.extract::<bool>().map_err(|_| PyTypeError::new_err(format!("{name} must be True or False")))?),
    }))
}

/// The keywords as option values. A keyword outside `specs` raises TypeError naming the cohort filters
/// (the keywords a call takes beyond its documented ones).
pub fn given(kwargs: Option<&Bound<'_, PyDict>>, specs: &[&[OptionSpec]]) -> PyResult<Given> {
    let mut given = Given::new();
    for (key, v) in kwargs.into_iter().flat_map(|k| k.iter()) {
        let key: String = key.extract()?;
        let Some(spec) = specs.iter().flat_map(|s| s.iter()).find(|s| s.name == key) else {
            let takes: Vec<&str> = specs.iter().flat_map(|s| s.iter()).map(|s| s.name).collect();
            return Err(PyTypeError::new_err(format!("unexpected keyword '{key}': the keywords here are {}", takes.join(", "))));
        };
        if let Some(value) = value(spec, &v)? {
            given.set(spec.name, value);
        }
    }
    Ok(given)
}

/// Keywords a call passes on as they are.
pub type Keywords<'py> = Vec<(String, Bound<'py, PyAny>)>;

/// The keywords split in two: those `specs` describe, as option values, and the rest (a plugin's own).
pub fn given_and_rest<'py>(kwargs: Option<&Bound<'py, PyDict>>, specs: &[&[OptionSpec]]) -> PyResult<(Given, Keywords<'py>)> {
    let mut given = Given::new();
    let mut rest = Vec::new();
    for (key, v) in kwargs.into_iter().flat_map(|k| k.iter()) {
        let key: String = key.extract()?;
        match specs.iter().flat_map(|s| s.iter()).find(|s| s.name == key) {
            Some(spec) => {
                if let Some(value) = value(spec, &v)? {
                    given.set(spec.name, value);
                }
            }
            None => rest.push((key, v)),
        }
    }
    Ok((given, rest))
}

/// The cohort, language and protection of a protected output.
pub fn output(given: &Given) -> PyResult<(Cohort, Lang, Protection)> {
    Ok((given.cohort().map_err(to_py)?, given.lang().map_err(to_py)?, given.protection().map_err(to_py)?))
}

/// Whether any cohort filter was given.
pub fn has_cohort(given: &Given) -> bool {
    given.names().any(|n| COHORT.iter().any(|s| s.name == n))
}
