//! The age-sex plugin on the demo, through the core's test bench: `cargo test -p finsam-age-sex`.

use finsam::kit::Bench;
use finsam_age_sex::AgeSexPlugin;

static PLUGIN: AgeSexPlugin = AgeSexPlugin;

#[test]
fn the_raw_table_counts_each_person_of_the_cohort_once() {
    let bench = Bench::new(&PLUGIN).unwrap();
    let out = bench.run("age-sex").intervention("comung").period("2022-2023").raw().unwrap();
    let rows = Bench::rows(&out, "age_sex").unwrap();
    let total: u64 = rows.iter().filter(|r| r[0] != "totalt").map(|r| r[3].parse::<u64>().unwrap()).sum();
    let truth = bench
        .sql(
            "SELECT count(DISTINCT participant_key) FROM enrolment
             WHERE intervention_id = 'comung' AND start_date BETWEEN DATE '2022-01-01' AND DATE '2023-12-31'",
        )
        .unwrap();
    assert_eq!(total.to_string(), truth[0][0]);
}

#[test]
fn no_published_cell_shows_one_to_four_people() {
    let bench = Bench::new(&PLUGIN).unwrap();
    for intervention in ["comung", "krami", "pnf"] {
        for out in [
            bench.run("age-sex").intervention(intervention).protected().unwrap(),
            bench.run("age-sex").intervention(intervention).suppressed().unwrap(),
        ] {
            assert_eq!(Bench::small_counts(&out).unwrap(), Vec::new(), "{intervention}");
        }
    }
}

#[test]
fn a_minimum_age_inside_a_band_is_refused() {
    let bench = Bench::new(&PLUGIN).unwrap();
    let err = bench.run("age-sex").arg("min_age", "22").protected().unwrap_err().to_string();
    assert!(err.contains("cuts through an age band"), "{err}");
}

#[test]
fn the_bench_sees_a_count_of_one_to_four_in_raw_output() {
    // A small cohort's raw table has cells of 1–4: the check that guards the protected ones must find them.
    let bench = Bench::new(&PLUGIN).unwrap();
    let out = bench.run("age-sex").intervention("pnf").period("2021").raw().unwrap();
    assert!(!Bench::small_counts(&out).unwrap().is_empty());
}
