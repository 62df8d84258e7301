//! Importing a federation's CSV files: a corpus of bad files each refused with its message and nothing
//! imported, re-imports that update instead of duplicating, no personnummer in the database file, erasure.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use finsam::import::{forget, import, pseudonym_of, ImportKind, RowError};
use finsam::{FinsamError, Model};

const KEY: &[u8] = b"a federation key, kept elsewhere";
const PARTICIPANTS: &str = "personnummer;förbund;utbildning\n19121212-1212;lund;gymnasieskola\n201212121212;lund;\n";
const ENROLMENTS: &str =
    "personnummer;insats;startdatum;slutdatum;försörjning_före;sysselsättning_före;försörjning_efter;sysselsättning_efter;avslutsorsak\n\
19121212-1212;comung;2023-02-01;2023-09-30;Försörjningsstöd;Aktivt arbetssökande;Lön;Förvärvsarbete;work\n\
20121212-1212;comung;01.03.2023;;social_assistance;job_seeking;;;\n";

fn demo_file(dir: &Path) -> (PathBuf, Model) {
    let path = dir.join("demo.duckdb");
    let model = finsam::create(&path).unwrap();
    finsam::demo::load(&model).unwrap();
    (path, model)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn counts(m: &Model) -> (i64, i64) {
    (m.count_rows("participant").unwrap(), m.count_rows("enrolment").unwrap())
}

#[test]
fn participants_then_enrolments_and_a_reimport_updates() {
    let dir = tempfile::tempdir().unwrap();
    let (_, m) = demo_file(dir.path());
    let before = counts(&m);
    let p = write(dir.path(), "deltagare.csv", PARTICIPANTS.as_bytes());
    let s = import(&m, ImportKind::Participants, &[&p], Some(KEY)).unwrap();
    assert_eq!((s.inserted, s.updated, s.unchanged), (2, 0, 0));
    let e = write(dir.path(), "inskrivningar.csv", ENROLMENTS.as_bytes());
    let s = import(&m, ImportKind::Enrolments, &[&e], Some(KEY)).unwrap();
    assert_eq!((s.inserted, s.updated, s.unchanged), (2, 0, 0));
    assert_eq!(counts(&m), (before.0 + 2, before.1 + 2));
    // Derived from the personnummer: 1912, a man.
    let id = pseudonym_of("19121212-1212", KEY).unwrap();
    let row = m.query("SELECT sex, birth_year, education FROM participant WHERE participant_id = ?", &[&id]).unwrap().rows_as_text().unwrap();
    assert_eq!(row, vec![vec!["male".to_string(), "1912".into(), "upper_secondary".into()]]);
    // The same files again: nothing new; a changed exit date: one update.
    let s = import(&m, ImportKind::Enrolments, &[&e], Some(KEY)).unwrap();
    assert_eq!((s.inserted, s.updated, s.unchanged), (0, 0, 2));
    let changed = write(
        dir.path(),
        "ändrad.csv",
        ENROLMENTS
            .replace(";01.03.2023;;social_assistance;job_seeking;;;", ";01.03.2023;2023-12-01;social_assistance;job_seeking;wage;work;work")
            .as_bytes(),
    );
    let s = import(&m, ImportKind::Enrolments, &[&changed], Some(KEY)).unwrap();
    assert_eq!((s.inserted, s.updated, s.unchanged), (0, 1, 1));
    assert_eq!(counts(&m), (before.0 + 2, before.1 + 2));
    let second = pseudonym_of("201212121212", KEY).unwrap();
    let updated = m
        .query("SELECT exit_date::VARCHAR, support_after, occupation_after, exit_reason FROM enrolment JOIN participant USING (participant_key) WHERE participant_id = ?", &[&second])
        .unwrap()
        .rows_as_text()
        .unwrap();
    assert_eq!(updated, vec![vec!["2023-12-01".to_string(), "wage".into(), "work".into(), "work".into()]]);
    // New people got the next keys, in the file's order.
    let keys = m.query("SELECT participant_id FROM participant ORDER BY participant_key DESC LIMIT 2", &[]).unwrap().rows_as_text().unwrap();
    assert_eq!(keys, vec![vec![second.clone()], vec![id.clone()]]);
    // A participant re-imported with another education: one update, one unchanged.
    let p2 =
        write(dir.path(), "deltagare2.csv", PARTICIPANTS.replace("19121212-1212;lund;gymnasieskola", "19121212-1212;lund;post_secondary").as_bytes());
    let s = import(&m, ImportKind::Participants, &[&p2], Some(KEY)).unwrap();
    assert_eq!((s.inserted, s.updated, s.unchanged), (0, 1, 1));
    let education = m.query("SELECT education FROM participant WHERE participant_id = ?", &[&id]).unwrap().rows_as_text().unwrap();
    assert_eq!(education, vec![vec!["post_secondary".to_string()]]);
}

#[test]
fn windows_1252_comma_separated_english_headers_and_excel_dates() {
    let dir = tempfile::tempdir().unwrap();
    let (_, m) = demo_file(dir.path());
    let p = write(dir.path(), "p.csv", "personal_identity_number,federation\n19121212-1212,umea\n".as_bytes());
    import(&m, ImportKind::Participants, &[&p], Some(KEY)).unwrap();
    // UTF-16 with its byte-order mark, as some exports write it, is read too.
    let utf16: Vec<u8> = "\u{feff}personnummer;förbund\n201212121212;umea\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    assert_eq!(import(&m, ImportKind::Participants, &[&write(dir.path(), "u16.csv", &utf16)], Some(KEY)).unwrap().inserted, 1);
    // "Försörjningsstöd" in Windows-1252 (ö = 0xF6), with a BOM-less header and an Excel date serial.
    let mut bytes = b"personnummer;insats;startdatum;f\xf6rs\xf6rjning_f\xf6re;syssels\xe4ttning_f\xf6re\n".to_vec();
    bytes.extend_from_slice(b"19121212-1212;krami;44986;F\xf6rs\xf6rjningsst\xf6d;Aktivt arbetss\xf6kande\n");
    let e = write(dir.path(), "e.csv", &bytes);
    import(&m, ImportKind::Enrolments, &[&e], Some(KEY)).unwrap();
    let id = pseudonym_of("191212121212", KEY).unwrap();
    let row = m
        .query("SELECT start_date::VARCHAR, support_before FROM enrolment JOIN participant USING (participant_key) WHERE participant_id = ?", &[&id])
        .unwrap()
        .rows_as_text()
        .unwrap();
    assert_eq!(row, vec![vec!["2023-03-01".to_string(), "social_assistance".into()]]);
}

/// A bad file: its bytes, and the column and words its message must name.
struct Bad {
    name: &'static str,
    kind: ImportKind,
    bytes: Vec<u8>,
    column: &'static str,
    expected: &'static str,
}

fn bad(name: &'static str, kind: ImportKind, text: &str, column: &'static str, expected: &'static str) -> Bad {
    Bad { name, kind, bytes: text.as_bytes().to_vec(), column, expected }
}

#[test]
fn a_corpus_of_bad_files_is_refused_whole_with_clear_messages() {
    use ImportKind::*;
    let dir = tempfile::tempdir().unwrap();
    let (path, m) = demo_file(dir.path());
    import(&m, Participants, &[&write(dir.path(), "ok.csv", PARTICIPANTS.as_bytes())], Some(KEY)).unwrap();
    let head = "personnummer;insats;startdatum;slutdatum;försörjning_före;sysselsättning_före;försörjning_efter;sysselsättning_efter;avslutsorsak;subventionerat_arbete_efter;omfattning_före\n";
    let good = "19121212-1212;comung;2023-02-01;;social_assistance;job_seeking;;;;;\n";
    let corpus = vec![
        bad("invalid control digit", Participants, "personnummer;förbund\n19121212-1213;lund\n", "personnummer", "control digit"),
        bad("impossible birth date", Participants, "personnummer;förbund\n19121312-1212;lund\n", "personnummer", "date of birth"),
        bad("too few digits", Participants, "personnummer;förbund\n121212-12\n", "personnummer", "10 or 12 digits"),
        bad("unknown federation", Participants, "personnummer;förbund\n19121212-1212;atlantis\n", "förbund", "a federation of the database"),
        bad("missing required column", Participants, "personnummer;utbildning\n19121212-1212;grundskola\n", "förbund", "a column 'förbund'"),
        bad("unknown column", Participants, "personnummer;förbund;skostorlek\n19121212-1212;lund;44\n", "skostorlek", "a known column"),
        bad("duplicate person", Participants, "personnummer;förbund\n19121212-1212;lund\n121212+1212;lund\n", "personnummer", "each person once"),
        bad(
            "unknown code",
            Participants,
            "personnummer;förbund;utbildning\n19121212-1212;lund;doktorsexamen\n",
            "utbildning",
            "one of primary_incomplete",
        ),
        bad("pseudonym without sex or birth year", Participants, &format!("pseudonym;förbund\n{};lund\n", "ab".repeat(32)), "kön", "the sex"),
        bad(
            "personnummer in the pseudonym column",
            Participants,
            "pseudonym;förbund;kön;födelseår\n19121212-1212;lund;kvinna;1912\n",
            "pseudonym",
            "64 characters",
        ),
        bad("pseudonym of another shape", Participants, "pseudonym;förbund;kön;födelseår\nabc;lund;kvinna;1990\n", "pseudonym", "64 characters"),
        bad(
            "exit before start",
            Enrolments,
            &format!("{head}19121212-1212;comung;2023-02-01;2023-01-31;social_assistance;job_seeking;wage;work;work;;\n"),
            "slutdatum",
            "on or after the start date",
        ),
        bad(
            "unknown intervention",
            Enrolments,
            &format!("{head}19121212-1212;comun;2023-02-01;;social_assistance;job_seeking;;;;;\n"),
            "insats",
            "an intervention of the database",
        ),
        bad(
            "unknown person",
            Enrolments,
            &format!("{head}19850101-0008;comung;2023-02-01;;social_assistance;job_seeking;;;;;\n").replace("19850101-0008", "19121212-1220"),
            "personnummer",
            "",
        ),
        bad(
            "date that does not parse",
            Enrolments,
            &format!("{head}19121212-1212;comung;förra våren;;social_assistance;job_seeking;;;;;\n"),
            "startdatum",
            "a date",
        ),
        bad(
            "unknown support code",
            Enrolments,
            &format!("{head}19121212-1212;comung;2023-02-01;;lotto;job_seeking;;;;;\n"),
            "försörjning_före",
            "one of wage",
        ),
        bad(
            "outcome without exit",
            Enrolments,
            &format!("{head}19121212-1212;comung;2023-02-01;;social_assistance;job_seeking;wage;work;;;\n"),
            "försörjning_efter",
            "no outcome before an exit date",
        ),
        bad(
            "subsidised without work",
            Enrolments,
            &format!("{head}19121212-1212;comung;2023-02-01;2023-05-01;social_assistance;job_seeking;study_allowance;studies;studies;ja;\n"),
            "subventionerat_arbete_efter",
            "only with",
        ),
        bad(
            "share of full time over 100",
            Enrolments,
            &format!("{head}19121212-1212;comung;2023-02-01;;social_assistance;job_seeking;;;;;120\n"),
            "omfattning_före",
            "from 0 to 100",
        ),
        bad("duplicate enrolment", Enrolments, &format!("{head}{good}{good}"), "startdatum", "one row per person"),
        bad(
            "empty required value",
            Enrolments,
            &format!("{head}19121212-1212;comung;;;social_assistance;job_seeking;;;;;\n"),
            "startdatum",
            "must not be empty",
        ),
        bad("header only", Enrolments, head, "", "at least one row"),
    ];
    let mut corpus = corpus;
    corpus.extend([
        bad(
            "born in 1812 with a valid control digit",
            Participants,
            "personnummer;förbund\n181212121212;lund\n",
            "personnummer",
            "born in 1900 or later",
        ),
        bad(
            "value under an empty header cell",
            Participants,
            "personnummer;;förbund\n19121212-1212;x;lund\n",
            "(column 2)",
            "no value under an empty header cell",
        ),
        bad("a column named twice", Participants, "personnummer;förbund;förbund\n19121212-1212;lund;umea\n", "förbund", "each column once"),
        bad("cells beyond the header", Participants, "personnummer;förbund\n19121212-1212;lund;extra\n", "(column 3)", "beyond the header"),
        // No header row: the first person's number would be echoed as a column name.
        bad("no header row", Participants, "19121212-1212;lund\n201212121212;lund\n", "######", "a known column"),
        // Swapped columns: the number lands in the federation column.
        bad("swapped columns", Participants, "förbund;personnummer\n19121212-1212;lund\n", "förbund", "a federation of the database"),
        // An unbalanced quote swallows the next lines, other people's numbers with them.
        bad(
            "unbalanced quote",
            Participants,
            "personnummer;förbund\n19121212-1212;\"lund\n201212121212;lund\n",
            "förbund",
            "a federation of the database",
        ),
    ]);
    let pseudo = "ab".repeat(32);
    corpus.extend([
        bad(
            "a date that does not exist",
            Enrolments,
            &format!("{head}19121212-1212;comung;2023-02-31;;social_assistance;job_seeking;;;;;\n"),
            "startdatum",
            "a date",
        ),
        bad(
            "unknown occupation code",
            Enrolments,
            &format!("{head}19121212-1212;comung;2023-02-01;;social_assistance;astronaut;;;;;\n"),
            "sysselsättning_före",
            "one of work",
        ),
        bad(
            "negative share of full time",
            Enrolments,
            &format!("{head}19121212-1212;comung;2023-02-01;;social_assistance;job_seeking;;;;;-5\n"),
            "omfattning_före",
            "from 0 to 100",
        ),
        bad(
            "exit reason without an exit",
            Enrolments,
            &format!("{head}19121212-1212;comung;2023-02-01;;social_assistance;job_seeking;;;work;;\n"),
            "avslutsorsak",
            "",
        ),
        bad("letters in a personnummer", Participants, "personnummer;förbund\n19121212-12A2;lund\n", "personnummer", ""),
        bad(
            "pseudonym in capitals",
            Participants,
            &format!("pseudonym;förbund;kön;födelseår\n{};lund;kvinna;1990\n", pseudo.to_uppercase()),
            "pseudonym",
            "64",
        ),
        bad("unknown sex", Participants, &format!("pseudonym;förbund;kön;födelseår\n{pseudo};lund;x;1990\n"), "kön", ""),
        bad("birth year out of range", Participants, &format!("pseudonym;förbund;kön;födelseår\n{pseudo};lund;kvinna;1850\n"), "födelseår", ""),
        bad(
            "birth year that is no number",
            Participants,
            &format!("pseudonym;förbund;kön;födelseår\n{pseudo};lund;kvinna;nittio\n"),
            "födelseår",
            "",
        ),
        bad("only a header", Participants, "personnummer;förbund\n", "", "at least one row"),
        bad("a samordningsnummer with a wrong control digit", Participants, "personnummer;förbund\n19121272-1213;lund\n", "personnummer", ""),
    ]);
    // Free text never stores a personnummer, in any form the personnummer column reads; nor does an error
    // echo one.
    let fullwidth: String =
        "19850505-1238".chars().map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - '0' as u32 + 0xff10).unwrap() } else { c }).collect();
    let intervention_head = "insats_id;förbund;namn;typ;målgrupp;startdatum;beskrivning\n";
    for (name, written) in [
        ("a personnummer with a space in free text", "Kontakt 19850505 1238".to_string()),
        ("a personnummer with a full stop in free text", "Kontakt 19850505.1238".to_string()),
        ("a personnummer with a slash in free text", "Kontakt 19850505/1238".to_string()),
        ("a personnummer in full-width digits in free text", format!("Kontakt {fullwidth}")),
        ("a personnummer with a Unicode minus in free text", "Kontakt 19850505\u{2212}1238".to_string()),
        ("a personnummer with an en dash in free text", "Kontakt 850505\u{2013}1238".to_string()),
        ("a personnummer with a spaced dash in free text", "Kontakt 19850505 - 1238".to_string()),
        ("a personnummer with its date in parts in free text", "Kontakt 1985-05-05-1238".to_string()),
        ("a personnummer with a zero-width space in free text", "Kontakt 19850505\u{200b}1238".to_string()),
        ("a personnummer with a left-to-right mark in free text", "Kontakt 19121212\u{200e}-1212".to_string()),
        ("a personnummer grouped in twos in free text", "Kontakt 1912 12 12 12 12".to_string()),
        ("a personnummer with an underscore in free text", "Kontakt 19121212_1212".to_string()),
        (
            "a personnummer in Bengali digits in free text",
            "Kontakt \u{09e7}\u{09ef}\u{09e7}\u{09e8}\u{09e7}\u{09e8}\u{09e7}\u{09e8}-\u{09e7}\u{09e8}\u{09e7}\u{09e8}".to_string(),
        ),
        (
            "a personnummer in Arabic-Indic digits in free text",
            "Kontakt \u{0661}\u{0669}\u{0668}\u{0665}\u{0660}\u{0665}\u{0660}\u{0665}-\u{0661}\u{0662}\u{0663}\u{0668}".to_string(),
        ),
    ] {
        corpus.push(Bad {
            name,
            kind: Interventions,
            bytes: format!("{intervention_head}x;lund;X;individual;young;2024-01-01;{written}\n").into_bytes(),
            column: "beskrivning",
            expected: "without a personnummer",
        });
    }
    corpus.push(bad(
        "a personnummer in a context source",
        MunicipalityContext,
        "kommun;år;befolkning;källa\nLund;2024;128000;uppgift från 19850505 1238\n",
        "källa",
        "without a personnummer",
    ));
    // Money read exactly as written, or refused: never rounded or truncated.
    let budget_head = "förbund;insats;år;finansiär;kategori;budget_kr\n";
    for (name, amount, expected) in [
        ("an amount that is a thousand in English and a decimal in Swedish", "1,999", "thousand in English"),
        ("an amount with a lone full stop before three digits", "2.500", "thousand in English"),
        ("an amount with more than two decimals", "0.001", "at most two decimals"),
        ("an amount with three decimals after grouped thousands", "1 234,567", "at most two decimals"),
        ("an amount whose thousands are not in threes", "1 23", "threes"),
        ("an amount with two decimal marks", "1,234,5.6", "a number"),
    ] {
        corpus.push(Bad {
            name,
            kind: BudgetLines,
            bytes: format!("{budget_head}lund;comung;2024;federation;individual;{amount}\n").into_bytes(),
            column: "budget_kr",
            expected,
        });
    }
    corpus.push(bad(
        "a percentage with three decimals",
        MunicipalityContext,
        "kommun;år;befolkning;arbetslöshet\nLund;2024;128000;6,1255\n",
        "arbetslöshet",
        "at most two decimals",
    ));
    // Rows that contradict the database or themselves.
    corpus.push(bad(
        "a budget line for another federation's intervention",
        BudgetLines,
        &format!("{budget_head}lund;ungdomstorget;2024;federation;individual;100\n"),
        "insats",
        "an intervention of the federation lund",
    ));
    let (enrolment, before_start) = {
        let row = m
            .query("SELECT enrolment_id::VARCHAR, (start_date - 1)::VARCHAR FROM enrolment ORDER BY enrolment_id LIMIT 1", &[])
            .unwrap()
            .rows_as_text()
            .unwrap();
        (row[0][0].clone(), row[0][1].clone())
    };
    corpus.push(bad(
        "an observation dated before its enrolment",
        Observations,
        &format!("inskrivning;datum;försörjning;sysselsättning\n{enrolment};{before_start};wage;work\n"),
        "datum",
        "on or after the enrolment's start",
    ));
    corpus.push(bad(
        "a birth year the personnummer contradicts",
        Participants,
        "personnummer;förbund;födelseår\n19121212-1212;lund;1950\n",
        "födelseår",
        "the birth year the personnummer gives",
    ));
    corpus.push(bad(
        "a personnummer with another person's pseudonym beside it",
        Participants,
        &format!("personnummer;pseudonym;förbund\n19121212-1212;{pseudo};lund\n"),
        "pseudonym",
        "the pseudonym the personnummer gives",
    ));
    corpus.push(bad("a personnummer born in the future", Participants, "personnummer;förbund\n20991212-1234;lund\n", "personnummer", "already born"));
    for (name, start) in [("a start in the year 0", "0000-03-01"), ("a start in 1800", "1800-03-01")] {
        corpus.push(Bad {
            name,
            kind: Enrolments,
            bytes: format!("{head}19121212-1212;comung;{start};;social_assistance;job_seeking;;;;;\n").into_bytes(),
            column: "startdatum",
            expected: "1900 to 2100",
        });
    }
    corpus.push(bad(
        "a start before the person was born",
        Enrolments,
        &format!("{head}19121212-1212;comung;1911-05-01;;social_assistance;job_seeking;;;;;\n"),
        "startdatum",
        "after the person's birth",
    ));
    corpus.push(bad(
        "an exit date in the year 0",
        Enrolments,
        &format!("{head}19121212-1212;comung;2023-02-01;0000-01-01;social_assistance;job_seeking;;;;;\n"),
        "slutdatum",
        "1900 to 2100",
    ));
    // UTF-16 without a byte-order mark (with one, it is read correctly): no column is recognised.
    let utf16: Vec<u8> = "personnummer;förbund\n19121212-1212;lund\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    corpus.push(Bad { name: "wrong encoding (UTF-16 without BOM)", kind: Participants, bytes: utf16, column: "", expected: "a known column" });
    // One Windows-1252 byte in a UTF-8 file: refused whole, naming the line (checked below, not in the corpus:
    // it is not a row error).
    let mixed = write(dir.path(), "mixed.csv", b"personnummer;f\xc3\xb6rbund\n19121212-1212;lund\n201212121212;G\xf6teborg\n");
    let err = import(&m, Participants, &[&mixed], Some(KEY)).unwrap_err().to_string();
    assert!(err.contains("mixed.csv: line 3") && err.contains("mixes UTF-8"), "{err}");
    assert!(corpus.len() >= 60, "{} files in the corpus", corpus.len());
    let before = std::fs::read(&path).ok().map(|b| b.len());
    let rows_before = counts(&m);
    let table_counts = |m: &Model| ["intervention", "budget_line", "observation", "municipality_context"].map(|t| m.count_rows(t).unwrap());
    let tables_before = table_counts(&m);
    for case in &corpus {
        let file = write(dir.path(), "bad.csv", &case.bytes);
        let err = import(&m, case.kind, &[&file], Some(KEY)).expect_err(case.name);
        let FinsamError::Validation { errors, total } = &err else { panic!("{}: expected a validation error, got {err}", case.name) };
        assert!(*total >= 1, "{}", case.name);
        let hit = errors
            .iter()
            .any(|e: &RowError| e.column.contains(case.column) && e.expected.contains(case.expected) && e.file.ends_with("bad.csv") && e.row >= 1);
        assert!(hit, "{}: {errors:#?}", case.name);
        for e in errors {
            let shown = e.to_string();
            assert!(
                !shown.contains("1212-1212") && !shown.contains("19121212") && !shown.contains("1212121212") && !shown.contains("1238"),
                "{}: a personnummer is never echoed: {shown}",
                case.name
            );
            assert!(!shown.contains(&fullwidth.chars().skip(9).collect::<String>()), "{}: nor in full-width digits: {shown}", case.name);
            assert!(!shown.contains("\u{0661}\u{0662}\u{0663}\u{0668}"), "{}: nor in Arabic-Indic digits: {shown}", case.name);
            assert!(!shown.contains('\n') && e.value.chars().count() <= 61, "{}: one short line: {shown}", case.name);
        }
        assert_eq!(counts(&m), rows_before, "{}: nothing imported", case.name);
        assert_eq!(tables_before, table_counts(&m), "{}: nothing imported", case.name);
    }
    let _ = before;
    // The same person in two files of one import; the same enrolment in two files: both files named.
    let first = write(dir.path(), "del1.csv", b"personnummer;f\xc3\xb6rbund\n19121212-1212;lund\n");
    let second = write(dir.path(), "del2.csv", b"personnummer;f\xc3\xb6rbund\n191212121212;lund\n");
    let err = import(&m, Participants, &[&first, &second], Some(KEY)).unwrap_err();
    let FinsamError::Validation { errors, .. } = &err else { panic!("{err}") };
    assert!(errors.iter().any(|e| e.file.ends_with("del2.csv") && e.expected.contains("del1.csv, line 2")), "{errors:?}");
    let e1 = write(dir.path(), "ins1.csv", format!("{head}{good}").as_bytes());
    let e2 = write(dir.path(), "ins2.csv", format!("{head}{good}").as_bytes());
    let err = import(&m, Enrolments, &[&e1, &e2], Some(KEY)).unwrap_err();
    let FinsamError::Validation { errors, .. } = &err else { panic!("{err}") };
    assert!(errors.iter().any(|e| e.file.ends_with("ins2.csv") && e.expected.contains("ins1.csv, line 2")), "{errors:?}");
    // A person of Lund enrolled in an intervention of Umeå.
    let other =
        write(dir.path(), "umea.csv", format!("{head}19121212-1212;ungdomstorget;2023-02-01;;social_assistance;job_seeking;;;;;\n").as_bytes());
    let err = import(&m, Enrolments, &[&other], Some(KEY)).unwrap_err();
    let FinsamError::Validation { errors, .. } = &err else { panic!("{err}") };
    assert!(errors.iter().any(|e| e.column == "insats" && e.expected.contains("the person's federation (lund)")), "{errors:?}");
    assert_eq!(counts(&m), rows_before);
    // Files that cannot be read at all.
    let empty = write(dir.path(), "empty.csv", b"");
    assert!(import(&m, ImportKind::Participants, &[&empty], Some(KEY)).unwrap_err().to_string().contains("the file is empty"));
    let missing = dir.path().join("missing.csv");
    assert!(import(&m, ImportKind::Participants, &[&missing], Some(KEY)).unwrap_err().to_string().contains("missing.csv"));
    // A personnummer without a key: a clear message, nothing imported.
    let p = write(dir.path(), "p.csv", PARTICIPANTS.as_bytes());
    assert!(import(&m, ImportKind::Participants, &[&p], None).unwrap_err().to_string().contains("FINSAM_KEY"));
    // One bad file among good ones: none of them lands.
    let good_file = write(dir.path(), "good.csv", format!("{head}{good}").as_bytes());
    let bad_file = write(dir.path(), "bad2.csv", format!("{head}19121212-1212;comun;2023-02-01;;social_assistance;job_seeking;;;;;\n").as_bytes());
    assert!(import(&m, ImportKind::Enrolments, &[&good_file, &bad_file], Some(KEY)).is_err());
    assert_eq!(counts(&m), rows_before);
}

