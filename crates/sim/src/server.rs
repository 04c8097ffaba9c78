//! Serves a simulator on a loopback port chosen by the OS, and stops it when
//! the handle is dropped: [`SimServer`] for any router, [`Running`] for a
//! provider's [`SimApp`] with the seeding and inspection every simulator offers.

use crate::conn::{ConnHandle, KillableListener};
use crate::{SimConfig, SimCore};
use axum::Router;
use std::net::SocketAddr;
use std::sync::MutexGuard;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A provider simulator's app: its data and routes around the shared harness. Cheap to clone.
pub trait SimApp: Clone + std::fmt::Debug + Send + Sync + 'static {
    /// The provider's data.
    type State: Clone;
    /// The provider's defaults: its published rate limits, error body and webhook signature.
    fn config() -> SimConfig;
    /// An empty tenant using `config`.
    fn new(config: SimConfig) -> Self;
    /// The full router: the provider's routes and the `/_sim/` control routes.
    fn router(&self) -> Router;
    /// Faults, log, rate limits, webhooks.
    fn core(&self) -> &SimCore;
    /// Locks the provider's data.
    fn lock(&self) -> MutexGuard<'_, Self::State>;
}

/// A running provider simulator; dropping it stops the server.
#[derive(Debug)]
pub struct Running<A> {
    app: A,
    server: SimServer,
}

impl<A: SimApp> Running<A> {
    /// Starts an empty tenant on a loopback port with the provider's defaults.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_with(A::config(), "127.0.0.1:0".parse().map_err(std::io::Error::other)?).await
    }

    /// Starts on `addr` with `config`.
    pub async fn start_with(config: SimConfig, addr: SocketAddr) -> std::io::Result<Self> {
        let app = A::new(config);
        let server = SimServer::bind(addr, app.router()).await?;
        Ok(Self { app, server })
    }

    /// The API root to connect to (`ConnectOptions::base_url`).
    pub fn base_url(&self) -> String {
        self.server.url()
    }

    /// Seeding helpers and the provider's own controls.
    pub fn app(&self) -> &A {
        &self.app
    }

    /// Faults, request log, rate limits, webhooks.
    pub fn core(&self) -> &SimCore {
        self.app.core()
    }

    /// A snapshot of the provider's data.
    pub fn state(&self) -> A::State {
        self.app.lock().clone()
    }

    /// Runs `f` on the provider's data (to seed or inspect in place).
    pub fn with_state<R>(&self, f: impl FnOnce(&mut A::State) -> R) -> R {
        f(&mut self.app.lock())
    }
}

/// A running simulator server; dropping it stops the server.
#[derive(Debug)]
pub struct SimServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl SimServer {
    /// Binds `127.0.0.1:0` and serves `router` in a background task.
    pub async fn start(router: Router) -> std::io::Result<Self> {
        Self::bind("127.0.0.1:0".parse().map_err(std::io::Error::other)?, router).await
    }

    /// Binds `addr` (the sandbox may ask for a fixed port) and serves `router`.
    pub async fn bind(addr: SocketAddr, router: Router) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let service = router.into_make_service_with_connect_info::<ConnHandle>();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(error) = axum::serve(KillableListener(listener), service).with_graceful_shutdown(shutdown).await
            {
                tracing::warn!(%error, "Simulator server stopped with an error.");
            }
        });
        Ok(Self { addr, stop: Some(stop), task })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // In-flight slow requests would otherwise keep the graceful shutdown waiting.
        self.task.abort();
    }
}
