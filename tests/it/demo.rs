//! The demo reproduces the founding documents: every project, its dates, ages and parties, the 2014
//! figures, the 50/25/25 rule, and every documented outcome, each computed here from the person-level rows.

use crate::common;

use crate::common::{scalar, scalar_f64, scalar_i64};
use finsam::Model;

/// Each test builds its own demo (a `Model` is `Send` but not `Sync`); building it takes well under a second.
fn demo() -> Model {
    finsam::demo::model().expect("the demo loads")
}

#[test]
fn every_project_of_the_documents_is_an_intervention_of_its_federation() {
    let m = demo();
    let expected = [
        ("vuxenslussen", "Finsam-Falun", "Vuxenslussen"),
        ("framgangen", "Finsam-Falun", "Framgången"),
        ("dua-falun", "Finsam-Falun", "DUA Falun"),
        ("hbs-viljeforklaring", "Samordningsförbundet Huddinge Botkyrka Salem", "Gemensam viljeförklaring FK–AF: behovsfångst"),
        ("flerpartssamverkan-sodra-lappland", "Samordningsförbundet i södra Lappland", "Flerpartssamverkan i södra Lappland"),
        ("ale-ungdomsteam", "Samordningsförbundet Ale", "Ungdomsteamet i Ale"),
        ("kommunbryggan", "Samordningsförbundet Fagersta Norberg Skinnskatteberg", "KommunBryggan"),
        ("pnf", "Samordningsförbundet Fagersta Norberg Skinnskatteberg", "Pilotsamverkan Nyanlända i Fagersta (PNF)"),
        ("comung", "Samordningsförbundet Lund", "ComUng"),
        ("spanga-tensta", "Samordningsförbundet Stockholms stad", "Samverkan Spånga–Tensta"),
        ("100-i-arbete", "Samordningsförbundet Söderhamn", "100 i arbete"),
        ("ungdomstorget", "Samordningsförbundet Umeå", "Ungdomstorget"),
        ("steget-vidare", "Samordningsförbundet Umeå", "Steget vidare"),
        ("nafs", "Samordningsförbundet Umeå", "NAFS"),
        ("krami", "Samordningsförbundet Umeå", "Krami"),
        ("sams", "Samordningsförbundet Umeå", "Sams"),
        ("insteget", "Samordningsförbundet Umeå", "Insteget"),
    ];
    for (id, federation, name) in expected {
        let found = scalar(
            &m,
            &format!("SELECT f.name || ' / ' || i.name FROM intervention i JOIN federation f USING (federation_id) WHERE intervention_id = '{id}'"),
        );
        assert_eq!(found, format!("{federation} / {name}"));
    }
    // Krami works with Kriminalvården; Vuxenslussen's parties include the region's psychiatry.
    assert_eq!(scalar(&m, "SELECT unit FROM intervention_party WHERE intervention_id = 'krami' AND party = 'other'"), "Kriminalvården");
    assert_eq!(
        scalar_i64(&m, "SELECT count(*) FROM intervention_party WHERE intervention_id = 'vuxenslussen' AND party = 'region' AND unit = 'Psykiatrin'"),
        1
    );
}

#[test]
fn dates_and_age_limits_are_as_documented() {
    let m = demo();
    let dates = |id: &str| {
        scalar(&m, &format!("SELECT start_date || ' ' || coalesce(end_date::VARCHAR, '-') FROM intervention WHERE intervention_id = '{id}'"))
    };
    assert_eq!(dates("flerpartssamverkan-sodra-lappland"), "2022-01-01 2023-12-31");
    assert_eq!(dates("vuxenslussen"), "2019-01-01 -");
    assert_eq!(dates("framgangen"), "2016-01-01 2018-12-31");
    assert_eq!(dates("100-i-arbete"), "2009-01-01 -");
    for (id, lo, hi) in [("comung", 18, 25), ("ungdomstorget", 18, 29), ("steget-vidare", 25, 64), ("dua-falun", 16, 24)] {
        assert_eq!(scalar(&m, &format!("SELECT age_min || '–' || age_max FROM intervention WHERE intervention_id = '{id}'")), format!("{lo}–{hi}"));
        // Every participant's age at start lies within the limits.
        let outside = scalar_i64(
            &m,
            &format!(
                "SELECT count(*) FROM enrolment e JOIN participant p USING (participant_key)
                 WHERE e.intervention_id = '{id}' AND (year(e.start_date) - p.birth_year NOT BETWEEN {lo} AND {hi})"
            ),
        );
        assert_eq!(outside, 0, "{id}");
    }
}