#[test]
fn no_personnummer_is_written_to_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let (path, m) = demo_file(dir.path());
    import(&m, ImportKind::Participants, &[&write(dir.path(), "p.csv", PARTICIPANTS.as_bytes())], Some(KEY)).unwrap();
    import(&m, ImportKind::Enrolments, &[&write(dir.path(), "e.csv", ENROLMENTS.as_bytes())], Some(KEY)).unwrap();
    m.execute_batch("CHECKPOINT").unwrap();
    drop(m);
    let mut bytes = std::fs::read(&path).unwrap();
    if let Ok(wal) = std::fs::read(path.with_extension("duckdb.wal")) {
        bytes.extend(wal);
    }
    for needle in ["191212121212", "1212121212", "19121212-1212", "201212121212"] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} is in the database file");
    }
}

/// The first import with a key records its check value; another key is refused before anything is written,
/// instead of silently making new people of known ones.
#[test]
fn a_wrong_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, m) = demo_file(dir.path());
    let file = write(dir.path(), "p.csv", PARTICIPANTS.as_bytes());
    import(&m, ImportKind::Participants, &[&file], Some(KEY)).unwrap();
    let before = common::fingerprint(&m, "participant");
    let err = import(&m, ImportKind::Participants, &[&file], Some(b"another key, sixteen bytes or more")).unwrap_err().to_string();
    assert!(err.contains("not the key this database's pseudonyms were made with"), "{err}");
    assert_eq!(common::fingerprint(&m, "participant"), before, "nothing written");
    assert!(finsam::import::check_key(&m, b"another key, sixteen bytes or more").is_err());
    finsam::import::check_key(&m, KEY).unwrap();
    // The same key again is fine.
    import(&m, ImportKind::Participants, &[&file], Some(KEY)).unwrap();
}

