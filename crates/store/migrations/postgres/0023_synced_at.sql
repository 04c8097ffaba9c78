-- When a contact was first linked to a person on a connection, so a resync can take the people
-- synced before a date (say, before a field map changed). Rows linked before this column existed
-- take their last change as the best time known.
alter table contact_syncs add column synced_at timestamptz;
update contact_syncs set synced_at = updated_at where person_id is not null;
create index contact_syncs_by_synced_at on contact_syncs (connection_id, synced_at);
