//! A target's stage given by name (SPEC S4, A5): resolved to the provider's
//! id when the target is saved (a connection's `default_target`, a sequence's
//! `target`), so a typo is a 422 listing the stages there are instead of a job
//! dying later. A stage given as an id is kept as it is, without asking the
//! provider.

use crate::error::{ApiError, ApiResult};
use crate::rest::connections::open;
use crate::state::AppState;
use hiresync_core::{Target, TargetId};
use hiresync_store::connections::Connection;
use serde_json::Value;

/// Whether `stage` reads as a provider id rather than a name: Greenhouse and Teamtailor ids are
/// integers, Clockwork's UUIDs.
fn looks_like_id(stage: &str) -> bool {
    let s = stage.trim();
    let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let uuid = s.len() == 36 && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') && s.matches('-').count() == 4;
    digits || uuid
}

/// `target` with a stage given by name replaced by that stage's id in the target's own job,
/// pool or project; `field` (`default_target`, `target`) names it in a 422.
pub async fn resolved(state: &AppState, conn: &Connection, target: Target, field: &str) -> ApiResult<Target> {
    let (container_key, stage_key, stage) = match &target {
        Target::Job { stage_id: Some(s), .. } => ("job_id", "stage_id", s.to_string()),
        Target::ProspectPool { prospect_pool_stage_id: Some(s), .. } => {
            ("prospect_pool_id", "prospect_pool_stage_id", s.to_string())
        }
        Target::Project { status_id: Some(s), .. } => ("project_id", "status_id", s.to_string()),
        _ => return Ok(target),
    };
    if looks_like_id(&stage) {
        return Ok(target);
    }
    let Some(client) = open(state, conn)? else { return Ok(target) };
    let name = conn.provider.display_name();
    let options = client.list_targets().await.map_err(|e| {
        ApiError::Upstream(format!("could not list {name} targets to find stage `{stage}`: {}", e.message))
    })?;
    let container = target.id(container_key).unwrap_or_default();
    let Some(option) = options.iter().find(|o| o.target.id(container_key).as_deref() == Some(container.as_str()))
    else {
        let kind = container_key.trim_end_matches("_id").replace('_', " ");
        return Err(ApiError::field(format!("{field}.{container_key}"), format!("no {name} {kind} `{container}`")));
    };
    let whose = format!("{} `{}`", option.kind.replace('_', " "), option.name);
    let id = hiresync_providers::stages::stage_id(&stage, &option.stages, &whose)
        .map_err(|why| ApiError::field(format!("{field}.{stage_key}"), why))?;
    let id = match id.parse::<i64>() {
        Ok(n) => TargetId::from(n),
        Err(_) => TargetId::Text(id),
    };
    let mut map = target.to_map();
    map.insert(stage_key.into(), id.to_json());
    Ok(Target::parse(conn.provider, &Value::Object(map), field)?)
}

#[cfg(test)]
mod tests {
    use super::looks_like_id;

    #[test]
    fn ids_and_names_are_told_apart() {
        assert!(looks_like_id("4012"));
        assert!(looks_like_id("0000002a-1f3c-4abc-8def-0123456789ab"));
        assert!(!looks_like_id("Phone screen"));
        assert!(!looks_like_id("Research"));
    }
}
