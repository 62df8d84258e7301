//! Reading a file as it really comes: CSV in UTF-8 (with or without a BOM) or Windows-1252, separated by
//! `,` or `;`; the first sheet of an XLSX workbook; or Parquet. The header is the first row; every cell
//! becomes text, which the validation then parses.

use std::path::Path;

use crate::error::{FinsamError, Result};

/// A file's header and rows, each row with its line number in the file.
pub struct Rows {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
    /// Date serial numbers count from 1904 (an XLSX workbook in Excel's 1904 date system).
    pub serials_from_1904: bool,
}

/// Reads a file by its extension (.xlsx, .parquet, else CSV). Parquet is read by DuckDB.
pub fn read(path: &Path, model: &crate::model::Model, rows_read: &mut dyn FnMut(usize)) -> Result<Rows> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("xlsx") | Some("xlsm") | Some("xls") => read_xlsx(path),
        Some("parquet") => read_parquet(path, model),
        Some(other @ ("xlsb" | "ods" | "numbers" | "json" | "xml" | "zip" | "pdf" | "docx")) => Err(FinsamError::invalid(format!(
            "{}: finsam reads .csv, .xlsx (.xlsm, .xls) and .parquet files, not .{other}: save it as .xlsx or .csv",
            path.display()
        ))),
        _ => read_csv_reporting(path, rows_read),
    }
}

/// What finsam reads of a workbook at most. A federation's files hold thousands of rows and a few dozen
/// columns; these limits only stop files built to exhaust memory (a cell at XFD1048576 beside A1 would
/// otherwise make a sheet of 17 billion cells; a part that unpacks to gigabytes is a zip bomb).
pub const MAX_COLUMNS: u32 = 256;
pub const MAX_ROWS: usize = 1_000_000;
pub const MAX_PART_BYTES: u64 = 200 << 20;
/// Rows × columns of a sheet as read (each cell becomes a text): about half a gigabyte at most.
pub const MAX_CELLS: usize = 20_000_000;
/// Excel's own limit for the text of one cell.
pub const MAX_CELL_CHARS: usize = 32_767;
pub const MAX_UNPACKED_BYTES: u64 = 1 << 30;
/// CSV: a whole file and one line at most. An import holds about 26 bytes for each byte of a
/// participants file at its peak (3.1 GB for 120 MB and 4.3 million people, 5.0 GB for 200 MB:
/// `scripts/bench.sh`, part 3), so
/// 128 MB (some 3.5 million people, far more than any federation has) is what fits in 4 GB.
pub const MAX_CSV_BYTES: u64 = 128 << 20;
/// Parquet: rows at most (a compressed file says little about its size once read), as many as a CSV of
/// `MAX_CSV_BYTES` holds.
pub const MAX_PARQUET_ROWS: i64 = 3_500_000;
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// A workbook file at most (read whole into memory, once, so that what is checked is what is read).
pub const MAX_WORKBOOK_BYTES: u64 = 256 << 20;

fn read_xlsx(path: &Path) -> Result<Rows> {
    use calamine::{open_workbook_auto_from_rs, Data, Reader};
    let bytes = crate::files::read_regular(path, MAX_WORKBOOK_BYTES, "workbook")?;
    let unreadable = |e: &dyn std::fmt::Display| FinsamError::Unreadable { path: path.to_path_buf(), what: "Excel workbook", detail: e.to_string() };
    let is_xls = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("xls"));
    if !is_xls {
        check_unpacked_size(path, &bytes)?;
        return read_xlsx_cells(path, bytes);
    }
    // The old binary format (.xls) has no zip to unpack and keeps its size in the file: read it whole.
    let mut workbook = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let visible = workbook
        .sheets_metadata()
        .iter()
        .position(|s| s.visible == calamine::SheetVisible::Visible)
        .ok_or_else(|| unreadable(&"it has no visible sheet"))?;
    let range = workbook.worksheet_range_at(visible).ok_or_else(|| unreadable(&"it has no sheet"))?.map_err(|e| unreadable(&e))?;
    let text = |cell: &Data| -> String {
        match cell {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) => float_text(*f),
            Data::Bool(b) => bool_text(*b),
            Data::DateTime(d) => {
                let (year, month, day, ..) = d.to_ymd_hms_milli();
                format!("{year:04}-{month:02}-{day:02}")
            }
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
            Data::Error(e) => format!("#{e:?}"),
        }
    };
    let start = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    let grid: Vec<(usize, Vec<String>)> = range.rows().enumerate().map(|(i, cells)| (start + i, cells.iter().map(text).collect())).collect();
    rows_from_grid(path, grid)
}

