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
        let trimmed = text.trim();
        let plus = trimmed.contains('+');
        let digits: String = trimmed.chars().filter(|c| c.is_ascii_digit()).collect();
        if trimmed.chars().any(|c| !(c.is_ascii_digit() || c == '-' || c == '+' || c == ' ')) {
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