#[test]
fn a_new_key_file_is_random_and_private() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.key"), dir.path().join("b.key"));
    finsam::import::new_key_file(&a).unwrap();
    finsam::import::new_key_file(&b).unwrap();
    let key = finsam::import::key(Some(&a)).unwrap();
    assert_eq!(key.len(), 64, "32 random bytes as hex");
    assert_ne!(key, finsam::import::key(Some(&b)).unwrap());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&a).unwrap().permissions().mode() & 0o777, 0o600);
        assert!(finsam::import::key_file_warning(&a).is_none());
        std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(finsam::import::key_file_warning(&a).unwrap().contains("can be read by others"));
    }
    assert!(finsam::import::new_key_file(&a).is_err(), "an existing file is never overwritten");
    let missing = finsam::import::key(Some(&dir.path().join("nowhere.key"))).unwrap_err().to_string();
    assert!(missing.contains("nowhere.key"), "a key file error says what happened: {missing}");
}

#[test]
fn forget_removes_a_person_and_everything_about_them() {
    let dir = tempfile::tempdir().unwrap();
    let (_, m) = demo_file(dir.path());
    import(&m, ImportKind::Participants, &[&write(dir.path(), "p.csv", PARTICIPANTS.as_bytes())], Some(KEY)).unwrap();
    import(&m, ImportKind::Enrolments, &[&write(dir.path(), "e.csv", ENROLMENTS.as_bytes())], Some(KEY)).unwrap();
    let before = counts(&m);
    let gone = forget(&m, &pseudonym_of("19121212-1212", KEY).unwrap()).unwrap();
    assert_eq!((gone.participants, gone.enrolments), (1, 1));
    assert_eq!(counts(&m), (before.0 - 1, before.1 - 1));
    assert!(forget(&m, "nobody").unwrap_err().to_string().contains("no such person"));
    // A demo person with follow-ups goes with all of them.
    let someone = m
        .query("SELECT participant_id FROM enrolment JOIN observation USING (enrolment_id) JOIN participant USING (participant_key) LIMIT 1", &[])
        .unwrap()
        .rows_as_text()
        .unwrap()[0][0]
        .clone();
    let gone = forget(&m, &someone).unwrap();
    assert!(gone.observations >= 1);
    assert_eq!(m.query("SELECT count(*) FROM participant WHERE participant_id = ?", &[&someone]).unwrap().rows_as_text().unwrap()[0][0], "0");
}

