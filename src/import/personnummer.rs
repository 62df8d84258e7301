//! Swedish personal identity numbers (personnummer and samordningsnummer): parsing in every usual form,
//! the control digit, the sex and birth year they carry, and the keyed pseudonym that is all the
//! database ever sees.

use chrono::{Datelike, NaiveDate};

use crate::codes::Sex;
use crate::pseudonym::pseudonym;

/// A checked Swedish personal identity number (or coordination number); never stored or printed in clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Personnummer {
    /// YYYYMMDDNNNC, the canonical twelve digits.
    digits: String,
}

impl Personnummer {
    /// Parses YYMMDD-NNNC, YYMMDD+NNNC (a hundred years or older), YYMMDDNNNC, YYYYMMDDNNNC and
    /// YYYYMMDD-NNNC, checking the date and the control digit. `today` decides the century of ten-digit forms.
    pub fn parse(text: &str, today: NaiveDate) -> Result<Personnummer, String> {
        let folded: String = text.chars().map(fold).collect();
        let trimmed = folded.trim();
        let plus = trimmed.contains('+');
        let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
        if trimmed.chars().any(|c| !(c.is_ascii_digit() || SEPARATORS.contains(&c))) {
            return Err("a personnummer of digits, with or without - or +".into());
        }
        let full = match digits.len() {
            12 => digits,
            10 => {
                let yy: i32 = digits[0..2].parse().map_err(|_| "digits")?;
                let mut year = today.year() / 100 * 100 + yy;
                if year > today.year() {
                    year -= 100;
                }
                if plus {
                    year -= 100;
                }
                format!("{year}{}", &digits[2..])
            }
            _ => return Err("10 or 12 digits (YYMMDD-NNNC or YYYYMMDDNNNC)".into()),
        };
        let year: i32 = full[0..4].parse().map_err(|_| "digits")?;
        let month: u32 = full[4..6].parse().map_err(|_| "digits")?;
        let mut day: u32 = full[6..8].parse().map_err(|_| "digits")?;
        if day > 60 {
            day -= 60; // samordningsnummer: the day plus 60
        }
        if NaiveDate::from_ymd_opt(year, month, day).is_none() {
            return Err("a personnummer whose first digits are a real date of birth".into());
        }
        if !luhn_ok(&full[2..]) {
            return Err("a personnummer whose last digit is its control digit".into());
        }
        if NaiveDate::from_ymd_opt(year, month, day).is_some_and(|born| born > today) {
            return Err("a personnummer of someone already born (its date is in the future)".into());
        }
        Ok(Personnummer { digits: full })
    }

    /// The year of birth.
    pub fn birth_year(&self) -> i32 {
        self.digits[0..4].parse().expect("checked digits")
    }

