//! Pure wire ↔ core conversions: people, drafts to person writes and the
//! contact details a person lacks, employment to positions, note content,
//! and which projects and statuses make targets.

use super::wire::{Note, Person as WirePerson, PersonBody, PersonFields, Position, PositionFields, Project, Status};
use hiresync_core::{Employment, NoteDraft, Person, PersonDraft};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Person fields a draft may set by their Clockwork names (`[S]` CW-PD create-person);
/// other keys would be custom fields, whose API is unknown, and are not written.
pub const STANDARD_FIELDS: &[&str] = &["nickName", "biography", "assistantName", "skypeName", "noRelocation"];
/// Project statuses that are not targets (SPEC S4 keeps active, Pitch and On Hold); values `[U]`.
const CLOSED_MARKERS: &[&str] =
    &["closed", "cancel", "terminat", "no contract", "lost", "complete", "filled", "archiv"];
/// Clockwork's default status for new candidates (`[S]` support article 561).
pub const DEFAULT_STATUS: &str = "Research";

/// The web-app link of a person on the firm's domain (path `[U]`).
pub fn person_url(app_host: &str, id: &str) -> String {
    format!("https://{app_host}/people/{id}")
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
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
        // Its creation time is not read, so a record found by email counts as pre-existing (S5).
        created_at: None,
    }
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

/// A year and optional month from `2021-03-04`, `2021-03`, `2021` or a timestamp.
pub fn month_year(raw: &str) -> Option<(i32, Option<u32>)> {
    let mut parts = raw.trim().splitn(3, '-');
    let year = parts.next()?.trim().parse::<i32>().ok().filter(|y| (1900..=2200).contains(y))?;
    match parts.next() {
        None => Some((year, None)),
        Some(m) => m.parse::<u32>().ok().filter(|m| (1..=12).contains(m)).map(|m| (year, Some(m))),
    }
}

/// An employment as a Clockwork position; `None` without company, title or a readable start.
pub fn position_row(e: &Employment) -> Option<PositionFields> {
    let company_name = e.company.as_deref().map(str::trim).filter(|s| !s.is_empty())?.to_owned();
    let title = e.title.as_deref().map(str::trim).filter(|s| !s.is_empty())?.to_owned();
    let (start_year, start_month) = month_year(e.start.as_deref()?)?;
    let end = e.end.as_deref().and_then(month_year);
    Some(PositionFields {
        title,
        company_name,
        start_month,
        start_year: Some(start_year),
        end_month: end.and_then(|(_, m)| m),
        end_year: end.map(|(y, _)| y),
    })
}

/// A stored position in the shape we write, to compare with what is wanted.
pub fn position_key(p: &Position) -> PositionFields {
    let company = p.company_name.clone().or_else(|| p.company.as_ref().and_then(|c| c.name.clone()));
    let month = |m: Option<i64>| m.and_then(|m| u32::try_from(m).ok());
    let year = |y: Option<i64>| y.and_then(|y| i32::try_from(y).ok());
    PositionFields {
        title: p.title.clone().unwrap_or_default().trim().to_owned(),
        company_name: company.unwrap_or_default().trim().to_owned(),
        start_month: month(p.start_month),
        start_year: year(p.start_year),
        end_month: month(p.end_month),
        end_year: year(p.end_year),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The note's HTML: the subject in bold, then the body, both escaped.
pub fn note_content(note: &NoteDraft) -> String {
    let body = format!("<p>{}</p>", escape(note.body.trim()));
    match note.subject.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(subject) => format!("<p><strong>{}</strong></p>{body}", escape(subject)),
        None => body,
    }
}

/// HTML reduced to its words, so a note Clockwork re-formatted still matches ours.
pub fn plain(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    text.replace("&amp;", "&").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a stored note already records this draft.
pub fn same_note(stored: &Note, content: &str) -> bool {
    stored.content.as_deref().is_some_and(|c| plain(c) == plain(content))
}

/// The note type: the mapped one, else Email for messages, Follow Up for tasks, else Internal (`[U]` in v3).
pub fn note_category(note: &NoteDraft) -> String {
    if let Some(t) = note.note_type.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        return t.to_owned();
    }
    match note.outreach_type.as_str() {
        "message_sent" | "reply_received" | "bounced" => "Email",
        "task_completed" => "Follow Up",
        _ => "Internal",
    }
    .to_owned()
}

/// Whether a project can be a target: active, Pitch, On Hold, or any status not reading as closed.
pub fn is_target(project: &Project) -> bool {
    let status = project.status.as_deref().unwrap_or_default().to_ascii_lowercase();
    !CLOSED_MARKERS.iter().any(|m| status.contains(m))
}

/// Statuses in the firm's order, and the one new candidates get (Research, else the first).
pub fn ordered_statuses(mut statuses: Vec<Status>) -> (Vec<Status>, Option<String>) {
    statuses.retain(|s| !s.id.is_empty());
    statuses.sort_by_key(|s| s.sort_order.unwrap_or(i64::MAX));
    let default = statuses
        .iter()
        .find(|s| s.name.as_deref().is_some_and(|n| same(n, DEFAULT_STATUS)))
        .or(statuses.first())
        .map(|s| s.id.clone());
    (statuses, default)
}
