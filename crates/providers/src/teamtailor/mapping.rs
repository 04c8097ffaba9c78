//! Pure wire ↔ core conversions: candidates to people, drafts to candidate
//! attributes (create, and the changed subset on update), custom field values
//! checked against their Teamtailor field type, note text.

use super::wire::{Candidate, CandidateWrite, CustomFieldOption};
use hiresync_core::{NoteDraft, Person, PersonDraft};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Candidate attributes a draft may set through `fields`; any other name is a custom field `api-name`.
pub const STANDARD_FIELDS: &[&str] = &["pitch", "phone", "linkedin-url", "unsubscribed"];

/// The web-app link of a candidate under `app_url`.
pub fn person_url(app_url: &str, id: &str) -> String {
    format!("{app_url}/candidates/{id}")
}

/// A candidate as a core person; standard attributes go to `fields` under their kebab-case names.
pub fn person(c: &Candidate, app_url: &str) -> Person {
    let a = &c.attributes;
    let mut fields = BTreeMap::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            fields.insert(k.to_owned(), v);
        }
    };
    put("phone", json!(a.phone));
    put("pitch", json!(a.pitch));
    put("linkedin-url", json!(a.linkedin_url));
    put("tags", json!(a.tags));
    put("unsubscribed", json!(a.unsubscribed));
    put("connected", json!(a.connected));
    put("sourced", json!(a.sourced));
    put("referring-site", json!(a.referring_site));
    Person {
        id: c.id.clone(),
        emails: a.email.iter().filter(|e| !e.trim().is_empty()).cloned().collect(),
        first_name: a.first_name.clone(),
        last_name: a.last_name.clone(),
        url: Some(person_url(app_url, &c.id)),
        fields,
        // A record made after the contact was added is hiresync's own, not pre-existing (S5).
        created_at: a
            .created_at
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t.trim()).ok())
            .map(|t| t.with_timezone(&chrono::Utc)),
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// Splits a draft's `fields` into standard attributes and custom `(api-name, value)` pairs.
pub fn split_fields(draft: &PersonDraft) -> (BTreeMap<String, Value>, Vec<(String, Value)>) {
    let mut standard = BTreeMap::new();
    let mut custom = Vec::new();
    for (key, value) in &draft.fields {
        match key.as_str() {
            "first-name" | "last-name" | "first_name" | "last_name" | "email" | "tags" => {}
            k if STANDARD_FIELDS.contains(&k) => {
                standard.insert(k.to_owned(), value.clone());
            }
            k => custom.push((k.to_owned(), value.clone())),
        }
    }
    (standard, custom)
}

fn wanted(draft: &PersonDraft) -> CandidateWrite {
    let (standard, _) = split_fields(draft);
    CandidateWrite {
        email: draft.emails.first().map(|e| e.trim().to_owned()).filter(|e| !e.is_empty()),
        first_name: draft.first_name.clone(),
        last_name: draft.last_name.clone(),
        phone: standard.get("phone").and_then(text).or_else(|| draft.phones.first().cloned()),
        pitch: standard.get("pitch").and_then(text),
        linkedin_url: standard.get("linkedin-url").and_then(text).or_else(|| draft.social.get("linkedin").cloned()),
        tags: (!draft.tags.is_empty()).then(|| draft.tags.clone()),
        unsubscribed: standard.get("unsubscribed").and_then(Value::as_bool),
        merge: None,
    }
}

/// The `POST /v1/candidates` attributes; `merge` guards against a concurrent create of the same email.
pub fn create_attributes(draft: &PersonDraft) -> CandidateWrite {
    CandidateWrite { merge: Some(true), ..wanted(draft) }
}

/// The `PATCH` attributes: scalars that differ from what Teamtailor holds, tags as the
/// union; the email (the dedup key) is never changed. `None` when nothing changes.
pub fn update_attributes(existing: &Candidate, draft: &PersonDraft) -> Option<CandidateWrite> {
    let a = &existing.attributes;
    let want = wanted(draft);
    let changed = |new: Option<String>, old: &Option<String>| new.filter(|n| Some(n) != old.as_ref());
    let held = a.tags.clone().unwrap_or_default();
    let mut tags = held.clone();
    for t in want.tags.iter().flatten() {
        if !tags.iter().any(|h| h.trim().eq_ignore_ascii_case(t.trim())) {
            tags.push(t.clone());
        }
    }
    let body = CandidateWrite {
        email: None,
        first_name: changed(want.first_name, &a.first_name),
        last_name: changed(want.last_name, &a.last_name),
        phone: changed(want.phone, &a.phone),
        pitch: changed(want.pitch, &a.pitch),
        linkedin_url: changed(want.linkedin_url, &a.linkedin_url),
        tags: (tags.len() != held.len()).then_some(tags),
        unsubscribed: want.unsubscribed.filter(|u| Some(*u) != a.unsubscribed),
        merge: None,
    };
    (body != CandidateWrite::default()).then_some(body)
}

