//! Configuration: built-in defaults, then `hiresync.toml` (or `--config`),
//! then `HIRESYNC_*` variables, then flags. Validated once, failing fast and
//! naming the key at fault.

use anyhow::{Context, Result, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Deserializer, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every setting of a hiresync process.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Config {
    /// `sqlite://FILE` (created on first run) or `postgres://...`.
    pub database_url: String,
    /// Address the API listens on.
    pub listen: String,
    /// Where a worker-only process (`hiresync worker`) serves /healthz, /readyz and /metrics; none when unset.
    pub metrics_listen: Option<String>,
    /// Base64 of the 32-byte key sealing provider credentials; else a key file beside the
    /// database (SQLite only: processes sharing PostgreSQL must share the key).
    #[serde(skip_serializing)]
    pub master_key: Option<SecretString>,
    /// Comma-separated base64 keys that sealed credentials before the current one: they still
    /// open until `hiresync rekey` reseals them under the current key.
    #[serde(skip_serializing)]
    pub master_keys_old: Option<SecretString>,
    /// Let connections use http and private addresses as base URLs (sandbox, tests).
    #[serde(deserialize_with = "flag")]
    pub allow_private_urls: bool,
    /// The URL providers reach this server at (`https://sync.example.com`): Oneflow's webhook is
    /// registered under it when a connection is made, and Teamtailor fetches signed contract
    /// files Oneflow hands over as bytes from it. Unset: webhooks are registered by hand.
    pub public_url: Option<String>,
    /// Jobs a worker runs at once.
    pub worker_concurrency: usize,
    /// Jobs one connection may have running at once, over all workers: a slow or tightly
    /// limited provider account holds this many worker slots at most.
    pub connection_slots: usize,
    /// Seconds a job's lease lasts before another worker may take it over.
    pub lease_secs: u64,
    /// Milliseconds between looks at the queue when idle.
    pub poll_ms: u64,
    /// Seconds shutdown waits for in-flight jobs.
    pub grace_secs: u64,
    /// Database connections per process.
    pub max_connections: u32,
    /// Seconds between probes of a connection whose credentials the provider refuses.
    pub probe_secs: u64,
    /// Milliseconds a failed or waiting job is first put off (doubling per try).
    pub retry_base_ms: u64,
    /// Longest seconds a failed or waiting job is put off.
    pub retry_max_secs: u64,
    /// Seconds a webhook endpoint has to answer a delivery.
    pub webhook_timeout_secs: u64,
    /// Delays before each retry of a webhook delivery, comma-separated, each a number with
    /// `ms`, `s`, `m` or `h` (seconds without one); when they are used up the delivery fails.
    #[serde(deserialize_with = "text")]
    pub webhook_retry_schedule: String,
    /// Seconds a webhook endpoint may keep failing before a delivery that used up its
    /// schedule disables it.
    pub webhook_disable_after_secs: u64,
    /// Deliveries to one webhook endpoint a process sends at once.
    pub webhook_endpoint_concurrency: usize,
    /// Days a done job is kept after it finished; 0 keeps them forever.
    pub retain_jobs_days: u32,
    /// Days a sync log entry (a provider call made for a contact) is kept; 0 keeps them forever.
    pub retain_sync_log_days: u32,
    /// Days a stored event and its decisions are kept, unless still needed; 0 keeps them forever.
    pub retain_events_days: u32,
    /// Days a webhook delivery out that ended, and a received one (at least 7), is kept; 0 keeps them forever.
    pub retain_deliveries_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://hiresync.db".into(),
            listen: "127.0.0.1:8080".into(),
            metrics_listen: None,
            master_key: None,
            master_keys_old: None,
            allow_private_urls: false,
            public_url: None,
            worker_concurrency: 8,
            connection_slots: 4,
            lease_secs: 60,
            poll_ms: 500,
            grace_secs: 20,
            max_connections: 16,
            probe_secs: 300,
            retry_base_ms: 2000,
            retry_max_secs: 600,
            webhook_timeout_secs: 10,
            webhook_retry_schedule: "5s,5m,30m,2h,5h,10h,10h".into(),
            webhook_disable_after_secs: 5 * 24 * 3600,
            webhook_endpoint_concurrency: 2,
            retain_jobs_days: 7,
            retain_sync_log_days: 90,
            retain_events_days: 90,
            retain_deliveries_days: 7,
        }
    }
}

