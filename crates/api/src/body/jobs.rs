//! Bodies of `/v1/jobs`.

#[cfg(feature = "server")]
use hiresync_store::queue::JobInfo;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A job's state in the queue.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Waiting its turn.
    Queued,
    /// Being worked on.
    Running,
    /// Finished.
    Done,
    /// Out of attempts; it can be retried by hand.
    Dead,
    /// Waiting for its connection to work again (failing credentials, a removed owner).
    Held,
}

impl JobState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Dead => "dead",
            JobState::Held => "held",
        }
    }
}

/// Filters for the job list.
#[derive(Debug, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobFilter {
    /// Only jobs in this state.
    pub state: Option<JobState>,
}

/// A job of the workspace.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"id": 118, "kind": "sync_contact_v1", "state": "dead", "attempts": 5,
    "last_error": "greenhouse create person: 500", "connection_id": "conn_01jd5z8v6c4q2w3e4r5t6y7u8i",
    "contact": "c-1"}))]
pub struct JobOut {
    /// The job's id.
    pub id: i64,
    /// Its kind, with its version.
    pub kind: String,
    /// `queued`, `running`, `done`, `dead` or `held` (its connection is failing).
    pub state: String,
    /// Attempts made.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// The connection it works on.
    pub connection_id: Option<String>,
    /// The contact it works on.
    pub contact: Option<String>,
}

#[cfg(feature = "server")]
impl From<JobInfo> for JobOut {
    fn from(j: JobInfo) -> Self {
        Self {
            id: j.id,
            kind: j.kind,
            state: j.state,
            attempts: j.attempts,
            last_error: j.last_error,
            connection_id: j.connection_id,
            contact: j.contact_id,
        }
    }
}

/// A dead job put back in the queue.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"id": 118, "state": "queued"}))]
pub struct RetriedOut {
    /// The job's id.
    pub id: i64,
    /// Its state now: `queued`.
    pub state: JobState,
}
