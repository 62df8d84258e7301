//! Export: a table of the model or an analysis result to CSV, XLSX or Parquet. Board output stays
//! protected; person-level tables leave the database only as raw research exports, asked for by name.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

use crate::analysis::Cohort;
use crate::codes::Lang;
use crate::disclosure::Protection;
use crate::error::{FinsamError, Result};
use crate::files::{self, Readers};
use crate::model::{Model, TABLES};
use crate::present::outputs::{costs_output, report_output};
use crate::present::section::TitledTable;

/// Tables with a row per person or per enrolment, or true counts of people (anonymous counts): research only.
const PERSON_LEVEL: &[&str] = &["participant", "enrolment", "observation", "anonymous_count"];

/// The analysis results that can be exported besides the tables.
pub const RESULTS: &[&str] = &["report", "costs"];

/// What an export writes: a table of the model or an analysis of a cohort. Parsed from its name
/// (`"participant"`, `"report"`...), an unknown name listing the known ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exported {
    /// A table of the model (`crate::model::TABLES`), by name.
    Table(&'static str),
    /// The standard report of the cohort.
    Report,
    /// The cohort's costs.
    Costs,
}

impl std::fmt::Display for Exported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Exported::Table(table) => table,
            Exported::Report => "report",
            Exported::Costs => "costs",
        })
    }
}

impl std::str::FromStr for Exported {
    type Err = FinsamError;
    fn from_str(name: &str) -> Result<Exported> {
        match name {
            "report" => Ok(Exported::Report),
            "costs" => Ok(Exported::Costs),
            other => TABLES.iter().find(|t| **t == other).map(|t| Exported::Table(t)).ok_or_else(|| {
                let mut known: Vec<String> = TABLES.iter().map(|t| t.to_string()).collect();
                known.extend(RESULTS.iter().map(|r| r.to_string()));
                FinsamError::Unknown { what: "export", name: other.to_string(), known }
            }),
        }
    }
}

/// The rows of a table as exported. People appear under their pseudonym, never their integer key: the key
/// is internal to one database, the pseudonym is what another database (or a re-import) knows them by.
/// Record keys (disclosure control) never leave the database.
fn table_query(table: &str) -> String {
    match table {
        "participant" => "SELECT * EXCLUDE (participant_key, record_key) FROM participant ORDER BY participant_id".into(),
        // Enrolments without consent stay in the database for the counts only; they never leave it.
        "enrolment" => "SELECT e.enrolment_id, p.participant_id, e.* EXCLUDE (enrolment_id, participant_key, record_key)
                        FROM enrolment e JOIN participant p USING (participant_key) WHERE e.consent ORDER BY e.enrolment_id"
            .into(),
        other => format!("SELECT * FROM {other}"),
    }
}

/// Writes `what` (a table of the model, or `report` / `costs` for the cohort) to `path`; the extension
/// (.csv, .xlsx, .parquet) chooses the format. An existing file is replaced only with `overwrite`; raw
/// exports (person-level rows, true counts) are readable by their owner only. Returns how many tables were
/// written.
pub fn export(model: &Model, what: &Exported, path: &Path, cohort: &Cohort, lang: Lang, protection: Protection, overwrite: bool) -> Result<usize> {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    if !["csv", "xlsx", "parquet"].contains(&extension.as_str()) {
        return Err(FinsamError::invalid(format!("{}: export to a .csv, .xlsx or .parquet file", path.display())));
    }
    files::check_target(path, overwrite)?;
    let readers = if protection == Protection::Raw { Readers::OwnerOnly } else { Readers::Usual };
    let output = match *what {
        Exported::Table(table) => return export_table(model, table, path, &extension, protection, readers, overwrite),
        Exported::Report => report_output(model, cohort, lang, protection)?,
        Exported::Costs => costs_output(model, cohort, lang, protection)?,
    };
    if extension == "parquet" {
        return Err(FinsamError::invalid(format!("{what} has several tables: export it as .xlsx (a sheet each) or .csv")));
    }
    let (sections, note) = (output.sections, output.note);
    write_sections(path, &extension, &sections, note.as_deref(), readers, overwrite)?;
    Ok(sections.len())
}

/// A table of the model to a file; person-level tables only as raw research exports.
fn export_table(
    model: &Model,
    table: &str,
    path: &Path,
    extension: &str,
    protection: Protection,
    readers: Readers,
    overwrite: bool,
) -> Result<usize> {
    if PERSON_LEVEL.contains(&table) && protection != Protection::Raw {
        return Err(FinsamError::invalid(format!(
            "{table} is person-level data: export it only for research, with --raw (raw=True), and keep it away from boards"
        )));
    }
    if extension == "parquet" {
        let rows = model.query(&table_query(table), &[])?;
        let columns = model.query(&format!("SELECT column_name, column_type FROM (DESCRIBE {})", table_query(table)), &[])?.rows_as_text()?;
        files::write_file(path, overwrite, readers, |temporary| write_parquet(&rows, &columns, temporary))?;
        return Ok(1);
    }
    write_sections(path, extension, &[TitledTable::same(table, table, model.query(&table_query(table), &[])?)], None, readers, overwrite)?;
    Ok(1)
}

