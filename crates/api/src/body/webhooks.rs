//! Bodies of the provider webhook receivers.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a provider's webhook delivery did.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"received": true, "duplicate": false, "jobs": 1}))]
pub struct ReceivedOut {
    /// Always true: the delivery is stored.
    pub received: bool,
    /// Whether it was seen before; a replay changes nothing.
    pub duplicate: bool,
    /// Jobs it queued.
    pub jobs: usize,
}
