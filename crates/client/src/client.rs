//! [`Client`]: one method per operation of `/openapi.json`.

use crate::Error;
use hiresync_api::body::common::StartedOut;
use hiresync_api::body::connections::{
    CloneSettingsIn, ClonedOut, ConnectionIn, ConnectionOut, ConnectionPatch, Settings, TargetOptionOut,
};
use hiresync_api::body::contacts::{ContactIn, ContactOut, LogEntryOut, LogQuery, PreviewOut, PreviewQuery, SyncOut};
use hiresync_api::body::contracts::{ContractIn, ContractOut};
use hiresync_api::body::events::{EventIn, EventsOut};
use hiresync_api::body::imports::{ContactPage, ImportIn, ImportOut, ImportedContactOut};
use hiresync_api::body::jobs::{JobOut, RetriedOut};
use hiresync_api::body::lookup::{LookupOut, PermissionOut, PersonOut};
use hiresync_api::body::operations::HealthOut;
use hiresync_api::body::problem::Problem;
use hiresync_api::body::resyncs::{ResyncContactOut, ResyncContactPage, ResyncIn, ResyncOut};
use hiresync_api::body::sequences::{SequenceIn, SequenceOut};
use hiresync_api::body::users::{TokenOut, UserIn, UserOut};
use hiresync_api::body::webhook_endpoints::{
    DeliveryPage, WebhookDeliveryOut, WebhookEndpointCreatedOut, WebhookEndpointIn, WebhookEndpointOut,
    WebhookSecretOut,
};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;
use url::Url;

/// A client of one hiresync server, acting with one user's token. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    token: String,
}