#[test]
fn an_import_killed_halfway_leaves_the_database_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    // A large participants file, and kills at several moments (reading, checking, writing, after): the
    // database afterwards holds all of the file or none of it, never a part.
    let rows = 600_000;
    let mut text = String::from("pseudonym;förbund;kön;födelseår\n");
    for i in 0..rows {
        text.push_str(&format!("{i:064x};lund;kvinna;1990\n"));
    }
    let file = write(dir.path(), "big.csv", text.as_bytes());
    let mut outcomes = Vec::new();
    for (n, delay_ms) in [300u64, 1200, 2500].into_iter().enumerate() {
        let (path, m) = demo_file(&dir.path().join(n.to_string()).tap_mkdir());
        let before = counts(&m);
        drop(m);
        let mut child = Command::new(env!("CARGO_BIN_EXE_finsam"))
            .args(["import", "--db", path.to_str().unwrap(), "--kind", "participants", file.to_str().unwrap()])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let _ = child.wait();
        let after = finsam::open(&path).map(|m| counts(&m)).unwrap();
        assert!(after == before || after == (before.0 + rows as i64, before.1), "killed after {delay_ms} ms: {before:?} -> {after:?}");
        outcomes.push(after == before);
    }
    assert!(outcomes[0], "a kill while reading the file leaves nothing behind");
}

