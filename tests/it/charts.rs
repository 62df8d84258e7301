//! Charts: every kind renders from the demo as SVG and PNG, carries its title and labels, is the same
//! every time, and a board's chart holds no count under five.

use finsam::analysis::Cohort;
use finsam::charts::build::{chart, ChartOptions};
use finsam::charts::{Body, Chart, ChartKind};
use finsam::codes::Lang;
use finsam::disclosure::Cell;
use finsam::disclosure::Protection;

fn options(cohort: Cohort) -> ChartOptions {
    let mut o = ChartOptions::new(Cohort { period: Some("2020-2021".into()), ..cohort });
    o.vs = Some("2022-2023".into());
    o
}

fn umea() -> Cohort {
    Cohort { federations: vec!["umea".into()], ..Cohort::default() }
}

fn texts_of(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').and_then(|(_, rest)| rest.split_once("</text>")).map(|(inner, _)| inner.trim().to_string()))
        .collect()
}

fn check_png(png: &[u8], what: &str) {
    check_png_inked(png, what, 0.03);
}

fn check_png_inked(png: &[u8], what: &str, minimum: f64) {
    let image = image::load_from_memory(png).unwrap_or_else(|e| panic!("{what}: the PNG does not decode: {e}")).to_rgb8();
    assert_eq!(image.dimensions(), (1200, 800), "{what}");
    let ink = image.pixels().filter(|p| p.0 != [255, 255, 255]).count();
    let share = ink as f64 / (1200.0 * 800.0);
    assert!(share > minimum, "{what}: the PNG is nearly blank ({share:.3} inked)");
    let colours: std::collections::HashSet<[u8; 3]> = image.pixels().map(|p| p.0).collect();
    assert!(colours.len() > 20, "{what}: only {} colours", colours.len());
}

