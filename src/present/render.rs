//! Analysis results as printable tables, in Swedish or English, protected for boards or raw for research.
//!
//! Every figure goes through a `Protector` (src/disclosure): perturbed counts by default, suppressed ones
//! when asked, true ones only for raw output, which is marked as raw in its title.

use super::published::PublishedReport;
pub use super::section::{Section, Value};
use crate::analysis::report::{Measure, Report};
use crate::analysis::stats::change;
use crate::codes::{CodeList, Lang};
use crate::disclosure::{Cell, Protection, Protector, PublishedShare, Tally};

/// A row or column of a table: its stable code for machines and its label for people.
pub type Labelled = (String, String);

/// The total row or column, in `lang`.
fn total_of(lang: Lang) -> Labelled {
    ("total".into(), lang.pick("Totalt", "Total").to_string())
}

/// The code and label of every value in a code list's order.
fn labelled<C: CodeList>(values: &[C], lang: Lang) -> Vec<Labelled> {
    values.iter().map(|v| (v.code().to_string(), v.label(lang).to_string())).collect()
}

/// A count written into running text (a heading), as published.
pub fn count_text(v: Tally, p: &Protector) -> String {
    p.count(v).to_string()
}

/// A measure of a report as published, with every rule the report's own table applies (charts and other
/// outputs of the same report take their shares from here, so that none shows what the table hides).
pub fn published_report_share(r: &Report, measure: Measure, p: &Protector) -> PublishedShare {
    PublishedReport::of(r, p).share(measure)
}

/// The row of one share: label, k, n, share and its interval; a share that may not be shown is left out.
fn share_row(measure: Measure, lang: Lang, s: &PublishedShare) -> Vec<Value> {
    let number = |x: fn(&crate::analysis::stats::Share) -> Option<f64>| Value::Share(s.share.as_ref().and_then(x));
    vec![measure_value(measure, lang), Value::Count(s.k), Value::Count(s.n), number(|s| s.p), number(|s| s.low), number(|s| s.high)]
}

/// A measure as a row label: its code for machines, its label for people.
fn measure_value(measure: Measure, lang: Lang) -> Value {
    Value::label(measure.code(), measure.label(lang))
}

/// The columns of a table of shares (measure, k, n, share, interval), in `lang`.
fn share_columns(lang: Lang) -> [(&'static str, &'static str); 6] {
    [
        ("measure", lang.pick("mått", "measure")),
        ("k", lang.pick("antal", "k")),
        ("n", lang.pick("av", "n")),
        ("share", lang.pick("andel", "share")),
        ("ci_low", lang.pick("lägre 95 %", "low 95%")),
        ("ci_high", lang.pick("övre 95 %", "high 95%")),
    ]
}

/// The columns of a grid: the corner, one per column label, and (when `total`) the total.
fn grid_columns(corner: (&str, &str), col_labels: &[Labelled], total: Option<&Labelled>) -> Vec<(String, String)> {
    let mut columns = vec![(corner.0.to_string(), corner.1.to_string())];
    columns.extend(col_labels.iter().cloned());
    columns.extend(total.cloned());
    columns
}

/// A grid already published, with its labels.
fn published_grid_section(
    id: &str,
    title: String,
    corner: (&str, &str),
    row_labels: &[Labelled],
    col_labels: &[Labelled],
    g: &crate::disclosure::Grid,
    total: &Labelled,
) -> Section {
    let mut section = Section::new(id, title, &grid_columns(corner, col_labels, Some(total)));
    if !row_labels.is_empty() && !col_labels.is_empty() {
        published_grid_rows(&mut section, row_labels, g, total);
    }
    section
}

fn published_grid_rows(section: &mut Section, row_labels: &[Labelled], g: &crate::disclosure::Grid, total: &Labelled) {
    for (i, (code, label)) in row_labels.iter().enumerate() {
        let mut row = vec![Value::label(code, label)];
        row.extend(g.cells[i].iter().map(|c| Value::Count(*c)));
        row.push(Value::Count(g.row_totals[i]));
        section.rows.push(row);
    }
    let mut row = vec![Value::label(&total.0, &total.1)];
    row.extend(g.column_totals.iter().map(|c| Value::Count(*c)));
    row.push(Value::Count(g.total));
    section.rows.push(row);
}

/// Columns that are each a distribution of the same people (before and after, say) with a total row and no
/// total column: a sum across a row would count people twice. Each column is a published grid of one column.
fn columns_section(
    id: &str,
    title: String,
    corner: (&str, &str),
    row_labels: &[Labelled],
    col_labels: &[Labelled],
    column_grids: &[&crate::disclosure::Grid],
    total: &Labelled,
) -> Section {
    let mut section = Section::new(id, title, &grid_columns(corner, col_labels, None));
    if row_labels.is_empty() {
        return section;
    }
    for (i, (code, label)) in row_labels.iter().enumerate() {
        let mut row = vec![Value::label(code, label)];
        row.extend(column_grids.iter().map(|g| Value::Count(g.cells[i][0])));
        section.rows.push(row);
    }
    let mut row = vec![Value::label(&total.0, &total.1)];
    row.extend(column_grids.iter().map(|g| Value::Count(g.column_totals[0])));
    section.rows.push(row);
    section
}

