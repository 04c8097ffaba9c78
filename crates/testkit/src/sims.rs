//! The provider simulators as tests start them: on port 0, with their own
//! rate limits off (hiresync's client still keeps each provider's), each
//! accepting one known credential, and the connection bodies that use it.

use anyhow::Result;
use hiresync_sim::clockwork::ClockworkSim;
use hiresync_sim::greenhouse::GreenhouseSim;
use hiresync_sim::oneflow::OneflowSim;
use hiresync_sim::teamtailor::TeamtailorSim;
use hiresync_sim::{Running, SimApp};
use serde_json::{Value, json};

/// A connection rate limit no test reaches.
pub fn unthrottled() -> Value {
    json!({"requests": 100_000, "per_seconds": 1})
}

async fn unlimited<A: SimApp>() -> Result<Running<A>> {
    let mut config = A::config();
    config.rate_limits.enabled = false;
    Ok(Running::start_with(config, "127.0.0.1:0".parse()?).await?)
}

/// A Greenhouse tenant accepting the OAuth client `client-1` / `secret-1`.
pub async fn greenhouse() -> Result<GreenhouseSim> {
    let sim: GreenhouseSim = unlimited().await?;
    sim.app().add_client("client-1", "secret-1");
    Ok(sim)
}

/// Connects [`greenhouse`]'s client acting as Greenhouse user `user`.
pub fn greenhouse_connection(sim: &GreenhouseSim, user: i64) -> Value {
    json!({"provider": "greenhouse", "base_url": sim.base_url(), "auth_base_url": sim.auth_base_url(),
        "credentials": {"client_id": "client-1", "client_secret": "secret-1", "user_id": user}})
}

/// A Clockwork firm accepting the key `cw-key` / `cw-secret` with the firm key `firm-key`.
pub async fn clockwork() -> Result<ClockworkSim> {
    let sim: ClockworkSim = unlimited().await?;
    sim.app().add_credentials("cw-key", "cw-secret", "firm-key");
    Ok(sim)
}

/// Clockwork credentials for the firm with this key and secret.
pub fn clockwork_credentials(sim: &ClockworkSim, key: &str, secret: &str) -> Value {
    json!({"firm_domain": format!("{}.clockworkrecruiting.com", sim.firm()), "api_key": key, "api_secret": secret,
        "firm_service_key": "firm-key"})
}

/// Connects the Clockwork firm with this key and secret, unthrottled.
pub fn clockwork_connection(sim: &ClockworkSim, key: &str, secret: &str) -> Value {
    json!({"provider": "clockwork", "base_url": sim.base_url(), "credentials": clockwork_credentials(sim, key, secret),
        "rate_limit": unthrottled()})
}

/// A Teamtailor company accepting the API key `tt-key`.
pub async fn teamtailor() -> Result<TeamtailorSim> {
    let sim: TeamtailorSim = unlimited().await?;
    sim.app().add_api_key("tt-key");
    Ok(sim)
}

/// Connects the Teamtailor company with this API key, unthrottled.
pub fn teamtailor_connection(sim: &TeamtailorSim, key: &str) -> Value {
    json!({"provider": "teamtailor", "base_url": sim.base_url(), "credentials": {"api_key": key, "region": "eu"},
        "rate_limit": unthrottled()})
}

/// A Oneflow account accepting the API token `of-token`.
pub async fn oneflow() -> Result<OneflowSim> {
    let sim: OneflowSim = unlimited().await?;
    sim.app().add_token("of-token");
    Ok(sim)
}
