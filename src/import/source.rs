//! Reading a CSV file as it really comes: UTF-8 with or without a BOM or Windows-1252, separated by `,`
//! or `;`, with the header on the first line.

use std::path::Path;

use crate::error::{FinsamError, Result};

/// A file's header and rows, each row with its line number in the file.
pub struct Rows {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

pub fn read_csv(path: &Path) -> Result<Rows> {
    let bytes = std::fs::read(path).map_err(|source| FinsamError::Io { path: path.to_path_buf(), source })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        // Excel on Swedish Windows saves CSV as Windows-1252 (å, ä, ö as single bytes).
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    };
    if text.trim().is_empty() {
        return Err(FinsamError::invalid(format!("{}: the file is empty: expected a header line and rows", path.display())));
    }
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|c| c.trim().to_string()).collect(),
        Some(Err(e)) => return Err(FinsamError::invalid(format!("{}: line 1: {e}", path.display()))),
        None => return Err(FinsamError::invalid(format!("{}: the file is empty: expected a header line and rows", path.display()))),
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| FinsamError::invalid(format!("{}: {e}", path.display())))?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((line, record.iter().map(|c| c.trim().to_string()).collect()));
    }
    Ok(Rows { header, rows })
}
