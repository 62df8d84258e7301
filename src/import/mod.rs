//! A federation's own files in: participants and enrolments from CSV as spreadsheets write them.
//!
//! Every row is checked (codes, dates, references, duplicates) before anything is written; any problem and
//! nothing is imported, and the first 100 problems are reported with file, line, column, value and what
//! was expected. A personnummer becomes a keyed pseudonym on reading and is never written. Re-importing
//! the same rows updates them rather than duplicating them (natural keys), and the summary says what was
//! inserted, updated and left alone. `forget` removes a person and everything about them.

pub mod personnummer;
mod source;
mod tables;
pub mod template;
pub mod values;
mod write;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use duckdb::types::Value;

use crate::codes::{CodeList, Education, ExitReason, Occupation, Sex, Support};
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

/// The pseudonym key: the bytes of `key_file`, else the environment variable FINSAM_KEY.
pub fn key(key_file: Option<&Path>) -> Result<Vec<u8>> {
    key_from(None, key_file)?.ok_or_else(|| {
        FinsamError::invalid("a key is needed to pseudonymise personnummer: set FINSAM_KEY or give --key-file (keep it outside the database)")
    })
}

/// A key file is a line of text: larger is not a key (and is not read into memory).
const LARGEST_KEY_FILE: u64 = 4096;

/// The pseudonym key from the first source there is: `given` (Python's key=), `key_file`, the environment
/// variable FINSAM_KEY; `None` when there is none. Every source is read the same way (`normalise_key`), so
/// one key gives one set of pseudonyms wherever it was typed.
pub fn key_from(given: Option<&[u8]>, key_file: Option<&Path>) -> Result<Option<Vec<u8>>> {
    let (raw, source) = match (given, key_file) {
        (Some(bytes), _) => (bytes.to_vec(), "the key".to_string()),
        (None, Some(path)) => {
            (key_file_text(&crate::files::read_regular(path, LARGEST_KEY_FILE, "key file")?), format!("the key file {}", path.display()))
        }
        (None, None) => match std::env::var_os("FINSAM_KEY") {
            Some(value) => (value.into_encoded_bytes(), "FINSAM_KEY".to_string()),
            None => return Ok(None),
        },
    };
    normalise_key(&raw).map(Some).map_err(|problem| FinsamError::invalid(format!("{source}: {problem}")))
}

/// A key file's text as UTF-8: Notepad's byte-order mark dropped, UTF-16 (PowerShell's `>`) decoded, so
/// the key in a file is the key typed into FINSAM_KEY.
fn key_file_text(bytes: &[u8]) -> Vec<u8> {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) => encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned().into_bytes(),
        None => bytes.to_vec(),
    }
}

/// A key as it is used: without the spaces, tabs and line ends around it (a file's last newline, a space
/// pasted before a variable's value), at least 16 characters, and not easy to guess.
pub fn normalise_key(raw: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let key = raw.trim_ascii();
    if key.len() < 16 {
        return Err(format!(
            "the pseudonym key must be at least 16 characters long (it has {}); make one with `finsam key new --out FILE`",
            key.len()
        ));
    }
    let bits = estimated_bits(key);
    if bits < MIN_KEY_BITS {
        return Err(format!(
            "the pseudonym key is too easy to guess (about {bits:.0} bits by its letters' frequencies and runs; at least {MIN_KEY_BITS:.0} are needed): anyone holding the database could try keys until the pseudonyms match. Make one with `finsam key new --out FILE`"
        ));
    }
    Ok(key.to_vec())
}

/// The fewest bits a key must carry (by `estimated_bits`): 16 random hexadecimal characters carry 64.
const MIN_KEY_BITS: f64 = 64.0;

/// An upper estimate of the key's entropy: its length times the Shannon entropy of its bytes'
/// frequencies. `aaaaaaaaaaaaaaaa` carries 0 bits, `abababababababab` 16, a key of `finsam key new` 256.
fn estimated_bits(key: &[u8]) -> f64 {
    let mut counts = [0usize; 256];
    for b in key {
        counts[*b as usize] += 1;
    }
    let n = key.len() as f64;
    let per_byte: f64 = counts.iter().filter(|c| **c > 0).map(|c| (*c as f64 / n) * -(*c as f64 / n).log2()).sum();
    (per_byte * n).min(pattern_bits(key))
}

