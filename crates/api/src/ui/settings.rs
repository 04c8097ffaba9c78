//! One connection's page (`/console/connections/{id}`): its state, and the settings form with
//! targets and stages as the provider lists them and field names as it knows them. Saving goes
//! through `PUT /v1/connections/{id}/settings`'s own handler and checks.

use super::page::{Chrome, Flash, after, error_page, html};
use super::session::{Change, Form, Session};
use crate::body::connections::{ConnectionOut, Settings, TargetOptionOut};
use crate::error::ApiError;
use crate::extract::{Caller, Json, Path, Query};
use crate::rest;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hiresync_core::settings::{OUTREACH_STAGES, OUTREACH_TYPES};
use serde_json::{Map, Value, json};

const FLAGS: [(&str, &str); 6] = [
    ("dedup_warning", "Warn about possible duplicates"),
    ("activity_tracking", "Track activity"),
    ("sync_manual_updates", "Sync manual updates"),
    ("block_off_limits", "Block people marked off-limits"),
    ("update_history", "Update employment and education history"),
    ("notes_only_for_synced", "Write notes only for synced people"),
];

const LISTS: [(&str, &str); 4] = [
    ("mandatory_fields", "Mandatory fields"),
    ("protected_fields", "Protected fields"),
    ("displayed_fields", "Displayed fields"),
    ("filterable_fields", "Filterable fields"),
];

/// One choice of a select.
pub struct Choice {
    /// The value posted.
    pub value: String,
    /// What is shown.
    pub label: String,
    /// Whether it is the current one.
    pub selected: bool,
}

/// The connection page.
#[derive(Template)]
#[template(path = "connection.html")]
pub struct ConnectionPage {
    /// The page chrome.
    pub chrome: Chrome,
    /// The connection.
    pub conn: ConnectionOut,
    /// Its provider's name.
    pub provider: &'static str,
    /// Its credential fields.
    pub credentials: &'static [super::connections::Field],
    /// Whether the provider syncs people (Oneflow holds contracts).
    pub people: bool,
    /// Whether the user administers the workspace (clone settings).
    pub administers: bool,
    /// Why the provider's targets could not be listed.
    pub targets_error: Option<String>,
    /// `trigger` choices.
    pub trigger: Vec<Choice>,
    /// `create_as` choices.
    pub create_as: Vec<Choice>,
    /// The on/off settings: key, label, on.
    pub flags: Vec<(&'static str, &'static str, bool)>,
    /// `default_target` choices: each target and each of its stages.
    pub targets: Vec<Choice>,
    /// `stage_map`: the outreach stage and the provider stage choices.
    pub stage_map: Vec<(&'static str, Vec<Choice>)>,
    /// `notes_for`: outreach type and whether notes are written for it.
    pub notes_for: Vec<(&'static str, bool)>,
    /// `note_types`: outreach type and the provider's note type.
    pub note_types: Vec<(&'static str, String)>,
    /// `progress_tags`: outreach stage and its tag.
    pub progress_tags: Vec<(&'static str, String)>,
    /// `field_map` rows (source, targets comma-separated, object), with blank rows to add.
    pub field_map: Vec<(String, String, String)>,
    /// The provider's field names, for the field map's suggestions.
    pub known_fields: Vec<String>,
    /// The field lists: key, label, names comma-separated.
    pub lists: Vec<(&'static str, &'static str, String)>,
    /// `bcc_address`.
    pub bcc: String,
    /// The resolved settings as JSON, for the advanced editor.
    pub json: String,
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A target with its ids as strings, so `7` and `"7"` compare equal.
fn ids_as_text(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), Value::String(text(Some(v))))).collect()),
        other => other.clone(),
    }
}

/// The stage key of a target kind.
fn stage_key(kind: &str) -> &'static str {
    match kind {
        "prospect_pool" => "prospect_pool_stage_id",
        "project" => "status_id",
        _ => "stage_id",
    }
}

fn target_choices(targets: &[TargetOptionOut], current: Option<&Value>) -> Vec<Choice> {
    let current = current.filter(|v| !v.is_null()).map(ids_as_text);
    let mut out = vec![Choice { value: String::new(), label: "(none)".into(), selected: current.is_none() }];
    for t in targets {
        let base = serde_json::to_value(&t.target).unwrap_or(Value::Null);
        let mut plain = base.clone();
        if let Value::Object(m) = &mut plain {
            m.remove(stage_key(&t.kind));
        }
        let mut push = |value: Value, label: String| {
            let selected = current.as_ref() == Some(&ids_as_text(&value));
            out.push(Choice { value: value.to_string(), label, selected });
        };
        push(plain.clone(), t.name.clone());
        for s in &t.stages {
            let mut v = plain.clone();
            if let Value::Object(m) = &mut v {
                m.insert(stage_key(&t.kind).into(), Value::String(s.id.clone()));
            }
            push(v, format!("{} → {}", t.name, s.name));
        }
    }
    out
}

