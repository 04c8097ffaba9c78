//! The web console in a real headless Chromium, driven over WebDriver (chromedriver started
//! here on a free port): signing in, connecting the Greenhouse simulator, saving a setting,
//! finding a contact's log, retrying a dead job, watching a resync's bar fill, and a member
//! not seeing another user's private connection. Each test saves a screenshot of the page it
//! checks under `$CARGO_TARGET_TMPDIR/console/`.
//!
//! Without chromedriver a test is skipped with the reason printed, unless `CI` is set: then it
//! fails, as CI installs Chromium and its driver first.

use crate::support::*;
use fantoccini::{Client, ClientBuilder, Locator};
use hiresync_sim::{Fault, ScriptedFault};
use hiresync_testkit::{Polled, TEST_MASTER_KEY, TestDb, databases, eventually, sims, wait_idle};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

/// A headless Chromium session and the chromedriver serving it.
struct Browser {
    client: Client,
    base: String,
    _driver: tokio::process::Child,
}

fn chromedriver() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("chromedriver"));
    std::env::var_os("HIRESYNC_CHROMEDRIVER").map(PathBuf::from).into_iter().chain(on_path).find(|p| p.is_file())
}

impl Browser {
    /// A browser pointed at `base`, or none (printing why) where this machine has no chromedriver.
    async fn open(base: &str) -> Option<Self> {
        let Some(driver) = chromedriver() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "chromedriver is missing: CI must install chromium and chromium-driver (see .ci/run)"
            );
            eprintln!("skipped: no chromedriver on PATH (apt-get install chromium chromium-driver)");
            return None;
        };
        // fantoccini's TLS stack and reqwest's each enable a rustls provider: name one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        // The port the driver gets: one the system handed out and this process let go of.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = tokio::process::Command::new(driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        // Chromium refuses its sandbox as root; a fixed desktop window keeps screenshots alike.
        let mut args = vec!["--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"];
        args.push("--no-sandbox");
        let mut options = json!({"args": args});
        if Path::new("/usr/bin/chromium").is_file() {
            options["binary"] = json!("/usr/bin/chromium");
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let client = eventually("chromedriver answered", WAIT, || {
            let caps = caps.clone();
            let url = url.clone();
            async move {
                let mut builder = ClientBuilder::rustls().map_err(anyhow::Error::from)?;
                Ok(match builder.capabilities(caps).connect(&url).await {
                    Ok(client) => Polled::Ready(client),
                    Err(e) => Polled::Waiting(e.to_string()),
                })
            }
        })
        .await
        .unwrap();
        Some(Self { client, base: base.trim_end_matches('/').to_owned(), _driver: child })
    }

    async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client.wait().at_most(WAIT).for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Signs in with an API token through the sign-in form.
    async fn sign_in(&self, token: &str) {
        self.goto("/console/sign-in").await;
        self.fill("#token", token).await;
        self.find("form button[type=submit]").await.click().await.unwrap();
        self.find("h1").await;
        assert_eq!(self.client.current_url().await.unwrap().path(), "/", "signed in, on the overview");
    }

    /// Waits until the page's text holds `text`, reloading it with `reload`.
    async fn until_text(&self, what: &str, text: &str, reload: bool) -> String {
        eventually(what, WAIT, || async {
            if reload {
                self.client.refresh().await?;
            }
            // A page still being replaced by the next one reads as stale: look again.
            Ok(match self.find("body").await.text().await {
                Ok(body) if body.contains(text) => Polled::Ready(body),
                Ok(body) => Polled::Waiting(body),
                Err(e) => Polled::Waiting(e.to_string()),
            })
        })
        .await
        .unwrap()
    }

    /// Whether the page fits a window `width` pixels wide without scrolling sideways.
    async fn fits(&self, width: u32) -> bool {
        self.client.set_window_size(width, 900).await.unwrap();
        let wide = self.client.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
        let inner = self.client.execute("return window.innerWidth", vec![]).await.unwrap();
        wide.as_i64().unwrap() <= inner.as_i64().unwrap()
    }

    /// Saves a screenshot of the page as `<name>.png` under the tests' output directory.
    async fn shot(&self, name: &str) -> PathBuf {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("console");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        let png = self.client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::write(&path, png).unwrap();
        path
    }

    async fn close(self) {
        self.client.close().await.unwrap();
    }
}

