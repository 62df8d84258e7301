//! Time to event with Kaplan–Meier: time to exit (the share still on the list after N months, as
//! Spånga–Tensta measured it) and time to self-support. Enrolments without the event are censored at the
//! last date known about them (exit, last follow-up, or the data's end). Intervals are Greenwood's
//! variance on the log(-log) scale (the "exponential Greenwood" interval lifelines uses by default).

use super::cohort::Cohort;
use super::report::public_support_list;
use super::stats::Z95;
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// Days in an average month: durations are reported in months.
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// What a time-to-event table follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Leaving the intervention (the list).
    Exit,
    /// Becoming self-supporting (no public support), among those on public support at the start.
    SelfSupport,
}

impl crate::codes::Choice for Event {
    const NAMES: &'static [&'static str] = &["exit", "self-support"];
}

impl std::str::FromStr for Event {
    type Err = FinsamError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "exit" => Ok(Event::Exit),
            "self-support" | "self_support" => Ok(Event::SelfSupport),
            other => Err(FinsamError::invalid(format!("unknown event '{other}': expected exit or self-support"))),
        }
    }
}

/// One enrolment's time to the event: days from the origin (its start), whether the event happened (else
/// censored), its record key (for the cell-key method's counts of people at risk), and the day it came under
/// observation (`entry`, delayed entry): 0, unless the cohort is "on the list" during a period that began
/// after the enrolment did, when it is the days from the start to the period's first day. Counting such an
/// enrolment at risk before it was observed would bias the curve upwards (those who left before the period
/// are not in the cohort), so it joins the risk set only from its entry. `competing` marks, for time to
/// self-support, an observation that ended because the person left without becoming self-supporting (at the
/// exit, or the last follow-up after it): Kaplan–Meier censors it, Aalen–Johansen counts it as a competing
/// event (`competing.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// Days from the start to the event or the last observation.
    pub days: f64,
    /// Whether the event happened then (else: censored).
    pub event: bool,
    /// Whether it ended by a competing event (left without self-support).
    pub competing: bool,
    /// The enrolment's record key.
    pub key: u32,
    /// Days from the start to when it was first observed (delayed entry; 0 mostly).
    pub entry: f64,
}

/// One step of the curve: at `time` (days), `at_risk` people were followed, `events` had the event and
/// `censored` left observation; `survival` is the share without the event just after `time`.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Days from the start.
    pub time: f64,
    /// Followed just before `time`.
    pub at_risk: u64,
    /// Events at `time`.
    pub events: u64,
    /// Left observation at `time`.
    pub censored: u64,
    /// The share without the event just after `time`.
    pub survival: f64,
    /// The 95 % interval's lower bound.
    pub low: Option<f64>,
    /// The 95 % interval's upper bound.
    pub high: Option<f64>,
}

/// A Kaplan–Meier curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// Enrolments followed.
    pub n: u64,
    /// Events in all.
    pub events: u64,
    /// The steps, at each time with an event or a censoring.
    pub steps: Vec<Step>,
}

impl Curve {
    /// Kaplan–Meier from (duration in days, whether the event happened), everyone observed from time 0.
    pub fn fit(observations: &[(f64, bool)]) -> Curve {
        Curve::fit_with_entry(&observations.iter().map(|&(days, event)| (days, event, 0.0)).collect::<Vec<_>>())
    }

    /// Kaplan–Meier with delayed entry, from (duration, event, entry) in days: at each time t the risk set is
    /// everyone who entered before t (entry < t, as lifelines estimates it; an entry of 0 is there from the
    /// start) and has not yet left (t ≤ duration). With every entry 0 it is the plain estimate.
    pub fn fit_with_entry(observations: &[(f64, bool, f64)]) -> Curve {
        let mut sorted: Vec<(f64, bool, f64)> = observations.to_vec();
        sorted.sort_by(|a, b| a.0.partial_cmp(&b.0).expect("durations are numbers"));
        let mut entries: Vec<f64> = observations.iter().map(|o| o.2).collect();
        entries.sort_by(|a, b| a.partial_cmp(b).expect("entries are numbers"));
        let n = sorted.len() as u64;
        let mut survival = 1.0;
        let mut greenwood = 0.0;
        let mut steps = Vec::new();
        let mut i = 0;
        while i < sorted.len() {
            let time = sorted[i].0;
            // Entered before `time`, less those who left before it.
            // Saturating: an observation that ends before it enters (never at risk; `durations` leaves such out)
            // must not wrap the count.
            let at_risk = entries.partition_point(|e| entered_before(*e, time)).saturating_sub(i) as u64;
            let (mut events, mut censored) = (0u64, 0u64);
            while i < sorted.len() && sorted[i].0 == time {
                if sorted[i].1 {
                    events += 1
                } else {
                    censored += 1
                }
                i += 1;
            }
            if events > 0 {
                survival *= 1.0 - events as f64 / at_risk as f64;
                if at_risk > events {
                    greenwood += events as f64 / (at_risk as f64 * (at_risk - events) as f64);
                }
            }
            let (low, high) = interval(survival, greenwood);
            steps.push(Step { time, at_risk, events, censored, survival, low, high });
        }
        Curve { n, events: steps.iter().map(|s| s.events).sum(), steps }
    }

