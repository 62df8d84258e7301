//! Cohorts: a typed filter over enrolments that becomes SQL with bound parameters (never pasted text).
//!
//! An enrolment belongs to a period either by its start date (`Membership::Start`, the default: "people
//! who started in 2020–2021", what period comparisons need) or by overlap (`Membership::Overlap`: "people
//! enrolled at some time in 2020–2021", what a year's activity report counts).

use chrono::{Datelike, NaiveDate};
use duckdb::types::Value;

use crate::codes::{CodeList, Lang, Sex, Support, TargetGroup};
use crate::error::{FinsamError, Result};
use crate::model::Model;
pub use crate::text::Words;

/// Which enrolments a cohort with a period holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Membership {
    /// Those that started in the period (the default).
    #[default]
    Start,
    /// Those on the list at some time in the period (delayed entry in survival).
    Overlap,
}

impl crate::codes::Choice for Membership {
    const NAMES: &'static [&'static str] = &["start", "overlap"];
}

impl std::str::FromStr for Membership {
    type Err = FinsamError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "start" => Ok(Membership::Start),
            "overlap" => Ok(Membership::Overlap),
            other => Err(FinsamError::invalid(format!("unknown membership '{other}': expected start or overlap"))),
        }
    }
}

/// Which enrolments to look at. Empty lists and `None` mean "all".
#[derive(Debug, Clone, Default)]
pub struct Cohort {
    /// Federation ids (empty: all).
    pub federations: Vec<String>,
    /// Intervention ids (empty: all).
    pub interventions: Vec<String>,
    /// A named period (`2020-2021`), years (`2022`, `2020-2021`) or dates (`2020-01-01..2021-06-30`).
    pub period: Option<String>,
    /// How the period selects enrolments.
    pub membership: Membership,
    /// One sex only.
    pub sex: Option<Sex>,
    /// Age at start, inclusive.
    pub age: Option<(i32, i32)>,
    /// Interventions of these target groups only (empty: all).
    pub target_groups: Vec<TargetGroup>,
    /// Enrolments with this support before the start only (empty: all).
    pub support_before: Vec<Support>,
    /// A fixed follow-up window in months: only enrolments that started at least this long before the
    /// data's end, and an exit counted only when it came within the window (later, the enrolment counts
    /// as still enrolled at the window's end). Gives every enrolment the same time to have an outcome, so
    /// periods with more and less time behind them can be compared.
    pub follow_up_months: Option<u32>,
}

/// The longest follow-up window accepted (50 years).
pub const MAX_FOLLOW_UP_MONTHS: u32 = 600;

/// A span of dates with the name people know it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// How it is written ("2020–2021", "2022-01-01 – 2022-06-30").
    pub label: String,
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
}

/// A cohort checked against the database: its SQL, its parameters, and what it means in words.
#[derive(Debug, Clone)]
pub struct ResolvedCohort {
    /// `SELECT` of the cohort's enrolments with participant and intervention columns and `exit_known`
    /// (the exit if it happened by the data's end).
    pub sql: String,
    /// The values bound to the statement's `?`, in order.
    pub params: Vec<Value>,
    /// The period, resolved to dates.
    pub period: Option<Period>,
    /// The data's end: exits after it are not known yet.
    pub data_end: NaiveDate,
    /// The cohort in words, both languages.
    pub description: Words,
}

impl Cohort {
    /// The second cohort of a comparison: this one with another period, other intervention(s) or other
    /// federation(s) (any of them; at least one). The faces name the arguments in their own way (`--vs`,
    /// `vs=`); the rule and the message are here.
    pub fn versus(&self, period: Option<String>, interventions: Vec<String>, federations: Vec<String>) -> Result<Cohort> {
        if period.is_none() && interventions.is_empty() && federations.is_empty() {
            return Err(FinsamError::invalid("say what to compare with: another period (--vs, vs=), intervention(s) (--vs-intervention, vs_intervention=) or federation(s) (--vs-federation, vs_federation=)"));
        }
        let mut other = self.clone();
        if period.is_some() {
            other.period = period;
        }
        if !interventions.is_empty() {
            other.interventions = interventions;
        }
        if !federations.is_empty() {
            other.federations = federations;
        }
        Ok(other)
    }

