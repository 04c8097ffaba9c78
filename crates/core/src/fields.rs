//! Provider fields as the outreach app sees them (API.md "Provider fields",
//! SPEC M2, M3): each field's key, label, value type and options, whatever the
//! provider calls its types, and the check a displayed field's value must pass
//! before it is stored with a contact and written to the provider.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The value a field takes, named the same for every provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Free text (also URLs, emails, phones held as one value).
    String,
    /// A number.
    Number,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// Yes or no.
    Boolean,
    /// One of the field's options.
    Select,
    /// Several of the field's options.
    MultiSelect,
    /// Several free-text values (emails, phones, tags, profiles).
    List,
}

impl FieldType {
    /// The type of a provider's own value-type name: Greenhouse's `single_select`, `yes_no`,
    /// `currency`; Teamtailor's `CustomField::MultiSelect`, `CustomField::Checkbox`; Clockwork's
    /// `single_select`, `multi_select`, `text`. Unknown names are free text.
    pub fn of_provider(value_type: &str) -> Self {
        let name = value_type.rsplit("::").next().unwrap_or(value_type).to_ascii_lowercase().replace([' ', '-'], "_");
        match name.as_str() {
            "single_select" | "select" | "singleselect" | "dropdown" => Self::Select,
            "multi_select" | "multiselect" | "multiple_select" => Self::MultiSelect,
            "yes_no" | "boolean" | "checkbox" | "bool" => Self::Boolean,
            "number" | "currency" | "integer" | "decimal" => Self::Number,
            "date" => Self::Date,
            "standard_list" | "list" => Self::List,
            _ => Self::String,
        }
    }

    /// Whether values are chosen from the field's options.
    pub fn has_options(self) -> bool {
        matches!(self, Self::Select | Self::MultiSelect)
    }
}

/// One allowed value of a select field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldOption {
    /// The provider's id for the option.
    pub id: String,
    /// What users see.
    pub label: String,
}

/// A provider field's definition, before a connection's settings are applied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldDef {
    /// The key a field map, the settings and `field_values` name it by.
    pub key: String,
    /// What users see.
    pub label: String,
    /// The value it takes.
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// Allowed values of a select.
    pub options: Vec<FieldOption>,
    /// Defined by the customer (a custom field) rather than by the provider.
    pub custom: bool,
}

