//! Rows → JSON:API resources shaped like the recorded fixtures: string ids,
//! kebab-case attributes, `links.self`, relationships with `self`/`related`
//! links, and linkage `data` only for relationships named in `include`.

use super::TtApp;
use super::errors::{TtError, jsonapi};
use super::model::TeamtailorState;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// The resource types the simulator serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `candidates`.
    Candidates,
    /// `jobs`.
    Jobs,
    /// `stages`.
    Stages,
    /// `job-applications`.
    JobApplications,
    /// `notes`.
    Notes,
    /// `custom-fields` (selects render as `custom-field-selects`).
    CustomFields,
    /// `custom-field-options`.
    CustomFieldOptions,
    /// `custom-field-values`.
    CustomFieldValues,
    /// `users`.
    Users,
    /// `uploads`.
    Uploads,
}

impl Kind {
    /// The path segment and default resource type.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Candidates => "candidates",
            Kind::Jobs => "jobs",
            Kind::Stages => "stages",
            Kind::JobApplications => "job-applications",
            Kind::Notes => "notes",
            Kind::CustomFields => "custom-fields",
            Kind::CustomFieldOptions => "custom-field-options",
            Kind::CustomFieldValues => "custom-field-values",
            Kind::Users => "users",
            Kind::Uploads => "uploads",
        }
    }

    /// Relationships rendered as links only.
    fn link_only(self) -> &'static [&'static str] {
        match self {
            Kind::Candidates => &["department", "role", "questions", "answers", "locations"],
            Kind::Jobs => &[
                "department",
                "role",
                "location",
                "locations",
                "user",
                "questions",
                "colleagues",
                "team-memberships",
                "picked-questions",
                "requisition",
            ],
            Kind::Stages => &["triggers"],
            Kind::JobApplications => &["reject-reason"],
            Kind::Users => &["department", "location", "jobs"],
            Kind::Uploads => &["job"],
            _ => &[],
        }
    }
}

/// Where links point and which relationships carry linkage.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// `http://host` of the request.
    pub base: String,
    /// Relationship names asked for with `include`.
    pub include: Vec<String>,
}

