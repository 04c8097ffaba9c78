//! The `hiresync` binary: parses the command line, loads configuration and dispatches.

mod admin;
#[cfg(feature = "bench")]
mod bench;
mod config;
mod logs;
mod morning;
mod rekey;
mod remote;
mod run;
mod sandbox;
mod sim;

use anyhow::Result;
use clap::{Parser, Subcommand};
use config::{Config, Overrides};

/// Keeps an applicant-tracking system in step with a recruiting outreach app.
#[derive(Parser)]
#[command(name = "hiresync", version)]
struct Cli {
    #[command(flatten)]
    flags: Overrides,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API and the worker in one process (the default).
    Serve {
        /// Serve the API only and leave the queue to `hiresync worker` processes.
        #[arg(long)]
        no_worker: bool,
    },
    /// Run only the worker; several may share one PostgreSQL.
    Worker,
    /// Apply database migrations.
    Migrate,
    /// Reseal every connection's credentials under the current master key after rotating it;
    /// prints {"resealed", "already_current", "failed"}.
    Rekey,
    /// Manage workspaces.
    #[command(subcommand)]
    Workspace(WorkspaceCommand),
    /// Print a one-time sign-in link to the web console for a user (valid 15 minutes, once).
    ConsoleLink {
        /// The user's id or email.
        #[arg(long)]
        user: String,
        /// The user's workspace, when the email is used in several.
        #[arg(long)]
        workspace: Option<String>,
        /// The server's address as a browser reaches it (default: the `listen` address).
        #[arg(long)]
        url: Option<String>,
    },
    /// Start provider simulators, a demo workspace connected to them, and serve.
    Sandbox {
        /// Use the configured database instead of a temporary one.
        #[arg(long)]
        keep_db: bool,
        /// Set up the workspace but do not play the scripted recruiter morning.
        #[arg(long)]
        no_script: bool,
        #[command(flatten)]
        sim: SimArgs,
    },
    /// Measure quota use, requests per contact, queue, ingest, freshness and memory on this machine.
    #[cfg(feature = "bench")]
    Bench(bench::BenchArgs),
    /// Sync a sequence's or a list's never-synced contacts through a running server, and follow it.
    Resync(remote::ResyncArgs),
    /// Import people of an ATS job or project into a sequence through a running server.
    Import(remote::ImportArgs),
    /// Where a contact stands on each connection, from a running server.
    Status(remote::StatusArgs),
    /// List a running server's jobs (`--state dead`), or retry dead ones (`jobs retry ID...`).
    Jobs(remote::JobsCommand),
    /// Run only the provider simulators, with demo tenants, and print how to reach them.
    Sim {
        /// Start the tenants with credentials only, no demo data.
        #[arg(long)]
        empty: bool,
        #[command(flatten)]
        sim: SimArgs,
    },
}

/// Where and how the simulators run.
#[derive(clap::Args, Clone, Copy)]
struct SimArgs {
    /// Address the simulators listen on.
    #[arg(long, default_value = "127.0.0.1")]
    sim_host: std::net::IpAddr,
    /// Greenhouse's port; Clockwork, Teamtailor and Oneflow take the next three (0: any free ports).
    #[arg(long, default_value_t = 0)]
    sim_port: u16,
    /// Do not enforce the providers' documented rate limits.
    #[arg(long)]
    no_rate_limits: bool,
}

impl SimArgs {
    fn options(self, seed: bool) -> hiresync_sim::DemoOptions {
        hiresync_sim::DemoOptions {
            host: self.sim_host,
            first_port: self.sim_port,
            rate_limits: !self.no_rate_limits,
            seed,
        }
    }
}

#[derive(Subcommand)]
enum WorkspaceCommand {
    /// Create a workspace and its owner; prints {"workspace_id", "user_id", "token"}.
    Create {
        /// Workspace name.
        #[arg(long)]
        name: String,
        /// The owner's email.
        #[arg(long)]
        owner_email: String,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // The bench's own worker and simulators would drown its progress lines in info logs.
    #[cfg(feature = "bench")]
    let default_filter = if matches!(cli.command, Some(Command::Bench(_))) { "warn" } else { "info,sqlx=warn" };
    #[cfg(not(feature = "bench"))]
    let default_filter = "info,sqlx=warn";
    // A command talking to a running server prints its own lines; only warnings get logged.
    let remote =
        matches!(cli.command, Some(Command::Resync(_) | Command::Import(_) | Command::Status(_) | Command::Jobs(_)));
    if let Err(e) = logs::init(if remote { "warn" } else { default_filter }) {
        eprintln!("error: {e:#}");
        return std::process::ExitCode::FAILURE;
    }
    let cli = match cli.command {
        Some(Command::Resync(args)) => return remote::resync(args).await.into(),
        Some(Command::Import(args)) => return remote::import(args).await.into(),
        Some(Command::Status(args)) => return remote::status(args).await.into(),
        Some(Command::Jobs(args)) => return remote::jobs(args).await.into(),
        command => Cli { command, ..cli },
    };
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let config = Config::load(&cli.flags)?;
    match cli.command.unwrap_or(Command::Serve { no_worker: false }) {
        Command::Serve { no_worker } => {
            let mut rt = run::open(&config).await?;
            rt.run_worker = !no_worker;
            run::serve(&config, rt, true, config.allow_private_urls).await
        }
        Command::Worker => run::serve(&config, run::open(&config).await?, false, false).await,
        Command::Migrate => admin::migrate(&config).await,
        Command::Rekey => {
            let report = rekey::rekey(&config).await?;
            println!("{}", report.json());
            anyhow::ensure!(report.failed.is_empty(), "{} connection(s) could not be resealed", report.failed.len());
            let endpoints = report.endpoints_failed.len();
            anyhow::ensure!(endpoints == 0, "{endpoints} webhook endpoint secret(s) could not be resealed");
            Ok(())
        }
        Command::Workspace(WorkspaceCommand::Create { name, owner_email }) => {
            println!("{}", admin::create_workspace(&config, &name, &owner_email).await?);
            Ok(())
        }
        Command::ConsoleLink { user, workspace, url } => {
            let base = url.unwrap_or_else(|| admin::local_url(&config.listen));
            println!("{}", admin::console_link(&config, &user, workspace.as_deref(), &base).await?);
            Ok(())
        }
        Command::Sandbox { keep_db, no_script, sim } => {
            sandbox::sandbox(config, sandbox::SandboxOptions { keep_db, script: !no_script, sim: sim.options(true) })
                .await
        }
        Command::Sim { empty, sim } => sim::sim(sim.options(!empty)).await,
        Command::Resync(_) | Command::Import(_) | Command::Status(_) | Command::Jobs(_) => {
            unreachable!("remote commands return before configuration is loaded")
        }
        #[cfg(feature = "bench")]
        Command::Bench(args) => bench::bench(args, &config.database_url).await,
    }
}
