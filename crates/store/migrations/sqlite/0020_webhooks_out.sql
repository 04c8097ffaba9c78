-- Webhooks out (API.md "Webhooks out"): the outreach app's endpoints, and the outbox of
-- deliveries to them. A delivery row is written in the same transaction as the state change it
-- reports, with the job that sends it; it then records each attempt. Times are epoch ms.
create table webhook_endpoints (
    id text primary key,
    workspace_id text not null references workspaces (id),
    url text not null,
    events text not null,
    description text,
    sealed_secret text not null,
    key_id text not null,
    created_at bigint not null,
    failing_since bigint,
    disabled_at bigint,
    disabled_reason text
);
create index webhook_endpoints_by_workspace on webhook_endpoints (workspace_id, id);

create table webhook_out_deliveries (
    id text primary key,
    workspace_id text not null,
    endpoint_id text not null references webhook_endpoints (id) on delete cascade,
    message_id text not null,
    event_type text not null,
    body text not null,
    state text not null,
    attempts bigint not null default 0,
    next_attempt_at bigint,
    last_attempt_at bigint,
    response_status bigint,
    last_error text,
    created_at bigint not null,
    delivered_at bigint
);
create index webhook_out_deliveries_by_endpoint on webhook_out_deliveries (endpoint_id, id);

-- A resync announces its end once: the first transaction that finds none of its items open.
alter table resyncs add column finished_at bigint;
create index resync_items_open on resync_items (resync_id) where outcome in ('queued', 'running');