#[test]
fn municipality_context_2014_is_exactly_as_written() {
    let m = demo();
    let rows = m
        .query(
            "SELECT municipality, population, social_assistance_pct, young_adult_social_assistance_pct, unemployment_pct
             FROM municipality_context WHERE year = 2014 ORDER BY municipality",
            &[],
        )
        .unwrap()
        .rows_as_text()
        .unwrap();
    let expected = [
        ["Ale", "28000", "2.80", "6.60", "9.30"],
        ["Fagersta", "13000", "5.10", "11.00", "13.90"],
        ["Lund", "114000", "2.80", "3.00", "8.00"],
        ["Spånga–Tensta", "38000", "8.90", "12.30", "16.00"],
        ["Söderhamn", "25000", "5.60", "13.70", "15.60"],
        ["Umeå", "118000", "3.10", "5.30", "10.60"],
    ];
    assert_eq!(rows, expected.iter().map(|r| r.iter().map(|s| s.to_string()).collect::<Vec<_>>()).collect::<Vec<_>>());
}

#[test]
fn contributions_follow_fifty_twenty_five_twenty_five() {
    let m = demo();
    let off = scalar_i64(
        &m,
        "WITH t AS (
           SELECT m.federation_id, c.year,
                  sum(c.amount_sek) FILTER (m.party = 'fk') AS fk,
                  sum(c.amount_sek) FILTER (m.party = 'af') AS af,
                  sum(c.amount_sek) FILTER (m.party = 'region') AS region,
                  sum(c.amount_sek) FILTER (m.party = 'municipality') AS municipalities,
                  sum(c.amount_sek) AS total
           FROM contribution c JOIN member m USING (member_id) GROUP BY ALL)
         SELECT count(*) FROM t
         WHERE fk * 2 <> total OR region * 4 <> total OR municipalities * 4 <> total OR af IS NOT NULL",
    );
    assert_eq!(off, 0, "every federation-year splits exactly 50/25/25, FK paying the state's half");
    // Every federation has contributions for every year 2019–2024.
    let missing = scalar_i64(
        &m,
        "SELECT count(*) FROM federation f, range(2019, 2025) t(y)
         WHERE NOT EXISTS (SELECT 1 FROM contribution c JOIN member m USING (member_id)
                           WHERE m.federation_id = f.federation_id AND c.year = y)",
    );
    assert_eq!(missing, 0);
    // Municipalities split their quarter by population: Huddinge pays more than Salem.
    let huddinge =
        scalar_i64(&m, "SELECT amount_sek::BIGINT FROM contribution WHERE member_id = 'huddinge-botkyrka-salem-municipality-1' AND year = 2022");
    let salem =
        scalar_i64(&m, "SELECT amount_sek::BIGINT FROM contribution WHERE member_id = 'huddinge-botkyrka-salem-municipality-3' AND year = 2022");
    assert!(huddinge > 5 * salem);
}

#[test]
fn budgets_and_actuals_by_financier_cover_2019_to_2024_with_esf_where_documented() {
    let m = demo();
    let years = scalar(&m, "SELECT min(year) || '-' || max(year) FROM budget_line WHERE year >= 2019");
    assert_eq!(years, "2019-2024");
    let esf = scalar(&m, "SELECT string_agg(DISTINCT intervention_id, ',') FROM budget_line WHERE financier = 'esf'");
    assert_eq!(esf, "framgangen", "the documents mention ESF for Framgången only");
    let esf_years = scalar(&m, "SELECT min(year) || '-' || max(year) FROM budget_line WHERE financier = 'esf'");
    assert_eq!(esf_years, "2016-2018");
    // Every federation has an office (administration) line and funded work each year it pays in.
    let without_office = scalar_i64(
        &m,
        "SELECT count(*) FROM (SELECT DISTINCT m.federation_id, c.year FROM contribution c JOIN member m USING (member_id)) fy
         WHERE NOT EXISTS (SELECT 1 FROM budget_line b WHERE b.federation_id = fy.federation_id AND b.year = fy.year
                           AND b.category = 'administration')",
    );
    assert_eq!(without_office, 0);
    // Umeå's Steget vidare started on Finsam money and became the municipality's own.
    assert_eq!(
        scalar(
            &m,
            "SELECT string_agg(DISTINCT financier, ',' ORDER BY financier) FROM budget_line WHERE intervention_id = 'steget-vidare' AND year <= 2019"
        ),
        "federation"
    );
    assert_eq!(
        scalar(
            &m,
            "SELECT string_agg(DISTINCT financier, ',' ORDER BY financier) FROM budget_line WHERE intervention_id = 'steget-vidare' AND year >= 2020"
        ),
        "municipality"
    );
    // Members pay a little more than the federation budgets: money adds up.
    let short = scalar_i64(
        &m,
        "SELECT count(*) FROM (
           SELECT b.federation_id, b.year, sum(b.budget_sek) AS budget,
                  (SELECT sum(c.amount_sek) FROM contribution c JOIN member mm USING (member_id)
                   WHERE mm.federation_id = b.federation_id AND c.year = b.year) AS paid
           FROM budget_line b WHERE b.financier = 'federation' GROUP BY ALL) WHERE paid < budget",
    );
    assert_eq!(short, 0);
}

