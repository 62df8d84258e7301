//! A federation's own files in: participants and enrolments from CSV as spreadsheets write them.
//!
//! Every row is checked (codes, dates, references, duplicates) before anything is written; any problem and
//! nothing is imported, and the first 100 problems are reported with file, line, column, value and what
//! was expected. A personnummer becomes a keyed pseudonym on reading and is never written. Re-importing
//! the same rows updates them rather than duplicating them (natural keys), and the summary says what was
//! inserted, updated and left alone. `forget` removes a person and everything about them.

mod checks;
mod keys;
pub mod personnummer;
mod redact;
mod source;
mod tables;
pub mod template;
pub mod values;
mod write;

use std::path::Path;

use crate::error::{FinsamError, Result};
use crate::model::Model;
use personnummer::Personnummer;

/// At most this many problems are reported.
pub const MAX_ERRORS: usize = 100;

/// What a file imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Participants (personnummer pseudonymised).
    Participants,
    /// Enrolments in interventions.
    Enrolments,
    /// Later observations of an enrolment's support and occupation.
    Observations,
    /// Interventions.
    Interventions,
    /// Budget lines (budget and actual by financier).
    BudgetLines,
    /// The members' contributions.
    Contributions,
    /// Municipalities' population and support statistics.
    MunicipalityContext,
}

impl ImportKind {
    /// Every kind, in the order a federation imports them.
    pub const ALL: [ImportKind; 7] = [
        ImportKind::Participants,
        ImportKind::Enrolments,
        ImportKind::Observations,
        ImportKind::Interventions,
        ImportKind::BudgetLines,
        ImportKind::Contributions,
        ImportKind::MunicipalityContext,
    ];

    /// The English and Swedish names the CLI and Python take.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            ImportKind::Participants => ("participants", "deltagare"),
            ImportKind::Enrolments => ("enrolments", "inskrivningar"),
            ImportKind::Observations => ("observations", "uppföljningar"),
            ImportKind::Interventions => ("interventions", "insatser"),
            ImportKind::BudgetLines => ("budget_lines", "budget"),
            ImportKind::Contributions => ("contributions", "medlemsinsatser"),
            ImportKind::MunicipalityContext => ("municipality_context", "kommunfakta"),
        }
    }

    fn table(self) -> Option<&'static tables::TableKind> {
        match self {
            ImportKind::Participants | ImportKind::Enrolments => None,
            ImportKind::Observations => Some(&tables::OBSERVATIONS),
            ImportKind::Interventions => Some(&tables::INTERVENTIONS),
            ImportKind::BudgetLines => Some(&tables::BUDGET_LINES),
            ImportKind::Contributions => Some(&tables::CONTRIBUTIONS),
            ImportKind::MunicipalityContext => Some(&tables::MUNICIPALITY_CONTEXT),
        }
    }
}

impl std::str::FromStr for ImportKind {
    type Err = FinsamError;
    fn from_str(s: &str) -> Result<Self> {
        ImportKind::ALL.iter().copied().find(|k| k.names().0 == s || k.names().1 == s).ok_or_else(|| FinsamError::Unknown {
            what: "import kind",
            name: s.into(),
            known: ImportKind::ALL.iter().map(|k| k.names().0.to_string()).collect(),
        })
    }
}

pub use crate::error::RowError;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Rows inserted.
    pub inserted: u64,
    /// Rows updated.
    pub updated: u64,
    /// Rows that were already there, unchanged.
    pub unchanged: u64,
}

pub use keys::*;

/// A column a file may have: its Swedish and English headers, and whether it must be there.
pub(crate) struct Column {
    pub sv: &'static str,
    pub en: &'static str,
    pub required: bool,
}

const fn col(sv: &'static str, en: &'static str, required: bool) -> Column {
    Column { sv, en, required }
}

/// The columns a file of a kind may have, in template order.
pub(crate) fn columns(kind: ImportKind) -> Vec<&'static Column> {
    match kind {
        ImportKind::Participants => PERSON.iter().chain(PARTICIPANT_COLUMNS).collect(),
        ImportKind::Enrolments => PERSON.iter().chain(ENROLMENT_COLUMNS).collect(),
        other => other.table().expect("a table kind").fields.iter().map(|f| &f.column).collect(),
    }
}

static PERSON: [Column; 2] = [col("personnummer", "personal_identity_number", false), col("pseudonym", "pseudonym", false)];
const PARTICIPANT_COLUMNS: &[Column] =
    &[col("förbund", "federation", true), col("kön", "sex", false), col("födelseår", "birth_year", false), col("utbildning", "education", false)];
const ENROLMENT_COLUMNS: &[Column] = &[
    col("insats", "intervention", true),
    col("startdatum", "start_date", true),
    col("slutdatum", "exit_date", false),
    col("försörjning_före", "support_before", true),
    col("sysselsättning_före", "occupation_before", true),
    col("omfattning_före", "extent_before_pct", false),
    col("försörjning_efter", "support_after", false),
    col("sysselsättning_efter", "occupation_after", false),
    col("omfattning_efter", "extent_after_pct", false),
    col("subventionerat_arbete_efter", "subsidised_work_after", false),
    col("avslutsorsak", "exit_reason", false),
    col("samtycke", "consent", false),
];

