//! Plugin SQL functions registered in DuckDB through duckdb-rs's Arrow scalar functions.

use std::cell::RefCell;
use std::sync::Arc;

use arrow::array::{make_array, Array, ArrayRef};
use arrow::buffer::NullBuffer;
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;
use duckdb::vscalar::{ArrowFunctionSignature, VArrowScalar};
use duckdb::Connection;
use finsam_plugin::{Registry, SqlFunction};

use crate::error::{FinsamError, Result};

/// The function a registered DuckDB function calls (DuckDB keeps one copy per overload in its catalog).
#[derive(Clone, Default)]
struct Registered(Option<Arc<dyn SqlFunction>>);

/// One adapter type for every plugin function. duckdb-rs asks the adapter for its signature through an
/// associated function without the state, so the signature of the function being registered is handed
/// over in a thread-local for the length of its registration.
struct PluginScalar;

thread_local! {
    static REGISTERING: RefCell<Option<(Vec<DataType>, DataType)>> = const { RefCell::new(None) };
}

impl VArrowScalar for PluginScalar {
    type State = Registered;

    fn invoke(state: &Registered, input: RecordBatch) -> std::result::Result<ArrayRef, Box<dyn std::error::Error>> {
        let function = state.0.as_ref().ok_or("a plugin SQL function without its implementation")?;
        let out = function.invoke(input.columns()).map_err(|e| format!("{}: {e}", function.name()))?;
        if out.len() != input.num_rows() {
            return Err(format!("{} returned {} values for {} rows", function.name(), out.len(), input.num_rows()).into());
        }
        // NULL in, NULL out, whatever the function did with the row.
        let nulls = input.columns().iter().fold(out.logical_nulls(), |acc, c| NullBuffer::union(acc.as_ref(), c.logical_nulls().as_ref()));
        Ok(make_array(out.to_data().into_builder().nulls(nulls).build()?))
    }

    fn signatures() -> Vec<ArrowFunctionSignature> {
        REGISTERING.with(|r| r.borrow().clone()).map(|(params, returns)| vec![ArrowFunctionSignature::exact(params, returns)]).unwrap_or_default()
    }
}

/// Registers the plugin SQL functions of `registry` on the connection, but for those in `already`.
pub(crate) fn register_sql_functions(conn: &Connection, registry: &Registry, already: &[&str]) -> Result<()> {
    for (plugin, function) in registry.sql_functions() {
        if already.contains(&function.name()) {
            continue;
        }
        let params: Vec<DataType> = function.params().into_iter().map(|(_, t)| t).collect();
        REGISTERING.with(|r| *r.borrow_mut() = Some((params, function.returns())));
        let done = conn.register_scalar_function_with_state::<PluginScalar>(function.name(), &Registered(Some(function.clone())));
        REGISTERING.with(|r| *r.borrow_mut() = None);
        done.map_err(|e| FinsamError::Plugin {
            plugin: plugin.into(),
            message: format!("cannot register the SQL function {}: {e}", function.name()),
        })?;
    }
    Ok(())
}
