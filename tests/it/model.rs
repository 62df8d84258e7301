//! The model: constraints, code lists, opening and refusing files.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use finsam::codes::*;
use finsam::model::{MIGRATION_SQL, SCHEMA_SQL, SCHEMA_VERSION};
use finsam::{FinsamError, Model};

fn model_with_one_intervention() -> Model {
    let model = finsam::in_memory().unwrap();
    model
        .execute_batch(
            "INSERT INTO federation VALUES ('f1', 'Förbundet', 'Dalarna', false);
             INSERT INTO member VALUES ('f1-fk', 'f1', 'fk', 'Försäkringskassan', NULL);
             INSERT INTO intervention (intervention_id, federation_id, name, kind, target_group, start_date)
                 VALUES ('i1', 'f1', 'Insats', 'individual', 'young', DATE '2020-01-01');
             INSERT INTO participant VALUES (1, 'p1', 'f1', 'female', 1990, 'primary', 12345);",
        )
        .unwrap();
    model
}

/// Inserting `sql` must fail, and the message must name `column`.
fn rejected(model: &Model, sql: &str, column: &str) {
    let err = model.execute_batch(sql).expect_err(&format!("expected a refusal of {sql}")).to_string();
    assert!(err.contains(column), "the error for {sql} should name {column}: {err}");
}

const ENROL: &str = "INSERT INTO enrolment (record_key, enrolment_id, participant_key, intervention_id, start_date, exit_date, \
                     support_before, occupation_before, support_after, occupation_after, exit_reason)";

#[test]
fn constraints_reject_bad_rows_naming_the_column() {
    let m = model_with_one_intervention();
    rejected(
        &m,
        &format!("{ENROL} VALUES (7, 1, 1, 'i1', DATE '2021-05-01', DATE '2021-04-30', 'wage', 'work', 'wage', 'work', 'work')"),
        "exit_date",
    );
    rejected(&m, &format!("{ENROL} VALUES (7, 1, 1, 'i1', DATE '2021-05-01', NULL, 'lottery', 'work', NULL, NULL, NULL)"), "support_before");
    rejected(&m, &format!("{ENROL} VALUES (7, 1, 1, 'i1', DATE '2021-05-01', NULL, 'wage', 'sleeping', NULL, NULL, NULL)"), "occupation_before");
    rejected(
        &m,
        &format!("{ENROL} VALUES (7, 1, 1, 'i1', DATE '2021-05-01', DATE '2021-06-01', 'wage', 'work', 'wage', 'work', 'bored')"),
        "exit_reason",
    );
    rejected(&m, &format!("{ENROL} VALUES (7, 1, 1, 'nope', DATE '2021-05-01', NULL, 'wage', 'work', NULL, NULL, NULL)"), "intervention_id");
    rejected(&m, &format!("{ENROL} VALUES (7, 1, 99, 'i1', DATE '2021-05-01', NULL, 'wage', 'work', NULL, NULL, NULL)"), "participant_key");
    rejected(&m, &format!("{ENROL} VALUES (7, 1, 1, 'i1', NULL, NULL, 'wage', 'work', NULL, NULL, NULL)"), "start_date");
    // Outcomes belong to an exit.
    rejected(&m, &format!("{ENROL} VALUES (7, 1, 1, 'i1', DATE '2021-05-01', NULL, 'wage', 'work', 'wage', NULL, NULL)"), "support_after");
    rejected(&m, "INSERT INTO participant VALUES (2, 'p2', 'f1', 'unknown', 1990, NULL, 1)", "sex");
    rejected(&m, "INSERT INTO participant VALUES (2, 'p2', 'f1', 'male', 1990, 'doctorate', 1)", "education");
    rejected(&m, "INSERT INTO intervention (intervention_id, federation_id, name, kind, target_group, start_date) VALUES ('i2', 'f1', 'x', 'individual', 'astronauts', DATE '2020-01-01')", "target_group");
    rejected(&m, "INSERT INTO intervention (intervention_id, federation_id, name, kind, target_group, start_date) VALUES ('i2', 'f1', 'x', 'both', 'young', DATE '2020-01-01')", "kind");
    rejected(&m, "INSERT INTO intervention (intervention_id, federation_id, name, kind, target_group, start_date, end_date) VALUES ('i2', 'f1', 'x', 'individual', 'young', DATE '2020-01-01', DATE '2019-12-31')", "end_date");
    rejected(&m, "INSERT INTO intervention (intervention_id, federation_id, name, kind, target_group, start_date) VALUES ('i2', 'nowhere', 'x', 'individual', 'young', DATE '2020-01-01')", "federation_id");
    rejected(&m, "INSERT INTO budget_line VALUES (1, 'f1', 'i1', 2021, 'federation', 'individual', -5, NULL)", "budget_sek");
    rejected(&m, "INSERT INTO budget_line VALUES (1, 'f1', 'i1', 2021, 'federation', 'individual', 5, -1)", "actual_sek");
    rejected(&m, "INSERT INTO budget_line VALUES (1, 'f1', 'i1', 2021, 'lottery', 'individual', 5, NULL)", "financier");
    rejected(&m, "INSERT INTO budget_line VALUES (1, 'f1', 'i1', 2021, 'esf', 'coffee', 5, NULL)", "category");
    rejected(&m, "INSERT INTO contribution VALUES ('f1-fk', 2021, -100)", "amount_sek");
    rejected(&m, "INSERT INTO member VALUES ('f1-x', 'f1', 'church', 'Kyrkan', NULL)", "party");
    rejected(&m, "INSERT INTO anonymous_count VALUES ('i1', 2021, 'female', 'no_consent', -1)", "count");
    rejected(&m, "INSERT INTO period VALUES ('bad', 'bad', DATE '2022-01-01', DATE '2021-01-01')", "end_date");
    // Nothing of the refused rows landed.
    assert_eq!(m.count_rows("enrolment").unwrap(), 0);
    assert_eq!(m.count_rows("budget_line").unwrap(), 0);
}

