//! Parties, participants, the contract event log and contract files. A
//! file download answers `302` to the simulator's own storage route
//! (`/_sim/files/…`, no credentials), as Oneflow redirects to its storage.

use super::OfApp;
use super::auth::actor;
use super::contracts::{base, contract_id, object, respond};
use super::errors::OfError;
use super::lifecycle::{self, participant_defaults};
use super::model::{OneflowState, Participant, Party};
use super::paging::{list, parse};
use super::render;
use super::webhook::notify;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

/// The party, participant, event and file routes.
pub fn routes() -> Router<OfApp> {
    Router::new()
        .route("/v1/contracts/{id}/parties", get(parties).post(add_party))
        .route("/v1/contracts/{id}/parties/{party}/participants", axum::routing::post(add_participant))
        .route("/v1/contracts/{id}/events", get(events))
        .route("/v1/contracts/{id}/files/{file}", get(file))
        .route("/_sim/files/{id}/{file}", get(stored_file))
}

fn text(v: &Value, name: &str) -> Option<String> {
    v.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// A participant from a request body.
pub fn participant_from(state: &mut OneflowState, v: &Value) -> Result<Participant, OfError> {
    let name =
        text(v, "name").filter(|n| !n.trim().is_empty()).ok_or_else(|| OfError::parameter("name", "Required."))?;
    let defaults = participant_defaults();
    let channel = text(v, "delivery_channel").unwrap_or(defaults.delivery_channel.clone());
    if !["email", "none", "same_device", "sms"].contains(&channel.as_str()) {
        return Err(OfError::parameter("delivery_channel", "Unknown delivery channel."));
    }
    let email = text(v, "email");
    if channel == "email" && email.as_deref().is_none_or(|e| !e.contains('@')) {
        return Err(OfError::parameter("email", "An email is required for the email delivery channel."));
    }
    Ok(Participant {
        id: state.next_id(),
        name,
        email,
        phone_number: text(v, "phone_number"),
        title: text(v, "title"),
        signatory: v.get("signatory").and_then(Value::as_bool).unwrap_or(true),
        delivery_channel: channel,
        sign_method: text(v, "sign_method").unwrap_or(defaults.sign_method.clone()),
        ..defaults
    })
}

/// A counterparty from a request body.
pub fn party_from(state: &mut OneflowState, v: &Value) -> Result<Party, OfError> {
    let kind = text(v, "type").unwrap_or_else(|| "company".into());
    if !["company", "individual"].contains(&kind.as_str()) {
        return Err(OfError::parameter("type", "Must be company or individual."));
    }
    let mut participants = Vec::new();
    for p in v.get("participants").and_then(Value::as_array).into_iter().flatten() {
        participants.push(participant_from(state, p)?);
    }
    let name = text(v, "name").or_else(|| participants.first().map(|p| p.name.clone())).unwrap_or_default();
    Ok(Party {
        id: state.next_id(),
        kind,
        name,
        identification_number: text(v, "identification_number"),
        country_code: text(v, "country_code"),
        my_party: false,
        participants,
    })
}

async fn parties(State(app): State<OfApp>, headers: HeaderMap, uri: Uri, Path(raw): Path<String>) -> Response {
    respond((|| {
        actor(&app, &headers)?;
        let p = parse(uri.query())?;
        let state = app.lock();
        let id = contract_id(&state, &raw)?;
        let items = state.contracts[&id].parties.iter().map(render::party).collect();
        Ok(Json(list(&base(&headers), uri.path(), &p, items)).into_response())
    })())
}

async fn add_party(State(app): State<OfApp>, headers: HeaderMap, Path(raw): Path<String>, body: Bytes) -> Response {
    respond((|| {
        actor(&app, &headers)?;
        let body = Value::Object(object(&body)?);
        let mut state = app.lock();
        let id = contract_id(&state, &raw)?;
        let party = party_from(&mut state, &body)?;
        let contract = lifecycle::editable(&mut state, id)?;
        contract.parties.push(party.clone());
        let events: Vec<i64> = party
            .participants
            .iter()
            .map(|p| {
                lifecycle::record(
                    &mut state,
                    id,
                    "participant:create",
                    None,
                    json!({"changes": [], "subject": {"id": p.id}}),
                )
            })
            .collect();
        drop(state);
        notify(&app, id, &events);
        Ok(Json(render::party(&party)).into_response())
    })())
}

async fn add_participant(
    State(app): State<OfApp>,
    headers: HeaderMap,
    Path((raw, party_raw)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    respond((|| {
        actor(&app, &headers)?;
        let body = Value::Object(object(&body)?);
        let mut state = app.lock();
        let id = contract_id(&state, &raw)?;
        let participant = participant_from(&mut state, &body)?;
        let contract = lifecycle::editable(&mut state, id)?;
        let party = contract
            .parties
            .iter_mut()
            .find(|p| party_raw.parse::<i64>().is_ok_and(|pid| pid == p.id))
            .ok_or_else(|| OfError::not_found("Party"))?;
        let mine = party.my_party;
        party.participants.push(participant.clone());
        let event = lifecycle::record(
            &mut state,
            id,
            "participant:create",
            None,
            json!({"changes": [], "subject": {"id": participant.id}}),
        );
        drop(state);
        notify(&app, id, &[event]);
        Ok(Json(render::participant(&participant, mine)).into_response())
    })())
}

async fn events(State(app): State<OfApp>, headers: HeaderMap, uri: Uri, Path(raw): Path<String>) -> Response {
    respond((|| {
        actor(&app, &headers)?;
        let p = parse(uri.query())?;
        let state = app.lock();
        let id = contract_id(&state, &raw)?;
        let mut rows: Vec<_> = state.events.values().filter(|e| e.contract_id == id).collect();
        let sort = p.get("sort").unwrap_or("id");
        let (desc, key) = sort.strip_prefix('-').map_or((false, sort), |k| (true, k));
        match key {
            "id" => rows.sort_by_key(|e| e.id),
            "created_time" => rows.sort_by(|a, b| a.created_time.cmp(&b.created_time).then(a.id.cmp(&b.id))),
            "type" => rows.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.id.cmp(&b.id))),
            _ => return Err(OfError::parameter("sort", "Unknown sort attribute.")),
        }
        if desc {
            rows.reverse();
        }
        let base = base(&headers);
        let items = rows.iter().map(|e| render::event(&base, e)).collect();
        Ok(Json(list(&base, uri.path(), &p, items)).into_response())
    })())
}

