//! Greenhouse client against `hiresync_sim::greenhouse`.

mod auth;
mod faults;
mod flow;
mod hostile;
mod paging;
mod v1;

use hiresync_core::ProviderKind;
use hiresync_providers::{ConnectOptions, Credentials, People, connect};
use hiresync_sim::greenhouse::{GreenhouseSim, SeededTarget};
use serde_json::json;
use std::sync::Arc;

pub struct Setup {
    pub sim: GreenhouseSim,
    pub provider: Arc<dyn People>,
    pub user: i64,
    pub job: SeededTarget,
    pub pool: SeededTarget,
}

pub fn options(sim: &GreenhouseSim) -> ConnectOptions {
    ConnectOptions {
        base_url: Some(sim.base_url()),
        auth_base_url: Some(sim.auth_base_url()),
        ..ConnectOptions::default()
    }
}

pub fn credentials(user: i64, secret: &str) -> Credentials {
    Credentials(json!({"client_id": "hiresync-test", "client_secret": secret, "user_id": user}).to_string().into())
}

pub async fn setup() -> Setup {
    let sim = GreenhouseSim::start().await.unwrap();
    sim.app().add_client("hiresync-test", "s3cret");
    let user = sim.app().add_user("Rita", "Recruiter", "rita@example.com");
    let job = sim.app().add_job("Rust Engineer", &["Application Review", "Phone Screen", "Offer"]);
    let pool = sim.app().add_prospect_pool("Talent Pool", &["New", "Contacted", "Replied"]);
    let provider =
        connect(ProviderKind::Greenhouse, &credentials(user, "s3cret"), &options(&sim)).unwrap().people().unwrap();
    Setup { sim, provider, user, job, pool }
}
