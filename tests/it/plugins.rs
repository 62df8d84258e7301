//! The plugin host: registration, arguments, protection of plugin counts, failures that leave the model
//! usable, read-only SQL, plugin tables, SQL functions against the Rust functions, and the built-in plugins.

use crate::common;

use finsam::analysis::Cohort;
use finsam::codes::Lang;
use finsam::disclosure::Protection;
use finsam::plugins::{builtin, builtin_with, run_analysis, ArgInput, Call};
use finsam::{FinsamError, Model};
use finsam_plugin::arrow::array::ArrayRef;
use finsam_plugin::arrow::datatypes::DataType;
use finsam_plugin::{Analysis, ArgSpec, Args, Context, Output, Plugin, PluginError, PluginTable, Registrar, Section, SqlFunction, Tally, Value};

fn call(name: &str, args: &[(&str, &str)], protection: Protection) -> Call {
    Call {
        name: name.into(),
        cohort: None,
        args: args.iter().map(|(k, v)| (k.to_string(), ArgInput::Text(v.to_string()))).collect(),
        lang: Lang::Sv,
        protection,
    }
}

/// A plugin that tests what the host does with what plugins do.
struct Probe;

/// Returns counts of 1–4 (and their sum) in a table of its own.
struct SmallCounts;
impl Analysis for SmallCounts {
    fn name(&self) -> &'static str {
        "small-counts"
    }
    fn description(&self) -> &'static str {
        "counts of 1 to 4"
    }
    fn run(&self, _: &dyn Context, _: &Args) -> Result<Output, PluginError> {
        let mut s = Section::new("small", "small", &["group", "n"]);
        for (i, n) in [1u64, 2, 3, 4, 40].iter().enumerate() {
            s.push(vec![Value::Text(format!("g{i}")), Value::Count(Tally::new(*n, 0x9e37_79b9 * (i as u64 + 1)))]);
        }
        Ok(Output { heading: "small".into(), sections: vec![s] })
    }
}

struct Fails;
impl Analysis for Fails {
    fn name(&self) -> &'static str {
        "fails"
    }
    fn description(&self) -> &'static str {
        "returns an error"
    }
    fn run(&self, _: &dyn Context, _: &Args) -> Result<Output, PluginError> {
        Err(PluginError::new("the parameters file is missing"))
    }
}

struct Panics;
impl Analysis for Panics {
    fn name(&self) -> &'static str {
        "panics"
    }
    fn description(&self) -> &'static str {
        "panics in the middle of a read"
    }
    fn run(&self, ctx: &dyn Context, _: &Args) -> Result<Output, PluginError> {
        let _ = ctx.query("SELECT count(*) FROM cohort", &[])?;
        panic!("index out of bounds");
    }
}

struct Writes;
impl Analysis for Writes {
    fn name(&self) -> &'static str {
        "writes"
    }
    fn description(&self) -> &'static str {
        "tries to change the database"
    }
    fn run(&self, ctx: &dyn Context, _: &Args) -> Result<Output, PluginError> {
        for sql in
            ["DELETE FROM enrolment", "WITH gone AS (DELETE FROM enrolment RETURNING 1) SELECT count(*) FROM gone", "COPY enrolment TO 'x.csv'"]
        {
            if ctx.query(sql, &[]).is_ok() {
                // A data-modifying CTE may run, but it is rolled back.
            }
        }
        Ok(Output::default())
    }
}

struct Ragged;
impl Analysis for Ragged {
    fn name(&self) -> &'static str {
        "ragged"
    }
    fn description(&self) -> &'static str {
        "a row shorter than its columns"
    }
    fn run(&self, _: &dyn Context, _: &Args) -> Result<Output, PluginError> {
        let mut s = Section::new("t", "t", &["a", "b"]);
        s.push(vec![Value::Integer(Some(1))]);
        Ok(Output { heading: String::new(), sections: vec![s] })
    }
}

/// Two tables with one id, and one without: JSON, Python and the board report could not tell them apart.
struct SameIds;
impl Analysis for SameIds {
    fn name(&self) -> &'static str {
        "same-ids"
    }
    fn description(&self) -> &'static str {
        "tables without ids of their own"
    }
    fn run(&self, _: &dyn Context, args: &Args) -> Result<Output, PluginError> {
        let second = if args.flag("empty")? { "" } else { "table" };
        Ok(Output { heading: String::new(), sections: vec![Section::new("table", "one", &["a"]), Section::new(second, "two", &["a"])] })
    }
    fn args(&self) -> Vec<ArgSpec> {
        vec![ArgSpec::flag("empty", "the second table's id is empty")]
    }
}

