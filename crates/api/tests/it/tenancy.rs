//! One hostile tenant (issue 25): another workspace's owner, and a member of
//! the same workspace for its owner's private connection, send every route
//! that takes an id the ids of what they may not touch. Each answer is a 404
//! or 403 problem (422 naming the field for ids inside a body), and nothing
//! of the victim's changes. Every templated route of `/openapi.json` must be
//! covered here, so a new endpoint cannot skip the check.

// Its fixtures are built in helpers; a failure there is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::{Api, connection, noop_job};
use hiresync_core::{ImportId, ResyncId, UserId, WorkspaceId};
use hiresync_engine::Vault;
use hiresync_store::connections;
use hiresync_store::queue;
use hiresync_store::{imports, resyncs, workspaces};
use hiresync_testkit::{TestDb, databases};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// What the victim workspace holds.
struct Victim {
    workspace: WorkspaceId,
    owner: UserId,
    member_id: String,
    member_token: String,
    private: String,
    import: String,
    resync: String,
    job: i64,
    endpoint: String,
}

async fn owner_of(db: &TestDb, api: &Api) -> hiresync_store::workspaces::User {
    let mut c = db.store.db().await.unwrap();
    let hash = hiresync_api::extract::token_hash(&api.token);
    workspaces::user_by_token_hash(&mut c, &hash).await.unwrap().unwrap()
}

