//! Schema versions and the migrations between them. Every database records the migrations applied to it
//! in `schema_version`; opening runs the missing ones in one transaction.

use std::path::Path;

use duckdb::Connection;

use crate::codes::all_code_rows;
use crate::error::{FinsamError, Result};

/// The schema version this finsam writes and understands.
pub const SCHEMA_VERSION: i64 = 7;

struct Migration {
    version: i64,
    description: &'static str,
    apply: fn(&Connection) -> Result<()>,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, description: "the initial model (schema.sql)", apply: initial_model },
    Migration { version: 2, description: "inputs of the state allocation model", apply: allocation_input },
    Migration { version: 3, description: "integer participant keys", apply: participant_key },
    Migration { version: 4, description: "record keys for the cell-key method", apply: record_keys },
    Migration { version: 5, description: "the documented views (finsam_*)", apply: documented_views },
    Migration { version: 6, description: "enrolments unique by person, intervention and start date", apply: enrolment_key },
    Migration { version: 7, description: "keyed record keys and the smallest key of counts entered as aggregates", apply: anonymous_key_min },
];

const ALLOCATION_INPUT_SQL: &str = include_str!("migrations/002_allocation_input.sql");
const PARTICIPANT_KEY_SQL: &str = include_str!("migrations/003_participant_key.sql");
const RECORD_KEY_SQL: &str = include_str!("migrations/004_record_key.sql");
const VIEWS_SQL: &str = include_str!("migrations/005_views.sql");
const ENROLMENT_KEY_SQL: &str = include_str!("migrations/006_enrolment_key.sql");
const ANONYMOUS_KEY_MIN_SQL: &str = include_str!("migrations/007_anonymous_key_min.sql");

/// The SQL of the migrations written as SQL files, in order (for the code-list check in the tests).
pub const MIGRATION_SQL: &[&str] = &[ALLOCATION_INPUT_SQL, PARTICIPANT_KEY_SQL, RECORD_KEY_SQL, VIEWS_SQL, ENROLMENT_KEY_SQL, ANONYMOUS_KEY_MIN_SQL];

fn anonymous_key_min(conn: &Connection) -> Result<()> {
    use crate::model::record_key;
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| FinsamError::invalid(format!("cannot get random bytes for the database's secret: {e}")))?;
    let secret: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    conn.execute("INSERT INTO dataset_info (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING", [record_key::AGGREGATE_KEY_SECRET, secret.as_str()])
        .map_err(FinsamError::db("writing the database's secret for the keys of aggregate rows"))?;
    let sql = ANONYMOUS_KEY_MIN_SQL
        .replace("{anonymous_record_key}", &record_key::anonymous_count_sql())
        .replace("{anonymous_key_min}", &record_key::anonymous_count_min_sql());
    conn.execute_batch(&sql).map_err(FinsamError::db("giving counts entered as aggregates keys of their own"))
}

fn enrolment_key(conn: &Connection) -> Result<()> {
    conn.execute_batch(ENROLMENT_KEY_SQL).map_err(|e| FinsamError::Database {
        context: "making enrolments unique by person, intervention and start date (the database holds two enrolments \
                  with the same three: remove one with `finsam sql --write` and open it again)"
            .into(),
        source: e,
    })
}

fn documented_views(conn: &Connection) -> Result<()> {
    let sql = VIEWS_SQL.replace("{anonymous_record_key}", &crate::model::record_key::anonymous_count_v5_sql());
    conn.execute_batch(&sql).map_err(FinsamError::db("creating the documented views"))
}

fn record_keys(conn: &Connection) -> Result<()> {
    use crate::model::record_key;
    let sql = RECORD_KEY_SQL
        .replace("{participant_record_key}", &record_key::participant_sql("participant_id"))
        .replace("{enrolment_record_key}", &record_key::enrolment_sql("p.participant_id", "e.intervention_id", "e.start_date"));
    conn.execute_batch(&sql).map_err(FinsamError::db("giving participants and enrolments record keys"))
}

fn participant_key(conn: &Connection) -> Result<()> {
    conn.execute_batch(PARTICIPANT_KEY_SQL).map_err(FinsamError::db("giving participants integer keys"))
}

