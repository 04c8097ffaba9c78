//! Webhook emission: registered receivers get each event POSTed with the
//! provider's signature headers; every delivery attempt is recorded.

use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// Computes a provider's signature headers for a body and secret.
pub type Signer = fn(body: &[u8], secret: &str) -> Vec<(String, String)>;

/// A receiver registered with the simulator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    /// Where events are POSTed.
    pub url: String,
    /// Signing secret.
    pub secret: String,
}

/// One delivery attempt.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Delivery {
    /// Receiver URL.
    pub url: String,
    /// Headers sent, signature included.
    pub headers: Vec<(String, String)>,
    /// Body sent.
    pub body: String,
    /// Receiver's status, or none when it could not be reached.
    pub status: Option<u16>,
}

/// Registered receivers and the delivery record.
#[derive(Clone, Debug)]
pub struct Webhooks {
    signer: Signer,
    endpoints: Arc<Mutex<Vec<WebhookEndpoint>>>,
    deliveries: Arc<Mutex<Vec<Delivery>>>,
    http: reqwest::Client,
}

impl Webhooks {
    /// A registry signing with `signer`.
    pub fn new(signer: Signer) -> Self {
        Self { signer, endpoints: Arc::default(), deliveries: Arc::default(), http: reqwest::Client::new() }
    }

    /// Adds a receiver.
    pub fn register(&self, endpoint: WebhookEndpoint) {
        if let Ok(mut e) = self.endpoints.lock() {
            e.push(endpoint);
        }
    }

    /// The registered receivers.
    pub fn endpoints(&self) -> Vec<WebhookEndpoint> {
        self.endpoints.lock().map(|e| e.clone()).unwrap_or_default()
    }

    /// Every delivery attempt so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.deliveries.lock().map(|d| d.clone()).unwrap_or_default()
    }

    /// Delivers `body` to every receiver with the signature and `extra` headers, in the background.
    pub fn emit(&self, body: &[u8], extra: &[(String, String)]) {
        for endpoint in self.endpoints() {
            let this = self.clone();
            let body = body.to_vec();
            let extra = extra.to_vec();
            tokio::spawn(async move { this.deliver(&endpoint, body, extra).await });
        }
    }

    /// Delivers `body` to one receiver now and records the outcome.
    pub async fn deliver(
        &self,
        endpoint: &WebhookEndpoint,
        body: Vec<u8>,
        extra: Vec<(String, String)>,
    ) -> Option<u16> {
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        headers.extend((self.signer)(&body, &endpoint.secret));
        headers.extend(extra);
        let mut request = self.http.post(&endpoint.url).body(body.clone());
        for (k, v) in &headers {
            request = request.header(k, v);
        }
        let status = request.send().await.ok().map(|r| r.status().as_u16());
        let delivery =
            Delivery { url: endpoint.url.clone(), headers, body: String::from_utf8_lossy(&body).into_owned(), status };
        if let Ok(mut d) = self.deliveries.lock() {
            d.push(delivery);
        }
        status
    }
}
