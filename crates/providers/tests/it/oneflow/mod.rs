//! Oneflow client against `hiresync_sim::oneflow`.

mod auth;
mod contracts;
mod faults;
mod webhooks;

use hiresync_core::ProviderKind;
use hiresync_providers::oneflow::{OneflowClient, OneflowConfig};
use hiresync_providers::{Client, ConnectOptions, Credentials, connect};
use hiresync_sim::oneflow::{OneflowSim, SeededTemplate};
use serde_json::json;

pub const TOKEN: &str = "of-api-token";
pub const USER_EMAIL: &str = "rita@example.com";
pub const SECRET: &str = "of-sign-key";

pub struct Setup {
    pub sim: OneflowSim,
    pub provider: Client,
    pub client: OneflowClient,
    pub template: SeededTemplate,
}

pub fn options(sim: &OneflowSim) -> ConnectOptions {
    ConnectOptions { base_url: Some(sim.base_url()), ..ConnectOptions::default() }
}

pub fn credentials(token: &str, email: &str) -> Credentials {
    Credentials(
        json!({"api_token": token, "user_email": email, "webhook_secret": SECRET, "teamtailor_connection_id": "conn_tt"})
            .to_string()
            .into(),
    )
}

pub async fn setup() -> Setup {
    let sim = OneflowSim::start().await.unwrap();
    sim.app().add_token(TOKEN);
    sim.app().add_user("Rita Recruiter", USER_EMAIL);
    let workspace = sim.app().add_workspace("Recruiting");
    let template = sim.app().add_template(
        workspace,
        "Offer letter",
        &[("candidate_full_name", "Candidate name"), ("salary", "Salary"), ("start_date", "Start date")],
    );
    let provider = connect(ProviderKind::Oneflow, &credentials(TOKEN, USER_EMAIL), &options(&sim)).unwrap();
    let config = OneflowConfig::from_credentials(&credentials(TOKEN, USER_EMAIL), &options(&sim)).unwrap();
    let client = OneflowClient::new(config).unwrap();
    Setup { sim, provider, client, template }
}
