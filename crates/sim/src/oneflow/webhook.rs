//! Oneflow webhook notifications (current format): `{"contract": {"id"},
//! "callback_id", "events": [{id, type, created_time}], "signature"}` with
//! `signature = sha1(callback_id + sign_key)` and no signature header. Only
//! an HTTP 200 counts as delivered; otherwise the same body (same callback
//! id) is retried on the documented schedule, 10 attempts in all. Webhooks
//! created through the API honour their EVENT_TYPE and WORKSPACE filters.

use super::OfApp;
use crate::WebhookEndpoint;
use serde_json::{Value, json};
use sha1::{Digest, Sha1};
use std::time::Duration;

/// Delays between attempts, as documented: 1 s, 5 s, 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h.
pub const RETRY_DELAYS: [u64; 9] = [1, 5, 10, 30, 60, 300, 600, 1800, 3600];

/// `sha1(callback_id + sign_key)`, hex.
pub fn sign(callback_id: &str, sign_key: &str) -> String {
    let mut hash = Sha1::new();
    hash.update(callback_id.as_bytes());
    hash.update(sign_key.as_bytes());
    hex::encode(hash.finalize())
}

/// The core's signer: Oneflow signs inside the body, per receiver.
pub fn no_headers(_body: &[u8], _secret: &str) -> Vec<(String, String)> {
    Vec::new()
}

fn passes(filters: &Value, kind: &str, workspace: i64) -> bool {
    let Some(filters) = filters.as_array().filter(|f| !f.is_empty()) else {
        return true;
    };
    filters.iter().any(|f| {
        f["filter_rules"].as_array().into_iter().flatten().all(|rule| {
            let values = rule["values"].as_array().cloned().unwrap_or_default();
            match rule["type"].as_str() {
                Some("EVENT_TYPE") => values.iter().any(|v| v.as_str() == Some(kind)),
                Some("WORKSPACE") => {
                    values.iter().any(|v| v.as_i64() == Some(workspace) || v.as_str() == Some(&workspace.to_string()))
                }
                _ => true,
            }
        })
    })
}

/// Notifies every receiver of `events` on `contract_id`, each retried until it answers 200.
pub fn notify(app: &OfApp, contract_id: i64, events: &[i64]) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let (rows, workspace, hooks) = {
        let state = app.lock();
        let rows: Vec<(String, Value)> = events
            .iter()
            .filter_map(|id| state.events.get(id))
            .map(|e| (e.kind.clone(), json!({"id": e.id, "type": e.kind, "created_time": e.created_time})))
            .collect();
        let workspace = state.contracts.get(&contract_id).map_or(0, |c| c.workspace_id);
        (rows, workspace, state.webhooks.values().cloned().collect::<Vec<_>>())
    };
    let mut receivers: Vec<(WebhookEndpoint, Vec<Value>)> = app
        .core
        .webhooks()
        .endpoints()
        .into_iter()
        .map(|e| (e, rows.iter().map(|(_, v)| v.clone()).collect()))
        .collect();
    for hook in hooks {
        let kept: Vec<Value> =
            rows.iter().filter(|(k, _)| passes(&hook.filters, k, workspace)).map(|(_, v)| v.clone()).collect();
        receivers.push((WebhookEndpoint { url: hook.callback_url, secret: hook.sign_key }, kept));
    }
    let delays = app.retry_delays();
    for (endpoint, kept) in receivers.into_iter().filter(|(_, k)| !k.is_empty()) {
        let callback_id = format!("{:08x}{:032x}", rand::random::<u32>(), rand::random::<u128>());
        let body = json!({
            "contract": {"id": contract_id},
            "callback_id": callback_id,
            "events": kept,
            "signature": sign(&callback_id, &endpoint.secret),
        })
        .to_string()
        .into_bytes();
        let webhooks = app.core.webhooks().clone();
        let delays = delays.clone();
        runtime.spawn(async move {
            for attempt in 0..=delays.len() {
                if webhooks.deliver(&endpoint, body.clone(), Vec::new()).await == Some(200) {
                    return;
                }
                let Some(wait) = delays.get(attempt) else { return };
                tokio::time::sleep(*wait).await;
            }
        });
    }
}

/// The documented retry schedule.
pub fn documented_delays() -> Vec<Duration> {
    RETRY_DELAYS.iter().map(|s| Duration::from_secs(*s)).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_sha1_of_the_concatenation() {
        // FIPS 180 vector for "abc".
        assert_eq!(sign("ab", "c"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    #[test]
    fn filters_keep_listed_events_and_workspaces() {
        let f = json!([{"filter_rules": [{"type": "EVENT_TYPE", "values": ["contract:sign"]}, {"type": "WORKSPACE", "values": [7]}]}]);
        assert!(passes(&f, "contract:sign", 7));
        assert!(!passes(&f, "contract:publish", 7));
        assert!(!passes(&f, "contract:sign", 8));
        assert!(passes(&Value::Null, "anything", 1));
    }
}
