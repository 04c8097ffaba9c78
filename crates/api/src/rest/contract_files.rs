//! A signed contract file for Teamtailor to fetch (SPEC B3): Teamtailor takes
//! uploads only by URL, and Oneflow may hand the file over as bytes. The link
//! names one contract, is signed with a key only this server holds and
//! expires after minutes, so it needs no bearer token; a bad or expired one is
//! refused. The file is read from Oneflow again on each fetch, never kept, and
//! nothing here lists anything.

use crate::body::contracts::FileLink;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hiresync_core::WorkspaceId;
use hiresync_providers::oneflow::{CONTRACT_PDF, ContractFile};
use hiresync_store::contracts;
use hiresync_store::{StoreError, connections};

/// The signed file of one contract, through a link hiresync gave Teamtailor.
#[utoipa::path(get, path = "/v1/contract-files/{id}", tag = "contracts", security(()),
    params(("id" = String, Path, description = "The contract (`ctr_…`)"), FileLink), responses(
    (status = 200, description = "The signed contract file", body = String, content_type = "application/pdf"),
    (status = 302, description = "Oneflow's own short-lived storage link for it, in `Location`", body = String,
        content_type = "text/plain"),
    (status = 403, description = "The link's signature is wrong or it has expired"),
    (status = 404, description = "No such contract, or this server has no public URL"),
    (status = 422, description = "A part of the link is missing or malformed, named")))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(link): Query<FileLink>,
) -> ApiResult<Response> {
    let public = state.clients.public().ok_or(ApiError::NotFound("contract file"))?;
    let now = chrono::Utc::now().timestamp();
    if !public.file_link_holds(&link.workspace, &id, link.expires, &link.signature, now) {
        return Err(ApiError::Forbidden("the file link is not valid or has expired"));
    }
    let workspace = WorkspaceId::from_stored(link.workspace);
    let mut c = state.store.db().await?;
    let record = match contracts::get(&mut c, &workspace, &id).await {
        Ok(r) => r,
        Err(StoreError::NotFound) => return Err(ApiError::NotFound("contract file")),
        Err(e) => return Err(e.into()),
    };
    let conn = match connections::get(&mut c, &workspace, &record.oneflow_connection_id).await {
        Ok(conn) => conn,
        Err(StoreError::NotFound) => return Err(ApiError::NotFound("contract file")),
        Err(e) => return Err(e.into()),
    };
    drop(c);
    let of = state.clients.oneflow(&conn).map_err(|e| ApiError::Internal(e.to_string()))?;
    let file = of
        .contract_file(record.contract_id, CONTRACT_PDF)
        .await
        .map_err(|e| ApiError::Upstream(format!("Oneflow did not give the file: {}", e.message)))?;
    Ok(match file {
        ContractFile::Redirect(url) => match HeaderValue::try_from(url) {
            Ok(location) => {
                (StatusCode::FOUND, [(header::LOCATION, location)], "the file is at its Location").into_response()
            }
            Err(_) => return Err(ApiError::Upstream("Oneflow's storage link is not a URL".into())),
        },
        ContractFile::Content { content_type, bytes } => {
            let kind = content_type
                .and_then(|t| HeaderValue::try_from(t).ok())
                .unwrap_or(HeaderValue::from_static("application/pdf"));
            ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, HeaderValue::from_static("no-store"))], bytes)
                .into_response()
        }
    })
}