/// Flags that override the file and the environment.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct Overrides {
    /// Config file (default: ./hiresync.toml when present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Database URL (HIRESYNC_DATABASE_URL).
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// Listen address (HIRESYNC_LISTEN).
    #[arg(long, global = true)]
    pub listen: Option<String>,
}

impl Config {
    /// Merges the layers and validates the result.
    pub fn load(flags: &Overrides) -> Result<Self> {
        let file = flags.config.clone().unwrap_or_else(|| PathBuf::from("hiresync.toml"));
        if flags.config.is_some() && !file.exists() {
            bail!("config file {} does not exist", file.display());
        }
        let mut fig = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(&file))
            .merge(Env::prefixed("HIRESYNC_").only(&KEYS));
        if let Some(url) = &flags.database_url {
            fig = fig.merge(("database_url", url));
        }
        if let Some(listen) = &flags.listen {
            fig = fig.merge(("listen", listen));
        }
        let config: Config = fig.extract().context("reading configuration")?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<()> {
        if !(self.database_url.starts_with("sqlite:") || self.database_url.starts_with("postgres")) {
            bail!("database_url must be sqlite://FILE or postgres://...");
        }
        self.listen
            .parse::<std::net::SocketAddr>()
            .with_context(|| format!("listen: `{}` is not host:port", self.listen))?;
        if let Some(addr) = &self.metrics_listen {
            addr.parse::<std::net::SocketAddr>()
                .with_context(|| format!("metrics_listen: `{addr}` is not host:port"))?;
        }
        self.public_url()?;
        if self.worker_concurrency == 0 {
            bail!("worker_concurrency must be at least 1");
        }
        if self.connection_slots == 0 {
            bail!("connection_slots must be at least 1");
        }
        self.webhook_schedule()?;
        if self.webhook_timeout_secs == 0 {
            bail!("webhook_timeout_secs must be at least 1");
        }
        for (key, days) in [
            ("retain_jobs_days", self.retain_jobs_days),
            ("retain_sync_log_days", self.retain_sync_log_days),
            ("retain_events_days", self.retain_events_days),
            ("retain_deliveries_days", self.retain_deliveries_days),
        ] {
            if days > MAX_RETAIN_DAYS {
                bail!("{key} must be at most {MAX_RETAIN_DAYS} days (0 keeps forever), not {days}");
            }
        }
        Ok(())
    }

    /// `public_url` as a URL, when set; an http(s) URL without query or fragment.
    pub fn public_url(&self) -> Result<Option<url::Url>> {
        let Some(raw) = self.public_url.as_deref().map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
        let url = url::Url::parse(raw).with_context(|| format!("public_url: `{raw}` is not a URL"))?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() || url.host().is_none() {
            bail!("public_url: `{raw}` must be an http(s) URL such as https://sync.example.com");
        }
        if url.query().is_some() || url.fragment().is_some() {
            bail!("public_url: `{raw}` must not carry a query or fragment");
        }
        Ok(Some(url))
    }

    /// How long each kind of record is kept.
    pub fn retention(&self) -> hiresync_engine::Retention {
        use hiresync_engine::Retention;
        Retention {
            jobs: Retention::days(self.retain_jobs_days),
            sync_log: Retention::days(self.retain_sync_log_days),
            events: Retention::days(self.retain_events_days),
            deliveries: Retention::days(self.retain_deliveries_days),
        }
    }

