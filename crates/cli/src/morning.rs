//! The sandbox's scripted recruiter morning, played through the public API as
//! the outreach app would: three recruiters connect their ATS, start
//! sequences, add people, send the first step, and a few people reply; one of
//! them already exists in Greenhouse and is linked rather than duplicated.

use crate::sandbox::Api;
use anyhow::{Context, Result, bail};
use hiresync_sim::{Demo, WebhookEndpoint};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Pause between the morning's steps, so a person can follow along.
const STEP: Duration = Duration::from_millis(300);
/// How long the morning waits for the worker to catch up before giving up.
const SETTLE_LIMIT: Duration = Duration::from_secs(120);

/// The demo team: who they are, their connections and their sequences.
pub struct Team {
    recruiters: Vec<Recruiter>,
    /// The workspace's Oneflow connection, paired with Tove's Teamtailor.
    oneflow_connection: String,
}

struct Recruiter {
    name: &'static str,
    api: Api,
    user_id: String,
    provider: &'static str,
    connection_id: String,
    sequence: &'static str,
    people: &'static [Person],
}

/// Someone a recruiter reaches out to, and how the morning goes for them.
struct Person {
    id: &'static str,
    first: &'static str,
    last: &'static str,
    email: &'static str,
    title: &'static str,
    company: &'static str,
    replies: bool,
}

const fn person(
    id: &'static str,
    (first, last): (&'static str, &'static str),
    email: &'static str,
    (title, company): (&'static str, &'static str),
    replies: bool,
) -> Person {
    Person { id, first, last, email, title, company, replies }
}

const RUST_ENGINEERS: &[Person] = &[
    person("margaret-hamilton", ("Margaret", "Hamilton"), "margaret@example.com", ("Lead Engineer", "Apollo"), true),
    person("ken-thompson", ("Ken", "Thompson"), "ken@example.com", ("Systems Engineer", "Bell Labs"), false),
    person("barbara-liskov", ("Barbara", "Liskov"), "barbara@example.com", ("Professor", "MIT"), true),
    person("ada-lovelace", ("Ada", "Lovelace"), "ada@example.com", ("Analyst", "Analytical Engines"), false),
];
const CFO_SEARCH: &[Person] = &[
    person("mary-somerville", ("Mary", "Somerville"), "mary@example.com", ("Finance Director", "Royal Society"), true),
    person("charles-babbage", ("Charles", "Babbage"), "charles@example.com", ("Founder", "Difference Inc."), false),
];
const BACKEND_DEVELOPERS: &[Person] = &[
    person("alan-turing", ("Alan", "Turing"), "alan@example.com", ("Researcher", "Bletchley"), true),
    person("grace-hopper", ("Grace", "Hopper"), "grace@example.com", ("Rear Admiral", "US Navy"), false),
];

impl Team {
    /// Users by name with their ids and tokens.
    pub fn users(&self) -> Value {
        self.recruiters
            .iter()
            .map(|r| (r.name.to_lowercase(), json!({"user_id": r.user_id, "token": r.api.token()})))
            .collect::<serde_json::Map<_, _>>()
            .into()
    }

    /// Connection ids by provider.
    pub fn connections(&self) -> Value {
        let mut all: serde_json::Map<_, _> =
            self.recruiters.iter().map(|r| (r.provider.to_owned(), json!(r.connection_id))).collect();
        all.insert("oneflow".into(), json!(self.oneflow_connection));
        all.into()
    }
}

