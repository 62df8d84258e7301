//! Helpers shared by the integration tests.
#![allow(dead_code)]

use finsam::Model;

/// The single value of a one-row, one-column query, as text.
pub fn scalar(model: &Model, sql: &str) -> String {
    let rows = model.query(sql, &[]).expect("query runs").rows_as_text().expect("formats");
    assert_eq!(rows.len(), 1, "expected one row from {sql}");
    rows[0][0].clone()
}

pub fn scalar_i64(model: &Model, sql: &str) -> i64 {
    scalar(model, sql).parse().unwrap_or_else(|e| panic!("{sql} did not give an integer: {e}"))
}

pub fn scalar_f64(model: &Model, sql: &str) -> f64 {
    scalar(model, sql).parse().unwrap_or_else(|e| panic!("{sql} did not give a number: {e}"))
}

/// A fingerprint of a table's whole content, independent of row order.
pub fn fingerprint(model: &Model, table: &str) -> Vec<Vec<String>> {
    model.query(&format!("SELECT count(*), sum(hash(COLUMNS(*))) FROM {table}"), &[]).expect("fingerprint query").rows_as_text().expect("formats")
}