/// Writes `rows` (with the model's column names and DuckDB types) as Parquet through a connection of its
/// own: the model's connection may not touch files (a read-only model runs researchers' SQL, which must
/// not read or write files), and DuckDB's Parquet writer is the one every reader of these files expects.
fn write_parquet(rows: &crate::table::Table, columns: &[Vec<String>], target: &Path) -> Result<()> {
    let side = duckdb::Connection::open_in_memory().map_err(FinsamError::db("writing a Parquet file"))?;
    let quoted = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let definition: Vec<String> = columns.iter().map(|c| format!("{} {}", quoted(&c[0]), c[1])).collect();
    side.execute_batch(&format!("CREATE TABLE exported ({})", definition.join(", "))).map_err(FinsamError::db("writing a Parquet file"))?;
    {
        let mut appender = side.appender("exported").map_err(FinsamError::db("writing a Parquet file"))?;
        for batch in rows.batches() {
            appender.append_record_batch(batch.clone()).map_err(FinsamError::db("writing a Parquet file"))?;
        }
        appender.flush().map_err(FinsamError::db("writing a Parquet file"))?;
    }
    let target = target.display().to_string().replace('\'', "''");
    side.execute_batch(&format!("COPY exported TO '{target}' (FORMAT parquet)")).map_err(FinsamError::db("writing a Parquet file"))
}

/// Writes a plugin exporter's tables (protected like every output) to `path`: XLSX with a sheet per table,
/// or CSV; the exporter says which types it supports. Returns how many tables were written.
pub fn export_plugin(model: &Model, call: &crate::plugins::Call, path: &Path, overwrite: bool) -> Result<usize> {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    files::check_target(path, overwrite)?;
    let (output, types) = crate::plugins::run_exporter(model, call)?;
    if !types.contains(&extension.as_str()) {
        return Err(FinsamError::invalid(format!(
            "{}: '{}' is written as {}",
            path.display(),
            call.name,
            types.iter().map(|t| format!(".{t}")).collect::<Vec<_>>().join(" or ")
        )));
    }
    let readers = if output.is_protected() { Readers::Usual } else { Readers::OwnerOnly };
    // An exporter writes the layout its receiver prescribes (the national follow-up's headings): its CSV
    // has the tables as printed, not the machine names.
    let sections: Vec<TitledTable> = output.sections.into_iter().map(|s| TitledTable { data: s.shown.clone(), ..s }).collect();
    write_sections(path, &extension, &sections, output.note.as_deref(), readers, overwrite)?;
    Ok(sections.len())
}

/// Tables to a CSV file for machines (stable column names, full precision; a "# title" line before each
/// when there are several, the legend last) or an XLSX workbook for people (a sheet each, headed and
/// rounded as printed).
fn write_sections(path: &Path, extension: &str, sections: &[TitledTable], note: Option<&str>, readers: Readers, overwrite: bool) -> Result<()> {
    files::write_file(path, overwrite, readers, |temporary| match extension {
        "csv" => {
            let mut text = String::new();
            for section in sections {
                if sections.len() > 1 {
                    text.push_str(&format!("# {}\n", section.title));
                }
                text.push_str(&section.data.to_csv()?);
            }
            // A protected output carries its legend, as on screen.
            if let Some(note) = note {
                text.push_str(&format!("# {note}\n"));
            }
            std::fs::write(temporary, text).map_err(|source| FinsamError::Io { path: path.to_path_buf(), source })
        }
        _ => write_xlsx(temporary, sections, note),
    })
}

fn write_xlsx(path: &Path, sections: &[TitledTable], note: Option<&str>) -> Result<()> {
    let err = |e: rust_xlsxwriter::XlsxError| FinsamError::Render { what: format!("write the workbook {}", path.display()), detail: e.to_string() };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for (i, TitledTable { title, shown: table, .. }) in sections.iter().enumerate() {
        let sheet = book.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\ and unique.
        let clean: String = title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(27).collect();
        sheet.set_name(format!("{} {}", i + 1, clean.trim())).map_err(err)?;
        for (c, name) in table.column_names().iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, name, &bold).map_err(err)?;
        }
        let rows = table.rows_as_text()?;
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match as_number(value) {
                    Some(n) => sheet.write_number(r, c, n).map_err(err)?,
                    None => sheet.write_string(r, c, value).map_err(err)?,
                };
            }
        }
        if let Some(note) = note {
            sheet.write_string(rows.len() as u32 + 2, 0, note).map_err(err)?;
        }
    }
    book.save(path).map_err(err)
}

/// A cell that is a number in a spreadsheet; codes with leading zeros ("0123") stay text.
fn as_number(value: &str) -> Option<f64> {
    let leading_zero = value.starts_with('0') && value.len() > 1 && !value.starts_with("0.");
    value.parse::<f64>().ok().filter(|n| n.is_finite() && !leading_zero)
}
