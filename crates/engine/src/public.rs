//! hiresync's own public address (`HIRESYNC_PUBLIC_URL`): where providers
//! deliver webhooks, and where Teamtailor fetches a signed contract file that
//! Oneflow handed over as bytes rather than a link (SPEC B3). A file link
//! names one contract, expires after [`FILE_LINK_TTL_SECS`] and is signed with
//! a key derived from the master key, so it needs no bearer token.

use crate::vault::Vault;
use hiresync_core::link_signature;
use hiresync_core::{ProviderKind, WorkspaceId};
use url::Url;

/// How long a contract file link works: Teamtailor fetches an upload's URL as it is created.
pub const FILE_LINK_TTL_SECS: i64 = 15 * 60;
/// The path contract file links are served under (then `/{contract id}`).
pub const FILE_PATH: &str = "/v1/contract-files";
const FILE_KEY_LABEL: &str = "hiresync contract file links v1";

/// The public base URL and the key signing its file links.
#[derive(Clone)]
pub struct PublicUrl {
    base: Url,
    file_key: [u8; 32],
}

impl std::fmt::Debug for PublicUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicUrl").field("base", &self.base.as_str()).finish_non_exhaustive()
    }
}

impl PublicUrl {
    /// `base` (scheme, host, an optional path prefix), signing file links with a key from `vault`.
    pub fn new(base: Url, vault: &Vault) -> Self {
        Self { base, file_key: vault.derive(FILE_KEY_LABEL) }
    }

    /// The base URL.
    pub fn base(&self) -> &Url {
        &self.base
    }

    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.base.as_str().trim_end_matches('/'))
    }

    /// Where `provider` delivers webhooks for connection `id`.
    pub fn webhook(&self, provider: ProviderKind, id: &str) -> String {
        self.at(&format!("/v1/webhooks/{}/{id}", provider.as_str()))
    }

    /// A link to contract `contract`'s signed file, valid for [`FILE_LINK_TTL_SECS`] from `now`.
    pub fn contract_file(&self, workspace: &WorkspaceId, contract: &str, now: i64) -> String {
        let expires = now + FILE_LINK_TTL_SECS;
        let signature = link_signature::sign(&self.file_key, &subject(workspace.as_str(), contract), expires);
        let Ok(mut url) = Url::parse(&self.at(&format!("{FILE_PATH}/{contract}"))) else { return String::new() };
        url.query_pairs_mut()
            .append_pair("workspace", workspace.as_str())
            .append_pair("expires", &expires.to_string())
            .append_pair("signature", &signature);
        url.into()
    }

    /// Whether a file link's parts are ours, for this contract, and not expired at `now`.
    pub fn file_link_holds(&self, workspace: &str, contract: &str, expires: i64, signature: &str, now: i64) -> bool {
        link_signature::verify(&self.file_key, &subject(workspace, contract), expires, signature, now)
    }
}

fn subject(workspace: &str, contract: &str) -> String {
    format!("{workspace}.{contract}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_links_name_one_contract_and_expire() {
        let public = PublicUrl::new(Url::parse("https://sync.example.com/base/").unwrap(), &Vault::from_bytes([3; 32]));
        assert_eq!(
            public.webhook(ProviderKind::Oneflow, "conn_1"),
            "https://sync.example.com/base/v1/webhooks/oneflow/conn_1"
        );
        let ws = WorkspaceId::from_stored("ws_1".into());
        let link = Url::parse(&public.contract_file(&ws, "ctr_1", 1000)).unwrap();
        assert_eq!(link.path(), "/base/v1/contract-files/ctr_1");
        let q: std::collections::HashMap<_, _> = link.query_pairs().into_owned().collect();
        let expires: i64 = q["expires"].parse().unwrap();
        assert_eq!(expires, 1000 + FILE_LINK_TTL_SECS);
        assert!(public.file_link_holds("ws_1", "ctr_1", expires, &q["signature"], 1001));
        assert!(!public.file_link_holds("ws_1", "ctr_2", expires, &q["signature"], 1001));
        assert!(!public.file_link_holds("ws_2", "ctr_1", expires, &q["signature"], 1001));
        assert!(!public.file_link_holds("ws_1", "ctr_1", expires, &q["signature"], expires + 1));
        let other = PublicUrl::new(Url::parse("https://sync.example.com").unwrap(), &Vault::from_bytes([4; 32]));
        assert!(!other.file_link_holds("ws_1", "ctr_1", expires, &q["signature"], 1001));
    }
}