impl Plugin for Probe {
    fn name(&self) -> &'static str {
        "probe"
    }
    fn description(&self) -> &'static str {
        "tests the host"
    }
    fn register(&self, r: &mut Registrar) {
        r.analysis(SmallCounts);
        r.analysis(Fails);
        r.analysis(Panics);
        r.analysis(Writes);
        r.analysis(Ragged);
        r.analysis(SameIds);
        r.table(PluginTable {
            name: "probe_note",
            migrations: vec!["CREATE TABLE probe_note (id INTEGER PRIMARY KEY, text VARCHAR)", "ALTER TABLE probe_note ADD COLUMN year INTEGER"],
        });
    }
}

fn probed() -> Model {
    let mut m = finsam::demo::model().unwrap();
    m.use_plugins(builtin_with(&[&Probe]).unwrap()).unwrap();
    m
}

fn values(output: &finsam::present::outputs::Output) -> Vec<Vec<String>> {
    output.sections[0].shown.rows_as_text().unwrap()
}

#[test]
fn the_built_in_plugins_are_listed() {
    let registry = builtin().unwrap();
    let names: Vec<&str> = registry.plugins().iter().map(|p| p.name).collect();
    assert_eq!(names, ["allocation", "stats-sql", "uppfoljning", "age-sex", "socio-economic"]);
    let listing = finsam::plugins::catalogue(&registry).unwrap().rows_as_text().unwrap();
    assert!(listing.iter().any(|r| r[2] == "wilson_low" && r[1] == "sql function"));
    assert!(listing.iter().any(|r| r[2] == "allocation" && r[4].contains("year (integer, required)")));
}

#[test]
fn counts_of_one_to_four_from_a_plugin_are_protected() {
    let m = probed();
    let perturbed = run_analysis(&m, &call("small-counts", &[], Protection::Perturbation)).unwrap();
    for row in values(&perturbed) {
        let n: u64 = row[1].parse().unwrap();
        assert!(n == 0 || n >= 5, "{row:?}");
    }
    assert!(perturbed.note.is_some());
    let suppressed = run_analysis(&m, &call("small-counts", &[], Protection::Suppression)).unwrap();
    let shown: Vec<String> = values(&suppressed).into_iter().map(|r| r[1].clone()).collect();
    assert!(shown[..4].iter().all(|v| v == "<5" || v == ".."), "{shown:?}");
    let raw = run_analysis(&m, &call("small-counts", &[], Protection::Raw)).unwrap();
    assert_eq!(values(&raw)[0][1], "1");
    assert!(raw.sections[0].title.contains("RÅDATA"));
}

#[test]
fn a_failing_or_panicking_plugin_is_named_and_the_model_stays_usable() {
    let m = probed();
    match run_analysis(&m, &call("fails", &[], Protection::Perturbation)) {
        Err(FinsamError::Plugin { plugin, message }) => assert_eq!((plugin.as_str(), message.as_str()), ("probe", "the parameters file is missing")),
        other => panic!("{other:?}"),
    }
    let err = run_analysis(&m, &call("panics", &[], Protection::Perturbation)).unwrap_err().to_string();
    assert!(err.starts_with("plugin 'probe'") && err.contains("index out of bounds"), "{err}");
    let err = run_analysis(&m, &call("ragged", &[], Protection::Perturbation)).unwrap_err().to_string();
    assert!(err.contains("row 1 of the table 't' has 1 values for 2 columns"), "{err}");
    // The connection is as it was: no transaction left open, no cohort view, analyses run.
    assert!(m.query("SELECT * FROM cohort", &[]).is_err());
    finsam::present::outputs::report_output(&m, &Default::default(), Lang::Sv, Protection::Perturbation).unwrap();
    run_analysis(&m, &call("small-counts", &[], Protection::Perturbation)).unwrap();
}