/// A column's Swedish header (what a message names when the file lacks the column).
fn swedish_name(en: &str) -> &str {
    let tables = [&tables::OBSERVATIONS, &tables::INTERVENTIONS, &tables::BUDGET_LINES, &tables::CONTRIBUTIONS, &tables::MUNICIPALITY_CONTEXT];
    PERSON
        .iter()
        .chain(PARTICIPANT_COLUMNS)
        .chain(ENROLMENT_COLUMNS)
        .chain(tables.iter().flat_map(|t| t.fields.iter().map(|f| &f.column)))
        .find(|c| c.en == en)
        .map_or(en, |c| c.sv)
}

use checks::*;
pub use redact::*;

/// How far an import has come, for a progress display on a terminal.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// Rows read so far from this file.
    Reading {
        /// The file.
        file: &'a Path,
        /// Rows read.
        rows: usize,
    },
    /// This file's rows are being checked.
    Checking {
        /// The file.
        file: &'a Path,
        /// Its rows.
        rows: usize,
    },
    /// Every row passed; this many are being written.
    Writing {
        /// Rows to write.
        rows: usize,
    },
}

/// Imports files of one kind: all of them land, or none.
pub fn import(model: &Model, kind: ImportKind, files: &[&Path], key: Option<&[u8]>) -> Result<ImportSummary> {
    import_reporting(model, kind, files, key, &mut |_| {})
}

/// `import`, telling `progress` how far it has come.
pub fn import_reporting(
    model: &Model,
    kind: ImportKind,
    files: &[&Path],
    key: Option<&[u8]>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<ImportSummary> {
    let today = chrono::Local::now().date_naive();
    let mut errors = Problems::default();
    let mut participants = Vec::new();
    let mut enrolments = Vec::new();
    let mut table_rows = Vec::new();
    let mut used_key = false;
    // Rows are unique across all the files of one import, not only within each.
    let (mut seen_people, mut seen_enrolments) = (SeenAt::new(), SeenAt::new());
    for path in files {
        let name = path.display().to_string();
        let rows = source::read(path, model, &mut |rows| progress(Progress::Reading { file: path, rows }))?;
        progress(Progress::Checking { file: path, rows: rows.rows.len() });
        if rows.rows.is_empty() {
            errors.push(RowError {
                file: name.clone(),
                row: 2,
                column: String::new(),
                value: String::new(),
                expected: "at least one row under the header".into(),
            });
        }
        let needs_key = rows.header.iter().any(|h| matches!(h.to_lowercase().as_str(), "personnummer" | "personal_identity_number"));
        if needs_key && key.is_none() {
            return Err(FinsamError::invalid(
                "a key is needed to pseudonymise personnummer: set FINSAM_KEY or give --key-file (keep it outside the database)",
            ));
        }
        if let (true, Some(key)) = (needs_key, key) {
            check_key(model, key)?;
            used_key = true;
        }
        stray_cells(&name, &rows, &mut errors);
        match kind {
            ImportKind::Participants => {
                let checked = check_participants(model, &name, &rows, key, today, &mut seen_people)?;
                errors.extend(checked.errors);
                participants.extend(checked.rows);
            }
            ImportKind::Enrolments => {
                let checked = check_enrolments(model, &name, &rows, key, today, &mut seen_enrolments)?;
                errors.extend(checked.errors);
                enrolments.extend(checked.rows);
            }
            other => {
                let checked = tables::check(model, other.table().expect("a table kind"), &name, &rows)?;
                errors.extend(checked.errors);
                table_rows.extend(checked.rows);
            }
        }
    }
    if !errors.is_empty() {
        let Problems { kept: mut errors, total } = errors;
        for e in &mut errors {
            e.column = redact(&e.column);
            e.value = redact(&e.value);
            e.file = mask_personnummer(&e.file);
            e.expected = mask_personnummer(&e.expected);
        }
        return Err(FinsamError::Validation { errors, total });
    }
    // What was kept to find a row twice is not needed to write them.
    drop((seen_people, seen_enrolments));
    progress(Progress::Writing { rows: participants.len() + enrolments.len() + table_rows.len() });
    model.transaction(|conn| {
        if let (Some(key), true) = (key, used_key) {
            record_key_check(conn, key)?;
        }
        match (kind, kind.table()) {
            (_, Some(table)) => {
                let (inserted, updated, unchanged) = tables::write(conn, table, &table_rows)?;
                Ok(ImportSummary { inserted, updated, unchanged })
            }
            (ImportKind::Participants, None) => write::participants(conn, &participants),
            (_, None) => write::enrolments(conn, &enrolments),
        }
    })
}

/// What `forget` removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forgotten {
    /// Participants removed.
    pub participants: u64,
    /// Enrolments removed.
    pub enrolments: u64,
    /// Observations removed.
    pub observations: u64,
}