    /// Kaplan–Meier from observations.
    pub fn fit_observations(observations: &[Observation]) -> Curve {
        Curve::fit_with_entry(&observations.iter().map(|o| (o.days, o.event, o.entry)).collect::<Vec<_>>())
    }

    /// The share without the event at `days` (1.0 before the first event).
    pub fn survival_at(&self, days: f64) -> f64 {
        self.steps.iter().take_while(|s| s.time <= days).last().map_or(1.0, |s| s.survival)
    }

    /// The step in force at `days`, for its interval.
    pub fn step_at(&self, days: f64) -> Option<&Step> {
        self.steps.iter().take_while(|s| s.time <= days).last()
    }

    /// The first time at which half or fewer remain without the event; `None` if the curve stays above.
    pub fn median(&self) -> Option<f64> {
        self.steps.iter().find(|s| s.survival <= 0.5).map(|s| s.time)
    }
}

/// Whether an enrolment entering at `entry` is at risk at `time`: from the start when its entry is 0, else
/// only after its entry. Monotone in `entry`, so sorted entries can be searched with it.
pub fn entered_before(entry: f64, time: f64) -> bool {
    entry == 0.0 || entry < time
}

/// The exponential Greenwood interval: on the log(-log S) scale, with Greenwood's variance.
pub fn log_log_interval(survival: f64, greenwood: f64) -> (Option<f64>, Option<f64>) {
    interval(survival, greenwood)
}

fn interval(survival: f64, greenwood: f64) -> (Option<f64>, Option<f64>) {
    if survival <= 0.0 || survival >= 1.0 {
        return (None, None);
    }
    let log_s = survival.ln();
    let se = (greenwood / (log_s * log_s)).sqrt();
    // log(-log S) ± z se, mapped back: S^exp(±z se). The minus sign gives the upper bound.
    (Some(survival.powf((Z95 * se).exp())), Some(survival.powf((-Z95 * se).exp())))
}

/// The observations (duration in days, event, record key, entry) of a cohort for an event. An enrolment
/// that started before the cohort's period (overlap membership) enters at the period's first day.
pub fn durations(model: &Model, cohort: &Cohort, event: Event) -> Result<Vec<Observation>> {
    Ok(durations_with_unobserved(model, cohort, event)?.0)
}

