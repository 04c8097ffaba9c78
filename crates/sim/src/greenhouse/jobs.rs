//! The tenant's targets as Harvest v3 lists them: jobs and their interview
//! stages, prospect pools and their stages (read-only here).

use super::GhApp;
use super::errors::GhError;
use super::listing::{Ids, eq, flag, list_handler};
use axum::Router;
use axum::routing::get;

/// The job and prospect pool routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v3/jobs", get(jobs))
        .route("/v3/job_interview_stages", get(job_stages))
        .route("/v3/prospect_pools", get(pools))
        .route("/v3/prospect_pool_stages", get(pool_stages))
}

list_handler!(jobs, &["ids", "status", "department_id", "office_id"], |s, q| {
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

list_handler!(job_stages, &["ids", "job_ids", "active"], |s, q| {
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

list_handler!(pools, &["ids", "active"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let mut out = Vec::new();
    for p in s.prospect_pools.values() {
        if ids.keep(Some(p.id)) && flag(q, "active", p.active)? {
            out.push((p.id, p.clone()));
        }
    }
    Ok(out)
});

list_handler!(pool_stages, &["ids", "prospect_pool_ids"], |s, q| {
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
