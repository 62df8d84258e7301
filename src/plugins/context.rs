//! What a plugin sees of the database: one read-only statement at a time, with bound parameters, Arrow back.

use arrow::record_batch::RecordBatch;
use duckdb::types::Value;
use finsam_plugin::{Context, Lang, Param, PluginError, Tally};

use crate::disclosure::Protector;
use crate::model::Model;

pub(super) struct ModelContext<'a> {
    pub model: &'a Model,
    /// The call's protection: the counts a plugin asks about are published exactly as in its output.
    pub protector: &'a Protector,
    pub lang: Lang,
    pub cohort: Option<String>,
    pub data_end: String,
}

impl Context for ModelContext<'_> {
    fn query(&self, sql: &str, params: &[Param]) -> Result<Vec<RecordBatch>, PluginError> {
        check_read_only(sql)?;
        let values: Vec<Value> = params
            .iter()
            .map(|p| match p {
                Param::Null => Value::Null,
                Param::Integer(v) => Value::BigInt(*v),
                Param::Number(v) => Value::Double(*v),
                Param::Text(v) => Value::Text(v.clone()),
            })
            .collect();
        let refs: Vec<&dyn duckdb::ToSql> = values.iter().map(|v| v as &dyn duckdb::ToSql).collect();
        let conn = self.model.connection_rolled_back();
        // The statement runs in a transaction that is always rolled back: whatever a statement that passed
        // the check could still change (a data-modifying CTE), nothing of it is kept.
        conn.execute_batch("BEGIN TRANSACTION").map_err(|e| PluginError(format!("cannot start the read: {e}")))?;
        let result = (|| {
            let mut stmt = conn.prepare(sql)?;
            let arrow = stmt.query_arrow(refs.as_slice())?;
            Ok::<_, duckdb::Error>(arrow.collect::<Vec<RecordBatch>>())
        })();
        let _ = conn.execute_batch("ROLLBACK");
        result.map_err(|e| PluginError(format!("SQL failed: {}", e.to_string().lines().next().unwrap_or(""))))
    }

    fn lang(&self) -> Lang {
        self.lang
    }

    fn cohort_description(&self) -> Option<String> {
        self.cohort.clone()
    }

    fn data_end(&self) -> String {
        self.data_end.clone()
    }

    fn published(&self, count: Tally) -> Option<u64> {
        self.protector.value(count)
    }

    fn divisor(&self, count: Tally) -> Option<u64> {
        self.protector.divisor(count)
    }

    fn perturbed(&self, count: Tally) -> u64 {
        self.protector.perturbed(count)
    }
}

/// Only statements that read: the first word (after comments) is SELECT, WITH, FROM or VALUES. DuckDB
/// itself refuses more than one statement in a prepared query.
fn check_read_only(sql: &str) -> Result<(), PluginError> {
    // A second statement after the first (`SELECT 1; COPY t TO 'x'`) would run too.
    if let Some(word) = crate::model::read_only_sql::file_writing_word(sql) {
        return Err(PluginError(format!("plugins may only read: no {word}, which writes a file")));
    }
    let mut rest = sql.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    let first: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_lowercase();
    if ["select", "with", "from", "values"].contains(&first.as_str()) || rest.starts_with('(') {
        Ok(())
    } else {
        Err(PluginError(format!("plugins may only read: a statement must start with SELECT, WITH, FROM or VALUES, not '{first}'")))
    }
}

#[cfg(test)]
mod tests {
    use super::check_read_only;

    #[test]
    fn only_reads_pass() {
        for sql in ["SELECT 1", "  with x as (select 1) select * from x", "-- c\nFROM t", "/* a */ values (1)", "(select 1)"] {
            assert!(check_read_only(sql).is_ok(), "{sql}");
        }
        for sql in ["DELETE FROM t", "copy t to 'x.csv'", "attach 'x'", "-- SELECT\nDROP TABLE t", "pragma x", "", "SELECT 1; COPY t TO 'x.csv'"] {
            assert!(check_read_only(sql).is_err(), "{sql}");
        }
    }
}
