//! `hiresync bench --quick --json` runs every figure against the real server
//! and simulators and reports each with sane values. Never a speed threshold:
//! the figures must exist, count real work and be finite.

use crate::support::BIN;
use serde_json::Value;

fn finite_positive(v: &Value, what: &str) -> f64 {
    let n = v.as_f64().unwrap_or_else(|| panic!("{what} is not a number: {v}"));
    assert!(n.is_finite() && n > 0.0, "{what} = {n}");
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_bench_reports_every_figure_with_sane_values() {
    let mut cmd = tokio::process::Command::new(BIN);
    cmd.args(["bench", "--quick", "--json", "--contacts", "60", "--time-scale", "50"])
        .env("HIRESYNC_LOG", "error")
        .kill_on_drop(true);
    let pg = std::env::var("HIRESYNC_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty());
    if let Some(url) = &pg {
        cmd.args(["--database-url", url]);
    }
    let out = cmd.output().await.unwrap();
    assert!(out.status.success(), "bench failed: {}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();

    assert!(!report["machine"]["cpu"].as_str().unwrap().is_empty());
    let peer = report["peer"].as_array().unwrap();
    assert_eq!(peer.len(), 2, "apalis at 4 and 32: {peer:?}");
    for p in peer {
        assert_eq!(p["jobs"], 1000);
        finite_positive(&p["jobs_per_sec"], "apalis jobs/s");
    }
    let backends: Vec<&str> = if pg.is_some() { vec!["sqlite", "postgres"] } else { vec!["sqlite"] };
    for name in backends {
        let b = &report["backends"][name];
        let quota = b["quota"].as_array().unwrap_or_else(|| panic!("{name}: no quota figure"));
        assert_eq!(quota.len(), 2, "greenhouse and teamtailor");
        for q in quota {
            assert!(q["requests"].as_u64().unwrap() >= 60, "{name}: at least one request per contact: {q}");
            let used = finite_positive(&q["allowance_used"], "allowance used");
            assert!(used <= 1.0, "{name}: more than the allowance was served: {q}");
            finite_positive(&q["wall_ratio"], "wall ratio");
            assert_eq!(q["dead_jobs"], 0, "{q}");
        }
        let requests = b["requests"].as_array().unwrap();
        let providers: Vec<&str> = requests.iter().map(|r| r["provider"].as_str().unwrap()).collect();
        assert_eq!(providers, ["greenhouse", "clockwork", "teamtailor"]);
        for r in requests {
            // The flow writes at least the documented minimum; fewer would mean it did not run.
            assert!(r["ratio"].as_f64().unwrap() >= 1.0, "{name}: {r}");
            finite_positive(&r["per_contact"], "requests per contact");
        }
        let engine = b["engine"].as_array().unwrap();
        assert_eq!(engine.iter().map(|e| e["concurrency"].as_u64().unwrap()).collect::<Vec<_>>(), [4, 32]);
        for e in engine {
            assert_eq!(e["jobs"], 1000);
            finite_positive(&e["jobs_per_sec"], "jobs/s");
        }
        assert_eq!(b["ingest"]["events"], 5000, "{name}");
        finite_positive(&b["ingest"]["events_per_sec"], "events/s");
        let f = &b["freshness"];
        assert_eq!(f["events"], 200);
        let (p50, p99) = (f["p50_ms"].as_f64().unwrap(), f["p99_ms"].as_f64().unwrap());
        assert!(p50.is_finite() && p99.is_finite() && p50 >= 0.0 && p50 <= p99, "{f}");
        let fa = &b["fairness"];
        assert_eq!((fa["flood_contacts"].as_u64(), fa["events"].as_u64()), (Some(2000), Some(200)), "{name}: {fa}");
        finite_positive(&fa["alone_p99_ms"], "fairness alone p99");
        finite_positive(&fa["flooded_p99_ms"], "fairness flooded p99");
        finite_positive(&fa["ratio"], "fairness ratio");
        let memory = b["memory"].as_array().unwrap();
        assert_eq!(memory.iter().map(|m| m["contacts"].as_u64().unwrap()).collect::<Vec<_>>(), [300, 1000]);
        for m in memory {
            let mib = finite_positive(&m["peak_rss_mib"], "peak RSS");
            assert!(mib < 24.0 * 1024.0, "{name}: {m}");
        }
        for p in b["peer_ratio"].as_array().unwrap() {
            finite_positive(&p["ratio"], "ratio to apalis");
        }
        if name == "postgres" {
            let quota = b["cluster_quota"].as_array().expect("a cluster quota figure on PostgreSQL");
            assert_eq!(quota.iter().map(|q| q["workers"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2, 4]);
            for q in quota {
                assert_eq!(q["provider"], "greenhouse");
                assert!(q["requests"].as_u64().unwrap() >= 60, "at least one request per contact: {q}");
                let used = finite_positive(&q["allowance_used"], "cluster allowance used");
                assert!(used <= 1.0, "the processes together were served more than the allowance: {q}");
                finite_positive(&q["wall_ratio"], "cluster wall ratio");
                assert_eq!(q["dead_jobs"], 0, "{q}");
            }
            let engine = b["cluster_engine"].as_array().expect("a cluster engine figure on PostgreSQL");
            assert_eq!(engine.iter().map(|e| e["workers"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2, 4]);
            for e in engine {
                assert_eq!(e["jobs"], 1000, "every job done once: {e}");
                finite_positive(&e["jobs_per_sec"], "cluster jobs/s");
            }
        } else {
            assert!(b.get("cluster_quota").is_none() && b.get("cluster_engine").is_none(), "one process on SQLite");
        }
    }
    let goals = report["goals"].as_array().unwrap();
    assert!(goals.iter().any(|g| g["figure"] == "engine"), "goals are judged: {goals:?}");
    if pg.is_some() {
        assert!(goals.iter().any(|g| g["figure"] == "cluster engine"), "cluster goals are judged: {goals:?}");
        assert_eq!(goals.iter().filter(|g| g["figure"].as_str().unwrap().starts_with("cluster quota")).count(), 3);
    }
    assert!(goals.iter().all(|g| g["met"].is_boolean() && g["met"] == true || !g["why"].as_str().unwrap().is_empty()));
}

#[tokio::test]
async fn cluster_figures_without_postgres_are_refused_by_name() {
    let out = tokio::process::Command::new(BIN)
        .args(["bench", "--quick", "--only", "engine,cluster-engine", "--database-url", "sqlite://unused.db"])
        .env("HIRESYNC_LOG", "error")
        .kill_on_drop(true)
        .output()
        .await
        .unwrap();
    assert!(!out.status.success(), "a cluster figure on SQLite measured nothing, silently");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cluster-engine") && stderr.contains("postgres"), "{stderr}");
}
