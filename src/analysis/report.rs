//! The standard participant report, as SUS showed it, rebuilt on person-level rows: who took part (sex
//! and age band), occupation before and after, the outcome shares with their intervals, the support
//! transition matrix, days in the intervention, and the anonymous counts beside (never mixed in).

use std::sync::Arc;

use chrono::NaiveDate;

use super::cohort::{Cohort, Period, ResolvedCohort, Words};
use super::stats::Share;
use crate::codes::{AnonymousReason, CodeList, Lang, Occupation, Sex, Support};
use crate::error::{FinsamError, Result};
use crate::model::Model;
use finsam_plugin::Tally;

/// The age bands of the report (age at start).
pub use super::stats::AGE_BANDS;

/// The outcome shares of the report. All but `StillEnrolled` are shares of the exits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// In work or studies right after exit.
    WorkOrStudies,
    /// Went to work or studies without having had it before, or to more of it.
    StartedOrIncreased,
    /// Without public support after exit.
    SelfSupporting,
    /// In work without a wage subsidy after exit.
    UnsubsidisedWork,
    /// Not (yet) left at the data's end (of all enrolments, not of the exits).
    StillEnrolled,
}

impl Measure {
    /// Every measure, in the order tables list them.
    pub const ALL: [Measure; 5] =
        [Measure::WorkOrStudies, Measure::StartedOrIncreased, Measure::SelfSupporting, Measure::UnsubsidisedWork, Measure::StillEnrolled];

    /// The measure's name in code (`work_or_studies`).
    pub fn code(self) -> &'static str {
        match self {
            Measure::WorkOrStudies => "work_or_studies",
            Measure::StartedOrIncreased => "started_or_increased",
            Measure::SelfSupporting => "self_supporting",
            Measure::UnsubsidisedWork => "unsubsidised_work",
            Measure::StillEnrolled => "still_enrolled",
        }
    }

    /// The measure in words.
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

    /// Whether an exit with these outcomes counts for the measure: `Some(true)` or `Some(false)`, or `None`
    /// when it is unknown (a missing extent where the measure needs one, a missing wage-subsidy flag): an
    /// unknown exit is in neither the measure's count nor its denominator. `StillEnrolled` counts the
    /// enrolments without a known exit and is not decided per exit.
    fn counts(self, exit: &ExitCell) -> Option<bool> {
        let work_or_studies = matches!(exit.after, Some(Occupation::Work | Occupation::Studies));
        match self {
            Measure::WorkOrStudies => Some(work_or_studies),
            Measure::StartedOrIncreased if !work_or_studies => Some(false),
            Measure::StartedOrIncreased if !matches!(exit.before, Occupation::Work | Occupation::Studies) => Some(true),
            Measure::StartedOrIncreased => exit.increased,
            Measure::SelfSupporting => Some(exit.support_after.is_some_and(|s| !s.is_public())),
            Measure::UnsubsidisedWork if exit.after != Some(Occupation::Work) => Some(false),
            Measure::UnsubsidisedWork => exit.subsidised.map(|s| !s),
            Measure::StillEnrolled => Some(false),
        }
    }
}

/// The exits that share one combination of the outcome columns (a row of the report's outcome grouping).
#[derive(Debug, Clone, PartialEq)]
struct ExitCell {
    before: Occupation,
    after: Option<Occupation>,
    /// Extent of work or studies after exit above the extent before; `None` when either is not recorded.
    increased: Option<bool>,
    /// With a wage subsidy (work after exit); `None` when not recorded.
    subsidised: Option<bool>,
    support_after: Option<Support>,
    exits: Tally,
}

/// The codes of public support (*offentlig försörjning*), for SQL.
pub fn public_support_list() -> String {
    Support::ALL.iter().filter(|s| s.is_public()).map(|s| format!("'{}'", s.code())).collect::<Vec<_>>().join(", ")
}

