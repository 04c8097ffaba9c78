//! State changes shared by the v3 and v1 routes, with Greenhouse's
//! validation: required fields, enum values, ids that must exist, stages that
//! must belong to their job or pool.

use super::errors::GhError;
use super::model::{Application, ApplicationStage, Candidate, GreenhouseState, ProspectDetail, Typed, now};
use serde_json::{Map, Value, json};

const EMAIL_TYPES: &[&str] = &["personal", "work", "other"];
const PHONE_TYPES: &[&str] = &["home", "work", "mobile", "skype", "other"];
const ADDRESS_TYPES: &[&str] = &["home", "work", "other"];
const WEBSITE_TYPES: &[&str] = &["personal", "company", "portfolio", "blog", "other"];

/// Person fields a v3 candidate write accepts.
pub const V3_PERSON_KEYS: &[&str] = &[
    "first_name",
    "last_name",
    "preferred_name",
    "company",
    "title",
    "time_zone",
    "is_private",
    "can_email",
    "email_addresses",
    "phone_numbers",
    "addresses",
    "website_addresses",
    "social_media_addresses",
    "tags",
    "linked_user_ids",
    "custom_fields",
];

/// 422 for keys outside `allowed`, as v3 rejects unknown properties.
pub fn reject_unknown(body: &Map<String, Value>, allowed: &[&str]) -> Result<(), GhError> {
    let unknown: Vec<(String, String)> = body
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .map(|k| (k.clone(), "is not a permitted property".to_owned()))
        .collect();
    if unknown.is_empty() { Ok(()) } else { Err(GhError::Invalid(unknown)) }
}

/// Reads an optional id; a non-integer is a 422 on `field`.
pub fn opt_id(body: &Map<String, Value>, field: &str) -> Result<Option<i64>, GhError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| GhError::field(field, "must be an integer")),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| GhError::field(field, "must be an integer")),
        Some(_) => Err(GhError::field(field, "must be an integer")),
    }
}

/// Reads a required id.
pub fn req_id(body: &Map<String, Value>, field: &str) -> Result<i64, GhError> {
    opt_id(body, field)?.ok_or_else(|| GhError::field(field, format!("Missing required field: {field}")))
}

/// Reads an optional string; other types are a 422.
pub fn opt_str(body: &Map<String, Value>, field: &str) -> Result<Option<String>, GhError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(GhError::field(field, "must be a string")),
    }
}

fn typed_list(body: &Map<String, Value>, field: &str, types: Option<&[&str]>) -> Result<Option<Vec<Typed>>, GhError> {
    let Some(value) = body.get(field) else {
        return Ok(None);
    };
    let items = value.as_array().ok_or_else(|| GhError::field(field, "must be an array"))?;
    let mut out = Vec::new();
    for item in items {
        let value = item
            .get("value")
            .and_then(Value::as_str)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| GhError::field(field, "value is required"))?;
        let kind = item.get("type").and_then(Value::as_str).map(str::to_owned);
        if let Some(types) = types {
            match &kind {
                Some(k) if types.contains(&k.as_str()) => {}
                _ => {
                    return Err(GhError::field(field, format!("type must be one of {}", types.join(", "))));
                }
            }
        }
        out.push(Typed { value: value.to_owned(), kind: if types.is_some() { kind } else { None } });
    }
    Ok(Some(out))
}

