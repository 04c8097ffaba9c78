//! Bodies of `/v1/connections` and `/v1/workspace/defaults`.

use super::common::{FreeForm, Provider, TargetObject, present};
use hiresync_core::RateLimit;
#[cfg(feature = "server")]
use hiresync_providers::TargetOption;
#[cfg(feature = "server")]
use hiresync_store::connections::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// Whose a connection is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The caller's own.
    User,
    /// Shared with the whole workspace (owners and managers add these).
    Workspace,
}

/// A connection's own request allowance, replacing the provider's published one.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, expecting = "{\"requests\": n, \"per_seconds\": s}")]
#[schema(example = json!({"requests": 500, "per_seconds": 10}))]
pub struct RateLimitObject {
    /// Calls allowed per window (1 to 1000000).
    pub requests: u32,
    /// The window in seconds (0.001 to 3600).
    pub per_seconds: f64,
}

impl RateLimitObject {
    /// The allowance once its bounds are checked, naming `field` (`rate_limit`) at fault.
    pub fn check(self, field: &str) -> Result<RateLimit, hiresync_core::ValidationError> {
        RateLimit::parse(field, &serde_json::json!({"requests": self.requests, "per_seconds": self.per_seconds}))
    }
}

/// A provider account to connect; its credentials are checked live first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(expecting = "a connection object")]
#[schema(example = json!({"provider": "teamtailor", "credentials": {"api_key": "tt-key", "region": "eu"},
    "scope": "user"}))]
pub struct ConnectionIn {
    /// The provider.
    pub provider: Provider,
    /// The provider's credential fields (API.md "Connections"); sealed, never returned.
    pub credentials: FreeForm,
    /// Whose connection it is; `user` when absent.
    pub scope: Option<Scope>,
    /// Replaces the provider's API root: https and a public address unless the server allows private ones.
    pub base_url: Option<String>,
    /// Replaces Greenhouse's token host (default `https://auth.greenhouse.io`).
    pub auth_base_url: Option<String>,
    /// The connection's own request allowance.
    pub rate_limit: Option<RateLimitObject>,
}

/// New access for a connection: each given value is checked live before anything changes. An
/// empty object re-checks the stored credentials.
#[derive(Debug, Serialize, Default, Deserialize, ToSchema)]
#[serde(expecting = "a connection patch object")]
#[schema(example = json!({"credentials": {"api_key": "tt-new-key"}}))]
pub struct ConnectionPatch {
    /// New credential fields, replacing the old ones whole; absent or null keeps them.
    pub credentials: Option<FreeForm>,
    /// A new API root; null goes back to the provider's own, absent keeps it.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub base_url: Option<Option<String>>,
    /// A new Greenhouse token host; null goes back to the default, absent keeps it.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub auth_base_url: Option<Option<String>>,
    /// Hands a personal connection over to this user (owners and managers only).
    pub user_id: Option<String>,
}

/// A connection as shown; credentials never are.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i", "provider": "greenhouse", "status": "connected",
    "scope": "user", "user_id": "usr_01jd5z8v6c4q2w3e4r5t6y7u8i", "base_url": null, "auth_base_url": null,
    "rate_limit": null, "last_error": null, "failing_since": null, "created_at": "2026-11-02T09:00:00+00:00"}))]
pub struct ConnectionOut {
    /// The connection's id.
    pub id: String,
    /// The provider.
    pub provider: Provider,
    /// `connected`, `failing` (the provider refuses its credentials) or `disabled` (its owner was removed).
    pub status: String,
    /// Whose connection it is.
    pub scope: Scope,
    /// Its owner; null for a workspace connection.
    pub user_id: Option<String>,
    /// The API root override, if any.
    pub base_url: Option<String>,
    /// The Greenhouse token host override, if any.
    pub auth_base_url: Option<String>,
    /// Its own request allowance, if any.
    #[schema(value_type = Option<RateLimitObject>)]
    pub rate_limit: Option<RateLimit>,
    /// The provider's last refusal while failing.
    pub last_error: Option<String>,
    /// Since when it fails (RFC 3339).
    pub failing_since: Option<String>,
    /// When it was connected (RFC 3339).
    pub created_at: Option<String>,
    /// Whether the provider's webhook to this server is registered (shown by `GET` and `POST`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<WebhookOut>,
}