/// A relationship's linkage: one resource (or null) or many.
enum Linkage {
    One(Option<(&'static str, i64)>),
    Many(&'static str, Vec<i64>),
}

/// `custom-field-selects` for select fields, `custom-fields` otherwise.
pub fn field_kind(state: &TeamtailorState, id: i64) -> &'static str {
    if state.custom_fields.get(&id).is_some_and(|f| f.is_select()) { "custom-field-selects" } else { "custom-fields" }
}

/// The linkable relationships of a row.
fn relations(state: &TeamtailorState, kind: Kind, id: i64) -> Vec<(&'static str, Linkage)> {
    match kind {
        Kind::Candidates => vec![
            (
                "job-applications",
                Linkage::Many(
                    "job-applications",
                    state.job_applications.values().filter(|a| a.candidate_id == id).map(|a| a.id).collect(),
                ),
            ),
            (
                "custom-field-values",
                Linkage::Many(
                    "custom-field-values",
                    state.custom_field_values.values().filter(|v| v.candidate_id == id).map(|v| v.id).collect(),
                ),
            ),
            (
                "uploads",
                Linkage::Many(
                    "uploads",
                    state.uploads.values().filter(|u| u.candidate_id == id).map(|u| u.id).collect(),
                ),
            ),
            (
                "notes",
                Linkage::Many("notes", state.notes.values().filter(|n| n.candidate_id == id).map(|n| n.id).collect()),
            ),
        ],
        Kind::Jobs => vec![
            ("stages", Linkage::Many("stages", state.job_stages(id).iter().map(|s| s.id).collect())),
            (
                "candidates",
                Linkage::Many(
                    "candidates",
                    state.job_applications.values().filter(|a| a.job_id == id).map(|a| a.candidate_id).collect(),
                ),
            ),
        ],
        Kind::Stages => {
            let job = state.stages.get(&id).map(|s| s.job_id);
            vec![
                ("job", Linkage::One(job.map(|j| ("jobs", j)))),
                (
                    "job-applications",
                    Linkage::Many(
                        "job-applications",
                        state.job_applications.values().filter(|a| a.stage_id == id).map(|a| a.id).collect(),
                    ),
                ),
            ]
        }
        Kind::JobApplications => {
            let a = state.job_applications.get(&id);
            vec![
                ("candidate", Linkage::One(a.map(|a| ("candidates", a.candidate_id)))),
                ("job", Linkage::One(a.map(|a| ("jobs", a.job_id)))),
                ("stage", Linkage::One(a.map(|a| ("stages", a.stage_id)))),
            ]
        }
        Kind::Notes => {
            let n = state.notes.get(&id);
            vec![
                ("candidate", Linkage::One(n.map(|n| ("candidates", n.candidate_id)))),
                ("user", Linkage::One(n.and_then(|n| n.user_id).map(|u| ("users", u)))),
            ]
        }
        Kind::CustomFields => {
            let mut r = vec![(
                "custom-field-values",
                Linkage::Many(
                    "custom-field-values",
                    state.custom_field_values.values().filter(|v| v.custom_field_id == id).map(|v| v.id).collect(),
                ),
            )];
            if state.custom_fields.get(&id).is_some_and(|f| f.is_select()) {
                r.push((
                    "custom-field-options",
                    Linkage::Many(
                        "custom-field-options",
                        state.custom_field_options.values().filter(|o| o.custom_field_id == id).map(|o| o.id).collect(),
                    ),
                ));
            }
            r
        }
        Kind::CustomFieldOptions => {
            let field = state.custom_field_options.get(&id).map(|o| o.custom_field_id);
            vec![("custom-field", Linkage::One(field.map(|f| (field_kind(state, f), f))))]
        }
        Kind::CustomFieldValues => {
            let v = state.custom_field_values.get(&id);
            vec![
                ("custom-field", Linkage::One(v.map(|v| (field_kind(state, v.custom_field_id), v.custom_field_id)))),
                ("owner", Linkage::One(v.map(|v| ("candidates", v.candidate_id)))),
            ]
        }
        Kind::Uploads => {
            vec![("candidate", Linkage::One(state.uploads.get(&id).map(|u| ("candidates", u.candidate_id))))]
        }
        Kind::Users => Vec::new(),
    }
}

/// Checks `include` against the kind's linkable relationships (400 otherwise, as JSON:API resources does).
pub fn check_include(kind: Kind, include: &[String]) -> Result<(), TtError> {
    let names: &[&str] = match kind {
        Kind::Candidates => &["job-applications", "custom-field-values", "uploads", "notes"],
        Kind::Jobs => &["stages", "candidates"],
        Kind::Stages => &["job", "job-applications"],
        Kind::JobApplications => &["candidate", "job", "stage"],
        Kind::Notes => &["candidate", "user"],
        Kind::CustomFields => &["custom-field-values", "custom-field-options"],
        Kind::CustomFieldOptions => &["custom-field"],
        Kind::CustomFieldValues => &["custom-field", "owner"],
        Kind::Uploads => &["candidate"],
        Kind::Users => &[],
    };
    for name in include {
        if !names.contains(&name.as_str()) {
            return Err(TtError::BadRequest {
                title: "Invalid field".into(),
                detail: format!("{name} is not a valid includable relationship of {}", kind.as_str()),
                code: "112",
            });
        }
    }
    Ok(())
}

fn identifier((kind, id): (&str, i64)) -> Value {
    json!({"id": id.to_string(), "type": kind})
}

/// One resource object, or `None` when the row does not exist.
pub fn resource(state: &TeamtailorState, ctx: &Ctx, kind: Kind, id: i64) -> Option<Value> {
    let (type_name, attributes) = super::attributes::attributes(state, kind, id)?;
    let me = format!("{}/v1/{}/{id}", ctx.base, kind.as_str());
    let links = |name: &str| json!({"self": format!("{me}/relationships/{name}"), "related": format!("{me}/{name}")});
    let mut relationships = Map::new();
    for name in kind.link_only() {
        relationships.insert((*name).to_owned(), json!({ "links": links(name) }));
    }
    for (name, linkage) in relations(state, kind, id) {
        let mut rel = json!({ "links": links(name) });
        if ctx.include.iter().any(|i| i == name) {
            rel["data"] = match linkage {
                Linkage::One(one) => one.map_or(Value::Null, identifier),
                Linkage::Many(k, ids) => Value::Array(ids.into_iter().map(|i| identifier((k, i))).collect()),
            };
        }
        relationships.insert(name.to_owned(), rel);
    }
    let mut out = json!({"id": id.to_string(), "type": type_name, "links": {"self": me}, "attributes": attributes});
    if kind == Kind::Jobs {
        // Jobs also link to their career-site pages, as recorded.
        let site = format!("{}/jobs/{id}", ctx.base);
        out["links"]["careersite-job-url"] = json!(site);
        out["links"]["careersite-job-apply-url"] = json!(format!("{site}/applications/new"));
        out["links"]["careersite-job-apply-iframe-url"] = json!(format!("{site}/applications/new?iframe=true"));
    }
    if !relationships.is_empty() {
        out["relationships"] = Value::Object(relationships);
    }
    Some(out)
}

/// The resources named by the included relationships of `primaries`, each once.
pub fn included(state: &TeamtailorState, ctx: &Ctx, kind: Kind, primaries: &[i64]) -> Vec<Value> {
    let plain = Ctx { base: ctx.base.clone(), include: Vec::new() };
    let mut seen: Vec<(&'static str, i64)> = Vec::new();
    for id in primaries {
        for (name, linkage) in relations(state, kind, *id) {
            if !ctx.include.iter().any(|i| i == name) {
                continue;
            }
            let targets = match linkage {
                Linkage::One(one) => one.into_iter().collect(),
                Linkage::Many(k, ids) => ids.into_iter().map(|i| (k, i)).collect::<Vec<_>>(),
            };
            for t in targets {
                if !seen.contains(&t) {
                    seen.push(t);
                }
            }
        }
    }
    seen.into_iter()
        .filter_map(|(k, id)| {
            let kind = match k {
                "candidates" => Kind::Candidates,
                "jobs" => Kind::Jobs,
                "stages" => Kind::Stages,
                "job-applications" => Kind::JobApplications,
                "notes" => Kind::Notes,
                "custom-fields" | "custom-field-selects" => Kind::CustomFields,
                "custom-field-options" => Kind::CustomFieldOptions,
                "custom-field-values" => Kind::CustomFieldValues,
                "uploads" => Kind::Uploads,
                _ => Kind::Users,
            };
            resource(state, &plain, kind, id)
        })
        .collect()
}

/// `http://<host>` of the request, for links.
pub fn base(headers: &HeaderMap) -> String {
    format!("http://{}", headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1"))
}

/// A JSON:API success with the version echoed as Teamtailor does.
pub fn ok(status: StatusCode, version: &str, body: &serde_json::Value) -> Response {
    let mut response = jsonapi(status, body);
    if let Ok(v) = HeaderValue::try_from(version) {
        response.headers_mut().insert("x-api-version", v);
    }
    response
}

/// Runs a write and renders its error, if any.
pub fn respond(result: Result<Response, TtError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// The created or updated resource, rendered for the caller.
pub fn created(app: &TtApp, headers: &HeaderMap, version: &str, status: StatusCode, kind: Kind, id: i64) -> Response {
    let ctx = Ctx { base: base(headers), include: Vec::new() };
    let data = resource(&app.lock(), &ctx, kind, id).unwrap_or(Value::Null);
    ok(status, version, &json!({ "data": data }))
}
