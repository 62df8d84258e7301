//! What an error message may echo of a value: never a personnummer (in any grouping or script), never a
//! long number, never more than a short piece of the text.

use super::personnummer;

/// Whether `text` has the shape of a pseudonym (hex HMAC-SHA256), so nothing else, a personnummer least of
/// all, is stored as one.
pub(super) fn is_pseudonym(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// At most this many characters of a value are echoed in an error.
pub(super) const ECHO_LENGTH: usize = 60;

/// A value as an error may echo it: on one line, at most `ECHO_LENGTH` characters, and every run of 10 or
/// more digits masked (`mask_long_numbers`), since it may be a personnummer or samordningsnummer that landed
/// in the wrong column or line.
pub fn redact(text: &str) -> String {
    let masked: Vec<char> = mask_personnummer(&mask_long_numbers(text)).chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut out: String = masked.iter().take(ECHO_LENGTH).collect();
    if masked.len() > ECHO_LENGTH {
        out.push('…');
    }
    out
}

/// Whether a text holds a personnummer or samordningsnummer (a run of 10 or 12 digits that passes the
/// date and control-digit checks), wherever it stands. Organisation numbers (month 20 or more) and most
/// phone numbers do not pass.
pub fn has_personnummer(text: &str) -> bool {
    !personnummer::find(text, chrono::Local::now().date_naive()).is_empty()
}

/// `text` with the digits of every personnummer in it (in any form the personnummer column accepts)
/// masked as `#`: for every message that may echo a value or a file name.
pub fn mask_personnummer(text: &str) -> String {
    let spans = personnummer::find(text, chrono::Local::now().date_naive());
    if spans.is_empty() {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    for (start, end) in spans {
        for c in &mut chars[start..end] {
            if personnummer::is_digit_like(*c) {
                *c = '#';
            }
        }
    }
    chars.into_iter().collect()
}

/// Where the digit runs of `chars` start and end.
fn digit_run_spans(chars: &[char]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len()
            && (chars[j].is_ascii_digit() || (matches!(chars[j], '-' | '+') && j + 1 < chars.len() && chars[j + 1].is_ascii_digit()))
        {
            j += 1;
        }
        spans.push((i, j));
        i = j;
    }
    spans
}

/// Every run of 10 or more digits (a - or + may stand between them, as after a personnummer's date) with
/// its digits written '#'.
fn mask_long_numbers(text: &str) -> String {
    // Digits of any script count as digits (`personnummer::fold`).
    let folded: Vec<char> = text.chars().map(|c| if personnummer::is_digit_like(c) { '0' } else { personnummer::fold(c) }).collect();
    let mut out: Vec<char> = text.chars().collect();
    for (i, j) in digit_run_spans(&folded) {
        if folded[i..j].iter().filter(|c| c.is_ascii_digit()).count() >= 10 {
            for (c, f) in out[i..j].iter_mut().zip(&folded[i..j]) {
                if f.is_ascii_digit() {
                    *c = '#';
                }
            }
        }
    }
    out.into_iter().collect()
}
