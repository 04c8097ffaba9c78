//! Where people are put, shared by the v3 and v1 routes, with Greenhouse's
//! rules: applications to jobs and prospect applications to pools or jobs,
//! pool stage moves, job stage moves and prospect conversions. Ids must
//! exist and stages must belong to their job or pool.

use super::body::{Body, opt_id, req_id};
use super::errors::GhError;
use super::model::{Application, ApplicationStage, GreenhouseState, ProspectDetail, now};
use serde_json::Value;

/// Members a v3 application write accepts.
pub(super) const APPLICATION_KEYS: &[&str] = &[
    "candidate_id",
    "job_id",
    "initial_stage_id",
    "source_id",
    "referrer_id",
    "recruiter_id",
    "coordinator_id",
    "prospect",
    "prospect_pool_id",
    "prospect_pool_stage_id",
    "prospect_owner_id",
    "job_ids",
];

/// The placement a nested or standalone application body asks for.
pub(super) fn placement(body: &Body) -> Result<Placement, GhError> {
    let prospect = matches!(body.get("prospect"), Some(Value::Bool(true)))
        || body.get("prospect").and_then(Value::as_str) == Some("true");
    if prospect {
        let job_ids = match body.get("job_ids") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|v| v.as_i64().ok_or_else(|| GhError::field("job_ids", "must be integers")))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(GhError::field("job_ids", "must be an array")),
        };
        Ok(Placement::Prospect {
            pool_id: opt_id(body, "prospect_pool_id")?,
            pool_stage_id: opt_id(body, "prospect_pool_stage_id")?,
            job_ids,
        })
    } else {
        Ok(Placement::Job { job_id: req_id(body, "job_id")?, stage_id: opt_id(body, "initial_stage_id")? })
    }
}

/// Where a new application goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Placement {
    /// A candidate application on a job at a stage (the first stage when none).
    Job {
        /// Job.
        job_id: i64,
        /// Stage.
        stage_id: Option<i64>,
    },
    /// A prospect application, optionally in a pool at a stage.
    Prospect {
        /// Pool.
        pool_id: Option<i64>,
        /// Pool stage.
        pool_stage_id: Option<i64>,
        /// Jobs considered.
        job_ids: Vec<i64>,
    },
}

/// Validates and creates an application for candidate `candidate_id`.
pub fn add_application(
    state: &mut GreenhouseState,
    candidate_id: i64,
    placement: &Placement,
) -> Result<Application, GhError> {
    if !state.candidates.contains_key(&candidate_id) {
        return Err(GhError::missing("Candidate"));
    }
    let at = now();
    let id = state.next_id();
    let mut app = Application {
        id,
        candidate_id,
        status: "in_process".into(),
        created_at: at.clone(),
        updated_at: at.clone(),
        last_activity_at: at.clone(),
        ..Application::default()
    };
    match placement {
        Placement::Job { job_id, stage_id } => {
            let job = state.jobs.get(job_id).ok_or_else(|| GhError::field("job_id", "Job not found"))?;
            if job.status != "open" {
                return Err(GhError::field("job_id", "Job is not open"));
            }
            let stage = match stage_id {
                Some(s) => state
                    .job_stages
                    .get(s)
                    .filter(|st| st.job_id == *job_id)
                    .ok_or_else(|| GhError::field("initial_stage_id", "Stage does not belong to the job"))?,
                None => state
                    .job_stages
                    .values()
                    .filter(|st| st.job_id == *job_id && st.active)
                    .min_by_key(|st| st.sort_order)
                    .ok_or_else(|| GhError::field("job_id", "Job has no stages"))?,
            };
            let (stage_id, stage_name) = (stage.id, stage.name.clone());
            app.job_id = Some(*job_id);
            let row = state.next_id();
            state.application_stages.insert(
                row,
                ApplicationStage {
                    id: row,
                    application_id: id,
                    job_interview_stage_id: stage_id,
                    entered_at: at,
                    exited_at: None,
                    days_in_stage: 0,
                    current: true,
                },
            );
            app.stage_id = Some(row);
            app.stage_name = Some(stage_name);
        }
        Placement::Prospect { pool_id, pool_stage_id, job_ids } => {
            check_pool(state, *pool_id, *pool_stage_id, "prospect_pool_stage_id")?;
            for job in job_ids {
                if !state.jobs.contains_key(job) {
                    return Err(GhError::field("job_ids", "Job not found"));
                }
            }
            app.prospect = true;
            app.prospective_job_ids = job_ids.clone();
            let detail = state.next_id();
            state.prospect_details.insert(
                detail,
                ProspectDetail {
                    id: detail,
                    application_id: id,
                    pool_id: *pool_id,
                    pool_stage_id: *pool_stage_id,
                    ..ProspectDetail::default()
                },
            );
        }
    }
    state.applications.insert(id, app.clone());
    Ok(app)
}

