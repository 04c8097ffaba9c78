//! Pure wire ↔ core conversions: people, drafts to person writes and the
//! contact details a person lacks (with the type each mapped field gives
//! them), employment to positions and the current one's company, education
//! to schools, note content, and which projects and statuses make targets.

use super::wire::{
    Education as WireEducation, EducationFields, EmailAddress, Note, Person as WirePerson, PersonBody, PersonFields,
    Position, PositionFields, Project, Status, Tag,
};
use hiresync_core::{Education, Employment, NoteDraft, Person, PersonDraft};
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

fn texts(v: &Value) -> Vec<String> {
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

/// The draft's current company: a company field map's `companyName`, else the contact's company.
pub fn current_company(draft: &PersonDraft) -> Option<String> {
    draft
        .company_fields
        .get("companyName")
        .and_then(|v| texts(v).into_iter().next())
        .or_else(|| draft.company.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned))
}

/// The roles a new person gets: the draft's history with the current role's company taken from
/// the company mapping, or, without a history, the current role from company and title.
pub fn initial_positions(draft: &PersonDraft) -> Vec<PositionFields> {
    let mut rows: Vec<PositionFields> = draft.employment.iter().filter_map(position_row).collect();
    let company = current_company(draft);
    if rows.is_empty() {
        if let Some(company_name) = company {
            rows.push(PositionFields { title: draft.title.clone(), company_name, ..PositionFields::default() });
        }
    } else if let (Some(name), Some(current)) = (
        draft.company_fields.get("companyName").and_then(|v| texts(v).into_iter().next()),
        rows.iter_mut().find(|r| r.end_year.is_none()),
    ) {
        current.company_name = name;
    }
    rows
}

/// Whether a stored role is the current one: flagged so, or without an end.
pub fn is_current(p: &Position) -> bool {
    p.is_current.unwrap_or(p.end_year.is_none())
}

/// The current role the draft asks for in place of `current` (the stored one, if any): its company
/// and title where the draft names them, the stored dates kept. `None` when nothing changes or the
/// draft names neither; a role without a company is never written.
pub fn replaced_current(current: Option<&Position>, draft: &PersonDraft) -> Option<PositionFields> {
    let company = current_company(draft);
    let title = draft.title.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    if company.is_none() && title.is_none() {
        return None;
    }
    let stored = current.map(position_key);
    let mut want = stored.clone().unwrap_or_default();
    if let Some(c) = company {
        want.company_name = c;
    }
    if title.is_some() {
        want.title = title;
    }
    if want.company_name.is_empty() || stored.is_some_and(|s| same_role(&s, &want)) {
        return None;
    }
    Some(want)
}

fn same_role(a: &PositionFields, b: &PositionFields) -> bool {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    same(&a.company_name, &b.company_name)
        && same(&text(&a.title), &text(&b.title))
        && (a.start_month, a.start_year, a.end_month, a.end_year)
            == (b.start_month, b.start_year, b.end_month, b.end_year)
}

/// A school as Clockwork's education row; `None` without a school name.
pub fn education_row(e: &Education) -> Option<EducationFields> {
    let school_name = e.school.as_deref().map(str::trim).filter(|s| !s.is_empty())?.to_owned();
    let start = e.start.as_deref().and_then(month_year);
    let end = e.end.as_deref().and_then(month_year);
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    Some(EducationFields {
        school_name,
        degree: text(&e.degree),
        field_of_study: text(&e.field),
        start_month: start.and_then(|(_, m)| m),
        start_year: start.map(|(y, _)| y),
        end_month: end.and_then(|(_, m)| m),
        end_year: end.map(|(y, _)| y),
    })
}

/// A stored school in the shape we write, to compare with what is wanted.
pub fn education_key(e: &WireEducation) -> EducationFields {
    let month = |m: Option<i64>| m.and_then(|m| u32::try_from(m).ok());
    let year = |y: Option<i64>| y.and_then(|y| i32::try_from(y).ok());
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    EducationFields {
        school_name: e.school_name.clone().unwrap_or_default().trim().to_owned(),
        degree: text(&e.degree),
        field_of_study: text(&e.field_of_study),
        start_month: month(e.start_month),
        start_year: year(e.start_year),
        end_month: month(e.end_month),
        end_year: year(e.end_year),
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
        title: Some(title),
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
        title: p.title.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned),
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