/// The quartiles of the days in the intervention of those who left.
#[derive(Debug, Clone, PartialEq)]
pub struct DaysInIntervention {
    /// The exits the quartiles are of.
    pub n: Tally,
    /// The lower quartile (days).
    pub q1: f64,
    /// The median (days).
    pub median: f64,
    /// The upper quartile (days).
    pub q3: f64,
}

/// The enrolments of one age band by sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeBandCount {
    /// The band's label (`AGE_BANDS`).
    pub band: &'static str,
    /// Women.
    pub women: Tally,
    /// Men.
    pub men: Tally,
}

/// The exits whose occupation was this one before, and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OccupationCount {
    /// The occupation.
    pub occupation: Occupation,
    /// Exits with it before the start.
    pub before: Tally,
    /// Exits with it after the exit.
    pub after: Tally,
}

/// A measure's count (`k`) and its denominator (`n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasureCount {
    /// The measure.
    pub measure: Measure,
    /// Those it counts.
    pub k: Tally,
    /// Its denominator (the exits for which it is known; all enrolments for still enrolled).
    pub n: Tally,
}

/// The exits that went from one support before to one support after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// Support before the start.
    pub before: Support,
    /// Support after the exit.
    pub after: Support,
    /// How many exits.
    pub exits: Tally,
}

/// The standard report of a cohort: counts (true, with their cell keys; `disclosure` publishes them), shares and times.
#[derive(Debug, Clone)]
pub struct Report {
    /// The cohort in words (Swedish and English).
    pub cohort: Words,
    /// The cohort's period, when it has one.
    pub period: Option<Period>,
    /// The data's end.
    pub data_end: NaiveDate,
    /// Every count is a `Tally`: the true count with its cell key, for the disclosure-control layer.
    pub enrolments: Tally,
    /// Distinct people (for research output; boards see enrolments and exits).
    pub participants: u64,
    /// Enrolments that ended by the data's end.
    pub exited: Tally,
    /// The enrolments of each age band (`AGE_BANDS`, in order) by sex.
    pub by_sex_age: Vec<AgeBandCount>,
    /// The exits by occupation before and after, for every occupation.
    pub occupation: Vec<OccupationCount>,
    /// Each measure's count and denominator, for every measure.
    pub outcomes: Vec<MeasureCount>,
    /// The exits from each support before to each support after (only pairs with exits).
    pub transitions: Vec<Transition>,
    /// Days in the intervention of the exits (`None` without exits).
    pub days: Option<DaysInIntervention>,
    /// Whether the cohort is everyone on the list at some time in the period (overlap membership): its days
    /// in the intervention then lean towards long stays (those who left before the period are not in it).
    pub overlap: bool,
    /// People counted but not registered, for the cohort's interventions and years.
    pub anonymous: Vec<(Sex, AnonymousReason, Tally)>,
}

impl Report {
    /// A measure's k and n, with their cell keys.
    pub fn tallies(&self, measure: Measure) -> (Tally, Tally) {
        self.outcomes.iter().find(|o| o.measure == measure).map(|o| (o.k, o.n)).expect("every measure is in the report")
    }

    /// A measure's true share with its interval (for research; boards see `Protector::share`).
    pub fn share(&self, measure: Measure) -> Share {
        let (k, n) = self.tallies(measure);
        Share::new(k.n, n.n)
    }
}

/// Builds the standard report for a cohort. An empty cohort gives a report of zeros and empty shares.
pub fn standard_report(model: &Model, cohort: &Cohort) -> Result<Report> {
    let resolved = cohort.resolve(model)?;
    report_for(model, &resolved, cohort)
}

/// The columns the report groups by, in the order of `GROUPING()`'s bits (the first is the most significant).
const GROUP_KEYS: [&str; 9] =
    ["age_band", "sex", "occupation_before", "occupation_after", "increased", "subsidised", "support_before", "support_after", "days"];
