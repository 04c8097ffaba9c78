//! What this process's provider requests cost, for `/metrics`: requests by
//! provider, operation and status class, latency, 429s, time spent waiting
//! for a rate budget, and the share of the allowance the provider last
//! reported used. Process-wide, because every connection's client records
//! here; a server registers the families in its registry.

use super::RateLimitHeaders;
use hiresync_core::ProviderKind;
use http::HeaderMap;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::LazyLock;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

type Labels = Vec<(&'static str, String)>;

/// Latency buckets, in seconds: providers answer in tens to thousands of milliseconds.
const LATENCY_BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The provider metrics of this process.
pub static PROVIDER_METRICS: LazyLock<ProviderMetrics> = LazyLock::new(ProviderMetrics::default);

/// Provider request metrics; labels are bounded (providers and the code's operation names).
pub struct ProviderMetrics {
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram, fn() -> Histogram>,
    rate_limited: Family<Labels, Counter>,
    budget_wait: Family<Labels, Counter<f64, AtomicU64>>,
    allowance_used: Family<Labels, Gauge<f64, AtomicU64>>,
}

impl Default for ProviderMetrics {
    fn default() -> Self {
        Self {
            requests: Family::default(),
            latency: Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS)),
            rate_limited: Family::default(),
            budget_wait: Family::default(),
            allowance_used: Family::default(),
        }
    }
}

fn provider(kind: ProviderKind) -> Labels {
    vec![("provider", kind.as_str().to_owned())]
}

impl ProviderMetrics {
    /// Adds the families to `registry` (they stay shared with this process's recorders).
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "hiresync_provider_requests",
            "Provider requests by provider, operation and status class (`error`: no response)",
            self.requests.clone(),
        );
        registry.register(
            "hiresync_provider_request_duration_seconds",
            "Provider response time by provider and operation",
            self.latency.clone(),
        );
        registry.register("hiresync_provider_rate_limited", "429 responses by provider", self.rate_limited.clone());
        registry.register(
            "hiresync_provider_budget_wait_seconds",
            "Seconds requests waited for their credential's rate budget, by provider",
            self.budget_wait.clone(),
        );
        registry.register(
            "hiresync_provider_allowance_used_ratio",
            "Share of the window's allowance used, as the provider's last response reported it",
            self.allowance_used.clone(),
        );
    }

    /// One request's outcome: `status` is `None` when no response came back.
    pub fn answered(&self, kind: ProviderKind, operation: &str, status: Option<u16>, took: Duration) {
        let class = status.map_or_else(|| "error".to_owned(), |s| format!("{}xx", s / 100));
        let mut labels = provider(kind);
        labels.push(("operation", operation.to_owned()));
        if status.is_some() {
            self.latency.get_or_create(&labels).observe(took.as_secs_f64());
        }
        labels.push(("status_class", class));
        self.requests.get_or_create(&labels).inc();
        if status == Some(429) {
            self.rate_limited.get_or_create(&provider(kind)).inc();
        }
    }

    /// Time one request spent waiting for a slot on its credential's budget.
    pub fn waited(&self, kind: ProviderKind, wait: Duration) {
        if !wait.is_zero() {
            self.budget_wait.get_or_create(&provider(kind)).inc_by(wait.as_secs_f64());
        }
    }

    /// Reads the provider's own limit and remaining count, when it sends both.
    pub fn allowance(&self, kind: ProviderKind, names: &RateLimitHeaders, headers: &HeaderMap) {
        let read = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<f64>().ok();
        if let (Some(limit), Some(remaining)) = (read(names.limit), read(names.remaining))
            && limit.is_finite()
            && limit > 0.0
            && remaining.is_finite()
        {
            let used = ((limit - remaining) / limit).clamp(0.0, 1.0);
            self.allowance_used.get_or_create(&provider(kind)).set(used);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prometheus_client::encoding::text::encode;

    fn render(metrics: &ProviderMetrics) -> String {
        let mut registry = Registry::default();
        metrics.register(&mut registry);
        let mut out = String::new();
        encode(&mut out, &registry).unwrap();
        out
    }

    #[test]
    fn requests_are_counted_by_provider_operation_and_class() {
        let metrics = ProviderMetrics::default();
        let ms = Duration::from_millis(30);
        metrics.answered(ProviderKind::Greenhouse, "create candidate", Some(201), ms);
        metrics.answered(ProviderKind::Greenhouse, "create candidate", Some(429), ms);
        metrics.answered(ProviderKind::Teamtailor, "find person", None, ms);
        metrics.waited(ProviderKind::Greenhouse, Duration::from_millis(1500));
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", "50".parse().unwrap());
        headers.insert("x-ratelimit-remaining", "10".parse().unwrap());
        metrics.allowance(ProviderKind::Greenhouse, &RateLimitHeaders::default(), &headers);
        let text = render(&metrics);
        let line =
            |needle: &str| text.lines().find(|l| l.starts_with(needle)).unwrap_or_else(|| panic!("{needle} in {text}"));
        assert!(line("hiresync_provider_requests_total{provider=\"greenhouse\",operation=\"create candidate\",status_class=\"2xx\"}").ends_with(" 1"));
        assert!(line("hiresync_provider_requests_total{provider=\"teamtailor\",operation=\"find person\",status_class=\"error\"}").ends_with(" 1"));
        assert!(line("hiresync_provider_rate_limited_total{provider=\"greenhouse\"}").ends_with(" 1"));
        assert!(line("hiresync_provider_budget_wait_seconds_total{provider=\"greenhouse\"}").ends_with(" 1.5"));
        assert!(line("hiresync_provider_allowance_used_ratio{provider=\"greenhouse\"}").ends_with(" 0.8"));
        assert!(line("hiresync_provider_request_duration_seconds_count{provider=\"greenhouse\",operation=\"create candidate\"}").ends_with(" 2"));
    }
}
