//! Standard Webhooks signatures (symmetric, `v1`): the secret is `whsec_`
//! and the base64 of its key bytes; a signature is `v1,` and the base64 of
//! HMAC-SHA256 over `"{webhook-id}.{webhook-timestamp}.{body}"`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::SecretString;
use sha2::Sha256;

/// How a signing secret starts.
pub const SECRET_PREFIX: &str = "whsec_";

/// Random bytes in a new secret (the specification asks for 24 to 64).
const SECRET_BYTES: usize = 32;

/// How far a receiver lets a signed timestamp stray from its clock, as the reference libraries do.
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// A new signing secret, `whsec_<base64 of 32 random bytes>`.
pub fn new_secret() -> SecretString {
    let mut key = [0u8; SECRET_BYTES];
    rand::thread_rng().fill_bytes(&mut key);
    SecretString::from(format!("{SECRET_PREFIX}{}", STANDARD.encode(key)))
}

/// The key bytes of a secret, given with or without its prefix; none when it is not base64.
pub fn key(secret: &str) -> Option<Vec<u8>> {
    let text = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    STANDARD.decode(text).ok().filter(|k| !k.is_empty())
}

fn mac(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail; an empty MAC would only fail to verify.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable_mac());
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

#[allow(clippy::unwrap_used)] // HMAC accepts every key length, the empty one included.
fn unreachable_mac() -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(&[]).unwrap()
}

/// The `webhook-signature` value for a message: `v1,<base64>`.
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    format!("v1,{}", STANDARD.encode(mac(key, id, timestamp, body).finalize().into_bytes()))
}

/// Whether any `v1` entry of a `webhook-signature` header signs the message under `key`, and
/// its timestamp is within [`TOLERANCE_SECS`] of `now` (Unix seconds). Compared in constant time.
pub fn verify(key: &[u8], id: &str, timestamp: i64, body: &[u8], header: &str, now: i64) -> bool {
    if (now - timestamp).abs() > TOLERANCE_SECS {
        return false;
    }
    header
        .split(' ')
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .any(|b64| STANDARD.decode(b64).is_ok_and(|given| mac(key, id, timestamp, body).verify_slice(&given).is_ok()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    /// The vector from the Standard Webhooks reference library's tests (shared/providers/standard-webhooks.md).
    const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    const ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
    const TS: i64 = 1_649_367_553;
    const BODY: &str = r#"{"email":"test@example.com","username":"test_user"}"#;
    const SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

    #[test]
    fn the_reference_vector_signs_and_verifies() {
        let key = key(SECRET).unwrap();
        assert_eq!(sign(&key, ID, TS, BODY.as_bytes()), SIGNATURE);
        assert!(verify(&key, ID, TS, BODY.as_bytes(), SIGNATURE, TS + 10));
        let rotated = format!("v1,bm90IGl0 {SIGNATURE}");
        assert!(verify(&key, ID, TS, BODY.as_bytes(), &rotated, TS), "any entry of several may match");
    }

    #[test]
    fn a_changed_body_id_or_stale_timestamp_fails() {
        let key = key(SECRET).unwrap();
        assert!(!verify(&key, ID, TS, b"{}", SIGNATURE, TS));
        assert!(!verify(&key, "msg_other", TS, BODY.as_bytes(), SIGNATURE, TS));
        assert!(!verify(&key, ID, TS, BODY.as_bytes(), SIGNATURE, TS + TOLERANCE_SECS + 1));
        assert!(!verify(&key, ID, TS, BODY.as_bytes(), "v1a,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=", TS));
    }

    #[test]
    fn new_secrets_carry_the_prefix_and_enough_random_bytes() {
        let a = new_secret();
        let b = new_secret();
        assert!(a.expose_secret().starts_with(SECRET_PREFIX));
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert_eq!(key(a.expose_secret()).unwrap().len(), SECRET_BYTES);
        assert!(key("whsec_").is_none() && key("whsec_!!").is_none());
    }
}