fn allocation_input(conn: &Connection) -> Result<()> {
    conn.execute_batch(ALLOCATION_INPUT_SQL).map_err(FinsamError::db("adding allocation_input"))
}

fn initial_model(conn: &Connection) -> Result<()> {
    conn.execute_batch(super::SCHEMA_SQL).map_err(FinsamError::db("creating the schema"))?;
    let mut appender = conn.appender("code_list").map_err(FinsamError::db("writing the code lists"))?;
    for row in all_code_rows() {
        appender.append_row([row.list, row.code, row.label_sv, row.label_en]).map_err(FinsamError::db("writing the code lists"))?;
    }
    appender.flush().map_err(FinsamError::db("writing the code lists"))?;
    Ok(())
}

/// The highest migration applied, or `None` when the database has no finsam schema at all.
pub fn current_version(conn: &Connection) -> Result<Option<i64>> {
    // Read the version directly: every finsam database has the table, and a catalog query (duckdb_tables()
    // writes out every table's SQL) took a third of a short command's time. Only when the read fails does
    // the catalog say whether the table is missing (an empty or foreign database) or the failure is real.
    match conn.query_row("SELECT max(version) FROM schema_version", [], |r| r.get::<_, Option<i64>>(0)) {
        Ok(version) => Ok(version),
        Err(err) => {
            let has_table: bool = conn
                .query_row(
                    "SELECT count(*) > 0 FROM duckdb_tables()
                     WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'schema_version'",
                    [],
                    |r| r.get(0),
                )
                .map_err(FinsamError::db("reading the schema version"))?;
            if has_table {
                Err(FinsamError::Database { context: "reading the schema version".into(), source: err })
            } else {
                Ok(None)
            }
        }
    }
}

/// Names of the tables in the database (to tell an empty database from someone else's).
pub fn table_names(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare(
            "SELECT table_name FROM (SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'
             UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal)
             ORDER BY 1",
        )
        .map_err(FinsamError::db("listing tables"))?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(FinsamError::db("listing tables"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(FinsamError::db("listing tables"))?;
    Ok(names)
}

/// What opening must do with a database, decided before anything is written.
pub enum Plan {
    UpToDate,
    Migrate { from: i64 },
}

pub fn plan(conn: &Connection, path: Option<&Path>) -> Result<Plan> {
    match current_version(conn)? {
        Some(found) if found > SCHEMA_VERSION => {
            Err(FinsamError::NewerSchema { path: path.map(Path::to_path_buf).unwrap_or_default(), found, supported: SCHEMA_VERSION })
        }
        Some(found) if found == SCHEMA_VERSION => Ok(Plan::UpToDate),
        Some(found) => Ok(Plan::Migrate { from: found }),
        None => {
            let tables = table_names(conn)?;
            if tables.is_empty() {
                Ok(Plan::Migrate { from: 0 })
            } else {
                Err(FinsamError::ForeignDatabase { path: path.map(Path::to_path_buf).unwrap_or_default(), tables })
            }
        }
    }
}

/// Brings the database to `SCHEMA_VERSION` in one transaction.
pub fn migrate(conn: &Connection, path: Option<&Path>) -> Result<()> {
    let from = match plan(conn, path)? {
        Plan::UpToDate => return Ok(()),
        Plan::Migrate { from } => from,
    };
    super::in_transaction(conn, || {
        if from == 0 {
            conn.execute_batch(
                "CREATE TABLE schema_version (
                     version     INTEGER PRIMARY KEY,
                     description VARCHAR NOT NULL,
                     applied_at  TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
                 )",
            )
            .map_err(FinsamError::db("creating schema_version"))?;
        }
        for migration in MIGRATIONS.iter().filter(|m| m.version > from) {
            (migration.apply)(conn)?;
            conn.execute(
                "INSERT INTO schema_version (version, description) VALUES (?, ?)",
                duckdb::params![migration.version, migration.description],
            )
            .map_err(FinsamError::db("recording the schema version"))?;
        }
        Ok(())
    })
}