/// A value as Teamtailor stores it for `field_type`: text kinds as strings, Checkbox as a bool,
/// Number as a number, Date as `YYYY-MM-DD`, Select as an option id, MultiSelect as option ids.
/// Options are matched by id or, case-insensitively, by label.
pub fn custom_value(field_type: &str, value: &Value, options: &[CustomFieldOption]) -> Result<Value, String> {
    let kind = field_type.strip_prefix("CustomField::").unwrap_or(field_type);
    let as_text = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let option = |v: &Value| -> Result<Value, String> {
        let wanted = as_text(v).ok_or_else(|| format!("`{v}` is not an option"))?;
        options
            .iter()
            .find(|o| o.id == wanted || o.attributes.value.as_deref().is_some_and(|l| l.eq_ignore_ascii_case(&wanted)))
            .map(|o| Value::String(o.id.clone()))
            .ok_or_else(|| format!("`{wanted}` is not one of the field's options"))
    };
    match kind {
        "Checkbox" => match value {
            Value::Bool(b) => Ok(Value::Bool(*b)),
            other => match as_text(other).map(|s| s.to_ascii_lowercase()).as_deref() {
                Some("true" | "yes" | "1" | "on") => Ok(Value::Bool(true)),
                Some("false" | "no" | "0" | "off" | "") => Ok(Value::Bool(false)),
                _ => Err(format!("`{other}` is not a checkbox value")),
            },
        },
        "Number" => match value {
            Value::Number(_) => Ok(value.clone()),
            other => as_text(other)
                .and_then(|s| s.parse::<f64>().ok())
                .and_then(|n| {
                    if n.fract() == 0.0 {
                        Some(json!(n as i64))
                    } else {
                        serde_json::Number::from_f64(n).map(Value::Number)
                    }
                })
                .ok_or_else(|| format!("`{other}` is not a number")),
        },
        "Date" => as_text(value)
            .and_then(|s| chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(&s), "%Y-%m-%d").ok())
            .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
            .ok_or_else(|| format!("`{value}` is not a date (YYYY-MM-DD)")),
        "Select" => option(value),
        "MultiSelect" => match value {
            Value::Array(items) => items.iter().map(option).collect::<Result<Vec<_>, _>>().map(Value::Array),
            Value::String(s) => s
                .split(',')
                .filter(|p| !p.trim().is_empty())
                .map(|p| option(&Value::String(p.to_owned())))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            other => Err(format!("`{other}` is not a list of options")),
        },
        // A list variable's remaining values (secondary emails, phones) share one text field.
        _ => match value {
            Value::Array(items) => Ok(Value::String(items.iter().filter_map(as_text).collect::<Vec<_>>().join(", "))),
            other => as_text(other).map(Value::String).ok_or_else(|| format!("`{other}` is not text")),
        },
    }
}

