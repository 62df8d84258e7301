//! Results in Python: `Table` (Arrow, zero-copy to pyarrow/pandas/polars/duckdb through the Arrow
//! PyCapsule interface), `Output` (titled tables) and `Chart` (SVG and PNG, shown inline by Jupyter).

use arrow::array::RecordBatchIterator;
use arrow::ffi_stream::FFI_ArrowArrayStream;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyCapsule, PyDict};

use finsam::present::section::TitledTable;

use crate::errors::to_py;

/// How many rows `_repr_html_` shows.
const HTML_ROWS: usize = 20;

/// A table of results. Hand it to `pyarrow.table(t)`, `polars.DataFrame(t)` or `duckdb.sql("from t")`:
/// they read its Arrow data through `__arrow_c_stream__` without copying.
///
/// >>> import finsam, pyarrow
/// >>> t = finsam.demo().sql("SELECT intervention_id, name FROM intervention")
/// >>> pyarrow.table(t).num_rows
/// 23
#[pyclass(module = "finsam", frozen)]
pub struct Table {
    /// The table in both forms: machines (Arrow, CSV) read `data`, people (repr, HTML) read `shown`.
    pub table: TitledTable,
    pub title: Option<String>,
    /// How the counts were protected (None: a SQL result, which is raw).
    pub protection: Option<finsam::disclosure::Protection>,
    /// What the protection does to the numbers, in the output's language.
    pub note: Option<String>,
    /// The output's language (None: a SQL result).
    pub lang: Option<finsam::codes::Lang>,
}

impl Table {
    /// A SQL result: the same table for people and machines.
    pub fn sql(table: finsam::Table) -> Table {
        Table { table: TitledTable::same("sql", "", table), title: None, protection: None, note: None, lang: None }
    }

    fn is_protected(&self) -> bool {
        self.protection.is_some_and(|p| p != finsam::disclosure::Protection::Raw)
    }
}

fn escape(text: &str) -> String {
    finsam::notebook::escape(text)
}

#[pymethods]
impl Table {
    /// The Arrow C stream of the table (the Arrow PyCapsule interface).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(&self, py: Python<'py>, requested_schema: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyCapsule>> {
        // The schema is offered as it is; a consumer that asked for another casts after reading.
        let _ = requested_schema;
        let batches = self.table.data.batches().to_vec();
        let reader = RecordBatchIterator::new(batches.into_iter().map(Ok), self.table.data.schema().clone());
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The table as a `pyarrow.Table` (needs pyarrow).
    fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("pyarrow")?.getattr("table")?.call1((slf,))
    }

    /// The table as a `pandas.DataFrame` (needs pandas and pyarrow).
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::to_arrow(slf)?.call_method0("to_pandas")
    }

    /// The table as a `polars.DataFrame` (needs polars).
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("polars")?.getattr("DataFrame")?.call1((slf,))
    }

    #[getter]
    fn num_rows(&self) -> usize {
        self.table.data.num_rows()
    }

    /// The columns' stable names (snake_case, the same in Swedish and English output).
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.table.data.column_names()
    }

    /// Each column's heading as printed, in the output's language, by column name.
    #[getter]
    fn labels<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let labels = PyDict::new(py);
        for (name, label) in self.table.labels() {
            labels.set_item(name, label)?;
        }
        Ok(labels)
    }

    #[getter]
    fn title(&self) -> Option<String> {
        self.title.clone()
    }

    /// The table's stable name (`outcomes`, `sex_age`, `actors`...), the same in every language and
    /// protection: `output["outcomes"]` picks the table by it.
    #[getter]
    fn id(&self) -> String {
        self.table.id.clone()
    }

    /// True when the counts were protected for a board (perturbed or suppressed); False for raw research
    /// output and SQL results.
    #[getter]
    fn suppressed(&self) -> bool {
        self.is_protected()
    }

    /// Where the Arrow data has a hidden count's null, what people read there: (row, column, mark) with
    /// mark "<5" (1–4 people) or ".." (hidden so that another cannot be worked out).
    #[getter]
    fn marks(&self) -> Vec<(usize, String, String)> {
        self.table.marks.iter().map(|m| (m.row, m.column.clone(), m.mark.clone())).collect()
    }

    /// "perturbation", "suppression" or "raw" (None for a SQL result).
    #[getter]
    fn protection(&self) -> Option<&'static str> {
        self.protection.map(|p| p.name())
    }

    /// What the protection does to the numbers (None for raw output).
    #[getter]
    fn note(&self) -> Option<String> {
        self.note.clone()
    }

    fn __len__(&self) -> usize {
        self.table.data.num_rows()
    }

    fn __repr__(&self) -> PyResult<String> {
        let text = self.table.shown.to_text_table().map_err(to_py)?;
        Ok(match &self.title {
            Some(t) => format!("{t}\n{text}"),
            None => text,
        })
    }

    fn _repr_html_(&self) -> PyResult<String> {
        let legend = finsam::notebook::Legend { lang: self.lang, protected: self.is_protected(), note: self.note.as_deref() };
        finsam::notebook::table_html(&self.table, self.title.as_deref(), &legend, HTML_ROWS).map_err(to_py)
    }
}