/// The CHECK lists in schema.sql and the migrations and the Rust enums are the same code lists.
#[test]
fn schema_code_lists_match_the_enums() {
    fn codes<T: CodeList>() -> BTreeSet<String> {
        T::ALL.iter().map(|v| v.code().to_string()).collect()
    }
    let mut checked = 0;
    for sql in std::iter::once(SCHEMA_SQL).chain(MIGRATION_SQL.iter().copied()) {
        let mut rest = sql;
        let mut table = "";
        while let Some(pos) = rest.find("CHECK (") {
            if let Some(t) = rest[..pos].rfind("CREATE TABLE ") {
                table = rest[t + 13..].split_whitespace().next().unwrap();
            }
            let after = &rest[pos + 7..];
            rest = after;
            let Some(in_pos) = after.find(" IN (") else { continue };
            let column = after[..in_pos].trim();
            if column.contains(' ') || column.contains('(') {
                continue;
            }
            let list_end = after.find(')').unwrap();
            let listed: BTreeSet<String> = after[in_pos + 5..list_end].split(',').map(|c| c.trim().trim_matches('\'').to_string()).collect();
            let expected = match (table, column) {
                ("member", "party") => ["fk", "af", "region", "municipality"].iter().map(|s| s.to_string()).collect(),
                (_, "party") => codes::<Party>(),
                (_, c) if c.starts_with("support") => codes::<Support>(),
                (_, c) if c.starts_with("occupation") => codes::<Occupation>(),
                (_, "sex") => codes::<Sex>(),
                (_, "target_group") => codes::<TargetGroup>(),
                (_, "financier") => codes::<Financier>(),
                (_, "exit_reason") => codes::<ExitReason>(),
                (_, "kind") => codes::<InterventionKind>(),
                (_, "category") => codes::<CostCategory>(),
                (_, "education") => codes::<Education>(),
                (_, "reason") => codes::<AnonymousReason>(),
                other => panic!("a code list in schema.sql without an enum: {other:?}"),
            };
            assert_eq!(listed, expected, "{table}.{column}");
            checked += 1;
        }
    }
    assert_eq!(checked, 17 + 9 + 9, "every code-list column of schema.sql and migrations 3 and 4 was compared");
}