/// The server's URL as the owner's client reaches it.
fn url_of(server: &hiresync_testkit::TestServer) -> String {
    server.url.clone().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_with_a_one_time_link_opens_the_overview() {
    for db in databases().await.unwrap() {
        let started = harness(&db).start().await.unwrap();
        let base = url_of(&started.server);
        let Some(browser) = Browser::open(&base).await else { return };
        let link = console_link(&db, &base).await;
        assert!(link.starts_with(&format!("{base}/console/link/")), "{link}");
        browser.client.goto(&link).await.unwrap();
        browser.find("#use-link").await.click().await.unwrap();
        browser.until_text("the overview", "owner@acme.io", false).await;
        assert_eq!(browser.find("h1").await.text().await.unwrap(), "Overview");
        browser.shot(&format!("sign-in-{}", db.backend)).await;

        // The link worked once: a second use is refused.
        browser.find(".who button").await.click().await.unwrap();
        browser.client.goto(&link).await.unwrap();
        browser.find("#use-link").await.click().await.unwrap();
        browser.until_text("the link refused", "used already", false).await;
        browser.close().await;
    }
}

/// `hiresync console-link` for the workspace owner.
async fn console_link(db: &TestDb, base: &str) -> String {
    let out = tokio::process::Command::new(BIN)
        .args(["console-link", "--user", "owner@acme.io", "--url", base])
        .env("HIRESYNC_DATABASE_URL", &db.url)
        .env("HIRESYNC_MASTER_KEY", TEST_MASTER_KEY)
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connecting_the_greenhouse_simulator_checks_the_credentials_live() {
    for db in databases().await.unwrap() {
        let started = harness(&db).start().await.unwrap();
        let sim = sims::greenhouse().await.unwrap();
        let user = sim.app().add_user("Robin", "Recruiter", "robin@acme.io");
        let Some(browser) = Browser::open(&url_of(&started.server)).await else { return };
        browser.sign_in(&started.app.token).await;
        browser.goto("/console/connections").await;
        browser.find("#provider").await.select_by_value("greenhouse").await.unwrap();
        browser.find("#connect-form details summary").await.click().await.unwrap();
        browser.fill("#base_url", &sim.base_url()).await;
        browser.fill("#auth_base_url", &sim.auth_base_url()).await;
        browser.fill("#greenhouse-client_id", "client-1").await;
        browser.fill("#greenhouse-user_id", &user.to_string()).await;

        // A wrong secret is refused by the provider, and said so.
        browser.fill("#greenhouse-client_secret", "wrong").await;
        browser.find("#connect-form button[type=submit]").await.click().await.unwrap();
        let refused = browser.find("p.error").await.text().await.unwrap();
        assert!(refused.contains("credentials"), "{}: {refused}", db.backend);

        browser.find("#provider").await.select_by_value("greenhouse").await.unwrap();
        browser.find("#connect-form details summary").await.click().await.unwrap();
        browser.fill("#base_url", &sim.base_url()).await;
        browser.fill("#auth_base_url", &sim.auth_base_url()).await;
        browser.fill("#greenhouse-client_id", "client-1").await;
        browser.fill("#greenhouse-user_id", &user.to_string()).await;
        browser.fill("#greenhouse-client_secret", "secret-1").await;
        browser.find("#connect-form button[type=submit]").await.click().await.unwrap();
        browser.until_text("connected", "Connected.", false).await;
        assert_eq!(browser.find("#conn-status").await.text().await.unwrap(), "connected");
        browser.shot(&format!("connect-{}", db.backend)).await;
        let listed = started.app.expect("GET", "/v1/connections", None, 200).await.unwrap();
        assert_eq!(listed[0]["provider"], "greenhouse", "{}: {listed}", db.backend);
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_setting_is_saved_and_shown() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "on_add"})).await.unwrap();
        let Some(browser) = Browser::open(&url_of(&s.server)).await else { return };
        browser.sign_in(&s.app.token).await;
        browser.goto(&format!("/console/connections/{}", s.connection_id)).await;
        browser.find("#trigger").await.select_by_value("on_reply").await.unwrap();
        // Stages are offered as the provider lists them.
        browser.find("#stage-interested").await.select_by_value("Screen").await.unwrap();
        browser.find("#save-settings").await.click().await.unwrap();
        browser.until_text("saved", "Settings saved.", false).await;
        let trigger = browser.find("#trigger").await.prop("value").await.unwrap();
        assert_eq!(trigger.as_deref(), Some("on_reply"), "{}", db.backend);
        let stage = browser.find("#stage-interested").await.prop("value").await.unwrap();
        assert_eq!(stage.as_deref(), Some("Screen"), "{}", db.backend);
        browser.shot(&format!("settings-{}", db.backend)).await;
        // On a phone the form is one column, nothing wider than the screen.
        let fits = browser.fits(390).await;
        browser.shot(&format!("settings-phone-{}", db.backend)).await;
        assert!(fits, "{}: the settings page fits a phone", db.backend);
        browser.goto("/").await;
        assert!(browser.fits(390).await, "{}: the overview fits a phone", db.backend);
        browser.client.set_window_size(1280, 900).await.unwrap();
        browser.goto(&format!("/console/connections/{}", s.connection_id)).await;

        let path = format!("/v1/connections/{}/settings", s.connection_id);
        let saved = s.app.expect("GET", &path, None, 200).await.unwrap();
        assert_eq!((&saved["trigger"], &saved["stage_map"]["interested"]), (&json!("on_reply"), &json!("Screen")));
        assert!(saved["default_target"]["job_id"].is_number(), "untouched keys stay as they were: {saved}");

        // An invalid value is refused with the API's words, and nothing changes.
        browser.fill("#bcc_address", "not-an-email").await;
        browser.client.execute("document.getElementById('bcc_address').type = 'text'", vec![]).await.unwrap();
        browser.find("#save-settings").await.click().await.unwrap();
        let refused = browser.find("p.error").await.text().await.unwrap();
        assert!(refused.contains("bcc_address"), "{}: {refused}", db.backend);
        assert_eq!(s.app.expect("GET", &path, None, 200).await.unwrap()["bcc_address"], Value::Null);
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_is_found_by_email_and_its_log_opened() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "on_add"})).await.unwrap();
        put_contacts(&s.app, 3).await.unwrap();
        let added = json!({"id": "a", "type": "contact_added", "contact": "c1", "sequence": "seq-1",
            "occurred_at": "2026-11-22T10:00:00Z", "data": {}});
        s.app.expect("POST", "/v1/events", Some(&json!([added])), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let Some(browser) = Browser::open(&url_of(&s.server)).await else { return };
        browser.sign_in(&s.app.token).await;
        browser.find("a[href='/console/contacts']").await.click().await.unwrap();
        browser.fill("#q", "PERSON1@example").await;
        browser.find("form[role=search] button").await.click().await.unwrap();
        let hits = browser.find("#hits").await.text().await.unwrap();
        assert!(hits.contains("P1 Test") && !hits.contains("P2"), "{}: {hits}", db.backend);
        browser.find("#hits a").await.click().await.unwrap();
        let open = browser.find("a[rel=noreferrer]").await;
        assert_eq!(open.text().await.unwrap(), "Open in Greenhouse", "{}", db.backend);
        let log = browser.find("#log").await.text().await.unwrap();
        assert!(log.contains("ok"), "{}: {log}", db.backend);
        assert!(browser.client.find_all(Locator::Css("#log li")).await.unwrap().len() >= 2, "{log}");
        browser.shot(&format!("contact-log-{}", db.backend)).await;
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_job_retried_from_the_failures_page_succeeds() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({"trigger": "on_add"})).await.unwrap();
        put_contacts(&s.app, 1).await.unwrap();
        // Greenhouse refuses the person for good once: the contact's job dies.
        s.sim.core().inject(ScriptedFault {
            fault: Fault::Status { status: 422 },
            count: 1,
            path_prefix: Some("/v3/candidates".into()),
            method: Some("POST".into()),
        });
        let added = json!({"id": "a", "type": "contact_added", "contact": "c0", "sequence": "seq-1",
            "occurred_at": "2026-11-22T10:00:00Z", "data": {}});
        s.app.expect("POST", "/v1/events", Some(&json!([added])), 202).await.unwrap();
        wait_idle(&db.store, Duration::from_secs(60)).await.unwrap();
        let dead = s.app.expect("GET", "/v1/jobs?state=dead", None, 200).await.unwrap();
        let job = dead[0]["id"].as_i64().unwrap_or_else(|| panic!("{}: a dead job: {dead}", db.backend));

        let Some(browser) = Browser::open(&url_of(&s.server)).await else { return };
        browser.sign_in(&s.app.token).await;
        browser.goto("/console/failures").await;
        let row = browser.find(&format!("#job-{job}")).await.text().await.unwrap();
        assert!(row.contains("c0") && row.contains("422"), "{}: the reason is shown: {row}", db.backend);
        browser.find(&format!("#job-{job} button")).await.click().await.unwrap();
        browser.until_text("queued again", &format!("Job {job} is queued again."), false).await;
        browser.until_text("the dead job succeeded", "No dead jobs.", true).await;
        browser.goto("/console/contacts/c0").await;
        browser.until_text("synced", "synced", true).await;
        browser.goto("/console/failures").await;
        browser.find("#no-failures").await;
        browser.shot(&format!("failures-{}", db.backend)).await;
        let sync = s.app.expect("GET", "/v1/contacts/c0/sync", None, 200).await.unwrap();
        assert_eq!(sync[0]["state"], "synced", "{}: {sync}", db.backend);
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resyncs_progress_bar_fills_to_the_end() {
    for db in databases().await.unwrap() {
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        put_contacts(&s.app, 6).await.unwrap();
        let Some(browser) = Browser::open(&url_of(&s.server)).await else { return };
        browser.sign_in(&s.app.token).await;
        browser.goto("/console/bulk").await;
        browser.find("#rs-conn").await.select_by_value(&s.connection_id).await.unwrap();
        browser.fill("#rs-contacts", "c0, c1, c2, c3, c4, c5").await;
        browser.find("#start-resync").await.click().await.unwrap();
        browser.until_text("started", "Resync started.", false).await;
        // The page is not reloaded: its script refreshes the bar until the resync is done.
        let (value, max) = eventually("the bar reached its end", WAIT, || async {
            // The script swaps the partial in while we read it: a stale element is read again.
            let read = async {
                let bar = browser.find("div.progress progress").await;
                let value = bar.attr("value").await?.unwrap_or_default();
                let max = bar.attr("max").await?.unwrap_or_default();
                let counts = browser.find("div.progress .counts").await.text().await?;
                Ok::<_, fantoccini::error::CmdError>((value, max, counts))
            };
            Ok(match read.await {
                Ok((value, max, counts)) if value == max && counts.contains("finished") => Polled::Ready((value, max)),
                Ok((value, max, counts)) => Polled::Waiting(format!("{value} of {max}: {counts}")),
                Err(e) => Polled::Waiting(e.to_string()),
            })
        })
        .await
        .unwrap();
        assert_eq!((value.as_str(), max.as_str()), ("6", "6"), "{}", db.backend);
        let live = browser.find("div.progress .counts").await.attr("aria-live").await.unwrap();
        assert_eq!(live.as_deref(), Some("polite"));
        browser.shot(&format!("resync-{}", db.backend)).await;
        assert_eq!(s.sim.state().candidates.len(), 6, "{}", db.backend);
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_does_not_see_another_users_private_connection() {
    for db in databases().await.unwrap() {
        // The owner's Greenhouse connection is theirs alone.
        let s = harness(&db).greenhouse(&json!({})).await.unwrap();
        let sam = json!({"email": "sam@acme.io", "role": "member"});
        let member = s.app.expect("POST", "/v1/users", Some(&sam), 201).await.unwrap();
        let Some(browser) = Browser::open(&url_of(&s.server)).await else { return };
        browser.sign_in(member["token"].as_str().unwrap()).await;
        let overview = browser.until_text("the member's overview", "sam@acme.io", false).await;
        assert!(!overview.contains(&s.connection_id) && overview.contains("No connections yet"), "{overview}");
        browser.goto("/console/connections").await;
        let source = browser.client.source().await.unwrap();
        assert!(!source.contains(&s.connection_id), "{}", db.backend);
        browser.goto(&format!("/console/connections/{}", s.connection_id)).await;
        browser.until_text("not found", "connection not found", false).await;
        browser.shot(&format!("member-{}", db.backend)).await;
        // By keyboard: the first Tab reaches the skip link, the next the navigation.
        browser.find("body").await.send_keys("\u{E004}").await.unwrap();
        let first = browser.client.active_element().await.unwrap();
        assert_eq!(first.text().await.unwrap(), "Skip to content", "{}", db.backend);
        first.send_keys("\u{E004}").await.unwrap();
        let next = browser.client.active_element().await.unwrap().attr("href").await.unwrap();
        assert_eq!(next.as_deref(), Some("/"), "{}: then the overview link", db.backend);
        browser.close().await;
    }
}
