//! Jobs as enqueued, claimed and listed.

/// Bulk work (resyncs, imports) runs below interactive events.
pub const PRIORITY_BULK: i64 = 0;
/// Events from the outreach app.
pub const PRIORITY_INTERACTIVE: i64 = 100;
/// How long a done job is kept, for listing and for the job ids in the sync log, before the
/// worker deletes it; without it the queue holds every event's job forever.
pub const DONE_RETENTION_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// A job to enqueue.
#[derive(Clone, Debug)]
pub struct NewJob {
    /// Workspace it belongs to.
    pub workspace_id: String,
    /// Connection it works on, if any.
    pub connection_id: Option<String>,
    /// Contact it works on, if any.
    pub contact_id: Option<String>,
    /// Jobs of one key run one at a time, in enqueue order.
    pub ordering_key: String,
    /// Versioned job kind (`sync_event_v1`, ...).
    pub kind: String,
    /// The job's input, as JSON text: the store writes the text as it is (PostgreSQL parses it
    /// into its jsonb), where building a JSON tree only to print it again cost ingest a third of
    /// its in-memory work while it held the writer.
    pub payload: String,
    /// Higher runs first.
    pub priority: i64,
    /// Attempts before the job is dead.
    pub max_attempts: i64,
    /// Not before this time (epoch ms).
    pub run_at: i64,
}

/// A job a worker holds a lease on.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ClaimedJob {
    /// The job's id.
    pub id: i64,
    /// Workspace it belongs to.
    pub workspace_id: String,
    /// Connection it works on.
    pub connection_id: Option<String>,
    /// Contact it works on.
    pub contact_id: Option<String>,
    /// Versioned kind.
    pub kind: String,
    /// Input JSON text.
    pub payload: String,
    /// This attempt's number, from 1.
    pub attempts: i64,
    /// Attempts allowed.
    pub max_attempts: i64,
    /// Times it was put off without spending an attempt (budget, Retry-After, outage).
    pub waits: i64,
    /// Proof of ownership for heartbeat, completion and failure.
    pub lease_token: String,
}

/// A job as the API shows it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct JobInfo {
    /// The job's id.
    pub id: i64,
    /// Versioned kind.
    pub kind: String,
    /// queued / running / done / dead.
    pub state: String,
    /// Attempts made.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Connection it works on.
    pub connection_id: Option<String>,
    /// Contact it works on.
    pub contact_id: Option<String>,
}

/// A place in the claim order: priority, turn, id.
pub(crate) type Place = (i64, i64, i64);

/// A claimable job as a claim first sees it: id, connection, and its place's priority and turn.
pub(crate) type Claimable = (i64, Option<String>, i64, i64);