/// The support transition matrix of a report over every support code, before → after.
pub fn transition_cells(r: &Report) -> (Vec<crate::codes::Support>, Vec<crate::codes::Support>, Vec<Vec<Tally>>) {
    let all: Vec<crate::codes::Support> = crate::codes::Support::ALL.to_vec();
    let cells = all
        .iter()
        .map(|b| all.iter().map(|a| r.transitions.iter().find(|t| t.before == *b && t.after == *a).map_or(Tally::default(), |t| t.exits)).collect())
        .collect();
    (all.clone(), all, cells)
}

/// The transition matrix as published: the whole matrix is protected, then rows and columns that publish
/// nothing but zeros are left out. Which rows appear is decided on published values only (a row kept for a
/// true 1–4 but dropped for a true 0 would tell which).
pub fn published_transitions(
    r: &Report,
    published: &PublishedReport,
) -> (Vec<crate::codes::Support>, Vec<crate::codes::Support>, crate::disclosure::Grid) {
    let (befores, afters, _) = transition_cells(r);
    let g = &published.transitions;
    let nonzero = |c: &Cell| *c != Cell::Shown(0);
    let rows: Vec<usize> = (0..befores.len()).filter(|&i| g.cells[i].iter().any(nonzero) || nonzero(&g.row_totals[i])).collect();
    let cols: Vec<usize> = (0..afters.len()).filter(|&j| g.cells.iter().any(|row| nonzero(&row[j])) || nonzero(&g.column_totals[j])).collect();
    let trimmed = crate::disclosure::Grid {
        cells: rows.iter().map(|&i| cols.iter().map(|&j| g.cells[i][j]).collect()).collect(),
        row_totals: rows.iter().map(|&i| g.row_totals[i]).collect(),
        column_totals: cols.iter().map(|&j| g.column_totals[j]).collect(),
        total: g.total,
    };
    (rows.iter().map(|&i| befores[i]).collect(), cols.iter().map(|&j| afters[j]).collect(), trimmed)
}

/// The standard report as titled sections.
pub fn report_sections(r: &Report, lang: Lang, p: &Protector) -> Vec<Section> {
    report_sections_of(r, &PublishedReport::of(r, p), lang, p)
}

/// The standard report as titled sections, from its counts as already published.
pub fn report_sections_of(r: &Report, published: &PublishedReport, lang: Lang, p: &Protector) -> Vec<Section> {
    let mut sections = vec![
        sex_age_section(r, published, lang),
        occupation_section(r, published, lang),
        outcomes_section(r, published, lang, p),
        transitions_section(r, published, lang),
        days_section(r, published, lang, p),
        anonymous_section(r, lang, p),
    ];
    if p.is_raw() {
        for s in &mut sections {
            s.title.push_str(Protector::raw_mark(lang));
        }
    }
    sections
}

/// Enrolments by sex and age band at start, with totals.
fn sex_age_section(r: &Report, published: &PublishedReport, lang: Lang) -> Section {
    use crate::codes::Sex;
    let sexes = labelled(&[Sex::Female, Sex::Male], lang);
    let bands: Vec<Labelled> = r.by_sex_age.iter().map(|c| (c.band.to_string(), c.band.to_string())).collect();
    published_grid_section(
        "sex_age",
        lang.pick("Inskrivningar efter kön och ålder vid start", "Enrolments by sex and age at start").to_string(),
        ("age_band", lang.pick("ålder", "age")),
        &bands,
        &sexes,
        &published.sex_age,
        &total_of(lang),
    )
}

/// Occupation before and after, each a column of its own (the same people twice).
fn occupation_section(r: &Report, published: &PublishedReport, lang: Lang) -> Section {
    let occupations: Vec<Labelled> = r.occupation.iter().map(|c| (c.occupation.code().to_string(), c.occupation.label(lang).to_string())).collect();
    let when = vec![("before".to_string(), lang.pick("före", "before").to_string()), ("after".to_string(), lang.pick("efter", "after").to_string())];
    columns_section(
        "occupation",
        lang.pick("Sysselsättning före och efter (avslutade; efter: där den är känd)", "Occupation before and after (exits; after: where known)")
            .to_string(),
        ("occupation", lang.pick("sysselsättning", "occupation")),
        &occupations,
        &when,
        &[&published.occupation_before, &published.occupation_after],
        &total_of(lang),
    )
}

