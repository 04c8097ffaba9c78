//! `GET /v1/lookup?email=`: the browser extension's duplicate question
//! (SPEC L1), asked live of every people provider the caller syncs to whose
//! deduplication setting is on (as the seed articles describe: with it off,
//! hiresync does not check). One provider failing costs only its own entry.

use crate::body::lookup::{LookupOut, LookupQuery};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Query};
use crate::state::AppState;
use axum::extract::State;
use hiresync_core::ConnectionSettings;
use hiresync_core::validation::{is_email, normalise_email};
use hiresync_store::connections::{self, Connection};
use hiresync_store::workspaces;

/// Whether the email already exists in each of the caller's providers.
#[utoipa::path(get, path = "/v1/lookup", tag = "lookup", params(LookupQuery), responses(
    (status = 200, description = "One entry per provider the caller syncs people to; a provider that failed \
        gives an entry with `error`", body = [LookupOut]),
    (status = 422, description = "Missing or invalid email")))]
pub async fn lookup(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<LookupQuery>,
) -> ApiResult<Json<Vec<LookupOut>>> {
    let email = normalise_email(&query.email);
    if !is_email(&email) {
        return Err(ApiError::field("email", "required: an email address"));
    }
    let mut c = state.store.db().await?;
    let conns = connections::for_owner(&mut c, &caller.workspace_id, &caller.id).await?;
    let mut people = Vec::new();
    for k in conns.into_iter().filter(|k| k.provider.syncs_people()) {
        let defaults = workspaces::defaults(&mut c, &k.workspace_id, k.provider.as_str()).await?;
        let dedup = ConnectionSettings::resolve(k.provider, &defaults, &k.settings).is_ok_and(|s| s.dedup_warning);
        people.push((k, dedup));
    }
    drop(c);
    let asks = people.iter().map(|(k, dedup)| entry(&state, k, &email, *dedup));
    Ok(Json(futures::future::join_all(asks).await))
}

async fn entry(state: &AppState, conn: &Connection, email: &str, dedup: bool) -> LookupOut {
    let name = conn.provider.display_name();
    let mut out = LookupOut {
        connection_id: conn.id.as_str().to_owned(),
        provider: conn.provider.into(),
        duplicate: None,
        message: String::new(),
        person_url: None,
        person_id: None,
        error: None,
        checked: dedup,
    };
    if !dedup {
        out.message = format!("Deduplication is off for {name}");
        return out;
    }
    let found = match state.clients.people(conn) {
        Ok(client) => client.find_person_by_email(email).await.map(|p| (p, client)).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if found.is_ok() {
        super::connections::answered(state, conn).await;
    }
    match found {
        Ok((Some(person), client)) => {
            out.duplicate = Some(true);
            out.message = format!("Duplicate found in {name}");
            out.person_url = Some(person.url.clone().unwrap_or_else(|| client.person_url(&person.id)));
            out.person_id = Some(person.id);
        }
        Ok((None, _)) => {
            out.duplicate = Some(false);
            out.message = format!("No duplicates found in {name}");
        }
        Err(error) => {
            tracing::warn!(connection_id = conn.id.as_str(), %error, "Duplicate lookup failed for one connection.");
            out.message = format!("Could not check {name}");
            out.error = Some(error);
        }
    }
    out
}
