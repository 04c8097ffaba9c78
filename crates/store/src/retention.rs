//! Deleting what is past its retention (issue 25): the sync log, stored events with their
//! decisions, and webhook deliveries both ways. Each deletes `slice` rows per short write
//! transaction, so SQLite's one writer is never held for long; done jobs go through
//! [`crate::Store::prune_done`].

use crate::db::on_backend;
use crate::{Result, Store};

/// The least time a received webhook delivery's key is kept, whatever the configuration: a
/// provider retries a delivery for days, and a replay inside this window must still be known.
pub const WEBHOOK_REPLAY_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// One kind of row past its retention, and the bounds a slice of them is deleted within.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Old {
    /// Sync log entries made before `before`, with ids below `below`.
    Log { below: i64, before: i64 },
    /// Events received before `before` (on SQLite, with rowids below `below`) and not needed.
    Events { below: Option<i64>, before: i64 },
    /// Received webhook deliveries received before `before`.
    WebhooksIn { before: i64 },
    /// Webhook deliveries out that ended before `before`.
    WebhooksOut { before: i64 },
}

/// Deletes `old` rows, `slice` per write transaction, until a slice deletes fewer; returns how many.
async fn in_slices(store: &Store, old: Old, slice: i64) -> Result<u64> {
    let full = u64::try_from(slice).unwrap_or(0);
    let mut total = 0;
    loop {
        let mut tx = store.begin().await?;
        let gone = on_backend!(&mut tx, retention::slice(old, slice))?;
        tx.commit().await?;
        total += gone;
        if gone < full || full == 0 {
            return Ok(total);
        }
    }
}

/// Deletes the sync log entries made before `before` (epoch ms), oldest first; returns how many.
pub async fn prune_sync_log(store: &Store, before: i64, slice: i64) -> Result<u64> {
    // Ids rise with time, so only entries below the first one made since need looking at; found
    // once on a reader, so no slice walks the kept entries while holding the writer.
    let below = on_backend!(&mut store.db().await?, retention::first_log_since(before))?.unwrap_or(i64::MAX);
    in_slices(store, Old::Log { below, before }, slice).await
}

/// Deletes the events received before `before` (epoch ms), with their decisions, oldest first;
/// returns how many events. An event stays, however old, while something still needs it: a
/// decision of it not carried out yet (the contact's carrying job reads the event), or an
/// unfinished job (queued, running, held or dead) that carries out one of its decisions on its
/// own. The notes ledger is keyed by event id but needs no event: it is kept whole, so a note
/// once written is never written again, and a contact's sync state reads no event.
pub async fn prune_events(store: &Store, before: i64, slice: i64) -> Result<u64> {
    let below = on_backend!(&mut store.db().await?, retention::first_event_since(before))?;
    in_slices(store, Old::Events { below, before }, slice).await
}

/// Deletes the received webhook deliveries (and with them their keys, which recognise replays)
/// received before `before` (epoch ms), but never any inside [`WEBHOOK_REPLAY_MS`] of `now`.
pub async fn prune_webhooks_in(store: &Store, before: i64, now: i64, slice: i64) -> Result<u64> {
    in_slices(store, Old::WebhooksIn { before: before.min(now - WEBHOOK_REPLAY_MS) }, slice).await
}

/// Deletes the webhook deliveries out that ended (delivered or failed) before `before` (epoch
/// ms); pending ones stay. Returns how many.
pub async fn prune_webhooks_out(store: &Store, before: i64, slice: i64) -> Result<u64> {
    in_slices(store, Old::WebhooksOut { before }, slice).await
}