#[test]
fn template_filled_in_excel_imported_and_exported_round_trip() {
    use finsam::analysis::Cohort;
    use finsam::disclosure::Protection;
    use finsam::import::template::write_template;
    let dir = tempfile::tempdir().unwrap();
    let (_, m) = demo_file(dir.path());
    // The template's headers, filled in as a person would in Excel: a date cell and text cells.
    let template = dir.path().join("mall.xlsx");
    write_template(ImportKind::Participants, &template, false).unwrap();
    let mut sheet = calamine_header(&template);
    assert_eq!(sheet.remove(0), "personnummer");
    let filled = dir.path().join("ifylld.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (i, h) in ["personnummer", "förbund", "utbildning"].iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "19121212-1212").unwrap();
    ws.write_string(1, 1, "ale").unwrap();
    ws.write_string(1, 2, "Grundskola").unwrap();
    book.save(&filled).unwrap();
    let s = import(&m, ImportKind::Participants, &[&filled], Some(KEY)).unwrap();
    assert_eq!(s.inserted, 1);
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (i, h) in ["personnummer", "insats", "startdatum", "försörjning_före", "sysselsättning_före"].iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "19121212-1212").unwrap();
    ws.write_string(1, 1, "ale-ungdomsteam").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 3, 1).unwrap();
    ws.write_datetime_with_format(1, 2, &date, &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd")).unwrap();
    ws.write_string(1, 3, "Försörjningsstöd").unwrap();
    ws.write_string(1, 4, "Aktivt arbetssökande").unwrap();
    let enrolments = dir.path().join("inskrivningar.xlsx");
    book.save(&enrolments).unwrap();
    assert_eq!(import(&m, ImportKind::Enrolments, &[&enrolments], Some(KEY)).unwrap().inserted, 1);
    // Export the person-level table (raw, for research) as Parquet and import it into a fresh copy.
    let parquet = dir.path().join("deltagare.parquet");
    finsam::export::export(&m, &"participant".parse().unwrap(), &parquet, &Cohort::default(), finsam::codes::Lang::Sv, Protection::Raw, false)
        .unwrap();
    let (_, other) = demo_file(&dir.path().join("b").tap_mkdir());
    let renamed = dir.path().join("deltagare2.parquet");
    other
        .execute_batch(&format!(
            "COPY (SELECT participant_id AS pseudonym, federation_id AS förbund, sex AS kön, birth_year AS födelseår FROM read_parquet('{}') WHERE participant_id NOT IN (SELECT participant_id FROM participant)) TO '{}' (FORMAT parquet)",
            parquet.display(),
            renamed.display()
        ))
        .unwrap();
    assert_eq!(import(&other, ImportKind::Participants, &[&renamed], None).unwrap().inserted, 1);
    // Enrolments export under the pseudonym (the integer key is internal to a database) and import elsewhere.
    let enrolment_export = dir.path().join("inskrivningar.parquet");
    finsam::export::export(&m, &"enrolment".parse().unwrap(), &enrolment_export, &Cohort::default(), finsam::codes::Lang::Sv, Protection::Raw, false)
        .unwrap();
    let columns = m
        .query(&format!("SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('{}'))", enrolment_export.display()), &[])
        .unwrap()
        .rows_as_text()
        .unwrap();
    let columns: Vec<&str> = columns.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(&columns[..3], ["enrolment_id", "participant_id", "intervention_id"]);
    assert!(!columns.contains(&"participant_key"), "{columns:?}");
    let moved = dir.path().join("inskrivningar2.parquet");
    other
        .execute_batch(&format!(
            "COPY (SELECT participant_id AS pseudonym, intervention_id AS insats, start_date AS startdatum, support_before AS försörjning_före,
                          occupation_before AS sysselsättning_före
                   FROM read_parquet('{}') WHERE participant_id = '{}') TO '{}' (FORMAT parquet)",
            enrolment_export.display(),
            pseudonym_of("191212121212", KEY).unwrap(),
            moved.display()
        ))
        .unwrap();
    assert_eq!(import(&other, ImportKind::Enrolments, &[&moved], None).unwrap().inserted, 1);
    // Board exports stay suppressed; person-level ones need raw.
    let report = dir.path().join("rapport.xlsx");
    assert_eq!(
        finsam::export::export(
            &m,
            &"report".parse().unwrap(),
            &report,
            &Cohort { interventions: vec!["krami".into()], ..Cohort::default() },
            finsam::codes::Lang::Sv,
            Protection::default(),
            false
        )
        .unwrap(),
        6
    );
    let err = finsam::export::export(
        &m,
        &"enrolment".parse().unwrap(),
        &dir.path().join("e.csv"),
        &Cohort::default(),
        finsam::codes::Lang::Sv,
        Protection::default(),
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("person-level"), "{err}");
}

