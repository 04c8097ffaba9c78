//! Figure 6, memory: the peak resident set (`VmHWM` in /proc/PID/status) of
//! the `hiresync serve` child process over a bulk sync of N contacts, at two
//! sizes, to show it does not grow with N. The bulk sync is the contacts put,
//! enrolled with the connection's trigger off, one `POST /v1/resyncs`, and the
//! queue drained against Greenhouse.

use super::harness::{self, Backend, World};
use super::report::MemoryFigure;
use anyhow::{Result, ensure};
use hiresync_sim::Demo;
use hiresync_testkit::sims::unthrottled;
use std::time::{Duration, Instant};

/// Runs the bulk sync once per size, each on a fresh server and database.
pub async fn run(backend: &Backend, sizes: &[usize]) -> Result<Vec<MemoryFigure>> {
    let mut out = Vec::new();
    for &contacts in sizes {
        let demo = harness::unlimited_demo().await?;
        // The simulator's request log would grow with N in this process; nobody reads it here.
        let core = demo.greenhouse.core().clone();
        let sweeper = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                core.clear_requests();
            }
        });
        let world = World::start(backend, &[], &[]).await?;
        let figure = measure(&world, &demo, contacts).await;
        world.stop().await;
        sweeper.abort();
        out.push(figure?);
    }
    Ok(out)
}

async fn measure(world: &World, demo: &Demo, contacts: usize) -> Result<MemoryFigure> {
    let provider = "greenhouse";
    let connection =
        harness::connect(&world.api, demo, provider, harness::demo_target(provider), &unthrottled()).await?;
    let started = Instant::now();
    harness::put_contacts(&world.api, "m", contacts, 16).await?;
    harness::enroll_unsynced(&world.api, &connection, "m", contacts).await?;
    harness::start_resync(&world.api, &connection).await?;
    let c = world.wait_idle(Duration::from_secs(3600)).await?;
    ensure!(c.dead == 0 && c.done >= contacts as i64, "{} jobs done, {} dead", c.done, c.dead);
    let peak = harness::peak_rss(&world.server)?;
    Ok(MemoryFigure {
        contacts,
        peak_rss_mib: peak as f64 / (1024.0 * 1024.0),
        seconds: started.elapsed().as_secs_f64(),
    })
}
