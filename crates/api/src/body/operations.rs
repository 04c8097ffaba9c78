//! Bodies of the operations endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Whether the process, or its database, answers.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok"}))]
pub struct HealthOut {
    /// `ok` (alive), `ready`, or `database unreachable`.
    pub status: String,
}