#[test]
fn code_lists_are_in_the_database_with_both_labels() {
    let m = finsam::in_memory().unwrap();
    let label = common::scalar(&m, "SELECT label_sv FROM code_list WHERE list = 'support' AND code = 'social_assistance'");
    assert_eq!(label, "Försörjningsstöd");
    let n = common::scalar_i64(&m, "SELECT count(*) FROM code_list");
    assert_eq!(n as usize, all_code_rows().len());
}

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn creates_reopens_and_records_the_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.duckdb");
    let err = finsam::open(&path).err().expect("a missing file is not created by open").to_string();
    assert!(err.contains("finsam init") && !path.exists(), "{err}");
    {
        let m = finsam::create(&path).unwrap();
        assert_eq!(m.schema_version().unwrap(), SCHEMA_VERSION);
        m.execute_batch("INSERT INTO federation VALUES ('f1', 'Förbundet', NULL, false)").unwrap();
    }
    let m = finsam::open(&path).unwrap();
    assert_eq!(m.count_rows("federation").unwrap(), 1);
    assert_eq!(common::scalar_i64(&m, "SELECT count(*) FROM schema_version"), SCHEMA_VERSION);
    drop(m);
    assert!(matches!(finsam::create(&path), Err(FinsamError::CannotCreate { .. })), "create refuses an existing file");
    let m = finsam::open_or_create(&path).unwrap();
    drop(m);
    let ro = finsam::open_read_only(&path).unwrap();
    assert!(ro.execute_batch("DELETE FROM federation").is_err(), "read-only really is read-only");
}

#[test]
fn refuses_a_file_that_is_not_a_database_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.duckdb");
    std::fs::write(&path, "deltagare;insats\n1;ComUng\n").unwrap();
    let before = file_bytes(&path);
    let err = finsam::open(&path).err().expect("refused");
    assert!(matches!(err, FinsamError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains("notes.duckdb") && err.to_string().contains("not a DuckDB database"));
    assert_eq!(file_bytes(&path), before);
    let empty = dir.path().join("empty.duckdb");
    std::fs::write(&empty, "").unwrap();
    assert!(matches!(finsam::open(&empty), Err(FinsamError::NotADatabase { .. })));
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
}

#[test]
fn refuses_a_newer_schema_without_changing_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.duckdb");
    {
        let m = finsam::create(&path).unwrap();
        m.execute_batch("INSERT INTO schema_version (version, description) VALUES (99, 'from the future')").unwrap();
        m.execute_batch("CHECKPOINT").unwrap();
    }
    let before = file_bytes(&path);
    let err = finsam::open(&path).err().expect("refused");
    match &err {
        FinsamError::NewerSchema { found, supported, .. } => {
            assert_eq!((*found, *supported), (99, SCHEMA_VERSION));
        }
        other => panic!("expected NewerSchema, got {other}"),
    }
    assert!(err.to_string().contains("upgrade finsam"));
    assert_eq!(file_bytes(&path), before, "the file is byte for byte as it was");
    assert!(!dir.path().join("future.duckdb.wal").exists());
}

#[test]
fn refuses_a_foreign_duckdb_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.duckdb");
    {
        let conn = duckdb::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE sales (amount INTEGER); INSERT INTO sales VALUES (1)").unwrap();
    }
    let before = file_bytes(&path);
    let err = finsam::open(&path).err().expect("refused").to_string();
    assert!(err.contains("not a finsam one") && err.contains("sales"), "{err}");
    assert_eq!(file_bytes(&path), before);
}

#[test]
fn refuses_a_path_where_nothing_can_be_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-dir").join("f.duckdb");
    let err = finsam::create(&path).err().expect("refused");
    assert!(matches!(err, FinsamError::CannotCreate { .. }), "{err}");
    assert!(err.to_string().contains("does not exist"));
    assert!(!dir.path().join("missing-dir").exists());
    let err = finsam::open(dir.path()).err().expect("a directory is refused").to_string();
    assert!(err.contains("is a directory"), "{err}");
    let err = finsam::open_read_only(dir.path().join("nothing.duckdb")).err().expect("read-only does not create");
    assert!(matches!(err, FinsamError::Io { .. }));
    assert!(!dir.path().join("nothing.duckdb").exists());
}

