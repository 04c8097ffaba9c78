//! `hiresync sim`: the four provider simulators on loopback with the demo
//! tenants, for trying hiresync (or anything else) against them by hand.

use crate::run;
use anyhow::{Context, Result};
use hiresync_sim::{Demo, DemoOptions};
use serde_json::json;

/// Starts the simulators, prints how to reach them, and runs until shutdown.
pub async fn sim(options: DemoOptions) -> Result<()> {
    let demo = Demo::start(options).await.context("starting the simulators")?;
    // One machine-readable line first, so scripts can pick up ports and credentials.
    println!("hiresync sim: {}", json!({"simulators": demo.describe()}));
    for (name, label) in
        [("greenhouse", "Greenhouse"), ("clockwork", "Clockwork"), ("teamtailor", "Teamtailor"), ("oneflow", "Oneflow")]
    {
        if let Some(t) = demo.tenant(name) {
            println!(
                "  {label:<11} {}  (state: {}/state, requests: {}/requests)",
                t.base_url, t.control_url, t.control_url
            );
        }
    }
    println!("Connect one with POST /v1/connections using its base_url and credentials above. Ctrl-C stops.");
    run::shutdown_token().cancelled().await;
    Ok(())
}
