//! Clockwork webhooks: `candidacy_updated` deliveries, snake_case unlike the
//! REST bodies (`[S]` CW-PD test event). Clockwork's signing scheme is `[U]`,
//! so a delivery cannot be verified from its content; receivers must rely on
//! an unguessable hook URL until a live check finds a signature.

use serde::Deserialize;

/// Why a delivery was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// The body is not a Clockwork event.
    #[error("body is not a Clockwork webhook event: {0}")]
    BadPayload(String),
}

/// A delivery.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct WebhookEvent {
    /// `candidacy_updated` (the only event name known, `[S]`).
    pub event_name: String,
    /// The candidacy, for candidacy events.
    #[serde(default)]
    pub candidacy: Option<CandidacyEvent>,
}

/// The candidacy of a `candidacy_updated` event.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct CandidacyEvent {
    /// Candidacy id.
    pub id: String,
    /// Person.
    pub person_id: Option<String>,
    /// Project.
    pub project_id: Option<String>,
    /// Candidate status.
    pub status_id: Option<String>,
    /// Rank in the project.
    pub rank: Option<i64>,
    /// `red`, `yellow`, `green`.
    pub stoplight_status: Option<String>,
    /// Creation time (ISO-8601).
    pub created_at: Option<String>,
    /// Change time (ISO-8601).
    pub updated_at: Option<String>,
}

impl WebhookEvent {
    /// A key identifying this change, for replay protection: no delivery id is known (`[U]`).
    pub fn dedupe_key(&self) -> String {
        let (id, at) = self
            .candidacy
            .as_ref()
            .map(|c| (c.id.as_str(), c.updated_at.as_deref().unwrap_or_default()))
            .unwrap_or_default();
        format!("{}:{id}:{at}", self.event_name)
    }
}

/// Parses a delivery body.
pub fn parse(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let event: WebhookEvent = serde_json::from_slice(body).map_err(|e| WebhookError::BadPayload(e.to_string()))?;
    if event.event_name.trim().is_empty() {
        return Err(WebhookError::BadPayload("event_name is empty".into()));
    }
    Ok(event)
}
