//! The board report: its numbers are the protected outputs' numbers, the same input gives the same bytes,
//! and bad input gets a clear error. (The rendering in a real browser is checked in tests/python.)

use finsam::analysis::Cohort;
use finsam::board::{board_report, BoardRequest};
use finsam::codes::Lang;
use finsam::disclosure::Protection;
use finsam::present::outputs::compare_output;

fn request(federation: &str, period: &str, vs: &str) -> BoardRequest {
    BoardRequest {
        federation: federation.into(),
        interventions: Vec::new(),
        period: period.into(),
        vs: vs.into(),
        lang: Lang::Sv,
        template_dir: None,
    }
}

/// A count as the page writes it (a no-break space between thousands).
fn written(n: &str) -> String {
    let digits: Vec<char> = n.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(*c);
    }
    out
}

#[test]
fn the_report_shows_the_protected_outputs_and_the_same_bytes_every_time() {
    let m = finsam::demo::model().unwrap();
    let report = board_report(&m, &request("umea", "2020-2021", "2022-2023")).unwrap();
    assert_eq!(report.html, board_report(&m, &request("umea", "2020-2021", "2022-2023")).unwrap().html, "same input, same bytes");
    let html = &report.html;
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"sv\">"));
    assert!(html.contains("Styrelserapport: Samordningsförbundet Umeå"));
    assert!(html.contains("Syntetiska demodata"), "synthetic data says so");
    // Every count of the federation's comparison, as the comparison publishes it.
    let federation = |p: &str| Cohort { federations: vec!["umea".into()], period: Some(p.into()), ..Default::default() };
    let comparison = compare_output(&m, &federation("2020-2021"), &federation("2022-2023"), Lang::Sv, Protection::Perturbation).unwrap();
    for row in comparison.sections[0].shown.rows_as_text().unwrap() {
        for count in [&row[1], &row[2], &row[4], &row[5]] {
            assert!(html.contains(&format!("<td>{}</td>", written(count))), "{count} of {row:?}");
        }
    }
    // The summary's first figure: the exits of each period, as published.
    let first = &comparison.sections[0].shown.rows_as_text().unwrap()[0];
    assert!(html.contains(&format!("{} → {}", written(&first[2]), written(&first[5]))));
    // Self-contained: no script, no file or address to fetch (SVG's namespace is a name, not a request).
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<link"));
    assert!(!html.replace("http://www.w3.org/2000/svg", "").replace("http://www.w3.org/1999/xlink", "").contains("http"));
    // Every intervention of the federation with participants has its part.
    for name in ["Insteget", "Krami", "NAFS", "Sams", "Steget vidare", "Ungdomstorget"] {
        assert!(html.contains(&format!("<h2>{name}</h2>")), "{name}");
    }
    // The socio-economic section: the later period's net per actor as the plugin publishes it.
    assert!(html.contains("<h2>Samhällsekonomisk kalkyl</h2>"));
    let call = finsam::plugins::Call {
        name: "socio-economic".into(),
        cohort: Some(federation("2022-2023")),
        args: Vec::new(),
        lang: Lang::Sv,
        protection: Protection::Perturbation,
    };
    let socioeconomic = finsam::plugins::run_analysis(&m, &call).unwrap();
    for row in socioeconomic.sections[0].shown.rows_as_text().unwrap() {
        let net = row[6].trim_end_matches(".0");
        let (sign, digits) = net.strip_prefix('-').map_or(("", net), |d| ("−", d));
        assert!(html.contains(&format!("<td>{sign}{}</td>", written(digits))), "{} {net}", row[0]);
    }
    assert!(html.contains("Lön vid heltidsarbete: Årslön"), "the assumptions in the appendix");
    assert!(!html.contains("sträcker sig förbi datans slut"), "both periods end before the data does");
}

#[test]
fn a_period_past_the_data_end_is_said_so_on_the_front_page() {
    let m = finsam::demo::model().unwrap();
    let end = finsam::analysis::cohort::data_end(&m).unwrap();
    let later = format!("{}-{}", end.format("%Y"), end.format("%Y").to_string().parse::<i32>().unwrap() + 1);
    let html = board_report(&m, &request("umea", "2020-2021", &later)).unwrap().html;
    assert!(html.contains(&format!("Perioden {}", later.replace('-', "–"))) && html.contains("sträcker sig förbi datans slut"), "{later}");
}

