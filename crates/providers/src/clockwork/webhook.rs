//! Clockwork webhooks: `candidacy_updated` deliveries, snake_case unlike the
//! REST bodies (`[S]` CW-PD test event). Clockwork's signing scheme is `[U]`,
//! so a delivery cannot be verified from its content. What can be verified is
//! the hook URL itself: Clockwork is given (`POST /webhooks {hook_url}`) a URL
//! carrying the connection's webhook secret as `?token=`, and a delivery is
//! accepted only when the token it arrives with is that secret ([`verify_token`]),
//! compared in constant time. See `ASSUMPTIONS.md` ("Webhooks").

use crate::people::Arrived;
use serde::Deserialize;
use subtle::ConstantTimeEq;

/// Why a delivery was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// The hook URL carried no `token`.
    #[error("the hook URL carries no token (register it with ?token=<webhook_secret>)")]
    MissingToken,
    /// The hook URL's token is not the connection's webhook secret.
    #[error("the hook URL's token does not match")]
    BadToken,
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
    /// Who the event says is on a project, for imports: the candidacy's person and project.
    pub fn arrived(&self) -> Option<Arrived> {
        let c = self.candidacy.as_ref().filter(|_| self.event_name == "candidacy_updated")?;
        let person_id = c.person_id.clone().filter(|p| !p.trim().is_empty());
        let placement_id = Some(c.id.clone()).filter(|id| !id.trim().is_empty() && person_id.is_none());
        person_id.as_ref().or(placement_id.as_ref())?;
        Some(Arrived { person_id, placement_id, target_id: c.project_id.clone().filter(|p| !p.trim().is_empty()) })
    }

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

/// The query parameter of the hook URL that carries the connection's webhook secret.
pub const TOKEN_PARAM: &str = "token";

/// Whether the hook URL's token is the connection's webhook secret, compared in constant time.
pub fn verify_token(secret: &str, presented: Option<&str>) -> Result<(), WebhookError> {
    let presented = presented.filter(|t| !t.is_empty()).ok_or(WebhookError::MissingToken)?;
    if bool::from(secret.as_bytes().ct_eq(presented.as_bytes())) && !secret.is_empty() {
        Ok(())
    } else {
        Err(WebhookError::BadToken)
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn only_the_connections_secret_is_accepted_as_the_token() {
        assert_eq!(verify_token("s3cret", Some("s3cret")), Ok(()));
        assert_eq!(verify_token("s3cret", Some("s3cre")), Err(WebhookError::BadToken));
        assert_eq!(verify_token("s3cret", Some("s3cret ")), Err(WebhookError::BadToken));
        assert_eq!(verify_token("s3cret", Some("")), Err(WebhookError::MissingToken));
        assert_eq!(verify_token("s3cret", None), Err(WebhookError::MissingToken));
        assert_eq!(verify_token("", Some("x")), Err(WebhookError::BadToken));
    }
}
