//! Where a person is put in a provider: a job and stage, a prospect pool and
//! stage, a project and status. Each shape is typed; its JSON is the object
//! API.md's "Conventions" describe, which is also what the database stores, so
//! ids keep being the strings or integers the provider gave.
//!
//! Greenhouse's job and Teamtailor's job have the same JSON (`{"job_id",
//! "stage_id"}`), so they are one shape: a stored target is read back without
//! knowing its provider, and [`Target::parse`] applies each provider's own rule
//! (Greenhouse requires the stage, Teamtailor does not).

use crate::{ProviderKind, ValidationError};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Number, Value};
use std::fmt;

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

/// A provider's id inside a target, kept as given: Greenhouse sends integers, Clockwork and
/// Teamtailor strings, and users may write either.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TargetId {
    /// An integer id.
    Number(Number),
    /// A string id (non-empty, at most 255 bytes).
    Text(String),
}

impl TargetId {
    /// The id read from JSON: an integer, or a non-blank string of at most 255 bytes.
    pub fn from_json(value: &Value) -> Option<Self> {
        match value {
            Value::String(s) if !s.trim().is_empty() && s.len() <= 255 => Some(Self::Text(s.clone())),
            Value::Number(n) if n.is_u64() || n.is_i64() => Some(Self::Number(n.clone())),
            _ => None,
        }
    }

    /// The id as JSON, a number or a string as it was given.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Number(n) => Value::Number(n.clone()),
            Self::Text(s) => Value::String(s.clone()),
        }
    }
}

impl fmt::Display for TargetId {
    /// The id as text, whether it was given as an integer or a string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::Text(s) => f.write_str(s),
        }
    }
}

impl From<i64> for TargetId {
    fn from(id: i64) -> Self {
        Self::Number(id.into())
    }
}

impl From<String> for TargetId {
    fn from(id: String) -> Self {
        Self::Text(id)
    }
}

impl From<&str> for TargetId {
    fn from(id: &str) -> Self {
        Self::Text(id.to_owned())
    }
}

impl Serialize for TargetId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for TargetId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_json(&value).ok_or_else(|| de::Error::custom("must be a provider id (string or integer)"))
    }
}

/// A target, in one of the providers' shapes (API.md "Conventions").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A job at a stage: Greenhouse `{"job_id", "stage_id"}`, Teamtailor `{"job_id", "stage_id"?}`.
    Job {
        /// The job.
        job_id: TargetId,
        /// The stage people are put at; Teamtailor's Inbox when none is given.
        stage_id: Option<TargetId>,
    },
    /// A Greenhouse prospect pool at a pool stage: `{"prospect_pool_id", "prospect_pool_stage_id"?}`.
    ProspectPool {
        /// The pool.
        prospect_pool_id: TargetId,
        /// The pool stage prospects are put at.
        prospect_pool_stage_id: Option<TargetId>,
    },
    /// A Clockwork project at a candidate status: `{"project_id", "status_id"?}`.
    Project {
        /// The project.
        project_id: TargetId,
        /// The status candidacies start at; Clockwork's default when none is given.
        status_id: Option<TargetId>,
    },
}

impl Target {
    /// Checks the object against the provider's target shape; `path` names it in errors. A
    /// sequence's `connection_id` is dropped (the provider never sees it), and so is any other
    /// key outside the shape once it is checked to hold an id.
    pub fn parse(provider: ProviderKind, value: &Value, path: &str) -> Result<Self, ValidationError> {
        let Some(obj) = value.as_object() else {
            return Err(ValidationError::field(path, "must be an object"));
        };
        let mut obj = obj.clone();
        obj.remove("connection_id");
        let id = |k: &str| obj.get(k).and_then(TargetId::from_json);
        let pool = || id("prospect_pool_id").filter(|_| !obj.contains_key("job_id"));
        let shape = match provider {
            ProviderKind::Greenhouse => pool()
                .map(|prospect_pool_id| Target::ProspectPool {
                    prospect_pool_id,
                    prospect_pool_stage_id: id("prospect_pool_stage_id"),
                })
                .or_else(|| match (id("job_id"), id("stage_id")) {
                    (Some(job_id), Some(stage)) if !obj.contains_key("prospect_pool_id") => {
                        Some(Target::Job { job_id, stage_id: Some(stage) })
                    }
                    _ => None,
                }),
            ProviderKind::Clockwork => {
                id("project_id").map(|project_id| Target::Project { project_id, status_id: id("status_id") })
            }
            ProviderKind::Teamtailor => id("job_id").map(|job_id| Target::Job { job_id, stage_id: id("stage_id") }),
            ProviderKind::Oneflow => None,
        };
        let Some(target) = shape else {
            let expected = match provider {
                ProviderKind::Greenhouse => {
                    "expected {\"job_id\", \"stage_id\"} or {\"prospect_pool_id\", \"prospect_pool_stage_id\"}"
                }
                ProviderKind::Clockwork => "expected {\"project_id\", \"status_id\"}",
                ProviderKind::Teamtailor => "expected {\"job_id\", \"stage_id\"}",
                ProviderKind::Oneflow => "Oneflow connections have no targets",
            };
            return Err(ValidationError::field(path, expected));
        };
        for (k, v) in &obj {
            if TargetId::from_json(v).is_none() && !v.is_null() {
                return Err(ValidationError::field(format!("{path}.{k}"), "must be a provider id (string or integer)"));
            }
        }
        Ok(target)
    }

