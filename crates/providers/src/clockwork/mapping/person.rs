//! People: a Clockwork person as a core person, drafts to person writes,
//! and the contact details (emails and phones with the type each mapped
//! field gives them, LinkedIn profiles) and tags a person lacks.

use crate::clockwork::wire::{EmailAddress, Person as WirePerson, PersonBody, PersonFields, Tag};
use hiresync_core::{Person, PersonDraft};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Person fields a draft may set by their Clockwork names (`[S]` CW-PD create-person);
/// other keys would be custom fields, whose API is unknown, and are not written.
pub const STANDARD_FIELDS: &[&str] = &["nickName", "biography", "assistantName", "skypeName", "noRelocation"];

/// Email types a field map may target as `email_addresses.<type>` (`[S]` v1 `location` values).
pub const EMAIL_TYPES: &[&str] = &["work", "home", "other"];

/// Phone types a field map may target as `phone_numbers.<type>` (`[S]` v1 fields).
pub const PHONE_TYPES: &[&str] = &["mobile", "work", "home", "other"];

/// Person fields holding several values: emails and phones by type, LinkedIn profiles.
pub const LIST_FIELDS: &[&str] = &[
    "email_addresses.work",
    "email_addresses.home",
    "email_addresses.other",
    "phone_numbers.mobile",
    "phone_numbers.work",
    "phone_numbers.home",
    "phone_numbers.other",
    "linkedin_urls",
];

/// Company fields: Clockwork holds a person's company on their positions (`[S]` CW-PD
/// `companyName`), so the current position's company is where they go (`[U]`: company
/// records have no known write route, and their custom fields are a Pro add-on of unknown API).
pub const COMPANY_FIELDS: &[&str] = &["companyName"];

/// The type an email gets unless a field map names another.
pub const DEFAULT_EMAIL_TYPE: &str = "work";

/// The type a phone gets unless a field map names another.
pub const DEFAULT_PHONE_TYPE: &str = "mobile";

/// The web-app link of a person on the firm's domain (path `[U]`).
pub fn person_url(app_host: &str, id: &str) -> String {
    format!("https://{app_host}/people/{id}")
}

/// Emails, phones and links compare as emails do everywhere (NFC, lower case, trimmed).
pub(crate) fn same(a: &str, b: &str) -> bool {
    hiresync_core::validation::same_email(a, b)
}

fn split_name(name: &str) -> (Option<String>, Option<String>) {
    let name = name.trim();
    match name.split_once(char::is_whitespace) {
        Some((first, last)) => (Some(first.to_owned()), Some(last.trim().to_owned())),
        None if !name.is_empty() => (Some(name.to_owned()), None),
        None => (None, None),
    }
}

/// Every email a record shows, the preferred one first, without duplicates.
pub fn emails(p: &WirePerson) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let listed = p.email_addresses.iter().flatten();
    let preferred = listed.clone().filter(|e| e.is_preferred == Some(true));
    let all = p
        .preferred_email_address
        .iter()
        .chain(preferred.chain(listed.filter(|e| e.is_preferred != Some(true))).filter_map(|e| e.address.as_ref()));
    for e in all.map(|e| e.trim()).filter(|e| !e.is_empty()) {
        if !out.iter().any(|o| same(o, e)) {
            out.push(e.to_owned());
        }
    }
    out
}

