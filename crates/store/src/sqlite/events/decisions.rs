//! Decisions and carry marks on SQLite.

use crate::Result;
use crate::error::json_col;
use crate::events::{MARK_CARRIED, NewDecision, ToCarry, written_parts};
use crate::sqlite::lists::{self, CHUNK};
use hiresync_core::{ConnectionId, WorkspaceId};
use sqlx::SqliteConnection;

pub(crate) async fn insert_decisions(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    decisions: &[NewDecision<'_>],
    now: i64,
) -> Result<()> {
    for chunk in decisions.chunks(CHUNK) {
        let sql = format!(
            "insert into decisions (workspace_id, created_at, event_id, connection_id, contact_id, action, reason,
                                    target)
             values {}",
            lists::values(chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for d in chunk {
            let (reason, target) = written_parts(d.decision);
            q = q
                .bind(ws.as_str())
                .bind(now)
                .bind(d.event_id)
                .bind(d.connection_id.as_str())
                .bind(d.contact_id)
                .bind(d.decision.action())
                .bind(reason)
                .bind(target);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// (id, event_id, action, reason, target) as read.
type ToCarryRow = (i64, String, String, Option<String>, Option<String>);

/// Walks the contact's events (`cross join` keeps that order: left to itself, with no
/// statistics, SQLite walked every decision of the workspace) and looks each one's decision up
/// by the decisions' unique index: an index of decisions by contact cost ingest too much.
pub(crate) async fn to_carry(
    c: &mut SqliteConnection,
    ws: &WorkspaceId,
    connection: &ConnectionId,
    contact_id: &str,
    limit: i64,
) -> Result<Vec<ToCarry>> {
    let rows: Vec<ToCarryRow> = sqlx::query_as(
        "select d.id, d.event_id, d.action, d.reason, d.target from events e cross join decisions d
         where d.workspace_id = e.workspace_id and d.event_id = e.id and e.workspace_id = $1 and e.contact_id = $3
           and d.connection_id = $2 and d.action <> 'skip'
           and d.id > coalesce((select k.carried_through from carry_marks k
                                where k.connection_id = $2 and k.contact_id = $3), 0)
         order by d.id limit $4",
    )
    .bind(ws.as_str())
    .bind(connection.as_str())
    .bind(contact_id)
    .bind(limit)
    .fetch_all(c)
    .await?;
    rows.into_iter()
        .map(|(id, event_id, action, reason, target)| {
            let target = target.map(|t| json_col("decisions.target", &t)).transpose()?;
            ToCarry::from_parts(id, event_id, action, reason, target)
        })
        .collect()
}

pub(crate) async fn mark_carried(
    c: &mut SqliteConnection,
    connection: &ConnectionId,
    contact_id: &str,
    through: i64,
) -> Result<()> {
    sqlx::query(MARK_CARRIED).bind(connection.as_str()).bind(contact_id).bind(through).execute(c).await?;
    Ok(())
}
