//! Teamtailor company webhook emission: `{"payload": {event_name, data},
//! "signature"}` with `TT-Signature` repeating the v2 signature, base64 of
//! `t=<unix>,v2=<hex HMAC-SHA256(key, "<t>." + payload)>` where payload is
//! the compact JSON text embedded in the body. Candidates carry kebab-case
//! attributes, job applications snake_case ones, as documented. Teamtailor
//! does not retry failed deliveries, so neither does the simulator.

use super::TtApp;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

/// The v2 signature of `payload` (JSON text) under `secret` at unix time `t`.
pub fn sign(payload: &str, secret: &str, t: i64) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(format!("{t}.").as_bytes());
    mac.update(payload.as_bytes());
    STANDARD.encode(format!("t={t},v2={}", hex::encode(mac.finalize().into_bytes())))
}

/// The core's signer: Teamtailor's signature depends on the body it sits in, so it is added per delivery.
pub fn no_headers(_body: &[u8], _secret: &str) -> Vec<(String, String)> {
    Vec::new()
}

/// Delivers `event_name` with `data` to every registered receiver, in the background.
pub fn emit(app: &TtApp, event_name: &str, data: &Value) {
    let payload = json!({"event_name": event_name, "data": data}).to_string();
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    for endpoint in app.core.webhooks().endpoints() {
        let t = chrono::Utc::now().timestamp();
        let signature = sign(&payload, &endpoint.secret, t);
        let body = format!(r#"{{"payload":{payload},"signature":"{signature}"}}"#).into_bytes();
        let webhooks = app.core.webhooks().clone();
        runtime.spawn(async move {
            webhooks.deliver(&endpoint, body, vec![("TT-Signature".to_owned(), signature)]).await;
        });
    }
}

/// `candidate.create` / `candidate.update` with the candidate's attributes.
pub fn candidate(app: &TtApp, event_name: &str, id: i64) {
    let data = {
        let state = app.lock();
        let Some(c) = state.candidates.get(&id) else {
            return;
        };
        json!({"id": id.to_string(), "type": "candidates", "attributes": {
            "email": c.email, "first-name": c.first_name, "last-name": c.last_name, "phone": c.phone,
            "pitch": c.pitch, "linkedin-url": c.linkedin_url, "tags": c.tags, "unsubscribed": c.unsubscribed,
            "internal": c.internal, "referring-site": c.referring_site, "referring-url": c.referring_url,
            "created-at": c.created_at, "updated-at": c.updated_at
        }})
    };
    emit(app, event_name, &data);
}

/// `job_application.create` / `job_application.update` with the documented snake_case attributes.
pub fn application(app: &TtApp, event_name: &str, id: i64) {
    let data = {
        let state = app.lock();
        let Some(a) = state.job_applications.get(&id) else {
            return;
        };
        let job_title = state.jobs.get(&a.job_id).map(|j| j.title.clone());
        let stage_name = state.stages.get(&a.stage_id).map(|s| s.name.clone());
        json!({"id": id.to_string(), "type": "job-applications", "attributes": {
            "id": id, "updated_at": a.updated_at, "job_id": a.job_id, "job_title": job_title,
            "last_moved_at": a.changed_stage_at, "stage_name": stage_name, "referring_site": null,
            "referring_url": null, "referer_id": null, "rejected_at": a.rejected_at, "promotion_id": null,
            "company_uuid": "00000000-0000-4000-8000-000000000000", "transparent_recruiting_visible_at": a.rejected_at
        }})
    };
    emit(app, event_name, &data);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    // Vector computed independently (Python hmac) from the documented algorithm.
    const VECTOR: &str =
        "dD0xNzAxMjM0NTY3LHYyPWQzZGUyZjE3OGMwMjE5ZTc2ZTZkZjY3ODIyYjk1YzE1YWY4ZGNlNjJiY2ZhMGMwNDJiNTllZmZlZWVkMzMzYjg=";

    #[test]
    fn signature_matches_an_independent_vector() {
        let payload = r#"{"event_name":"candidate.update","data":{"id":"42","type":"candidates"}}"#;
        assert_eq!(sign(payload, "k", 1_701_234_567), VECTOR);
    }
}
