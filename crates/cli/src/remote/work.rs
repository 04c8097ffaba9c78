//! `hiresync resync`, `hiresync import` and `hiresync status`.

use super::follow::{Progress, follow};
use super::{Outcome, Remote, failed, print_json};
use hiresync_client::body::common::TargetObject;
use hiresync_client::body::imports::ImportIn;
use hiresync_client::body::resyncs::{ResyncFilter, ResyncFilterState, ResyncIn, ResyncState};

/// Flags of `hiresync resync`.
#[derive(clap::Args, Clone, Debug)]
pub struct ResyncArgs {
    #[command(flatten)]
    remote: Remote,
    /// The connection to sync to.
    #[arg(long)]
    connection: String,
    /// A sequence's external id: all its contacts that never synced.
    #[arg(long, conflicts_with_all = ["contacts", "failed", "never_synced", "synced_before"],
        required_unless_present_any = ["contacts", "failed", "never_synced", "synced_before"])]
    sequence: Option<String>,
    /// The workspace's contacts whose sync to the connection failed.
    #[arg(long, conflicts_with_all = ["contacts", "never_synced", "synced_before"])]
    failed: bool,
    /// The workspace's contacts never synced to the connection.
    #[arg(long, conflicts_with_all = ["contacts", "synced_before"])]
    never_synced: bool,
    /// RFC 3339: update the people first synced before it with their contacts as they are now.
    #[arg(long, conflicts_with = "contacts")]
    synced_before: Option<String>,
    /// Contact external ids, comma-separated.
    #[arg(long, value_delimiter = ',')]
    contacts: Option<Vec<String>>,
    /// Start it and print its id without following it.
    #[arg(long)]
    no_wait: bool,
}

/// Starts a resync and follows it to the end.
pub async fn resync(args: ResyncArgs) -> Outcome {
    let client = match args.remote.client() {
        Ok(c) => c,
        Err(e) => return failed(&e),
    };
    let state = match (args.failed, args.never_synced) {
        (true, _) => Some(ResyncFilterState::Failed),
        (_, true) => Some(ResyncFilterState::NeverSynced),
        _ => None,
    };
    let filter = (state.is_some() || args.synced_before.is_some())
        .then(|| ResyncFilter { state, synced_before: args.synced_before.clone() });
    let body = ResyncIn { connection_id: args.connection, contacts: args.contacts, sequence: args.sequence, filter };
    let started = match client.start_resync(&body).await {
        Ok(s) => s,
        Err(e) => return failed(&e),
    };
    if args.no_wait {
        announce(&args.remote, &started.id, "resync");
        return Outcome::Done;
    }
    let id = started.id.clone();
    let last = follow(&args.remote, "resync", &id, || async {
        let r = client.resync(&id).await?;
        let finished = matches!(r.state, ResyncState::Done);
        let progress = Progress {
            done: r.done,
            total: r.total,
            finished,
            line: format!("{} synced, {} skipped, {} failed", r.synced, r.skipped, r.failed),
            failed: r.failed,
        };
        Ok((progress, serde_json::to_value(&r).unwrap_or_default()))
    })
    .await;
    match last {
        Ok(p) if p.failed > 0 => Outcome::PartlyFailed,
        Ok(_) => Outcome::Done,
        Err(e) => failed(&e),
    }
}

/// Flags of `hiresync import`.
#[derive(clap::Args, Clone, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    remote: Remote,
    /// The connection whose job, pool or project is read.
    #[arg(long)]
    connection: String,
    /// The target as JSON, in the provider's shape: `{"job_id": 4012}`, `{"project_id": 77}`.
    #[arg(long, value_parser = target)]
    target: TargetObject,
    /// The sequence people are enrolled in (PUT before).
    #[arg(long)]
    sequence: String,
    /// Run again every hour, adding only new people.
    #[arg(long)]
    recurring: bool,
    /// Start it and print its id without following its first run.
    #[arg(long)]
    no_wait: bool,
}

fn target(raw: &str) -> Result<TargetObject, String> {
    serde_json::from_str(raw).map_err(|e| format!("not a target object: {e}"))
}

/// Starts an import and follows its first run.
pub async fn import(args: ImportArgs) -> Outcome {
    let client = match args.remote.client() {
        Ok(c) => c,
        Err(e) => return failed(&e),
    };
    let body = ImportIn {
        connection_id: args.connection,
        target: args.target,
        sequence: args.sequence,
        recurring: Some(args.recurring),
    };
    let started = match client.start_import(&body).await {
        Ok(s) => s,
        Err(e) => return failed(&e),
    };
    if args.no_wait {
        announce(&args.remote, &started.id, "import");
        return Outcome::Done;
    }
    let id = started.id.clone();
    let last = follow(&args.remote, "import", &id, || async {
        let i = client.import(&id).await?;
        // An import learns its total only as it lists the target; its runs count is the end.
        let brought = i.imported + i.already_present + i.skipped_no_email;
        let finished = i.runs > 0 || matches!(i.state.as_str(), "done" | "failed" | "stopped");
        let progress = Progress {
            done: brought,
            total: if finished { brought } else { 0 },
            finished,
            line: format!(
                "{} imported, {} already present, {} without email{}",
                i.imported,
                i.already_present,
                i.skipped_no_email,
                i.last_error.as_deref().map(|e| format!("; last error: {e}")).unwrap_or_default()
            ),
            failed: i64::from(i.state == "failed"),
        };
        Ok((progress, serde_json::to_value(&i).unwrap_or_default()))
    })
    .await;
    match last {
        Ok(p) if p.failed > 0 => Outcome::PartlyFailed,
        Ok(_) => Outcome::Done,
        Err(e) => failed(&e),
    }
}

fn announce(remote: &Remote, id: &str, what: &str) {
    if remote.json {
        print_json(&serde_json::json!({"id": id}));
    } else {
        println!("{what} {id} started");
    }
}

/// Flags of `hiresync status`.
#[derive(clap::Args, Clone, Debug)]
pub struct StatusArgs {
    #[command(flatten)]
    remote: Remote,
    /// The contact's external id.
    contact: String,
}

/// Prints where a contact stands on each connection; exit 3 when any failed.
pub async fn status(args: StatusArgs) -> Outcome {
    let client = match args.remote.client() {
        Ok(c) => c,
        Err(e) => return failed(&e),
    };
    let states = match client.sync_status(&args.contact).await {
        Ok(s) => s,
        Err(e) => return failed(&e),
    };
    if args.remote.json {
        print_json(&states);
    } else if states.is_empty() {
        println!("{}: on no connection", args.contact);
    }
    if !args.remote.json {
        for s in &states {
            let provider = s.provider.map(|p| hiresync_core::ProviderKind::from(p).as_str()).unwrap_or("?");
            let mut line = format!("{} {provider} {}: {}", args.contact, s.connection_id, s.state);
            if let Some(reason) = &s.reason {
                line.push_str(&format!(" ({reason})"));
            }
            if let Some(url) = &s.person_url {
                line.push_str(&format!(" {url}"));
            }
            println!("{line}");
        }
    }
    if states.iter().any(|s| s.state == "failed") { Outcome::PartlyFailed } else { Outcome::Done }
}
