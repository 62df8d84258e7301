//! One error type for the core. Each variant is a message a person can act on: it names the file, the
//! thing that was wrong and what was expected. The CLI prints it as one line; the Python binding maps the
//! variants to exception classes under `finsam.FinsamError`.

use std::path::PathBuf;

use thiserror::Error;

/// A result whose error is a `FinsamError`.
pub type Result<T, E = FinsamError> = std::result::Result<T, E>;

/// Everything that can go wrong in finsam, each variant a message a person can act on.
#[derive(Debug, Error)]
pub enum FinsamError {
    /// DuckDB refused a statement; `context` says what finsam was doing.
    #[error("{context}: {}", clean_duckdb_message(.source))]
    Database {
        /// What finsam was doing ("running SQL", "opening the database").
        context: String,
        /// DuckDB's error.
        source: duckdb::Error,
    },

    /// A file that is not a DuckDB database at all.
    #[error("{path} is not a DuckDB database (its header does not carry DuckDB's magic bytes); nothing was changed")]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },

    /// A database written by a newer finsam.
    #[error(
        "{path} has finsam schema version {found}, newer than this finsam understands ({supported}); \
         upgrade finsam to open it. Nothing was changed"
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest version this finsam knows.
        supported: i64,
    },

    /// A DuckDB database of something else, which finsam leaves alone.
    #[error(
        "{path} is a DuckDB database but not a finsam one (it has the tables {}); finsam will not add its schema \
         to it. Nothing was changed", .tables.join(", ")
    )]
    ForeignDatabase {
        /// The database file.
        path: PathBuf,
        /// The tables it has.
        tables: Vec<String>,
    },

    /// A database of an older schema opened read-only: it must be opened once for writing to migrate.
    #[error(
        "{path} has finsam schema version {found} and needs migrating to {supported}; open it once for writing \
         (for example `finsam sql --write --db {path} \"SELECT 1\"`)"
    )]
    NeedsMigration {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The version it would be migrated to.
        supported: i64,
    },

    /// Another process holds the database for writing.
    #[error("{path} is in use by another process (DuckDB allows one writer); close it there and try again")]
    InUse {
        /// The database file.
        path: PathBuf,
    },

    /// A new database could not be made at the path.
    #[error("cannot create a database at {path}: {reason}")]
    CannotCreate {
        /// Where it was to be made.
        path: PathBuf,
        /// Why not.
        reason: String,
    },

    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },

    /// A name that does not exist (an intervention, a period, a federation, a chart kind...).
    #[error("unknown {what} '{name}'{}", known_hint(.known))]
    Unknown {
        /// What kind of name ("intervention", "chart kind").
        what: &'static str,
        /// The name given.
        name: String,
        /// The names that exist (listed in the message when there are any).
        known: Vec<String>,
    },

    /// Problems in imported files, each with file, line, column, value and what was expected; nothing
    /// was imported.
    #[error("{total} problem(s) in the imported file(s); nothing was imported. First: {}", .errors.first().map(|e| e.to_string()).unwrap_or_default())]
    Validation {
        /// The problems found (the first ones, when there are very many).
        errors: Vec<RowError>,
        /// How many problems there were in all.
        total: usize,
    },

    /// A plugin failed (returned an error, panicked, or broke the interface's rules); the model is unharmed.
    #[error("plugin '{plugin}': {message}")]
    Plugin {
        /// The plugin's name.
        plugin: String,
        /// What went wrong.
        message: String,
    },

    /// A file that exists and can be opened but whose content is not what it claims to be (a workbook that
    /// does not unzip, a CSV line that does not parse, a Parquet file DuckDB cannot read).
    #[error("{path}: not a readable {what} ({detail})")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What it was read as ("workbook", "CSV file").
        what: &'static str,
        /// What the reader said.
        detail: String,
    },

    /// Drawing or writing an output failed (a chart, its PNG, a CSV or workbook being written): not the
    /// input's fault; `what` names the output.
    #[error("cannot {what}: {detail}")]
    Render {
        /// What was being made ("draw the outcomes chart", "write CSV").
        what: String,
        /// What the drawing or writing library said.
        detail: String,
    },

    /// Something finsam itself got wrong (a broken invariant); the message says where. Please report it.
    #[error("internal error (please report it): {0}")]
    Internal(String),

    /// An argument that does not make sense (a period that does not parse, a negative count...).
    #[error("{0}")]
    InvalidArgument(String),
}

impl FinsamError {
    /// An argument that does not make sense, with the message a person reads.
    pub fn invalid(message: impl Into<String>) -> Self {
        FinsamError::InvalidArgument(message.into())
    }

    /// A failure while drawing or writing `what` ("draw the outcomes chart", "write CSV").
    pub fn render(what: impl Into<String>) -> impl FnOnce(String) -> Self {
        let what = what.into();
        move |detail| FinsamError::Render { what, detail }
    }

    /// A DuckDB error while doing `context` (for `map_err`).
    pub fn db(context: impl Into<String>) -> impl FnOnce(duckdb::Error) -> Self {
        let context = context.into();
        move |source| FinsamError::Database { context, source }
    }
}

fn known_hint(known: &[String]) -> String {
    if known.is_empty() {
        String::new()
    } else {
        format!(": expected one of {}", known.join(", "))
    }
}

/// DuckDB's messages carry a JSON-ish prefix on some paths and trailing context lines; keep the first
/// line a person needs.
fn clean_duckdb_message(err: &duckdb::Error) -> String {
    let text = err.to_string();
    let first = text.lines().next().unwrap_or("").trim().to_string();
    if first.contains("disabled by configuration") || first.contains("disabled through configuration") {
        // What DuckDB says when a read-only model's SQL reaches for a file.
        format!("{first} (a database opened read-only lets SQL read and write no file but itself: `finsam sql --write`, or Python's read_only=False, allows it)")
    } else {
        first
    }
}

impl From<duckdb::Error> for FinsamError {
    fn from(source: duckdb::Error) -> Self {
        FinsamError::Database { context: "database error".into(), source }
    }
}

/// One problem in one cell (or, with row 1, in the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The file.
    pub file: String,
    /// The line (1 is the header).
    pub row: usize,
    /// The column.
    pub column: String,
    /// The value found.
    pub value: String,
    /// What was expected.
    pub expected: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: column '{}': '{}': expected {}", self.file, self.row, self.column, self.value, self.expected)
    }
}