/// A Clockwork person as a core person.
pub fn person(p: &WirePerson, app_host: &str) -> Person {
    let (first, last) = split_name(p.name.as_deref().unwrap_or_default());
    let mut fields = BTreeMap::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() {
            fields.insert(k.to_owned(), v);
        }
    };
    put("name", json!(p.name));
    put("nickName", json!(p.nick_name));
    put("doNotContact", json!(p.do_not_contact));
    put("noRelocation", json!(p.no_relocation));
    put("biography", json!(p.biography));
    put("assistantName", json!(p.assistant_name));
    put("skypeName", json!(p.skype_name));
    put("tags", json!(p.tags.as_ref().map(|t| t.iter().filter_map(|t| t.name.clone()).collect::<Vec<_>>())));
    put(
        "phone_numbers",
        json!(p.phone_numbers.as_ref().map(|n| n.iter().filter_map(|n| n.digits.clone()).collect::<Vec<_>>())),
    );
    put(
        "linkedin_urls",
        json!(p.linkedin_urls.as_ref().map(|n| n.iter().filter_map(|n| n.url.clone()).collect::<Vec<_>>())),
    );
    Person {
        emails: emails(p),
        first_name: p.first_name.clone().or(first),
        last_name: p.last_name.clone().or(last),
        url: Some(person_url(app_host, &p.id)),
        id: p.id.clone(),
        fields,
        created_at: p.created_at.as_ref().and_then(timestamp),
    }
}

/// A creation time as RFC 3339 text or unix seconds (v1); unreadable ones count as unknown,
/// which makes a record found by email pre-existing (S5).
fn timestamp(v: &Value) -> Option<chrono::DateTime<chrono::Utc>> {
    match v {
        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s.trim()).ok().map(|t| t.with_timezone(&chrono::Utc)),
        Value::Number(n) => n.as_i64().and_then(|secs| chrono::DateTime::from_timestamp(secs, 0)),
        _ => None,
    }
}

pub(super) fn texts(v: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    };
    match v {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

/// `(value, type)` pairs for a sub-resource: the draft's own values first, in order, each with the
/// type of the mapped field `<prefix>.<type>` holding it (else `default`), then mapped values the
/// draft's own list lacks. Duplicates (case-insensitive) keep their first type.
fn typed_values(
    draft: &PersonDraft,
    own: &[String],
    prefix: &str,
    types: &[&str],
    default: &str,
) -> Vec<(String, String)> {
    let mapped: Vec<(String, &str)> = types
        .iter()
        .flat_map(|t| {
            draft.fields.get(&format!("{prefix}.{t}")).map(texts).unwrap_or_default().into_iter().map(move |v| (v, *t))
        })
        .collect();
    let mut out: Vec<(String, String)> = Vec::new();
    let firsts = own.iter().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).map(|v| {
        let kind = mapped.iter().find(|(m, _)| same(m, &v)).map_or(default, |(_, t)| *t);
        (v, kind)
    });
    for (v, kind) in firsts.chain(mapped.iter().map(|(v, t)| (v.clone(), *t))) {
        if !out.iter().any(|(o, _)| same(o, &v)) {
            out.push((v, kind.to_owned()));
        }
    }
    out
}

/// The emails the draft asks for, with their types.
pub fn wanted_emails(draft: &PersonDraft) -> Vec<(String, String)> {
    typed_values(draft, &draft.emails, "email_addresses", EMAIL_TYPES, DEFAULT_EMAIL_TYPE)
}

/// The phones the draft asks for, with their types.
pub fn wanted_phones(draft: &PersonDraft) -> Vec<(String, String)> {
    typed_values(draft, &draft.phones, "phone_numbers", PHONE_TYPES, DEFAULT_PHONE_TYPE)
}

/// The LinkedIn profiles the draft asks for: `social.linkedin`, then the mapped `linkedin_urls`.
pub fn wanted_linkedin(draft: &PersonDraft) -> Vec<String> {
    let mapped = draft.fields.get("linkedin_urls").map(texts).unwrap_or_default();
    missing(&[], draft.social.get("linkedin").into_iter().chain(&mapped))
}

