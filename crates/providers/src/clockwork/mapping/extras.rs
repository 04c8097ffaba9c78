//! What Clockwork holds beyond names, emails and phones: custom field values
//! (keyed `custom_fields.<id>`, options sent by id), a contact's free-text
//! location as an address, and social profiles other than LinkedIn as web sites.

use super::person::{missing, same};
use crate::CustomField;
use crate::clockwork::wire::{AddressFields, CustomFieldDef, Person as WirePerson};
use hiresync_core::PersonDraft;
use hiresync_core::fields::FieldOption;
use serde_json::Value;

/// The prefix of a custom field's key: Clockwork gives fields no stable API name (`[U]`), so
/// the key is made from the field's id and stays right when the field is renamed.
pub const CUSTOM_PREFIX: &str = "custom_fields.";

/// The address type a contact's location is written with (`[U]` values).
pub const ADDRESS_TYPE: &str = "work";

/// A person custom field as the provider-neutral definition (company ones cannot be written).
pub fn custom_field(def: &CustomFieldDef) -> Option<CustomField> {
    let object = def.object_type.as_deref().unwrap_or("person");
    if def.id.is_empty() || !object.eq_ignore_ascii_case("person") {
        return None;
    }
    Some(CustomField {
        key: format!("{CUSTOM_PREFIX}{}", def.id),
        name: def.name.clone().unwrap_or_else(|| def.id.clone()),
        object: "person".into(),
        value_type: def.field_type.clone().unwrap_or_else(|| "text".into()),
        options: def
            .options
            .iter()
            .filter_map(|o| Some(FieldOption { id: o.id.clone(), label: o.value.clone()? }))
            .collect(),
    })
}

/// The draft's custom field values: `(field id, value)` for every `custom_fields.<id>` key.
pub fn custom_values(draft: &PersonDraft) -> Vec<(String, Value)> {
    draft
        .fields
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(CUSTOM_PREFIX).map(|id| (id.to_owned(), v.clone())))
        .filter(|(_, v)| !v.is_null())
        .collect()
}

/// A value as Clockwork stores it for `def`: text as a string, a Single Select as its option's
/// id, a Multiple Select as option ids; options are matched by id or label in any case.
pub fn custom_value(def: &CustomFieldDef, value: &Value) -> Result<Value, String> {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let option = |v: &Value| -> Result<Value, String> {
        let wanted = text(v).ok_or_else(|| format!("{v} is not an option"))?;
        def.options
            .iter()
            .find(|o| o.id == wanted || o.value.as_deref().is_some_and(|l| same(l, &wanted)))
            .map(|o| Value::String(o.id.clone()))
            .ok_or_else(|| format!("`{wanted}` is not one of the field's options"))
    };
    match def.field_type.as_deref().unwrap_or("text") {
        "single_select" => option(value),
        "multi_select" => match value {
            Value::Array(items) => items.iter().map(option).collect::<Result<Vec<_>, _>>().map(Value::Array),
            other => option(other).map(|v| Value::Array(vec![v])),
        },
        _ => match value {
            Value::Array(items) => Ok(Value::String(items.iter().filter_map(text).collect::<Vec<_>>().join(", "))),
            other => text(other).map(Value::String).ok_or_else(|| format!("{other} is not text")),
        },
    }
}

/// Whether `have` already holds `value` for field `id`.
pub fn holds_value(have: &WirePerson, id: &str, value: &Value) -> bool {
    have.custom_field_values.iter().flatten().any(|v| v.custom_field_id == id && &v.value == value)
}

/// A free-text location as an address: `City`, `City, State`, or `City, State, Country` (parts
/// between the first and the last go to the state). `None` when blank.
pub fn address(location: &str) -> Option<AddressFields> {
    let parts: Vec<&str> = location.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    let (city, rest) = parts.split_first()?;
    let (state, country) = match rest {
        [] => (None, None),
        [state] => (Some((*state).to_owned()), None),
        [middle @ .., country] => (Some(middle.join(", ")), Some((*country).to_owned())),
    };
    Some(AddressFields { city: (*city).to_owned(), state, country, location: ADDRESS_TYPE.to_owned() })
}

/// The address the draft's location asks for, unless `have` holds one in the same city and state.
pub fn wanted_address(have: &WirePerson, draft: &PersonDraft) -> Option<AddressFields> {
    let want = address(draft.location.as_deref()?)?;
    let held = have.addresses.iter().flatten().any(|a| {
        let same_city = a.city.as_deref().is_some_and(|c| same(c, &want.city));
        let same_line =
            a.formatted_address.as_deref().is_some_and(|f| same(f, draft.location.as_deref().unwrap_or("")));
        same_line || (same_city && a.state.as_deref().map(str::trim) == want.state.as_deref())
    });
    (!held).then_some(want)
}

/// `(url, network)` for each social profile of the draft other than LinkedIn (which has its own
/// route) that `have` lacks.
pub fn wanted_sites(have: &WirePerson, draft: &PersonDraft) -> Vec<(String, String)> {
    let held: Vec<String> = have.web_sites.iter().flatten().filter_map(|w| w.url.clone()).collect();
    let mut out = Vec::new();
    for (network, url) in draft.social.iter().filter(|(n, _)| !n.eq_ignore_ascii_case("linkedin")) {
        for url in missing(&held, [url]) {
            out.push((url, network.to_ascii_lowercase()));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::clockwork::wire::CustomFieldChoice;
    use serde_json::json;

    fn select(kind: &str) -> CustomFieldDef {
        CustomFieldDef {
            id: "f1".into(),
            name: Some("Level".into()),
            field_type: Some(kind.into()),
            object_type: Some("person".into()),
            options: vec![
                CustomFieldChoice { id: "o1".into(), value: Some("Junior".into()) },
                CustomFieldChoice { id: "o2".into(), value: Some("Senior".into()) },
            ],
        }
    }

    #[test]
    fn options_go_by_id_and_text_as_text() {
        assert_eq!(custom_value(&select("single_select"), &json!("senior")), Ok(json!("o2")));
        assert_eq!(custom_value(&select("multi_select"), &json!(["Junior", "o2"])), Ok(json!(["o1", "o2"])));
        assert!(custom_value(&select("single_select"), &json!("Lead")).is_err());
        assert_eq!(custom_value(&select("text"), &json!(5)), Ok(json!("5")));
        let field = custom_field(&select("single_select")).unwrap();
        assert_eq!(field.key, "custom_fields.f1");
        assert_eq!(field.options[1], FieldOption { id: "o2".into(), label: "Senior".into() });
        assert!(custom_field(&CustomFieldDef { object_type: Some("company".into()), ..select("text") }).is_none());
    }

    #[test]
    fn locations_split_into_address_parts() {
        let a = address("Austin, TX, USA").unwrap();
        assert_eq!((a.city.as_str(), a.state.as_deref(), a.country.as_deref()), ("Austin", Some("TX"), Some("USA")));
        let a = address("London, UK").unwrap();
        assert_eq!((a.city.as_str(), a.state.as_deref(), a.country.as_deref()), ("London", Some("UK"), None));
        assert!(address(" , ").is_none());
    }
}
