//! Where a Greenhouse person goes (SPEC S11, A5) over Harvest v3: the nested
//! `application` that creates a person and their placement in one request,
//! placing a person who already exists, and stage moves: a pool stage for a
//! prospect in a pool, a job stage for a candidate, and a conversion to
//! candidate for a prospect considered for a job. Stages are given by id, or
//! by name within the placement's own job or pool.

use super::GreenhouseProvider;
use super::client::permanent;
use super::wire::{Application, ApplicationWrite, PoolMove};
use crate::{ErrorKind, Placement, Result};
use hiresync_core::{PlacedStage, Target, TargetId};

/// A target id as Greenhouse's integer id; `key` names it in the error.
pub(super) fn gh_id(id: &TargetId, key: &str, operation: &str) -> Result<i64> {
    let raw = id.to_string();
    raw.trim().parse().map_err(|_| permanent(operation, format!("{key} `{raw}` is not a Greenhouse id")))
}

fn opt_id(id: Option<&TargetId>, key: &str, operation: &str) -> Result<Option<i64>> {
    id.map(|id| gh_id(id, key, operation)).transpose()
}

/// A target read as Greenhouse ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Spot {
    /// A prospect pool, at a pool stage.
    Pool {
        /// Pool id.
        pool: i64,
        /// Pool stage id.
        stage: Option<i64>,
    },
    /// A job, at an interview stage for candidates.
    Job {
        /// Job id.
        job: i64,
        /// Job stage id.
        stage: Option<i64>,
    },
}

impl Spot {
    /// Reads a prospect pool or a job target as Greenhouse ids.
    pub(super) fn of(target: &Target, operation: &str) -> Result<Self> {
        match target {
            Target::ProspectPool { prospect_pool_id, prospect_pool_stage_id } => Ok(Spot::Pool {
                pool: gh_id(prospect_pool_id, "prospect_pool_id", operation)?,
                stage: opt_id(prospect_pool_stage_id.as_ref(), "prospect_pool_stage_id", operation)?,
            }),
            Target::Job { job_id, stage_id } => Ok(Spot::Job {
                job: gh_id(job_id, "job_id", operation)?,
                stage: opt_id(stage_id.as_ref(), "stage_id", operation)?,
            }),
            Target::Project { .. } => Err(permanent(operation, "target has neither job_id nor prospect_pool_id")),
        }
    }

    /// The nested `application` that creates a person here: prospects go to pools, or are
    /// considered for a job; candidates apply to the job at the stage.
    pub(crate) fn application(self, as_prospect: bool) -> ApplicationWrite {
        match self {
            Spot::Pool { pool, stage } => ApplicationWrite {
                prospect: Some(true),
                prospect_pool_id: Some(pool),
                prospect_pool_stage_id: stage,
                ..ApplicationWrite::default()
            },
            Spot::Job { job, .. } if as_prospect => {
                ApplicationWrite { prospect: Some(true), job_ids: Some(vec![job]), ..ApplicationWrite::default() }
            }
            Spot::Job { job, stage } => {
                ApplicationWrite { job_id: Some(job), initial_stage_id: stage, ..ApplicationWrite::default() }
            }
        }
    }

    /// The placement an application made here stands for; a prospect on a job has no stage.
    pub(super) fn placement(self, application_id: i64, as_prospect: bool) -> Placement {
        let stage = match self {
            Spot::Job { .. } if as_prospect => PlacedStage::None,
            Spot::Pool { stage, .. } | Spot::Job { stage, .. } => stage.map(|s| s.to_string()).into(),
        };
        Placement { id: application_id.to_string(), stage }
    }
}

fn live(a: &Application) -> bool {
    a.status.as_deref().is_none_or(|s| s == "in_process" || s == "active")
}

fn on_job(a: &Application, job: i64) -> bool {
    a.prospect != Some(true) && a.job_id == Some(job) && live(a)
}

/// The id of the stage `stage` names (its id, or its name in any case) among `stages` of `whose`.
fn stage_named(stage: &str, stages: &[(i64, String)], whose: &str, operation: &str) -> Result<i64> {
    let known: Vec<(String, String)> = stages.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
    let id = crate::stages::stage_id(stage, &known, whose).map_err(|message| permanent(operation, message))?;
    id.parse().map_err(|_| permanent(operation, format!("stage id `{id}` is not a number")))
}

