//! Shapes several resources share: providers, targets, ids and free-form objects.

use hiresync_core::{ProviderKind, Target, TargetId};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// A provider hiresync connects to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Greenhouse Harvest.
    Greenhouse,
    /// Clockwork Recruiting.
    Clockwork,
    /// Teamtailor.
    Teamtailor,
    /// Oneflow contracts.
    Oneflow,
}

impl From<Provider> for ProviderKind {
    fn from(p: Provider) -> Self {
        match p {
            Provider::Greenhouse => ProviderKind::Greenhouse,
            Provider::Clockwork => ProviderKind::Clockwork,
            Provider::Teamtailor => ProviderKind::Teamtailor,
            Provider::Oneflow => ProviderKind::Oneflow,
        }
    }
}

impl From<ProviderKind> for Provider {
    fn from(p: ProviderKind) -> Self {
        match p {
            ProviderKind::Greenhouse => Provider::Greenhouse,
            ProviderKind::Clockwork => Provider::Clockwork,
            ProviderKind::Teamtailor => Provider::Teamtailor,
            ProviderKind::Oneflow => Provider::Oneflow,
        }
    }
}

/// A provider's id as the provider gives it: an integer (Greenhouse) or a string.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
#[schema(example = 4012)]
pub enum ProviderId {
    /// An integer id.
    Integer(i64),
    /// A string id (non-empty, at most 255 bytes).
    Text(String),
}

/// Where people are put in a provider (API.md "Conventions"): Greenhouse `{job_id, stage_id}` or
/// `{prospect_pool_id, prospect_pool_stage_id}`, Clockwork `{project_id, status_id}`, Teamtailor
/// `{job_id, stage_id?}`. Which ids a target needs depends on its connection's provider.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(expecting = "a target object")]
#[schema(example = json!({"job_id": 4012, "stage_id": 7}))]
pub struct TargetObject {
    /// A Greenhouse or Teamtailor job.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProviderId>)]
    pub job_id: Option<TargetId>,
    /// The job's stage (required for Greenhouse; Teamtailor's Inbox when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProviderId>)]
    pub stage_id: Option<TargetId>,
    /// A Greenhouse prospect pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProviderId>)]
    pub prospect_pool_id: Option<TargetId>,
    /// The prospect pool's stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProviderId>)]
    pub prospect_pool_stage_id: Option<TargetId>,
    /// A Clockwork project.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProviderId>)]
    pub project_id: Option<TargetId>,
    /// The Clockwork candidate status people start at (the firm's default when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<ProviderId>)]
    pub status_id: Option<TargetId>,
    /// On a sequence: the connection the target belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
}

impl TargetObject {
    /// The object as JSON, for core's per-provider check ([`hiresync_core::Target::parse`]).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl From<&Target> for TargetObject {
    fn from(t: &Target) -> Self {
        match t.clone() {
            Target::Job { job_id, stage_id } => Self { job_id: Some(job_id), stage_id, ..Self::default() },
            Target::ProspectPool { prospect_pool_id, prospect_pool_stage_id } => {
                Self { prospect_pool_id: Some(prospect_pool_id), prospect_pool_stage_id, ..Self::default() }
            }
            Target::Project { project_id, status_id } => {
                Self { project_id: Some(project_id), status_id, ..Self::default() }
            }
        }
    }
}

/// A free-form JSON object: provider credentials, settings, a contact's variables.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(example = json!({"key": "value"}))]
pub struct FreeForm(pub Map<String, Value>);

/// What a started resync or import answers: its id, to follow with GET.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"id": "rsy_01jd5z8v6c4q2w3e4r5t6y7u8i"}))]
pub struct StartedOut {
    /// The id of the resync or import.
    pub id: String,
}

/// An optional field whose absence and `null` differ: absent leaves a value as it is, `null`
/// clears it. Use with `#[serde(default, deserialize_with = "present")]`.
pub fn present<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(de).map(Some)
}

/// An epoch-milliseconds time as RFC 3339, as every response shows times.
pub fn rfc3339(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339())
}

/// A JSON list refused while it is read once it holds more than `N` items, so an oversized
/// batch costs no more than its first `N` items to refuse.
#[derive(Debug)]
pub struct AtMost<T, const N: usize>(pub Vec<T>);

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for AtMost<T, N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Items<T, const N: usize>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const N: usize> serde::de::Visitor<'de> for Items<T, N> {
            type Value = AtMost<T, N>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "a list of at most {N} items")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(N));
                while let Some(item) = seq.next_element()? {
                    if items.len() == N {
                        return Err(serde::de::Error::custom(format_args!("at most {N} items per request")));
                    }
                    items.push(item);
                }
                Ok(AtMost(items))
            }
        }
        d.deserialize_seq(Items::<T, N>(std::marker::PhantomData))
    }
}
