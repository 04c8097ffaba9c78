//! `hiresync rekey`: reseals every live connection's credentials, and every webhook
//! endpoint's signing secret, under the current master key once it was rotated (the earlier key given in `HIRESYNC_MASTER_KEYS_OLD`). Each
//! connection is replaced only if it is still as read, so servers may keep running.

use crate::config::Config;
use anyhow::{Context, Result};
use hiresync_engine::Vault;
use hiresync_store::connections::{self, SealedCredentials};
use hiresync_store::webhooks_out;
use hiresync_store::{Store, StoreError};
use serde_json::{Value, json};

/// Connections read per batch.
const BATCH: i64 = 200;

/// Times one connection is read again after changing between its read and its replacement.
const TRIES: usize = 3;

/// What a rekey did.
#[derive(Debug, Default)]
pub struct Report {
    /// Connections now sealed under the current key by this run.
    pub resealed: u64,
    /// Connections that already were.
    pub already_current: u64,
    /// Connections left as they were, and why.
    pub failed: Vec<(String, String)>,
    /// Webhook endpoints whose secret this run resealed.
    pub endpoints_resealed: u64,
    /// Webhook endpoints left as they were, and why.
    pub endpoints_failed: Vec<(String, String)>,
}

impl Report {
    /// `{"resealed", "already_current", "failed": [{"connection_id", "error"}],
    /// "webhook_endpoints": {"resealed", "failed": [{"endpoint_id", "error"}]}}`.
    pub fn json(&self) -> Value {
        let failed: Vec<Value> =
            self.failed.iter().map(|(id, error)| json!({"connection_id": id, "error": error})).collect();
        let endpoints: Vec<Value> =
            self.endpoints_failed.iter().map(|(id, error)| json!({"endpoint_id": id, "error": error})).collect();
        json!({"resealed": self.resealed, "already_current": self.already_current, "failed": failed,
            "webhook_endpoints": {"resealed": self.endpoints_resealed, "failed": endpoints}})
    }
}

enum Outcome {
    Resealed,
    AlreadyCurrent,
    /// Deleted meanwhile: nothing left to reseal.
    Gone,
    Failed(String),
}

/// Reseals every live connection's credentials under the current key.
pub async fn rekey(config: &Config) -> Result<Report> {
    let vault = crate::run::load_vault(config)?;
    let store = Store::connect(&config.database_url, 2)
        .await
        .with_context(|| format!("opening {}", hiresync_store::redact_url(&config.database_url)))?;
    store.migrate().await.context("migrating the database")?;
    let mut report = Report::default();
    let mut after = String::new();
    loop {
        let batch = connections::sealed_after(&mut store.db().await?, &after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.id.as_str().to_owned();
        for sealed in batch {
            let id = sealed.id.as_str().to_owned();
            match reseal(&store, &vault, sealed).await.with_context(|| format!("resealing {id}"))? {
                Outcome::Resealed => report.resealed += 1,
                Outcome::AlreadyCurrent => report.already_current += 1,
                Outcome::Gone => {}
                Outcome::Failed(error) => report.failed.push((id, error)),
            }
        }
    }
    reseal_endpoints(&store, &vault, &mut report).await?;
    store.close().await;
    tracing::info!(
        resealed = report.resealed,
        already_current = report.already_current,
        failed = report.failed.len(),
        key_id = vault.key_id(),
        "Rekeyed."
    );
    Ok(report)
}

async fn reseal(store: &Store, vault: &Vault, mut sealed: SealedCredentials) -> Result<Outcome> {
    for _ in 0..TRIES {
        if sealed.key_id == vault.key_id() {
            return Ok(Outcome::AlreadyCurrent);
        }
        let secret = match vault.open(sealed.id.as_str(), &sealed.key_id, &sealed.sealed) {
            Ok(secret) => secret,
            Err(e) => return Ok(Outcome::Failed(e.to_string())),
        };
        let resealed = vault.seal(sealed.id.as_str(), &secret);
        let mut c = store.db().await?;
        if connections::replace_sealed(&mut c, &sealed, vault.key_id(), &resealed).await? {
            return Ok(Outcome::Resealed);
        }
        // Its access changed since the read (a server sealed new credentials): look again.
        sealed = match connections::find(&mut c, sealed.id.as_str()).await {
            Ok(conn) => SealedCredentials::from(&conn),
            Err(StoreError::NotFound) => return Ok(Outcome::Gone),
            Err(e) => return Err(e.into()),
        };
    }
    Ok(Outcome::Failed("its credentials kept changing while resealing; run `hiresync rekey` again".into()))
}

/// Reseals the webhook endpoints' signing secrets sealed under an earlier key. An endpoint
/// whose secret was rotated meanwhile is already sealed under the current key.
async fn reseal_endpoints(store: &Store, vault: &Vault, report: &mut Report) -> Result<()> {
    let mut c = store.db().await?;
    for (id, key_id, sealed) in webhooks_out::sealed_secrets(&mut c).await? {
        if key_id == vault.key_id() {
            continue;
        }
        let secret = match vault.open(&id, &key_id, &sealed) {
            Ok(secret) => secret,
            Err(e) => {
                report.endpoints_failed.push((id, e.to_string()));
                continue;
            }
        };
        let resealed = vault.seal(&id, &secret);
        if webhooks_out::replace_secret(&mut c, &id, &sealed, vault.key_id(), &resealed).await? {
            report.endpoints_resealed += 1;
        }
    }
    Ok(())
}
