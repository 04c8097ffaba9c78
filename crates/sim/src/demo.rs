//! The demo tenants: all four simulators started together on loopback with
//! data a newcomer recognises (a recruiter, open jobs, a pool, a project, a
//! contract template and one person who already exists), for `hiresync sim`
//! and `hiresync sandbox`. What is seeded is described as the credentials and
//! targets the hiresync API takes, so it can be pasted into requests.

use crate::clockwork::ClockworkSim;
use crate::greenhouse::GreenhouseSim;
use crate::oneflow::OneflowSim;
use crate::teamtailor::TeamtailorSim;
use crate::{RateLimitConfig, SimConfig};
use hiresync_core::ProviderKind;
use serde::Serialize;
use serde_json::{Value, json};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// How to start the demo simulators.
#[derive(Clone, Copy, Debug)]
pub struct DemoOptions {
    /// Address to listen on; loopback unless told otherwise.
    pub host: IpAddr,
    /// Greenhouse listens here and the others on the next three ports; 0 picks free ports.
    pub first_port: u16,
    /// Enforce each provider's documented rate limit (headers are sent either way).
    pub rate_limits: bool,
    /// Seed the demo data; without it each tenant only knows its credentials.
    pub seed: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self { host: IpAddr::V4(Ipv4Addr::LOCALHOST), first_port: 0, rate_limits: true, seed: true }
    }
}

/// One provider's tenant as hiresync connects to it.
#[derive(Clone, Debug, Serialize)]
pub struct DemoTenant {
    /// `base_url` for `POST /v1/connections`.
    pub base_url: String,
    /// Greenhouse's token host (`auth_base_url`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_base_url: Option<String>,
    /// The `credentials` object for `POST /v1/connections`.
    pub credentials: Value,
    /// Seeded targets as `default_target` / sequence targets take them, by name.
    pub targets: Value,
    /// Other seeded ids by kind and name (custom fields, contract templates).
    pub seeded: Value,
    /// Where the `/_sim/` control API answers (state, request log, faults).
    pub control_url: String,
}

/// The four running simulators and what was seeded in them.
#[derive(Debug)]
pub struct Demo {
    /// Harvest v3 (and v1) with its token host.
    pub greenhouse: GreenhouseSim,
    /// Clockwork v3.
    pub clockwork: ClockworkSim,
    /// Teamtailor v1.
    pub teamtailor: TeamtailorSim,
    /// Oneflow v1.
    pub oneflow: OneflowSim,
    tenants: Vec<(ProviderKind, DemoTenant)>,
}

/// Greenhouse OAuth client of the demo tenant.
pub const GREENHOUSE_CLIENT: (&str, &str) = ("demo-client", "demo-secret");
/// Clockwork API key, secret and firm service key of the demo firm.
pub const CLOCKWORK_KEYS: (&str, &str, &str) = ("demo-key", "demo-secret", "demo-firm-key");
/// Teamtailor admin read/write key of the demo company.
pub const TEAMTAILOR_KEY: &str = "demo-teamtailor-key";
/// Secret the demo Teamtailor company signs its webhooks with.
pub const TEAMTAILOR_WEBHOOK_SECRET: &str = "demo-teamtailor-signing-key";
/// Oneflow API token of the demo account.
pub const ONEFLOW_TOKEN: &str = "demo-oneflow-token";
/// Oneflow webhook signing key of the demo account.
pub const ONEFLOW_WEBHOOK_SECRET: &str = "demo-oneflow-signing-key";

fn config(mut config: SimConfig, options: DemoOptions) -> SimConfig {
    let limits: &mut RateLimitConfig = &mut config.rate_limits;
    limits.enabled = options.rate_limits;
    config
}

fn addr(options: DemoOptions, offset: u16) -> SocketAddr {
    let port = if options.first_port == 0 { 0 } else { options.first_port.saturating_add(offset) };
    SocketAddr::new(options.host, port)
}

impl Demo {
    /// Starts the four simulators and seeds them.
    pub async fn start(options: DemoOptions) -> std::io::Result<Self> {
        let greenhouse =
            GreenhouseSim::start_with(config(crate::greenhouse::config(), options), addr(options, 0)).await?;
        let clockwork = ClockworkSim::start_with(config(crate::clockwork::config(), options), addr(options, 1)).await?;
        let teamtailor =
            TeamtailorSim::start_with(config(crate::teamtailor::config(), options), addr(options, 2)).await?;
        let oneflow = OneflowSim::start_with(config(crate::oneflow::config(), options), addr(options, 3)).await?;
        let mut demo = Self { greenhouse, clockwork, teamtailor, oneflow, tenants: Vec::new() };
        demo.tenants = vec![
            (ProviderKind::Greenhouse, demo.seed_greenhouse(options.seed)),
            (ProviderKind::Clockwork, demo.seed_clockwork(options.seed)),
            (ProviderKind::Teamtailor, demo.seed_teamtailor(options.seed)),
            (ProviderKind::Oneflow, demo.seed_oneflow(options.seed)),
        ];
        Ok(demo)
    }

    /// A provider's tenant, by the provider's name in the API (`greenhouse`, `clockwork`, ...).
    pub fn tenant(&self, provider: &str) -> Option<&DemoTenant> {
        self.tenants.iter().find(|(kind, _)| kind.as_str() == provider).map(|(_, t)| t)
    }

    /// Every tenant by provider name, as printed by `hiresync sim`.
    pub fn describe(&self) -> Value {
        Value::Object(self.tenants.iter().map(|(kind, t)| (kind.as_str().to_owned(), json!(t))).collect())
    }

