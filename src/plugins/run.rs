//! Running a plugin's analysis: arguments checked, the cohort resolved into the relation `cohort`, errors
//! and panics caught (the model stays usable), counts published through disclosure control.

use std::panic::{catch_unwind, AssertUnwindSafe};

use finsam_plugin::{ArgInput, Args};

use super::context::ModelContext;
use super::protect::publish;
use crate::analysis::outputs::Output;
use crate::analysis::{Cohort, Protection};
use crate::codes::Lang;
use crate::disclosure::Protector;
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// One call of a plugin analysis, as a face hands it over.
#[derive(Debug, Clone, Default)]
pub struct Call {
    pub name: String,
    /// The cohort filters; `None` when none were given.
    pub cohort: Option<Cohort>,
    /// Arguments as given (names in snake_case or kebab-case).
    pub args: Vec<(String, ArgInput)>,
    pub lang: Lang,
    pub protection: Protection,
}

/// Runs a plugin analysis and returns its protected output.
pub fn run_analysis(model: &Model, call: &Call) -> Result<Output> {
    let registry = model.plugins();
    let (plugin, analysis) = registry.analysis(&call.name).ok_or_else(|| FinsamError::Unknown {
        what: "plugin analysis",
        name: call.name.clone(),
        known: registry.analysis_names(),
    })?;
    let failed = |message: String| FinsamError::Plugin { plugin: plugin.to_string(), message };
    let args = Args::check(&call.name, &analysis.args(), &call.args).map_err(|e| FinsamError::invalid(e.0))?;
    let protector = Protector::new(model, call.protection)?;
    let cohort = if analysis.uses_cohort() {
        let resolved = call.cohort.clone().unwrap_or_default().resolve(model)?;
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
    let ctx = ModelContext { model, lang: call.lang.into(), cohort };
    let outcome = catch_unwind(AssertUnwindSafe(|| analysis.run(&ctx, &args)));
    // Whatever happened, the connection is left as it was found: no transaction open, no cohort view.
    let _ = model.connection().execute_batch("ROLLBACK");
    let _ = model.execute_batch("DROP VIEW IF EXISTS temp.cohort");
    let output = match outcome {
        Ok(Ok(output)) => output,
        Ok(Err(e)) => return Err(failed(e.0)),
        Err(panic) => return Err(failed(format!("it stopped with an internal error (a panic): {}", panic_message(&panic)))),
    };
    publish(output, &protector, call.lang).map_err(failed)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into())
}