/// The keyboard's rows, for runs such as `qwerty` and `asdfgh`.
const KEYBOARD_ROWS: [&[u8]; 4] = [b"1234567890", b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];

/// An estimate that sees runs: each character carries the bits of the kinds of character the key uses
/// (lower case, capitals, digits, others), except one that repeats, steps by one from (`abcd`, `4321`) or
/// stands beside the one before on a keyboard row: that carries one bit. `abcdefghijklmnop` carries about
/// 20 bits, `0123456789abcdef` about 24, a key of `finsam key new` (64 hex characters) about 300.
fn pattern_bits(key: &[u8]) -> f64 {
    let kinds = [key.iter().any(u8::is_ascii_lowercase), key.iter().any(u8::is_ascii_uppercase), key.iter().any(u8::is_ascii_digit)];
    let others = key.iter().any(|b| !b.is_ascii_alphanumeric());
    let alphabet = [26.0, 26.0, 10.0].iter().zip(kinds).filter(|(_, used)| *used).map(|(n, _)| n).sum::<f64>() + if others { 33.0 } else { 0.0 };
    let full = alphabet.max(2.0).log2();
    let beside = |a: u8, b: u8| {
        let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
        a == b || a.abs_diff(b) == 1 || KEYBOARD_ROWS.iter().any(|row| row.windows(2).any(|w| (w[0] == a && w[1] == b) || (w[0] == b && w[1] == a)))
    };
    key.iter().enumerate().map(|(i, b)| if i > 0 && beside(key[i - 1], *b) { 1.0 } else { full }).sum()
}

/// What `dataset_info` calls the key check value: an HMAC of a fixed label under the key the database's
/// pseudonyms were made with. It tells a wrong key from a right one without revealing the key.
pub const KEY_CHECK: &str = "pseudonym_key_check";

fn key_check_value(key: &[u8]) -> String {
    crate::pseudonym::pseudonym(key, "finsam pseudonym key check, version 1")
}

/// Refuses a key other than the one the database's pseudonyms were made with (recorded at the first import
/// that used a key). A wrong key would silently make new people of known ones, and `forget` would find no
/// one.
pub fn check_key(model: &Model, key: &[u8]) -> Result<()> {
    match model.dataset_info(KEY_CHECK)? {
        Some(recorded) if recorded != key_check_value(key) => Err(FinsamError::invalid(
            "this is not the key this database's pseudonyms were made with (its key check differs): use the federation's key; nothing was changed",
        )),
        _ => Ok(()),
    }
}

/// Records the key's check value at the first import that uses a key.
fn record_key_check(conn: &duckdb::Connection, key: &[u8]) -> Result<()> {
    conn.execute("INSERT INTO dataset_info (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING", [KEY_CHECK, &key_check_value(key)])
        .map_err(FinsamError::db("recording the key check"))?;
    Ok(())
}

/// A warning when a key file can be read by others than its owner (unix permissions), else `None`.
pub fn key_file_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return Some(format!("warning: the key file {} can be read by others (mode {:o}); chmod 600 it", path.display(), mode & 0o777));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    None
}

/// A new key: 32 random bytes, written as 64 hex characters to `path` (created with mode 0600; an existing
/// file is never overwritten).
pub fn new_key_file(path: &Path) -> Result<()> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| FinsamError::invalid(format!("cannot get random bytes for a key: {e}")))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let io = |source| FinsamError::Io { path: path.to_path_buf(), source };
    let mut file = options.open(path).map_err(io)?;
    std::io::Write::write_all(&mut file, format!("{}\n", hex::encode(bytes)).as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)
}

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

/// The problems found in an import: the first `MAX_ERRORS` kept to be shown, every one counted. A file
/// wrong on each of its million lines must not hold a million messages.
#[derive(Default)]
pub(crate) struct Problems {
    kept: Vec<RowError>,
    total: usize,
}

impl Problems {
    pub(crate) fn push(&mut self, problem: RowError) {
        self.total += 1;
        if self.kept.len() < MAX_ERRORS {
            self.kept.push(problem);
        }
    }

    fn extend(&mut self, other: Problems) {
        self.total += other.total - other.kept.len();
        for problem in other.kept {
            self.push(problem);
        }
    }

    fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// The rows of one file, checked, with the problems found.
struct Checked<T> {
    rows: Vec<T>,
    errors: Problems,
}

/// Reads one row's cells by the English column name.
struct Row<'a> {
    file: &'a str,
    line: usize,
    cells: &'a [String],
    index: &'a HashMap<&'static str, (usize, &'static str)>,
    errors: &'a mut Problems,
}

impl Row<'_> {
    fn get(&self, en: &str) -> Option<&str> {
        self.index.get(en).and_then(|(i, _)| self.cells.get(*i)).map(String::as_str).filter(|v| !v.is_empty())
    }

    fn fail(&mut self, en: &str, value: &str, expected: impl Into<String>) {
        let column = self.index.get(en).map(|(_, header)| header.to_string()).unwrap_or_else(|| swedish_name(en).to_string());
        self.errors.push(RowError { file: self.file.into(), row: self.line, column, value: value.into(), expected: expected.into() });
    }

    fn parse<T>(&mut self, en: &str, f: impl Fn(&str) -> std::result::Result<T, String>) -> Option<T> {
        let value = self.get(en)?.to_string();
        match f(&value) {
            Ok(v) => Some(v),
            Err(expected) => {
                self.fail(en, &value, expected);
                None
            }
        }
    }

    fn required<T>(&mut self, en: &str, f: impl Fn(&str) -> std::result::Result<T, String>) -> Option<T> {
        if self.get(en).is_none() {
            self.fail(en, "", "a value (the column must not be empty)");
            return None;
        }
        self.parse(en, f)
    }

    fn code<T: CodeList>(&mut self, en: &str, required: bool) -> Option<T> {
        let parse = |v: &str| T::parse(v).map_err(|_| format!("one of {}", T::ALL.iter().map(|c| c.code()).collect::<Vec<_>>().join(", ")));
        if required {
            self.required(en, parse)
        } else {
            self.parse(en, parse)
        }
    }

    /// The person: a personnummer (pseudonymised here) or an existing pseudonym.
    fn person(&mut self, key: Option<&[u8]>, today: NaiveDate) -> Option<(String, Option<Personnummer>)> {
        if let Some(text) = self.get("personal_identity_number").map(str::to_string) {
            return match Personnummer::parse(&text, today) {
                // The schema keeps birth years from 1900: a valid control digit on an 1812 date is a typo.
                Ok(p) if p.birth_year() < 1900 => {
                    let masked: String = text.chars().map(|c| if personnummer::is_digit_like(c) { '#' } else { c }).collect();
                    self.fail("personal_identity_number", &masked, "a person born in 1900 or later (check the century)");
                    None
                }
                Ok(p) => key.map(|k| (p.pseudonym(k), Some(p))),
                Err(expected) => {
                    // Never echo a personnummer back in full: show its shape only.
                    let masked: String = text.chars().map(|c| if personnummer::is_digit_like(c) { '#' } else { c }).collect();
                    self.fail("personal_identity_number", &masked, expected);
                    None
                }
            };
        }
        if let Some(p) = self.get("pseudonym").map(str::to_string) {
            if is_pseudonym(&p) {
                return Some((p, None));
            }
            // Anything else could be a personnummer typed into the wrong column: refuse it, and echo its
            // shape only.
            let masked: String = p.chars().take(80).map(|c| if personnummer::is_digit_like(c) { '#' } else { c }).collect();
            self.fail(
                "pseudonym",
                &masked,
                "a pseudonym as finsam makes them (64 characters 0–9 and a–f); a personnummer goes in the column personnummer",
            );
            return None;
        }
        self.fail("personal_identity_number", "", "a personnummer or a pseudonym");
        None
    }
}

