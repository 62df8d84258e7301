//! How finely a protected output's cohort may be cut. The cell-key method gives the same people the same
//! published value, and a published 0 caps a count at 4; so a long chain of nested cohorts (a period's start
//! moved back one day at a time) can count people one by one (docs/privacy.md, "Known limits"). Whole
//! months cut such chains thirtyfold: a cell's people must start in as many different months as there are
//! of them, and each step must change the published value. It narrows the attack; it does not close it.
//! Ages are cut the same way: a protected cohort's age limits are the report's age bands (20, 25, 30...),
//! so ages moved one year at a time cannot build such a chain either. Raw output (research, by people who
//! hold the database) takes any dates and ages.

use chrono::{Datelike, Duration};

use super::Protection;
use crate::analysis::cohort::{resolve_period, Period};
use crate::analysis::stats::AGE_BANDS;
use crate::analysis::Cohort;
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// Refuses a protected output of a cohort whose period does not start on the first of a month and end on
/// the last day of one, or whose ages cut through one of the report's age bands.
pub fn check_cohort(model: &Model, cohort: &Cohort, protection: Protection) -> Result<()> {
    if protection == Protection::Raw {
        return Ok(());
    }
    if let Some(text) = &cohort.period {
        check_period(&resolve_period(model, text)?)?;
    }
    match cohort.age {
        Some(ages) => check_ages(ages),
        None => Ok(()),
    }
}

/// The ages a protected low limit may take besides a band's start: 16, where Finsam's age span begins (so
/// "16–24" reads as people think of it); a high limit besides a band's end: 64, where it ends, or 100 and
/// over (no limit). Each is one step from a band's edge, so no chain of ages can be built on them. (They
/// were the youngest and oldest age in the data, which made whether an output ran say who was there.)
const LOW_LIMITS_BESIDES_BANDS: [i32; 1] = [16];
const HIGH_LIMITS_BESIDES_BANDS: [i32; 1] = [64];
const NO_HIGH_LIMIT_FROM: i32 = 100;

/// Age limits on the report's age bands: a low limit that starts a band (or 16), a high limit that ends
/// one (or 64, or 100 and over). Decided on the limits alone, never on the data.
pub fn check_ages((low, high): (i32, i32)) -> Result<()> {
    if low > high {
        return Err(FinsamError::invalid(format!(
            "the age band {low}–{high} is empty: the first age must not exceed the second (e.g. {high}–{low})"
        )));
    }
    let mut starts: Vec<i32> = AGE_BANDS.iter().map(|(_, lo, _)| *lo).chain(LOW_LIMITS_BESIDES_BANDS).collect();
    let mut ends: Vec<i32> = AGE_BANDS.iter().map(|(_, _, hi)| *hi).filter(|hi| *hi < 200).chain(HIGH_LIMITS_BESIDES_BANDS).collect();
    starts.sort_unstable();
    ends.sort_unstable();
    let low_ok = low <= 0 || starts.contains(&low);
    let high_ok = high >= NO_HIGH_LIMIT_FROM || ends.contains(&high);
    if low_ok && high_ok {
        return Ok(());
    }
    let nearest = |options: &[i32], x: i32| options.iter().copied().min_by_key(|o| (o - x).abs()).unwrap_or(x);
    let high_suggested = if high_ok { high } else { nearest(&ends, high) };
    // The nearest start, unless it passes the high limit (23–24 would become 25–24): then the start below.
    let low_suggested = match (low_ok, nearest(&starts, low)) {
        (true, _) => low,
        (false, near) if near <= high_suggested => near,
        (false, _) => starts.iter().copied().filter(|&s| s <= low).max().unwrap_or(low),
    };
    let suggestion = format!("{low_suggested}–{high_suggested}");
    Err(FinsamError::invalid(format!(
        "protected outputs take ages on the report's age bands ({}; also from 16, to 64 or to {NO_HIGH_LIMIT_FROM} and over), \
         and {low}–{high} cuts through one: use e.g. {suggestion} (ages moved one year at a time would let a reader count \
         people one by one across outputs); research output (--raw) takes any ages",
        AGE_BANDS.iter().map(|(label, _, _)| *label).collect::<Vec<_>>().join(", ")
    )))
}

/// Whole months only (a named period, years, or dates from a 1st to a month's last day).
pub fn check_period(period: &Period) -> Result<()> {
    let starts_a_month = period.start.day() == 1;
    let ends_a_month = (period.end + Duration::days(1)).day() == 1;
    if starts_a_month && ends_a_month {
        return Ok(());
    }
    Err(FinsamError::invalid(format!(
        "protected outputs take periods of whole months, and {} {}: use e.g. {}..{} (a cohort cut by single days \
         would let a reader count people one by one across outputs); research output (--raw) takes any dates",
        period.label,
        match (starts_a_month, ends_a_month) {
            (false, false) => "starts and ends in the middle of a month",
            (false, true) => "starts in the middle of a month",
            _ => "ends in the middle of a month",
        },
        period.start.with_day(1).unwrap_or(period.start),
        last_of_month(period.end),
    )))
}

fn last_of_month(date: chrono::NaiveDate) -> chrono::NaiveDate {
    let first_of_next = if date.month() == 12 {
        chrono::NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
    };
    first_of_next.map_or(date, |d| d - Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn period(start: &str, end: &str) -> Period {
        Period { label: format!("{start}..{end}"), start: start.parse::<NaiveDate>().unwrap(), end: end.parse::<NaiveDate>().unwrap() }
    }

    #[test]
    fn ages_on_the_bands_pass_and_ages_inside_a_band_are_refused() {
        for ok in [(20, 24), (16, 24), (0, 29), (25, 64), (30, 100), (30, 120), (16, 19), (60, 64), (-5, 24)] {
            assert!(check_ages(ok).is_ok(), "{ok:?}");
        }
        let err = check_ages((16, 25)).unwrap_err().to_string();
        assert!(err.contains("16–25 cuts through") && err.contains("16–24"), "{err}");
        let err = check_ages((18, 24)).unwrap_err().to_string();
        assert!(err.contains("20–24"), "{err}");
        assert!(check_ages((31, 39)).is_err() && check_ages((30, 61)).is_err());
        let err = check_ages((23, 24)).unwrap_err().to_string();
        assert!(err.contains("use e.g. 20–24"), "{err}");
        // Decided on the limits alone: 14, 15 and 17 are refused whatever the youngest age in the data, and
        // so are 65–99 (a chain of them would count the oldest one year at a time).
        for refused in [(14, 24), (15, 24), (17, 24), (30, 65), (30, 70), (30, 99)] {
            assert!(check_ages(refused).is_err(), "{refused:?}");
        }
    }

    #[test]
    fn whole_months_pass_and_single_days_are_refused_with_a_suggestion() {
        assert!(check_period(&period("2022-01-01", "2023-12-31")).is_ok());
        assert!(check_period(&period("2024-02-01", "2024-02-29")).is_ok());
        let err = check_period(&period("2022-01-01", "2022-06-29")).unwrap_err().to_string();
        assert!(err.contains("ends in the middle of a month") && err.contains("2022-01-01..2022-06-30"), "{err}");
        let err = check_period(&period("2016-11-23", "2016-12-31")).unwrap_err().to_string();
        assert!(err.contains("starts in the middle") && err.contains("2016-11-01..2016-12-31"), "{err}");
    }
}
