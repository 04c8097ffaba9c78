//! `GET /v1/connections/{id}/people?field=value...`: the outreach app
//! searches a provider's people by the connection's filterable fields (SPEC M3).

use crate::body::lookup::PersonOut;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Json, Path, query_pairs};
use crate::rest::connections::ConnectionPath;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use hiresync_core::ConnectionSettings;
use hiresync_core::validation::Checker;
use hiresync_providers::ErrorKind;
use hiresync_store::workspaces;

/// People of the provider holding every `field=value` given.
#[utoipa::path(get, path = "/v1/connections/{id}/people", tag = "connections",
    params(ConnectionPath, ("filters" = Object, Query, style = Form, explode,
        description = "One or more `field=value` pairs: filterable fields of the connection and the value each must hold")),
    responses(
        (status = 200, description = "The people holding every value", body = [PersonOut]),
        (status = 404, description = "No such connection"),
        (status = 422, description = "A field that is not filterable, an empty value, or a provider without search"),
        (status = 502, description = "The provider could not be reached")))]
pub async fn search(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Vec<PersonOut>>> {
    let conn = super::connections::load(&state, &caller, &id).await?;
    let client = super::connections::open(&state, &conn)?;
    let name = conn.provider.display_name();
    let Some(client) = client.filter(|c| c.capabilities().search_people) else {
        return Err(ApiError::field("provider", format!("people search is not supported by {name}")));
    };
    let mut c = state.store.db().await?;
    let defaults = workspaces::defaults(&mut c, &conn.workspace_id, conn.provider.as_str()).await?;
    drop(c);
    let settings = ConnectionSettings::resolve(conn.provider, &defaults, &conn.settings)
        .map_err(|e| ApiError::Internal(format!("stored settings of {}: {e}", conn.id.as_str())))?;
    let filters: Vec<(String, String)> =
        query_pairs(query.as_deref()).into_iter().map(|(k, v)| (k, v.trim().to_owned())).collect();
    if filters.is_empty() {
        return Err(ApiError::field("query", "name at least one filterable field, as ?field=value"));
    }
    let mut checker = Checker::default();
    for (field, value) in &filters {
        checker.check(
            settings.filterable_fields.contains(field),
            field,
            "not a filterable field of this connection (see its filterable_fields setting)",
        );
        checker.check(!value.is_empty(), field, "must not be empty");
    }
    checker.finish()?;
    let people = client.search_people(&filters).await.map_err(|e| match e.kind() {
        ErrorKind::Permanent => ApiError::field("query", e.message.clone()),
        _ => ApiError::Upstream(format!("{name} could not be searched: {e}")),
    })?;
    super::connections::answered(&state, &conn).await;
    Ok(Json(people.into_iter().map(PersonOut::from).collect()))
}
