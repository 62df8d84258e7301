//! Reading a file as it really comes: CSV in UTF-8 (with or without a BOM) or Windows-1252, separated by
//! `,` or `;`; the first sheet of an XLSX workbook; or Parquet. The header is the first row; every cell
//! becomes text, which the validation then parses.

use std::path::Path;

use crate::error::{FinsamError, Result};

/// A file's header and rows, each row with its line number in the file.
pub struct Rows {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads a file by its extension (.xlsx, .parquet, else CSV). Parquet is read by DuckDB.
pub fn read(path: &Path, model: &crate::model::Model) -> Result<Rows> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("xlsx") | Some("xlsm") | Some("xls") => read_xlsx(path),
        Some("parquet") => read_parquet(path, model),
        _ => read_csv(path),
    }
}

fn read_xlsx(path: &Path) -> Result<Rows> {
    use calamine::{open_workbook_auto, Data, Reader};
    if !path.exists() {
        return Err(FinsamError::Io { path: path.to_path_buf(), source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file") });
    }
    let unreadable = |e: &dyn std::fmt::Display| FinsamError::invalid(format!("{}: not a readable Excel workbook ({e})", path.display()));
    let mut workbook = open_workbook_auto(path).map_err(|e| unreadable(&e))?;
    let range = workbook.worksheet_range_at(0).ok_or_else(|| unreadable(&"it has no sheet"))?.map_err(|e| unreadable(&e))?;
    let text = |cell: &Data| -> String {
        match cell {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Bool(b) => if *b { "ja".into() } else { "nej".into() },
            // A date cell: its serial day number, which the date parser reads as an Excel date.
            Data::DateTime(d) => format!("{}", d.as_f64().floor() as i64),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
            Data::Error(e) => format!("#{e:?}"),
        }
    };
    let mut rows_iter = range.rows();
    let header: Vec<String> = match rows_iter.next() {
        Some(cells) => cells.iter().map(text).collect(),
        None => return Err(FinsamError::invalid(format!("{}: the sheet is empty: expected a header line and rows", path.display()))),
    };
    let start = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    let mut rows = Vec::new();
    for (i, cells) in rows_iter.enumerate() {
        let values: Vec<String> = cells.iter().map(text).collect();
        if values.iter().all(String::is_empty) {
            continue;
        }
        // Line numbers as Excel shows them: the header is row start + 1.
        rows.push((start + i + 2, values));
    }
    // Headers keep their positions: an empty header cell stays (empty), so no later column shifts.
    let used = header.iter().rposition(|h| !h.is_empty()).map_or(0, |last| last + 1);
    Ok(Rows { header: header.into_iter().take(used).collect(), rows })
}

fn read_parquet(path: &Path, model: &crate::model::Model) -> Result<Rows> {
    if !path.exists() {
        return Err(FinsamError::Io { path: path.to_path_buf(), source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file") });
    }
    let name = path.display().to_string();
    // DuckDB reads a path with *, ? or [ as a pattern of several files: refuse rather than read others.
    if name.contains(['*', '?', '[']) {
        return Err(FinsamError::invalid(format!("{name}: a file name with *, ? or [ cannot be read as one Parquet file: rename it")));
    }
    let table = model
        .query("SELECT * FROM read_parquet(?)", &[&name])
        .map_err(|e| FinsamError::invalid(format!("{name}: not a readable Parquet file ({e})")))?;
    let header = table.column_names();
    let rows = table.rows_as_text()?.into_iter().enumerate().map(|(i, r)| (i + 2, r)).collect();
    Ok(Rows { header, rows })
}

/// When the bytes hold UTF-8 letters (valid multi-byte sequences) and also bytes that are not UTF-8, the line
/// of the first bad byte.
fn mixed_encoding_line(bytes: &[u8]) -> Option<usize> {
    let mut has_utf8_letters = false;
    let mut first_bad: Option<usize> = None;
    let mut offset = 0;
    for chunk in bytes.utf8_chunks() {
        has_utf8_letters |= !chunk.valid().is_ascii();
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() && first_bad.is_none() {
            first_bad = Some(offset);
        }
        offset += chunk.invalid().len();
    }
    let bad = first_bad?;
    has_utf8_letters.then(|| bytes[..bad].iter().filter(|b| **b == b'\n').count() + 1)
}

pub fn read_csv(path: &Path) -> Result<Rows> {
    let bytes = std::fs::read(path).map_err(|source| FinsamError::Io { path: path.to_path_buf(), source })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        // Excel on Swedish Windows saves CSV as Windows-1252 (å, ä, ö as single bytes); a UTF-16 file
        // with its byte-order mark is recognised by the mark. A file with both UTF-8 letters and bytes that
        // are not UTF-8 is neither: decoding it either way would garble names, so it is refused.
        Err(_) => {
            if let Some(line) = mixed_encoding_line(bytes) {
                return Err(FinsamError::invalid(format!(
                    "{}: line {line}: the file mixes UTF-8 with another encoding (a byte that is not UTF-8 after UTF-8 letters): save it again as UTF-8",
                    path.display()
                )));
            }
            encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()
        }
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
