//! The Python binding `finsam._finsam`. Thin by design: every computation lives in the core crate.
//! The Python API (issue "The Python package and Jupyter") is built on this module; for now it exposes
//! the versions, so that the binding is compiled with every workspace build and shares its one DuckDB.

use pyo3::prelude::*;

/// The schema version this finsam writes and understands.
#[pyfunction]
fn schema_version() -> i64 {
    finsam::model::SCHEMA_VERSION
}

#[pymodule]
fn _finsam(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(schema_version, m)?)?;
    Ok(())
}
