//! The standard participant report, as SUS showed it, rebuilt on person-level rows: who took part (sex
//! and age band), occupation before and after, the outcome shares with their intervals, the support
//! transition matrix, days in the intervention, and the anonymous counts beside (never mixed in).

use chrono::NaiveDate;

use super::cohort::{Cohort, Period, ResolvedCohort};
use super::stats::Share;
use crate::codes::{AnonymousReason, CodeList, Lang, Occupation, Sex, Support};
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// The age bands of the report (age at start).
pub const AGE_BANDS: &[(&str, i32, i32)] =
    &[("16–19", 0, 19), ("20–24", 20, 24), ("25–29", 25, 29), ("30–39", 30, 39), ("40–49", 40, 49), ("50–59", 50, 59), ("60–", 60, 200)];

/// The outcome shares of the report. All but `StillEnrolled` are shares of the exits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    WorkOrStudies,
    StartedOrIncreased,
    SelfSupporting,
    UnsubsidisedWork,
    StillEnrolled,
}

impl Measure {
    pub const ALL: [Measure; 5] =
        [Measure::WorkOrStudies, Measure::StartedOrIncreased, Measure::SelfSupporting, Measure::UnsubsidisedWork, Measure::StillEnrolled];

    pub fn code(self) -> &'static str {
        match self {
            Measure::WorkOrStudies => "work_or_studies",
            Measure::StartedOrIncreased => "started_or_increased",
            Measure::SelfSupporting => "self_supporting",
            Measure::UnsubsidisedWork => "unsubsidised_work",
            Measure::StillEnrolled => "still_enrolled",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Measure::WorkOrStudies, Lang::Sv) => "Arbete eller studier efter avslut",
            (Measure::WorkOrStudies, Lang::En) => "Work or studies after exit",
            (Measure::StartedOrIncreased, Lang::Sv) => "Började eller ökade arbete/studier",
            (Measure::StartedOrIncreased, Lang::En) => "Started or increased work/studies",
            (Measure::SelfSupporting, Lang::Sv) => "Egen försörjning efter avslut",
            (Measure::SelfSupporting, Lang::En) => "Self-supporting after exit",
            (Measure::UnsubsidisedWork, Lang::Sv) => "Osubventionerat arbete efter avslut",
            (Measure::UnsubsidisedWork, Lang::En) => "Unsubsidised work after exit",
            (Measure::StillEnrolled, Lang::Sv) => "Fortfarande inskrivna",
            (Measure::StillEnrolled, Lang::En) => "Still enrolled",
        }
    }

    /// The SQL condition counted over the exits (or, for `StillEnrolled`, over all enrolments).
    fn condition(self) -> String {
        let work_or_studies = "occupation_after IN ('work', 'studies')";
        match self {
            Measure::WorkOrStudies => work_or_studies.into(),
            Measure::StartedOrIncreased => format!(
                "{work_or_studies} AND (occupation_before NOT IN ('work', 'studies')
                 OR coalesce(extent_after_pct, 0) > coalesce(extent_before_pct, 0))"
            ),
            Measure::SelfSupporting => format!("support_after NOT IN ({})", public_support_list()),
            Measure::UnsubsidisedWork => "occupation_after = 'work' AND NOT coalesce(subsidised_work_after, false)".into(),
            Measure::StillEnrolled => "exit_known IS NULL".into(),
        }
    }
}

/// The codes of public support (*offentlig försörjning*), for SQL.
pub fn public_support_list() -> String {
    Support::ALL.iter().filter(|s| s.is_public()).map(|s| format!("'{}'", s.code())).collect::<Vec<_>>().join(", ")
}

