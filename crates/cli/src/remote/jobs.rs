//! `hiresync jobs`: the workspace's jobs, and retrying dead ones.

use super::{Outcome, Remote, failed, print_json};

/// `hiresync jobs` and its subcommands.
#[derive(clap::Args, Clone, Debug)]
pub struct JobsCommand {
    #[command(subcommand)]
    action: Option<JobsAction>,
    #[command(flatten)]
    remote: Remote,
    /// Only jobs in this state: queued, running, held, done or dead.
    #[arg(long)]
    state: Option<String>,
}

#[derive(clap::Subcommand, Clone, Debug)]
enum JobsAction {
    /// Runs dead jobs again: the ids given, or every dead job with --all-dead.
    Retry {
        /// Job ids.
        ids: Vec<i64>,
        /// Every dead job of the workspace the token may see.
        #[arg(long, conflicts_with = "ids")]
        all_dead: bool,
    },
}

/// Lists jobs, or retries them; exit 3 when any retry was refused.
pub async fn jobs(cmd: JobsCommand) -> Outcome {
    let client = match cmd.remote.client() {
        Ok(c) => c,
        Err(e) => return failed(&e),
    };
    match cmd.action {
        None => match client.jobs(cmd.state.as_deref()).await {
            Ok(jobs) if cmd.remote.json => {
                print_json(&jobs);
                Outcome::Done
            }
            Ok(jobs) => {
                for j in &jobs {
                    let on = [j.connection_id.as_deref(), j.contact.as_deref()].into_iter().flatten();
                    let on = on.collect::<Vec<_>>().join(" ");
                    let error = j.last_error.as_deref().map(|e| format!(": {e}")).unwrap_or_default();
                    println!("{} {} {} attempts={} {on}{error}", j.id, j.state, j.kind, j.attempts);
                }
                Outcome::Done
            }
            Err(e) => failed(&e),
        },
        Some(JobsAction::Retry { ids, all_dead }) => {
            let ids = if all_dead {
                match client.jobs(Some("dead")).await {
                    Ok(jobs) => jobs.into_iter().map(|j| j.id).collect(),
                    Err(e) => return failed(&e),
                }
            } else {
                ids
            };
            if ids.is_empty() && !all_dead {
                eprintln!("error: give job ids, or --all-dead");
                return Outcome::Refused;
            }
            let mut retried = Vec::new();
            let mut outcome = Outcome::Done;
            for id in ids {
                match client.retry_job(id).await {
                    Ok(r) => {
                        if !cmd.remote.json {
                            println!("{} {}", r.id, r.state.as_str());
                        }
                        retried.push(r);
                    }
                    Err(e) => {
                        eprint!("job {id}: ");
                        match failed(&e) {
                            Outcome::Unreachable => return Outcome::Unreachable,
                            _ => outcome = Outcome::PartlyFailed,
                        }
                    }
                }
            }
            if cmd.remote.json {
                print_json(&retried);
            }
            outcome
        }
    }
}