/// Applies person fields to `c`: scalars overwrite, collections replace, custom fields merge per key.
pub fn apply_person(
    state: &GreenhouseState,
    c: &mut Candidate,
    body: &Map<String, Value>,
    creating: bool,
) -> Result<(), GhError> {
    let mut errors = Vec::new();
    for field in ["first_name", "last_name"] {
        match (opt_str(body, field)?, creating) {
            (Some(v), _) if !v.trim().is_empty() => {
                if field == "first_name" {
                    c.first_name = v
                } else {
                    c.last_name = v
                }
            }
            (None, false) => {}
            _ => errors.push((field.to_owned(), format!("Missing required field: {field}"))),
        }
    }
    if !errors.is_empty() {
        return Err(GhError::Invalid(errors));
    }
    for (field, slot) in
        [("company", &mut c.company), ("title", &mut c.title), ("preferred_name", &mut c.preferred_name)]
    {
        if body.contains_key(field) {
            *slot = opt_str(body, field)?;
        }
    }
    for (field, slot) in [("is_private", &mut c.private), ("can_email", &mut c.can_email)] {
        match body.get(field) {
            None => {}
            Some(Value::Bool(b)) => *slot = *b,
            Some(_) => return Err(GhError::field(field, "must be a boolean")),
        }
    }
    type ListSlot<'a> = (&'a str, Option<&'a [&'a str]>, &'a mut Vec<Typed>);
    let lists: [ListSlot<'_>; 5] = [
        ("email_addresses", Some(EMAIL_TYPES), &mut c.email_addresses),
        ("phone_numbers", Some(PHONE_TYPES), &mut c.phone_numbers),
        ("addresses", Some(ADDRESS_TYPES), &mut c.addresses),
        ("website_addresses", Some(WEBSITE_TYPES), &mut c.website_addresses),
        ("social_media_addresses", None, &mut c.social_media_addresses),
    ];
    for (field, types, slot) in lists {
        if let Some(items) = typed_list(body, field, types)? {
            *slot = items;
        }
    }
    if let Some(tags) = body.get("tags") {
        let tags = tags.as_array().ok_or_else(|| GhError::field("tags", "must be an array of strings"))?;
        c.tags = tags
            .iter()
            .map(|t| t.as_str().map(str::to_owned).ok_or_else(|| GhError::field("tags", "must be an array of strings")))
            .collect::<Result<_, _>>()?;
    }
    if let Some(fields) = body.get("custom_fields") {
        apply_custom_fields(state, &mut c.custom_fields, fields)?;
    }
    c.updated_at = now();
    Ok(())
}

/// Writes `[{name_key | custom_field_id | id, value}]` entries; `null` (or v1 `delete_value`) clears one.
pub fn apply_custom_fields(
    state: &GreenhouseState,
    target: &mut std::collections::BTreeMap<String, Value>,
    fields: &Value,
) -> Result<(), GhError> {
    let entries = fields.as_array().ok_or_else(|| GhError::field("custom_fields", "must be an array"))?;
    for entry in entries {
        let obj = entry.as_object().ok_or_else(|| GhError::field("custom_fields", "entries must be objects"))?;
        let by_key = obj.get("name_key").and_then(Value::as_str);
        let by_id = opt_id(obj, "custom_field_id")?.or(opt_id(obj, "id")?);
        let def = state
            .custom_fields
            .values()
            .find(|d| d.field_type == "candidate" && (Some(d.name_key.as_str()) == by_key || Some(d.id) == by_id))
            .ok_or_else(|| GhError::field("custom_fields", "Unknown custom field"))?;
        let clear = obj.get("delete_value").is_some_and(|d| d == "true" || d == true);
        let value = obj.get("value").cloned().unwrap_or(Value::Null);
        if clear || value.is_null() {
            target.remove(&def.name_key);
            continue;
        }
        let options: Vec<_> = state.custom_field_options.values().filter(|o| o.custom_field_id == def.id).collect();
        let option_name = |v: &Value| {
            options
                .iter()
                .find(|o| v.as_str() == Some(o.name.as_str()) || v.as_i64() == Some(o.id))
                .map(|o| Value::String(o.name.clone()))
        };
        let stored = match def.value_type.as_str() {
            "single_select" => option_name(&value).ok_or_else(|| {
                GhError::field("custom_fields", format!("{} is not an option of {}", value, def.name_key))
            })?,
            "multi_select" => {
                let items = value
                    .as_array()
                    .ok_or_else(|| GhError::field("custom_fields", format!("{} takes an array", def.name_key)))?;
                Value::Array(
                    items
                        .iter()
                        .map(|v| {
                            option_name(v).ok_or_else(|| {
                                GhError::field("custom_fields", format!("{v} is not an option of {}", def.name_key))
                            })
                        })
                        .collect::<Result<_, _>>()?,
                )
            }
            "yes_no" if !value.is_boolean() => {
                return Err(GhError::field("custom_fields", format!("{} takes a boolean", def.name_key)));
            }
            _ => value,
        };
        target.insert(def.name_key.clone(), json!({"name": def.name, "type": def.value_type, "value": stored}));
    }
    Ok(())
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

/// Checks an ISO-8601 date (`YYYY-MM-DD`, optionally with a time).
pub fn check_date(value: &str, field: &str) -> Result<(), GhError> {
    let date = value.get(..10).unwrap_or(value);
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| GhError::field(field, "must be an ISO-8601 date"))
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
