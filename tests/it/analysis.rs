//! Cohort analysis on the demo: figures agree with direct SQL on the person-level rows, board output hides
//! every small count, and bad input gets a clear message.

use crate::common;

use crate::common::{scalar_f64, scalar_i64};
use finsam::analysis::compare::compare;
use finsam::analysis::survival::{durations, Curve, Event};
use finsam::analysis::{standard_report, Cohort, Measure, Membership};
use finsam::codes::{CodeList, Lang, Sex};
use finsam::disclosure::{Protection, Protector};
use finsam::present::render::{comparison_section, report_sections, Section};
use finsam::{FinsamError, Model};

fn protector(m: &Model, protection: Protection) -> Protector {
    Protector::new(m, protection).unwrap()
}

fn cohort(interventions: &[&str], period: Option<&str>) -> Cohort {
    Cohort { interventions: interventions.iter().map(|s| s.to_string()).collect(), period: period.map(String::from), ..Cohort::default() }
}

#[test]
fn report_shares_agree_with_direct_sql() {
    let m = finsam::demo::model().unwrap();
    let r = standard_report(&m, &cohort(&["comung"], None)).unwrap();
    let exits = scalar_i64(&m, "SELECT count(*) FROM enrolment WHERE intervention_id = 'comung' AND exit_date IS NOT NULL") as u64;
    let share = r.share(Measure::WorkOrStudies);
    assert_eq!(share.n, exits);
    let direct = scalar_f64(
        &m,
        "SELECT avg((occupation_after IN ('work', 'studies'))::INT) FROM enrolment WHERE intervention_id = 'comung' AND exit_date IS NOT NULL",
    );
    assert!((share.p.unwrap() - direct).abs() < 1e-12);
    assert_eq!((share.p.unwrap() * 100.0).round(), 65.0, "ComUng's documented 65 %");
    let (lo, hi) = (share.low.unwrap(), share.high.unwrap());
    assert!(lo < 0.65 && 0.65 < hi && hi - lo < 0.1);
    // Self-support: none of the public supports after exit.
    let self_supporting = scalar_i64(&m, "SELECT count(*) FROM enrolment WHERE intervention_id = 'comung' AND exit_date IS NOT NULL AND support_after IN ('wage', 'study_allowance', 'no_public_support')");
    assert_eq!(r.share(Measure::SelfSupporting).k, self_supporting as u64);
    // Occupation before and after both count every exit.
    assert_eq!(r.occupation.iter().map(|c| c.before.n).sum::<u64>(), exits);
    assert_eq!(r.occupation.iter().map(|c| c.after.n).sum::<u64>(), exits);
    assert_eq!(r.transitions.iter().map(|t| t.exits.n).sum::<u64>(), exits);
    assert_eq!(r.by_sex_age.iter().map(|c| c.women.n + c.men.n).sum::<u64>(), r.enrolments.n);
    // ComUng takes 18–25-year-olds only.
    assert!(r.by_sex_age.iter().filter(|c| ["30–39", "40–49", "50–59", "60–"].contains(&c.band)).all(|c| c.women.n + c.men.n == 0));
    let d = r.days.as_ref().unwrap();
    assert!(d.q1 <= d.median && d.median <= d.q3);
}

#[test]
fn hundred_in_work_figures_from_the_report() {
    let m = finsam::demo::model().unwrap();
    let r = standard_report(&m, &cohort(&["100-i-arbete"], None)).unwrap();
    assert_eq!((r.share(Measure::UnsubsidisedWork).p.unwrap() * 100.0).round(), 30.0);
    let studies = r.occupation.iter().find(|c| c.occupation == finsam::codes::Occupation::Studies).unwrap().after.n as f64 / r.exited.n as f64;
    assert_eq!((studies * 100.0).round(), 20.0);
}

#[test]
fn filters_narrow_the_cohort() {
    let m = finsam::demo::model().unwrap();
    let all = standard_report(&m, &cohort(&["ungdomstorget"], Some("2020-2021"))).unwrap();
    let women = standard_report(&m, &Cohort { sex: Some(Sex::Female), ..cohort(&["ungdomstorget"], Some("2020-2021")) }).unwrap();
    let young = standard_report(&m, &Cohort { age: Some((18, 22)), ..cohort(&["ungdomstorget"], Some("2020-2021")) }).unwrap();
    assert!(women.enrolments.n < all.enrolments.n && women.enrolments.n > 0);
    assert_eq!(women.by_sex_age.iter().map(|c| c.men.n).sum::<u64>(), 0);
    assert!(young.enrolments.n < all.enrolments.n);
    let direct = scalar_i64(
        &m,
        "SELECT count(*) FROM enrolment WHERE intervention_id = 'ungdomstorget' AND start_date BETWEEN DATE '2020-01-01' AND DATE '2021-12-31'",
    );
    assert_eq!(all.enrolments.n, direct as u64);
    let overlap = standard_report(&m, &Cohort { membership: Membership::Overlap, ..cohort(&["ungdomstorget"], Some("2020-2021")) }).unwrap();
    assert!(overlap.enrolments.n > all.enrolments.n, "overlap also counts those who started before 2020");
    // Named period, years and dates mean the same span.
    for spelling in ["2020–2021", "2020-01-01..2021-12-31"] {
        let r = standard_report(&m, &cohort(&["ungdomstorget"], Some(spelling))).unwrap();
        assert_eq!(r.enrolments, all.enrolments, "{spelling}");
    }
}

