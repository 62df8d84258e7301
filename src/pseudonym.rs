//! Keyed pseudonyms: a person is known to the database only by HMAC-SHA256(key, identity), so the
//! identity (a personnummer) cannot be read back or recomputed without the federation's key.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The hex HMAC-SHA256 of `identity` under `key`.
pub fn pseudonym(key: &[u8], identity: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(identity.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc4231_test_case_2() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(pseudonym(b"Jefe", "what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn depends_on_the_key() {
        assert_ne!(pseudonym(b"a", "19121212-1212"), pseudonym(b"b", "19121212-1212"));
    }
}