/// The provider's webhook for a connection: registered with the provider when the connection
/// was made (Oneflow), to be added by hand (Teamtailor, whose API cannot), or why not.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct WebhookOut {
    /// `registered`, `manual` (add `callback_url` in the provider's settings), `skipped` (no
    /// `HIRESYNC_PUBLIC_URL`), `failed` (the provider refused; `reason` says why) or `removed`.
    pub state: String,
    /// Where the provider delivers, when this server has a public URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// Why it is not registered, or what to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[cfg(feature = "server")]
impl From<&Connection> for ConnectionOut {
    fn from(k: &Connection) -> Self {
        Self {
            id: k.id.as_str().to_owned(),
            provider: k.provider.into(),
            status: k.status.clone(),
            scope: if k.user_id.is_some() { Scope::User } else { Scope::Workspace },
            user_id: k.user_id.as_ref().map(|u| u.as_str().to_owned()),
            base_url: k.base_url.clone(),
            auth_base_url: k.auth_base_url.clone(),
            rate_limit: k.rate_limit,
            last_error: k.last_error.clone(),
            failing_since: k.failing_since.and_then(super::common::rfc3339),
            created_at: super::common::rfc3339(k.created_at),
            webhook: None,
        }
    }
}

/// A connection's settings, or a provider's workspace defaults: `trigger`, `dedup_warning`,
/// `activity_tracking`, `default_target`, `create_as`, `field_map`, `stage_map`, `note_types`,
/// the field lists and the rest of API.md "Connections". Every key is checked, naming the one at
/// fault. An Oneflow connection's settings hold `teamtailor_connection_id` and its contract `field_map`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(example = json!({"trigger": "on_reply", "activity_tracking": true,
    "default_target": {"job_id": 4012, "stage_id": 7}}))]
pub struct Settings(pub Map<String, Value>);

/// Which teammates' connections get this connection's settings.
#[derive(Debug, Serialize, Default, Deserialize, ToSchema)]
#[serde(expecting = "an object")]
#[schema(example = json!({"group": "berlin"}))]
pub struct CloneSettingsIn {
    /// Only users of this group; everyone when absent.
    pub group: Option<String>,
}

/// The users whose connections now have the settings.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"updated": ["usr_01jd5z8v6c4q2w3e4r5t6y7u8i"]}))]
pub struct ClonedOut {
    /// Their user ids.
    pub updated: Vec<String>,
}

/// A stage of a target.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct StageOut {
    /// The provider's stage id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// Something people can be put on: a job, prospect pool or project, with its stages.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"target": {"job_id": 4012, "stage_id": 7}, "name": "Rust Engineer", "kind": "job",
    "status": "open", "stages": [{"id": "7", "name": "Application Review"}]}))]
pub struct TargetOptionOut {
    /// The target object, as a sequence or default would carry it.
    pub target: TargetObject,
    /// Its name.
    pub name: String,
    /// `job`, `prospect_pool` or `project`.
    pub kind: String,
    /// The provider's status for it (open, On Hold, ...).
    pub status: Option<String>,
    /// The stages people may be moved to.
    pub stages: Vec<StageOut>,
}

#[cfg(feature = "server")]
impl From<TargetOption> for TargetOptionOut {
    fn from(t: TargetOption) -> Self {
        Self {
            target: (&t.target).into(),
            name: t.name,
            kind: t.kind,
            status: t.status,
            stages: t.stages.into_iter().map(|(id, name)| StageOut { id, name }).collect(),
        }
    }
}
