//! Charts for boards and notebooks. Each chart is built from an analysis result (`build`), never from
//! numbers typed in, and draws itself to SVG or PNG with one theme and an embedded font.

pub mod build;
mod draw;
pub mod theme;

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::codes::Lang;
use crate::disclosure::Cell;
// Plugin chart bodies are drawn as they are described: one type, not a copy of it.
use crate::error::{FinsamError, Result};
pub use finsam_plugin::{AmountRow, LineSeries};
use theme::{HEIGHT, WIDTH};

/// The kinds of chart, by the name the CLI takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Outcome shares with their 95 % intervals (`outcomes`).
    Outcomes,
    /// Two periods' shares side by side (`periods`).
    Periods,
    /// Cost per participant-year against the share in work or studies, per intervention (`cost-outcome`).
    CostOutcome,
    /// The members' contributions by year against 50/25/25 (`funding`).
    Funding,
    /// Budget against actual by year (`budget`).
    Budget,
    /// Time to exit or to self-support, Kaplan–Meier curves (`survival`).
    Survival,
    /// Support before → after as a heatmap (`transitions`).
    Transitions,
    /// Enrolments by age band and sex (`pyramid`).
    Pyramid,
}

impl ChartKind {
    /// Every kind, in the order the CLI lists them.
    pub const ALL: [ChartKind; 8] = [
        ChartKind::Outcomes,
        ChartKind::Periods,
        ChartKind::CostOutcome,
        ChartKind::Funding,
        ChartKind::Budget,
        ChartKind::Survival,
        ChartKind::Transitions,
        ChartKind::Pyramid,
    ];

    /// The kind's name as the CLI and Python take it.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Outcomes => "outcomes",
            ChartKind::Periods => "periods",
            ChartKind::CostOutcome => "cost-outcome",
            ChartKind::Funding => "funding",
            ChartKind::Budget => "budget",
            ChartKind::Survival => "survival",
            ChartKind::Transitions => "transitions",
            ChartKind::Pyramid => "pyramid",
        }
    }
}

impl std::str::FromStr for ChartKind {
    type Err = FinsamError;
    fn from_str(s: &str) -> Result<Self> {
        ChartKind::ALL.iter().copied().find(|k| k.name() == s).ok_or_else(|| FinsamError::Unknown {
            what: "chart kind",
            name: s.to_string(),
            known: ChartKind::ALL.iter().map(|k| k.name().to_string()).collect(),
        })
    }
}

/// A bar with its 95 % interval; `value` is `None` when there is nothing to show (suppressed or empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// What the bar is (a measure, an intervention).
    pub label: String,
    /// The share with its interval (share, low, high).
    pub value: Option<(f64, f64, f64)>,
    /// A note beside the bar (n, or why nothing is shown).
    pub note: String,
}

/// A row of a dumbbell chart: one measure in two cohorts.
#[derive(Debug, Clone, PartialEq)]
pub struct DumbbellRow {
    /// What the row is.
    pub label: String,
    /// The first cohort's share.
    pub a: Option<f64>,
    /// The second cohort's share.
    pub b: Option<f64>,
    /// A note beside the row (the n of each).
    pub note: String,
}

/// An intervention as a bubble: its outcome share against its cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Bubble {
    /// The intervention's name.
    pub label: String,
    /// Its share in work or studies after exit.
    pub share: f64,
    /// Its cost per participant-year (SEK).
    pub cost: f64,
    /// Its published participants (the bubble's size).
    pub participants: u64,
}

/// A survival curve of one cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveSeries {
    /// The cohort's name in the legend (with its published n).
    pub label: String,
    /// (months, share without the event, low, high), a step function.
    pub steps: Vec<(f64, f64, Option<f64>, Option<f64>)>,
}

/// What a chart shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Vertical bars with intervals.
    Bars {
        /// The bars.
        bars: Vec<Bar>,
        /// The y axis' label.
        y_label: String,
    },
    /// Two cohorts' values on one line per row.
    Dumbbell {
        /// The rows.
        rows: Vec<DumbbellRow>,
        /// The first cohort's name.
        a_label: String,
        /// The second cohort's name.
        b_label: String,
        /// The x axis' label.
        x_label: String,
    },
    /// Bubbles on two axes.
    Bubbles {
        /// The bubbles.
        points: Vec<Bubble>,
        /// The x axis' label.
        x_label: String,
        /// The y axis' label.
        y_label: String,
    },
    /// Stacked amounts per year with reference lines.
    StackedYears {
        /// The years.
        years: Vec<i32>,
        /// Each series' name and its amount per year.
        series: Vec<(String, Vec<f64>)>,
        /// Reference lines (height, label).
        reference: Vec<(f64, String)>,
        /// The y axis' label.
        y_label: String,
    },
    /// Budget and actual bars per year.
    BudgetActual {
        /// The years.
        years: Vec<i32>,
        /// The budget per year.
        budget: Vec<f64>,
        /// The actual per year.
        actual: Vec<f64>,
        /// The y axis' label.
        y_label: String,
    },
    /// Step curves with interval bands.
    Curves {
        /// The curves.
        curves: Vec<CurveSeries>,
        /// The x axis' label.
        x_label: String,
        /// The y axis' label.
        y_label: String,
    },
    /// A grid of published counts.
    Heatmap {
        /// The rows' labels.
        rows: Vec<String>,
        /// The columns' labels.
        cols: Vec<String>,
        /// The counts as published, row by row.
        cells: Vec<Vec<Cell>>,
        /// What the rows are.
        row_label: String,
        /// What the columns are.
        col_label: String,
    },
    /// A population pyramid of published counts.
    Pyramid {
        /// The age bands, youngest first.
        bands: Vec<String>,
        /// Women per band, as published.
        women: Vec<Cell>,
        /// Men per band, as published.
        men: Vec<Cell>,
    },
    /// Signed amounts (SEK) as horizontal bars around zero, one bar per series in each row.
    Amounts {
        /// The rows.
        rows: Vec<AmountRow>,
        /// The series' names.
        series: Vec<String>,
        /// The x axis' label.
        x_label: String,
    },
    /// Amounts (SEK) along a numeric x axis, with the zero line.
    Lines {
        /// The lines.
        series: Vec<LineSeries>,
        /// The x axis' label.
        x_label: String,
        /// The y axis' label.
        y_label: String,
    },
    /// Nothing to draw: the chart says why ("no participants") instead of drawing an empty frame.
    Empty {
        /// Why there is nothing to draw.
        message: String,
    },
}

