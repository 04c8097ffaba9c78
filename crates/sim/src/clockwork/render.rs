//! JSON renderings that join tables: a full person with its embedded
//! collections (the v1 sample's shape), a partial search hit, a candidacy
//! with its person included, and the snake_case webhook candidacy.

use super::model::{Candidacy, ClockworkState, Person};
use serde_json::{Value, json};

/// A person with `emailAddresses`, `phoneNumbers`, `linkedinUrls`, `tags` and `preferredEmailAddress`.
pub fn person(s: &ClockworkState, p: &Person) -> Value {
    let mut v = json!(p);
    let emails = s.emails_of(&p.id);
    let phones: Vec<_> = s.phones.values().filter(|x| x.person_id == p.id).collect();
    let linkedin: Vec<_> = s.linkedin_urls.values().filter(|x| x.person_id == p.id).collect();
    let tags: Vec<Value> =
        s.tags_of(&p.id).into_iter().map(|(pt, t)| json!({"id": pt.id, "tagId": t.id, "name": t.name})).collect();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("preferredEmailAddress".into(), json!(emails.first().map(|e| &e.address)));
        obj.insert("emailAddresses".into(), json!(emails));
        obj.insert("phoneNumbers".into(), json!(phones));
        obj.insert("linkedinUrls".into(), json!(linkedin));
        obj.insert("tags".into(), json!(tags));
        let addresses: Vec<_> = s.addresses.values().filter(|x| x.person_id == p.id).collect();
        obj.insert("addresses".into(), json!(addresses));
        let sites: Vec<_> = s.web_sites.values().filter(|x| x.person_id == p.id).collect();
        obj.insert("webSites".into(), json!(sites));
        obj.insert("customFieldValues".into(), json!(s.custom_values_of(&p.id)));
    }
    v
}

/// A search hit: the partial record one community client reads (no email list).
pub fn search_hit(s: &ClockworkState, p: &Person) -> Value {
    let tags: Vec<Value> = s.tags_of(&p.id).into_iter().map(|(_, t)| json!({"name": t.name})).collect();
    json!({
        "id": p.id, "name": p.name, "firmSlug": s.firm,
        "preferredEmailAddress": s.emails_of(&p.id).first().map(|e| &e.address),
        "updatedAt": p.updated_at, "tags": tags,
    })
}

/// A candidacy, with its person when `include=person` was asked for.
pub fn candidacy(s: &ClockworkState, c: &Candidacy, include_person: bool) -> Value {
    let mut v = json!(c);
    if include_person && let (Some(obj), Some(p)) = (v.as_object_mut(), s.people.get(&c.person_id)) {
        obj.insert("person".into(), person(s, p));
    }
    v
}

/// The `candidacy` of a webhook delivery, snake_case as the recorded test event.
pub fn webhook_candidacy(c: &Candidacy) -> Value {
    json!({
        "id": c.id, "person_id": c.person_id, "project_id": c.project_id, "status_id": c.status_id,
        "rank": c.rank, "stoplight_status": c.stoplight_status, "color_category": null,
        "assessment_note_id": null, "next_steps_note_id": null, "overview_note_id": null,
        "created_user_id": null, "created_at": c.created_at, "updated_at": c.updated_at,
        "updated_at_display": c.updated_at,
    })
}