#[derive(Debug, Clone, PartialEq)]
pub struct DaysInIntervention {
    pub n: u64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub cohort: String,
    pub period: Option<Period>,
    pub data_end: NaiveDate,
    pub enrolments: u64,
    pub participants: u64,
    pub exited: u64,
    /// Age band, women, men.
    pub by_sex_age: Vec<(&'static str, u64, u64)>,
    /// Occupation, count before (of the exits), count after (of the exits).
    pub occupation: Vec<(Occupation, u64, u64)>,
    pub outcomes: Vec<(Measure, Share)>,
    /// Support before → support after, of the exits.
    pub transitions: Vec<(Support, Support, u64)>,
    pub days: Option<DaysInIntervention>,
    /// People counted but not registered, for the cohort's interventions and years.
    pub anonymous: Vec<(Sex, AnonymousReason, u64)>,
}

impl Report {
    pub fn share(&self, measure: Measure) -> Share {
        self.outcomes.iter().find(|(m, _)| *m == measure).map(|(_, s)| *s).expect("every measure is in the report")
    }
}

/// Builds the standard report for a cohort. An empty cohort gives a report of zeros and empty shares.
pub fn standard_report(model: &Model, cohort: &Cohort) -> Result<Report> {
    let resolved = cohort.resolve(model)?;
    report_for(model, &resolved, cohort)
}

pub(crate) fn report_for(model: &Model, c: &ResolvedCohort, cohort: &Cohort) -> Result<Report> {
    let params = c.param_refs();
    // One statement: the cohort (a join of enrolments, people and interventions) is computed once, with
    // only the columns the report reads, then aggregated twice: totals with the shares and quartiles, and
    // the count tables as grouping sets.
    let bands: Vec<String> = AGE_BANDS.iter().map(|(label, lo, hi)| format!("WHEN age BETWEEN {lo} AND {hi} THEN '{label}'")).collect();
    let shares: Vec<String> = Measure::ALL
        .iter()
        .map(|m| match m {
            Measure::StillEnrolled => format!("count(*) FILTER ({})", m.condition()),
            _ => format!("count(*) FILTER (exit_known IS NOT NULL AND {})", m.condition()),
        })
        .collect();
    let sql = format!(
        "WITH c AS MATERIALIZED (
           SELECT participant_id, start_date, exit_known, sex, occupation_before, occupation_after, support_before,
                  support_after, extent_before_pct, extent_after_pct, subsidised_work_after, CASE {bands} END AS age_band
           FROM ({cohort})),
         totals AS (
           SELECT count(*) AS enrolments, count(DISTINCT participant_id) AS participants, count(exit_known) AS exits,
                  {shares},
                  quantile_cont(exit_known - start_date, [0.25, 0.5, 0.75]) FILTER (exit_known IS NOT NULL)::VARCHAR AS quartiles
           FROM c),
         groups AS (
           SELECT GROUPING(age_band, sex, occupation_before, occupation_after, support_before, support_after) AS g,
                  age_band, sex, occupation_before, occupation_after, support_before, support_after,
                  count(*) AS n, count(exit_known) AS exits
           FROM c
           GROUP BY GROUPING SETS ((age_band, sex), (occupation_before), (occupation_after), (support_before, support_after)))
         SELECT totals.*, groups.* FROM totals LEFT JOIN groups ON true",
        bands = bands.join(" "),
        cohort = c.sql,
        shares = shares.join(", "),
    );
    let rows = model.query(&sql, &params)?.rows_as_text()?;
    let first = rows.first().ok_or_else(|| FinsamError::invalid("the report query gave no row"))?;
    let number = |text: &str| -> Result<u64> {
        text.parse().map_err(|_| FinsamError::invalid(format!("the report query gave '{text}' for a count")))
    };
    let (enrolments, participants, exited) = (number(&first[0])?, number(&first[1])?, number(&first[2])?);
    let mut outcomes = Vec::new();
    for (i, measure) in Measure::ALL.iter().enumerate() {
        let denominator = if *measure == Measure::StillEnrolled { enrolments } else { exited };
        outcomes.push((*measure, Share::new(number(&first[3 + i])?, denominator)));
    }
    let base = 3 + Measure::ALL.len();
    let days = parse_quartiles(&first[base], exited)?;
    // The grouping-set rows: g tells which set (a bit per column, 1 = rolled up), then the six keys, n and
    // exits. Occupation and support tables count exits known by the data's end.
    let groups: Vec<&Vec<String>> = rows.iter().filter(|r| !r[base + 1].is_empty()).collect();
    let key = |r: &Vec<String>, k: usize| r[base + 2 + k].clone();
    let n_of = |r: &Vec<String>| number(&r[base + 8]);
    let exits_of = |r: &Vec<String>| number(&r[base + 9]);
    // Bits of g, most significant first: age_band, sex, occupation_before, occupation_after, support_before, support_after.
    const AGE_SEX: u64 = 0b001111;
    const OCC_BEFORE: u64 = 0b110111;
    const OCC_AFTER: u64 = 0b111011;
    const SUPPORT: u64 = 0b111100;
    let mut by_sex_age: Vec<(&'static str, u64, u64)> = AGE_BANDS.iter().map(|(l, _, _)| (*l, 0, 0)).collect();
    let mut occupation: Vec<(Occupation, u64, u64)> = Occupation::ALL.iter().map(|o| (*o, 0, 0)).collect();
    let mut transitions = Vec::new();
    for r in groups {
        match number(&r[base + 1])? {
            AGE_SEX => {
                if let Some(row) = by_sex_age.iter_mut().find(|(l, _, _)| *l == key(r, 0)) {
                    if key(r, 1) == Sex::Female.code() { row.1 += n_of(r)? } else { row.2 += n_of(r)? }
                }
            }
            OCC_BEFORE => {
                let o = Occupation::parse(&key(r, 2))?;
                occupation.iter_mut().find(|(x, _, _)| *x == o).expect("every occupation is listed").1 += exits_of(r)?;
            }
            OCC_AFTER if !key(r, 3).is_empty() => {
                let o = Occupation::parse(&key(r, 3))?;
                occupation.iter_mut().find(|(x, _, _)| *x == o).expect("every occupation is listed").2 += exits_of(r)?;
            }
            SUPPORT if !key(r, 5).is_empty() && exits_of(r)? > 0 => {
                transitions.push((Support::parse(&key(r, 4))?, Support::parse(&key(r, 5))?, exits_of(r)?));
            }
            _ => {}
        }
    }
    transitions.sort();

    let anonymous = anonymous_counts(model, c, cohort)?;
    Ok(Report {
        cohort: c.description.clone(),
        period: c.period.clone(),
        data_end: c.data_end,
        enrolments,
        participants,
        exited,
        by_sex_age,
        occupation,
        outcomes,
        transitions,
        days,
        anonymous,
    })
}

fn parse_quartiles(text: &str, n: u64) -> Result<Option<DaysInIntervention>> {
    if n == 0 || text.is_empty() {
        return Ok(None);
    }
    let values: Vec<f64> = text
        .trim_matches(['[', ']'])
        .split(',')
        .map(|v| v.trim().parse::<f64>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| FinsamError::invalid(format!("unexpected quartiles '{text}'")))?;
    match values[..] {
        [q1, median, q3] => Ok(Some(DaysInIntervention { n, q1, median, q3 })),
        _ => Err(FinsamError::invalid(format!("unexpected quartiles '{text}'"))),
    }
}

/// Anonymous counts of the cohort's interventions in the years of its period. Sex and target-group
/// filters apply (they are known); age and support are not, so a cohort filtered by them shows none.
fn anonymous_counts(model: &Model, c: &ResolvedCohort, cohort: &Cohort) -> Result<Vec<(Sex, AnonymousReason, u64)>> {
    if cohort.age.is_some() || !cohort.support_before.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = String::from(
        "SELECT a.sex, a.reason, sum(a.count) FROM anonymous_count a JOIN intervention i USING (intervention_id) WHERE true",
    );
    let mut values: Vec<duckdb::types::Value> = Vec::new();
    let mut add_in = |column: &str, items: Vec<String>, sql: &mut String| {
        if !items.is_empty() {
            sql.push_str(&format!(" AND {column} IN ({})", vec!["?"; items.len()].join(", ")));
            values.extend(items.into_iter().map(duckdb::types::Value::Text));
        }
    };
    add_in("i.federation_id", cohort.federations.clone(), &mut sql);
    add_in("a.intervention_id", cohort.interventions.clone(), &mut sql);
    add_in("i.target_group", cohort.target_groups.iter().map(|t| t.code().to_string()).collect(), &mut sql);
    add_in("a.sex", cohort.sex.iter().map(|s| s.code().to_string()).collect(), &mut sql);
    if let Some(p) = &c.period {
        sql.push_str(&format!(" AND a.year BETWEEN {} AND {}", p.start.format("%Y"), p.end.format("%Y")));
    }
    sql.push_str(" GROUP BY ALL ORDER BY ALL");
    let refs: Vec<&dyn duckdb::ToSql> = values.iter().map(|v| v as &dyn duckdb::ToSql).collect();
    let mut out = Vec::new();
    for r in model.query(&sql, &refs)?.rows_as_text()? {
        out.push((Sex::parse(&r[0])?, AnonymousReason::parse(&r[1])?, r[2].parse().unwrap_or(0)));
    }
    Ok(out)
}