impl FieldDef {
    /// `value` as this field takes it: text trimmed, numbers as numbers, dates as `YYYY-MM-DD`,
    /// booleans as booleans, options by id or label (any case) as their label. The error says
    /// what is wrong in words a recruiter reads.
    pub fn check(&self, value: &Value) -> Result<Value, String> {
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        let option = |v: &Value| -> Result<Value, String> {
            let wanted = text(v).ok_or_else(|| format!("{v} is not one of the options"))?;
            self.options
                .iter()
                .find(|o| o.id == wanted || o.label.eq_ignore_ascii_case(&wanted))
                .map(|o| Value::String(o.label.clone()))
                .ok_or_else(|| format!("`{wanted}` is not one of the options: {}", self.option_labels()))
        };
        match self.field_type {
            FieldType::String => text(value).map(Value::String).ok_or_else(|| "must be text".to_owned()),
            FieldType::Number => match value {
                Value::Number(_) => Ok(value.clone()),
                Value::String(s) => s
                    .trim()
                    .parse::<serde_json::Number>()
                    .map(Value::Number)
                    .map_err(|_| format!("`{}` is not a number", s.trim())),
                _ => Err("must be a number".to_owned()),
            },
            FieldType::Date => text(value)
                .and_then(|s| chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(&s), "%Y-%m-%d").ok())
                .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
                .ok_or_else(|| format!("{value} is not a date (YYYY-MM-DD)")),
            FieldType::Boolean => match value {
                Value::Bool(_) => Ok(value.clone()),
                Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
                Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
                _ => Err("must be true or false".to_owned()),
            },
            FieldType::Select => option(value),
            FieldType::MultiSelect => match value {
                Value::Array(items) => items.iter().map(option).collect::<Result<Vec<_>, _>>().map(Value::Array),
                _ => Err(format!("must be a list of options: {}", self.option_labels())),
            },
            FieldType::List => match value {
                Value::Array(items) => items
                    .iter()
                    .map(|v| text(v).map(Value::String).ok_or_else(|| format!("{v} is not text")))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array),
                other => {
                    text(other).map(|s| Value::Array(vec![Value::String(s)])).ok_or_else(|| "must be a list".into())
                }
            },
        }
    }

    fn option_labels(&self) -> String {
        self.options.iter().map(|o| o.label.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// Standard fields that hold yes or no, by the names providers give them.
const BOOLEAN_FIELDS: &[&str] = &["is_private", "can_email", "unsubscribed", "noRelocation", "doNotContact"];

/// A provider's standard field `key` (not a custom field): a list when it holds several values,
/// else yes-or-no or text by its name. The label is the key in words.
pub fn standard(key: &str, holds_list: bool) -> FieldDef {
    let field_type = if holds_list {
        FieldType::List
    } else if BOOLEAN_FIELDS.contains(&key) {
        FieldType::Boolean
    } else {
        FieldType::String
    };
    FieldDef { key: key.to_owned(), label: label_of(key), field_type, options: Vec::new(), custom: false }
}

/// `first-name`, `first_name`, `nickName`, `email_addresses.work` as `First name`, `Nick name`,
/// `Email addresses (work)`.
fn label_of(key: &str) -> String {
    let (base, kind) = match key.split_once('.') {
        Some((base, kind)) => (base, Some(kind)),
        None => (key, None),
    };
    let mut words = String::new();
    for (i, ch) in base.chars().enumerate() {
        if ch == '_' || ch == '-' {
            words.push(' ');
        } else if ch.is_ascii_uppercase() && i > 0 {
            words.push(' ');
            words.push(ch.to_ascii_lowercase());
        } else if i == 0 {
            words.push(ch.to_ascii_uppercase());
        } else {
            words.push(ch);
        }
    }
    match kind {
        Some(k) => format!("{words} ({k})"),
        None => words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn def(t: FieldType) -> FieldDef {
        FieldDef {
            key: "k".into(),
            label: "K".into(),
            field_type: t,
            options: vec![
                FieldOption { id: "11".into(), label: "Rust".into() },
                FieldOption { id: "12".into(), label: "Go".into() },
            ],
            custom: true,
        }
    }

    #[test]
    fn provider_type_names_map_to_one_vocabulary() {
        assert_eq!(FieldType::of_provider("single_select"), FieldType::Select);
        assert_eq!(FieldType::of_provider("CustomField::MultiSelect"), FieldType::MultiSelect);
        assert_eq!(FieldType::of_provider("CustomField::Checkbox"), FieldType::Boolean);
        assert_eq!(FieldType::of_provider("yes_no"), FieldType::Boolean);
        assert_eq!(FieldType::of_provider("currency"), FieldType::Number);
        assert_eq!(FieldType::of_provider("CustomField::Date"), FieldType::Date);
        assert_eq!(FieldType::of_provider("text"), FieldType::String);
        assert_eq!(FieldType::of_provider("long_text"), FieldType::String);
    }

    #[test]
    fn values_are_checked_and_normalised_by_type() {
        assert_eq!(def(FieldType::Number).check(&json!("42")), Ok(json!(42)));
        assert!(def(FieldType::Number).check(&json!("lots")).is_err());
        assert_eq!(def(FieldType::Date).check(&json!("2026-03-04T10:00:00Z")), Ok(json!("2026-03-04")));
        assert!(def(FieldType::Date).check(&json!("soon")).is_err());
        assert_eq!(def(FieldType::Select).check(&json!("rust")), Ok(json!("Rust")));
        assert_eq!(def(FieldType::Select).check(&json!(12)), Ok(json!("Go")));
        let e = def(FieldType::Select).check(&json!("Cobol")).unwrap_err();
        assert!(e.contains("Rust, Go"), "{e}");
        assert_eq!(def(FieldType::MultiSelect).check(&json!(["go", "11"])), Ok(json!(["Go", "Rust"])));
        assert!(def(FieldType::MultiSelect).check(&json!("Go")).is_err());
        assert_eq!(def(FieldType::Boolean).check(&json!("true")), Ok(json!(true)));
        assert!(def(FieldType::Boolean).check(&json!("maybe")).is_err());
        assert_eq!(def(FieldType::List).check(&json!("a")), Ok(json!(["a"])));
        assert_eq!(def(FieldType::String).check(&json!(" x ")), Ok(json!("x")));
        assert!(def(FieldType::String).check(&json!({"a": 1})).is_err());
    }

    #[test]
    fn standard_fields_get_words_for_labels() {
        assert_eq!(standard("first-name", false).label, "First name");
        assert_eq!(standard("nickName", false).label, "Nick name");
        assert_eq!(standard("email_addresses.work", true).label, "Email addresses (work)");
        assert_eq!(standard("can_email", false).field_type, FieldType::Boolean);
        assert_eq!(standard("phone_numbers.work", true).field_type, FieldType::List);
    }
}
