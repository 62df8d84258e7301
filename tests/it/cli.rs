//! The `finsam` binary end to end: real processes, their output and exit codes.

use std::path::Path;
use std::process::{Command, Output};

fn finsam(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_finsam")).args(args).output().expect("finsam runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn help_on_everything() {
    let out = finsam(&["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for sub in ["demo", "generate", "sql", "info"] {
        assert!(help.contains(sub), "{help}");
        let out = finsam(&[sub, "--help"]);
        assert!(out.status.success(), "{sub} --help");
        assert!(text(&out.stdout).contains("--db"), "{sub} --help names --db");
    }
}

#[test]
fn demo_info_and_sql_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.duckdb");
    let db = path_str(&db);

    let out = finsam(&["demo", "--db", db]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("Syntetiska demodata"), "{shown}");
    assert!(shown.contains("ComUng") && shown.contains("Flerpartssamverkan i södra Lappland"));

    let out = finsam(&["info", "--db", db]);
    assert!(out.status.success());
    let info = text(&out.stdout);
    assert!(info.contains(&format!("Schema version: {}", finsam::model::SCHEMA_VERSION)), "{info}");
    assert!(info.contains("Syntetiska demodata"));
    assert!(info.contains("2020–2021") && info.contains("2022–2023"));
    assert!(info.contains("enrolment"));

    let out = finsam(&["sql", "--db", db, "--format", "csv", "SELECT name, age_min, age_max FROM intervention WHERE intervention_id = 'comung'"]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "name,age_min,age_max\nComUng,18,25\n");
    assert!(text(&out.stderr).contains("Syntetiska demodata"), "the note goes to stderr beside CSV");

    let out = finsam(&["sql", "--db", db, "--format", "json", "SELECT count(*) AS n FROM municipality_context"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).expect("valid JSON");
    assert_eq!(json[0]["n"], 6);

    let out = finsam(&["sql", "--db", db, "SELECT name FROM federation ORDER BY name LIMIT 2"]);
    assert!(out.status.success());
    let table = text(&out.stdout);
    assert!(table.contains("Finsam-Falun") && table.contains("(2 rows)"), "{table}");

    let out = finsam(&["sql", "--db", db, "--read-only", "SELECT count(*) FROM participant"]);
    assert!(out.status.success());
    // Read-only unless asked: a write needs --write.
    let out = finsam(&["sql", "--db", db, "CREATE VIEW v AS SELECT 1"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(finsam(&["sql", "--db", db, "--write", "CREATE VIEW v AS SELECT 1 AS one"]).status.success());
    // A mistyped path is an error, not a new empty database; `init` creates one on purpose.
    let typo = dir.path().join("dmeo.duckdb");
    for args in [vec!["sql", "--db", path_str(&typo), "SELECT 1"], vec!["import", "--db", path_str(&typo), "--kind", "participants", "x.csv"]] {
        let out = finsam(&args);
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out.stderr).contains("finsam init"), "{}", text(&out.stderr));
        assert!(!typo.exists(), "{args:?} created a database");
    }
    assert!(finsam(&["init", "--db", path_str(&typo)]).status.success());
    assert!(typo.exists());
    let out = finsam(&["init", "--db", path_str(&typo)]);
    assert!(!out.status.success() && text(&out.stderr).contains("already exists"), "{}", text(&out.stderr));
}

#[test]
fn errors_are_one_line_on_stderr_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.duckdb");
    assert!(finsam(&["demo", "--db", path_str(&db)]).status.success());

    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["sql".into(), "--db".into(), path_str(&db).into(), "SELEC oops".into()], "syntax error"),
        (vec!["sql".into(), "--db".into(), path_str(&db).into(), "SELECT * FROM nowhere".into()], "nowhere"),
        (vec!["demo".into(), "--db".into(), path_str(&db).into()], "already holds data"),
        (vec!["info".into(), "--db".into(), path_str(&dir.path().join("missing.duckdb")).into()], "missing.duckdb"),
        (vec!["generate".into(), "--db".into(), path_str(&dir.path().join("g.duckdb")).into(), "--participants".into(), "0".into()], "at least 1"),
        (vec!["demo".into(), "--db".into(), path_str(&dir.path().join("no/such/dir.duckdb")).into()], "does not exist"),
        (vec!["run".into(), "--db".into(), path_str(&db).into(), "age-sex".into()], "the analysis comes first"),
        (vec!["run".into(), "agesex".into(), "--db".into(), path_str(&db).into()], "unknown plugin analysis 'agesex'"),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = finsam(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "one line for {args:?}: {err}");
        assert!(err.starts_with("error: ") && err.to_lowercase().contains(expected), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }

    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a database at all, just text").unwrap();
    let out = finsam(&["info", "--db", path_str(&notes)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("is not a DuckDB database"));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "not a database at all, just text");

    // A wrong flag is clap's usage error: exit 2.
    let out = finsam(&["sql", "--db", path_str(&db), "--format", "xml", "SELECT 1"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_database_held_by_another_process_is_reported_as_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("busy.duckdb");
    let holder = finsam::create(&db).unwrap();
    let out = finsam(&["sql", "--db", path_str(&db), "SELECT 1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("in use by another process"), "{}", text(&out.stderr));
    drop(holder);
    assert!(finsam(&["sql", "--db", path_str(&db), "SELECT 1"]).status.success());
}

#[test]
fn generate_writes_a_synthetic_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.duckdb");
    let out = finsam(&["generate", "--db", path_str(&db), "--participants", "3000", "--seed", "5"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("3000 participants") && said.contains("seed 5"), "{said}");
    assert!(said.contains("Syntetiska data"), "{said}");
    let out = finsam(&["sql", "--db", path_str(&db), "--format", "csv", "SELECT count(*) AS n FROM participant"]);
    assert_eq!(text(&out.stdout), "n\n3000\n");
}

#[test]
fn analysis_commands_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.duckdb");
    let db = path_str(&db);
    assert!(finsam(&["demo", "--db", db]).status.success());

    let out = finsam(&["report", "--db", db, "--intervention", "krami", "--period", "2022-2023"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let board = text(&out.stdout);
    assert!(board.contains("Deltagarrapport") && board.contains("Wilson") && board.contains("justerade med högst ±2"), "{board}");
    assert!(!board.contains("<5") && !board.contains(" .. "), "perturbation hides nothing: {board}");
    assert!(out.stderr.is_empty(), "no warning without --raw");
    let out = finsam(&["report", "--db", db, "--intervention", "krami", "--period", "2022-2023", "--protection", "suppression"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("<5") && text(&out.stdout).contains("<5 = 1–4 personer"), "{}", text(&out.stdout));
    // In JSON a hidden count is null, and its mark is listed beside the rows: a machine tells "<5" from "..".
    let out = finsam(&["report", "--db", db, "--intervention", "krami", "--period", "2022-2023", "--protection", "suppression", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let marked: Vec<(&serde_json::Value, &serde_json::Value)> = json["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["marks"].as_array().unwrap().iter().map(move |m| (&s["rows"][m["row"].as_u64().unwrap() as usize], m)))
        .collect();
    assert!(marked.iter().any(|(_, m)| m["mark"] == "<5"), "{json}");
    for (row, m) in marked {
        assert!(row[m["column"].as_str().unwrap()].is_null() && (m["mark"] == "<5" || m["mark"] == ".."), "{row} {m}");
    }
    let out = finsam(&["report", "--db", db, "--intervention", "krami", "--protection", "none"]);
    assert!(!out.status.success() && text(&out.stderr).contains("perturbation"), "{}", text(&out.stderr));
    let out = finsam(&["report", "--db", db, "--intervention", "krami", "--protection", "suppression", "--raw"]);
    assert!(!out.status.success() && text(&out.stderr).contains("contradict"), "{}", text(&out.stderr));

    let out = finsam(&["report", "--db", db, "--intervention", "krami", "--period", "2022-2023", "--raw", "--lang", "en"]);
    assert!(out.status.success());
    assert!(text(&out.stderr).contains("warning: raw output"));
    assert!(text(&out.stdout).contains("[RAW: not suppressed]") && !text(&out.stdout).contains("<5"));

    let out = finsam(&["compare", "--db", db, "--intervention", "comung", "--period", "2020-2021", "--vs", "2022-2023", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    // Machines read stable names, codes and full precision; the headings as printed are beside them.
    let row = &json["sections"][0]["rows"][0];
    assert!(row["difference"].as_f64().unwrap() > 0.0 && row["p_value"].as_f64().unwrap() < 0.05, "{row}");
    assert_eq!(row["measure"], "work_or_studies");
    assert!(row["share_a"].as_f64().unwrap().to_string().len() > 6, "not rounded to four decimals: {row}");
    assert_eq!(json["sections"][0]["columns"][7], serde_json::json!({"name": "difference", "label": "skillnad"}));

    let out = finsam(&[
        "survival",
        "--db",
        db,
        "--intervention",
        "spanga-tensta",
        "--period",
        "2014-03-01..2014-03-31",
        "--months",
        "12",
        "--format",
        "csv",
        "--raw",
    ]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("12,43,0.28666"), "43 of 150 remain after a year, in full precision: {}", text(&out.stdout));
    // Protected: the perturbed numbers stay within the documented error (±2 on each count).
    let out = finsam(&[
        "survival",
        "--db",
        db,
        "--intervention",
        "spanga-tensta",
        "--period",
        "2014-03-01..2014-03-31",
        "--months",
        "12",
        "--format",
        "csv",
    ]);
    let line = text(&out.stdout).lines().find(|l| l.starts_with("12,")).unwrap().to_string();
    let fields: Vec<&str> = line.split(',').collect();
    let (at_risk, share): (u64, f64) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    // The number at risk is the published start less the published groups of four 3-month steps (standard
    // deviation about √5 ≈ 2.2; SURVIVAL_STEP_MONTHS), so it is allowed about two of those.
    assert!(at_risk.abs_diff(43) <= 5 && (share - 43.0 / 150.0).abs() <= 4.0 / 148.0, "{line}");

    for args in [vec!["costs", "--db", db, "--federation", "umea"], vec!["allocate", "--db", db, "--year", "2024"]] {
        let out = finsam(&args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("Syntetiska demodata"));
    }

    // Bad input: one line, exit 1.
    for (args, expected) in [
        (vec!["report", "--db", db, "--intervention", "comun"], "unknown intervention 'comun'"),
        (vec!["report", "--db", db, "--period", "förra året"], "is not a period"),
        (vec!["compare", "--db", db, "--period", "2020-2021"], "say what to compare with"),
        (vec!["survival", "--db", db, "--sex", "robot"], "not a valid sex"),
        (vec!["allocate", "--db", db, "--year", "1999"], "no allocation inputs"),
    ] {
        let out = finsam(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.starts_with("error: ") && err.contains(expected) && err.trim_end().lines().count() == 1, "{args:?}: {err}");
    }
}

#[test]
fn charts_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.duckdb");
    let db = path_str(&db);
    assert!(finsam(&["demo", "--db", db]).status.success());

    let png = dir.path().join("pyramid.png");
    let out = finsam(&["chart", "pyramid", "--db", db, "--federation", "lund", "--period", "2022-2023", "--out", path_str(&png)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(&std::fs::read(&png).unwrap()[..8], b"\x89PNG\r\n\x1a\n");

    let set = dir.path().join("charts");
    let out = finsam(&["charts", "--db", db, "--federation", "umea", "--out", path_str(&set), "--lang", "en"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut files: Vec<String> = std::fs::read_dir(&set).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    files.sort();
    assert_eq!(files.len(), 16, "{files:?}");
    assert!(files.contains(&"periods.svg".to_string()) && files.contains(&"survival.png".to_string()));
    assert!(std::fs::read_to_string(set.join("outcomes.svg")).unwrap().contains("Work or studies after exit"));
    // Pictures of one cohort show the later period, whichever of --period and --vs names it (an attack found
    // the earlier drawn when the later came first).
    let swapped = dir.path().join("swapped");
    let out = finsam(&[
        "charts",
        "--db",
        db,
        "--federation",
        "umea",
        "--period",
        "2022-2023",
        "--vs",
        "2020-2021",
        "--out",
        path_str(&swapped),
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for kind in ["outcomes.svg", "pyramid.svg", "transitions.svg"] {
        assert_eq!(std::fs::read(set.join(kind)).unwrap(), std::fs::read(swapped.join(kind)).unwrap(), "{kind}");
    }

    for (args, expected) in [
        (vec!["chart", "piechart", "--db", db, "--out", "x.png"], "unknown chart kind 'piechart'"),
        (vec!["chart", "periods", "--db", db, "--out", "x.png"], "--period and --vs"),
        (vec!["chart", "outcomes", "--db", db, "--out", "x.gif"], ".svg or .png"),
    ] {
        let out = finsam(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(text(&out.stderr).contains(expected), "{args:?}: {}", text(&out.stderr));
    }
    assert!(!std::path::Path::new("x.png").exists() && !std::path::Path::new("x.gif").exists());
}

#[test]
fn import_and_forget_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.duckdb");
    let db = path_str(&db);
    assert!(finsam(&["demo", "--db", db]).status.success());
    let p = dir.path().join("deltagare.csv");
    std::fs::write(&p, "personnummer;förbund\n19121212-1212;lund\n").unwrap();
    let run = |args: &[&str], key: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_finsam"));
        c.args(args);
        if key {
            c.env("FINSAM_KEY", "a federation key, kept elsewhere")
        } else {
            c.env_remove("FINSAM_KEY")
        };
        c.output().unwrap()
    };
    let out = run(&["import", "--db", db, "--kind", "participants", path_str(&p)], false);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("FINSAM_KEY"), "{}", text(&out.stderr));
    let out = run(&["import", "--db", db, "--kind", "deltagare", path_str(&p)], true);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "Imported deltagare: 1 inserted, 0 updated, 0 unchanged.\n");
    // Every problem on its own line, after one summary line.
    let bad = dir.path().join("fel.csv");
    std::fs::write(&bad, "personnummer;förbund;kön\n19121212-1213;lund;x\n19121212-1212;atlantis;\n").unwrap();
    let out = run(&["import", "--db", db, "--kind", "participants", path_str(&bad)], true);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: 3 problem(s)") && err.contains("fel.csv:2: column 'personnummer'") && err.contains("fel.csv:3: column 'förbund'"),
        "{err}"
    );
    // A database held by another process.
    let holder = finsam::open(db).unwrap();
    let out = run(&["import", "--db", db, "--kind", "participants", path_str(&p)], true);
    assert!(text(&out.stderr).contains("in use by another process"));
    drop(holder);
    // The personnummer from standard input, not the command line (shell history, the process list).
    let mut child = Command::new(env!("CARGO_BIN_EXE_finsam"))
        .args(["forget", "--db", db, "--personnummer-file", "-"])
        .env("FINSAM_KEY", "a federation key, kept elsewhere")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(b"19121212-1212\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Removed 1 person"));
    let out = run(&["forget", "--db", db, "--personnummer", "19121212-1212"], true);
    assert!(!out.status.success() && text(&out.stderr).contains("no such person"), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("1212"), "the number is not echoed: {}", text(&out.stderr));
}

#[test]
fn template_and_export_take_a_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.duckdb");
    assert!(finsam(&["demo", "--db", path_str(&db)]).status.success());
    let run_in = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_finsam")).args(args).current_dir(dir.path()).output().unwrap();
    let out = run_in(&["template", "--kind", "enrolments", "--format", "xlsx"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.path().join("mall-inskrivningar.xlsx").exists());
    let out = run_in(&["export", "--db", path_str(&db), "--what", "budget_line", "--format", "csv"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(dir.path().join("budget_line.csv")).unwrap().starts_with("budget_line_id,"));
    let out = run_in(&["export", "--db", path_str(&db), "--what", "report", "--format", "csv", "--out", "r.xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("ends in .xlsx but --format is csv"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&db).unwrap().permissions().mode() & 0o777, 0o600, "a new database is its owner's only");
    }
    // An existing file is not replaced without --force, and a raw export is readable by its owner only.
    let out = run_in(&["export", "--db", path_str(&db), "--what", "budget_line", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("already exists") && text(&out.stderr).contains("--force"), "{}", text(&out.stderr));
    let out = run_in(&["export", "--db", path_str(&db), "--what", "enrolment", "--format", "csv", "--raw"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(dir.path().join("enrolment.csv")).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let out = run_in(&["export", "--db", path_str(&db), "--what", "budget_line", "--format", "csv", "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A protected export carries its legend.
    let out = run_in(&["export", "--db", path_str(&db), "--what", "report", "--format", "csv", "--intervention", "krami"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = std::fs::read_to_string(dir.path().join("report.csv")).unwrap();
    assert!(report.contains("justerade med högst ±2"), "{report}");
}
