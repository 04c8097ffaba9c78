//! Admin commands that work on the database directly: `migrate`, `workspace create` and
//! `console-link`.

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

/// Makes a one-time console sign-in link for the user with this id or email (in `workspace`
/// when the email is used in several); returns the URL under `base`.
pub async fn console_link(config: &Config, user: &str, workspace: Option<&str>, base: &str) -> Result<String> {
    let store = Store::connect(&config.database_url, 2).await?;
    store.migrate().await.context("migrating the database")?;
    let mut db = store.db().await?;
    let holders = hiresync_store::console::holders_named(&mut db, user.trim()).await?;
    let holders: Vec<_> = holders.into_iter().filter(|(ws, _)| workspace.is_none_or(|w| w == ws)).collect();
    let (ws, id) = match holders.as_slice() {
        [one] => one.clone(),
        [] => anyhow::bail!("--user: no user `{user}`{}", workspace.map(|w| format!(" in {w}")).unwrap_or_default()),
        _ => anyhow::bail!("--user: `{user}` is a user of several workspaces; name one with --workspace"),
    };
    let found = workspaces::find_user(&mut db, &hiresync_core::WorkspaceId::from_stored(ws), &id).await?;
    drop(db);
    let token = hiresync_api::ui::session::new_link(&store, &found).await?;
    store.close().await;
    Ok(format!("{}/console/link/{token}", base.trim_end_matches('/')))
}

/// The URL a browser on this machine reaches a server listening on `listen` at.
pub fn local_url(listen: &str) -> String {
    let reachable = listen.replacen("0.0.0.0:", "127.0.0.1:", 1).replacen("[::]:", "[::1]:", 1);
    format!("http://{reachable}")
}
