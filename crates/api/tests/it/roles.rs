//! Inside a workspace a member acts only through their own and the
//! workspace's connections, and sees nothing of another user's private one.

use crate::support::{Api, connection, noop_job};
use hiresync_store::connections::{self, Connection};
use hiresync_store::queue;
use hiresync_store::workspaces;
use hiresync_testkit::databases;

#[tokio::test]
async fn a_member_cannot_act_through_or_see_another_users_private_connection() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let owner = {
            let mut c = db.store.db().await.unwrap();
            workspaces::user_by_token_hash(&mut c, &hiresync_api::extract::token_hash(&api.token)).await.unwrap()
        }
        .unwrap();
        let created = api.send("POST", "/v1/users", Some(r#"{"email": "sam@acme.io", "role": "member"}"#)).await;
        let member = api.as_user(created.unwrap().body["token"].as_str().unwrap());
        // The owner's personal Greenhouse connection, and a job of it that failed.
        let private = connection(&owner.workspace_id, Some(&owner.id));
        let mut tx = db.store.begin().await.unwrap();
        connections::insert(&mut tx, &private).await.unwrap();
        let job = noop_job(&owner.workspace_id, private.id.as_str(), "k");
        queue::enqueue(&mut tx, &job).await.unwrap();
        tx.commit().await.unwrap();

        // A member names neither another user as a sequence's owner nor their connection as its target.
        let body = format!(r#"{{"name": "Outreach", "owner": "{}"}}"#, owner.email);
        let answer = member.send("PUT", "/v1/sequences/s1", Some(&body)).await.unwrap();
        assert_eq!(answer.problem(), (403, None), "{}: {}", db.backend, answer.body);
        let body = format!(r#"{{"target": {{"connection_id": "{}", "job_id": 1}}}}"#, private.id.as_str());
        let answer = member.send("PUT", "/v1/sequences/s1", Some(&body)).await.unwrap();
        assert_eq!(answer.problem(), (422, Some("target.connection_id")), "{}: {}", db.backend, answer.body);
        let answer = member.send("GET", "/v1/sequences/s1", None).await.unwrap();
        assert_ne!(answer.status, 200, "{}: nothing was stored: {}", db.backend, answer.body);

        // The job and its error show to the owner, not to the member.
        let listed = |a: &serde_json::Value| a.as_array().map_or(0, Vec::len);
        assert_eq!(listed(&api.send("GET", "/v1/jobs", None).await.unwrap().body), 1, "{}", db.backend);
        assert_eq!(listed(&member.send("GET", "/v1/jobs", None).await.unwrap().body), 0, "{}", db.backend);
        let answer = member.send("GET", &format!("/v1/connections/{}", private.id.as_str()), None).await.unwrap();
        assert_eq!(answer.status, 404, "{}", answer.body);
        // An owner still makes a teammate a sequence's owner.
        let body = r#"{"name": "Outreach", "owner": "sam@acme.io"}"#;
        assert_eq!(api.send("PUT", "/v1/sequences/s2", Some(body)).await.unwrap().status, 201);
    }
}

#[tokio::test]
async fn a_member_retries_the_dead_jobs_of_their_own_connection_only() {
    for db in databases().await.unwrap() {
        let api = Api::new(&db).await.unwrap();
        let owner = {
            let mut c = db.store.db().await.unwrap();
            workspaces::user_by_token_hash(&mut c, &hiresync_api::extract::token_hash(&api.token)).await.unwrap()
        }
        .unwrap();
        let created = api.send("POST", "/v1/users", Some(r#"{"email": "sam@acme.io", "role": "member"}"#)).await;
        let created = created.unwrap().body;
        let member = api.as_user(created["token"].as_str().unwrap());
        let sam = hiresync_core::UserId::from_stored(created["id"].as_str().unwrap().to_owned());
        let (own, shared) = (connection(&owner.workspace_id, Some(&sam)), connection(&owner.workspace_id, None));
        let mut tx = db.store.begin().await.unwrap();
        for (k, key) in [(&own, "own"), (&shared, "shared")] {
            connections::insert(&mut tx, k).await.unwrap();
            let job = noop_job(&owner.workspace_id, k.id.as_str(), key);
            queue::enqueue(&mut tx, &job).await.unwrap();
        }
        let sql = "update jobs set state = 'dead', last_error = 'greenhouse: 500'";
        match tx.raw() {
            hiresync_store::Raw::Sqlite(c) => sqlx::query(sql).execute(c).await.map(drop),
            hiresync_store::Raw::Postgres(c) => sqlx::query(sql).execute(c).await.map(drop),
        }
        .unwrap();
        tx.commit().await.unwrap();
        let jobs = api.send("GET", "/v1/jobs?state=dead", None).await.unwrap().body;
        let id_on = |k: &Connection| {
            jobs.as_array().unwrap().iter().find(|j| j["connection_id"] == k.id.as_str()).unwrap()["id"]
                .as_i64()
                .unwrap()
        };
        let (mine, workspaces_job) = (id_on(&own), id_on(&shared));

        let answer = member.send("POST", &format!("/v1/jobs/{workspaces_job}/retry"), None).await.unwrap();
        assert_eq!(answer.problem(), (403, None), "{}: {}", db.backend, answer.body);
        let answer = member.send("POST", &format!("/v1/jobs/{mine}/retry"), None).await.unwrap();
        assert_eq!(answer.status, 202, "{}: {}", db.backend, answer.body);
        let answer = member.send("POST", &format!("/v1/jobs/{mine}/retry"), None).await.unwrap();
        assert_eq!(answer.problem(), (404, None), "{}: no longer dead: {}", db.backend, answer.body);
        let answer = api.send("POST", &format!("/v1/jobs/{workspaces_job}/retry"), None).await.unwrap();
        assert_eq!(answer.status, 202, "{}: owners retry any: {}", db.backend, answer.body);
    }
}
