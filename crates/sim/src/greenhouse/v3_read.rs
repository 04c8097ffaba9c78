//! Harvest v3 list endpoints: bearer auth, per-endpoint filters (unknown ones
//! are 422), cursor pagination, no show routes.

use super::GhApp;
use super::auth::v3_actor;
use super::errors::GhError;
use super::model::{Candidate, GreenhouseState};
use super::paging::{ListQuery, page_v3, parse_v3};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

type Rows<T> = Result<Vec<(i64, T)>, GhError>;

/// The v3 read routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v3/users", get(users))
        .route("/v3/jobs", get(jobs))
        .route("/v3/job_interview_stages", get(job_stages))
        .route("/v3/prospect_pools", get(pools))
        .route("/v3/prospect_pool_stages", get(pool_stages))
        .route("/v3/candidates", get(candidates))
        .route("/v3/applications", get(applications))
        .route("/v3/application_stages", get(application_stages))
        .route("/v3/prospect_details", get(prospect_details))
        .route("/v3/notes", get(notes))
        .route("/v3/candidate_employments", get(employments))
        .route("/v3/custom_fields", get(custom_fields))
        .route("/v3/custom_field_options", get(custom_field_options))
}

/// `http://<host>` of the request, for Link URLs.
pub fn base(headers: &HeaderMap) -> String {
    format!("http://{}", headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1"))
}

fn list<T: Serialize>(
    app: &GhApp,
    headers: &HeaderMap,
    uri: &Uri,
    allowed: &[&str],
    select: impl FnOnce(&GreenhouseState, &ListQuery) -> Rows<T>,
) -> Response {
    let run = || -> Result<Response, GhError> {
        v3_actor(app, headers)?;
        let q = parse_v3(uri.query(), allowed)?;
        let rows = select(&app.lock(), &q)?;
        Ok(page_v3(rows, &q, &base(headers), uri.path()))
    };
    run().unwrap_or_else(IntoResponse::into_response)
}

/// An id-list filter, parsed once per request rather than once per row it is tested on
/// (re-parsing it for each of 100,000 rows made a lookup cost milliseconds).
struct Ids(Option<Vec<i64>>);

impl Ids {
    /// The filter `name` of `q`; a malformed list is a 422 naming it.
    fn of(q: &ListQuery, name: &str) -> Result<Self, GhError> {
        Ok(Self(q.ids(name)?))
    }

    /// Whether `id` passes (absent filter: yes).
    fn keep(&self, id: Option<i64>) -> bool {
        self.0.as_ref().is_none_or(|ids| id.is_some_and(|id| ids.contains(&id)))
    }
}

fn flag(q: &ListQuery, name: &str, value: bool) -> Result<bool, GhError> {
    match q.get(name) {
        None => Ok(true),
        Some("true") => Ok(value),
        Some("false") => Ok(!value),
        Some(_) => Err(GhError::InvalidQuery(vec![name.to_owned()])),
    }
}

fn eq(q: &ListQuery, name: &str, value: &str) -> bool {
    q.get(name).is_none_or(|v| v.eq_ignore_ascii_case(value))
}

macro_rules! handler {
    ($name:ident, $allowed:expr, |$s:ident, $q:ident| $body:expr) => {
        async fn $name(State(app): State<GhApp>, headers: HeaderMap, uri: Uri) -> Response {
            list(&app, &headers, &uri, $allowed, |$s: &GreenhouseState, $q: &ListQuery| $body)
        }
    };
}

handler!(users, &["ids", "primary_email", "show_service_accounts"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let mut out = Vec::new();
    for u in s.users.values() {
        if ids.keep(Some(u.id)) && eq(q, "primary_email", &u.primary_email) {
            out.push((u.id, u.clone()));
        }
    }
    Ok(out)
});

handler!(jobs, &["ids", "status", "department_id", "office_id"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    if q.get("status").is_some_and(|st| !["open", "closed", "draft"].contains(&st)) {
        return Err(GhError::InvalidQuery(vec!["status".into()]));
    }
    let mut out = Vec::new();
    for j in s.jobs.values() {
        let dept = q.get("department_id").is_none_or(|d| j.department_id.map(|x| x.to_string()).as_deref() == Some(d));
        let office = q.get("office_id").is_none_or(|o| j.office_ids.iter().any(|x| x.to_string() == o));
        if ids.keep(Some(j.id)) && eq(q, "status", &j.status) && dept && office {
            out.push((j.id, j.clone()));
        }
    }
    Ok(out)
});

handler!(job_stages, &["ids", "job_ids", "active"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let job_ids = Ids::of(q, "job_ids")?;
    let mut out = Vec::new();
    for st in s.job_stages.values() {
        if ids.keep(Some(st.id)) && job_ids.keep(Some(st.job_id)) && flag(q, "active", st.active)? {
            out.push((st.id, st.clone()));
        }
    }
    Ok(out)
});

handler!(pools, &["ids", "active"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let mut out = Vec::new();
    for p in s.prospect_pools.values() {
        if ids.keep(Some(p.id)) && flag(q, "active", p.active)? {
            out.push((p.id, p.clone()));
        }
    }
    Ok(out)
});

handler!(pool_stages, &["ids", "prospect_pool_ids"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let prospect_pool_ids = Ids::of(q, "prospect_pool_ids")?;
    let mut out = Vec::new();
    for st in s.prospect_pool_stages.values() {
        if ids.keep(Some(st.id)) && prospect_pool_ids.keep(Some(st.prospect_pool_id)) {
            out.push((st.id, st.clone()));
        }
    }
    Ok(out)
});

handler!(
    candidates,
    &["ids", "email", "tag", "private", "created_at", "updated_at", "last_activity_at", "custom_field_option_id"],
    |s, q| {
        let ids = Ids::of(q, "ids")?;
        let (email, tag) = (q.get("email").map(str::trim), q.get("tag"));
        let mut out = Vec::new();
        let rows: Box<dyn Iterator<Item = &Candidate>> = match email {
            Some(e) => Box::new(s.candidates.with_email(e)),
            None => Box::new(s.candidates.values()),
        };
        for c in rows {
            let email = email.is_none_or(|e| c.email_addresses.iter().any(|a| a.value.eq_ignore_ascii_case(e)));
            let tag = tag.is_none_or(|t| c.tags.iter().any(|x| x == t));
            if ids.keep(Some(c.id)) && email && tag {
                out.push((c.id, c.clone()));
            }
        }
        Ok(out)
    }
);

handler!(
    applications,
    &["ids", "candidate_ids", "job_ids", "status", "created_at", "updated_at", "last_activity_at"],
    |s, q| {
        let ids = Ids::of(q, "ids")?;
        let candidate_ids = Ids::of(q, "candidate_ids")?;
        let job_ids = Ids::of(q, "job_ids")?;
        let status = match q.get("status") {
            None => None,
            Some("active") => Some("in_process"),
            Some(st @ ("rejected" | "hired" | "converted")) => Some(st),
            Some(_) => return Err(GhError::InvalidQuery(vec!["status".into()])),
        };
        let mut out = Vec::new();
        for a in s.applications.values() {
            if ids.keep(Some(a.id))
                && candidate_ids.keep(Some(a.candidate_id))
                && job_ids.keep(a.job_id)
                && status.is_none_or(|st| a.status == st)
            {
                out.push((a.id, a.clone()));
            }
        }
        Ok(out)
    }
);

handler!(application_stages, &["ids", "application_ids", "current"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let application_ids = Ids::of(q, "application_ids")?;
    let mut out = Vec::new();
    for st in s.application_stages.values() {
        if ids.keep(Some(st.id)) && application_ids.keep(Some(st.application_id)) && flag(q, "current", st.current)? {
            out.push((st.id, st.clone()));
        }
    }
    Ok(out)
});

handler!(prospect_details, &["ids", "application_ids"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let application_ids = Ids::of(q, "application_ids")?;
    let mut out = Vec::new();
    for d in s.prospect_details.values() {
        if ids.keep(Some(d.id)) && application_ids.keep(Some(d.application_id)) {
            out.push((d.id, d.clone()));
        }
    }
    Ok(out)
});

handler!(
    notes,
    &["ids", "candidate_ids", "application_ids", "user_ids", "type", "visibility", "created_at"],
    |s, q| {
        let ids = Ids::of(q, "ids")?;
        let candidate_ids = Ids::of(q, "candidate_ids")?;
        let application_ids = Ids::of(q, "application_ids")?;
        let user_ids = Ids::of(q, "user_ids")?;
        let mut out = Vec::new();
        for n in s.notes.values() {
            if ids.keep(Some(n.id))
                && candidate_ids.keep(n.candidate_id)
                && application_ids.keep(n.application_id)
                && user_ids.keep(n.user_id)
                && eq(q, "type", &n.kind)
                && eq(q, "visibility", &n.visibility)
            {
                out.push((n.id, n.clone()));
            }
        }
        Ok(out)
    }
);

handler!(employments, &["ids", "candidate_ids"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let candidate_ids = Ids::of(q, "candidate_ids")?;
    let mut out = Vec::new();
    for e in s.employments.values() {
        if ids.keep(Some(e.id)) && candidate_ids.keep(Some(e.candidate_id)) {
            out.push((e.id, e.clone()));
        }
    }
    Ok(out)
});

handler!(custom_fields, &["ids", "field_type", "active"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let mut out = Vec::new();
    for f in s.custom_fields.values() {
        if ids.keep(Some(f.id)) && eq(q, "field_type", &f.field_type) && flag(q, "active", f.active)? {
            out.push((f.id, f.clone()));
        }
    }
    Ok(out)
});

handler!(custom_field_options, &["ids", "custom_field_ids", "active"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let custom_field_ids = Ids::of(q, "custom_field_ids")?;
    let mut out = Vec::new();
    for o in s.custom_field_options.values() {
        if ids.keep(Some(o.id)) && custom_field_ids.keep(Some(o.custom_field_id)) && flag(q, "active", o.active)? {
            out.push((o.id, o.clone()));
        }
    }
    Ok(out)
});
