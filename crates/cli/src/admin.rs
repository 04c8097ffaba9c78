//! Admin commands that work on the database directly: `migrate` and `workspace create`.

use crate::config::Config;
use anyhow::{Context, Result};
use hiresync_core::Role;
use hiresync_core::validation::{is_email, normalise_email};
use hiresync_store::{Store, workspaces};
use serde_json::json;

/// Applies pending migrations.
pub async fn migrate(config: &Config) -> Result<()> {
    let store = Store::connect(&config.database_url, 2).await?;
    store.migrate().await.context("migrating the database")?;
    println!("{}", json!({"migrated": hiresync_store::redact_url(&config.database_url)}));
    Ok(())
}

/// Creates a workspace and its owner; prints `{workspace_id, user_id, token}`.
pub async fn create_workspace(config: &Config, name: &str, owner_email: &str) -> Result<serde_json::Value> {
    let email = normalise_email(owner_email);
    anyhow::ensure!(is_email(&email), "--owner-email: `{owner_email}` is not an email address");
    anyhow::ensure!(!name.trim().is_empty(), "--name must not be empty");
    let store = Store::connect(&config.database_url, 2).await?;
    store.migrate().await.context("migrating the database")?;
    let token = hiresync_api::extract::new_token();
    let mut tx = store.begin().await?;
    let ws = workspaces::create_workspace(&mut tx, name.trim()).await?;
    let user =
        workspaces::create_user(&mut tx, &ws, &email, Role::Owner, &[], &hiresync_api::extract::token_hash(&token))
            .await?;
    tx.commit().await.context("saving the workspace")?;
    store.close().await;
    Ok(json!({"workspace_id": ws.as_str(), "user_id": user.id.as_str(), "token": token}))
}
