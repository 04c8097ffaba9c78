-- A contact's id is `contact_id` in every table, as it is in the code. The carry marks (how far
-- each contact's decisions have been carried out per connection) are named for what they are.
-- Indexes follow the renamed columns, the events' hash index expression included.
alter table enrollments rename column contact to contact_id;
alter table events rename column contact to contact_id;
alter table contact_syncs rename column contact to contact_id;
alter table sync_log rename column contact to contact_id;
alter table decisions rename column contact to contact_id;
alter table jobs rename column contact to contact_id;
alter table notes rename column contact to contact_id;
alter table resync_items rename column contact to contact_id;
alter table import_people rename column contact to contact_id;
alter table decision_cursors rename to carry_marks;
alter table carry_marks rename column contact to contact_id;
alter table carry_marks rename constraint decision_cursors_pkey to carry_marks_pkey;

-- PostgreSQL's own types instead of the ones SQLite shares:
-- * Times were epoch milliseconds in bigint; they become timestamptz, exactly (whole seconds
--   through to_timestamp, the milliseconds added as an interval, no floating point).
-- * 0/1 flags become boolean.
-- * JSON documents become jsonb: connection and workspace settings, rate limits, user groups,
--   sequences' targets and tags, contacts, sync states' targets and warnings, imports' targets
--   and contracts' field maps and values. They are read whole today, but operators query them
--   (and a future API filter may index them), and jsonb checks them on the way in.
-- * Append-only JSON that is only ever read back whole becomes json, which checks it and keeps
--   the text as written: decisions.target and events.data (see below).
-- * Webhook bodies stay text: the raw body as the provider signed it, which need not be JSON.
create function pg_temp.ms_time(ms bigint) returns timestamptz language sql immutable
    as $$ select to_timestamp(ms / 1000) + (ms % 1000) * interval '1 millisecond' $$;

alter table workspaces
    alter column settings drop default,
    alter column settings type jsonb using settings::jsonb,
    alter column settings set default '{}',
    alter column created_at type timestamptz using pg_temp.ms_time(created_at);

alter table users
    alter column groups drop default,
    alter column groups type jsonb using groups::jsonb,
    alter column groups set default '[]',
    alter column created_at type timestamptz using pg_temp.ms_time(created_at);

alter table connections
    alter column settings drop default,
    alter column settings type jsonb using settings::jsonb,
    alter column settings set default '{}',
    alter column rate_limit type jsonb using rate_limit::jsonb,
    alter column created_at type timestamptz using pg_temp.ms_time(created_at),
    alter column deleted_at type timestamptz using pg_temp.ms_time(deleted_at);

alter table workspace_defaults
    alter column settings type jsonb using settings::jsonb;

alter table sequences
    alter column sync_disabled type boolean using sync_disabled <> 0,
    alter column target type jsonb using target::jsonb,
    alter column sync_tags type jsonb using sync_tags::jsonb,
    alter column created_at type timestamptz using pg_temp.ms_time(created_at),
    alter column updated_at type timestamptz using pg_temp.ms_time(updated_at);

alter table contacts
    alter column data type jsonb using data::jsonb,
    alter column created_at type timestamptz using pg_temp.ms_time(created_at),
    alter column updated_at type timestamptz using pg_temp.ms_time(updated_at);

alter table enrollments
    alter column added_at type timestamptz using pg_temp.ms_time(added_at),
    alter column added_while_disabled type boolean using added_while_disabled <> 0,
    alter column replied_at type timestamptz using pg_temp.ms_time(replied_at);

-- events.data: json, not jsonb. It holds message bodies as the outreach app posted them, and
-- jsonb refuses the \u0000 escape such text may carry (it would refuse a whole batch, and stop
-- this migration on a database holding one); no query looks inside it, and json costs ingest
-- less per event.
alter table events
    alter column occurred_at type timestamptz using pg_temp.ms_time(occurred_at),
    alter column data type json using data::json,
    alter column received_at type timestamptz using pg_temp.ms_time(received_at);

alter table contact_syncs
    alter column target type jsonb using target::jsonb,
    alter column errors drop default,
    alter column errors type jsonb using errors::jsonb,
    alter column errors set default '[]',
    alter column updated_at type timestamptz using pg_temp.ms_time(updated_at);

alter table sync_log
    alter column at type timestamptz using pg_temp.ms_time(at);

alter table decisions
    alter column target type json using target::json,
    alter column created_at type timestamptz using pg_temp.ms_time(created_at);

-- jobs.payload: jsonb, like the other documents: written from the engine's own job enum, and
-- no dearer at ingest than text was.
alter table jobs
    alter column payload type jsonb using payload::jsonb,
    alter column run_at type timestamptz using pg_temp.ms_time(run_at),
    alter column lease_expires_at type timestamptz using pg_temp.ms_time(lease_expires_at),
    alter column created_at type timestamptz using pg_temp.ms_time(created_at),
    alter column updated_at type timestamptz using pg_temp.ms_time(updated_at),
    alter column finished_at type timestamptz using pg_temp.ms_time(finished_at);

alter table notes
    alter column written_at type timestamptz using pg_temp.ms_time(written_at);

alter table resyncs
    alter column created_at type timestamptz using pg_temp.ms_time(created_at);

alter table resync_items
    alter column updated_at type timestamptz using pg_temp.ms_time(updated_at);

alter table imports
    alter column target type jsonb using target::jsonb,
    alter column recurring type boolean using recurring <> 0,
    alter column last_run_at type timestamptz using pg_temp.ms_time(last_run_at),
    alter column next_run_at type timestamptz using pg_temp.ms_time(next_run_at),
    alter column created_at type timestamptz using pg_temp.ms_time(created_at),
    alter column stopped_at type timestamptz using pg_temp.ms_time(stopped_at);

alter table import_people
    alter column first_seen_at type timestamptz using pg_temp.ms_time(first_seen_at),
    alter column updated_at type timestamptz using pg_temp.ms_time(updated_at);

alter table contracts
    alter column field_map type jsonb using field_map::jsonb,
    alter column synced type jsonb using synced::jsonb,
    alter column attached_at type timestamptz using pg_temp.ms_time(attached_at),
    alter column created_at type timestamptz using pg_temp.ms_time(created_at),
    alter column updated_at type timestamptz using pg_temp.ms_time(updated_at);

alter table webhook_deliveries
    alter column received_at type timestamptz using pg_temp.ms_time(received_at);

drop function pg_temp.ms_time(bigint);