    /// The target as its JSON object, ids as given and absent stages left out.
    pub fn to_map(&self) -> Map<String, Value> {
        let (target, stage) = match self {
            Target::Job { job_id, stage_id } => (("job_id", job_id), ("stage_id", stage_id)),
            Target::ProspectPool { prospect_pool_id, prospect_pool_stage_id } => {
                (("prospect_pool_id", prospect_pool_id), ("prospect_pool_stage_id", prospect_pool_stage_id))
            }
            Target::Project { project_id, status_id } => (("project_id", project_id), ("status_id", status_id)),
        };
        let mut map = Map::new();
        map.insert(target.0.to_owned(), target.1.to_json());
        if let Some(stage_id) = stage.1 {
            map.insert(stage.0.to_owned(), stage_id.to_json());
        }
        map
    }

    /// The id under `key` (`"job_id"`, `"stage_id"`, ...) as text, as the JSON object holds it.
    pub fn id(&self, key: &str) -> Option<String> {
        self.to_map().get(key).and_then(TargetId::from_json).map(|id| id.to_string())
    }

    /// The target as its JSON object (see [`Target::to_map`]).
    pub fn to_json(&self) -> Value {
        Value::Object(self.to_map())
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Target {
    /// Reads a stored or echoed target without knowing its provider: the keys say which shape it
    /// is (a prospect pool, else a project, else a job), and keys outside the shape are ignored.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let obj = Map::<String, Value>::deserialize(deserializer)?;
        let id = |k: &str| -> Result<Option<TargetId>, D::Error> {
            match obj.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => TargetId::from_json(v)
                    .map(Some)
                    .ok_or_else(|| de::Error::custom(format!("{k}: must be a provider id (string or integer)"))),
            }
        };
        if let Some(prospect_pool_id) = id("prospect_pool_id")? {
            return Ok(Target::ProspectPool {
                prospect_pool_id,
                prospect_pool_stage_id: id("prospect_pool_stage_id")?,
            });
        }
        if let Some(project_id) = id("project_id")? {
            return Ok(Target::Project { project_id, status_id: id("status_id")? });
        }
        if let Some(job_id) = id("job_id")? {
            return Ok(Target::Job { job_id, stage_id: id("stage_id")? });
        }
        Err(de::Error::custom("expected a job, prospect pool or project target"))
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
        let err = Target::parse(ProviderKind::Teamtailor, &json!({"job_id": 1, "stage_id": true}), "target");
        assert_eq!(err.unwrap_err().errors[0].field, "target.stage_id");
        let err = Target::parse(ProviderKind::Greenhouse, &json!({"job_id": 1}), "target").unwrap_err();
        assert_eq!(err.errors[0].field, "target");
    }

    #[test]
    fn connection_id_is_dropped_and_ids_read_as_text() {
        let t =
            Target::parse(ProviderKind::Teamtailor, &json!({"job_id": "42", "connection_id": "conn_x"}), "t").unwrap();
        assert_eq!(t, Target::Job { job_id: "42".into(), stage_id: None });
        assert_eq!(t.to_json(), json!({"job_id": "42"}));
    }

    #[test]
    fn stored_targets_read_back_as_they_were_written() {
        for stored in [
            json!({"job_id": 17130511003_i64, "stage_id": 2}),
            json!({"job_id": "42", "stage_id": "7"}),
            json!({"job_id": "42"}),
            json!({"prospect_pool_id": 1, "prospect_pool_stage_id": "2"}),
            json!({"project_id": "3f2c", "status_id": "9a1"}),
        ] {
            let target: Target = serde_json::from_value(stored.clone()).unwrap();
            assert_eq!(serde_json::to_value(&target).unwrap(), stored);
            assert_eq!(target.to_json(), stored);
        }
        assert!(serde_json::from_value::<Target>(json!({"stage_id": 1})).is_err());
    }
}
