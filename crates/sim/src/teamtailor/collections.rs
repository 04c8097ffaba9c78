//! Teamtailor's reads, the same for every resource: each collection with its
//! filters, paging and `include`, each single resource, and the
//! related-resource routes the recorded relationship links point at
//! (`/v1/candidates/{id}/job-applications`, ...).

use super::TtApp;
use super::auth::check;
use super::errors::TtError;
use super::model::TeamtailorState;
use super::paging::{ListQuery, document, parse};
use super::render::{Ctx, Kind, base, check_include, included, ok, resource};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

type Select = fn(&TeamtailorState, &ListQuery, i64) -> Result<Vec<i64>, TtError>;

/// The read routes of every resource.
pub fn routes() -> Router<TtApp> {
    let mut router = Router::new();
    let lists: [(&str, Kind, &[&str], Select); 10] = [
        (
            "/v1/candidates",
            Kind::Candidates,
            &["email", "updated-at][from", "created-at][from", "created-at][to", "connected"],
            candidates,
        ),
        ("/v1/jobs", Kind::Jobs, &["status", "feed"], jobs),
        ("/v1/stages", Kind::Stages, &[], |s, _, _| Ok(s.stages.keys().copied().collect())),
        ("/v1/job-applications", Kind::JobApplications, &["stage-type"], applications),
        ("/v1/notes", Kind::Notes, &[], |s, _, _| Ok(s.notes.keys().copied().collect())),
        ("/v1/custom-fields", Kind::CustomFields, &[], |s, _, _| Ok(s.custom_fields.keys().copied().collect())),
        ("/v1/custom-field-options", Kind::CustomFieldOptions, &[], |s, _, _| {
            Ok(s.custom_field_options.keys().copied().collect())
        }),
        ("/v1/custom-field-values", Kind::CustomFieldValues, &["field-type"], values),
        ("/v1/users", Kind::Users, &["email"], users),
        ("/v1/uploads", Kind::Uploads, &[], |s, _, _| Ok(s.uploads.keys().copied().collect())),
    ];
    for (path, kind, filters, select) in lists {
        router = router
            .route(
                path,
                get(move |State(app): State<TtApp>, h: HeaderMap, uri: Uri| async move {
                    list(&app, &h, &uri, kind, filters, select, 0)
                }),
            )
            .route(
                &format!("{path}/{{id}}"),
                get(move |State(app): State<TtApp>, h: HeaderMap, uri: Uri, Path(id): Path<String>| async move {
                    show(&app, &h, &uri, kind, &id)
                }),
            );
    }
    let related: [(&str, Kind, Select); 6] = [
        ("/v1/candidates/{id}/job-applications", Kind::JobApplications, |s, _, id| {
            Ok(s.job_applications.values().filter(|a| a.candidate_id == id).map(|a| a.id).collect())
        }),
        ("/v1/candidates/{id}/custom-field-values", Kind::CustomFieldValues, |s, _, id| {
            Ok(s.custom_field_values.values().filter(|v| v.candidate_id == id).map(|v| v.id).collect())
        }),
        ("/v1/candidates/{id}/uploads", Kind::Uploads, |s, _, id| {
            Ok(s.uploads.values().filter(|u| u.candidate_id == id).map(|u| u.id).collect())
        }),
        ("/v1/candidates/{id}/notes", Kind::Notes, |s, _, id| {
            Ok(s.notes.values().filter(|n| n.candidate_id == id).map(|n| n.id).collect())
        }),
        ("/v1/jobs/{id}/stages", Kind::Stages, |s, _, id| Ok(s.job_stages(id).iter().map(|st| st.id).collect())),
        ("/v1/jobs/{id}/candidates", Kind::Candidates, job_candidates),
    ];
    for (path, kind, select) in related {
        let parent = if path.starts_with("/v1/jobs") { Kind::Jobs } else { Kind::Candidates };
        router = router.route(
            path,
            get(move |State(app): State<TtApp>, h: HeaderMap, uri: Uri, Path(id): Path<String>| async move {
                match parent_id(&app, parent, &id) {
                    Ok(pid) => list(&app, &h, &uri, kind, &[], select, pid),
                    Err(e) => e.into_response(),
                }
            }),
        );
    }
    router
}

fn parent_id(app: &TtApp, parent: Kind, raw: &str) -> Result<i64, TtError> {
    let state = app.lock();
    let id = raw.parse::<i64>().ok();
    let exists = id.is_some_and(|id| match parent {
        Kind::Jobs => state.jobs.contains_key(&id),
        _ => state.candidates.contains_key(&id),
    });
    id.filter(|_| exists).ok_or_else(|| TtError::missing(parent.as_str(), raw))
}

