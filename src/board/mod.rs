//! The board report: one federation (or some of its interventions), one period against another, in
//! Swedish (English on request), as one self-contained HTML file that a board reads on a phone or prints
//! on A4, and as a PDF typeset from the same content (`pdf`). Everything in it comes from protected outputs
//! (`content`), worded from the numbers (`summary`), and laid out by templates a federation can replace
//! without recompiling (`templates`).
//!
//! Raw output is never allowed here: board papers are public.

mod content;
mod pdf;
mod socioeconomic;
mod summary;
mod templates;

use std::path::{Path, PathBuf};

use crate::codes::Lang;
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// What a board report is asked for.
#[derive(Debug, Clone)]
pub struct BoardRequest {
    /// The federation's id (see `finsam info`).
    pub federation: String,
    /// Some interventions of the federation only (empty: all with participants in either period).
    pub interventions: Vec<String>,
    /// The earlier period (the baseline) and the later one.
    pub period: String,
    /// The later period, compared against `period`.
    pub vs: String,
    /// The language of every word on the page.
    pub lang: Lang,
    /// A directory with templates that replace the built-in ones of the same name.
    pub template_dir: Option<PathBuf>,
}

/// A rendered board report: its HTML, and what its PDF is typeset from.
#[derive(Debug)]
pub struct BoardReport {
    /// The report's title (federation and periods).
    pub title: String,
    /// The whole self-contained HTML document.
    pub html: String,
    page: content::Page,
    template_dir: Option<PathBuf>,
}

/// The forms a board report is written in, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// One self-contained HTML file (.html, .htm).
    Html,
    /// A4 PDF, fonts embedded (.pdf).
    Pdf,
}

impl ReportFormat {
    /// The form a path asks for: .html/.htm or .pdf (any case); anything else is an error naming the path.
    pub fn of(path: &Path) -> Result<ReportFormat> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("html" | "htm") => Ok(ReportFormat::Html),
            Some("pdf") => Ok(ReportFormat::Pdf),
            _ => Err(FinsamError::invalid(format!("{}: a board report is written as .html or .pdf", path.display()))),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Pdf => "pdf",
        }
    }

    /// The form a path asks for, once it is known the file can be written there: its directory exists and
    /// it is not a file to keep (without `overwrite`), a directory or a link.
    pub fn check_output(path: &Path, overwrite: bool) -> Result<ReportFormat> {
        let format = ReportFormat::of(path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.is_dir()) {
            return Err(FinsamError::invalid(format!("{}: the directory {} does not exist", path.display(), dir.display())));
        }
        crate::files::check_target(path, overwrite)?;
        Ok(format)
    }
}

impl BoardReport {
    /// The report as a PDF (A4, fonts embedded), typeset from the same content as the HTML. The same
    /// report always gives the same bytes.
    pub fn pdf(&self) -> Result<Vec<u8>> {
        pdf::typeset(&self.page, self.template_dir.as_deref())
    }

    /// Writes the HTML or the PDF, as the path's extension says; an existing file only with `overwrite`,
    /// a missing directory is an error.
    pub fn save(&self, path: &Path, overwrite: bool) -> Result<()> {
        // Before the typesetting, so a refusal costs nothing.
        let format = ReportFormat::check_output(path, overwrite)?;
        let bytes = self.bytes(format)?;
        write(path, &bytes, overwrite)
    }

    /// Writes the HTML and the PDF: both are made before either file is written, so a PDF template that
    /// fails leaves no half of the pair behind.
    pub fn save_both(&self, html: &Path, pdf: &Path, overwrite: bool) -> Result<()> {
        for (path, format) in [(html, ReportFormat::Html), (pdf, ReportFormat::Pdf)] {
            if ReportFormat::check_output(path, overwrite)? != format {
                return Err(FinsamError::invalid(format!("{}: expected a .{} file here", path.display(), format.extension())));
            }
        }
        let pdf_bytes = self.pdf()?;
        write(html, self.html.as_bytes(), overwrite)?;
        write(pdf, &pdf_bytes, overwrite)
    }

    fn bytes(&self, format: ReportFormat) -> Result<Vec<u8>> {
        match format {
            ReportFormat::Html => Ok(self.html.as_bytes().to_vec()),
            ReportFormat::Pdf => self.pdf(),
        }
    }
}

fn write(path: &Path, bytes: &[u8], overwrite: bool) -> Result<()> {
    crate::files::write_file(path, overwrite, crate::files::Readers::Usual, |temporary| {
        std::fs::write(temporary, bytes).map_err(|source| FinsamError::Io { path: path.to_path_buf(), source })
    })
}

/// Builds the board report. The same database and request always give the same bytes.
pub fn board_report(model: &Model, request: &BoardRequest) -> Result<BoardReport> {
    let page = content::page(model, request)?;
    let html = templates::render(&page, request.template_dir.as_deref())?;
    Ok(BoardReport { title: page.title.clone(), html, page, template_dir: request.template_dir.clone() })
}
