//! The cohort as the calculation needs it: each exit's path (status before, at exit and at each follow-up
//! observation), with its record key so that every count of people is published by the core.

use std::collections::BTreeMap;

use finsam_plugin::stats::age_band;
use finsam_plugin::{Context, Param, PluginError, Rows, Tally};

use crate::calculation::{Path, Status};
use crate::parameters::{OCCUPATION_CODES, SUPPORT_CODES};

/// Days per month, as in the core's survival analysis (365.25 / 12).
const DAYS_PER_MONTH: f64 = 30.4375;

/// One exit of the cohort with what it is broken down by.
#[derive(Debug, Clone)]
pub struct Exit {
    pub tally: Tally,
    pub path: Path,
    pub sex: String,
    pub age_band: String,
    pub education: Option<String>,
}

/// The cohort's enrolments: the exits that can be valued and the counts of those that cannot.
#[derive(Debug, Default)]
pub struct Cohort {
    pub exits: Vec<Exit>,
    /// Enrolments still open at the data's end (or exited after it).
    pub open: Tally,
    /// Exits without a recorded status after.
    pub without_status: Tally,
}

fn status(support: Option<&str>, occupation: Option<&str>, extent: Option<i64>, what: &str) -> Result<Status, PluginError> {
    let (Some(support), Some(occupation)) = (support, occupation) else {
        return Err(PluginError::new(format!("{what}: support or occupation missing")));
    };
    let find = |list: &[&str], code: &str| list.iter().position(|c| *c == code).map(|i| i as u8);
    let support = find(&SUPPORT_CODES, support).ok_or_else(|| PluginError::new(format!("{what}: unknown support '{support}'")))?;
    let occupation = find(&OCCUPATION_CODES, occupation).ok_or_else(|| PluginError::new(format!("{what}: unknown occupation '{occupation}'")))?;
    // The extent matters for work and studies only, in steps of a quarter of full time; not recorded, it is
    // counted as full time (an assumption the output states). Coarse statuses keep the groups of people with
    // the same path large, and so the noise of their published counts small.
    let extent_pct = if matches!(OCCUPATION_CODES[occupation as usize], "work" | "studies") {
        extent.map_or(100, |e| ((e.clamp(0, 100) as f64 / 25.0).round() * 25.0) as u8)
    } else {
        0
    };
    Ok(Status { support, occupation, extent_pct })
}

pub fn read(ctx: &dyn Context) -> Result<Cohort, PluginError> {
    let rows = Rows::new(ctx.query(
        "SELECT c.enrolment_id, c.record_key, c.sex, c.age, year(c.exit_known) - c.birth_year AS age_at_exit, p.education,
                c.exit_known IS NOT NULL AS exited, c.support_before, c.occupation_before, c.extent_before_pct,
                c.support_after, c.occupation_after, c.extent_after_pct
         FROM cohort c JOIN finsam_participant p USING (participant_key)
         ORDER BY c.enrolment_id",
        &[],
    )?);
    let observations = Rows::new(ctx.query(
        "SELECT o.enrolment_id, date_diff('day', c.exit_known, o.observed_on) AS days, o.support, o.occupation, o.extent_pct
         FROM finsam_observation o JOIN cohort c USING (enrolment_id)
         WHERE c.exit_known IS NOT NULL AND o.observed_on > c.exit_known AND o.observed_on <= ?::DATE
         ORDER BY o.enrolment_id, o.observed_on",
        &[Param::Text(ctx.data_end())],
    )?);
    let mut followed: BTreeMap<i64, Vec<(u32, Status)>> = BTreeMap::new();
    {
        let (ids, days) = (observations.integers("enrolment_id")?, observations.integers("days")?);
        let (supports, occupations, extents) =
            (observations.texts("support")?, observations.texts("occupation")?, observations.integers("extent_pct")?);
        for i in 0..ids.len() {
            let id = ids[i].unwrap_or_default();
            // Follow-ups are dated by the day they happened; counted from the nearest whole quarter after the
            // exit (a follow-up "at 6 months" lands on month 6 whether it was made a week early or late).
            let month = ((days[i].unwrap_or_default() as f64 / DAYS_PER_MONTH / 3.0).round() * 3.0).max(0.0) as u32;
            let s = status(supports[i].as_deref(), occupations[i].as_deref(), extents[i], &format!("the observation of enrolment {id}"))?;
            followed.entry(id).or_default().push((month, s));
        }
    }
    let ids = rows.integers("enrolment_id")?;
    let keys = rows.integers("record_key")?;
    let (sexes, ages, exit_ages, educations) = (rows.texts("sex")?, rows.integers("age")?, rows.integers("age_at_exit")?, rows.texts("education")?);
    let exited = rows.texts("exited")?;
    let (sb, ob, eb) = (rows.texts("support_before")?, rows.texts("occupation_before")?, rows.integers("extent_before_pct")?);
    let (sa, oa, ea) = (rows.texts("support_after")?, rows.texts("occupation_after")?, rows.integers("extent_after_pct")?);
    let mut cohort = Cohort::default();
    for i in 0..ids.len() {
        let id = ids[i].unwrap_or_default();
        let tally = Tally::unit(keys[i].unwrap_or_default() as u32);
        if exited[i].as_deref() != Some("true") {
            cohort.open += tally;
            continue;
        }
        if sa[i].is_none() || oa[i].is_none() {
            cohort.without_status += tally;
            continue;
        }
        let what = format!("enrolment {id}");
        let before = status(sb[i].as_deref(), ob[i].as_deref(), eb[i], &what)?;
        let mut after = vec![(0, status(sa[i].as_deref(), oa[i].as_deref(), ea[i], &what)?)];
        for (month, s) in followed.remove(&id).unwrap_or_default() {
            // A later follow-up in the same quarter replaces the earlier; one that repeats the status adds nothing.
            if after.last().is_some_and(|(m, _)| *m == month) {
                after.pop();
            }
            if after.last().map(|(_, last)| *last) != Some(s) {
                after.push((month, s));
            }
        }
        cohort.exits.push(Exit {
            tally,
            path: Path { before, after, age_at_exit: exit_ages[i].unwrap_or_default() as i32 },
            sex: sexes[i].clone().unwrap_or_default(),
            age_band: ages[i].and_then(|a| age_band(a as i32)).unwrap_or("?").to_string(),
            education: educations[i].clone(),
        });
    }
    Ok(cohort)
}
