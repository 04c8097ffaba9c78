//! The console over HTTP: signing in with a token or a one-time link, the session cookie's
//! flags, CSRF refusals, signing out, and a member seeing only what the API shows a member.
// The little browser below is test code: a request that fails should stop the test there.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{Api, connection};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use hiresync_store::workspaces::{self, User};
use hiresync_store::{connections, with_raw};
use hiresync_testkit::databases;
use std::collections::BTreeMap;
use tower::ServiceExt;

/// A browser without script: a cookie jar and forms.
struct Browser {
    router: axum::Router,
    jar: BTreeMap<String, String>,
}

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Page {
    /// The value of the first hidden `csrf` field.
    fn csrf(&self) -> String {
        let at = self.body.find(r#"name="csrf" value=""#).expect("a form with a CSRF token");
        let rest = &self.body[at + r#"name="csrf" value=""#.len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }

    fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }
}

impl Browser {
    fn new(api: &Api) -> Self {
        Self { router: api.router(), jar: BTreeMap::new() }
    }

    async fn send(&mut self, method: &str, path: &str, form: Option<&[(&str, &str)]>, https: bool) -> Page {
        let mut req = Request::builder().method(method).uri(path);
        if !self.jar.is_empty() {
            let cookies = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            req = req.header(header::COOKIE, cookies);
        }
        if https {
            req = req.header("x-forwarded-proto", "https");
        }
        let body = match form {
            Some(pairs) => {
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                let mut s = url::form_urlencoded::Serializer::new(String::new());
                s.extend_pairs(pairs.iter());
                Body::from(s.finish())
            }
            None => Body::empty(),
        };
        let response = self.router.clone().oneshot(req.body(body).unwrap()).await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        for c in headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            let (pair, attrs) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() || attrs.contains("Max-Age=0") {
                self.jar.remove(k);
            } else {
                self.jar.insert(k.to_owned(), v.to_owned());
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        Page { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    async fn get(&mut self, path: &str) -> Page {
        self.send("GET", path, None, false).await
    }

    async fn sign_in(&mut self, token: &str, https: bool) -> Page {
        let form = self.send("GET", "/console/sign-in", None, https).await;
        let csrf = form.csrf();
        self.send("POST", "/console/sign-in", Some(&[("csrf", &csrf), ("token", token)]), https).await
    }
}

async fn owner(db: &hiresync_testkit::TestDb, api: &Api) -> User {
    let mut c = db.store.db().await.unwrap();
    workspaces::user_by_token_hash(&mut c, &hiresync_api::extract::token_hash(&api.token)).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_token_signs_in_with_a_strict_http_only_cookie_secure_only_over_https() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let mut browser = Browser::new(&api);
        let away = browser.get("/").await;
        assert_eq!((away.status, away.location()), (StatusCode::SEE_OTHER, "/console/sign-in"), "{}", db.backend);

        let wrong = browser.sign_in("hs_not-a-token", false).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", db.backend);
        let signed = browser.sign_in(&api.token, false).await;
        assert_eq!((signed.status, signed.location()), (StatusCode::SEE_OTHER, "/"), "{}", db.backend);
        let cookie = signed.set_cookie("hiresync_session").unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain http: {cookie}");
        let overview = browser.get("/").await;
        assert_eq!(overview.status, StatusCode::OK, "{}", db.backend);
        assert!(overview.body.contains("owner@acme.io"), "{}", overview.body);

        let mut behind_tls = Browser::new(&api);
        let cookie = behind_tls.sign_in(&api.token, true).await.set_cookie("hiresync_session").unwrap();
        assert!(cookie.contains("; Secure"), "behind an https proxy: {cookie}");

        // Only the id's hash is stored.
        let id = browser.jar["hiresync_session"].clone();
        let stored: Vec<(String,)> =
            with_raw!(&mut db.store.db().await.unwrap(), |c| sqlx::query_as("select id_hash from console_sessions")
                .fetch_all(c)
                .await)
            .unwrap();
        assert!(stored.iter().all(|(h,)| *h != id), "{}", db.backend);
        assert!(stored.contains(&(hiresync_api::extract::token_hash(&id),)), "{}", db.backend);
    }
}

#[tokio::test]
async fn a_form_without_the_sessions_csrf_token_is_refused() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let mut browser = Browser::new(&api);
        // Signing in needs the token of the sign-in form this browser loaded.
        let forged =
            browser.send("POST", "/console/sign-in", Some(&[("csrf", "x"), ("token", &api.token)]), false).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", db.backend);
        assert!(forged.set_cookie("hiresync_session").is_none());

        browser.sign_in(&api.token, false).await;
        let page = browser.get("/console/connections").await;
        let csrf = page.csrf();
        for bad in [None, Some("0".repeat(64))] {
            let mut form = vec![("provider", "greenhouse")];
            if let Some(bad) = &bad {
                form.push(("csrf", bad));
            }
            let refused = browser.send("POST", "/console/sign-out", Some(&form), false).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}: {:?}", db.backend, bad);
            assert_eq!(refused.headers[header::CONTENT_TYPE], "application/problem+json");
        }
        assert_eq!(browser.get("/").await.status, StatusCode::OK, "{}: still signed in", db.backend);

        let ended = browser.jar["hiresync_session"].clone();
        let out = browser.send("POST", "/console/sign-out", Some(&[("csrf", &csrf)]), false).await;
        assert_eq!((out.status, out.location()), (StatusCode::SEE_OTHER, "/console/sign-in"));
        assert!(!browser.jar.contains_key("hiresync_session"));
        // The old cookie no longer opens anything either.
        let mut replay = Browser::new(&api);
        replay.jar.insert("hiresync_session".into(), ended);
        assert_eq!(replay.get("/").await.status, StatusCode::SEE_OTHER, "{}", db.backend);
    }
}

#[tokio::test]
async fn a_sign_in_link_works_once() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let owner = owner(&db, &api).await;
        let token = hiresync_api::ui::session::new_link(&db.store, &owner).await.unwrap();
        let mut browser = Browser::new(&api);
        // Loading the link (as a mail scanner would) does not use it.
        for _ in 0..2 {
            assert_eq!(browser.get(&format!("/console/link/{token}")).await.status, StatusCode::OK);
        }
        let page = browser.get(&format!("/console/link/{token}")).await;
        let used =
            browser.send("POST", "/console/link", Some(&[("csrf", &page.csrf()), ("token", &token)]), false).await;
        assert_eq!(used.location(), "/", "{}", db.backend);
        assert_eq!(browser.get("/").await.status, StatusCode::OK);

        let mut other = Browser::new(&api);
        let page = other.get(&format!("/console/link/{token}")).await;
        let again =
            other.send("POST", "/console/link", Some(&[("csrf", &page.csrf()), ("token", &token)]), false).await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED, "{}: used once already", db.backend);
        assert!(again.set_cookie("hiresync_session").is_none());
        let stored: Vec<(String,)> =
            with_raw!(&mut db.store.db().await.unwrap(), |c| sqlx::query_as("select token_hash from console_links")
                .fetch_all(c)
                .await)
            .unwrap();
        assert_eq!(stored, vec![(hiresync_api::extract::token_hash(&token),)], "{}", db.backend);
    }
}