#[test]
fn a_failed_transaction_leaves_nothing() {
    let m = model_with_one_intervention();
    let result = m.transaction(|conn| {
        conn.execute_batch("INSERT INTO period VALUES ('2020-2021', '2020–2021', DATE '2020-01-01', DATE '2021-12-31')")
            .map_err(FinsamError::db("first"))?;
        conn.execute_batch("INSERT INTO period VALUES ('bad', 'bad', DATE '2022-01-01', DATE '2021-01-01')").map_err(FinsamError::db("second"))?;
        Ok(())
    });
    assert!(result.is_err());
    assert_eq!(m.count_rows("period").unwrap(), 0);
}

#[test]
fn a_version_1_database_is_migrated_on_open_and_refused_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.duckdb");
    {
        let conn = duckdb::Connection::open(&path).unwrap();
        conn.execute_batch(SCHEMA_SQL).unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL,
                                          applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp);
             INSERT INTO schema_version (version, description) VALUES (1, 'the initial model (schema.sql)');
             INSERT INTO federation VALUES ('f1', 'Förbundet', NULL, false);",
        )
        .unwrap();
    }
    let err = finsam::open_read_only(&path).err().expect("read-only cannot migrate").to_string();
    assert!(err.contains("needs migrating"), "{err}");
    let m = finsam::open(&path).unwrap();
    assert_eq!(m.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(m.count_rows("federation").unwrap(), 1, "the data survives the migration");
    assert_eq!(m.count_rows("allocation_input").unwrap(), 0);
}

/// A version 2 database with people: migration 3 gives every person an integer key, keeps every enrolment
/// with the same person and every follow-up, and the result equals what a fresh database accepts.
#[test]
fn a_version_2_database_with_people_gets_participant_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.duckdb");
    {
        let conn = duckdb::Connection::open(&path).unwrap();
        conn.execute_batch(SCHEMA_SQL).unwrap();
        conn.execute_batch(MIGRATION_SQL[0]).unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR NOT NULL,
                                          applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp);
             INSERT INTO schema_version (version, description) VALUES (1, 'the initial model (schema.sql)'), (2, 'inputs');
             INSERT INTO federation VALUES ('f1', 'Förbundet', NULL, false);
             INSERT INTO intervention (intervention_id, federation_id, name, kind, target_group, start_date)
                 VALUES ('i1', 'f1', 'Insats', 'individual', 'young', DATE '2020-01-01');
             INSERT INTO participant VALUES ('zz', 'f1', 'female', 1990, NULL), ('aa', 'f1', 'male', 1985, 'primary');
             INSERT INTO enrolment (enrolment_id, participant_id, intervention_id, start_date, exit_date, support_before,
                                    occupation_before, support_after, occupation_after, exit_reason)
                 VALUES (10, 'zz', 'i1', DATE '2021-01-01', DATE '2021-06-01', 'social_assistance', 'other', 'wage', 'work', 'work'),
                        (11, 'aa', 'i1', DATE '2021-02-01', NULL, 'wage', 'work', NULL, NULL, NULL),
                        (12, 'zz', 'i1', DATE '2022-01-01', NULL, 'wage', 'work', NULL, NULL, NULL);
             INSERT INTO observation VALUES (10, DATE '2021-12-01', 'wage', 'work', 100, 'call');",
        )
        .unwrap();
    }
    let m = finsam::open(&path).unwrap();
    assert_eq!(m.schema_version().unwrap(), SCHEMA_VERSION);
    let rows = m
        .query(
            "SELECT e.enrolment_id, p.participant_key, p.participant_id, p.sex FROM enrolment e JOIN participant p USING (participant_key) ORDER BY 1",
            &[],
        )
        .unwrap()
        .rows_as_text()
        .unwrap();
    let expected: Vec<Vec<String>> = [["10", "2", "zz", "female"], ["11", "1", "aa", "male"], ["12", "2", "zz", "female"]]
        .iter()
        .map(|r| r.iter().map(|v| v.to_string()).collect())
        .collect();
    assert_eq!(rows, expected, "keys follow the pseudonyms' order; every enrolment keeps its person");
    assert_eq!(m.count_rows("observation").unwrap(), 1);
    // Version 4: every person and enrolment carries the record key a fresh import would give it.
    use finsam::model::record_key;
    let same = |sql: &str| common::scalar_i64(&m, sql);
    assert_eq!(same(&format!("SELECT count(*) FROM participant WHERE record_key = {}", record_key::participant_sql("participant_id"))), 2);
    assert_eq!(
        same(&format!(
            "SELECT count(*) FROM enrolment e JOIN participant p USING (participant_key) WHERE e.record_key = {}",
            record_key::enrolment_sql("p.participant_id", "e.intervention_id", "e.start_date")
        )),
        3
    );
    assert_eq!(same("SELECT count(DISTINCT record_key) FROM enrolment"), 3, "keys differ between enrolments");
    rejected(
        &m,
        "INSERT INTO participant (participant_key, participant_id, federation_id, sex, birth_year) VALUES (7, 'bb', 'f1', 'male', 1985)",
        "record_key",
    );
    // The rebuilt tables keep their constraints.
    rejected(&m, "INSERT INTO participant VALUES (3, 'aa', 'f1', 'male', 1985, NULL, 1)", "participant_id");
    rejected(
        &m,
        "INSERT INTO enrolment (record_key, enrolment_id, participant_key, intervention_id, start_date, support_before, occupation_before)
                  VALUES (1, 13, 9, 'i1', DATE '2021-01-01', 'wage', 'work')",
        "participant_key",
    );
    rejected(&m, "INSERT INTO observation VALUES (99, DATE '2021-12-01', 'wage', 'work', 100, NULL)", "enrolment_id");
}

