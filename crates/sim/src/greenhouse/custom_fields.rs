//! Candidate custom field definitions and their options (read-only here),
//! and the tenant's users, as Harvest v3 lists them.

use super::GhApp;
use super::listing::{Ids, eq, flag, list_handler};
use axum::Router;
use axum::routing::get;

/// The user and custom field routes.
pub fn routes() -> Router<GhApp> {
    Router::new()
        .route("/v3/users", get(users))
        .route("/v3/custom_fields", get(custom_fields))
        .route("/v3/custom_field_options", get(custom_field_options))
}

list_handler!(users, &["ids", "primary_email", "show_service_accounts"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let mut out = Vec::new();
    for u in s.users.values() {
        if ids.keep(Some(u.id)) && eq(q, "primary_email", &u.primary_email) {
            out.push((u.id, u.clone()));
        }
    }
    Ok(out)
});

list_handler!(custom_fields, &["ids", "field_type", "active"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let mut out = Vec::new();
    for f in s.custom_fields.values() {
        if ids.keep(Some(f.id)) && eq(q, "field_type", &f.field_type) && flag(q, "active", f.active)? {
            out.push((f.id, f.clone()));
        }
    }
    Ok(out)
});

list_handler!(custom_field_options, &["ids", "custom_field_ids", "active"], |s, q| {
    let ids = Ids::of(q, "ids")?;
    let custom_field_ids = Ids::of(q, "custom_field_ids")?;
    let mut out = Vec::new();
    for o in s.custom_field_options.values() {
        if ids.keep(Some(o.id)) && custom_field_ids.keep(Some(o.custom_field_id)) && flag(q, "active", o.active)? {
            out.push((o.id, o.clone()));
        }
    }
    Ok(out)
});
