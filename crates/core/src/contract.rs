//! An Oneflow connection's contract settings (SPEC B): which Teamtailor
//! connection its contracts sync with, and which Teamtailor custom field
//! fills which Oneflow data field. Oneflow's `field_map` has this shape
//! instead of the people mapping other providers use.

use crate::validation::Checker;
use crate::{ConnectionId, ValidationError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// One mapped pair: a Teamtailor custom field and the Oneflow data field it fills (both ways).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractFieldMapping {
    /// The custom field's `api-name` in Teamtailor.
    pub teamtailor_custom_field: String,
    /// The data field's `custom_id` in the Oneflow template.
    pub oneflow_data_field: String,
}

/// The contract keys of an Oneflow connection's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContractSettings {
    /// The Teamtailor connection (of the same workspace) candidates are read from and written to.
    pub teamtailor_connection_id: Option<String>,
    /// Teamtailor custom fields to Oneflow data fields.
    pub field_map: Vec<ContractFieldMapping>,
    /// The data field (`custom_id`) whose value is the Teamtailor candidate id: a contract created
    /// in Oneflow with it filled is followed as that candidate's.
    pub candidate_data_field: Option<String>,
}

impl ContractSettings {
    /// Parses the contract keys out of an Oneflow settings object, naming the field at fault.
    pub fn parse(
        field_map: Option<Value>,
        teamtailor_connection_id: Option<Value>,
        candidate_data_field: Option<Value>,
    ) -> Result<Self, ValidationError> {
        let mut obj = Map::new();
        if let Some(v) = candidate_data_field.filter(|v| !v.is_null()) {
            obj.insert("candidate_data_field".into(), v);
        }
        if let Some(v) = field_map.filter(|v| !v.is_null()) {
            obj.insert("field_map".into(), v);
        }
        if let Some(v) = teamtailor_connection_id {
            obj.insert("teamtailor_connection_id".into(), v);
        }
        let settings: ContractSettings =
            serde_path_to_error::deserialize(Value::Object(obj)).map_err(|e| crate::settings::field_error(&e))?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Checker::default();
        if let Some(id) = &self.teamtailor_connection_id {
            c.check(ConnectionId::parse(id).is_some(), "teamtailor_connection_id", "must be a connection id (conn_…)");
        }
        if let Some(field) = &self.candidate_data_field {
            c.check(!field.trim().is_empty(), "candidate_data_field", "must be a data field's custom_id");
            let mapped = self.field_map.iter().any(|m| m.oneflow_data_field.trim() == field.trim());
            c.check(!mapped, "candidate_data_field", "holds the candidate id, so it cannot also be in field_map");
        }
        let (mut custom, mut data) = (BTreeSet::new(), BTreeSet::new());
        for (i, m) in self.field_map.iter().enumerate() {
            let tt = format!("field_map[{i}].teamtailor_custom_field");
            let of = format!("field_map[{i}].oneflow_data_field");
            c.check(!m.teamtailor_custom_field.trim().is_empty(), &tt, "must not be empty");
            c.check(!m.oneflow_data_field.trim().is_empty(), &of, "must not be empty");
            // One value per field on each side: a field mapped twice would be written from two places.
            c.check(custom.insert(m.teamtailor_custom_field.trim()), &tt, "this custom field is already mapped");
            c.check(data.insert(m.oneflow_data_field.trim()), &of, "this data field is already mapped");
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: &Value) -> Result<ContractSettings, ValidationError> {
        ContractSettings::parse(
            v.get("field_map").cloned(),
            v.get("teamtailor_connection_id").cloned(),
            v.get("candidate_data_field").cloned(),
        )
    }

    #[test]
    fn the_documented_shape_parses() {
        let s = parse(&json!({"teamtailor_connection_id": "conn_01abc",
            "field_map": [{"teamtailor_custom_field": "salary", "oneflow_data_field": "salary_sek"}]}))
        .unwrap();
        assert_eq!(s.teamtailor_connection_id.as_deref(), Some("conn_01abc"));
        assert_eq!(s.field_map[0].oneflow_data_field, "salary_sek");
    }

    #[test]
    fn errors_name_the_field_at_fault() {
        let field = |v: Value| parse(&v).unwrap_err().errors[0].field.clone();
        assert_eq!(field(json!({"field_map": [{"teamtailor_custom_field": "a"}]})), "field_map[0].oneflow_data_field");
        assert_eq!(
            field(json!({"field_map": [{"teamtailor_custom_field": "a", "oneflow_data_field": 3}]})),
            "field_map[0].oneflow_data_field"
        );
        assert_eq!(
            field(json!({"field_map": [{"teamtailor_custom_field": "a", "oneflow_data_field": "b", "x": 1}]})),
            "field_map[0].x"
        );
        assert_eq!(
            field(json!({"field_map": [{"teamtailor_custom_field": "a", "oneflow_data_field": "b"},
                {"teamtailor_custom_field": "c", "oneflow_data_field": "b"}]})),
            "field_map[1].oneflow_data_field"
        );
        assert_eq!(field(json!({"field_map": {}})), "field_map");
        assert_eq!(field(json!({"teamtailor_connection_id": "ws_1"})), "teamtailor_connection_id");
        assert_eq!(field(json!({"teamtailor_connection_id": 5})), "teamtailor_connection_id");
    }
}
