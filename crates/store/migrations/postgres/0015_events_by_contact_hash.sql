-- A contact's events are read only whole and only by (workspace, contact), when a resync
-- backfills them (events::for_contact). A hash index finds them as well as the ordered index
-- did and costs every stored event less: it keeps a 4-byte hash instead of the two strings and
-- the time, and inserts without comparing strings (a 1000-event insert 5.1 -> 4.4 ms in psql).
-- The read spells this expression; workspace ids hold no slash, and the read also compares
-- both columns.
create index events_by_contact_hash on events using hash ((workspace_id || '/' || contact));
drop index events_by_contact;