fn list(
    app: &TtApp,
    headers: &HeaderMap,
    uri: &Uri,
    kind: Kind,
    filters: &[&str],
    select: Select,
    parent: i64,
) -> Response {
    let run = || -> Result<Response, TtError> {
        let version = check(app, headers)?;
        let q = parse(uri.query())?;
        q.check_filters(filters)?;
        check_include(kind, &q.include)?;
        let state = app.lock();
        let mut ids = select(&state, &q, parent)?;
        ids.sort_unstable();
        if q.get("sort").is_some_and(|s| s.starts_with('-')) {
            ids.reverse();
        }
        let ctx = Ctx { base: base(headers), include: q.include.clone() };
        let start = (q.number - 1) * q.size;
        let page: Vec<i64> = ids.iter().skip(start).take(q.size).copied().collect();
        let inc = included(&state, &ctx, kind, &page);
        let items = ids.iter().filter_map(|id| resource(&state, &ctx, kind, *id)).collect();
        Ok(ok(StatusCode::OK, &version, &document(&ctx.base, uri.path(), &q, items, inc)))
    };
    run().unwrap_or_else(IntoResponse::into_response)
}

fn show(app: &TtApp, headers: &HeaderMap, uri: &Uri, kind: Kind, raw: &str) -> Response {
    let run = || -> Result<Response, TtError> {
        let version = check(app, headers)?;
        let q = parse(uri.query())?;
        check_include(kind, &q.include)?;
        let state = app.lock();
        let ctx = Ctx { base: base(headers), include: q.include.clone() };
        let id = raw.parse::<i64>().map_err(|_| TtError::missing(kind.as_str(), raw))?;
        let data = resource(&state, &ctx, kind, id).ok_or_else(|| TtError::missing(kind.as_str(), raw))?;
        let mut doc = json!({ "data": data });
        let inc = included(&state, &ctx, kind, &[id]);
        if !inc.is_empty() {
            doc["included"] = serde_json::Value::Array(inc);
        }
        Ok(ok(StatusCode::OK, &version, &doc))
    };
    run().unwrap_or_else(IntoResponse::into_response)
}

fn candidates(s: &TeamtailorState, q: &ListQuery, _: i64) -> Result<Vec<i64>, TtError> {
    let email = q.get("filter[email]").map(str::trim);
    let updated_from = q.get("filter[updated-at][from]");
    Ok(s.candidates
        .values()
        .filter(|c| email.is_none_or(|e| c.email.as_deref().is_some_and(|ce| super::model::same_email(ce, e))))
        .filter(|c| updated_from.is_none_or(|from| c.updated_at.as_str() >= from))
        .map(|c| c.id)
        .collect())
}

fn jobs(s: &TeamtailorState, q: &ListQuery, _: i64) -> Result<Vec<i64>, TtError> {
    // Teamtailor lists only published jobs unless asked otherwise.
    let status = q.get("filter[status]").unwrap_or("published");
    if !["published", "unlisted", "archived", "draft", "scheduled", "all"].contains(&status) {
        return Err(TtError::BadRequest {
            title: "Invalid filter value".into(),
            detail: format!("{status} is not a valid value for status."),
            code: "103",
        });
    }
    Ok(s.jobs.values().filter(|j| status == "all" || j.human_status() == status).map(|j| j.id).collect())
}

fn applications(s: &TeamtailorState, q: &ListQuery, _: i64) -> Result<Vec<i64>, TtError> {
    let stage_type = q.get("filter[stage-type]");
    Ok(s.job_applications
        .values()
        .filter(|a| stage_type.is_none_or(|t| s.stages.get(&a.stage_id).is_some_and(|st| st.stage_type == t)))
        .map(|a| a.id)
        .collect())
}

fn values(s: &TeamtailorState, q: &ListQuery, _: i64) -> Result<Vec<i64>, TtError> {
    let field_type = q.get("filter[field-type]");
    Ok(s.custom_field_values
        .values()
        .filter(|v| {
            field_type.is_none_or(|t| s.custom_fields.get(&v.custom_field_id).is_some_and(|f| f.field_type == t))
        })
        .map(|v| v.id)
        .collect())
}

fn users(s: &TeamtailorState, q: &ListQuery, _: i64) -> Result<Vec<i64>, TtError> {
    let email = q.get("filter[email]").map(str::trim);
    Ok(s.users.values().filter(|u| email.is_none_or(|e| u.email.eq_ignore_ascii_case(e))).map(|u| u.id).collect())
}

fn job_candidates(s: &TeamtailorState, _: &ListQuery, job: i64) -> Result<Vec<i64>, TtError> {
    let mut ids: Vec<i64> = s.job_applications.values().filter(|a| a.job_id == job).map(|a| a.candidate_id).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}