async fn victim(db: &TestDb, api: &Api) -> Victim {
    let owner = owner_of(db, api).await;
    let member = api.send("POST", "/v1/users", Some(r#"{"email": "mia@acme.io", "role": "member"}"#)).await.unwrap();
    assert_eq!(member.status, 201, "{}", member.body);
    api.send("PUT", "/v1/sequences/seq-1", Some(r#"{"name": "Rust"}"#)).await.unwrap();
    let contact = r#"{"emails": ["ada@example.com"], "first_name": "Ada"}"#;
    assert_eq!(api.send("PUT", "/v1/contacts/c1", Some(contact)).await.unwrap().status, 201);
    let hook = api
        .send(
            "POST",
            "/v1/webhook-endpoints",
            Some(r#"{"url": "http://127.0.0.1:9/hooks", "events": ["contact.synced"]}"#),
        )
        .await
        .unwrap();
    assert_eq!(hook.status, 201, "{}", hook.body);

    let mut private = connection(&owner.workspace_id, Some(&owner.id));
    // Real sealed credentials, so the webhook receivers get as far as the victim's secret.
    let vault = Vault::from_bytes(crate::support::VAULT_KEY);
    let credentials = json!({"client_id": "c", "client_secret": "s", "user_id": 1, "webhook_secret": "victim-secret"});
    private.sealed_credentials = vault.seal(private.id.as_str(), &SecretString::from(credentials.to_string()));
    private.key_id = vault.key_id().to_owned();
    let (import, resync) = (ImportId::generate(), ResyncId::generate());
    let mut tx = db.store.begin().await.unwrap();
    connections::insert(&mut tx, &private).await.unwrap();
    let target = json!({"job_id": 1});
    let new_import = imports::NewImport {
        id: &import,
        workspace_id: &owner.workspace_id,
        connection_id: &private.id,
        target: &target,
        sequence: "seq-1",
        recurring: true,
        created_by: &owner.id,
    };
    imports::insert(&mut tx, &new_import).await.unwrap();
    let new_resync = resyncs::NewResync {
        id: &resync,
        workspace_id: &owner.workspace_id,
        connection_id: &private.id,
        sequence: None,
        created_by: &owner.id,
        listed: true,
    };
    resyncs::insert(&mut tx, &new_resync, &[("c1".to_owned(), "queued", None)]).await.unwrap();
    let job = noop_job(&owner.workspace_id, private.id.as_str(), "k");
    queue::enqueue(&mut tx, &job).await.unwrap();
    tx.commit().await.unwrap();
    let jobs = api.send("GET", "/v1/jobs", None).await.unwrap();
    Victim {
        workspace: owner.workspace_id,
        owner: owner.id,
        member_id: member.body["id"].as_str().unwrap().to_owned(),
        member_token: member.body["token"].as_str().unwrap().to_owned(),
        private: private.id.as_str().to_owned(),
        import: import.as_str().to_owned(),
        resync: resync.as_str().to_owned(),
        job: jobs.body[0]["id"].as_i64().unwrap(),
        endpoint: hook.body["id"].as_str().unwrap().to_owned(),
    }
}

/// Everything of the victim's an attacker could change, read straight from the store.
async fn snapshot(db: &TestDb, v: &Victim) -> String {
    let mut c = db.store.db().await.unwrap();
    let conns = connections::list(&mut c, &v.workspace).await.unwrap();
    let conns: Vec<_> =
        conns.iter().map(|k| (k.id.as_str().to_owned(), k.settings.clone(), k.status.clone())).collect();
    let users = workspaces::list_users(&mut c, &v.workspace).await.unwrap();
    let users: Vec<_> = users.iter().map(|u| (u.id.as_str().to_owned(), u.email.clone())).collect();
    drop(c);
    let jobs = db.store.list_jobs(v.workspace.as_str(), None, 100).await.unwrap();
    let mut c = db.store.db().await.unwrap();
    let jobs: Vec<_> = jobs.iter().map(|j| (j.id, j.state.clone(), j.attempts)).collect();
    let import = imports::get(&mut c, &v.workspace, &v.import).await.unwrap().map(|i| i.state);
    let endpoints = hiresync_store::webhooks_out::endpoints(&mut c, v.workspace.as_str()).await.unwrap();
    let endpoints: Vec<_> = endpoints.iter().map(|e| (e.id.clone(), e.sealed_secret.clone())).collect();
    format!("{conns:?}\n{users:?}\n{jobs:?}\n{import:?}\n{endpoints:?}\n{}", v.owner.as_str())
}

/// Each templated route with the victim's ids in it, and the body it is sent.
fn attacks(v: &Victim) -> Vec<(&'static str, String, Option<String>)> {
    let c = &v.private;
    vec![
        ("GET", format!("/v1/connections/{c}"), None),
        ("PATCH", format!("/v1/connections/{c}"), Some("{}".into())),
        ("DELETE", format!("/v1/connections/{c}"), None),
        ("POST", format!("/v1/connections/{c}/clone-settings"), None),
        ("GET", format!("/v1/connections/{c}/people?email=ada@example.com"), None),
        ("GET", format!("/v1/connections/{c}/settings"), None),
        ("PUT", format!("/v1/connections/{c}/settings"), Some(r#"{"trigger": "off"}"#.into())),
        ("GET", format!("/v1/connections/{c}/targets"), None),
        ("GET", format!("/v1/contacts/c1/preview?connection_id={c}"), None),
        ("GET", "/v1/contracts/ctr_01jd5z8v6c4q2w3e4r5t6y7u8i".into(), None),
        // A file link needs the server's signature, not a token: knowing the ids is not enough.
        (
            "GET",
            format!(
                "/v1/contract-files/ctr_01jd5z8v6c4q2w3e4r5t6y7u8i?workspace={}&expires=9999999999&signature={}",
                v.workspace.as_str(),
                "0".repeat(64)
            ),
            None,
        ),
        ("GET", format!("/v1/imports/{}", v.import), None),
        ("GET", format!("/v1/imports/{}/contacts", v.import), None),
        ("DELETE", format!("/v1/imports/{}", v.import), None),
        ("POST", format!("/v1/jobs/{}/retry", v.job), None),
        ("GET", format!("/v1/resyncs/{}", v.resync), None),
        ("GET", format!("/v1/resyncs/{}/contacts", v.resync), None),
        ("DELETE", format!("/v1/users/{}", v.owner.as_str()), None),
        ("POST", format!("/v1/users/{}/token", v.owner.as_str()), None),
        ("POST", "/v1/webhook-deliveries/whd_01jd5z8v6c4q2w3e4r5t6y7u8i/redeliver".into(), None),
        ("GET", format!("/v1/webhook-endpoints/{}/deliveries", v.endpoint), None),
        ("POST", format!("/v1/webhook-endpoints/{}/rotate-secret", v.endpoint), None),
        ("DELETE", format!("/v1/webhook-endpoints/{}", v.endpoint), None),
        // Ids inside bodies: refused naming the field.
        ("POST", "/v1/resyncs".into(), Some(format!(r#"{{"connection_id": "{c}", "contacts": ["c1"]}}"#))),
        (
            "POST",
            "/v1/imports".into(),
            Some(format!(r#"{{"connection_id": "{c}", "target": {{"job_id": 1}}, "sequence": "seq-1"}}"#)),
        ),
        (
            "PUT",
            "/v1/sequences/seq-9".into(),
            Some(format!(r#"{{"name": "x", "target": {{"connection_id": "{c}", "job_id": 1}}}}"#)),
        ),
        (
            "PUT",
            "/v1/connections/none/settings".into(),
            Some(format!(r#"{{"contracts": {{"teamtailor_connection_id": "{c}"}}}}"#)),
        ),
    ]
}

/// Request headers as `(name, value)`.
type Headers = Vec<(&'static str, String)>;

/// The webhook receivers, which take no token: an attacker who learned the victim's connection id
/// posts deliveries signed with a key of its own (Greenhouse's and Teamtailor's schemes, Clockwork's
/// hook-URL token, Oneflow's body signature) to every provider's route. The route of the
/// connection's own provider refuses the signature (401), the others find no such connection (404).
fn webhook_attacks(v: &Victim) -> Vec<(String, String, Headers, u16)> {
    let c = &v.private;
    let body = json!({"action": "new_candidate_application", "payload": {"application": {
        "id": 1, "candidate": {"id": 7}, "jobs": [{"id": 1}]}}})
    .to_string();
    let signature = hiresync_providers::greenhouse::webhook::sign(b"attacker-secret", body.as_bytes());
    let oneflow = json!({"contract": {"id": 1}, "callback_id": "a".repeat(40), "events": [], "signature": "0"});
    let tt = r#"{"payload":{"event_name":"job_application.create","data":{"id":"1","type":"job-applications"}}}"#;
    vec![
        (format!("/v1/webhooks/greenhouse/{c}"), body.clone(), vec![("signature", signature.clone())], 401),
        (format!("/v1/webhooks/greenhouse/{c}"), body.clone(), vec![], 401),
        (format!("/v1/webhooks/teamtailor/{c}"), tt.to_owned(), vec![("tt-signature", "dD0x".into())], 404),
        (format!("/v1/webhooks/clockwork/{c}?token=attacker-secret"), "{}".into(), vec![], 404),
        (format!("/v1/webhooks/oneflow/{c}"), oneflow.to_string(), vec![], 404),
    ]
}

/// Templated routes that need no victim id to attack: the caller's own contacts and sequences
/// (external ids name the caller's own) and the workspace's defaults.
const OWN_NAMESPACE: [&str; 7] = [
    "PUT /v1/contacts/{external_id}",
    "GET /v1/contacts/{external_id}/log",
    "GET /v1/contacts/{external_id}/send-permission",
    "GET /v1/contacts/{external_id}/sync",
    "PUT /v1/sequences/{external_id}",
    "GET /v1/workspace/defaults/{provider}",
    "PUT /v1/workspace/defaults/{provider}",
];

#[test]
fn every_templated_route_is_attacked() {
    let doc = serde_json::to_value(hiresync_api::openapi()).unwrap();
    let v = Victim {
        workspace: WorkspaceId::generate(),
        owner: UserId::generate(),
        member_id: String::new(),
        member_token: String::new(),
        private: "conn_x".into(),
        import: "imp_x".into(),
        resync: "rsy_x".into(),
        job: 1,
        endpoint: "whe_x".into(),
    };
    let mut attacked: BTreeSet<String> =
        attacks(&v).iter().map(|(m, p, _)| format!("{m} {}", p.split('?').next().unwrap())).collect();
    attacked.extend(webhook_attacks(&v).iter().map(|(p, ..)| format!("POST {}", p.split('?').next().unwrap())));
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.contains('{') {
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            let op = format!("{} {path}", method.to_uppercase());
            if OWN_NAMESPACE.contains(&op.as_str()) {
                continue;
            }
            let prefix = path.split('{').next().unwrap();
            let covered = attacked.iter().any(|a| a.starts_with(&format!("{} {prefix}", method.to_uppercase())));
            assert!(covered, "{op} is not attacked in tenancy.rs");
        }
    }
}

#[tokio::test]
async fn another_workspace_and_a_member_reach_nothing_of_the_victims() {
    for db in databases().await.unwrap() {
        let victim_api = Api::new(&db).await.unwrap();
        let v = victim(&db, &victim_api).await;
        let stranger = Api::new(&db).await.unwrap();
        let member = victim_api.as_user(&v.member_token);
        let before = snapshot(&db, &v).await;
        for (who, api) in [("another workspace's owner", &stranger), ("a member", &member)] {
            for (method, path, body) in attacks(&v) {
                let answer = api.send(method, &path, body.as_deref()).await.unwrap();
                let status = answer.status.as_u16();
                let at = format!("{}: {who}: {method} {path}", db.backend);
                assert!(matches!(status, 403 | 404 | 422), "{at} answered {status}: {}", answer.body);
                assert_eq!(answer.content_type, "application/problem+json", "{at}");
                if status == 422 {
                    let field = answer.body["errors"][0]["field"].as_str().unwrap_or_default();
                    assert!(field.contains("connection_id") || field == "contracts", "{at}: {}", answer.body);
                }
                assert!(!answer.body.to_string().contains(&v.private), "{at} leaks the id back: {}", answer.body);
            }
        }
        for (path, body, headers, expected) in webhook_attacks(&v) {
            let answer = stranger.post_unauthenticated(&path, &body, &headers).await.unwrap();
            let at = format!("{}: a delivery to {path}", db.backend);
            assert_eq!(answer.status.as_u16(), expected, "{at}: {}", answer.body);
            assert_eq!(answer.content_type, "application/problem+json", "{at}");
            assert!(!answer.body.to_string().contains("victim-secret"), "{at} leaks the secret: {}", answer.body);
        }
        let mut c = db.store.db().await.unwrap();
        assert_eq!(hiresync_store::webhooks::count(&mut c, &v.private).await.unwrap(), 0, "nothing was recorded");
        drop(c);
        // The member of the same workspace can still see the job list, without the private connection's job.
        let jobs = member.send("GET", "/v1/jobs", None).await.unwrap();
        assert_eq!(jobs.body, json!([]), "{}", db.backend);
        let other = stranger.send("GET", &format!("/v1/users/{}/token", v.member_id), None).await.unwrap();
        assert!(matches!(other.status.as_u16(), 404 | 405), "{}", other.body);
        assert_eq!(snapshot(&db, &v).await, before, "{}: nothing of the victim's changed", db.backend);
        let listed: Value = stranger.send("GET", "/v1/connections", None).await.unwrap().body;
        assert_eq!(listed, json!([]), "{}", db.backend);
    }
}
