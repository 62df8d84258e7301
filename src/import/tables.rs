//! The other kinds of file: interventions, budget lines, contributions, municipality context and
//! follow-up observations. Each is a table, its columns with their types and its natural key; one engine
//! checks the rows and writes them, so every kind validates and upserts the same way.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use duckdb::types::Value;

use super::{swedish_name, values, Column, RowError};
use crate::codes::{CodeList, CostCategory, Financier, InterventionKind, Occupation, Support, TargetGroup};
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// What a cell must be.
#[derive(Clone, Copy)]
pub(crate) enum Type {
    Text,
    Code(fn(&str) -> bool, fn() -> String),
    Date,
    /// A year from the first given to 2100 (the schema's CHECK).
    Year(i64),
    Whole {
        min: i64,
        max: i64,
    },
    Amount,
    Percent,
    /// A value that must exist in `table.column` of the database.
    Ref(&'static str, &'static str),
}

pub(crate) struct Field {
    pub column: Column,
    /// The column of the database table it is written to.
    pub sql: &'static str,
    pub kind: Type,
}

pub(crate) struct TableKind {
    pub table: &'static str,
    pub fields: &'static [Field],
    /// The natural key, as database columns; a generated id column when the table has one.
    pub key: &'static [&'static str],
    pub generated_id: Option<&'static str>,
    /// Columns that must not change on a re-import (DuckDB refuses updates of indexed columns).
    pub fixed: &'static [&'static str],
}

fn is<T: CodeList>(v: &str) -> bool {
    T::parse(v).is_ok()
}

fn list<T: CodeList>() -> String {
    format!("one of {}", T::ALL.iter().map(|c| c.code()).collect::<Vec<_>>().join(", "))
}

macro_rules! field {
    ($sv:literal, $en:literal, $required:expr, $sql:literal, $kind:expr) => {
        Field { column: Column { sv: $sv, en: $en, required: $required }, sql: $sql, kind: $kind }
    };
}

pub(crate) static INTERVENTIONS: TableKind = TableKind {
    table: "intervention",
    fields: &[
        field!("insats_id", "intervention_id", true, "intervention_id", Type::Text),
        field!("förbund", "federation", true, "federation_id", Type::Ref("federation", "federation_id")),
        field!("namn", "name", true, "name", Type::Text),
        field!("typ", "kind", true, "kind", Type::Code(is::<InterventionKind>, list::<InterventionKind>)),
        field!("inriktning", "orientation", false, "orientation", Type::Text),
        field!("målgrupp", "target_group", true, "target_group", Type::Code(is::<TargetGroup>, list::<TargetGroup>)),
        field!("kommun", "municipality", false, "municipality", Type::Text),
        field!("lägsta_ålder", "age_min", false, "age_min", Type::Whole { min: 15, max: 70 }),
        field!("högsta_ålder", "age_max", false, "age_max", Type::Whole { min: 15, max: 70 }),
        field!("startdatum", "start_date", true, "start_date", Type::Date),
        field!("slutdatum", "end_date", false, "end_date", Type::Date),
        field!("planerade_deltagare", "planned_participants", false, "planned_participants", Type::Whole { min: 0, max: 1_000_000 }),
        field!("beskrivning", "description", false, "description", Type::Text),
    ],
    key: &["intervention_id"],
    generated_id: None,
    fixed: &["federation_id"],
};

pub(crate) static BUDGET_LINES: TableKind = TableKind {
    table: "budget_line",
    fields: &[
        field!("förbund", "federation", true, "federation_id", Type::Ref("federation", "federation_id")),
        field!("insats", "intervention", false, "intervention_id", Type::Ref("intervention", "intervention_id")),
        field!("år", "year", true, "year", Type::Year(2004)),
        field!("finansiär", "financier", true, "financier", Type::Code(is::<Financier>, list::<Financier>)),
        field!("kategori", "category", true, "category", Type::Code(is::<CostCategory>, list::<CostCategory>)),
        field!("budget_kr", "budget_sek", true, "budget_sek", Type::Amount),
        field!("utfall_kr", "actual_sek", false, "actual_sek", Type::Amount),
    ],
    key: &["federation_id", "intervention_id", "year", "financier", "category"],
    generated_id: Some("budget_line_id"),
    fixed: &[],
};

pub(crate) static CONTRIBUTIONS: TableKind = TableKind {
    table: "contribution",
    fields: &[
        field!("medlem", "member", true, "member_id", Type::Ref("member", "member_id")),
        field!("år", "year", true, "year", Type::Year(2004)),
        field!("belopp_kr", "amount_sek", true, "amount_sek", Type::Amount),
    ],
    key: &["member_id", "year"],
    generated_id: None,
    fixed: &[],
};

