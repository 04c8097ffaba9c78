//! Pure wire ↔ core conversions: candidates to people, drafts to candidate
//! writes (merging with what Greenhouse holds, since PATCH replaces whole
//! collections), employment dates, note types.

use super::config::APP_URL;
use super::wire::{ApplicationWrite, Candidate, CandidateWrite, CustomFieldWrite, EmploymentWrite, Typed};
use hiresync_core::{Employment, NoteDraft, Person, PersonDraft};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Candidate fields a draft may set directly; any other field name is a custom field `name_key`.
pub const STANDARD_FIELDS: &[&str] = &["preferred_name", "time_zone", "is_private", "can_email"];
/// Custom field types whose read value can be written back unchanged.
const ROUND_TRIP_TYPES: &[&str] =
    &["short_text", "long_text", "yes_no", "boolean", "single_select", "multi_select", "number", "date", "url"];

/// The web-app link of a person.
pub fn person_url(id: &str) -> String {
    format!("{APP_URL}/people/{id}")
}

/// A candidate as a core person; custom fields are flattened to their values.
pub fn person(c: &Candidate) -> Person {
    let mut fields = BTreeMap::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            fields.insert(k.to_owned(), v);
        }
    };
    put("company", json!(c.company));
    put("title", json!(c.title));
    put("can_email", json!(c.can_email));
    put("private", json!(c.private));
    put("tags", json!(c.tags));
    put("phone_numbers", json!(c.phone_numbers.as_ref().map(|p| p.iter().map(|t| &t.value).collect::<Vec<_>>())));
    put(
        "social_media_addresses",
        json!(c.social_media_addresses.as_ref().map(|p| p.iter().map(|t| &t.value).collect::<Vec<_>>())),
    );
    for (key, value) in c.custom_fields.iter().flatten() {
        put(key, value.get("value").cloned().unwrap_or(Value::Null));
    }
    let id = c.id.to_string();
    Person {
        emails: c.email_addresses.iter().flatten().map(|e| e.value.clone()).filter(|e| !e.is_empty()).collect(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        url: Some(person_url(&id)),
        id,
        fields,
        created_at: c
            .created_at
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&chrono::Utc)),
    }
}

fn typed(value: &str, kind: &str) -> Typed {
    Typed { value: value.trim().to_owned(), kind: Some(kind.to_owned()) }
}

/// Emails, phones and links compare as emails do everywhere (NFC, lower case, trimmed).
fn same(a: &str, b: &str) -> bool {
    hiresync_core::validation::same_email(a, b)
}

/// `existing` plus the `wanted` values it lacks; `None` when nothing is new.
fn merged(existing: &[Typed], wanted: impl IntoIterator<Item = Typed>) -> Option<Vec<Typed>> {
    let mut out = existing.to_vec();
    for item in wanted {
        if !item.value.is_empty() && !out.iter().any(|e| same(&e.value, &item.value)) {
            out.push(item);
        }
    }
    (out.len() != existing.len()).then_some(out)
}

fn split_fields(draft: &PersonDraft) -> (Map<String, Value>, Vec<(String, Value)>) {
    let mut standard = Map::new();
    let mut custom = Vec::new();
    for (key, value) in &draft.fields {
        match key.as_str() {
            // Core fields may arrive through the field map too; the typed draft fields win.
            "first_name" | "last_name" | "company" | "title" => {}
            k if STANDARD_FIELDS.contains(&k) => {
                standard.insert(k.to_owned(), value.clone());
            }
            k => custom.push((k.to_owned(), value.clone())),
        }
    }
    (standard, custom)
}

fn custom_write(key: &str, value: &Value) -> CustomFieldWrite {
    CustomFieldWrite { name_key: key.to_owned(), value: value.clone() }
}

