//! SUS's standard participant report, kept in SUS's layout so that a federation can set its reports since
//! 2023 beside its SUS history: participants by sex and age; occupation before and after in SUS's four
//! classes; work or studies after exit and how many started or increased it; support before and after as
//! a transition matrix; time in the intervention. Counts are of enrolments (SUS counted a person once per
//! intervention), each with its cell key, protected by the core. Occupation before is of the exits, as SUS's
//! four classes ("other exits") and finsam's own report have it: under suppression every count that is
//! also one of the report's is published as the report publishes it (the host audits both together).

use finsam_plugin::stats::AGE_BANDS;
use finsam_plugin::{Args, Context, Exporter, Lang, Output, Param, PluginError, Rows, Section, Tally, Value};

pub struct SusReport;

/// SUS's four occupation classes, in SUS's order.
const OCCUPATIONS: [&str; 4] = ["work", "studies", "job_seeking", "other"];

/// Time in the intervention, days: lowest and highest of each band.
const DAYS: [(i64, i64, &str, &str); 5] = [
    (0, 90, "högst 3 månader", "up to 3 months"),
    (91, 182, "3–6 månader", "3–6 months"),
    (183, 365, "6–12 månader", "6–12 months"),
    (366, 730, "1–2 år", "1–2 years"),
    (731, i64::MAX, "mer än 2 år", "more than 2 years"),
];

