//! Each row's attributes as Teamtailor serves them: kebab-case names, the
//! full recorded attribute set (null where the simulator keeps no value).

use super::model::TeamtailorState;
use super::render::{Kind, field_kind};
use serde_json::{Value, json};

/// The resource type and attributes of row `id`, or `None` when it does not exist.
pub fn attributes(state: &TeamtailorState, kind: Kind, id: i64) -> Option<(&'static str, Value)> {
    Some(match kind {
        Kind::Candidates => {
            let c = state.candidates.get(&id)?;
            (
                "candidates",
                json!({
                    "connected": c.connected, "created-at": c.created_at, "email": c.email, "facebook-id": null,
                    "first-name": c.first_name, "last-name": c.last_name, "linkedin-uid": null, "linkedin-url": c.linkedin_url,
                    "phone": c.phone, "picture": null, "pitch": c.pitch, "referring-site": c.referring_site,
                    "referring-url": c.referring_url, "referred": false, "resume": null, "sourced": c.sourced,
                    "unsubscribed": c.unsubscribed, "internal": c.internal, "updated-at": c.updated_at,
                    "facebook-profile": null, "linkedin-profile": null, "tags": c.tags
                }),
            )
        }
        Kind::Jobs => {
            let j = state.jobs.get(&id)?;
            (
                "jobs",
                json!({
                    "apply-button-text": "", "body": "", "end-date": null, "human-status": j.human_status(),
                    "internal": j.internal, "picture": null, "pinned": false, "start-date": null, "status": j.status,
                    "tags": j.tags, "title": j.title, "pitch": "", "external-application-url": "",
                    "name-requirement": "optional", "resume-requirement": "optional",
                    "cover-letter-requirement": "optional", "phone-requirement": "optional", "created-at": j.created_at,
                    "sharing-image-layout": "default",
                    "mailbox": format!("job-{id}@inbound.teamtailor.localhost")
                }),
            )
        }
        Kind::Stages => {
            let s = state.stages.get(&id)?;
            let apps = state.job_applications.values().filter(|a| a.stage_id == id);
            let (rejected, active): (Vec<_>, Vec<_>) = apps.partition(|a| a.rejected_at.is_some());
            (
                "stages",
                json!({
                    "created-at": s.created_at, "updated-at": s.created_at, "name": s.name, "stage-type": s.stage_type,
                    "row-order": s.row_order, "active-job-applications-count": active.len(),
                    "rejected-job-applications-count": rejected.len()
                }),
            )
        }
        Kind::JobApplications => {
            let a = state.job_applications.get(&id)?;
            (
                "job-applications",
                json!({
                    "cover-letter": a.cover_letter, "created-at": a.created_at, "referring-site": null,
                    "referring-url": null, "rejected-at": a.rejected_at, "sourced": a.sourced,
                    "updated-at": a.updated_at, "changed-stage-at": a.changed_stage_at
                }),
            )
        }
        Kind::Notes => {
            let n = state.notes.get(&id)?;
            (
                "notes",
                json!({
                    "note": n.note, "created-at": n.created_at, "created-by-trigger": false, "mentioned-user-ids": [],
                    "private-note": n.private_note, "updated-at": n.created_at, "candidate-id": n.candidate_id, "user-id": n.user_id
                }),
            )
        }
        Kind::CustomFields => {
            let f = state.custom_fields.get(&id)?;
            (
                field_kind(state, id),
                json!({
                    "api-name": f.api_name, "name": f.name, "field-type": f.field_type,
                    "created-at": f.created_at, "updated-at": f.created_at
                }),
            )
        }
        Kind::CustomFieldOptions => {
            ("custom-field-options", json!({ "value": state.custom_field_options.get(&id)?.value }))
        }
        Kind::CustomFieldValues => {
            let v = state.custom_field_values.get(&id)?;
            let field_type = state.custom_fields.get(&v.custom_field_id).map(|f| f.field_type.clone());
            ("custom-field-values", json!({ "field-type": field_type, "value": v.value }))
        }
        Kind::Users => {
            let u = state.users.get(&id)?;
            (
                "users",
                json!({
                    "description": null, "facebook-profile": null, "hide-email": false, "instagram-profile": null,
                    "linkedin-profile": null, "login-email": u.email, "name": u.name,
                    "notification-daily-digest": true, "other-profile": null, "phone": null, "picture": null,
                    "role": u.role, "title": null, "twitter-profile": null,
                    "username": u.email.split('@').next(), "visible": true, "signature": format!("<p>-- <br>{}</p>", u.name),
                    "notification-job": true, "notification-mention": true, "notification-candidate-message": true,
                    "notification-lead-message": true, "notification-connected-candidate": true,
                    "notification-hiring-team-application": false, "notification-recruiter-application": true,
                    "notification-removal-request": true, "notification-gdpr-digest": true, "email": u.email
                }),
            )
        }
        Kind::Uploads => {
            let u = state.uploads.get(&id)?;
            ("uploads", json!({ "url": u.url, "file-name": u.file_name, "internal": u.internal }))
        }
    })
}
