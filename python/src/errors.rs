//! finsam's errors as a small exception hierarchy under `finsam.FinsamError` (after polars'
//! `exceptions.rs`): Python code catches the base class or the one case it can handle.

use finsam::FinsamError as CoreError;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyOSError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

create_exception!(finsam, FinsamError, PyException, "Base class of every error finsam raises.");
create_exception!(finsam, DatabaseError, FinsamError, "DuckDB refused a statement (the message says what finsam was doing).");
create_exception!(finsam, NotADatabaseError, FinsamError, "The file is not a DuckDB database, or not a finsam one; nothing was changed.");
create_exception!(finsam, SchemaVersionError, FinsamError, "The database was written by a newer finsam, or needs migrating first.");
create_exception!(finsam, InUseError, FinsamError, "Another process holds the database.");
create_exception!(finsam, UnknownNameError, FinsamError, "An intervention, period, federation, chart kind... that does not exist.");
create_exception!(finsam, InvalidArgumentError, FinsamError, "An argument that does not make sense (a period that does not parse...).");
create_exception!(finsam, PluginError, FinsamError, "A plugin failed (returned an error or panicked); the model stays usable.");
create_exception!(finsam, ClosedError, FinsamError, "The model was closed, or is busy in another thread.");
create_exception!(
    finsam,
    FileFormatError,
    FinsamError,
    "A file that opens but is not what it claims to be (a workbook that does not unzip, a CSV line that does not parse)."
);
create_exception!(finsam, RenderError, FinsamError, "Drawing or writing an output failed (a chart, its PNG, a workbook).");
create_exception!(finsam, InternalError, FinsamError, "finsam broke one of its own rules; please report it with the message.");

/// `finsam.FileError`: a file that cannot be read or written (missing, not permitted, a directory). It is both
/// a `FinsamError` and an `OSError`, so `except OSError` catches it as it catches `open()`'s errors. Built
/// at import (create_exception! takes one base).
static FILE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn file_error_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    FILE_ERROR
        .get_or_try_init(py, || {
            let namespace = PyDict::new(py);
            namespace.set_item("__module__", "finsam")?;
            namespace.set_item("__doc__", "A file that cannot be read or written (missing, not permitted, a directory); also an OSError.")?;
            let bases = PyTuple::new(py, [py.get_type::<FinsamError>().into_any(), py.get_type::<PyOSError>().into_any()])?;
            let made = py.get_type::<PyType>().call1(("FileError", bases, namespace))?;
            Ok::<_, PyErr>(made.cast_into::<PyType>()?.unbind())
        })
        .map(|t| t.bind(py))
}
create_exception!(
    finsam,
    ValidationError,
    FinsamError,
    "Problems in imported files; nothing was imported. `.errors` lists them as dicts with file, row, column, value and expected."
);

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("FinsamError", py.get_type::<FinsamError>())?;
    m.add("DatabaseError", py.get_type::<DatabaseError>())?;
    m.add("NotADatabaseError", py.get_type::<NotADatabaseError>())?;
    m.add("SchemaVersionError", py.get_type::<SchemaVersionError>())?;
    m.add("InUseError", py.get_type::<InUseError>())?;
    m.add("UnknownNameError", py.get_type::<UnknownNameError>())?;
    m.add("InvalidArgumentError", py.get_type::<InvalidArgumentError>())?;
    m.add("ClosedError", py.get_type::<ClosedError>())?;
    m.add("PluginError", py.get_type::<PluginError>())?;
    m.add("ValidationError", py.get_type::<ValidationError>())?;
    m.add("FileFormatError", py.get_type::<FileFormatError>())?;
    m.add("RenderError", py.get_type::<RenderError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    m.add("FileError", file_error_type(py)?)?;
    Ok(())
}

/// The core's error as the matching Python exception, with the core's message.
pub fn to_py(err: CoreError) -> PyErr {
    // A file name or a value in a message may hold a personnummer: never echoed in clear.
    let message = finsam::import::mask_personnummer(&err.to_string());
    match err {
        CoreError::Database { .. } => DatabaseError::new_err(message),
        CoreError::NotADatabase { .. } | CoreError::ForeignDatabase { .. } | CoreError::CannotCreate { .. } => NotADatabaseError::new_err(message),
        CoreError::Io { .. } => Python::attach(|py| match file_error_type(py) {
            Ok(file_error) => PyErr::from_type(file_error.clone(), message),
            Err(_) => PyOSError::new_err(message),
        }),
        CoreError::Unreadable { .. } => FileFormatError::new_err(message),
        CoreError::Render { .. } => RenderError::new_err(message),
        CoreError::Internal(_) => InternalError::new_err(message),
        CoreError::NewerSchema { .. } | CoreError::NeedsMigration { .. } => SchemaVersionError::new_err(message),
        CoreError::InUse { .. } => InUseError::new_err(message),
        CoreError::Unknown { .. } => UnknownNameError::new_err(message),
        CoreError::InvalidArgument(_) => InvalidArgumentError::new_err(message),
        CoreError::Plugin { .. } => PluginError::new_err(message),
        CoreError::Validation { errors, .. } => Python::attach(|py| {
            let err = ValidationError::new_err(message);
            let rows: Vec<_> = errors
                .iter()
                .map(|e| {
                    let d = pyo3::types::PyDict::new(py);
                    let _ = d.set_item("file", &e.file);
                    let _ = d.set_item("row", e.row);
                    let _ = d.set_item("column", &e.column);
                    let _ = d.set_item("value", &e.value);
                    let _ = d.set_item("expected", &e.expected);
                    d
                })
                .collect();
            let _ = err.value(py).setattr("errors", rows);
            err
        }),
    }
}
