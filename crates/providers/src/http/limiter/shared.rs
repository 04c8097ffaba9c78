//! A budget several processes share through their database ([`Budgets`]):
//! the same [`State`] as one process keeps in memory, stored under the
//! credential's fingerprint and counted on the database's clock, so the
//! processes' requests together stay within the provider's allowance and a
//! 429 one of them receives holds back all of them.
//!
//! Each process sends one trip at a time per credential. A trip records the
//! answers received since the last one and hands slots to every request
//! waiting meanwhile, so its cost spreads over however many requests it
//! serves. A request told to wait for a window asks again shortly before it
//! opens, and that trip takes its slot for the moment it opens, so it goes out
//! then rather than a trip later (a trip on a busy database costs milliseconds,
//! which on short windows is several per cent of the allowance). A slot
//! handed out counts into its window whether or not its request goes out; a
//! process that crashes holding some loses them only until that window ends,
//! and a window whose first request never answered lapses two window lengths
//! after it went out.

use super::Heard;
use super::state::{Keeper, Next, Sent, Shape, State, Tick, ticks};
use async_trait::async_trait;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::sync::{Notify, oneshot};
use tokio::time::Instant;

/// Why a shared budget could not be read or stored.
pub type BudgetError = Box<dyn std::error::Error + Send + Sync>;

/// How one step changes a stored budget: given the stored state (`None` for a new budget) and
/// the store's clock (microseconds since the Unix epoch), the state to store.
pub type BudgetStep<'a> = dyn FnMut(Option<&str>, i64) -> String + Send + 'a;

/// Where processes sharing one database keep the rate budgets of the credentials they share.
/// The engine implements it over the store for PostgreSQL; without it each process keeps its
/// budgets in memory.
#[async_trait]
pub trait Budgets: Send + Sync + std::fmt::Debug {
    /// Reads the budget stored under `key` and the store's clock, and stores what `step` makes
    /// of them, unless another process stored that budget in between: then `step` runs again
    /// on what it stored.
    async fn update(&self, key: &str, step: &mut BudgetStep<'_>) -> Result<(), BudgetError>;
}

/// Answers and pauses kept for the next trip at most; beyond, the oldest are dropped.
const MAX_KEPT: usize = 10_000;
/// How long a failed trip waits before the next.
const RETRY: Duration = Duration::from_millis(250);

#[derive(Debug)]
pub(super) struct Shared {
    core: Arc<Core>,
}

#[derive(Debug)]
struct Core {
    budgets: Arc<dyn Budgets>,
    key: String,
    shape: Shape,
    keeper: Keeper,
    /// How often a request waiting for another process's first answer in a window looks again.
    poll: Duration,
    /// How long before a window opens (or a pause ends) a trip takes slots in it: a request told
    /// to wait asks again this much earlier, so the trip is done by the time its slot comes.
    early: Duration,
    queue: Mutex<Queue>,
    /// An answer or pause was recorded in this process.
    changed: Notify,
}

#[derive(Debug, Default)]
struct Queue {
    waiting: Vec<oneshot::Sender<Grant>>,
    answers: Vec<Answer>,
    pauses: Vec<Instant>,
    /// Whether a trip task runs; it ends once nothing waits.
    pumping: bool,
    /// The pause the budget held at the last trip.
    paused_until: Option<Instant>,
}

/// An answered (or abandoned) request, for the next trip to count.
#[derive(Debug)]
struct Answer {
    number: u64,
    window: Option<u64>,
    sent: Instant,
    received: Instant,
    heard: Option<Heard>,
}

#[derive(Debug)]
enum Grant {
    Go { number: u64, window: Option<u64>, at: Instant },
    Until(Instant),
    FirstAnswer,
    Unreachable(String),
}

/// What a trip decided for its waiting requests: slots for the first, then one answer for the rest.
enum Decided {
    Go(u64, Option<u64>, Tick),
    Wait(Next),
}

/// Why a shared budget handed out no slot.
pub(super) enum Refused {
    Wait(Duration),
    Unreachable(String),
}

impl Shared {
    pub fn new(budgets: Arc<dyn Budgets>, key: String, shape: Shape, length: Duration) -> Self {
        let poll = (length / 50).clamp(Duration::from_millis(1), Duration::from_millis(50));
        // Far more than a trip and a hand-over take, and still a sliver of the window.
        let early = (length / 20).min(Duration::from_millis(250));
        let keeper = Keeper::Shared { lead: ticks(early) };
        let core = Core { budgets, key, shape, keeper, poll, early, queue: Mutex::default(), changed: Notify::new() };
        Self { core: Arc::new(core) }
    }

