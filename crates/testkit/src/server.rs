//! The real `hiresync` binary as a child process on `127.0.0.1:0`; the
//! [`Harness`](crate::Harness) decides how it is started.

use anyhow::{Context, Result, bail};
use serde_json::Value;
use std::path::{Path, PathBuf};
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
    pub log: PathBuf,
}

/// Environment every spawned process gets, plus the database.
fn command(bin: &Path, db_url: &str, env: &[(&str, &str)]) -> Result<(Command, PathBuf)> {
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
    /// Starts `hiresync serve FLAGS` on port 0 and waits until it listens.
    pub(crate) async fn serve_with(bin: &Path, db_url: &str, env: &[(&str, &str)], flags: &[&str]) -> Result<Self> {
        let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
        args.extend_from_slice(flags);
        let (mut server, url) = Self::spawn_until(bin, db_url, env, &args, "hiresync listening on ", 60).await?;
        server.url = Some(url);
        Ok(server)
    }

    /// Starts `hiresync ARGS` and waits up to `limit_secs` for a stdout line starting with `prefix`;
    /// returns the process and the rest of that line.
    pub async fn spawn_until(
        bin: impl AsRef<Path>,
        db_url: &str,
        env: &[(&str, &str)],
        args: &[&str],
        prefix: &str,
        limit_secs: u64,
    ) -> Result<(Self, String)> {
        let (mut cmd, log) = command(bin.as_ref(), db_url, env)?;
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
    pub(crate) async fn worker(bin: &Path, db_url: &str, env: &[(&str, &str)]) -> Result<Self> {
        let (mut cmd, log) = command(bin, db_url, env)?;
        cmd.arg("worker");
        let child = cmd.spawn().context("spawning hiresync worker")?;
        Ok(Self { url: None, child, log })
    }

    /// The process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
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

    /// Kills the process and removes its log: for runs whose logs nobody reads (the bench).
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        let _ = std::fs::remove_file(&self.log);
    }
}

/// Runs `hiresync workspace create` and returns its JSON.
pub async fn create_workspace(bin: impl AsRef<Path>, db_url: &str, name: &str, email: &str) -> Result<Value> {
    let (mut cmd, log) = command(bin.as_ref(), db_url, &[])?;
    let out = cmd.args(["workspace", "create", "--name", name, "--owner-email", email]).output().await?;
    let written = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    if !out.status.success() {
        bail!("workspace create failed; log: {written}");
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}