/// A custom field value as plain text (option ids turned back into labels), for contracts and people.
pub fn custom_value_text(value: &Value, options: &[CustomFieldOption]) -> String {
    let label = |id: &str| {
        options.iter().find(|o| o.id == id).and_then(|o| o.attributes.value.clone()).unwrap_or_else(|| id.to_owned())
    };
    match value {
        Value::Null => String::new(),
        Value::String(s) if !options.is_empty() => label(s),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            items.iter().map(|i| i.as_str().map_or_else(|| i.to_string(), label)).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

/// Whether the note's mapped type makes it private (`private-note`): the one kind of note
/// Teamtailor tells apart (see `core::settings::TEAMTAILOR_NOTE_TYPES`).
pub fn is_private(note: &NoteDraft) -> bool {
    note.note_type.as_deref().is_some_and(|t| t.trim().eq_ignore_ascii_case("private"))
}

/// The note text: the subject (when set) above the body.
pub fn note_text(note: &NoteDraft) -> String {
    match note.subject.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(subject) => format!("{subject}\n\n{}", note.body),
        None => note.body.clone(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    fn candidate(v: Value) -> Candidate {
        serde_json::from_value(json!({"id": "7", "type": "candidates", "attributes": v})).unwrap()
    }

    fn options() -> Vec<CustomFieldOption> {
        serde_json::from_value(json!([
            {"id": "11", "type": "custom-field-options", "attributes": {"value": "Rust"}},
            {"id": "12", "type": "custom-field-options", "attributes": {"value": "Go"}}
        ]))
        .unwrap()
    }

    #[test]
    fn update_sends_only_changes_and_keeps_the_email() {
        let existing = candidate(json!({"email": "ada@example.com", "first-name": "Ada", "tags": ["rust"]}));
        let draft = PersonDraft {
            emails: vec!["other@example.com".into()],
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            tags: vec!["Rust".into(), "math".into()],
            ..PersonDraft::default()
        };
        let body = update_attributes(&existing, &draft).unwrap();
        assert_eq!(body.email, None);
        assert_eq!(body.first_name, None);
        assert_eq!(body.last_name.as_deref(), Some("Lovelace"));
        assert_eq!(body.tags.unwrap(), ["rust", "math"]);
        let same = PersonDraft { first_name: Some("Ada".into()), ..PersonDraft::default() };
        assert_eq!(update_attributes(&existing, &same), None);
    }

    #[test]
    fn create_merges_and_maps_standard_fields() {
        let mut draft = PersonDraft { emails: vec![" ada@example.com ".into()], ..PersonDraft::default() };
        draft.social.insert("linkedin".into(), "https://linkedin.com/in/ada".into());
        draft.fields.insert("pitch".into(), json!("Engines"));
        draft.fields.insert("github-profile".into(), json!("https://github.com/ada"));
        let body = create_attributes(&draft);
        assert_eq!(body.merge, Some(true));
        assert_eq!(body.email.as_deref(), Some("ada@example.com"));
        assert_eq!(body.pitch.as_deref(), Some("Engines"));
        assert_eq!(body.linkedin_url.as_deref(), Some("https://linkedin.com/in/ada"));
        assert_eq!(split_fields(&draft).1, vec![("github-profile".to_owned(), json!("https://github.com/ada"))]);
    }

    #[test]
    fn custom_values_follow_the_field_type() {
        let o = options();
        assert_eq!(custom_value("CustomField::Checkbox", &json!("yes"), &o), Ok(json!(true)));
        assert_eq!(custom_value("CustomField::Number", &json!("42"), &o), Ok(json!(42)));
        assert_eq!(custom_value("CustomField::Number", &json!("4.5"), &o), Ok(json!(4.5)));
        assert_eq!(custom_value("CustomField::Date", &json!("2026-03-04T10:00:00Z"), &o), Ok(json!("2026-03-04")));
        assert_eq!(custom_value("CustomField::Select", &json!("rust"), &o), Ok(json!("11")));
        assert_eq!(custom_value("CustomField::MultiSelect", &json!("Rust, Go"), &o), Ok(json!(["11", "12"])));
        assert_eq!(custom_value("CustomField::Text", &json!(5), &o), Ok(json!("5")));
        assert_eq!(custom_value("CustomField::Text", &json!(["a@x.io", "b@x.io"]), &o), Ok(json!("a@x.io, b@x.io")));
        assert!(custom_value("CustomField::Select", &json!("Cobol"), &o).is_err());
        assert!(custom_value("CustomField::Date", &json!("soon"), &o).is_err());
        assert_eq!(custom_value_text(&json!(["11", "12"]), &o), "Rust, Go");
        assert_eq!(custom_value_text(&json!(true), &[]), "true");
    }

    #[test]
    fn people_carry_the_app_link_and_standard_fields() {
        let c = candidate(json!({"email": "a@b.io", "unsubscribed": true, "phone": null}));
        let p = person(&c, "https://app.teamtailor.com");
        assert_eq!(p.url.as_deref(), Some("https://app.teamtailor.com/candidates/7"));
        assert_eq!(p.fields.get("unsubscribed"), Some(&json!(true)));
        assert!(!p.fields.contains_key("phone"));
    }
}