const AGE_SEX: [usize; 2] = [0, 1];
const EXIT_OUTCOMES: [usize; 5] = [2, 3, 4, 5, 7];
const SUPPORT: [usize; 2] = [6, 7];
const DAYS: [usize; 1] = [8];

/// The value `GROUPING(all keys)` takes in the rows of the grouping set that keeps `kept` (1 = rolled up).
fn grouping_id(kept: &[usize]) -> u64 {
    (0..GROUP_KEYS.len()).filter(|i| !kept.contains(i)).map(|i| 1 << (GROUP_KEYS.len() - 1 - i)).sum()
}

/// The one statement behind a report, with its parameters written in: what `finsam report --show-sql`
/// prints, to read or to run in DuckDB itself.
pub fn report_statement(model: &Model, cohort: &Cohort) -> Result<String> {
    let resolved = cohort.resolve(model)?;
    resolved.inline(&report_sql(model, &resolved)?)
}

/// The report's statement for a resolved cohort (its placeholders are the cohort's).
fn report_sql(model: &Model, c: &ResolvedCohort) -> Result<String> {
    report_sql_by(model, c, false)
}

/// The report's statement; with `by_intervention`, one report per intervention (every total and grouping set
/// also grouped by `intervention_id`, returned as the column `unit`).
fn report_sql_by(model: &Model, c: &ResolvedCohort, by_intervention: bool) -> Result<String> {
    // One statement, one pass over the cohort: the totals, and a few grouping sets from which every figure
    // follows. The outcome shares are sums over the exit-outcome cells (`Measure::counts`), and the quartiles
    // of days come from the histogram of days, so no per-row expression or sort runs over the whole cohort.
    let sets = [&AGE_SEX[..], &EXIT_OUTCOMES, &SUPPORT, &DAYS]
        .iter()
        .map(|set| format!("({})", set.iter().map(|i| GROUP_KEYS[*i]).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ");
    let keys = GROUP_KEYS.join(", ");
    // People are counted exactly with a bitmap over the dense integer keys (one bit per key between the
    // smallest and the largest), much cheaper than hashing every key for count(DISTINCT).
    let (low_key, high_key) = participant_key_range(model)?;
    let (unit_column, unit_group, join) = if by_intervention { ("unit, ", " GROUP BY unit", "totals.unit = groups.unit") } else { ("", "", "true") };
    let groups_by = if by_intervention { "unit, " } else { "" };
    Ok(format!(
        "WITH c AS MATERIALIZED ({units}),
         totals AS (
           SELECT {unit_column}count(*) AS enrolments, (coalesce(sum(record_key), 0) % 4294967296)::BIGINT AS enrolments_key,
                  coalesce(bit_count(bitstring_agg(participant_key, {low_key}, {high_key})), 0) AS participants,
                  min(record_key)::BIGINT AS enrolments_min
           FROM c{unit_group}),
         groups AS (
           SELECT {unit_column}GROUPING({keys}) AS g, {keys}, count(*) AS n, count(days) AS exits,
                  (sum(record_key) % 4294967296)::BIGINT AS n_key,
                  (coalesce(sum(record_key) FILTER (days IS NOT NULL), 0) % 4294967296)::BIGINT AS exits_key,
                  min(record_key)::BIGINT AS n_min, (min(record_key) FILTER (days IS NOT NULL))::BIGINT AS exits_min
           FROM c GROUP BY {groups_by}GROUPING SETS ({sets}))
         SELECT totals.*, groups.* FROM totals LEFT JOIN groups ON {join}",
        units = unit_rows_sql(c, by_intervention),
    ))
}

/// The cohort's enrolments with the values the report groups by (`GROUP_KEYS`), a participant key and a
/// record key each; with `by_intervention`, their intervention as `unit`.
fn unit_rows_sql(c: &ResolvedCohort, by_intervention: bool) -> String {
    let bands: Vec<String> = AGE_BANDS.iter().enumerate().map(|(i, (_, lo, hi))| format!("WHEN age BETWEEN {lo} AND {hi} THEN {i}")).collect();
    format!(
        "SELECT {unit}participant_key, record_key, exit_known - start_date AS days, CASE {bands} END AS age_band, sex,
                occupation_before, occupation_after, support_before, support_after,
                extent_after_pct > extent_before_pct AS increased,
                subsidised_work_after AS subsidised
         FROM ({cohort})",
        unit = if by_intervention { "intervention_id AS unit, " } else { "" },
        bands = bands.join(" "),
        cohort = c.sql,
    )
}

/// One row of the report's statement: the totals (the same on every row) and one grouping cell.
struct ReportRow {
    /// The intervention of a report per intervention (`None` for one report of the whole cohort).
    unit: Option<String>,
    enrolments: Tally,
    participants: u64,
    /// `GROUPING()` of the cell's grouping set; `None` on the one row of an empty cohort.
    g: Option<i64>,
    /// The cell's values (those its grouping set rolls up are `None`).
    values: GroupValues,
    n: Tally,
    exits: Tally,
}

fn read_report_row(r: &duckdb::Row<'_>) -> duckdb::Result<ReportRow> {
    read_row(r, false)
}

fn read_row(r: &duckdb::Row<'_>, by_intervention: bool) -> duckdb::Result<ReportRow> {
    let tally = |count: &str, key: &str| -> duckdb::Result<Tally> {
        let n: Option<i64> = r.get(count)?;
        let key: Option<i64> = r.get(key)?;
        let min: Option<i64> = r.get(format!("{count}_min").as_str())?;
        Ok(Tally::from_sql(n.unwrap_or(0), key.map(i128::from), min))
    };
    Ok(ReportRow {
        unit: if by_intervention { r.get("unit")? } else { None },
        enrolments: tally("enrolments", "enrolments_key")?,
        participants: r.get::<_, i64>("participants")? as u64,
        g: r.get("g")?,
        values: GroupValues::read(r)?,
        n: tally("n", "n_key")?,
        exits: tally("exits", "exits_key")?,
    })
}

fn required<'a>(value: &'a Option<String>, column: &str) -> Result<&'a str> {
    value.as_deref().ok_or_else(|| FinsamError::invalid(format!("the report query gave no {column} in a cell that groups by it")))
}

