//! Signing and verifying hiresync's webhooks, per the Standard Webhooks
//! specification: the worker signs each delivery, and receivers (through
//! `hiresync-client`) verify it. Each delivery carries `webhook-id`, `webhook-timestamp` and `webhook-signature`
//! (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, several entries while a
//! secret rotates), keyed by the endpoint's `whsec_<base64>` secret.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How far a delivery's timestamp may stand from the receiver's clock, either way.
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// The id header.
pub const HEADER_ID: &str = "webhook-id";
/// The timestamp header (Unix seconds).
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// The signature header.
pub const HEADER_SIGNATURE: &str = "webhook-signature";

/// Why a delivery was not accepted.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The secret is not `whsec_` followed by base64.
    #[error("the secret is not whsec_<base64>")]
    Secret,
    /// A header is missing or unreadable.
    #[error("missing or malformed {0} header")]
    Header(&'static str),
    /// The timestamp is too far from now: an old delivery replayed, or a clock far off.
    #[error("timestamp outside the tolerance")]
    Timestamp,
    /// No signature matches.
    #[error("no matching signature")]
    Signature,
}

/// An endpoint's signing secret.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    /// Reads `whsec_<base64>` (the prefix may be left off).
    pub fn parse(secret: &str) -> Result<Self, VerifyError> {
        let raw = secret.trim().strip_prefix("whsec_").unwrap_or(secret.trim());
        let key = STANDARD.decode(raw).map_err(|_| VerifyError::Secret)?;
        if key.is_empty() {
            return Err(VerifyError::Secret);
        }
        Ok(Self(key))
    }

    /// A secret of these bytes.
    pub fn from_bytes(key: Vec<u8>) -> Self {
        Self(key)
    }

    /// As shown to users: `whsec_<base64>`.
    pub fn expose(&self) -> String {
        format!("whsec_{}", STANDARD.encode(&self.0))
    }

    /// The `webhook-signature` value for a delivery: `v1,<base64>`.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        format!("v1,{}", STANDARD.encode(self.mac(id, timestamp, body)))
    }

    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
        // HMAC takes keys of any length; were one refused, nothing would verify against the empty MAC.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else { return Vec::new() };
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.finalize().into_bytes().to_vec()
    }

    /// Checks a delivery's headers (by name, case-insensitively) against its raw body at `now`
    /// (Unix seconds). Verify the bytes as received, before parsing them.
    pub fn verify<'a>(
        &self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &[u8],
        now: i64,
    ) -> Result<(), VerifyError> {
        let (mut id, mut timestamp, mut signature) = (None, None, None);
        for (name, value) in headers {
            match name.to_ascii_lowercase().as_str() {
                HEADER_ID => id = Some(value),
                HEADER_TIMESTAMP => timestamp = Some(value),
                HEADER_SIGNATURE => signature = Some(value),
                _ => {}
            }
        }
        let id = id.filter(|v| !v.is_empty()).ok_or(VerifyError::Header(HEADER_ID))?;
        let timestamp: i64 =
            timestamp.and_then(|t| t.trim().parse().ok()).ok_or(VerifyError::Header(HEADER_TIMESTAMP))?;
        let signature = signature.ok_or(VerifyError::Header(HEADER_SIGNATURE))?;
        if (now - timestamp).abs() > TOLERANCE_SECS {
            return Err(VerifyError::Timestamp);
        }
        let expected = self.mac(id, timestamp, body);
        let matches = signature
            .split_whitespace()
            .filter_map(|entry| entry.strip_prefix("v1,"))
            .filter_map(|b64| STANDARD.decode(b64).ok())
            .any(|given| bool::from(given.ct_eq(&expected)));
        if matches { Ok(()) } else { Err(VerifyError::Signature) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The reference implementation's own test vector.
    const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    const ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
    const TS: i64 = 1649367553;
    const BODY: &[u8] = br#"{"email":"test@example.com","username":"test_user"}"#;
    const SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

    fn headers(signature: &str) -> Vec<(&str, &str)> {
        vec![("Webhook-Id", ID), ("webhook-timestamp", "1649367553"), ("webhook-signature", signature)]
    }

    #[test]
    fn signs_and_verifies_the_reference_vector() {
        let secret = Secret::parse(SECRET).unwrap();
        assert_eq!(secret.sign(ID, TS, BODY), SIGNATURE);
        assert_eq!(secret.expose(), SECRET);
        assert_eq!(secret.verify(headers(SIGNATURE), BODY, TS + 10), Ok(()));
        let rotating = format!("v1,AAAA {SIGNATURE}");
        assert_eq!(secret.verify(headers(&rotating), BODY, TS), Ok(()), "any entry may match");
    }

    #[test]
    fn refuses_what_was_not_signed_so() {
        let secret = Secret::parse(SECRET).unwrap();
        assert_eq!(secret.verify(headers(SIGNATURE), b"{}", TS), Err(VerifyError::Signature));
        assert_eq!(secret.verify(headers(SIGNATURE), BODY, TS + 301), Err(VerifyError::Timestamp));
        assert_eq!(secret.verify(headers(SIGNATURE), BODY, TS - 301), Err(VerifyError::Timestamp));
        assert_eq!(secret.verify(headers("v2,abc"), BODY, TS), Err(VerifyError::Signature));
        assert_eq!(secret.verify(vec![("webhook-id", ID)], BODY, TS), Err(VerifyError::Header(HEADER_TIMESTAMP)));
        let other = Secret::from_bytes(vec![7; 24]);
        assert_eq!(other.verify(headers(SIGNATURE), BODY, TS), Err(VerifyError::Signature));
        assert_eq!(Secret::parse("whsec_not base64!").unwrap_err(), VerifyError::Secret);
    }
}
