//! What a call can fail with.

use hiresync_api::body::problem::Problem;

/// Why a call to hiresync failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with a problem (RFC 9457): a 4xx for the caller to fix, a 5xx to retry.
    #[error("{} {}: {}", .0.status, .0.title, .0.detail)]
    Problem(Box<Problem>),
    /// The server's answer was not the documented body.
    #[error("unexpected answer ({status}): {message}")]
    Unexpected {
        /// HTTP status.
        status: u16,
        /// What did not match.
        message: String,
    },
    /// The server could not be reached, or the connection broke.
    #[error("could not reach hiresync: {0}")]
    Transport(#[from] reqwest::Error),
    /// The base URL or an id cannot make a request URL.
    #[error("invalid URL: {0}")]
    Url(String),
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Problem(p) => Some(p.status),
            Error::Unexpected { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::Url(_) => None,
        }
    }
}