impl GreenhouseProvider {
    /// Places an existing person, reusing a live placement already there.
    pub(super) async fn place_v3(&self, cid: i64, spot: Spot, as_prospect: bool) -> Result<Placement> {
        match spot {
            Spot::Pool { pool, stage } => self.place_in_pool(cid, pool, stage).await,
            Spot::Job { job, .. } if as_prospect => {
                let apps = self.client().applications_of(cid).await?;
                let considered = |a: &&Application| {
                    on_job(a, job)
                        || (a.prospect == Some(true)
                            && live(a)
                            && a.prospective_job_ids.as_ref().is_some_and(|j| j.contains(&job)))
                };
                if let Some(a) = apps.iter().find(considered) {
                    return Ok(Placement { id: a.id.to_string(), stage: PlacedStage::Unknown });
                }
                let body = ApplicationWrite { candidate_id: Some(cid), ..spot.application(true) };
                Ok(spot.placement(self.client().create_application(&body).await?.id, true))
            }
            Spot::Job { job, .. } => {
                if let Some(a) = self.client().applications_of(cid).await?.iter().find(|a| on_job(a, job)) {
                    return Ok(Placement { id: a.id.to_string(), stage: PlacedStage::Unknown });
                }
                let body = ApplicationWrite { candidate_id: Some(cid), ..spot.application(false) };
                Ok(spot.placement(self.client().create_application(&body).await?.id, false))
            }
        }
    }

    async fn place_in_pool(&self, cid: i64, pool_id: i64, stage_id: Option<i64>) -> Result<Placement> {
        let prospects: Vec<i64> = self
            .client()
            .applications_of(cid)
            .await?
            .iter()
            .filter(|a| a.prospect == Some(true) && live(a))
            .map(|a| a.id)
            .collect();
        let details =
            if prospects.is_empty() { Vec::new() } else { self.client().prospect_details(&prospects).await? };
        let placed =
            |id: i64, stage: Option<i64>| Placement { id: id.to_string(), stage: stage.map(|s| s.to_string()).into() };
        if let Some(d) = details.iter().find(|d| d.pool_id == Some(pool_id)) {
            return Ok(placed(d.application_id.unwrap_or_default(), d.pool_stage_id));
        }
        // A prospect without a pool is placed by moving that application, not by adding a second.
        if let Some(d) = details.iter().find(|d| d.pool_id.is_none()) {
            let app_id = d.application_id.unwrap_or_default();
            let body = PoolMove { prospect_pool_id: pool_id, prospect_stage_id: stage_id };
            self.client().move_prospect(app_id, &body).await?;
            return Ok(placed(app_id, stage_id));
        }
        let spot = Spot::Pool { pool: pool_id, stage: stage_id };
        let body = ApplicationWrite { candidate_id: Some(cid), ..spot.application(true) };
        Ok(spot.placement(self.client().create_application(&body).await?.id, true))
    }

    /// Where an application sits, read from Greenhouse when the target is not known.
    async fn spot_of(&self, app_id: i64, operation: &str) -> Result<Spot> {
        let app = self
            .client()
            .application(app_id)
            .await?
            .ok_or_else(|| permanent(operation, format!("Application {app_id} not found")))?;
        if app.prospect == Some(true) {
            let detail = self.client().prospect_details(&[app_id]).await?.into_iter().next();
            if let Some(pool) = detail.as_ref().and_then(|d| d.pool_id) {
                return Ok(Spot::Pool { pool, stage: detail.and_then(|d| d.pool_stage_id) });
            }
            let job = app.prospective_job_ids.iter().flatten().next().copied();
            return job
                .map(|job| Spot::Job { job, stage: None })
                .ok_or_else(|| permanent(operation, "the prospect is in no pool and considered for no job"));
        }
        app.job_id
            .map(|job| Spot::Job { job, stage: None })
            .ok_or_else(|| permanent(operation, "the application has no job"))
    }