pub(crate) fn report_for(model: &Model, c: &ResolvedCohort, cohort: &Cohort) -> Result<Report> {
    let group_here = model.count_rows("enrolment")? <= GROUP_HERE_UP_TO;
    // The anonymous counts are a small statement of their own, but DuckDB takes about as long to plan and
    // run it as a third of the report: it runs beside the cohort's rows, on the model's second connection.
    let (rows, anonymous) =
        model.both(|m| if group_here { grouped_here(m, c) } else { grouped_by_statement(m, c) }, |m| anonymous_counts(m, c, cohort))?;
    if rows.is_empty() {
        return Err(FinsamError::Internal("the report query gave no row".into()));
    }
    report_from_rows(c, cohort, &rows.iter().collect::<Vec<_>>(), anonymous)
}

/// Up to this many enrolments in the database, a report's grouping sets are formed here from the cohort's
/// rows rather than by DuckDB: at a federation's size DuckDB spends more time planning the grouping-sets
/// statement (about 6 ms) than reading the rows (about 2 ms), and grouping a few thousand rows takes
/// microseconds. Above it, the statement's parallel aggregation wins. Both give the same rows (a test checks
/// every figure of both ways on generated data), so nothing downstream knows which ran.
pub const GROUP_HERE_UP_TO: i64 = 50_000;