#[tokio::test]
async fn a_member_sees_in_the_console_only_what_the_api_shows_a_member() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let owner = owner(&db, &api).await;
        let created = api.send("POST", "/v1/users", Some(r#"{"email": "sam@acme.io", "role": "member"}"#)).await;
        let member_token = created.unwrap().body["token"].as_str().unwrap().to_owned();
        let private = connection(&owner.workspace_id, Some(&owner.id));
        let shared = connection(&owner.workspace_id, None);
        let mut tx = db.store.begin().await.unwrap();
        connections::insert(&mut tx, &private).await.unwrap();
        connections::insert(&mut tx, &shared).await.unwrap();
        tx.commit().await.unwrap();

        let mut member = Browser::new(&api);
        member.sign_in(&member_token, false).await;
        for page in ["/", "/console/connections"] {
            let shown = member.get(page).await;
            assert!(shown.body.contains(shared.id.as_str()), "{}: {page}", db.backend);
            assert!(!shown.body.contains(private.id.as_str()), "{}: {page}", db.backend);
        }
        let hidden = member.get(&format!("/console/connections/{}", private.id.as_str())).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", db.backend);
        // Changing it is refused as the API refuses it, and nothing changes.
        let csrf = member.get("/console/connections").await.csrf();
        let path = format!("/console/connections/{}/disconnect", private.id.as_str());
        let refused = member.send("POST", &path, Some(&[("csrf", &csrf)]), false).await;
        assert!(refused.location().contains("error="), "{}: {}", db.backend, refused.location());
        let mut c = db.store.db().await.unwrap();
        assert!(connections::get(&mut c, &owner.workspace_id, private.id.as_str()).await.is_ok());
        drop(c);

        let mut admin = Browser::new(&api);
        admin.sign_in(&api.token, false).await;
        assert!(admin.get("/").await.body.contains(private.id.as_str()), "{}: the owner sees it", db.backend);
    }
}

