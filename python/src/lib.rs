//! The Python binding `finsam._finsam`. Thin by design: it translates arguments, results and errors;
//! every computation is the core's. Long work runs on a worker thread with the GIL released while the
//! calling thread watches for Ctrl-C and interrupts DuckDB, so the kernel and the model stay usable.

mod args;
mod errors;
mod model;
mod outputs;

use pyo3::prelude::*;

/// The schema version this finsam writes and understands.
#[pyfunction]
fn schema_version() -> i64 {
    finsam::model::SCHEMA_VERSION
}

/// The plugins and their capabilities (analyses, SQL functions, tables), one row each, with every
/// analysis's arguments, types and defaults.
#[pyfunction]
fn plugins() -> PyResult<outputs::Table> {
    let table = finsam::plugins::builtin().and_then(|r| finsam::plugins::catalogue(&r)).map_err(errors::to_py)?;
    Ok(outputs::Table::sql(table))
}

#[pymodule]
fn _finsam(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(schema_version, m)?)?;
    m.add_function(wrap_pyfunction!(model::open, m)?)?;
    m.add_function(wrap_pyfunction!(model::demo, m)?)?;
    m.add_function(wrap_pyfunction!(plugins, m)?)?;
    m.add_function(wrap_pyfunction!(args::options, m)?)?;
    m.add_class::<model::Model>()?;
    m.add_class::<outputs::Table>()?;
    m.add_class::<outputs::Output>()?;
    m.add_class::<outputs::Chart>()?;
    m.add_class::<outputs::BoardReport>()?;
    errors::register(m)?;
    Ok(())
}