async fn file(
    State(app): State<OfApp>,
    headers: HeaderMap,
    uri: Uri,
    Path((raw, file)): Path<(String, String)>,
) -> Response {
    respond((|| {
        actor(&app, &headers)?;
        let state = app.lock();
        let id = contract_id(&state, &raw)?;
        let file_id =
            file.parse::<i64>().ok().filter(|f| *f == 1 || *f == 2).ok_or_else(|| OfError::not_found("File"))?;
        if file_id == 2 && state.contracts[&id].state != "signed" {
            return Err(OfError::not_found("File"));
        }
        if !uri.query().is_some_and(|q| q.split('&').any(|p| p == "download=true")) {
            return Err(OfError::parameter("download", "Must be true to download the file."));
        }
        if state.files_inline {
            return Ok(stand_in_file(id, file_id, &state.contracts[&id].state));
        }
        let mut response = StatusCode::FOUND.into_response();
        let location = format!("{}/_sim/files/{id}/{file_id}", base(&headers));
        if let Ok(v) = HeaderValue::try_from(location) {
            response.headers_mut().insert("location", v);
        }
        Ok(response)
    })())
}

async fn stored_file(State(app): State<OfApp>, Path((id, file)): Path<(i64, i64)>) -> Response {
    let state = app.lock();
    let Some(c) = state.contracts.get(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    stand_in_file(id, file, &c.state)
}

/// A stand-in PDF naming the contract and its state, so tests can tell versions apart.
pub fn stand_in_file(id: i64, file: i64, state: &str) -> Response {
    let pdf = format!("%PDF-1.4\n% contract {id} file {file} state {state}\n%%EOF\n");
    let mut response = pdf.into_response();
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/pdf"));
    response
}
