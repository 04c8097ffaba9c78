//! Sealing provider credentials at rest: XChaCha20-Poly1305 under a master key,
//! a fresh random nonce per seal, and the connection id as associated data so a
//! sealed blob cannot be moved to another connection. The key id stored beside
//! each blob lets the key be rotated: a vault seals under its current key and
//! opens under whichever of its keys the blob names.

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
    /// One of the old keys is not 32 bytes of base64.
    #[error("HIRESYNC_MASTER_KEYS_OLD: its key number {0} is not 32 bytes in base64")]
    BadOldKey(usize),
    /// The key file could not be read or created.
    #[error("master key file {path}: {source}")]
    KeyFile {
        /// Which file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The key file can be read by others than its owner.
    #[error("master key file {0} can be read by group or others; make it private with `chmod 600 {0}`")]
    KeyFileOpen(String),
    /// The blob was sealed under a key this server does not hold.
    #[error(
        "credentials were sealed with key {0}, which this server does not hold \
         (give that key in HIRESYNC_MASTER_KEYS_OLD, then run `hiresync rekey`)"
    )]
    UnknownKey(String),
    /// The blob is damaged or belongs to another connection.
    #[error("sealed credentials do not open: damaged or moved")]
    Corrupt,
}

/// One 32-byte key and its id.
struct MasterKey {
    bytes: SecretBox<[u8; 32]>,
    id: String,
}

impl MasterKey {
    fn new(bytes: [u8; 32]) -> Self {
        let id = hex::encode(&Sha256::digest(bytes)[..4]);
        Self { bytes: SecretBox::new(Box::new(bytes)), id }
    }

    fn parse(text: &str) -> Option<Self> {
        let raw = B64.decode(text.trim()).ok()?;
        raw.try_into().ok().map(Self::new)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.bytes.expose_secret().into())
    }
}

/// The current master key, which seals, and old ones that still open what they sealed.
pub struct Vault {
    current: MasterKey,
    old: Vec<MasterKey>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let old: Vec<&str> = self.old.iter().map(|k| k.id.as_str()).collect();
        f.debug_struct("Vault").field("key_id", &self.current.id).field("old_key_ids", &old).finish_non_exhaustive()
    }
}

