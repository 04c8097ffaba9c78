//! A started server with one provider's simulator connected through the API,
//! seeded as that provider's tests need it.

use crate::app::TestApp;
use crate::harness::{Harness, Started};
use crate::server::TestServer;
use crate::sims;
use anyhow::Result;
use hiresync_sim::clockwork::ClockworkSim;
use hiresync_sim::greenhouse::GreenhouseSim;
use hiresync_sim::teamtailor::{SeededJob, TeamtailorSim};
use serde_json::{Value, json};

/// A server connected to Greenhouse, with a job to sync to and the sequence `seq-1`.
pub struct Greenhouse {
    /// The serving process.
    pub server: TestServer,
    /// The owner's client.
    pub app: TestApp,
    /// The workspace's id.
    pub workspace_id: String,
    /// The Greenhouse tenant: user Robin, job "Rust Engineer" with stages Review and Screen.
    pub sim: GreenhouseSim,
    /// The connection to it.
    pub connection_id: String,
}

/// A server connected to Clockwork, with the default statuses and four projects.
pub struct Clockwork {
    /// The serving process.
    pub server: TestServer,
    /// The owner's client.
    pub app: TestApp,
    /// The Clockwork firm.
    pub sim: ClockworkSim,
    /// The connection to it.
    pub connection_id: String,
    /// The firm's candidacy statuses, in order.
    pub statuses: Vec<String>,
    /// One project per status: Active, Pitch, On Hold and Closed.
    pub projects: [String; 4],
}

/// A server connected to Teamtailor, with one job to sync to.
pub struct Teamtailor {
    /// The serving process.
    pub server: TestServer,
    /// The owner's client.
    pub app: TestApp,
    /// The Teamtailor company.
    pub sim: TeamtailorSim,
    /// The connection to it.
    pub connection_id: String,
    /// "Backend Developer", with stages Inbox, Phone screen and Interview.
    pub job: SeededJob,
}

impl Harness {
    /// Starts, connects Greenhouse, saves `settings` with the job's first stage as the default
    /// target, and creates the sequence `seq-1`.
    pub async fn greenhouse(&self, settings: &Value) -> Result<Greenhouse> {
        let Started { server, app, workspace_id } = self.start().await?;
        let sim = sims::greenhouse().await?;
        let user = sim.app().add_user("Robin", "Recruiter", "robin@acme.io");
        let job = sim.app().add_job("Rust Engineer", &["Review", "Screen"]);
        let connection_id = app.connect(&sims::greenhouse_connection(&sim, user)).await?;
        let mut s = settings.clone();
        s["default_target"] = json!({"job_id": job.id, "stage_id": job.stage_ids[0]});
        app.expect("PUT", &format!("/v1/connections/{connection_id}/settings"), Some(&s), 200).await?;
        app.expect("PUT", "/v1/sequences/seq-1", Some(&json!({"name": "Rust outreach"})), 201).await?;
        Ok(Greenhouse { server, app, workspace_id, sim, connection_id })
    }

    /// Starts and connects Clockwork.
    pub async fn clockwork(&self) -> Result<Clockwork> {
        let Started { server, app, .. } = self.start().await?;
        let sim = sims::clockwork().await?;
        let statuses = sim.app().seed_default_statuses();
        let projects = [
            sim.app().add_project("CFO, Analytical Engines", "Active"),
            sim.app().add_project("VP Finance, Difference Inc.", "Pitch"),
            sim.app().add_project("Board Advisor", "On Hold"),
            sim.app().add_project("Treasurer (filled)", "Closed"),
        ];
        let connection_id = app.connect(&sims::clockwork_connection(&sim, "cw-key", "cw-secret")).await?;
        Ok(Clockwork { server, app, sim, connection_id, statuses, projects })
    }

    /// Starts and connects Teamtailor.
    pub async fn teamtailor(&self) -> Result<Teamtailor> {
        let Started { server, app, .. } = self.start().await?;
        let sim = sims::teamtailor().await?;
        let job = sim.app().add_job("Backend Developer", &["Inbox", "Phone screen", "Interview"]);
        let connection_id = app.connect(&sims::teamtailor_connection(&sim, "tt-key")).await?;
        Ok(Teamtailor { server, app, sim, connection_id, job })
    }
}
