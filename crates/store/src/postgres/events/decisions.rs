//! Decisions and carry marks on PostgreSQL.

use crate::Result;
use crate::error::json_col;
use crate::events::{MARK_CARRIED, NewDecision, ToCarry, written_parts};
use crate::postgres::types::ts;
use hiresync_core::{ConnectionId, WorkspaceId};
use sqlx::PgConnection;

/// One statement of a column array each, whose text is the same for any number of decisions.
pub(crate) async fn insert_decisions(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    decisions: &[NewDecision<'_>],
    now: i64,
) -> Result<()> {
    let (reasons, targets): (Vec<_>, Vec<_>) = decisions.iter().map(|d| written_parts(d.decision)).unzip();
    sqlx::query(
        "insert into decisions (workspace_id, created_at, event_id, connection_id, contact_id, action, reason, target)
         select $1, $2, t.event_id, t.connection_id, t.contact_id, t.action, t.reason, t.target::json
         from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           as t(event_id, connection_id, contact_id, action, reason, target)",
    )
    .bind(ws.as_str())
    .bind(ts(now))
    .bind(decisions.iter().map(|d| d.event_id).collect::<Vec<_>>())
    .bind(decisions.iter().map(|d| d.connection_id.as_str()).collect::<Vec<_>>())
    .bind(decisions.iter().map(|d| d.contact_id).collect::<Vec<_>>())
    .bind(decisions.iter().map(|d| d.decision.action()).collect::<Vec<_>>())
    .bind(reasons)
    .bind(targets)
    .execute(c)
    .await?;
    Ok(())
}

/// (id, event_id, action, reason, target) as read.
type ToCarryRow = (i64, String, String, Option<String>, Option<String>);

/// Reads the decisions by their key, (connection, contact, id): given SQLite's join through the
/// contact's events, PostgreSQL hashed it against every decision after the mark.
pub(crate) async fn to_carry(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    connection: &ConnectionId,
    contact_id: &str,
    limit: i64,
) -> Result<Vec<ToCarry>> {
    let rows: Vec<ToCarryRow> = sqlx::query_as(
        "select d.id, d.event_id, d.action, d.reason, d.target::text from decisions d
         where d.workspace_id = $1 and d.contact_id = $3 and d.connection_id = $2 and d.action <> 'skip'
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
    c: &mut PgConnection,
    connection: &ConnectionId,
    contact_id: &str,
    through: i64,
) -> Result<()> {
    sqlx::query(MARK_CARRIED).bind(connection.as_str()).bind(contact_id).bind(through).execute(c).await?;
    Ok(())
}