    /// Whether no filter is set: every enrolment.
    pub fn is_all(&self) -> bool {
        self.federations.is_empty()
            && self.interventions.is_empty()
            && self.period.is_none()
            && self.membership == Membership::Start
            && self.sex.is_none()
            && self.age.is_none()
            && self.target_groups.is_empty()
            && self.support_before.is_empty()
            && self.follow_up_months.is_none()
    }

    /// Checks every name against the database and builds the SQL. Unknown names are errors that list the
    /// known ones; an empty cohort is not an error.
    pub fn resolve(&self, model: &Model) -> Result<ResolvedCohort> {
        let data_end = data_end(model)?;
        // The first parameter is the data's end: exits after it are not yet known.
        let mut f = Filters { sql: vec!["e.consent".to_string()], params: vec![Value::Date32(days_since_epoch(data_end))], words: Vec::new() };
        f.federations(model, &self.federations)?;
        f.interventions(model, &self.interventions)?;
        let period = match &self.period {
            Some(text) => Some(resolve_period(model, text)?),
            None => None,
        };
        if let Some(p) = &period {
            f.period(p, self.membership);
        }
        f.people(self)?;
        let known_by = match self.follow_up_months {
            None => "?::DATE".to_string(),
            Some(months) => f.follow_up(model, months, period.as_ref(), self.membership, data_end)?,
        };
        let sql = format!(
            "SELECT e.*, p.sex, p.birth_year, year(e.start_date) - p.birth_year AS age, i.federation_id, i.target_group,
                    CASE WHEN e.exit_date <= {known_by} THEN e.exit_date END AS exit_known
             FROM finsam_enrolment e
             JOIN finsam_participant p USING (participant_key)
             JOIN finsam_intervention i USING (intervention_id)
             WHERE {}",
            f.sql.join(" AND ")
        );
        let description = Words::joined(&f.words, Words::new("alla inskrivningar", "all enrolments"));
        Ok(ResolvedCohort { sql, params: f.params, period, data_end, description })
    }
}

/// A cohort's conditions as they are built: the SQL of each, their parameters in order, and each in words.
struct Filters {
    sql: Vec<String>,
    params: Vec<Value>,
    words: Vec<Words>,
}

impl Filters {
    /// Federations by id, checked against the database.
    fn federations(&mut self, model: &Model, ids: &[String]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let names = named_ids(model, "SELECT federation_id, name FROM federation ORDER BY 1")?;
        check_known("federation", ids, &names)?;
        self.sql.push(in_list("i.federation_id", ids, &mut self.params));
        let listed = names_of(ids, &names);
        self.words.push(Words::new(listed.clone(), listed));
        Ok(())
    }

    /// Interventions by id, checked against the database; named up to three, counted above.
    fn interventions(&mut self, model: &Model, ids: &[String]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        // `comung,comung` is one intervention, named once.
        let mut seen = std::collections::HashSet::new();
        let ids: Vec<String> = ids.iter().filter(|id| seen.insert(id.as_str())).cloned().collect();
        let ids = &ids[..];
        let names = named_ids(model, "SELECT intervention_id, name FROM intervention ORDER BY 1")?;
        check_known("intervention", ids, &names)?;
        self.sql.push(in_list("e.intervention_id", ids, &mut self.params));
        self.words.push(match ids.len() {
            1..=3 => {
                let listed = names_of(ids, &names);
                Words::new(listed.clone(), listed)
            }
            n => Words::new(format!("{n} insatser"), format!("{n} interventions")),
        });
        Ok(())
    }

    /// Enrolments that started in the period, or were enrolled at some time during it.
    fn period(&mut self, p: &Period, membership: Membership) {
        let (start, end) = (Value::Date32(days_since_epoch(p.start)), Value::Date32(days_since_epoch(p.end)));
        match membership {
            Membership::Start => {
                self.sql.push("e.start_date BETWEEN ? AND ?".into());
                self.params.extend([start, end]);
                self.words.push(Words::new(format!("inskrivna {}", p.label), format!("started {}", p.label)));
            }
            Membership::Overlap => {
                self.sql.push("e.start_date <= ? AND (e.exit_date IS NULL OR e.exit_date >= ?)".into());
                self.params.extend([end, start]);
                self.words.push(Words::new(format!("i insatsen någon gång {}", p.label), format!("enrolled during {}", p.label)));
            }
        }
    }

