//! The plugin author's test bench: a plugin installed on the demo database (about 7 700 synthetic
//! participants in nine federations, built in memory in under a second), its analyses run through the same
//! host, protection and checks as `finsam run`, and its tables read back by id. A plugin crate uses it as
//! a dev-dependency (`finsam = { workspace = true }` under `[dev-dependencies]`) and tests itself with
//! `cargo test -p NAME`, without the command line:
//!
//! ```no_run
//! use finsam::kit::Bench;
//! # struct MyPlugin;
//! # impl finsam_plugin::Plugin for MyPlugin {
//! #     fn name(&self) -> &'static str { "my-plugin" }
//! #     fn description(&self) -> &'static str { "" }
//! #     fn register(&self, _: &mut finsam_plugin::Registrar) {}
//! # }
//! let bench = Bench::new(&MyPlugin).unwrap();
//! let out = bench.run("my-analysis").intervention("comung").period("2022-2023").protected().unwrap();
//! let rows = Bench::rows(&out, "my_table").unwrap();          // the table's cells as printed
//! let truth = bench.sql("SELECT count(*) FROM finsam_participant").unwrap(); // the raw data, to check against
//! # let _ = (rows, truth);
//! ```

use finsam_plugin::{ArgInput, Plugin};

use crate::analysis::Cohort;
use crate::codes::Lang;
use crate::disclosure::Protection;
use crate::error::{FinsamError, Result};
use crate::model::Model;
use crate::plugins::{builtin, builtin_with, run_analysis, Call};
use crate::present::outputs::Output;
use crate::present::section::KIND;

/// The demo database with a plugin installed.
pub struct Bench {
    model: Model,
}

impl Bench {
    /// The demo with `plugin` installed beside the built-in plugins (or, when it is one of them, with the
    /// built-in ones as they are).
    pub fn new(plugin: &'static dyn Plugin) -> Result<Bench> {
        let mut model = crate::demo::model()?;
        let built_in = builtin()?;
        if !built_in.plugins().iter().any(|p| p.name == plugin.name()) {
            model.use_plugins(builtin_with(&[plugin])?)?;
        }
        Ok(Bench { model })
    }

    /// The model, for anything the bench does not wrap (the core's own analyses, charts).
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// A call of one of the plugin's analyses, to be given filters and arguments and run.
    pub fn run(&self, analysis: &str) -> Run<'_> {
        Run { bench: self, call: Call { name: analysis.to_string(), ..Default::default() }, cohort: Cohort::default() }
    }

    /// A query on the raw data (every table and view of the model), each cell as text: the truth to check a
    /// plugin's raw output against.
    pub fn sql(&self, sql: &str) -> Result<Vec<Vec<String>>> {
        self.model.query(sql, &[])?.rows_as_text()
    }

    /// A table of an output by its id, each cell as people read it.
    pub fn rows(output: &Output, id: &str) -> Result<Vec<Vec<String>>> {
        let table = output.section(id).ok_or_else(|| {
            let ids: Vec<&str> = output.sections.iter().map(|s| s.id.as_str()).collect();
            FinsamError::invalid(format!("the output has no table '{id}' (its tables: {})", ids.join(", ")))
        })?;
        table.shown.rows_as_text()
    }

    /// The cells of every table of an output in a column of counts or whole numbers (by the column's
    /// kind; the first column, each row's label, is left out) printed as 1–4 (also as `3.0` or `3,0`):
    /// under any protection but raw, a plugin whose output has one leaks (the host never prints a count
    /// of 1–4; a number the plugin handed over as a plain integer would). Counts written into text, titles
    /// or headings are not read: a test of those must look at them itself.
    pub fn small_counts(output: &Output) -> Result<Vec<(String, usize, usize, String)>> {
        let mut found = Vec::new();
        for table in &output.sections {
            let kinds: Vec<String> = table.data.schema().fields().iter().map(|f| f.metadata().get(KIND).cloned().unwrap_or_default()).collect();
            for (r, row) in table.shown.rows_as_text()?.iter().enumerate() {
                for (c, cell) in row.iter().enumerate().skip(1) {
                    if !matches!(kinds.get(c).map(String::as_str), Some("count" | "integer")) {
                        continue;
                    }
                    let digits: String = cell.chars().filter(|ch| !ch.is_whitespace()).collect();
                    let whole = digits.strip_suffix(".0").or_else(|| digits.strip_suffix(",0")).unwrap_or(&digits);
                    if matches!(whole, "1" | "2" | "3" | "4") {
                        found.push((table.id.clone(), r, c, cell.clone()));
                    }
                }
            }
        }
        Ok(found)
    }
}

/// One call being put together: cohort filters, arguments, then a protection to run it with.
pub struct Run<'a> {
    bench: &'a Bench,
    call: Call,
    cohort: Cohort,
}

impl Run<'_> {
    /// Only this intervention.
    pub fn intervention(mut self, id: &str) -> Self {
        self.cohort.interventions.push(id.to_string());
        self
    }

    /// Only this federation.
    pub fn federation(mut self, id: &str) -> Self {
        self.cohort.federations.push(id.to_string());
        self
    }

    /// Only this period (a named period, years or dates).
    pub fn period(mut self, period: &str) -> Self {
        self.cohort.period = Some(period.to_string());
        self
    }

    /// Any cohort.
    pub fn cohort(mut self, cohort: Cohort) -> Self {
        self.cohort = cohort;
        self
    }

    /// An argument of the analysis, as typed on the command line.
    pub fn arg(mut self, name: &str, value: &str) -> Self {
        self.call.args.push((name.to_string(), ArgInput::Text(value.to_string())));
        self
    }

    /// In English (Swedish by default).
    pub fn english(mut self) -> Self {
        self.call.lang = Lang::En;
        self
    }

    /// Runs it as a board would see it (perturbation, the default protection).
    pub fn protected(self) -> Result<Output> {
        self.with(Protection::Perturbation)
    }

    /// Runs it under suppression.
    pub fn suppressed(self) -> Result<Output> {
        self.with(Protection::Suppression)
    }

    /// Runs it with true counts (research output).
    pub fn raw(self) -> Result<Output> {
        self.with(Protection::Raw)
    }

    /// Runs it with a protection.
    pub fn with(mut self, protection: Protection) -> Result<Output> {
        self.call.protection = protection;
        self.call.cohort = (!self.cohort.is_all()).then_some(self.cohort);
        run_analysis(&self.bench.model, &self.call)
    }
}
