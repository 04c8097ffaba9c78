//! Connections: the list and the connect form (`/console/connections`), and one connection's
//! page with its credentials, disconnect and clone forms. Every change goes through the REST
//! handler that does the same for the API, with the caller's role.

use super::page::{Chrome, Flash, after, error_page, html};
use super::session::{Change, Session};
use crate::body::common::{FreeForm, Provider};
use crate::body::connections::{CloneSettingsIn, ConnectionIn, ConnectionOut, ConnectionPatch, Scope};
use crate::error::ApiError;
use crate::extract::{Caller, Json, Path, Query, RawBody};
use crate::rest;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

/// One credential field of a provider's connect form.
pub struct Field {
    /// Its name in the credentials object.
    pub name: &'static str,
    /// Whether it is a secret (a password input).
    pub secret: bool,
}

/// The credential fields one provider takes.
pub struct Shape {
    /// The provider's API name.
    pub provider: &'static str,
    /// Its name as people read it.
    pub label: &'static str,
    /// Its credential fields.
    pub fields: &'static [Field],
}

const fn field(name: &'static str, secret: bool) -> Field {
    Field { name, secret }
}

/// The credential fields each provider takes.
pub const CREDENTIALS: [Shape; 4] = [
    Shape {
        provider: "greenhouse",
        label: "Greenhouse",
        fields: &[field("client_id", false), field("client_secret", true), field("user_id", false)],
    },
    Shape {
        provider: "clockwork",
        label: "Clockwork",
        fields: &[
            field("firm_domain", false),
            field("api_key", false),
            field("api_secret", true),
            field("firm_service_key", true),
        ],
    },
    Shape { provider: "teamtailor", label: "Teamtailor", fields: &[field("api_key", true), field("region", false)] },
    Shape {
        provider: "oneflow",
        label: "Oneflow",
        fields: &[field("api_token", true), field("user_email", false), field("webhook_secret", true)],
    },
];

/// The credential fields of `provider`.
pub fn fields_of(provider: &str) -> &'static [Field] {
    CREDENTIALS.iter().find(|s| s.provider == provider).map_or(&[], |s| s.fields)
}

/// The connections page.
#[derive(Template)]
#[template(path = "connections.html")]
pub struct ConnectionsPage {
    /// The page chrome.
    pub chrome: Chrome,
    /// The connections the user may see.
    pub conns: Vec<ConnectionOut>,
    /// Whether the user may add workspace connections.
    pub administers: bool,
    /// The providers' credential fields.
    pub providers: &'static [Shape],
}

impl ConnectionsPage {
    /// A provider's name as people read it.
    pub fn provider_name(&self, c: &ConnectionOut) -> &'static str {
        hiresync_core::ProviderKind::from(c.provider).display_name()
    }
}

/// `GET /console/connections`.
pub async fn list(State(state): State<AppState>, session: Session, Query(flash): Query<Flash>) -> Response {
    match rest::connections::list(State(state), Caller(session.user.clone())).await {
        Ok(Json(conns)) => html(
            StatusCode::OK,
            &ConnectionsPage {
                chrome: Chrome::new(&session, "connections", &flash),
                conns,
                administers: session.user.role.administers(),
                providers: &CREDENTIALS,
            },
        ),
        Err(e) => error_page(&session, &e),
    }
}

/// The provider's credential fields as posted (`<provider>.<field>`), as the API takes them.
fn credentials(form: &super::session::Form, provider: &str) -> Map<String, Value> {
    fields_of(provider)
        .iter()
        .filter_map(|f| {
            let value = form.get(&format!("{provider}.{}", f.name))?;
            Some((f.name.to_owned(), Value::String(value.to_owned())))
        })
        .collect()
}

fn provider(name: Option<&str>) -> Result<Provider, ApiError> {
    serde_json::from_value(Value::String(name.unwrap_or_default().to_owned()))
        .map_err(|_| ApiError::field("provider", "choose greenhouse, clockwork, teamtailor or oneflow"))
}

/// `POST /console/connections`: connects after the same live check as `POST /v1/connections`.
pub async fn create(State(state): State<AppState>, change: Change) -> Response {
    let form = &change.form;
    let made = async {
        let provider = provider(form.get("provider"))?;
        let name = hiresync_core::ProviderKind::from(provider).as_str();
        let body = ConnectionIn {
            provider,
            credentials: FreeForm(credentials(form, name)),
            scope: Some(if form.get("scope") == Some("workspace") { Scope::Workspace } else { Scope::User }),
            base_url: form.get("base_url").map(str::to_owned),
            auth_base_url: form.get("auth_base_url").map(str::to_owned),
            rate_limit: None,
        };
        rest::connections::create(State(state), Caller(change.session.user.clone()), Json(body)).await
    }
    .await;
    match made {
        Ok((_, Json(conn))) => after(&format!("/console/connections/{}", conn.id), Ok(()), "Connected."),
        Err(e) => after("/console/connections", Err::<(), _>(e), ""),
    }
}

/// `POST /console/connections/{id}/credentials`: replaces credentials after a live check.
pub async fn replace_credentials(State(state): State<AppState>, Path(id): Path<String>, change: Change) -> Response {
    let to = format!("/console/connections/{id}");
    let caller = Caller(change.session.user.clone());
    let done = async {
        let Json(conn) = rest::connections::get(State(state.clone()), caller.clone(), Path(id.clone())).await?;
        let name = hiresync_core::ProviderKind::from(conn.provider).as_str();
        let fresh = credentials(&change.form, name);
        let body =
            ConnectionPatch { credentials: Some(FreeForm(fresh)), base_url: None, auth_base_url: None, user_id: None };
        rest::connections::patch(State(state), caller, Path(id.clone()), Json(body)).await
    }
    .await;
    after(&to, done, "Credentials replaced and checked.")
}

/// `POST /console/connections/{id}/disconnect`.
pub async fn disconnect(State(state): State<AppState>, Path(id): Path<String>, change: Change) -> Response {
    let done = rest::connections::delete(State(state), Caller(change.session.user.clone()), Path(id.clone())).await;
    match done {
        Ok(_) => after("/console/connections", Ok(()), "Disconnected; its history stays."),
        Err(e) => after(&format!("/console/connections/{id}"), Err::<(), _>(e), ""),
    }
}

/// `POST /console/connections/{id}/clone`: copies its settings to teammates (optionally one group).
pub async fn clone(State(state): State<AppState>, Path(id): Path<String>, change: Change) -> Response {
    let body = CloneSettingsIn { group: change.form.get("group").map(str::to_owned) };
    let raw = serde_json::to_vec(&body).unwrap_or_default();
    let done = rest::connections::clone_settings(
        State(state),
        Caller(change.session.user.clone()),
        Path(id.clone()),
        RawBody(raw.into()),
    )
    .await;
    let n = done.as_ref().map_or(0, |Json(c)| c.updated.len());
    after(&format!("/console/connections/{id}"), done, &format!("Settings cloned to {n} teammate(s)."))
}