    /// The filters on people: sex, age at start, the interventions' target groups, support before.
    fn people(&mut self, c: &Cohort) -> Result<()> {
        if let Some(sex) = c.sex {
            self.sql.push("p.sex = ?".into());
            self.params.push(Value::Text(sex.code().into()));
            self.words.push(Words::new(sex.label_sv().to_lowercase(), sex.label_en().to_lowercase()));
        }
        if let Some((low, high)) = c.age {
            if low > high {
                return Err(FinsamError::invalid(format!("the age band {low}–{high} is empty: the first age must not exceed the second")));
            }
            self.sql.push("year(e.start_date) - p.birth_year BETWEEN ? AND ?".into());
            self.params.extend([Value::Int(low), Value::Int(high)]);
            self.words.push(Words::new(format!("{low}–{high} år"), format!("aged {low}–{high}")));
        }
        if !c.target_groups.is_empty() {
            let codes: Vec<String> = c.target_groups.iter().map(|t| t.code().to_string()).collect();
            self.sql.push(in_list("i.target_group", &codes, &mut self.params));
            let labels = |lang| c.target_groups.iter().map(|t| t.label(lang).to_lowercase()).collect::<Vec<_>>().join(", ");
            self.words.push(Words::new(labels(Lang::Sv), labels(Lang::En)));
        }
        if !c.support_before.is_empty() {
            let codes: Vec<String> = c.support_before.iter().map(|s| s.code().to_string()).collect();
            self.sql.push(in_list("e.support_before", &codes, &mut self.params));
            let labels = |lang| c.support_before.iter().map(|s| s.label(lang).to_lowercase()).collect::<Vec<_>>().join(", ");
            self.words.push(Words::new(format!("med {} före", labels(Lang::Sv)), format!("on {} before", labels(Lang::En))));
        }
        Ok(())
    }

    /// A fixed follow-up window: only enrolments followed that long by the data's end. Returns the SQL of
    /// the day by which an exit is known (the window's end, or the data's end if earlier).
    fn follow_up(&mut self, model: &Model, months: u32, period: Option<&Period>, membership: Membership, data_end: NaiveDate) -> Result<String> {
        if months == 0 || months > MAX_FOLLOW_UP_MONTHS {
            return Err(FinsamError::invalid(format!("a follow-up window of {months} months: expected 1 to {MAX_FOLLOW_UP_MONTHS}")));
        }
        // A window longer than the data leaves nobody: say so rather than answer with an empty cohort. Decided
        // on the interventions' dates (what the database says about interventions): on the first enrolment's
        // start, the refusal and its message said the day someone started .
        let first = model.query_rows("SELECT min(start_date)::VARCHAR FROM intervention", &[], |r| r.get::<_, Option<String>>(0))?;
        if let Some(Some(first)) = first.first() {
            let first = parse_date(first)?;
            if first.checked_add_months(chrono::Months::new(months)).is_none_or(|d| d > data_end) {
                return Err(FinsamError::invalid(format!(
                    "a follow-up window of {months} months is longer than the data: the first intervention started {first} and the data end on {data_end}"
                )));
            }
        }
        // Nor can a period whose first day is less than the window before the data's end have anyone
        // followed that long (counted by start): say so rather than answer with an empty cohort.
        if let (Some(p), Membership::Start) = (period, membership) {
            if p.start.checked_add_months(chrono::Months::new(months)).is_none_or(|d| d > data_end) {
                return Err(FinsamError::invalid(format!(
                    "nobody who started in {} can have been followed {months} months: the data end on {data_end}; choose a shorter window or an earlier period",
                    p.label
                )));
            }
        }
        self.sql.push(format!("e.start_date + INTERVAL {months} MONTH <= DATE '{data_end}'"));
        self.words.push(Words::new(format!("uppföljda {months} månader från start"), format!("followed {months} months from start")));
        Ok(format!("least(?::DATE, e.start_date + INTERVAL {months} MONTH)"))
    }
}

impl ResolvedCohort {
    /// The parameters as the slice DuckDB's `query` takes.
    pub fn param_refs(&self) -> Vec<&dyn duckdb::ToSql> {
        self.params.iter().map(|v| v as &dyn duckdb::ToSql).collect()
    }