#[test]
fn a_truncated_workbook_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let (_, m) = demo_file(dir.path());
    let full = dir.path().join("full.xlsx");
    finsam::import::template::write_template(ImportKind::Participants, &full, false).unwrap();
    let bytes = std::fs::read(&full).unwrap();
    let cut = write(dir.path(), "avklippt.xlsx", &bytes[..bytes.len() / 2]);
    let err = import(&m, ImportKind::Participants, &[&cut], Some(KEY)).unwrap_err().to_string();
    assert!(err.contains("avklippt.xlsx") && err.contains("not a readable Excel workbook"), "{err}");
    let not_parquet = write(dir.path(), "fel.parquet", b"PAR1 but not really");
    let err = import(&m, ImportKind::Participants, &[&not_parquet], Some(KEY)).unwrap_err().to_string();
    assert!(err.contains("fel.parquet") && err.contains("not a readable Parquet file"), "{err}");
}

fn calamine_header(path: &Path) -> Vec<String> {
    use calamine::{open_workbook_auto, Reader};
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range.rows().next().unwrap().iter().map(|c| c.to_string()).collect()
}

trait TapMkdir {
    fn tap_mkdir(self) -> PathBuf;
}

impl TapMkdir for PathBuf {
    fn tap_mkdir(self) -> PathBuf {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}

#[test]
fn interventions_budgets_contributions_context_and_observations() {
    let dir = tempfile::tempdir().unwrap();
    let (_, m) = demo_file(dir.path());
    let file = |name: &str, text: &str| write(dir.path(), name, text.as_bytes());
    let run = |kind: &str, f: &PathBuf| import(&m, kind.parse().unwrap(), &[f.as_path()], None);
    let i = file("insatser.csv", "insats_id;förbund;namn;typ;målgrupp;startdatum;lägsta_ålder;högsta_ålder\nny;lund;Ny insats;Individinriktad;Unga 16–29 år;2024-01-01;18;29\n");
    assert_eq!(run("insatser", &i).unwrap().inserted, 1);
    assert_eq!(run("interventions", &i).unwrap().unchanged, 1);
    let renamed = file("insatser2.csv", "insats_id;förbund;namn;typ;målgrupp;startdatum\nny;lund;Nytt namn;individual;young;2024-01-01\n");
    assert_eq!(run("interventions", &renamed).unwrap().updated, 1);
    let moved = file("insatser3.csv", "insats_id;förbund;namn;typ;målgrupp;startdatum\nny;umea;Nytt namn;individual;young;2024-01-01\n");
    assert!(run("interventions", &moved).unwrap_err().to_string().contains("cannot change"));
    let b = file("budget.csv", "förbund;insats;år;finansiär;kategori;budget_kr;utfall_kr\nlund;ny;2024;Samordningsförbundet;individual;1 200 000;1 100 000,50\nlund;;2024;esf;administration;100;\n");
    assert_eq!(run("budget", &b).unwrap().inserted, 2);
    assert_eq!(run("budget_lines", &b).unwrap().unchanged, 2, "office lines (no intervention) match by key too");
    let actual = m.query("SELECT actual_sek::DOUBLE FROM budget_line WHERE intervention_id = 'ny'", &[]).unwrap().rows_as_text().unwrap();
    assert_eq!(actual[0][0], "1100000.5");
    let c = file("medlemsinsatser.csv", "medlem;år;belopp_kr\nlund-fk;2025;1 000\n");
    assert_eq!(run("contributions", &c).unwrap().inserted, 1);
    let k = file("kommunfakta.csv", "kommun;år;befolkning;andel_försörjningsstöd;arbetslöshet\nLund;2024;128000;2,5;6,1\n");
    assert_eq!(run("kommunfakta", &k).unwrap().inserted, 1);
    let enrolment =
        m.query("SELECT enrolment_id FROM enrolment WHERE exit_date IS NOT NULL LIMIT 1", &[]).unwrap().rows_as_text().unwrap()[0][0].clone();
    let o = file("uppföljningar.csv", &format!("inskrivning;datum;försörjning;sysselsättning\n{enrolment};2030-01-01;Lön;Förvärvsarbete\n"));
    assert_eq!(run("observations", &o).unwrap().inserted, 1);
    // Bad rows of these kinds: clear messages, nothing imported.
    for (kind, name, text, column, expected) in [
        ("contributions", "c.csv", "medlem;år;belopp_kr\nnope;2025;-5\n", "belopp_kr", "from 0 kr"),
        // Checked against the schema's own limits, so the error names file, row and column.
        ("contributions", "c.csv", "medlem;år;belopp_kr\nlund-fk;1995;1000\n", "år", "a year from 2004"),
        (
            "budget",
            "b.csv",
            "förbund;år;finansiär;kategori;budget_kr\nlund;2024;federation;individual;1000000000000\n",
            "budget_kr",
            "999 999 999 999",
        ),
        (
            "interventions",
            "i.csv",
            "insats_id;förbund;namn;typ;målgrupp;startdatum;beskrivning\nx;lund;X;individual;young;2024-01-01;Anna 19121212-1212\n",
            "beskrivning",
            "without a personnummer",
        ),
        (
            "interventions",
            "i.csv",
            "insats_id;förbund;namn;typ;målgrupp;startdatum;beskrivning\nx;lund;X;individual;young;2024-01-01;Anna 121212-1212\n",
            "beskrivning",
            "without a personnummer",
        ),
        (
            "interventions",
            "i.csv",
            "insats_id;förbund;namn;typ;målgrupp;startdatum;slutdatum\nx;lund;X;individual;young;2024-01-01;2023-01-01\n",
            "slutdatum",
            "on or after the start date",
        ),
        ("budget", "b.csv", "förbund;år;finansiär;kategori;budget_kr\nlund;2024;lotteri;individual;5\n", "finansiär", "one of federation"),
        ("kommunfakta", "k.csv", "kommun;år;befolkning;arbetslöshet\nLund;2024;128000;140\n", "arbetslöshet", "0 to 100"),
        (
            "observations",
            "o.csv",
            "inskrivning;datum;försörjning;sysselsättning\n999999999;2030-01-01;wage;work\n",
            "inskrivning",
            "an existing enrolment",
        ),
    ] {
        let f = file(name, text);
        let before = m.count_rows("budget_line").unwrap() + m.count_rows("contribution").unwrap() + m.count_rows("intervention").unwrap();
        let err = run(kind, &f).unwrap_err();
        let FinsamError::Validation { errors, .. } = err else { panic!("{kind}: {err}") };
        assert!(errors.iter().any(|e| e.column == column && e.expected.contains(expected)), "{kind}: {errors:?}");
        assert_eq!(m.count_rows("budget_line").unwrap() + m.count_rows("contribution").unwrap() + m.count_rows("intervention").unwrap(), before);
    }
    // Every kind has a template.
    for kind in ImportKind::ALL {
        let path = dir.path().join(format!("{}.xlsx", kind.names().0));
        finsam::import::template::write_template(kind, &path, false).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > 1000);
    }
}

