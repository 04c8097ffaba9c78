//! The console's sessions, links and reads on PostgreSQL.

use super::types::ts;
use crate::Result;
use crate::console::{Holder, HourCount};
use hiresync_core::WorkspaceId;
use sqlx::PgConnection;

pub(crate) async fn sweep(c: &mut PgConnection, now: i64) -> Result<()> {
    sqlx::query("delete from console_sessions where expires_at <= $1").bind(ts(now)).execute(&mut *c).await?;
    sqlx::query("delete from console_links where expires_at <= $1").bind(ts(now)).execute(&mut *c).await?;
    Ok(())
}

pub(crate) async fn insert_session(
    c: &mut PgConnection,
    id_hash: &str,
    holder: &Holder,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "insert into console_sessions (id_hash, workspace_id, user_id, created_at, expires_at)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(id_hash)
    .bind(&holder.0)
    .bind(&holder.1)
    .bind(ts(now))
    .bind(ts(expires_at))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn session(c: &mut PgConnection, id_hash: &str, now: i64) -> Result<Option<Holder>> {
    Ok(sqlx::query_as("select workspace_id, user_id from console_sessions where id_hash = $1 and expires_at > $2")
        .bind(id_hash)
        .bind(ts(now))
        .fetch_optional(c)
        .await?)
}

pub(crate) async fn delete_session(c: &mut PgConnection, id_hash: &str) -> Result<()> {
    sqlx::query("delete from console_sessions where id_hash = $1").bind(id_hash).execute(c).await?;
    Ok(())
}

pub(crate) async fn end_sessions(c: &mut PgConnection, user: &str) -> Result<()> {
    sqlx::query("delete from console_sessions where user_id = $1").bind(user).execute(&mut *c).await?;
    sqlx::query("delete from console_links where user_id = $1").bind(user).execute(&mut *c).await?;
    Ok(())
}

pub(crate) async fn insert_link(
    c: &mut PgConnection,
    token_hash: &str,
    holder: &Holder,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "insert into console_links (token_hash, workspace_id, user_id, created_at, expires_at)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(&holder.0)
    .bind(&holder.1)
    .bind(ts(now))
    .bind(ts(expires_at))
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn use_link(c: &mut PgConnection, token_hash: &str, now: i64) -> Result<Option<Holder>> {
    // One statement marks and reads it, so two browsers racing with one link cannot both win.
    Ok(sqlx::query_as(
        "update console_links set used_at = $2
         where token_hash = $1 and used_at is null and expires_at > $2
         returning workspace_id, user_id",
    )
    .bind(token_hash)
    .bind(ts(now))
    .fetch_optional(c)
    .await?)
}

pub(crate) async fn holders_named(c: &mut PgConnection, id_or_email: &str) -> Result<Vec<Holder>> {
    Ok(sqlx::query_as(
        "select workspace_id, id from users where (id = $1 or email = $1) and deleted_at is null order by workspace_id",
    )
    .bind(id_or_email)
    .fetch_all(c)
    .await?)
}

pub(crate) async fn recent_resyncs(c: &mut PgConnection, ws: &WorkspaceId, limit: i64) -> Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("select id from resyncs where workspace_id = $1 order by created_at desc, id desc limit $2")
            .bind(ws.as_str())
            .bind(limit)
            .fetch_all(c)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub(crate) async fn sequence_ids(c: &mut PgConnection, ws: &WorkspaceId, limit: i64) -> Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("select external_id from sequences where workspace_id = $1 order by external_id limit $2")
            .bind(ws.as_str())
            .bind(limit)
            .fetch_all(c)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub(crate) async fn recent_contracts(c: &mut PgConnection, ws: &WorkspaceId, limit: i64) -> Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("select id from contracts where workspace_id = $1 order by created_at desc, id desc limit $2")
            .bind(ws.as_str())
            .bind(limit)
            .fetch_all(c)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub(crate) async fn search_contacts(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    pattern: &str,
    limit: i64,
) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "select external_id from contacts
         where workspace_id = $1 and (lower(external_id) like $2 or lower(data::text) like $2)
         order by external_id limit $3",
    )
    .bind(ws.as_str())
    .bind(pattern)
    .bind(limit)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub(crate) async fn queued_by_connection(c: &mut PgConnection, ws: &WorkspaceId) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "select connection_id, count(*) from jobs
         where workspace_id = $1 and state in ('queued', 'running') and connection_id is not null
         group by connection_id",
    )
    .bind(ws.as_str())
    .fetch_all(c)
    .await?)
}

pub(crate) async fn calls_since(
    c: &mut PgConnection,
    ws: &WorkspaceId,
    connection: &str,
    since: i64,
    scan: i64,
) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "select count(*) from (select workspace_id, connection_id, operation, at from sync_log order by id desc limit $4) recent
         where workspace_id = $1 and connection_id = $2 and at >= $3 and operation like '%/%'",
    )
    .bind(ws.as_str())
    .bind(connection)
    .bind(ts(since))
    .bind(scan)
    .fetch_one(c)
    .await?;
    Ok(n)
}

pub(crate) async fn finished_by_hour(c: &mut PgConnection, ws: &WorkspaceId, since: i64) -> Result<Vec<HourCount>> {
    Ok(sqlx::query_as(
        "select connection_id, state,
                floor(extract(epoch from coalesce(finished_at, updated_at)) / 3600)::bigint, count(*)
         from jobs
         where workspace_id = $1 and state in ('done', 'dead') and connection_id is not null
           and coalesce(finished_at, updated_at) >= $2
         group by 1, 2, 3",
    )
    .bind(ws.as_str())
    .bind(ts(since))
    .fetch_all(c)
    .await?)
}