impl Client {
    /// A client of the server at `base_url` (`http://127.0.0.1:8080`) using `token`.
    pub fn new(base_url: &str, token: &str) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(90))
            .user_agent(concat!("hiresync-client/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Self::with_http(http, base_url, token)
    }

    /// The same on a reqwest client of the caller's (its own timeouts, proxy, TLS roots).
    pub fn with_http(http: reqwest::Client, base_url: &str, token: &str) -> Result<Self, Error> {
        let base = Url::parse(base_url.trim_end_matches('/')).map_err(|e| Error::Url(format!("{base_url}: {e}")))?;
        if base.cannot_be_a_base() || !matches!(base.scheme(), "http" | "https") {
            return Err(Error::Url(format!("{base_url}: not an http(s) URL")));
        }
        Ok(Self { http, base, token: token.to_owned() })
    }

    /// The server's root URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// A request to `path` (`/v1/...`, each id segment already encoded by [`seg`]).
    fn request(&self, method: Method, path: &str) -> Result<RequestBuilder, Error> {
        let url = format!("{}{path}", self.base.as_str().trim_end_matches('/'));
        let url = Url::parse(&url).map_err(|e| Error::Url(format!("{path}: {e}")))?;
        Ok(self.http.request(method, url).bearer_auth(&self.token))
    }

    /// Sends `request` and reads the documented body, or the problem the server answered with.
    async fn read<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, Error> {
        let response = request.send().await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        if !status.is_success() {
            return Err(problem(status, &bytes));
        }
        // An empty success (204) reads as JSON null, which `()` accepts.
        let text: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
        serde_json::from_slice(text).map_err(|e| Error::Unexpected { status: status.as_u16(), message: e.to_string() })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        Self::read(self.request(Method::GET, path)?).await
    }

    async fn get_with<T: DeserializeOwned, Q: Serialize + ?Sized>(&self, path: &str, query: &Q) -> Result<T, Error> {
        Self::read(self.request(Method::GET, path)?.query(query)).await
    }

    async fn send<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, Error> {
        let mut request = self.request(method, path)?;
        if let Some(body) = body {
            request = request.json(body);
        }
        Self::read(request).await
    }

    // Operations

    /// `GET /healthz`: the process is up.
    pub async fn health(&self) -> Result<HealthOut, Error> {
        self.get("/healthz").await
    }

    /// `POST /v1/users`: adds a user to the workspace; the answer holds their token.
    pub async fn create_user(&self, user: &UserIn) -> Result<UserOut, Error> {
        self.send(Method::POST, "/v1/users", Some(user)).await
    }

    /// `DELETE /v1/users/{id}`: removes a user; their tokens stop working at once.
    pub async fn delete_user(&self, id: &str) -> Result<(), Error> {
        self.send::<(), ()>(Method::DELETE, &format!("/v1/users/{}", seg(id)), None).await
    }

    /// `POST /v1/users/{id}/token`: a new token for the user; the old one stops working.
    pub async fn rotate_token(&self, id: &str) -> Result<TokenOut, Error> {
        self.send::<_, ()>(Method::POST, &format!("/v1/users/{}/token", seg(id)), None).await
    }

    // Connections

    /// `GET /v1/connections`: the connections the caller may see.
    pub async fn connections(&self) -> Result<Vec<ConnectionOut>, Error> {
        self.get("/v1/connections").await
    }

    /// `POST /v1/connections`: connects a provider after a live check of the credentials.
    pub async fn connect(&self, connection: &ConnectionIn) -> Result<ConnectionOut, Error> {
        self.send(Method::POST, "/v1/connections", Some(connection)).await
    }

    /// `GET /v1/connections/{id}`.
    pub async fn connection(&self, id: &str) -> Result<ConnectionOut, Error> {
        self.get(&format!("/v1/connections/{}", seg(id))).await
    }

    /// `PATCH /v1/connections/{id}`: new credentials, URLs or owner, checked live first.
    pub async fn patch_connection(&self, id: &str, patch: &ConnectionPatch) -> Result<ConnectionOut, Error> {
        self.send(Method::PATCH, &format!("/v1/connections/{}", seg(id)), Some(patch)).await
    }

    /// `DELETE /v1/connections/{id}`: disconnects.
    pub async fn disconnect(&self, id: &str) -> Result<(), Error> {
        self.send::<(), ()>(Method::DELETE, &format!("/v1/connections/{}", seg(id)), None).await
    }

    /// `GET /v1/connections/{id}/settings`.
    pub async fn settings(&self, id: &str) -> Result<Settings, Error> {
        self.get(&format!("/v1/connections/{}/settings", seg(id))).await
    }

    /// `PUT /v1/connections/{id}/settings`: sets the keys given.
    pub async fn put_settings(&self, id: &str, settings: &Settings) -> Result<Settings, Error> {
        self.send(Method::PUT, &format!("/v1/connections/{}/settings", seg(id)), Some(settings)).await
    }

    /// `GET /v1/connections/{id}/targets`: the jobs, pools or projects and their stages.
    pub async fn targets(&self, id: &str) -> Result<Vec<TargetOptionOut>, Error> {
        self.get(&format!("/v1/connections/{}/targets", seg(id))).await
    }

    /// `POST /v1/connections/{id}/clone-settings`: copies the settings to teammates or a group.
    pub async fn clone_settings(&self, id: &str, to: Option<&CloneSettingsIn>) -> Result<ClonedOut, Error> {
        self.send(Method::POST, &format!("/v1/connections/{}/clone-settings", seg(id)), to).await
    }

    /// `GET /v1/connections/{id}/people`: people holding every `field=value` given.
    pub async fn search_people(&self, id: &str, filters: &[(&str, &str)]) -> Result<Vec<PersonOut>, Error> {
        self.get_with(&format!("/v1/connections/{}/people", seg(id)), filters).await
    }

    /// `GET /v1/workspace/defaults/{provider}`.
    pub async fn defaults(&self, provider: &str) -> Result<Settings, Error> {
        self.get(&format!("/v1/workspace/defaults/{}", seg(provider))).await
    }

    /// `PUT /v1/workspace/defaults/{provider}`.
    pub async fn put_defaults(&self, provider: &str, settings: &Settings) -> Result<Settings, Error> {
        self.send(Method::PUT, &format!("/v1/workspace/defaults/{}", seg(provider)), Some(settings)).await
    }

    // Sequences, contacts, events

    /// `PUT /v1/sequences/{external_id}`.
    pub async fn put_sequence(&self, external_id: &str, sequence: &SequenceIn) -> Result<SequenceOut, Error> {
        self.send(Method::PUT, &format!("/v1/sequences/{}", seg(external_id)), Some(sequence)).await
    }

    /// `PUT /v1/contacts/{external_id}`.
    pub async fn put_contact(&self, external_id: &str, contact: &ContactIn) -> Result<ContactOut, Error> {
        self.send(Method::PUT, &format!("/v1/contacts/{}", seg(external_id)), Some(contact)).await
    }

    /// `GET /v1/contacts/{external_id}/sync`: where the contact stands on each connection.
    pub async fn sync_status(&self, external_id: &str) -> Result<Vec<SyncOut>, Error> {
        self.get(&format!("/v1/contacts/{}/sync", seg(external_id))).await
    }

    /// `GET /v1/contacts/{external_id}/log`: the provider calls made for the contact, newest first.
    pub async fn contact_log(&self, external_id: &str, limit: Option<i64>) -> Result<Vec<LogEntryOut>, Error> {
        self.get_with(&format!("/v1/contacts/{}/log", seg(external_id)), &LogQuery { limit }).await
    }

    /// `GET /v1/contacts/{external_id}/preview`: what a sync to the connection would write now, writing nothing.
    pub async fn preview(&self, external_id: &str, connection_id: &str) -> Result<PreviewOut, Error> {
        let path = format!("/v1/contacts/{}/preview", seg(external_id));
        self.get_with(&path, &PreviewQuery { connection_id: Some(connection_id.to_owned()) }).await
    }

    /// `GET /v1/contacts/{external_id}/send-permission`: may the outreach app email this person?
    pub async fn send_permission(&self, external_id: &str, refresh: bool) -> Result<PermissionOut, Error> {
        let path = format!("/v1/contacts/{}/send-permission", seg(external_id));
        self.get_with(&path, &[("refresh", refresh)]).await
    }

    /// `POST /v1/events`: stores a batch of events; the worker carries them out.
    pub async fn post_events(&self, events: &[EventIn]) -> Result<EventsOut, Error> {
        self.send(Method::POST, "/v1/events", Some(events)).await
    }

    /// `GET /v1/lookup?email=`: whether the caller's providers already hold the email.
    pub async fn lookup(&self, email: &str) -> Result<Vec<LookupOut>, Error> {
        self.get_with("/v1/lookup", &[("email", email)]).await
    }

    // Jobs

    /// `GET /v1/jobs`: the workspace's jobs, optionally in one state (`queued`, `running`, `held`, `done`, `dead`).
    pub async fn jobs(&self, state: Option<&str>) -> Result<Vec<JobOut>, Error> {
        match state {
            Some(state) => self.get_with("/v1/jobs", &[("state", state)]).await,
            None => self.get("/v1/jobs").await,
        }
    }

    /// `POST /v1/jobs/{id}/retry`: runs a dead job again.
    pub async fn retry_job(&self, id: i64) -> Result<RetriedOut, Error> {
        self.send::<_, ()>(Method::POST, &format!("/v1/jobs/{id}/retry"), None).await
    }

    // Bulk work

    /// `POST /v1/resyncs`: syncs a list's or a sequence's contacts that never were.
    pub async fn start_resync(&self, resync: &ResyncIn) -> Result<StartedOut, Error> {
        self.send(Method::POST, "/v1/resyncs", Some(resync)).await
    }

    /// `GET /v1/resyncs/{id}`: its progress.
    pub async fn resync(&self, id: &str) -> Result<ResyncOut, Error> {
        self.get(&format!("/v1/resyncs/{}", seg(id))).await
    }

    /// `GET /v1/resyncs/{id}/contacts`: a page of contacts with their outcome, by contact id.
    pub async fn resync_contacts(&self, id: &str, page: &ResyncContactPage) -> Result<Vec<ResyncContactOut>, Error> {
        self.get_with(&format!("/v1/resyncs/{}/contacts", seg(id)), page).await
    }

    /// `POST /v1/imports`: brings people of an ATS job or project into a sequence (also hourly when recurring).
    pub async fn start_import(&self, import: &ImportIn) -> Result<StartedOut, Error> {
        self.send(Method::POST, "/v1/imports", Some(import)).await
    }

    /// `GET /v1/imports`.
    pub async fn imports(&self) -> Result<Vec<ImportOut>, Error> {
        self.get("/v1/imports").await
    }

    /// `GET /v1/imports/{id}`: its progress.
    pub async fn import(&self, id: &str) -> Result<ImportOut, Error> {
        self.get(&format!("/v1/imports/{}", seg(id))).await
    }

    /// `DELETE /v1/imports/{id}`: stops a recurring import.
    pub async fn delete_import(&self, id: &str) -> Result<(), Error> {
        self.send::<(), ()>(Method::DELETE, &format!("/v1/imports/{}", seg(id)), None).await
    }

    /// `GET /v1/imports/{id}/contacts`: a page of the contacts it brought in.
    pub async fn import_contacts(&self, id: &str, page: &ContactPage) -> Result<Vec<ImportedContactOut>, Error> {
        self.get_with(&format!("/v1/imports/{}/contacts", seg(id)), page).await
    }

    // Webhooks out

    /// `POST /v1/webhook-endpoints`: registers an endpoint; the answer holds its secret, shown once.
    pub async fn create_webhook_endpoint(
        &self,
        endpoint: &WebhookEndpointIn,
    ) -> Result<WebhookEndpointCreatedOut, Error> {
        self.send(Method::POST, "/v1/webhook-endpoints", Some(endpoint)).await
    }

    /// `GET /v1/webhook-endpoints`: the workspace's endpoints, failing and disabled ones shown so.
    pub async fn webhook_endpoints(&self) -> Result<Vec<WebhookEndpointOut>, Error> {
        self.get("/v1/webhook-endpoints").await
    }

    /// `DELETE /v1/webhook-endpoints/{id}`.
    pub async fn delete_webhook_endpoint(&self, id: &str) -> Result<(), Error> {
        self.send::<(), ()>(Method::DELETE, &format!("/v1/webhook-endpoints/{}", seg(id)), None).await
    }

    /// `POST /v1/webhook-endpoints/{id}/rotate-secret`: a new secret, shown once.
    pub async fn rotate_webhook_secret(&self, id: &str) -> Result<WebhookSecretOut, Error> {
        self.send::<_, ()>(Method::POST, &format!("/v1/webhook-endpoints/{}/rotate-secret", seg(id)), None).await
    }

    /// `GET /v1/webhook-endpoints/{id}/deliveries`: recent attempts, newest first.
    pub async fn webhook_deliveries(&self, id: &str, limit: Option<i64>) -> Result<Vec<WebhookDeliveryOut>, Error> {
        self.get_with(&format!("/v1/webhook-endpoints/{}/deliveries", seg(id)), &DeliveryPage { limit }).await
    }

    /// `POST /v1/webhook-deliveries/{id}/redeliver`: sends a delivery again.
    pub async fn redeliver(&self, id: &str) -> Result<WebhookDeliveryOut, Error> {
        self.send::<_, ()>(Method::POST, &format!("/v1/webhook-deliveries/{}/redeliver", seg(id)), None).await
    }

    // Contracts

    /// `POST /v1/contracts`: links a Teamtailor candidate with a Oneflow contract.
    pub async fn create_contract(&self, contract: &ContractIn) -> Result<ContractOut, Error> {
        self.send(Method::POST, "/v1/contracts", Some(contract)).await
    }

    /// `GET /v1/contracts/{id}`.
    pub async fn contract(&self, id: &str) -> Result<ContractOut, Error> {
        self.get(&format!("/v1/contracts/{}", seg(id))).await
    }
}