/// `GET /console/connections/{id}`.
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> Response {
    match build(&state, &session, id, &flash).await {
        Ok(p) => html(StatusCode::OK, &p),
        Err(e) => error_page(&session, &e),
    }
}

async fn build(state: &AppState, session: &Session, id: String, flash: &Flash) -> Result<ConnectionPage, ApiError> {
    let caller = Caller(session.user.clone());
    let Json(conn) = rest::connections::get(State(state.clone()), caller.clone(), Path(id.clone())).await?;
    let Json(Settings(s)) =
        rest::connections::get_settings(State(state.clone()), caller.clone(), Path(id.clone())).await?;
    let kind = hiresync_core::ProviderKind::from(conn.provider);
    let people = kind.syncs_people();
    let (targets, targets_error) = if people {
        match rest::connections::targets(State(state.clone()), caller, Path(id.clone())).await {
            Ok(Json(t)) => (t, None),
            Err(e) => (Vec::new(), Some(super::page::describe(&e))),
        }
    } else {
        (Vec::new(), None)
    };
    let known_fields = known_fields(state, session, &id).await;
    let choices = |key: &str, all: &[&str]| -> Vec<Choice> {
        let current = text(s.get(key));
        all.iter().map(|v| Choice { value: (*v).into(), label: v.replace('_', " "), selected: current == *v }).collect()
    };
    let mut stages: Vec<String> = targets.iter().flat_map(|t| t.stages.iter().map(|s| s.name.clone())).collect();
    stages.sort();
    stages.dedup();
    let map = |key: &str| s.get(key).and_then(Value::as_object).cloned().unwrap_or_default();
    let stage_map = map("stage_map");
    let mut field_map: Vec<(String, String, String)> = s
        .get("field_map")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|m| {
            let targets = m["targets"].as_array().into_iter().flatten().filter_map(Value::as_str).collect::<Vec<_>>();
            (text(m.get("source")), targets.join(", "), text(m.get("object")))
        })
        .collect();
    field_map.extend((0..2).map(|_| (String::new(), String::new(), "person".to_owned())));
    let names = |key: &str| -> String {
        s.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let notes_for: Vec<String> =
        s.get("notes_for").and_then(Value::as_array).into_iter().flatten().map(|v| text(Some(v))).collect();
    Ok(ConnectionPage {
        chrome: Chrome::new(session, "connections", flash),
        provider: kind.display_name(),
        credentials: super::connections::fields_of(kind.as_str()),
        people,
        administers: session.user.role.administers(),
        targets_error,
        trigger: choices("trigger", &["off", "on_add", "on_reply", "on_interested"]),
        create_as: choices("create_as", &["prospect", "candidate"]),
        flags: FLAGS.iter().map(|(k, l)| (*k, *l, s.get(*k) == Some(&Value::Bool(true)))).collect(),
        targets: target_choices(&targets, s.get("default_target")),
        stage_map: OUTREACH_STAGES
            .iter()
            .map(|o| {
                let current = text(stage_map.get(*o));
                let mut list =
                    vec![Choice { value: String::new(), label: "(not moved)".into(), selected: current.is_empty() }];
                let known = stages.contains(&current);
                if !current.is_empty() && !known {
                    list.push(Choice { value: current.clone(), label: current.clone(), selected: true });
                }
                list.extend(stages.iter().map(|n| Choice {
                    value: n.clone(),
                    label: n.clone(),
                    selected: *n == current,
                }));
                (*o, list)
            })
            .collect(),
        notes_for: OUTREACH_TYPES.iter().map(|t| (*t, notes_for.iter().any(|n| n == t))).collect(),
        note_types: OUTREACH_TYPES.iter().map(|t| (*t, text(map("note_types").get(*t)))).collect(),
        progress_tags: OUTREACH_STAGES.iter().map(|t| (*t, text(map("progress_tags").get(*t)))).collect(),
        field_map,
        known_fields,
        lists: LISTS.iter().map(|(k, l)| (*k, *l, names(k))).collect(),
        bcc: text(s.get("bcc_address")),
        json: serde_json::to_string_pretty(&Value::Object(s.clone())).unwrap_or_default(),
        conn,
    })
}