/// Whether `text` has the shape of a pseudonym (hex HMAC-SHA256), so nothing else, a personnummer least of
/// all, is stored as one.
fn is_pseudonym(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// At most this many characters of a value are echoed in an error.
const ECHO_LENGTH: usize = 60;

/// A value as an error may echo it: on one line, at most `ECHO_LENGTH` characters, and every run of 10 or
/// more digits masked (`mask_long_numbers`), since it may be a personnummer or samordningsnummer that landed
/// in the wrong column or line.
pub fn redact(text: &str) -> String {
    let masked: Vec<char> = mask_personnummer(&mask_long_numbers(text)).chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut out: String = masked.iter().take(ECHO_LENGTH).collect();
    if masked.len() > ECHO_LENGTH {
        out.push('…');
    }
    out
}

/// Whether a text holds a personnummer or samordningsnummer (a run of 10 or 12 digits that passes the
/// date and control-digit checks), wherever it stands. Organisation numbers (month 20 or more) and most
/// phone numbers do not pass.
pub fn has_personnummer(text: &str) -> bool {
    !personnummer::find(text, chrono::Local::now().date_naive()).is_empty()
}

/// `text` with the digits of every personnummer in it (in any form the personnummer column accepts)
/// masked as `#`: for every message that may echo a value or a file name.
pub fn mask_personnummer(text: &str) -> String {
    let spans = personnummer::find(text, chrono::Local::now().date_naive());
    if spans.is_empty() {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    for (start, end) in spans {
        for c in &mut chars[start..end] {
            if personnummer::is_digit_like(*c) {
                *c = '#';
            }
        }
    }
    chars.into_iter().collect()
}

/// Where the digit runs of `chars` start and end.
fn digit_run_spans(chars: &[char]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len()
            && (chars[j].is_ascii_digit() || (matches!(chars[j], '-' | '+') && j + 1 < chars.len() && chars[j + 1].is_ascii_digit()))
        {
            j += 1;
        }
        spans.push((i, j));
        i = j;
    }
    spans
}

/// Every run of 10 or more digits (a - or + may stand between them, as after a personnummer's date) with
/// its digits written '#'.
fn mask_long_numbers(text: &str) -> String {
    // Digits of any script count as digits (`personnummer::fold`).
    let folded: Vec<char> = text.chars().map(|c| if personnummer::is_digit_like(c) { '0' } else { personnummer::fold(c) }).collect();
    let mut out: Vec<char> = text.chars().collect();
    for (i, j) in digit_run_spans(&folded) {
        if folded[i..j].iter().filter(|c| c.is_ascii_digit()).count() >= 10 {
            for (c, f) in out[i..j].iter_mut().zip(&folded[i..j]) {
                if f.is_ascii_digit() {
                    *c = '#';
                }
            }
        }
    }
    out.into_iter().collect()
}

/// Values under an empty header cell or beyond the header's last column: they would otherwise be read as
/// another column's or dropped without a word.
fn stray_cells(file: &str, rows: &source::Rows, errors: &mut Problems) {
    for (line, cells) in &rows.rows {
        for (i, value) in cells.iter().enumerate().filter(|(_, v)| !v.trim().is_empty()) {
            let expected = match rows.header.get(i) {
                Some(name) if name.trim().is_empty() => "no value under an empty header cell: name the column or remove the value",
                Some(_) => continue,
                None => "no value beyond the header's last column",
            };
            errors.push(RowError {
                file: file.into(),
                row: *line,
                column: format!("(column {})", i + 1),
                value: value.clone(),
                expected: expected.into(),
            });
        }
    }
}

/// Maps the header to known columns; unknown and missing columns are problems.
fn header_index(file: &str, header: &[String], columns: &[&'static [Column]], errors: &mut Problems) -> HashMap<&'static str, (usize, &'static str)> {
    let all: Vec<&'static Column> = columns.iter().flat_map(|c| c.iter()).collect();
    header_index_of(file, header, &all, errors)
}

/// Maps the header to the given columns; unknown and missing columns are problems.
pub(crate) fn header_index_of(
    file: &str,
    header: &[String],
    all: &[&'static Column],
    errors: &mut Problems,
) -> HashMap<&'static str, (usize, &'static str)> {
    let mut index = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let lower = name.trim().to_lowercase();
        if lower.is_empty() {
            continue; // an empty header cell; values under it are reported row by row
        }
        match all.iter().find(|c| c.sv == lower || c.en == lower) {
            Some(c) if index.contains_key(c.en) => errors.push(RowError {
                file: file.into(),
                row: 1,
                column: name.clone(),
                value: name.clone(),
                expected: format!("each column once: '{}' ({}) is named twice", c.sv, c.en),
            }),
            Some(c) => {
                index.insert(c.en, (i, if c.sv == lower { c.sv } else { c.en }));
            }
            None => errors.push(RowError {
                file: file.into(),
                row: 1,
                column: name.clone(),
                value: name.clone(),
                expected: format!("a known column: {}", all.iter().map(|c| c.sv).collect::<Vec<_>>().join(", ")),
            }),
        }
    }
    for c in all.iter().filter(|c| c.required) {
        if !index.contains_key(c.en) {
            errors.push(RowError {
                file: file.into(),
                row: 1,
                column: c.sv.into(),
                value: String::new(),
                expected: format!("a column '{}' ({})", c.sv, c.en),
            });
        }
    }
    index
}

struct ParticipantRow {
    id: String,
    federation: String,
    sex: Sex,
    birth_year: i32,
    education: Option<Education>,
}

struct EnrolmentRow {
    participant: String,
    intervention: String,
    start: NaiveDate,
    exit: Option<NaiveDate>,
    values: Vec<Value>,
}

fn ids(model: &Model, sql: &str) -> Result<HashSet<String>> {
    Ok(model.query(sql, &[])?.rows_as_text()?.into_iter().map(|mut r| r.remove(0)).collect())
}

/// The pseudonyms of a file's people (rows whose person cannot be read are left out; the checks say why).
fn people_of(
    file: &str,
    rows: &source::Rows,
    index: &HashMap<&'static str, (usize, &'static str)>,
    key: Option<&[u8]>,
    today: NaiveDate,
) -> Vec<String> {
    let mut ignored = Problems::default();
    rows.rows
        .iter()
        .filter_map(|(line, cells)| Row { file, line: *line, cells, index, errors: &mut ignored }.person(key, today).map(|(id, _)| id))
        .collect()
}

/// The federation of each of `people` that is already in the database. Only the file's own people are
/// looked up (staged in a temporary table and joined), so checking a file costs its size, not the
/// database's.
fn federations_of(model: &Model, people: &[String]) -> Result<HashMap<String, String>> {
    Ok(people_in_database(model, people)?.into_iter().map(|(id, (federation, _))| (id, federation)).collect())
}

/// The federation and birth year of each of `people` already in the database.
fn people_in_database(model: &Model, people: &[String]) -> Result<HashMap<String, (String, i32)>> {
    let conn = model.connection();
    write::stage(conn, "file_people", "participant_id VARCHAR", people.iter().map(|id| vec![Value::Text(id.clone())]))?;
    let found = model.query_rows(
        "SELECT DISTINCT participant_id, federation_id, birth_year FROM participant SEMI JOIN file_people USING (participant_id)",
        &[],
        |r| Ok((r.get::<_, String>(0)?, (r.get::<_, String>(1)?, r.get::<_, i32>(2)?))),
    )?;
    conn.execute_batch("DROP TABLE file_people").map_err(FinsamError::db("looking up the file's people"))?;
    Ok(found.into_iter().collect())
}

/// Where each row was first seen in the files of one import: the file (by its place in `files`) and the
/// line. A person is kept by the 32 bytes of their pseudonym, not its 64 hex characters, and a file's name
/// once, not once a row: an import of millions of rows holds this for every row at once.
struct SeenAt<K> {
    files: Vec<String>,
    at: HashMap<K, (u32, u32)>,
}

impl<K: std::hash::Hash + Eq> SeenAt<K> {
    fn new() -> Self {
        SeenAt { files: Vec::new(), at: HashMap::new() }
    }

    /// Where `key` was seen before, said from `this_file` ("line 3", or "a.csv, line 3").
    fn seen(&self, key: &K, this_file: &str) -> Option<String> {
        let (file, line) = self.at.get(key)?;
        let file = &self.files[*file as usize];
        Some(if file == this_file { format!("line {line}") } else { format!("{file}, line {line}") })
    }

    fn insert(&mut self, key: K, file: &str, line: usize) {
        if self.files.last().is_none_or(|last| last != file) {
            self.files.push(file.to_string());
        }
        let place = (self.files.len() as u32 - 1, u32::try_from(line).unwrap_or(u32::MAX));
        self.at.insert(key, place);
    }
}

/// A pseudonym's 32 bytes (its 64 hex characters decoded), for keeping many of them.
fn pseudonym_bytes(pseudonym: &str) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    if hex::decode_to_slice(pseudonym, &mut bytes).is_err() {
        // Not the shape of a pseudonym (checked elsewhere): a hash of the text still tells one from another.
        use sha2::Digest;
        bytes.copy_from_slice(&sha2::Sha256::digest(pseudonym.as_bytes()));
    }
    bytes
}

