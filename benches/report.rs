//! Benchmark: finsam's standard report and period comparison against the same figures as one hand-written
//! DuckDB query, and against pandas and polars, on the same generated data. Run with `bash scripts/bench.sh`.
//!
//! Environment: FINSAM_BENCH_PARTICIPANTS (default 800 000, about a million enrolments), FINSAM_BENCH_RUNS
//! (default 5), FINSAM_BENCH_TEN_MILLION=1 to also time the report on ten million enrolments,
//! FINSAM_BENCH_PYTHON (a Python with pandas, pyarrow, polars and duckdb; without it those columns are skipped).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use finsam::analysis::compare::compare;
use finsam::analysis::report::report_statement;
use finsam::analysis::{standard_report, Cohort};
use finsam::generate::{generate, GenerateOptions};
use finsam::model::SCHEMA_VERSION;
use finsam::Model;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn bench_dir() -> PathBuf {
    let dir = PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| ".".into())).join(".cache/finsam/bench");
    std::fs::create_dir_all(&dir).expect("a directory for benchmark data");
    dir
}

/// The generated database for `participants`, made once per schema version and kept.
fn database(participants: u64) -> PathBuf {
    let path = bench_dir().join(format!("generated-{participants}-seed1-v{SCHEMA_VERSION}.duckdb"));
    if !path.exists() {
        eprintln!("generating {participants} participants into {} ...", path.display());
        let partial = path.with_extension("partial.duckdb");
        let _ = std::fs::remove_file(&partial);
        let model = finsam::create(&partial).expect("a new database");
        generate(&model, &GenerateOptions::new(participants, 1), |_, _| {}).expect("generated");
        drop(model);
        std::fs::rename(&partial, &path).expect("renamed");
    }
    path
}

/// The median of `runs` timed runs, after one untimed warm-up.
fn time(runs: u64, mut work: impl FnMut()) -> f64 {
    work();
    let seconds: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed().as_secs_f64()
        })
        .collect();
    median(seconds)
}

/// The standard report's figures as one query, written by hand: one pass with FILTER and histogram().
const HAND_REPORT: &str = "
WITH c AS (
  SELECT e.participant_key, e.start_date, e.occupation_before, e.occupation_after, e.support_before, e.support_after,
         e.extent_before_pct, e.extent_after_pct, e.subsidised_work_after, p.sex,
         year(e.start_date) - p.birth_year AS age,
         CASE WHEN e.exit_date <= DATE '2025-06-30' THEN e.exit_date END AS exit_known
  FROM enrolment e JOIN participant p USING (participant_key) JOIN intervention i USING (intervention_id)
  WHERE e.consent {period})
SELECT count(*), count(DISTINCT participant_key), count(exit_known),
       count(*) FILTER (exit_known IS NOT NULL AND occupation_after IN ('work', 'studies')),
       count(*) FILTER (exit_known IS NOT NULL AND occupation_after IN ('work', 'studies')
                        AND (occupation_before NOT IN ('work', 'studies') OR coalesce(extent_after_pct, 0) > coalesce(extent_before_pct, 0))),
       count(*) FILTER (exit_known IS NOT NULL AND support_after NOT IN ('unemployment_insurance', 'activity_support', 'sickness_benefit',
                        'activity_compensation', 'sickness_compensation', 'social_assistance')),
       count(*) FILTER (exit_known IS NOT NULL AND occupation_after = 'work' AND NOT coalesce(subsidised_work_after, false)),
       count(*) FILTER (exit_known IS NULL),
       quantile_cont(exit_known - start_date, [0.25, 0.5, 0.75]) FILTER (exit_known IS NOT NULL),
       histogram(CASE WHEN age < 20 THEN '16–19' WHEN age < 25 THEN '20–24' WHEN age < 30 THEN '25–29' WHEN age < 40 THEN '30–39'
                      WHEN age < 50 THEN '40–49' WHEN age < 60 THEN '50–59' ELSE '60–' END || ' ' || sex),
       histogram(occupation_before) FILTER (exit_known IS NOT NULL),
       histogram(occupation_after) FILTER (exit_known IS NOT NULL),
       histogram(support_before || ' > ' || support_after) FILTER (exit_known IS NOT NULL)
