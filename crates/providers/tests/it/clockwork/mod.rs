//! Clockwork client against `hiresync_sim::clockwork`.

mod faults;
mod flow;
mod paging;
mod requests;
mod search;

use hiresync_core::ProviderKind;
use hiresync_providers::{ConnectOptions, Credentials, People, connect};
use hiresync_sim::clockwork::ClockworkSim;
use serde_json::json;
use std::sync::Arc;

pub struct Setup {
    pub sim: ClockworkSim,
    pub provider: Arc<dyn People>,
    pub statuses: Vec<String>,
    pub project: String,
}

pub fn options(sim: &ClockworkSim) -> ConnectOptions {
    ConnectOptions { base_url: Some(sim.base_url()), ..ConnectOptions::default() }
}

pub fn credentials(firm: &str, secret: &str) -> Credentials {
    let value = json!({"firm_domain": format!("{firm}.clockworkrecruiting.com"), "api_key": "cw-key",
        "api_secret": secret, "firm_service_key": "firm-key"});
    Credentials(value.to_string().into())
}

pub async fn setup() -> Setup {
    let sim = ClockworkSim::start().await.unwrap();
    sim.app().add_credentials("cw-key", "s3cret", "firm-key");
    let statuses = sim.app().seed_default_statuses();
    let project = sim.app().add_project("CFO, Analytical Engines", "Active");
    let provider = connect(ProviderKind::Clockwork, &credentials(&sim.firm(), "s3cret"), &options(&sim))
        .unwrap()
        .people()
        .unwrap();
    Setup { sim, provider, statuses, project }
}

pub fn project_target(project_id: &str) -> hiresync_core::Target {
    serde_json::from_value(json!({ "project_id": project_id })).unwrap()
}