/// Files built to exhaust memory end with a clear error, also under a memory limit, never an abort: an XLSX
/// of two cells (A1 and XFD1048576) whose bounding box is 17 billion cells; a workbook part that unpacks to
/// 300 MB from a few hundred kB; a CSV line of 2 MB.
#[test]
fn memory_bombs_end_with_a_clear_error() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let (db, m) = demo_file(dir.path());
    let before = counts(&m);
    drop(m);

    let corners = dir.path().join("hörn.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "personnummer").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(&corners).unwrap();

    let bomb = dir.path().join("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 << 20, "a bomb: small packed");

    let mut long = b"personnummer;f\xc3\xb6rbund\n".to_vec();
    long.extend(std::iter::repeat_n(b'1', 2 << 20));
    let long = write(dir.path(), "lang.csv", &long);

    let key = write(dir.path(), "key", KEY);
    for (file, expected) in [
        (&corners, "cell XFD1048576 holds a value in column 16384: an import file has at most 256 columns"),
        (&bomb, "the part xl/worksheets/sheet1.xml unpacks to 300 MB, more than finsam reads (200 MB a part)"),
        (&long, "line 2 is longer than 1024 kB"),
    ] {
        // 4 GB of address space: enough for DuckDB, far too little for a sheet of 17 billion cells.
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "ulimit -v 4000000; exec {} import --db {} --kind participants --key-file {} {}",
                env!("CARGO_BIN_EXE_finsam"),
                db.display(),
                key.display(),
                file.display()
            ))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", file.display());
        assert!(stderr.contains(expected) && stderr.lines().filter(|l| l.starts_with("error")).count() == 1, "{stderr}");
    }
    assert_eq!(counts(&finsam::open(&db).unwrap()), before, "nothing imported");
}

