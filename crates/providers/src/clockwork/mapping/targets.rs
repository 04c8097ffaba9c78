//! Targets: which projects can take people, and the firm's statuses in order
//! with the one new candidates get.

use super::person::same;
use crate::clockwork::wire::{Project, Status};

/// Project statuses that are not targets (SPEC S4 keeps active, Pitch and On Hold); values `[U]`.
const CLOSED_MARKERS: &[&str] =
    &["closed", "cancel", "terminat", "no contract", "lost", "complete", "filled", "archiv"];

/// Clockwork's default status for new candidates (`[S]` support article 561).
pub const DEFAULT_STATUS: &str = "Research";

/// Whether a project can be a target: active, Pitch, On Hold, or any status not reading as closed.
pub fn is_target(project: &Project) -> bool {
    let status = project.status.as_deref().unwrap_or_default().to_ascii_lowercase();
    !CLOSED_MARKERS.iter().any(|m| status.contains(m))
}

/// Statuses in the firm's order, and the one new candidates get (Research, else the first).
pub fn ordered_statuses(mut statuses: Vec<Status>) -> (Vec<Status>, Option<String>) {
    statuses.retain(|s| !s.id.is_empty());
    statuses.sort_by_key(|s| s.sort_order.unwrap_or(i64::MAX));
    let default = statuses
        .iter()
        .find(|s| s.name.as_deref().is_some_and(|n| same(n, DEFAULT_STATUS)))
        .or(statuses.first())
        .map(|s| s.id.clone());
    (statuses, default)
}
