//! The row checks of an import: every cell of every row read against its column's type and code list, the
//! people and enrolments against each other and the database, every problem kept with its file, row,
//! column and what was expected, before anything is written.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use duckdb::types::Value;

use super::personnummer::Personnummer;
use super::*;
use crate::codes::{CodeList, Education, ExitReason, Occupation, Sex, Support};
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// The problems found in an import: the first `MAX_ERRORS` kept to be shown, every one counted. A file
/// wrong on each of its million lines must not hold a million messages.
#[derive(Default)]
pub(crate) struct Problems {
    pub(super) kept: Vec<RowError>,
    pub(super) total: usize,
}

impl Problems {
    pub(crate) fn push(&mut self, problem: RowError) {
        self.total += 1;
        if self.kept.len() < MAX_ERRORS {
            self.kept.push(problem);
        }
    }

    pub(super) fn extend(&mut self, other: Problems) {
        self.total += other.total - other.kept.len();
        for problem in other.kept {
            self.push(problem);
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// The rows of one file, checked, with the problems found.
pub(super) struct Checked<T> {
    pub(super) rows: Vec<T>,
    pub(super) errors: Problems,
}

/// Reads one row's cells by the English column name.
pub(super) struct Row<'a> {
    pub(super) file: &'a str,
    pub(super) line: usize,
    pub(super) cells: &'a [String],
    pub(super) index: &'a HashMap<&'static str, (usize, &'static str)>,
    pub(super) errors: &'a mut Problems,
}

impl Row<'_> {
    pub(super) fn get(&self, en: &str) -> Option<&str> {
        self.index.get(en).and_then(|(i, _)| self.cells.get(*i)).map(String::as_str).filter(|v| !v.is_empty())
    }

    pub(super) fn fail(&mut self, en: &str, value: &str, expected: impl Into<String>) {
        let column = self.index.get(en).map(|(_, header)| header.to_string()).unwrap_or_else(|| swedish_name(en).to_string());
        self.errors.push(RowError { file: self.file.into(), row: self.line, column, value: value.into(), expected: expected.into() });
    }

    pub(super) fn parse<T>(&mut self, en: &str, f: impl Fn(&str) -> std::result::Result<T, String>) -> Option<T> {
        let value = self.get(en)?.to_string();
        match f(&value) {
            Ok(v) => Some(v),
            Err(expected) => {
                self.fail(en, &value, expected);
                None
            }
        }
    }

    pub(super) fn required<T>(&mut self, en: &str, f: impl Fn(&str) -> std::result::Result<T, String>) -> Option<T> {
        if self.get(en).is_none() {
            self.fail(en, "", "a value (the column must not be empty)");
            return None;
        }
        self.parse(en, f)
    }

    pub(super) fn code<T: CodeList>(&mut self, en: &str, required: bool) -> Option<T> {
        let parse = |v: &str| T::parse(v).map_err(|_| format!("one of {}", T::ALL.iter().map(|c| c.code()).collect::<Vec<_>>().join(", ")));
        if required {
            self.required(en, parse)
        } else {
            self.parse(en, parse)
        }
    }

    /// The person: a personnummer (pseudonymised here) or an existing pseudonym.
    pub(super) fn person(&mut self, key: Option<&[u8]>, today: NaiveDate) -> Option<(String, Option<Personnummer>)> {
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

/// Values under an empty header cell or beyond the header's last column: they would otherwise be read as
/// another column's or dropped without a word.
pub(super) fn stray_cells(file: &str, rows: &source::Rows, errors: &mut Problems) {
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
pub(super) fn header_index(
    file: &str,
    header: &[String],
    columns: &[&'static [Column]],
    errors: &mut Problems,
) -> HashMap<&'static str, (usize, &'static str)> {
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

pub(super) struct ParticipantRow {
    pub(super) id: String,
    pub(super) federation: String,
    pub(super) sex: Sex,
    pub(super) birth_year: i32,
    pub(super) education: Option<Education>,
}

pub(super) struct EnrolmentRow {
    pub(super) participant: String,
    pub(super) intervention: String,
    pub(super) start: NaiveDate,
    pub(super) exit: Option<NaiveDate>,
    pub(super) values: Vec<Value>,
}

pub(super) fn ids(model: &Model, sql: &str) -> Result<HashSet<String>> {
    Ok(model.query(sql, &[])?.rows_as_text()?.into_iter().map(|mut r| r.remove(0)).collect())
}

/// The pseudonyms of a file's people (rows whose person cannot be read are left out; the checks say why).
pub(super) fn people_of(
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
pub(super) fn federations_of(model: &Model, people: &[String]) -> Result<HashMap<String, String>> {
    Ok(people_in_database(model, people)?.into_iter().map(|(id, (federation, _))| (id, federation)).collect())
}

/// The federation and birth year of each of `people` already in the database.
pub(super) fn people_in_database(model: &Model, people: &[String]) -> Result<HashMap<String, (String, i32)>> {
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
pub(super) struct SeenAt<K> {
    pub(super) files: Vec<String>,
    pub(super) at: HashMap<K, (u32, u32)>,
}

impl<K: std::hash::Hash + Eq> SeenAt<K> {
    pub(super) fn new() -> Self {
        SeenAt { files: Vec::new(), at: HashMap::new() }
    }

    /// Where `key` was seen before, said from `this_file` ("line 3", or "a.csv, line 3").
    pub(super) fn seen(&self, key: &K, this_file: &str) -> Option<String> {
        let (file, line) = self.at.get(key)?;
        let file = &self.files[*file as usize];
        Some(if file == this_file { format!("line {line}") } else { format!("{file}, line {line}") })
    }

    pub(super) fn insert(&mut self, key: K, file: &str, line: usize) {
        if self.files.last().is_none_or(|last| last != file) {
            self.files.push(file.to_string());
        }
        let place = (self.files.len() as u32 - 1, u32::try_from(line).unwrap_or(u32::MAX));
        self.at.insert(key, place);
    }
}

/// A pseudonym's 32 bytes (its 64 hex characters decoded), for keeping many of them.
pub(super) fn pseudonym_bytes(pseudonym: &str) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    if hex::decode_to_slice(pseudonym, &mut bytes).is_err() {
        // Not the shape of a pseudonym (checked elsewhere): a hash of the text still tells one from another.
        use sha2::Digest;
        bytes.copy_from_slice(&sha2::Sha256::digest(pseudonym.as_bytes()));
    }
    bytes
}

pub(super) fn check_participants(
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

pub(super) fn check_enrolments(
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
pub(super) fn check_outcomes_follow_an_exit(row: &mut Row<'_>, exited: bool, present: [bool; 3]) {
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

pub(super) fn days(d: NaiveDate) -> Value {
    Value::Date32((d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32)
}
