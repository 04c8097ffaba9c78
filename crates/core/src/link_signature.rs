//! Signed, expiring links that need no bearer token: HMAC-SHA256 over what
//! the link names and when it expires, under a key only the server holds.
//! Teamtailor fetches a signed contract file through one (SPEC B3).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// HMAC-SHA256 of `message` under `key`. HMAC takes keys of any length; were one refused, the
/// result would be empty, and nothing verifies against an empty signature.
fn mac(key: &[u8], message: &str) -> Vec<u8> {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return Vec::new() };
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// A key for one purpose (`label`) derived from a master key, so a link's key opens nothing else.
pub fn derive(master: &[u8], label: &str) -> [u8; 32] {
    mac(master, label).try_into().unwrap_or([0; 32])
}

/// The signature of `subject` (what the link names) valid until `expires` (Unix seconds), hex.
pub fn sign(key: &[u8], subject: &str, expires: i64) -> String {
    mac(key, &format!("{subject}.{expires}")).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `signature` signs `subject` until `expires`, and `expires` is not past `now`.
pub fn verify(key: &[u8], subject: &str, expires: i64, signature: &str, now: i64) -> bool {
    let expected = sign(key, subject, expires);
    let same: bool = expected.as_bytes().ct_eq(signature.trim().to_ascii_lowercase().as_bytes()).into();
    same && !expected.is_empty() && now <= expires
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_verifies_until_it_expires_and_only_for_what_it_names() {
        let key = derive(b"master", "contract files");
        assert_ne!(key, derive(b"master", "something else"));
        let sig = sign(&key, "ws.ctr_1", 100);
        assert!(verify(&key, "ws.ctr_1", 100, &sig, 100));
        assert!(verify(&key, "ws.ctr_1", 100, &sig.to_uppercase(), 99));
        assert!(!verify(&key, "ws.ctr_1", 100, &sig, 101), "expired");
        assert!(!verify(&key, "ws.ctr_2", 100, &sig, 50), "another contract");
        assert!(!verify(&key, "ws.ctr_1", 200, &sig, 50), "a later expiry");
        assert!(!verify(&derive(b"other", "contract files"), "ws.ctr_1", 100, &sig, 50), "another key");
        assert!(!verify(&key, "ws.ctr_1", 100, "", 50));
    }
}
