-- Retention (issue 25) deletes what is past its period, a slice per short transaction, each
-- slice oldest first. The sync log is walked by its primary key, whose ids rise with time; the
-- other deletes would each scan their table without these indexes.

-- Events by age. Each stored event pays an entry, appended at the index's right edge since
-- received_at rises; without it every slice of every run read the whole table.
create index events_by_received_at on events (received_at);

-- An old event stays while a decision of it is not carried out yet: its decisions are found by
-- event id. Hashed (4 bytes an entry, no string comparisons on insert), as events_by_contact_hash
-- is; the reads also compare the workspace.
create index decisions_by_event on decisions using hash (event_id);

-- Unfinished jobs that carry out one event's decision on their own (sync_event_v1: older
-- releases, and decisions a carrying job split off dead) keep that event. Only those jobs have
-- an entry: other jobs, most of them, pay only the check of the condition.
create index jobs_carrying_events on jobs (workspace_id, (payload ->> 'event_id'))
    where kind = 'sync_event_v1' and state <> 'done';

-- Received webhook deliveries by age, and deliveries out once they ended.
create index webhook_deliveries_by_received_at on webhook_deliveries (received_at);
create index webhook_out_deliveries_ended on webhook_out_deliveries (coalesce(last_attempt_at, created_at))
    where state <> 'pending';