/// The grouping values of one enrolment, in `GROUP_KEYS` order.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
struct GroupValues {
    age_band: Option<i32>,
    sex: Option<String>,
    occupation_before: Option<String>,
    occupation_after: Option<String>,
    increased: Option<bool>,
    subsidised: Option<bool>,
    support_before: Option<String>,
    support_after: Option<String>,
    days: Option<i64>,
}

impl GroupValues {
    /// The values of a row of `unit_rows_sql` or of the report's statement.
    fn read(r: &duckdb::Row<'_>) -> duckdb::Result<GroupValues> {
        Ok(GroupValues {
            age_band: r.get("age_band")?,
            sex: r.get("sex")?,
            occupation_before: r.get("occupation_before")?,
            occupation_after: r.get("occupation_after")?,
            increased: r.get("increased")?,
            subsidised: r.get("subsidised")?,
            support_before: r.get("support_before")?,
            support_after: r.get("support_after")?,
            days: r.get("days")?,
        })
    }

    /// The values of a row of `unit_rows_sql` without `unit`, by position (the columns after the
    /// participant key, record key and days): reading by name looks each column up again on every row.
    fn read_unit_row(r: &duckdb::Row<'_>) -> duckdb::Result<GroupValues> {
        Ok(GroupValues {
            age_band: r.get(3)?,
            sex: r.get(4)?,
            occupation_before: r.get(5)?,
            occupation_after: r.get(6)?,
            support_before: r.get(7)?,
            support_after: r.get(8)?,
            increased: r.get(9)?,
            subsidised: r.get(10)?,
            days: r.get(2)?,
        })
    }

    /// Only the values of the grouping set that keeps `kept` (the others rolled up, as SQL's NULL).
    fn kept(&self, kept: &[usize]) -> GroupValues {
        let has = |i: usize| kept.contains(&i);
        GroupValues {
            age_band: self.age_band.filter(|_| has(0)),
            sex: self.sex.clone().filter(|_| has(1)),
            occupation_before: self.occupation_before.clone().filter(|_| has(2)),
            occupation_after: self.occupation_after.clone().filter(|_| has(3)),
            increased: self.increased.filter(|_| has(4)),
            subsidised: self.subsidised.filter(|_| has(5)),
            support_before: self.support_before.clone().filter(|_| has(6)),
            support_after: self.support_after.clone().filter(|_| has(7)),
            days: self.days.filter(|_| has(8)),
        }
    }
}

/// The rows the report's statement would give, grouped here from the cohort's rows (see `GROUP_HERE_UP_TO`).
fn grouped_here(model: &Model, c: &ResolvedCohort) -> Result<Vec<ReportRow>> {
    let sql = unit_rows_sql(c, false);
    // Kept for the model's session (forgotten when the data may change): a notebook asks several questions
    // of one cohort, and a comparison or a chart asks for a cohort's report again.
    let units: Arc<Vec<(i64, Tally, GroupValues)>> = model.memo(&format!("report units {sql} {:?}", c.params), || {
        let rows = model
            .query_rows(&sql, &c.param_refs(), |r| Ok((r.get::<_, i64>(0)?, Tally::unit(r.get::<_, u32>(1)?), GroupValues::read_unit_row(r)?)))?;
        Ok(Arc::new(rows))
    })?;
    let enrolments: Tally = units.iter().map(|(_, t, _)| *t).sum();
    let participants = units.iter().map(|(p, _, _)| *p).collect::<std::collections::HashSet<i64>>().len() as u64;
    let row = |g: Option<i64>, values: GroupValues, n: Tally, exits: Tally| ReportRow { unit: None, enrolments, participants, g, values, n, exits };
    if units.is_empty() {
        // As the statement: one row of totals, no cell.
        return Ok(vec![row(None, GroupValues::default(), Tally::default(), Tally::default())]);
    }
    let mut rows = Vec::new();
    for set in [&AGE_SEX[..], &EXIT_OUTCOMES, &SUPPORT, &DAYS] {
        let mut cells: std::collections::BTreeMap<GroupValues, (Tally, Tally)> = std::collections::BTreeMap::new();
        for (_, unit, values) in units.iter() {
            let cell = cells.entry(values.kept(set)).or_default();
            cell.0 += *unit;
            if values.days.is_some() {
                cell.1 += *unit;
            }
        }
        let g = grouping_id(set) as i64;
        rows.extend(cells.into_iter().map(|(v, (n, exits))| row(Some(g), v, n, exits)));
    }
    Ok(rows)
}

