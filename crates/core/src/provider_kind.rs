//! The closed set of providers hiresync talks to.

use crate::RateLimit;
use serde::{Deserialize, Serialize};

/// An external system a connection points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// Greenhouse Harvest (v3 by default, v1 for legacy keys).
    Greenhouse,
    /// Clockwork Recruiting v3.
    Clockwork,
    /// Teamtailor JSON:API v1.
    Teamtailor,
    /// Oneflow contracts.
    Oneflow,
}

impl ProviderKind {
    /// Every provider, in a stable order.
    pub const ALL: [ProviderKind; 4] =
        [ProviderKind::Greenhouse, ProviderKind::Clockwork, ProviderKind::Teamtailor, ProviderKind::Oneflow];

    /// The lowercase name used in URLs, config and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Greenhouse => "greenhouse",
            ProviderKind::Clockwork => "clockwork",
            ProviderKind::Teamtailor => "teamtailor",
            ProviderKind::Oneflow => "oneflow",
        }
    }

    /// The name users read ("Exists in Greenhouse").
    pub fn display_name(self) -> &'static str {
        match self {
            ProviderKind::Greenhouse => "Greenhouse",
            ProviderKind::Clockwork => "Clockwork",
            ProviderKind::Teamtailor => "Teamtailor",
            ProviderKind::Oneflow => "Oneflow",
        }
    }

    /// Parses the lowercase name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The request allowance per credential the provider publishes, which the limiter keeps
    /// to until the provider's own headers say more. Clockwork publishes none: a conservative
    /// 10 per 2 s.
    pub fn published_rate_limit(self) -> RateLimit {
        let (requests, per_seconds) = match self {
            ProviderKind::Greenhouse | ProviderKind::Teamtailor => (50, 10.0),
            ProviderKind::Clockwork => (10, 2.0),
            ProviderKind::Oneflow => (2000, 300.0),
        };
        RateLimit { requests, per_seconds }
    }

    /// Whether people are synced to this provider from outreach (Oneflow only carries contracts).
    pub fn syncs_people(self) -> bool {
        !matches!(self, ProviderKind::Oneflow)
    }
}

impl std::fmt::Display for ProviderKind {
    /// The lowercase name, as in messages and metric labels.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
