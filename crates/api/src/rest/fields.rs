//! `GET /v1/connections/{id}/fields`: the provider's standard and custom
//! fields with the connection's settings applied (SPEC M2, M3), and the check
//! a contact's `field_values` pass against the displayed fields of the
//! connections they may sync to.

use crate::body::fields::{FieldOptionOut, FieldOut};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path};
use crate::field_defs::Discovered;
use crate::rest::connections::{ConnectionPath, load, open, usable_by};
use crate::state::AppState;
use axum::extract::State;
use hiresync_core::ConnectionSettings;
use hiresync_core::validation::Checker;
use hiresync_store::connections::{self, Connection};
use hiresync_store::workspaces::{self, User};
use serde_json::{Map, Value};
use std::sync::Arc;

/// The provider's fields as the connection's settings show them.
#[utoipa::path(get, path = "/v1/connections/{id}/fields", tag = "connections", params(ConnectionPath), responses(
    (status = 200, description = "Standard fields, then custom ones, with the connection's settings applied",
        body = [FieldOut]),
    (status = 404, description = "No such connection"),
    (status = 422, description = "The provider refused, or holds no people (Oneflow)"),
    (status = 502, description = "Provider unreachable")))]
pub async fn list_fields(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<FieldOut>>> {
    let conn = load(&state, &caller, &id).await?;
    let discovered = discover(&state, &conn).await?;
    let settings = settings_of(&state, &conn).await?;
    let has = |list: &[String], key: &str| list.iter().any(|k| k == key);
    let out = discovered
        .fields
        .iter()
        .map(|(object, f)| FieldOut {
            key: f.key.clone(),
            label: f.label.clone(),
            field_type: f.field_type.into(),
            options: f.options.iter().map(|o| FieldOptionOut { id: o.id.clone(), label: o.label.clone() }).collect(),
            custom: f.custom,
            object: (*object).to_owned(),
            displayed: has(&settings.displayed_fields, &f.key),
            mandatory: has(&settings.mandatory_fields, &f.key),
            protected: has(&settings.protected_fields, &f.key),
            filterable: has(&settings.filterable_fields, &f.key),
        })
        .collect();
    Ok(Json(out))
}

/// The provider's fields for `conn`, from the cache or the provider.
async fn discover(state: &AppState, conn: &Connection) -> ApiResult<Arc<Discovered>> {
    let Some(client) = open(state, conn)? else {
        let why = format!(
            "{} holds contracts, not people; this connection does not sync people",
            conn.provider.display_name()
        );
        return Err(ApiError::field("credentials", why));
    };
    let discovered = state
        .field_defs
        .known(conn.id.as_str(), client.as_ref())
        .await
        .map_err(|e| ApiError::Upstream(format!("could not list {} fields: {}", e.provider, e.message)))?;
    super::connections::answered(state, conn).await;
    Ok(discovered)
}

async fn settings_of(state: &AppState, conn: &Connection) -> ApiResult<ConnectionSettings> {
    let mut c = state.store.db().await?;
    let defaults = workspaces::defaults(&mut c, &conn.workspace_id, conn.provider.as_str()).await?;
    ConnectionSettings::resolve(conn.provider, &defaults, &conn.settings)
        .map_err(|e| ApiError::Internal(format!("stored settings of {}: {e}", conn.id.as_str())))
}

/// A contact's `field_values` checked against the displayed fields of every connection the
/// caller syncs through (SPEC M3): each key must be displayed by at least one, and its value
/// fit the type and options of each that displays it. Returns the values as the first such
/// field takes them (an option's label for its id, a number for numeric text); null clears.
pub async fn checked_values(
    state: &AppState,
    caller: &User,
    values: &Map<String, Value>,
) -> ApiResult<Map<String, Value>> {
    if values.is_empty() {
        return Ok(Map::new());
    }
    let all = {
        let mut c = state.store.db().await?;
        connections::list(&mut c, &caller.workspace_id).await?
    };
    let mut displaying: Vec<(Connection, ConnectionSettings)> = Vec::new();
    // A disabled connection (its user removed) syncs nothing, so its settings do not count.
    let live = |k: &Connection| usable_by(caller, k) && k.provider.syncs_people() && k.status != "disabled";
    for conn in all.into_iter().filter(live) {
        let settings = settings_of(state, &conn).await?;
        if values.keys().any(|k| settings.displayed_fields.contains(k)) {
            displaying.push((conn, settings));
        }
    }
    let mut checker = Checker::default();
    let mut out = Map::new();
    for (key, value) in values {
        let path = format!("field_values.{key}");
        let by: Vec<&Connection> =
            displaying.iter().filter(|(_, s)| s.displayed_fields.contains(key)).map(|(k, _)| k).collect();
        if by.is_empty() {
            checker.check(false, &path, "not a displayed field of any connection (see their displayed_fields)");
            continue;
        }
        if value.is_null() {
            out.insert(key.clone(), Value::Null);
            continue;
        }
        for conn in by {
            let name = conn.provider.display_name();
            let discovered = discover(state, conn).await?;
            match discovered.person_field(key).map(|f| f.check(value)) {
                None => checker.check(false, &path, &format!("{name} has no field `{key}`")),
                Some(Err(why)) => checker.check(false, &path, &format!("{why} ({name})")),
                Some(Ok(v)) => {
                    out.entry(key.clone()).or_insert(v);
                }
            }
        }
    }
    checker.finish()?;
    Ok(out)
}
