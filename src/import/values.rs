//! Values as Swedish spreadsheets write them: dates in ISO and the usual local forms or as Excel serial
//! numbers, numbers with decimal commas and spaces between thousands, yes and no in either language.

use chrono::{Duration, NaiveDate};

/// A date: 2022-03-01, 2022/03/01, 20220301, 1/3/2022, 01.03.2022, or an Excel serial (44621).
pub fn date(text: &str) -> Result<NaiveDate, &'static str> {
    date_in(text, false)
}

/// A date as `date` reads it; a serial number counts from 1904-01-01 when the workbook says it uses Excel's
/// 1904 date system (old Mac workbooks), where serial 43524 is 2023-03-01, not 2019-02-28.
pub fn date_in(text: &str, serials_from_1904: bool) -> Result<NaiveDate, &'static str> {
    use chrono::Datelike;
    read_date(text, serials_from_1904).and_then(|d| {
        if (1900..=2100).contains(&d.year()) {
            Ok(d)
        } else {
            Err("a date from 1900 to 2100 (check the year)")
        }
    })
}

fn read_date(text: &str, serials_from_1904: bool) -> Result<NaiveDate, &'static str> {
    let t = text.trim();
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, format) {
            return Ok(d);
        }
    }
    if let Ok(serial) = t.parse::<i64>() {
        // Excel's day 1 is 1900-01-01, counting the 1900-02-29 that never was.
        if (20_000..=80_000).contains(&serial) {
            let epoch = if serials_from_1904 { NaiveDate::from_ymd_opt(1904, 1, 1) } else { NaiveDate::from_ymd_opt(1899, 12, 30) };
            return Ok(epoch.expect("valid") + Duration::days(serial));
        }
    }
    Err("a date such as 2022-03-01")
}

/// A number as a Swedish or an English spreadsheet writes it, read exactly: "1 234,50", "1.234,50",
/// "1234.5", "1,234.50", "1\u{a0}234". Where two separators stand, the last is the decimal one and the other
/// groups thousands (in threes, checked). A lone `,` or `.` before exactly three digits ("1,999", "2.500")
/// means a thousand in one language and a decimal in the other: it is refused, never guessed.
pub fn number(text: &str) -> Result<f64, &'static str> {
    decimal(text).map(|d| d.value)
}

/// A parsed number and how many decimals it was written with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decimal {
    /// The number.
    pub value: f64,
    /// The digits written after the decimal mark.
    pub decimals: usize,
}

const NUMBER: &str = "a number such as 1 234,50";
const AMBIGUOUS: &str =
    "a number written one way: with one , or . before three digits it is a thousand in English and a decimal in Swedish (write 1999, 1 999 or 1,99)";
const GROUPS: &str = "a number whose thousands are grouped in threes (1 234 567,50 or 1,234,567.50)";

/// A number as `number` reads it, with how many decimals it was written with.
pub fn decimal(text: &str) -> Result<Decimal, &'static str> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}')) {
        return Err(NUMBER);
    }
    let last_comma = t.rfind(',');
    let last_dot = t.rfind('.');
    let commas = t.matches(',').count();
    let dots = t.matches('.').count();
    // Which character is the decimal separator, if any; every other separator groups thousands.
    let decimal_mark = match (commas, dots) {
        (0, 0) => None,
        (_, 0) if commas > 1 => None,
        (0, _) if dots > 1 => None,
        (1, 0) => Some(','),
        (0, 1) => Some('.'),
        _ => {
            let mark = if last_comma > last_dot { ',' } else { '.' };
            if t.matches(mark).count() > 1 {
                return Err(NUMBER);
            }
            Some(mark)
        }
    };
    let (whole_part, fraction) = match decimal_mark {
        Some(mark) => t.split_once(mark).expect("the mark is there"),
        None => (t, ""),
    };
    if fraction.chars().any(|c| !c.is_ascii_digit()) {
        return Err(NUMBER);
    }
    let groups: Vec<&str> = whole_part.split([',', '.', ' ', '\u{a0}', '\u{202f}']).collect();
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(GROUPS);
        }
    } else if whole_part.is_empty() && fraction.is_empty() {
        return Err(NUMBER);
    }
    // One mark before exactly three digits, after a group-sized whole part: "1,999", "2.500".
    let lone_mark = commas + dots == 1;
    if lone_mark && fraction.len() == 3 && groups.len() == 1 && (1..=3).contains(&whole_part.len()) && whole_part != "0" {
        return Err(AMBIGUOUS);
    }
    let digits: String = groups.concat();
    let written = format!(
        "{}{}.{}",
        if negative { "-" } else { "" },
        if digits.is_empty() { "0" } else { &digits },
        if fraction.is_empty() { "0" } else { fraction }
    );
    let value = written.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or(NUMBER)?;
    Ok(Decimal { value, decimals: fraction.len() })
}

/// An amount in kronor: at most two decimals (öre), never rounded.
pub fn amount(text: &str) -> Result<f64, &'static str> {
    let d = decimal(text)?;
    if d.decimals > 2 {
        return Err("an amount in kronor with at most two decimals (öre), as written: 1 234,50 (finsam never rounds an amount)");
    }
    Ok(d.value)
}

/// A percentage with at most two decimals (the schema's DECIMAL(5, 2)), never rounded.
pub fn percent(text: &str) -> Result<f64, &'static str> {
    let d = decimal(text)?;
    if d.decimals > 2 {
        return Err("a percentage with at most two decimals, as written (finsam never rounds it)");
    }
    Ok(d.value)
}

/// A whole number (spaces between thousands allowed).
pub fn whole(text: &str) -> Result<i64, &'static str> {
    let v = decimal(text).map_err(|e| if e == AMBIGUOUS { AMBIGUOUS } else { "a whole number" })?;
    if v.value.fract() == 0.0 && v.value.abs() < 9e15 {
        Ok(v.value as i64)
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
        assert_eq!(date_in("43524", true), Ok(NaiveDate::from_ymd_opt(2023, 3, 1).unwrap()));
        assert_eq!(date_in("43524", false), Ok(NaiveDate::from_ymd_opt(2019, 2, 28).unwrap()));
        assert!(date("igår").is_err());
        assert!(date("0000-03-01").unwrap_err().contains("1900 to 2100"));
        assert!(date("1800-03-01").is_err());
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

    #[test]
    fn amounts_are_read_as_written_or_refused() {
        assert_eq!(amount("1.234,50"), Ok(1234.5));
        assert_eq!(amount("1,234.50"), Ok(1234.5));
        assert_eq!(amount("2 200 000,00"), Ok(2_200_000.0));
        assert_eq!(amount("1.234.567"), Ok(1_234_567.0));
        assert_eq!(amount("1,234,567"), Ok(1_234_567.0));
        assert_eq!(amount("0,5"), Ok(0.5));
        assert_eq!(amount("1999"), Ok(1999.0));
        assert!(amount("1,999").unwrap_err().contains("thousand in English"), "ambiguous, not 2.00");
        assert!(amount("2.500").unwrap_err().contains("thousand in English"));
        assert!(amount("0.001").unwrap_err().contains("at most two decimals"), "not 0.00");
        assert!(amount("12,345").is_err());
        assert!(amount("1 23").unwrap_err().contains("threes"));
        assert!(amount("1.234.5").is_err());
        assert!(amount("1,2,3.4,5").is_err());
        assert!(whole("1,000").is_err(), "a thousand or one");
        assert_eq!(whole("1 000"), Ok(1000));
        assert_eq!(percent("12,5"), Ok(12.5));
        assert!(percent("12,555").is_err());
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