/// What Excel on Windows writes (CR LF line ends) is numbered as the file's lines; a leading blank line does
/// not hide the separator; formats finsam does not read are named.
#[test]
fn windows_line_ends_blank_first_lines_and_other_formats() {
    let dir = tempfile::tempdir().unwrap();
    let (_, m) = demo_file(dir.path());
    let crlf =
        write(dir.path(), "crlf.csv", "personnummer;förbund\r\n19121212-1212;atlantis\r\n201212121212;lund\r\n19121212-1212;mars\r\n".as_bytes());
    let err = import(&m, ImportKind::Participants, &[&crlf], Some(KEY)).unwrap_err();
    let FinsamError::Validation { errors, .. } = &err else { panic!("{err}") };
    let lines: Vec<usize> = errors.iter().filter(|e| e.column == "förbund").map(|e| e.row).collect();
    assert_eq!(lines, [2, 4], "{errors:?}");
    let blank_first = write(dir.path(), "tom-rad.csv", "\npersonnummer;förbund\n19121212-1212;atlantis\n".as_bytes());
    let err = import(&m, ImportKind::Participants, &[&blank_first], Some(KEY)).unwrap_err();
    let FinsamError::Validation { errors, .. } = &err else { panic!("{err}") };
    assert!(errors.iter().any(|e| e.column == "förbund" && e.row == 3), "{errors:?}");
    let xlsb = write(dir.path(), "bok.xlsb", b"PK\x03\x04 not read");
    let err = import(&m, ImportKind::Participants, &[&xlsb], Some(KEY)).unwrap_err().to_string();
    assert!(err.contains("not .xlsb: save it as .xlsx or .csv"), "{err}");
}