    pub fn paused_for(&self) -> Option<Duration> {
        let until = self.core.queue().paused_until?;
        Some(until.saturating_duration_since(Instant::now())).filter(|d| !d.is_zero())
    }

    pub fn pause_for(&self, wait: Duration) {
        self.core.record(|q| q.pauses.push(Instant::now() + wait));
    }

    /// A slot's number, window and when it may go, or why there is none.
    pub async fn acquire(&self, max_wait: Duration) -> Result<(u64, Option<u64>, Instant), Refused> {
        loop {
            let changed = self.core.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let grant = self.core.enqueue().await;
            match grant {
                Ok(Grant::Go { number, window, at }) => return Ok((number, window, at)),
                Ok(Grant::Until(until)) => {
                    let wait = until.saturating_duration_since(Instant::now());
                    if wait > max_wait {
                        return Err(Refused::Wait(wait));
                    }
                    // Another trip shortly before then takes the slot for then; a pause recorded
                    // until that trip is in the budget by then. (One recorded in the last
                    // `early`, by another process, is not: the price of sending on time.)
                    super::sleep_until(until.checked_sub(self.core.early).unwrap_or(until)).await;
                }
                Ok(Grant::FirstAnswer) => {
                    // The first answer may come to this process (then it wakes us) or to another.
                    let _ = tokio::time::timeout(self.core.poll, changed).await;
                }
                Ok(Grant::Unreachable(why)) => return Err(Refused::Unreachable(why)),
                Err(_) => return Err(Refused::Unreachable("the budget's trip ended".into())),
            }
        }
    }

    pub fn answered(&self, number: u64, window: Option<u64>, sent: Instant, received: Instant, heard: Option<Heard>) {
        self.core.record(|q| q.answers.push(Answer { number, window, sent, received, heard }));
    }
}

impl Core {
    fn queue(&self) -> MutexGuard<'_, Queue> {
        // The queue is plain lists, each left consistent by every writer.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn enqueue(self: &Arc<Self>) -> oneshot::Receiver<Grant> {
        let (tx, rx) = oneshot::channel();
        let start = {
            let mut q = self.queue();
            q.waiting.push(tx);
            !std::mem::replace(&mut q.pumping, true)
        };
        if start {
            tokio::spawn(Arc::clone(self).pump());
        }
        rx
    }

    /// Keeps what `add` records for the next trip, starting one if none runs.
    fn record(self: &Arc<Self>, add: impl FnOnce(&mut Queue)) {
        let start = {
            let mut q = self.queue();
            add(&mut q);
            // Without a runtime (a permit dropped as the process ends) it waits for the next trip.
            let start = !q.pumping && tokio::runtime::Handle::try_current().is_ok();
            q.pumping |= start;
            start
        };
        if start {
            tokio::spawn(Arc::clone(self).pump());
        }
        self.changed.notify_waiters();
    }

    /// Trips to the budget until nothing waits.
    async fn pump(self: Arc<Self>) {
        loop {
            let (waiting, answers, pauses) = {
                let mut q = self.queue();
                if q.waiting.is_empty() && q.answers.is_empty() && q.pauses.is_empty() {
                    q.pumping = false;
                    return;
                }
                (std::mem::take(&mut q.waiting), std::mem::take(&mut q.answers), std::mem::take(&mut q.pauses))
            };
            match self.trip(waiting.len(), &answers, &pauses).await {
                Ok((decided, local)) => self.hand_out(waiting, &decided, &local),
                Err(e) => {
                    tracing::warn!(error = %e, "Shared rate budget unreachable; requests wait.");
                    let why = format!("the shared rate budget is unreachable: {e}");
                    for tx in waiting {
                        let _ = tx.send(Grant::Unreachable(why.clone()));
                    }
                    {
                        let mut q = self.queue();
                        keep(&mut q.answers, answers);
                        keep(&mut q.pauses, pauses);
                    }
                    tokio::time::sleep(RETRY).await;
                }
            }
        }
    }