impl Exporter for SusReport {
    fn name(&self) -> &'static str {
        "sus-rapport"
    }
    fn description(&self) -> &'static str {
        "SUS's standard participant report in SUS's layout, for a cohort: sex and age, occupation before/after, transition matrix, time"
    }
    fn file_types(&self) -> &'static [&'static str] {
        &["xlsx", "csv"]
    }
    fn export(&self, ctx: &dyn Context, _: &Args) -> Result<Output, PluginError> {
        let lang = ctx.lang();
        let labels = labels(ctx, lang)?;
        let label = |list: &str, code: &str| labels.iter().find(|(l, c, _)| l == list && c == code).map_or(code.to_string(), |(_, _, t)| t.clone());
        let mut sections = Vec::new();

        // Participants by sex and age band (age at start).
        let rows =
            Rows::new(ctx.query("SELECT age, sex, count(*) AS n, sum(record_key) AS key, min(record_key) AS key_min FROM cohort GROUP BY ALL", &[])?);
        let (ages, sexes, tallies) = (rows.integers("age")?, rows.texts("sex")?, rows.tallies("n", "key")?);
        let mut by_age = vec![[Tally::default(); 2]; AGE_BANDS.len()];
        for i in 0..tallies.len() {
            if let Some(band) = ages[i].and_then(|a| AGE_BANDS.iter().position(|(_, lo, hi)| (i64::from(*lo)..=i64::from(*hi)).contains(&a))) {
                by_age[band][usize::from(sexes[i].as_deref() != Some("female"))] += tallies[i];
            }
        }
        let mut s = Section::new(
            "sex_age",
            lang.pick("Deltagare efter kön och ålder", "Participants by sex and age"),
            &[lang.pick("ålder", "age"), lang.pick("kvinnor", "women"), lang.pick("män", "men"), lang.pick("totalt", "total")],
        );
        for ((band, _, _), [w, m]) in AGE_BANDS.iter().zip(&by_age) {
            s.push(vec![Value::Text(band.to_string()), Value::Count(*w), Value::Count(*m), Value::Count(*w + *m)]);
        }
        // The total column is each row's women and men: under suppression the host audits it as such.
        s.row_total = Some(3);
        sections.push(s);

        // Occupation before and after of the exits, in SUS's four classes (SUS's "other exits"). Before is of
        // the exits, as in finsam's own report: the same counts, published alike.
        let rows = Rows::new(ctx.query(
            "SELECT 'before' AS side, occupation_before AS occupation, count(*) AS n, sum(record_key) AS key, min(record_key) AS key_min FROM cohort WHERE exit_known IS NOT NULL GROUP BY ALL
             UNION ALL
             SELECT 'after', occupation_after, count(*), sum(record_key), min(record_key) FROM cohort WHERE exit_known IS NOT NULL AND occupation_after IS NOT NULL GROUP BY ALL",
            &[],
        )?);
        let (sides, occupations, tallies) = (rows.texts("side")?, rows.texts("occupation")?, rows.tallies("n", "key")?);
        let mut s = Section::new(
            "occupation",
            lang.pick("Sysselsättning före och efter", "Occupation before and after"),
            &[
                lang.pick("sysselsättning", "occupation"),
                lang.pick("före (avslutade)", "before (exits)"),
                lang.pick("efter (avslutade)", "after (exits)"),
            ],
        );
        for code in OCCUPATIONS {
            let cell = |side: &str| {
                (0..tallies.len())
                    .filter(|&i| sides[i].as_deref() == Some(side) && occupations[i].as_deref() == Some(code))
                    .map(|i| tallies[i])
                    .sum::<Tally>()
            };
            s.push(vec![Value::Text(label("occupation", code)), Value::Count(cell("before")), Value::Count(cell("after"))]);
        }
        sections.push(s);

        // Work or studies after exit, and how many started or increased it (SUS's definitions: work or
        // studies after; started = not in work or studies before; increased = a larger extent after, where
        // both extents are recorded). SUS's table holds counts, not shares: an exit with an unknown extent
        // is not among those who increased (the core's share leaves it out of its count the same way, and
        // out of its denominator too, which this table does not have).
        let rows = Rows::new(ctx.query(
            "SELECT count(*) AS exits, sum(record_key) AS exits_key, min(record_key) AS exits_key_min,
                    count(*) FILTER (work_or_studies) AS ws, sum(record_key) FILTER (work_or_studies) AS ws_key,
                    min(record_key) FILTER (work_or_studies) AS ws_key_min,
                    count(*) FILTER (work_or_studies AND (occupation_before NOT IN ('work', 'studies') OR increased)) AS si,
                    sum(record_key) FILTER (work_or_studies AND (occupation_before NOT IN ('work', 'studies') OR increased)) AS si_key,
                    min(record_key) FILTER (work_or_studies AND (occupation_before NOT IN ('work', 'studies') OR increased)) AS si_key_min
             FROM (SELECT record_key, occupation_before, occupation_after IN ('work', 'studies') AS work_or_studies,
                          coalesce(extent_after_pct > extent_before_pct, false) AS increased
                   FROM cohort WHERE exit_known IS NOT NULL)",
            &[],
        )?);
        let mut s = Section::new(
            "work_or_studies",
            lang.pick("Arbete eller studier efter avslut", "Work or studies after exit"),
            &[lang.pick("mått", "measure"), lang.pick("antal", "count")],
        );
        for (column, sv, en) in [
            ("exits", "Avslutade", "Exits"),
            ("ws", "I arbete eller studier efter avslut", "In work or studies after exit"),
            ("si", "Började eller ökade arbete/studier", "Started or increased work/studies"),
        ] {
            let tally = rows.tallies(column, &format!("{column}_key"))?.first().copied().unwrap_or_default();
            s.push(vec![Value::Text(lang.pick(sv, en).to_string()), Value::Count(tally)]);
        }
        sections.push(s);

        // Support before and after: the transition matrix of the exits.
        let supports: Vec<(String, String)> = labels.iter().filter(|(l, _, _)| l == "support").map(|(_, c, t)| (c.clone(), t.clone())).collect();
        let rows = Rows::new(ctx.query(
            "SELECT support_before, support_after, count(*) AS n, sum(record_key) AS key, min(record_key) AS key_min
             FROM cohort WHERE exit_known IS NOT NULL AND support_after IS NOT NULL GROUP BY ALL",
            &[],
        )?);
        let (before, after, tallies) = (rows.texts("support_before")?, rows.texts("support_after")?, rows.tallies("n", "key")?);
        let mut columns: Vec<String> = vec![lang.pick("försörjning före \\ efter", "support before \\ after").to_string()];
        columns.extend(supports.iter().map(|(_, t)| t.clone()));
        let mut s = Section::new(
            "support",
            lang.pick("Försörjning före och efter", "Support before and after"),
            &columns.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        for (from, from_label) in &supports {
            let mut row = vec![Value::Text(from_label.clone())];
            for (to, _) in &supports {
                let cell = (0..tallies.len())
                    .filter(|&i| before[i].as_deref() == Some(from) && after[i].as_deref() == Some(to))
                    .map(|i| tallies[i])
                    .sum::<Tally>();
                row.push(Value::Count(cell));
            }
            s.push(row);
        }
        sections.push(s);

        // Time in the intervention (exits).
        let rows = Rows::new(ctx.query(
            "SELECT exit_known - start_date AS days, count(*) AS n, sum(record_key) AS key, min(record_key) AS key_min FROM cohort WHERE exit_known IS NOT NULL GROUP BY ALL",
            &[],
        )?);
        let (days, tallies) = (rows.integers("days")?, rows.tallies("n", "key")?);
        let mut s = Section::new(
            "time_in_intervention",
            lang.pick("Tid i insatsen (avslutade)", "Time in the intervention (exits)"),
            &[lang.pick("tid", "time"), lang.pick("antal", "count")],
        );
        let bins: Vec<Tally> = DAYS
            .iter()
            .map(|(low, high, _, _)| (0..tallies.len()).filter(|&i| days[i].is_some_and(|d| (*low..=*high).contains(&d))).map(|i| tallies[i]).sum())
            .collect();
        // Under suppression no bin is shown. The bins are the exit survival table's numbers at risk read at
        // other boundaries: from 6 months up they add up to its numbers at risk at 6, 12 and 24 months (183,
        // 366 and 731 days) with those still enrolled that long, and beside that table one shown bin next to
        // a hidden one gave the hidden one (for example 3 exits within 3 months, ale 2016). Shown all or none
        // they still differed from it by groups no rule there sees: the exits on day 91 (the table's 3
        // months are 91.3 days, the first bin ends at 90) and, counted by overlap, those who left on the
        // period's first day, in the bins but never at risk in the table (for example 1 or 2 people in 15
        // cohorts). Suppression protects the table by its months; these bins would need the same months.
        let suppressing = ctx.published(Tally::unit(0)).is_none();
        if suppressing {
            s.title.push_str(lang.pick(
                " — visas inte vid undertryckning (tillsammans med överlevnadstabellen skulle klasserna ge antal under 5; standardskyddet visar dem)",
                " — not shown under suppression (beside the survival table the bins would give counts under 5; the default protection shows them)",
            ));
        }
        for ((_, _, sv, en), cell) in DAYS.iter().zip(&bins) {
            let count = if suppressing { Value::Text("..".into()) } else { Value::Count(*cell) };
            s.push(vec![Value::Text(lang.pick(sv, en).to_string()), count]);
        }
        sections.push(s);

        let cohort = ctx.cohort_description().unwrap_or_default();
        let heading = match lang {
            Lang::Sv => format!("Standardrapport deltagare (SUS-format): {cohort}; data t.o.m. {}", ctx.data_end()),
            Lang::En => format!("Standard participant report (SUS layout): {cohort}; data until {}", ctx.data_end()),
        };
        Ok(Output { heading, sections })
    }
}

/// (list, code, label) of the occupation and support code lists, in the code lists' order.
fn labels(ctx: &dyn Context, lang: Lang) -> Result<Vec<(String, String, String)>, PluginError> {
    // The code list is written in display order and DuckDB keeps insertion order in scans.
    let rows = Rows::new(ctx.query(
        "SELECT list, code, CASE WHEN ? = 'sv' THEN label_sv ELSE label_en END AS label FROM finsam_code_list WHERE list IN ('occupation', 'support')",
        &[Param::Text(lang.pick("sv", "en").to_string())],
    )?);
    let (lists, codes, texts) = (rows.texts("list")?, rows.texts("code")?, rows.texts("label")?);
    Ok((0..codes.len())
        .map(|i| (lists[i].clone().unwrap_or_default(), codes[i].clone().unwrap_or_default(), texts[i].clone().unwrap_or_default()))
        .collect())
}
