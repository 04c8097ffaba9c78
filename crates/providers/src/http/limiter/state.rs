//! A credential's budget as plain numbers on one clock, in microseconds: the
//! requests sent, the provider's current window and what was counted into it,
//! and any pause a 429 imposed. One process keeps it in memory; processes
//! sharing a credential keep it in their database, on the database's clock.

use super::headers::{Announced, Heard, MAX_HEADER_PAUSE};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Microseconds on the clock a [`State`] is kept on.
pub(super) type Tick = i64;

/// `d` in ticks.
pub(super) fn ticks(d: Duration) -> Tick {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

/// The allowance a state is counted against.
#[derive(Clone, Copy, Debug)]
pub(super) struct Shape {
    /// The published (or the connection's own) window length.
    pub length: Tick,
    /// The published (or the connection's own) allowance per window.
    pub requests: u32,
    /// Whether `requests` is the connection's own allowance, which headers may lower but never raise.
    pub capped: bool,
}

/// The budget's counters.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct State {
    /// Requests sent so far; a permit's number.
    sent: u64,
    /// Set by a 429's `Retry-After`: nothing goes out before.
    paused_until: Option<Tick>,
    /// The provider's current window, once its headers announced one.
    window: Option<Window>,
    /// Whether the provider's counts matched ours in the last window that answered.
    trusted: bool,
    /// Shared pacing before any window is announced: when the next request is due at the
    /// published rate (the theoretical arrival time of a GCRA).
    #[serde(default)]
    paced: Option<Tick>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Window {
    id: u64,
    limit: u32,
    /// Requests counted into this window: ours, or the provider's count when higher.
    used: u32,
    /// The latest this window can end; unknown until a response from it arrives.
    ends: Option<Tick>,
    /// `State::sent` before this window's first request.
    before: u64,
    /// When this window's first request went out: the window ends no earlier than a window
    /// length later. A request sent after that may reach the provider in the next window.
    opened: Option<Tick>,
}

/// Who keeps the budget, which changes how [`State::next`] hands out slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Keeper {
    /// One process, which lets a request go the moment it takes its slot.
    Local,
    /// Processes sharing it through their database. A slot's request goes out up to `lead`
    /// after it was taken (the trip's write, the hand-over), so a window stops handing out
    /// slots `lead` before it may end; and a window whose first request never answered lapses
    /// two window lengths after it went out, since its sender may have crashed and no one else
    /// would ever learn when that window ends. A trip shortly before a window opens may take
    /// its slots for requests that go out the moment it does (see [`State::next`]'s `now`).
    Shared { lead: Tick },
}

/// A request let go: its number, the window it was counted into, and when.
#[derive(Clone, Copy, Debug)]
pub(super) struct Sent {
    pub number: u64,
    pub window: Option<u64>,
    pub at: Tick,
}

/// What a request waiting for a slot does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Next {
    /// Go now, as this number, counted into this window.
    Go(u64, Option<u64>),
    /// No window announced yet: go at the published rate.
    Paced,
    /// Nothing goes out before then.
    Until(Tick),
    /// The window's first request is out; its answer says how many more it takes.
    FirstAnswer,
}

impl State {
    /// Takes a slot at `now` if there is one.
    pub fn next(&mut self, now: Tick, shape: &Shape, keeper: Keeper) -> Next {
        if let Some(until) = self.paused_until.filter(|until| *until > now) {
            return Next::Until(until);
        }
        let length = shape.length;
        let Some(window) = self.window.as_mut() else { return Next::Paced };
        // A window whose slots were taken ahead of its start (see `Keeper::Shared`) hands out none before then.
        if let Some(opened) = window.opened.filter(|opened| *opened > now) {
            return Next::Until(opened);
        }
        let lead = match keeper {
            Keeper::Local => 0,
            Keeper::Shared { lead } => lead,
        };
        if lead > 0 && window.ends.is_none() {
            window.ends = window.opened.map(|opened| opened + 2 * length).filter(|ends| now >= *ends);
        }
        if window.ends.is_some_and(|ends| now >= ends) {
            *window =
                Window { id: window.id + 1, limit: window.limit, used: 0, ends: None, before: self.sent, opened: None };
        }
        // Between the window's earliest and latest possible end a request could land in either
        // window; waiting the round trip out keeps the next window's count exact.
        // (A reset far beyond a window length, a longer window than we were told, has no such zone we know of.)
        let closing = window.opened.is_some_and(|opened| {
            now + lead >= opened + length && window.ends.is_none_or(|ends| ends <= opened + length + length / 4)
        });
        // An unconfirmed window sends one request and learns the provider's count from its answer.
        let room = if window.ends.is_none() && !self.trusted { window.limit.min(1) } else { window.limit };
        if window.used < room && !closing {
            window.opened.get_or_insert(now);
            window.used += 1;
            self.sent += 1;
            return Next::Go(self.sent, Some(window.id));
        }
        match window.ends {
            Some(ends) => Next::Until(ends),
            None => Next::FirstAnswer,
        }
    }

