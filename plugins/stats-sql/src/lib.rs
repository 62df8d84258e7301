//! finsam's intervals and age bands as DuckDB SQL functions, so that an analyst writing SQL gets exactly
//! the numbers of finsam's tables (the functions call the same Rust code):
//!
//! ```sql
//! SELECT intervention_id, count(*) AS n, count(*) FILTER (occupation_after = 'work') AS k,
//!        wilson_low(k, n), wilson_high(k, n)
//! FROM finsam_enrolment WHERE exit_date IS NOT NULL GROUP BY ALL;
//! ```
//!
//! Counts are taken as DOUBLE so that any integer type (a `count(*)`, a `sum`) fits; they must be whole
//! and 0 ≤ k ≤ n, else the query fails with a message. n = 0 or a NULL argument gives NULL, never NaN.

use std::sync::Arc;

use finsam_plugin::arrow::array::{Array, ArrayRef, AsArray, Float64Array, StringArray};
use finsam_plugin::arrow::datatypes::{DataType, Date32Type, Float64Type};
use finsam_plugin::stats::{age_band, difference, wilson, Share};
use finsam_plugin::{Plugin, PluginError, Registrar, SqlFunction};

pub struct StatsSqlPlugin;

impl Plugin for StatsSqlPlugin {
    fn name(&self) -> &'static str {
        "stats-sql"
    }
    fn description(&self) -> &'static str {
        "SQL functions with finsam's numbers: Wilson and Newcombe intervals, the report's age bands"
    }
    fn register(&self, r: &mut Registrar) {
        r.sql_function(WilsonBound { high: false });
        r.sql_function(WilsonBound { high: true });
        r.sql_function(NewcombeBound { high: false });
        r.sql_function(NewcombeBound { high: true });
        r.sql_function(AgeBand);
    }
}

/// Column `i` as DOUBLE values.
fn doubles(columns: &[ArrayRef], i: usize) -> Result<&Float64Array, PluginError> {
    columns.get(i).and_then(|c| c.as_primitive_opt::<Float64Type>()).ok_or_else(|| PluginError::new(format!("argument {} is not a DOUBLE", i + 1)))
}

/// A count from SQL: whole and not negative.
fn count(value: f64, what: &str) -> Result<u64, PluginError> {
    // Above 2^53 a DOUBLE no longer holds every whole number: such a count cannot be read exactly.
    const LARGEST: f64 = 9_007_199_254_740_992.0;
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= LARGEST {
        Ok(value as u64)
    } else if value > LARGEST && value.is_finite() {
        Err(PluginError::new(format!("{what} ({value}) is above 2^53, the largest count a DOUBLE holds exactly")))
    } else {
        Err(PluginError::new(format!("{what} must be a whole number of at least 0, not {value}")))
    }
}

/// k and n checked: 0 ≤ k ≤ n. `suffix` names them in messages ("1" for k1 and n1).
fn share_counts(k: f64, n: f64, suffix: &str) -> Result<(u64, u64), PluginError> {
    let (k, n) = (count(k, &format!("k{suffix}"))?, count(n, &format!("n{suffix}"))?);
    if k > n {
        return Err(PluginError::new(format!("k{suffix} ({k}) must not exceed n{suffix} ({n})")));
    }
    Ok((k, n))
}

struct WilsonBound {
    high: bool,
}

impl SqlFunction for WilsonBound {
    fn name(&self) -> &'static str {
        if self.high {
            "wilson_high"
        } else {
            "wilson_low"
        }
    }
    fn description(&self) -> &'static str {
        if self.high {
            "upper bound of the 95 % Wilson interval of k of n"
        } else {
            "lower bound of the 95 % Wilson interval of k of n"
        }
    }
    fn params(&self) -> Vec<(&'static str, DataType)> {
        vec![("k", DataType::Float64), ("n", DataType::Float64)]
    }
    fn returns(&self) -> DataType {
        DataType::Float64
    }
    fn invoke(&self, columns: &[ArrayRef]) -> Result<ArrayRef, PluginError> {
        let (k, n) = (doubles(columns, 0)?, doubles(columns, 1)?);
        let mut out = Vec::with_capacity(k.len());
        for i in 0..k.len() {
            if k.is_null(i) || n.is_null(i) {
                out.push(None);
                continue;
            }
            let (k, n) = share_counts(k.value(i), n.value(i), "")?;
            out.push(wilson(k, n).map(|(low, high)| if self.high { high } else { low }));
        }
        Ok(Arc::new(Float64Array::from(out)))
    }
}

