//! The plugins and their capabilities as one table: what `finsam plugins` prints and `finsam.plugins()`
//! returns.

use std::sync::Arc;

use arrow::array::{ArrayRef, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use finsam_plugin::{Capability, Registry};

use crate::error::{FinsamError, Result};
use crate::table::Table;

/// One row per capability: plugin, kind, name, description, arguments (each with type and default).
pub fn catalogue(registry: &Registry) -> Result<Table> {
    let mut columns: [Vec<String>; 5] = Default::default();
    for plugin in registry.plugins() {
        for c in &plugin.capabilities {
            let args = match c {
                Capability::Analysis(a) => a.args().iter().map(|s| s.signature()).collect::<Vec<_>>().join("; "),
                Capability::Exporter(e) => e.args().iter().map(|s| s.signature()).collect::<Vec<_>>().join("; "),
                _ => String::new(),
            };
            for (column, value) in
                columns.iter_mut().zip([plugin.name.to_string(), c.kind().to_string(), c.name().to_string(), c.description(), args])
            {
                column.push(value);
            }
        }
    }
    let names = ["plugin", "kind", "name", "description", "arguments"];
    let schema = Arc::new(Schema::new(names.iter().map(|n| Field::new(*n, DataType::Utf8, false)).collect::<Vec<_>>()));
    let arrays: Vec<ArrayRef> = columns.into_iter().map(|c| Arc::new(StringArray::from(c)) as ArrayRef).collect();
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| FinsamError::invalid(format!("cannot list the plugins: {e}")))?;
    Ok(Table::new(schema, vec![batch]))
}