/// `durations`, and the cohort's enrolments that were never observed at risk (an overlap cohort's
/// enrolments that ended on the period's first day): not in the curve, but in the cohort's counts, so a
/// heading's n agrees with the report's and the protection layer can treat them as a group of their own.
pub fn durations_with_unobserved(model: &Model, cohort: &Cohort, event: Event) -> Result<(Vec<Observation>, Vec<Observation>)> {
    if cohort.follow_up_months.is_some() {
        return Err(FinsamError::invalid(
            "a follow-up window does not apply to time to event: the curve follows every enrolment for as long as it is observed (leave out follow_up / --follow-up)",
        ));
    }
    let c = cohort.resolve(model)?;
    // The first day observed: the period's, or (no period) the start of each enrolment.
    let observed_from = c.period.as_ref().map(|p| p.start.to_string());
    let params = c.param_refs();
    let public = public_support_list();
    let sql = match event {
        Event::Exit => {
            format!(
                "WITH c AS ({}) SELECT coalesce(exit_known, ?::DATE) - start_date, exit_known IS NOT NULL, record_key, start_date, false FROM c",
                c.sql
            )
        }
        // The cohort is materialised: DuckDB 2.0.0 otherwise may stop with an internal error ("dict-surviving
        // join: ... build pipeline is not single-source", duckdb/duckdb#24807) when the cohort's joins are the
        // build side of the join with the observations (the demo's Spånga-Tensta). The lock file pins DuckDB
        // 2.0.0 (duckdb-rs 1.20000.1), and without MATERIALIZED `finsam survival --intervention spanga-tensta
        // --event self-support` still stops so; it can go when duckdb-rs bundles 2.0.1, where it does not.
        Event::SelfSupport => format!(
            "WITH c AS MATERIALIZED ({}),
             seen AS (
               SELECT c.enrolment_id, c.start_date, c.exit_known, c.record_key,
                      min(CASE WHEN c.support_after NOT IN ({public}) THEN c.exit_known END) AS at_exit,
                      min(o.observed_on) FILTER (o.support NOT IN ({public}) AND o.observed_on <= ?::DATE) AS later,
                      max(o.observed_on) FILTER (o.observed_on <= ?::DATE) AS last_seen
               FROM c LEFT JOIN observation o USING (enrolment_id)
               WHERE c.support_before IN ({public})
               GROUP BY ALL)
             SELECT coalesce(least(at_exit, later),
                             CASE WHEN exit_known IS NULL THEN ?::DATE ELSE greatest(exit_known, coalesce(last_seen, exit_known)) END)
                      - start_date,
                    at_exit IS NOT NULL OR later IS NOT NULL, record_key, start_date,
                    at_exit IS NULL AND later IS NULL AND exit_known IS NOT NULL
             FROM seen",
            c.sql
        ),
    };
    let end = duckdb::types::Value::Text(c.data_end.to_string());
    let mut all: Vec<&dyn duckdb::ToSql> = params;
    let extra = match event {
        Event::Exit => 1,
        Event::SelfSupport => 3,
    };
    for _ in 0..extra {
        all.push(&end);
    }
    let first_day = match &observed_from {
        Some(day) => Some(chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|e| FinsamError::invalid(e.to_string()))?),
        None => None,
    };
    let rows = model.query_rows(&sql, &all, |row| {
        let start: chrono::NaiveDate = row.get(3)?;
        let entry = first_day.map_or(0, |day| (day - start).num_days().max(0)) as f64;
        Ok(Observation { days: row.get::<_, i64>(0)? as f64, event: row.get(1)?, competing: row.get(4)?, key: row.get(2)?, entry })
    })?;
    // Someone who left before or on the day observation began was never observed at risk: not in the curve
    // (an overlap cohort's enrolments that ended on the period's first day).
    Ok(rows.into_iter().partition(|o| o.entry == 0.0 || o.days > o.entry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kaplan_meier_by_hand() {
        // Times 1, 2+, 3, 3, 4+ : S(1) = 4/5, S(3) = 4/5 * (1 - 2/3) = 4/15.
        let c = Curve::fit(&[(1.0, true), (2.0, false), (3.0, true), (3.0, true), (4.0, false)]);
        assert_eq!(c.n, 5);
        assert_eq!(c.events, 3);
        assert!((c.survival_at(1.0) - 0.8).abs() < 1e-12);
        assert!((c.survival_at(2.5) - 0.8).abs() < 1e-12);
        assert!((c.survival_at(3.0) - 4.0 / 15.0).abs() < 1e-12);
        assert_eq!(c.median(), Some(3.0));
        assert_eq!(c.survival_at(0.5), 1.0);
        let s = c.step_at(1.0).unwrap();
        assert!(s.low.unwrap() < 0.8 && 0.8 < s.high.unwrap());
    }

    /// Delayed entry by hand: the one who enters at day 15 is not at risk at days 5 and 10.
    #[test]
    fn delayed_entry_by_hand() {
        let curve = Curve::fit_with_entry(&[(10.0, true, 0.0), (20.0, true, 15.0), (30.0, false, 0.0), (5.0, true, 0.0)]);
        let at_risk: Vec<u64> = curve.steps.iter().map(|s| s.at_risk).collect();
        assert_eq!(at_risk, [3, 2, 2, 1]);
        assert!((curve.survival_at(5.0) - 2.0 / 3.0).abs() < 1e-12);
        assert!((curve.survival_at(10.0) - 1.0 / 3.0).abs() < 1e-12);
        assert!((curve.survival_at(25.0) - 1.0 / 6.0).abs() < 1e-12);
        // Everyone entering at 0: the plain estimate.
        let plain = Curve::fit(&[(10.0, true), (20.0, true), (30.0, false), (5.0, true)]);
        assert!((plain.survival_at(25.0) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn no_events_no_median() {
        let c = Curve::fit(&[(5.0, false), (6.0, false)]);
        assert_eq!(c.median(), None);
        assert_eq!(c.survival_at(10.0), 1.0);
        assert!(Curve::fit(&[]).steps.is_empty());
    }
}
