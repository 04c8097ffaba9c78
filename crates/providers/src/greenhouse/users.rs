//! Who a workspace connection writes as (SPEC C1): the Greenhouse user of a
//! hiresync user's email, looked up through `/v3/users` and kept for a few
//! minutes, misses included, so a busy sequence costs one lookup per owner and
//! a user added in Greenhouse is found soon. Expired entries are swept once the
//! map grows, and the map goes with the connection's client.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long an answer is kept.
const TTL: Duration = Duration::from_secs(10 * 60);
/// Above this many entries, expired ones are swept on insert; past it again, the oldest go.
const MAX_ENTRIES: usize = 2_000;

/// Greenhouse user ids by lowercased email; `None`: no active user has it.
#[derive(Debug, Default)]
pub struct UserCache {
    entries: Mutex<HashMap<String, (Instant, Option<i64>)>>,
}

impl UserCache {
    /// The answer kept for `email`, unless it expired.
    pub fn get(&self, email: &str) -> Option<Option<i64>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.get(email).filter(|(at, _)| at.elapsed() < TTL).map(|(_, id)| *id)
    }

    /// Keeps `id` as the answer for `email`.
    pub fn put(&self, email: String, id: Option<i64>) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, (at, _)| at.elapsed() < TTL);
        }
        if entries.len() >= MAX_ENTRIES
            && let Some(oldest) = entries.iter().min_by_key(|(_, (at, _))| *at).map(|(k, _)| k.clone())
        {
            entries.remove(&oldest);
        }
        entries.insert(email, (Instant::now(), id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_misses_too_and_the_map_stays_bounded() {
        let cache = UserCache::default();
        assert_eq!(cache.get("a@x.io"), None);
        cache.put("a@x.io".into(), Some(7));
        cache.put("b@x.io".into(), None);
        assert_eq!(cache.get("a@x.io"), Some(Some(7)));
        assert_eq!(cache.get("b@x.io"), Some(None));
        for i in 0..MAX_ENTRIES + 10 {
            cache.put(format!("{i}@x.io"), Some(1));
        }
        assert!(cache.entries.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