/// A pool stage must belong to its pool, and needs one.
pub fn check_pool(
    state: &GreenhouseState,
    pool: Option<i64>,
    stage: Option<i64>,
    stage_field: &str,
) -> Result<(), GhError> {
    if let Some(pool) = pool
        && !state.prospect_pools.contains_key(&pool)
    {
        return Err(GhError::field("prospect_pool_id", "Prospect pool not found"));
    }
    if let Some(stage) = stage {
        let Some(pool) = pool else {
            return Err(GhError::field("prospect_pool_id", "A pool stage needs its pool"));
        };
        if state.prospect_pool_stages.get(&stage).is_none_or(|s| s.prospect_pool_id != pool) {
            return Err(GhError::field(stage_field, "Stage does not belong to the prospect pool"));
        }
    }
    Ok(())
}

/// Moves a prospect to another pool / pool stage.
pub fn move_prospect(
    state: &mut GreenhouseState,
    application_id: i64,
    pool: Option<i64>,
    stage: Option<i64>,
    stage_field: &str,
) -> Result<(), GhError> {
    let app = state.applications.get(&application_id).ok_or_else(|| GhError::missing("Application"))?;
    if !app.prospect {
        return Err(GhError::field("prospect_pool_id", "Only prospect applications have a pool"));
    }
    let current_pool = state.prospect_detail(application_id).and_then(|d| d.pool_id);
    let pool = pool.or(current_pool);
    check_pool(state, pool, stage, stage_field)?;
    let detail = state
        .prospect_details
        .values_mut()
        .find(|d| d.application_id == application_id)
        .ok_or_else(|| GhError::missing("Prospect detail"))?;
    detail.pool_id = pool;
    if stage.is_some() || pool != current_pool {
        detail.pool_stage_id = stage;
    }
    Ok(())
}

/// Moves a job application from its current stage to `to_stage`. `from` may be the current
/// `application_stages` row id or its job stage id: sources disagree on which Greenhouse expects.
pub fn move_application(
    state: &mut GreenhouseState,
    application_id: i64,
    from: i64,
    to_stage: Option<i64>,
) -> Result<Application, GhError> {
    let app = state.applications.get(&application_id).ok_or_else(|| GhError::missing("Application"))?.clone();
    let job_id = app
        .job_id
        .filter(|_| !app.prospect)
        .ok_or_else(|| GhError::field("from_stage_id", "Prospect applications have no interview stage"))?;
    let current = state
        .current_stage(application_id)
        .cloned()
        .ok_or_else(|| GhError::field("from_stage_id", "Application has no current stage"))?;
    if from != current.id && from != current.job_interview_stage_id {
        return Err(GhError::field("from_stage_id", "from_stage_id is not the application's current stage"));
    }
    let mut stages: Vec<_> = state.job_stages.values().filter(|s| s.job_id == job_id && s.active).cloned().collect();
    stages.sort_by_key(|s| s.sort_order);
    let target = match to_stage {
        Some(id) => stages
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| GhError::field("to_stage_id", "Stage does not belong to the application's job"))?,
        None => stages
            .iter()
            .skip_while(|s| s.id != current.job_interview_stage_id)
            .nth(1)
            .ok_or_else(|| GhError::field("from_stage_id", "Application is at the last stage"))?,
    }
    .clone();
    let at = now();
    if let Some(row) = state.application_stages.get_mut(&current.id) {
        row.current = false;
        row.exited_at = Some(at.clone());
    }
    let row = state.next_id();
    state.application_stages.insert(
        row,
        ApplicationStage {
            id: row,
            application_id,
            job_interview_stage_id: target.id,
            entered_at: at.clone(),
            exited_at: None,
            days_in_stage: 0,
            current: true,
        },
    );
    let app = state.applications.get_mut(&application_id).ok_or_else(|| GhError::missing("Application"))?;
    app.stage_id = Some(row);
    app.stage_name = Some(target.name);
    app.updated_at = at.clone();
    app.last_activity_at = at;
    Ok(app.clone())
}

/// Converts a prospect application into a candidate application on `job_id` at `to_stage` (the
/// job's first stage when none): the prospect one becomes `converted`, the new one is returned.
pub fn convert_prospect(
    state: &mut GreenhouseState,
    application_id: i64,
    job_id: i64,
    to_stage: Option<i64>,
) -> Result<Application, GhError> {
    let app = state.applications.get(&application_id).ok_or_else(|| GhError::missing("Application"))?.clone();
    if !app.prospect || app.status != "in_process" {
        return Err(GhError::field("application_id", "Only an active prospect application can be converted"));
    }
    let pool_jobs = state
        .prospect_detail(application_id)
        .and_then(|d| d.pool_id)
        .and_then(|p| state.prospect_pools.get(&p))
        .map(|p| p.job_ids.clone())
        .unwrap_or_default();
    if !app.prospective_job_ids.contains(&job_id) && !pool_jobs.contains(&job_id) {
        return Err(GhError::field("job_id", "The prospect is not tied to this job or to its pool"));
    }
    let created = add_application(state, app.candidate_id, &Placement::Job { job_id, stage_id: to_stage }).map_err(
        |e| match e {
            GhError::Invalid(mut v) => {
                for (field, _) in &mut v {
                    if field == "initial_stage_id" {
                        *field = "to_job_interview_stage_id".into();
                    }
                }
                GhError::Invalid(v)
            }
            other => other,
        },
    )?;
    if let Some(old) = state.applications.get_mut(&application_id) {
        old.status = "converted".into();
        old.updated_at = now();
    }
    Ok(created)
}