    /// The second-to-last digit is odd for men and even for women.
    pub fn sex(&self) -> Sex {
        let digit = self.digits.as_bytes()[10] - b'0';
        if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The keyed pseudonym of the canonical form: the same person gives the same pseudonym in every file.
    pub fn pseudonym(&self, key: &[u8]) -> String {
        pseudonym(key, &self.digits)
    }
}

/// What may stand between the parts of a personnummer as people write it: `-`, `+` (a hundred years or
/// older), a space (any space, after `fold`), a full stop, a slash.
const SEPARATORS: [char; 5] = ['-', '+', ' ', '.', '/'];

/// A character as a personnummer is read: decimal digits of other scripts (full-width, Arabic-Indic,
/// Devanagari, Bengali, Thai, mathematical; superscript, subscript and circled digits) as ASCII digits; the
/// Unicode minus, dashes and hyphens as `-`; every space, tab, zero-width, direction or other invisible
/// formatting character and combining mark as a space.
pub fn fold(c: char) -> char {
    let from = |zero: u32| char::from(b'0' + ((c as u32 - zero) % 10) as u8);
    match c {
        '\u{ff10}'..='\u{ff19}' => from(0xff10),
        '\u{0660}'..='\u{0669}' => from(0x0660),
        '\u{06f0}'..='\u{06f9}' => from(0x06f0),
        '\u{07c0}'..='\u{07c9}' => from(0x07c0),
        '\u{0966}'..='\u{096f}' => from(0x0966),
        '\u{09e6}'..='\u{09ef}' => from(0x09e6),
        '\u{0a66}'..='\u{0a6f}' => from(0x0a66),
        '\u{0ae6}'..='\u{0aef}' => from(0x0ae6),
        '\u{0b66}'..='\u{0b6f}' => from(0x0b66),
        '\u{0be6}'..='\u{0bef}' => from(0x0be6),
        '\u{0c66}'..='\u{0c6f}' => from(0x0c66),
        '\u{0ce6}'..='\u{0cef}' => from(0x0ce6),
        '\u{0d66}'..='\u{0d6f}' => from(0x0d66),
        '\u{0e50}'..='\u{0e59}' => from(0x0e50),
        '\u{0ed0}'..='\u{0ed9}' => from(0x0ed0),
        '\u{0f20}'..='\u{0f29}' => from(0x0f20),
        '\u{1040}'..='\u{1049}' => from(0x1040),
        '\u{17e0}'..='\u{17e9}' => from(0x17e0),
        '\u{1810}'..='\u{1819}' => from(0x1810),
        '\u{1d7ce}'..='\u{1d7ff}' => from(0x1d7ce),
        '\u{2080}'..='\u{2089}' => from(0x2080),
        '\u{2070}' => '0',
        '\u{00b9}' => '1',
        '\u{00b2}' => '2',
        '\u{00b3}' => '3',
        '\u{2074}'..='\u{2079}' => from(0x2070),
        '\u{2460}'..='\u{2468}' => from(0x245f),
        '\u{24ea}' => '0',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe63}' | '\u{ff0d}' => '-',
        '\u{ff0b}' => '+',
        '\u{00ad}'
        | '\u{0300}'..='\u{036f}'
        | '\u{061c}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{feff}'
        | '\u{e0000}'..='\u{e007f}' => ' ',
        c if c.is_whitespace() => ' ',
        _ => c,
    }
}

/// Whether a character is a digit of any kind: ASCII after `fold`, or any other numeric character (whose
/// value `fold` may not know), so that no digit of a personnummer is echoed in clear.
pub fn is_digit_like(c: char) -> bool {
    fold(c).is_ascii_digit() || c.is_numeric()
}

/// What may stand between the parts of a personnummer in free text, beside the column's own separators.
const TEXT_SEPARATORS: [char; 8] = ['-', '+', ' ', '.', '/', ',', '_', ':'];

/// Where a text holds what may be a personnummer or samordningsnummer: the spans, as char indices
/// `[start, end)`. Its 10 or 12 digits (of any script, `fold`) may be grouped in any way, each group
/// joined to the next by up to six separators (`19850505-1238`, `850505 - 1238`, `1985-05-05-1238`,
/// `1912 12 12 12 12`, `1912-12-12 12:12`); invisible characters between them are spaces. A number whose
/// digits are all known is found when it has a real date and a right control digit (organisation numbers,
/// month 20 or more, are not); one with a digit of a script `fold` does not know is found whatever it
/// says. A few other numbers are found too (a date and a year, `2023-01-01 2023`, one time in ten): text
/// is refused for them, never stored with a personnummer in it.
pub fn find(text: &str, today: NaiveDate) -> Vec<(usize, usize)> {
    // Digits of an unknown script become '?', counted as digits but not parsed.
    let chars: Vec<char> = text.chars().map(|c| if !fold(c).is_ascii_digit() && c.is_numeric() { '?' } else { fold(c) }).collect();
    let digit = |c: char| c.is_ascii_digit() || c == '?';
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]) {
            let start = i;
            while i < chars.len() && digit(chars[i]) {
                i += 1;
            }
            groups.push((start, i));
        } else {
            i += 1;
        }
    }
    let joined = |a: usize| {
        let (gap_start, gap_end) = (groups[a].1, groups[a + 1].0);
        gap_end - gap_start <= 6 && chars[gap_start..gap_end].iter().all(|c| TEXT_SEPARATORS.contains(c))
    };
    let may_be = |first: usize, last: usize| {
        let written: String = chars[groups[first].0..groups[last].1].iter().filter(|c| digit(**c)).collect();
        written.contains('?') || Personnummer::parse(&written, today).is_ok()
    };
    let mut found = Vec::new();
    let mut g = 0;
    while g < groups.len() {
        let mut digits = 0;
        let mut hit = None;
        for (last, (start, end)) in groups.iter().enumerate().skip(g) {
            if last > g && !joined(last - 1) {
                break;
            }
            digits += end - start;
            if digits > 12 {
                break;
            }
            if (digits == 10 || digits == 12) && may_be(g, last) {
                hit = Some(last);
                break;
            }
        }
        match hit {
            Some(last) => {
                found.push((groups[g].0, groups[last].1));
                g = last + 1;
            }
            None => g += 1,
        }
    }
    found
}