/// Adds the teammates, connects each one's ATS with sensible settings, and creates their sequences.
pub async fn set_up(owner: &Api, owner_id: &str, demo: &Demo) -> Result<Team> {
    let casey = add_user(owner, "casey@demo.example").await?;
    let tove = add_user(owner, "tove@demo.example").await?;
    let base = owner.base();
    let mut recruiters = Vec::new();
    for (name, api, user_id, provider, (sequence, job), people) in [
        (
            "Robin",
            owner.clone(),
            owner_id.to_owned(),
            "greenhouse",
            ("rust-engineers", "Senior Rust Engineer"),
            RUST_ENGINEERS,
        ),
        (
            "Casey",
            Api::new(base, &casey.1),
            casey.0,
            "clockwork",
            ("cfo-search", "CFO, Analytical Engines"),
            CFO_SEARCH,
        ),
        (
            "Tove",
            Api::new(base, &tove.1),
            tove.0,
            "teamtailor",
            ("backend-developers", "Backend Developer"),
            BACKEND_DEVELOPERS,
        ),
    ] {
        let tenant = demo.tenant(provider).with_context(|| format!("no {provider} simulator"))?;
        let mut body = json!({"provider": provider, "base_url": tenant.base_url, "credentials": tenant.credentials});
        if let Some(auth) = &tenant.auth_base_url {
            body["auth_base_url"] = json!(auth);
        }
        let conn = api.send(Method::POST, "/v1/connections", Some(&body)).await?;
        let connection_id = conn["id"].as_str().unwrap_or_default().to_owned();
        let targets = api.send(Method::GET, &format!("/v1/connections/{connection_id}/targets"), None).await?;
        let (target, reply_stage) = target_and_reply_stage(&targets, job)?;
        let settings = json!({
            "default_target": target,
            "dedup_warning": true,
            "activity_tracking": true,
            "block_off_limits": true,
            "stage_map": reply_stage.map(|s| json!({"replied": s})).unwrap_or_else(|| json!({})),
        });
        api.send(Method::PUT, &format!("/v1/connections/{connection_id}/settings"), Some(&settings)).await?;
        let title = sequence.replace('-', " ");
        api.send(Method::PUT, &format!("/v1/sequences/{sequence}"), Some(&json!({"name": title}))).await?;
        recruiters.push(Recruiter { name, api, user_id, provider, connection_id, sequence, people });
    }
    let teamtailor = recruiters.iter().find(|r| r.provider == "teamtailor").map(|r| r.connection_id.clone());
    let oneflow_connection = pair_oneflow(owner, demo, &teamtailor.unwrap_or_default()).await?;
    Ok(Team { recruiters, oneflow_connection })
}

/// Connects the workspace's Oneflow, pairs it with Teamtailor (salary and start date carried both
/// ways), and points both simulators' webhooks at hiresync.
async fn pair_oneflow(owner: &Api, demo: &Demo, teamtailor_connection: &str) -> Result<String> {
    let tenant = demo.tenant("oneflow").context("no Oneflow simulator")?;
    let body = json!({"provider": "oneflow", "scope": "workspace", "base_url": tenant.base_url,
        "credentials": tenant.credentials});
    let conn = owner.send(Method::POST, "/v1/connections", Some(&body)).await?;
    let id = conn["id"].as_str().unwrap_or_default().to_owned();
    let settings = json!({"teamtailor_connection_id": teamtailor_connection, "field_map": [
        {"teamtailor_custom_field": "salary", "oneflow_data_field": "salary"},
        {"teamtailor_custom_field": "start-date", "oneflow_data_field": "start_date"}]});
    owner.send(Method::PUT, &format!("/v1/connections/{id}/settings"), Some(&settings)).await?;
    demo.oneflow.core().webhooks().register(WebhookEndpoint {
        url: format!("{}/v1/webhooks/oneflow/{id}", owner.base()),
        secret: hiresync_sim::demo::ONEFLOW_WEBHOOK_SECRET.into(),
    });
    demo.teamtailor.core().webhooks().register(WebhookEndpoint {
        url: format!("{}/v1/webhooks/teamtailor/{teamtailor_connection}", owner.base()),
        secret: hiresync_sim::demo::TEAMTAILOR_WEBHOOK_SECRET.into(),
    });
    Ok(id)
}

/// Tove fills in Alan's salary in Teamtailor and sends him an offer through Oneflow, prefilled.
async fn send_offer(team: &Team, demo: &Demo) -> Result<()> {
    let Some(tove) = team.recruiters.iter().find(|r| r.provider == "teamtailor") else { return Ok(()) };
    let sync = tove.api.send(Method::GET, "/v1/contacts/alan-turing/sync", None).await?;
    let candidate = sync[0]["person_id"].as_str().context("Alan is not in Teamtailor")?.to_owned();
    let tenant = demo.tenant("teamtailor").context("no Teamtailor simulator")?;
    if let (Ok(id), Some(field)) = (candidate.parse::<i64>(), tenant.seeded["custom_fields"]["salary"].as_i64()) {
        demo.teamtailor
            .app()
            .recruiter_sets_custom_field(id, field, &json!("72000"))
            .map_err(|e| anyhow::anyhow!("setting Alan's salary: {e:?}"))?;
        println!("Tove sets Alan Turing's salary to 72000 in Teamtailor");
    }
    let of = demo.tenant("oneflow").context("no Oneflow simulator")?;
    let template = &of.seeded["templates"]["Employment offer"];
    let body = json!({"oneflow_connection_id": team.oneflow_connection, "candidate": candidate,
        "template_id": template["template_id"], "workspace_id": template["workspace_id"],
        "name": "Offer for Alan Turing"});
    let contract = tove.api.send(Method::POST, "/v1/contracts", Some(&body)).await?;
    println!(
        "Tove sends Alan an offer through Oneflow, prefilled with {}: {}",
        contract["prefilled"],
        contract["url"].as_str().unwrap_or_default()
    );
    Ok(())
}

