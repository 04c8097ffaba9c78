//! The overview (`GET /`): each connection the user may see with its status, last error, the
//! share of its request allowance in use now (the calls its jobs logged in the allowance's
//! window), its queue and when that drains at the last hour's pace, the last day's finished
//! and dead jobs, and a chart of them.

use super::page::{Chrome, Flash, error_page, html};
use super::session::Session;
use crate::error::ApiError;
use crate::extract::{Caller, Query};
use crate::rest;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hiresync_store::{console, now_ms};

const HOUR_MS: i64 = 3_600_000;

/// One connection's row.
pub struct Row {
    /// Its id.
    pub id: String,
    /// The provider's name.
    pub provider: &'static str,
    /// `user` or `workspace`.
    pub scope: &'static str,
    /// `connected`, `failing` or `disabled`.
    pub status: String,
    /// The provider's last refusal while failing.
    pub last_error: Option<String>,
    /// Since when it fails.
    pub failing_since: Option<String>,
    /// The request allowance it is held to.
    pub allowance: String,
    /// Calls made through it in the allowance's current window, in words.
    pub in_use: String,
    /// Jobs queued or running for it.
    pub queued: i64,
    /// Jobs finished in the last hour (the pace the ETA assumes).
    pub last_hour: i64,
    /// When its queue would be empty at that pace.
    pub eta: String,
    /// Share of the allowance used in the last window, 0 to 100, for the meter.
    pub load: i64,
    /// Jobs finished in the last 24 hours.
    pub done: i64,
    /// Jobs dead in the last 24 hours.
    pub dead: i64,
}

/// One hour of the chart.
pub struct Bar {
    /// Left edge.
    pub x: i64,
    /// Top of the finished bar, and its height.
    pub done_y: i64,
    /// Height of the finished bar.
    pub done_h: i64,
    /// Top of the dead bar.
    pub dead_y: i64,
    /// Height of the dead bar.
    pub dead_h: i64,
    /// What a screen reader or a hover reads.
    pub label: String,
}

/// The overview page.
#[derive(Template)]
#[template(path = "overview.html")]
pub struct OverviewPage {
    /// The page chrome.
    pub chrome: Chrome,
    /// The connections.
    pub rows: Vec<Row>,
    /// The chart's hours, oldest first.
    pub bars: Vec<Bar>,
    /// Jobs finished in 24 h, all connections shown.
    pub done: i64,
    /// Jobs dead in 24 h.
    pub dead: i64,
    /// The chart's tallest hour.
    pub peak: i64,
}

/// `GET /`.
pub async fn page(State(state): State<AppState>, session: Session, Query(flash): Query<Flash>) -> Response {
    match build(&state, &session, flash).await {
        Ok(page) => html(StatusCode::OK, &page),
        Err(e) => error_page(&session, &e),
    }
}

async fn build(state: &AppState, session: &Session, flash: Flash) -> Result<OverviewPage, ApiError> {
    let caller = Caller(session.user.clone());
    let crate::extract::Json(conns) = rest::connections::list(State(state.clone()), caller).await?;
    let ws = &session.user.workspace_id;
    let now = now_ms();
    let first_hour = now / HOUR_MS - 23;
    let mut db = state.store.db().await?;
    let queued = console::queued_by_connection(&mut db, ws).await?;
    let finished = console::finished_by_hour(&mut db, ws, first_hour * HOUR_MS).await?;
    drop(db);
    let shown = |id: &str| conns.iter().any(|k| k.id == id);
    let mut hours = [(0i64, 0i64); 24];
    for (_, state, hour, n) in finished.iter().filter(|f| shown(&f.0)) {
        if let Some(slot) = usize::try_from(hour - first_hour).ok().and_then(|i| hours.get_mut(i)) {
            if state == "done" { slot.0 += n } else { slot.1 += n }
        }
    }
    let mut rows = Vec::with_capacity(conns.len());
    for k in &conns {
        let count = |s: &str, since: i64| -> i64 {
            finished.iter().filter(|f| f.0 == k.id && f.1 == s && f.2 >= since).map(|f| f.3).sum()
        };
        let queued = queued.iter().find(|q| q.0 == k.id).map_or(0, |q| q.1);
        let last_hour = count("done", now / HOUR_MS - 1);
        let provider = hiresync_core::ProviderKind::from(k.provider);
        let limit = k.rate_limit.unwrap_or_else(|| provider.published_rate_limit());
        let window_ms = (limit.per_seconds * 1000.0).ceil() as i64;
        let calls = {
            let mut db = state.store.db().await?;
            console::calls_since(&mut db, ws, &k.id, now - window_ms).await?
        };
        let whose = if k.rate_limit.is_some() { "its own" } else { "published" };
        rows.push(Row {
            id: k.id.clone(),
            provider: provider.display_name(),
            scope: if k.user_id.is_some() { "personal" } else { "workspace" },
            status: k.status.clone(),
            last_error: k.last_error.clone(),
            failing_since: k.failing_since.clone(),
            allowance: format!("{} requests per {} s ({whose})", limit.requests, limit.per_seconds),
            in_use: format!("{calls} of {} in the last {} s", limit.requests, limit.per_seconds),
            queued,
            last_hour,
            eta: eta(queued, last_hour),
            load: (calls * 100 / i64::from(limit.requests.max(1))).min(100),
            done: count("done", first_hour),
            dead: count("dead", first_hour),
        });
    }
    let peak = hours.iter().map(|(d, f)| d + f).max().unwrap_or(0).max(1);
    let bars = hours
        .iter()
        .enumerate()
        .map(|(i, (done, dead))| {
            const HEIGHT: i64 = 100;
            let done_h = done * HEIGHT / peak;
            let dead_h = dead * HEIGHT / peak;
            let ago = 23 - i as i64;
            Bar {
                x: i as i64 * 12,
                done_y: HEIGHT - done_h,
                done_h,
                dead_y: HEIGHT - done_h - dead_h,
                dead_h,
                label: format!("{ago} h ago: {done} finished, {dead} dead"),
            }
        })
        .collect();
    Ok(OverviewPage {
        chrome: Chrome::new(session, "overview", &flash),
        done: rows.iter().map(|r| r.done).sum(),
        dead: rows.iter().map(|r| r.dead).sum(),
        rows,
        bars,
        peak,
    })
}

/// When `queued` jobs would be done at `per_hour` jobs an hour.
fn eta(queued: i64, per_hour: i64) -> String {
    match (queued, per_hour) {
        (0, _) => "nothing queued".to_owned(),
        (_, 0) => "no pace yet (nothing finished in the last hour)".to_owned(),
        (q, p) => {
            let minutes = (q * 60 + p - 1) / p;
            if minutes < 120 { format!("about {minutes} min") } else { format!("about {} h", (minutes + 59) / 60) }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn eta_reads_the_queue_at_the_last_hours_pace() {
        assert_eq!(super::eta(0, 10), "nothing queued");
        assert_eq!(super::eta(30, 60), "about 30 min");
        assert_eq!(super::eta(600, 60), "about 10 h");
        assert!(super::eta(5, 0).starts_with("no pace"));
    }
}