#[test]
fn plugins_only_read() {
    let m = probed();
    let before = common::scalar_i64(&m, "SELECT count(*) FROM enrolment");
    run_analysis(&m, &call("writes", &[], Protection::Perturbation)).unwrap();
    assert_eq!(common::scalar_i64(&m, "SELECT count(*) FROM enrolment"), before);
    assert!(!std::path::Path::new("x.csv").exists());
}

#[test]
fn plugin_tables_are_migrated_once_and_a_failing_migration_writes_nothing() {
    let m = probed();
    assert_eq!(common::scalar_i64(&m, "SELECT count(*) FROM plugin_schema_version WHERE table_name = 'probe_note'"), 2);
    m.execute_batch("INSERT INTO probe_note VALUES (1, 'kept', 2024)").unwrap();

    struct Broken;
    impl Plugin for Broken {
        fn name(&self) -> &'static str {
            "broken"
        }
        fn description(&self) -> &'static str {
            "a migration that fails half-way"
        }
        fn register(&self, r: &mut Registrar) {
            r.table(PluginTable {
                name: "broken_t",
                migrations: vec!["CREATE TABLE broken_t (a INTEGER); INSERT INTO broken_t VALUES ('not a number')"],
            });
        }
    }
    let mut m = m;
    let err = m.use_plugins(builtin_with(&[&Probe, &Broken]).unwrap()).unwrap_err().to_string();
    assert!(err.contains("plugin 'broken'") && err.contains("migration 1 of the table broken_t failed"), "{err}");
    assert!(m.query("SELECT * FROM broken_t", &[]).is_err(), "nothing of the failed migration is left");
    assert_eq!(common::scalar_i64(&m, "SELECT count(*) FROM plugin_schema_version WHERE table_name = 'broken_t'"), 0);
    assert_eq!(common::scalar(&m, "SELECT text FROM probe_note"), "kept");
}

#[test]
fn names_taken_twice_are_refused() {
    struct Again;
    impl Plugin for Again {
        fn name(&self) -> &'static str {
            "again"
        }
        fn description(&self) -> &'static str {
            "takes a name already taken"
        }
        fn register(&self, r: &mut Registrar) {
            r.analysis(SmallCounts);
        }
    }
    let err = builtin_with(&[&Probe, &Again]).err().unwrap().to_string();
    assert!(err.contains("'small-counts' is already taken by plugin 'probe'"), "{err}");
    struct AllocationAgain;
    impl Plugin for AllocationAgain {
        fn name(&self) -> &'static str {
            "allocation"
        }
        fn description(&self) -> &'static str {
            "x"
        }
        fn register(&self, _: &mut Registrar) {}
    }
    assert!(builtin_with(&[&AllocationAgain]).err().unwrap().to_string().contains("already registered"));
}

#[test]
fn unknown_analyses_and_bad_arguments_say_what_is_expected() {
    let m = finsam::demo::model().unwrap();
    let err = run_analysis(&m, &call("alocation", &[], Protection::Perturbation)).unwrap_err().to_string();
    assert!(err.contains("unknown plugin analysis 'alocation'") && err.contains("allocation, age-sex"), "{err}");
    let err = run_analysis(&m, &call("allocation", &[("year", "2024"), ("base", "much")], Protection::Perturbation)).unwrap_err().to_string();
    assert!(err.contains("'base'") && err.contains("number") && err.contains("default 400000"), "{err}");
    let err = run_analysis(&m, &call("allocation", &[("yr", "2024")], Protection::Perturbation)).unwrap_err().to_string();
    assert!(err.contains("no argument 'yr'") && err.contains("year (integer, required)"), "{err}");
    let mut with_cohort = call("allocation", &[("year", "2024")], Protection::Perturbation);
    with_cohort.cohort = Some(finsam::analysis::Cohort { federations: vec!["umea".into()], ..Default::default() });
    assert!(run_analysis(&m, &with_cohort).unwrap_err().to_string().contains("takes no cohort filters"));
}

