//! The Teamtailor side of a contract: a candidate's mapped custom fields read
//! as text (select options as their labels), a text turned into the value
//! Teamtailor stores for the field's type, and that value written back:
//! updated where the candidate has one, created where the field was empty.

use hiresync_core::ContractFieldMapping;
use hiresync_core::ProviderKind;
use hiresync_providers::teamtailor::wire::{CustomFieldDef, CustomFieldOption};
use hiresync_providers::teamtailor::{TeamtailorClient, custom_value, custom_value_text};
use hiresync_providers::{ErrorKind, ProviderError};
use serde_json::Value;
use std::collections::BTreeMap;

/// One mapped custom field of a candidate.
#[derive(Clone, Debug)]
struct Field {
    /// The custom field's `api-name`.
    api_name: String,
    /// Its definition; none when Teamtailor has no such field.
    def: Option<CustomFieldDef>,
    /// The candidate's value resource, when the field is set.
    value_id: Option<String>,
    /// The value as text; empty when unset.
    text: String,
}

/// A candidate's mapped custom fields, by the Oneflow data field they map to.
#[derive(Clone, Debug)]
pub struct CandidateFields {
    candidate: String,
    fields: BTreeMap<String, Field>,
    options: BTreeMap<String, Vec<CustomFieldOption>>,
}

fn is_select(def: &CustomFieldDef) -> bool {
    def.attributes.field_type.as_deref().is_some_and(|t| t.contains("Select"))
}

impl CandidateFields {
    /// Reads the candidate's values of the mapped fields (definitions and options only when needed).
    pub async fn read(
        tt: &TeamtailorClient,
        candidate: &str,
        map: &[ContractFieldMapping],
    ) -> Result<Self, ProviderError> {
        let values = tt.candidate_custom_field_values(candidate).await?;
        let mut defs: Vec<CustomFieldDef> = values.iter().filter_map(|v| v.field.clone()).collect();
        let named =
            |defs: &[CustomFieldDef], api: &str| defs.iter().any(|d| d.attributes.api_name.as_deref() == Some(api));
        // An empty field has no value to carry its definition; it is needed to create one.
        if map.iter().any(|m| !named(&defs, &m.teamtailor_custom_field)) {
            defs = tt.custom_field_definitions().await?;
        }
        let def_of = |api: &str| defs.iter().find(|d| d.attributes.api_name.as_deref() == Some(api)).cloned();
        let mapped: Vec<Option<CustomFieldDef>> = map.iter().map(|m| def_of(&m.teamtailor_custom_field)).collect();
        let options =
            if mapped.iter().flatten().any(is_select) { tt.custom_field_options().await? } else { BTreeMap::new() };
        let mut fields = BTreeMap::new();
        for (m, def) in map.iter().zip(mapped) {
            let value = def.as_ref().and_then(|d| {
                values.iter().find(|v| {
                    v.value.related_id("custom-field") == Some(d.id.as_str())
                        || v.field.as_ref().is_some_and(|f| f.id == d.id)
                })
            });
            let opts = def.as_ref().and_then(|d| options.get(&d.id)).map_or(&[][..], Vec::as_slice);
            let field = Field {
                api_name: m.teamtailor_custom_field.clone(),
                text: value.map(|v| custom_value_text(&v.value.attributes.value, opts)).unwrap_or_default(),
                value_id: value.map(|v| v.value.id.clone()),
                def,
            };
            fields.insert(m.oneflow_data_field.clone(), field);
        }
        Ok(Self { candidate: candidate.to_owned(), fields, options })
    }

    /// Every mapped field's text, by data field custom id.
    pub fn texts(&self) -> BTreeMap<String, String> {
        self.fields.iter().map(|(k, f)| (k.clone(), f.text.clone())).collect()
    }

    /// The text of the field mapped to `data_field`; empty when unset.
    pub fn text(&self, data_field: &str) -> String {
        self.fields.get(data_field).map(|f| f.text.clone()).unwrap_or_default()
    }

    /// What Teamtailor would store for `text` in the field mapped to `data_field`, and how it
    /// reads back; an error says why the field cannot take it.
    pub fn stored(&self, data_field: &str, text: &str) -> Result<(Value, String), String> {
        let field = self.fields.get(data_field).ok_or_else(|| format!("`{data_field}` is not mapped"))?;
        let def = field.def.as_ref().ok_or_else(|| format!("Teamtailor has no custom field `{}`", field.api_name))?;
        if text.trim().is_empty() {
            return Ok((Value::Null, String::new()));
        }
        let opts = self.options.get(&def.id).map_or(&[][..], Vec::as_slice);
        let field_type = def.attributes.field_type.as_deref().unwrap_or("CustomField::Text");
        let value = custom_value(field_type, &Value::String(text.to_owned()), opts)
            .map_err(|e| format!("`{}` cannot hold {e}", field.api_name))?;
        let shown = custom_value_text(&value, opts);
        Ok((value, shown))
    }

    /// Writes `value` to the field mapped to `data_field`: an update where the candidate has a
    /// value, a new value where the field was empty, nothing for an empty field being cleared.
    pub async fn write(&self, tt: &TeamtailorClient, data_field: &str, value: &Value) -> Result<(), ProviderError> {
        let op = "write custom field";
        let field =
            self.fields.get(data_field).ok_or_else(|| permanent(op, format!("`{data_field}` is not mapped")))?;
        let def = field.def.as_ref().ok_or_else(|| permanent(op, format!("no custom field `{}`", field.api_name)))?;
        match &field.value_id {
            Some(id) => tt.update_custom_field_value(id, value).await.map(drop),
            None if value.is_null() => Ok(()),
            None => tt.create_custom_field_value(&self.candidate, &def.id, value).await.map(drop),
        }
    }

    /// The `api-name` mapped to `data_field`.
    pub fn api_name<'a>(&'a self, data_field: &'a str) -> &'a str {
        self.fields.get(data_field).map_or(data_field, |f| f.api_name.as_str())
    }
}

/// A permanent Teamtailor failure of our own making (no request was sent).
pub fn permanent(operation: &str, message: String) -> ProviderError {
    ProviderError::new(ErrorKind::Permanent, ProviderKind::Teamtailor, operation, message)
}
