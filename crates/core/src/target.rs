//! Where a person is put in a provider: a job and stage, a prospect pool and
//! stage, a project. Kept as the provider's own object, checked per provider.

use crate::{ProviderKind, ValidationError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The stage a placement was at when hiresync last placed or moved it, so a
/// later move need not read it back first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlacedStage {
    /// Not known: read it from the provider before relying on it.
    #[default]
    Unknown,
    /// On the target without a stage (a Greenhouse prospect considered for a job).
    None,
    /// At this stage id.
    At(String),
}

impl From<Option<String>> for PlacedStage {
    /// A stage the provider reported, or nothing known.
    fn from(stage: Option<String>) -> Self {
        stage.map_or(PlacedStage::Unknown, PlacedStage::At)
    }
}

/// A target object as API.md describes it (`{"job_id", "stage_id"}`, ...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Target(pub Map<String, Value>);

impl Target {
    /// Checks the object against the provider's target shape; `path` names it in errors.
    pub fn parse(provider: ProviderKind, value: &Value, path: &str) -> Result<Self, ValidationError> {
        let Some(obj) = value.as_object() else {
            return Err(ValidationError::field(path, "must be an object"));
        };
        let mut obj = obj.clone();
        // A sequence's target also names its connection; the provider never sees that key.
        obj.remove("connection_id");
        let has = |k: &str| obj.get(k).is_some_and(is_id);
        let ok = match provider {
            ProviderKind::Greenhouse => {
                (has("job_id") && has("stage_id") && !obj.contains_key("prospect_pool_id"))
                    || (has("prospect_pool_id") && !obj.contains_key("job_id"))
            }
            ProviderKind::Clockwork => has("project_id"),
            ProviderKind::Teamtailor => has("job_id"),
            ProviderKind::Oneflow => false,
        };
        if !ok {
            let expected = match provider {
                ProviderKind::Greenhouse => {
                    "expected {\"job_id\", \"stage_id\"} or {\"prospect_pool_id\", \"prospect_pool_stage_id\"}"
                }
                ProviderKind::Clockwork => "expected {\"project_id\", \"status_id\"}",
                ProviderKind::Teamtailor => "expected {\"job_id\", \"stage_id\"}",
                ProviderKind::Oneflow => "Oneflow connections have no targets",
            };
            return Err(ValidationError::field(path, expected));
        }
        for (k, v) in &obj {
            if !is_id(v) && !v.is_null() {
                return Err(ValidationError::field(format!("{path}.{k}"), "must be a provider id (string or integer)"));
            }
        }
        Ok(Self(obj))
    }

    /// The id under `key` as text, whether the provider uses integers or strings.
    pub fn id(&self, key: &str) -> Option<String> {
        match self.0.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

fn is_id(v: &Value) -> bool {
    match v {
        Value::String(s) => !s.trim().is_empty() && s.len() <= 255,
        Value::Number(n) => n.is_u64() || n.is_i64(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn greenhouse_accepts_job_or_pool_and_names_the_field_otherwise() {
        assert!(
            Target::parse(ProviderKind::Greenhouse, &json!({"job_id": 17130511003_i64, "stage_id": 2}), "t").is_ok()
        );
        assert!(
            Target::parse(ProviderKind::Greenhouse, &json!({"prospect_pool_id": 1, "prospect_pool_stage_id": 2}), "t")
                .is_ok()
        );
        let err = Target::parse(ProviderKind::Greenhouse, &json!({"project_id": 1}), "target").unwrap_err();
        assert_eq!(err.errors[0].field, "target");
        let err = Target::parse(ProviderKind::Clockwork, &json!({"project_id": {"x": 1}}), "target").unwrap_err();
        assert_eq!(err.errors[0].field, "target");
    }

    #[test]
    fn connection_id_is_dropped_and_ids_read_as_text() {
        let t =
            Target::parse(ProviderKind::Teamtailor, &json!({"job_id": "42", "connection_id": "conn_x"}), "t").unwrap();
        assert_eq!(t.id("job_id").as_deref(), Some("42"));
        assert!(!t.0.contains_key("connection_id"));
    }
}
