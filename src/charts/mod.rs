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
    Outcomes,
    Periods,
    CostOutcome,
    Funding,
    Budget,
    Survival,
    Transitions,
    Pyramid,
}

impl ChartKind {
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
    pub label: String,
    pub value: Option<(f64, f64, f64)>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DumbbellRow {
    pub label: String,
    pub a: Option<f64>,
    pub b: Option<f64>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bubble {
    pub label: String,
    pub share: f64,
    pub cost: f64,
    pub participants: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CurveSeries {
    pub label: String,
    /// (months, share without the event, low, high), a step function.
    pub steps: Vec<(f64, f64, Option<f64>, Option<f64>)>,
}

/// What a chart shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Bars {
        bars: Vec<Bar>,
        y_label: String,
    },
    Dumbbell {
        rows: Vec<DumbbellRow>,
        a_label: String,
        b_label: String,
        x_label: String,
    },
    Bubbles {
        points: Vec<Bubble>,
        x_label: String,
        y_label: String,
    },
    StackedYears {
        years: Vec<i32>,
        series: Vec<(String, Vec<f64>)>,
        reference: Vec<(f64, String)>,
        y_label: String,
    },
    BudgetActual {
        years: Vec<i32>,
        budget: Vec<f64>,
        actual: Vec<f64>,
        y_label: String,
    },
    Curves {
        curves: Vec<CurveSeries>,
        x_label: String,
        y_label: String,
    },
    Heatmap {
        rows: Vec<String>,
        cols: Vec<String>,
        cells: Vec<Vec<Cell>>,
        row_label: String,
        col_label: String,
    },
    Pyramid {
        bands: Vec<String>,
        women: Vec<Cell>,
        men: Vec<Cell>,
    },
    /// Signed amounts (SEK) as horizontal bars around zero, one bar per series in each row.
    Amounts {
        rows: Vec<AmountRow>,
        series: Vec<String>,
        x_label: String,
    },
    /// Amounts (SEK) along a numeric x axis, with the zero line.
    Lines {
        series: Vec<LineSeries>,
        x_label: String,
        y_label: String,
    },
    /// Nothing to draw: the chart says why ("no participants") instead of drawing an empty frame.
    Empty {
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The chart kind's name (a built-in kind or a plugin's).
    pub name: &'static str,
    pub title: String,
    pub subtitle: String,
    pub footnote: String,
    pub lang: Lang,
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