    /// Moves a placement to `stage`; a prospect reaching a job stage is converted to a candidate on
    /// the job. `last` is where hiresync last put it: known, it spares reading the current stage
    /// first, and a move refused because someone moved it since falls back to reading it.
    pub(super) async fn move_v3(
        &self,
        cid: i64,
        app_id: i64,
        last: &PlacedStage,
        spot: Option<Spot>,
        stage: &str,
    ) -> Result<Placement> {
        let op = "move stage";
        let spot = match spot {
            Some(s) => s,
            None => self.spot_of(app_id, op).await?,
        };
        let at = |to: i64| Placement { id: app_id.to_string(), stage: PlacedStage::At(to.to_string()) };
        match spot {
            Spot::Pool { pool, .. } => {
                let to = if let Ok(id) = stage.trim().parse::<i64>() {
                    id
                } else {
                    let mut stages = self.client().pool_stages(&[pool]).await?;
                    stages.sort_by_key(|s| (s.sort_order.unwrap_or(i64::MAX), s.id));
                    let named: Vec<(i64, String)> =
                        stages.into_iter().map(|s| (s.id, s.name.unwrap_or_default())).collect();
                    stage_named(stage, &named, &format!("prospect pool {pool}"), op)?
                };
                // Setting the pool stage a prospect already has is harmless, so no read comes first.
                let body = PoolMove { prospect_pool_id: pool, prospect_stage_id: Some(to) };
                self.client().move_prospect(app_id, &body).await?;
                Ok(at(to))
            }
            Spot::Job { job, .. } => {
                let to = if let Ok(id) = stage.trim().parse::<i64>() {
                    id
                } else {
                    let mut stages = self.client().job_stages(&[job]).await?;
                    stages.sort_by_key(|s| (s.sort_order.unwrap_or(i64::MAX), s.id));
                    let named: Vec<(i64, String)> =
                        stages.into_iter().map(|s| (s.id, s.name.unwrap_or_default())).collect();
                    stage_named(stage, &named, &format!("job {job}"), op)?
                };
                match last {
                    PlacedStage::At(current) if current.parse() == Ok(to) => return Ok(at(to)),
                    PlacedStage::At(current) => {
                        if let Ok(from) = current.parse::<i64>() {
                            match self.client().move_application(app_id, from, to).await {
                                Ok(()) => return Ok(at(to)),
                                // Moved by someone since (Greenhouse checks `from_stage_id`): read where it is.
                                Err(e) if e.kind() == ErrorKind::Permanent => {}
                                Err(e) => return Err(e),
                            }
                        }
                    }
                    // Prospects have no interview stage: reaching one makes them a candidate on the job.
                    PlacedStage::None => return self.convert(cid, app_id, job, to).await,
                    PlacedStage::Unknown => {}
                }
                match self.client().current_stage(app_id).await?.and_then(|s| s.job_interview_stage_id) {
                    Some(current) if current == to => Ok(at(to)),
                    Some(current) => self.client().move_application(app_id, current, to).await.map(|()| at(to)),
                    None => self.convert(cid, app_id, job, to).await,
                }
            }
        }
    }

    async fn convert(&self, cid: i64, app_id: i64, job: i64, to: i64) -> Result<Placement> {
        match self.client().convert_to_candidate(app_id, job, to).await {
            Ok(app) => Ok(Placement { id: app.id.to_string(), stage: PlacedStage::At(to.to_string()) }),
            Err(e) if e.kind() == ErrorKind::Permanent => {
                // A conversion whose answer was lost leaves its candidate application behind.
                let apps = self.client().applications_of(cid).await?;
                match apps.iter().find(|a| on_job(a, job)) {
                    Some(a) => Ok(Placement { id: a.id.to_string(), stage: PlacedStage::Unknown }),
                    None => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn target(v: &Value) -> Target {
        serde_json::from_value(v.clone()).unwrap()
    }

    #[test]
    fn prospects_and_candidates_get_their_own_nested_application() {
        let job = Spot::of(&target(&json!({"job_id": 7, "stage_id": 8})), "t").unwrap();
        assert_eq!(json!(job.application(true)), json!({"prospect": true, "job_ids": [7]}));
        assert_eq!(json!(job.application(false)), json!({"job_id": 7, "initial_stage_id": 8}));
        assert_eq!(job.placement(1, true).stage, PlacedStage::None);
        let pool = Spot::of(&target(&json!({"prospect_pool_id": "3", "prospect_pool_stage_id": 4})), "t").unwrap();
        assert_eq!(
            json!(pool.application(false)),
            json!({"prospect": true, "prospect_pool_id": 3, "prospect_pool_stage_id": 4})
        );
        assert!(Spot::of(&target(&json!({"project_id": 1})), "t").is_err());
    }

    #[test]
    fn stages_resolve_by_id_or_name() {
        let stages = [(11, "Application Review".to_owned()), (12, "Phone Screen".to_owned())];
        assert_eq!(stage_named(" phone screen ", &stages, "job 1", "t").unwrap(), 12);
        let e = stage_named("Offer", &stages, "job 1", "t").unwrap_err();
        assert!(e.message.contains("Application Review, Phone Screen"), "{}", e.message);
    }
}