/// The `POST /v3/candidates` body for a draft (a jobless prospect application when `as_prospect`).
pub fn create_body(draft: &PersonDraft) -> CandidateWrite {
    let (standard, custom) = split_fields(draft);
    let non_empty = |v: Vec<Typed>| (!v.is_empty()).then_some(v);
    CandidateWrite {
        first_name: draft.first_name.clone(),
        last_name: draft.last_name.clone(),
        company: draft.company.clone(),
        title: draft.title.clone(),
        standard,
        email_addresses: non_empty(draft.emails.iter().map(|e| typed(e, "other")).collect()),
        phone_numbers: non_empty(draft.phones.iter().map(|p| typed(p, "other")).collect()),
        addresses: draft.location.as_deref().map(|l| vec![typed(l, "other")]),
        social_media_addresses: non_empty(
            draft.social.values().map(|u| Typed { value: u.trim().to_owned(), kind: None }).collect(),
        ),
        tags: (!draft.tags.is_empty()).then(|| draft.tags.clone()),
        custom_fields: (!custom.is_empty()).then(|| custom.iter().map(|(k, v)| custom_write(k, v)).collect()),
        application: draft
            .as_prospect
            .then(|| ApplicationWrite { prospect: Some(true), ..ApplicationWrite::default() }),
    }
}

/// The `PATCH /v3/candidates/{id}` body: draft scalars overwrite; emails, phones,
/// addresses, social profiles and tags are the stored lists plus what is new;
/// custom fields re-send every stored simple value with the draft's on top.
/// `None` when the draft changes nothing.
pub fn update_body(existing: &Candidate, draft: &PersonDraft) -> Option<CandidateWrite> {
    let (standard, custom) = split_fields(draft);
    let changed = |new: &Option<String>, old: &Option<String>| new.clone().filter(|n| Some(n) != old.as_ref());
    let tags = existing.tags.clone().unwrap_or_default();
    let mut all_tags = tags.clone();
    for t in &draft.tags {
        if !all_tags.iter().any(|e| same(e, t)) {
            all_tags.push(t.clone());
        }
    }
    let custom_fields = (!custom.is_empty()).then(|| {
        let mut values: BTreeMap<String, Value> = existing
            .custom_fields
            .iter()
            .flatten()
            .filter(|(_, v)| v.get("type").and_then(Value::as_str).is_some_and(|t| ROUND_TRIP_TYPES.contains(&t)))
            .filter_map(|(k, v)| v.get("value").filter(|x| !x.is_null()).map(|x| (k.clone(), x.clone())))
            .collect();
        values.extend(custom);
        values.iter().map(|(k, v)| custom_write(k, v)).collect()
    });
    let body = CandidateWrite {
        first_name: changed(&draft.first_name, &existing.first_name),
        last_name: changed(&draft.last_name, &existing.last_name),
        company: changed(&draft.company, &existing.company),
        title: changed(&draft.title, &existing.title),
        standard,
        email_addresses: merged(
            existing.email_addresses.as_deref().unwrap_or_default(),
            draft.emails.iter().map(|e| typed(e, "other")),
        ),
        phone_numbers: merged(
            existing.phone_numbers.as_deref().unwrap_or_default(),
            draft.phones.iter().map(|p| typed(p, "other")),
        ),
        addresses: merged(
            existing.addresses.as_deref().unwrap_or_default(),
            draft.location.iter().map(|l| typed(l, "other")),
        ),
        social_media_addresses: merged(
            existing.social_media_addresses.as_deref().unwrap_or_default(),
            draft.social.values().map(|u| Typed { value: u.trim().to_owned(), kind: None }),
        ),
        tags: (all_tags.len() != tags.len()).then_some(all_tags),
        custom_fields,
        application: None,
    };
    (body != CandidateWrite::default()).then_some(body)
}

/// An outreach date (`2021-03-04`, `2021-03`, `2021`, or a timestamp) as an ISO date.
pub fn iso_date(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let date = raw.get(..10).unwrap_or(raw);
    if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok() {
        return Some(date.to_owned());
    }
    if let Some((y, m)) = raw.split_once('-') {
        let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        return chrono::NaiveDate::from_ymd_opt(y, m, 1).map(|d| d.format("%Y-%m-%d").to_string());
    }
    let y = raw.parse::<i32>().ok()?;
    chrono::NaiveDate::from_ymd_opt(y, 1, 1).map(|d| d.format("%Y-%m-%d").to_string())
}

/// An employment in Greenhouse's required shape; `None` when company, title or start is missing.
pub fn employment_row(e: &Employment) -> Option<(String, String, String, Option<String>)> {
    let company = e.company.as_deref().map(str::trim).filter(|s| !s.is_empty())?.to_owned();
    let title = e.title.as_deref().map(str::trim).filter(|s| !s.is_empty())?.to_owned();
    let start = iso_date(e.start.as_deref()?)?;
    Some((company, title, start, e.end.as_deref().and_then(iso_date)))
}

