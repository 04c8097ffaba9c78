//! The one way a test (or the bench) starts hiresync: a workspace made as
//! `hiresync workspace create` makes it, then `hiresync serve` on port 0, and
//! more `serve` or `worker` processes with the same settings when a test
//! restarts or adds them.

use crate::app::TestApp;
use crate::db::TestDb;
use crate::server::{TestServer, create_workspace};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// How to start hiresync on one test database: the binary, the database as the processes reach
/// it, their extra environment and `serve` flags.
#[derive(Clone, Debug)]
pub struct Harness {
    bin: PathBuf,
    db_url: String,
    server_db_url: String,
    env: Vec<(String, String)>,
    serve_args: Vec<String>,
}

/// A workspace and `hiresync serve` on it, seen by the workspace's owner.
pub struct Started {
    /// The serving process.
    pub server: TestServer,
    /// The owner's client.
    pub app: TestApp,
    /// The workspace's id.
    pub workspace_id: String,
}

impl Harness {
    /// Starts `bin` (the `hiresync` binary) on `db`.
    pub fn new(bin: impl AsRef<Path>, db: &TestDb) -> Self {
        Self {
            bin: bin.as_ref().to_owned(),
            db_url: db.url.clone(),
            server_db_url: db.url.clone(),
            env: Vec::new(),
            serve_args: Vec::new(),
        }
    }

    /// Adds environment variables every process gets (a later value of a name wins).
    #[must_use]
    pub fn env(mut self, env: &[(&str, &str)]) -> Self {
        self.env.extend(env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        self
    }

    /// Adds flags to `hiresync serve` (`--no-worker`, say).
    #[must_use]
    pub fn serve_args(mut self, args: &[&str]) -> Self {
        self.serve_args.extend(args.iter().map(|a| (*a).to_owned()));
        self
    }

    /// Has the processes reach the database through `url` (a proxy that can cut it, say).
    #[must_use]
    pub fn via(mut self, url: &str) -> Self {
        url.clone_into(&mut self.server_db_url);
        self
    }

    /// The `hiresync` binary.
    pub fn bin(&self) -> &Path {
        &self.bin
    }

    /// Creates the workspace and starts `hiresync serve`.
    pub async fn start(&self) -> Result<Started> {
        let ws = create_workspace(&self.bin, &self.db_url, "Acme", "owner@acme.io").await?;
        let server = self.serve().await?;
        let url = server.url.clone().context("hiresync serve gave no URL")?;
        let token = ws["token"].as_str().context("workspace create gave no token")?;
        let workspace_id = ws["workspace_id"].as_str().context("workspace create gave no id")?.to_owned();
        Ok(Started { app: TestApp::new(&url, token), server, workspace_id })
    }

    /// Starts another `hiresync serve` with these settings.
    pub async fn serve(&self) -> Result<TestServer> {
        let args: Vec<&str> = self.serve_args.iter().map(String::as_str).collect();
        TestServer::serve_with(&self.bin, &self.server_db_url, &self.env_pairs(), &args).await
    }

    /// Starts `hiresync worker` with these settings.
    pub async fn worker(&self) -> Result<TestServer> {
        TestServer::worker(&self.bin, &self.server_db_url, &self.env_pairs()).await
    }

    fn env_pairs(&self) -> Vec<(&str, &str)> {
        self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }
}
