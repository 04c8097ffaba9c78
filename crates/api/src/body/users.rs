//! Bodies of `/v1/users`.

use hiresync_core::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A user's role in the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoleName {
    /// May do everything, including adding owners.
    Owner,
    /// Administers users, shared connections and settings.
    Manager,
    /// Uses the integration for their own sequences.
    Member,
}

impl From<RoleName> for Role {
    fn from(r: RoleName) -> Self {
        match r {
            RoleName::Owner => Role::Owner,
            RoleName::Manager => Role::Manager,
            RoleName::Member => Role::Member,
        }
    }
}

impl From<Role> for RoleName {
    fn from(r: Role) -> Self {
        match r {
            Role::Owner => RoleName::Owner,
            Role::Manager => RoleName::Manager,
            Role::Member => RoleName::Member,
        }
    }
}

/// A teammate to add to the caller's workspace.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(expecting = "a user object")]
#[schema(example = json!({"email": "mia@acme.io", "role": "member", "groups": ["berlin"]}))]
pub struct UserIn {
    /// Their email address, unique in the workspace.
    pub email: String,
    /// Their role; `member` when absent. Only owners add owners.
    pub role: Option<RoleName>,
    /// Groups they belong to, for cloning settings to a group.
    pub groups: Option<Vec<String>>,
}

/// A user just added, with their bearer token (shown this once).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"id": "usr_01jd5z8v6c4q2w3e4r5t6y7u8i", "email": "mia@acme.io", "role": "member",
    "groups": ["berlin"], "token": "hs_4f9Xq2...redacted"}))]
pub struct UserOut {
    /// The user's id.
    pub id: String,
    /// Their email address, normalised.
    pub email: String,
    /// Their role.
    pub role: RoleName,
    /// Their groups.
    pub groups: Vec<String>,
    /// Their bearer token; only its hash is stored.
    pub token: String,
}

/// A new bearer token; the user's old one stopped working.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"token": "hs_4f9Xq2...redacted"}))]
pub struct TokenOut {
    /// The new bearer token, shown this once.
    pub token: String,
}