/// The provider's person and company fields, for suggestions; none when it cannot say.
async fn known_fields(state: &AppState, session: &Session, id: &str) -> Vec<String> {
    let Ok(conn) = rest::connections::load(state, &session.user, id).await else { return Vec::new() };
    let Ok(Some(client)) = rest::connections::open(state, &conn) else { return Vec::new() };
    match state.field_defs.known(conn.id.as_str(), client.as_ref()).await {
        Ok(k) => k.known.person.keys().chain(k.known.company.keys()).cloned().collect(),
        Err(_) => Vec::new(),
    }
}

fn list(raw: Option<&str>) -> Value {
    Value::Array(
        raw.unwrap_or_default()
            .split([',', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_owned()))
            .collect(),
    )
}

/// The settings the structured form posts, under their API names.
fn posted(form: &Form) -> Result<Map<String, Value>, ApiError> {
    let mut out = Map::new();
    for key in ["trigger", "create_as"] {
        if let Some(v) = form.get(key) {
            out.insert(key.into(), json!(v));
        }
    }
    for (key, _) in FLAGS {
        out.insert(key.into(), Value::Bool(form.get(key).is_some()));
    }
    let target = match form.get("default_target") {
        None => Value::Null,
        Some(raw) => {
            serde_json::from_str(raw).map_err(|_| ApiError::field("default_target", "choose a target from the list"))?
        }
    };
    out.insert("default_target".into(), target);
    let keyed = |prefix: &str, keys: &[&str]| -> Value {
        Value::Object(
            keys.iter()
                .filter_map(|k| form.get(&format!("{prefix}.{k}")).map(|v| ((*k).to_owned(), json!(v))))
                .collect(),
        )
    };
    out.insert("stage_map".into(), keyed("stage_map", &OUTREACH_STAGES));
    out.insert("note_types".into(), keyed("note_types", &OUTREACH_TYPES));
    out.insert("progress_tags".into(), keyed("progress_tags", &OUTREACH_STAGES));
    out.insert("notes_for".into(), Value::Array(form.all("notes_for").map(|t| json!(t)).collect()));
    let sources: Vec<&str> = form.all("field_map.source").collect();
    let targets: Vec<&str> = form.all("field_map.targets").collect();
    let objects: Vec<&str> = form.all("field_map.object").collect();
    let field_map = sources
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.trim().is_empty())
        .map(|(i, s)| {
            json!({"source": s.trim(), "targets": list(targets.get(i).copied()),
                "object": objects.get(i).map_or("person", |o| o.trim())})
        })
        .collect();
    out.insert("field_map".into(), Value::Array(field_map));
    for (key, _) in LISTS {
        out.insert(key.into(), list(form.get(key)));
    }
    out.insert("bcc_address".into(), form.get("bcc_address").map_or(Value::Null, |v| json!(v)));
    Ok(out)
}

/// `POST /console/connections/{id}/settings`: the keys the form changed become the connection's
/// own; keys left as they were keep following the workspace's defaults. The advanced editor's
/// JSON replaces the own settings whole, as `PUT` does.
pub async fn save(State(state): State<AppState>, Path(id): Path<String>, change: Change) -> Response {
    let to = format!("/console/connections/{id}");
    let user = change.session.user.clone();
    let saved = async {
        let conn = rest::connections::load(&state, &user, &id).await?;
        let own = if let Some(raw) = change.form.get("json") {
            match serde_json::from_str::<Value>(raw) {
                Ok(Value::Object(m)) => m,
                _ => return Err(ApiError::field("json", "must be a JSON object of settings")),
            }
        } else {
            let Json(Settings(resolved)) =
                rest::connections::get_settings(State(state.clone()), Caller(user.clone()), Path(id.clone())).await?;
            let mut own = conn.settings.clone();
            for (k, v) in posted(&change.form)? {
                let same = resolved.get(&k).is_some_and(|r| ids_as_text(r) == ids_as_text(&v))
                    || (v.is_null() && resolved.get(&k).is_none_or(Value::is_null));
                if !same {
                    own.insert(k, v);
                }
            }
            own
        };
        rest::connections::put_settings(
            State(state.clone()),
            Caller(user.clone()),
            Path(id.clone()),
            Json(Settings(own)),
        )
        .await
    }
    .await;
    after(&to, saved, "Settings saved.")
}

impl ConnectionPage {
    /// The provider's API name, which prefixes credential fields.
    pub fn provider_key(&self) -> &'static str {
        hiresync_core::ProviderKind::from(self.conn.provider).as_str()
    }
}
