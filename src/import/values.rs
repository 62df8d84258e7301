//! Values as Swedish spreadsheets write them: dates in ISO and the usual local forms or as Excel serial
//! numbers, numbers with decimal commas and spaces between thousands, yes and no in either language.

use chrono::{Duration, NaiveDate};

/// A date: 2022-03-01, 2022/03/01, 20220301, 1/3/2022, 01.03.2022, or an Excel serial (44621).
pub fn date(text: &str) -> Result<NaiveDate, &'static str> {
    let t = text.trim();
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, format) {
            return Ok(d);
        }
    }
    if let Ok(serial) = t.parse::<i64>() {
        // Excel's day 1 is 1900-01-01, counting the 1900-02-29 that never was.
        if (20_000..=80_000).contains(&serial) {
            return Ok(NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid") + Duration::days(serial));
        }
    }
    Err("a date such as 2022-03-01")
}

/// A number: "1 234,50", "1234.5", "1\u{a0}234".
pub fn number(text: &str) -> Result<f64, &'static str> {
    let cleaned: String = text.trim().chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}').collect();
    let cleaned = if cleaned.contains(',') && !cleaned.contains('.') { cleaned.replace(',', ".") } else { cleaned.replace(',', "") };
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or("a number such as 1 234,50")
}

/// A whole number (spaces between thousands allowed).
pub fn whole(text: &str) -> Result<i64, &'static str> {
    let v = number(text).map_err(|_| "a whole number")?;
    if v.fract() == 0.0 {
        Ok(v as i64)
    } else {
        Err("a whole number")
    }
}

/// A yes or no (ja/nej, yes/no, 1/0, true/false).
pub fn yes_no(text: &str) -> Result<bool, &'static str> {
    match text.trim().to_lowercase().as_str() {
        "ja" | "j" | "yes" | "y" | "true" | "1" | "x" => Ok(true),
        "nej" | "n" | "no" | "false" | "0" => Ok(false),
        _ => Err("ja or nej (yes or no)"),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn dates_in_the_usual_forms() {
        let d = NaiveDate::from_ymd_opt(2022, 3, 1).unwrap();
        for text in ["2022-03-01", "2022/03/01", "20220301", "1/3/2022", "01.03.2022", "44621"] {
            assert_eq!(date(text), Ok(d), "{text}");
        }
        assert!(date("2022-13-01").is_err());
        assert!(date("igår").is_err());
    }

    #[test]
    fn numbers_with_decimal_commas_and_spaces() {
        assert_eq!(number("1 234,50"), Ok(1234.5));
        assert_eq!(number("1\u{a0}234"), Ok(1234.0));
        assert_eq!(number("1234.5"), Ok(1234.5));
        assert_eq!(number("1,234.5"), Ok(1234.5));
        assert!(number("tolv").is_err());
        assert!(number("NaN").is_err());
        assert_eq!(whole("12"), Ok(12));
        assert!(whole("12,5").is_err());
    }

    proptest! {
        // The parsers never panic, whatever the bytes.
        #[test]
        fn parsers_take_any_text(s in "\\\\PC{0,24}") {
            let _ = date(&s);
            let _ = number(&s);
            let _ = whole(&s);
            let _ = yes_no(&s);
        }

        #[test]
        fn swedish_numbers_round_trip(int in 0u32..10_000_000, cents in 0u32..100) {
            let value = int as f64 + cents as f64 / 100.0;
            let digits = int.to_string();
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 { grouped.push(' '); }
                grouped.push(c);
            }
            let text = format!("{grouped},{cents:02}");
            prop_assert!((number(&text).unwrap() - value).abs() < 1e-6, "{}", text);
        }

        #[test]
        fn every_real_date_parses_in_iso_and_swedish_forms(days in 0i64..60_000) {
            let d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Duration::days(days);
            prop_assert_eq!(date(&d.format("%Y-%m-%d").to_string()), Ok(d));
            prop_assert_eq!(date(&d.format("%d.%m.%Y").to_string()), Ok(d));
        }
    }
}