impl Vault {
    /// A vault from 32 raw key bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self { current: MasterKey::new(bytes), old: Vec::new() }
    }

    /// A vault from the base64 text of `HIRESYNC_MASTER_KEY`.
    pub fn from_base64(text: &SecretString) -> Result<Self, VaultError> {
        let current = MasterKey::parse(text.expose_secret()).ok_or(VaultError::BadKey)?;
        Ok(Self { current, old: Vec::new() })
    }

    /// Loads the key file, creating it (mode 0600) with a random key on first run; refuses a
    /// file that group or others can read, since it opens every stored credential.
    pub fn from_file(path: &Path) -> Result<Self, VaultError> {
        let err = |source| VaultError::KeyFile { path: path.display().to_string(), source };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                check_private(path)?;
                let current = MasterKey::parse(&text).ok_or_else(|| {
                    err(std::io::Error::new(std::io::ErrorKind::InvalidData, "does not hold 32 bytes in base64"))
                })?;
                Ok(Self { current, old: Vec::new() })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key: [u8; 32] = XChaCha20Poly1305::generate_key(&mut OsRng).into();
                write_private(path, &B64.encode(key)).map_err(err)?;
                Ok(Self::from_bytes(key))
            }
            Err(e) => Err(err(e)),
        }
    }

    /// Also opens blobs sealed under `old`: comma-separated base64 keys, as
    /// `HIRESYNC_MASTER_KEYS_OLD` gives them. Seals stay under the current key.
    pub fn with_old_keys(mut self, old: &SecretString) -> Result<Self, VaultError> {
        let texts = old.expose_secret().split(',').map(str::trim).filter(|t| !t.is_empty());
        for (i, text) in texts.enumerate() {
            let key = MasterKey::parse(text).ok_or(VaultError::BadOldKey(i + 1))?;
            if self.find(&key.id).is_none() {
                self.old.push(key);
            }
        }
        Ok(self)
    }

    /// A key for one purpose derived from the current master key (signed links, say): it
    /// changes when the master key does, and reveals nothing of it.
    pub fn derive(&self, label: &str) -> [u8; 32] {
        hiresync_core::link_signature::derive(self.current.bytes.expose_secret(), label)
    }

    /// The id stored with every blob this vault seals: the current key's.
    pub fn key_id(&self) -> &str {
        &self.current.id
    }

    fn find(&self, key_id: &str) -> Option<&MasterKey> {
        std::iter::once(&self.current).chain(&self.old).find(|k| k.id == key_id)
    }

    /// Seals `secret` for one connection under the current key; base64 of nonce and ciphertext.
    pub fn seal(&self, connection_id: &str, secret: &SecretString) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = Payload { msg: secret.expose_secret().as_bytes(), aad: connection_id.as_bytes() };
        // Encryption only fails for messages beyond the cipher's limit (256 GiB).
        let sealed = self.current.cipher().encrypt(&nonce, payload).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(sealed);
        B64.encode(out)
    }

    /// Opens a blob sealed for `connection_id` under key `key_id`, current or old.
    pub fn open(&self, connection_id: &str, key_id: &str, sealed: &str) -> Result<SecretString, VaultError> {
        let key = self.find(key_id).ok_or_else(|| VaultError::UnknownKey(key_id.to_owned()))?;
        let raw = B64.decode(sealed).map_err(|_| VaultError::Corrupt)?;
        if raw.len() <= NONCE_LEN {
            return Err(VaultError::Corrupt);
        }
        let (nonce, ct) = raw.split_at(NONCE_LEN);
        let plain = key
            .cipher()
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: connection_id.as_bytes() })
            .map_err(|_| VaultError::Corrupt)?;
        String::from_utf8(plain).map(SecretString::from).map_err(|_| VaultError::Corrupt)
    }
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), VaultError> {
    use std::os::unix::fs::PermissionsExt;
    let meta =
        std::fs::metadata(path).map_err(|source| VaultError::KeyFile { path: path.display().to_string(), source })?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(VaultError::KeyFileOpen(path.display().to_string()));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), VaultError> {
    Ok(())
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
        write_private(&dir.path().join("short.key"), "c2hvcnQ=").unwrap();
        let e = Vault::from_file(&dir.path().join("short.key")).unwrap_err();
        assert!(e.to_string().contains("short.key: does not hold 32 bytes"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hiresync.key");
        let made = Vault::from_file(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let e = Vault::from_file(&path).unwrap_err();
        assert!(matches!(e, VaultError::KeyFileOpen(_)), "{e:?}");
        let shown = e.to_string();
        assert!(shown.contains(&path.display().to_string()) && shown.contains("chmod 600"), "{shown}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert_eq!(Vault::from_file(&path).unwrap().key_id(), made.key_id(), "owner-only read is fine");
    }

    fn b64(bytes: [u8; 32]) -> String {
        B64.encode(bytes)
    }

    #[test]
    fn old_keys_open_what_they_sealed_and_seals_use_the_current_key() {
        let a = Vault::from_bytes([1; 32]);
        let by_a = a.seal("conn_a", &secret("under a"));
        let b = Vault::from_bytes([2; 32]);
        let by_b = b.seal("conn_b", &secret("under b"));
        let both =
            Vault::from_bytes([3; 32]).with_old_keys(&secret(&format!(" {} ,{}", b64([1; 32]), b64([2; 32])))).unwrap();
        assert_eq!(both.open("conn_a", a.key_id(), &by_a).unwrap().expose_secret(), "under a");
        assert_eq!(both.open("conn_b", b.key_id(), &by_b).unwrap().expose_secret(), "under b");
        let current = Vault::from_bytes([3; 32]);
        assert_eq!(both.key_id(), current.key_id());
        let resealed = both.seal("conn_a", &secret("under c"));
        assert_eq!(current.open("conn_a", current.key_id(), &resealed).unwrap().expose_secret(), "under c");
        assert!(matches!(a.open("conn_a", current.key_id(), &resealed), Err(VaultError::UnknownKey(_))));
        // A blob claiming to be under an old key it was not sealed with does not open.
        assert!(matches!(both.open("conn_a", b.key_id(), &by_a), Err(VaultError::Corrupt)));
    }

    #[test]
    fn a_blob_under_a_key_not_held_names_that_key() {
        let a = Vault::from_bytes([1; 32]);
        let by_a = a.seal("conn_a", &secret("s"));
        let other = Vault::from_bytes([2; 32]).with_old_keys(&secret(&b64([4; 32]))).unwrap();
        let e = other.open("conn_a", a.key_id(), &by_a).unwrap_err();
        assert!(matches!(&e, VaultError::UnknownKey(id) if id == a.key_id()), "{e:?}");
        assert!(e.to_string().contains("HIRESYNC_MASTER_KEYS_OLD"), "{e}");
        let bad = Vault::from_bytes([2; 32]).with_old_keys(&secret(&format!("{},c2hvcnQ=", b64([4; 32]))));
        assert!(matches!(bad, Err(VaultError::BadOldKey(2))));
    }

    #[test]
    fn debug_shows_key_ids_never_keys() {
        let key = [0xAB; 32];
        let v = Vault::from_bytes([0xCD; 32]).with_old_keys(&secret(&b64(key))).unwrap();
        let shown = format!("{v:?}");
        let old_id = Vault::from_bytes(key).key_id().to_owned();
        assert!(shown.contains(v.key_id()) && shown.contains(&old_id), "{shown}");
        for k in [0xAB_u8, 0xCD] {
            let bytes = [k; 32];
            assert!(!shown.contains(&b64(bytes)) && !shown.contains(&hex::encode(bytes)), "{shown}");
            assert!(!shown.contains(&format!("{k}, {k}")), "{shown}");
        }
    }
}