#[test]
fn english_and_chosen_interventions() {
    let m = finsam::demo::model().unwrap();
    let mut r = request("umea", "2020-2021", "2022-2023");
    r.lang = Lang::En;
    r.interventions = vec!["krami".into()];
    let html = board_report(&m, &r).unwrap().html;
    assert!(html.contains("Board report: Samordningsförbundet Umeå") && html.contains("<h2>Krami</h2>"));
    assert!(html.contains("Synthetic demo data") && !html.contains("Syntetiska demodata"), "the synthetic note in English too");
    assert!(!html.contains("<h2>Sams</h2>"));
}

#[test]
fn bad_input_gets_a_clear_error_and_an_empty_period_is_said_so() {
    let m = finsam::demo::model().unwrap();
    let err = board_report(&m, &request("umeaa", "2020-2021", "2022-2023")).unwrap_err().to_string();
    assert!(err.contains("unknown federation 'umeaa'") && err.contains("umea"), "{err}");
    let err = board_report(&m, &request("umea", "2020-2021", "next year")).unwrap_err().to_string();
    assert!(err.contains("next year"), "{err}");
    let empty = board_report(&m, &request("umea", "2005", "2006")).unwrap().html;
    assert!(empty.contains("Inga deltagare började någon insats under perioderna."));
    // Nobody in either period, though there are people between them: still empty.
    let between = board_report(&m, &request("umea", "2005", "2030")).unwrap().html;
    assert!(between.contains("Inga deltagare började någon insats under perioderna."));
    let mut other = request("umea", "2020-2021", "2022-2023");
    other.interventions = vec!["comung".into()];
    let err = board_report(&m, &other).unwrap_err().to_string();
    assert!(err.contains("unknown intervention of this federation 'comung'") && err.contains("krami"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.html"), "<html>\n<body>\n{% for x in %}\n</body>").unwrap();
    let mut broken = request("umea", "2020-2021", "2022-2023");
    broken.template_dir = Some(dir.path().to_path_buf());
    let err = board_report(&m, &broken).unwrap_err().to_string();
    assert!(err.contains("report.html, line 3"), "{err}");
    // A misspelt variable is an error, not an empty text.
    std::fs::write(dir.path().join("report.html"), "<html>\n<h1>{{ federaton }}</h1>\n</html>").unwrap();
    let err = board_report(&m, &broken).unwrap_err().to_string();
    assert!(err.contains("report.html, line 2"), "{err}");
    // A federation's own style sheet replaces the built-in one; the rest stays built in.
    std::fs::remove_file(dir.path().join("report.html")).unwrap();
    std::fs::write(dir.path().join("style.css"), "body { color: #123456; }").unwrap();
    let own = board_report(&m, &broken).unwrap().html;
    assert!(own.contains("#123456") && own.contains("Styrelserapport"));
    broken.template_dir = Some(dir.path().join("missing"));
    assert!(board_report(&m, &broken).unwrap_err().to_string().contains("no such directory"));

    let report = board_report(&m, &request("umea", "2020-2021", "2022-2023")).unwrap();
    let err = report.save(&dir.path().join("no/such/dir/r.html"), false).unwrap_err().to_string();
    assert!(err.contains("no/such/dir"), "{err}");
}

#[test]
fn the_pdf_is_typeset_from_the_same_content_the_same_way_every_time() {
    let m = finsam::demo::model().unwrap();
    let report = board_report(&m, &request("umea", "2020-2021", "2022-2023")).unwrap();
    let pdf = report.pdf().unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 50_000, "a PDF of {} bytes", pdf.len());
    assert_eq!(pdf, report.pdf().unwrap(), "same input, same bytes");
    // The font is embedded (a subset of DejaVu Sans), so the paper looks the same on any machine.
    assert!(pdf.windows(b"DejaVuSans".len()).any(|w| w == b"DejaVuSans"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.pdf");
    report.save(&path, false).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), pdf);
    let err = report.save(&path, false).unwrap_err().to_string();
    assert!(err.contains("already exists"), "{err}");
    let err = report.save(&dir.path().join("rapport.docx"), false).unwrap_err().to_string();
    assert!(err.contains(".html or .pdf"), "{err}");
    // An empty period still makes a paper that says so.
    assert!(board_report(&m, &request("umea", "2005", "2006")).unwrap().pdf().unwrap().starts_with(b"%PDF-"));
}

#[test]
fn a_broken_pdf_template_is_named_with_its_line_and_a_logo_beside_it_is_used() {
    let m = finsam::demo::model().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut own = request("umea", "2020-2021", "2022-2023");
    own.template_dir = Some(dir.path().to_path_buf());
    std::fs::write(dir.path().join("report.typ"), "#let r = json(\"page.json\")\n= #r.title\n#let x = (1 +\n").unwrap();
    let err = board_report(&m, &own).unwrap().pdf().unwrap_err().to_string();
    assert!(err.contains("report.typ, line 3"), "{err}");
    std::fs::write(dir.path().join("report.typ"), "#let r = json(\"page.json\")\n= #r.federaton\n").unwrap();
    let err = board_report(&m, &own).unwrap().pdf().unwrap_err().to_string();
    assert!(err.contains("report.typ, line 2") && err.contains("federaton"), "{err}");
    // Asked for both, a failing PDF leaves neither file.
    let (html, pdf) = (dir.path().join("r.html"), dir.path().join("r.pdf"));
    assert!(board_report(&m, &own).unwrap().save_both(&html, &pdf, false).is_err());
    assert!(!html.exists() && !pdf.exists());
    // A template cannot read files that were not handed over.
    std::fs::write(dir.path().join("report.typ"), "#read(\"/etc/passwd\")\n").unwrap();
    let err = board_report(&m, &own).unwrap().pdf().unwrap_err().to_string();
    assert!(err.contains("report.typ, line 1") && err.contains("not found"), "{err}");
    // A federation's own template with its logo beside it.
    let logo = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#0a0"/></svg>"##;
    std::fs::write(dir.path().join("logo.svg"), logo).unwrap();
    std::fs::write(dir.path().join("report.typ"), "#let r = json(\"page.json\")\n#image(\"logo.svg\", width: 2cm)\n= #r.federation\n").unwrap();
    let pdf = board_report(&m, &own).unwrap().pdf().unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
}

/// Which interventions get a part is decided on published counts: an intervention with 1–4 enrolments in
/// the periods has a part exactly when its published count in one of them is above 0, never because its
/// true count is (a part for a true 1–4 beside none for a true 0 would tell which).
#[test]
fn interventions_get_a_part_by_their_published_counts() {
    use finsam::disclosure::{Protector, Tally};
    let m = finsam::demo::model().unwrap();
    // Umeå's interventions keep 1–4 consenting enrolments that started in each of 2022 and 2023.
    m.execute_batch(
        "CREATE TEMP TABLE gone AS
         SELECT enrolment_id FROM (
             SELECT e.enrolment_id, row_number() OVER (PARTITION BY e.intervention_id, year(e.start_date) ORDER BY e.enrolment_id) AS r,
                    1 + (hash(e.intervention_id || year(e.start_date)) % 4) AS k
             FROM enrolment e JOIN intervention i USING (intervention_id)
             WHERE i.federation_id = 'umea' AND year(e.start_date) IN (2022, 2023))
         WHERE r > k;
         DELETE FROM observation WHERE enrolment_id IN (SELECT enrolment_id FROM gone);
         DELETE FROM enrolment WHERE enrolment_id IN (SELECT enrolment_id FROM gone);",
    )
    .unwrap();
    let html = board_report(&m, &request("umea", "2022", "2023")).unwrap().html;
    let p = Protector::new(&m, Protection::Perturbation).unwrap();
    let rows = m
        .query_rows(
            "SELECT i.name, year(e.start_date), count(*), sum(e.record_key)::HUGEINT, min(e.record_key)::BIGINT
             FROM enrolment e JOIN intervention i USING (intervention_id)
             WHERE i.federation_id = 'umea' AND e.consent AND year(e.start_date) IN (2022, 2023)
             GROUP BY ALL ORDER BY 1, 2",
            &[],
            |r| Ok((r.get::<_, String>(0)?, Tally::from_sql(r.get(2)?, r.get(3)?, r.get(4)?))),
        )
        .unwrap();
    let (mut with_part, mut without_part) = (0, 0);
    let names: std::collections::BTreeSet<&String> = rows.iter().map(|(name, _)| name).collect();
    for name in names {
        let tallies: Vec<Tally> = rows.iter().filter(|(n, _)| n == name).map(|(_, t)| *t).collect();
        assert!(tallies.iter().all(|t| (1..5).contains(&t.n)), "{name}: {tallies:?}");
        let published = tallies.iter().any(|t| p.value(*t).unwrap_or(0) > 0);
        assert_eq!(html.contains(&format!("<h2>{name}</h2>")), published, "{name}: {tallies:?}");
        if published {
            with_part += 1;
        } else {
            without_part += 1;
        }
    }
    assert!(with_part > 0 && without_part > 0, "both cases met ({with_part} with a part, {without_part} without)");
}