#[test]
fn bad_input_gets_a_clear_message() {
    let m = finsam::demo::model().unwrap();
    let err = standard_report(&m, &cohort(&["comung", "cmung"], None)).unwrap_err();
    assert!(matches!(err, FinsamError::Unknown { what: "intervention", .. }));
    let text = err.to_string();
    assert!(text.contains("'cmung'") && text.contains("comung") && text.contains("vuxenslussen"), "{text}");
    for bad in ["twenty-twenty", "2023-2020", "2020-01-01..2019-01-01", "2020-13-01..2021-01-01"] {
        let err = standard_report(&m, &cohort(&[], Some(bad))).unwrap_err().to_string();
        assert!(err.contains(bad) || err.contains("ends before") || err.contains("is not a date"), "{bad}: {err}");
    }
    let err = standard_report(&m, &Cohort { age: Some((40, 30)), ..Cohort::default() }).unwrap_err().to_string();
    assert!(err.contains("age band"), "{err}");
    let err = standard_report(&m, &Cohort { federations: vec!["atlantis".into()], ..Cohort::default() }).unwrap_err().to_string();
    assert!(err.contains("unknown federation 'atlantis'"), "{err}");
}

#[test]
fn an_empty_cohort_is_a_valid_answer_without_nan() {
    let m = finsam::demo::model().unwrap();
    // Flerpartssamverkan is structural: no enrolments, but anonymous counts.
    let r = standard_report(&m, &cohort(&["flerpartssamverkan-sodra-lappland"], None)).unwrap();
    assert_eq!((r.enrolments.n, r.exited.n), (0, 0));
    assert!(Measure::ALL.iter().all(|m| r.share(*m).p.is_none() && r.share(*m).low.is_none()));
    assert!(r.days.is_none());
    assert!(r.anonymous.iter().map(|(_, _, n)| n.n).sum::<u64>() > 100, "structural work is counted beside");
    for section in [Protection::Perturbation, Protection::Suppression].into_iter().flat_map(|p| report_sections(&r, Lang::Sv, &protector(&m, p))) {
        let json = section.to_table().unwrap().to_json().unwrap();
        assert!(!json.to_lowercase().contains("nan"), "{json}");
    }
}

/// Every count a board sees is 0 or at least 5.
fn assert_no_small_counts(sections: &[Section]) {
    for s in sections {
        for row in s.to_table().unwrap().rows_as_text().unwrap() {
            for (column, value) in s.columns.iter().zip(row) {
                let is_count = !column.contains("andel")
                    && !column.contains("share")
                    && !column.contains("95")
                    && !column.contains("kvartil")
                    && !column.contains("quartile")
                    && column != "median"
                    && !column.contains("skillnad")
                    && !column.contains("p-");
                if let (true, Ok(n)) = (is_count, value.parse::<u64>()) {
                    assert!(n == 0 || n >= 5, "'{}' shows {n} in column {column}", s.title);
                }
            }
        }
    }
}

#[test]
fn board_output_shows_no_count_under_five_and_raw_output_says_raw() {
    let m = finsam::demo::model().unwrap();
    for id in ["krami", "pnf", "comung", "hbs-aktivitetsersattning"] {
        for period in [None, Some("2022-2023")] {
            let r = standard_report(&m, &cohort(&[id], period)).unwrap();
            for protection in [Protection::Perturbation, Protection::Suppression] {
                let board = report_sections(&r, Lang::Sv, &protector(&m, protection));
                assert_no_small_counts(&board);
                assert!(board.iter().all(|s| !s.title.contains("RÅDATA")));
            }
            let raw = report_sections(&r, Lang::En, &protector(&m, Protection::Raw));
            assert!(raw.iter().all(|s| s.title.contains("[RAW: not suppressed]")));
        }
    }
    // The transition matrix of a small intervention has small cells, which suppression hides.
    let r = standard_report(&m, &cohort(&["krami"], Some("2022-2023"))).unwrap();
    let raw = report_sections(&r, Lang::Sv, &protector(&m, Protection::Raw));
    let board = report_sections(&r, Lang::Sv, &protector(&m, Protection::Suppression));
    let text = |s: &Section| s.to_table().unwrap().to_csv().unwrap();
    assert!(text(&board[3]).contains(".."), "hidden cells of a table are written ..");
    assert!(!text(&raw[3]).contains(".."));
}

