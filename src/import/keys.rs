//! The pseudonym key: read from a file or FINSAM_KEY, its byte-order mark and line end taken off, refused
//! when it is too weak to keep a personnummer from being guessed, checked against the one a database was
//! imported with, and written new.

use std::path::Path;

use crate::error::{FinsamError, Result};
use crate::model::Model;

/// The pseudonym key: the bytes of `key_file`, else the environment variable FINSAM_KEY.
pub fn key(key_file: Option<&Path>) -> Result<Vec<u8>> {
    key_from(None, key_file)?.ok_or_else(|| {
        FinsamError::invalid("a key is needed to pseudonymise personnummer: set FINSAM_KEY or give --key-file (keep it outside the database)")
    })
}

/// A key file is a line of text: larger is not a key (and is not read into memory).
const LARGEST_KEY_FILE: u64 = 4096;

/// The pseudonym key from the first source there is: `given` (Python's key=), `key_file`, the environment
/// variable FINSAM_KEY; `None` when there is none. Every source is read the same way (`normalise_key`), so
/// one key gives one set of pseudonyms wherever it was typed.
pub fn key_from(given: Option<&[u8]>, key_file: Option<&Path>) -> Result<Option<Vec<u8>>> {
    let (raw, source) = match (given, key_file) {
        (Some(bytes), _) => (bytes.to_vec(), "the key".to_string()),
        (None, Some(path)) => {
            (key_file_text(&crate::files::read_regular(path, LARGEST_KEY_FILE, "key file")?), format!("the key file {}", path.display()))
        }
        (None, None) => match std::env::var_os("FINSAM_KEY") {
            Some(value) => (value.into_encoded_bytes(), "FINSAM_KEY".to_string()),
            None => return Ok(None),
        },
    };
    normalise_key(&raw).map(Some).map_err(|problem| FinsamError::invalid(format!("{source}: {problem}")))
}

/// A key file's text as UTF-8: Notepad's byte-order mark dropped, UTF-16 (PowerShell's `>`) decoded, so
/// the key in a file is the key typed into FINSAM_KEY.
pub(super) fn key_file_text(bytes: &[u8]) -> Vec<u8> {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) => encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned().into_bytes(),
        None => bytes.to_vec(),
    }
}

/// A key as it is used: without the spaces, tabs and line ends around it (a file's last newline, a space
/// pasted before a variable's value), at least 16 characters, and not easy to guess.
pub fn normalise_key(raw: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let key = raw.trim_ascii();
    if key.len() < 16 {
        return Err(format!(
            "the pseudonym key must be at least 16 characters long (it has {}); make one with `finsam key new --out FILE`",
            key.len()
        ));
    }
    let bits = estimated_bits(key);
    if bits < MIN_KEY_BITS {
        return Err(format!(
            "the pseudonym key is too easy to guess (about {bits:.0} bits by its letters' frequencies and runs; at least {MIN_KEY_BITS:.0} are needed): anyone holding the database could try keys until the pseudonyms match. Make one with `finsam key new --out FILE`"
        ));
    }
    Ok(key.to_vec())
}

/// The fewest bits a key must carry (by `estimated_bits`): 16 random hexadecimal characters carry 64.
const MIN_KEY_BITS: f64 = 64.0;

/// An upper estimate of the key's entropy: its length times the Shannon entropy of its bytes'
/// frequencies. `aaaaaaaaaaaaaaaa` carries 0 bits, `abababababababab` 16, a key of `finsam key new` 256.
pub(super) fn estimated_bits(key: &[u8]) -> f64 {
    let mut counts = [0usize; 256];
    for b in key {
        counts[*b as usize] += 1;
    }
    let n = key.len() as f64;
    let per_byte: f64 = counts.iter().filter(|c| **c > 0).map(|c| (*c as f64 / n) * -(*c as f64 / n).log2()).sum();
    (per_byte * n).min(pattern_bits(key))
}

/// The keyboard's rows, for runs such as `qwerty` and `asdfgh`.
const KEYBOARD_ROWS: [&[u8]; 4] = [b"1234567890", b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];

/// An estimate that sees runs: each character carries the bits of the kinds of character the key uses
/// (lower case, capitals, digits, others), except one that repeats, steps by one from (`abcd`, `4321`) or
/// stands beside the one before on a keyboard row: that carries one bit. `abcdefghijklmnop` carries about
/// 20 bits, `0123456789abcdef` about 24, a key of `finsam key new` (64 hex characters) about 300.
pub(super) fn pattern_bits(key: &[u8]) -> f64 {
    let kinds = [key.iter().any(u8::is_ascii_lowercase), key.iter().any(u8::is_ascii_uppercase), key.iter().any(u8::is_ascii_digit)];
    let others = key.iter().any(|b| !b.is_ascii_alphanumeric());
    let alphabet = [26.0, 26.0, 10.0].iter().zip(kinds).filter(|(_, used)| *used).map(|(n, _)| n).sum::<f64>() + if others { 33.0 } else { 0.0 };
    let full = alphabet.max(2.0).log2();
    let beside = |a: u8, b: u8| {
        let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
        a == b || a.abs_diff(b) == 1 || KEYBOARD_ROWS.iter().any(|row| row.windows(2).any(|w| (w[0] == a && w[1] == b) || (w[0] == b && w[1] == a)))
    };
    key.iter().enumerate().map(|(i, b)| if i > 0 && beside(key[i - 1], *b) { 1.0 } else { full }).sum()
}

/// What `dataset_info` calls the key check value: an HMAC of a fixed label under the key the database's
/// pseudonyms were made with. It tells a wrong key from a right one without revealing the key.
pub const KEY_CHECK: &str = "pseudonym_key_check";

pub(super) fn key_check_value(key: &[u8]) -> String {
    crate::pseudonym::pseudonym(key, "finsam pseudonym key check, version 1")
}

/// Refuses a key other than the one the database's pseudonyms were made with (recorded at the first import
/// that used a key). A wrong key would silently make new people of known ones, and `forget` would find no
/// one.
pub fn check_key(model: &Model, key: &[u8]) -> Result<()> {
    match model.dataset_info(KEY_CHECK)? {
        Some(recorded) if recorded != key_check_value(key) => Err(FinsamError::invalid(
            "this is not the key this database's pseudonyms were made with (its key check differs): use the federation's key; nothing was changed",
        )),
        _ => Ok(()),
    }
}

/// Records the key's check value at the first import that uses a key.
pub(super) fn record_key_check(conn: &duckdb::Connection, key: &[u8]) -> Result<()> {
    conn.execute("INSERT INTO dataset_info (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING", [KEY_CHECK, &key_check_value(key)])
        .map_err(FinsamError::db("recording the key check"))?;
    Ok(())
}

/// A warning when a key file can be read by others than its owner (unix permissions), else `None`.
pub fn key_file_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return Some(format!("warning: the key file {} can be read by others (mode {:o}); chmod 600 it", path.display(), mode & 0o777));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    None
}

/// A new key: 32 random bytes, written as 64 hex characters to `path` (created with mode 0600; an existing
/// file is never overwritten).
pub fn new_key_file(path: &Path) -> Result<()> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| FinsamError::invalid(format!("cannot get random bytes for a key: {e}")))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let io = |source| FinsamError::Io { path: path.to_path_buf(), source };
    let mut file = options.open(path).map_err(io)?;
    std::io::Write::write_all(&mut file, format!("{}\n", hex::encode(bytes)).as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)
}
