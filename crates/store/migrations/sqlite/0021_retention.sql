-- Retention (issue 25) deletes what is past its period, a slice per short transaction, each
-- slice oldest first. The sync log and events are walked by their rowids, which rise with
-- time and need no index; these indexes spare the other deletes a scan of their table.

-- Unfinished jobs that carry out one event's decision on their own (sync_event_v1: older
-- releases, and decisions a carrying job split off dead) keep that event. Only those jobs have
-- an entry: other jobs, most of them, pay only the check of the condition.
create index jobs_carrying_events on jobs (workspace_id, json_extract(payload, '$.event_id'))
    where kind = 'sync_event_v1' and state <> 'done';

-- Received webhook deliveries by age, and deliveries out once they ended.
create index webhook_deliveries_by_received_at on webhook_deliveries (received_at);
create index webhook_out_deliveries_ended on webhook_out_deliveries (coalesce(last_attempt_at, created_at))
    where state <> 'pending';
