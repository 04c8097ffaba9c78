//! The workspace's connections an event can sync to, with their settings
//! resolved once per batch instead of once per event.

use hiresync_core::{ConnectionSettings, ProviderKind, UserId, WorkspaceId};
use hiresync_store::connections::{self, Connection};
use hiresync_store::{Db, StoreError, workspaces};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// The live connections that sync people, in the order they were made.
pub(super) struct Connections {
    conns: Vec<ConnectionWithSettings>,
}

/// A connection with its settings, or why they are unusable.
pub(super) struct ConnectionWithSettings {
    pub conn: Connection,
    pub settings: Result<ConnectionSettings, String>,
}

impl Connections {
    /// Reads the connections and the workspace defaults their settings build on.
    pub async fn read(c: &mut Db, workspace: &WorkspaceId) -> Result<Self, StoreError> {
        let mut all = connections::list(&mut *c, workspace).await?;
        all.retain(|k| k.provider.syncs_people() && k.status != "disconnected");
        let mut defaults: HashMap<&'static str, Map<String, Value>> = HashMap::new();
        let mut conns = Vec::with_capacity(all.len());
        for conn in all {
            let provider = conn.provider.as_str();
            let defaults = match defaults.entry(provider) {
                Entry::Occupied(o) => o.into_mut(),
                Entry::Vacant(v) => v.insert(workspaces::defaults(&mut *c, workspace, provider).await?),
            };
            let settings = ConnectionSettings::resolve(conn.provider, defaults, &conn.settings)
                .map_err(|e| format!("the connection's settings are invalid: {e}"));
            conns.push(ConnectionWithSettings { conn, settings });
        }
        Ok(Self { conns })
    }

    /// The connections an event decided by `owner` syncs to: theirs and the workspace-wide ones,
    /// except that a workspace Greenhouse connection serves only users without a Greenhouse
    /// connection of their own (SPEC C1). Both reach the same Greenhouse, so the owner's
    /// contacts go through their own alone and each note is written once, as them.
    pub fn of<'a>(&'a self, owner: &'a UserId) -> impl Iterator<Item = &'a ConnectionWithSettings> {
        let own_greenhouse = self.conns.iter().any(|l| {
            l.conn.user_id.as_ref() == Some(owner)
                && l.conn.provider == ProviderKind::Greenhouse
                && l.conn.status != "disabled"
        });
        self.conns.iter().filter(move |l| match &l.conn.user_id {
            Some(u) => u == owner,
            None => !(own_greenhouse && l.conn.provider == ProviderKind::Greenhouse),
        })
    }
}
