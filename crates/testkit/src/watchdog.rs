//! A time limit on every test that opens a test database, so a hang fails the
//! run within minutes instead of holding CI until its own limit. `cargo test`
//! has no per-test timeout on stable; nextest's (`.config/nextest.toml`) covers
//! tests run through it.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long a test may run (`HIRESYNC_TEST_TIMEOUT_SECS`, default 300).
fn limit() -> Duration {
    let secs = std::env::var("HIRESYNC_TEST_TIMEOUT_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(300);
    Duration::from_secs(secs)
}

/// Running tests by name (their thread's): when each started, and how many of its databases are open.
type Running = HashMap<String, (Instant, usize)>;

fn running() -> &'static Mutex<Running> {
    static RUNNING: OnceLock<Mutex<Running>> = OnceLock::new();
    RUNNING.get_or_init(|| {
        std::thread::spawn(watch);
        Mutex::default()
    })
}

fn watch() {
    let limit = limit();
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let over: Option<String> = running()
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .find(|(_, (started, _))| started.elapsed() > limit)
            .map(|(name, _)| name.clone());
        if let Some(name) = over {
            // Straight to the file descriptor: the test harness captures `eprintln!` of threads a test spawned.
            let _ = writeln!(
                std::io::stderr(),
                "test `{name}` ran longer than {} s: stopping the test binary",
                limit.as_secs()
            );
            std::process::exit(101);
        }
    }
}

/// Counts a database the calling test opened; the test's clock starts with its first.
pub fn opened() {
    let name = std::thread::current().name().unwrap_or("unnamed test").to_owned();
    let mut running = running().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    running.entry(name).or_insert_with(|| (Instant::now(), 0)).1 += 1;
}

/// Counts a database the calling test closed; with the last, the test is no longer watched.
pub fn closed() {
    let thread = std::thread::current();
    let Some(name) = thread.name() else { return };
    let mut running = running().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, open)) = running.get_mut(name) {
        *open = open.saturating_sub(1);
        if *open == 0 {
            running.remove(name);
        }
    }
}
