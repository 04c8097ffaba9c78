//! Prometheus metrics (`hiresync_<noun>_<unit>[_total]`, bounded labels).
//! Queue depth is read from the store when scraped, never kept as a gauge in memory.

use hiresync_engine::metrics::ENGINE_METRICS;
use hiresync_providers::http::metrics::PROVIDER_METRICS;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;

type Labels = Vec<(&'static str, String)>;

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    /// Requests by method, matched route and status class.
    pub requests: Family<Labels, Counter>,
    /// Events stored.
    pub events_accepted: Counter,
    /// Events seen before and ignored.
    pub events_duplicate: Counter,
    jobs: Family<Labels, Gauge>,
    oldest_due: Gauge<f64, AtomicU64>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<Labels, Counter>::default();
        let events_accepted = Counter::default();
        let events_duplicate = Counter::default();
        let jobs = Family::<Labels, Gauge>::default();
        registry.register("hiresync_http_requests", "HTTP requests by route and status class", requests.clone());
        registry.register("hiresync_events_accepted", "Events stored", events_accepted.clone());
        registry.register("hiresync_events_duplicate", "Events ignored as duplicates", events_duplicate.clone());
        registry.register("hiresync_jobs", "Jobs in the queue by state, read when scraped", jobs.clone());
        let oldest_due = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "hiresync_job_oldest_due_age_seconds",
            "How long the longest-waiting due job has waited for a worker, read when scraped",
            oldest_due.clone(),
        );
        PROVIDER_METRICS.register(&mut registry);
        ENGINE_METRICS.register(&mut registry);
        Self { registry, requests, events_accepted, events_duplicate, jobs, oldest_due }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, method: &str, route: &str, status: u16) {
        let labels = vec![
            ("method", method.to_owned()),
            ("route", route.to_owned()),
            ("status_class", format!("{}xx", status / 100)),
        ];
        self.requests.get_or_create(&labels).inc();
    }

    /// The text exposition, with the queue's counts by state and its oldest due job's wait.
    pub fn render(&self, job_counts: &[(String, i64)], oldest_due_ms: i64) -> String {
        self.oldest_due.set(oldest_due_ms as f64 / 1000.0);
        for state in ["queued", "running", "held", "done", "dead"] {
            let n = job_counts.iter().find(|(s, _)| s == state).map_or(0, |(_, n)| *n);
            self.jobs.get_or_create(&vec![("state", state.to_owned())]).set(n);
        }
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}
