//! Sending one signed delivery to an endpoint: the HTTP client (the same
//! address policy as provider requests, no redirects, a short timeout), the
//! retry schedule, and a cap on how many of one endpoint's deliveries this
//! process sends at once, so a slow receiver holds a few worker slots at most.

use hiresync_core::webhook_signature::Secret;
use hiresync_providers::http::USER_AGENT;
use hiresync_providers::http::address::{PublicResolver, is_public, private_allowed};
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How deliveries are sent and retried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookConfig {
    /// Time an endpoint has to answer, body included.
    pub timeout: Duration,
    /// Delays before each retry after the first attempt; when they are used up the delivery fails.
    pub schedule: Vec<Duration>,
    /// An endpoint failing this long when a delivery uses up its schedule is disabled.
    pub disable_after: Duration,
    /// Deliveries to one endpoint this process sends at once; more wait their turn.
    pub per_endpoint: usize,
}

impl Default for WebhookConfig {
    /// 10 s to answer; retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (27.6 h in all, as
    /// Standard Webhooks senders do); disabled after failing for 5 days; 2 at once per endpoint.
    fn default() -> Self {
        let s = Duration::from_secs;
        Self {
            timeout: s(10),
            schedule: vec![s(5), s(300), s(1800), s(7200), s(18_000), s(36_000), s(36_000)],
            disable_after: s(5 * 24 * 3600),
            per_endpoint: 2,
        }
    }
}

/// How an attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sent {
    /// The endpoint answered 2xx.
    Delivered(u16),
    /// The endpoint answered something else.
    Refused(u16),
    /// No answer: refused address, connection error, timeout.
    Failed(String),
}

/// Sends deliveries: one HTTP client per process, and the in-flight count per endpoint.
pub struct Webhooks {
    config: WebhookConfig,
    http: Result<reqwest::Client, String>,
    in_flight: Arc<Mutex<HashMap<String, usize>>>,
}

/// One of an endpoint's in-flight places, given back when dropped.
pub struct Turn {
    endpoint: String,
    in_flight: Arc<Mutex<HashMap<String, usize>>>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut map = self.in_flight.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.endpoint) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.endpoint);
            }
        }
    }
}

impl Webhooks {
    /// A sender with `config`, following the process's address policy.
    pub fn new(config: WebhookConfig) -> Self {
        let mut builder = reqwest::Client::builder();
        if !private_allowed() {
            builder = builder.dns_resolver(Arc::new(PublicResolver));
        }
        let http = builder
            .use_rustls_tls()
            .user_agent(USER_AGENT)
            .connect_timeout(config.timeout)
            .timeout(config.timeout)
            // A redirect could lead a delivery to an address the policy refuses.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string());
        Self { config, http, in_flight: Arc::default() }
    }

    /// How deliveries are sent and retried.
    pub fn config(&self) -> &WebhookConfig {
        &self.config
    }

    /// A place among the endpoint's in-flight deliveries; none while they are all taken.
    pub fn turn(&self, endpoint: &str) -> Option<Turn> {
        let mut map = self.in_flight.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = map.entry(endpoint.to_owned()).or_insert(0);
        if *n >= self.config.per_endpoint.max(1) {
            return None;
        }
        *n += 1;
        Some(Turn { endpoint: endpoint.to_owned(), in_flight: self.in_flight.clone() })
    }

    /// POSTs `body` to `url`, signed for message `id` with `secret`.
    pub async fn send(&self, url: &str, secret: &SecretString, id: &str, body: &str) -> Sent {
        let http = match &self.http {
            Ok(http) => http,
            Err(e) => return Sent::Failed(format!("no HTTP client: {e}")),
        };
        if let Err(why) = address_allowed(url) {
            return Sent::Failed(why);
        }
        let Ok(key) = Secret::parse(secret.expose_secret()) else {
            return Sent::Failed("the endpoint's secret is not base64".into());
        };
        let timestamp = chrono::Utc::now().timestamp();
        let signature = key.sign(id, timestamp, body.as_bytes());
        let request = http
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body.to_owned());
        match request.send().await {
            Ok(r) if r.status().is_success() => Sent::Delivered(r.status().as_u16()),
            Ok(r) => Sent::Refused(r.status().as_u16()),
            Err(e) if e.is_timeout() => Sent::Failed(format!("no answer within {} s", self.config.timeout.as_secs())),
            Err(e) => Sent::Failed(error_chain(&e)),
        }
    }
}

/// The resolver judges names; an address written in the URL never reaches it.
fn address_allowed(url: &str) -> Result<(), String> {
    let url = url::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
        _ => return Ok(()),
    };
    if private_allowed() || is_public(ip) { Ok(()) } else { Err("not a public address".into()) }
}

/// An error and its causes on one line: reqwest's own message alone says only "error sending request".
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoints_turns_are_capped_and_given_back() {
        let hooks = Webhooks::new(WebhookConfig { per_endpoint: 2, ..WebhookConfig::default() });
        let a = hooks.turn("whe_1");
        let b = hooks.turn("whe_1");
        assert!(a.is_some() && b.is_some());
        assert!(hooks.turn("whe_1").is_none(), "a third waits");
        assert!(hooks.turn("whe_2").is_some(), "another endpoint is not held up");
        drop(a);
        assert!(hooks.turn("whe_1").is_some());
    }

    #[test]
    fn the_default_schedule_spans_about_a_day() {
        let total: Duration = WebhookConfig::default().schedule.iter().sum();
        assert!(total > Duration::from_secs(20 * 3600) && total < Duration::from_secs(30 * 3600), "{total:?}");
    }
}
