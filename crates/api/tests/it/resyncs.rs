//! Resyncs in flight are capped per workspace (issue 25): one team's pile of bulk work is
//! refused with a 429 before it is queued, and other teams are not affected.

use crate::support::{Api, connection};
use hiresync_store::{connections, workspaces};
use hiresync_testkit::databases;

/// A workspace connection of the API's workspace, stored directly (no provider is called).
async fn connected(api: &Api, db: &hiresync_testkit::TestDb) -> anyhow::Result<String> {
    let mut c = db.store.db().await?;
    let owner = workspaces::user_by_token_hash(&mut c, &hiresync_api::extract::token_hash(&api.token))
        .await?
        .ok_or_else(|| anyhow::anyhow!("the owner's token is unknown"))?;
    let conn = connection(&owner.workspace_id, None);
    connections::insert(&mut c, &conn).await?;
    Ok(conn.id.as_str().to_owned())
}

#[tokio::test]
async fn a_workspace_with_five_resyncs_in_flight_is_told_to_wait_and_others_are_not() -> anyhow::Result<()> {
    for db in databases().await? {
        let api = Api::new(&db).await?;
        let conn = connected(&api, &db).await?;
        api.send("PUT", "/v1/sequences/seq-1", Some(r#"{"name": "Rust"}"#)).await?;
        let body = format!(r#"{{"connection_id": "{conn}", "sequence": "seq-1"}}"#);
        for n in 0..5 {
            let started = api.send("POST", "/v1/resyncs", Some(&body)).await?;
            assert_eq!(started.status, 202, "{}: resync {n}: {}", db.backend, started.body);
            // Listed a slice at a time by the worker: until then it is at work, not done.
            let id = started.body["id"].as_str().unwrap_or_default().to_owned();
            let progress = api.send("GET", &format!("/v1/resyncs/{id}"), None).await?;
            assert_eq!(progress.body["state"], "running", "{}: {}", db.backend, progress.body);
        }
        let refused = api.send("POST", "/v1/resyncs", Some(&body)).await?;
        assert_eq!(refused.problem(), (429, None), "{}: {}", db.backend, refused.body);
        assert!(
            refused.body["detail"].as_str().unwrap_or_default().contains("5 resyncs in flight"),
            "{}",
            refused.body
        );

        let other = Api::new(&db).await?;
        let theirs = connected(&other, &db).await?;
        other.send("PUT", "/v1/sequences/seq-1", Some(r#"{"name": "Go"}"#)).await?;
        let body = format!(r#"{{"connection_id": "{theirs}", "sequence": "seq-1"}}"#);
        assert_eq!(other.send("POST", "/v1/resyncs", Some(&body)).await?.status, 202, "{}", db.backend);
    }
    Ok(())
}
