//! Serves a simulator router on a loopback port chosen by the OS, and stops
//! it when the handle is dropped.

use crate::conn::{ConnHandle, KillableListener};
use axum::Router;
use std::net::SocketAddr;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

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
