//! Sealing provider credentials at rest: XChaCha20-Poly1305 under a master key,
//! a fresh random nonce per seal, and the connection id as associated data so a
//! sealed blob cannot be moved to another connection. The key id stored beside
//! each blob lets the key be rotated.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretBox, SecretString};
use sha2::{Digest, Sha256};
use std::path::Path;

const NONCE_LEN: usize = 24;

/// Why a key could not be loaded or a blob opened.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The key given is not 32 bytes of base64.
    #[error("HIRESYNC_MASTER_KEY must be 32 bytes in base64 (make one with `openssl rand -base64 32`)")]
    BadKey,
    /// The key file could not be read or created.
    #[error("master key file {path}: {source}")]
    KeyFile {
        /// Which file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The blob was sealed under a key this server does not hold.
    #[error("credentials were sealed with key {0}, which this server does not hold")]
    UnknownKey(String),
    /// The blob is damaged or belongs to another connection.
    #[error("sealed credentials do not open: damaged or moved")]
    Corrupt,
}

/// The master key and its id.
pub struct Vault {
    key: SecretBox<[u8; 32]>,
    key_id: String,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

impl Vault {
    /// A vault from 32 raw key bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        let key_id = hex::encode(&Sha256::digest(bytes)[..4]);
        Self { key: SecretBox::new(Box::new(bytes)), key_id }
    }

    /// A vault from the base64 text of `HIRESYNC_MASTER_KEY`.
    pub fn from_base64(text: &SecretString) -> Result<Self, VaultError> {
        let raw = B64.decode(text.expose_secret().trim()).map_err(|_| VaultError::BadKey)?;
        let bytes: [u8; 32] = raw.try_into().map_err(|_| VaultError::BadKey)?;
        Ok(Self::from_bytes(bytes))
    }

    /// Loads the key file, creating it (mode 0600) with a random key on first run.
    pub fn from_file(path: &Path) -> Result<Self, VaultError> {
        let err = |source| VaultError::KeyFile { path: path.display().to_string(), source };
        match std::fs::read_to_string(path) {
            Ok(text) => Self::from_base64(&SecretString::from(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key: [u8; 32] = XChaCha20Poly1305::generate_key(&mut OsRng).into();
                write_private(path, &B64.encode(key)).map_err(err)?;
                Ok(Self::from_bytes(key))
            }
            Err(e) => Err(err(e)),
        }
    }

    /// The id stored with every blob this vault seals.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Seals `secret` for one connection; base64 of nonce and ciphertext.
    pub fn seal(&self, connection_id: &str, secret: &SecretString) -> String {
        let cipher = XChaCha20Poly1305::new(self.key.expose_secret().into());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = Payload { msg: secret.expose_secret().as_bytes(), aad: connection_id.as_bytes() };
        // Encryption only fails for messages beyond the cipher's limit (256 GiB).
        let sealed = cipher.encrypt(&nonce, payload).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(sealed);
        B64.encode(out)
    }

    /// Opens a blob sealed for `connection_id` under key `key_id`.
    pub fn open(&self, connection_id: &str, key_id: &str, sealed: &str) -> Result<SecretString, VaultError> {
        if key_id != self.key_id {
            return Err(VaultError::UnknownKey(key_id.to_owned()));
        }
        let raw = B64.decode(sealed).map_err(|_| VaultError::Corrupt)?;
        if raw.len() <= NONCE_LEN {
            return Err(VaultError::Corrupt);
        }
        let (nonce, ct) = raw.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new(self.key.expose_secret().into());
        let plain = cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: connection_id.as_bytes() })
            .map_err(|_| VaultError::Corrupt)?;
        String::from_utf8(plain).map(SecretString::from).map_err(|_| VaultError::Corrupt)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn sealed_credentials_open_only_for_their_connection() {
        let v = Vault::from_bytes([7; 32]);
        let a = v.seal("conn_a", &secret(r#"{"api_key":"k"}"#));
        let b = v.seal("conn_a", &secret(r#"{"api_key":"k"}"#));
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.contains("api_key"));
        assert_eq!(v.open("conn_a", v.key_id(), &a).unwrap().expose_secret(), r#"{"api_key":"k"}"#);
        assert!(matches!(v.open("conn_b", v.key_id(), &a), Err(VaultError::Corrupt)));
        assert!(matches!(v.open("conn_a", "other", &a), Err(VaultError::UnknownKey(_))));
        assert!(matches!(v.open("conn_a", v.key_id(), "AAAA"), Err(VaultError::Corrupt)));
    }

    #[test]
    fn key_file_is_created_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hiresync.key");
        let first = Vault::from_file(&path).unwrap();
        let again = Vault::from_file(&path).unwrap();
        assert_eq!(first.key_id(), again.key_id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(format!("{first:?}").contains("key_id"));
        assert!(matches!(Vault::from_base64(&secret("c2hvcnQ=")), Err(VaultError::BadKey)));
    }
}