/// Before and after are two distributions of the same exits, not a table that adds up across: a small
/// cell in "before" hides cells of "before" only, so "after" shows every count when none is small.
#[test]
fn occupation_before_and_after_are_protected_column_by_column() {
    let m = finsam::demo::model().unwrap();
    let r = standard_report(&m, &cohort(&["comung"], None)).unwrap();
    assert!(r.occupation.iter().any(|c| (1..5).contains(&c.before.n)), "a small cell to protect: {:?}", r.occupation);
    assert!(r.occupation.iter().all(|c| c.after.n >= 5), "{:?}", r.occupation);
    let board = report_sections(&r, Lang::Sv, &protector(&m, Protection::Suppression));
    let rows = board[1].to_table().unwrap().rows_as_text().unwrap();
    let hidden_before = rows.iter().filter(|row| row[1] == "..").count();
    assert!(hidden_before >= 2, "a small cell and its partner: {rows:?}");
    assert!(rows.iter().all(|row| row[2] != ".."), "after: {rows:?}");
    assert_eq!(rows.last().unwrap()[1..], [r.exited.n.to_string(), r.exited.n.to_string()]);
}

#[test]
fn comparing_periods_gives_the_change_with_its_interval() {
    let m = finsam::demo::model().unwrap();
    let c = compare(&m, &cohort(&["comung"], Some("2020-2021")), &cohort(&["comung"], Some("2022-2023"))).unwrap();
    let (measure, d) = &c.differences[0];
    assert_eq!(*measure, Measure::WorkOrStudies);
    let (a, b) = (c.a.share(Measure::WorkOrStudies), c.b.share(Measure::WorkOrStudies));
    assert!((d.diff.unwrap() - (b.p.unwrap() - a.p.unwrap())).abs() < 1e-12, "b minus a");
    assert!(d.low.unwrap() < d.diff.unwrap() && d.diff.unwrap() < d.high.unwrap());
    assert!(d.p_value.unwrap() > 0.0 && d.p_value.unwrap() < 1.0);
    for protection in [Protection::Perturbation, Protection::Suppression] {
        let section = comparison_section(&c, Lang::Sv, &protector(&m, protection));
        assert!(section.title.contains("2022–2023 mot 2020–2021") && section.title.contains("Newcombe"));
        assert_no_small_counts(&[section]);
    }
}

#[test]
fn spanga_tensta_43_of_150_still_on_the_list_after_a_year() {
    let m = finsam::demo::model().unwrap();
    let c = cohort(&["spanga-tensta"], Some("2014-03-01..2014-03-31"));
    let curve = Curve::fit_observations(&durations(&m, &c, Event::Exit).unwrap());
    assert_eq!(curve.n, 150);
    assert!((curve.survival_at(365.0) - 43.0 / 150.0).abs() < 1e-12);
    let step = curve.step_at(365.0).unwrap();
    assert!(step.low.unwrap() < 43.0 / 150.0 && 43.0 / 150.0 < step.high.unwrap());
    // Time to self-support: only those on public support at the start are followed.
    let ss = durations(&m, &cohort(&["vuxenslussen"], None), Event::SelfSupport).unwrap();
    let on_public = scalar_i64(&m, "SELECT count(*) FROM enrolment WHERE intervention_id = 'vuxenslussen' AND support_before IN ('unemployment_insurance', 'activity_support', 'sickness_benefit', 'activity_compensation', 'sickness_compensation', 'social_assistance')");
    assert_eq!(ss.len() as i64, on_public);
    assert!(ss.iter().all(|o| o.days >= 0.0));
}

#[test]
fn costs_add_up_and_deviations_from_the_split_are_flagged() {
    use finsam::analysis::costs::unit_costs;
    use finsam::present::money::{administration_share, funding_shares};
    let m = finsam::demo::model().unwrap();
    let lund = Cohort { federations: vec!["lund".into()], period: Some("2022-2023".into()), ..Cohort::default() };
    let units = unit_costs(&m, &lund).unwrap();
    assert_eq!(units.len(), 2, "ComUng in 2022 and 2023");
    for u in &units {
        let actual = common::scalar_f64(
            &m,
            &format!("SELECT sum(actual_sek)::DOUBLE FROM budget_line WHERE intervention_id = 'comung' AND year = {}", u.year),
        );
        assert_eq!(u.actual_sek, actual);
        let active = scalar_i64(
            &m,
            &format!(
                "SELECT count(DISTINCT participant_key) FROM enrolment WHERE intervention_id = 'comung' AND consent
             AND start_date <= DATE '{y}-12-31' AND (exit_date IS NULL OR exit_date >= DATE '{y}-01-01')",
                y = u.year
            ),
        );
        // Those without consent to registration took part and were paid for: in the denominator too.
        let without_consent = scalar_i64(
            &m,
            &format!(
                "SELECT coalesce(sum(count), 0) FROM anonymous_count WHERE intervention_id = 'comung' AND year = {} AND reason = 'no_consent'",
                u.year
            ),
        );
        assert!(without_consent > 0, "the demo has people without consent in ComUng");
        assert_eq!(u.participants.n, (active + without_consent) as u64);
        assert!(u.per_participant().unwrap() > 0.0 && u.per_positive_outcome().unwrap() > u.per_participant().unwrap());
        assert!(u.participant_months > 0.0 && u.participant_months < 12.0 * u.participants.n as f64);
    }
    let shares = funding_shares(&m, &Cohort::default(), Lang::En).unwrap().to_table().unwrap().rows_as_text().unwrap();
    assert!(shares.iter().all(|r| r.last().unwrap() == "no"), "the demo follows 50/25/25");
    // A region that paid too little is flagged.
    m.execute_batch("UPDATE contribution SET amount_sek = amount_sek * 0.8 WHERE member_id = 'lund-region' AND year = 2023").unwrap();
    let flagged = funding_shares(&m, &lund, Lang::Sv).unwrap().to_table().unwrap().rows_as_text().unwrap();
    assert_eq!(
        flagged.iter().map(|r| (r[1].clone(), r.last().unwrap().clone())).collect::<Vec<_>>(),
        [("2022".to_string(), "nej".to_string()), ("2023".into(), "ja".into())]
    );
    let admin = administration_share(&m, &lund, Lang::Sv).unwrap().to_table().unwrap().rows_as_text().unwrap();
    assert_eq!(admin.len(), 2);
    assert!(admin.iter().all(|r| r[4].parse::<f64>().unwrap() > 0.0 && r[4].parse::<f64>().unwrap() < 50.0));
}