    /// One read-and-store of the budget: records `answers` and `pauses`, then takes slots for
    /// `wanted` requests. Returns the decisions, and how to read the budget's clock locally.
    async fn trip(
        &self,
        wanted: usize,
        answers: &[Answer],
        pauses: &[Instant],
    ) -> Result<(Vec<Decided>, Clock), BudgetError> {
        let (shape, keeper, early) = (self.shape, self.keeper, ticks(self.early));
        let mut decided = Vec::with_capacity(wanted);
        let asked = Instant::now();
        let mut clock = Clock { asked, read: asked, db: 0, paused_until: None };
        let key = &self.key;
        let mut step = |stored: Option<&str>, db_now: Tick| {
            clock = Clock { asked, read: Instant::now(), db: db_now, paused_until: None };
            let mut state: State = match stored.map(serde_json::from_str).transpose() {
                Ok(state) => state.unwrap_or_default(),
                Err(e) => {
                    tracing::warn!(key, error = %e, "Unreadable shared rate budget; starting it afresh.");
                    State::default()
                }
            };
            for a in answers {
                let sent = Sent { number: a.number, window: a.window, at: clock.no_later(a.sent) };
                let received = clock.no_earlier(a.received);
                match &a.heard {
                    Some(heard) => state.answered(&sent, received, heard, &shape),
                    None => state.unanswered(&sent, received, &shape),
                }
            }
            for pause in pauses {
                state.pause_until(clock.no_earlier(*pause));
            }
            decided.clear();
            'requests: while decided.len() < wanted {
                // A slot the budget gives within `early` is taken now, to go out then: the
                // request leaves as its window opens instead of a trip later.
                let mut at = db_now;
                loop {
                    match state.next(at, &shape, keeper) {
                        Next::Go(number, window) => decided.push(Decided::Go(number, window, at)),
                        Next::Paced => {
                            let (number, at) = state.pace(at, &shape);
                            decided.push(Decided::Go(number, None, at));
                        }
                        Next::Until(until) if until > at && until - db_now <= early => {
                            at = until;
                            continue;
                        }
                        wait => {
                            decided.push(Decided::Wait(wait));
                            break 'requests;
                        }
                    }
                    break;
                }
            }
            clock.paused_until = state.paused_until(db_now);
            // Plain numbers always serialize.
            serde_json::to_string(&state).unwrap_or_default()
        };
        self.budgets.update(&self.key, &mut step).await?;
        Ok((decided, clock))
    }

    fn hand_out(&self, waiting: Vec<oneshot::Sender<Grant>>, decided: &[Decided], clock: &Clock) {
        let mut lost = Vec::new();
        for (i, tx) in waiting.into_iter().enumerate() {
            let grant = match (decided.get(i), decided.last()) {
                (Some(Decided::Go(number, window, at)), _) => {
                    Grant::Go { number: *number, window: *window, at: clock.instant(*at) }
                }
                (_, Some(Decided::Wait(Next::Until(until)))) => Grant::Until(clock.instant(*until)),
                _ => Grant::FirstAnswer,
            };
            if let Err(Grant::Go { number, window, at }) = tx.send(grant) {
                // Its request was cancelled while the trip ran: the slot is spent, unanswered.
                lost.push(Answer { number, window, sent: at, received: at, heard: None });
            }
        }
        let mut q = self.queue();
        q.paused_until = clock.paused_until.map(|until| clock.instant(until));
        q.answers.extend(lost);
    }
}

/// Reads the budget's clock (the database's) locally, as of one trip. The database read its
/// clock at `db` somewhere between `asked` and `read` here, so every conversion errs on the
/// side that keeps within the allowance: a response is taken to arrive, and a pause to end,
/// no earlier than they did (bounding a window's end late); a request to go out no later than
/// it did (starting a window's last stretch early); and a time to wait for is waited out
/// here no earlier than it comes.
struct Clock {
    asked: Instant,
    read: Instant,
    db: Tick,
    paused_until: Option<Tick>,
}

