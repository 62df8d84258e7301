//! The board report: one federation (or some of its interventions), one period against another, in
//! Swedish (English on request), as one self-contained HTML file that a board reads on a phone or prints
//! on A4. Everything in it comes from protected outputs (`content`), worded from the numbers (`summary`),
//! and laid out by templates a federation can replace without recompiling (`templates`).
//!
//! Raw output is never allowed here: board papers are public.

mod content;
mod format;
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
    pub federation: String,
    /// Some interventions of the federation only (empty: all with participants in either period).
    pub interventions: Vec<String>,
    /// The earlier period (the baseline) and the later one.
    pub period: String,
    pub vs: String,
    pub lang: Lang,
    /// A directory with templates that replace the built-in ones of the same name.
    pub template_dir: Option<PathBuf>,
}

/// A rendered board report.
#[derive(Debug, Clone)]
pub struct BoardReport {
    pub title: String,
    pub html: String,
}

impl BoardReport {
    /// Writes the HTML; an existing file only with `overwrite`, a missing directory is an error.
    pub fn save(&self, path: &Path, overwrite: bool) -> Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.is_dir()) {
            return Err(FinsamError::invalid(format!("{}: the directory {} does not exist", path.display(), dir.display())));
        }
        crate::files::write_file(path, overwrite, crate::files::Readers::Usual, |temporary| {
            std::fs::write(temporary, &self.html).map_err(|source| FinsamError::Io { path: path.to_path_buf(), source })
        })
    }
}

/// Builds the board report. The same database and request always give the same bytes.
pub fn board_report(model: &Model, request: &BoardRequest) -> Result<BoardReport> {
    let page = content::page(model, request)?;
    let html = templates::render(&page, request.template_dir.as_deref())?;
    Ok(BoardReport { title: page.title.clone(), html })
}