    /// `sql` (built on this cohort's SQL, its only placeholders this cohort's) with each `?` replaced by
    /// its parameter as a SQL literal: a statement anyone can run in DuckDB's own CLI or Python package.
    pub fn inline(&self, sql: &str) -> Result<String> {
        let mut params = self.params.iter();
        let mut out = String::with_capacity(sql.len());
        for piece in sql.split_inclusive('?') {
            match piece.strip_suffix('?') {
                Some(before) => {
                    out.push_str(before);
                    let value = params.next().ok_or_else(|| FinsamError::invalid("more placeholders than parameters"))?;
                    out.push_str(&literal(value)?);
                }
                None => out.push_str(piece),
            }
        }
        match params.next() {
            Some(_) => Err(FinsamError::invalid("more parameters than placeholders")),
            None => Ok(out),
        }
    }
}

/// A cohort parameter as a SQL literal.
fn literal(value: &Value) -> Result<String> {
    match value {
        Value::Date32(days) => {
            let date = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::Duration::days(i64::from(*days));
            Ok(format!("DATE '{date}'"))
        }
        Value::Int(v) => Ok(v.to_string()),
        Value::Text(t) => Ok(format!("'{}'", t.replace('\'', "''"))),
        other => Err(FinsamError::invalid(format!("a cohort parameter of an unexpected kind: {other:?}"))),
    }
}

fn days_since_epoch(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

fn in_list(column: &str, values: &[String], params: &mut Vec<Value>) -> String {
    params.extend(values.iter().map(|v| Value::Text(v.clone())));
    format!("{column} IN ({})", vec!["?"; values.len()].join(", "))
}

fn ids(model: &Model, sql: &str) -> Result<Vec<String>> {
    model.query_rows(sql, &[], |r| r.get(0))
}

/// Ids with their names, in the order of the query.
pub(super) fn named_ids(model: &Model, sql: &str) -> Result<Vec<(String, String)>> {
    model.memo(sql, || model.query_rows(sql, &[], |r| Ok((r.get(0)?, r.get(1)?))))
}

fn names_of(asked: &[String], known: &[(String, String)]) -> String {
    asked.iter().map(|id| known.iter().find(|(k, _)| k == id).map_or(id.as_str(), |(_, name)| name.as_str())).collect::<Vec<_>>().join(", ")
}

fn check_known(what: &'static str, asked: &[String], known: &[(String, String)]) -> Result<()> {
    for name in asked {
        if !known.iter().any(|(id, _)| id == name) {
            return Err(FinsamError::Unknown { what, name: name.clone(), known: known.iter().map(|(id, _)| id.clone()).collect() });
        }
    }
    Ok(())
}

/// The names of federations by id, in the order given (an unknown id stands for itself).
pub fn federation_names(model: &Model, ids: &[String]) -> Result<Vec<String>> {
    names(model, "SELECT name FROM federation WHERE federation_id = ?", ids)
}

/// The names of interventions by id, in the order given (an unknown id stands for itself).
pub fn intervention_names(model: &Model, ids: &[String]) -> Result<Vec<String>> {
    names(model, "SELECT name FROM intervention WHERE intervention_id = ?", ids)
}

fn names(model: &Model, sql: &str, ids: &[String]) -> Result<Vec<String>> {
    ids.iter().map(|id| Ok(model.query_rows(sql, &[id], |r| r.get::<_, String>(0))?.into_iter().next().unwrap_or_else(|| id.clone()))).collect()
}

/// The cohort's individual interventions (its federations and target groups, running in its period) as
/// (id, name), the largest planned first, at most `limit`. Chosen from what the database says about the
/// interventions, never from how many people they had: whether an intervention appears must not tell a
/// reader that someone, or no one, took part in it.
pub fn interventions_by_plan(model: &Model, c: &Cohort, limit: usize) -> Result<Vec<(String, String)>> {
    let resolved = c.resolve(model)?;
    let mut sql = String::from("SELECT intervention_id, name FROM intervention WHERE kind = 'individual'");
    let mut params: Vec<duckdb::types::Value> = Vec::new();
    if !c.federations.is_empty() {
        sql.push_str(&format!(" AND federation_id IN ({})", vec!["?"; c.federations.len()].join(", ")));
        params.extend(c.federations.iter().map(|f| duckdb::types::Value::Text(f.clone())));
    }
    if !c.target_groups.is_empty() {
        sql.push_str(&format!(" AND target_group IN ({})", vec!["?"; c.target_groups.len()].join(", ")));
        params.extend(c.target_groups.iter().map(|t| duckdb::types::Value::Text(t.code().to_string())));
    }
    if let Some(p) = &resolved.period {
        sql.push_str(&format!(" AND start_date <= DATE '{}' AND (end_date IS NULL OR end_date >= DATE '{}')", p.end, p.start));
    }
    sql.push_str(&format!(" ORDER BY planned_participants DESC NULLS LAST, start_date, intervention_id LIMIT {limit}"));
    let refs: Vec<&dyn duckdb::ToSql> = params.iter().map(|v| v as &dyn duckdb::ToSql).collect();
    model.query_rows(&sql, &refs, |r| Ok((r.get(0)?, r.get(1)?)))
}

/// The data's end: recorded in `dataset_info`, else the latest date in the enrolments.
pub fn data_end(model: &Model) -> Result<NaiveDate> {
    model.memo("data_end", || {
        if let Some(text) = model.dataset_info("data_end_date")? {
            return parse_date(&text);
        }
        let latest: Vec<Option<NaiveDate>> =
            model.query_rows("SELECT max(greatest(start_date, coalesce(exit_date, start_date))) FROM enrolment", &[], |r| r.get(0))?;
        Ok(latest.into_iter().flatten().next().unwrap_or_else(|| chrono::Local::now().date_naive()))
    })
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| FinsamError::invalid(format!("'{text}' is not a date: expected YYYY-MM-DD")))
}

