//! Starting the long-running parts: the store, the vault, the worker and the
//! API, joined so the exit says which one stopped, with graceful shutdown on
//! SIGTERM / SIGINT.

use crate::config::Config;
use anyhow::{Context, Result, bail};
use hiresync_api::AppState;
use hiresync_engine::job::Backoff;
use hiresync_engine::{Clients, Executor, Vault, Worker, WorkerConfig};
use hiresync_store::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// The opened store and everything built on it.
pub struct Runtime {
    /// The database.
    pub store: Store,
    /// Provider clients over sealed credentials.
    pub clients: Clients,
    /// The worker.
    pub worker: Worker,
    /// Whether this process runs the worker (an API-only process leaves jobs to others).
    pub run_worker: bool,
}

/// Loads the master key first (a missing or exposed key stops the process before it
/// touches the database), then opens and migrates the database.
pub async fn open(config: &Config) -> Result<Runtime> {
    // Provider requests of this process follow the same address policy as connections' URLs.
    hiresync_providers::http::address::allow_private(config.allow_private_urls);
    let vault = load_vault(config)?;
    let store = Store::connect(&config.database_url, config.max_connections)
        .await
        .with_context(|| format!("opening {}", hiresync_store::redact_url(&config.database_url)))?;
    store.migrate().await.context("migrating the database")?;
    // On PostgreSQL every process spends each credential's one budget, kept in the database.
    let clients = Clients::new(Arc::new(vault))
        .with_budgets(hiresync_engine::budgets::shared(&store))
        .with_public_url(config.public_url()?);
    let worker = Worker::new(
        Executor::new(store.clone(), clients.clone()).with_webhooks(config.webhooks()?),
        WorkerConfig {
            concurrency: config.worker_concurrency,
            connection_slots: config.connection_slots,
            lease: Duration::from_secs(config.lease_secs.max(1)),
            poll: Duration::from_millis(config.poll_ms.max(10)),
            grace: Duration::from_secs(config.grace_secs),
            probe: Duration::from_secs(config.probe_secs.max(1)),
            backoff: Backoff {
                base: Duration::from_millis(config.retry_base_ms.max(1)),
                max: Duration::from_secs(config.retry_max_secs.max(1)),
            },
            retention: config.retention(),
            ..WorkerConfig::default()
        },
    );
    Ok(Runtime { store, clients, worker, run_worker: true })
}

/// The vault every command that seals or opens credentials uses: `HIRESYNC_MASTER_KEY`, or on
/// SQLite the key file beside the database, plus `HIRESYNC_MASTER_KEYS_OLD`.
pub fn load_vault(config: &Config) -> Result<Vault> {
    let vault = match &config.master_key {
        Some(key) => Vault::from_base64(key)?,
        // A key file made on one machine would seal credentials the others cannot open.
        None if config.is_postgres() => bail!(
            "HIRESYNC_MASTER_KEY is required with PostgreSQL: every process sharing the database must \
             seal and open credentials with the same key. Make one with `openssl rand -base64 32` and \
             give it to every hiresync process"
        ),
        None => Vault::from_file(&config.key_file())?,
    };
    let vault = match &config.master_keys_old {
        Some(old) => vault.with_old_keys(old)?,
        None => vault,
    };
    tracing::debug!(?vault, "Master keys loaded.");
    Ok(vault)
}

/// Cancelled on SIGTERM or SIGINT.
pub fn shutdown_token() -> CancellationToken {
    let token = CancellationToken::new();
    let t = token.clone();
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("Shutdown requested; finishing in-flight work.");
        t.cancel();
    });
    token
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

/// Runs the API (when `api`) and the worker until SIGTERM / SIGINT. A worker-only process
/// serves health and metrics when `metrics_listen` is set.
pub async fn serve(config: &Config, rt: Runtime, api: bool, allow_private_urls: bool) -> Result<()> {
    let listener = match (api, &config.metrics_listen) {
        (true, _) => Some(Listener::Api(bind(config).await?)),
        (false, Some(addr)) => {
            let tcp = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}"))?;
            tracing::info!(addr = %tcp.local_addr()?, "Health and metrics listening.");
            Some(Listener::Operations(tcp))
        }
        (false, None) => None,
    };
    run(rt, listener, allow_private_urls, shutdown_token()).await
}

/// What a process serves over HTTP besides running its worker.
pub enum Listener {
    /// The whole API.
    Api(tokio::net::TcpListener),
    /// Health and metrics only.
    Operations(tokio::net::TcpListener),
}

/// Binds the API's address and announces it.
pub async fn bind(config: &Config) -> Result<tokio::net::TcpListener> {
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let addr = listener.local_addr()?;
    // The first stdout line is the address: scripts and tests read it when listening on port 0.
    println!("hiresync listening on http://{addr}");
    tracing::info!(%addr, "API listening.");
    Ok(listener)
}

/// Runs the worker, and the API on `listener` when given, until `shutdown`.
pub async fn run(
    rt: Runtime,
    listener: Option<Listener>,
    allow_private_urls: bool,
    shutdown: CancellationToken,
) -> Result<()> {
    let worker = rt.worker.clone();
    let worker_task = {
        let token = shutdown.clone();
        let run_worker = rt.run_worker;
        tokio::spawn(async move {
            if run_worker {
                worker.serve(token).await;
            }
        })
    };
    let Some(listener) = listener else {
        worker_task.await.context("worker task")?;
        return Ok(());
    };
    let state = AppState {
        store: rt.store.clone(),
        intake: hiresync_engine::Intake::new(rt.store.clone()),
        clients: rt.clients.clone(),
        wake: rt.worker.waker(),
        metrics: Arc::default(),
        off_limits: Arc::default(),
        allow_private_urls,
        field_defs: Arc::default(),
    };
    let token = shutdown.clone();
    let (tcp, router) = match listener {
        Listener::Api(tcp) => (tcp, hiresync_api::app(state)),
        Listener::Operations(tcp) => (tcp, hiresync_api::operations_app(state)),
    };
    let api_result = hiresync_api::serve(tcp, router, async move { token.cancelled().await }).await;
    shutdown.cancel();
    worker_task.await.context("worker task")?;
    rt.store.close().await;
    api_result.context("API server stopped")
}
