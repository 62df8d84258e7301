//! Writing checked participants and enrolments in a few set-based statements: the file's rows are staged
//! in a temporary table, classified against what the database holds (new, the same, changed), then the
//! changed ones are updated and the new ones inserted, each in one statement. Row by row this took about
//! 1.6 ms a person and 3 ms an enrolment.
//!
//! Only columns without an index are ever updated: DuckDB rewrites an update of an indexed column as a
//! delete and an insert, which its foreign keys refuse (a change of federation is refused while checking).

use duckdb::types::Value;
use duckdb::Connection;

use super::{days, EnrolmentRow, ImportSummary, ParticipantRow};
use crate::codes::CodeList;
use crate::error::{FinsamError, Result};

/// The value columns of an enrolment, in the order of `EnrolmentRow::values`.
const ENROLMENT_VALUES: &[&str] = &[
    "support_before",
    "occupation_before",
    "extent_before_pct",
    "support_after",
    "occupation_after",
    "extent_after_pct",
    "subsidised_work_after",
    "exit_reason",
    "consent",
];

pub(super) fn participants(conn: &Connection, rows: &[ParticipantRow]) -> Result<ImportSummary> {
    let db = || FinsamError::db("importing participants");
    stage(
        conn,
        "staged_participant",
        "line INTEGER, participant_id VARCHAR, federation_id VARCHAR, sex VARCHAR, birth_year INTEGER, education VARCHAR",
        rows.iter().enumerate().map(|(i, p)| {
            vec![
                Value::Int(i as i32),
                Value::Text(p.id.clone()),
                Value::Text(p.federation.clone()),
                Value::Text(p.sex.code().into()),
                Value::Int(p.birth_year),
                p.education.map_or(Value::Null, |e| Value::Text(e.code().into())),
            ]
        }),
    )?;
    conn.execute_batch(&format!(
        "CREATE OR REPLACE TEMP TABLE classified_participant AS
         SELECT s.*, CASE WHEN p.participant_id IS NULL THEN 'new'
                          WHEN (p.sex, p.birth_year, p.education) IS NOT DISTINCT FROM (s.sex, s.birth_year, s.education) THEN 'same'
                          ELSE 'changed' END AS status
         FROM staged_participant s LEFT JOIN participant p USING (participant_id);
         UPDATE participant SET sex = c.sex, birth_year = c.birth_year, education = c.education
         FROM classified_participant c
         WHERE c.status = 'changed' AND participant.participant_id = c.participant_id;
         INSERT INTO participant
         SELECT (SELECT coalesce(max(participant_key), 0) FROM participant) + row_number() OVER (ORDER BY line),
                participant_id, federation_id, sex, birth_year, education, {record_key}
         FROM classified_participant WHERE status = 'new';",
        record_key = crate::model::record_key::participant_sql("participant_id"),
    ))
    .map_err(db())?;
    let summary = summary(conn, "classified_participant").map_err(db())?;
    conn.execute_batch("DROP TABLE staged_participant; DROP TABLE classified_participant;").map_err(db())?;
    Ok(summary)
}

