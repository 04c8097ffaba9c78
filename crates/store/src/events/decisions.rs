//! The decision taken for each event and connection when the event arrived
//! (SPEC S1-S4), kept as the record of why a contact synced or not, and how
//! far each contact's decisions have been carried out per connection.

use crate::db::on_backend;
use crate::{Db, Result, StoreError, now_ms};
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
    pub contact_id: &'a str,
    /// What was decided.
    pub decision: &'a Decision,
}

/// Records decisions, in order.
pub async fn insert_decisions(db: &mut Db, workspace: &WorkspaceId, decisions: &[NewDecision<'_>]) -> Result<()> {
    if decisions.is_empty() {
        return Ok(());
    }
    on_backend!(db, events::insert_decisions(workspace, decisions, now_ms()))
}

/// A decision's reason and target (JSON text) as stored.
pub(crate) fn written_parts(decision: &Decision) -> (Option<String>, Option<String>) {
    match decision {
        Decision::Skip { reason } => (Some(reason.clone()), None),
        Decision::Sync { target } => (None, target.as_ref().map(|t| t.to_json().to_string())),
        Decision::Activity | Decision::UpdatePerson => (None, None),
    }
}

/// A decision recorded for a contact and connection and not carried out yet.
#[derive(Clone, Debug, PartialEq)]
pub struct ToCarry {
    /// Its id: decisions are carried out in id order.
    pub id: i64,
    /// The event it was taken for.
    pub event_id: String,
    /// What was decided; never a skip, which has nothing to carry out.
    pub decision: Decision,
}

impl ToCarry {
    /// A decision from its stored columns, which are the decision's serde fields.
    pub(crate) fn from_parts(
        id: i64,
        event_id: String,
        action: String,
        reason: Option<String>,
        target: Option<Value>,
    ) -> Result<Self> {
        let mut fields = serde_json::Map::new();
        fields.insert("action".into(), Value::String(action));
        if let Some(reason) = reason {
            fields.insert("reason".into(), Value::String(reason));
        }
        if let Some(target) = target {
            fields.insert("target".into(), target);
        }
        let decision = serde_json::from_value(Value::Object(fields))
            .map_err(|e| StoreError::Corrupt { column: "decisions.action", message: e.to_string() })?;
        Ok(ToCarry { id, event_id, decision })
    }
}

/// Up to `limit` of this contact's decisions for the connection that are not carried out
/// yet, oldest first; skips are passed over.
pub async fn to_carry(
    db: &mut Db,
    workspace: &WorkspaceId,
    connection: &ConnectionId,
    contact_id: &str,
    limit: i64,
) -> Result<Vec<ToCarry>> {
    on_backend!(db, events::to_carry(workspace, connection, contact_id, limit))
}

/// Marks this contact's decisions for the connection carried out up to and including `through`
/// (its carry mark); the mark never moves back.
pub async fn mark_carried(db: &mut Db, connection: &ConnectionId, contact_id: &str, through: i64) -> Result<()> {
    on_backend!(db, events::mark_carried(connection, contact_id, through))
}

/// Moves a carry mark forward: the statement reads the same on both backends.
pub(crate) const MARK_CARRIED: &str = "insert into carry_marks (connection_id, contact_id, carried_through)
     values ($1, $2, $3)
     on conflict (connection_id, contact_id) do update set carried_through = excluded.carried_through
     where carry_marks.carried_through < excluded.carried_through";
