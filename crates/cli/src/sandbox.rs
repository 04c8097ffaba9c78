//! `hiresync sandbox`: provider simulators on loopback, a demo workspace
//! connected to them, and `serve` — something real to try with no accounts.

use crate::config::Config;
use crate::run;
use anyhow::{Context, Result};
use hiresync_core::{ProviderKind, UserId, WorkspaceId};
use hiresync_engine::NewConnection;
use hiresync_providers::ConnectOptions;
use hiresync_sim::greenhouse::GreenhouseSim;
use secrecy::SecretString;
use serde_json::{Map, json};

/// Starts the simulators and the demo workspace, then serves until shutdown.
pub async fn sandbox(mut config: Config, keep_db: bool) -> Result<()> {
    // The sandbox talks to simulators on loopback over http.
    config.allow_private_urls = true;
    let _dir = if keep_db {
        None
    } else {
        let dir = tempfile::tempdir().context("making a temporary directory for the sandbox database")?;
        config.database_url = format!("sqlite://{}", dir.path().join("sandbox.db").display());
        Some(dir)
    };
    let greenhouse = GreenhouseSim::start().await.context("starting the Greenhouse simulator")?;
    let gh = greenhouse.app();
    gh.add_client("sandbox-client", "sandbox-secret");
    let recruiter = gh.add_user("Robin", "Recruiter", "robin@sandbox.example");
    let job = gh.add_job("Senior Rust Engineer", &["Application Review", "Phone Screen", "Onsite"]);
    gh.add_job("Engineering Manager", &["Application Review", "Interview"]);
    gh.add_prospect_pool("Future engineering talent", &["Reached out", "Engaged"]);
    gh.add_candidate("Ada", "Lovelace", "ada@example.com");

    let created = crate::admin::create_workspace(&config, "Sandbox", "owner@sandbox.example").await?;
    let rt = run::open(&config).await?;
    let credentials = json!({"client_id": "sandbox-client", "client_secret": "sandbox-secret", "user_id": recruiter});
    let mut settings = Map::new();
    settings.insert("default_target".into(), json!({"job_id": job.id, "stage_id": job.stage_ids[0]}));
    let new = NewConnection {
        workspace_id: WorkspaceId::from_stored(created["workspace_id"].as_str().unwrap_or_default().to_owned()),
        user_id: Some(UserId::from_stored(created["user_id"].as_str().unwrap_or_default().to_owned())),
        provider: ProviderKind::Greenhouse,
        credentials: SecretString::from(credentials.to_string()),
        options: ConnectOptions {
            base_url: Some(greenhouse.base_url()),
            auth_base_url: Some(greenhouse.auth_base_url()),
            rate_limit: None,
        },
        settings,
    };
    let conn =
        hiresync_engine::connect(&rt.store, &rt.clients, new).await.context("connecting the sandbox Greenhouse")?;
    let sandbox = json!({
        "token": created["token"],
        "workspace_id": created["workspace_id"],
        "connections": {"greenhouse": conn.id.as_str()},
        "simulators": {"greenhouse": greenhouse.base_url()},
    });
    println!("hiresync sandbox: {sandbox}");
    println!(
        "try: curl -H 'Authorization: Bearer {}' http://{}/v1/connections",
        created["token"].as_str().unwrap_or_default(),
        config.listen
    );
    let allow = config.allow_private_urls;
    run::serve(&config, rt, true, allow).await
}
