//! Signed, expiring links that need no bearer token: HMAC-SHA256 over what
//! the link names and when it expires, under a key only the server holds.
//! Teamtailor fetches a signed contract file through one (SPEC B3).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

fn mac(key: &[u8], message: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length; the error case cannot happen.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable_key());
    mac.update(message.as_bytes());
    mac
}

#[allow(clippy::panic)]
fn unreachable_key() -> Hmac<Sha256> {
    panic!("HMAC-SHA256 accepts keys of every length")
}

/// A key for one purpose (`label`) derived from a master key, so a link's key opens nothing else.
pub fn derive(master: &[u8], label: &str) -> [u8; 32] {
    mac(master, label).finalize().into_bytes().into()
}

/// The signature of `subject` (what the link names) valid until `expires` (Unix seconds), hex.
pub fn sign(key: &[u8], subject: &str, expires: i64) -> String {
    mac(key, &format!("{subject}.{expires}")).finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `signature` signs `subject` until `expires`, and `expires` is not past `now`.
pub fn verify(key: &[u8], subject: &str, expires: i64, signature: &str, now: i64) -> bool {
    let expected = sign(key, subject, expires);
    let same: bool = expected.as_bytes().ct_eq(signature.trim().to_ascii_lowercase().as_bytes()).into();
    same && now <= expires
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
