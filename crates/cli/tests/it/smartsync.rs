//! SmartSync as Teamtailor users run it (issue 29): hiresync behind its
//! public URL registers Oneflow's webhook itself and removes it with the
//! connection, hands Teamtailor a signed link when Oneflow gives the signed
//! file as bytes, and follows contracts made in Oneflow once they can be tied
//! to one candidate.

use crate::contracts::{LIMIT, World, answered, world_with};
use crate::support::harness;
use anyhow::Result;
use hiresync_testkit::sims::{self, unthrottled};
use hiresync_testkit::{Polled, databases, eventually, wait_idle};
use serde_json::json;
use std::sync::{Arc, Mutex};

/// A stand-in for the load balancer at `HIRESYNC_PUBLIC_URL`: its address is known before the
/// server starts, and it forwards to the server once told where it is (redirects passed on).
pub struct Gateway {
    /// Its base URL.
    pub url: String,
    upstream: Arc<Mutex<Option<String>>>,
}

impl Gateway {
    pub async fn start() -> Result<Self> {
        use axum::extract::Request;
        use axum::response::IntoResponse;
        let upstream: Arc<Mutex<Option<String>>> = Arc::default();
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
        let target = upstream.clone();
        let forward = move |req: Request| {
            let (client, target) = (client.clone(), target.lock().unwrap().clone());
            async move {
                let Some(target) = target else {
                    return (reqwest::StatusCode::BAD_GATEWAY, "no upstream yet").into_response();
                };
                let (parts, body) = req.into_parts();
                let path = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
                let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
                let mut out = client.request(parts.method, format!("{target}{path}"));
                for (name, value) in parts.headers.iter().filter(|(n, _)| *n != "host") {
                    out = out.header(name, value);
                }
                let answer = out.body(body).send().await.unwrap();
                let (status, headers) = (answer.status(), answer.headers().clone());
                (status, headers, answer.bytes().await.unwrap()).into_response()
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, axum::Router::new().fallback(forward)).await });
        Ok(Self { url, upstream })
    }

    /// Forwards to `url` from now on.
    pub fn point_at(&self, url: &str) {
        *self.upstream.lock().unwrap() = Some(url.trim_end_matches('/').to_owned());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oneflows_webhook_is_registered_with_the_connection_and_removed_with_it() {
    for db in databases().await.unwrap() {
        let w = world_with(&db, true).await.unwrap();
        let public = w.public_url.clone().unwrap();
        let callback = format!("{public}/v1/webhooks/oneflow/{}", w.of_conn);
        assert_eq!(w.of_created["webhook"]["state"], "registered", "{}: {}", db.backend, w.of_created);
        assert_eq!(w.of_created["webhook"]["callback_url"], callback.as_str());
        let hooks: Vec<_> = w.of.state().webhooks.into_values().collect();
        assert_eq!(hooks.len(), 1, "{hooks:?}");
        assert_eq!((hooks[0].callback_url.as_str(), hooks[0].sign_key.as_str()), (callback.as_str(), "of-secret"));
        let shown = w.app.expect("GET", &format!("/v1/connections/{}", w.of_conn), None, 200).await.unwrap();
        assert_eq!(shown["webhook"]["state"], "registered");
        let tt = w.app.expect("GET", &format!("/v1/connections/{}", w.tt_conn), None, 200).await.unwrap();
        assert_eq!(tt["webhook"]["state"], "manual", "Teamtailor's API cannot register one: {tt}");
        assert_eq!(tt["webhook"]["callback_url"], format!("{public}/v1/webhooks/teamtailor/{}", w.tt_conn));

        // The registered webhook is the one Oneflow uses: a participant's edit reaches the candidate.
        let contract = w.create_contract().await.unwrap()["contract_id"].as_i64().unwrap();
        w.of.app().participant_sets_field(contract, "job_title", "Engineer").unwrap();
        answered(w.of.core(), 1).await.unwrap();
        wait_idle(&db.store, LIMIT).await.unwrap();
        assert_eq!(w.tt_value(&w.title), Some(json!("Engineer")));
        assert!(w.of.core().webhooks().deliveries().iter().all(|d| d.url == callback));

        // Deleting the connection removes its webhook at Oneflow.
        w.app.expect("DELETE", &format!("/v1/connections/{}", w.of_conn), None, 204).await.unwrap();
        assert!(w.of.state().webhooks.is_empty(), "removed at Oneflow");
        assert_eq!(w.of.core().requests_to("DELETE", &format!("/v1/webhooks/{}", hooks[0].webhook_id)).len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_public_url_registration_is_skipped_and_the_connection_says_why() {
    for db in databases().await.unwrap() {
        let started = harness(&db).start().await.unwrap();
        let of = sims::oneflow().await.unwrap();
        of.app().add_user("Rita Recruiter", "rita@acme.io");
        let body = json!({"provider": "oneflow", "base_url": of.base_url(), "rate_limit": unthrottled(),
            "credentials": {"api_token": "of-token", "user_email": "rita@acme.io", "webhook_secret": "s"}});
        let created = started.app.expect("POST", "/v1/connections", Some(&body), 201).await.unwrap();
        assert_eq!(created["webhook"]["state"], "skipped", "{}: {created}", db.backend);
        let reason = created["webhook"]["reason"].as_str().unwrap();
        assert!(reason.contains("HIRESYNC_PUBLIC_URL"), "{reason}");
        assert!(reason.contains(&format!("/v1/webhooks/oneflow/{}", created["id"].as_str().unwrap())), "{reason}");
        assert!(of.state().webhooks.is_empty());
        assert!(of.core().requests_to("POST", "/v1/webhooks").is_empty());
        let path = format!("/v1/connections/{}", created["id"].as_str().unwrap());
        assert_eq!(started.app.expect("GET", &path, None, 200).await.unwrap()["webhook"]["state"], "skipped");
        started.app.expect("DELETE", &path, None, 204).await.unwrap();
        assert!(of.core().requests_to("DELETE", "/v1/webhooks").is_empty());
    }
}

/// The Teamtailor uploads once Teamtailor has fetched each.
async fn fetched_uploads(w: &World) -> Result<Vec<hiresync_sim::teamtailor::model::Upload>> {
    eventually("the upload fetched", LIMIT, || async {
        let uploads: Vec<_> = w.tt.state().uploads.into_values().collect();
        Ok(if !uploads.is_empty() && uploads.iter().all(|u| u.fetch_status.is_some()) {
            Polled::Ready(uploads)
        } else {
            Polled::Waiting(format!("{uploads:?}"))
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_file_oneflow_sends_as_bytes_reaches_teamtailor_through_a_signed_link() {
    for db in databases().await.unwrap() {
        let w = world_with(&db, true).await.unwrap();
        let public = w.public_url.clone().unwrap();
        w.of.with_state(|s| s.files_inline = true);
        let created = w.create_contract().await.unwrap();
        let (id, contract) = (created["id"].as_str().unwrap().to_owned(), created["contract_id"].as_i64().unwrap());
        w.publish_and_sign(contract).await.unwrap();
        answered(w.of.core(), 2).await.unwrap();
        wait_idle(&db.store, LIMIT).await.unwrap();

        let uploads = fetched_uploads(&w).await.unwrap();
        assert_eq!(uploads.len(), 1, "{}: {uploads:?}", db.backend);
        let link = uploads[0].url.clone();
        assert!(link.starts_with(&format!("{public}/v1/contract-files/{id}?")), "{link}");
        assert_eq!(uploads[0].fetch_status, Some(200), "{uploads:?}");
        let pdf = uploads[0].content.clone().unwrap();
        assert!(pdf.starts_with("%PDF") && pdf.contains(&format!("contract {contract} file 1 state signed")), "{pdf}");
        assert_eq!(uploads[0].content_type.as_deref(), Some("application/pdf"));
        let shown = w.app.expect("GET", &format!("/v1/contracts/{id}"), None, 200).await.unwrap();
        assert_eq!(shown["file_attached"], true);

        // The link serves that one contract: a changed signature, expiry or contract is refused,
        // and there is nothing to list.
        let http = reqwest::Client::new();
        let status = |url: String| {
            let http = http.clone();
            async move { http.get(url).send().await.unwrap().status().as_u16() }
        };
        assert_eq!(status(link.clone()).await, 200, "no bearer token needed");
        let mut url = url::Url::parse(&link).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let with = |key: &str, value: &str| {
            let mut u = url.clone();
            u.query_pairs_mut()
                .clear()
                .extend_pairs(pairs.iter().map(|(k, v)| (k.as_str(), if k == key { value } else { v })));
            u.to_string()
        };
        let expires: i64 = pairs.iter().find(|(k, _)| k == "expires").unwrap().1.parse().unwrap();
        for tampered in
            [with("signature", &"0".repeat(64)), with("expires", &(expires + 3600).to_string()), with("expires", "1")]
        {
            let answer = http.get(&tampered).send().await.unwrap();
            assert_eq!(answer.status(), 403, "{tampered}");
            assert_eq!(answer.headers()["content-type"], "application/problem+json");
        }
        let other = w.create_contract().await.unwrap()["id"].as_str().unwrap().to_owned();
        url.set_path(&format!("/v1/contract-files/{other}"));
        assert_eq!(status(url.to_string()).await, 403, "a link names one contract");
        assert_eq!(status(format!("{public}/v1/contract-files")).await, 404, "no listing");
        assert_eq!(status(format!("{public}/v1/contract-files/{id}")).await, 422, "no signature");
    }
}

/// Waits until a delivery naming Oneflow event `event` was answered 200.
async fn delivered(w: &World, event: i64) {
    let needle = format!("\"id\":{event},");
    eventually(&format!("event {event} delivered"), LIMIT, || async {
        let d = w.of.core().webhooks().deliveries();
        let done = d.iter().any(|x| x.body.contains(&needle) && x.status == Some(200));
        Ok(if done { Polled::Ready(()) } else { Polled::Waiting(format!("{} deliveries", d.len())) })
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contracts_made_in_oneflow_are_followed_when_they_can_be_tied_to_one_candidate() {
    for db in databases().await.unwrap() {
        let w = world_with(&db, true).await.unwrap();
        let template = w.template.template_id;
        let tt_writes = || w.tt_field_writes();

        // A counterparty's email matches the candidate: followed, its filled fields reach the
        // candidate and the candidate's values fill its empty ones.
        let by_email = w.of.app().user_creates_contract(
            template,
            "Offer",
            &[("job_title", "Engineer")],
            Some(("Ada", "ada@example.com")),
        );
        let by_email = by_email.unwrap();
        answered(w.of.core(), 1).await.unwrap();
        wait_idle(&db.store, LIMIT).await.unwrap();
        assert_eq!(w.tt_value(&w.title), Some(json!("Engineer")), "{}", db.backend);
        assert_eq!(w.of_value(by_email, "salary_sek"), "5000", "prefilled from the candidate");
        // It syncs from then on like a contract made through hiresync.
        w.of.app().participant_sets_field(by_email, "job_title", "Staff Engineer").unwrap();
        let edit = w.of.state().events.values().filter(|e| e.contract_id == by_email).map(|e| e.id).max().unwrap();
        delivered(&w, edit).await;
        wait_idle(&db.store, LIMIT).await.unwrap();
        assert_eq!(w.tt_value(&w.title), Some(json!("Staff Engineer")));
        let writes = tt_writes();

        // Nobody's email, or two candidates' emails: not followed, and the log says why.
        let grace = w.tt.app().add_candidate("Grace", "Hopper", "grace@example.com");
        let base = w.of.core().webhooks().deliveries().len();
        let stranger = w.of.app().user_creates_contract(
            template,
            "Offer",
            &[("job_title", "CTO")],
            Some(("Bob", "bob@example.com")),
        );
        let two = w.of.app().user_creates_contract(
            template,
            "Offer",
            &[("job_title", "CTO")],
            Some(("Ada", "ada@example.com")),
        );
        let two = two.unwrap();
        w.of.app().add_counterparty(two, "Grace", "grace@example.com").unwrap();
        stranger.unwrap();
        answered(w.of.core(), base + 2).await.unwrap();
        wait_idle(&db.store, LIMIT).await.unwrap();
        assert_eq!(tt_writes(), writes, "nothing written for contracts tied to no one or to two");
        let mut c = db.store.db().await.unwrap();
        let sql = "select detail from sync_log where operation = 'follow contract' order by id";
        let details: Vec<(Option<String>,)> =
            hiresync_store::with_raw!(&mut c, |c| sqlx::query_as(sql).fetch_all(c).await).unwrap();
        let details: Vec<String> = details.into_iter().filter_map(|(d,)| d).collect();
        assert!(
            details.iter().any(|d| d.contains("no Teamtailor candidate has a counterparty's email")),
            "{details:?}"
        );
        assert!(details.iter().any(|d| d.contains("more than one Teamtailor candidate")), "{details:?}");
        drop(c);

        // A data field holding the candidate id ties it, whoever signs.
        let settings = format!("/v1/connections/{}/settings", w.of_conn);
        let mut s = w.app.expect("GET", &settings, None, 200).await.unwrap();
        s["candidate_data_field"] = json!("start_date");
        w.app.expect("PUT", &settings, Some(&s), 200).await.unwrap();
        let id = grace.to_string();
        let base = w.of.core().webhooks().deliveries().len();
        let by_field = w.of.app().user_creates_contract(
            template,
            "Offer",
            &[("start_date", id.as_str()), ("job_title", "Admiral")],
            Some(("Assistant", "assistant@example.com")),
        );
        by_field.unwrap();
        answered(w.of.core(), base + 1).await.unwrap();
        wait_idle(&db.store, LIMIT).await.unwrap();
        let state = w.tt.state();
        let grace_title =
            state.custom_field_values.values().find(|v| v.custom_field_id == w.title.id && v.candidate_id == grace);
        assert_eq!(grace_title.map(|v| v.value.clone()), Some(json!("Admiral")), "{}", db.backend);

        // The setting is checked: a data field cannot both hold the id and be mapped.
        s["candidate_data_field"] = json!("job_title");
        let (status, answer) = w.app.send("PUT", &settings, Some(&s)).await.unwrap();
        assert_eq!((status.as_u16(), answer["errors"][0]["field"].as_str()), (422, Some("candidate_data_field")));
    }
}
