//! `finsam.Model`: a federation's database, opened from Python.

use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use duckdb::types::Value;
use finsam::analysis::Cohort;
use finsam::charts::build::ChartOptions;
use finsam::options::{self, COHORT};
use finsam::plugins::chart_by_name;
use finsam::plugins::{run_analysis, ArgInput, ArgValue, Call};
use finsam::present::outputs::{compare_output, costs_output, report_output, survival_output};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

use crate::args;
use crate::errors::{to_py, ClosedError};
use crate::outputs::{BoardReport, Chart, Output, Table};

fn cohort_from(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Cohort> {
    args::given(kwargs, &[&COHORT])?.cohort().map_err(to_py)
}

/// A federation's database. Open one with `finsam.open(path)` or get the demo with `finsam.demo()`.
///
/// >>> import finsam
/// >>> m = finsam.demo()
/// >>> m.report(intervention="comung", period="2022-2023")   # the standard participant report
/// >>> m.chart("periods", period="2020-2021", vs="2022-2023")  # shown inline in Jupyter
#[pyclass(module = "finsam")]
pub struct Model {
    /// `None` while a worker thread holds the model, and after `close()`.
    inner: Mutex<Option<finsam::Model>>,
    interrupt: Arc<duckdb::InterruptHandle>,
    closed: std::sync::atomic::AtomicBool,
    path: Option<String>,
}

impl Model {
    fn wrap(model: finsam::Model) -> Model {
        let interrupt = model.interrupt_handle();
        let path = model.path().map(|p| p.display().to_string());
        Model { inner: Mutex::new(Some(model)), interrupt, closed: false.into(), path }
    }

    /// Runs `work` on a worker thread with the GIL released; Ctrl-C interrupts DuckDB and raises
    /// KeyboardInterrupt here, and the model is back in place either way.
    fn on_worker<T: Send + 'static>(&self, py: Python<'_>, work: impl FnOnce(&finsam::Model) -> finsam::Result<T> + Send + 'static) -> PyResult<T> {
        let model = self.inner.lock().unwrap_or_else(|e| e.into_inner()).take().ok_or_else(|| {
            if self.closed.load(std::sync::atomic::Ordering::SeqCst) {
                ClosedError::new_err("the model is closed")
            } else {
                ClosedError::new_err("the model is busy with another call (use one model per thread)")
            }
        })?;
        // The answer comes back over a channel, so a call returns the moment the work is done; while
        // waiting, Python's signals are checked every 10 ms.
        let (sender, receiver) = std::sync::mpsc::channel();
        let receiver = Mutex::new(receiver); // detach() wants a Sync closure; only this thread receives.
        std::thread::spawn(move || {
            let result = work(&model);
            let _ = sender.send((model, result));
        });
        let mut interrupted = None;
        let (model, result) = loop {
            match py.detach(|| receiver.lock().unwrap_or_else(|e| e.into_inner()).recv_timeout(Duration::from_millis(10))) {
                Ok(done) => break done,
                Err(RecvTimeoutError::Timeout) => {
                    if interrupted.is_none() {
                        if let Err(signal) = py.check_signals() {
                            self.interrupt.interrupt();
                            interrupted = Some(signal);
                        }
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return Err(PyRuntimeError::new_err("finsam's worker thread panicked")),
            }
        };
        *self.inner.lock().unwrap_or_else(|e| e.into_inner()) = Some(model);
        if let Some(signal) = interrupted {
            return Err(signal);
        }
        result.map_err(to_py)
    }
}

impl Model {
    /// A plugin call from Python keywords: cohort filters, the output options, and the plugin's arguments.
    fn run_plugin(&self, py: Python<'_>, name: &str, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Output> {
        let (given, rest) = args::given_and_rest(kwargs, &[&COHORT, &args::OUTPUT])?;
        let mut plugin_args = Vec::new();
        for (key, v) in rest {
            if !v.is_none() {
                plugin_args.push((key, ArgInput::Value(arg_value(&v)?)));
            }
        }
        let cohort = if args::has_cohort(&given) { Some(given.cohort().map_err(to_py)?) } else { None };
        let call = Call {
            name: name.to_string(),
            cohort,
            args: plugin_args,
            lang: given.lang().map_err(to_py)?,
            protection: given.protection().map_err(to_py)?,
        };
        let out = self.on_worker(py, move |m| run_analysis(m, &call))?;
        Output::new(py, out)
    }
}

/// A plugin argument from Python: bool, int, float or str.
fn arg_value(v: &Bound<'_, PyAny>) -> PyResult<ArgValue> {
    if v.is_instance_of::<PyBool>() {
        Ok(ArgValue::Flag(v.extract()?))
    } else if v.is_instance_of::<PyInt>() {
        Ok(ArgValue::Integer(v.extract()?))
    } else if v.is_instance_of::<PyFloat>() {
        Ok(ArgValue::Number(v.extract()?))
    } else if v.is_instance_of::<PyString>() {
        Ok(ArgValue::Text(v.extract()?))
    } else {
        Err(PyTypeError::new_err(format!("a plugin argument must be a bool, int, float or str, not {}", v.get_type().name()?)))
    }
}

fn value(v: &Bound<'_, PyAny>) -> PyResult<Value> {
    if v.is_none() {
        Ok(Value::Null)
    } else if v.is_instance_of::<PyBool>() {
        Ok(Value::Boolean(v.extract()?))
    } else if v.is_instance_of::<PyInt>() {
        Ok(Value::BigInt(v.extract()?))
    } else if v.is_instance_of::<PyFloat>() {
        Ok(Value::Double(v.extract()?))
    } else if v.is_instance_of::<PyString>() {
        Ok(Value::Text(v.extract()?))
    } else {
        Err(PyTypeError::new_err(format!("a query parameter must be None, bool, int, float or str, not {}", v.get_type().name()?)))
    }
}

/// Opens a finsam database. `read_only=True` never writes, lets several processes read, and lets `sql` read
/// and write no file but the database (no COPY TO, read_csv or ATTACH); `create=True`
/// creates the file when it does not exist (otherwise a missing file is an error, not a new database).
#[pyfunction]
#[pyo3(signature = (path, read_only=false, create=false))]
pub fn open(py: Python<'_>, path: std::path::PathBuf, read_only: bool, create: bool) -> PyResult<Model> {
    if read_only && create {
        return Err(to_py(finsam::FinsamError::invalid("read_only=True cannot create a database: ask for one")));
    }
    let model = py
        .detach(|| match (read_only, create) {
            (true, _) => finsam::open_read_only(&path),
            (false, true) => finsam::open_or_create(&path),
            (false, false) => finsam::open(&path),
        })
        .map_err(to_py)?;
    Ok(Model::wrap(model))
}

/// The synthetic demo federations of the founding documents, in memory.
#[pyfunction]
pub fn demo(py: Python<'_>) -> PyResult<Model> {
    Ok(Model::wrap(py.detach(finsam::demo::model).map_err(to_py)?))
}

#[pymethods]
impl Model {
    /// Runs SQL with `?` parameters and returns the result as a Table (raw: no suppression).
    ///
    /// >>> m.sql("SELECT name FROM intervention WHERE age_min >= ?", [18])
    #[pyo3(signature = (query, params=None))]
    fn sql(&self, py: Python<'_>, query: String, params: Option<Vec<Bound<'_, PyAny>>>) -> PyResult<Table> {
        let values: Vec<Value> = params.unwrap_or_default().iter().map(value).collect::<PyResult<_>>()?;
        let table = self.on_worker(py, move |m| {
            let refs: Vec<&dyn duckdb::ToSql> = values.iter().map(|v| v as &dyn duckdb::ToSql).collect();
            m.query(&query, &refs)
        })?;
        Ok(Table::sql(table))
    }

    /// The standard participant report (SUS's) for a cohort: `m.report(intervention="comung", period="2022-2023")`.
    /// Cohort keywords: federation, intervention, period, membership, sex, age, target_group, support_before,
    /// follow_up.
    #[pyo3(signature = (**kwargs))]
    fn report(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Output> {
        let (c, lang, protection) = args::output(&args::given(kwargs, args::command("report"))?)?;
        let out = self.on_worker(py, move |m| report_output(m, &c, lang, protection))?;
        Output::new(py, out)
    }

    /// The report's one SQL statement with its parameters written in, to read or to run in DuckDB itself
    /// (it returns the unsuppressed counts): `m.report_sql(intervention="comung")`.
    #[pyo3(signature = (**cohort))]
    fn report_sql(&self, py: Python<'_>, cohort: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
        let c = cohort_from(cohort)?;
        self.on_worker(py, move |m| finsam::analysis::report::report_statement(m, &c))
    }

    /// Compares the cohort with a second one: another period (`vs`), intervention(s) or federation(s).
    ///
    /// >>> m.compare(intervention="comung", period="2020-2021", vs="2022-2023")
    #[pyo3(signature = (**kwargs))]
    fn compare(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Output> {
        let given = args::given(kwargs, args::command("compare"))?;
        let (a, lang, protection) = args::output(&given)?;
        let second = (given.text(&options::VS), given.texts(&options::VS_INTERVENTION), given.texts(&options::VS_FEDERATION));
        let b = a.versus(second.0.map_err(to_py)?, second.1.map_err(to_py)?, second.2.map_err(to_py)?).map_err(to_py)?;
        let out = self.on_worker(py, move |m| compare_output(m, &a, &b, lang, protection))?;
        Output::new(py, out)
    }

    /// Kaplan–Meier: the share still without the event ("exit" or "self-support") after each number of months.
    #[pyo3(signature = (**kwargs))]
    fn survival(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Output> {
        let given = args::given(kwargs, args::command("survival"))?;
        let (c, lang, protection) = args::output(&given)?;
        let (event, months) = (given.event().map_err(to_py)?, given.months_of_survival().map_err(to_py)?);
        let out = self.on_worker(py, move |m| survival_output(m, &c, event, &months, lang, protection))?;
        Output::new(py, out)
    }

    /// Budget against actual by financier, cost per participant and per outcome, 50/25/25 shares, administration.
    #[pyo3(signature = (**kwargs))]
    fn costs(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Output> {
        let (c, lang, protection) = args::output(&args::given(kwargs, args::command("costs"))?)?;
        let out = self.on_worker(py, move |m| costs_output(m, &c, lang, protection))?;
        Output::new(py, out)
    }

    /// The state allocation model for a year (the allocation plugin): `m.allocate(2024)` is
    /// `m.run("allocation", year=2024)`; `amount` defaults to what the state paid these federations,
    /// `max_cut=0` means no cap. `finsam.plugins()` lists every argument.
    #[pyo3(signature = (year, **kwargs))]
    fn allocate(&self, py: Python<'_>, year: i64, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Output> {
        let all = PyDict::new(py);
        all.set_item("year", year)?;
        if let Some(k) = kwargs {
            all.update(k.as_mapping())?;
        }
        self.run_plugin(py, "allocation", Some(&all))
    }

    /// Runs a plugin analysis: `m.run("age-sex", intervention="comung", min_age=18)`. Keywords are the
    /// cohort filters, `lang`, `raw`, `protection` and the analysis's own arguments (see `finsam.plugins()`),
    /// checked against its declaration; the counts come back protected like every other output.
    #[pyo3(signature = (name, **kwargs))]
    #[pyo3(name = "run")]
    fn run_py(&self, py: Python<'_>, name: &str, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Output> {
        self.run_plugin(py, name, kwargs)
    }

    /// The board report: one federation (or some of its interventions), `period` against `vs`, protected,
    /// in Swedish (lang="en" for English). Shown inline; `.save("rapport.html")` writes the file.
    #[pyo3(signature = (*, federation, period, vs, intervention=None, template_dir=None, **kwargs))]
    #[allow(clippy::too_many_arguments)]
    fn board_report(
        &self,
        py: Python<'_>,
        federation: String,
        period: String,
        vs: String,
        intervention: Option<&Bound<'_, PyAny>>,
        template_dir: Option<std::path::PathBuf>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<BoardReport> {
        let request = finsam::board::BoardRequest {
            federation,
            interventions: args::strings(intervention, "intervention")?,
            period,
            vs,
            lang: args::given(kwargs, &[&[options::LANG]])?.lang().map_err(to_py)?,
            template_dir,
        };
        let report = self.on_worker(py, move |m| finsam::board::board_report(m, &request))?;
        Ok(BoardReport { report })
    }

    /// A chart: outcomes, periods, cost-outcome, funding, budget, survival, transitions or pyramid.
    ///
    /// >>> m.chart("periods", period="2020-2021", vs="2022-2023", federation="umea")
    #[pyo3(signature = (kind, **kwargs))]
    fn chart(&self, py: Python<'_>, kind: &str, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Chart> {
        let kind = kind.to_string();
        let given = args::given(kwargs, args::command("chart"))?;
        let (cohort, lang, protection) = args::output(&given)?;
        let options = ChartOptions {
            cohort,
            vs: given.text(&options::CHART_VS).map_err(to_py)?,
            measure: given.measure().map_err(to_py)?,
            event: given.event().map_err(to_py)?,
            lang,
            protection,
        };
        let drawn = self.on_worker(py, move |m| chart_by_name(m, &kind, &options))?;
        Ok(Chart { chart: drawn })
    }

    /// Imports participants or enrolments from CSV, XLSX or Parquet files: every row is checked first, and
    /// any problem raises `finsam.ValidationError` (its `.errors` list file, row, column, value and what was
    /// expected) with nothing imported. A personnummer is pseudonymised with `key` (else FINSAM_KEY or
    /// `key_file`) and never stored. Returns counts of inserted, updated and unchanged rows.
    ///
    /// >>> m.import_files("participants", ["deltagare.xlsx"], key=os.environ["FINSAM_KEY"])
    #[pyo3(signature = (kind, files, *, key=None, key_file=None))]
    fn import_files(
        &self,
        py: Python<'_>,
        kind: &str,
        files: Vec<std::path::PathBuf>,
        key: Option<String>,
        key_file: Option<std::path::PathBuf>,
    ) -> PyResult<std::collections::HashMap<String, u64>> {
        let kind: finsam::import::ImportKind = kind.parse().map_err(to_py)?;
        // A missing key only matters to files with personnummer (the import says so); a weak or unreadable
        // one is an error here.
        let key = finsam::import::key_from(key.as_deref().map(str::as_bytes), key_file.as_deref()).map_err(to_py)?;
        let summary = self.on_worker(py, move |m| {
            let paths: Vec<&std::path::Path> = files.iter().map(|f| f.as_path()).collect();
            finsam::import::import(m, kind, &paths, key.as_deref())
        })?;
        Ok([("inserted".to_string(), summary.inserted), ("updated".into(), summary.updated), ("unchanged".into(), summary.unchanged)].into())
    }

    /// Removes a person and every row about them, by pseudonym (or personnummer with the key).
    #[pyo3(signature = (*, pseudonym=None, personnummer=None, key=None))]
    fn forget(&self, py: Python<'_>, pseudonym: Option<String>, personnummer: Option<String>, key: Option<String>) -> PyResult<u64> {
        enum Who {
            Pseudonym(String),
            Personnummer(String, Vec<u8>),
        }
        let who = match (pseudonym, personnummer) {
            (Some(p), None) => Who::Pseudonym(p),
            (None, Some(pnr)) => {
                let key = match finsam::import::key_from(key.as_deref().map(str::as_bytes), None).map_err(to_py)? {
                    Some(key) => key,
                    None => finsam::import::key(None).map_err(to_py)?,
                };
                Who::Personnummer(pnr, key)
            }
            _ => return Err(to_py(finsam::FinsamError::invalid("say whom to forget: pseudonym= or personnummer="))),
        };
        let gone = self.on_worker(py, move |m| {
            let pseudonym = match who {
                Who::Pseudonym(p) => p,
                Who::Personnummer(pnr, key) => {
                    finsam::import::check_key(m, &key)?;
                    finsam::import::pseudonym_of(&pnr, &key)?
                }
            };
            finsam::import::forget(m, &pseudonym)
        })?;
        Ok(gone.enrolments)
    }

    /// Exports a table of the model or an analysis ("report", "costs") to .csv, .xlsx or .parquet, or runs a
    /// plugin exporter (`what="uppfoljning"`, its arguments in `args={"year": 2023}`; see `finsam.plugins()`).
    /// Person-level tables need raw=True (research only).
    #[pyo3(signature = (what, path, *, overwrite=false, args=None, **kwargs))]
    fn export(
        &self,
        py: Python<'_>,
        what: String,
        path: std::path::PathBuf,
        overwrite: bool,
        args: Option<&Bound<'_, PyDict>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<usize> {
        let given = crate::args::given(kwargs, &[&COHORT, &crate::args::OUTPUT])?;
        let exporter = finsam::plugins::builtin().map_err(to_py)?.exporter(&what).is_some();
        if exporter {
            let mut plugin_args = Vec::new();
            for (k, v) in args.into_iter().flat_map(|a| a.iter()) {
                if !v.is_none() {
                    plugin_args.push((k.extract::<String>()?, ArgInput::Value(arg_value(&v)?)));
                }
            }
            let call = Call {
                name: what,
                cohort: if crate::args::has_cohort(&given) { Some(given.cohort().map_err(to_py)?) } else { None },
                args: plugin_args,
                lang: given.lang().map_err(to_py)?,
                protection: given.protection().map_err(to_py)?,
            };
            return self.on_worker(py, move |m| finsam::export::export_plugin(m, &call, &path, overwrite));
        }
        if args.is_some_and(|a| !a.is_empty()) {
            return Err(PyTypeError::new_err("args= is for plugin exporters (see finsam.plugins())"));
        }
        let (c, lang, protection) = crate::args::output(&given)?;
        let what: finsam::export::Exported = what.parse().map_err(to_py)?;
        self.on_worker(py, move |m| finsam::export::export(m, &what, &path, &c, lang, protection, overwrite))
    }

    /// Stops the query running in another thread (as Ctrl-C does in the calling one).
    fn interrupt(&self) {
        self.interrupt.interrupt();
    }

    /// Closes the database; later calls raise `finsam.ClosedError`.
    fn close(&self) {
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __exit__(&self, _exc_type: Option<Bound<'_, PyAny>>, _exc: Option<Bound<'_, PyAny>>, _tb: Option<Bound<'_, PyAny>>) {
        self.close();
    }

    /// Where the database lives; None in memory.
    #[getter]
    fn path(&self) -> Option<String> {
        self.path.clone()
    }

    #[getter]
    fn schema_version(&self, py: Python<'_>) -> PyResult<i64> {
        self.on_worker(py, |m| m.schema_version())
    }

    /// True for the demo and generated data.
    #[getter]
    fn synthetic(&self, py: Python<'_>) -> PyResult<bool> {
        self.on_worker(py, |m| m.is_synthetic())
    }

    fn __repr__(&self) -> String {
        match (&self.path, self.closed.load(std::sync::atomic::Ordering::SeqCst)) {
            (_, true) => "<finsam.Model (closed)>".into(),
            (Some(p), _) => format!("<finsam.Model {p}>"),
            (None, _) => "<finsam.Model in memory>".into(),
        }
    }
}