/// Every figure of the report on a generated cohort, against one direct query written the obvious way
/// (a FILTER per share, `quantile_cont` for the days, GROUP BY for the tables): the report itself computes
/// them differently (sums over grouping cells, quartiles from the histogram of days).
#[test]
fn every_report_figure_agrees_with_a_direct_query_on_generated_data() {
    use finsam::generate::{generate, GenerateOptions};
    let m = finsam::in_memory().unwrap();
    generate(&m, &GenerateOptions::new(20_000, 7), |_, _| {}).unwrap();
    for period in [None, Some("2020-2021"), Some("2023")] {
        let c = Cohort { period: period.map(String::from), ..Cohort::default() };
        let r = standard_report(&m, &c).unwrap();
        let resolved = c.resolve(&m).unwrap();
        let direct = m
            .query(
                &format!(
                    "SELECT count(*), count(DISTINCT participant_key), count(exit_known),
                       count(*) FILTER (exit_known IS NOT NULL AND occupation_after IN ('work', 'studies')),
                       count(*) FILTER (exit_known IS NOT NULL AND occupation_after IN ('work', 'studies')
                         AND (occupation_before NOT IN ('work', 'studies') OR extent_after_pct > extent_before_pct)),
                       count(*) FILTER (exit_known IS NOT NULL AND support_after IN ('wage', 'study_allowance', 'no_public_support')),
                       count(*) FILTER (exit_known IS NOT NULL AND occupation_after = 'work' AND NOT subsidised_work_after),
                       count(*) FILTER (exit_known IS NULL),
                       quantile_cont(exit_known - start_date, 0.25), quantile_cont(exit_known - start_date, 0.5),
                       quantile_cont(exit_known - start_date, 0.75)
                     FROM ({})",
                    resolved.sql
                ),
                &resolved.param_refs(),
            )
            .unwrap()
            .rows_as_text()
            .unwrap()
            .remove(0);
        let n = |i: usize| direct[i].parse::<u64>().unwrap();
        let f = |i: usize| direct[i].parse::<f64>().unwrap();
        assert!(r.enrolments.n > 1_000, "{period:?}: a cohort worth checking");
        assert_eq!((r.enrolments.n, r.participants, r.exited.n), (n(0), n(1), n(2)), "{period:?}");
        for (i, measure) in Measure::ALL.iter().enumerate() {
            assert_eq!(r.share(*measure).k, n(3 + i), "{period:?} {measure:?}");
        }
        let d = r.days.as_ref().unwrap();
        assert_eq!((d.q1, d.median, d.q3), (f(8), f(9), f(10)), "{period:?}");

        let table = |sql: &str| -> Vec<Vec<String>> {
            m.query(&format!("{sql} FROM ({}) WHERE exit_known IS NOT NULL GROUP BY ALL ORDER BY ALL", resolved.sql), &resolved.param_refs())
                .unwrap()
                .rows_as_text()
                .unwrap()
        };
        let mut transitions: Vec<Vec<String>> =
            r.transitions.iter().map(|t| vec![t.before.code().to_string(), t.after.code().to_string(), t.exits.n.to_string()]).collect();
        transitions.sort();
        assert_eq!(transitions, table("SELECT support_before, support_after, count(*)"), "{period:?}");
        for finsam::analysis::report::OccupationCount { occupation: o, before, after } in &r.occupation {
            let count = |column: &str| {
                table(&format!("SELECT {column}, count(*)"))
                    .into_iter()
                    .find(|row| row[0] == o.code())
                    .map_or(0, |row| row[1].parse::<u64>().unwrap())
            };
            assert_eq!((before.n, after.n), (count("occupation_before"), count("occupation_after")), "{period:?} {o:?}");
        }
    }
}