    /// A paced slot at the published rate, for a budget several processes share (one process
    /// paces with its own governor): the request's number and when it may go.
    pub fn pace(&mut self, now: Tick, shape: &Shape) -> (u64, Tick) {
        let requests = Tick::from(shape.requests.max(1));
        let interval = (shape.length / requests).max(1);
        let due = self.paced.unwrap_or(now);
        let at = now.max(due - interval * (requests - 1));
        self.paced = Some(due.max(at) + interval);
        self.sent += 1;
        (self.sent, at)
    }

    /// Counts a request the local governor paced, unless a response paused the credential or
    /// announced the provider's windows while it waited: then it queues as the others do.
    pub fn count_paced(&mut self, now: Tick) -> Option<u64> {
        if self.window.is_some() || self.paused_until(now).is_some() {
            return None;
        }
        self.sent += 1;
        Some(self.sent)
    }

    /// Whether a pause holds requests back at `now`.
    pub fn paused_until(&self, now: Tick) -> Option<Tick> {
        self.paused_until.filter(|until| *until > now)
    }

    /// Holds every request back until `until`, or longer if a pause already says so.
    pub fn pause_until(&mut self, until: Tick) {
        self.paused_until = Some(self.paused_until.map_or(until, |current| current.max(until)));
    }

    /// Learns from the answer to `permit`, which arrived at `now`.
    pub fn answered(&mut self, permit: &Sent, now: Tick, heard: &Heard, shape: &Shape) {
        match &heard.announced {
            Some(announced) => self.follow(permit, now, announced, shape),
            // Without a reset to go by, an exhausted allowance holds requests back for a second.
            None if heard.remaining == Some(0) => self.pause_until(now + ticks(Duration::from_secs(1))),
            None => self.unanswered(permit, now, shape),
        }
        if let Some(wait) = heard.refused_for {
            // The provider refused: its window is full whatever we counted, until it said.
            self.trusted = false;
            let until = now + ticks(wait.min(MAX_HEADER_PAUSE));
            self.pause_until(until);
            if let Some(window) = self.window_of(permit.window) {
                window.used = window.used.max(window.limit);
                window.ends = Some(until);
            }
        }
    }

    /// A window's first answer carried no count (a failure, a proxy's error, no answer at all):
    /// bound its end anyway.
    pub fn unanswered(&mut self, permit: &Sent, now: Tick, shape: &Shape) {
        if let Some(window) = self.window_of(permit.window).filter(|w| w.ends.is_none()) {
            window.ends = Some(now + shape.length);
        }
    }

    /// The current window, when `permit` was sent into it.
    fn window_of(&mut self, permit: Option<u64>) -> Option<&mut Window> {
        self.window.as_mut().filter(|w| permit == Some(w.id))
    }

    /// Counts `permit`'s window as the provider announced it.
    fn follow(&mut self, permit: &Sent, now: Tick, announced: &Announced, shape: &Shape) {
        let limit = match (announced.limit, shape.capped) {
            (Some(limit), true) => limit.min(shape.requests),
            (Some(limit), false) => limit,
            (None, _) => shape.requests,
        };
        let provider_used = announced.limit.unwrap_or(shape.requests).saturating_sub(announced.remaining);
        // Our requests sent after this one were counted after it, in this window or a later one.
        let later = u32::try_from(self.sent.saturating_sub(permit.number)).unwrap_or(u32::MAX);
        let resets = now + ticks(announced.resets_in);
        let bound = now + shape.length;
        // A reset far beyond our bound means the provider's window is longer than we were told.
        let ends = if resets > bound + shape.length / 4 { resets } else { resets.min(bound) };
        let sent = self.sent;
        let trusted = &mut self.trusted;
        match self.window.as_mut() {
            None => {
                self.window = Some(Window {
                    id: 1,
                    limit,
                    used: provider_used.saturating_add(later),
                    ends: Some(ends),
                    before: sent,
                    opened: Some(permit.at),
                });
            }
            Some(window) if permit.window == Some(window.id) => {
                // Requests reach the provider in any order, so it may have counted any of ours.
                let ours = u32::try_from(sent - window.before).unwrap_or(u32::MAX);
                if provider_used > ours {
                    // Someone else spends this allowance, or the window is not the one we think:
                    // our requests sent after this one may not be in its count yet.
                    *trusted = false;
                    window.used = window.used.max(provider_used.saturating_add(later));
                } else if window.ends.is_none() {
                    *trusted = true;
                }
                window.limit = limit;
                window.ends = Some(window.ends.map_or(ends, |current| current.min(ends)));
            }
            // An answer from a window already over says nothing about the current one.
            Some(_) => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::needless_pass_by_value)]
mod tests {
    use super::*;

