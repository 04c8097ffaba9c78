//! Who a workspace-wide Greenhouse connection writes as (SPEC C1): the
//! hiresync user who acted (the sequence's owner) as their own Greenhouse
//! user, set by an admin in `acting_users` or else found by their email
//! among Greenhouse's users; the connection's own user when neither finds
//! one. A personal connection always writes as its own user.

use crate::job::JobError;
use hiresync_core::{ConnectionSettings, UserId};
use hiresync_providers::{ErrorKind, People};
use hiresync_store::connections::Connection;
use hiresync_store::{Store, StoreError, workspaces};
use std::sync::Arc;

/// `provider` writing as `owner`'s Greenhouse user when `conn` is a workspace connection that can
/// attribute writes per user; `provider` itself otherwise.
pub(crate) async fn acting_for(
    store: &Store,
    conn: &Connection,
    settings: &ConnectionSettings,
    provider: Arc<dyn People>,
    owner: Option<&UserId>,
) -> Result<Arc<dyn People>, JobError> {
    let Some(owner) = owner.filter(|_| conn.user_id.is_none()) else { return Ok(provider) };
    let mut c = store.db().await?;
    let user = match workspaces::find_user(&mut c, &conn.workspace_id, owner.as_str()).await {
        Ok(user) => user,
        // A removed owner's work is written as the connection's user.
        Err(StoreError::NotFound) => return Ok(provider),
        Err(e) => return Err(e.into()),
    };
    drop(c);
    let mapped = settings
        .acting_users
        .iter()
        .find(|(k, _)| k.as_str() == user.id.as_str() || k.trim().eq_ignore_ascii_case(user.email.trim()));
    let greenhouse_user = match mapped {
        Some((_, id)) => Some(id.to_string()),
        None => match provider.user_by_email(&user.email).await {
            Ok(found) => found,
            // Waiting is not failing: the job is tried again for a lookup that may yet answer.
            Err(e) if matches!(e.kind(), ErrorKind::Transient | ErrorKind::RateLimited { .. }) => {
                return Err(JobError::Provider(Box::new(e)));
            }
            Err(e) => {
                tracing::warn!(connection_id = conn.id.as_str(), error = %e, "Greenhouse users could not be searched; writing as the connection's user.");
                None
            }
        },
    };
    Ok(greenhouse_user.and_then(|u| provider.acting_as(&u)).unwrap_or(provider))
}
