//! `GET /v1/contacts/{external_id}/send-permission`: the outreach app's "may
//! I email?" question (SPEC S10). Each connection the contact syncs to that
//! blocks off-limits people and whose provider knows an off-limits state is
//! asked about the linked person, or the person found by email. Answers are
//! kept a few minutes (`?refresh=true` asks again); a provider that cannot be
//! asked fails the question rather than letting the email through.

use crate::body::lookup::{PermissionOut, PermissionQuery};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, Query};
use crate::rest::contacts::ContactPath;
use crate::state::AppState;
use axum::extract::State;
use hiresync_core::ConnectionSettings;
use hiresync_core::validation::normalise_email;
use hiresync_providers::{People, ProviderError};
use hiresync_store::connections::{self, Connection};
use hiresync_store::{contacts, events, sequences, workspaces};
use serde_json::Value;
use std::sync::Arc;

/// One connection to ask, with the person the contact is linked to there.
struct Check {
    conn: Connection,
    client: Arc<dyn People>,
    linked: Option<String>,
}

/// Whether the contact may be emailed, and why not.
#[utoipa::path(get, path = "/v1/contacts/{external_id}/send-permission", tag = "contacts",
    params(ContactPath, PermissionQuery), responses(
        (status = 200, description = "Whether the contact may be emailed", body = PermissionOut),
        (status = 404, description = "No such contact"),
        (status = 422, description = "Invalid refresh flag"),
        (status = 502, description = "A provider could not be asked; the answer is unknown")))]
pub async fn send_permission(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(external_id): Path<String>,
    Query(query): Query<PermissionQuery>,
) -> ApiResult<Json<PermissionOut>> {
    let refresh = query.refresh;
    let ws = &caller.workspace_id;
    let mut c = state.store.db().await?;
    let Some(contact) = contacts::get(&mut c, ws, &external_id).await? else {
        return Err(ApiError::NotFound("contact"));
    };
    let emails: Vec<String> = contact.data["emails"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(normalise_email)
        .filter(|e| !e.is_empty())
        .collect();
    // The contact syncs to its sequences' owners' connections; unenrolled, it is the caller's question.
    let mut owners = sequences::owners_of_contact(&mut c, ws, &external_id).await?;
    if owners.is_empty() {
        owners.push(caller.id.clone());
    }
    let mut conns: Vec<Connection> = Vec::new();
    for owner in &owners {
        for k in connections::for_owner(&mut c, ws, owner).await? {
            if k.provider.syncs_people() && !conns.iter().any(|x| x.id == k.id) {
                conns.push(k);
            }
        }
    }
    let mut checks = Vec::new();
    for conn in conns {
        let defaults = workspaces::defaults(&mut c, ws, conn.provider.as_str()).await?;
        let settings = ConnectionSettings::resolve(conn.provider, &defaults, &conn.settings)
            .map_err(|e| ApiError::Internal(format!("stored settings of {}: {e}", conn.id.as_str())))?;
        if !settings.block_off_limits {
            continue;
        }
        let Some(client) = super::connections::open(&state, &conn)?.filter(|c| c.capabilities().off_limits) else {
            continue;
        };
        let linked = events::sync_state(&mut c, &conn.id, &external_id).await?.and_then(|s| s.person_id);
        checks.push(Check { conn, client, linked });
    }
    drop(c);
    for check in &checks {
        if let Some(reason) = ask(&state, check, &emails, refresh).await? {
            let name = check.conn.provider.display_name();
            let reason = if reason.contains(name) { reason } else { format!("{reason} in {name}") };
            return Ok(Json(PermissionOut {
                allowed: false,
                reason: Some(reason),
                connection_id: Some(check.conn.id.as_str().to_owned()),
                provider: Some(check.conn.provider.into()),
            }));
        }
    }
    Ok(Json(PermissionOut { allowed: true, reason: None, connection_id: None, provider: None }))
}

/// Who is asked about: the linked person, or whoever holds an email.
#[derive(Clone, Copy)]
enum Subject<'a> {
    Person(&'a str),
    Email(&'a str),
}

/// The off-limits reason one connection gives, from the cache unless `refresh`.
async fn ask(state: &AppState, check: &Check, emails: &[String], refresh: bool) -> ApiResult<Option<String>> {
    let conn_id = check.conn.id.as_str();
    let subjects: Vec<(String, Subject<'_>)> = match &check.linked {
        Some(person) => vec![(format!("{conn_id}/person/{person}"), Subject::Person(person))],
        None => emails.iter().map(|e| (format!("{conn_id}/email/{e}"), Subject::Email(e))).collect(),
    };
    for (key, subject) in subjects {
        let cached = if refresh { None } else { state.off_limits.get(&key) };
        let answer = match cached {
            Some(answer) => answer,
            None => {
                let answer = live(check.client.as_ref(), subject).await.map_err(|e| upstream(&check.conn, &e))?;
                state.off_limits.put(key, answer.clone());
                answer
            }
        };
        if answer.is_some() {
            return Ok(answer);
        }
    }
    Ok(None)
}

async fn live(client: &dyn People, subject: Subject<'_>) -> Result<Option<String>, ProviderError> {
    let id = match subject {
        Subject::Person(id) => id.to_owned(),
        Subject::Email(email) => match client.find_person_by_email(email).await? {
            Some(p) => p.id,
            None => return Ok(None),
        },
    };
    client.off_limits(&id).await
}

fn upstream(conn: &Connection, e: &ProviderError) -> ApiError {
    ApiError::Upstream(format!(
        "{} could not be asked whether this person may be emailed: {e}",
        conn.provider.display_name()
    ))
}
