//! Bodies of `/v1/sequences`.

use super::common::TargetObject;
#[cfg(feature = "server")]
use hiresync_store::sequences::Sequence;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A sequence of the outreach app, created or replaced whole.
#[derive(Debug, Serialize, Default, Deserialize, ToSchema)]
#[serde(expecting = "a sequence object")]
#[schema(example = json!({"name": "Rust engineers, Berlin", "owner": "ada@acme.io", "sync_disabled": false,
    "target": {"connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i", "job_id": 4012, "stage_id": 7},
    "sync_tags": ["outreach"]}))]
pub struct SequenceIn {
    /// Its name (at most 255 characters); the external id when absent.
    pub name: Option<String>,
    /// The owning user's id or email, whose connections its contacts sync to; the caller when absent.
    pub owner: Option<String>,
    /// "Sync Disabled": its contacts sync nowhere.
    pub sync_disabled: Option<bool>,
    /// "Custom Sync": the target its contacts go to, naming its `connection_id`; null for the default.
    pub target: Option<TargetObject>,
    /// Tags put on every person synced from it.
    pub sync_tags: Option<Vec<String>>,
}

/// A sequence's indicator in the outreach app (the names [`Sequence::indicators`] gives).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// Its contacts sync nowhere.
    SyncDisabled,
    /// It names its own target.
    CustomSync,
}

/// A sequence as stored.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"external_id": "seq-1", "name": "Rust engineers, Berlin",
    "owner": "usr_01jd5z8v6c4q2w3e4r5t6y7u8i", "sync_disabled": false,
    "target": {"connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i", "job_id": 4012, "stage_id": 7},
    "sync_tags": ["outreach"], "indicators": ["custom_sync"]}))]
pub struct SequenceOut {
    /// The outreach app's id for it.
    pub external_id: String,
    /// Its name.
    pub name: String,
    /// The owning user's id.
    pub owner: String,
    /// Whether its contacts sync nowhere.
    pub sync_disabled: bool,
    /// Its own target, if it has one.
    #[schema(value_type = Option<TargetObject>)]
    pub target: Option<Value>,
    /// Tags put on every person synced from it.
    pub sync_tags: Vec<String>,
    /// What the outreach app shows beside it.
    #[schema(value_type = Vec<Indicator>)]
    pub indicators: Vec<String>,
}

#[cfg(feature = "server")]
impl From<&Sequence> for SequenceOut {
    fn from(s: &Sequence) -> Self {
        Self {
            external_id: s.external_id.clone(),
            name: s.name.clone(),
            owner: s.owner_id.as_str().to_owned(),
            sync_disabled: s.sync_disabled,
            target: s.target.clone(),
            sync_tags: s.sync_tags.clone(),
            indicators: s.indicators().into_iter().map(String::from).collect(),
        }
    }
}
