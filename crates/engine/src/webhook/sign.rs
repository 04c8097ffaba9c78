//! New endpoint secrets; signing itself is `hiresync_core::webhook_signature`, the same code
//! receivers verify with through `hiresync-client`.

use hiresync_core::webhook_signature::Secret;
use rand::RngCore;
use secrecy::SecretString;

/// Random bytes in a new secret (the specification asks for 24 to 64).
const SECRET_BYTES: usize = 32;

/// A new signing secret, `whsec_<base64 of 32 random bytes>`.
pub fn new_secret() -> SecretString {
    let mut key = vec![0u8; SECRET_BYTES];
    rand::thread_rng().fill_bytes(&mut key);
    SecretString::from(Secret::from_bytes(key).expose())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn new_secrets_are_whsec_and_differ() {
        let (a, b) = (new_secret(), new_secret());
        assert!(a.expose_secret().starts_with("whsec_"));
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert!(Secret::parse(a.expose_secret()).is_ok());
    }
}