/// The report through DuckDB's grouping sets whatever the size (the path `report_for` takes above
/// `GROUP_HERE_UP_TO`): for the test that both paths agree.
pub fn standard_report_by_statement(model: &Model, cohort: &Cohort) -> Result<Report> {
    let c = cohort.resolve(model)?;
    let anonymous = anonymous_counts(model, &c, cohort)?;
    report_from_rows(&c, cohort, &grouped_by_statement(model, &c)?.iter().collect::<Vec<_>>(), anonymous)
}

/// The rows of the report's grouping-sets statement.
fn grouped_by_statement(model: &Model, c: &ResolvedCohort) -> Result<Vec<ReportRow>> {
    model.query_rows(&report_sql(model, c)?, &c.param_refs(), read_report_row)
}

/// The standard report of each of `ids` (interventions) within `cohort`, from one statement: what a chart
/// of interventions side by side needs, without planning and running a statement per intervention. Each
/// report is the one `standard_report` gives for the cohort narrowed to that intervention.
pub fn standard_reports_by_intervention(model: &Model, cohort: &Cohort, ids: &[String]) -> Result<Vec<Report>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let all = Cohort { interventions: ids.to_vec(), ..cohort.clone() };
    let resolved = all.resolve(model)?;
    let sql = report_sql_by(model, &resolved, true)?;
    let (rows, mut anonymous) = model.both(
        |m| m.query_rows(&sql, &resolved.param_refs(), |r| read_row(r, true)),
        |m| anonymous_counts_by_intervention(m, &resolved, &all, true),
    )?;
    ids.iter()
        .map(|id| {
            let one = Cohort { interventions: vec![id.clone()], ..cohort.clone() };
            let c = one.resolve(model)?;
            let mine: Vec<&ReportRow> = rows.iter().filter(|r| r.unit.as_deref() == Some(id.as_str())).collect();
            report_from_rows(&c, &one, &mine, anonymous.remove(id).unwrap_or_default())
        })
        .collect()
}