FROM c";

fn hand_report(model: &Model, period: &str) {
    let sql = HAND_REPORT.replace("{period}", period);
    let rows = model.query(&sql, &[]).expect("hand-written report").num_rows();
    assert_eq!(rows, 1);
}

fn main() {
    let participants = env_number("FINSAM_BENCH_PARTICIPANTS", 800_000);
    let runs = env_number("FINSAM_BENCH_RUNS", 5);
    let path = database(participants);
    let model = finsam::open_read_only(&path).expect("the benchmark database");
    let enrolments = model.count_rows("enrolment").unwrap();
    println!("data: {enrolments} enrolments ({participants} participants), {runs} runs, median seconds");

    let all = Cohort::default();
    let first = Cohort { period: Some("2020-2021".into()), ..Cohort::default() };
    let second = Cohort { period: Some("2022-2023".into()), ..Cohort::default() };
    let finsam_report = time(runs, || {
        standard_report(&model, &all).expect("report");
    });
    let sql_report = time(runs, || hand_report(&model, ""));
    let finsam_compare = time(runs, || {
        compare(&model, &first, &second).expect("comparison");
    });
    let sql_compare = time(runs, || {
        hand_report(&model, "AND e.start_date BETWEEN DATE '2020-01-01' AND DATE '2021-12-31'");
        hand_report(&model, "AND e.start_date BETWEEN DATE '2022-01-01' AND DATE '2023-12-31'");
    });

    let pandas = dataframe_times(&model, &path, runs, "benches/report_pandas.py");
    let polars = dataframe_times(&model, &path, runs, "benches/report_polars.py");
    let groups = [vec![all.clone()], vec![first.clone(), second.clone()]];
    let linked = [
        linked_floor(&model, runs, &groups[0], || {
            standard_report(&model, &all).expect("report");
        }),
        linked_floor(&model, runs, &groups[1], || {
            compare(&model, &first, &second).expect("comparison");
        }),
    ];
    let floor = engine_floor(&model, &path, runs, &groups);
    println!(
        "{:<20} {:>9} {:>11} {:>9} {:>9} {:>11} {:>14} {:>14}",
        "", "finsam s", "hand SQL s", "pandas s", "polars s", "finsam/SQL", "pandas/finsam", "polars/finsam"
    );
    let text = |x: Option<f64>| x.map_or("-".to_string(), |p| format!("{p:.3}"));
    for (name, ours, sql, pd, pl) in [
        ("standard report", finsam_report, sql_report, pandas.map(|p| p.0), polars.map(|p| p.0)),
        ("period comparison", finsam_compare, sql_compare, pandas.map(|p| p.1), polars.map(|p| p.1)),
    ] {
        let ratio = |x: Option<f64>| x.map_or("-".to_string(), |p| format!("{:.2}x", p / ours));
        println!("{name:<20} {ours:>9.3} {sql:>11.3} {:>9} {:>9} {:>10.2}x {:>14} {:>14}", text(pd), text(pl), ours / sql, ratio(pd), ratio(pl));
    }

    println!(
        "engine floor (finsam's statements run by the DuckDB finsam links, {}): report {:.3} s, comparison {:.3} s; finsam/floor {:.2}x and {:.2}x (run by run, alternating)",
        duckdb_version(&model),
        linked[0].0,
        linked[1].0,
        linked[0].1,
        linked[1].1
    );
    if let Some((version, floor)) = floor {
        println!(
            "engine floor (the same statements in DuckDB's Python package, {}): report {:.3} s, comparison {:.3} s; finsam/floor {:.2}x and {:.2}x",
            version,
            floor[0],
            floor[1],
            finsam_report / floor[0],
            finsam_compare / floor[1]
        );
    }

    if std::env::var("FINSAM_BENCH_TEN_MILLION").as_deref() == Ok("1") {
        let big = database(8_000_000);
        let model = finsam::open_read_only(&big).expect("the ten-million database");
        let n = model.count_rows("enrolment").unwrap();
        let seconds = time(runs.min(3), || {
            standard_report(&model, &all).expect("report");
        });
        println!("standard report on {n} enrolments: {seconds:.2} s (target: 1.5 s)");
    }
}

