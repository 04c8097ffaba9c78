//! The decision taken for each event and connection when the event arrived
//! (SPEC S1-S4), kept as the record of why a contact synced or not.

use crate::arrays;
use crate::rows::{self, CHUNK, Params};
use crate::{Conn, Result, StoreError, error::json_col, now_ms};
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
    if Params::of(c) == Params::Numbered {
        return insert_decisions_as_arrays(c, workspace, decisions).await;
    }
    let (now, p) = (now_ms(), Params::Anonymous);
    for chunk in decisions.chunks(CHUNK) {
        let sql = format!(
            "insert into decisions (workspace_id, created_at, event_id, connection_id, contact, action, reason, target)
             values {}",
            p.values(chunk.len(), 8, 1)
        );
        let mut q = rows::listed(&sql, p);
        for d in chunk {
            let (reason, target) = written_parts(d.decision);
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

/// [`insert_decisions`] on PostgreSQL: one statement of a column array each ([`arrays`]).
async fn insert_decisions_as_arrays(
    c: &mut Conn,
    workspace: &WorkspaceId,
    decisions: &[NewDecision<'_>],
) -> Result<()> {
    if decisions.is_empty() {
        return Ok(());
    }
    let parts: Vec<_> = decisions.iter().map(|d| written_parts(d.decision)).collect();
    sqlx::query(
        "insert into decisions (workspace_id, created_at, event_id, connection_id, contact, action, reason, target)
         select $1, $2, * from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])",
    )
    .bind(workspace.as_str())
    .bind(now_ms())
    .bind(arrays::text(decisions.iter().map(|d| Some(d.event_id))))
    .bind(arrays::text(decisions.iter().map(|d| Some(d.connection_id.as_str()))))
    .bind(arrays::text(decisions.iter().map(|d| Some(d.contact))))
    .bind(arrays::text(decisions.iter().map(|d| Some(d.decision.action()))))
    .bind(arrays::text(parts.iter().map(|(reason, _)| reason.as_deref())))
    .bind(arrays::text(parts.iter().map(|(_, target)| target.as_deref())))
    .execute(c)
    .await?;
    Ok(())
}

/// A decision's reason and target as stored.
fn written_parts(decision: &Decision) -> (Option<String>, Option<String>) {
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

/// (id, event_id, action, reason, target) as read.
type ToCarryRow = (i64, String, String, Option<String>, Option<String>);

/// Up to `limit` of this contact's decisions for the connection that are not carried out
/// yet, oldest first; skips are passed over.
pub async fn to_carry(
    c: &mut Conn,
    workspace: &WorkspaceId,
    connection: &ConnectionId,
    contact: &str,
    limit: i64,
) -> Result<Vec<ToCarry>> {
    // SQLite walks the contact's events (`cross join` keeps that order: left to itself, with no
    // statistics, it walked every decision of the workspace) and looks each one's decision up:
    // an index of decisions by contact cost ingest a seventh of its rate. PostgreSQL, given that
    // join, hashed it against every decision after the mark, so it has that index.
    let from = match Params::of(c) {
        Params::Anonymous => {
            "from events e cross join decisions d
             where d.workspace_id = e.workspace_id and d.event_id = e.id and e.workspace_id = $1 and e.contact = $3"
        }
        Params::Numbered => "from decisions d where d.workspace_id = $1 and d.contact = $3",
    };
    let sql = format!(
        "select d.id, d.event_id, d.action, d.reason, d.target {from}
           and d.connection_id = $2 and d.action <> 'skip'
           and d.id > coalesce((select k.carried_through from decision_cursors k
                                where k.connection_id = $2 and k.contact = $3), 0)
         order by d.id limit $4"
    );
    let rows: Vec<ToCarryRow> = sqlx::query_as(&sql)
        .bind(workspace.as_str())
        .bind(connection.as_str())
        .bind(contact)
        .bind(limit)
        .fetch_all(c)
        .await?;
    rows.into_iter()
        .map(|(id, event_id, action, reason, target)| {
            // The columns are the decision's serde fields, so serde puts them back together.
            let mut fields = serde_json::Map::new();
            fields.insert("action".into(), Value::String(action));
            if let Some(reason) = reason {
                fields.insert("reason".into(), Value::String(reason));
            }
            if let Some(target) = target {
                fields.insert("target".into(), json_col("decisions.target", &target)?);
            }
            let decision = serde_json::from_value(Value::Object(fields))
                .map_err(|e| StoreError::Corrupt { column: "decisions.action", message: e.to_string() })?;
            Ok(ToCarry { id, event_id, decision })
        })
        .collect()
}

/// Marks this contact's decisions for the connection carried out up to and including `through`;
/// the mark never moves back.
pub async fn carried(c: &mut Conn, connection: &ConnectionId, contact: &str, through: i64) -> Result<()> {
    sqlx::query(
        "insert into decision_cursors (connection_id, contact, carried_through) values ($1, $2, $3)
         on conflict (connection_id, contact) do update set carried_through = excluded.carried_through
         where decision_cursors.carried_through < excluded.carried_through",
    )
    .bind(connection.as_str())
    .bind(contact)
    .bind(through)
    .execute(c)
    .await?;
    Ok(())
}
