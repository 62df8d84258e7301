//! Numbers as people read them: Swedish decimal commas and spaces between thousands (English: points and
//! commas), percentages without more decimals than the data carries.

use crate::codes::Lang;

/// A whole number with thousands separated ("12 345"; English "12,345").
pub fn whole(x: f64, lang: Lang) -> String {
    let rounded = x.round() as i64;
    let digits = rounded.unsigned_abs().to_string();
    let separator = match lang {
        Lang::Sv => '\u{a0}',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    if rounded < 0 {
        format!("−{out}")
    } else {
        out
    }
}

/// A proportion as a percentage. `n` is the number it rests on: whole percents below 1 000, one decimal
/// from 1 000 on (a hundredth of a percent would claim more than the data carries).
pub fn percent(p: f64, n: Option<u64>, lang: Lang) -> String {
    let decimals = if n.unwrap_or(0) >= 1000 { 1 } else { 0 };
    format!("{} %", decimal(p * 100.0, decimals, lang))
}

/// A difference of proportions in percentage points, as a number: whole points, one decimal below one
/// point (so that an interval bound of 0.3 does not read as 0).
pub fn points_number(d: f64, lang: Lang) -> String {
    let x = d * 100.0;
    decimal(x, if x.abs() < 0.95 { 1 } else { 0 }, lang)
}

/// A difference in percentage points for a table cell ("+6 p.e.", "−0,4 p.e.").
pub fn points_short(d: f64, lang: Lang) -> String {
    let unit = lang.pick("p.e.", "pp");
    let sign = if d > 0.0 { "+" } else { "" };
    format!("{sign}{} {unit}", points_number(d, lang))
}

/// A difference of proportions in percentage points, with the unit.
pub fn points(d: f64, lang: Lang) -> String {
    let unit = lang.pick("procentenheter", "percentage points");
    format!("{} {unit}", points_number(d, lang))
}

/// A number with `decimals` decimals (a decimal comma in Swedish, a proper minus sign).
pub fn decimal(x: f64, decimals: usize, lang: Lang) -> String {
    let text = format!("{:.*}", decimals, x);
    let text = match text.strip_prefix('-') {
        Some(rest) => format!("−{rest}"),
        None => text,
    };
    match lang {
        Lang::Sv => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A cell of a published table for the page: shares as percentages (by the column's name), p-values with
/// three decimals, other numbers whole with separators; text as it is.
pub fn cell(text: &str, column: &str, lang: Lang) -> String {
    let name = column.to_lowercase();
    // Years stay as they are written (no thousands separator in 2 020).
    if name == "år" || name == "year" {
        return text.to_string();
    }
    let Ok(x) = text.parse::<f64>() else { return text.to_string() };
    // A column already in percent ("andel administration %", "staten %", "utfall i % av budget"), as
    // against the intervals of shares ("lägre 95 %"), which are proportions.
    if name.trim_end().ends_with('%') && !name.contains("95") {
        return format!("{} %", decimal(x, 1, lang));
    }
    if name.contains("p-värde") || name.contains("p-value") {
        return if x < 0.001 { format!("<{}", decimal(0.001, 3, lang)) } else { decimal(x, 3, lang) };
    }
    let share = ["andel", "share", "95", "skillnad", "difference", "kvar", "utan", "without", "still"].iter().any(|k| name.contains(k));
    if share && x.abs() <= 1.0 && text.contains('.') {
        return format!("{} %", decimal(x * 100.0, 0, lang));
    }
    if x.fract() != 0.0 && x.abs() < 100.0 {
        return decimal(x, 1, lang);
    }
    whole(x, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_board_reads_them() {
        assert_eq!(whole(1234567.4, Lang::Sv), "1\u{a0}234\u{a0}567");
        assert_eq!(whole(1234.0, Lang::En), "1,234");
        assert_eq!(percent(0.4849, Some(120), Lang::Sv), "48 %");
        assert_eq!(percent(0.4849, Some(5000), Lang::Sv), "48,5 %");
        assert_eq!(points(-0.052, Lang::Sv), "−5 procentenheter");
        assert_eq!(cell("0.6123", "andel 2022–2023", Lang::Sv), "61 %");
        assert_eq!(cell("0.0004", "p-värde", Lang::Sv), "<0,001");
        assert_eq!(cell("150", "av", Lang::Sv), "150");
        assert_eq!(cell("..", "antal", Lang::Sv), "..");
        assert_eq!(cell("0.8", "andel administration %", Lang::Sv), "0,8 %");
        assert_eq!(cell("2020", "år", Lang::Sv), "2020");
        assert_eq!(cell("0.25", "lägre 95 %", Lang::Sv), "25 %");
    }
}
