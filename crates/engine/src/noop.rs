//! A job that does nothing but complete: `hiresync bench` measures the
//! queue's own cost with it, claimed, run and recorded as any job is.

use crate::job::{Context, JobError, JobKind, Outcome, Record};
use async_trait::async_trait;
use hiresync_store::queue::ClaimedJob;
use serde::{Deserialize, Serialize};

/// Does nothing but complete.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Noop {
    /// Its ordering key; distinct keys let no-op jobs run side by side.
    pub key: String,
}

#[async_trait]
impl JobKind for Noop {
    fn kind(&self) -> &'static str {
        "noop_v1"
    }

    fn operation(&self) -> &'static str {
        "noop"
    }

    fn ordering_key(&self) -> String {
        self.key.clone()
    }

    async fn run(&self, _cx: &Context, job: &ClaimedJob) -> Result<Outcome, JobError> {
        Ok(Record::new(job, self.operation(), "no-op".into(), Vec::new()).into())
    }
}