/// One path segment, percent-encoded so an id cannot reach another route.
fn seg(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>().replace('+', "%20")
}

/// The problem in a failed answer's body, or what stood there instead.
fn problem(status: StatusCode, body: &[u8]) -> Error {
    match serde_json::from_slice::<Problem>(body) {
        Ok(problem) => Error::Problem(Box::new(problem)),
        Err(_) => Error::Unexpected {
            status: status.as_u16(),
            message: String::from_utf8_lossy(&body[..body.len().min(500)]).into_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_one_segment() {
        assert_eq!(seg("c-1"), "c-1");
        assert_eq!(seg("../users"), "..%2Fusers");
        assert_eq!(seg("a b?x"), "a%20b%3Fx");
    }

    #[test]
    fn a_problem_body_becomes_a_problem() {
        let body = br#"{"type":"https://hiresync.dev/problems/validation","title":"Unprocessable Entity","status":422,"detail":"email: required","errors":[{"field":"email","message":"required"}]}"#;
        match problem(StatusCode::UNPROCESSABLE_ENTITY, body) {
            Error::Problem(p) => assert_eq!((p.status, p.errors.unwrap()[0].field.as_str()), (422, "email")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(problem(StatusCode::BAD_GATEWAY, b"<html>"), Error::Unexpected { status: 502, .. }));
    }
}
