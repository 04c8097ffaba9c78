//! Harvest v1 renderings of the shared tables (§1.3): candidates embedding
//! their applications (current stage, jobs, prospect detail) and
//! employments, `keyed_custom_fields`, activity-feed notes and emails.

use crate::greenhouse::model::{Application, Candidate, GreenhouseState, Note};
use serde_json::{Value, json};

fn id_name(id: i64, name: &str) -> Value {
    json!({"id": id, "name": name})
}

/// An application as v1 embeds and returns it.
pub fn application(s: &GreenhouseState, a: &Application) -> Value {
    let stage = s.current_stage(a.id).and_then(|r| s.job_stages.get(&r.job_interview_stage_id));
    let jobs: Vec<Value> = a.job_id.and_then(|j| s.jobs.get(&j)).map(|j| id_name(j.id, &j.name)).into_iter().collect();
    let detail = s.prospect_detail(a.id).map(|d| {
        let pool = d.pool_id.and_then(|p| s.prospect_pools.get(&p)).map(|p| id_name(p.id, &p.name));
        let stage = d.pool_stage_id.and_then(|p| s.prospect_pool_stages.get(&p)).map(|p| id_name(p.id, &p.name));
        json!({"prospect_pool": pool, "prospect_stage": stage, "prospect_owner": null})
    });
    let status = if a.status == "in_process" { "active" } else { a.status.as_str() };
    json!({
        "id": a.id, "candidate_id": a.candidate_id, "prospect": a.prospect, "status": status, "jobs": jobs,
        "applied_at": a.created_at, "last_activity_at": a.last_activity_at, "rejected_at": a.rejected_at,
        "current_stage": stage.map(|st| id_name(st.id, &st.name)),
        "prospect_detail": detail.unwrap_or_else(|| json!({"prospect_pool": null, "prospect_stage": null, "prospect_owner": null})),
    })
}

/// A candidate with its applications and employments.
pub fn candidate(s: &GreenhouseState, c: &Candidate) -> Value {
    let applications: Vec<Value> =
        s.applications.values().filter(|a| a.candidate_id == c.id).map(|a| application(s, a)).collect();
    let employments: Vec<Value> = s
        .employments
        .values()
        .filter(|e| e.candidate_id == c.id)
        .map(|e| json!({"id": e.id, "company_name": e.company_name, "title": e.title, "start_date": e.start_date, "end_date": e.end_date}))
        .collect();
    let plain: serde_json::Map<String, Value> =
        c.custom_fields.iter().map(|(k, v)| (k.clone(), v.get("value").cloned().unwrap_or(Value::Null))).collect();
    json!({
        "id": c.id, "first_name": c.first_name, "last_name": c.last_name, "company": c.company, "title": c.title,
        "is_private": c.private, "can_email": c.can_email, "tags": c.tags, "photo_url": null, "attachments": [],
        "email_addresses": c.email_addresses, "phone_numbers": c.phone_numbers, "addresses": c.addresses,
        "website_addresses": c.website_addresses, "social_media_addresses": c.social_media_addresses,
        "application_ids": applications.iter().filter_map(|a| a.get("id").cloned()).collect::<Vec<_>>(),
        "applications": applications, "employments": employments, "educations": [], "recruiter": null, "coordinator": null,
        "custom_fields": plain, "keyed_custom_fields": c.custom_fields,
        "created_at": c.created_at, "updated_at": c.updated_at, "last_activity": c.last_activity_at,
    })
}

/// The user block of activity items.
pub fn user(s: &GreenhouseState, id: Option<i64>) -> Value {
    id.and_then(|id| s.users.get(&id)).map_or(Value::Null, |u| {
        json!({"id": u.id, "first_name": u.first_name, "last_name": u.last_name,
               "name": format!("{} {}", u.first_name, u.last_name), "employee_id": null})
    })
}

/// The v1 write value of a stored visibility (`publicly_visible` → `public`).
pub fn visibility(stored: &str) -> &'static str {
    match stored {
        "admin_only_visible" => "admin_only",
        "privately_visible" => "private",
        _ => "public",
    }
}

/// A note of the activity feed; `visiblity` is Greenhouse's kept legacy typo.
pub fn note(s: &GreenhouseState, n: &Note) -> Value {
    let v = visibility(&n.visibility);
    json!({"id": n.id, "created_at": n.created_at, "body": n.body, "user": user(s, n.user_id),
           "private": v != "public", "visiblity": v, "visibility": v})
}

/// An email of the activity feed: addresses as comma-joined strings, `cc` included, as documented.
pub fn email(s: &GreenhouseState, n: &Note, cc_as_list: bool) -> Value {
    let cc = if cc_as_list { json!(n.email_cc) } else { json!(n.email_cc.join(", ")) };
    json!({"id": n.id, "created_at": n.created_at, "subject": n.subject, "body": n.body,
           "to": n.email_to.join(", "), "from": n.email_from.join(", "), "cc": cc, "user": user(s, n.user_id)})
}