#[test]
fn the_allocation_plugin_runs_on_the_demo() {
    let m = finsam::demo::model().unwrap();
    let out = run_analysis(&m, &call("allocation", &[("year", "2024")], Protection::Perturbation)).unwrap();
    let rows = values(&out);
    assert_eq!(rows.len(), 9);
    let number = |r: &Vec<String>, i: usize| r[i].parse::<f64>().unwrap();
    assert!(rows.iter().all(|r| number(r, 8) <= number(r, 5) && number(r, 5) >= 400_000.0));
    // The rows add up to the heading's total, in whole kronor.
    let total: f64 = rows.iter().map(|r| number(r, 8)).sum();
    assert!(out.heading.contains(&format!("{total:.0} kr fördelat")), "{} vs {total}", out.heading);
    // No cap by default outside 2016–2017: the same as asking for none.
    let none = run_analysis(&m, &call("allocation", &[("year", "2024"), ("max_cut", "0")], Protection::Perturbation)).unwrap();
    assert_eq!(values(&none), rows);
    // The 10 % cap of 2016–2017, asked for explicitly.
    let capped = run_analysis(&m, &call("allocation", &[("year", "2024"), ("max_cut", "0.1")], Protection::Perturbation)).unwrap();
    assert!(values(&capped).iter().all(|r| number(r, 8) >= 0.9 * number(r, 5) - 1.0));
    let lappland = rows.iter().find(|r| r[0].contains("Lappland")).unwrap();
    assert!(number(lappland, 7) > 0.0, "södra Lappland's equity is above the reasonable level");
    let key: f64 = rows.iter().map(|r| number(r, 4)).sum();
    assert!((key - 1.0).abs() < 1e-5);
    assert!(out.heading.starts_with("År 2024:"));
    let uncapped =
        run_analysis(&m, &call("allocation", &[("year", "2024"), ("max_cut", "0"), ("amount", "20000000")], Protection::Perturbation)).unwrap();
    assert!(uncapped.heading.contains("20000000 kr att fördela"));
    let err = run_analysis(&m, &call("allocation", &[("year", "1999")], Protection::Perturbation)).unwrap_err().to_string();
    assert!(err.contains("plugin 'allocation'") && err.contains("no allocation inputs"), "{err}");
}

#[test]
fn the_age_sex_example_counts_each_person_once() {
    let m = finsam::demo::model().unwrap();
    let mut c = call("age-sex", &[], Protection::Raw);
    c.cohort = Some(finsam::analysis::Cohort { interventions: vec!["comung".into()], ..Default::default() });
    let rows = values(&run_analysis(&m, &c).unwrap());
    let total: i64 = rows.iter().map(|r| r[3].parse::<i64>().unwrap()).sum();
    let people = common::scalar_i64(&m, "SELECT count(DISTINCT participant_key) FROM enrolment WHERE intervention_id = 'comung' AND consent");
    assert_eq!(total, people);
    let older = run_analysis(&m, &Call { args: vec![("min_age".into(), ArgInput::Text("25".into()))], ..c }).unwrap();
    assert!(values(&older).iter().take(2).all(|r| r[3] == "0"), "nobody under 25 counted");
}

/// A random source for the comparisons (no dependency: a linear congruential generator).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

#[test]
fn the_sql_functions_equal_the_rust_functions() {
    use finsam::analysis::stats::{age_band, difference, wilson, Share};
    let m = finsam::in_memory().unwrap();
    let mut rng = Lcg(7);
    for _ in 0..300 {
        let (n1, n2) = (rng.below(400), rng.below(400));
        let (k1, k2) = (rng.below(n1 + 1), rng.below(n2 + 1));
        let row = m
            .query_rows(
                "SELECT wilson_low(?, ?), wilson_high(?, ?), newcombe_low(?, ?, ?, ?), newcombe_high(?, ?, ?, ?)",
                &[&k1, &n1, &k1, &n1, &k1, &n1, &k2, &n2, &k1, &n1, &k2, &n2],
                |r| Ok((r.get::<_, Option<f64>>(0)?, r.get::<_, Option<f64>>(1)?, r.get::<_, Option<f64>>(2)?, r.get::<_, Option<f64>>(3)?)),
            )
            .unwrap()[0];
        let w = wilson(k1, n1);
        assert_eq!((row.0, row.1), (w.map(|x| x.0), w.map(|x| x.1)), "{k1}/{n1}");
        let d = difference(Share::new(k1, n1), Share::new(k2, n2));
        assert_eq!((row.2, row.3), (d.low, d.high), "{k1}/{n1} - {k2}/{n2}");
    }
    for birth in [1940, 1960, 1990, 2001, 2004, 2010] {
        let band: Option<String> =
            m.query_rows("SELECT age_band(?, DATE '2020-06-30')", &[&birth], |r| r.get::<_, Option<String>>(0)).unwrap()[0].clone();
        assert_eq!(band.as_deref(), age_band(2020 - birth));
    }
    // NULL in, NULL out; n = 0 is NULL, never NaN; nonsense is an error that says why.
    let nulls: Vec<Option<f64>> = m
        .query_rows("SELECT wilson_low(NULL, 5) UNION ALL SELECT wilson_high(0, 0) UNION ALL SELECT newcombe_low(1, 2, NULL, 3)", &[], |r| r.get(0))
        .unwrap();
    assert_eq!(nulls, [None, None, None]);
    let err = m.query("SELECT wilson_low(6, 5)", &[]).unwrap_err().to_string();
    assert!(err.contains("k (6) must not exceed n (5)"), "{err}");
    // Any integer type fits: a count(*) and a sum.
    let from_counts: f64 = m.query_rows("SELECT wilson_low(count(*) FILTER (x % 2 = 0), sum(1)) FROM range(10) t(x)", &[], |r| r.get(0)).unwrap()[0];
    assert_eq!(Some(from_counts), wilson(5, 10).map(|x| x.0));
}

