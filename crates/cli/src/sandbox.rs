//! `hiresync sandbox`: the provider simulators with demo tenants, a demo
//! workspace whose recruiters are connected to them through the public API,
//! and `serve`; then a scripted recruiter morning plays so a newcomer watches
//! people appear in the simulated ATSs. Everything goes through the same HTTP
//! API the outreach app uses, so the sandbox shows the real paths.

use crate::config::Config;
use crate::{morning, run};
use anyhow::{Context, Result, bail};
use hiresync_sim::{Demo, DemoOptions};
use serde_json::{Value, json};

/// What `hiresync sandbox` was asked to do.
#[derive(Clone, Copy, Debug)]
pub struct SandboxOptions {
    /// Use the configured database instead of a temporary one.
    pub keep_db: bool,
    /// Play the scripted morning after setting up.
    pub script: bool,
    /// How the simulators run.
    pub sim: DemoOptions,
}

/// The sandbox API as one user sees it.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    /// A user's view of the API at `base`.
    pub fn new(base: &str, token: &str) -> Self {
        Self { http: reqwest::Client::new(), base: base.to_owned(), token: token.to_owned() }
    }

    /// The API's root URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The user's token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Sends a request and returns the JSON answer; a non-2xx answer is an error carrying the problem.
    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Result<Value> {
        let body = body.map(serde_json::to_vec).transpose()?;
        self.send_json(method, path, body).await
    }

    /// [`Api::send`] with a body already serialized as JSON.
    pub async fn send_json(&self, method: reqwest::Method, path: &str, body: Option<Vec<u8>>) -> Result<Value> {
        let mut req = self.http.request(method.clone(), format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.header(reqwest::header::CONTENT_TYPE, "application/json").body(b);
        }
        let resp = req.send().await.with_context(|| format!("{method} {path}"))?;
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        if !status.is_success() {
            bail!("{method} {path} answered {status}: {text}");
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

/// Starts the simulators and the demo workspace, serves, plays the morning, and runs until shutdown.
pub async fn sandbox(mut config: Config, options: SandboxOptions) -> Result<()> {
    // The sandbox talks to simulators on loopback over http.
    config.allow_private_urls = true;
    let _dir = if options.keep_db {
        None
    } else {
        let dir = tempfile::tempdir().context("making a temporary directory for the sandbox database")?;
        config.database_url = format!("sqlite://{}", dir.path().join("sandbox.db").display());
        Some(dir)
    };
    let demo = Demo::start(options.sim).await.context("starting the simulators")?;
    let created = crate::admin::create_workspace(&config, "Sandbox", "robin@demo.example").await?;
    let rt = run::open(&config).await?;
    // Bound without `serve`'s address line: the sandbox's first line is the console's link.
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let base = format!("http://{}", listener.local_addr()?);
    // The console is where a newcomer starts, watching the morning play in it: its link comes
    // first, before the server's own lines.
    let link = crate::admin::console_link(&config, "robin@demo.example", created["workspace_id"].as_str(), &base)
        .await
        .context("making the console's sign-in link")?;
    println!("Console: open {link} to sign in as Robin (the link works once, within 15 minutes).");
    let shutdown = run::shutdown_token();
    let server = tokio::spawn(run::run(rt, Some(run::Listener::Api(listener)), true, shutdown.clone()));

    let owner = Api::new(&base, created["token"].as_str().unwrap_or_default());
    let played = async {
        let team = morning::set_up(&owner, created["user_id"].as_str().unwrap_or_default(), &demo).await?;
        if options.script {
            morning::play(&team, &demo).await?;
        }
        anyhow::Ok(team)
    }
    .await;
    let team = match played {
        Ok(team) => team,
        Err(e) => {
            shutdown.cancel();
            let _ = server.await;
            return Err(e.context("setting up the sandbox"));
        }
    };
    let summary = json!({
        "url": base,
        "console_link": link,
        "workspace_id": created["workspace_id"],
        "token": owner.token(),
        "users": team.users(),
        "connections": team.connections(),
        "simulators": demo.describe(),
    });
    // One machine-readable line, then what a person reads.
    println!("hiresync sandbox: {summary}");
    println!();
    println!("The sandbox is ready at {base}. Robin's token: {}", owner.token());
    println!("Try:");
    let auth = format!("-H 'Authorization: Bearer {}'", owner.token());
    println!("  curl {auth} {base}/v1/connections");
    println!("  curl {auth} {base}/v1/contacts/margaret-hamilton/sync");
    println!("  curl {auth} '{base}/v1/jobs?state=dead'");
    if let Some(gh) = demo.tenant("greenhouse") {
        println!("  curl {}/state    # the simulated Greenhouse, people included", gh.control_url);
    }
    println!("Ctrl-C stops the sandbox; its database is deleted unless --keep-db was given.");
    server.await.context("sandbox server task")?
}
