//! Greenhouse webhook emission: `{"action", "payload"}` bodies signed with
//! `Signature: sha256 <hex HMAC-SHA256(secret, body)>` and a fresh
//! `Greenhouse-Event-ID`.

use super::GhApp;
use super::model::{Application, Candidate};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

/// The `Signature` header for `body` under `secret`.
pub fn sign(body: &[u8], secret: &str) -> Vec<(String, String)> {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return Vec::new();
    };
    mac.update(body);
    vec![("Signature".to_owned(), format!("sha256 {}", hex::encode(mac.finalize().into_bytes())))]
}

/// Emits `action` with `payload` to every registered receiver.
pub fn emit(app: &GhApp, action: &str, payload: &Value) {
    let body = json!({"action": action, "payload": payload}).to_string().into_bytes();
    let event_id = format!("{:032x}", rand::random::<u128>());
    app.core.webhooks().emit(&body, &[("Greenhouse-Event-ID".to_owned(), event_id)]);
}

fn application_payload(app: &GhApp, a: &Application) -> Value {
    let state = app.lock();
    let candidate = state.candidates.get(&a.candidate_id);
    let job = a.job_id.and_then(|j| state.jobs.get(&j));
    let stage = state.current_stage(a.id).and_then(|s| state.job_stages.get(&s.job_interview_stage_id));
    json!({"application": {
        "id": a.id,
        "status": if a.status == "in_process" { "active" } else { a.status.as_str() },
        "prospect": a.prospect,
        "applied_at": a.created_at,
        "last_activity_at": a.last_activity_at,
        "current_stage": stage.map(|s| json!({"id": s.id, "name": s.name, "interviews": []})),
        "candidate": candidate.map(candidate_payload),
        "jobs": job.map(|j| vec![json!({"id": j.id, "name": j.name, "requisition_id": j.requisition_id, "status": j.status})]).unwrap_or_default(),
    }})
}

fn candidate_payload(c: &Candidate) -> Value {
    json!({
        "id": c.id, "first_name": c.first_name, "last_name": c.last_name, "title": c.title, "company": c.company,
        "created_at": c.created_at, "is_private": c.private, "can_email": c.can_email,
        "email_addresses": c.email_addresses, "phone_numbers": c.phone_numbers, "tags": c.tags, "custom_fields": c.custom_fields,
    })
}

/// `new_candidate_application` or `new_prospect_application`.
pub fn application_created(app: &GhApp, a: &Application) {
    let action = if a.prospect { "new_prospect_application" } else { "new_candidate_application" };
    emit(app, action, &application_payload(app, a));
}

/// `candidate_stage_change`.
pub fn stage_changed(app: &GhApp, a: &Application) {
    emit(app, "candidate_stage_change", &application_payload(app, a));
}

/// `update_candidate`.
pub fn candidate_updated(app: &GhApp, c: &Candidate) {
    emit(app, "update_candidate", &json!({ "candidate": candidate_payload(c) }));
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_a_known_hmac_vector() {
        // RFC 4231 test case 2.
        let headers = sign(b"what do ya want for nothing?", "Jefe");
        assert_eq!(headers[0].1, "sha256 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