#[test]
fn sql_functions_take_nulls_and_return_nulls_for_a_plugin_that_ignores_them() {
    struct Double;
    impl SqlFunction for Double {
        fn name(&self) -> &'static str {
            "probe_double"
        }
        fn description(&self) -> &'static str {
            "x * 2, written without a thought for NULL"
        }
        fn params(&self) -> Vec<(&'static str, DataType)> {
            vec![("x", DataType::Float64)]
        }
        fn returns(&self) -> DataType {
            DataType::Float64
        }
        fn invoke(&self, columns: &[ArrayRef]) -> Result<ArrayRef, PluginError> {
            use finsam_plugin::arrow::array::{AsArray, Float64Array};
            use finsam_plugin::arrow::datatypes::Float64Type;
            let x = columns[0].as_primitive::<Float64Type>();
            Ok(std::sync::Arc::new(Float64Array::from(x.values().iter().map(|v| v * 2.0).collect::<Vec<_>>())))
        }
    }
    struct Doubler;
    impl Plugin for Doubler {
        fn name(&self) -> &'static str {
            "doubler"
        }
        fn description(&self) -> &'static str {
            "x"
        }
        fn register(&self, r: &mut Registrar) {
            r.sql_function(Double);
        }
    }
    let mut m = finsam::in_memory().unwrap();
    m.use_plugins(builtin_with(&[&Doubler]).unwrap()).unwrap();
    let out: Vec<Option<f64>> = m.query_rows("SELECT probe_double(x) FROM (VALUES (1.5), (NULL), (4)) t(x)", &[], |r| r.get(0)).unwrap();
    assert_eq!(out, [Some(3.0), None, Some(8.0)]);
}