/// The outcome shares with their Wilson intervals.
fn outcomes_section(r: &Report, published: &PublishedReport, lang: Lang, p: &Protector) -> Section {
    let mut shares = Section::new(
        "outcomes",
        lang.pick("Utfall med 95 % konfidensintervall (Wilson)", "Outcomes with 95% confidence intervals (Wilson)").to_string(),
        &share_columns(lang),
    );
    // A measure whose n is below the exits leaves out the exits for which it is unknown: the title says so,
    // when the published numbers show it (decided on true ones it would give away 1–4 unknown exits).
    if r.outcomes.iter().any(|o| o.measure != Measure::StillEnrolled && p.count(o.n) != p.count(r.exited)) {
        shares.title.push_str(lang.pick(
            "; n är de avslutade där måttet är känt (saknad omfattning eller lönesubvention räknas inte)",
            "; n is the exits for which the measure is known (a missing extent or wage-subsidy flag is left out)",
        ));
    }
    for measure in r.outcomes.iter().map(|o| o.measure) {
        shares.rows.push(share_row(measure, lang, &published.share(measure)));
    }
    shares
}

/// Support before → after of the exits, as published.
fn transitions_section(r: &Report, published: &PublishedReport, lang: Lang) -> Section {
    let (befores, afters, grid) = published_transitions(r, published);
    published_grid_section(
        "transitions",
        lang.pick("Försörjning före → efter (avslutade med känd försörjning efter)", "Support before → after (exits with a known support after)")
            .to_string(),
        ("support_before", lang.pick("före \\ efter", "before \\ after")),
        &labelled(&befores, lang),
        &labelled(&afters, lang),
        &grid,
        &total_of(lang),
    )
}

/// Days in the intervention of the exits: the quartiles where each quarter is at least 5 people.
fn days_section(r: &Report, published: &PublishedReport, lang: Lang, p: &Protector) -> Section {
    let mut days = Section::new(
        "days",
        lang.pick("Dagar i insatsen (avslutade)", "Days in the intervention (exits)").to_string(),
        &[
            ("n", lang.pick("antal", "n")),
            ("lower_quartile", lang.pick("nedre kvartil", "lower quartile")),
            ("median", "median"),
            ("upper_quartile", lang.pick("övre kvartil", "upper quartile")),
        ],
    );
    if r.overlap {
        // Not corrected for left truncation: say so rather than let the quartiles pass as the intervention's.
        days.title.push_str(lang.pick(
            "; alla inskrivna under perioden, även de som började före den: långa inskrivningar väger tyngre (ej korrigerat)",
            "; everyone enrolled during the period, including those who started before it: long stays weigh more (not corrected)",
        ));
    }
    // Under suppression the quartiles are not shown: an exact quartile is one exit's time at a known rank,
    // and an attack set it beside a survival table of the same cohort (true numbers at risk, months hidden
    // for groups of 1–4) and read off exact groups of 1–4.
    let suppression = p.protection() == Protection::Suppression;
    if suppression {
        days.title.push_str(lang.pick(
            "; kvartiler visas inte vid undertryckning (en exakt kvartil är en persons tid och kan tillsammans med en tabell över tid i insatsen ge antal under 5)",
            "; quartiles are not shown under suppression (an exact quartile is one person's time, and beside a table of time in the intervention it can give away counts under 5)",
        ));
    }
    match &r.days {
        Some(d) if p.quartiles_may_be_shown(d.n) && !suppression => {
            // Protected quartiles in whole days: a half day would tell whether the number of exits is even.
            let days_value = |x: f64| Value::Number(Some(if p.is_raw() { x } else { x.round() }));
            days.rows.push(vec![Value::Count(published.exits), days_value(d.q1), days_value(d.median), days_value(d.q3)]);
        }
        Some(_) => days.rows.push(vec![Value::Count(published.exits), Value::Number(None), Value::Number(None), Value::Number(None)]),
        None => days.rows.push(vec![Value::Count(Cell::Shown(0)), Value::Number(None), Value::Number(None), Value::Number(None)]),
    }
    days
}