/// Under suppression: enrolments minus exits is the number still enrolled: when that is 1–4, a board sees the exits but
/// never the enrolments (heading, the age table's total, the n of "still enrolled"), nor a way to add
/// them up from the age table.
#[test]
fn a_small_number_still_enrolled_cannot_be_worked_out_from_enrolments_and_exits() {
    let m = finsam::demo::model().unwrap();
    let c = cohort(&["ale-ungdomsteam"], Some("2023"));
    let r = standard_report(&m, &c).unwrap();
    let still = r.enrolments.n - r.exited.n;
    assert!((1..5).contains(&still), "the demo case: {still} still enrolled");
    assert!(finsam::disclosure::suppression::hides_enrolments(&r));
    let out = finsam::present::outputs::report_output(&m, &c, Lang::Sv, Protection::Suppression).unwrap();
    assert!(out.heading.contains(".. inskrivningar") && out.heading.contains(&format!("{} avslutade", r.exited.n)), "{}", out.heading);
    let board = report_sections(&r, Lang::Sv, &protector(&m, Protection::Suppression));
    let ages = board[0].to_table().unwrap().rows_as_text().unwrap();
    let totals = ages.last().unwrap();
    assert_eq!(totals.last().unwrap(), "..", "{ages:?}");
    assert!(totals[1..3].iter().any(|v| v == ".."), "the column totals must not add up to it: {ages:?}");
    assert!(ages.iter().any(|row| row.last().unwrap() == ".."), "nor the row totals: {ages:?}");
    let shares = board[2].to_table().unwrap().rows_as_text().unwrap();
    let still_row = shares.last().unwrap();
    assert_eq!((still_row[1].as_str(), still_row[2].as_str()), ("<5", ".."), "{shares:?}");
    // The comparison hides it the same way.
    let other = cohort(&["ale-ungdomsteam"], Some("2022"));
    let section = comparison_section(&compare(&m, &other, &c).unwrap(), Lang::Sv, &protector(&m, Protection::Suppression));
    let rows = section.to_table().unwrap().rows_as_text().unwrap();
    assert_eq!((rows.last().unwrap()[4].as_str(), rows.last().unwrap()[5].as_str()), ("<5", ".."), "{rows:?}");
    // So does time to exit: the people not (yet) exited are n − events.
    let survival = finsam::present::outputs::survival_output(&m, &c, Event::Exit, &[6], Lang::Sv, Protection::Suppression).unwrap();
    // The events are the report's exits, shown as there; the number of people is hidden like the enrolments.
    assert!(survival.heading.contains(".. personer") && survival.heading.contains(&format!("{} händelser", r.exited.n)), "{}", survival.heading);
}

/// A cohort is described by names and labels in both languages (the heading of a Swedish report reads
/// Swedish), never by ids and codes.
#[test]
fn cohorts_are_described_in_swedish_and_english() {
    let m = finsam::demo::model().unwrap();
    let c = Cohort { sex: Some(Sex::Female), age: Some((18, 25)), ..cohort(&["comung"], Some("2022-2023")) };
    let r = standard_report(&m, &c).unwrap();
    assert_eq!(r.cohort.get(Lang::Sv), "ComUng · inskrivna 2022–2023 · kvinna · 18–25 år");
    assert_eq!(r.cohort.get(Lang::En), "ComUng · started 2022–2023 · woman · aged 18–25");
    let many = standard_report(&m, &cohort(&["comung", "krami", "pnf", "sams"], None)).unwrap();
    assert_eq!(many.cohort.get(Lang::Sv), "4 insatser");
    assert_eq!(standard_report(&m, &Cohort::default()).unwrap().cohort.get(Lang::Sv), "alla inskrivningar");
}

/// Money tables speak the board's language: Swedish headings, names and labels, never ids or codes.
#[test]
fn cost_tables_show_names_and_labels_in_the_chosen_language() {
    use finsam::codes::Financier;
    use finsam::present::money::budget_vs_actual;
    let m = finsam::demo::model().unwrap();
    let ale = Cohort { federations: vec!["ale".into()], ..Cohort::default() };
    let sv = budget_vs_actual(&m, &ale, Lang::Sv).unwrap();
    assert_eq!(&sv.columns[..4], ["förbund", "insats", "år", "finansiär"]);
    let rows = sv.to_table().unwrap().rows_as_text().unwrap();
    assert!(rows.iter().all(|r| r[0] == "Samordningsförbundet Ale"), "{:?}", rows[0]);
    let codes: Vec<&str> = Financier::ALL.iter().map(|f| f.code()).collect();
    assert!(rows.iter().all(|r| !codes.contains(&r[3].as_str())), "labels, not codes: {:?}", rows[0]);
    let en = budget_vs_actual(&m, &ale, Lang::En).unwrap();
    assert_eq!(&en.columns[..4], ["federation", "intervention", "year", "financier"]);
}