#[test]
fn the_national_follow_up_export_counts_what_the_rows_say_and_protects_it() {
    let m = finsam::demo::model().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let export = |args: &[(&str, &str)], protection, file: &str| {
        let path = dir.path().join(file);
        let c = call("uppfoljning", args, protection);
        finsam::export::export_plugin(&m, &c, &path, false).unwrap();
        std::fs::read_to_string(&path).unwrap_or_default()
    };
    let raw = export(&[("year", "2022")], Protection::Raw, "raw.csv");
    let lines: Vec<&str> = raw.lines().collect();
    assert!(lines[0].starts_with("# Insatser per år"));
    let header: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(&header[..8], ["förbund", "insats-id", "insats", "år", "individ/struktur", "inriktning", "målgrupp", "nya deltagare kvinnor"]);
    let comung: Vec<&str> = lines.iter().find(|l| l.starts_with("lund,comung,")).unwrap().split(',').collect();
    let started_women = common::scalar_i64(
        &m,
        "SELECT count(*) FROM enrolment e JOIN participant p USING (participant_key)
         WHERE e.intervention_id = 'comung' AND year(e.start_date) = 2022 AND p.sex = 'female' AND e.consent",
    );
    assert_eq!(comung[7].parse::<i64>().unwrap(), started_women);
    let budget = common::scalar_f64(
        &m,
        "SELECT sum(budget_sek)::DOUBLE FROM budget_line WHERE intervention_id = 'comung' AND year = 2022 AND category <> 'administration'",
    );
    assert_eq!(comung[header.iter().position(|h| *h == "budget totalt").unwrap()].parse::<f64>().unwrap(), budget.round());
    assert!(lines.iter().any(|l| l.contains("Styrning, ledning och administration")), "administration has rows of its own");

    // Protected (the default): no count of 1–4 in any count column.
    let protected = export(&[], Protection::Perturbation, "protected.csv");
    let rows: Vec<Vec<&str>> = protected.lines().skip(2).take_while(|l| !l.starts_with('#')).map(|l| l.split(',').collect()).collect();
    assert!(rows.len() > 20);
    for row in &rows {
        for value in &row[7..15] {
            if let Ok(n) = value.parse::<u64>() {
                assert!(n == 0 || n >= 5, "{row:?}");
            }
        }
    }
    assert!(protected.contains("högst ±2"), "the legend goes with the file");
    // Bad input: a file type it does not write, an unknown federation.
    let c = call("uppfoljning", &[], Protection::Perturbation);
    assert!(finsam::export::export_plugin(&m, &c, &dir.path().join("u.parquet"), false)
        .unwrap_err()
        .to_string()
        .contains("written as .xlsx or .csv"));
    let c = call("uppfoljning", &[("federation_id", "nowhere")], Protection::Perturbation);
    assert!(finsam::export::export_plugin(&m, &c, &dir.path().join("u.xlsx"), false)
        .unwrap_err()
        .to_string()
        .contains("unknown federation 'nowhere'"));
    assert!(!dir.path().join("u.xlsx").exists(), "nothing written after an error");
}

#[test]
fn the_sus_report_agrees_with_the_core_report() {
    use finsam::analysis::{standard_report, Cohort, Measure};
    let m = finsam::demo::model().unwrap();
    let cohort = Cohort { interventions: vec!["comung".into()], period: Some("2020-2023".into()), ..Default::default() };
    let (output, types) =
        finsam::plugins::run_exporter(&m, &Call { cohort: Some(cohort.clone()), ..call("sus-rapport", &[], Protection::Raw) }).unwrap();
    assert_eq!(types, ["xlsx", "csv"]);
    let titles: Vec<&str> = output.sections.iter().map(|s| s.title.as_str()).collect();
    assert!(titles[0].starts_with("Deltagare efter kön och ålder") && titles[3].starts_with("Försörjning före och efter"), "{titles:?}");
    let report = standard_report(&m, &cohort).unwrap();
    let outcome = output.sections[2].shown.rows_as_text().unwrap();
    let (k, n) = report.tallies(Measure::StartedOrIncreased);
    assert_eq!(outcome[0][1].parse::<u64>().unwrap(), n.n, "exits");
    assert_eq!(outcome[2][1].parse::<u64>().unwrap(), k.n, "started or increased");
    assert_eq!(outcome[1][1].parse::<u64>().unwrap(), report.tallies(Measure::WorkOrStudies).0.n, "work or studies");
    let ages = output.sections[0].shown.rows_as_text().unwrap();
    let enrolments: u64 = ages.iter().map(|r| r[3].parse::<u64>().unwrap()).sum();
    assert_eq!(enrolments, report.enrolments.n);
    let matrix = output.sections[3].shown.rows_as_text().unwrap();
    let with_support_after: u64 = matrix.iter().flat_map(|r| r[1..].iter().map(|v| v.parse::<u64>().unwrap())).sum();
    let expected = common::scalar_i64(&m, "SELECT count(*) FROM enrolment WHERE intervention_id = 'comung' AND consent AND support_after IS NOT NULL AND exit_date IS NOT NULL AND start_date BETWEEN DATE '2020-01-01' AND DATE '2023-12-31'");
    assert_eq!(with_support_after as i64, expected);
}

