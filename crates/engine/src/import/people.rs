//! One page's people brought into the import's sequence: each becomes a
//! contact (or is matched to one) already linked to its person, and enrolled.

use hiresync_core::decision::SyncState;
use hiresync_core::validation::{is_email, normalise_email};
use hiresync_core::{ContactIn, Person, WorkspaceId};
use hiresync_providers::Provider;
use hiresync_store::connections::Connection;
use hiresync_store::events::ContactSync;
use hiresync_store::imports::{self, ALREADY_PRESENT, IMPORTED, Import, NO_EMAIL};
use hiresync_store::sequences::Sequence;
use hiresync_store::{Conn, StoreError, contacts, events};

/// What one page did.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) imported: usize,
    pub(super) already_present: usize,
    pub(super) no_email: usize,
    pub(super) seen_before: usize,
}

/// One page's shared context.
pub(super) struct Page<'a> {
    pub(super) ws: &'a WorkspaceId,
    pub(super) conn: &'a Connection,
    pub(super) provider: &'a dyn Provider,
    pub(super) import: &'a Import,
    pub(super) sequence: &'a Sequence,
}

impl Page<'_> {
    /// Brings one person into the sequence, unless this import already did.
    pub(super) async fn bring_in(&self, c: &mut Conn, person: &Person, tally: &mut Tally) -> Result<(), StoreError> {
        let import = self.import.id.as_str();
        if let Some(IMPORTED | ALREADY_PRESENT) = imports::person_outcome(c, import, &person.id).await?.as_deref() {
            tally.seen_before += 1;
            return Ok(());
        }
        let mut emails: Vec<String> = Vec::new();
        for e in person.emails.iter().map(|e| normalise_email(e)).filter(|e| is_email(e)) {
            if !emails.contains(&e) {
                emails.push(e);
            }
        }
        if emails.is_empty() {
            imports::record_person(c, import, &person.id, NO_EMAIL, None).await?;
            tally.no_email += 1;
            return Ok(());
        }
        if let Some(existing) = events::contact_for_person(c, &self.conn.id, &person.id).await? {
            self.enroll(c, &existing).await?;
            imports::record_person(c, import, &person.id, ALREADY_PRESENT, Some(&existing)).await?;
            tally.already_present += 1;
            return Ok(());
        }
        let (external_id, stored) = self.contact_for(c, person, &emails).await?;
        let mut contact = stored.unwrap_or_else(|| ContactIn {
            source: Some(format!("{} import", self.conn.provider.display_name())),
            ..ContactIn::default()
        });
        // An existing contact keeps what the outreach app gave it; the person only fills gaps.
        for e in &emails {
            if !contact.emails.contains(e) {
                contact.emails.push(e.clone());
            }
        }
        contact.first_name = contact.first_name.or_else(|| person.first_name.clone());
        contact.last_name = contact.last_name.or_else(|| person.last_name.clone());
        let data = serde_json::to_value(&contact)
            .map_err(|e| StoreError::Corrupt { column: "contacts.data", message: e.to_string() })?;
        contacts::upsert(c, self.ws, &external_id, &data).await?;
        let mut sync = ContactSync::new(self.conn.id.clone(), SyncState::Synced);
        sync.person_url = Some(person.url.clone().unwrap_or_else(|| self.provider.person_url(&person.id)));
        sync.person_id = Some(person.id.clone());
        sync.target = Some(self.import.target.clone());
        events::put_sync_state(c, self.ws, &external_id, &sync).await?;
        self.enroll(c, &external_id).await?;
        imports::record_person(c, import, &person.id, IMPORTED, Some(&external_id)).await?;
        tally.imported += 1;
        Ok(())
    }

    async fn enroll(&self, c: &mut Conn, contact: &str) -> Result<(), StoreError> {
        events::enroll(c, self.ws, contact, &self.sequence.external_id, self.sequence.sync_disabled).await
    }

    /// The deterministic external id for a person, and the contact already stored under it.
    async fn contact_for(
        &self,
        c: &mut Conn,
        person: &Person,
        emails: &[String],
    ) -> Result<(String, Option<ContactIn>), StoreError> {
        let base = format!("{}-{}", self.conn.provider.as_str(), person.id);
        let stored = read_contact(c, self.ws, &base).await?;
        match stored {
            Some(k) if !k.emails.iter().any(|e| emails.contains(e)) => {
                let own = format!("{base}-{}", self.conn.id.as_str());
                let stored = read_contact(c, self.ws, &own).await?;
                Ok((own, stored))
            }
            other => Ok((base, other)),
        }
    }
}

async fn read_contact(c: &mut Conn, ws: &WorkspaceId, id: &str) -> Result<Option<ContactIn>, StoreError> {
    contacts::get(c, ws, id)
        .await?
        .map(|k| {
            serde_json::from_value(k.data)
                .map_err(|e| StoreError::Corrupt { column: "contacts.data", message: e.to_string() })
        })
        .transpose()
}
