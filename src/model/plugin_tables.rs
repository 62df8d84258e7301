//! Plugin tables: each plugin's migrations, run in order and once, in the same transaction discipline as
//! the core's (a migration and the record that it ran land together or not at all).

use duckdb::Connection;
use finsam_plugin::Registry;

use crate::error::{FinsamError, Result};

/// Runs the plugin-table migrations not yet applied. Applied ones are recorded in `plugin_schema_version`
/// (plugin, table, version), created on first use.
pub(crate) fn migrate_plugin_tables(conn: &Connection, registry: &Registry) -> Result<()> {
    let tables = registry.tables();
    if tables.is_empty() {
        return Ok(());
    }
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS plugin_schema_version (
             plugin     VARCHAR NOT NULL,
             table_name VARCHAR NOT NULL,
             version    INTEGER NOT NULL,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
             PRIMARY KEY (table_name, version)
         )",
    )
    .map_err(FinsamError::db("creating plugin_schema_version"))?;
    for (plugin, table) in tables {
        let applied: i64 = conn
            .query_row("SELECT coalesce(max(version), 0) FROM plugin_schema_version WHERE table_name = ?", [table.name], |r| r.get(0))
            .map_err(FinsamError::db("reading plugin_schema_version"))?;
        for (i, sql) in table.migrations.iter().enumerate().skip(applied as usize) {
            let version = i as i64 + 1;
            crate::model::in_transaction(conn, || {
                conn.execute_batch(sql).map_err(|e| FinsamError::Plugin {
                    plugin: plugin.into(),
                    message: format!(
                        "migration {version} of the table {} failed, nothing of it was written: {}",
                        table.name,
                        e.to_string().lines().next().unwrap_or("")
                    ),
                })?;
                conn.execute(
                    "INSERT INTO plugin_schema_version (plugin, table_name, version) VALUES (?, ?, ?)",
                    duckdb::params![plugin, table.name, version],
                )
                .map_err(FinsamError::db("recording a plugin migration"))?;
                Ok(())
            })?;
        }
    }
    Ok(())
}