    fn seed_greenhouse(&self, seed: bool) -> DemoTenant {
        let gh = self.greenhouse.app();
        gh.add_client(GREENHOUSE_CLIENT.0, GREENHOUSE_CLIENT.1);
        let recruiter = gh.add_user("Robin", "Recruiter", "robin@demo.example");
        let mut targets = json!({});
        let seeded = json!({});
        if seed {
            let job = gh.add_job("Senior Rust Engineer", &["Application Review", "Phone Screen", "Onsite", "Offer"]);
            let manager = gh.add_job("Engineering Manager", &["Application Review", "Interview"]);
            let pool = gh.add_prospect_pool("Future engineering talent", &["Reached out", "Engaged"]);
            gh.add_candidate("Ada", "Lovelace", "ada@example.com");
            gh.add_custom_field("github_profile", "GitHub profile", "short_text", &[]);
            targets = json!({
                "Senior Rust Engineer": {"job_id": job.id.to_string(), "stage_id": job.stage_ids[0].to_string()},
                "Engineering Manager": {"job_id": manager.id.to_string(), "stage_id": manager.stage_ids[0].to_string()},
                "Future engineering talent": {"prospect_pool_id": pool.id.to_string(),
                    "prospect_pool_stage_id": pool.stage_ids[0].to_string()},
            });
        }
        DemoTenant {
            base_url: self.greenhouse.base_url(),
            auth_base_url: Some(self.greenhouse.auth_base_url()),
            credentials: json!({"client_id": GREENHOUSE_CLIENT.0, "client_secret": GREENHOUSE_CLIENT.1,
                "user_id": recruiter}),
            targets,
            seeded,
            control_url: format!("{}/_sim", self.greenhouse.base_url()),
        }
    }

    fn seed_clockwork(&self, seed: bool) -> DemoTenant {
        let cw = self.clockwork.app();
        cw.add_credentials(CLOCKWORK_KEYS.0, CLOCKWORK_KEYS.1, CLOCKWORK_KEYS.2);
        let statuses = cw.seed_default_statuses();
        let mut targets = json!({});
        let seeded = json!({});
        if seed {
            let cfo = cw.add_project("CFO, Analytical Engines", "Active");
            let vp = cw.add_project("VP Engineering, Difference Inc.", "Pitch");
            cw.add_project("Board Advisor (closed)", "Closed");
            let known = cw.add_person("Charles Babbage", "charles@example.com");
            cw.set_do_not_contact(&known, true);
            targets = json!({
                "CFO, Analytical Engines": {"project_id": cfo, "status_id": statuses.first()},
                "VP Engineering, Difference Inc.": {"project_id": vp, "status_id": statuses.first()},
            });
        }
        DemoTenant {
            base_url: self.clockwork.base_url(),
            auth_base_url: None,
            credentials: json!({"firm_domain": format!("{}.clockworkrecruiting.com", self.clockwork.firm()),
                "api_key": CLOCKWORK_KEYS.0, "api_secret": CLOCKWORK_KEYS.1, "firm_service_key": CLOCKWORK_KEYS.2}),
            targets,
            seeded,
            control_url: format!("{}/_sim", self.clockwork.base_url()),
        }
    }

    fn seed_teamtailor(&self, seed: bool) -> DemoTenant {
        let tt = self.teamtailor.app();
        tt.add_api_key(TEAMTAILOR_KEY);
        let mut targets = json!({});
        let mut seeded = json!({});
        if seed {
            tt.add_user("Tove Talent", "tove@demo.example");
            let job = tt.add_job("Backend Developer", &["Inbox", "Phone screen", "Interview", "Offer"]);
            let salary = tt.add_custom_field("salary", "Salary", "CustomField::Text", &[]);
            tt.add_custom_field("start-date", "Start date", "CustomField::Date", &[]);
            tt.add_candidate("Grace", "Hopper", "grace@example.com");
            targets = json!({
                "Backend Developer": {"job_id": job.id.to_string(), "stage_id": job.stage_ids[0].to_string()},
            });
            seeded = json!({"custom_fields": {"salary": salary.id}});
        }
        DemoTenant {
            base_url: self.teamtailor.base_url(),
            auth_base_url: None,
            credentials: json!({"api_key": TEAMTAILOR_KEY, "region": "eu",
                "webhook_secret": TEAMTAILOR_WEBHOOK_SECRET}),
            targets,
            seeded,
            control_url: format!("{}/_sim", self.teamtailor.base_url()),
        }
    }

    fn seed_oneflow(&self, seed: bool) -> DemoTenant {
        let of = self.oneflow.app();
        of.add_token(ONEFLOW_TOKEN);
        of.add_user("Rita Recruiter", "rita@demo.example");
        let targets = json!({});
        let mut seeded = json!({});
        if seed {
            let workspace = of.add_workspace("Recruiting");
            let template = of.add_template(
                workspace,
                "Employment offer",
                &[("candidate_name", "Candidate name"), ("salary", "Salary"), ("start_date", "Start date")],
            );
            seeded = json!({"templates": {"Employment offer": {"workspace_id": template.workspace_id,
                "template_id": template.template_id}}});
        }
        DemoTenant {
            base_url: self.oneflow.base_url(),
            auth_base_url: None,
            credentials: json!({"api_token": ONEFLOW_TOKEN, "user_email": "rita@demo.example",
                "webhook_secret": ONEFLOW_WEBHOOK_SECRET}),
            targets,
            seeded,
            control_url: format!("{}/_sim", self.oneflow.base_url()),
        }
    }
}
