//! The provider calls a job made, for the contact's sync log (SPEC L4). Calls
//! are collected per task, so concurrent jobs never mix theirs, and only
//! inside [`recorded`]: a client used elsewhere (the API's live checks) records
//! nothing.

use hiresync_core::ProviderKind;
use std::cell::RefCell;
use std::future::Future;
use std::time::SystemTime;

tokio::task_local! {
    static CALLS: RefCell<Vec<Call>>;
}

/// One HTTP request to a provider and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// When it was sent (epoch ms).
    pub at_ms: i64,
    /// Which provider was called.
    pub provider: ProviderKind,
    /// What the client was doing (`create person`, `write note`).
    pub operation: String,
    /// `GET /v3/candidates`: the method and the path, never the query (it may hold an email).
    pub request: String,
    /// The answer's status; none when no answer came.
    pub status: Option<u16>,
    /// Whether the answer was a success.
    pub ok: bool,
    /// The provider's message on failure, else how long it took.
    pub detail: String,
}

/// Runs `f`, returning its output and the provider calls made while it ran.
pub async fn recorded<F: Future>(f: F) -> (F::Output, Vec<Call>) {
    CALLS
        .scope(RefCell::new(Vec::new()), async move {
            let out = f.await;
            (out, CALLS.with(RefCell::take))
        })
        .await
}

/// The calls recorded so far inside [`recorded`], handed over now: a job of several steps logs
/// each step's calls with that step. Empty outside [`recorded`].
pub fn take() -> Vec<Call> {
    CALLS.try_with(RefCell::take).unwrap_or_default()
}

/// Notes a call when a job is recording.
pub(crate) fn push(call: Call) {
    let _ = CALLS.try_with(|calls| calls.borrow_mut().push(call));
}

/// Epoch milliseconds now.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(operation: &str) -> Call {
        Call {
            at_ms: 1,
            provider: ProviderKind::Greenhouse,
            operation: operation.into(),
            request: "GET /x".into(),
            status: Some(200),
            ok: true,
            detail: String::new(),
        }
    }

    #[tokio::test]
    async fn calls_are_kept_per_task_and_only_when_recording() {
        push(call("outside"));
        let (n, calls) = recorded(async {
            push(call("one"));
            let (_, inner) = recorded(async { push(call("nested")) }).await;
            push(call("two"));
            inner.len()
        })
        .await;
        assert_eq!(n, 1);
        let ops: Vec<&str> = calls.iter().map(|c| c.operation.as_str()).collect();
        assert_eq!(ops, ["one", "two"]);
    }
}
