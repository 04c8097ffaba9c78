//! What the engine does, for `/metrics`: how long jobs run, by kind and
//! outcome, and webhook deliveries by outcome. Process-wide: every worker of
//! the process records here; a server registers the families.

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::LazyLock;
use std::time::Duration;

type Labels = Vec<(&'static str, String)>;

/// From a no-op's microseconds to a paced bulk step's minutes, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 60.0, 300.0];

/// The engine metrics of this process.
pub static ENGINE_METRICS: LazyLock<EngineMetrics> = LazyLock::new(EngineMetrics::default);

/// Job run times and webhook deliveries.
pub struct EngineMetrics {
    durations: Family<Labels, Histogram, fn() -> Histogram>,
    deliveries: Family<Labels, Counter>,
}

impl Default for EngineMetrics {
    fn default() -> Self {
        Self { durations: Family::new_with_constructor(|| Histogram::new(BUCKETS)), deliveries: Family::default() }
    }
}

impl EngineMetrics {
    /// Adds the families to `registry`.
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "hiresync_job_duration_seconds",
            "Time a job's run took, by kind and outcome (done, failed, lost)",
            self.durations.clone(),
        );
        registry.register(
            "hiresync_webhook_deliveries",
            "Webhook delivery attempts by outcome (delivered, refused: a non-2xx answer, failed: no answer)",
            self.deliveries.clone(),
        );
    }

    /// One webhook delivery attempt that ended as `outcome`.
    pub fn delivery(&self, outcome: &'static str) {
        self.deliveries.get_or_create(&vec![("outcome", outcome.to_owned())]).inc();
    }

    /// One run of a job of `kind` that ended as `outcome` after `took`.
    pub fn ran(&self, kind: &str, outcome: &'static str, took: Duration) {
        let labels = vec![("kind", kind.to_owned()), ("outcome", outcome.to_owned())];
        self.durations.get_or_create(&labels).observe(took.as_secs_f64());
    }
}
