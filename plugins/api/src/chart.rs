//! Chart kinds: a plugin draws from the *published* output of an analysis (counts already protected), and
//! the core draws the body with its own theme, so every chart has one look.

use arrow::record_batch::RecordBatch;

use crate::{Lang, PluginError};

/// A bar, with its 95 % interval when it has one; `value: None` shows as "not shown" (too few people).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartBar {
    pub label: String,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// A short note beside the bar ("n = 48").
    pub note: String,
}

/// One row of signed amounts (SEK), one value per series; `None` is drawn as "not shown".
#[derive(Debug, Clone, PartialEq)]
pub struct AmountRow {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// A line through points (x, amount in SEK), drawn in order.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSeries {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// What a plugin chart shows.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartBody {
    /// Horizontal bars of shares (0–1) with intervals.
    Bars { bars: Vec<ChartBar>, y_label: String },
    /// A population pyramid: counts of women and men by band (`None`: hidden by the protection).
    Pyramid { bands: Vec<String>, women: Vec<Option<u64>>, men: Vec<Option<u64>> },
    /// Horizontal bars of signed amounts (SEK) around zero, one bar per series in each row (who pays, who
    /// gains; a tornado of changes).
    Amounts { rows: Vec<AmountRow>, series: Vec<String>, x_label: String },
    /// Amounts (SEK) along a numeric x axis (months), with the zero line marked (a payback curve).
    Lines { series: Vec<LineSeries>, x_label: String, y_label: String },
    /// Nothing to draw, and why.
    Empty { message: String },
}

/// A chart as a plugin describes it; the core adds the footnote (source, synthetic data, protection).
#[derive(Debug, Clone, PartialEq)]
pub struct PluginChart {
    pub title: String,
    pub subtitle: String,
    pub body: ChartBody,
}

/// An analysis output as published (after disclosure control): its heading and titled Arrow tables.
#[derive(Debug, Clone)]
pub struct Published {
    pub heading: String,
    pub tables: Vec<(String, RecordBatch)>,
}

/// A chart kind: `finsam chart --kind NAME`, `model.chart(NAME, ...)`.
pub trait ChartKind: Send + Sync {
    /// kebab-case.
    fn name(&self) -> &'static str;
    fn description(&self) -> &'static str;
    /// The analysis (by name) whose published output it draws; it runs with its default arguments.
    fn analysis(&self) -> &'static str;
    fn draw(&self, output: &Published, lang: Lang) -> Result<PluginChart, PluginError>;
}
