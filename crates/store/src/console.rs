//! The web console's sign-ins: browser sessions and one-time sign-in links, each stored as
//! the SHA-256 of its secret only; and the few workspace-wide reads its pages need that no
//! API resource lists (recent resyncs, contacts by text, the queue per connection, the last
//! day's finished and dead jobs by hour).

use crate::db::on_backend;
use crate::resyncs::{self, Resync};
use crate::{Db, Result, contacts, contacts::StoredContact};
use hiresync_core::{UserId, WorkspaceId};

/// Whose a session or a used link is: `(workspace_id, user_id)`.
pub type Holder = (String, String);

/// Finished (`done`) or dead jobs of one connection in one hour:
/// `(connection_id, state, hour since the epoch, jobs)`.
pub type HourCount = (String, String, i64, i64);

/// Stores a session whose id hashes to `id_hash`, valid until `expires_at` (epoch ms); expired
/// sessions and links are swept away on the way.
pub async fn create_session(db: &mut Db, id_hash: &str, holder: &Holder, now: i64, expires_at: i64) -> Result<()> {
    on_backend!(db, console::sweep(now))?;
    on_backend!(db, console::insert_session(id_hash, holder, now, expires_at))
}

/// The holder of an unexpired session.
pub async fn session(db: &mut Db, id_hash: &str, now: i64) -> Result<Option<Holder>> {
    on_backend!(db, console::session(id_hash, now))
}

/// Ends a session (signing out).
pub async fn delete_session(db: &mut Db, id_hash: &str) -> Result<()> {
    on_backend!(db, console::delete_session(id_hash))
}

/// Ends every session of `user` and voids their unused links (their token was rotated).
pub async fn end_sessions(db: &mut Db, user: &UserId) -> Result<()> {
    on_backend!(db, console::end_sessions(user.as_str()))
}

/// Stores a one-time sign-in link whose token hashes to `token_hash`.
pub async fn create_link(db: &mut Db, token_hash: &str, holder: &Holder, now: i64, expires_at: i64) -> Result<()> {
    on_backend!(db, console::insert_link(token_hash, holder, now, expires_at))
}

/// Uses up a link: its holder the first time, while unexpired; never again after.
pub async fn use_link(db: &mut Db, token_hash: &str, now: i64) -> Result<Option<Holder>> {
    on_backend!(db, console::use_link(token_hash, now))
}

/// The users, in any workspace, whose id or email is `id_or_email`.
pub async fn holders_named(db: &mut Db, id_or_email: &str) -> Result<Vec<Holder>> {
    on_backend!(db, console::holders_named(id_or_email))
}

/// The workspace's `limit` most recent resyncs with their counts, newest first.
pub async fn recent_resyncs(db: &mut Db, workspace: &WorkspaceId, limit: i64) -> Result<Vec<Resync>> {
    let ids: Vec<String> = on_backend!(db, console::recent_resyncs(workspace, limit))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(r) = resyncs::get(db, workspace, &id).await? {
            out.push(r);
        }
    }
    Ok(out)
}

/// The workspace's sequences, by id, at most `limit`.
pub async fn sequences(db: &mut Db, workspace: &WorkspaceId, limit: i64) -> Result<Vec<crate::sequences::Sequence>> {
    let ids: Vec<String> = on_backend!(db, console::sequence_ids(workspace, limit))?;
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut all = crate::sequences::get_many(db, workspace, &refs).await?;
    all.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    Ok(all)
}

/// The ids of the workspace's `limit` most recent contracts, newest first.
pub async fn recent_contracts(db: &mut Db, workspace: &WorkspaceId, limit: i64) -> Result<Vec<String>> {
    on_backend!(db, console::recent_contracts(workspace, limit))
}

/// Up to `limit` contacts whose id, or whose description (emails, names), holds `text`,
/// ignoring case; by id.
pub async fn search_contacts(
    db: &mut Db,
    workspace: &WorkspaceId,
    text: &str,
    limit: i64,
) -> Result<Vec<StoredContact>> {
    let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let ids: Vec<String> = on_backend!(db, console::search_contacts(workspace, &format!("%{escaped}%"), limit))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(c) = contacts::get(db, workspace, &id).await? {
            out.push(c);
        }
    }
    Ok(out)
}

/// Unfinished jobs (queued or running) per connection: `(connection_id, jobs)`.
pub async fn queued_by_connection(db: &mut Db, workspace: &WorkspaceId) -> Result<Vec<(String, i64)>> {
    on_backend!(db, console::queued_by_connection(workspace))
}

/// How many of the sync log's newest entries [`calls_since`] looks through: enough for any
/// one allowance window, and a bounded read however long the log is.
pub const RECENT_CALLS: i64 = 20_000;

/// Provider calls through `connection` logged since `since` (epoch ms), among the sync log's
/// newest [`RECENT_CALLS`] entries (a count past that is at least what it says). The log holds
/// the calls jobs made; a job's own outcome line names no path and is not a call.
pub async fn calls_since(db: &mut Db, workspace: &WorkspaceId, connection: &str, since: i64) -> Result<i64> {
    on_backend!(db, console::calls_since(workspace, connection, since, RECENT_CALLS))
}

/// Jobs that finished or died since `since` (epoch ms), by connection, state and hour.
pub async fn finished_by_hour(db: &mut Db, workspace: &WorkspaceId, since: i64) -> Result<Vec<HourCount>> {
    on_backend!(db, console::finished_by_hour(workspace, since))
}