#[test]
fn a_plugin_chart_kind_draws_its_analysis_published_output_with_the_core_theme() {
    use finsam::charts::build::ChartOptions;
    use finsam::charts::Body;
    use finsam::plugins::chart_by_name;
    let m = finsam::demo::model().unwrap();
    let cohort = finsam::analysis::Cohort { interventions: vec!["comung".into()], ..Default::default() };
    let drawn = chart_by_name(&m, "age-sex", &ChartOptions::new(cohort.clone())).unwrap();
    assert_eq!(drawn.name, "age-sex");
    let Body::Pyramid { bands, women, men } = &drawn.body else { panic!("{:?}", drawn.body) };
    assert_eq!(bands.len(), 7);
    // The same published values as the analysis printed.
    let out = run_analysis(&m, &Call { cohort: Some(cohort.clone()), ..call("age-sex", &[], Protection::Perturbation) }).unwrap();
    let rows = values(&out);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(women[i].shown(), Some(row[1].parse::<u64>().unwrap()));
        assert_eq!(men[i].shown(), Some(row[2].parse::<u64>().unwrap()));
    }
    assert!(drawn.footnote.contains("±2"), "the core adds the protection's legend");
    assert!(drawn.to_svg().unwrap().contains("<svg"));
    let err = chart_by_name(&m, "pyramids", &ChartOptions::new(cohort)).unwrap_err().to_string();
    assert!(err.contains("unknown chart kind 'pyramids'") && err.contains("pyramid, age-sex"), "{err}");
}

/// The national follow-up's rows are every year of each intervention's life (and every year with money),
/// whoever took part: removing every participant of an intervention in a year leaves the rows as they were
/// (a row only where someone took part would say so beside a published 0). Its machine names are the English
/// headings in snake_case, in Swedish output too.
#[test]
fn the_national_follow_up_has_the_same_rows_whoever_took_part() {
    let m = finsam::demo::model().unwrap();
    let rows = |m: &Model| -> Vec<(String, i64)> {
        let (output, _) = finsam::plugins::run_exporter(m, &call("uppfoljning", &[("year", "2022")], Protection::Perturbation)).unwrap();
        let data = &output.sections[0].data;
        let ids = data.texts("intervention_id").unwrap();
        let years = data.numbers("year").unwrap();
        ids.into_iter().zip(years).map(|(i, y)| (i.unwrap(), y.unwrap() as i64)).collect()
    };
    let before = rows(&m);
    assert!(before.iter().any(|(i, _)| i == "krami"), "{before:?}");
    // Krami without anyone enrolled at any time in 2022.
    m.execute_batch(
        "CREATE TEMP TABLE gone AS SELECT enrolment_id FROM enrolment
         WHERE intervention_id = 'krami' AND start_date <= DATE '2022-12-31' AND (exit_date IS NULL OR exit_date >= DATE '2022-01-01');
         DELETE FROM observation WHERE enrolment_id IN (SELECT enrolment_id FROM gone);
         DELETE FROM enrolment WHERE enrolment_id IN (SELECT enrolment_id FROM gone);
         DELETE FROM anonymous_count WHERE intervention_id = 'krami' AND year = 2022;",
    )
    .unwrap();
    assert_eq!(rows(&m), before);
}

#[test]
fn a_plugin_table_needs_an_id_of_its_own() {
    let m = probed();
    let call = |empty: bool| Call {
        name: "same-ids".into(),
        args: if empty { vec![("empty".into(), ArgInput::Text("true".into()))] } else { Vec::new() },
        ..Default::default()
    };
    let repeated = run_analysis(&m, &call(false)).unwrap_err().to_string();
    assert!(repeated.contains("two tables have the id 'table'"), "{repeated}");
    let empty = run_analysis(&m, &call(true)).unwrap_err().to_string();
    assert!(empty.contains("table 2 ('two') has the id ''"), "{empty}");
}

#[test]
fn the_board_report_finds_the_socio_economic_tables_by_id() {
    let m = finsam::demo::model().unwrap();
    let call = Call {
        name: "socio-economic".into(),
        cohort: Some(Cohort { interventions: vec!["ungdomstorget".into()], period: Some("2022-2023".into()), ..Default::default() }),
        ..Default::default()
    };
    let out = run_analysis(&m, &call).unwrap();
    let ids: Vec<&str> = out.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "actors",
            "key_figures",
            "basis",
            "gain_by_sex",
            "gain_by_age",
            "gain_by_education",
            "sensitivity",
            "scenarios",
            "payback",
            "parameters",
            "assumptions"
        ]
    );
}
