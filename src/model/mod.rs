//! The model: one DuckDB database holds a federation's whole state.
//!
//! `Model::open` creates a database when the path is new and migrates an older schema; it refuses, before
//! anything is written, a file that is not a DuckDB database, a database of a newer finsam, a foreign
//! DuckDB database, and a path where nothing can be created.

mod migrate;
mod open;
mod plugin_functions;
mod plugin_tables;
pub(crate) mod read_only_sql;
pub mod record_key;

use std::path::{Path, PathBuf};

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use duckdb::{Connection, ToSql};
use finsam_plugin::Registry;

use crate::error::{FinsamError, Result};
use crate::table::Table;

pub use migrate::{MIGRATION_SQL, SCHEMA_VERSION};

/// The SQL of schema version 1; later versions add to it through `migrations/`.
pub const SCHEMA_SQL: &str = include_str!("schema.sql");

/// The tables of the model, in the order they can be filled (references point backwards).
pub const TABLES: &[&str] = &[
    "federation",
    "member",
    "contribution",
    "intervention",
    "intervention_party",
    "budget_line",
    "participant",
    "enrolment",
    "observation",
    "anonymous_count",
    "municipality_context",
    "period",
    "allocation_input",
];

/// How many prepared statements a connection keeps.
const PREPARED_STATEMENTS: usize = 128;

/// A federation's database: one DuckDB file (or memory) with finsam's schema, and the connections to it.
pub struct Model {
    conn: Connection,
    path: Option<PathBuf>,
    writable: bool,
    /// The plugins whose SQL functions are registered on this connection and whose analyses it runs.
    plugins: Arc<Registry>,
    /// The second connections `both` runs on (one, or more where a `both` runs inside another), kept
    /// between calls so that their prepared statements are too (a fresh connection plans every statement
    /// again).
    spare: Mutex<Vec<Model>>,
    /// Answers of look-ups (`memo`) on a database open read-only, shared with its second connections.
    memo: Memo,
}

/// Whether a statement only reads (see `Model::forget_look_ups_unless_read`).
fn reads_only(sql: &str) -> bool {
    let upper = sql.trim_start().to_ascii_uppercase();
    let first = upper.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
    match first {
        // (Not EXPLAIN: EXPLAIN ANALYZE runs the statement it explains.)
        "SELECT" | "FROM" | "VALUES" | "DESCRIBE" | "SHOW" | "SUMMARIZE" | "TABLE" => true,
        "WITH" => !upper
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .any(|word| matches!(word, "INSERT" | "UPDATE" | "DELETE" | "COPY" | "CREATE" | "DROP" | "ALTER" | "ATTACH" | "CHECKPOINT")),
        _ => false,
    }
}

/// What every output of synthetic data says about it, in Swedish (the demo writes it into the database).
pub const SYNTHETIC_NOTE_SV: &str = "Syntetiska demodata: en illustration byggd på grunddokumenten, inga verkliga personer.";
/// The same in English.
pub const SYNTHETIC_NOTE_EN: &str = "Synthetic demo data: an illustration built from the founding documents, no real people.";

/// Look-up answers by key, of any type.
type Memo = Arc<Mutex<HashMap<String, Arc<dyn Any + Send + Sync>>>>;

impl Model {
    /// Opens the existing database at `path` for reading and writing, migrating it to the current schema.
    /// A missing file is an error (a mistyped path must not become a new, empty database).
    pub fn open(path: impl AsRef<Path>) -> Result<Model> {
        open::open(path.as_ref(), open::Access::ReadWrite)
    }

    /// Creates a new database at `path` (created readable by its owner only); an existing file is refused.
    pub fn create(path: impl AsRef<Path>) -> Result<Model> {
        open::open(path.as_ref(), open::Access::CreateNew)
    }

    /// Opens the database at `path`, creating it when the file does not exist (`--create`).
    pub fn open_or_create(path: impl AsRef<Path>) -> Result<Model> {
        open::open(path.as_ref(), open::Access::Create)
    }