fn check_participants(
    model: &Model,
    file: &str,
    rows: &source::Rows,
    key: Option<&[u8]>,
    today: NaiveDate,
    seen: &mut SeenAt<[u8; 32]>,
) -> Result<Checked<ParticipantRow>> {
    let mut errors = Problems::default();
    let index = header_index(file, &rows.header, &[&PERSON, PARTICIPANT_COLUMNS], &mut errors);
    let federations = ids(model, "SELECT federation_id FROM federation")?;
    let current = federations_of(model, &people_of(file, rows, &index, key, today))?;
    let mut out = Vec::new();
    for (line, cells) in &rows.rows {
        let mut row = Row { file, line: *line, cells, index: &index, errors: &mut errors };
        let person = row.person(key, today);
        let federation = row.required("federation", |v| {
            if federations.contains(v) {
                Ok(v.to_string())
            } else {
                Err("a federation of the database (see finsam info)".into())
            }
        });
        let sex = row.code::<Sex>("sex", false).or_else(|| person.as_ref().and_then(|(_, p)| p.as_ref().map(Personnummer::sex)));
        let birth_year = row
            .parse("birth_year", |v| {
                values::whole(v).map(|y| y as i32).map_err(String::from).and_then(|y| {
                    if (1900..=2100).contains(&y) {
                        Ok(y)
                    } else {
                        Err("a year between 1900 and 2100".into())
                    }
                })
            })
            .or_else(|| person.as_ref().and_then(|(_, p)| p.as_ref().map(Personnummer::birth_year)));
        let education = row.code::<Education>("education", false);
        // A column beside the personnummer that says something else is a mistake in one of them.
        if let Some((id, Some(pnr))) = &person {
            if let (Some(given), Some(written)) = (row.get("birth_year").and_then(|v| values::whole(v).ok()), row.get("birth_year")) {
                if given != pnr.birth_year() as i64 {
                    let written = written.to_string();
                    row.fail("birth_year", &written, "the birth year the personnummer gives (or leave födelseår empty)");
                }
            }
            if let Some(pseudonym) = row.get("pseudonym").map(str::to_string) {
                if pseudonym != *id {
                    let shown: String = pseudonym.chars().take(12).collect();
                    row.fail(
                        "pseudonym",
                        &format!("{shown}…"),
                        "the pseudonym the personnummer gives under this key, or no pseudonym beside a personnummer",
                    );
                }
            }
        }
        if person.as_ref().is_some_and(|(_, p)| p.is_none()) {
            if sex.is_none() {
                row.fail("sex", "", "the sex (kvinna or man) when there is no personnummer to derive it from");
            }
            if birth_year.is_none() {
                row.fail("birth_year", "", "the birth year when there is no personnummer to derive it from");
            }
        }
        if let (Some((id, _)), Some(federation), Some(sex), Some(birth_year)) = (person, federation, sex, birth_year) {
            if let Some(old) = current.get(&id).filter(|old| **old != federation) {
                row.fail(
                    "federation",
                    &federation,
                    format!("the federation the person already belongs to ({old}): moving people between federations is not supported"),
                );
                continue;
            }
            if let Some(first) = seen.seen(&pseudonym_bytes(&id), file) {
                row.fail("personal_identity_number", "(the same person)", format!("each person once: also on {first}"));
                continue;
            }
            seen.insert(pseudonym_bytes(&id), file, *line);
            out.push(ParticipantRow { id, federation, sex, birth_year, education });
        }
    }
    Ok(Checked { rows: out, errors })
}

