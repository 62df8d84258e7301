//! The plugin host: the built-in plugins, and the one way any plugin's work reaches people.
//!
//! Plugins implement the interface of the `finsam-plugin` crate (no DuckDB type in it). The core gives
//! them a narrow context (`context`: read-only SQL over the documented views, the cohort as a relation),
//! catches their errors and panics (`run`), publishes their counts through disclosure control (`protect`),
//! and hands the registry to the model, which registers their SQL functions in DuckDB and runs their table
//! migrations on its connection.
//!
//! The built-in plugins are listed in `builtin` and nowhere else; each is a crate under `plugins/` behind a
//! cargo feature that is on by default. A federation adding its own plugin writes a crate against
//! `finsam-plugin` and adds one line there (see plugins/README.md).

mod builtin;
mod catalogue;
mod chart;
mod context;
mod protect;
mod run;

use std::sync::{Arc, OnceLock};

pub use catalogue::catalogue;
pub use chart::{chart_by_name, plugin_chart, plugin_chart_of};
pub use finsam_plugin::{ArgInput, ArgSpec, ArgType, ArgValue, Capability, Plugin, Registry};
pub use run::{run_analysis, run_exporter, Call};

use crate::error::{FinsamError, Result};

/// The registry of the built-in plugins, built once per process. A name taken twice is refused here,
/// before any database is opened.
pub fn builtin() -> Result<Arc<Registry>> {
    static REGISTRY: OnceLock<std::result::Result<Arc<Registry>, String>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| builtin::registry().map(Arc::new))
        .clone()
        .map_err(|message| FinsamError::Plugin { plugin: "(registration)".into(), message })
}

/// A registry of the given plugins (the built-in ones are not included): for tests and for programs that
/// embed finsam with plugins of their own.
pub fn registry_of(plugins: &[&dyn Plugin]) -> Result<Registry> {
    let mut registry = Registry::default();
    for plugin in plugins {
        registry.register(*plugin).map_err(|e| FinsamError::Plugin { plugin: plugin.name().into(), message: e.0 })?;
    }
    Ok(registry)
}

/// The built-in plugins plus `extra`, refusing a name taken twice.
pub fn builtin_with(extra: &[&dyn Plugin]) -> Result<Registry> {
    let mut plugins = builtin::plugins();
    plugins.extend(extra.iter().copied());
    registry_of(&plugins)
}