#[tokio::test]
async fn contracts_show_their_synced_fields_and_signed_file_to_whoever_sees_their_oneflow_connection() {
    use hiresync_core::{ContractFieldMapping, ContractId, ProviderKind};
    use hiresync_store::contracts::{self, ContractRecord, SyncedValue};
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let owner = owner(&db, &api).await;
        let created = api.send("POST", "/v1/users", Some(r#"{"email": "sam@acme.io", "role": "member"}"#)).await;
        let member_token = created.unwrap().body["token"].as_str().unwrap().to_owned();
        let teamtailor = hiresync_store::connections::Connection {
            provider: ProviderKind::Teamtailor,
            ..connection(&owner.workspace_id, None)
        };
        // The owner's own Oneflow account: its contracts are theirs to see.
        let oneflow = hiresync_store::connections::Connection {
            provider: ProviderKind::Oneflow,
            ..connection(&owner.workspace_id, Some(&owner.id))
        };
        let now = hiresync_store::now_ms();
        let record = ContractRecord {
            id: ContractId::generate(),
            workspace_id: owner.workspace_id.clone(),
            oneflow_connection_id: oneflow.id.as_str().to_owned(),
            teamtailor_connection_id: teamtailor.id.as_str().to_owned(),
            contract_id: 4711,
            candidate: "42".into(),
            oneflow_workspace_id: 1,
            template_id: 2,
            name: Some("Offer for Ada".into()),
            url: "https://app.oneflow.com/contracts/4711".into(),
            field_map: vec![ContractFieldMapping {
                teamtailor_custom_field: "salary".into(),
                oneflow_data_field: "base_salary".into(),
            }],
            synced: [("base_salary".to_owned(), SyncedValue { oneflow: "90000".into(), teamtailor: "90000".into() })]
                .into(),
            state: "signed".into(),
            upload_id: Some("up-1".into()),
            attached_at: Some(now),
            created_at: now,
            updated_at: now,
        };
        let mut tx = db.store.begin().await.unwrap();
        connections::insert(&mut tx, &teamtailor).await.unwrap();
        connections::insert(&mut tx, &oneflow).await.unwrap();
        contracts::insert(&mut tx, &record).await.unwrap();
        tx.commit().await.unwrap();

        let mut admin = Browser::new(&api);
        admin.sign_in(&api.token, false).await;
        let page = admin.get("/console/contracts").await;
        assert_eq!(page.status, StatusCode::OK, "{}", db.backend);
        for shown in ["Offer for Ada", "signed", "base_salary", "90000", "signed file in Teamtailor"] {
            assert!(page.body.contains(shown), "{}: {shown} in {}", db.backend, page.body);
        }
        let mut member = Browser::new(&api);
        member.sign_in(&member_token, false).await;
        let page = member.get("/console/contracts").await;
        assert!(!page.body.contains("Offer for Ada") && page.body.contains("No contracts yet"), "{}", db.backend);
    }
}

#[tokio::test]
async fn the_overview_meters_the_allowance_in_use_and_the_queue() {
    use hiresync_store::sync_log::{self, NewLogEntry};
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let owner = owner(&db, &api).await;
        let conn = connection(&owner.workspace_id, None);
        let ws = owner.workspace_id.as_str();
        let call = |request| NewLogEntry {
            workspace_id: ws,
            connection_id: Some(conn.id.as_str()),
            contact_id: Some("c1"),
            job_id: Some(1),
            operation: request,
            outcome: "ok",
            detail: None,
        };
        let now = hiresync_store::now_ms();
        // Three calls in Greenhouse's 10 s window, one before it, and a job's own outcome line.
        let lines = [
            (call("POST /v3/candidates"), now - 1_000),
            (call("POST /v3/notes"), now - 2_000),
            (call("GET /v3/jobs"), now - 3_000),
            (call("GET /v3/candidates"), now - 60_000),
            (call("sync contact"), now - 1_000),
        ];
        let mut tx = db.store.begin().await.unwrap();
        connections::insert(&mut tx, &conn).await.unwrap();
        sync_log::append_at(&mut tx, &lines).await.unwrap();
        for key in ["k1", "k2"] {
            hiresync_store::queue::enqueue(
                &mut tx,
                &crate::support::noop_job(&owner.workspace_id, conn.id.as_str(), key),
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();

        let mut browser = Browser::new(&api);
        browser.sign_in(&api.token, false).await;
        let page = browser.get("/").await;
        for shown in ["3 of 50 in the last 10 s", "50 requests per 10 s (published)", "2 jobs", r#"value="6""#] {
            assert!(page.body.contains(shown), "{}: {shown} in {}", db.backend, page.body);
        }
    }
}

#[tokio::test]
async fn rotating_a_token_ends_the_console_sessions_signed_in_with_it() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let created = api.send("POST", "/v1/users", Some(r#"{"email": "sam@acme.io", "role": "member"}"#)).await;
        let member_token = created.unwrap().body["token"].as_str().unwrap().to_owned();
        let mut leaked = Browser::new(&api);
        leaked.sign_in(&member_token, false).await;
        let mut owner = Browser::new(&api);
        owner.sign_in(&api.token, false).await;
        assert_eq!(leaked.get("/").await.status, StatusCode::OK, "{}", db.backend);

        let rotated = api.send("POST", "/v1/users/sam@acme.io/token", None).await.unwrap();
        assert_eq!(rotated.status, StatusCode::CREATED, "{}: {}", db.backend, rotated.body);
        assert_eq!(leaked.get("/").await.location(), "/console/sign-in", "{}: signed out", db.backend);
        assert_eq!(owner.get("/").await.status, StatusCode::OK, "{}: others stay signed in", db.backend);
    }
}

#[tokio::test]
async fn sequences_show_their_indicators_and_name_a_target_only_to_whoever_may_use_its_connection() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let owner = owner(&db, &api).await;
        let created = api.send("POST", "/v1/users", Some(r#"{"email": "sam@acme.io", "role": "member"}"#)).await;
        let member_token = created.unwrap().body["token"].as_str().unwrap().to_owned();
        let private = connection(&owner.workspace_id, Some(&owner.id));
        let mut tx = db.store.begin().await.unwrap();
        connections::insert(&mut tx, &private).await.unwrap();
        tx.commit().await.unwrap();
        let custom = format!(
            r#"{{"name": "Rust outreach", "sync_disabled": true, "target": {{"connection_id": "{}", "job_id": 4012, "stage_id": 7}}}}"#,
            private.id.as_str()
        );
        let put = api.send("PUT", "/v1/sequences/rust", Some(&custom)).await.unwrap();
        assert_eq!(put.status, StatusCode::CREATED, "{}: {}", db.backend, put.body);
        api.send("PUT", "/v1/sequences/plain", Some(r#"{"name": "Plain"}"#)).await.unwrap();

        let mut admin = Browser::new(&api);
        admin.sign_in(&api.token, false).await;
        let page = admin.get("/console/sequences").await;
        for shown in ["Rust outreach", "Sync Disabled", "Custom Sync", "Greenhouse", "4012", "Plain", "owner@acme.io"] {
            assert!(page.body.contains(shown), "{}: {shown} in {}", db.backend, page.body);
        }
        let mut member = Browser::new(&api);
        member.sign_in(&member_token, false).await;
        let page = member.get("/console/sequences").await;
        let hidden = ["another user&#x27;s connection", "another user&#39;s connection"];
        assert!(page.body.contains("Custom Sync"), "{}: {}", db.backend, page.body);
        assert!(hidden.iter().any(|h| page.body.contains(h)), "{}: {}", db.backend, page.body);
        assert!(!page.body.contains("4012"), "{}", db.backend);
    }
}