fn check_enrolments(
    model: &Model,
    file: &str,
    rows: &source::Rows,
    key: Option<&[u8]>,
    today: NaiveDate,
    seen: &mut SeenAt<([u8; 32], String, NaiveDate)>,
) -> Result<Checked<EnrolmentRow>> {
    let mut errors = Problems::default();
    let index = header_index(file, &rows.header, &[&PERSON, ENROLMENT_COLUMNS], &mut errors);
    let interventions: HashMap<String, String> =
        model.query_rows("SELECT intervention_id, federation_id FROM intervention", &[], |r| Ok((r.get(0)?, r.get(1)?)))?.into_iter().collect();
    let people = people_in_database(model, &people_of(file, rows, &index, key, today))?;
    let mut out = Vec::new();
    let date = |v: &str| values::date_in(v, rows.serials_from_1904).map_err(String::from);
    let pct = |v: &str| {
        values::whole(v).map_err(String::from).and_then(|p| {
            if (0..=100).contains(&p) {
                Ok(p as i16)
            } else {
                Err("a share of full time from 0 to 100".into())
            }
        })
    };
    for (line, cells) in &rows.rows {
        let mut row = Row { file, line: *line, cells, index: &index, errors: &mut errors };
        let person = row.person(key, today).map(|(id, _)| id);
        if let Some(id) = &person {
            if !people.contains_key(id) {
                row.fail("personal_identity_number", "(this person)", "a participant of the database: import the participants file first");
            }
        }
        let intervention = row.required("intervention", |v| {
            if interventions.contains_key(v) {
                Ok(v.to_string())
            } else {
                Err("an intervention of the database (see finsam info)".into())
            }
        });
        // A person belongs to one federation, and takes part in that federation's interventions only.
        if let (Some(id), Some(i)) = (&person, &intervention) {
            if let (Some((theirs, _)), Some(its)) = (people.get(id), interventions.get(i)) {
                if theirs != its {
                    row.fail("intervention", i, format!("an intervention of the person's federation ({theirs}); {i} belongs to {its}"));
                }
            }
        }
        let start = row.required("start_date", date);
        // Nobody starts an intervention before the year they were born.
        if let (Some(s), Some((_, born))) = (start, person.as_ref().and_then(|id| people.get(id))) {
            use chrono::Datelike;
            if s.year() < *born {
                let value = row.get("start_date").unwrap_or_default().to_string();
                row.fail("start_date", &value, format!("a start date after the person's birth (born {born})"));
            }
        }
        let exit = row.parse("exit_date", date);
        if let (Some(s), Some(e)) = (start, exit) {
            if e < s {
                let value = row.get("exit_date").unwrap_or_default().to_string();
                row.fail("exit_date", &value, format!("a date on or after the start date {s}"));
            }
        }
        let support_before = row.code::<Support>("support_before", true);
        let occupation_before = row.code::<Occupation>("occupation_before", true);
        let extent_before = row.parse("extent_before_pct", pct);
        let support_after = row.code::<Support>("support_after", false);
        let occupation_after = row.code::<Occupation>("occupation_after", false);
        let extent_after = row.parse("extent_after_pct", pct);
        let subsidised = row.parse("subsidised_work_after", |v| values::yes_no(v).map_err(String::from));
        let exit_reason = row.code::<ExitReason>("exit_reason", false);
        let consent = row.parse("consent", |v| values::yes_no(v).map_err(String::from)).unwrap_or(true);
        check_outcomes_follow_an_exit(&mut row, exit.is_some(), [support_after.is_some(), occupation_after.is_some(), exit_reason.is_some()]);
        if subsidised.is_some() && occupation_after != Some(Occupation::Work) {
            let value = row.get("subsidised_work_after").unwrap_or_default().to_string();
            row.fail("subsidised_work_after", &value, "only with sysselsättning_efter = work");
        }
        if let (Some(participant), Some(intervention), Some(start), Some(sb), Some(ob)) =
            (person, intervention, start, support_before, occupation_before)
        {
            let natural = (pseudonym_bytes(&participant), intervention.clone(), start);
            if let Some(first) = seen.seen(&natural, file) {
                row.fail("startdatum", &start.to_string(), format!("one row per person, intervention and start date: also on {first}"));
                continue;
            }
            seen.insert(natural, file, *line);
            let text = |v: Option<&'static str>| v.map_or(Value::Null, |s| Value::Text(s.into()));
            let values = vec![
                Value::Text(sb.code().into()),
                Value::Text(ob.code().into()),
                extent_before.map_or(Value::Null, Value::SmallInt),
                text(support_after.map(|s| s.code())),
                text(occupation_after.map(|o| o.code())),
                extent_after.map_or(Value::Null, Value::SmallInt),
                subsidised.map_or(Value::Null, Value::Boolean),
                text(exit_reason.map(|e| e.code())),
                Value::Boolean(consent),
            ];
            out.push(EnrolmentRow { participant, intervention, start, exit, values });
        }
    }
    Ok(Checked { rows: out, errors })
}

/// An outcome (support, occupation, reason) only once there is an exit date.
fn check_outcomes_follow_an_exit(row: &mut Row<'_>, exited: bool, present: [bool; 3]) {
    if exited {
        return;
    }
    for (en, present) in ["support_after", "occupation_after", "exit_reason"].into_iter().zip(present) {
        if present {
            let value = row.get(en).unwrap_or_default().to_string();
            row.fail(en, &value, "no outcome before an exit date (fill in slutdatum)");
        }
    }
}

fn days(d: NaiveDate) -> Value {
    Value::Date32((d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32)
}

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
