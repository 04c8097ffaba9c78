//! User roles inside a workspace.

use serde::{Deserialize, Serialize};

/// A user's role: owners and managers administer, members use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Created the workspace; may do everything.
    Owner,
    /// Administers users and settings.
    Manager,
    /// Uses the integration for their own sequences.
    Member,
}

impl Role {
    /// Whether this role may add users and clone settings to teammates (SPEC S12).
    pub fn administers(self) -> bool {
        matches!(self, Role::Owner | Role::Manager)
    }

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Member => "member",
        }
    }

    /// Parses the stored and wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Role::Owner),
            "manager" => Some(Role::Manager),
            "member" => Some(Role::Member),
            _ => None,
        }
    }
}
