//! Candidate writes shared by the v3 and v1 routes, with Greenhouse's
//! validation: person fields (typed contact lists with their allowed types)
//! and custom field values (checked against the field's type).

use super::body::{opt_id, opt_str};
use super::errors::GhError;
use super::model::{Candidate, GreenhouseState, Typed, now};
use serde_json::{Map, Value, json};

const EMAIL_TYPES: &[&str] = &["personal", "work", "other"];

const PHONE_TYPES: &[&str] = &["home", "work", "mobile", "skype", "other"];

const ADDRESS_TYPES: &[&str] = &["home", "work", "other"];

const WEBSITE_TYPES: &[&str] = &["personal", "company", "portfolio", "blog", "other"];

/// Person fields a v3 candidate write accepts.
pub const V3_PERSON_KEYS: &[&str] = &[
    "first_name",
    "last_name",
    "preferred_name",
    "company",
    "title",
    "time_zone",
    "is_private",
    "can_email",
    "email_addresses",
    "phone_numbers",
    "addresses",
    "website_addresses",
    "social_media_addresses",
    "tags",
    "linked_user_ids",
    "custom_fields",
];

fn typed_list(body: &Map<String, Value>, field: &str, types: Option<&[&str]>) -> Result<Option<Vec<Typed>>, GhError> {
    let Some(value) = body.get(field) else {
        return Ok(None);
    };
    let items = value.as_array().ok_or_else(|| GhError::field(field, "must be an array"))?;
    let mut out = Vec::new();
    for item in items {
        let value = item
            .get("value")
            .and_then(Value::as_str)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| GhError::field(field, "value is required"))?;
        let kind = item.get("type").and_then(Value::as_str).map(str::to_owned);
        if let Some(types) = types {
            match &kind {
                Some(k) if types.contains(&k.as_str()) => {}
                _ => {
                    return Err(GhError::field(field, format!("type must be one of {}", types.join(", "))));
                }
            }
        }
        out.push(Typed { value: value.to_owned(), kind: if types.is_some() { kind } else { None } });
    }
    Ok(Some(out))
}

/// Applies person fields to `c`: scalars overwrite, collections replace, custom fields merge per key.
pub fn apply_person(
    state: &GreenhouseState,
    c: &mut Candidate,
    body: &Map<String, Value>,
    creating: bool,
) -> Result<(), GhError> {
    let mut errors = Vec::new();
    for field in ["first_name", "last_name"] {
        match (opt_str(body, field)?, creating) {
            (Some(v), _) if !v.trim().is_empty() => {
                if field == "first_name" {
                    c.first_name = v
                } else {
                    c.last_name = v
                }
            }
            (None, false) => {}
            _ => errors.push((field.to_owned(), format!("Missing required field: {field}"))),
        }
    }
    if !errors.is_empty() {
        return Err(GhError::Invalid(errors));
    }
    for (field, slot) in
        [("company", &mut c.company), ("title", &mut c.title), ("preferred_name", &mut c.preferred_name)]
    {
        if body.contains_key(field) {
            *slot = opt_str(body, field)?;
        }
    }
    for (field, slot) in [("is_private", &mut c.private), ("can_email", &mut c.can_email)] {
        match body.get(field) {
            None => {}
            Some(Value::Bool(b)) => *slot = *b,
            Some(_) => return Err(GhError::field(field, "must be a boolean")),
        }
    }
    type ListSlot<'a> = (&'a str, Option<&'a [&'a str]>, &'a mut Vec<Typed>);
    let lists: [ListSlot<'_>; 5] = [
        ("email_addresses", Some(EMAIL_TYPES), &mut c.email_addresses),
        ("phone_numbers", Some(PHONE_TYPES), &mut c.phone_numbers),
        ("addresses", Some(ADDRESS_TYPES), &mut c.addresses),
        ("website_addresses", Some(WEBSITE_TYPES), &mut c.website_addresses),
        ("social_media_addresses", None, &mut c.social_media_addresses),
    ];
    for (field, types, slot) in lists {
        if let Some(items) = typed_list(body, field, types)? {
            *slot = items;
        }
    }
    if let Some(tags) = body.get("tags") {
        let tags = tags.as_array().ok_or_else(|| GhError::field("tags", "must be an array of strings"))?;
        c.tags = tags
            .iter()
            .map(|t| t.as_str().map(str::to_owned).ok_or_else(|| GhError::field("tags", "must be an array of strings")))
            .collect::<Result<_, _>>()?;
    }
    if let Some(fields) = body.get("custom_fields") {
        apply_custom_fields(state, &mut c.custom_fields, fields)?;
    }
    c.updated_at = now();
    Ok(())
}

/// Writes `[{name_key | custom_field_id | id, value}]` entries; `null` (or v1 `delete_value`) clears one.
pub fn apply_custom_fields(
    state: &GreenhouseState,
    target: &mut std::collections::BTreeMap<String, Value>,
    fields: &Value,
) -> Result<(), GhError> {
    let entries = fields.as_array().ok_or_else(|| GhError::field("custom_fields", "must be an array"))?;
    for entry in entries {
        let obj = entry.as_object().ok_or_else(|| GhError::field("custom_fields", "entries must be objects"))?;
        let by_key = obj.get("name_key").and_then(Value::as_str);
        let by_id = opt_id(obj, "custom_field_id")?.or(opt_id(obj, "id")?);
        let def = state
            .custom_fields
            .values()
            .find(|d| d.field_type == "candidate" && (Some(d.name_key.as_str()) == by_key || Some(d.id) == by_id))
            .ok_or_else(|| GhError::field("custom_fields", "Unknown custom field"))?;
        let clear = obj.get("delete_value").is_some_and(|d| d == "true" || d == true);
        let value = obj.get("value").cloned().unwrap_or(Value::Null);
        if clear || value.is_null() {
            target.remove(&def.name_key);
            continue;
        }
        let options: Vec<_> = state.custom_field_options.values().filter(|o| o.custom_field_id == def.id).collect();
        let option_name = |v: &Value| {
            options
                .iter()
                .find(|o| v.as_str() == Some(o.name.as_str()) || v.as_i64() == Some(o.id))
                .map(|o| Value::String(o.name.clone()))
        };
        let stored = match def.value_type.as_str() {
            "single_select" => option_name(&value).ok_or_else(|| {
                GhError::field("custom_fields", format!("{} is not an option of {}", value, def.name_key))
            })?,
            "multi_select" => {
                let items = value
                    .as_array()
                    .ok_or_else(|| GhError::field("custom_fields", format!("{} takes an array", def.name_key)))?;
                Value::Array(
                    items
                        .iter()
                        .map(|v| {
                            option_name(v).ok_or_else(|| {
                                GhError::field("custom_fields", format!("{v} is not an option of {}", def.name_key))
                            })
                        })
                        .collect::<Result<_, _>>()?,
                )
            }
            "yes_no" if !value.is_boolean() => {
                return Err(GhError::field("custom_fields", format!("{} takes a boolean", def.name_key)));
            }
            _ => value,
        };
        target.insert(def.name_key.clone(), json!({"name": def.name, "type": def.value_type, "value": stored}));
    }
    Ok(())
}

/// Checks an ISO-8601 date (`YYYY-MM-DD`, optionally with a time).
pub fn check_date(value: &str, field: &str) -> Result<(), GhError> {
    let date = value.get(..10).unwrap_or(value);
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| GhError::field(field, "must be an ISO-8601 date"))
}