/// The statement `finsam report --show-sql` prints is the one the report runs: run as printed, it gives
/// the report's own totals.
#[test]
fn the_printed_report_statement_gives_the_report() {
    use finsam::analysis::report::report_statement;
    let m = finsam::demo::model().unwrap();
    let c = Cohort { sex: Some(Sex::Female), ..cohort(&["comung"], Some("2022-2023")) };
    let statement = report_statement(&m, &c).unwrap();
    assert!(!statement.contains('?'), "every parameter is written in");
    assert!(statement.contains("DATE '2022-01-01'") && statement.contains("'comung'") && statement.contains("'female'"));
    let rows = m.query(&statement, &[]).unwrap().rows_as_text().unwrap();
    let r = standard_report(&m, &c).unwrap();
    assert_eq!((rows[0][0].parse::<u64>().unwrap(), rows[0][2].parse::<u64>().unwrap()), (r.enrolments.n, r.participants));
}

#[test]
fn cohorts_that_share_enrolments_are_not_compared() {
    let m = finsam::demo::model().unwrap();
    let c = |ids: &[&str], period: &str, membership| Cohort {
        interventions: ids.iter().map(|s| s.to_string()).collect(),
        period: Some(period.into()),
        membership,
        ..Cohort::default()
    };
    // Enrolled at some time in 2020–2021 and in 2021–2022: those enrolled through 2021 are in both.
    let err =
        compare(&m, &c(&["krami"], "2020-2021", Membership::Overlap), &c(&["krami"], "2021-2022", Membership::Overlap)).unwrap_err().to_string();
    assert!(err.contains("share enrolments") && err.contains("independent groups"), "{err}");
    // An intervention on both sides.
    let err =
        compare(&m, &c(&["krami", "sams"], "2022-2023", Membership::Start), &c(&["sams"], "2022-2023", Membership::Start)).unwrap_err().to_string();
    assert!(err.contains("share enrolments"), "{err}");
    // Periods by start date that do not overlap are independent.
    compare(&m, &c(&["krami"], "2020-2021", Membership::Start), &c(&["krami"], "2022-2023", Membership::Start)).unwrap();
    // Whose cost columns are headed by the periods.
    let out = finsam::present::outputs::compare_output(
        &m,
        &c(&["krami"], "2020-2021", Membership::Start),
        &c(&["krami"], "2022-2023", Membership::Start),
        Lang::Sv,
        Protection::Perturbation,
    )
    .unwrap();
    assert_eq!(out.sections[1].shown.column_names(), ["mått", "2020–2021", "2022–2023", "förändring"]);
}

#[test]
fn budget_against_actual_only_over_lines_with_both() {
    use finsam::present::money::budget_vs_actual;
    let m = finsam::demo::model().unwrap();
    // A line budgeted for a financier of Lund's ComUng in 2023 with no actual yet.
    m.execute_batch(
        "INSERT INTO budget_line SELECT (SELECT max(budget_line_id) + 1 FROM budget_line), federation_id, intervention_id, 2023, 'esf', 'individual', 500000, NULL
         FROM budget_line WHERE intervention_id = 'comung' LIMIT 1",
    )
    .unwrap();
    let c = Cohort { federations: vec!["lund".into()], period: Some("2023".into()), ..Cohort::default() };
    let rows = budget_vs_actual(&m, &c, Lang::Sv).unwrap().to_table().unwrap().rows_as_text().unwrap();
    let esf = rows.iter().find(|r| r[3] == "ESF" || r[3].contains("Europeiska")).expect("the ESF line");
    assert_eq!(esf[4].parse::<f64>().unwrap(), 500000.0, "the budget is shown");
    assert!(esf[5].is_empty() && esf[6].is_empty() && esf[7].is_empty(), "no actual: no deviation and no share, {esf:?}");
}

