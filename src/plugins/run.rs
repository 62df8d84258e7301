//! Running a plugin's analysis: arguments checked, the cohort resolved into the relation `cohort`, errors
//! and panics caught (the model stays usable), counts published through disclosure control.

use std::panic::{catch_unwind, AssertUnwindSafe};

use std::sync::Arc;

use finsam_plugin::{Analysis, ArgInput, ArgSpec, Args, Context, Exporter, Output as PluginOutput, PluginError};

use super::context::ModelContext;
use super::protect::publish;
use crate::analysis::Cohort;
use crate::codes::Lang;
use crate::disclosure::Protection;
use crate::disclosure::Protector;
use crate::error::{FinsamError, Result};
use crate::model::Model;
use crate::present::outputs::Output;

/// One call of a plugin analysis, as a face hands it over.
#[derive(Debug, Clone, Default)]
pub struct Call {
    /// The analysis' (or exporter's) name.
    pub name: String,
    /// The cohort filters; `None` when none were given.
    pub cohort: Option<Cohort>,
    /// Arguments as given (names in snake_case or kebab-case).
    pub args: Vec<(String, ArgInput)>,
    /// The language of the output.
    pub lang: Lang,
    /// How counts are protected.
    pub protection: Protection,
}

/// What a call runs: an analysis or an exporter (the same steps; an exporter's tables become files).
enum Runnable {
    Analysis(Arc<dyn Analysis>),
    Exporter(Arc<dyn Exporter>),
}

impl Runnable {
    fn args(&self) -> Vec<ArgSpec> {
        match self {
            Runnable::Analysis(a) => a.args(),
            Runnable::Exporter(e) => e.args(),
        }
    }
    fn uses_cohort(&self) -> bool {
        match self {
            Runnable::Analysis(a) => a.uses_cohort(),
            Runnable::Exporter(e) => e.uses_cohort(),
        }
    }
    fn run(&self, ctx: &dyn Context, args: &Args) -> Result<PluginOutput, PluginError> {
        match self {
            Runnable::Analysis(a) => a.run(ctx, args),
            Runnable::Exporter(e) => e.export(ctx, args),
        }
    }
}

/// Runs a plugin analysis and returns its protected output.
pub fn run_analysis(model: &Model, call: &Call) -> Result<Output> {
    let registry = model.plugins();
    let (plugin, analysis) = registry.analysis(&call.name).ok_or_else(|| FinsamError::Unknown {
        what: "plugin analysis",
        name: call.name.clone(),
        known: registry.analysis_names(),
    })?;
    run(model, call, plugin, Runnable::Analysis(analysis))
}

/// Runs a plugin exporter and returns its protected tables with the file types it may be written as.
pub fn run_exporter(model: &Model, call: &Call) -> Result<(Output, &'static [&'static str])> {
    let registry = model.plugins();
    let (plugin, exporter) = registry.exporter(&call.name).ok_or_else(|| FinsamError::Unknown {
        what: "exporter",
        name: call.name.clone(),
        known: registry.exporter_names(),
    })?;
    let types = exporter.file_types();
    Ok((run(model, call, plugin, Runnable::Exporter(exporter))?, types))
}

fn run(model: &Model, call: &Call, plugin: &'static str, runnable: Runnable) -> Result<Output> {
    let failed = |message: String| FinsamError::Plugin { plugin: plugin.to_string(), message };
    let args = Args::check(&call.name, &runnable.args(), &call.args).map_err(|e| FinsamError::invalid(e.0))?;
    // A plugin's reads run in transactions of their own that are always rolled back.
    if !model.connection().is_autocommit() {
        return Err(FinsamError::invalid(format!("'{}' cannot run inside a transaction: commit or roll it back first", call.name)));
    }
    let protector = Protector::new(model, call.protection)?;
    let data_end = crate::analysis::cohort::data_end(model)?.to_string();
    let cohort = if runnable.uses_cohort() {
        let chosen = call.cohort.clone().unwrap_or_default();
        crate::disclosure::granularity::check_cohort(model, &chosen, call.protection)?;
        let resolved = chosen.resolve(model)?;
        let sql = resolved.inline(&resolved.sql)?;
        model.execute_batch(&format!("CREATE OR REPLACE TEMP VIEW cohort AS {sql}"))?;
        Some(resolved.description.get(call.lang).to_string())
    } else {
        if call.cohort.is_some() {
            return Err(FinsamError::invalid(format!(
                "'{}' works on the whole database and takes no cohort filters (--federation, --period...)",
                call.name
            )));
        }
        None
    };
    let ctx = ModelContext { model, protector: &protector, lang: call.lang.into(), cohort, data_end };
    let outcome = catch_unwind(AssertUnwindSafe(|| runnable.run(&ctx, &args)));
    // Whatever happened, the connection is left as it was found: no transaction open, no cohort view.
    let _ = model.connection().execute_batch("ROLLBACK");
    let _ = model.execute_batch("DROP VIEW IF EXISTS temp.cohort");
    let output = match outcome {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Err(failed(e.0)),
        Err(panic) => return Err(failed(format!("it stopped with an internal error (a panic): {}", panic_message(&panic)))),
    };
    // Under suppression a plugin's tables of a cohort are audited beside the cohort's report as that report
    // publishes it (a plugin table reprinting a figure the report hides, or one that adds up to it, is
    // audited with it: an attack found the SUS-layout export and the age-sex table giving 1-4 still enrolled
    // that way).
    let report = match (&call.cohort, call.protection) {
        (cohort, crate::disclosure::Protection::Suppression) if runnable.uses_cohort() => {
            let report = crate::analysis::standard_report(model, &cohort.clone().unwrap_or_default())?;
            crate::present::published::ReportSystem::of(&report, &protector)
        }
        _ => None,
    };
    publish(output, &protector, call.lang, report.as_ref()).map_err(failed)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_else(|| "no message".into())
}