/// A report from the rows of its statement (none: an intervention without enrolments in the cohort).
fn report_from_rows(c: &ResolvedCohort, cohort: &Cohort, rows: &[&ReportRow], anonymous: AnonymousCounts) -> Result<Report> {
    let (enrolments, participants) = rows.first().map_or((Tally::default(), 0), |first| (first.enrolments, first.participants));

    let mut by_sex_age: Vec<AgeBandCount> =
        AGE_BANDS.iter().map(|(band, _, _)| AgeBandCount { band, women: Tally::default(), men: Tally::default() }).collect();
    let mut exit_cells = Vec::new();
    let mut transitions = Vec::new();
    let mut days_histogram = Vec::new();
    let mut still_enrolled = Tally::default();
    for r in rows {
        let Some(g) = r.g.map(|g| g as u64) else { continue };
        if g == grouping_id(&AGE_SEX) {
            if let Some(row) = r.values.age_band.and_then(|band| by_sex_age.get_mut(band as usize)) {
                if r.values.sex.as_deref() == Some(Sex::Female.code()) {
                    row.women += r.n
                } else {
                    row.men += r.n
                }
            }
        } else if g == grouping_id(&EXIT_OUTCOMES) && r.exits.n > 0 {
            exit_cells.push(ExitCell {
                before: Occupation::parse(required(&r.values.occupation_before, "occupation_before")?)?,
                after: r.values.occupation_after.as_deref().map(Occupation::parse).transpose()?,
                increased: r.values.increased,
                subsidised: r.values.subsidised,
                support_after: r.values.support_after.as_deref().map(Support::parse).transpose()?,
                exits: r.exits,
            });
        } else if g == grouping_id(&SUPPORT) && r.values.support_after.is_some() && r.exits.n > 0 {
            transitions.push(Transition {
                before: Support::parse(required(&r.values.support_before, "support_before")?)?,
                after: Support::parse(required(&r.values.support_after, "support_after")?)?,
                exits: r.exits,
            });
        } else if g == grouping_id(&DAYS) {
            match r.values.days {
                Some(days) => days_histogram.push((days, r.exits.n)),
                // No exit day: the enrolments still enrolled, counted as a cell of their own (so its smallest
                // record key is known, which a difference of two cells would not always give).
                None => still_enrolled = r.n,
            }
        }
    }
    transitions.sort_by_key(|t| (t.before, t.after));

    let exited: Tally = exit_cells.iter().map(|e| e.exits).sum();
    let outcomes = outcomes_of(&exit_cells, still_enrolled, enrolments);
    let occupation = occupation_of(&exit_cells);
    days_histogram.sort_unstable();
    let days = quartiles(&days_histogram).map(|(q1, median, q3)| DaysInIntervention { n: exited, q1, median, q3 });

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
        overlap: cohort.membership == super::Membership::Overlap && c.period.is_some(),
        anonymous,
    })
}

/// Every measure's k and n from the exit cells: n is the exits for which the measure is known; still
/// enrolled is of all enrolments.
fn outcomes_of(exit_cells: &[ExitCell], still_enrolled: Tally, enrolments: Tally) -> Vec<MeasureCount> {
    Measure::ALL
        .iter()
        .map(|m| match m {
            Measure::StillEnrolled => MeasureCount { measure: *m, k: still_enrolled, n: enrolments },
            _ => {
                let known: Tally = exit_cells.iter().filter(|e| m.counts(e).is_some()).map(|e| e.exits).sum();
                MeasureCount { measure: *m, k: exit_cells.iter().filter(|e| m.counts(e) == Some(true)).map(|e| e.exits).sum(), n: known }
            }
        })
        .collect()
}

/// Occupation before and after of the exits, every occupation of the code list.
fn occupation_of(exit_cells: &[ExitCell]) -> Vec<OccupationCount> {
    Occupation::ALL
        .iter()
        .map(|o| {
            let before = exit_cells.iter().filter(|e| e.before == *o).map(|e| e.exits).sum();
            let after = exit_cells.iter().filter(|e| e.after == Some(*o)).map(|e| e.exits).sum();
            OccupationCount { occupation: *o, before, after }
        })
        .collect()
}

/// The smallest and largest participant key (1, 1 when there are no participants).
fn participant_key_range(model: &Model) -> Result<(i64, i64)> {
    let rows = model.query_rows(
        "SELECT coalesce(min(participant_key), 1)::BIGINT, coalesce(max(participant_key), 1)::BIGINT FROM participant",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows.first().copied().unwrap_or((1, 1)))
}

/// The quartiles of a sorted histogram (value, count), interpolated as DuckDB's `quantile_cont` and numpy's
/// default do: the value at rank (n − 1)·q, between the two nearest ranks. `None` for an empty histogram.
fn quartiles(histogram: &[(i64, u64)]) -> Option<(f64, f64, f64)> {
    let n: u64 = histogram.iter().map(|(_, count)| count).sum();
    if n == 0 {
        return None;
    }
    // The value at 0-based rank `rank` of the sorted values.
    let at = |rank: u64| -> f64 {
        let mut seen = 0;
        for (value, count) in histogram {
            seen += count;
            if rank < seen {
                return *value as f64;
            }
        }
        histogram.last().map_or(f64::NAN, |(v, _)| *v as f64)
    };
    let quantile = |q: f64| {
        let position = (n - 1) as f64 * q;
        let below = position.floor();
        let (low, high) = (at(below as u64), at(position.ceil() as u64));
        low + (position - below) * (high - low)
    };
    Some((quantile(0.25), quantile(0.5), quantile(0.75)))
}

