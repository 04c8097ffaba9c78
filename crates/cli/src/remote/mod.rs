//! Commands that talk to a running hiresync over its HTTP API (`--url`,
//! `--token` or `HIRESYNC_URL` / `HIRESYNC_TOKEN`), for bulk work from a
//! terminal or a script: start a resync or an import and follow it, ask where
//! a contact stands, list and retry jobs. `--json` prints what the API
//! answered; the exit code says what happened ([`Outcome`]).

mod follow;
mod jobs;
mod work;

use anyhow::Result;
use hiresync_client::{Client, Error};
use std::process::ExitCode;

/// Where the server is and who is asking.
#[derive(clap::Args, Clone, Debug)]
pub struct Remote {
    /// The server's URL.
    #[arg(long, env = "HIRESYNC_URL", default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// A user's API token.
    #[arg(long, env = "HIRESYNC_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Print the API's JSON instead of lines for people.
    #[arg(long)]
    pub json: bool,
}

impl Remote {
    fn client(&self) -> Result<Client, Error> {
        Client::new(&self.url, &self.token)
    }
}

/// How a remote command ended, as its exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for was done (0).
    Done,
    /// It finished, but some contacts or jobs failed (3).
    PartlyFailed,
    /// The server refused the request: a bad argument, an unknown id, no permission (4).
    Refused,
    /// The server could not be reached or failed (5).
    Unreachable,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        ExitCode::from(match o {
            Outcome::Done => 0,
            Outcome::PartlyFailed => 3,
            Outcome::Refused => 4,
            Outcome::Unreachable => 5,
        })
    }
}

/// Prints why a call failed and says which outcome it was.
fn failed(e: &Error) -> Outcome {
    eprintln!("error: {e}");
    if let Error::Problem(p) = e {
        for field in p.errors.iter().flatten() {
            eprintln!("  {}: {}", if field.field.is_empty() { "(body)" } else { &field.field }, field.message);
        }
    }
    match e.status() {
        Some(s) if (400..500).contains(&s) => Outcome::Refused,
        _ => Outcome::Unreachable,
    }
}

/// Prints `value` as pretty JSON.
fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: {e}"),
    }
}

pub use jobs::{JobsCommand, jobs};
pub use work::{ImportArgs, ResyncArgs, StatusArgs, import, resync, status};
