//! How finely a protected output's cohort may be cut. The cell-key method gives the same people the same
//! published value, and a published 0 caps a count at 4; so a long chain of nested cohorts (a period's start
//! moved back one day at a time) can count people one by one (docs/privacy.md, "Known limits"). Whole
//! months cut such chains thirtyfold: a cell's people must start in as many different months as there are
//! of them, and each step must change the published value. It narrows the attack; it does not close it.
//! Raw output (research, by people who hold the database) takes any dates.

use chrono::{Datelike, Duration};

use super::Protection;
use crate::analysis::cohort::{resolve_period, Period};
use crate::analysis::Cohort;
use crate::error::{FinsamError, Result};
use crate::model::Model;

/// Refuses a protected output of a cohort whose period does not start on the first of a month and end on
/// the last day of one.
pub fn check_cohort(model: &Model, cohort: &Cohort, protection: Protection) -> Result<()> {
    match &cohort.period {
        Some(text) if protection != Protection::Raw => check_period(&resolve_period(model, text)?),
        _ => Ok(()),
    }
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
    fn whole_months_pass_and_single_days_are_refused_with_a_suggestion() {
        assert!(check_period(&period("2022-01-01", "2023-12-31")).is_ok());
        assert!(check_period(&period("2024-02-01", "2024-02-29")).is_ok());
        let err = check_period(&period("2022-01-01", "2022-06-29")).unwrap_err().to_string();
        assert!(err.contains("ends in the middle of a month") && err.contains("2022-01-01..2022-06-30"), "{err}");
        let err = check_period(&period("2016-11-23", "2016-12-31")).unwrap_err().to_string();
        assert!(err.contains("starts in the middle") && err.contains("2016-11-01..2016-12-31"), "{err}");
    }
}
