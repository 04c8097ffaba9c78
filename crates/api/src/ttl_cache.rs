//! A small in-memory map whose entries expire: provider answers that may be a
//! few minutes stale (SPEC S10's off-limits question) but are too slow to ask
//! on every send.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How long an answer is kept unless the cache says otherwise: brief enough that a
/// flag set in the provider takes effect within minutes.
pub const DEFAULT_TTL: Duration = Duration::from_secs(5 * 60);

/// Above this many entries, expired ones are swept on insert so the map cannot grow unbounded.
const SWEEP_ABOVE: usize = 10_000;

/// Values by key, each forgotten `ttl` after it was stored.
#[derive(Debug)]
pub struct TtlCache<V> {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, V)>>,
}

impl<V: Clone> Default for TtlCache<V> {
    fn default() -> Self {
        Self::new(DEFAULT_TTL)
    }
}

impl<V: Clone> TtlCache<V> {
    /// An empty cache keeping entries for `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, entries: Mutex::default() }
    }

    /// The value stored under `key`, unless it has expired.
    pub fn get(&self, key: &str) -> Option<V> {
        let entries = self.lock();
        let (stored, value) = entries.get(key)?;
        (stored.elapsed() < self.ttl).then(|| value.clone())
    }

    /// Stores `value` under `key`, replacing what was there.
    pub fn put(&self, key: String, value: V) {
        let mut entries = self.lock();
        if entries.len() >= SWEEP_ABOVE {
            let ttl = self.ttl;
            entries.retain(|_, (stored, _)| stored.elapsed() < ttl);
        }
        entries.insert(key, (Instant::now(), value));
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, (Instant, V)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_after_their_ttl() {
        let cache = TtlCache::new(Duration::from_millis(0));
        cache.put("a".into(), 1);
        assert_eq!(cache.get("a"), None);
        let cache = TtlCache::<Option<String>>::default();
        cache.put("a".into(), Some("no".into()));
        cache.put("b".into(), None);
        assert_eq!(cache.get("a"), Some(Some("no".into())));
        assert_eq!(cache.get("b"), Some(None));
        assert_eq!(cache.get("c"), None);
    }
}