/// The anonymously counted, beside the rest: every sex and reason, whether or not a row was entered (the
/// rows shown must not depend on the data).
fn anonymous_section(r: &Report, lang: Lang, p: &Protector) -> Section {
    use crate::codes::{AnonymousReason, Sex};
    let mut anonymous = Section::new(
        "anonymous",
        lang.pick("Anonymt räknade (redovisas vid sidan av, ingår inte ovan)", "Counted anonymously (shown beside, not included above)").to_string(),
        &[("sex", lang.pick("kön", "sex")), ("reason", lang.pick("skäl", "reason")), ("count", lang.pick("antal", "count"))],
    );
    // One grid of sex by reason, its margins counted as public (under suppression the audit hides a second
    // cell where one is small): a cost table gives a reason's total, those counted without consent, as its
    // participants less a report's enrolments, and an attack subtracted the sex shown from it.
    let cells: Vec<Vec<Tally>> = Sex::ALL
        .iter()
        .map(|sex| {
            AnonymousReason::ALL
                .iter()
                .map(|reason| r.anonymous.iter().find(|(s, x, _)| s == sex && x == reason).map_or(Tally::default(), |(_, _, n)| *n))
                .collect()
        })
        .collect();
    let grid = p.grid(&cells, false);
    for (i, sex) in Sex::ALL.iter().enumerate() {
        for (j, reason) in AnonymousReason::ALL.iter().enumerate() {
            anonymous.rows.push(vec![
                Value::label(sex.code(), sex.label(lang)),
                Value::label(reason.code(), reason.label(lang)),
                Value::Count(grid.cells[i][j]),
            ]);
        }
    }
    anonymous
}

/// A comparison as one table: each measure in both cohorts and the change with its interval and p-value,
/// all computed from the published counts. Machines read the columns as `k_a`, `n_a`, `share_a`, the same
/// for `b`, and `difference` (share_b − share_a) with `ci_low`, `ci_high` and `p_value`; the cohorts' names
/// are in the table's metadata (`finsam.a`, `finsam.b`).
pub fn comparison_section(c: &crate::analysis::compare::Comparison, lang: Lang, p: &Protector) -> Section {
    comparison_section_of(c, &(PublishedReport::of(&c.a, p), PublishedReport::of(&c.b, p)), lang, p)
}

/// A comparison as one table, from each cohort's report as published (`PublishedReport::of`): the
/// comparison hides what the two reports hide.
pub fn comparison_section_of(
    c: &crate::analysis::compare::Comparison,
    published: &(PublishedReport, PublishedReport),
    lang: Lang,
    p: &Protector,
) -> Section {
    let (a, b) = (cohort_name(&c.a, lang), cohort_name(&c.b, lang));
    let title = match lang {
        Lang::Sv => format!("Jämförelse: {b} mot {a} (skillnad med 95 % intervall enligt Newcombe, p-värde från z-test för två andelar)"),
        Lang::En => format!("Comparison: {b} against {a} (difference with Newcombe's 95% interval, p-value of the two-proportion z-test)"),
    };
    let side = |name: &str, key: &str| -> [(String, String); 3] {
        [
            (format!("k_{key}"), format!("{} {name}", lang.pick("antal", "k"))),
            (format!("n_{key}"), format!("{} {name}", lang.pick("av", "n"))),
            (format!("share_{key}"), format!("{} {name}", lang.pick("andel", "share"))),
        ]
    };
    let mut columns = vec![("measure".to_string(), lang.pick("mått", "measure").to_string())];
    columns.extend(side(&a, "a"));
    columns.extend(side(&b, "b"));
    columns.extend([
        ("difference".to_string(), lang.pick("skillnad", "difference").to_string()),
        ("ci_low".to_string(), lang.pick("lägre 95 %", "low 95%").to_string()),
        ("ci_high".to_string(), lang.pick("övre 95 %", "high 95%").to_string()),
        ("p_value".to_string(), lang.pick("p-värde", "p-value").to_string()),
    ]);
    let mut section = Section::new("comparison", title, &columns);
    section.metadata = vec![
        ("finsam.a".into(), c.a.cohort.get(lang).to_string()),
        ("finsam.b".into(), c.b.cohort.get(lang).to_string()),
        ("finsam.difference".into(), "share_b - share_a".into()),
    ];
    for (measure, _) in &c.differences {
        let (first, second) = (published.0.share(*measure), published.1.share(*measure));
        let d = match (first.share, second.share) {
            (Some(x), Some(y)) => Some(change(x, y)),
            _ => None,
        };
        let side = |s: &PublishedShare| -> [Value; 3] { [Value::Count(s.k), Value::Count(s.n), Value::Share(s.share.and_then(|s| s.p))] };
        let mut row = vec![measure_value(*measure, lang)];
        row.extend(side(&first));
        row.extend(side(&second));
        row.extend([
            Value::Share(d.and_then(|d| d.diff)),
            Value::Share(d.and_then(|d| d.low)),
            Value::Share(d.and_then(|d| d.high)),
            Value::PValue(d.and_then(|d| d.p_value)),
        ]);
        section.rows.push(row);
    }
    if p.is_raw() {
        section.title.push_str(Protector::raw_mark(lang));
    }
    section
}

fn cohort_name(r: &Report, lang: Lang) -> String {
    r.period.as_ref().map(|p| p.label.clone()).unwrap_or_else(|| r.cohort.get(lang).to_string())
}