/// A missing extent or wage-subsidy flag is unknown, not a success: such an exit is left out of that
/// measure's count and its denominator (and the outcome table says so).
#[test]
fn missing_values_are_unknown_not_success() {
    let m = finsam::in_memory().unwrap();
    m.execute_batch(
        "INSERT INTO dataset_info VALUES ('data_end_date', '2024-12-31');
         INSERT INTO federation VALUES ('f1', 'Förbundet', NULL, false);
         INSERT INTO intervention (intervention_id, federation_id, name, kind, target_group, start_date)
             VALUES ('i1', 'f1', 'Insatsen', 'individual', 'young', DATE '2022-01-01');
         INSERT INTO participant VALUES (1, 'a', 'f1', 'female', 1990, 'primary', 1), (2, 'b', 'f1', 'male', 1990, 'primary', 2),
             (3, 'c', 'f1', 'female', 1990, 'primary', 3), (4, 'd', 'f1', 'male', 1990, 'primary', 4), (5, 'e', 'f1', 'female', 1990, 'primary', 5);
         INSERT INTO enrolment (record_key, enrolment_id, participant_key, intervention_id, start_date, exit_date, support_before,
                                occupation_before, extent_before_pct, support_after, occupation_after, extent_after_pct, subsidised_work_after, exit_reason)
         VALUES (11, 1, 1, 'i1', DATE '2023-01-01', DATE '2023-06-30', 'wage', 'work', 50, 'wage', 'work', NULL, NULL, 'work'),
                (12, 2, 2, 'i1', DATE '2023-01-01', DATE '2023-06-30', 'social_assistance', 'job_seeking', NULL, 'wage', 'work', 100, false, 'work'),
                (13, 3, 3, 'i1', DATE '2023-01-01', DATE '2023-06-30', 'study_allowance', 'studies', 100, 'study_allowance', 'studies', 50, NULL, 'studies'),
                (14, 4, 4, 'i1', DATE '2023-01-01', DATE '2023-06-30', 'social_assistance', 'other', NULL, 'social_assistance', 'job_seeking', NULL, NULL, 'completed'),
                (15, 5, 5, 'i1', DATE '2023-01-01', DATE '2023-06-30', 'wage', 'work', NULL, 'wage', 'work', 100, true, 'work');",
    )
    .unwrap();
    let report = standard_report(&m, &Cohort::default()).unwrap();
    let kn = |measure| {
        let (k, n) = report.tallies(measure);
        (k.n, n.n)
    };
    assert_eq!(kn(Measure::WorkOrStudies), (4, 5));
    // b started; c decreased; a and e have an extent missing on one side: unknown.
    assert_eq!(kn(Measure::StartedOrIncreased), (1, 3));
    // b is unsubsidised, e subsidised, a unknown; c and d are not in work.
    assert_eq!(kn(Measure::UnsubsidisedWork), (1, 4));
    let out = finsam::present::outputs::report_output(&m, &Cohort::default(), Lang::Sv, Protection::Raw).unwrap();
    assert!(out.sections.iter().any(|s| s.title.contains("n är de avslutade där måttet är känt")));
}

/// Money is known per intervention and year, not per person: a cost table of a cohort filtered on people
/// says the filter does not apply to it (and one without such a filter says nothing).
#[test]
fn cost_tables_say_when_filters_on_people_do_not_apply() {
    use finsam::present::outputs::costs_output;
    let m = finsam::demo::model().unwrap();
    let unit_title = |c: &Cohort| costs_output(&m, c, Lang::En, Protection::Perturbation).unwrap().sections[1].title.clone();
    let women = Cohort { interventions: vec!["comung".into()], sex: Some(Sex::Female), ..Cohort::default() };
    assert!(unit_title(&women).contains("do not apply to money"), "{}", unit_title(&women));
    let all = Cohort { interventions: vec!["comung".into()], ..Cohort::default() };
    assert!(!unit_title(&all).contains("do not apply to money"));
}

/// A follow-up window that nobody of a period can have had by the data's end is refused with the reason,
/// not answered with an empty cohort.
#[test]
fn a_window_longer_than_a_period_has_had_is_refused() {
    let m = finsam::demo::model().unwrap();
    let late = Cohort { period: Some("2024-2025".into()), follow_up_months: Some(24), ..Cohort::default() };
    let err = standard_report(&m, &late).unwrap_err().to_string();
    assert!(err.contains("can have been followed 24 months"), "{err}");
    let fine = Cohort { period: Some("2020-2021".into()), follow_up_months: Some(12), ..Cohort::default() };
    assert!(standard_report(&m, &fine).unwrap().enrolments.n > 0);
}

/// A report of a federation-sized database is grouped in Rust from the cohort's rows; a larger one by
/// DuckDB's grouping sets. Both give the same report, figure for figure, for every kind of cohort.
#[test]
fn grouping_here_and_in_duckdb_give_the_same_report() {
    use finsam::analysis::report::{standard_report_by_statement, GROUP_HERE_UP_TO};
    use finsam::codes::{Support, TargetGroup};
    use finsam::generate::{generate, GenerateOptions};
    let m = finsam::in_memory().unwrap();
    generate(&m, &GenerateOptions::new(4_000, 5), |_, _| {}).unwrap();
    assert!(m.count_rows("enrolment").unwrap() <= GROUP_HERE_UP_TO, "the generated data takes the path grouped here");
    let demo = finsam::demo::model().unwrap();
    let cohorts = [
        Cohort::default(),
        Cohort { period: Some("2020-2021".into()), ..Cohort::default() },
        Cohort { period: Some("2023".into()), membership: Membership::Overlap, ..Cohort::default() },
        Cohort { sex: Some(Sex::Female), age: Some((18, 29)), ..Cohort::default() },
        Cohort { support_before: vec![Support::SocialAssistance], ..Cohort::default() },
        Cohort { target_groups: vec![TargetGroup::ALL[0]], ..Cohort::default() },
        Cohort { period: Some("2020-2021".into()), follow_up_months: Some(12), ..Cohort::default() },
        Cohort { period: Some("2019-01-01..2019-01-31".into()), ..Cohort::default() },
    ];
    for model in [&m, &demo] {
        for c in &cohorts {
            let here = format!("{:?}", standard_report(model, c).unwrap());
            let there = format!("{:?}", standard_report_by_statement(model, c).unwrap());
            assert_eq!(here, there, "{c:?}");
        }
    }
}

