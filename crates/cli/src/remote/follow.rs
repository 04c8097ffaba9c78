//! Following long work to its end: a progress bar with the time left at the
//! pace the provider's allowance lets it go, when a person watches a
//! terminal; a plain line per change otherwise; the final JSON with `--json`.

use super::{Remote, print_json};
use hiresync_client::Error;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;
use std::future::Future;
use std::io::IsTerminal;
use std::time::Duration;

/// How often the server is asked.
const EVERY: Duration = Duration::from_secs(1);

/// Where long work stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Items finished either way.
    pub done: i64,
    /// Items in all; 0 while unknown.
    pub total: i64,
    /// Whether it is over.
    pub finished: bool,
    /// Its counts, in words.
    pub line: String,
    /// Items that failed.
    pub failed: i64,
}

/// Asks `poll` every second until it reports the work finished; returns the last progress.
pub async fn follow<F, Fut>(remote: &Remote, what: &str, id: &str, poll: F) -> Result<Progress, Error>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(Progress, Value), Error>>,
{
    let bar = (!remote.json && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:40}] {pos}/{len} {msg} (about {eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(format!("{what} {id}"));
        bar
    });
    let mut last = Progress::default();
    loop {
        let (now, body) = poll().await?;
        if let Some(bar) = &bar {
            bar.set_length(now.total.max(now.done).max(0) as u64);
            bar.set_position(now.done.max(0) as u64);
            bar.set_message(now.line.clone());
        } else if !remote.json && now != last {
            let of = if now.total > 0 { format!("/{}", now.total) } else { String::new() };
            println!("{what} {id}: {}{of} done; {}", now.done, now.line);
        }
        if now.finished {
            if let Some(bar) = &bar {
                bar.finish();
            }
            if remote.json {
                print_json(&body);
            } else {
                println!("{what} {id} finished: {}", now.line);
            }
            return Ok(now);
        }
        last = now;
        tokio::time::sleep(EVERY).await;
    }
}