/// The Luhn check over the ten digits YYMMDDNNNC.
fn luhn_ok(ten: &str) -> bool {
    let sum: u32 = ten
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = (b - b'0') as u32;
            if i % 2 == 0 {
                let x = d * 2;
                x / 10 + x % 10
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn every_usual_form_of_the_test_number() {
        // 19121212-1212 is Skatteverket's well-known test number.
        for text in ["19121212-1212", "191212121212", "121212+1212", " 19121212 1212 "] {
            let p = Personnummer::parse(text, today()).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.birth_year(), 1912, "{text}");
            assert_eq!(p.sex(), Sex::Male);
        }
        // Without the plus, 121212-1212 is born in 2012.
        assert_eq!(Personnummer::parse("121212-1212", today()).unwrap().birth_year(), 2012);
    }

    #[test]
    fn refuses_bad_numbers_with_what_was_expected() {
        assert!(Personnummer::parse("19121212-1213", today()).unwrap_err().contains("control digit"));
        assert!(Personnummer::parse("19121312-1212", today()).unwrap_err().contains("date of birth"));
        assert!(Personnummer::parse("1212", today()).unwrap_err().contains("10 or 12 digits"));
        assert!(Personnummer::parse("19121212-12l2", today()).is_err());
    }

    proptest::proptest! {
        // Whatever a cell holds, parsing says yes or no and never panics.
        #[test]
        fn parse_takes_any_text(s in "\\PC{0,20}") {
            let _ = Personnummer::parse(&s, today());
        }

        // Every valid number is found again in each of its written forms.
        #[test]
        fn every_form_of_a_valid_number(days in 0i64..36_000, serial in 0u32..1000) {
            let born = NaiveDate::from_ymd_opt(1925, 1, 1).unwrap() + chrono::Duration::days(days);
            let nine = format!("{}{:03}", born.format("%y%m%d"), serial);
            let control = (0..10).find(|c| luhn_ok(&format!("{nine}{c}"))).unwrap();
            let twelve = format!("{}{:03}{control}", born.format("%Y%m%d"), serial);
            let canonical = Personnummer::parse(&twelve, today()).unwrap();
            let dashed = format!("{}-{:03}{control}", born.format("%Y%m%d"), serial);
            proptest::prop_assert_eq!(&Personnummer::parse(&dashed, today()).unwrap(), &canonical);
            let short = format!("{}{}{:03}{control}", born.format("%y%m%d"), if today().year() - born.year() >= 100 { "+" } else { "-" }, serial);
            proptest::prop_assert_eq!(&Personnummer::parse(&short, today()).unwrap(), &canonical);
            proptest::prop_assert_eq!(canonical.birth_year(), born.year());
        }
    }

    #[test]
    fn found_in_free_text_in_every_written_form() {
        for text in [
            "Kontakt 19850505 1238",
            "Kontakt 19850505-1238",
            "Kontakt 19850505.1238",
            "Kontakt 19850505/1238",
            "Kontakt 850505-1238.",
            "Kontakt 198505051238",
            "Kontakt \u{ff11}\u{ff19}\u{ff18}\u{ff15}\u{ff10}\u{ff15}\u{ff10}\u{ff15}-\u{ff11}\u{ff12}\u{ff13}\u{ff18}",
            "Kontakt 19850505\u{2212}1238",
            "Kontakt 19850505\u{2013}1238",
            "19850505-1238.csv",
            "19850505 - 1238.csv",
            "Kontakt 1985-05-05-1238",
            "Kontakt 1985 05 05 1238",
            "Kontakt 850505 - 1238",
            "Kontakt 19850505\u{200b}1238",
            "Kontakt 19850505\u{2009}1238",
            "Kontakt 19850505\t1238",
            "Kontakt 19121212\u{200e}-1212",
            "Kontakt 1912 12 12 12 12",
            "Kontakt 19 12 12 12 12 12",
            "Kontakt 19121212-12-12",
            "Kontakt 1912-12-12 12:12",
            "Kontakt 19121212 - - 1212",
            "Kontakt 19121212_1212",
            "Kontakt 19121212,1212",
            "Kontakt \u{09e7}\u{09ef}\u{09e7}\u{09e8}\u{09e7}\u{09e8}\u{09e7}\u{09e8}-\u{09e7}\u{09e8}\u{09e7}\u{09e8}",
            "Kontakt \u{00b9}\u{2079}\u{00b9}\u{00b2}\u{00b9}\u{00b2}\u{00b9}\u{00b2}-\u{00b9}\u{00b2}\u{00b9}\u{00b2}",
            "Kontakt \u{2460}\u{2468}\u{2460}\u{2461}\u{2460}\u{2461}\u{2460}\u{2461}-\u{2460}\u{2461}\u{2460}\u{2461}",
            "Kontakt 1\u{0301}9121212-1212",
            "Kontakt \u{0661}\u{0669}\u{0668}\u{0665}\u{0660}\u{0665}\u{0660}\u{0665}-\u{0661}\u{0662}\u{0663}\u{0668}",
        ] {
            assert_eq!(find(text, today()).len(), 1, "{text}");
        }
        for text in ["Samordningsförbundet 556677-8899", "budget 2023: 1 200 000 kr", "19850505-12380"] {
            assert!(find(text, today()).is_empty(), "{text}");
        }
        // The column reads the same forms.
        for text in [
            "19850505.1238",
            "19850505/1238",
            "19850505\u{2212}1238",
            "\u{ff11}\u{ff19}\u{ff18}\u{ff15}\u{ff10}\u{ff15}\u{ff10}\u{ff15}\u{ff11}\u{ff12}\u{ff13}\u{ff18}",
        ] {
            assert_eq!(Personnummer::parse(text, today()).unwrap().birth_year(), 1985, "{text}");
        }
    }

    #[test]
    fn samordningsnummer_and_pseudonyms() {
        // Day 12 + 60 = 72; control digit recomputed for 1212721212 -> 121272121C.
        let ten = "121272121";
        let c = (0..10).find(|c| luhn_ok(&format!("{ten}{c}"))).unwrap();
        let p = Personnummer::parse(&format!("19121272-121{c}"), today()).unwrap();
        assert_eq!(p.birth_year(), 1912);
        let a = Personnummer::parse("19121212-1212", today()).unwrap();
        let b = Personnummer::parse("121212+1212", today()).unwrap();
        assert_eq!(a.pseudonym(b"k"), b.pseudonym(b"k"), "one person, one pseudonym, whatever the form");
        assert_ne!(a.pseudonym(b"k"), a.pseudonym(b"other key"));
        assert!(!a.pseudonym(b"k").contains("1212"));
    }
}
