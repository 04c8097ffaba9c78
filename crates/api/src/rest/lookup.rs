//! `GET /v1/lookup?email=`: the browser extension's duplicate question
//! (SPEC L1), asked live of every people provider the caller syncs to. One
//! provider failing costs only its own entry.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, query_pairs};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use hiresync_core::validation::{is_email, normalise_email};
use hiresync_store::connections::{self, Connection};
use serde_json::{Value, json};

/// Whether the email already exists in each of the caller's providers.
#[utoipa::path(get, path = "/v1/lookup", tag = "lookup",
    params(("email" = String, Query, description = "The address to look up")),
    responses(
        (status = 200, description = "[{connection_id, provider, duplicate, message, person_url, person_id, error?}]; \
            a provider that failed gives an entry with `error`"),
        (status = 422, description = "Missing or invalid email")))]
pub async fn lookup(
    State(state): State<AppState>,
    Caller(caller): Caller,
    RawQuery(query): RawQuery,
) -> ApiResult<axum::Json<Value>> {
    let pairs = query_pairs(query.as_deref());
    let email = pairs.iter().find(|(k, _)| k == "email").map(|(_, v)| normalise_email(v)).unwrap_or_default();
    if !is_email(&email) {
        return Err(ApiError::field("email", "required: an email address"));
    }
    let mut c = state.store.db().await?;
    let conns = connections::for_owner(&mut c, &caller.workspace_id, &caller.id).await?;
    drop(c);
    let asks = conns.iter().filter(|k| k.provider.syncs_people()).map(|k| entry(&state, k, &email));
    Ok(axum::Json(Value::Array(futures::future::join_all(asks).await)))
}

async fn entry(state: &AppState, conn: &Connection, email: &str) -> Value {
    let name = conn.provider.display_name();
    let mut out = json!({"connection_id": conn.id.as_str(), "provider": conn.provider.as_str(),
        "duplicate": null, "message": null, "person_url": null, "person_id": null});
    let found = match state.clients.people(conn) {
        Ok(client) => client.find_person_by_email(email).await.map(|p| (p, client)).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if found.is_ok() {
        super::connections::answered(state, conn).await;
    }
    match found {
        Ok((Some(person), client)) => {
            out["duplicate"] = true.into();
            out["message"] = format!("Duplicate found in {name}").into();
            out["person_url"] = person.url.clone().unwrap_or_else(|| client.person_url(&person.id)).into();
            out["person_id"] = person.id.into();
        }
        Ok((None, _)) => {
            out["duplicate"] = false.into();
            out["message"] = format!("No duplicates found in {name}").into();
        }
        Err(error) => {
            tracing::warn!(connection_id = conn.id.as_str(), %error, "Duplicate lookup failed for one connection.");
            out["message"] = format!("Could not check {name}").into();
            out["error"] = error.into();
        }
    }
    out
}