/// A period by name (from the `period` table), by years (`2022`, `2020-2021`, `2020–2021`) or by dates
/// (`2020-01-01..2021-06-30`).
pub fn resolve_period(model: &Model, text: &str) -> Result<Period> {
    let text = text.trim();
    // Named periods are kept for the model's session (forgotten when the data may change): an output looks
    // its periods up several times (the check of whole months, a comparison's filters, the cohort).
    let named = model.memo(&format!("period named {text}"), || {
        model.query_rows("SELECT label, start_date, end_date FROM period WHERE name = ? OR label = ?", &[&text, &text], |r| {
            Ok(Period { label: r.get(0)?, start: r.get(1)?, end: r.get(2)? })
        })
    })?;
    if let Some(period) = named.into_iter().next() {
        return Ok(period);
    }
    if let Some((a, b)) = text.split_once("..") {
        let (start, end) = (parse_date(a)?, parse_date(b)?);
        if end < start {
            return Err(FinsamError::invalid(format!("the period {text} ends before it starts")));
        }
        return Ok(Period { label: format!("{start} – {end}"), start, end });
    }
    let years: Vec<&str> = text.split(['-', '–']).collect();
    let parsed: Option<Vec<i32>> = years.iter().map(|y| y.trim().parse::<i32>().ok().filter(|y| (1900..=2100).contains(y))).collect();
    match parsed.as_deref() {
        Some([y]) => Ok(year_span(*y, *y)),
        Some([a, b]) if a <= b => Ok(year_span(*a, *b)),
        Some([a, b]) => Err(FinsamError::invalid(format!("the period {a}–{b} ends before it starts"))),
        _ => {
            let known = ids(model, "SELECT name FROM period ORDER BY start_date")?;
            Err(FinsamError::invalid(format!(
                "'{text}' is not a period: give a named period ({}), years (2022 or 2020-2021) or dates (2020-01-01..2021-06-30)",
                if known.is_empty() { "none defined".to_string() } else { known.join(", ") }
            )))
        }
    }
}

fn year_span(first: i32, last: i32) -> Period {
    let start = NaiveDate::from_ymd_opt(first, 1, 1).expect("valid year");
    let end = NaiveDate::from_ymd_opt(last, 12, 31).expect("valid year");
    let label = if first == last { first.to_string() } else { format!("{first}–{last}") };
    debug_assert_eq!(start.year(), first);
    Period { label, start, end }
}