/// Removes a person (by pseudonym) and every row about them: follow-ups, enrolments, the person.
///
/// DuckDB checks a foreign key against rows deleted earlier in the same transaction as if they were still
/// there, so the three deletions are committed one after another, children first. Each step leaves a
/// consistent database, and running `forget` again finishes an interrupted erasure.
pub fn forget(model: &Model, pseudonym: &str) -> Result<Forgotten> {
    let conn = model.connection();
    let db = || FinsamError::db("forgetting a person");
    let person: Option<i32> = conn
        .query_row("SELECT participant_key FROM participant WHERE participant_id = ?", [pseudonym], |r| r.get(0))
        .map(Some)
        .or_else(|e| if matches!(e, duckdb::Error::QueryReturnedNoRows) { Ok(None) } else { Err(e) })
        .map_err(db())?;
    let Some(person) = person else {
        return Err(FinsamError::invalid("no such person in the database: nothing was removed"));
    };
    let observations = conn
        .execute("DELETE FROM observation WHERE enrolment_id IN (SELECT enrolment_id FROM enrolment WHERE participant_key = ?)", [person])
        .map_err(db())? as u64;
    let enrolments = conn.execute("DELETE FROM enrolment WHERE participant_key = ?", [person]).map_err(db())? as u64;
    let participants = conn.execute("DELETE FROM participant WHERE participant_key = ?", [person]).map_err(db())? as u64;
    Ok(Forgotten { participants, enrolments, observations })
}

/// The pseudonym of a personnummer under a key (for `forget --personnummer`).
pub fn pseudonym_of(personnummer: &str, key: &[u8]) -> Result<String> {
    let today = chrono::Local::now().date_naive();
    Personnummer::parse(personnummer, today)
        .map(|p| p.pseudonym(key))
        .map_err(|expected| FinsamError::invalid(format!("not a valid personnummer: expected {expected}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_mask_long_numbers_and_stay_short() {
        assert_eq!(redact("19121212-1212"), "########-####");
        assert_eq!(redact("x 191212121212;lund"), "x ############;lund");
        assert_eq!(redact("19121212-1212-2"), "########-####-#", "a longer run is masked whole");
        assert_eq!(redact("2023-02-01"), "2023-02-01", "dates stay");
        assert_eq!(redact("lund\n20121212-1212"), "lund ########-####", "one line");
        assert_eq!(redact(&"a".repeat(100)).chars().count(), ECHO_LENGTH + 1);
    }

    #[test]
    fn keys_are_read_one_way_from_every_source_and_weak_ones_refused() {
        let typed = normalise_key(b"  a federation key, kept elsewhere\r\n").unwrap();
        assert_eq!(typed, b"a federation key, kept elsewhere");
        assert_eq!(normalise_key(b"a federation key, kept elsewhere").unwrap(), typed);
        assert!(normalise_key(b"aaaaaaaaaaaaaaaa").unwrap_err().contains("too easy to guess"));
        assert!(normalise_key(b"abababababababababababab").unwrap_err().contains("too easy to guess"));
        assert!(normalise_key(b"short").unwrap_err().contains("at least 16"));
        for guessable in [&b"abcdefghijklmnop"[..], b"qwertyuiopasdfgh", b"0123456789abcdef0123", b"1234567890qwertyuiop"] {
            assert!(normalise_key(guessable).unwrap_err().contains("too easy to guess"), "{}", String::from_utf8_lossy(guessable));
        }
        assert!(normalise_key(b"9f86d081884c7d659a2feaa0c55ad015").is_ok(), "32 random hex characters");
        // Written by Notepad (a byte-order mark) or PowerShell (UTF-16): the same key.
        assert_eq!(normalise_key(&key_file_text(b"\xEF\xBB\xBFa federation key, kept elsewhere\r\n")).unwrap(), typed);
        let utf16: Vec<u8> = "\u{feff}a federation key, kept elsewhere\r\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(normalise_key(&key_file_text(&utf16)).unwrap(), typed);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("key");
        std::fs::write(&file, b"a federation key, kept elsewhere\n").unwrap();
        assert_eq!(key_from(None, Some(&file)).unwrap().unwrap(), typed);
        assert_eq!(key_from(Some(b" a federation key, kept elsewhere"), Some(&file)).unwrap().unwrap(), typed);
    }

    #[test]
    fn free_text_refuses_personnummer_but_not_organisation_numbers() {
        assert!(has_personnummer("Anna 19121212-1212 ringde"));
        assert!(has_personnummer("121212-1212"));
        assert!(!has_personnummer("Samordningsförbundet 556677-8899"), "month 66: an organisation number");
        assert!(!has_personnummer("budget 2023: 1 200 000 kr"));
    }
}
