create table decisions (
    id bigint generated always as identity primary key,
    workspace_id text not null,
    event_id text not null,
    connection_id text not null,
    contact text not null,
    action text not null,
    reason text,
    target text,
    created_at bigint not null,
    unique (workspace_id, event_id, connection_id)
);

create table jobs (
    id bigint generated always as identity primary key,
    workspace_id text not null,
    connection_id text,
    contact text,
    ordering_key text not null,
    kind text not null,
    payload text not null,
    priority bigint not null,
    state text not null,
    attempts bigint not null default 0,
    max_attempts bigint not null,
    run_at bigint not null,
    lease_token text,
    lease_owner text,
    lease_expires_at bigint,
    last_error text,
    created_at bigint not null,
    updated_at bigint not null,
    finished_at bigint
);
-- Claim scans unfinished jobs by priority; the order check looks up earlier jobs of one key.
create index jobs_claimable on jobs (priority, id) where state in ('queued', 'running');
create index jobs_by_key on jobs (ordering_key, id) where state in ('queued', 'running');
create index jobs_by_workspace on jobs (workspace_id, state);