/// The draft's full name; Clockwork stores one name.
pub fn full_name(draft: &PersonDraft) -> Option<String> {
    let parts: Vec<&str> = [&draft.first_name, &draft.last_name]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn standard_fields(draft: &PersonDraft, f: &mut PersonFields) {
    let text = |k: &str| draft.fields.get(k).and_then(Value::as_str).map(str::to_owned);
    f.nick_name = text("nickName");
    f.biography = text("biography");
    f.assistant_name = text("assistantName");
    f.skype_name = text("skypeName");
    f.no_relocation = draft.fields.get("noRelocation").and_then(Value::as_bool);
}

/// The `POST /people` body: name, standard fields, tags by name.
pub fn create_body(draft: &PersonDraft) -> PersonBody {
    let mut person = PersonFields { name: full_name(draft), tag_names: draft.tags.clone(), ..PersonFields::default() };
    standard_fields(draft, &mut person);
    PersonBody { person }
}

/// The `PATCH /people/{id}` body for what changed, with `new_tags` (names the record lacks
/// and the firm has no tag for); `None` when nothing did.
pub fn update_body(existing: &WirePerson, draft: &PersonDraft, new_tags: Vec<String>) -> Option<PersonBody> {
    let mut person = PersonFields::default();
    standard_fields(draft, &mut person);
    let unchanged = |new: &mut Option<String>, old: &Option<String>| {
        if new.is_some() && new == old {
            *new = None;
        }
    };
    unchanged(&mut person.nick_name, &existing.nick_name);
    unchanged(&mut person.biography, &existing.biography);
    if person.no_relocation.is_some() && person.no_relocation == existing.no_relocation {
        person.no_relocation = None;
    }
    // Only a complete new name replaces the stored one: a lone first name would drop the surname.
    if draft.first_name.is_some() && draft.last_name.is_some() {
        person.name = full_name(draft).filter(|n| existing.name.as_deref().is_none_or(|old| !same(old, n)));
    }
    person.tag_names = new_tags;
    (person != PersonFields::default()).then_some(PersonBody { person })
}

/// `p` with a `PATCH` body, the tags and the emails just added applied, as Clockwork now holds it.
pub fn apply(p: &mut WirePerson, body: Option<&PersonFields>, tags: &[String], emails: &[String]) {
    if let Some(b) = body {
        let set = |slot: &mut Option<String>, v: &Option<String>| {
            if v.is_some() {
                slot.clone_from(v);
            }
        };
        set(&mut p.name, &b.name);
        set(&mut p.nick_name, &b.nick_name);
        set(&mut p.biography, &b.biography);
        set(&mut p.assistant_name, &b.assistant_name);
        set(&mut p.skype_name, &b.skype_name);
        if b.no_relocation.is_some() {
            p.no_relocation = b.no_relocation;
        }
        if b.name.is_some() {
            (p.first_name, p.last_name) = (None, None);
        }
    }
    let held = p.tags.get_or_insert_with(Vec::new);
    held.extend(tags.iter().map(|t| Tag { name: Some(t.clone()), ..Tag::default() }));
    let listed = p.email_addresses.get_or_insert_with(Vec::new);
    listed.extend(emails.iter().map(|e| EmailAddress { address: Some(e.clone()), ..EmailAddress::default() }));
}

/// Tags of the draft the person does not carry yet.
pub fn missing_tags(existing: &WirePerson, draft: &PersonDraft) -> Vec<String> {
    let have: Vec<&str> = existing.tags.iter().flatten().filter_map(|t| t.name.as_deref()).collect();
    let mut out: Vec<String> = Vec::new();
    for t in draft.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if !have.iter().any(|h| same(h, t)) && !out.iter().any(|o| same(o, t)) {
            out.push(t.to_owned());
        }
    }
    out
}

/// Whether `have` lacks `value` (case-insensitive, trimmed).
pub fn lacks(have: &[String], value: &str) -> bool {
    !have.iter().any(|h| same(h, value))
}

/// Values of `wanted` not already in `have` (case-insensitive, trimmed, first occurrence kept).
pub fn missing<'a>(have: &[String], wanted: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in wanted.into_iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
        if !have.iter().any(|h| same(h, w)) && !out.iter().any(|o| same(o, w)) {
            out.push(w.to_owned());
        }
    }
    out
}