#[test]
fn an_enrolment_is_unique_by_person_intervention_and_start() {
    let m = finsam::demo::model().unwrap();
    let err = m
        .execute_batch(
            "INSERT INTO enrolment SELECT (SELECT max(enrolment_id) + 1 FROM enrolment), participant_key, intervention_id, start_date,
                    exit_date, support_before, occupation_before, extent_before_pct, support_after, occupation_after, extent_after_pct,
                    subsidised_work_after, exit_reason, consent, record_key
             FROM enrolment LIMIT 1",
        )
        .unwrap_err()
        .to_string();
    assert!(err.to_lowercase().contains("duplicate key") || err.to_lowercase().contains("constraint"), "{err}");
}

/// A database open read-only keeps its look-ups (`Model::memo`): its outputs equal those of the same file
/// open for writing, asked once or many times, on one connection or two; one open for writing keeps nothing.
#[test]
fn a_read_only_model_keeps_its_look_ups_and_answers_the_same() {
    use finsam::analysis::Cohort;
    use finsam::codes::Lang;
    use finsam::disclosure::Protection;
    use finsam::present::outputs::{compare_output, costs_output, report_output};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.duckdb");
    let texts = |m: &Model| -> Vec<String> {
        let umea = Cohort { federations: vec!["umea".into()], ..Cohort::default() };
        let period = |p: &str| Cohort { period: Some(p.into()), ..umea.clone() };
        let outputs = [
            report_output(m, &umea, Lang::Sv, Protection::Perturbation).unwrap(),
            compare_output(m, &period("2020-2021"), &period("2022-2023"), Lang::En, Protection::Perturbation).unwrap(),
            costs_output(m, &umea, Lang::Sv, Protection::Suppression).unwrap(),
        ];
        outputs.iter().flat_map(|o| std::iter::once(o.heading.clone()).chain(o.sections.iter().map(|s| s.shown.to_csv().unwrap()))).collect()
    };
    let written = {
        let m = finsam::create(&path).unwrap();
        finsam::demo::load(&m).unwrap();
        let first = texts(&m);
        // Writes are seen at once: nothing is kept on a database open for writing.
        m.execute_batch("UPDATE dataset_info SET value = '2023-06-30' WHERE key = 'data_end_date'").unwrap();
        assert_eq!(finsam::analysis::cohort::data_end(&m).unwrap().to_string(), "2023-06-30");
        m.execute_batch("UPDATE dataset_info SET value = '2024-12-31' WHERE key = 'data_end_date'").unwrap();
        assert_eq!(texts(&m), first);
        first
    };
    let read_only = finsam::open_read_only(&path).unwrap();
    assert_eq!(texts(&read_only), written);
    assert_eq!(texts(&read_only), written, "asked again, from what it kept");
}