/// A number cell as Excel shows it: at most 15 significant digits (Excel's own precision), so that a
/// computed 1234.5600000000002 reads as the 1234.56 the sheet shows, and an amount is never taken for
/// one with more decimals than it has.
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let magnitude = if f == 0.0 { 0 } else { f.abs().log10().floor() as i32 };
    let decimals = (14 - magnitude).clamp(0, 20) as usize;
    let text = format!("{f:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn bool_text(b: bool) -> String {
    if b {
        "ja".into()
    } else {
        "nej".into()
    }
}

/// Refuses a workbook whose parts unpack to more than finsam reads, before anything is unpacked.
fn check_unpacked_size(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| FinsamError::Unreadable {
        path: path.to_path_buf(),
        what: "Excel workbook",
        detail: e.to_string(),
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|e| FinsamError::Unreadable {
            path: path.to_path_buf(),
            what: "Excel workbook",
            detail: e.to_string(),
        })?;
        if part.size() > MAX_PART_BYTES {
            return Err(FinsamError::invalid(format!(
                "{}: the part {} unpacks to {} MB, more than finsam reads ({} MB a part): save the sheet as CSV, or split it",
                path.display(),
                part.name().map(|n| n.to_string()).unwrap_or_else(|_| "(unnamed)".into()),
                part.size() >> 20,
                MAX_PART_BYTES >> 20
            )));
        }
        total += part.size();
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(FinsamError::invalid(format!(
            "{}: the workbook unpacks to {} MB, more than finsam reads ({} MB)",
            path.display(),
            total >> 20,
            MAX_UNPACKED_BYTES >> 20
        )));
    }
    Ok(())
}