impl Clock {
    /// `at` on the database's clock, no earlier than it was.
    fn no_earlier(&self, at: Instant) -> Tick {
        self.db + offset(self.asked, at)
    }

    /// `at` on the database's clock, no later than it was.
    fn no_later(&self, at: Instant) -> Tick {
        self.db + offset(self.read, at)
    }

    /// When the database's clock shows `tick`, here, or a little later.
    fn instant(&self, tick: Tick) -> Instant {
        let offset = Duration::from_micros((tick - self.db).unsigned_abs());
        if tick >= self.db { self.read + offset } else { self.read.checked_sub(offset).unwrap_or(self.read) }
    }
}

/// `at - reference` in ticks.
fn offset(reference: Instant, at: Instant) -> Tick {
    if at >= reference { ticks(at - reference) } else { -ticks(reference - at) }
}

fn keep<T>(kept: &mut Vec<T>, mut older: Vec<T>) {
    older.append(kept);
    let excess = older.len().saturating_sub(MAX_KEPT);
    older.drain(..excess);
    *kept = older;
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::super::{Permit, RateLimiter, Unavailable};
    use super::*;
    use crate::http::HttpConfig;
    use hiresync_core::ProviderKind;
    use http::{HeaderMap, HeaderValue};
    use std::collections::HashMap;

    /// Budgets in memory, on the test's (paused) clock; each trip yields once, as a round trip would.
    #[derive(Debug)]
    struct Memory {
        base: Instant,
        rows: Mutex<HashMap<String, String>>,
        down: bool,
        /// When each trip read the budget.
        trips: Mutex<Vec<Instant>>,
    }

    #[async_trait]
    impl Budgets for Memory {
        async fn update(&self, key: &str, step: &mut BudgetStep<'_>) -> Result<(), BudgetError> {
            tokio::task::yield_now().await;
            if self.down {
                return Err("connection refused".into());
            }
            self.trips.lock().unwrap().push(Instant::now());
            let mut rows = self.rows.lock().unwrap();
            let now = 1_700_000_000_000_000 + ticks(self.base.elapsed());
            let stored = step(rows.get(key).map(String::as_str), now);
            rows.insert(key.to_owned(), stored);
            Ok(())
        }
    }

    fn memory(down: bool) -> Arc<dyn Budgets> {
        logged_memory(down)
    }

    fn logged_memory(down: bool) -> Arc<Memory> {
        Arc::new(Memory { base: Instant::now(), rows: Mutex::default(), down, trips: Mutex::default() })
    }

    /// A process's limiter on `budgets`: 5 requests per second.
    fn process(budgets: &Arc<dyn Budgets>) -> Arc<RateLimiter> {
        let config = HttpConfig::new(ProviderKind::Greenhouse, "fp", 5, Duration::from_secs(1))
            .with_budgets(Some(Arc::clone(budgets)));
        Arc::new(RateLimiter::new(&config))
    }

    fn announced(remaining: u32) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("5"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_str(&remaining.to_string()).unwrap());
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("1"));
        headers
    }

    async fn take(l: &Arc<RateLimiter>) -> Permit {
        l.acquire(Duration::from_secs(60)).await.unwrap()
    }

    /// Takes permits from each limiter in turn until none is ready, answering none of them.
    async fn take_ready(limiters: &[&Arc<RateLimiter>]) -> Vec<Permit> {
        let mut taken = Vec::new();
        loop {
            let before = taken.len();
            for l in limiters {
                if let Ok(permit) = tokio::time::timeout(Duration::from_millis(1), take(l)).await {
                    taken.push(permit);
                }
            }
            if taken.len() == before {
                return taken;
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn processes_sharing_a_budget_send_one_allowance_per_window_between_them() {
        let budgets = memory(false);
        let (a, b) = (process(&budgets), process(&budgets));
        take(&a).await.answered(&announced(4), None);
        assert_eq!(take_ready(&[&a, &b]).await.len(), 4, "the rest of the first window, between both");
        // The next window: one request first, then, counts matching, the rest.
        let probe = take(&b).await;
        assert!(take_ready(&[&a, &b]).await.is_empty());
        probe.answered(&announced(4), None);
        assert_eq!(take_ready(&[&a, &b]).await.len(), 4);
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(take_ready(&[&a, &b]).await.len(), 5, "a trusted window goes at once");
    }

    #[tokio::test(start_paused = true)]
    async fn slots_taken_ahead_of_a_window_go_out_as_it_opens_and_no_sooner_in_any_process() {
        let memory = logged_memory(false);
        let budgets: Arc<dyn Budgets> = memory.clone();
        let (a, b) = (process(&budgets), process(&budgets));
        let first = Instant::now();
        take(&a).await.answered(&announced(4), None);
        drop(take_ready(&[&a, &b]).await);
        // Told to wait for the next window, A asks again shortly before it opens and goes as it does.
        let opens = first + Duration::from_secs(1);
        let probe = take(&a).await;
        assert_eq!(probe.sent, opens, "sent as the window opened");
        let trips = memory.trips.lock().unwrap().clone();
        assert!(trips.last().is_some_and(|t| *t < opens), "the slot was taken before: {trips:?}");
        probe.answered(&announced(4), None);
        drop(take_ready(&[&a, &b]).await);
        // A takes a slot in the third window ahead of it; B, asking after that but still before
        // the window opens, may not send before it does either.
        let third = first + Duration::from_secs(2);
        let ahead = tokio::spawn({
            let a = a.clone();
            async move { take(&a).await }
        });
        tokio::time::sleep_until(third - Duration::from_millis(25)).await;
        let from_b = take(&b).await;
        assert_eq!(from_b.sent, third, "B's request waited for the window");
        assert_eq!(ahead.await.unwrap().sent, third);
    }

    #[tokio::test(start_paused = true)]
    async fn a_refusal_one_process_receives_holds_back_the_others() {
        let budgets = memory(false);
        let (a, b) = (process(&budgets), process(&budgets));
        take(&a).await.answered(&announced(4), None);
        let refused_at = Instant::now();
        take(&b).await.answered(&announced(0), Some(Duration::from_secs(3)));
        // B records the refusal on its own trip; a request of A's may race it, as between processes.
        tokio::time::sleep(Duration::from_millis(1)).await;
        assert!(
            matches!(a.acquire(Duration::from_secs(1)).await, Err(Unavailable::Wait(w)) if w > Duration::from_secs(2)),
            "a caller that would not wait that long is told so"
        );
        let _next = take(&a).await;
        assert!(refused_at.elapsed() >= Duration::from_secs(3), "sent after {:?}", refused_at.elapsed());
    }

    #[tokio::test(start_paused = true)]
    async fn a_first_request_whose_process_died_lapses_after_two_windows() {
        let budgets = memory(false);
        let (a, b) = (process(&budgets), process(&budgets));
        take(&a).await.answered(&announced(4), None);
        drop(take_ready(&[&a]).await);
        tokio::time::sleep(Duration::from_secs(1)).await;
        // A's probe of the next window never answers, nor hands its slot back: A died.
        let opened = Instant::now();
        std::mem::forget(take(&a).await);
        let _next = take(&b).await;
        assert!(opened.elapsed() >= Duration::from_secs(2), "sent after {:?}", opened.elapsed());
    }

    #[tokio::test(start_paused = true)]
    async fn an_unreachable_budget_refuses_at_once() {
        let l = process(&memory(true));
        assert!(matches!(l.acquire(Duration::from_secs(60)).await, Err(Unavailable::Unreachable(_))));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_requests_of_one_process_share_trips() {
        let budgets = memory(false);
        let a = process(&budgets);
        let tasks: Vec<_> = (0..5)
            .map(|_| {
                tokio::spawn({
                    let a = a.clone();
                    async move { take(&a).await }
                })
            })
            .collect();
        let mut numbers = Vec::new();
        for task in tasks {
            numbers.push(task.await.unwrap().number);
        }
        numbers.sort_unstable();
        assert_eq!(numbers, [1, 2, 3, 4, 5], "each request its own slot");
    }
}