pub(super) fn enrolments(conn: &Connection, rows: &[EnrolmentRow]) -> Result<ImportSummary> {
    let db = || FinsamError::db("importing enrolments");
    let value_columns: Vec<String> = std::iter::once("exit_date").chain(ENROLMENT_VALUES.iter().copied()).map(String::from).collect();
    stage(
        conn,
        "staged_enrolment",
        "line INTEGER, participant_id VARCHAR, intervention_id VARCHAR, start_date DATE, exit_date DATE,
         support_before VARCHAR, occupation_before VARCHAR, extent_before_pct SMALLINT, support_after VARCHAR,
         occupation_after VARCHAR, extent_after_pct SMALLINT, subsidised_work_after BOOLEAN, exit_reason VARCHAR,
         consent BOOLEAN",
        rows.iter().enumerate().map(|(i, e)| {
            let mut row = vec![
                Value::Int(i as i32),
                Value::Text(e.participant.clone()),
                Value::Text(e.intervention.clone()),
                days(e.start),
                e.exit.map_or(Value::Null, days),
            ];
            row.extend(e.values.iter().cloned());
            row
        }),
    )?;
    let list = |prefix: &str| value_columns.iter().map(|c| format!("{prefix}{c}")).collect::<Vec<_>>().join(", ");
    let assignments = value_columns.iter().map(|c| format!("{c} = c.{c}")).collect::<Vec<_>>().join(", ");
    // An enrolment is the same one when person, intervention and start date agree (the natural key).
    conn.execute_batch(&format!(
        "CREATE OR REPLACE TEMP TABLE classified_enrolment AS
         SELECT p.participant_key, {record_key} AS record_key, s.* EXCLUDE (participant_id),
                CASE WHEN NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.participant_key = p.participant_key
                                        AND e.intervention_id = s.intervention_id AND e.start_date = s.start_date) THEN 'new'
                     WHEN EXISTS (SELECT 1 FROM enrolment e WHERE e.participant_key = p.participant_key
                                    AND e.intervention_id = s.intervention_id AND e.start_date = s.start_date
                                    AND ({e_values}) IS NOT DISTINCT FROM ({s_values})) THEN 'same'
                     ELSE 'changed' END AS status
         FROM staged_enrolment s JOIN participant p USING (participant_id);
         UPDATE enrolment SET {assignments}
         FROM classified_enrolment c
         WHERE c.status = 'changed' AND enrolment.participant_key = c.participant_key
           AND enrolment.intervention_id = c.intervention_id AND enrolment.start_date = c.start_date;
         INSERT INTO enrolment (enrolment_id, participant_key, intervention_id, start_date, record_key, {columns})
         SELECT (SELECT coalesce(max(enrolment_id), 0) FROM enrolment) + row_number() OVER (ORDER BY line),
                participant_key, intervention_id, start_date, record_key, {columns}
         FROM classified_enrolment WHERE status = 'new';",
        record_key = crate::model::record_key::enrolment_sql("s.participant_id", "s.intervention_id", "s.start_date"),
        e_values = list("e."),
        s_values = list("s."),
        columns = list(""),
    ))
    .map_err(db())?;
    let summary = summary(conn, "classified_enrolment").map_err(db())?;
    if (summary.inserted + summary.updated + summary.unchanged) as usize != rows.len() {
        return Err(FinsamError::Internal("importing enrolments: a row's person was not found while writing (nothing was written)".into()));
    }
    conn.execute_batch("DROP TABLE staged_enrolment; DROP TABLE classified_enrolment;").map_err(db())?;
    Ok(summary)
}

/// Creates (or empties) a temporary table and fills it with `rows` through an appender.
pub(super) fn stage(conn: &Connection, table: &str, columns: &str, rows: impl Iterator<Item = Vec<Value>>) -> Result<()> {
    let db = || FinsamError::db(format!("staging rows in {table}"));
    conn.execute_batch(&format!("CREATE OR REPLACE TEMP TABLE {table} ({columns})")).map_err(db())?;
    let mut appender = conn.appender(table).map_err(db())?;
    for row in rows {
        appender.append_row(duckdb::appender_params_from_iter(row.iter())).map_err(db())?;
    }
    appender.flush().map_err(db())?;
    Ok(())
}

/// How many staged rows were new, changed and the same.
fn summary(conn: &Connection, classified: &str) -> duckdb::Result<ImportSummary> {
    conn.query_row(
        &format!(
            "SELECT count(*) FILTER (status = 'new'), count(*) FILTER (status = 'changed'), count(*) FILTER (status = 'same') FROM {classified}"
        ),
        [],
        |r| Ok(ImportSummary { inserted: r.get(0)?, updated: r.get(1)?, unchanged: r.get(2)? }),
    )
}
