//! Where log lines go and in what shape: text for people (coloured only on a
//! terminal), or one JSON object per line for log collectors
//! (`HIRESYNC_LOG_FORMAT=json`). Either way a line written while a job runs
//! carries the job's id, kind, workspace and connection.

use anyhow::{Result, bail};
use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

/// Installs the process's subscriber; `default_filter` applies when `HIRESYNC_LOG` is unset.
pub fn init(default_filter: &str) -> Result<()> {
    let filter = EnvFilter::try_from_env("HIRESYNC_LOG").unwrap_or_else(|_| default_filter.into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match std::env::var("HIRESYNC_LOG_FORMAT").unwrap_or_default().trim() {
        "" | "text" => builder.with_ansi(std::io::stderr().is_terminal()).init(),
        // Every enclosing span's fields, so a provider request's line still names its job.
        "json" => builder.json().with_current_span(false).with_span_list(true).init(),
        other => bail!("HIRESYNC_LOG_FORMAT must be `text` or `json`, got `{other}`"),
    }
    Ok(())
}