/// A result with a heading and titled tables (a report, a comparison, costs...).
#[pyclass(module = "finsam", frozen)]
pub struct Output {
    heading: String,
    tables: Vec<Py<Table>>,
}

impl Output {
    pub fn new(py: Python<'_>, output: finsam::present::outputs::Output) -> PyResult<Output> {
        let tables = output
            .sections
            .into_iter()
            .map(|table| {
                let title = Some(table.title.clone());
                Py::new(py, Table { table, title, protection: Some(output.protection), note: output.note.clone(), lang: Some(output.lang) })
            })
            .collect::<PyResult<_>>()?;
        Ok(Output { heading: output.heading, tables })
    }
}

#[pymethods]
impl Output {
    #[getter]
    fn heading(&self) -> String {
        self.heading.clone()
    }

    /// The tables, in order.
    #[getter]
    fn tables(&self, py: Python<'_>) -> Vec<Py<Table>> {
        self.tables.iter().map(|t| t.clone_ref(py)).collect()
    }

    /// A table by position or by (the start of) its title.
    fn __getitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Py<Table>> {
        if let Ok(i) = key.extract::<isize>() {
            let n = self.tables.len() as isize;
            let index = if i < 0 { n + i } else { i };
            return self
                .tables
                .get(index as usize)
                .filter(|_| (0..n).contains(&index))
                .map(|t| t.clone_ref(py))
                .ok_or_else(|| pyo3::exceptions::PyIndexError::new_err(format!("there are {n} tables")));
        }
        let wanted: String = key.extract()?;
        // By id (`output["outcomes"]`), else by the beginning of the title as printed.
        self.tables
            .iter()
            .find(|t| t.get().table.id == wanted)
            .or_else(|| self.tables.iter().find(|t| t.get().title.as_deref().is_some_and(|title| title.starts_with(&wanted))))
            .map(|t| t.clone_ref(py))
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(wanted))
    }

    fn __len__(&self) -> usize {
        self.tables.len()
    }

    fn __repr__(&self) -> PyResult<String> {
        let mut text = self.heading.clone();
        for t in &self.tables {
            text.push_str("\n\n");
            text.push_str(&t.get().__repr__()?);
        }
        Ok(text)
    }

    fn _repr_html_(&self) -> PyResult<String> {
        let mut html = format!("<h4>{}</h4>", escape(&self.heading));
        for t in &self.tables {
            html.push_str(&t.get()._repr_html_()?);
        }
        Ok(html)
    }
}

/// A chart: shown inline in Jupyter (SVG and PNG), saved with `save("file.svg" | "file.png")`.
#[pyclass(module = "finsam", frozen)]
pub struct Chart {
    pub chart: finsam::charts::Chart,
}

#[pymethods]
impl Chart {
    #[getter]
    fn title(&self) -> String {
        self.chart.title.clone()
    }

