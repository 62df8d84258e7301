//! Numbers as a reader of each language writes them, for the core's charts and tables and for plugins alike.

use crate::Lang;

/// 1 234 567 (sv, with a narrow no-break space) or 1,234,567 (en), with `decimals` decimals; a minus sign
/// (−) only when a non-zero digit is shown.
pub fn number(value: f64, decimals: usize, lang: Lang) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').map_or((text.as_str(), ""), |(i, f)| (i, f));
    let (group, point) = match lang {
        Lang::Sv => ("\u{202f}", ","),
        Lang::En => (",", "."),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push_str(group);
        }
        grouped.push(ch);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "−" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_decimals_and_signs() {
        assert_eq!(number(1234567.25, 1, Lang::Sv), "1\u{202f}234\u{202f}567,2");
        assert_eq!(number(-1234.0, 0, Lang::En), "−1,234");
        assert_eq!(number(-0.0001, 2, Lang::En), "0.00");
    }
}