    /// Opens an existing database without ever writing to it. Several processes may read at once.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Model> {
        open::open(path.as_ref(), open::Access::ReadOnly)
    }

    /// An empty model in memory.
    pub fn in_memory() -> Result<Model> {
        let conn = open::connect_in_memory()?;
        migrate::migrate(&conn, None)?;
        Model::from_parts(conn, None, true)
    }

    /// A model over an opened, migrated connection, without plugins: the plugin host hands its registry
    /// over (`install_plugins`; `finsam::open` and the other openers of `session` install the built-in ones).
    pub(crate) fn from_parts(conn: Connection, path: Option<PathBuf>, writable: bool) -> Result<Model> {
        // Statements are kept prepared per connection (`query`, `query_rows`): a notebook asks the same
        // questions again, and DuckDB then parses them once. Room for every statement of a board report.
        conn.set_prepared_statement_cache_capacity(PREPARED_STATEMENTS);
        Ok(Model { conn, path, writable, plugins: Arc::new(Registry::default()), spare: Mutex::new(Vec::new()), memo: Memo::default() })
    }

    /// Installs another set of plugins (the built-in ones and a program's own, see
    /// `plugins::builtin_with`): registers the SQL functions not yet registered and, on a database open
    /// for writing, runs the plugin-table migrations not yet applied.
    pub fn use_plugins(&mut self, registry: Registry) -> Result<()> {
        self.install_plugins(Arc::new(registry))
    }

    /// Installs a shared set of plugins, as `use_plugins` does.
    pub fn install_plugins(&mut self, registry: Arc<Registry>) -> Result<()> {
        let known: Vec<&str> = self.plugins.sql_functions().iter().map(|(_, f)| f.name()).collect();
        plugin_functions::register_sql_functions(&self.conn, &registry, &known)?;
        if self.writable {
            plugin_tables::migrate_plugin_tables(&self.conn, &registry)?;
        }
        self.plugins = registry;
        // A spare connection made before knows the old plugins only.
        self.spare.get_mut().unwrap_or_else(|e| e.into_inner()).clear();
        Ok(())
    }

    /// A second connection to the same open database, for work on another thread (DuckDB connections are
    /// `Send`, not `Sync`): the same data, plugins and access.
    pub fn try_clone(&self) -> Result<Model> {
        let conn = self.conn.try_clone().map_err(FinsamError::db("opening a second connection"))?;
        conn.set_prepared_statement_cache_capacity(PREPARED_STATEMENTS);
        Ok(Model {
            conn,
            path: self.path.clone(),
            writable: self.writable,
            plugins: self.plugins.clone(),
            spare: Mutex::new(Vec::new()),
            memo: self.memo.clone(),
        })
    }

    /// Two independent reads at once: `first` on this connection, `second` on a second one on another
    /// thread. A small statement spends most of its time planning on one core, so two of them side by side
    /// take the time of the longer (a comparison's two cohorts, a board report's parts).
    pub fn both<A: Send, B: Send>(&self, first: impl FnOnce(&Model) -> Result<A>, second: impl FnOnce(&Model) -> Result<B> + Send) -> Result<(A, B)> {
        // Spares are kept for the next call: a `both` inside a `both` (the costs beside the reports of a
        // comparison) takes a second one, kept too, so that no call pays for a new connection and its
        // statements' plans again.
        let spare = self.spare.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let other = match spare {
            Some(other) => other,
            None => self.try_clone()?,
        };
        std::thread::scope(|scope| {
            let theirs = scope.spawn(move || {
                let result = second(&other);
                (result, other)
            });
            let ours = first(self);
            let (theirs, other) = theirs.join().map_err(|_| FinsamError::Internal("a second connection's thread panicked".into()))?;
            self.spare.lock().unwrap_or_else(|e| e.into_inner()).push(other);
            Ok((ours?, theirs?))
        })
    }

    /// The plugins this model runs.
    pub fn plugins(&self) -> &Registry {
        &self.plugins
    }

    /// The DuckDB connection, for code in this crate (plugins get a read-only context instead). What it
    /// is used for is not known here, so the look-ups kept so far are forgotten (see `memo`).
    pub(crate) fn connection(&self) -> &Connection {
        self.forget_look_ups();
        &self.conn
    }

    /// The DuckDB connection for statements run inside a transaction that is always rolled back (a
    /// plugin's reads): nothing they do is kept, so the look-ups stay.
    pub(crate) fn connection_rolled_back(&self) -> &Connection {
        &self.conn
    }

    /// Interrupts a running query from another thread (Ctrl-C in a notebook).
    pub fn interrupt_handle(&self) -> Arc<duckdb::InterruptHandle> {
        self.conn.interrupt_handle()
    }

    /// On a database opened read-only, refuses a statement that writes a file: DuckDB keeps such SQL from
    /// every other file, but not from the database's own file and logs (`read_only_sql`).
    fn refuse_file_writes(&self, sql: &str) -> Result<()> {
        if self.writable {
            return Ok(());
        }
        match read_only_sql::file_writing_word(sql) {
            Some(word) => Err(FinsamError::invalid(format!(
                "{word}: a database opened read-only runs no statement that writes a file (it could write over the database itself); `finsam sql --write`, or Python's read_only=False, allows it"
            ))),
            None => Ok(()),
        }
    }

    /// Where the database lives; `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs one query with bound parameters and returns the whole result as Arrow.
    pub fn query(&self, sql: &str, params: &[&dyn ToSql]) -> Result<Table> {
        self.refuse_file_writes(sql)?;
        self.forget_look_ups_unless_read(sql);
        let mut stmt = self.conn.prepare_cached(sql).map_err(FinsamError::db("preparing the query"))?;
        let arrow = stmt.query_arrow(params).map_err(FinsamError::db("running the query"))?;
        let schema = arrow.get_schema();
        let batches = arrow.collect();
        Ok(Table::new(schema, batches))
    }

    /// Runs one query and reads every row into a value with `read`, which takes typed columns from the row
    /// (`row.get("name")` or by position): results are read as values, never parsed back from text.
    pub fn query_rows<T>(&self, sql: &str, params: &[&dyn ToSql], mut read: impl FnMut(&duckdb::Row<'_>) -> duckdb::Result<T>) -> Result<Vec<T>> {
        self.refuse_file_writes(sql)?;
        self.forget_look_ups_unless_read(sql);
        let mut stmt = self.conn.prepare_cached(sql).map_err(FinsamError::db("preparing the query"))?;
        let rows = stmt.query_map(params, |row| read(row)).map_err(FinsamError::db("running the query"))?;
        rows.collect::<duckdb::Result<Vec<T>>>().map_err(FinsamError::db("reading the query's rows"))
    }

    /// Runs statements that return no rows (DDL, INSERT ... SELECT) as one batch.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        self.refuse_file_writes(sql)?;
        self.forget_look_ups();
        self.conn.execute_batch(sql).map_err(FinsamError::db("running SQL"))
    }

    /// The finsam schema version of this database.
    pub fn schema_version(&self) -> Result<i64> {
        migrate::current_version(&self.conn)?.ok_or_else(|| FinsamError::invalid("the database has no finsam schema"))
    }

    /// A value of the `dataset_info` table (e.g. `synthetic`, `data_end_date`).
    pub fn dataset_info(&self, key: &str) -> Result<Option<String>> {
        Ok(self.dataset_infos(&[key])?.pop().flatten())
    }

    /// Several values of the `dataset_info` table, in the order of `keys`.
    pub fn dataset_infos(&self, keys: &[&str]) -> Result<Vec<Option<String>>> {
        // The whole table (a few rows of facts about the data) is read once and kept: a short command asks
        // for two or three of its values, and in a new process each statement costs about a millisecond to
        // plan, more than reading every row.
        let all = self.memo("dataset_info", || {
            let rows = self.query_rows("SELECT key, value FROM dataset_info", &[], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            Ok(Arc::new(rows.into_iter().collect::<std::collections::HashMap<String, String>>()))
        })?;
        Ok(keys.iter().map(|k| all.get(*k).cloned()).collect())
    }

    /// The answer of a look-up (the data's end, a table's size, the names of the interventions), kept until
    /// the data may have changed: a notebook asks many questions of one model, each of which needs the same
    /// few look-ups. Only this model's own connections can change its data (DuckDB lets no other process
    /// write a file that is open, nor this one open it twice), so what is kept is forgotten whenever they may
    /// write: at every `execute_batch` and `transaction`, at a `query` that is not a read, and when code of
    /// this crate takes the connection itself. A database open read-only forgets it at the same points: it
    /// cannot change its data, but a temporary table or view it creates can stand in for one of its tables.
    pub fn memo<T: Clone + Send + Sync + 'static>(&self, key: &str, compute: impl FnOnce() -> Result<T>) -> Result<T> {
        let known = self.memo.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned();
        if let Some(value) = known.as_deref().and_then(|v| v.downcast_ref::<T>()) {
            return Ok(value.clone());
        }
        let value = compute()?;
        self.memo.lock().unwrap_or_else(|e| e.into_inner()).insert(key.to_string(), Arc::new(value.clone()));
        Ok(value)
    }

    /// What the data is, when it is synthetic, in a language: the note the database keeps, or the demo's.
    pub fn synthetic_note(&self, lang: crate::codes::Lang) -> Result<String> {
        let (key, fallback) = match lang {
            crate::codes::Lang::Sv => ("note_sv", SYNTHETIC_NOTE_SV),
            crate::codes::Lang::En => ("note_en", SYNTHETIC_NOTE_EN),
        };
        Ok(self.dataset_info(key)?.unwrap_or_else(|| fallback.to_string()))
    }

    /// True when the data is synthetic (the demo or the generator): everything printed from it says so.
    pub fn is_synthetic(&self) -> Result<bool> {
        Ok(self.dataset_info("synthetic")?.as_deref() == Some("true"))
    }

    /// Counts rows of one of the model's tables.
    pub fn count_rows(&self, table: &str) -> Result<i64> {
        if !TABLES.contains(&table) {
            return Err(FinsamError::Unknown { what: "table", name: table.to_string(), known: TABLES.iter().map(|t| t.to_string()).collect() });
        }
        self.memo(&format!("count_rows {table}"), || {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .map_err(FinsamError::db(format!("counting rows of {table}")))
        })
    }

    /// Forgets the look-ups kept (`memo`) before a statement that may write. A database open read-only
    /// forgets them too: a temporary table or view, which it may create, can stand in for one of its tables.
    fn forget_look_ups(&self) {
        self.memo.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Forgets the look-ups kept unless `sql` only reads: it starts with SELECT, FROM, VALUES, DESCRIBE,
    /// SHOW, SUMMARIZE or TABLE, or with WITH and writes nothing after it. Anything else (or a
    /// read it does not recognise) forgets them, which costs a few look-ups again and nothing more.
    fn forget_look_ups_unless_read(&self, sql: &str) {
        if reads_only(sql) {
            return;
        }
        self.forget_look_ups();
    }

    /// Runs `work` in one transaction: it lands whole or not at all.
    pub fn transaction<T>(&self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.forget_look_ups();
        let done = in_transaction(&self.conn, || work(&self.conn));
        // Look-ups made inside may have seen rows that were rolled back, or not yet written.
        self.forget_look_ups();
        let done = done?;
        // DuckDB writes the transaction's rows (person-level ones among them) to a write-ahead log beside
        // the database, created with the process's umask: keep it as private as the database.
        if let Some(path) = &self.path {
            let wal = std::path::PathBuf::from(format!("{}.wal", path.display()));
            if wal.exists() {
                crate::files::restrict(&wal).map_err(|source| FinsamError::Io { path: wal.clone(), source })?;
            }
        }
        Ok(done)
    }
}

/// Runs `work` between BEGIN and COMMIT; any error rolls everything back.
pub(crate) fn in_transaction<T>(conn: &Connection, work: impl FnOnce() -> Result<T>) -> Result<T> {
    conn.execute_batch("BEGIN TRANSACTION").map_err(FinsamError::db("starting a transaction"))?;
    match work() {
        Ok(value) => {
            conn.execute_batch("COMMIT").map_err(FinsamError::db("committing"))?;
            Ok(value)
        }
        Err(err) => {
            // The error that matters is the one from `work`; if the rollback fails too, DuckDB has already
            // aborted the transaction, which discards its changes all the same.
            let _ = conn.execute_batch("ROLLBACK");
            Err(err)
        }
    }
}