pub(crate) static MUNICIPALITY_CONTEXT: TableKind = TableKind {
    table: "municipality_context",
    fields: &[
        field!("kommun", "municipality", true, "municipality", Type::Text),
        field!("år", "year", true, "year", Type::Year(1990)),
        field!("befolkning", "population", true, "population", Type::Whole { min: 0, max: 20_000_000 }),
        field!("andel_försörjningsstöd", "social_assistance_pct", false, "social_assistance_pct", Type::Percent),
        field!("andel_unga_vuxna_försörjningsstöd", "young_adult_social_assistance_pct", false, "young_adult_social_assistance_pct", Type::Percent),
        field!("arbetslöshet", "unemployment_pct", false, "unemployment_pct", Type::Percent),
        field!("källa", "source", false, "source", Type::Text),
    ],
    key: &["municipality", "year"],
    generated_id: None,
    fixed: &[],
};

pub(crate) static OBSERVATIONS: TableKind = TableKind {
    table: "observation",
    fields: &[
        field!("inskrivning", "enrolment", true, "enrolment_id", Type::Ref("enrolment", "enrolment_id")),
        field!("datum", "observed_on", true, "observed_on", Type::Date),
        field!("försörjning", "support", true, "support", Type::Code(is::<Support>, list::<Support>)),
        field!("sysselsättning", "occupation", true, "occupation", Type::Code(is::<Occupation>, list::<Occupation>)),
        field!("omfattning", "extent_pct", false, "extent_pct", Type::Whole { min: 0, max: 100 }),
        field!("källa", "source", false, "source", Type::Text),
    ],
    key: &["enrolment_id", "observed_on"],
    generated_id: None,
    fixed: &[],
};

fn days(d: NaiveDate) -> Value {
    Value::Date32((d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32)
}

/// Parses one cell to the value written, or says what was expected.
fn parse(kind: Type, text: &str, refs: &HashMap<(&str, &str), HashSet<String>>, serials_from_1904: bool) -> std::result::Result<Value, String> {
    match kind {
        // Free text never holds a personnummer (a run of 10–12 digits), whatever column it came in.
        Type::Text if crate::import::has_personnummer(text) => {
            Err("text without a personnummer (people are imported by personnummer in their own files)".into())
        }
        Type::Text => Ok(Value::Text(text.to_string())),
        Type::Code(valid, expected) => {
            if valid(text) {
                // Store the code, whichever label the file used.
                Ok(Value::Text(canonical_code(text)))
            } else {
                Err(expected())
            }
        }
        Type::Date => values::date_in(text, serials_from_1904).map(days).map_err(String::from),
        Type::Year(first) => values::whole(text).map_err(String::from).and_then(|y| {
            if (first..=2100).contains(&y) {
                Ok(Value::Int(y as i32))
            } else {
                Err(format!("a year from {first} to 2100"))
            }
        }),
        Type::Whole { min, max } => values::whole(text).map_err(String::from).and_then(|v| {
            if (min..=max).contains(&v) {
                Ok(Value::BigInt(v))
            } else {
                Err(format!("a whole number from {min} to {max}"))
            }
        }),
        // The schema's DECIMAL(14, 2): below a million million kronor.
        Type::Amount => values::amount(text).map_err(String::from).and_then(|v| {
            if (0.0..1e12).contains(&v) {
                Ok(Value::Double(v))
            } else {
                Err("an amount from 0 kr to 999 999 999 999 kr".into())
            }
        }),
        Type::Percent => values::percent(text).map_err(String::from).and_then(|v| {
            if (0.0..=100.0).contains(&v) {
                Ok(Value::Double(v))
            } else {
                Err("a percentage from 0 to 100".into())
            }
        }),
        Type::Ref(table, column) => {
            if refs.get(&(table, column)).is_some_and(|known| known.contains(text)) {
                Ok(Value::Text(text.to_string()))
            } else {
                Err(format!("an existing {table} (see finsam info)"))
            }
        }
    }
}

/// The stored code of a code or label, for any of the lists.
fn canonical_code(text: &str) -> String {
    fn find<T: CodeList>(t: &str) -> Option<&'static str> {
        T::parse(t).ok().map(|c| c.code())
    }
    find::<InterventionKind>(text)
        .or_else(|| find::<TargetGroup>(text))
        .or_else(|| find::<Financier>(text))
        .or_else(|| find::<CostCategory>(text))
        .or_else(|| find::<Support>(text))
        .or_else(|| find::<Occupation>(text))
        .map(str::to_string)
        .unwrap_or_else(|| text.trim().to_string())
}