    const SECOND: Tick = 1_000_000;
    const SHAPE: Shape = Shape { length: 10 * SECOND, requests: 5, capped: false };
    const SHARED: Keeper = Keeper::Shared { lead: SECOND / 10 };

    fn heard(remaining: u32, resets_in_secs: u64) -> Heard {
        Heard {
            remaining: Some(remaining),
            announced: Some(Announced { remaining, limit: Some(5), resets_in: Duration::from_secs(resets_in_secs) }),
            refused_for: None,
        }
    }

    #[test]
    fn paced_slots_allow_a_burst_then_follow_the_rate() {
        let mut s = State::default();
        let ats: Vec<Tick> = (0..7).map(|_| s.pace(0, &SHAPE).1).collect();
        assert_eq!(ats, [0, 0, 0, 0, 0, 2 * SECOND, 4 * SECOND]);
        assert_eq!(s.pace(60 * SECOND, &SHAPE), (8, 60 * SECOND), "an idle budget bursts again");
    }

    #[test]
    fn a_shared_window_stops_handing_out_slots_a_lead_before_it_may_end() {
        let mut s = State::default();
        let (number, at) = s.pace(0, &SHAPE);
        s.answered(&Sent { number, window: None, at }, SECOND, &heard(3, 10), &SHAPE);
        assert!(matches!(s.next(10 * SECOND - SECOND / 10 - 1, &SHAPE, SHARED), Next::Go(..)));
        let until = 11 * SECOND;
        assert_eq!(
            s.next(10 * SECOND - SECOND / 10, &SHAPE, SHARED),
            Next::Until(until),
            "its request could land in the next"
        );
        assert!(matches!(s.next(10 * SECOND - 1, &SHAPE, Keeper::Local), Next::Go(..)), "one process sends at once");
    }

    #[test]
    fn a_window_whose_slot_was_taken_ahead_hands_out_none_before_it_opens() {
        let mut s = State::default();
        let (number, at) = s.pace(0, &SHAPE);
        s.answered(&Sent { number, window: None, at }, 0, &heard(4, 10), &SHAPE);
        let opens = 10 * SECOND;
        assert!(matches!(s.next(opens, &SHAPE, SHARED), Next::Go(_, Some(2))), "taken for when window 2 opens");
        assert_eq!(s.next(opens - 1, &SHAPE, SHARED), Next::Until(opens), "asked before it opens");
        assert_eq!(s.next(opens, &SHAPE, SHARED), Next::FirstAnswer, "unconfirmed: one request first");
    }

    #[test]
    fn a_window_whose_first_request_never_answers_lapses_only_when_shared() {
        let mut s = State::default();
        let (number, at) = s.pace(0, &SHAPE);
        s.answered(&Sent { number, window: None, at }, 0, &heard(4, 10), &SHAPE);
        let after = 10 * SECOND;
        let Next::Go(number, window) = s.next(after, &SHAPE, SHARED) else { panic!("a new window") };
        assert_eq!(s.next(after, &SHAPE, SHARED), Next::FirstAnswer, "one request first");
        assert_eq!(s.next(after + 20 * SECOND - 1, &SHAPE, Keeper::Local), Next::FirstAnswer);
        assert_eq!(s.next(after + 20 * SECOND - 1, &SHAPE, SHARED), Next::FirstAnswer);
        assert!(
            matches!(s.next(after + 20 * SECOND, &SHAPE, SHARED), Next::Go(n, Some(w)) if n > number && Some(w) > window)
        );
    }
}