/// The unit costs of a federation-sized database are worked out in Rust from three small reads; a larger
/// one's by one statement. Both give the same rows, figure for figure (keys and smallest keys included),
/// for every kind of cohort, on generated data and on the demo.
#[test]
fn unit_costs_here_and_in_duckdb_are_the_same() {
    use finsam::analysis::costs::{unit_costs, unit_costs_by_statement};
    use finsam::analysis::report::GROUP_HERE_UP_TO;
    use finsam::generate::{generate, GenerateOptions};
    let m = finsam::in_memory().unwrap();
    generate(&m, &GenerateOptions::new(4_000, 5), |_, _| {}).unwrap();
    assert!(m.count_rows("enrolment").unwrap() <= GROUP_HERE_UP_TO, "the generated data takes the path worked out here");
    let demo = finsam::demo::model().unwrap();
    let first_intervention =
        |m: &Model| -> String { m.query_rows("SELECT min(intervention_id) FROM intervention", &[], |r| r.get(0)).unwrap().remove(0) };
    for model in [&m, &demo] {
        let federation: String = model.query_rows("SELECT min(federation_id) FROM federation", &[], |r| r.get(0)).unwrap().remove(0);
        let cohorts = [
            Cohort::default(),
            Cohort { period: Some("2020-2021".into()), ..Cohort::default() },
            Cohort { period: Some("2023".into()), ..Cohort::default() },
            Cohort { federations: vec![federation], period: Some("2019-2024".into()), ..Cohort::default() },
            Cohort { interventions: vec![first_intervention(model)], ..Cohort::default() },
            Cohort { period: Some("1990".into()), ..Cohort::default() },
        ];
        let mut rows = 0;
        for c in &cohorts {
            let Ok(there) = unit_costs_by_statement(model, c) else { continue };
            let here = unit_costs(model, c).unwrap();
            assert_eq!(format!("{here:?}"), format!("{there:?}"), "{c:?}");
            rows += here.len();
        }
        assert!(rows > 20, "{rows} intervention-years compared");
    }
}

/// The reports of several interventions from one statement (what the charts side by side read) are, each
/// of them, the report of that intervention alone, anonymous counts included.
#[test]
fn reports_by_intervention_are_each_interventions_own_report() {
    use finsam::analysis::report::standard_reports_by_intervention;
    let m = finsam::demo::model().unwrap();
    let ids: Vec<String> = m.query_rows("SELECT intervention_id FROM intervention ORDER BY 1", &[], |r| r.get(0)).unwrap();
    let cohorts = [
        Cohort::default(),
        Cohort { period: Some("2019-2020".into()), ..Cohort::default() },
        Cohort { federations: vec!["umea".into()], sex: Some(Sex::Male), ..Cohort::default() },
    ];
    let mut with_anonymous = 0;
    for c in &cohorts {
        let together = standard_reports_by_intervention(&m, c, &ids).unwrap();
        assert_eq!(together.len(), ids.len());
        for (id, report) in ids.iter().zip(&together) {
            let alone = standard_report(&m, &Cohort { interventions: vec![id.clone()], ..c.clone() }).unwrap();
            assert_eq!(format!("{report:?}"), format!("{alone:?}"), "{id} in {c:?}");
            with_anonymous += usize::from(!alone.anonymous.is_empty());
        }
    }
    assert!(with_anonymous > 5, "the demo's anonymous counts are compared ({with_anonymous} reports have some)");
}

/// Every analysis of every intervention of the demo runs: DuckDB 2.0.0 stopped with an internal error on
/// Spånga-Tensta's time to self-support (duckdb/duckdb#24807), which the survival statement now avoids.
#[test]
fn every_analysis_of_every_demo_intervention_runs() {
    use finsam::present::outputs::{costs_output, report_output, survival_output};
    let m = finsam::demo::model().unwrap();
    let ids: Vec<String> = m.query_rows("SELECT intervention_id FROM intervention ORDER BY 1", &[], |r| r.get(0)).unwrap();
    assert!(ids.len() > 20);
    for id in &ids {
        let c = cohort(&[id.as_str()], None);
        for protection in [Protection::Perturbation, Protection::Raw] {
            report_output(&m, &c, Lang::Sv, protection).unwrap_or_else(|e| panic!("report of {id}: {e}"));
            costs_output(&m, &c, Lang::Sv, protection).unwrap_or_else(|e| panic!("costs of {id}: {e}"));
            for event in [Event::Exit, Event::SelfSupport] {
                survival_output(&m, &c, event, &[3, 6, 12], Lang::Sv, protection).unwrap_or_else(|e| panic!("{event:?} of {id}: {e}"));
            }
        }
    }
}
