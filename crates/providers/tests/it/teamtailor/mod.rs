//! Teamtailor client against `hiresync_sim::teamtailor`.

mod auth;
mod faults;
mod flow;
mod paging;
mod search;
mod shapes;
mod webhooks;

use hiresync_core::ProviderKind;
use hiresync_providers::teamtailor::{TeamtailorClient, TeamtailorConfig};
use hiresync_providers::{ConnectOptions, Credentials, People, connect};
use hiresync_sim::teamtailor::{SeededJob, TeamtailorSim};
use serde_json::json;
use std::sync::Arc;

pub const KEY: &str = "tt-admin-key";

pub struct Setup {
    pub sim: TeamtailorSim,
    pub provider: Arc<dyn People>,
    pub job: SeededJob,
}

pub fn options(sim: &TeamtailorSim) -> ConnectOptions {
    ConnectOptions { base_url: Some(sim.base_url()), ..ConnectOptions::default() }
}

pub fn credentials(key: &str) -> Credentials {
    Credentials(json!({ "api_key": key, "region": "eu" }).to_string().into())
}

pub fn client(sim: &TeamtailorSim) -> TeamtailorClient {
    TeamtailorClient::new(TeamtailorConfig::from_credentials(&credentials(KEY), &options(sim)).unwrap()).unwrap()
}

pub async fn setup() -> Setup {
    let sim = TeamtailorSim::start().await.unwrap();
    sim.app().add_api_key(KEY);
    let job = sim.app().add_job("Rust Engineer", &["Phone screen", "Offer"]);
    let provider = connect(ProviderKind::Teamtailor, &credentials(KEY), &options(&sim)).unwrap().people().unwrap();
    Setup { sim, provider, job }
}