    /// The chart as SVG text.
    fn svg(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| self.chart.to_svg()).map_err(to_py)
    }

    /// The chart as PNG bytes (1200 × 800).
    fn png<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let png = py.detach(|| self.chart.to_png()).map_err(to_py)?;
        Ok(PyBytes::new(py, &png))
    }

    /// Writes the chart; the extension (.svg or .png) chooses the format. An existing file is replaced only
    /// with `overwrite=True`.
    #[pyo3(signature = (path, *, overwrite=false))]
    fn save(&self, py: Python<'_>, path: std::path::PathBuf, overwrite: bool) -> PyResult<()> {
        py.detach(|| self.chart.save(&path, overwrite)).map_err(to_py)
    }

    /// What Jupyter shows: SVG and PNG, honouring `include` and `exclude`. A drawing error is shown as
    /// text rather than as an empty output.
    #[pyo3(signature = (include=None, exclude=None))]
    fn _repr_mimebundle_<'py>(&self, py: Python<'py>, include: Option<Vec<String>>, exclude: Option<Vec<String>>) -> PyResult<Bound<'py, PyDict>> {
        let wanted = |mime: &str| {
            include.as_ref().is_none_or(|i| i.iter().any(|m| m == mime)) && exclude.as_ref().is_none_or(|e| !e.iter().any(|m| m == mime))
        };
        let bundle = PyDict::new(py);
        let drawn = (|| -> finsam::Result<()> {
            if wanted("image/svg+xml") {
                bundle.set_item("image/svg+xml", py.detach(|| self.chart.to_svg())?).expect("a dict takes a str");
            }
            if wanted("image/png") {
                let png = py.detach(|| self.chart.to_png())?;
                bundle.set_item("image/png", PyBytes::new(py, &png)).expect("a dict takes bytes");
            }
            Ok(())
        })();
        if let Err(e) = drawn {
            bundle.set_item("text/plain", format!("finsam could not draw the chart: {e}"))?;
        }
        if wanted("text/plain") && !bundle.contains("text/plain")? {
            bundle.set_item("text/plain", format!("<finsam chart: {}>", self.chart.title))?;
        }
        Ok(bundle)
    }

    fn __repr__(&self) -> String {
        format!("<finsam chart: {}>", self.chart.title)
    }
}

/// A board report: `m.board_report(federation="umea", period="2020-2021", vs="2022-2023")`. Shown inline
/// in a notebook (in a frame of its own, so its style does not touch the notebook's); `.save(path)` writes
/// the one self-contained HTML file a board gets, or its PDF when the path ends in .pdf.
#[pyclass(module = "finsam", frozen)]
pub struct BoardReport {
    pub report: finsam::board::BoardReport,
}

#[pymethods]
impl BoardReport {
    #[getter]
    fn title(&self) -> &str {
        &self.report.title
    }

    /// The whole HTML document.
    #[getter]
    fn html(&self) -> &str {
        &self.report.html
    }

    /// The report as a PDF (A4, fonts embedded), typeset from the same content as the HTML.
    fn pdf<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        let bytes = py.detach(|| self.report.pdf()).map_err(to_py)?;
        Ok(pyo3::types::PyBytes::new(py, &bytes))
    }

    /// Writes the HTML (path ending in .html) or the PDF (.pdf).
    #[pyo3(signature = (path, *, overwrite=false))]
    fn save(&self, py: Python<'_>, path: std::path::PathBuf, overwrite: bool) -> PyResult<()> {
        py.detach(|| self.report.save(&path, overwrite)).map_err(to_py)
    }

    fn _repr_html_(&self) -> String {
        let escaped = self.report.html.replace('&', "&amp;").replace('"', "&quot;");
        format!(
            "<iframe srcdoc=\"{escaped}\" style=\"width:100%;height:800px;border:1px solid #ddd\" title=\"{}\"></iframe>",
            self.report.title.replace('"', "&quot;")
        )
    }

    fn __repr__(&self) -> String {
        format!("<finsam.BoardReport {}>", self.report.title)
    }
}
