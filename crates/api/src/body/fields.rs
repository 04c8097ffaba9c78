//! Bodies of `GET /v1/connections/{id}/fields` (API.md "Provider fields").

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The value a field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldTypeOut {
    /// Free text.
    String,
    /// A number.
    Number,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// True or false.
    Boolean,
    /// One of `options`.
    Select,
    /// Several of `options`, as a list.
    MultiSelect,
    /// Several texts, as a list.
    List,
}

#[cfg(feature = "server")]
impl From<hiresync_core::fields::FieldType> for FieldTypeOut {
    fn from(t: hiresync_core::fields::FieldType) -> Self {
        use hiresync_core::fields::FieldType as T;
        match t {
            T::String => Self::String,
            T::Number => Self::Number,
            T::Date => Self::Date,
            T::Boolean => Self::Boolean,
            T::Select => Self::Select,
            T::MultiSelect => Self::MultiSelect,
            T::List => Self::List,
        }
    }
}

/// One allowed value of a select field.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct FieldOptionOut {
    /// The provider's id for it.
    pub id: String,
    /// What users see; `field_values` may give either.
    pub label: String,
}

/// A provider field, with the connection's settings applied.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"key": "seniority", "label": "Seniority", "type": "select",
    "options": [{"id": "301", "label": "Junior"}, {"id": "302", "label": "Senior"}], "custom": true,
    "object": "person", "displayed": true, "mandatory": false, "protected": false, "filterable": false}))]
pub struct FieldOut {
    /// The name settings, field maps and a contact's `field_values` use.
    pub key: String,
    /// What users see.
    pub label: String,
    /// The value it takes.
    #[serde(rename = "type")]
    pub field_type: FieldTypeOut,
    /// Allowed values of a select or multi_select; empty otherwise.
    pub options: Vec<FieldOptionOut>,
    /// A custom field the customer defined, rather than one of the provider's own.
    pub custom: bool,
    /// `person`, or `company` for fields of the person's company (a field map's `object`).
    pub object: String,
    /// Listed in `displayed_fields`: a recruiter may fill it per contact (`field_values`).
    pub displayed: bool,
    /// Listed in `mandatory_fields`: contacts without it are not synced.
    pub mandatory: bool,
    /// Listed in `protected_fields`: never overwritten on existing records.
    pub protected: bool,
    /// Listed in `filterable_fields`: `GET /v1/connections/{id}/people` may search by it.
    pub filterable: bool,
}