    /// How webhooks out are sent and retried.
    pub fn webhooks(&self) -> Result<hiresync_engine::webhook::WebhookConfig> {
        Ok(hiresync_engine::webhook::WebhookConfig {
            timeout: Duration::from_secs(self.webhook_timeout_secs.max(1)),
            schedule: self.webhook_schedule()?,
            disable_after: Duration::from_secs(self.webhook_disable_after_secs),
            per_endpoint: self.webhook_endpoint_concurrency.max(1),
        })
    }

    fn webhook_schedule(&self) -> Result<Vec<Duration>> {
        let text = self.webhook_retry_schedule.trim();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        text.split(',')
            .map(|d| duration(d.trim()))
            .collect::<Option<Vec<_>>>()
            .with_context(|| format!("webhook_retry_schedule: `{text}` is not a list like `5s,5m,2h`"))
    }

    /// Whether the database is PostgreSQL, which processes on several machines may share.
    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    /// Where the master key file lives when `HIRESYNC_MASTER_KEY` is unset: beside the SQLite file.
    pub fn key_file(&self) -> PathBuf {
        let path = self.database_url.strip_prefix("sqlite://").or_else(|| self.database_url.strip_prefix("sqlite:"));
        match path.map(|p| p.split('?').next().unwrap_or(p)) {
            Some(p) if !p.is_empty() && p != ":memory:" => {
                Path::new(p).parent().unwrap_or(Path::new(".")).join("hiresync.key")
            }
            _ => PathBuf::from("hiresync.key"),
        }
    }
}

/// `250ms`, `5s`, `5m`, `2h`, or seconds alone.
fn duration(s: &str) -> Option<Duration> {
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n.parse().ok()?;
    match unit {
        "ms" => Some(Duration::from_millis(n)),
        "" | "s" => Some(Duration::from_secs(n)),
        "m" => n.checked_mul(60).map(Duration::from_secs),
        "h" => n.checked_mul(3600).map(Duration::from_secs),
        _ => None,
    }
}

/// A hundred years: a longer period is a typo, and 0 says "forever".
const MAX_RETAIN_DAYS: u32 = 36_500;

const KEYS: [&str; 24] = [
    "database_url",
    "listen",
    "metrics_listen",
    "master_key",
    "master_keys_old",
    "allow_private_urls",
    "public_url",
    "worker_concurrency",
    "connection_slots",
    "lease_secs",
    "poll_ms",
    "grace_secs",
    "max_connections",
    "probe_secs",
    "retry_base_ms",
    "retry_max_secs",
    "webhook_timeout_secs",
    "webhook_retry_schedule",
    "webhook_disable_after_secs",
    "webhook_endpoint_concurrency",
    "retain_jobs_days",
    "retain_sync_log_days",
    "retain_events_days",
    "retain_deliveries_days",
];

/// Text, also when the environment gives a number (`HIRESYNC_WEBHOOK_RETRY_SCHEDULE=5`).
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(u64),
        Text(String),
    }
    Ok(match Raw::deserialize(d)? {
        Raw::Int(i) => i.to_string(),
        Raw::Text(s) => s,
    })
}

