//! The plugin interface of finsam.
//!
//! A plugin adds analyses and DuckDB SQL functions (and may keep tables of its own) without touching the
//! core. This crate knows no DuckDB type: a plugin sees a narrow [`Context`] (read-only SQL with bound
//! parameters returning Arrow, the chosen cohort as a relation named `cohort`, the language) that the core
//! implements, and returns an [`Output`] of unprotected numbers that the core protects (disclosure control)
//! before anyone sees them. A plugin cannot print a count: it can only hand counts to the core.
//!
//! Every capability describes itself (name, one-line description, typed arguments with defaults and help),
//! the way DataFusion's `ScalarUDFImpl` and nushell's `PluginCommand` do, so the faces build `--help`,
//! argument checking and the Python call from the description.
//!
//! A whole plugin, compiled and run as this crate's documentation test (plugins/README.md walks through it,
//! and `finsam::kit::Bench` runs a plugin on the demo database from the plugin's own tests):
//!
//! ```
//! use finsam_plugin::{Analysis, Args, Context, Output, Plugin, PluginError, Registrar, Registry, Rows, Section, Value};
//!
//! /// Counts the cohort's people.
//! struct Hello;
//!
//! impl Plugin for Hello {
//!     fn name(&self) -> &'static str { "hello" }
//!     fn description(&self) -> &'static str { "Says how many people the cohort has" }
//!     fn register(&self, r: &mut Registrar) { r.analysis(People); }
//! }
//!
//! struct People;
//!
//! impl Analysis for People {
//!     fn name(&self) -> &'static str { "people" }
//!     fn description(&self) -> &'static str { "The cohort's people, each counted once" }
//!     fn run(&self, ctx: &dyn Context, _: &Args) -> Result<Output, PluginError> {
//!         // A count comes with the sum of its people's record keys: the host publishes it by the cell-key method.
//!         let rows = Rows::new(ctx.query(
//!             "SELECT count(*) AS n, sum(p.record_key) AS key
//!              FROM (SELECT DISTINCT participant_key FROM cohort) c JOIN finsam_participant p USING (participant_key)",
//!             &[],
//!         )?);
//!         let lang = ctx.lang();
//!         // The table's id (`people`) is how JSON, Python and the board report find it.
//!         let mut table = Section::keyed("people", lang.pick("Deltagare", "People"), &[("people", lang.pick("deltagare", "people"))]);
//!         for n in rows.tallies("n", "key")? {
//!             table.push(vec![Value::Count(n)]);
//!         }
//!         Ok(Output { heading: ctx.cohort_description().unwrap_or_default(), sections: vec![table] })
//!     }
//! }
//!
//! // The host registers it as finsam does at start, checking its names.
//! let mut registry = Registry::default();
//! registry.register(&Hello).unwrap();
//! assert!(registry.analysis("people").is_some());
//! ```

// Plugin authors read this crate's documentation: every public item says what it is for.
#![warn(missing_docs)]

mod args;
mod chart;
mod context;
pub mod format;
mod output;
mod registry;
pub mod stats;
mod tally;

pub use args::{ArgInput, ArgSpec, ArgType, ArgValue, Args, RESERVED_ARG_NAMES};
pub use chart::{AmountRow, ChartBar, ChartBody, ChartKind, LineSeries, PluginChart, Published, PublishedTable};
pub use context::{Context, Lang, Param, Rows};
pub use output::{machine_names, Group, Identity, Output, Section, Term, Value};
pub use registry::{Analysis, Capability, Exporter, Plugin, PluginTable, Registered, Registrar, Registry, SqlFunction};
pub use tally::Tally;

/// Re-exported so that a plugin uses exactly the Arrow the core was built with (one version per build).
pub use arrow;

/// What went wrong inside a plugin, in words for the person who ran it. The core adds the plugin's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginError(pub String);

impl PluginError {
    /// An error with this message (say what was expected and what was found).
    pub fn new(message: impl Into<String>) -> PluginError {
        PluginError(message.into())
    }
}

impl std::fmt::Display for PluginError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PluginError {}

impl From<String> for PluginError {
    fn from(message: String) -> PluginError {
        PluginError(message)
    }
}

impl From<&str> for PluginError {
    fn from(message: &str) -> PluginError {
        PluginError(message.to_string())
    }
}

impl From<arrow::error::ArrowError> for PluginError {
    fn from(e: arrow::error::ArrowError) -> PluginError {
        PluginError(format!("Arrow: {e}"))
    }
}

/// The result of a plugin's work.
pub type PluginResult<T> = std::result::Result<T, PluginError>;