#[test]
fn comung_about_65_percent_go_on_to_work_or_studies() {
    let m = demo();
    let share = scalar_f64(
        &m,
        "SELECT avg(CASE WHEN occupation_after IN ('work', 'studies') THEN 1 ELSE 0 END)
         FROM enrolment WHERE intervention_id = 'comung' AND exit_date IS NOT NULL",
    );
    assert_eq!((share * 100.0).round(), 65.0, "share {share}");
    assert!(scalar_i64(&m, "SELECT count(*) FROM enrolment WHERE intervention_id = 'comung' AND exit_date IS NOT NULL") > 400);
}

#[test]
fn hundred_in_work_thirty_percent_unsubsidised_work_twenty_percent_studies() {
    let m = demo();
    let exits = "FROM enrolment WHERE intervention_id = '100-i-arbete' AND exit_date IS NOT NULL";
    let work = scalar_f64(&m, &format!("SELECT avg(CASE WHEN occupation_after = 'work' AND NOT subsidised_work_after THEN 1 ELSE 0 END) {exits}"));
    let studies = scalar_f64(&m, &format!("SELECT avg(CASE WHEN occupation_after = 'studies' THEN 1 ELSE 0 END) {exits}"));
    assert_eq!((work * 100.0).round(), 30.0, "unsubsidised work {work}");
    assert_eq!((studies * 100.0).round(), 20.0, "studies {studies}");
    // Twelve months of created employment.
    let days = scalar(&m, &format!("SELECT min(exit_date - start_date) || '-' || max(exit_date - start_date) {exits}"));
    assert_eq!(days, "360-370");
}

#[test]
fn spanga_tensta_measured_group_150_in_march_2014_43_left_in_december() {
    let m = demo();
    let group = "FROM enrolment WHERE intervention_id = 'spanga-tensta' AND start_date BETWEEN DATE '2014-03-01' AND DATE '2014-03-31'";
    assert_eq!(scalar_i64(&m, &format!("SELECT count(*) {group}")), 150);
    let left = scalar_i64(&m, &format!("SELECT count(*) {group} AND (exit_date IS NULL OR exit_date > DATE '2014-12-31')"));
    assert_eq!(left, 43);
    let self_supporting = scalar_i64(
        &m,
        &format!(
            "SELECT count(*) {group} AND exit_date < start_date + INTERVAL 1 YEAR
             AND support_after IN ('wage', 'study_allowance', 'no_public_support')"
        ),
    );
    assert!(self_supporting >= 50, "the goal was at least 50 self-supporting within a year: {self_supporting}");
}

#[test]
fn both_periods_are_populated_for_every_running_intervention() {
    let m = demo();
    let empty = m
        .query(
            "SELECT i.intervention_id, p.name FROM intervention i, period p
             WHERE i.kind = 'individual' AND p.name IN ('2020-2021', '2022-2023')
               AND i.start_date <= DATE '2020-01-01' AND (i.end_date IS NULL OR i.end_date >= DATE '2023-12-31')
               AND (SELECT count(*) FROM enrolment e WHERE e.intervention_id = i.intervention_id
                    AND e.start_date BETWEEN p.start_date AND p.end_date) < 20",
            &[],
        )
        .unwrap()
        .rows_as_text()
        .unwrap();
    assert!(empty.is_empty(), "interventions with fewer than 20 starts in a period: {empty:?}");
    let running =
        scalar_i64(&m, "SELECT count(*) FROM intervention WHERE kind = 'individual' AND start_date <= DATE '2020-01-01' AND end_date IS NULL");
    assert!(running >= 15, "{running}");
}

#[test]
fn the_demo_is_marked_synthetic_and_deterministic() {
    let a = demo();
    assert!(a.is_synthetic().unwrap());
    assert_eq!(scalar_i64(&a, "SELECT count(*) FROM federation WHERE NOT synthetic"), 0);
    assert!(a.dataset_info("note_sv").unwrap().unwrap().contains("Syntetiska"));
    let b = demo();
    for table in finsam::model::TABLES {
        assert_eq!(common::fingerprint(&a, table), common::fingerprint(&b, table), "{table}");
    }
}

#[test]
fn the_demo_refuses_a_model_that_has_data() {
    let m = demo();
    let err = finsam::demo::load(&m).expect_err("refused").to_string();
    assert!(err.contains("already holds data"), "{err}");
}

#[test]
fn no_personnummer_like_identifiers_are_stored() {
    let m = demo();
    // Pseudonyms are 64 hex digits (HMAC-SHA256), never a 10- or 12-digit personnummer.
    let odd = scalar_i64(&m, "SELECT count(*) FROM participant WHERE NOT regexp_full_match(participant_id, '[0-9a-f]{64}')");
    assert_eq!(odd, 0);
}