pub(crate) struct Checked {
    pub rows: Vec<Vec<(&'static str, Value)>>,
    pub errors: super::Problems,
}

/// Checks every row of a file of `kind`.
pub(crate) fn check(model: &Model, kind: &TableKind, file: &str, rows: &super::source::Rows) -> Result<Checked> {
    let mut errors = super::Problems::default();
    let columns: Vec<&Column> = kind.fields.iter().map(|f| &f.column).collect();
    let index = super::header_index_of(file, &rows.header, &columns, &mut errors);
    let mut refs: HashMap<(&str, &str), HashSet<String>> = HashMap::new();
    for f in kind.fields {
        if let Type::Ref(table, column) = f.kind {
            let known =
                model.query(&format!("SELECT {column}::VARCHAR FROM {table}"), &[])?.rows_as_text()?.into_iter().map(|mut r| r.remove(0)).collect();
            refs.insert((table, column), known);
        }
    }
    // What a row must agree with in other tables: a budget line's intervention belongs to the line's
    // federation (else its money shows in the wrong federation's costs); an observation follows the start of
    // its enrolment.
    let owners: HashMap<String, String> = if kind.table == "budget_line" {
        model.query_rows("SELECT intervention_id, federation_id FROM intervention", &[], |r| Ok((r.get(0)?, r.get(1)?)))?.into_iter().collect()
    } else {
        HashMap::new()
    };
    let starts: HashMap<String, (i32, String)> = if kind.table == "observation" {
        model
            .query_rows(
                "SELECT enrolment_id::VARCHAR, datediff('day', DATE '1970-01-01', start_date)::INTEGER, start_date::VARCHAR FROM enrolment",
                &[],
                |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
            )?
            .into_iter()
            .collect()
    } else {
        HashMap::new()
    };
    let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
    let mut out = Vec::new();
    for (line, cells) in &rows.rows {
        let mut values = Vec::new();
        let mut ok = true;
        for f in kind.fields {
            let text = index.get(f.column.en).and_then(|(i, _)| cells.get(*i)).map(|s| s.trim()).unwrap_or("");
            let header = index.get(f.column.en).map(|(_, h)| h.to_string()).unwrap_or_else(|| swedish_name(f.column.en).to_string());
            if text.is_empty() {
                if f.column.required {
                    errors.push(RowError {
                        file: file.into(),
                        row: *line,
                        column: header,
                        value: String::new(),
                        expected: "a value (the column must not be empty)".into(),
                    });
                    ok = false;
                }
                values.push((f.sql, Value::Null));
                continue;
            }
            match parse(f.kind, text, &refs, rows.serials_from_1904) {
                Ok(v) => values.push((f.sql, v)),
                Err(expected) => {
                    errors.push(RowError { file: file.into(), row: *line, column: header, value: text.into(), expected });
                    ok = false;
                }
            }
        }
        // Rules across columns.
        let get = |name: &str| values.iter().find(|(c, _)| *c == name).map(|(_, v)| v.clone());
        // The cell as written in the column that `sql` is stored in, for the message.
        let written = |sql: &str| -> String {
            kind.fields
                .iter()
                .find(|f| f.sql == sql)
                .and_then(|f| index.get(f.column.en))
                .and_then(|(i, _)| cells.get(*i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let pairs = [
            ("start_date", "end_date", "slutdatum", "a date on or after the start date"),
            ("age_min", "age_max", "högsta_ålder", "an age at or above the lowest age"),
        ];
        for (low, high, column, expected) in pairs {
            if let (Some(a), Some(b)) = (get(low), get(high)) {
                if order(&b) < order(&a) && !matches!(b, Value::Null) && !matches!(a, Value::Null) {
                    errors.push(RowError { file: file.into(), row: *line, column: column.into(), value: written(high), expected: expected.into() });
                    ok = false;
                }
            }
        }
        if let (Some(Value::Text(intervention)), Some(Value::Text(federation))) = (get("intervention_id"), get("federation_id")) {
            if let Some(owner) = owners.get(&intervention).filter(|owner| **owner != federation) {
                errors.push(RowError {
                    file: file.into(),
                    row: *line,
                    column: swedish_name("intervention").to_string(),
                    value: intervention.clone(),
                    expected: format!("an intervention of the federation {federation} ({intervention} belongs to {owner})"),
                });
                ok = false;
            }
        }
        if let (Some(Value::Text(enrolment)), Some(Value::Date32(observed))) = (get("enrolment_id"), get("observed_on")) {
            if let Some((_, shown)) = starts.get(&enrolment).filter(|(start, _)| observed < *start) {
                errors.push(RowError {
                    file: file.into(),
                    row: *line,
                    column: swedish_name("observed_on").to_string(),
                    value: written("observed_on"),
                    expected: format!("a date on or after the enrolment's start ({shown})"),
                });
                ok = false;
            }
        }
        if !ok {
            continue;
        }
        let key: Vec<String> = kind.key.iter().map(|k| format!("{:?}", get(k).unwrap_or(Value::Null))).collect();
        if let Some(first) = seen.insert(key, *line) {
            let column = swedish_name(kind.fields.iter().find(|f| f.sql == kind.key[0]).map(|f| f.column.en).unwrap_or(kind.key[0])).to_string();
            errors.push(RowError {
                file: file.into(),
                row: *line,
                column,
                value: written(kind.key[0]),
                expected: format!("each key once: also on line {first}"),
            });
            continue;
        }
        out.push(values);
    }
    Ok(Checked { rows: out, errors })
}

fn order(v: &Value) -> i64 {
    match v {
        Value::Date32(d) => *d as i64,
        Value::BigInt(i) => *i,
        Value::Int(i) => *i as i64,
        _ => 0,
    }
}

/// Inserts new rows and updates changed ones by the natural key; returns (inserted, updated, unchanged).
pub(crate) fn write(conn: &duckdb::Connection, kind: &TableKind, rows: &[Vec<(&'static str, Value)>]) -> Result<(u64, u64, u64)> {
    let db = || FinsamError::db(format!("importing {}", kind.table));
    let (mut inserted, mut updated, mut unchanged) = (0, 0, 0);
    let mut next_id: i64 = match kind.generated_id {
        Some(id) => conn.query_row(&format!("SELECT coalesce(max({id}), 0) + 1 FROM {}", kind.table), [], |r| r.get(0)).map_err(db())?,
        None => 0,
    };
    for row in rows {
        let value = |c: &str| row.iter().find(|(name, _)| *name == c).map(|(_, v)| v.clone()).unwrap_or(Value::Null);
        let key_sql = kind.key.iter().map(|k| format!("{k} IS NOT DISTINCT FROM ?")).collect::<Vec<_>>().join(" AND ");
        let key_values: Vec<Value> = kind.key.iter().map(|k| value(k)).collect();
        let columns: Vec<&str> = row.iter().map(|(c, _)| *c).filter(|c| !kind.key.contains(c)).collect();
        let exists: bool = conn
            .query_row(&format!("SELECT count(*) > 0 FROM {} WHERE {key_sql}", kind.table), duckdb::params_from_iter(key_values.iter()), |r| r.get(0))
            .map_err(db())?;
        if !exists {
            let mut names: Vec<&str> = row.iter().map(|(c, _)| *c).collect();
            let mut all: Vec<Value> = row.iter().map(|(_, v)| v.clone()).collect();
            if let Some(id) = kind.generated_id {
                names.insert(0, id);
                all.insert(0, Value::BigInt(next_id));
                next_id += 1;
            }
            conn.execute(
                &format!("INSERT INTO {} ({}) VALUES ({})", kind.table, names.join(", "), vec!["?"; names.len()].join(", ")),
                duckdb::params_from_iter(all.iter()),
            )
            .map_err(db())?;
            inserted += 1;
            continue;
        }
        let current: Vec<Value> = columns.iter().map(|c| value(c)).collect();
        let same_sql = columns.iter().map(|c| format!("{c} IS NOT DISTINCT FROM ?")).collect::<Vec<_>>().join(" AND ");
        let same: bool = if columns.is_empty() {
            true
        } else {
            conn.query_row(
                &format!("SELECT count(*) > 0 FROM {} WHERE {key_sql} AND {same_sql}", kind.table),
                duckdb::params_from_iter(key_values.iter().chain(current.iter())),
                |r| r.get(0),
            )
            .map_err(db())?
        };
        if same {
            unchanged += 1;
            continue;
        }
        for fixed in kind.fixed {
            let unchanged_fixed: bool = conn
                .query_row(
                    &format!("SELECT count(*) > 0 FROM {} WHERE {key_sql} AND {fixed} IS NOT DISTINCT FROM ?", kind.table),
                    duckdb::params_from_iter(key_values.iter().chain(std::iter::once(&value(fixed)))),
                    |r| r.get(0),
                )
                .map_err(db())?;
            if !unchanged_fixed {
                return Err(FinsamError::invalid(format!("{}: {fixed} cannot change on a re-import ({:?})", kind.table, key_values)));
            }
        }
        let settable: Vec<&str> = columns.iter().copied().filter(|c| !kind.fixed.contains(c)).collect();
        let assignments = settable.iter().map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ");
        let set_values: Vec<Value> = settable.iter().map(|c| value(c)).collect();
        conn.execute(
            &format!("UPDATE {} SET {assignments} WHERE {key_sql}", kind.table),
            duckdb::params_from_iter(set_values.iter().chain(key_values.iter())),
        )
        .map_err(db())?;
        updated += 1;
    }
    Ok((inserted, updated, unchanged))
}
