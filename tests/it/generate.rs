//! The scale generator: deterministic for a seed, plausible, and within the model's constraints.

use crate::common::{fingerprint, scalar_f64, scalar_i64};
use finsam::generate::{generate, GenerateOptions};
use finsam::Model;

fn generated(participants: u64, seed: u64) -> Model {
    let model = finsam::in_memory().unwrap();
    let mut calls = Vec::new();
    let mut options = GenerateOptions::new(participants, seed);
    options.chunks = 4;
    generate(&model, &options, |done, total| calls.push((done, total))).unwrap();
    assert_eq!(calls.last(), Some(&(participants, participants)), "progress ends at the total");
    assert_eq!(calls.len(), 4);
    model
}

#[test]
fn the_same_seed_gives_the_same_database() {
    let a = generated(6_000, 7);
    let b = generated(6_000, 7);
    for table in finsam::model::TABLES {
        assert_eq!(fingerprint(&a, table), fingerprint(&b, table), "{table}");
    }
    let c = generated(6_000, 8);
    assert_ne!(fingerprint(&a, "enrolment"), fingerprint(&c, "enrolment"));
}

#[test]
fn generated_data_is_plausible() {
    let m = generated(20_000, 1);
    assert_eq!(scalar_i64(&m, "SELECT count(*) FROM participant"), 20_000);
    let per_person = scalar_f64(&m, "SELECT count(*) / 20000.0 FROM enrolment");
    assert!((1.2..1.3).contains(&per_person), "about 1.25 enrolments a person: {per_person}");
    let women = scalar_f64(&m, "SELECT avg((sex = 'female')::INTEGER) FROM participant");
    assert!((0.49..0.55).contains(&women), "{women}");
    let to_work = scalar_f64(&m, "SELECT avg((occupation_after = 'work')::INTEGER) FROM enrolment WHERE exit_date IS NOT NULL");
    assert!((0.15..0.35).contains(&to_work), "{to_work}");
    let open = scalar_f64(&m, "SELECT avg((exit_date IS NULL)::INTEGER) FROM enrolment");
    assert!((0.01..0.3).contains(&open), "some still enrolled at the data's end: {open}");
    // Each federation-year pays in 50/25/25.
    let off = scalar_i64(
        &m,
        "SELECT count(*) FROM (SELECT m.federation_id, c.year, sum(c.amount_sek) AS total,
                                      sum(c.amount_sek) FILTER (m.party = 'fk') AS fk
                               FROM contribution c JOIN member m USING (member_id) GROUP BY ALL)
         WHERE fk * 2 <> total",
    );
    assert_eq!(off, 0);
    assert!(scalar_i64(&m, "SELECT count(*) FROM budget_line WHERE category = 'administration'") > 0);
    assert!(m.is_synthetic().unwrap());
}

#[test]
fn refuses_nonsense_and_a_database_with_data() {
    let m = finsam::in_memory().unwrap();
    let err = generate(&m, &GenerateOptions::new(0, 1), |_, _| {}).err().unwrap().to_string();
    assert!(err.contains("at least 1"), "{err}");
    let m = generated(1_000, 1);
    let err = generate(&m, &GenerateOptions::new(1_000, 1), |_, _| {}).err().unwrap().to_string();
    assert!(err.contains("already holds data"), "{err}");
}
