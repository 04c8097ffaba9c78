//! The decision taken for each event and connection when the event arrived
//! (SPEC S1-S4), kept as the record of why a contact synced or not.

use crate::rows::{self, CHUNK, Params};
use crate::{Conn, Result, now_ms};
use hiresync_core::{ConnectionId, Decision, WorkspaceId};
use serde_json::Value;

/// A decision to record.
#[derive(Clone, Debug)]
pub struct NewDecision<'a> {
    /// The event it was taken for.
    pub event_id: &'a str,
    /// The connection it applies to.
    pub connection_id: &'a ConnectionId,
    /// The event's contact.
    pub contact: &'a str,
    /// What was decided.
    pub decision: &'a Decision,
}

/// Records decisions, in order.
pub async fn insert_decisions(c: &mut Conn, workspace: &WorkspaceId, decisions: &[NewDecision<'_>]) -> Result<()> {
    let (now, p) = (now_ms(), Params::of(c));
    for chunk in decisions.chunks(CHUNK) {
        let sql = format!(
            "insert into decisions (workspace_id, created_at, event_id, connection_id, contact, action, reason, target)
             values {}",
            p.values(chunk.len(), 8, 1)
        );
        let mut q = rows::listed(&sql, p);
        for d in chunk {
            let (reason, target) = match d.decision {
                Decision::Skip { reason } => (Some(reason.clone()), None),
                Decision::Sync { target } => (None, target.as_ref().map(|t| Value::Object(t.0.clone()).to_string())),
                Decision::Activity | Decision::UpdatePerson => (None, None),
            };
            q = q
                .bind(workspace.as_str())
                .bind(now)
                .bind(d.event_id)
                .bind(d.connection_id.as_str())
                .bind(d.contact)
                .bind(d.decision.action())
                .bind(reason)
                .bind(target);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}
