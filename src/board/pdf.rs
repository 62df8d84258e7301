//! The board report as a PDF: the page's content as JSON, read by the Typst template (report.typ, built in
//! or a federation's own), typeset inside finsam (crate finsam-pdf) with the DejaVu Sans the charts use,
//! embedded in the file. A4, the federation's name in every page's header, page numbers in the footer.

use std::path::Path;

use super::content::Page;
use super::templates::typst_files;
use crate::error::{FinsamError, Result};

/// The fonts the PDF may use: the charts' DejaVu Sans in its four faces.
fn fonts() -> [&'static [u8]; 4] {
    [dejavu::sans::regular(), dejavu::sans::bold(), dejavu::sans::oblique(), dejavu::sans::bold_oblique()]
}

/// Typesets the report. The same page and templates give the same bytes: the PDF carries no creation time,
/// and Typst's "today" is the data's end.
pub fn typeset(page: &Page, template_dir: Option<&Path>) -> Result<Vec<u8>> {
    let name = match template_dir.map(|dir| dir.join("report.typ")) {
        Some(own) if own.is_file() => own.display().to_string(),
        _ => "report.typ, built in".to_string(),
    };
    // Reading the template directory is bounded too: it may hold many large files.
    crate::limits::bounded(&format!("the board report's PDF template ({name})"), crate::limits::template_limits(), || typeset_in(page, template_dir))
}

fn typeset_in(page: &Page, template_dir: Option<&Path>) -> Result<Vec<u8>> {
    let mut files = typst_files(template_dir)?;
    let json = serde_json::to_vec(page).map_err(|e| FinsamError::Internal(format!("the board report's content as JSON: {e}")))?;
    files.insert("page.json".into(), json);
    let fonts = fonts();
    let today = chrono::NaiveDate::parse_from_str(&page.data_end, "%Y-%m-%d")
        .map_err(|e| FinsamError::Internal(format!("the data's end '{}' is not a date: {e}", page.data_end)))?;
    use chrono::Datelike;
    let document = finsam_pdf::Document {
        main: "report.typ",
        files,
        fonts: &fonts,
        today: (today.year(), today.month() as u8, today.day() as u8),
        ident: &page.title,
    };
    finsam_pdf::typeset(&document).map_err(|e| FinsamError::invalid(format!("the board report's PDF template {e}")))
}