/// The anonymous counts of a report: (sex, reason, count) for each sex and reason that has any.
type AnonymousCounts = Vec<(Sex, AnonymousReason, Tally)>;

/// Anonymous counts of the cohort's interventions in the years of its period. Sex and target-group
/// filters apply (they are known); age and support are not, so a cohort filtered by them shows none.
fn anonymous_counts(model: &Model, c: &ResolvedCohort, cohort: &Cohort) -> Result<AnonymousCounts> {
    Ok(anonymous_counts_by_intervention(model, c, cohort, false)?.into_iter().next().map(|(_, counts)| counts).unwrap_or_default())
}

/// The anonymous counts of the cohort (`by_intervention` false: one entry, keyed ""), or of each of its
/// interventions that has any, from one statement. Each intervention's are those `anonymous_counts` gives
/// for the cohort narrowed to it: the same rows summed, so the same counts and keys.
fn anonymous_counts_by_intervention(
    model: &Model,
    c: &ResolvedCohort,
    cohort: &Cohort,
    by_intervention: bool,
) -> Result<std::collections::BTreeMap<String, AnonymousCounts>> {
    let mut by_unit = std::collections::BTreeMap::new();
    if cohort.age.is_some() || !cohort.support_before.is_empty() {
        return Ok(by_unit);
    }
    let unit = if by_intervention { "a.intervention_id" } else { "''" };
    let mut sql = format!(
        // Counts entered as aggregates have no units with record keys: the view gives each row a key from
        // its identity, and the smallest key of its people.
        "SELECT {unit} AS unit, a.sex, a.reason, sum(a.count)::BIGINT AS n, (sum(a.record_key) % 4294967296)::BIGINT AS n_key,
                min(a.key_min)::BIGINT AS n_min
         FROM finsam_anonymous_count a JOIN finsam_intervention i USING (intervention_id)
         -- A row of nobody adds no key: the same people get the same value whichever years are summed.
         WHERE a.count > 0",
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
    let key = format!("anonymous counts {sql} {values:?}");
    let rows: Vec<(String, String, String, Tally)> = model.memo(&key, || {
        model.query_rows(&sql, &refs, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                Tally::with_min(r.get::<_, i64>(3)? as u64, r.get::<_, i64>(4)? as u64, r.get::<_, i64>(5)? as u32),
            ))
        })
    })?;
    for (unit, sex, reason, n) in rows {
        by_unit.entry(unit).or_insert_with(Vec::new).push((Sex::parse(&sex)?, AnonymousReason::parse(&reason)?, n));
    }
    Ok(by_unit)
}

#[cfg(test)]
mod tests {
    use super::quartiles;

    #[test]
    fn quartiles_of_a_histogram_interpolate_between_ranks() {
        assert_eq!(quartiles(&[]), None);
        assert_eq!(quartiles(&[(7, 1)]), Some((7.0, 7.0, 7.0)));
        // 1, 2, 3, 4: ranks 0.75, 1.5, 2.25.
        assert_eq!(quartiles(&[(1, 1), (2, 1), (3, 1), (4, 1)]), Some((1.75, 2.5, 3.25)));
        // 10, 10, 10, 20, 40: ranks 1, 2, 3.
        assert_eq!(quartiles(&[(10, 3), (20, 1), (40, 1)]), Some((10.0, 10.0, 20.0)));
        // 0, 100: ranks 0.25, 0.5, 0.75.
        assert_eq!(quartiles(&[(0, 1), (100, 1)]), Some((25.0, 50.0, 75.0)));
    }
}
