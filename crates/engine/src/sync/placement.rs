//! Where the person sits (SPEC S4, S11, A5): placed once on the target
//! decided at ingest, and moved to the stage the stage map names when an
//! event reaches an outreach stage.

use super::Syncing;
use crate::job::JobError;
use hiresync_core::Target;
use hiresync_providers::Placement;

impl Syncing<'_> {
    /// Puts the linked person on `target` unless they are already placed there.
    pub(crate) async fn place(&mut self, target: &Target) -> Result<(), JobError> {
        let target_json = target.to_json();
        if !self.provider.capabilities().targets
            || (self.sync.placement_id.is_some() && self.sync.target.as_ref() == Some(&target_json))
        {
            return Ok(());
        }
        let person = self.sync.person_id.clone().unwrap_or_default();
        let as_prospect = self.settings.create_as == hiresync_core::settings::CreateAs::Prospect;
        let placement = self.provider.place_person(&person, target, as_prospect).await?;
        self.sync.placement_id = Some(placement.id);
        self.sync.placement_stage = placement.stage;
        self.sync.target = Some(target_json);
        self.save().await?;
        self.done.push("placed on target");
        Ok(())
    }

    /// Moves the placement to the stage this event's outreach stage maps to; a move that makes a
    /// new placement (a prospect converted to a candidate) is stored at once.
    pub(crate) async fn move_stage(&mut self) -> Result<(), JobError> {
        let Some(stage) = self.event.kind.stage().and_then(|s| self.settings.stage_map.get(s)).cloned() else {
            return Ok(());
        };
        let (Some(person), Some(id)) = (self.sync.person_id.clone(), self.sync.placement_id.clone()) else {
            return Ok(());
        };
        let placement = Placement { id, stage: self.sync.placement_stage.clone() };
        if !self.provider.capabilities().stages {
            return Ok(());
        }
        let target = self.sync.target.clone().and_then(|t| serde_json::from_value::<Target>(t).ok());
        let moved = self.provider.move_stage(&person, &placement, target.as_ref(), &stage).await?;
        // Stored at once: a replaced placement must not be moved again, and the stage spares the
        // next move a read.
        if moved != placement {
            self.sync.placement_id = Some(moved.id);
            self.sync.placement_stage = moved.stage;
            self.save().await?;
        }
        self.done.push("moved stage");
        Ok(())
    }
}