async fn add_user(owner: &Api, email: &str) -> Result<(String, String)> {
    let user = owner
        .send(Method::POST, "/v1/users", Some(&json!({"email": email, "role": "member", "groups": ["demo"]})))
        .await?;
    Ok((
        user["id"].as_str().unwrap_or_default().to_owned(),
        user["token"].as_str().context("POST /v1/users gave no token")?.to_owned(),
    ))
}

/// The named target as the ATS lists it, and the stage a reply should move people to (its second).
pub(crate) fn target_and_reply_stage(targets: &Value, name: &str) -> Result<(Value, Option<Value>)> {
    let Some(first) = targets.as_array().and_then(|t| t.iter().find(|t| t["name"] == name)) else {
        bail!("the ATS does not offer `{name}`: {targets}");
    };
    let reply_stage = first["stages"].as_array().and_then(|s| s.get(1)).map(|s| s["id"].clone());
    Ok((first["target"].clone(), reply_stage))
}

/// Plays the morning and waits until every person's sync has settled.
pub async fn play(team: &Team, demo: &Demo) -> Result<()> {
    let mut seq = 0_u32;
    let mut event = |r: &Recruiter, kind: &str, p: &Person, data: Value| {
        seq += 1;
        json!({"id": format!("sandbox-{seq}"), "type": kind, "occurred_at": chrono::Utc::now().to_rfc3339(),
            "contact": p.id, "sequence": r.sequence, "data": data})
    };
    for r in &team.recruiters {
        let mut added = Vec::new();
        for p in r.people {
            let contact = json!({"emails": [p.email], "first_name": p.first, "last_name": p.last,
                "title": p.title, "company": p.company, "source": "sandbox"});
            r.api.send(Method::PUT, &format!("/v1/contacts/{}", p.id), Some(&contact)).await?;
            added.push(event(r, "contact_added", p, json!({})));
            println!("{} adds {} {} to the '{}' sequence", r.name, p.first, p.last, r.sequence);
        }
        r.api.send(Method::POST, "/v1/events", Some(&Value::Array(added))).await?;
        tokio::time::sleep(STEP).await;
    }
    for r in &team.recruiters {
        let sent: Vec<Value> = r
            .people
            .iter()
            .map(|p| {
                let body = format!("Hi {}, I came across your work at {} and would love to talk.", p.first, p.company);
                event(
                    r,
                    "message_sent",
                    p,
                    json!({"subject": "Quick question", "body": body, "step": 1,
                    "to": p.email, "from": format!("{}@demo.example", r.name.to_lowercase())}),
                )
            })
            .collect();
        println!("{} sends step 1 to {} people", r.name, sent.len());
        r.api.send(Method::POST, "/v1/events", Some(&Value::Array(sent))).await?;
        tokio::time::sleep(STEP).await;
    }
    for r in &team.recruiters {
        for p in r.people.iter().filter(|p| p.replies) {
            let reply = event(
                r,
                "reply_received",
                p,
                json!({"subject": "Re: Quick question",
                "body": "Sounds interesting, happy to talk this week.", "from": p.email}),
            );
            println!("{} {} replies to {}", p.first, p.last, r.name);
            r.api.send(Method::POST, "/v1/events", Some(&json!([reply]))).await?;
            tokio::time::sleep(STEP).await;
        }
    }
    settle(team).await?;
    send_offer(team, demo).await
}

/// Waits until the workspace's queue is empty, then prints where each person stands.
async fn settle(team: &Team) -> Result<()> {
    let started = Instant::now();
    let Some(owner) = team.recruiters.first().map(|r| &r.api) else { return Ok(()) };
    loop {
        let mut pending = 0;
        for state in ["queued", "running"] {
            let jobs = owner.send(Method::GET, &format!("/v1/jobs?state={state}"), None).await?;
            pending += jobs.as_array().map_or(0, Vec::len);
        }
        let mut lines = Vec::new();
        for r in &team.recruiters {
            for p in r.people {
                let states = r.api.send(Method::GET, &format!("/v1/contacts/{}/sync", p.id), None).await?;
                for s in states.as_array().into_iter().flatten() {
                    let state = s["state"].as_str().unwrap_or("unknown");
                    if state == "pending" {
                        pending += 1;
                    }
                    let notes: Vec<&str> =
                        s["errors"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                    let extra = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) };
                    lines.push(format!(
                        "  {} {} -> {}: {state}{extra} {}",
                        p.first,
                        p.last,
                        r.provider,
                        s["person_url"].as_str().unwrap_or("")
                    ));
                }
            }
        }
        if pending == 0 {
            println!("The morning is played. Where everyone stands:");
            for l in lines {
                println!("{l}");
            }
            return Ok(());
        }
        if started.elapsed() > SETTLE_LIMIT {
            bail!("{pending} syncs still pending after {} s", SETTLE_LIMIT.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
