//! Chart kinds: a plugin draws from the *published* output of an analysis (counts already protected), and
//! the core draws the body with its own theme, so every chart has one look.

use arrow::record_batch::RecordBatch;

use crate::{Lang, PluginError};

/// A bar, with its 95 % interval when it has one; `value: None` shows as "not shown" (too few people).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartBar {
    /// What the bar stands for (a measure, an intervention).
    pub label: String,
    /// The share, 0–1; `None` when it is not published.
    pub value: Option<f64>,
    /// The interval's lower bound, 0–1.
    pub low: Option<f64>,
    /// The interval's upper bound, 0–1.
    pub high: Option<f64>,
    /// A short note beside the bar ("n = 48").
    pub note: String,
}

/// One row of signed amounts (SEK), one value per series; `None` is drawn as "not shown".
#[derive(Debug, Clone, PartialEq)]
pub struct AmountRow {
    /// The row's name (an actor, a scenario).
    pub label: String,
    /// One amount per series, in the order of `ChartBody::Amounts::series`.
    pub values: Vec<Option<f64>>,
}

/// A line through points (x, amount in SEK), drawn in order.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSeries {
    /// The series' name in the legend.
    pub label: String,
    /// The points, in the order they are joined.
    pub points: Vec<(f64, f64)>,
}

/// What a plugin chart shows.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartBody {
    /// Horizontal bars of shares (0–1) with intervals.
    Bars {
        /// The bars, top to bottom.
        bars: Vec<ChartBar>,
        /// The value axis' title.
        y_label: String,
    },
    /// A population pyramid: counts of women and men by band (`None`: hidden by the protection).
    Pyramid {
        /// The bands' labels, youngest first.
        bands: Vec<String>,
        /// The women of each band, as published.
        women: Vec<Option<u64>>,
        /// The men of each band, as published.
        men: Vec<Option<u64>>,
    },
    /// Horizontal bars of signed amounts (SEK) around zero, one bar per series in each row (who pays, who
    /// gains; a tornado of changes).
    Amounts {
        /// The rows, top to bottom.
        rows: Vec<AmountRow>,
        /// The series' names (the legend), one value of each row per series.
        series: Vec<String>,
        /// The amount axis' title.
        x_label: String,
    },
    /// Amounts (SEK) along a numeric x axis (months), with the zero line marked (a payback curve).
    Lines {
        /// The lines.
        series: Vec<LineSeries>,
        /// The x axis' title.
        x_label: String,
        /// The amount axis' title.
        y_label: String,
    },
    /// Nothing to draw, and why.
    Empty {
        /// Why there is nothing to draw, in the chart's language.
        message: String,
    },
}

/// A chart as a plugin describes it; the core adds the footnote (source, synthetic data, protection).
#[derive(Debug, Clone, PartialEq)]
pub struct PluginChart {
    /// The title above the chart.
    pub title: String,
    /// The line under the title (the cohort, the unit).
    pub subtitle: String,
    /// What is drawn.
    pub body: ChartBody,
}

/// An analysis output as published (after disclosure control): its heading and titled Arrow tables.
#[derive(Debug, Clone)]
pub struct Published {
    /// The output's heading.
    pub heading: String,
    /// The output's tables, in order.
    pub tables: Vec<PublishedTable>,
}

/// One published table as people read it.
#[derive(Debug, Clone)]
pub struct PublishedTable {
    /// The table's stable name (`Section::id`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its rows as printed (headings in the output's language, hidden counts as marks).
    pub batch: RecordBatch,
}

impl Published {
    /// The table with this stable name.
    pub fn table(&self, id: &str) -> Option<&PublishedTable> {
        self.tables.iter().find(|t| t.id == id)
    }
}

/// A chart kind: `finsam chart --kind NAME`, `model.chart(NAME, ...)`.
pub trait ChartKind: Send + Sync {
    /// kebab-case.
    fn name(&self) -> &'static str;
    /// One line for `finsam plugins`.
    fn description(&self) -> &'static str;
    /// The analysis (by name) whose published output it draws; it runs with its default arguments.
    fn analysis(&self) -> &'static str;
    /// The chart of a published output, its words in `lang`.
    fn draw(&self, output: &Published, lang: Lang) -> Result<PluginChart, PluginError>;
}