/// The first visible sheet of an XLSX read cell by cell: memory grows with the cells present, never with
/// the sheet's bounding box, and a cell beyond the limits is an error naming it. A hidden sheet is not what
/// the person who saved the file saw, so it is never read; dates follow the workbook's date system (1900 or
/// 1904); a cell written twice, or a formula whose value was never saved, is refused rather than guessed.
fn read_xlsx_cells(path: &Path, bytes: Vec<u8>) -> Result<Rows> {
    use calamine::{DataRef, Reader, SheetVisible, Xlsx};
    let unreadable = |e: &dyn std::fmt::Display| FinsamError::Unreadable { path: path.to_path_buf(), what: "Excel workbook", detail: e.to_string() };
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let serials_from_1904 = workbook.has_1904_epoch();
    let sheet = workbook
        .sheets_metadata()
        .iter()
        .find(|s| s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .ok_or_else(|| unreadable(&"it has no visible sheet"))?;
    let mut reader = workbook.worksheet_cells_reader(&sheet).map_err(|e| unreadable(&e))?;
    let mut rows: std::collections::BTreeMap<u32, Vec<(u32, String)>> = std::collections::BTreeMap::new();
    while let Some(cell) = reader.next_cell_with_formula_metadata().map_err(|e| unreadable(&e))? {
        let (row, column) = cell.pos;
        let too_long = |chars: usize| {
            FinsamError::invalid(format!(
                "{}: cell {} holds {chars} characters, more than a cell can (Excel's limit is {MAX_CELL_CHARS})",
                path.display(),
                cell_name(row, column)
            ))
        };
        match &cell.value {
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s)
                if s.len() > MAX_CELL_CHARS * 4 || s.chars().count() > MAX_CELL_CHARS =>
            {
                return Err(too_long(s.chars().count()))
            }
            DataRef::SharedString(s) if s.len() > MAX_CELL_CHARS * 4 || s.chars().count() > MAX_CELL_CHARS => {
                return Err(too_long(s.chars().count()))
            }
            _ => {}
        }
        let empty = match &cell.value {
            DataRef::Empty => true,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.trim().is_empty(),
            DataRef::SharedString(s) => s.trim().is_empty(),
            _ => false,
        };
        if empty && cell.formula.is_some() {
            return Err(FinsamError::invalid(format!(
                "{}, sheet '{sheet}': cell {} holds a formula whose value was never saved (a file written by a program, not Excel): open and save it in Excel, or paste the values",
                path.display(),
                cell_name(row, column)
            )));
        }
        if empty {
            continue;
        }
        let text = match &cell.value {
            DataRef::String(s) => s.trim().to_string(),
            DataRef::SharedString(s) => s.trim().to_string(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Float(f) => float_text(*f),
            DataRef::Bool(b) => bool_text(*b),
            // The workbook's own date system decides the day (calamine knows 1900 from 1904).
            DataRef::DateTime(d) => {
                let (year, month, day, ..) = d.to_ymd_hms_milli();
                format!("{year:04}-{month:02}-{day:02}")
            }
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.chars().take(10).collect(),
            DataRef::Error(e) => format!("#{e:?}"),
            DataRef::Empty => continue,
        };
        if column >= MAX_COLUMNS {
            return Err(FinsamError::invalid(format!(
                "{}: cell {} holds a value in column {}: an import file has at most {MAX_COLUMNS} columns",
                path.display(),
                cell_name(row, column),
                column + 1
            )));
        }
        if rows.len() >= MAX_ROWS && !rows.contains_key(&row) {
            return Err(FinsamError::invalid(format!("{}: more than {MAX_ROWS} rows: split the file", path.display())));
        }
        let cells = rows.entry(row).or_default();
        if cells.iter().any(|(c, _)| *c == column) {
            return Err(FinsamError::invalid(format!(
                "{}, sheet '{sheet}': cell {} is written twice in the file (Excel never does this; the file is damaged or was made by hand): save it again in Excel",
                path.display(),
                cell_name(row, column)
            )));
        }
        cells.push((column, text));
    }
    let width = rows.values().flat_map(|cells| cells.iter().map(|(c, _)| *c + 1)).max().unwrap_or(0) as usize;
    // Every row is filled out to the widest one: bound the cells that makes before making them.
    if width.saturating_mul(rows.len()) > MAX_CELLS {
        return Err(FinsamError::invalid(format!(
            "{}: the sheet spans {} rows and {width} columns, more cells than finsam reads ({MAX_CELLS}): remove empty columns or split the file",
            path.display(),
            rows.len()
        )));
    }
    let grid = rows
        .into_iter()
        .map(|(row, cells)| {
            let mut values = vec![String::new(); width];
            for (c, text) in cells {
                values[c as usize] = text;
            }
            (row as usize, values)
        })
        .collect();
    let mut read = rows_from_grid(path, grid)?;
    // Cells formatted as dates are already days; a bare serial number in a date column counts from 1904 here.
    read.serials_from_1904 = serials_from_1904;
    Ok(read)
}

/// A1-style name of a cell (0-based row and column).
fn cell_name(row: u32, column: u32) -> String {
    let mut letters = String::new();
    let mut c = column + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.insert(0, (b'A' + rem as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// Header and rows from a sheet's rows (0-based row numbers): the first row is the header; empty rows are
/// skipped; line numbers are as Excel shows them (1-based).
fn rows_from_grid(path: &Path, grid: Vec<(usize, Vec<String>)>) -> Result<Rows> {
    let mut grid = grid.into_iter();
    let header: Vec<String> = match grid.next() {
        Some((_, cells)) => cells,
        None => return Err(FinsamError::invalid(format!("{}: the sheet is empty: expected a header line and rows", path.display()))),
    };
    let rows = grid.filter(|(_, values)| !values.iter().all(String::is_empty)).map(|(row, values)| (row + 1, values)).collect();
    // Headers keep their positions: an empty header cell stays (empty), so no later column shifts.
    let used = header.iter().rposition(|h| !h.is_empty()).map_or(0, |last| last + 1);
    Ok(Rows { header: header.into_iter().take(used).collect(), rows, serials_from_1904: false })
}

fn read_parquet(path: &Path, model: &crate::model::Model) -> Result<Rows> {
    crate::files::open_regular(path, "Parquet file")?;
    // DuckDB is handed the file's absolute path: it would read `~/x.parquet` as the home directory's, not
    // the file checked here.
    let path = &std::fs::canonicalize(path).map_err(|source| FinsamError::Io { path: path.to_path_buf(), source })?;
    let name = path.display().to_string();
    // DuckDB reads a path with *, ? or [ as a pattern of several files: refuse rather than read others.
    if name.contains(['*', '?', '[']) {
        return Err(FinsamError::invalid(format!("{name}: a file name with *, ? or [ cannot be read as one Parquet file: rename it")));
    }
    let rows = model.query_rows("SELECT count(*) FROM read_parquet(?)", &[&name], |r| r.get::<_, i64>(0)).map_err(|e| FinsamError::Unreadable {
        path: path.to_path_buf(),
        what: "Parquet file",
        detail: e.to_string(),
    })?;
    if rows.first().is_some_and(|n| *n > MAX_PARQUET_ROWS) {
        return Err(FinsamError::invalid(format!("{name}: more than {MAX_PARQUET_ROWS} rows, more than finsam imports from one file: split it")));
    }
    let table = model.query("SELECT * FROM read_parquet(?)", &[&name]).map_err(|e| FinsamError::Unreadable {
        path: path.to_path_buf(),
        what: "Parquet file",
        detail: e.to_string(),
    })?;
    let header = table.column_names();
    let rows = table.rows_as_text()?.into_iter().enumerate().map(|(i, r)| (i + 2, r)).collect();
    Ok(Rows { header, rows, serials_from_1904: false })
}

/// The first line longer than `MAX_LINE_BYTES`, if any.
fn overlong_line(bytes: &[u8]) -> Option<usize> {
    bytes.split(|b| *b == b'\n').position(|piece| piece.len() > MAX_LINE_BYTES).map(|i| i + 1)
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

/// How often reading reports the rows read so far (a progress display on a terminal).
pub const PROGRESS_EVERY_ROWS: usize = 50_000;

/// Reads a CSV file, calling `rows_read` every `PROGRESS_EVERY_ROWS` rows. The file is held once in memory
/// as text (decoded in place when it is UTF-8), then as its cells.
pub fn read_csv_reporting(path: &Path, rows_read: &mut dyn FnMut(usize)) -> Result<Rows> {
    let mut bytes = crate::files::read_regular(path, MAX_CSV_BYTES, "CSV file")?;
    if let Some(line) = overlong_line(&bytes) {
        return Err(FinsamError::invalid(format!(
            "{}: line {line} is longer than {} kB: not a table of rows (is it the right file, or a quote that is never closed?)",
            path.display(),
            MAX_LINE_BYTES >> 10
        )));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        // Excel on Swedish Windows saves CSV as Windows-1252 (å, ä, ö as single bytes); a UTF-16 file
        // with its byte-order mark is recognised by the mark. A file with both UTF-8 letters and bytes that
        // are not UTF-8 is neither: decoding it either way would garble names, so it is refused.
        Err(not_utf8) => {
            let bytes = not_utf8.into_bytes();
            if let Some(line) = mixed_encoding_line(&bytes) {
                return Err(FinsamError::invalid(format!(
                    "{}: line {line}: the file mixes UTF-8 with another encoding (a byte that is not UTF-8 after UTF-8 letters): save it again as UTF-8",
                    path.display()
                )));
            }
            encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()
        }
    };
    if text.trim().is_empty() {
        return Err(FinsamError::invalid(format!("{}: the file is empty: expected a header line and rows", path.display())));
    }
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|c| c.trim().to_string()).collect(),
        Some(Err(e)) => return Err(FinsamError::invalid(format!("{}: line 1: {e}", path.display()))),
        None => return Err(FinsamError::invalid(format!("{}: the file is empty: expected a header line and rows", path.display()))),
    };
    // Line numbers from the record's byte offset: counting line feeds before it is right for LF and CRLF
    // files alike (the reader's own line count is not, for CRLF). Records come in order, so the line feeds
    // are counted once, from the last record on.
    let (mut counted_to, mut line_feeds) = (0usize, 0usize);
    let mut line_of = |offset: usize| {
        // (After a CR LF the reader's record may start at the LF: that LF ends the line before.)
        let start = if text.as_bytes().get(offset) == Some(&b'\n') { offset + 1 } else { offset };
        if start > counted_to {
            line_feeds += text.as_bytes()[counted_to..start].iter().filter(|b| **b == b'\n').count();
            counted_to = start;
        }
        line_feeds + 1
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| FinsamError::Unreadable { path: path.to_path_buf(), what: "CSV file", detail: e.to_string() })?;
        let line = record.position().map(|p| line_of(p.byte() as usize)).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((line, record.iter().map(|c| c.trim().to_string()).collect()));
        if rows.len() % PROGRESS_EVERY_ROWS == 0 {
            rows_read(rows.len());
        }
    }
    Ok(Rows { header, rows, serials_from_1904: false })
}
