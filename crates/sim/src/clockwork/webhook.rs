//! Clockwork webhook emission: `{"event_name": "candidacy_updated",
//! "candidacy": {...}}` to hooks registered with `POST /webhooks` and to
//! receivers registered on `/_sim/webhooks`. Clockwork's signing scheme is
//! unknown, so deliveries carry no signature.

use super::CwApp;
use super::model::Candidacy;
use super::render;
use crate::webhooks::WebhookEndpoint;
use serde_json::json;

/// No signature headers: the scheme is unknown (`shared/providers/clockwork.md` §3.4).
pub fn sign(_body: &[u8], _secret: &str) -> Vec<(String, String)> {
    Vec::new()
}

/// Emits `candidacy_updated` for `c`.
pub fn candidacy_updated(app: &CwApp, c: &Candidacy) {
    let body = json!({"event_name": "candidacy_updated", "candidacy": render::webhook_candidacy(c)});
    let body = body.to_string().into_bytes();
    let webhooks = app.core.webhooks();
    webhooks.emit(&body, &[]);
    let hooks: Vec<String> = app.lock().hooks.values().map(|h| h.hook_url.clone()).collect();
    for url in hooks {
        let (webhooks, body) = (webhooks.clone(), body.clone());
        let endpoint = WebhookEndpoint { url, secret: String::new() };
        tokio::spawn(async move { webhooks.deliver(&endpoint, body, Vec::new()).await });
    }
}