/// A database open for writing keeps its look-ups too, and forgets them whenever it may have changed: after
/// `execute_batch`, a transaction, or a query that writes (a notebook's `m.sql("UPDATE ...")`).
#[test]
fn a_writable_model_forgets_its_look_ups_when_it_writes() {
    use finsam::analysis::cohort::data_end;
    let m = finsam::demo::model().unwrap();
    let end = |m: &Model| data_end(m).unwrap().to_string();
    assert_eq!(end(&m), "2024-12-31");
    m.execute_batch("UPDATE dataset_info SET value = '2024-06-30' WHERE key = 'data_end_date'").unwrap();
    assert_eq!(end(&m), "2024-06-30", "after execute_batch");
    m.query("UPDATE dataset_info SET value = '2023-06-30' WHERE key = 'data_end_date'", &[]).unwrap();
    assert_eq!(end(&m), "2023-06-30", "after a query that writes");
    // A statement that starts with WITH and writes (where DuckDB takes it) is no read either.
    let ran = m.query("WITH x AS (SELECT 1) UPDATE dataset_info SET value = '2022-06-30' WHERE key = 'data_end_date'", &[]).is_ok();
    assert_eq!(end(&m), if ran { "2022-06-30" } else { "2023-06-30" });
    let _ = m.transaction(|conn| {
        conn.execute_batch("UPDATE dataset_info SET value = '2021-06-30' WHERE key = 'data_end_date'").unwrap();
        // Seen inside the transaction, then rolled back: not kept.
        assert_eq!(end(&m), "2021-06-30");
        Err::<(), _>(finsam::FinsamError::invalid("roll back"))
    });
    assert_ne!(end(&m), "2021-06-30", "a rolled-back look-up is not kept");
    let count = |m: &Model| m.count_rows("period").unwrap();
    let before = count(&m);
    m.query("INSERT INTO period VALUES ('x', 'x', DATE '2020-01-01', DATE '2020-12-31')", &[]).unwrap();
    assert_eq!(count(&m), before + 1);
}

/// A cohort's rows and anonymous counts are kept for the session (a notebook asks several questions of one
/// cohort) and forgotten when the data may change: a report after a write counts the write.
#[test]
fn a_cohorts_kept_rows_are_forgotten_when_the_data_changes() {
    use finsam::analysis::{standard_report, Cohort};
    let m = finsam::demo::model().unwrap();
    let comung = Cohort { interventions: vec!["comung".into()], ..Cohort::default() };
    let before = standard_report(&m, &comung).unwrap();
    assert_eq!(standard_report(&m, &comung).unwrap().exited, before.exited, "asked again, the same");
    // A notebook's INSERT through the model: one more enrolment of someone already there, still open.
    m.query(
        "INSERT INTO enrolment (enrolment_id, participant_key, intervention_id, start_date, support_before, occupation_before, record_key)
         SELECT (SELECT max(enrolment_id) + 1 FROM enrolment), participant_key, intervention_id, DATE '2024-06-01', support_before,
                occupation_before, 12345
         FROM enrolment WHERE intervention_id = 'comung' AND consent ORDER BY enrolment_id LIMIT 1",
        &[],
    )
    .unwrap();
    let after = standard_report(&m, &comung).unwrap();
    assert_eq!(after.enrolments.n, before.enrolments.n + 1, "the new enrolment is counted");
    assert_eq!(after.exited.n, before.exited.n);
}

/// A database open read-only cannot change, but a temporary table it creates can stand in for one of its
/// tables: what the model kept is forgotten then too.
#[test]
fn a_read_only_model_forgets_what_it_kept_when_a_temporary_table_stands_in() {
    use finsam::analysis::{standard_report, Cohort};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.duckdb");
    finsam::demo::load(&finsam::create(&path).unwrap()).unwrap();
    let m = finsam::open_read_only(&path).unwrap();
    let umea = Cohort { federations: vec!["umea".into()], ..Cohort::default() };
    let before = standard_report(&m, &umea).unwrap().enrolments.n;
    m.query("CREATE TEMP TABLE enrolment AS SELECT * FROM main.enrolment WHERE intervention_id <> 'krami'", &[]).unwrap();
    let after = standard_report(&m, &umea).unwrap().enrolments.n;
    assert!(after < before, "{after} of {before}: the temporary table is read");
}