/// The `POST /v3/candidate_employments` body of an [`employment_row`].
pub fn employment_write(
    candidate_id: i64,
    (company, title, start, end): (String, String, String, Option<String>),
) -> EmploymentWrite {
    EmploymentWrite { candidate_id, company_name: company, title, start_date: start, end_date: end }
}

/// A stored employment in [`employment_row`]'s shape, to compare with what is wanted.
pub fn employment_key(e: &super::wire::Employment) -> (String, String, String, Option<String>) {
    let date = |d: &Option<String>| d.as_deref().and_then(iso_date);
    (
        e.company_name.clone().unwrap_or_default(),
        e.title.clone().unwrap_or_default(),
        date(&e.start_date).unwrap_or_default(),
        date(&e.end_date),
    )
}

/// The v3 note type for a draft: the mapped type upper-cased, else `EMAIL` when it has sender
/// and recipient; an `EMAIL` without them falls back to `NOTE`.
pub fn note_type(note: &NoteDraft) -> &'static str {
    let has_addresses = note.from.as_deref().is_some_and(|f| !f.trim().is_empty())
        && note.to.as_deref().is_some_and(|t| !t.trim().is_empty());
    match note.note_type.as_deref().map(str::to_ascii_uppercase).as_deref() {
        Some("EMAIL") | None if has_addresses => "EMAIL",
        Some("ACTIVITY") => "ACTIVITY",
        _ => "NOTE",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    fn existing() -> Candidate {
        Candidate {
            id: 4_000_000_001_002,
            first_name: Some("Ada".into()),
            email_addresses: Some(vec![typed("ada@example.com", "work")]),
            tags: Some(vec!["rust".into()]),
            custom_fields: serde_json::from_value(json!({
                "seniority": {"name": "Seniority", "type": "single_select", "value": "Senior"},
                "salary": {"name": "Salary", "type": "currency", "value": {"amount": 1, "unit": "EUR"}}
            }))
            .ok(),
            ..Candidate::default()
        }
    }

    #[test]
    fn update_keeps_existing_collections_and_adds_new_items() {
        let draft = PersonDraft {
            emails: vec!["ADA@example.com".into(), "ada@home.org".into()],
            tags: vec!["Rust".into(), "go".into()],
            ..PersonDraft::default()
        };
        let body = update_body(&existing(), &draft).unwrap();
        let emails: Vec<_> = body.email_addresses.unwrap().into_iter().map(|e| e.value).collect();
        assert_eq!(emails, ["ada@example.com", "ada@home.org"]);
        assert_eq!(body.tags.unwrap(), ["rust", "go"]);
        assert!(body.custom_fields.is_none());
    }

    #[test]
    fn update_resends_simple_custom_values_and_skips_complex_ones() {
        let mut draft = PersonDraft::default();
        draft.fields.insert("source_channel".into(), json!("LinkedIn"));
        let fields = update_body(&existing(), &draft).unwrap().custom_fields.unwrap();
        assert!(fields.contains(&custom_write("seniority", &json!("Senior"))));
        assert!(fields.contains(&custom_write("source_channel", &json!("LinkedIn"))));
        assert!(!fields.iter().any(|f| f.name_key == "salary"));
    }

    #[test]
    fn an_unchanged_draft_sends_nothing() {
        let draft = PersonDraft {
            first_name: Some("Ada".into()),
            emails: vec!["ada@example.com".into()],
            ..PersonDraft::default()
        };
        assert_eq!(update_body(&existing(), &draft), None);
    }

    #[test]
    fn dates_and_note_types_normalise() {
        assert_eq!(iso_date("2021-03").as_deref(), Some("2021-03-01"));
        assert_eq!(iso_date("2020").as_deref(), Some("2020-01-01"));
        assert_eq!(iso_date("2019-07-12T13:58:19Z").as_deref(), Some("2019-07-12"));
        assert_eq!(iso_date("2021-13"), None);
        let mut note = NoteDraft {
            outreach_type: "message_sent".into(),
            note_type: None,
            subject: None,
            body: "hi".into(),
            from: Some("a@x".into()),
            to: Some("b@y".into()),
            occurred_at: chrono::Utc::now(),
        };
        assert_eq!(note_type(&note), "EMAIL");
        note.to = None;
        assert_eq!(note_type(&note), "NOTE");
        note.note_type = Some("activity".into());
        assert_eq!(note_type(&note), "ACTIVITY");
    }
}
