//! Fault injection: standing rates (errors, drops, latency, slow list pages)
//! for the sandbox, and scripted one-shot faults for deterministic tests.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::time::Duration;

/// One injected misbehaviour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer with this status and the provider's error body.
    Status {
        /// HTTP status to answer with.
        status: u16,
    },
    /// Cut the connection without answering.
    Drop,
    /// Carry the request out, then cut the connection: the write happened, the caller
    /// cannot know (a timed-out write).
    LoseResponse,
    /// Answer 429 with `Retry-After`.
    RateLimited {
        /// Seconds sent in `Retry-After`.
        retry_after_secs: u64,
    },
    /// Answer 429 with this `Retry-After` text as it is (a hostile or broken provider's
    /// `1e12`, a date, garbage).
    Throttled {
        /// The header's value.
        retry_after: String,
    },
    /// Answer 200 with a body of this many bytes, declared in `Content-Length`.
    Huge {
        /// Body size.
        bytes: usize,
    },
    /// Wait this long, then answer normally.
    Delay {
        /// Milliseconds to wait.
        millis: u64,
    },
}

/// A fault queued for the next matching request(s).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScriptedFault {
    /// What to do.
    pub fault: Fault,
    /// How many matching requests it applies to.
    #[serde(default = "one")]
    pub count: u32,
    /// Only requests whose path starts with this (any request when absent).
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Only requests with this method (any when absent).
    #[serde(default)]
    pub method: Option<String>,
}

fn one() -> u32 {
    1
}

/// Standing fault rates, applied to every request (control routes excepted).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultRates {
    /// Share of requests (0..=1) answered with `error_status`.
    pub error_rate: f64,
    /// Status used by `error_rate` (500 when zero).
    pub error_status: u16,
    /// Share of requests whose connection is cut.
    pub drop_rate: f64,
    /// Share of requests answered 429.
    pub rate_limit_rate: f64,
    /// Added latency on every request, in milliseconds.
    pub latency_ms: u64,
    /// Extra latency on GET requests (list pages), in milliseconds.
    pub slow_page_ms: u64,
}

/// Both kinds of faults; the scripted queue is consumed first.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Faults {
    /// Standing rates.
    pub rates: FaultRates,
    /// Queued one-shot faults.
    pub scripted: VecDeque<ScriptedFault>,
}

impl Faults {
    /// Picks the faults for one request: first any scripted fault that matches, then the rates.
    pub fn pick(&mut self, method: &str, path: &str) -> Vec<Fault> {
        let mut picked = Vec::new();
        let matches = |s: &ScriptedFault| {
            s.path_prefix.as_deref().is_none_or(|p| path.starts_with(p))
                && s.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
        };
        if let Some(index) = self.scripted.iter().position(matches)
            && let Some(entry) = self.scripted.get_mut(index)
        {
            picked.push(entry.fault.clone());
            entry.count = entry.count.saturating_sub(1);
            if entry.count == 0 {
                self.scripted.remove(index);
            }
        }
        let r = &self.rates;
        let latency = r.latency_ms + if method == "GET" { r.slow_page_ms } else { 0 };
        if latency > 0 {
            picked.push(Fault::Delay { millis: latency });
        }
        if roll(r.drop_rate) {
            picked.push(Fault::Drop);
        } else if roll(r.rate_limit_rate) {
            picked.push(Fault::RateLimited { retry_after_secs: 1 });
        } else if roll(r.error_rate) {
            picked.push(Fault::Status { status: if r.error_status == 0 { 500 } else { r.error_status } });
        }
        picked
    }
}

fn roll(rate: f64) -> bool {
    rate > 0.0 && rand::random::<f64>() < rate
}

/// A [`Fault::Delay`] for a duration.
pub fn delay(d: Duration) -> Fault {
    Fault::Delay { millis: u64::try_from(d.as_millis()).unwrap_or(u64::MAX) }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    #[test]
    fn scripted_faults_match_path_and_count_down() {
        let mut faults = Faults::default();
        faults.scripted.push_back(ScriptedFault {
            fault: Fault::Drop,
            count: 2,
            path_prefix: Some("/v3/jobs".into()),
            method: None,
        });
        assert!(faults.pick("GET", "/v3/candidates").is_empty());
        assert_eq!(faults.pick("GET", "/v3/jobs"), vec![Fault::Drop]);
        assert_eq!(faults.pick("GET", "/v3/jobs"), vec![Fault::Drop]);
        assert!(faults.pick("GET", "/v3/jobs").is_empty());
    }

    #[test]
    fn slow_pages_only_slow_reads() {
        let mut faults =
            Faults { rates: FaultRates { slow_page_ms: 50, ..FaultRates::default() }, ..Faults::default() };
        assert_eq!(faults.pick("GET", "/x"), vec![Fault::Delay { millis: 50 }]);
        assert!(faults.pick("POST", "/x").is_empty());
    }
}