struct NewcombeBound {
    high: bool,
}

impl SqlFunction for NewcombeBound {
    fn name(&self) -> &'static str {
        if self.high {
            "newcombe_high"
        } else {
            "newcombe_low"
        }
    }
    fn description(&self) -> &'static str {
        if self.high {
            "upper bound of Newcombe's 95 % interval (method 10) of k1/n1 − k2/n2"
        } else {
            "lower bound of Newcombe's 95 % interval (method 10) of k1/n1 − k2/n2"
        }
    }
    fn params(&self) -> Vec<(&'static str, DataType)> {
        vec![("k1", DataType::Float64), ("n1", DataType::Float64), ("k2", DataType::Float64), ("n2", DataType::Float64)]
    }
    fn returns(&self) -> DataType {
        DataType::Float64
    }
    fn invoke(&self, columns: &[ArrayRef]) -> Result<ArrayRef, PluginError> {
        let c: Vec<&Float64Array> = (0..4).map(|i| doubles(columns, i)).collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(c[0].len());
        for i in 0..c[0].len() {
            if c.iter().any(|a| a.is_null(i)) {
                out.push(None);
                continue;
            }
            let (k1, n1) = share_counts(c[0].value(i), c[1].value(i), "1")?;
            let (k2, n2) = share_counts(c[2].value(i), c[3].value(i), "2")?;
            let d = difference(Share::new(k1, n1), Share::new(k2, n2));
            out.push(if self.high { d.high } else { d.low });
        }
        Ok(Arc::new(Float64Array::from(out)))
    }
}

struct AgeBand;

impl SqlFunction for AgeBand {
    fn name(&self) -> &'static str {
        "age_band"
    }
    fn description(&self) -> &'static str {
        "the standard report's age band (–19, 20–24, ..., 60–) of someone born in birth_year, on on_date"
    }
    fn params(&self) -> Vec<(&'static str, DataType)> {
        vec![("birth_year", DataType::Float64), ("on_date", DataType::Date32)]
    }
    fn returns(&self) -> DataType {
        DataType::Utf8
    }
    fn invoke(&self, columns: &[ArrayRef]) -> Result<ArrayRef, PluginError> {
        let birth = doubles(columns, 0)?;
        let dates = columns.get(1).and_then(|c| c.as_primitive_opt::<Date32Type>()).ok_or_else(|| PluginError::new("argument 2 is not a DATE"))?;
        let mut out: Vec<Option<&str>> = Vec::with_capacity(birth.len());
        for i in 0..birth.len() {
            if birth.is_null(i) || dates.is_null(i) {
                out.push(None);
                continue;
            }
            let year = year_of(dates.value(i));
            let birth_year = birth.value(i);
            if birth_year.fract() != 0.0 || !(1800.0..=3000.0).contains(&birth_year) {
                return Err(PluginError::new(format!("birth_year must be a whole year between 1800 and 3000, not {birth_year}")));
            }
            let age = year - birth_year as i32;
            let band = age_band(age).ok_or_else(|| PluginError::new(format!("someone born in {birth_year} is {age} in {year}: no age band")))?;
            out.push(Some(band));
        }
        Ok(Arc::new(StringArray::from(out)))
    }
}

/// The calendar year of a date given as days since 1970-01-01 (proleptic Gregorian).
fn year_of(days: i32) -> i32 {
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2)) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_of_dates() {
        assert_eq!(year_of(0), 1970);
        assert_eq!(year_of(-1), 1969);
        assert_eq!(year_of(19_358), 2023); // 2023-01-01
        assert_eq!(year_of(19_357), 2022); // 2022-12-31
        assert_eq!(year_of(11_016), 2000); // 2000-02-29
    }

    #[test]
    fn counts_are_checked() {
        assert!(share_counts(3.0, 2.0, "2").unwrap_err().0.contains("k2 (3) must not exceed n2 (2)"));
        assert!(share_counts(1.5, 2.0, "").is_err());
        assert!(share_counts(-1.0, 2.0, "").is_err());
        assert!(share_counts(1e16, 1e16, "").unwrap_err().0.contains("above 2^53"));
        assert_eq!(share_counts(0.0, 0.0, "").unwrap(), (0, 0));
    }
}