#[test]
fn every_kind_renders_in_both_formats_with_its_title_and_labels() {
    let m = finsam::demo::model().unwrap();
    let o = options(umea());
    for kind in ChartKind::ALL {
        let c = chart(&m, kind, &o).unwrap_or_else(|e| panic!("{}: {e}", kind.name()));
        assert!(!matches!(c.body, Body::Empty { .. }), "{} has data in the demo", kind.name());
        let svg = c.to_svg().unwrap();
        let texts = texts_of(&svg);
        assert!(texts.iter().any(|t| t.contains(&c.title)), "{}: the SVG carries the title {:?}", kind.name(), c.title);
        assert!(texts.iter().any(|t| t.contains("Syntetiska demodata")), "{}: the footnote says synthetic", kind.name());
        check_png(&c.to_png().unwrap(), kind.name());
    }
    // Labels a reader needs.
    let svg = chart(&m, ChartKind::Outcomes, &o).unwrap().to_svg().unwrap();
    assert!(svg.contains("Ungdomstorget") && svg.contains("Steget vidare") && svg.contains("Wilson"));
    let svg = chart(&m, ChartKind::Periods, &o).unwrap().to_svg().unwrap();
    assert!(svg.contains("2020–2021") && svg.contains("2022–2023") && svg.contains("p.e."));
    let svg = chart(&m, ChartKind::Funding, &o).unwrap().to_svg().unwrap();
    assert!(svg.contains("50/25/25") && svg.contains("\u{a0}kr"), "SEK on the axis, the split as reference");
    let svg = chart(&m, ChartKind::Survival, &o).unwrap().to_svg().unwrap();
    assert!(svg.contains("Kaplan–Meier") && svg.contains("Månader"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let m = finsam::demo::model().unwrap();
    let o = options(umea());
    for kind in [ChartKind::Outcomes, ChartKind::Survival, ChartKind::Transitions] {
        let a = chart(&m, kind, &o).unwrap();
        let b = chart(&m, kind, &o).unwrap();
        assert_eq!(a.to_svg().unwrap(), b.to_svg().unwrap(), "{}", kind.name());
        assert_eq!(a.to_png().unwrap(), b.to_png().unwrap(), "{}", kind.name());
    }
}

#[test]
fn english_labels_and_number_format_on_request() {
    let m = finsam::demo::model().unwrap();
    let mut o = options(umea());
    o.lang = Lang::En;
    let c = chart(&m, ChartKind::Outcomes, &o).unwrap();
    assert_eq!(c.title, "Work or studies after exit");
    let svg = c.to_svg().unwrap();
    assert!(svg.contains("Synthetic demo data") && svg.contains("Share of exits (%)"));
    assert!(texts_of(&svg).iter().any(|t| t.ends_with('%') && t.contains('.') && !t.contains(',')), "65.2% in English");
    let sv = chart(&m, ChartKind::Outcomes, &options(umea())).unwrap().to_svg().unwrap();
    assert!(texts_of(&sv).iter().any(|t| t.contains(",") && t.ends_with("%")), "65,2 % in Swedish");
}

/// No count from 1 to 4 anywhere in what a board chart draws.
fn assert_no_small_counts(c: &Chart) {
    let small = |v: u64| v > 0 && v < 5;
    match &c.body {
        Body::Heatmap { cells, .. } => assert!(cells.iter().flatten().all(|c| !matches!(c, Cell::Shown(v) if small(*v)))),
        Body::Pyramid { women, men, .. } => assert!(women.iter().chain(men).all(|c| !matches!(c, Cell::Shown(v) if small(*v)))),
        Body::Bars { bars, .. } => {
            for b in bars {
                assert!(!(1..5).any(|v| b.note == format!("n = {v}")), "{}", b.note);
            }
        }
        _ => {}
    }
}

#[test]
fn board_charts_hide_small_counts_and_raw_charts_say_so() {
    let m = finsam::demo::model().unwrap();
    let small = Cohort { interventions: vec!["krami".into()], period: Some("2022-2023".into()), ..Cohort::default() };
    // The default: perturbed counts, none of 1–4, and a legend that says so.
    for kind in [ChartKind::Transitions, ChartKind::Pyramid, ChartKind::Outcomes, ChartKind::Survival] {
        let c = chart(&m, kind, &ChartOptions::new(small.clone())).unwrap();
        assert_no_small_counts(&c);
        assert!(c.footnote.contains("justerade med högst ±2") && c.footnote.contains("Antal 1–4 visas aldrig"), "{}", c.footnote);
    }
    let mut suppressed_somewhere = false;
    for kind in [ChartKind::Transitions, ChartKind::Pyramid, ChartKind::Outcomes] {
        let mut o = ChartOptions::new(small.clone());
        o.protection = Protection::Suppression;
        let c = chart(&m, kind, &o).unwrap();
        assert_no_small_counts(&c);
        let svg = c.to_svg().unwrap();
        suppressed_somewhere |= svg.contains("&lt;5") || svg.contains(">..<");
        assert!(c.footnote.contains("<5 = 1–4 personer") && c.footnote.contains(".. = dolt"), "{}", c.footnote);
    }
    assert!(suppressed_somewhere, "Krami's small cells are drawn as <5 or ..");
    let mut raw = ChartOptions::new(small);
    raw.protection = Protection::Raw;
    let c = chart(&m, ChartKind::Transitions, &raw).unwrap();
    assert!(c.footnote.contains("RÅDATA"));
    let svg = c.to_svg().unwrap();
    assert!(!svg.contains("&lt;5") && !svg.contains(">..<"));
}

#[test]
fn empty_cohorts_and_bad_requests() {
    let m = finsam::demo::model().unwrap();
    // Structural work has no participants: the chart says so rather than drawing an empty frame.
    let empty = Cohort { interventions: vec!["flerpartssamverkan-sodra-lappland".into()], ..Cohort::default() };
    for kind in [ChartKind::Pyramid, ChartKind::Transitions, ChartKind::Survival] {
        let c = chart(&m, kind, &ChartOptions::new(empty.clone())).unwrap();
        assert!(matches!(c.body, Body::Empty { .. }), "{}", kind.name());
        assert!(c.to_svg().unwrap().contains("Inga deltagare"));
        // Title, message and footnote only: little ink, but not none.
        check_png_inked(&c.to_png().unwrap(), kind.name(), 0.005);
    }
    // A cohort with people whose curve the disclosure layer does not show says that, not "no participants"
    // (an attack read the latter beside a report that had people).
    let mut hidden_curves = 0;
    for id in ["pnf", "kommunbryggan", "nafs", "insteget", "ale-ungdomsteam", "hbs-aktivitetsersattning"] {
        for period in ["2023", "2024", "2022-2023"] {
            let c =
                Cohort { interventions: vec![id.into()], period: Some(period.into()), sex: Some(finsam::codes::Sex::Female), ..Cohort::default() };
            let people = finsam::analysis::standard_report(&m, &c).unwrap().enrolments.n;
            let mut o = ChartOptions::new(c);
            for (protection, event) in [
                (Protection::Suppression, finsam::analysis::survival::Event::Exit),
                (Protection::Perturbation, finsam::analysis::survival::Event::SelfSupport),
            ] {
                (o.protection, o.event) = (protection, event);
                if let Body::Empty { message } = &chart(&m, ChartKind::Survival, &o).unwrap().body {
                    assert_eq!(people == 0, message.starts_with("Inga deltagare"), "{id} {period} {protection:?}: {people} people: {message}");
                    hidden_curves += usize::from(people > 0);
                }
            }
            o.event = finsam::analysis::survival::Event::SelfSupport;
            // Under suppression time to self-support is never drawn, whoever is in the cohort.
            o.protection = Protection::Suppression;
            match chart(&m, ChartKind::Survival, &o).unwrap().body {
                Body::Empty { message } => assert!(message.contains("visas inte vid undertryckning"), "{id} {period}: {message}"),
                other => panic!("{id} {period}: {other:?}"),
            }
        }
    }
    assert!(hidden_curves > 0, "a cohort with people and no curve shown");
    let err = chart(&m, ChartKind::Periods, &ChartOptions::new(Cohort::default())).unwrap_err().to_string();
    assert!(err.contains("--period and --vs"), "{err}");
    let err = "piechart".parse::<ChartKind>().unwrap_err().to_string();
    assert!(err.contains("unknown chart kind 'piechart'") && err.contains("pyramid"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let c = chart(&m, ChartKind::Pyramid, &ChartOptions::new(Cohort::default())).unwrap();
    let bad = dir.path().join("chart.pdf");
    assert!(c.save(&bad, false).unwrap_err().to_string().contains(".svg or .png"));
    assert!(!bad.exists(), "nothing written");
}

/// The y coordinates of the SVG's text elements.
fn text_rows(svg: &str) -> Vec<f64> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once(" y=\"").and_then(|(_, rest)| rest.split_once('"')).and_then(|(y, _)| y.parse().ok()))
        .collect()
}

#[test]
fn the_footnote_fits_the_picture_and_small_axes_tick_in_fives() {
    let m = finsam::demo::model().unwrap();
    for kind in ChartKind::ALL {
        let drawn = chart(&m, kind, &options(umea())).unwrap();
        let svg = drawn.to_svg().unwrap();
        let lowest = text_rows(&svg).into_iter().fold(0.0, f64::max);
        // The protection's legend runs to three lines; its last (a text's y is its top, the glyphs about
        // 15 px below it) must end inside the 800 px picture.
        assert!(lowest > 700.0 && lowest + 15.0 <= 800.0, "{}: the lowest text starts at y = {lowest}", kind.name());
    }
    // A pyramid of a small intervention: no axis tick at 2 or 4 beside the legend "counts of 1–4 are never shown".
    let sams = Cohort { interventions: vec!["sams".into()], period: Some("2022-2023".into()), ..Cohort::default() };
    let svg = chart(&m, ChartKind::Pyramid, &ChartOptions::new(sams)).unwrap().to_svg().unwrap();
    let texts = texts_of(&svg);
    for small in ["1", "2", "3", "4"] {
        assert!(!texts.iter().any(|t| t == small), "a tick or label {small}: {texts:?}");
    }
}