/// Accepts `true`/`false`, `1`/`0` and their string forms, as environment variables give them.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Bool(bool),
        Int(i64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Bool(b) => Ok(b),
        Raw::Int(i) => Ok(i != 0),
        Raw::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" | "" => Ok(false),
            other => Err(serde::de::Error::custom(format!("`{other}` is not a yes/no value"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail API returns its own large error.
    fn defaults_validate_and_layers_override_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("hiresync.toml", "listen = \"127.0.0.1:9000\"\nworker_concurrency = 3\n")?;
            jail.set_env("HIRESYNC_WORKER_CONCURRENCY", "5");
            jail.set_env("HIRESYNC_ALLOW_PRIVATE_URLS", "1");
            let old = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=,AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=";
            jail.set_env("HIRESYNC_MASTER_KEYS_OLD", old);
            let flags = Overrides { database_url: Some("sqlite://x/y.db".into()), ..Overrides::default() };
            let c = Config::load(&flags).map_err(|e| e.to_string())?;
            assert_eq!(c.listen, "127.0.0.1:9000");
            assert_eq!(c.worker_concurrency, 5);
            assert!(c.allow_private_urls);
            assert_eq!(c.database_url, "sqlite://x/y.db");
            assert_eq!(c.key_file(), PathBuf::from("x/hiresync.key"));
            assert!(!c.is_postgres());
            let kept = c.master_keys_old.as_ref().map(|k| k.expose_secret().to_owned());
            assert_eq!(kept.as_deref(), Some(old), "the comma-separated list arrives as one text");
            let hooks = c.webhooks().map_err(|e| e.to_string())?;
            assert_eq!(hooks.schedule.len(), 7);
            assert_eq!(hooks.schedule.iter().sum::<Duration>(), Duration::from_secs(99_305), "27.6 hours");
            jail.set_env("HIRESYNC_WEBHOOK_RETRY_SCHEDULE", "200ms,1s,2");
            let c = Config::load(&Overrides::default()).map_err(|e| e.to_string())?;
            let quick = c.webhooks().map_err(|e| e.to_string())?.schedule;
            assert_eq!(quick, [Duration::from_millis(200), Duration::from_secs(1), Duration::from_secs(2)]);
            jail.set_env("HIRESYNC_WEBHOOK_RETRY_SCHEDULE", "5x");
            let e = Config::load(&Overrides::default()).unwrap_err().to_string();
            assert!(e.contains("webhook_retry_schedule"), "{e}");
            jail.set_env("HIRESYNC_WEBHOOK_RETRY_SCHEDULE", "5s");
            jail.set_env("HIRESYNC_LISTEN", "nonsense");
            let e = Config::load(&Overrides::default()).unwrap_err().to_string();
            assert!(e.contains("listen"), "{e}");
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail API returns its own large error.
    fn retention_periods_default_override_keep_forever_at_zero_and_name_a_bad_key() {
        figment::Jail::expect_with(|jail| {
            let day = Duration::from_secs(24 * 3600);
            let c = Config::load(&Overrides::default()).map_err(|e| e.to_string())?;
            let r = c.retention();
            assert_eq!((r.jobs, r.deliveries), (Some(day * 7), Some(day * 7)));
            assert_eq!((r.sync_log, r.events), (Some(day * 90), Some(day * 90)));

            jail.create_file("hiresync.toml", "retain_events_days = 30\nretain_sync_log_days = 14\n")?;
            jail.set_env("HIRESYNC_RETAIN_SYNC_LOG_DAYS", "0");
            jail.set_env("HIRESYNC_RETAIN_JOBS_DAYS", "2");
            jail.set_env("HIRESYNC_RETAIN_DELIVERIES_DAYS", "30");
            let r = Config::load(&Overrides::default()).map_err(|e| e.to_string())?.retention();
            assert_eq!(r.events, Some(day * 30), "from the file");
            assert_eq!(r.sync_log, None, "0 keeps forever, and the environment beats the file");
            assert_eq!((r.jobs, r.deliveries), (Some(day * 2), Some(day * 30)));

            jail.set_env("HIRESYNC_RETAIN_EVENTS_DAYS", "-1");
            let e = format!("{:#}", Config::load(&Overrides::default()).unwrap_err()).to_lowercase();
            assert!(e.contains("retain_events_days"), "{e}");
            jail.set_env("HIRESYNC_RETAIN_EVENTS_DAYS", "a week");
            let e = format!("{:#}", Config::load(&Overrides::default()).unwrap_err()).to_lowercase();
            assert!(e.contains("retain_events_days"), "{e}");
            jail.set_env("HIRESYNC_RETAIN_EVENTS_DAYS", "36501");
            let e = format!("{:#}", Config::load(&Overrides::default()).unwrap_err());
            assert!(e.contains("retain_events_days") && e.contains("36500"), "{e}");
            Ok(())
        });
    }
}