/// A chart ready to draw: its texts and what it shows, all from published numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The chart kind's name (a built-in kind or a plugin's).
    pub name: &'static str,
    /// The title.
    pub title: String,
    /// The line under the title (the cohort).
    pub subtitle: String,
    /// The note under the chart (the protection's legend, the data's end).
    pub footnote: String,
    /// The language of its texts.
    pub lang: Lang,
    /// What it shows.
    pub body: Body,
}

type DrawResult = std::result::Result<(), Box<dyn std::error::Error>>;

impl Chart {
    /// The chart as SVG. The same chart always gives the same bytes.
    pub fn to_svg(&self) -> Result<String> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            self.render(&root).map_err(|e| FinsamError::Render { what: format!("draw the {} chart", self.name), detail: e.to_string() })?;
            root.present().map_err(|e| FinsamError::Render { what: "write the SVG".into(), detail: e.to_string() })?;
        }
        Ok(svg)
    }

    /// The chart as a PNG of WIDTH × HEIGHT pixels: the SVG rasterised with the embedded font, so both
    /// formats show the same picture and a machine without fonts draws the same pixels.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        self.png_of(&self.to_svg()?)
    }

    /// The PNG of this chart's SVG (`to_svg`), for a caller that writes both without drawing twice.
    pub fn png_of(&self, svg: &str) -> Result<Vec<u8>> {
        let tree = resvg::usvg::Tree::from_str(svg, theme::svg_options())
            .map_err(|e| FinsamError::Render { what: format!("read back the {} chart's SVG", self.name), detail: e.to_string() })?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT)
            .ok_or_else(|| FinsamError::Render { what: "allocate the PNG".into(), detail: "no memory for the pixels".into() })?;
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
        // Opaque pixels: drop the alpha channel.
        let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(&rgb, WIDTH, HEIGHT, image::ExtendedColorType::Rgb8)
            .map_err(|e| FinsamError::Render { what: "encode the PNG".into(), detail: e.to_string() })?;
        Ok(png)
    }

    /// Writes SVG or PNG by the file's extension; an existing file only with `overwrite`. Nothing is written
    /// when drawing fails.
    pub fn save(&self, path: &Path, overwrite: bool) -> Result<()> {
        let bytes = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("svg") => self.to_svg()?.into_bytes(),
            Some("png") => self.to_png()?,
            _ => return Err(FinsamError::invalid(format!("{}: the chart file must end in .svg or .png", path.display()))),
        };
        write_chart_file(path, &bytes, overwrite)
    }

    /// Writes the chart as `NAME.svg` and `NAME.png` in `dir`, drawing it once.
    pub fn save_both(&self, dir: &Path, name: &str, overwrite: bool) -> Result<()> {
        let svg = self.to_svg()?;
        let png = self.png_of(&svg)?;
        write_chart_file(&dir.join(format!("{name}.svg")), svg.as_bytes(), overwrite)?;
        write_chart_file(&dir.join(format!("{name}.png")), &png, overwrite)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        theme::register_fonts();
        let body = draw::frame(root, &self.title, &self.subtitle, &self.footnote)?;
        let lang = self.lang;
        match &self.body {
            Body::Bars { bars, y_label } => draw::bars(&body, bars, y_label, lang),
            Body::Dumbbell { rows, a_label, b_label, x_label } => draw::dumbbell(&body, rows, a_label, b_label, x_label, lang),
            Body::Bubbles { points, x_label, y_label } => draw::bubbles(&body, points, x_label, y_label, lang),
            Body::StackedYears { years, series, reference, y_label } => draw::stacked_years(&body, years, series, reference, y_label, lang),
            Body::BudgetActual { years, budget, actual, y_label } => draw::budget_actual(&body, years, budget, actual, y_label, lang),
            Body::Curves { curves, x_label, y_label } => draw::curves(&body, curves, x_label, y_label, lang),
            Body::Heatmap { rows, cols, cells, row_label, col_label } => draw::heatmap(&body, rows, cols, cells, row_label, col_label, lang),
            Body::Pyramid { bands, women, men } => draw::pyramid(&body, bands, women, men, lang),
            Body::Amounts { rows, series, x_label } => draw::amounts(&body, rows, series, x_label, lang),
            Body::Lines { series, x_label, y_label } => draw::lines(&body, series, x_label, y_label, lang),
            Body::Empty { message } => draw::message(&body, message),
        }
    }
}

use image::ImageEncoder as _;

/// A chart file, written whole or not at all (an existing one only with `overwrite`).
fn write_chart_file(path: &Path, bytes: &[u8], overwrite: bool) -> Result<()> {
    crate::files::write_file(path, overwrite, crate::files::Readers::Usual, |temporary| {
        std::fs::write(temporary, bytes).map_err(|source| FinsamError::Io { path: path.to_path_buf(), source })
    })
}