/// Times finsam's own report statements for `cohorts` (parameters inlined, one after the other) on the
/// model's own connection, what finsam's work costs in the DuckDB it is built with without anything finsam
/// does around it, alternately with `ours` (finsam's whole analysis), run by run. Returns the median of
/// the statements' time and the median of the ratios ours / statements: the machine's speed drifts over a
/// benchmark of minutes (the same statement took 0.15 to 0.23 s on the development machine), and a ratio
/// of two medians taken minutes apart carries that drift.
fn linked_floor(model: &Model, runs: u64, cohorts: &[Cohort], mut ours: impl FnMut()) -> (f64, f64) {
    let statements: Vec<String> = cohorts.iter().map(|c| report_statement(model, c).expect("the report statement")).collect();
    let floor = || {
        for sql in &statements {
            model.query(sql, &[]).expect("the report statement runs");
        }
    };
    ours();
    floor();
    let (mut floors, mut ratios) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        ours();
        let a = start.elapsed().as_secs_f64();
        let start = Instant::now();
        floor();
        let b = start.elapsed().as_secs_f64();
        floors.push(b);
        ratios.push(a / b);
    }
    (median(floors), median(ratios))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap());
    values[values.len() / 2]
}

/// The version of the DuckDB finsam is linked with.
fn duckdb_version(model: &Model) -> String {
    model.query_rows("SELECT version()", &[], |r| r.get::<_, String>(0)).ok().and_then(|v| v.into_iter().next()).unwrap_or_default()
}

/// Times finsam's own report statements (parameters inlined) in DuckDB's Python package on the same file:
/// for each group of cohorts, the sum of the medians.
fn engine_floor(model: &Model, db: &Path, runs: u64, groups: &[Vec<Cohort>]) -> Option<(String, Vec<f64>)> {
    let python = std::env::var("FINSAM_BENCH_PYTHON").ok()?;
    let mut files = Vec::new();
    for (g, cohorts) in groups.iter().enumerate() {
        for (i, c) in cohorts.iter().enumerate() {
            let file = std::env::temp_dir().join(format!("finsam-bench-{g}-{i}.sql"));
            std::fs::write(&file, report_statement(model, c).expect("the report statement")).expect("a statement file");
            files.push((g, file));
        }
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/engine_floor.py");
    let out = Command::new(python).arg(script).arg(db).arg(runs.to_string()).args(files.iter().map(|(_, f)| f)).output().ok()?;
    if !out.status.success() {
        eprintln!("engine floor failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut words = stdout.split_whitespace();
    let version = words.next()?.to_string();
    let seconds: Vec<f64> = words.filter_map(|v| v.parse().ok()).collect();
    if seconds.len() != files.len() {
        return None;
    }
    let mut sums = vec![0.0; groups.len()];
    for ((g, _), s) in files.iter().zip(seconds) {
        sums[*g] += s;
    }
    Some((version, sums))
}

/// Exports the two tables the report reads to Parquet once, and times a data-frame library (the script:
/// pandas or polars) computing the same figures from them (the join included, as finsam and the
/// hand-written query do it).
fn dataframe_times(model: &Model, db: &Path, runs: u64, script: &str) -> Option<(f64, f64)> {
    let python = std::env::var("FINSAM_BENCH_PYTHON").ok()?;
    let enrolment = db.with_extension("enrolment.parquet");
    let participant = db.with_extension("participant.parquet");
    for (table, file) in [("enrolment", &enrolment), ("participant", &participant)] {
        if !file.exists() {
            // A read-only database may still COPY its rows out to a file.
            model.execute_batch(&format!("COPY {table} TO '{}' (FORMAT parquet)", file.display())).expect("Parquet export");
        }
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(script);
    let out = Command::new(python).arg(&script).arg(&enrolment).arg(&participant).arg(runs.to_string()).output().ok()?;
    if !out.status.success() {
        eprintln!("{} failed: {}", script.display(), String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace().map(|v| v.parse::<f64>());
    match (parts.next(), parts.next()) {
        (Some(Ok(a)), Some(Ok(b))) => Some((a, b)),
        _ => None,
    }
}
