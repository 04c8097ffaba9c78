//! The real `hiresync` binary as a child process on `127.0.0.1:0`, and a
//! client that drives it over HTTP the way the outreach app does.

use anyhow::{Context, Result, bail};
use reqwest::StatusCode;
use serde_json::Value;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The master key every test process shares, so a restarted process opens the same credentials.
pub const TEST_MASTER_KEY: &str = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

/// A running `hiresync` process.
pub struct TestServer {
    /// `http://127.0.0.1:PORT` when it serves the API.
    pub url: Option<String>,
    child: Child,
    /// Where its logs go.
    pub log: std::path::PathBuf,
}

/// Environment every spawned process gets, plus the database.
fn command(bin: &str, db_url: &str, env: &[(&str, &str)]) -> Result<(Command, std::path::PathBuf)> {
    let log = std::env::temp_dir().join(format!("hiresync-test-{}.log", rand::random::<u64>()));
    let file = std::fs::File::create(&log)?;
    let mut cmd = Command::new(bin);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HIRESYNC_DATABASE_URL", db_url)
        .env("HIRESYNC_MASTER_KEY", TEST_MASTER_KEY)
        .env("HIRESYNC_ALLOW_PRIVATE_URLS", "1")
        .env("HIRESYNC_LOG", "info,sqlx=warn,hiresync_engine=warn")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(file))
        .kill_on_drop(true);
    Ok((cmd, log))
}

impl TestServer {
    /// Starts `hiresync serve` on port 0 and waits until it listens.
    pub async fn serve(bin: &str, db_url: &str, env: &[(&str, &str)]) -> Result<Self> {
        let args = ["serve", "--listen", "127.0.0.1:0"];
        let (mut server, url) = Self::spawn_until(bin, db_url, env, &args, "hiresync listening on ", 60).await?;
        server.url = Some(url);
        Ok(server)
    }

    /// Starts `hiresync ARGS` and waits up to `limit_secs` for a stdout line starting with `prefix`;
    /// returns the process and the rest of that line.
    pub async fn spawn_until(
        bin: &str,
        db_url: &str,
        env: &[(&str, &str)],
        args: &[&str],
        prefix: &str,
        limit_secs: u64,
    ) -> Result<(Self, String)> {
        let (mut cmd, log) = command(bin, db_url, env)?;
        cmd.args(args);
        let mut child = cmd.spawn().with_context(|| format!("spawning hiresync {}", args.join(" ")))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let rest = tokio::time::timeout(Duration::from_secs(limit_secs), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(rest) = line.strip_prefix(prefix) {
                    return Ok(rest.trim().to_owned());
                }
            }
            bail!("hiresync exited before printing `{prefix}`; log: {}", log.display())
        })
        .await
        .with_context(|| {
            format!("hiresync did not print `{prefix}` within {limit_secs} s; log: {}", log.display())
        })??;
        // Keep draining stdout so a chatty process never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok((Self { url: None, child, log }, rest))
    }

    /// Starts `hiresync worker`.
    pub async fn worker(bin: &str, db_url: &str, env: &[(&str, &str)]) -> Result<Self> {
        let (mut cmd, log) = command(bin, db_url, env)?;
        cmd.arg("worker");
        let child = cmd.spawn().context("spawning hiresync worker")?;
        Ok(Self { url: None, child, log })
    }

    /// SIGKILL: no chance to finish or release anything.
    pub async fn kill(&mut self) -> Result<()> {
        self.child.kill().await?;
        Ok(())
    }

    /// SIGTERM, then waits for a graceful exit; returns whether it exited successfully.
    pub async fn terminate(&mut self) -> Result<bool> {
        let pid = self.child.id().context("already exited")?;
        let status = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status()?;
        anyhow::ensure!(status.success(), "kill -TERM failed");
        let exit = tokio::time::timeout(Duration::from_secs(60), self.child.wait()).await??;
        Ok(exit.success())
    }
}

/// Runs `hiresync workspace create` and returns its JSON.
pub async fn create_workspace(bin: &str, db_url: &str, name: &str, email: &str) -> Result<Value> {
    let (mut cmd, log) = command(bin, db_url, &[])?;
    let out = cmd.args(["workspace", "create", "--name", name, "--owner-email", email]).output().await?;
    if !out.status.success() {
        bail!("workspace create failed; log: {}", std::fs::read_to_string(log).unwrap_or_default());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// One user's view of a running server.
#[derive(Clone)]
pub struct TestApp {
    /// The server's root URL.
    pub url: String,
    /// The user's bearer token.
    pub token: String,
    client: reqwest::Client,
}

impl TestApp {
    /// A client for `url` holding `token`.
    pub fn new(url: &str, token: &str) -> Self {
        Self { url: url.to_owned(), token: token.to_owned(), client: reqwest::Client::new() }
    }

    /// Sends a request with the token; returns the status and the JSON body (null when empty).
    pub async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Result<(StatusCode, Value)> {
        self.raw(method, path, body.map(Value::to_string), Some(&self.token)).await
    }

    /// Sends a raw body with an optional token.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
        token: Option<&str>,
    ) -> Result<(StatusCode, Value)> {
        let mut req = self.client.request(method.parse()?, format!("{}{path}", self.url));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b);
        }
        let resp = req.send().await.with_context(|| format!("{method} {path}"))?;
        let status = resp.status();
        let text = resp.text().await?;
        let json =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Ok((status, json))
    }

    /// Sends and insists on `expected`, returning the body.
    pub async fn expect(&self, method: &str, path: &str, body: Option<&Value>, expected: u16) -> Result<Value> {
        let (status, json) = self.send(method, path, body).await?;
        anyhow::ensure!(status.as_u16() == expected, "{method} {path}: expected {expected}, got {status}: {json}");
        Ok(json)
    }
}
